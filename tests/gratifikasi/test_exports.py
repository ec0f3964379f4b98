"""The exports the UPG sends or keeps: the KPK form as PDF for one report, and the period recap as XLSX.

Who may download them, what they contain (and leave out), and that every export is an audit event.
"""

import csv
import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile

import openpyxl
import pytest
from django.utils.html import escape

from cases import policy, services
from cases.models import CaseEvent, Confidentiality
from gratifikasi.forms import RecapForm
from gratifikasi.models import GratifikasiObject, GratifikasiReport

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The transitions that lead to a state, and who runs them.
PATHS = {
    "draft": [],
    "submitted": ["submit"],
    "analysing": ["submit", "start_verification", "start_analysis"],
    "forwarded_to_kpk": ["submit", "start_verification", "start_analysis", "forward_to_kpk"],
}


@pytest.fixture
def make_report(unit, pegawai, upg):
    def make(
        state="submitted",
        *,
        date_received=dt.date(2026, 3, 10),
        giver_name="Budi Santoso",
        objects=(("barang", "Jam tangan emas", 2_500_000),),
        confidential=False,
        **fields,
    ):
        fields.setdefault("occasion", "kedinasan")
        fields.setdefault("place", "Kantor pusat")
        fields.setdefault("giver_relationship", "rekanan")
        fields.setdefault("summary", "Diberikan setelah rapat pengadaan.")
        fields.setdefault("report_type", "penerimaan")
        if state != "draft":
            # Reports of the past: the UPG received them two days after the gift (submit keeps a date already
            # set), so the forwarding below is not before the UPG had the report.
            fields.setdefault("received_by_upg_on", date_received + dt.timedelta(days=2))
        report = services.create_case(
            kind="gratifikasi",
            actor=pegawai,
            unit=unit,
            reporter=pegawai,
            date_received=date_received,
            giver_name=giver_name,
            confidentiality=Confidentiality.RAHASIA if confidential else Confidentiality.BIASA,
            **fields,
        )
        for kind, description, value in objects:
            GratifikasiObject.objects.create(report=report, kind=kind, description=description, value=value)
        if confidential:
            # A confidential report is the UPG's only when assigned to an officer.
            policy.grant_handling(upg, report)
        for name in PATHS[state]:
            data = {}
            if name == "forward_to_kpk":
                data = {
                    "kpk_forwarded_on": date_received + dt.timedelta(days=5),
                    "kpk_channel": "gol_institusi",
                    "kpk_reference": f"GOL-{report.pk:05d}",
                }
            report = services.transition(report, name, pegawai if name == "submit" else upg, **data)
        report = GratifikasiReport.objects.get(pk=report.pk)
        assert report.status == state
        return report

    return make


def exported(report) -> list[CaseEvent]:
    return list(CaseEvent.objects.filter(case_id=report.pk, action="exported"))


# --- the PDF for KPK -----------------------------------------------------------------------------------------


def pdf_text(data: bytes) -> str | None:
    """The PDF's text via poppler's pdftotext, whitespace collapsed; None if poppler-utils is not installed."""
    if not shutil.which("pdftotext"):
        return None
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


def test_upg_downloads_the_report_as_a_pdf_with_its_facts(client, upg, make_report):
    report = make_report("forwarded_to_kpk", giver_name="Hendra Wijaya", objects=[("barang", "Tas kulit", 2_500_000)])
    client.force_login(upg)

    response = client.get(f"/gratifikasi/{report.reference}/pdf/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{report.reference}.pdf"'
    assert response["Cache-Control"] == "no-store"
    data = response.content
    assert data.startswith(b"%PDF-")
    assert len(data) > 1000
    text = pdf_text(data)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) not installed: only the %PDF header and size were checked")
    assert "Formulir Laporan Gratifikasi" in text
    assert report.reference in text
    assert "Hendra Wijaya" in text
    assert "Tas kulit" in text
    assert "2.500.000" in text  # intcomma in Indonesian: dots between thousands


def test_the_pdfs_exemption_analysis_speaks_of_the_reporter_not_to_them(client, upg, make_report):
    report = make_report("submitted", giver_relationship="rekanan", related_to_duties=True)
    client.force_login(upg)
    text = pdf_text(client.get(f"/gratifikasi/{report.reference}/pdf/").content)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    analysis = " ".join(text.split("Analisis pengecualian", 1)[1].split()[:40])
    assert "tugas atau jabatan pelapor" in analysis
    assert not re.search(r"\bAnda\b", analysis)


