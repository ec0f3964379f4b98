"""Request middleware: two-factor enforcement per role, security headers, Indonesian as the default language,
and the privacy of the public intake pages."""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers

from cases import policy
from cases.models import RolePolicy

_OPEN_PREFIXES = ("/static/", "/i18n/")
# The account pages reachable before the second factor: signing in and out, setting up and verifying 2FA.
# Not the password change: whoever holds only the password must not be able to replace it.
_OPEN_URL_NAMES = ("login", "logout", "otp_setup", "otp_verify")
# Demo accounts (cases/management/commands/seed_demo.py) have addresses in this domain.
DEMO_EMAIL_DOMAIN = "demo.sigap.local"


def admin_capable(user) -> bool:
    """Accounts that reach Pengaturan (the Django admin), from where users, roles and the 2FA policy of every
    role are changed. A superuser made with `createsuperuser` belongs to no group, so this cannot rest on
    the role policies alone."""
    return user.is_superuser or user.is_staff or user.groups.filter(name=policy.ADMIN).exists()


def demo_password_only(user) -> bool:
    """The demo's explicit, printed opt-out (SIGAP_DEMO_PASSWORD_ONLY, refused in production): its own demo
    accounts only, never an account someone made on the same installation."""
    return settings.SIGAP_DEMO_PASSWORD_ONLY and user.email.endswith("@" + DEMO_EMAIL_DOMAIN)


def two_factor_required(user) -> bool:
    if demo_password_only(user):
        return False
    # Admin-capable accounts always: the strictest policy, whatever the (admin-editable) role policies say.
    if admin_capable(user):
        return True
    return RolePolicy.objects.filter(group__user=user, require_two_factor=True).exists()


def has_device(user) -> bool:
    from django_otp import devices_for_user

    return any(True for _device in devices_for_user(user, confirmed=True))


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not user.is_verified() and not self._open(request.path):
            # Someone who set up a device always verifies it; someone whose role requires 2FA sets one up.
            if has_device(user):
                return redirect(f"{reverse('otp_verify')}?next={request.get_full_path()}")
            if two_factor_required(user):
                return redirect("otp_setup")
        return self.get_response(request)

    @staticmethod
    def _open(path: str) -> bool:
        return path.startswith(_OPEN_PREFIXES) or path in {reverse(name) for name in _OPEN_URL_NAMES}


def _is_public(path: str) -> bool:
    return path.startswith(tuple(settings.SIGAP_PUBLIC_PREFIXES))


# Strict: only our own files, no inline script or style, no plugins, no framing, forms post only to us.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
# No page of SIGAP needs a device sensor or payment: a reporter's location or camera is never asked for.
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "encrypted-media",
        "fullscreen",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "picture-in-picture",
        "publickey-credentials-get",
        "screen-wake-lock",
        "usb",
        "xr-spatial-tracking",
        "browsing-topics",
    )
)


class SecurityHeadersMiddleware:
    """Content-Security-Policy and Permissions-Policy on every response; `Cache-Control: no-store` on every
    page of a signed-in user and every public intake page (a decrypted WBS report, a 2FA secret or a
    reporter's tracking page must not stay in a shared computer's browser cache or a proxy); no Referer to
    any other site from the public intake pages, so a link a reporter follows does not tell where they came
    from.

    Sits after SecurityMiddleware, whose Referrer-Policy only fills in a header not already set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        public = _is_public(request.path)
        user = getattr(request, "user", None)
        private = public or (user is not None and user.is_authenticated) or request.path.startswith("/akun/")
        if private and "no-store" not in response.get("Cache-Control", ""):
            add_never_cache_headers(response)
        if public:
            # same-origin, not no-referrer: under no-referrer browsers send `Origin: null` with every form
            # post, and Django's CSRF check refuses it — the report form would stop working. same-origin sends
            # no Referer to any other site, and our own server drops it on arrival (PublicIntakePrivacy).
            # Set here, not left to SECURE_REFERRER_POLICY, so loosening that setting never reaches intake.
            response.headers["Referrer-Policy"] = "same-origin"
        return response


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
        if _is_public(request.path):
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
