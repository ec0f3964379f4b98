"""KPK's form as PDF: every field KPK's reporting form asks (Peraturan KPK 2/2019 Pasal 5), a refusal that
reads as a refusal, headings repeated across pages, and no text lost: read back with poppler's pdftotext."""

import re
import shutil
import subprocess

import pytest

from gratifikasi import exports
from gratifikasi.models import GratifikasiObject, GratifikasiReport

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed"),
]


def pdf_pages(data: bytes) -> list[str]:
    """Each page's text (pdftotext separates pages with a form feed)."""
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return result.stdout.decode("utf-8").split("\f")[:-1]


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def full_profile(pegawai):
    pegawai.first_name, pegawai.last_name, pegawai.email = "Sri", "Lestari", "sri.lestari@instansi.go.id"
    pegawai.save()
    profile = pegawai.profile
    profile.nip = "198001012005011001"
    profile.nik = "3171012345678901"
    profile.rank = "Penata Tk. I, III/d"
    profile.position = "Analis Keuangan"
    profile.institution = "Kementerian Contoh"
    profile.address = "Jl. Merdeka No. 7, Bandung"
    profile.phone = "0812-3456-7890"
    profile.save()
    return profile


def test_the_pdf_carries_every_field_of_kpks_form(full_profile, make_report):
    report = make_report(["submit"])
    text = flat("\n".join(pdf_pages(exports.report_pdf(report))))
    for expected in (
        "Sri Lestari",
        "NIK 3171012345678901",
        "NIP 198001012005011001",
        "Pangkat/golongan Penata Tk. I, III/d",
        "Jabatan Analis Keuangan",
        "Instansi Kementerian Contoh",
        "Alamat Jl. Merdeka No. 7, Bandung",
        "Telepon 0812-3456-7890",
        "Surel sri.lestari@instansi.go.id",
        report.reference,
        # A statement that the report is true, and the place, date and signature block.
        "saya buat dengan sebenar-benarnya",
        "Pelapor,",
        f"{report.submitted_at.astimezone().date():%d-%m-%Y}",
    ):
        assert expected in text, expected
    assert re.search(r"\.{10,}, \d\d-\d\d-\d{4} Pelapor, Sri Lestari NIP 198001012005011001", text)


def test_the_profile_keeps_nik_and_address_encrypted(full_profile):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT nik, address FROM cases_employeeprofile WHERE id = %s", [full_profile.pk])
        nik, address = cursor.fetchone()
    assert "3171012345678901" not in nik and "Merdeka" not in address


def test_a_refusal_reads_as_a_refusal(make_report):
    receipt = make_report(["submit"], kompensasi=True)
    text = flat("\n".join(pdf_pages(exports.report_pdf(receipt))))
    assert "Disimpan pelapor" in text and "kompensasi" in text  # the receipt's form asks both

    refusal = make_report(["submit"], report_type="penolakan", kompensasi=True)
    text = flat("\n".join(pdf_pages(exports.report_pdf(refusal))))
    assert "Formulir Laporan Penolakan Gratifikasi" in text
    assert "Objek gratifikasi yang ditolak" in text
    assert "Tanggal ditolak" in text
    assert "Disimpan pelapor" not in text
    assert "Keberadaan" not in text
    assert "kompensasi" not in text.lower()


def test_long_unbroken_strings_wrap_and_nothing_is_dropped(make_report):
    word = "".join("ABCDEFGHIJ"[i % 10] for i in range(2000))
    words = " ".join(f"kata{i:04d}" for i in range(900))  # a chronology longer than a page
    report = make_report(["submit"], giver_address="X" * 300)
    GratifikasiReport.objects.filter(pk=report.pk).update(summary=f"{word}\n{words}")
    report = GratifikasiReport.objects.get(pk=report.pk)
    GratifikasiObject.objects.create(report=report, kind="barang", description="Y" * 300, value=1)

    pages = pdf_pages(exports.report_pdf(report))

    squeezed = re.sub(r"\s+", "", "".join(pages))
    assert word in squeezed
    assert "X" * 300 in squeezed and "Y" * 300 in squeezed
    text = flat(" ".join(pages))
    missing = [i for i in range(900) if f"kata{i:04d}" not in text]
    assert missing == []


def test_many_objects_all_appear_with_the_headings_on_every_page(make_report):
    report = make_report(["submit"])
    for i in range(1, 91):
        GratifikasiObject.objects.create(report=report, kind="barang", description=f"Bingkisan nomor {i:03d}", value=i)

    pages = pdf_pages(exports.report_pdf(report))

    text = flat(" ".join(pages))
    assert [i for i in range(1, 91) if f"Bingkisan nomor {i:03d}" not in text] == []
    pages_with_objects = [page for page in pages if "Bingkisan nomor" in page]
    assert len(pages_with_objects) >= 2
    for page in pages_with_objects:
        # Every heading on every page; pdftotext's reading order of table columns varies with the layout.
        assert all(heading in flat(page) for heading in ("No.", "Jenis", "Uraian", "Nilai (Rp)", "Keberadaan")), page[
            :300
        ]
    # The total counts every object: 1 + 2 + … + 90, and the first object of the fixture.
    assert "Jumlah (91 objek)" in text
    assert f"{750_000 + 90 * 91 // 2:,}".replace(",", ".") in text
