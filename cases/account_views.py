"""Staff sign-in extras: TOTP set-up and verification (django-otp). Passwords go through Django's LoginView,
guarded by django-axes."""

import base64
import ipaddress

import segno
from axes import helpers as axes_helpers
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.crypto import salted_hmac
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.forms import LoginForm, TokenForm
from cases.middleware import client_address, has_device


def login_client_pseudonym(request) -> str | None:
    """The client of a sign-in attempt as django-axes records it (AXES_CLIENT_IP_CALLABLE): a keyed hash of
    the address written as an IPv6 address, so axes can lock "this username from this client" while its
    attempts table keeps no real address. Rotating SECRET_KEY only forgets current lock-outs."""
    address = client_address(request)
    if not address:
        return None
    digest = salted_hmac("sigap.login-client", address, algorithm="sha256").digest()
    return str(ipaddress.IPv6Address(digest[:16]))


def locked_out(request, original_response=None, credentials=None):
    """django-axes' lock-out answer (AXES_LOCKOUT_CALLABLE) that says how long to wait. Every attempt while
    locked counts as a failure again, so the lock ends a full cool-off after the last try: say that."""
    minutes = max(1, round(axes_helpers.get_cool_off(request).total_seconds() / 60))
    return render(request, "registration/locked_out.html", {"lockout_minutes": minutes}, status=429)


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return reverse("cases:inbox")


@login_required
def otp_setup(request):
    """Show a QR code for a new, unconfirmed TOTP device; confirm it with the first code it produces."""
    if request.user.is_verified():
        messages.info(request, _("Verifikasi dua langkah sudah aktif."))
        return redirect("cases:inbox")
    if has_device(request.user):
        return redirect("otp_verify")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": "authenticator"}
    )
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["token"].strip()):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            messages.success(request, _("Verifikasi dua langkah aktif."))
            return redirect(_next_url(request))
        form.add_error("token", _("Kode salah atau kedaluwarsa. Periksa jam ponsel Anda lalu coba lagi."))
    qr = segno.make(device.config_url, error="m").svg_inline(scale=4)
    return render(request, "registration/otp_setup.html", {"form": form, "qr": qr, "key_groups": _key_groups(device)})


def _key_groups(device: TOTPDevice) -> list[str]:
    """The secret as authenticator apps ask for it when typed in (RFC 4648 base32, as in the QR code's
    otpauth URL, without padding), in groups of four so it can be read out and checked."""
    key = base64.b32encode(device.bin_key).decode().rstrip("=")
    return [key[i : i + 4] for i in range(0, len(key), 4)]


@login_required
def otp_verify(request):
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        token = form.cleaned_data["token"].strip()
        for device in TOTPDevice.objects.filter(user=request.user, confirmed=True):
            if device.verify_is_allowed()[0] and device.verify_token(token):
                otp_login(request, device)
                return redirect(_next_url(request))
        form.add_error("token", _("Kode salah atau kedaluwarsa."))
    return render(request, "registration/otp_verify.html", {"form": form, "next": _next_url(request)})


class LoginView(auth_views.LoginView):
    """Django's sign-in, saying why it appeared: the idle session ended (SessionTimeoutMiddleware adds
    `sesi=habis`), or simply a page that needs a signed-in user."""

    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["session_ended"] = self.request.GET.get("sesi") == "habis"
        context["idle_minutes"] = settings.SESSION_COOKIE_AGE // 60
        context["restoring"] = "pulihkan=" in context.get("next", "")
        return context


def session_keepalive(request):
    """The "tetap masuk" button of the session warning (sigap/session.js): any signed-in request renews the
    idle session (SESSION_SAVE_EVERY_REQUEST); this one does nothing else. 401 once it has ended."""
    response = HttpResponse(status=204 if request.user.is_authenticated else 401)
    response["Cache-Control"] = "no-store"
    return response
