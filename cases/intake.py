"""Public intake and tracking, shared by the kinds that take reports from people without an account (DESIGN
§1.1): the receipt, its look-up, throttling without addresses, the reporter's access cookie, and the rounded
times that keep a reporter's actions from being pinned to the minute.

- A receipt is 16 random digits (10^16 values), shown once. Only its Argon2id hash with a per-installation
  salt is stored; look-up hashes what was typed and finds the row by that hash, so a known and an unknown
  receipt cost the same single hash and get the same answer.
- Throttling counts by a *client tag*: an HMAC of the client address under a salt that lives only in the
  cache and changes every hour. The address itself is dropped by PublicIntakePrivacyMiddleware before any
  view or log sees it; the counters expire by themselves.
- After a successful look-up the reporter carries a signed, short-lived cookie naming the case, scoped to
  the tracking pages. No session row, nothing server-side ties a browser to a case.
"""

import datetime as dt
import hashlib
import hmac
import math
import os
import re
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Protocol

from argon2.low_level import Type, hash_secret_raw
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from cases import registry
from cases.models import Case, InstallationSecret, TrackingCredential

RECEIPT_DIGITS = 16
# Argon2id at OWASP's minimum for interactive use (19 MiB, 2 passes): ~30 ms a look-up here, 10^16 receipts.
RECEIPT_TIME_COST = 2
RECEIPT_MEMORY_KIB = 19 * 1024

ACCESS_COOKIE = "sigap_pantau"
ACCESS_SALT = "sigap.intake.access"


# ---------------------------------------------------------------------------------------------------------
# Receipts


def new_receipt() -> str:
    return f"{secrets.randbelow(10**RECEIPT_DIGITS):0{RECEIPT_DIGITS}d}"


def format_receipt(receipt: str) -> str:
    """`1234 5678 9012 3456`: easier to copy down by hand."""
    return " ".join(receipt[i : i + 4] for i in range(0, len(receipt), 4))


def normalise_receipt(text: str) -> str | None:
    """The 16 digits of what was typed (spaces and dashes allowed), or None if it cannot be a receipt."""
    digits = "".join(ch for ch in text if ch not in " -\t")
    if len(digits) != RECEIPT_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def _installation_salt() -> bytes:
    secret = InstallationSecret.objects.filter(name="receipt_salt").values_list("value", flat=True).first()
    if secret is None:
        try:
            with transaction.atomic():
                InstallationSecret.objects.create(name="receipt_salt", value=os.urandom(16))
        except IntegrityError:
            pass  # made by a concurrent first request
        secret = InstallationSecret.objects.values_list("value", flat=True).get(name="receipt_salt")
    return bytes(secret)


def receipt_hash(receipt: str) -> str:
    return hash_secret_raw(
        receipt.encode(), _installation_salt(), RECEIPT_TIME_COST, RECEIPT_MEMORY_KIB, 1, 32, Type.ID
    ).hex()


def issue_receipt(case: Case) -> str:
    """Give the case a receipt and return it; the caller shows it once and forgets it."""
    receipt = new_receipt()
    TrackingCredential.objects.create(case=case, receipt_hash=receipt_hash(receipt))
    return receipt


def find_case(receipt: str) -> Case | None:
    """The case this receipt opens, or None. Always exactly one hash and one indexed query."""
    digits = normalise_receipt(receipt)
    # A malformed receipt is hashed too (as zeros), so it costs what any other does.
    hashed = receipt_hash(digits or "0" * RECEIPT_DIGITS)
    found = TrackingCredential.objects.filter(receipt_hash=hashed).select_related("case").first()
    return found.case if found is not None and digits is not None else None


# ---------------------------------------------------------------------------------------------------------
# Credentials: what a reporter follows a report with, one per kind (registry.PublicIntake.credential)


class Credential(Protocol):
    """A tracking credential. The public pages (cases.intake_views) issue it at submission, show it once,
    and open the case with what the reporter types; nothing in them knows its format.

    WBS uses a receipt (ReceiptCredential); pengaduan its tracking number and a PIN (NumberPinCredential)."""

    def issue(self, case: Case) -> str:
        """Give the case a credential and return it in clear, to be shown once and never stored."""

    def typed(self, data) -> str:
        """What the reporter typed into the tracking form (its POST data), as one string for `find`."""

    def display(self, value: str) -> str:
        """How the credential is shown to be copied down."""

    def find(self, text: str) -> Case | None:
        """The case opened by what was typed, or None; the same cost and answer for unknown and malformed."""

    def empty_message(self) -> str:
        """Asks for the credential when the box was left empty."""

    def not_found_message(self) -> str:
        """The one answer for an unknown, wrong or malformed credential."""

    def kept(self, data) -> dict:
        """What of the tracking form may be shown again after a refusal (initial values): nothing secret."""


