"""The complainant's status page shows several forms at once (add information, and the dispute or the
clarification answer); each field has an id of its own, so every label leads to its own box (found by the
browser test tests/e2e/test_pengaduan_flow.py: both boxes were `id_text`)."""

import re
from collections import Counter

import pytest
from django.core.cache import cache

from pengaduan.models import Complaint, Service
from tests.pengaduan.test_public import STATUS, submit, walk

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _ids_and_labels(html: str) -> tuple[Counter, list[str]]:
    return Counter(re.findall(r'\bid="([^"]+)"', html)), re.findall(r'<label for="([^"]+)"', html)


@pytest.mark.parametrize(
    "steps, section",
    [
        (("start_verification", "request_clarification"), "klarifikasi"),
        (("start_verification", "dispose", "send_answer"), "sanggah"),
    ],
)
def test_every_field_on_the_status_page_has_its_own_id(client, unit, handler, steps, section):
    service = Service.objects.create(code="ktp", name="Penerbitan KTP-el", unit=unit)
    submit(client, service)
    walk(Complaint.objects.get(), handler, *steps)
    html = client.get(STATUS).content.decode()
    assert f'id="{section}"' in html
    ids, labels = _ids_and_labels(html)
    assert [name for name, count in ids.items() if count > 1] == []
    assert all(ids[target] == 1 for target in labels), labels
