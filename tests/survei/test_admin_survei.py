"""The survey content in the admin: a used instrument version is read-only and copied to a new version to be
changed; a used scoring rule's change is saved as a new version, the old row unchanged; rule parameters are
checked (ScoringRule.clean)."""

import json

import pytest
from django.urls import reverse

from survei.models import Instrument, InstrumentVersion, Item, ScoringRule, Survey
from tests.survei.test_officer_fixtures import *  # noqa: F403
from tests.survei.test_officer_fixtures import SKM, respond

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user, login_verified):
    login_verified(admin_user)
    return client


@pytest.fixture
def used_version(make_survey):
    survey = make_survey(status="dibuka")
    respond(survey, survey.services.first())
    return survey.instrument_version


def _rule_form(rule, **changes):
    data = {
        "code": rule.code,
        "name": rule.name,
        "method": rule.method,
        "params": json.dumps(rule.params),
        "basis": rule.basis,
    }
    data.update(changes)
    return data


# ---------------------------------------------------------------------------------------------------------
# Instrument versions


def _version_post(version, **changes) -> dict:
    """The change form of `version` as the admin posts it: its fields and its variables' inline formset."""
    variables = list(version.variables.order_by("order", "pk"))
    data = {
        "instrument": version.instrument_id,
        "number": version.number,
        "scale": version.scale,
        "instructions": version.instructions,
        "note": version.note,
        "variables-TOTAL_FORMS": len(variables),
        "variables-INITIAL_FORMS": len(variables),
        "variables-MIN_NUM_FORMS": 0,
        "variables-MAX_NUM_FORMS": 1000,
    }
    for n, variable in enumerate(variables):
        data |= {
            f"variables-{n}-id": variable.pk,
            f"variables-{n}-version": version.pk,
            f"variables-{n}-order": variable.order,
            f"variables-{n}-code": variable.code,
            f"variables-{n}-name": variable.name,
            f"variables-{n}-weight": "" if variable.weight is None else variable.weight,
        }
    return data | changes