def test_inspektur_may_download_the_pdf(client, inspektur, make_report):
    report = make_report("submitted")
    client.force_login(inspektur)
    response = client.get(f"/gratifikasi/{report.reference}/pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_an_outsider_does_not_find_the_pdf(client, outsider, make_report):
    # The reporter now gets their own report's PDF as proof of reporting (tests/gratifikasi/test_reporter.py).
    report = make_report("submitted")

    client.force_login(outsider)
    response = client.get(f"/gratifikasi/{report.reference}/pdf/")
    assert response.status_code == 404
    assert not response.content.startswith(b"%PDF")

    # The attempt is not an export.
    assert exported(report) == []


def test_upg_cannot_download_a_confidential_report_it_is_not_assigned(client, make_user, make_report):
    report = make_report("submitted", confidential=True)
    other = make_user("upg2", policy.PETUGAS_UPG)
    client.force_login(other)
    assert client.get(f"/gratifikasi/{report.reference}/pdf/").status_code == 404
    assert exported(report) == []


def test_each_pdf_download_is_an_exported_event(client, upg, make_report):
    report = make_report("submitted")
    client.force_login(upg)
    assert exported(report) == []

    for times in (1, 2):
        assert client.get(f"/gratifikasi/{report.reference}/pdf/").status_code == 200
        events = exported(report)
        assert len(events) == times
        assert events[-1].actor == upg
        assert events[-1].data == {"format": "pdf"}


def test_anonymous_is_sent_to_log_in(client, make_report):
    report = make_report("submitted")
    response = client.get(f"/gratifikasi/{report.reference}/pdf/")
    assert response.status_code == 302
    assert "/akun/masuk/" in response["Location"]


# --- the XLSX recap ------------------------------------------------------------------------------------------

HEADER_ROW = 3  # two title lines (period, unit), a blank line, then the header


def load(data: bytes, *, formulas: bool = False):
    """The workbook as openpyxl reads it: with the totals' cached values, or with their formulas."""
    return openpyxl.load_workbook(io.BytesIO(data), data_only=not formulas)


def table(sheet) -> tuple[list[dict], list[tuple]]:
    """The table's rows keyed by header (up to the blank line before the totals), and the rows under it."""
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[HEADER_ROW]
    found, rest = [], []
    for index, cells in enumerate(rows[HEADER_ROW + 1 :], start=HEADER_ROW + 1):
        if all(cell is None for cell in cells):
            rest = rows[index + 1 :]
            break
        found.append(dict(zip(header, cells, strict=True)))
    return found, rest


def recap(client, **params):
    return client.get("/gratifikasi/rekap/", params)


@pytest.fixture
def period_reports(make_report):
    """Three reports received in March 2026 (one forwarded with two objects, one confidential, one draft)
    and one received in May."""
    forwarded = make_report(
        "forwarded_to_kpk",
        date_received=dt.date(2026, 3, 10),
        giver_name="PT Maju Jaya",
        objects=[("barang", "Jam tangan", 2_500_000), ("uang", "Amplop", 1_000_000)],
    )
    secret = make_report(
        "submitted",
        date_received=dt.date(2026, 3, 20),
        giver_name="Rahasia Pemberi Sekali",
        objects=[("voucher", "Voucher belanja", 750_000)],
        confidential=True,
    )
    draft = make_report("draft", date_received=dt.date(2026, 3, 15), objects=[("barang", "Draf saja", 1)])
    later = make_report(
        "submitted",
        date_received=dt.date(2026, 5, 12),
        giver_name="CV Nanti Dulu",
        objects=[("barang", "Parsel Mei", 400_000)],
    )
    return {"forwarded": forwarded, "secret": secret, "draft": draft, "later": later}


def test_recap_has_one_row_per_report_and_the_objects_on_a_second_sheet(client, upg, pegawai, period_reports):
    forwarded, secret = period_reports["forwarded"], period_reports["secret"]
    pegawai.first_name, pegawai.last_name = "Sri", "Lestari"
    pegawai.save()
    pegawai.profile.nip = "198001012005011001"
    pegawai.profile.save()
    client.force_login(upg)

    response = recap(client, start="2026-03-01", end="2026-03-31")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Cache-Control"] == "no-store"
    book = load(response.content)
    assert book.sheetnames == ["Laporan", "Objek"]
    sheet = book["Laporan"]
    assert sheet["A1"].value == "Rekap laporan gratifikasi"
    assert sheet["B1"].value == "01-03-2026 – 31-03-2026"
    assert sheet["B2"].value == "Semua unit"
    reports, _rest = table(sheet)
    # One row per report (the forwarded one has two objects); not the draft, not May's report.
    assert [row["Nomor"] for row in reports] == [forwarded.reference, secret.reference]
    first, third = reports
    assert first["Pelapor"] == "Sri Lestari" and first["NIP pelapor"] == "198001012005011001"
    assert first["Jumlah objek"] == 2
    assert first["Nilai total (Rp)"] == 3_500_000
    assert first["Pemberi"] == "PT Maju Jaya"
    assert first["Status"] == "Diteruskan ke KPK"
    assert third["Status"] == "Diajukan ke UPG"
    assert third["Nilai total (Rp)"] == 750_000
    # Real dates and numbers, not texts.
    assert first["Tanggal diterima/ditolak"] == dt.datetime(2026, 3, 10)
    assert first["Diteruskan ke KPK"] == dt.datetime(2026, 3, 15)
    assert isinstance(first["Nilai total (Rp)"], int)
    assert sheet.cell(HEADER_ROW + 2, 7).number_format == "dd-mm-yyyy"
    assert first["Saluran"] == "GOL — akun UPG instansi"
    assert first["Nomor GOL/surat"] == f"GOL-{forwarded.pk:05d}"
    assert first["Unit kerja"] == "Sekretariat"

    objects, _rest = table(book["Objek"])
    assert [(row["Nomor"], row["Uraian objek"], row["Nilai (Rp)"]) for row in objects] == [
        (forwarded.reference, "Jam tangan", 2_500_000),
        (forwarded.reference, "Amplop", 1_000_000),
        (secret.reference, "Voucher belanja", 750_000),
    ]
    assert objects[0]["Jenis objek"] == "Barang" and objects[1]["Jenis objek"] == "Uang"


def test_recap_sheets_have_widths_a_frozen_header_and_an_autofilter(client, upg, period_reports):
    client.force_login(upg)
    book = load(recap(client, start="2026-03-01", end="2026-03-31").content)
    for name, rows in (("Laporan", 2), ("Objek", 3)):
        sheet = book[name]
        header = HEADER_ROW + 1
        assert sheet.freeze_panes == f"A{header + 1}", name
        last_column = sheet.cell(header, sheet.max_column).column_letter
        assert sheet.auto_filter.ref == f"A{header}:{last_column}{header + rows}", name
        # Every column has a width, and a long text column is wider than a short one.
        widths = {letter: dim.width for letter, dim in sheet.column_dimensions.items()}
        assert len(widths) >= sheet.max_column - 1, name
    assert book["Objek"].column_dimensions["E"].width > book["Objek"].column_dimensions["A"].width - 10


def test_recap_totals_add_up(client, upg, make_report):
    make_report("submitted", date_received=dt.date(2026, 3, 2), objects=[("barang", "A", 1_250_000)])
    make_report("submitted", date_received=dt.date(2026, 3, 3), objects=[("uang", "B", 300_000), ("barang", "C", 7)])
    make_report(
        "submitted",
        date_received=dt.date(2026, 3, 4),
        report_type="penolakan",
        objects=[("uang", "Ditolak", 5_000_000)],
    )
    client.force_login(upg)
    data = recap(client, start="2026-03-01", end="2026-03-31").content
    book = load(data)

    reports, after_reports = table(book["Laporan"])
    objects, after_objects = table(book["Objek"])
    report_sum = sum(row["Nilai total (Rp)"] for row in reports)
    object_sum = sum(row["Nilai (Rp)"] for row in objects)
    assert report_sum == object_sum == 6_550_007
    totals = dict(zip(table_header(book["Laporan"]), after_reports[0], strict=True))
    assert totals["Nomor"] == "Jumlah"
    assert totals["Nilai total (Rp)"] == report_sum
    assert totals["Jumlah objek"] == len(objects) == 4
    object_totals = dict(zip(table_header(book["Objek"]), after_objects[0], strict=True))
    assert object_totals["Nilai (Rp)"] == object_sum
    # The count, and received vs refused (LKE: the recap counts refusals separately), add up too.
    notes = {row[0]: row[1:3] for row in after_reports[1:] if row[0]}
    assert notes["Jumlah laporan"][0] == 3
    assert notes["Penerimaan"] == (2, 1_550_007)
    assert notes["Penolakan"] == (1, 5_000_000)
    assert notes["Penerimaan"][1] + notes["Penolakan"][1] == report_sum
    # The totals are SUBTOTAL formulas over the table, so they follow the reader's filter.
    sheet = load(data, formulas=True)["Objek"]
    formula = sheet.cell(HEADER_ROW + 1 + len(objects) + 2, 6).value
    assert formula == f"=SUBTOTAL(109,F{HEADER_ROW + 2}:F{HEADER_ROW + 1 + len(objects)})"


def ooxml_text(value: str) -> str:
    """OOXML writes control characters as `_x000D_`; Excel reads them back as the character, openpyxl
    leaves inline strings as written."""
    return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)


