"""Request middleware: two-factor enforcement per role, and Indonesian as the default language."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation

from cases.models import RolePolicy

_OPEN_PREFIXES = ("/akun/", "/static/", "/i18n/")


def two_factor_required(user) -> bool:
    return RolePolicy.objects.filter(group__user=user, require_two_factor=True).exists()


def has_device(user) -> bool:
    from django_otp import devices_for_user

    return any(True for _device in devices_for_user(user, confirmed=True))


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not request.path.startswith(_OPEN_PREFIXES):
            # Someone who set up a device always verifies it; someone whose role requires 2FA sets one up.
            if has_device(user):
                return redirect(f"{reverse('otp_verify')}?next={request.get_full_path()}")
            if two_factor_required(user):
                return redirect("otp_setup")
        return self.get_response(request)


class IndonesianFirstLocaleMiddleware(LocaleMiddleware):
    """Bahasa Indonesia unless the user chose English with the switcher. The browser's Accept-Language is
    ignored: many Indonesian civil servants run browsers in English but work in Indonesian."""

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
