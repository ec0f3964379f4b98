"""The complaint officers record complaints from every other channel (issue 10): the clocks count from when a
complaint actually arrived, a LAPOR! disposition needs its ticket (once), the PIN is shown once, and only
complaint officers may record. The case page shows the complainant's identity by mode and role."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import intake, policy, workdays
from cases.models import CaseEvent
from cases.services import CaseError
from pengaduan import services as pengaduan_services
from pengaduan.models import RECORDED_CHANNELS, Complaint
from tests.pengaduan import staff_fixtures
from tests.pengaduan.staff_fixtures import CONTACT, NAME

# The officers' fixtures (tests/pengaduan/staff_fixtures.py), bound here where pytest collects them.
_staff_setup = staff_fixtures._staff_setup
service = staff_fixtures.service
coordinator = staff_fixtures.coordinator
make_complaint = staff_fixtures.make_complaint

pytestmark = pytest.mark.django_db

URL = "/kelola/pengaduan/catat/"


def received_day() -> dt.date:
    """A working day before today: the complaint arrived then and is typed in now."""
    day = workdays.today() - dt.timedelta(days=4)
    while not workdays.is_working_day(day):
        day -= dt.timedelta(days=1)
    return day


def form_data(**overrides) -> dict:
    return {
        "channel": "surat",
        "received_date": received_day().isoformat(),
        "received_time": "09:30",
        "lapor_tracking_id": "",
        "channel_reference": "B-12/KEC/2026",
        "service": "",
        "service_date": "",
        "location": "Kantor Kecamatan",
        "category": "02",
        "description": "Antrean loket tidak tertib dan petugas meminta uang",
        "expectation": "Antrean diperbaiki",
        "identity_mode": "identified",
        "complainant_name": NAME,
        "complainant_contact": CONTACT,
        "complainant_email": "",
        **overrides,
    }


@pytest.mark.parametrize("channel", [value for value, _label in RECORDED_CHANNELS])
def test_it_records_each_channel_with_the_clocks_from_the_day_received(client, handler, service, channel):
    client.force_login(handler)
    lapor = "LAPOR-2026-0042" if channel == "lapor" else ""
    response = client.post(URL, form_data(channel=channel, lapor_tracking_id=lapor, service=service.pk))
    assert response.status_code == 302, response.content.decode()[:2000]
    complaint = Complaint.objects.get()
    assert complaint.channel == channel
    assert complaint.lapor_tracking_id == lapor
    assert timezone.localtime(complaint.received_at).replace(tzinfo=None) == dt.datetime.combine(
        received_day(), dt.time(9, 30)
    )
    verification = complaint.clocks.get(code="verification")
    assert verification.start_date == received_day()
    created = complaint.events.get(action="created")
    assert created.actor == handler


def test_a_lapor_disposition_without_its_ticket_is_refused_and_keeps_what_was_typed(client, handler):
    client.force_login(handler)
    response = client.post(URL, form_data(channel="lapor", lapor_tracking_id=""))
    assert response.status_code == 200
    page = response.content.decode()
    assert "memerlukan nomor tiket LAPOR!" in page
    assert "Antrean loket tidak tertib dan petugas meminta uang" in page
    assert not Complaint.objects.exists()


def test_the_service_refuses_a_lapor_disposition_without_its_ticket(handler):
    with pytest.raises(CaseError):
        pengaduan_services.complaint_record(
            fields={"category": "02", "description": "x"},
            identity_mode="anonymous",
            identity=None,
            files=[],
            channel="lapor",
            received_at=timezone.now(),
            actor=handler,
        )
    assert not Complaint.objects.exists()


def test_a_lapor_ticket_already_recorded_is_refused_naming_the_complaint(client, handler, make_complaint):
    existing = make_complaint(channel="lapor", lapor_tracking_id="LAPOR-77")
    client.force_login(handler)
    response = client.post(URL, form_data(channel="lapor", lapor_tracking_id=" lapor-77 "))
    assert response.status_code == 200
    assert f"sudah tercatat pada pengaduan {existing.reference}" in response.content.decode()
    assert Complaint.objects.count() == 1


def test_a_received_time_in_the_future_is_refused(client, handler):
    client.force_login(handler)
    tomorrow = workdays.today() + dt.timedelta(days=1)
    response = client.post(URL, form_data(received_date=tomorrow.isoformat()))
    assert response.status_code == 200
    assert "tidak boleh di masa depan" in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_named_mode_needs_the_name_and_anonymous_keeps_none(client, handler):
    client.force_login(handler)
    response = client.post(URL, form_data(identity_mode="confidential", complainant_name=""))
    assert "Isi nama pengadu, atau pilih anonim." in response.content.decode()
    response = client.post(URL, form_data(identity_mode="anonymous"))
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert complaint.complainant_name == "" and complaint.complainant_contact == ""


@pytest.mark.parametrize("persona", ["pegawai", "inspektur", "upg", "outsider"])
def test_only_complaint_officers_may_record(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data()).status_code == 403
    assert not Complaint.objects.exists()


def test_the_service_refuses_someone_who_is_not_a_complaint_officer(pegawai):
    with pytest.raises(pengaduan_services.NotAllowed):
        pengaduan_services.complaint_record(
            fields={"category": "02", "description": "x"},
            identity_mode="anonymous",
            identity=None,
            files=[],
            channel="surat",
            received_at=timezone.now(),
            actor=pegawai,
        )


def test_the_number_and_pin_are_shown_once_to_the_officer_who_recorded(client, handler, handler2):
    client.force_login(handler)
    response = client.post(URL, form_data())
    location = response["Location"]
    complaint = Complaint.objects.get()
    page = client.get(location).content.decode()
    assert complaint.reference in page
    assert f'id="number"><strong>{complaint.reference}</strong>' in page
    pin = re.search(r'id="pin"><strong>([^<]+)</strong>', page).group(1)
    assert re.fullmatch(r"\d{4}-\d{4}", pin) and pin not in location
    # The number and PIN the officer passes on open the complaint on the public tracking page.
    digits = pin.replace("-", "")
    assert intake.credential_for("pengaduan").find(f"{complaint.reference}\n{digits}").pk == complaint.pk
    assert digits not in complaint.tracking.pin_hash
    # Not stored in clear anywhere on the complaint, nor in its log.
    assert not CaseEvent.objects.filter(data__icontains=digits).exists()
    again = client.get(location).content.decode()
    assert pin not in again and "PIN sudah ditampilkan" in again


def test_another_officer_cannot_take_the_pin(client, handler, handler2):
    client.force_login(handler)
    location = client.post(URL, form_data())["Location"]
    client.force_login(handler2)
    page = client.get(location).content.decode()
    assert 'id="pin"' not in page


# --- the identity on the case page ---------------------------------------------------------------------


def _page(client, user, complaint) -> str:
    client.force_login(user)
    response = client.get(reverse("cases:detail", args=[complaint.reference]))
    assert response.status_code == 200
    return response.content.decode()


def _identity_reads(complaint) -> int:
    return complaint.events.filter(action="identity_viewed").count()


def test_an_identified_complainant_is_shown_to_the_office(client, make_complaint, handler, coordinator, inspektur):
    complaint = make_complaint(mode="identified")
    for user in (handler, coordinator, inspektur):
        page = _page(client, user, complaint)
        assert NAME in page and CONTACT in page
    assert _identity_reads(complaint) == 0


def test_a_confidential_identity_is_shown_only_to_the_coordinator_and_each_read_is_audited(
    client, make_complaint, handler, coordinator, inspektur
):
    complaint = make_complaint(mode="confidential")
    for user in (handler, inspektur):
        page = _page(client, user, complaint)
        assert NAME not in page and CONTACT not in page
        assert "Identitas dirahasiakan (hanya koordinator pengaduan)" in page
    assert _identity_reads(complaint) == 0
    page = _page(client, coordinator, complaint)
    assert NAME in page and CONTACT in page
    _page(client, coordinator, complaint)
    reads = complaint.events.filter(action="identity_viewed")
    assert reads.count() == 2 and {event.actor for event in reads} == {coordinator}


def test_an_anonymous_complainant_is_anonymous_to_everyone(client, make_complaint, coordinator, handler):
    complaint = make_complaint(mode="anonymous")
    for user in (handler, coordinator):
        page = _page(client, user, complaint)
        assert NAME not in page and "Anonim" in page


def test_a_handler_of_another_group_sees_an_identified_name_only_when_assigned(
    client, make_complaint, upg, coordinator
):
    identified = make_complaint(mode="identified")
    confidential = make_complaint(mode="confidential")
    client.force_login(upg)
    assert client.get(reverse("cases:detail", args=[identified.reference])).status_code == 404
    policy.grant_handling(upg, identified)
    policy.grant_handling(upg, confidential)
    assert NAME in _page(client, upg, identified)
    assert NAME not in _page(client, upg, confidential)
    assert not pengaduan_services.identity_visible_to(upg, confidential)


def test_a_coordinator_of_another_kind_is_not_the_complaint_coordinator(make_complaint, make_user, inspektur):
    from django.contrib.auth.models import Permission

    upg_coordinator = make_user("upg_koordinator", policy.PETUGAS_UPG)
    upg_coordinator.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    complaint = make_complaint(mode="confidential")
    policy.grant_handling(upg_coordinator, complaint)
    assert not pengaduan_services.identity_visible_to(upg_coordinator, complaint)
    assert not pengaduan_services.identity_visible_to(inspektur, complaint)


def test_the_block_shows_the_late_flag_and_the_channel(client, make_complaint, handler):
    complaint = make_complaint(service_date=dt.date(2026, 1, 5), channel_reference="B-9/2026")
    assert complaint.late_filing
    page = _page(client, handler, complaint)
    assert "lebih dari 30 hari setelah layanan (Perpres 76/2013)" in page
    assert "B-9/2026" in page and "Pembuatan KTP-el" in page


def test_the_letter_scan_is_kept_with_the_complaint(client, handler):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(handler)
    letter = SimpleUploadedFile("surat.txt", b"Surat pengaduan warga RT 03.\n", content_type="text/plain")
    response = client.post(URL, {**form_data(), "files": [letter]})
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert [attachment.name for attachment in complaint.attachments.all()] == ["surat.txt"]


def test_a_refused_file_keeps_what_was_typed(client, handler):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(handler)
    program = SimpleUploadedFile("surat.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 64)
    response = client.post(URL, {**form_data(), "files": [program]})
    assert response.status_code == 200
    assert "Antrean loket tidak tertib dan petugas meminta uang" in response.content.decode()
    assert not Complaint.objects.exists()


def test_the_database_holds_one_complaint_per_lapor_ticket(handler, monkeypatch):
    """Two officers recording the same disposition at once: the form's check passes for both, the constraint
    refuses the second, which gets the same message."""
    filing = {
        "fields": {"category": "02", "description": "Disposisi LAPOR!", "lapor_tracking_id": "LAPOR-5"},
        "identity_mode": "anonymous",
        "identity": None,
        "files": [],
        "channel": "lapor",
        "received_at": timezone.now(),
        "actor": handler,
    }
    pengaduan_services.complaint_record(**filing)
    real, calls = pengaduan_services.complaint_with_lapor_id, []

    def not_yet_recorded_at_first(ticket):
        calls.append(ticket)
        return None if len(calls) == 1 else real(ticket)

    monkeypatch.setattr(pengaduan_services, "complaint_with_lapor_id", not_yet_recorded_at_first)
    with pytest.raises(CaseError):
        pengaduan_services.complaint_record(
            **{**filing, "fields": {**filing["fields"], "lapor_tracking_id": "lapor-5"}}
        )
    assert len(calls) == 2  # the check passed, the constraint refused
    assert Complaint.objects.count() == 1


# --- what an outside trial found (issue 10) ------------------------------------------------------------------


def test_a_complaint_disposed_to_another_unit_belongs_to_that_unit(make_complaint, handler2, other_unit, unit):
    """The inbox's unit filter, the recap and the figures read Case.unit: it follows the disposition."""
    from cases import services

    complaint = make_complaint("verifying")
    assert complaint.unit == unit
    services.transition(complaint, "dispose", handler2, disposed_unit=other_unit, handler=handler2)
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.unit == other_unit and complaint.disposed_unit == other_unit