def table_header(sheet) -> tuple:
    return next(sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + 1, values_only=True))


def test_a_refused_object_has_no_place_where_it_is_kept(client, upg, make_report):
    make_report("submitted", report_type="penolakan", objects=[("uang", "Amplop ditolak", 1_000_000)])
    client.force_login(upg)
    objects, _rest = table(load(recap(client, start="2026-03-01", end="2026-03-31").content)["Objek"])
    assert objects[0]["Keberadaan"] == "—"
    assert objects[0]["Jenis laporan"] == "Penolakan (saya menolak)"


@pytest.mark.parametrize(
    "unit_code, expected",
    [
        (None, "rekap-gratifikasi-semua-unit-20260301-20260331.xlsx"),
        ("SEKR", "rekap-gratifikasi-sekr-20260301-20260331.xlsx"),
    ],
)
def test_recap_file_name_carries_the_period_and_the_unit(client, upg, unit, period_reports, unit_code, expected):
    client.force_login(upg)
    params = {"start": "2026-03-01", "end": "2026-03-31"}
    if unit_code:
        params["unit"] = unit.pk
    response = recap(client, **params)
    assert response["Content-Disposition"] == f'attachment; filename="{expected}"'
    if unit_code:
        assert load(response.content)["Laporan"]["B2"].value == "Sekretariat (termasuk unit di bawahnya)"


