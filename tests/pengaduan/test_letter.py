"""The answer letter as a PDF generated from the case (issue 10): letterhead, number, date, addressee, summary,
answer and signatory, read back with poppler's pdftotext; the addressee as the reader may print it; only once
answered; one `exported` audit event per download."""

import shutil
import subprocess

import pytest
from django.urls import reverse

from pengaduan import exports
from tests.pengaduan import staff_fixtures
from tests.pengaduan.staff_fixtures import DESCRIPTION, NAME

# The officers' fixtures (tests/pengaduan/staff_fixtures.py), bound here where pytest collects them.
_staff_setup = staff_fixtures._staff_setup
service = staff_fixtures.service
coordinator = staff_fixtures.coordinator
make_complaint = staff_fixtures.make_complaint

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed"),
]


def pdf_text(data: bytes) -> str:
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return " ".join(result.stdout.decode("utf-8").split())


def url(complaint) -> str:
    return reverse("pengaduan:answer_letter", args=[complaint.reference])


def test_the_letter_carries_the_number_date_summary_answer_and_signatory(make_complaint, handler2):
    complaint = make_complaint("answered")
    text = pdf_text(exports.answer_letter_pdf(complaint, addressee=NAME))
    for expected in (
        "Kantor",  # the organisation above the unit
        "Sekretariat",
        f"Nomor : {complaint.reference}",
        complaint.answered_on.strftime("%Y"),
        f"Yth. {NAME}",
        DESCRIPTION,
        "Uang telah dikembalikan dan petugas dibina.",
        "Kepala Sekretariat",
        "Pembuatan KTP-el",
        "Telepon",
    ):
        assert expected in text, expected


def test_a_long_description_is_summarised(make_complaint, handler2):
    complaint = make_complaint("answered", description="Antrean panjang sekali. " * 100 + "AKHIR-CERITA")
    text = pdf_text(exports.answer_letter_pdf(complaint, addressee=NAME))
    assert "Antrean panjang sekali." in text and "AKHIR-CERITA" not in text


@pytest.mark.parametrize(
    ("mode", "reader", "addressed_to_name"),
    [
        ("identified", "handler2", True),
        ("identified", "inspektur", True),
        ("confidential", "coordinator", True),
        ("confidential", "handler2", False),
        ("confidential", "inspektur", False),
        ("anonymous", "coordinator", False),
    ],
)
def test_the_addressee_is_what_the_reader_may_print(client, request, make_complaint, mode, reader, addressed_to_name):
    complaint = make_complaint("answered", mode=mode)
    client.force_login(request.getfixturevalue(reader))
    response = client.get(url(complaint))
    assert response.status_code == 200
    text = pdf_text(response.content)
    assert (NAME in text) is addressed_to_name
    if not addressed_to_name:
        assert "Yth. Pengadu" in text
    # The coordinator printing a confidential name read the identity: audited like a view of the case page.
    read = complaint.events.filter(action="identity_viewed").exists()
    assert read is (mode == "confidential" and addressed_to_name)


def test_the_download_is_audited_once_per_download(client, make_complaint, handler2):
    complaint = make_complaint("closed")
    client.force_login(handler2)
    for _ in range(2):
        response = client.get(url(complaint))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "no-store"
        assert response.content.startswith(b"%PDF")
    events = complaint.events.filter(action="exported")
    assert events.count() == 2 and all(event.actor == handler2 for event in events)


def test_the_inspectorate_may_download(client, make_complaint, inspektur):
    complaint = make_complaint("answered")
    client.force_login(inspektur)
    assert client.get(url(complaint)).status_code == 200


def test_there_is_no_letter_before_the_answer(client, make_complaint, handler2):
    complaint = make_complaint("dispositioned")
    client.force_login(handler2)
    response = client.get(url(complaint))
    assert response.status_code == 302
    assert not complaint.events.filter(action="exported").exists()


@pytest.mark.parametrize(("persona", "status"), [("pegawai", 404), ("upg", 404), ("outsider", 404)])
def test_others_may_not_download(client, request, make_complaint, persona, status):
    complaint = make_complaint("answered")
    client.force_login(request.getfixturevalue(persona))
    assert client.get(url(complaint)).status_code == status
    assert not complaint.events.filter(action="exported").exists()


def test_the_case_page_offers_the_letter_once_answered(client, make_complaint, handler2):
    answered, verifying = make_complaint("answered"), make_complaint("verifying")
    client.force_login(handler2)
    assert url(answered) in client.get(reverse("cases:detail", args=[answered.reference])).content.decode()
    assert url(verifying) not in client.get(reverse("cases:detail", args=[verifying.reference])).content.decode()


def test_a_letter_printed_after_closing_no_longer_invites_a_dispute(make_complaint):
    answered = make_complaint("answered")
    assert "sanggahan" in pdf_text(exports.answer_letter_pdf(answered, addressee=NAME))
    closed = make_complaint("closed")
    text = pdf_text(exports.answer_letter_pdf(closed, addressee=NAME))
    assert "sanggahan" not in text and "terima kasih" in text