def test_a_disputed_complaint_has_a_running_clock_again(make_complaint, handler2):
    """Back in progress after a dispute: the second answer is due within 5 HK, and the inbox shows it."""
    from cases import services

    complaint = make_complaint("answered")
    assert complaint.due_date is None  # every office clock met: nothing due while the complainant decides
    pengaduan_services.complaint_dispute(complaint=complaint, text="Uang belum dikembalikan.")
    complaint = Complaint.objects.get(pk=complaint.pk)
    clock = complaint.clocks.get(code="dispute_answer")
    assert clock.met_on is None and clock.due_date == workdays.add_working_days(clock.start_date, 5)
    assert complaint.due_date == clock.due_date
    services.transition(complaint, "send_answer", handler2, answer="Uang sudah ditransfer.", answer_signatory="Kabag")
    clock.refresh_from_db()
    assert clock.met_on == workdays.today()


def test_the_recording_form_speaks_of_the_complainant_not_as_them(client, handler):
    client.force_login(handler)
    body = client.get(reverse("pengaduan:record")).content.decode()
    assert "nama dan kontak pengadu" in body and "nama dan kontak saya" not in body


def test_the_case_page_calls_the_complainant_pengadu(client, make_complaint, handler2):
    complaint = make_complaint("verifying")
    client.force_login(handler2)
    body = client.get(reverse("cases:detail", args=[complaint.reference])).content.decode()
    assert "Catatan untuk pengadu" in body and "Pesan kepada pengadu" in body
    assert "Catatan untuk pelapor" not in body and "Pesan kepada pelapor" not in body


def test_a_forwarding_date_before_arrival_comes_back_on_the_form(client, make_complaint, handler2):
    from cases import services

    complaint = make_complaint("verifying")
    complaint = services.transition(complaint, "declare_out_of_scope", handler2, note="Kewenangan BPN.")
    client.force_login(handler2)
    url = reverse("cases:transition_form", args=[complaint.reference, "forward_elsewhere"])
    early = (complaint.received_on - dt.timedelta(days=3)).isoformat()
    response = client.post(
        url,
        {
            "forwarded_agency": "Kantor Pertanahan",
            "forwarded_letter": "B-123/SEKR/XII/2026",
            "forwarded_on": early,
            "reason": "Bukan kewenangan kami.",
            "confirmed": "on",
            "expected_status": complaint.status,
        },
    )
    body = response.content.decode()
    assert response.status_code == 200 and "tidak boleh sebelum pengaduan diterima" in body
    assert "B-123/SEKR/XII/2026" in body and "Kantor Pertanahan" in body
    assert Complaint.objects.get(pk=complaint.pk).status == "out_of_scope"
    # The step's own page calls the complainant pengadu too.
    assert "Catatan untuk pengadu" in body and "pelapor" not in body.lower()
