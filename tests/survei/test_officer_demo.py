"""The demo's surveys, made by `manage.py seed_demo` with the core's units and users (survei.demo)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cases import policy
from survei import selectors
from survei.models import Survey, SurveyStatus


@pytest.mark.django_db
def test_seed_demo_makes_a_published_skm_and_an_open_ipak_survey():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    officer = get_user_model().objects.get(username="petugas_survei")
    assert policy.has_role(officer, policy.PETUGAS_SURVEI)
    assert "petugas_survei" in out.getvalue() and "Survei Kepuasan Masyarakat" in out.getvalue()

    skm = Survey.objects.get(instrument_version__instrument__kind="skm")
    assert skm.status == SurveyStatus.PUBLISHED and skm.services.count() == 2
    assert 55 <= skm.responses.count() <= 65
    assert skm.published_result["warnings"] == []  # every service past its target
    assert skm.published_result["result"]["grade"] in {"A", "B"}
    assert skm.follow_up_plan
    assert selectors.may_manage(officer, skm)

    ipak = Survey.objects.get(instrument_version__instrument__kind="ipak")
    assert ipak.status == SurveyStatus.OPEN and ipak.responses.count() == 20
    kinds = sorted(group.kind for group in selectors.flood_groups(ipak))
    assert kinds == ["device", "pattern"]