def test_recap_leaves_out_reports_outside_the_period(client, upg, period_reports):
    client.force_login(upg)
    data = recap(client, start="2026-03-01", end="2026-03-31").content
    book = load(data)
    text = repr([list(book[name].iter_rows(values_only=True)) for name in book.sheetnames])
    assert period_reports["later"].reference not in text
    assert "Parsel Mei" not in text and "CV Nanti Dulu" not in text
    assert period_reports["draft"].reference not in text and "Draf saja" not in text

    # And the other way round: May alone has only May's report.
    found, _rest = table(load(recap(client, start="2026-05-01", end="2026-05-31").content)["Laporan"])
    assert [row["Nomor"] for row in found] == [period_reports["later"].reference]


def test_recap_hides_the_reporter_and_giver_of_a_confidential_report(client, upg, inspektur, pegawai, period_reports):
    secret = period_reports["secret"]
    pegawai.first_name = "Namapelapor"
    pegawai.save()
    for user in (upg, inspektur):
        client.force_login(user)
        data = recap(client, start="2026-03-01", end="2026-03-31").content
        reports, _rest = table(load(data)["Laporan"])
        row = next(row for row in reports if row["Nomor"] == secret.reference)
        assert row["Rahasia"] == "ya"
        assert row["Pemberi"] == "—"
        assert row["Pelapor"] == "—"
        other = next(row for row in reports if row["Nomor"] != secret.reference)
        assert other["Pelapor"].startswith("Namapelapor")
        # Nowhere in the file, not only not in its column.
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            for name in book.namelist():
                assert b"Rahasia Pemberi" not in book.read(name), name


