"""The worksheet pages: who may open, read and answer; confirming and overriding; recomputing; the scores."""

import datetime as dt
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse

from cases.models import RolePolicy
from evaluasi import lke
from evaluasi.models import Evaluation, LkeAnswer, LkeWorksheet
from evaluasi.periods import Period

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_second_factor(db):
    RolePolicy.objects.update(require_two_factor=False)


@pytest.fixture
def worksheet(unit, inspektur):
    return lke.open_worksheet(unit=unit, period=Period.year(2025), actor=inspektur)[0]


def answer_of(worksheet, code) -> LkeAnswer:
    return LkeAnswer.objects.get(worksheet=worksheet, question__code=code)


def post_answer(client, worksheet, code, action, value="", note=""):
    return client.post(
        reverse("evaluasi:lke_answer", kwargs={"uuid": worksheet.uuid}),
        {"question": code, "action": action, "value": value, "note": note},
    )


def test_the_inspector_opens_a_worksheet_once_per_unit_and_period(client, unit, inspektur):
    client.force_login(inspektur)
    url = reverse("evaluasi:lke_list")
    first = client.post(url, {"unit": unit.code, "periode": "2025"})
    assert first.status_code == 302
    again = client.post(url, {"unit": unit.code, "periode": "2025"})
    assert again["Location"] == first["Location"]
    worksheet = LkeWorksheet.objects.get()
    assert (worksheet.period_start, worksheet.period_end) == (dt.date(2025, 1, 1), dt.date(2025, 12, 31))
    # Opened under the current edition, evaluasi 0006's: the seeded 22 questions + the 5 the surveys answer.
    assert worksheet.edition.code == "permenpanrb-90-2021-survei"
    assert worksheet.answers.count() == 22 + 5
    page = client.get(first["Location"])
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-question="pengaduan.c"' in body and 'data-question="reform.lhkasn"' in body


def test_a_mistyped_period_is_refused_and_kept(client, unit, inspektur):
    client.force_login(inspektur)
    response = client.post(reverse("evaluasi:lke_list"), {"unit": unit.code, "periode": "2025-Q7"})
    assert response.status_code == 200
    assert "tidak dikenal" in response.content.decode()
    assert 'value="2025-Q7"' in response.content.decode()
    assert not LkeWorksheet.objects.exists()


def test_an_employee_is_refused(client, pegawai, worksheet):
    client.force_login(pegawai)
    assert client.get(reverse("evaluasi:lke_list")).status_code == 403
    assert client.get(reverse("evaluasi:lke_worksheet", kwargs={"uuid": worksheet.uuid})).status_code == 403
    assert client.get(reverse("evaluasi:lke_pack", kwargs={"uuid": worksheet.uuid})).status_code == 403


def test_a_unit_head_reads_their_units_worksheet_only_and_answers_nothing(
    client, make_user, unit, other_unit, worksheet
):
    head = make_user("kepala")
    unit.head = head
    unit.save()
    other_head = make_user("kepala_lain")
    other_unit.head = other_head
    other_unit.save()
    url = reverse("evaluasi:lke_worksheet", kwargs={"uuid": worksheet.uuid})
    client.force_login(head)
    assert client.get(url).status_code == 200
    assert post_answer(client, worksheet, "spip.a", "answer", "1").status_code == 403
    assert client.post(reverse("evaluasi:lke_recompute", kwargs={"uuid": worksheet.uuid})).status_code == 403
    client.force_login(other_head)
    assert client.get(url).status_code == 403


def test_a_forged_worksheet_is_not_found(client, inspektur, worksheet):
    client.force_login(inspektur)
    assert client.get(reverse("evaluasi:lke_worksheet", kwargs={"uuid": uuid.uuid4()})).status_code == 404


def test_get_on_an_answer_is_405(client, inspektur, worksheet):
    client.force_login(inspektur)
    assert client.get(reverse("evaluasi:lke_answer", kwargs={"uuid": worksheet.uuid})).status_code == 405


def test_an_override_without_a_note_is_refused_and_loses_nothing(client, inspektur, worksheet):
    client.force_login(inspektur)
    assert answer_of(worksheet, "wbs.a").suggested_label == "Tidak"  # no WBS manager in this data
    response = post_answer(client, worksheet, "wbs.a", "answer", "1", note="   ")
    assert response.status_code == 400
    assert "tuliskan catatan" in response.content.decode()
    assert answer_of(worksheet, "wbs.a").confirmed_at is None
    response = post_answer(client, worksheet, "wbs.a", "answer", "1", note="WBS dikelola di tingkat kementerian.")
    assert response.status_code == 302
    saved = answer_of(worksheet, "wbs.a")
    assert (saved.value, saved.label, saved.confirmed_by) == (Decimal("1"), "Ya", inspektur)


