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


# Request headers that name or fingerprint a client. Proxies add the forwarded ones.
_CLIENT_HEADERS = (
    "REMOTE_ADDR",
    "HTTP_USER_AGENT",
    "HTTP_X_FORWARDED_FOR",
    "HTTP_X_REAL_IP",
    "HTTP_FORWARDED",
    "HTTP_CF_CONNECTING_IP",
    "HTTP_TRUE_CLIENT_IP",
    "HTTP_REFERER",
)


class PublicIntakePrivacyMiddleware:
    """On the public intake pages (settings.SIGAP_PUBLIC_PREFIXES), forget who the client is before anything
    else runs: the address becomes a short-lived pseudonym for throttling (`request.client_tag`), and the
    address, user agent and referrer are removed from the request, so no view, log line or error report can
    record them. The session cookie is ignored there too: a logged-in employee who files a whistleblowing
    report is an anonymous visitor to it, and their session row is not touched.

    Must be the first middleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(tuple(settings.SIGAP_PUBLIC_PREFIXES)):
            from cases import intake

            address = request.META.get("REMOTE_ADDR", "")
            if settings.SIGAP_BEHIND_PROXY:
                # The proxy appends the client it saw last; only that entry is not the client's own claim.
                forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
                address = forwarded.rsplit(",", 1)[-1].strip() or address
            request.client_tag = intake.client_tag(address)
            for header in _CLIENT_HEADERS:
                request.META.pop(header, None)
            request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
            request.META.pop("HTTP_COOKIE", None)
        return self.get_response(request)
