"""The idle session: what was typed survives its end, the sign-in page says why, the warning banner."""

import datetime as dt
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cases.models import CaseEvent
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TEXT = "Pemberi menelepon lagi pada 3 Desember; catatan ini panjang dan tidak boleh hilang."


def expire(client) -> None:
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - dt.timedelta(seconds=1)
    )


def restored(response) -> dict | None:
    match = re.search(r'<script id="sigap-restore" type="application/json">(.*?)</script>', response.content.decode())
    return json.loads(match.group(1)) if match else None


def post_after_timeout(client, user, case):
    client.force_login(user)
    page = reverse("cases:detail", args=[case.reference])
    assert client.get(page).status_code == 200
    expire(client)
    return client.post(
        reverse("cases:comment", args=[case.reference]),
        {"text": TEXT, "csrfmiddlewaretoken": "x" * 32, "password": "rahasia-sekali"},
        HTTP_REFERER=f"http://testserver{page}",
    )


def test_a_form_posted_after_the_timeout_comes_back_with_the_text_after_signing_in(client, make_widget, handler):
    case = make_widget("submitted")
    response = post_after_timeout(client, handler, case)
    assert response.status_code == 302
    location = urlsplit(response["Location"])
    assert location.path == reverse("login")
    query = parse_qs(location.query)
    assert query["sesi"] == ["habis"]
    back = query["next"][0]
    assert back.startswith(reverse("cases:detail", args=[case.reference]) + "?pulihkan=")
    assert not CaseEvent.objects.filter(case_id=case.pk, action="comment").exists()

    login_page = client.get(response["Location"]).content.decode()
    assert "Sesi Anda berakhir karena tidak aktif 30 menit" in login_page
    signed_in = client.post(response["Location"], {"username": "handler", "password": PASSWORD, "next": back})
    assert signed_in.status_code == 302 and signed_in["Location"] == back

    page = client.get(back)
    saved = restored(page)
    assert saved["action"] == reverse("cases:comment", args=[case.reference])
    assert saved["fields"]["text"] == [TEXT]
    # Never kept: the CSRF token and anything that looks like a secret.
    assert "csrfmiddlewaretoken" not in saved["fields"] and "password" not in saved["fields"]
    body = page.content.decode()
    assert "Isian Anda dikembalikan" in body and TEXT in body
    assert "rahasia-sekali" not in body
    # A reload keeps it (until it expires).
    assert restored(client.get(back))["fields"]["text"] == [TEXT]


def test_only_the_same_user_gets_the_text_back(client, make_widget, handler, handler2):
    case = make_widget("submitted")
    back = parse_qs(urlsplit(post_after_timeout(client, handler, case)["Location"]).query)["next"][0]
    other = Client()
    other.post(reverse("login"), {"username": "handler2", "password": PASSWORD})
    page = other.get(back)
    assert page.status_code == 200 and restored(page) is None and TEXT not in page.content.decode()


def test_a_forged_post_is_not_kept(make_widget, handler):
    """The kept form must be one our own page made: a post that fails the CSRF check keeps nothing."""
    client = Client(enforce_csrf_checks=True)
    case = make_widget("submitted")
    response = post_after_timeout(client, handler, case)
    assert "pulihkan" not in response.get("Location", "")


def test_the_login_page_says_why_it_appeared(client, handler, widget):
    assert "Silakan masuk." in client.get(reverse("login")).content.decode()
    client.force_login(handler)
    expire(client)
    response = client.get(reverse("cases:inbox"))
    assert response.status_code == 302 and "sesi=habis" in response["Location"]
    assert "tidak aktif 30 menit" in client.get(response["Location"]).content.decode()
    fresh = Client().get(reverse("cases:inbox"))
    assert "sesi=habis" not in fresh["Location"]


def test_signed_in_pages_carry_the_warning_and_the_keep_alive_answers(client, handler, settings):
    client.force_login(handler)
    body = client.get(reverse("cases:inbox")).content.decode()
    assert f'data-idle-seconds="{settings.SESSION_COOKIE_AGE}"' in body
    assert 'id="sigap-session-warning"' in body and "Tetap masuk" in body and "sigap/session.js" in body
    before = Session.objects.get(session_key=client.session.session_key).expire_date
    response = client.get(reverse("session_keepalive"))
    assert response.status_code == 204 and response["Cache-Control"] == "no-store"
    assert Session.objects.get(session_key=client.session.session_key).expire_date >= before
    expire(client)
    assert client.get(reverse("session_keepalive")).status_code == 401
