"""A file sent with a UPG step (the cover letter to KPK, the KPK decree, the deposit slip) is kept with the
step in its one transaction: a refused step keeps no file, and a refused file refuses the step."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases import workdays
from cases.models import Attachment, CaseEvent
from gratifikasi.models import GratifikasiReport, Status

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + b"surat pengantar " * 20
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200


def forward(client, report, upload, **extra):
    data = {
        "kpk_forwarded_on": workdays.today().isoformat(),
        "kpk_channel": "gol_institusi",
        "kpk_reference": "GOL-123",
        "expected_status": report.status,
        "attachment": upload,
        **extra,
    }
    return client.post(reverse("cases:transition_form", args=[report.reference, "forward_to_kpk"]), data, follow=True)


def test_the_cover_letter_is_saved_with_the_forwarding(client, make_report, upg):
    report = make_report(["submit", "start_verification", "start_analysis"])
    client.force_login(upg)
    forward(client, report, SimpleUploadedFile("pengantar.pdf", PDF))
    assert GratifikasiReport.objects.get(pk=report.pk).status == Status.FORWARDED_TO_KPK
    assert Attachment.objects.filter(case_id=report.pk).count() == 1
    actions = list(CaseEvent.objects.filter(case_id=report.pk).values_list("action", flat=True))
    assert actions[-2:] == ["transition", "attachment_added"]


def test_a_forwarding_that_the_service_refuses_keeps_no_cover_letter(client, make_report, upg):
    report = make_report(["submit", "start_verification", "start_analysis"])
    client.force_login(upg)
    # Someone else moved the case meanwhile: the form was valid, the service refuses, and the file goes too.
    forward(client, report, SimpleUploadedFile("pengantar.pdf", PDF), expected_status=Status.VERIFYING)
    assert GratifikasiReport.objects.get(pk=report.pk).status == Status.ANALYSING
    assert not Attachment.objects.filter(case_id=report.pk).exists()


def test_a_cover_letter_that_fails_the_check_refuses_the_forwarding(client, make_report, upg):
    report = make_report(["submit", "start_verification", "start_analysis"])
    client.force_login(upg)
    events = CaseEvent.objects.filter(case_id=report.pk).count()
    response = forward(client, report, SimpleUploadedFile("pengantar.pdf", EXE))
    assert "tidak dapat diterima" in response.content.decode()
    assert GratifikasiReport.objects.get(pk=report.pk).status == Status.ANALYSING
    assert not Attachment.objects.filter(case_id=report.pk).exists()
    assert CaseEvent.objects.filter(case_id=report.pk).count() == events
