"""The XLSX of anonymised responses and the PDF report of a survey (issue 13 "Results"): one row per counted
response numbered from 1 (no primary key, no device tag), every text cell inert, the result sheet; the PDF in
the usual structure with the hand-computed index; both only for the survey's readers."""

import datetime as dt
import io
import shutil
import subprocess

import openpyxl
import pytest
from django.urls import reverse

from evaluasi.models import Recommendation
from survei import exports
from tests.survei.test_results import IPAK, SKM, answer, make_survey

pytestmark = pytest.mark.django_db

FORMULA = '=HYPERLINK("http://contoh.test/x","klik")'


@pytest.fixture
def officer(make_user):
    from cases import policy

    return make_user("petugas_survei", policy.PETUGAS_SURVEI)


@pytest.fixture
def skm(unit, officer):
    earlier = make_survey(unit, officer)
    answer(earlier, SKM[0])  # so that the primary keys of this survey's responses do not start at 1
    survey = make_survey(unit, officer)
    answer(survey, SKM[0], comment=FORMULA, sex="P", age_band="30-39", pressured=True, device_tag="abc123")
    answer(survey, SKM[1], served_month=dt.date(2026, 10, 1), education="s1", pressured=False)
    answer(survey, SKM[2], received_on=dt.date(2026, 11, 21))
    answer(survey, [1] * 9, excluded=True, excluded_reason="Banjir")
    return survey


