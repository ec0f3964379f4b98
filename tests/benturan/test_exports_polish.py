"""Exports of benturan kepentingan an outside tester found wanting: spreadsheet figures Excel can compute with
(numbers, not texts), and a short decision letter that fits one A4 page with its signature."""

import datetime as dt
import io
import shutil
import subprocess

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from benturan import exports, services
from benturan.models import StatementCampaign, Status
from cases import workdays
from cases.models import EmployeeProfile, Unit

pytestmark = pytest.mark.django_db

# --- XLSX: figures Excel can compute with


def _book(data: bytes, *, formulas: bool = False):
    """The workbook as openpyxl reads it: with the totals' cached values, or with their formulas."""
    return openpyxl.load_workbook(io.BytesIO(data), data_only=not formulas)


@pytest.fixture
def campaign(inspektur):
    """A campaign over two units: in A 3 of 4 filed (75 %), in B 1 of 3 (33,3 %); 4 of 7 in all."""
    root = Unit.objects.create(code="UJI", name="Induk")
    units = {code: Unit.objects.create(code=f"UJI-{code}", name=f"Bagian {code}", parent=root) for code in ("A", "B")}
    today = workdays.today()
    campaign = StatementCampaign.objects.create(
        year=today.year,
        title="Seluruh pegawai",
        unit=root,
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=7),
        created_by=inspektur,
    )
    for code, people, filing in (("A", 4, 3), ("B", 3, 1)):
        for i in range(people):
            user = get_user_model().objects.create_user(f"{code.lower()}{i}", first_name=f"Pegawai {code}{i}")
            EmployeeProfile.objects.create(user=user, unit=units[code], position="Auditor")
            if i < filing:
                services.statement_file(employee=user, campaign=campaign, has_interests=False, interests=[])
    return campaign


def test_the_coverage_xlsx_has_numbers_excel_can_compute(client, inspektur, campaign):
    client.force_login(inspektur)
    response = client.get(reverse("benturan:campaign_xlsx", args=[campaign.uuid]))
    assert response.status_code == 200
    units = _book(response.content).worksheets[0]
    year = next(row[1] for row in units.iter_rows(max_row=4) if row[0].value == "Tahun")
    assert year.data_type == "n" and year.value == campaign.year
    assert year.number_format == "0"  # "2026", not "2,026"
    rows = list(units.iter_rows(min_row=5))
    header = [cell.value for cell in rows[0]]
    share = header.index("Cakupan")
    by_code = {row[0].value: row for row in rows[1:] if row[0].value}
    for code, fraction in (("UJI-A", 0.75), ("UJI-B", 1 / 3)):
        cell = by_code[code][share]
        assert cell.data_type == "n" and cell.value == pytest.approx(fraction)
        assert cell.number_format == "0.0%"
    total = by_code["Jumlah"][share]
    assert total.data_type == "n" and total.value == pytest.approx(4 / 7) and total.number_format == "0.0%"
    # In Excel the total's share follows the filtered totals beside it.
    formulas = _book(response.content, formulas=True).worksheets[0]
    total_row = total.row
    assert formulas.cell(total_row, share + 1).value == f"=IF(C{total_row}=0,0,D{total_row}/C{total_row})"
    assert formulas.cell(total_row, 3).value.startswith("=SUBTOTAL(109,")