class ReceiptCredential:
    """A 16-digit receipt, stored only as its Argon2id hash (see the module's docstring)."""

    def issue(self, case: Case) -> str:
        return issue_receipt(case)

    def typed(self, data) -> str:
        return data.get("receipt", "")

    def display(self, value: str) -> str:
        return format_receipt(value)

    def find(self, text: str) -> Case | None:
        return find_case(text)

    def empty_message(self) -> str:
        return _("Masukkan kode tanda terima 16 angka yang Anda terima saat melapor.")

    def not_found_message(self) -> str:
        return _(
            "Kode tanda terima tidak dikenali. Periksa 16 angkanya dan coba lagi. Demi keamanan, percobaan yang "
            "salah berulang kali akan diperlambat."
        )

    def kept(self, data) -> dict:
        return {}  # the receipt is the secret itself


# ---------------------------------------------------------------------------------------------------------
# Tracking number + PIN (pengaduan)
#
# The tracking number is the case's public reference (ADU-2026-000123), which the complainant may quote on the
# phone and the office may print; it is no secret. The PIN is: 8 random digits (10^8), shown once as
# 1234-5678, stored only as Argon2id with a random salt of its own. 10^8 is far less than a receipt's 10^16, so
# besides the per-client throttle of the tracking page a number that has had PIN_LOCK_AFTER wrong PINs within
# the hour answers only the refusal for a while (NumberLock): a guesser spread over many addresses gets
# PIN_LOCK_AFTER tries an hour at one number, not millions.

PIN_DIGITS = 8
# "ADU-2026-000123", "adu 2026 123", "ADU2026000123": letters, a four-digit year, up to six digits.
_NUMBER = re.compile(r"([A-Z]{2,10})[\s\-]*(\d{4})[\s\-]*(\d{1,6})")
# Hashed instead of a real PIN when the number is unknown or malformed, so every look-up costs one hash.
_DUMMY_SALT = b"sigap-no-such-pin"
_DUMMY_HASH = bytes(32)


def normalise_number(text: str) -> str | None:
    """`ADU-2026-000123` from what was typed (any case, spaces or dashes, the zeros left out), or None."""
    match = _NUMBER.fullmatch(text.strip().upper())
    if match is None or not text.isascii():
        return None
    prefix, year, number = match.groups()
    return f"{prefix}-{year}-{int(number):06d}"


def normalise_pin(text: str) -> str | None:
    """The 8 digits of a typed PIN (spaces and dashes allowed), or None."""
    digits = "".join(ch for ch in text if ch not in " -\t")
    if len(digits) != PIN_DIGITS or not digits.isascii() or not digits.isdigit():
        return None
    return digits


def format_pin(pin: str) -> str:
    return f"{pin[:4]}-{pin[4:]}"


def pin_digest(pin: str, salt: bytes) -> bytes:
    """The one slow hash of a PIN look-up (Argon2id at the receipts' cost)."""
    return hash_secret_raw(pin.encode(), salt, RECEIPT_TIME_COST, RECEIPT_MEMORY_KIB, 1, 32, Type.ID)


def _stored_pin(stored: str) -> tuple[bytes, bytes] | None:
    try:
        salt, digest = stored.split("$")
        return bytes.fromhex(salt), bytes.fromhex(digest)
    except ValueError:
        return None


class NumberLock:
    """Wrong PINs counted per typed tracking number, whether or not the number exists: after
    SIGAP_PIN_LOCK_AFTER within an hour the number answers only the refusal for SIGAP_PIN_LOCK_MINUTES. The
    cache key is an HMAC of the normalised number, so neither the keys nor a lock reveal which numbers exist
    (an unknown number is counted and locked like a real one)."""

    def __init__(self, number: str):
        tag = salted_hmac("sigap.intake.number-lock", number).hexdigest()[:32]
        self.key = f"sigap:intake:pin:{tag}"
        self.block = f"{self.key}:block"

    def locked(self) -> bool:
        return cache.get(self.block) is not None

    def fail(self) -> None:
        cache.add(self.key, 0, timeout=3600)
        try:
            count = cache.incr(self.key)
        except ValueError:  # expired between add and incr
            cache.set(self.key, 1, timeout=3600)
            count = 1
        if count >= settings.SIGAP_PIN_LOCK_AFTER:
            cache.add(self.block, 1, timeout=settings.SIGAP_PIN_LOCK_MINUTES * 60)