def test_confirming_takes_the_suggestion(client, inspektur, worksheet):
    client.force_login(inspektur)
    assert post_answer(client, worksheet, "wbs.a", "confirm").status_code == 302
    saved = answer_of(worksheet, "wbs.a")
    assert (saved.value, saved.label) == (Decimal("0"), "Tidak")
    # A question without a suggestion cannot be "confirmed": it is answered.
    assert post_answer(client, worksheet, "spip.a", "confirm").status_code == 400
    assert post_answer(client, worksheet, "spip.a", "answer", "1").status_code == 302
    # A value that is not an option, or a percentage outside 0–100, is refused.
    assert post_answer(client, worksheet, "spip.b", "answer", "0.7").status_code == 400
    assert post_answer(client, worksheet, "reform.lhkpn", "answer", "101").status_code == 400
    for bad in ("abc", "NaN", "Infinity", "1e400"):
        assert post_answer(client, worksheet, "reform.lhkpn", "answer", bad).status_code == 400, bad
    assert post_answer(client, worksheet, "reform.lhkpn", "answer", "87,5").status_code == 302
    assert answer_of(worksheet, "reform.lhkpn").value == Decimal("87.5")
    # As people type a percentage: with a sign, with a space; a thousands dot is not a percentage.
    assert post_answer(client, worksheet, "reform.lhkasn", "answer", "50 %").status_code == 302
    assert answer_of(worksheet, "reform.lhkasn").value == Decimal("50")
    assert post_answer(client, worksheet, "reform.lhkasn", "answer", "1.000,5").status_code == 400


def test_recompute_keeps_confirmations_and_marks_changed_suggestions(client, unit, inspektur, worksheet):
    client.force_login(inspektur)
    post_answer(client, worksheet, "wbs.b", "confirm")
    assert answer_of(worksheet, "wbs.b").label == "Belum"
    for quarter in (1, 2, 3, 4):
        period = Period.quarter(2025, quarter)
        Evaluation.objects.create(
            module="wbs",
            unit=unit,
            period_start=period.start,
            period_end=period.end,
            held_on=period.end,
            participants="Tim",
            findings="-",
            created_by=inspektur,
        )
    response = client.post(reverse("evaluasi:lke_recompute", kwargs={"uuid": worksheet.uuid}))
    assert response.status_code == 302
    saved = answer_of(worksheet, "wbs.b")
    assert (saved.label, saved.suggested_label) == ("Belum", "Berkala")
    assert lke.suggestion_changed(saved)
    page = client.get(reverse("evaluasi:lke_worksheet", kwargs={"uuid": worksheet.uuid})).content.decode()
    assert "data-changed" in page
    # Confirming again clears the mark.
    post_answer(client, worksheet, "wbs.b", "confirm")
    assert not lke.suggestion_changed(answer_of(worksheet, "wbs.b"))


def test_scores_per_indicator_section_and_total(client, inspektur, worksheet):
    client.force_login(inspektur)
    note = "Dokumen diperiksa."
    post_answer(client, worksheet, "gratifikasi.a", "answer", "1", note)  # 1 × 0.75
    post_answer(client, worksheet, "benturan.a", "answer", "0.67", note)  # 0.67 × 0.3
    post_answer(client, worksheet, "pengaduan.c", "answer", "0.5", note)  # 0.5 × 0.375
    post_answer(client, worksheet, "reform.penanganan_pengaduan", "answer", "80", note)  # 0.8 × 3
    post_answer(client, worksheet, "reform.pengendalian_berjenjang", "answer", "1", note)  # 2.5
    sheet = lke.sheet(worksheet)
    pemenuhan = Decimal("0.75") + Decimal("0.67") * Decimal("0.3") + Decimal("0.5") * Decimal("0.375")
    reform = Decimal("0.8") * 3 + Decimal("2.5")
    sections = {section.code: section for section in sheet.sections}
    assert sections["pemenuhan"].score == pemenuhan
    assert sections["reform"].score == reform
    assert sections["pemenuhan"].weight == Decimal("7.5") and sections["reform"].weight == Decimal("7.5")
    assert sheet.score == pemenuhan + reform
    # The current edition (evaluasi 0006): + SKM 1 and IPAK/IPKP 35, and 22 + the 5 survey questions, less 5 answered.
    assert worksheet.edition.code == "permenpanrb-90-2021-survei"
    assert sheet.weight == Decimal("15") + Decimal("36")
    assert sheet.unanswered == 22 + 5 - 5
    gratifikasi = next(i for i in sections["pemenuhan"].indicators if i.name == "Pengendalian gratifikasi")
    assert gratifikasi.score == Decimal("0.75")
    page = client.get(reverse("evaluasi:lke_worksheet", kwargs={"uuid": worksheet.uuid})).content.decode()
    assert "22 pertanyaan belum dijawab" in page


def test_a_unit_head_lists_only_their_units_worksheets(client, make_user, unit, other_unit, inspektur, worksheet):
    other = lke.open_worksheet(unit=other_unit, period=Period.year(2025), actor=inspektur)[0]
    head = make_user("kepala")
    unit.head = head
    unit.save()
    client.force_login(head)
    response = client.get(reverse("evaluasi:lke_list"))
    assert response.status_code == 200
    body = response.content.decode()
    assert str(worksheet.uuid) in body and str(other.uuid) not in body
    assert "Buka lembar kerja" not in body  # a unit head opens none
    assert client.post(reverse("evaluasi:lke_list"), {"unit": unit.code, "periode": "2026"}).status_code == 403


def test_the_answer_form_shows_the_current_answer(client, inspektur, worksheet):
    client.force_login(inspektur)
    post_answer(client, worksheet, "spip.a", "answer", "0", "Belum ada dokumen.")
    post_answer(client, worksheet, "reform.lhkasn", "answer", "92.5")
    body = client.get(reverse("evaluasi:lke_worksheet", kwargs={"uuid": worksheet.uuid})).content.decode()
    article = body.split('id="q-spip.a"')[1].split("</article>")[0]
    assert '<option value="0" selected>' in article
    assert 'name="value" value="92,5"' in body.split('id="q-reform.lhkasn"')[1].split("</article>")[0]
