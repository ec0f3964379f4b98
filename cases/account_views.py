"""Staff sign-in extras: TOTP set-up and verification (django-otp). Passwords go through Django's LoginView,
guarded by django-axes."""

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from cases.forms import TokenForm
from cases.middleware import has_device


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/kasus/"


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
    return render(request, "registration/otp_setup.html", {"form": form, "qr": qr, "secret": device.key})


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