class TrackingPin(str):
    """The credential as shown on the receipt page: `str()` is the whole ("ADU-2026-000123 · PIN 1234-5678"),
    and a template may show the parts apart as `{{ receipt.number }}` and `{{ receipt.pin }}`."""

    number: str
    pin: str

    def __new__(cls, number: str, pin: str):
        shown = super().__new__(cls, f"{number} · PIN {pin}")
        shown.number, shown.pin = number, pin
        return shown


class NumberPinCredential:
    """The case's tracking number (its public reference) and an 8-digit PIN (see above).

    In clear (what `issue` returns and `find` takes) it is "<number>\n<PIN>"; `typed` builds the same from the
    tracking form's `number` and `pin` fields."""

    SEPARATOR = "\n"

    def issue(self, case: Case) -> str:
        pin = f"{secrets.randbelow(10**PIN_DIGITS):0{PIN_DIGITS}d}"
        salt = os.urandom(16)
        TrackingCredential.objects.create(case=case, pin_hash=f"{salt.hex()}${pin_digest(pin, salt).hex()}")
        return f"{case.reference}{self.SEPARATOR}{pin}"

    def typed(self, data) -> str:
        number, pin = data.get("number", "").strip(), data.get("pin", "").strip()
        # Both or nothing: a half-filled form is asked to be completed and not counted as a wrong attempt.
        return f"{number}{self.SEPARATOR}{pin}" if number and pin else ""

    def display(self, value: str) -> TrackingPin:
        number, _sep, pin = value.partition(self.SEPARATOR)
        return TrackingPin(number, format_pin(pin))

    def find(self, text: str) -> Case | None:
        """Exactly one Argon2 hash whatever was typed: against the stored PIN hash when the number names a
        case with a PIN, else against a dummy. Unknown number, wrong PIN, malformed input and a locked number
        all give None."""
        number_text, _sep, pin_text = text.partition(self.SEPARATOR)
        number, pin = normalise_number(number_text), normalise_pin(pin_text)
        stored = None
        if number is not None:
            stored = (
                TrackingCredential.objects.filter(case__reference=number, case__kind__in=self._kinds(number))
                .exclude(pin_hash="")
                .select_related("case")
                .first()
            )
        salt, expected = (_stored_pin(stored.pin_hash) if stored is not None else None) or (_DUMMY_SALT, _DUMMY_HASH)
        matches = hmac.compare_digest(pin_digest(pin or "0" * PIN_DIGITS, salt), expected)
        if number is None:
            return None
        lock = NumberLock(number)
        if lock.locked():
            return None
        if stored is None or pin is None or not matches:
            lock.fail()
            return None
        return stored.case

    @staticmethod
    def _kinds(number: str) -> list[str]:
        """The kinds that follow reports with this credential and number their cases with this prefix."""
        prefix = number.split("-", 1)[0]
        return [
            kind.code
            for kind in registry.all_kinds()
            if kind.prefix == prefix
            and kind.public_intake is not None
            and kind.public_intake.credential == "number_pin"
        ]

    def empty_message(self) -> str:
        return _("Masukkan nomor pengaduan dan PIN 8 angka yang Anda terima saat mengadu.")

    def not_found_message(self) -> str:
        return _(
            "Nomor pengaduan atau PIN tidak cocok. Periksa keduanya dan coba lagi. Demi keamanan, percobaan yang "
            "salah berulang kali akan diperlambat."
        )

    def kept(self, data) -> dict:
        """The number is not the secret: a wrong PIN keeps it in the box, so only the PIN is typed again."""
        return {"number": (data.get("number") or "")[:40]}


CREDENTIALS: dict[str, Credential] = {"receipt": ReceiptCredential(), "number_pin": NumberPinCredential()}


def credential_for(kind: str) -> Credential:
    """The credential the kind's public intake declares (registry.PublicIntake.credential)."""
    public = registry.get(kind).public_intake
    if public is None:
        raise LookupError(f"Case kind {kind!r} has no public intake")
    return CREDENTIALS[public.credential]


# ---------------------------------------------------------------------------------------------------------
# Throttling without addresses