def test_a_used_version_is_read_only(admin_client, used_version):
    url = reverse("admin:survei_instrumentversion_change", args=[used_version.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="_save"' not in page
    assert "Salin ke versi baru" in page  # the message says how to change it
    # A complete, valid post of a changed instruction and a renamed variable is refused outright.
    data = _version_post(used_version, instructions="X", **{"variables-0-name": "Diubah"})
    assert admin_client.post(url, data).status_code == 403
    used_version.refresh_from_db()
    assert used_version.instructions != "X" and not used_version.variables.filter(name="Diubah").exists()
    item = Item.objects.filter(variable__version=used_version).first()
    item_url = reverse("admin:survei_item_change", args=[item.pk])
    assert 'name="_save"' not in admin_client.get(item_url).content.decode()
    form = {"variable": item.variable_id, "code": item.code, "text": "Diubah", "options": json.dumps(item.options)}
    assert admin_client.post(item_url, {**form, "order": item.order}).status_code == 403
    item.refresh_from_db()
    assert item.text != "Diubah"


def test_the_same_post_changes_a_version_no_survey_has_opened(admin_client, make_survey):
    survey = make_survey()  # a draft: its questions are not yet in front of anyone
    version = survey.instrument_version
    url = reverse("admin:survei_instrumentversion_change", args=[version.pk])
    response = admin_client.post(url, _version_post(version, instructions="X", **{"variables-0-name": "Diubah"}))
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.instructions == "X" and version.variables.filter(name="Diubah").exists()


def test_an_unused_version_is_editable(admin_client):
    version = Instrument.objects.get(code=SKM).current_version()
    page = admin_client.get(reverse("admin:survei_instrumentversion_change", args=[version.pk])).content.decode()
    assert 'name="_save"' in page


def test_copy_to_a_new_version_copies_variables_and_items_and_opens_it(admin_client, used_version, make_survey):
    response = admin_client.post(
        reverse("admin:survei_instrumentversion_changelist"),
        {"action": "copy_to_new_version", "_selected_action": [used_version.pk]},
    )
    copy = InstrumentVersion.objects.get(instrument=used_version.instrument, number=used_version.number + 1)
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:survei_instrumentversion_change", args=[copy.pk])
    assert copy.scale == used_version.scale and copy.instructions == used_version.instructions
    old = [(v.code, v.name, v.order) for v in used_version.variables.order_by("order")]
    new = [(v.code, v.name, v.order) for v in copy.variables.order_by("order")]
    assert new == old and len(new) == 9
    old_items = [(i.code, i.text, i.options, i.negative) for i in used_version.items()]
    assert [(i.code, i.text, i.options, i.negative) for i in copy.items()] == old_items
    assert Item.objects.filter(variable__version=used_version).count() == 9  # the old version keeps its items
    # The copy is editable; surveys created from now on pin it, the running survey keeps version 1.
    page = admin_client.get(response["Location"]).content.decode()
    assert 'name="_save"' in page
    assert make_survey(title="Baru").instrument_version == copy
    assert Survey.objects.get(title="SKM 2026").instrument_version == used_version


def test_changing_the_copy_leaves_the_used_version_alone(admin_client, used_version):
    admin_client.post(
        reverse("admin:survei_instrumentversion_changelist"),
        {"action": "copy_to_new_version", "_selected_action": [used_version.pk]},
    )
    copy = InstrumentVersion.objects.get(number=used_version.number + 1, instrument=used_version.instrument)
    # Through the admin's own form: the copy's first variable renamed.
    url = reverse("admin:survei_instrumentversion_change", args=[copy.pk])
    response = admin_client.post(url, _version_post(copy, **{"variables-0-name": "Persyaratan (baru)"}))
    assert response.status_code == 302
    assert copy.variables.get(code="U1").name == "Persyaratan (baru)"
    assert used_version.variables.get(code="U1").name == "Persyaratan"


def test_an_instruments_thresholds_are_fixed_once_a_survey_ran_with_it(admin_client, used_version):
    url = reverse("admin:survei_instrument_change", args=[used_version.instrument_id])
    page = admin_client.get(url).content.decode()
    assert 'name="minimum_wbk"' not in page and 'name="kind"' not in page
    unused = Instrument.objects.get(code="ipak-seed")
    page = admin_client.get(reverse("admin:survei_instrument_change", args=[unused.pk])).content.decode()
    assert 'name="minimum_wbk"' in page


def test_an_instruments_default_rule_must_fit_it(admin_client):
    ipak = Instrument.objects.get(code="ipak-seed")
    skm_rule = ScoringRule.objects.get(code="skm-permenpanrb-14-2017")
    data = {
        "code": ipak.code,
        "kind": ipak.kind,
        "name": ipak.name,
        "basis": ipak.basis,
        "lke_weight": ipak.lke_weight,
        "minimum_wbk": ipak.minimum_wbk,
        "minimum_wbbm": ipak.minimum_wbbm,
        "default_rule": skm_rule.pk,
        "is_active": "on",
    }
    response = admin_client.post(reverse("admin:survei_instrument_change", args=[ipak.pk]), data)
    assert response.status_code == 200 and "Aturan SKM hanya untuk instrumen SKM" in response.content.decode()
    ipak.refresh_from_db()
    assert ipak.default_rule != skm_rule


# ---------------------------------------------------------------------------------------------------------
# Scoring rules


def test_a_used_rules_change_is_saved_as_a_new_version(admin_client, make_survey):
    survey = make_survey()
    rule = survey.rule
    before = (rule.name, rule.params, rule.version)
    response = admin_client.post(
        reverse("admin:survei_scoringrule_change", args=[rule.pk]),
        _rule_form(
            rule,
            name="SKM (bobot tercetak 0,111)",
            params='{"weight": "0.111", "multiplier": 25, '
            '"intervals": [["88.31", "A", "Sangat baik"], ["25.00", "D", "Tidak baik"]]}',
        ),
        follow=True,
    )
    assert "disimpan sebagai versi baru 2" in response.content.decode()
    rule.refresh_from_db()
    assert (rule.name, rule.params, rule.version) == before  # the old row unchanged
    new = ScoringRule.objects.get(code=rule.code, version=2)
    assert new.name == "SKM (bobot tercetak 0,111)" and new.params["weight"] == "0.111"
    assert Survey.objects.get(pk=survey.pk).rule == rule  # the survey keeps the rule it pinned
    assert Instrument.objects.get(code=SKM).default_rule == new  # new surveys take the new version


def test_an_unused_rule_is_changed_in_place(admin_client):
    rule = ScoringRule.objects.get(code="zi-rasio")
    admin_client.post(reverse("admin:survei_scoringrule_change", args=[rule.pk]), _rule_form(rule, name="Rasio"))
    rule.refresh_from_db()
    assert rule.name == "Rasio" and rule.version == 1
    assert ScoringRule.objects.filter(code="zi-rasio").count() == 1


@pytest.mark.parametrize(
    ("method", "params", "message"),
    [
        ("skm", "{}", "tabel interval"),
        ("map", '{"map": {"1": 5}}', "Tabel pemetaan"),
        ("map", "[]", "objek JSON"),
    ],
)
def test_rule_parameters_are_checked(admin_client, method, params, message):
    rule = ScoringRule.objects.get(code="zi-rasio")
    response = admin_client.post(
        reverse("admin:survei_scoringrule_change", args=[rule.pk]), _rule_form(rule, method=method, params=params)
    )
    assert response.status_code == 200 and message in response.content.decode()
    rule.refresh_from_db()
    assert rule.method == "ratio"


def test_surveys_are_read_only_in_the_admin(admin_client, make_survey):
    survey = make_survey()
    url = reverse("admin:survei_survey_change", args=[survey.pk])
    page = admin_client.get(url).content.decode()
    assert 'name="_save"' not in page
    assert admin_client.get(reverse("admin:survei_survey_add")).status_code == 403


def test_no_item_is_added_to_a_used_version(admin_client, used_version):
    variable = used_version.variables.first()
    response = admin_client.post(
        reverse("admin:survei_item_add"),
        {
            "variable": variable.pk,
            "code": "U1.2",
            "text": "Baru",
            "options": json.dumps([{"label": "a", "value": 1}, {"label": "b", "value": 2}]),
            "order": 2,
        },
    )
    assert response.status_code == 200 and "Salin ke versi baru" in response.content.decode()
    assert variable.items.count() == 1


def test_a_new_rule_under_an_existing_code_is_its_next_version(admin_client):
    rule = ScoringRule.objects.get(code="zi-rasio")
    response = admin_client.post(reverse("admin:survei_scoringrule_add"), _rule_form(rule, name="Rasio 2"))
    assert response.status_code == 302
    assert list(ScoringRule.objects.filter(code="zi-rasio").values_list("version", "name")) == [
        (2, "Rasio 2"),
        (1, rule.name),
    ]
