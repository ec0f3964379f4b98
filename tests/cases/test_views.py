"""The staff UI: inbox, case page, actions, downloads, sign-in hardening."""

import datetime as dt

import pytest
from django.contrib.sessions.models import Session
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.models import CaseEvent, Confidentiality, DeadlineClock, RolePolicy
from tests.casetype.models import Status, Widget
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


def test_the_inbox_lists_only_visible_cases_nearest_due_first(login, make_widget, handler, make_user):
    late, soon, none = make_widget("submitted"), make_widget("submitted"), make_widget("reviewing")
    Widget.objects.filter(pk=none.pk).update(due_date=None)
    DeadlineClock.objects.filter(case_id=late.pk).update(due_date=dt.date(2026, 1, 5))
    Widget.objects.filter(pk=late.pk).update(due_date=dt.date(2026, 1, 5))
    hidden = make_widget("submitted", confidentiality=Confidentiality.RAHASIA)
    draft = make_widget()
    response = login(handler).get(reverse("cases:inbox"))
    page = response.context["page"]
    refs = [case.reference for case in page.object_list]
    assert refs[:2] == [late.reference, soon.reference] and none.reference in refs
    assert hidden.reference not in refs and draft.reference not in refs
    assert "Terlambat" in response.content.decode()


def test_the_inbox_filters_by_kind_status_unit_and_overdue(login, make_widget, handler, other_unit):
    a = make_widget("submitted")
    b = make_widget("reviewing")
    Widget.objects.filter(pk=b.pk).update(unit=other_unit, due_date=dt.date(2020, 1, 1))
    client = login(handler)

    def refs(**query):
        return [c.reference for c in client.get(reverse("cases:inbox"), query).context["page"].object_list]

    assert refs(status="uji:submitted") == [a.reference]
    assert refs(unit=other_unit.pk) == [b.reference]
    assert refs(overdue="on") == [b.reference]
    assert refs(kind="gratifikasi") == []
    assert set(refs(kind="uji")) == {a.reference, b.reference}
    assert client.get(reverse("cases:inbox"), {"unit": "not-a-number"}).status_code == 200


def test_the_inbox_paginates(login, make_widget, handler):
    for _ in range(27):
        make_widget("submitted")
    client = login(handler)
    assert len(client.get(reverse("cases:inbox")).context["page"].object_list) == 25
    assert len(client.get(reverse("cases:inbox"), {"page": 2}).context["page"].object_list) == 2
    assert client.get(reverse("cases:inbox"), {"page": "zzz"}).status_code == 200


