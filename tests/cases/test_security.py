"""Security hardening found by probing a running server (issue 8): admins always verify a second factor, the
password cannot be changed on the password alone, nothing signed-in is cached, and the headers are strict."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases import policy, registry
from cases.middleware import DEMO_EMAIL_DOMAIN
from cases.models import RolePolicy
from tests.cases.test_settings import PRODUCTION, run_manage
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def restore_language():
    """A request in English leaves English active in this thread (the locale middleware does not reset it)."""
    with translation.override("id"):
        yield


def sign_in(client, username, password=PASSWORD):
    response = client.post(reverse("login"), {"username": username, "password": password})
    assert response.status_code == 302, "the password was refused"


# --- 1. Admin-capable accounts are under the strictest 2FA policy ----------------------------------------


def test_a_superuser_from_createsuperuser_must_set_up_2fa_before_the_admin(client):
    get_user_model().objects.create_superuser("root", "root@example.test", PASSWORD)  # no group at all
    sign_in(client, "root")
    for path in ("/admin/", "/admin/auth/user/", reverse("cases:inbox")):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == reverse("otp_setup"), path


@pytest.mark.parametrize("kind", ["is_staff", "admin_group"])
def test_every_admin_capable_account_needs_2fa_even_when_the_role_policy_is_off(client, make_user, kind):
    # An admin could switch the policy off for every role in Pengaturan; it must not free the admins too.
    RolePolicy.objects.update(require_two_factor=False)
    if kind == "is_staff":
        make_user("staf", is_staff=True)
    else:
        make_user("staf", policy.ADMIN)
    sign_in(client, "staf")
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == reverse("otp_setup")


def test_a_plain_role_without_the_policy_still_signs_in_with_a_password(client, make_user):
    RolePolicy.objects.update(require_two_factor=False)
    make_user("biasa", policy.PEGAWAI)
    sign_in(client, "biasa")
    assert client.get(reverse("cases:inbox")).status_code == 200


def test_the_demo_opt_out_covers_only_demo_accounts_and_only_when_switched_on(client, settings):
    User = get_user_model()
    User.objects.create_superuser("admin", f"admin@{DEMO_EMAIL_DOMAIN}", PASSWORD)
    User.objects.create_superuser("root", "root@example.test", PASSWORD)
    sign_in(client, "admin")
    assert client.get("/admin/").status_code == 302  # off by default
    settings.SIGAP_DEMO_PASSWORD_ONLY = True
    assert client.get("/admin/").status_code == 200
    client.logout()
    sign_in(client, "root")  # made on the same installation, not a demo account
    assert client.get("/admin/")["Location"] == reverse("otp_setup")


def test_production_refuses_the_demo_opt_out():
    result = run_manage("check", SIGAP_DEMO_PASSWORD_ONLY="true", **PRODUCTION)
    assert result.returncode != 0 and "SIGAP_DEMO_PASSWORD_ONLY" in result.stderr


# --- 2. The password cannot be changed before the second factor ------------------------------------------


def test_the_password_cannot_be_changed_before_the_second_factor(client, handler):
    device = TOTPDevice.objects.create(user=handler, name="hp", confirmed=True)
    sign_in(client, "handler")
    new = "sandi-baru-yang-kuat-42"
    data = {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    for response in (client.get(reverse("password_change")), client.post(reverse("password_change"), data)):
        assert response.status_code == 302 and response["Location"].startswith(reverse("otp_verify"))
    handler.refresh_from_db()
    assert handler.check_password(PASSWORD)
    # Once verified, the same form works.
    client.post(reverse("otp_verify"), {"token": f"{totp(device.bin_key):06d}", "next": "/kasus/"})
    assert client.post(reverse("password_change"), data).status_code == 302
    handler.refresh_from_db()
    assert handler.check_password(new)


# --- 3. Nothing signed-in or on the public intake is stored by a browser or proxy -----------------------


def assert_no_store(response):
    assert "no-store" in response.get("Cache-Control", ""), response.get("Cache-Control")


def test_staff_pages_are_not_stored(client, handler, make_widget):
    widget = make_widget("submitted")
    RolePolicy.objects.update(require_two_factor=False)
    client.force_login(handler)
    for path in (reverse("cases:inbox"), f"/kasus/{widget.reference}/", reverse("cases:notifications")):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_no_store(response)


def test_the_2fa_page_showing_the_secret_is_not_stored(client, handler):
    client.force_login(handler)
    response = client.get(reverse("otp_setup"))
    assert response.status_code == 200 and "otpauth" not in response.get("Cache-Control", "")
    assert_no_store(response)


def test_the_admin_is_not_stored(client, admin_user, login_verified):
    login_verified(admin_user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert_no_store(response)


def test_the_anonymous_home_page_may_be_cached(client):
    assert "no-store" not in client.get("/").get("Cache-Control", "")


# --- 4. Headers ----------------------------------------------------------------------------------------


def test_every_page_has_a_strict_content_security_policy_and_no_device_features(client):
    for path in ("/", reverse("login"), "/wbs/lapor/"):
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"] == "'self'" and directives["style-src"] == "'self'"
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
        assert directives["object-src"] == "'none'" and directives["frame-ancestors"] == "'none'"
        permissions = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in permissions


INLINE = [
    (re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I), "inline <script>"),
    (re.compile(r"<style\b", re.I), "<style> element"),
    (re.compile(r"\sstyle\s*=", re.I), "style attribute"),
    (re.compile(r"\son[a-z]+\s*=", re.I), "event handler attribute"),
    (re.compile(r"javascript:", re.I), "javascript: URL"),
]
# Rendered to PDF by WeasyPrint on the server, never sent to a browser.
NOT_SERVED = {
    "gratifikasi/templates/gratifikasi/report_pdf.html",
    "pengaduan/templates/pengaduan/answer_letter_pdf.html",
    "benturan/templates/benturan/declaration_letter_pdf.html",
}


def test_no_template_has_inline_script_style_or_event_handler():
    found = []
    for path in sorted(ROOT.glob("**/templates/**/*.html")):
        relative = path.relative_to(ROOT).as_posix()
        if relative.startswith((".venv/", "var/")) or relative in NOT_SERVED:
            continue
        text = path.read_text()
        found += [f"{relative}: {what}" for pattern, what in INLINE if pattern.search(text)]
    assert not found, found


def test_the_qr_code_of_the_2fa_page_needs_no_inline_style(client, handler):
    client.force_login(handler)
    page = client.get(reverse("otp_setup")).content.decode()
    assert "<svg" in page
    assert not re.search(r"\sstyle\s*=|<style", page)


def test_public_intake_pages_send_no_referer_to_other_sites_whatever_the_global_setting(client, settings):
    # Not no-referrer: with it browsers post forms with `Origin: null`, which Django's CSRF check refuses.
    settings.SECURE_REFERRER_POLICY = "unsafe-url"
    response = client.get("/wbs/lapor/")
    assert response["Referrer-Policy"] == "same-origin"
    assert '<meta name="referrer"' not in response.content.decode()  # a meta tag would override the header


@pytest.mark.usefixtures("restore_language")
def test_the_language_switch_of_a_public_page_stays_under_the_privacy_prefix():
    client = Client(enforce_csrf_checks=True)
    page = client.get("/wbs/lapor/").content.decode()
    form = re.search(r'<form method="post" action="([^"]+)" class="inline lang">(.*?)</form>', page, re.S)
    action, token = form.group(1), re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.group(2)).group(1)
    assert action.startswith(registry.public_prefixes()) and "/i18n/" not in page
    data = {"language": "en", "next": "/wbs/lapor/", "csrfmiddlewaretoken": token}
    response = client.post(action, data, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 302 and response["Location"] == "/wbs/lapor/"
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en" and cookie["samesite"] == "Lax" and cookie["httponly"]
    assert '<html lang="en">' in client.get("/wbs/lapor/").content.decode()


def test_staff_pages_keep_the_usual_language_switch(client):
    page = client.get(reverse("login")).content.decode()
    assert f'action="{reverse("set_language")}"' in page


def test_the_language_cookie_is_secure_in_production():
    code = (
        "from django.conf import settings as s; "
        "print(s.LANGUAGE_COOKIE_SECURE, s.LANGUAGE_COOKIE_SAMESITE, s.LANGUAGE_COOKIE_HTTPONLY)"
    )
    result = run_manage("shell", "-c", code, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["True", "Lax", "True"]