def test_the_statistics_xlsx_has_shares_in_their_own_number_column(client, inspektur):
    stats = {
        "start": dt.date(2026, 1, 1),
        "end": dt.date(2026, 12, 31),
        "unit": None,
        "scope_label": "Semua unit",
        "rows": [
            ["Deklarasi", "Deklarasi diterima", 4, None, ""],
            ["Deklarasi", "Diputuskan dalam 7 hari kerja", 2, 3, ""],
            ["Deklarasi", "Diputuskan terlambat", 1, 3, ""],
            ["Deklarasi", "Median hari kalender sampai keputusan", None, None, "5"],
            ["Pernyataan", "Pegawai yang sudah menyampaikan pernyataan", 0, 0, ""],
            ["Peta risiko", "Tugas/fungsi utama yang dipetakan", 3, 4, "Sebagian"],
        ],
    }
    sheet = _book(exports.statistics_xlsx(stats)).active
    rows = list(sheet.iter_rows())
    header_index = next(i for i, row in enumerate(rows) if row[0].value == "Bagian")
    header = [cell.value for cell in rows[header_index]]
    assert header == ["Bagian", "Indikator", "Jumlah", "Dari", "Persentase", "Keterangan"]
    found = {row[1].value: row for row in rows[header_index + 1 :]}
    in_time = found["Diputuskan dalam 7 hari kerja"]
    assert in_time[4].data_type == "n" and in_time[4].value == pytest.approx(2 / 3)
    assert in_time[4].number_format == "0.0%" and in_time[5].value is None
    assert found["Diputuskan terlambat"][4].value == pytest.approx(1 / 3)
    assert found["Deklarasi diterima"][4].value is None  # no "out of": no share
    assert found["Median hari kalender sampai keputusan"][5].value == "5"  # a text note stays
    no_one = found["Pegawai yang sudah menyampaikan pernyataan"]
    assert no_one[4].value is None and no_one[5].value is None  # 0 of 0: no share
    mapped = found["Tugas/fungsi utama yang dipetakan"]
    assert mapped[4].value == pytest.approx(0.75) and mapped[5].value == "Sebagian"
    assert not any(cell.data_type == "s" and str(cell.value).endswith("%") for row in rows for cell in row)


def test_the_statistics_page_export_writes_no_percent_text(client, inspektur):
    client.force_login(inspektur)
    response = client.get(reverse("benturan:statistics_xlsx"), {"start": "2026-01-01", "end": "2026-12-31"})
    assert response.status_code == 200
    sheet = _book(response.content).active
    cells = [cell for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert "Persentase" in [cell.value for cell in cells]
    assert not [cell.value for cell in cells if isinstance(cell.value, str) and cell.value.endswith("%")]


def test_the_map_xlsx_year_and_version_are_numbers(kepala, unit):
    unit.head = kepala
    unit.save(update_fields=["head"])
    risk_map = services.map_create(actor=kepala, unit=unit, year=2027)
    sheet = _book(exports.map_xlsx(risk_map)).active
    line = next(row for row in sheet.iter_rows(max_row=5) if row[0].value == "Tahun")
    assert [(cell.value, cell.data_type, cell.number_format) for cell in line[1:4:2]] == [
        (2027, "n", "0"),
        (1, "n", "0"),
    ]


# --- The decision letter: one page for a short decision, the signature never alone


def _pages(pdf: bytes, tmp_path) -> int:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def _page_text(pdf: bytes, tmp_path, page: int) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(pdf)
    command = ["pdftotext", "-layout", "-f", str(page), "-l", str(page), str(path), "-"]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


needs_poppler = pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler-utils not installed")


@needs_poppler
def test_a_short_decision_fits_one_page_with_its_signature(make_declaration, atasan, tmp_path):
    declaration = make_declaration(Status.DECIDED)
    pdf = exports.decision_letter_pdf(declaration)
    assert _pages(pdf, tmp_path) == 1
    text = _page_text(pdf, tmp_path, 1)
    assert "Ditetapkan pada" in text and (atasan.get_full_name() or atasan.username) in text
    assert "Kebenaran situasi" in text and declaration.reference in text


@needs_poppler
def test_a_long_decision_keeps_the_signature_with_the_text_before_it(make_declaration, atasan, tmp_path):
    declaration = make_declaration(Status.DECIDED)
    declaration.reasoning = "\n".join(f"Pertimbangan nomor {n}: pegawai tidak ikut menilai." for n in range(40))
    declaration.save()
    pdf = exports.decision_letter_pdf(declaration)
    last = _pages(pdf, tmp_path)
    assert last >= 2
    text = _page_text(pdf, tmp_path, last)
    name = atasan.get_full_name() or atasan.username
    assert "Ditetapkan pada" in text and name in text
    # The signature shares its page with the last lines of the decision, never alone.
    assert "Pertimbangan nomor 39" in text or "Langkah pengendalian" in text


# --- The statistics page: the share inside the sentence


def test_the_statement_sentence_carries_its_share(client, inspektur, campaign):
    client.force_login(inspektur)
    response = client.get(reverse("benturan:statistics"))
    assert response.status_code == 200
    page = response.content.decode()
    start = page.index('data-figure="statements"')
    sentence = page[page.index(">", start) + 1 : page.index("</p>", start)]
    assert sentence == (
        "4 dari 7 pegawai wajib (57,1%) sudah menyampaikan pernyataan dalam 1 kampanye pada tahun periode ini."
    )
