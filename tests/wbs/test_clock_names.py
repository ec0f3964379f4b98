"""The WBS clocks as an Indonesian officer reads them (issue 8): no "0 hari kerja", the first answer to the
reporter in months, Indonesian rules first and foreign standards only as additional references; in English too."""

import re

import pytest
from django.utils import translation

from cases import registry
from cases.models import DeadlineClock

pytestmark = pytest.mark.django_db

INDONESIAN = re.compile(r"SE MenPANRB 08/2012|PMK 205/2022|UU 31/2014|PP 43/2018")
FOREIGN = re.compile(r"EU 2019/1937|ISO 37002")


def _clock_rows(page: str) -> list[str]:
    body = page.split('<table class="clocks">', 1)[1].split("</table>", 1)[0]
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip() for row in body.split("<tr")[2:]]


def test_the_case_page_names_each_clock_by_its_rule(client, make_report, coordinator):
    report = make_report()
    client.force_login(coordinator)
    rows = _clock_rows(client.get(f"/kasus/{report.reference}/").content.decode())
    text = " | ".join(rows)
    assert "0 hari kerja" not in text
    assert "Tanda terima kepada pelapor (saat laporan masuk)" in text
    assert "Tanggapan pertama kepada pelapor (3 bulan)" in text
    assert "Verifikasi laporan (5 hari kerja)" in text


def test_indonesian_rules_come_first_and_foreign_standards_only_as_additional_references():
    for rule in registry.get("wbs").clocks:
        basis = str(rule.basis)
        first = INDONESIAN.search(basis)
        assert first is not None, rule.code
        foreign = FOREIGN.search(basis)
        if foreign:
            assert first.start() < basis.index("Referensi tambahan") < foreign.start(), rule.code


def test_clock_names_and_bases_in_english(make_report):
    report = make_report()
    feedback = DeadlineClock.objects.get(case_id=report.pk, code="feedback")
    acknowledgement = DeadlineClock.objects.get(case_id=report.pk, code="acknowledgement")
    # Stored in Indonesian, whatever language the request that started it used.
    assert "Referensi tambahan" in feedback.basis
    with translation.override("en"):
        assert feedback.display_label == "First answer to the reporter"
        assert feedback.length_label == "3 months"
        assert acknowledgement.length_label == "on receipt of the report"
        assert "Additional references: EU 2019/1937" in feedback.display_basis
        verification = DeadlineClock.objects.get(case_id=report.pk, code="verification")
        assert verification.length_label == "5 working days"