def salt_hour() -> int:
    """The hour whose salt client_tag uses. Its own function so that tests can hold it still: a count kept
    under one hour's pseudonym starts again at zero when the hour turns, as it should in service."""
    return int(time.time() // 3600)


def client_tag(address: str) -> str:
    """A short-lived pseudonym of a client address: HMAC under an hourly salt kept in the cache only."""
    window = salt_hour()
    key = f"sigap:intake:salt:{window}"
    salt = cache.get(key)
    if salt is None:
        cache.add(key, secrets.token_hex(16), timeout=2 * 3600)
        salt = cache.get(key) or ""
    return hmac.new(salt.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    message: str = ""


def _rate_message(window_seconds: int) -> str:
    return _("Terlalu banyak kiriman dari perangkat ini. Teks Anda tetap ada; coba lagi dalam %(n)d menit.") % {
        "n": math.ceil(window_seconds / 60)
    }


def rate_exceeded(scope: str, tag: str, *, limit: int, window_seconds: int = 3600) -> Verdict | None:
    """The refusal if this client has already used up `limit`, without counting an attempt: a look before
    any costly work (reading uploaded files). rate_limit still counts, atomically, when the work starts."""
    count = cache.get(f"sigap:intake:rate:{scope}:{tag}") or 0
    return Verdict(False, _rate_message(window_seconds)) if count >= limit else None


def rate_limit(scope: str, tag: str, *, limit: int, window_seconds: int) -> Verdict:
    """Count one attempt; refuse beyond `limit` within the window."""
    key = f"sigap:intake:rate:{scope}:{tag}"
    cache.add(key, 0, timeout=window_seconds)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window_seconds)
        count = 1
    if count > limit:
        return Verdict(False, _rate_message(window_seconds))
    return Verdict(True)


def _wait_text(seconds: float) -> str:
    """How long to wait, in the unit a person would use: "coba lagi dalam 40 detik", "… 12 menit"."""
    if seconds <= 90:
        return _("coba lagi dalam %(n)d detik") % {"n": max(1, math.ceil(seconds))}
    return _("coba lagi dalam %(n)d menit") % {"n": math.ceil(seconds / 60)}


class ReceiptThrottle:
    """Wrong receipts are slowed, then blocked for a while (per client tag).

    The first `free` attempts go straight to the look-up. After that each attempt must come at least twice as
    long after the previous one (2, 4, 8 … s); after `block_after` failures the client is blocked for
    `block_seconds`. The verdict comes before any look-up, so a slowed or blocked answer says nothing about
    whether a receipt exists.

    Counting is atomic, on Redis and on the local-memory cache alike (issue 8: 20 concurrent wrong receipts
    got 15 look-ups where 3 are free). An attempt is counted *before* its look-up with `add` + `incr` (a
    success then clears the count), and beyond the free attempts it must also win `add` on a gate key that
    lives as long as the wait: of any number of simultaneous attempts, one gets through a gate.
    """

    def __init__(self, scope: str, tag: str):
        self.key = f"sigap:intake:receipt:{scope}:{tag}"
        self.gate = f"{self.key}:gate"
        self.block = f"{self.key}:block"

    @property
    def free(self) -> int:
        return settings.SIGAP_RECEIPT_FREE_ATTEMPTS

    @property
    def block_after(self) -> int:
        return settings.SIGAP_RECEIPT_BLOCK_AFTER

    @property
    def block_seconds(self) -> int:
        return settings.SIGAP_RECEIPT_BLOCK_MINUTES * 60

    def attempt(self) -> Verdict:
        """Count one attempt and say whether its look-up may happen now."""
        blocked_until = cache.get(self.block)
        if blocked_until is not None:
            return self._blocked(blocked_until)
        cache.add(self.key, 0, timeout=self.block_seconds)
        try:
            count = cache.incr(self.key)
        except ValueError:  # expired between add and incr
            cache.add(self.key, 1, timeout=self.block_seconds)
            count = 1
        if count > self.block_after:
            until = time.time() + self.block_seconds
            cache.add(self.block, until, timeout=self.block_seconds)
            return self._blocked(cache.get(self.block, until))
        if count < self.free:
            return Verdict(True)
        # The last free attempt and every later one pass a gate that stays closed for the next wait.
        wait = 2 ** (count - self.free + 1)
        if cache.add(self.gate, time.time() + wait, timeout=wait):
            return Verdict(True)
        self._uncount()  # refused before any look-up: not a failure
        opens = cache.get(self.gate) or time.time() + 1
        return Verdict(
            False,
            _("Terlalu banyak percobaan. Tunggu sebentar, %(wait)s.") % {"wait": _wait_text(opens - time.time())},
        )

    def _blocked(self, until: float) -> Verdict:
        return Verdict(
            False,
            _("Terlalu banyak kode yang salah. Demi keamanan, %(wait)s.") % {"wait": _wait_text(until - time.time())},
        )

    def _uncount(self) -> None:
        try:
            cache.decr(self.key)
        except ValueError:
            pass

    def succeed(self) -> None:
        cache.delete_many([self.key, self.gate])


# ---------------------------------------------------------------------------------------------------------
# One-time form tokens


class SubmissionBusy(Exception):
    """SubmissionToken.claim: another request has held the token for longer than the wait; it is probably
    still storing, so this one must neither store again nor pretend the first has finished."""


class SubmissionToken:
    """One filing per public form. A double click sends the form twice and the browser shows only the second
    answer; Back and "Kirim" again on the page the browser kept sends it once more. The form therefore carries
    a random hidden token, and the request that files under it holds the token in the cache:

    - ``sent()``: the result of an earlier filing with this token, a cheap look before any work;
    - ``claim()``: hold the token (None: go ahead), or, when another request holds it, wait for that one and
      return its result, so the answer to the click the browser shows is the first filing's page; after
      ``WAIT_SECONDS`` still held: SubmissionBusy;
    - ``release()`` when the filing failed (the form comes back with a fresh token; the token may be used
      again);
    - ``finish(result)`` once filed: the token now answers with ``result`` (a non-empty string the caller
      turns into its page, e.g. the receipt's one-time key) for ``keep_seconds``.

    Used by cases.intake_views.IntakeViews.report (every case kind's public form) and the survey form
    (survei.intake.submit). The token is random and names nobody; the key holds nothing about the sender.
    """

    WAIT_SECONDS = 10
    POLL_SECONDS = 0.2
    _HELD = ""  # the value while a request holds the token: not a result

    def __init__(self, scope: str, nonce: str, *, hold_seconds: int):
        """``scope`` keeps the tokens of different forms apart (a case kind's code, "survei"). ``hold_seconds``
        bounds how long a request that died mid-filing keeps the token from being used again."""
        self.nonce = nonce
        self.key = f"sigap:{scope}:submission:{nonce}"
        self.hold_seconds = hold_seconds

    def sent(self) -> str | None:
        """The result of a finished filing with this token, or None (never filed, failed, or still filing)."""
        if not self.nonce:
            return None
        return cache.get(self.key) or None

    def claim(self) -> str | None:
        """None when this request now holds the token and files; else the earlier filing's result, waiting
        up to WAIT_SECONDS for a request still filing. Raises SubmissionBusy after that."""
        for _attempt in range(round(self.WAIT_SECONDS / self.POLL_SECONDS)):
            if cache.add(self.key, self._HELD, timeout=self.hold_seconds):
                return None  # nobody holds the token (or the first attempt failed and released it)
            result = cache.get(self.key)
            if result:
                return result
            time.sleep(self.POLL_SECONDS)
        raise SubmissionBusy

    def release(self) -> None:
        """The filing did not happen: the token is free again."""
        cache.delete(self.key)

    def finish(self, result: str, *, keep_seconds: int) -> None:
        """The filing is done: for ``keep_seconds`` the token answers with ``result`` instead of filing."""
        if not result:
            raise ValueError("a submission result must be a non-empty string")
        cache.set(self.key, result, timeout=keep_seconds)


# ---------------------------------------------------------------------------------------------------------
# The reporter's access cookie


def grant_access(response, case: Case, path: str) -> None:
    response.set_signed_cookie(
        ACCESS_COOKIE,
        str(case.uuid),
        salt=ACCESS_SALT,
        max_age=settings.SIGAP_TRACKING_MINUTES * 60,
        path=path,
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Strict",
    )


def revoke_access(response, path: str) -> None:
    response.delete_cookie(ACCESS_COOKIE, path=path, samesite="Strict")


def case_from_access(request, kind: str) -> Case | None:
    try:
        value = request.get_signed_cookie(ACCESS_COOKIE, salt=ACCESS_SALT, max_age=settings.SIGAP_TRACKING_MINUTES * 60)
        case_uuid = uuid.UUID(value)
    except (KeyError, signing.BadSignature, ValueError):
        return None
    return Case.objects.filter(uuid=case_uuid, kind=kind, tracking__isnull=False).first()


# ---------------------------------------------------------------------------------------------------------
# Rounded times


def rounded_now() -> dt.datetime:
    """The start of today in Asia/Jakarta: what is stored instead of the moment a reporter acted."""
    today = timezone.localdate()
    return timezone.make_aware(dt.datetime.combine(today, dt.time.min))


def announce_at() -> dt.datetime:
    """When the office hears of a reporter's action: the next full hour, plus up to 15 random minutes."""
    now = timezone.now()
    next_hour = now.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1)
    return next_hour + dt.timedelta(seconds=secrets.randbelow(15 * 60))
