"""Request middleware: two-factor enforcement per role, security headers, the idle-session ending, Indonesian
as the default language, and the privacy of the public intake pages."""

import json
import secrets
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.middleware.csrf import CsrfViewMiddleware
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import redirect, resolve_url
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.crypto import constant_time_compare
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp import devices_for_user

from cases import crypto, intake, policy, registry
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
    return path.startswith(registry.public_prefixes())


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


def client_address(request) -> str:
    """The client's address, for pseudonyms only (never stored or logged as it is). Behind our proxy
    (SIGAP_BEHIND_PROXY) the proxy appends the client it saw last; only that entry is not the client's claim."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.SIGAP_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        address = forwarded.rsplit(",", 1)[-1].strip() or address
    return address


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
    """On the public intake pages (cases.registry.public_prefixes), forget who the client is before anything
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
            request.client_tag = intake.client_tag(client_address(request))
            for header in _CLIENT_HEADERS:
                request.META.pop(header, None)
            request.COOKIES.pop(settings.SESSION_COOKIE_NAME, None)
            request.META.pop("HTTP_COOKIE", None)
        return self.get_response(request)


# A form posted after the idle timeout is kept this long for its author to sign in again (cases.middleware).
RESTORE_SECONDS = 15 * 60
RESTORE_PARAM = "pulihkan"
# Posts to these are never kept: the account pages (signing in again must not be swallowed) and static files.
_SESSION_OPEN_PREFIXES = ("/akun/", "/static/", "/i18n/")
# Never kept, never put back: secrets typed into a form.
_SECRET_FIELDS = ("csrfmiddlewaretoken", "password", "passphrase", "sandi", "token", "otp")
_RESTORE_MAX_BYTES = 256 * 1024


class SessionTimeoutMiddleware:
    """When an idle staff session has ended (SESSION_COOKIE_AGE, SIGAP_SESSION_IDLE_MINUTES):

    - a form posted then is not lost: its fields (no files, no CSRF token, no passwords) are kept encrypted
      in the cache for RESTORE_SECONDS under a random token, bound to the user whose session ended, and the
      user is sent to sign in with that token in `next`. Back on the form's page, signed in as the same user,
      the page carries the fields (`request.sigap_restore`) and sigap/session.js puts them back in the form;
    - the sign-in page says why it appeared (`?sesi=habis`).

    Also gives every signed-in page the idle length (`request.sigap_idle_seconds`) for the warning banner.
    Runs after the authentication middleware. The public intake pages never carry a session cookie here
    (PublicIntakePrivacyMiddleware removes it), so none of this touches them.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.sigap_idle_seconds = settings.SESSION_COOKIE_AGE
        expired = self._session_ended(request)
        if expired and request.method == "POST" and not request.path.startswith(_SESSION_OPEN_PREFIXES):
            response = self._keep_post(request)
            if response is not None:
                return response
        if request.user.is_authenticated and RESTORE_PARAM in request.GET:
            request.sigap_restore = _restore_load(request)
        response = self.get_response(request)
        if expired and response.status_code == 302 and _is_login_url(response["Location"]):
            response["Location"] += ("&" if "?" in response["Location"] else "?") + "sesi=habis"
        return response

    @staticmethod
    def _session_ended(request) -> bool:
        """The browser still sends a session cookie, but its session is gone: expired (or cleared)."""
        if request.user.is_authenticated or not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return False
        request.session.keys()  # loads the session; an expired or unknown one leaves no key behind
        return request.session.session_key is None

    def _keep_post(self, request):
        # The post must be one our own page made (the CSRF check the view would have run), so no other site
        # can plant text in a form a user will later see as their own.
        if CsrfViewMiddleware(self.get_response).process_view(request, None, (), {}) is not None:
            return None
        user_id = _ended_session_user(request.COOKIES[settings.SESSION_COOKIE_NAME])
        if user_id is None:
            return None
        fields = {
            name: request.POST.getlist(name)
            for name in request.POST
            if not any(secret in name.lower() for secret in _SECRET_FIELDS)
        }
        page = _same_site_path(request, request.META.get("HTTP_REFERER", "")) or request.path
        payload = json.dumps({"user": user_id, "action": request.path, "page": page, "fields": fields})
        if len(payload) > _RESTORE_MAX_BYTES:
            return None
        token = secrets.token_urlsafe(24)
        cache.set(f"sigap:restore:{token}", crypto.encrypt_text(payload), RESTORE_SECONDS)
        back = f"{page}{'&' if '?' in page else '?'}{RESTORE_PARAM}={token}"
        return redirect(f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': back, 'sesi': 'habis'})}")


def _is_login_url(location: str) -> bool:
    return urlsplit(location).path == resolve_url(settings.LOGIN_URL)


def _same_site_path(request, url: str) -> str:
    if not url or not url_has_allowed_host_and_scheme(url, {request.get_host()}, require_https=request.is_secure()):
        return ""
    parts = urlsplit(url)
    if parts.path.startswith(registry.public_prefixes()) or parts.path.startswith(_SESSION_OPEN_PREFIXES):
        return ""
    return parts.path + (f"?{parts.query}" if parts.query else "")


def _ended_session_user(session_key: str) -> str | None:
    """Whose session this was: read from its (expired) row, and only while that user's password is the one
    the session was made with — as Django itself checks on every request."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return None  # only database sessions keep an expired row to read the user from
    row = Session.objects.filter(session_key=session_key).values_list("session_data", flat=True).first()
    if row is None:
        return None
    data = DatabaseSessionStore().decode(row)
    user = get_user_model().objects.filter(pk=data.get(SESSION_KEY), is_active=True).first()
    if user is None or not constant_time_compare(data.get(HASH_SESSION_KEY, ""), user.get_session_auth_hash()):
        return None
    return str(user.pk)


def _restore_load(request) -> dict | None:
    """The fields kept for this user and this page, or None. Kept until they expire, so a reload keeps them."""
    token = request.GET.get(RESTORE_PARAM, "")
    blob = cache.get(f"sigap:restore:{token}") if token else None
    if blob is None:
        return None
    try:
        payload = json.loads(crypto.decrypt_text(blob))
    except (crypto.InvalidToken, ValueError):
        return None
    if payload["user"] != str(request.user.pk) or urlsplit(payload["page"]).path != request.path:
        return None
    # Shown as they were typed when scripts are off: the free texts, not codes, dates or hidden values.
    texts = [value for values in payload["fields"].values() for value in values if " " in value.strip()]
    return {"action": payload["action"], "fields": payload["fields"], "texts": texts}
