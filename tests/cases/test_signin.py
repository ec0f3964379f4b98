"""Staff sign-in: lock-out per username and client, its message, and the 2FA set-up key."""

import base64
import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

CLIENT_A = {"REMOTE_ADDR": "203.0.113.7"}
CLIENT_B = {"REMOTE_ADDR": "198.51.100.20"}


def fail(client, settings, **extra):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": "handler", "password": "salah"}, **extra)


def test_it_locks_the_username_on_the_failing_client_only(client, handler, settings):
    from django.test import Client

    fail(client, settings, **CLIENT_A)
    locked = client.post(reverse("login"), {"username": "handler", "password": PASSWORD}, **CLIENT_A)
    assert locked.status_code == 429 and "_auth_user_id" not in client.session
    # The officer at their own desk still signs in with the right password.
    other = Client()
    response = other.post(reverse("login"), {"username": "handler", "password": PASSWORD}, **CLIENT_B)
    assert response.status_code == 302 and other.session["_auth_user_id"] == str(handler.pk)


def test_the_lock_out_page_says_how_many_minutes_to_wait(client, handler, settings):
    settings.AXES_COOLOFF_TIME = 45 / 60
    fail(client, settings, **CLIENT_A)
    body = client.post(reverse("login"), {"username": "handler", "password": PASSWORD}, **CLIENT_A).content.decode()
    assert "Tunggu 45 menit" in body


def test_the_attempts_table_keeps_no_real_address(client, handler, settings):
    fail(client, settings, **CLIENT_A)
    addresses = set(AccessAttempt.objects.values_list("ip_address", flat=True))
    assert addresses and CLIENT_A["REMOTE_ADDR"] not in addresses


def test_the_2fa_setup_shows_the_key_in_base32_groups_of_four(client, handler):
    client.force_login(handler)
    body = client.get(reverse("otp_setup")).content.decode()
    device = TOTPDevice.objects.get(user=handler)
    expected = base64.b32encode(device.bin_key).decode().rstrip("=")
    shown = re.search(r'<code class="otp-key"[^>]*>(.*?)</code>', body, re.S).group(1)
    groups = re.findall(r"<span>([A-Z2-7]{1,4})</span>", shown)
    assert "".join(groups) == expected and all(len(g) == 4 for g in groups[:-1])
    assert device.key not in body  # the hex form an authenticator app cannot take