def workbook(client, user, survey):
    client.force_login(user)
    response = client.get(reverse("survei:responses_xlsx", args=[survey.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.XLSX
    return openpyxl.load_workbook(io.BytesIO(response.content))


def table(sheet) -> tuple[list, list[list]]:
    """The header row (the row whose first cell is "No.") and the data rows under it, up to the first blank."""
    rows = [list(row) for row in sheet.iter_rows()]
    start = next(index for index, row in enumerate(rows) if row[0].value == "No.")
    data = []
    for row in rows[start + 1 :]:
        if row[0].value is None:
            break
        data.append(row)
    return [cell.value for cell in rows[start]], data


def test_one_row_per_counted_response_numbered_from_one_without_pk_or_device(client, officer, skm):
    book = workbook(client, officer, skm)
    assert book.sheetnames == ["Jawaban", "Hasil"]
    header, rows = table(book["Jawaban"])
    codes = [f"U{n}.1" for n in range(1, 10)]
    assert header == [
        "No.",
        "Layanan",
        "Diterima",
        "Bulan menerima layanan",
        "Usia",
        "Jenis kelamin",
        "Pendidikan",
        "Pekerjaan",
        "Ada yang menekan untuk mengisi",
        *codes,
        "Saran / komentar",
    ]
    assert len(rows) == 3  # the set-aside response is not in the file
    values = [[cell.value for cell in row] for row in rows]
    assert [row[0] for row in values] == [1, 2, 3]
    assert values[0][1] == "Izin usaha"
    assert values[0][2] == dt.datetime(2026, 11, 20)
    assert values[0][4:9] == ["30–39", "Perempuan", None, None, "Ya"]
    assert values[1][3] == "2026-10"
    assert values[1][6] == "Sarjana (S1)"
    assert values[1][8] == "Tidak"
    assert values[2][2] == dt.datetime(2026, 11, 21)
    assert values[2][9:18] == SKM[2]
    assert values[0][9:18] == SKM[0]
    everything = [str(cell.value) for row in book["Jawaban"].iter_rows() for cell in row if cell.value is not None]
    assert not any("abc123" in text for text in everything)
    assert 1 not in skm.responses.values_list("pk", flat=True)  # the numbers are a sequence, not the keys


def test_a_formula_in_a_comment_comes_out_inert(client, officer, skm):
    book = workbook(client, officer, skm)
    _header, rows = table(book["Jawaban"])
    cell = rows[0][-1]
    assert cell.value == FORMULA  # the text as typed, not altered
    assert cell.data_type == "s"  # a string cell, not a formula ("f")
    assert cell.quotePrefix  # and stays text when someone edits it


def test_the_result_sheet_holds_items_variables_and_the_index(client, officer, skm):
    book = workbook(client, officer, skm)
    rows = [[cell.value for cell in row] for row in book["Hasil"].iter_rows()]
    by_code = {row[1]: row for row in rows if row[0] in ("Butir", "Unsur")}
    # Hand-computed in test_results.py: U1 = 3.00 (×25 = 75.00), U3 = 3.67 (91.67).
    assert by_code["U1.1"][3:6] == [3, 3, 75]
    assert by_code["U3"][4:6] == [pytest.approx(3.67), pytest.approx(91.67)]
    overall = next(row for row in rows if row[0] == "Keseluruhan")
    assert overall[3:6] == [3, pytest.approx(3.33), pytest.approx(83.33)]
    notes = {row[0]: row[1:3] for row in rows if row[0]}
    assert notes["Indeks Kepuasan Masyarakat (IKM)"][0] == pytest.approx(83.33)
    assert notes["Mutu pelayanan"] == ["B", "Baik"]
    assert any("Dihitung dengan aturan SKM PermenPANRB 14/2017 v1" in str(row[0]) for row in rows)
    assert any(row[0] == "Peringatan" and "Responden baru 3" in row[1] for row in rows)


def test_a_survey_the_user_may_not_read_gives_404(client, outsider, make_user, other_unit, skm):
    client.force_login(outsider)
    assert client.get(reverse("survei:responses_xlsx", args=[skm.uuid])).status_code == 404
    assert client.get(reverse("survei:report_pdf", args=[skm.uuid])).status_code == 404
    head = make_user("kepala_humas")
    other_unit.head = head
    other_unit.save()
    client.force_login(head)
    assert client.get(reverse("survei:responses_xlsx", args=[skm.uuid])).status_code == 404


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


def test_the_pdf_report_is_produced(client, officer, skm):
    client.force_login(officer)
    response = client.get(reverse("survei:report_pdf", args=[skm.uuid]))
    assert response.status_code == 200
    assert response["Content-Type"] == exports.PDF
    assert response.content.startswith(b"%PDF")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed")
def test_the_pdf_report_has_the_usual_sections_the_index_and_the_follow_up(officer, skm):
    skm.follow_up_plan = "Memperpendek antrean loket dengan nomor antrean daring."
    skm.save()
    Recommendation.objects.create(
        survey=skm,
        unit=skm.unit,
        text="Tambah petugas loket pada jam sibuk.",
        owner=officer,
        created_by=officer,
        issued_on=dt.date(2026, 12, 5),
        due_on=dt.date(2027, 1, 31),
    )
    text = pdf_text(exports.report_pdf(skm))
    for heading in (
        "I. Pendahuluan",
        "II. Metode",
        "III. Profil responden",
        "IV. Hasil per unsur",
        "V. Kesimpulan",
        "VI. Rencana tindak lanjut",
    ):
        assert heading in text
    assert "Indeks Kepuasan Masyarakat (IKM): 83,33, mutu pelayanan B (Baik)" in text
    assert "PermenPANRB 14/2017 tentang Pedoman Penyusunan Survei Kepuasan Masyarakat" in text  # the legal basis
    assert "Krejcie–Morgan" in text and "χ² = 3,841" in text
    assert "Memperpendek antrean loket" in text
    assert "Tambah petugas loket pada jam sibuk." in text  # encrypted at rest, read plain
    assert "Responden baru 3, di bawah minimum 30" in text
    assert "1 responden menyatakan ada yang menekan" in text
    assert "Dihitung dengan aturan SKM PermenPANRB 14/2017 v1" in text
    assert FORMULA not in text  # no comments in the report


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed")
def test_the_pdf_of_a_perception_survey_compares_with_the_minimums(unit, officer):
    survey = make_survey(unit, officer, "ipak-seed")
    for values in IPAK:
        answer(survey, values)
    text = pdf_text(exports.report_pdf(survey))
    assert "Nilai survei pada skala LKE: 3,16 dari 4. Skor LKE 13,83 dari bobot 17,50." in text
    assert "IV. Hasil per variabel" in text
    assert "Belum memenuhi" in text
