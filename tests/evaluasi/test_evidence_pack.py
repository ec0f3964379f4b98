"""The LKE evidence pack: a ZIP with the worksheet (XLSX with real types), the PDF report and, per question, the
recaps of the cases behind its figures and the module's evaluation documents."""

import datetime as dt
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from cases import crypto
from cases.models import DeadlineClock, RolePolicy
from evaluasi import evidence, jobs, lke
from evaluasi.models import Document, Evaluation, ExportJob, LkeAnswer
from evaluasi.periods import Period
from pengaduan.models import Complaint, IdentityMode, Service
from pengaduan.services import complaint_file

pytestmark = pytest.mark.django_db

SECRET = "Isi pengaduan rahasia ZQXW"


@pytest.fixture(autouse=True)
def _no_second_factor(db):
    RolePolicy.objects.update(require_two_factor=False)


@pytest.fixture
def data(unit, inspektur):
    """Two complaints of 2025 (one closed, one a formula-looking reference is impossible, so a closed and an
    open one), a WBS evaluation with a document."""
    service = Service.objects.create(code="ktp", name="KTP", unit=unit)
    made = []
    for status in ("closed", "in_progress"):
        complaint, _pin = complaint_file(
            fields={"service": service, "category": "02", "description": SECRET, "location": "Loket"},
            identity_mode=IdentityMode.ANONYMOUS,
            identity=None,
            files=[],
            received_at=timezone.make_aware(dt.datetime(2025, 3, 3, 9)),
        )
        Complaint.objects.filter(pk=complaint.pk).update(status=status)
        DeadlineClock.objects.filter(case_id=complaint.pk).update(met_on=dt.date(2025, 3, 4))
        made.append(complaint)
    period = Period.quarter(2025, 1)
    ev = Evaluation.objects.create(
        module="wbs",
        unit=unit,
        period_start=period.start,
        period_end=period.end,
        held_on=dt.date(2025, 4, 7),
        participants="Tim",
        findings="-",
        created_by=inspektur,
    )
    blob = default_storage.save("evaluasi/test-notulen", ContentFile(crypto.encrypt_bytes(b"%PDF-1.4 notulen")))
    Document.objects.create(
        evaluation=ev,
        name_encrypted=crypto.encrypt_text("notulen/rapat.pdf"),
        content_type="application/pdf",
        size=16,
        sha256="0" * 64,
        blob=blob,
        uploaded_by=inspektur,
    )
    yield made
    default_storage.delete(blob)


@pytest.fixture
def worksheet(unit, inspektur, data):
    worksheet = lke.open_worksheet(unit=unit, period=Period.year(2025), actor=inspektur)[0]
    answer = LkeAnswer.objects.get(worksheet=worksheet, question__code="reform.penanganan_pengaduan")
    lke.answer_question(answer=answer, actor=inspektur, confirm=True)
    spip = LkeAnswer.objects.get(worksheet=worksheet, question__code="spip.a")
    lke.answer_question(answer=spip, actor=inspektur, confirm=False, value=Decimal(1), note='=HYPERLINK("x")')
    return worksheet


def download(client, worksheet) -> zipfile.ZipFile:
    """As an inspector does it: the worksheet's button asks for the pack (a background export), its job page
    offers the file. The job is run here in the test's thread (it starts after the commit in production)."""
    start = client.get(reverse("evaluasi:lke_pack", kwargs={"uuid": worksheet.uuid}))
    assert start.status_code == 302 and "what=lke.pack" in start["Location"]
    # The page that asks names the pack and leads back to its worksheet.
    asking = client.get(start["Location"]).content.decode()
    assert "Paket bukti LKE" in asking and f"/evaluasi/lke/{worksheet.uuid}/" in asking
    asked = client.post(start["Location"])
    assert asked.status_code == 302
    job = ExportJob.objects.get(what="lke.pack", requested_by=worksheet.created_by)
    jobs.run(job.pk)
    response = client.get(reverse("evaluasi:export_download", kwargs={"job": job.uuid}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "paket-bukti-lke-sekr-2025.zip" in response["Content-Disposition"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return zipfile.ZipFile(io.BytesIO(body))


def test_the_pack_opens_with_a_typed_worksheet_and_a_pdf(client, inspektur, worksheet):
    client.force_login(inspektur)
    archive = download(client, worksheet)
    names = archive.namelist()
    assert archive.read("laporan-lke.pdf").startswith(b"%PDF")
    book = openpyxl.load_workbook(io.BytesIO(archive.read("lembar-kerja-lke.xlsx")))
    sheet = book.active
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row[0] == "Kode")
    columns = rows[header]
    by_code = {row[0]: dict(zip(columns, row, strict=False)) for row in rows[header + 1 :] if row[0]}
    reform = by_code["reform.penanganan_pengaduan"]
    assert reform["Bobot"] == 3 and isinstance(reform["Bobot"], int | float)
    assert reform["Nilai jawaban"] == 50  # 1 closed of 2 to handle
    assert reform["Skor"] == pytest.approx(1.5)
    assert isinstance(reform["Tanggal konfirmasi"], dt.datetime)
    assert by_code["spip.a"]["Bobot"] == pytest.approx(0.375)
    # The note that looks like a formula is a string cell, not a formula.
    assert by_code["spip.a"]["Catatan"] == '=HYPERLINK("x")'
    assert sheet.cell(row=header + 2, column=1).data_type == "s"
    # Per question: the recap behind the reform percentage, with real dates and no content.
    folder = next(name.split("/")[0] for name in names if name.endswith("reform-penanganan_pengaduan/rekap.xlsx"))
    recap = openpyxl.load_workbook(io.BytesIO(archive.read(f"{folder}/rekap.xlsx"))).active
    recap_rows = list(recap.iter_rows(values_only=True))
    start = next(i for i, row in enumerate(recap_rows) if row[0] == "Angka")
    cases = [row for row in recap_rows[start + 1 :] if row[0]]
    references = {row[1] for row in cases}
    assert references == {complaint.reference for complaint in worksheet_data_complaints()}
    assert all(isinstance(row[4], dt.datetime) for row in cases)
    for name in names:
        assert SECRET.encode() not in archive.read(name)
    # The WBS evaluation's document, decrypted, in the folders of WBS b and c, its name made safe.
    documents = [name for name in names if "/dokumen/" in name]
    assert any(name.startswith(tuple(n for n in names if "wbs-b" in n)[0].split("/")[0]) for name in documents)
    assert all(name.endswith("notulen_rapat.pdf") for name in documents)
    assert archive.read(documents[0]) == b"%PDF-1.4 notulen"


def worksheet_data_complaints():
    return Complaint.objects.all()


def test_the_job_exporter_is_registered_and_checks_who_asks(inspektur, pegawai, worksheet):
    exporter = jobs.EXPORTERS["lke.pack"]
    assert exporter.allowed(inspektur, {"worksheet": str(worksheet.uuid)})
    assert not exporter.allowed(pegawai, {"worksheet": str(worksheet.uuid)})
    assert not exporter.allowed(inspektur, {"worksheet": "not-a-uuid"})

    class Job:
        params = {"worksheet": str(worksheet.uuid)}
        requested_by = inspektur

    out = io.BytesIO()
    seen = []
    filename, content_type = exporter.write(Job, out, lambda done, total: seen.append((done, total)))
    assert (filename, content_type) == ("paket-bukti-lke-sekr-2025.zip", "application/zip")
    assert seen[-1][0] == seen[-1][1]
    assert zipfile.ZipFile(io.BytesIO(out.getvalue())).testzip() is None
    assert evidence.pack_filename(worksheet) == filename