MALICIOUS = [
    '=HYPERLINK("http://evil.test","klik")',
    "+62 812 cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1,2)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.mark.parametrize("text", MALICIOUS)
def test_recap_writes_formula_like_texts_as_plain_text(client, upg, make_report, text):
    """Spreadsheet formula injection (OWASP): whatever a reporter typed stays a text cell."""
    report = make_report(
        "submitted",
        giver_name=text,
        giver_institution=text,
        objects=[("barang", text, 100_000)],
    )
    client.force_login(upg)
    data = recap(client, start="2026-03-01", end="2026-03-31").content

    book = load(data, formulas=True)
    reports, _rest = table(book["Laporan"])
    objects, _rest = table(book["Objek"])
    assert [row["Nomor"] for row in reports] == [report.reference]
    for sheet, row, column in (
        (book["Laporan"], 0, "Pemberi"),
        (book["Laporan"], 0, "Instansi pemberi"),
        (book["Objek"], 0, "Uraian objek"),
    ):
        index = table_header(sheet).index(column) + 1
        cell = sheet.cell(HEADER_ROW + 2 + row, index)
        assert ooxml_text(cell.value) == text, column  # the text exactly as typed
        assert cell.data_type == "s", column  # a string cell, not a formula
        assert cell.quotePrefix, column  # and stays text when edited in Excel
    # No formula anywhere in the data: the only <f> elements are the totals' SUBTOTALs.
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                xml = archive.read(name).decode()
                assert xml.count("<f>") == xml.count("<f>SUBTOTAL("), name


def test_recap_is_refused_to_an_employee_without_the_upg_role(client, pegawai, outsider, period_reports):
    for user in (pegawai, outsider):
        client.force_login(user)
        response = recap(client, start="2026-03-01", end="2026-03-31")
        assert response.status_code == 403
        assert response["Content-Type"] != XLSX
    assert CaseEvent.objects.filter(action="exported").count() == 0


@pytest.mark.parametrize(
    "params, where",
    [
        ({"start": "2026-03-31", "end": "2026-03-01"}, "__all__"),  # start after end
        ({"start": "abc", "end": "2026-03-31"}, "start"),
        ({"start": "2026-03-01", "end": "31-31-2026"}, "end"),
        ({"start": "2026-03-01", "end": ""}, "end"),
    ],
)
def test_bad_dates_show_the_form_again_with_an_error(client, upg, period_reports, params, where):
    # The error the form gives (its wording is the form's business), and that the page shows it.
    form = RecapForm(params)
    assert not form.is_valid()
    assert list(form.errors) == [where]
    client.force_login(upg)

    response = recap(client, **params)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "Content-Disposition" not in response
    html = response.content.decode()
    assert '<form method="get"' in html
    assert "errorlist" in html
    for message in form.errors[where]:
        assert escape(message) in html
    if where == "__all__":
        assert '<div class="errors" role="alert">' in html
    else:
        assert 'class="field has-error"' in html
    # What was typed is still in the form.
    for value in params.values():
        if value:
            assert f'value="{value}"' in html
    assert CaseEvent.objects.filter(action="exported").count() == 0


def test_recap_form_without_parameters_is_a_page_not_a_file(client, upg):
    client.force_login(upg)
    response = client.get("/gratifikasi/rekap/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert "errorlist" not in response.content.decode()


def test_every_exported_report_gets_an_exported_event(client, upg, period_reports):
    client.force_login(upg)
    recap(client, start="2026-03-01", end="2026-03-31")

    for key in ("forwarded", "secret"):
        events = exported(period_reports[key])
        assert len(events) == 1, key
        assert events[0].actor == upg
        assert events[0].data == {"format": "xlsx-recap"}
    assert exported(period_reports["later"]) == []
    assert exported(period_reports["draft"]) == []

    # A second recap is a second export of each.
    recap(client, start="2026-01-01", end="2026-12-31")
    assert len(exported(period_reports["forwarded"])) == 2
    assert len(exported(period_reports["later"])) == 1
    assert exported(period_reports["draft"]) == []


def test_recap_of_an_empty_period_is_an_xlsx_with_no_rows(client, upg, period_reports):
    client.force_login(upg)
    response = recap(client, start="2025-01-01", end="2025-01-31")
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    book = load(response.content)
    reports, after = table(book["Laporan"])
    assert reports == []
    notes = {row[0]: row[1] for row in after if row[0]}
    assert notes["Jumlah laporan"] == 0
    assert table(book["Objek"])[0] == []
    assert CaseEvent.objects.filter(action="exported").count() == 0


# --- the CSV recap -------------------------------------------------------------------------------------------


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_recap_as_csv_has_one_row_per_report(client, upg, period_reports):
    forwarded, secret = period_reports["forwarded"], period_reports["secret"]
    client.force_login(upg)

    response = recap(client, start="2026-03-01", end="2026-03-31", format="csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert (
        response["Content-Disposition"] == 'attachment; filename="rekap-gratifikasi-semua-unit-20260301-20260331.csv"'
    )
    rows = csv_rows(response.content)
    assert [row["Nomor"] for row in rows] == [forwarded.reference, secret.reference]
    assert rows[0]["Nilai total (Rp)"] == "3500000"
    assert rows[0]["Tanggal diterima/ditolak"] == "2026-03-10"
    assert rows[1]["Pemberi"] == "—" and rows[1]["Pelapor"] == "—"
    assert b"Rahasia Pemberi" not in response.content
    assert [event.data for event in exported(forwarded)] == [{"format": "csv-recap"}]


@pytest.mark.parametrize("text", MALICIOUS)
def test_recap_csv_prefixes_formula_like_texts(client, upg, make_report, text):
    make_report("submitted", giver_name=text, giver_institution=text)
    client.force_login(upg)
    rows = csv_rows(recap(client, start="2026-03-01", end="2026-03-31", format="csv").content)
    assert rows[0]["Pemberi"] == "'" + text
    assert rows[0]["Instansi pemberi"] == "'" + text
