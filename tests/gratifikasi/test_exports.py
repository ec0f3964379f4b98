"""The exports the UPG sends or keeps: the KPK form as PDF for one report, and the period recap as XLSX.

Who may download them, what they contain (and leave out), and that every export is an audit event.
"""

import datetime as dt
import io
import re
import shutil
import subprocess
import zipfile
from xml.etree import ElementTree

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
        report = services.create_case(
            kind="gratifikasi",
            actor=pegawai,
            unit=unit,
            reporter=pegawai,
            report_type="penerimaan",
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


def test_inspektur_may_download_the_pdf(client, inspektur, make_report):
    report = make_report("submitted")
    client.force_login(inspektur)
    response = client.get(f"/gratifikasi/{report.reference}/pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


def test_the_reporter_is_refused_the_pdf_and_an_outsider_does_not_find_it(client, pegawai, outsider, make_report):
    report = make_report("submitted")

    client.force_login(pegawai)
    response = client.get(f"/gratifikasi/{report.reference}/pdf/")
    assert response.status_code == 403
    assert not response.content.startswith(b"%PDF")

    client.force_login(outsider)
    response = client.get(f"/gratifikasi/{report.reference}/pdf/")
    assert response.status_code == 404

    # Neither attempt is an export.
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

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _column(ref: str) -> int:
    letters = re.match(r"[A-Z]+", ref).group()
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def read_xlsx(data: bytes) -> list[list]:
    """The first sheet's rows as lists (strings as text, numbers as int/float), without openpyxl."""
    with zipfile.ZipFile(io.BytesIO(data)) as book:
        shared = []
        if "xl/sharedStrings.xml" in book.namelist():
            root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
            shared = ["".join(t.text or "" for t in si.iter(f"{{{NS['m']}}}t")) for si in root.findall("m:si", NS)]
        sheet = ElementTree.fromstring(book.read("xl/worksheets/sheet1.xml"))
    rows = []
    for row in sheet.iter(f"{{{NS['m']}}}row"):
        number = int(row.get("r")) - 1
        while len(rows) <= number:
            rows.append([])
        cells = rows[number]
        for cell in row.findall("m:c", NS):
            col = _column(cell.get("r"))
            kind = cell.get("t", "n")
            if kind == "inlineStr":
                value = "".join(t.text or "" for t in cell.iter(f"{{{NS['m']}}}t"))
            else:
                raw = cell.findtext("m:v", default="", namespaces=NS)
                if kind == "s":
                    value = shared[int(raw)]
                elif kind in ("str", "b", "e"):
                    value = raw
                else:
                    value = float(raw) if "." in raw else int(raw)
            while len(cells) <= col:
                cells.append(None)
            cells[col] = value
    return rows


def excel_date(serial) -> dt.date:
    return dt.date(1899, 12, 30) + dt.timedelta(days=int(serial))


def recap(client, **params):
    return client.get("/gratifikasi/rekap/", params)


def data_rows(rows: list[list]) -> list[dict]:
    """The rows under the header row (row 3), keyed by header, up to the blank row before the count."""
    header = rows[2]
    result = []
    for cells in rows[3:]:
        if not cells or not cells[0] or str(cells[0]).startswith("Jumlah laporan"):
            continue
        result.append({name: (cells[i] if i < len(cells) else None) for i, name in enumerate(header)})
    return result


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


def test_recap_is_an_xlsx_with_one_row_per_object(client, upg, period_reports):
    forwarded, secret = period_reports["forwarded"], period_reports["secret"]
    client.force_login(upg)

    response = recap(client, start="2026-03-01", end="2026-03-31")

    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"] == 'attachment; filename="rekap-gratifikasi-20260301-20260331.xlsx"'
    assert response.content.startswith(b"PK")
    rows = read_xlsx(response.content)
    assert rows[0][0] == "Rekap laporan gratifikasi"
    assert rows[0][1] == "01-03-2026 – 31-03-2026"
    found = data_rows(rows)
    # Two objects of the forwarded report, one of the confidential one; not the draft, not May's report.
    assert [(row["Nomor"], row["Uraian objek"]) for row in found] == [
        (forwarded.reference, "Jam tangan"),
        (forwarded.reference, "Amplop"),
        (secret.reference, "Voucher belanja"),
    ]
    first, second, third = found
    assert first["Nilai (Rp)"] == 2_500_000 and second["Nilai (Rp)"] == 1_000_000
    assert first["Total laporan (Rp)"] == second["Total laporan (Rp)"] == 3_500_000
    assert third["Nilai (Rp)"] == third["Total laporan (Rp)"] == 750_000
    assert first["Jenis objek"] == "Barang" and second["Jenis objek"] == "Uang"
    assert first["Pemberi"] == "PT Maju Jaya"
    assert first["Status"] == "Diteruskan ke KPK"
    assert third["Status"] == "Diajukan ke UPG"
    assert excel_date(first["Tanggal diterima"]) == dt.date(2026, 3, 10)
    assert excel_date(first["Diteruskan ke KPK"]) == dt.date(2026, 3, 15)
    assert first["Saluran"] == "GOL — akun UPG instansi"
    assert first["Nomor GOL/surat"] == f"GOL-{forwarded.pk:05d}"
    assert first["Unit kerja"] == "Sekretariat"
    assert rows[-1][0] == "Jumlah laporan: 2"


def test_recap_leaves_out_reports_outside_the_period(client, upg, period_reports):
    client.force_login(upg)
    data = recap(client, start="2026-03-01", end="2026-03-31").content
    text = repr(read_xlsx(data))
    assert period_reports["later"].reference not in text
    assert "Parsel Mei" not in text and "CV Nanti Dulu" not in text
    assert period_reports["draft"].reference not in text and "Draf saja" not in text

    # And the other way round: May alone has only May's report.
    found = data_rows(read_xlsx(recap(client, start="2026-05-01", end="2026-05-31").content))
    assert [row["Nomor"] for row in found] == [period_reports["later"].reference]


def test_recap_hides_the_giver_of_a_confidential_report(client, upg, inspektur, period_reports):
    secret = period_reports["secret"]
    for user in (upg, inspektur):
        client.force_login(user)
        data = recap(client, start="2026-03-01", end="2026-03-31").content
        row = next(row for row in data_rows(read_xlsx(data)) if row["Nomor"] == secret.reference)
        assert row["Rahasia"] == "ya"
        assert row["Pemberi"] == "—"
        # Nowhere in the file, not only not in its column.
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            for name in book.namelist():
                assert b"Rahasia Pemberi" not in book.read(name), name


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
    rows = read_xlsx(response.content)
    assert data_rows(rows) == []
    assert rows[-1][0] == "Jumlah laporan: 0"
    assert CaseEvent.objects.filter(action="exported").count() == 0