def test_the_inbox_needs_a_login(client):
    response = client.get(reverse("cases:inbox"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_the_case_page_shows_timeline_clocks_and_actions(login, make_widget, handler):
    case = make_widget("submitted")
    body = login(handler).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert case.reference in body and "Diajukan" in body
    assert 'value="start_review"' in body and 'value="approve"' not in body
    assert "Review" in body  # the clock


def test_a_forged_or_foreign_reference_is_404(login, widget, outsider, handler):
    client = login(outsider)
    assert client.get(reverse("cases:detail", args=[widget.reference])).status_code == 404
    assert client.get(reverse("cases:detail", args=["UJI-2026-999999"])).status_code == 404
    response = client.post(
        reverse("cases:transition", args=[widget.reference]), {"name": "submit", "expected_status": "draft"}
    )
    assert response.status_code == 404


def test_state_changing_views_refuse_get(login, widget, pegawai):
    client = login(pegawai)
    for name in ("transition", "assign", "comment", "attachment_upload"):
        assert client.get(reverse(f"cases:{name}", args=[widget.reference])).status_code == 405


def test_a_transition_through_the_page(login, make_widget, handler):
    case = make_widget("submitted")
    client = login(handler)
    response = client.post(
        reverse("cases:transition", args=[case.reference]),
        {"name": "start_review", "expected_status": "submitted", "note": "mulai"},
        follow=True,
    )
    assert Widget.objects.get(pk=case.pk).status == Status.REVIEWING
    assert "Ditelaah" in response.content.decode()


def test_a_double_click_gets_already_changed_and_nothing_breaks(login, make_widget, handler):
    case = make_widget("submitted")
    client = login(handler)
    data = {"name": "start_review", "expected_status": "submitted"}
    client.post(reverse("cases:transition", args=[case.reference]), data)
    response = client.post(reverse("cases:transition", args=[case.reference]), data, follow=True)
    assert "baru saja diubah" in response.content.decode()
    assert CaseEvent.objects.filter(case_id=case.pk, action="transition", to_status="reviewing").count() == 1


def test_the_wrong_role_gets_403_with_a_message(login, make_widget, pegawai):
    case = make_widget("submitted")
    response = login(pegawai).post(
        reverse("cases:transition", args=[case.reference]), {"name": "start_review", "expected_status": "submitted"}
    )
    assert response.status_code == 403
    assert "tidak berwenang" in response.content.decode()
    assert Widget.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_a_malformed_transition_form_changes_nothing(login, widget, pegawai):
    response = login(pegawai).post(reverse("cases:transition", args=[widget.reference]), {}, follow=True)
    assert "tidak lengkap" in response.content.decode()
    assert Widget.objects.get(pk=widget.pk).status == Status.DRAFT


def test_upload_and_download_are_permission_checked(login, widget, pegawai, outsider):
    client = login(pegawai)
    pdf = SimpleUploadedFile("bukti.pdf", b"%PDF-1.4\n%%EOF\n" + b"x" * 100)
    client.post(reverse("cases:attachment_upload", args=[widget.reference]), {"file": pdf})
    attachment = widget.attachments.get()
    url = reverse("cases:attachment", args=[attachment.uuid])
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment;")
    assert CaseEvent.objects.filter(case_id=widget.pk, action="attachment_downloaded").count() == 1
    assert login(outsider).get(url).status_code == 404


def test_a_fake_upload_gets_a_message_and_saves_nothing(login, widget, pegawai):
    fake = SimpleUploadedFile("foto.jpg", b"#!/bin/sh\necho hi\n")
    response = login(pegawai).post(
        reverse("cases:attachment_upload", args=[widget.reference]), {"file": fake}, follow=True
    )
    assert "tidak dapat diterima" in response.content.decode()
    assert not widget.attachments.exists()


def test_viewing_a_confidential_case_is_an_audit_event(login, make_widget, inspektur):
    case = make_widget("submitted", confidentiality=Confidentiality.RAHASIA)
    login(inspektur).get(reverse("cases:detail", args=[case.reference]))
    assert CaseEvent.objects.filter(case_id=case.pk, action="viewed", actor=inspektur).count() == 1


def test_the_interface_speaks_english_on_request(login, widget, pegawai):
    client = login(pegawai)
    client.post(reverse("set_language"), {"language": "en", "next": "/kasus/"})
    assert "Case inbox" in client.get(reverse("cases:inbox")).content.decode()


def test_login_locks_out_after_repeated_failures(client, handler, settings):
    url = reverse("login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(url, {"username": "handler", "password": "wrong"})
    response = client.post(url, {"username": "handler", "password": PASSWORD})
    assert response.status_code == 429
    assert "terkunci" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_login_works_with_the_right_password(client, handler):
    response = client.post(reverse("login"), {"username": "handler", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("cases:inbox")


def test_a_role_that_requires_2fa_is_sent_to_set_it_up(client, handler):
    RolePolicy.objects.filter(group__name="petugas_pengaduan").update(require_two_factor=True)
    client.post(reverse("login"), {"username": "handler", "password": PASSWORD})
    response = client.get(reverse("cases:inbox"))
    assert response.status_code == 302 and response["Location"] == reverse("otp_setup")
    client.get(reverse("otp_setup"))
    device = TOTPDevice.objects.get(user=handler)
    response = client.post(reverse("otp_setup"), {"token": "000000"})
    assert "Kode salah" in response.content.decode()
    # django-otp throttles after a failure (1 s, doubling); skip the wait rather than sleep in a test.
    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_count=0, throttling_failure_timestamp=None)
    client.post(reverse("otp_setup"), {"token": f"{totp(device.bin_key):06d}"})
    assert client.get(reverse("cases:inbox")).status_code == 200


def test_a_user_with_a_device_must_verify_it_at_every_login(client, handler):
    TOTPDevice.objects.create(user=handler, name="hp", confirmed=True)
    client.post(reverse("login"), {"username": "handler", "password": PASSWORD})
    response = client.get(reverse("cases:inbox"))
    assert response["Location"].startswith(reverse("otp_verify"))
    device = TOTPDevice.objects.get(user=handler)
    client.post(reverse("otp_verify"), {"token": f"{totp(device.bin_key):06d}", "next": "/kasus/"})
    assert client.get(reverse("cases:inbox")).status_code == 200


def test_sessions_expire_after_thirty_idle_minutes(client, handler):
    client.force_login(handler)
    session = Session.objects.filter(session_key=client.session.session_key)
    # Every request pushes the end 30 minutes on (idle time, not time since sign-in)...
    session.update(expire_date=timezone.now() + dt.timedelta(minutes=2))
    assert client.get(reverse("cases:inbox")).status_code == 200
    left = session.get().expire_date - timezone.now()
    assert dt.timedelta(minutes=29) < left <= dt.timedelta(minutes=30)
    # ...and a session idle past it is signed out.
    session.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get(reverse("cases:inbox"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_indonesian_is_the_default_whatever_the_browser_asks(client, widget, pegawai):
    client.force_login(pegawai)
    body = client.get(reverse("cases:inbox"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Kotak kasus" in body


def test_a_wrong_password_gets_a_plain_message(client, handler):
    response = client.post(reverse("login"), {"username": "handler", "password": "salah"})
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()
