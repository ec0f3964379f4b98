"""Taking a respondent's answers (DESIGN §7, issue 13 "Respondents"): the one service that stores a response,
and the short device tag that lets an officer see a flood without knowing who sent it.

Nothing here sees who answered. The public pages run behind cases.middleware.PublicIntakePrivacyMiddleware:
the address, user agent and session are gone before the view runs, and what is left is ``request.client_tag``,
an HMAC of the address under a salt that lives one hour in the cache (cases.intake.client_tag). A response
keeps the day it arrived, never the time, and a six-character tag of that pseudonym under a salt of the day.
"""

import datetime as dt
import hashlib
import hmac
import json
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import intake as public_intake
from survei.models import Answer, Response, Survey, SurveyStatus

DEVICE_TAG_LENGTH = 6  # hex characters: 24 bits, Response.device_tag

RATE_SCOPE = "survei-submit"
# How long a used form token keeps answering with the thank-you page (Back, then "Kirim" on the kept page).
SUBMISSION_TTL = 24 * 3600
# How long a token is held by the request that is storing its response (a second request waits for it).
IN_FLIGHT_TTL = 5 * 60
# A used token's result: the survey's thank-you page (cases.intake.SubmissionToken wants a non-empty string).
STORED = "done"


class ResponseRefused(Exception):
    """The response was not stored; ``message`` says why, in words for the respondent."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


# ---------------------------------------------------------------------------------------------------------
# The device tag


def salt_day() -> dt.date:
    """The day whose salt device_tag uses (Asia/Jakarta, the day a response is filed under). Its own function so
    that a test can move to the next day."""
    return timezone.localdate()


def _seconds_left_today() -> int:
    now = timezone.localtime()
    midnight = timezone.make_aware(dt.datetime.combine(now.date() + dt.timedelta(days=1), dt.time.min))
    return max(1, int((midnight - now).total_seconds()))


def device_tag(client_tag: str, survey_id: int) -> str:
    """Six hex characters naming the device for the day: an HMAC of the client pseudonym under a random salt of
    the day, kept in the cache only and expiring a minute after the day ends. Responses of one day with the same
    tag came (probably) from one device; the officer sees a burst and may set it aside. With the salt gone no
    tag can be recomputed, so no response is linked to an address or to another day's responses.

    24 bits, on purpose: enough that two devices of one survey's day rarely share a tag, too few to be a
    durable identifier. The input is the hourly pseudonym (the address itself never reaches a view), so in
    practice the tag groups one device's responses within the same hour of the day; a flood is a burst, which
    is what it is for. The survey is part of the input: one person answering two surveys of the office in the
    same hour gets unrelated tags, so no tag links their answers across surveys."""
    key = f"sigap:survei:device-salt:{salt_day().isoformat()}"
    salt = cache.get(key)
    if salt is None:
        # add, not set: of two first responses of the day at the same moment, both use the salt that won.
        cache.add(key, secrets.token_hex(16), timeout=_seconds_left_today() + 60)
        salt = cache.get(key) or ""
    message = f"{survey_id}|{client_tag}".encode()
    return hmac.new(salt.encode(), message, hashlib.sha256).hexdigest()[:DEVICE_TAG_LENGTH]


# ---------------------------------------------------------------------------------------------------------
# The response


def response_submit(*, survey: Survey, cleaned: dict, client_tag: str) -> Response:
    """Store one response and its answers, or refuse with ResponseRefused and store nothing.

    ``cleaned`` is survei.forms_public.ResponseForm.response_data(): service, served_month, the optional bands,
    comment, pressured and ``answers`` ({item id: value}). The form has checked it; the checks that decide
    whether the data is consistent with the survey are repeated here, under the lock, because the survey may
    have been closed (or its services changed) between the page and the press of "Kirim".

    The survey row is locked for the transaction: an officer closing the survey at the same moment either sees
    this response counted or the respondent is told the survey has closed; never a response in a closed survey.
    """
    tag = device_tag(client_tag, survey.pk)  # its salt is in the cache: read before the row lock is taken
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.status != SurveyStatus.OPEN:
            raise ResponseRefused(_("Survei ini sudah tidak menerima jawaban. Jawaban Anda tidak disimpan."))
        service = cleaned["service"]
        if service is None or service.survey_id != locked.pk:
            raise ResponseRefused(_("Layanan yang dipilih tidak ada pada survei ini."))
        answers: dict[int, int] = cleaned["answers"]
        items = list(locked.instrument_version.items())
        if set(answers) != {item.pk for item in items}:
            raise ResponseRefused(_("Jawab semua pertanyaan survei."))
        for item in items:
            if answers[item.pk] not in item.values():
                raise ResponseRefused(_("Jawaban pertanyaan “%(code)s” tidak ada di pilihannya.") % {"code": item.code})
        response = Response.objects.create(
            survey=locked,
            service=service,
            # The day only (Asia/Jakarta), never the time: the moment someone answered is not kept.
            received_on=timezone.localdate(),
            served_month=cleaned.get("served_month"),
            age_band=cleaned.get("age_band") or "",
            sex=cleaned.get("sex") or "",
            education=cleaned.get("education") or "",
            occupation=cleaned.get("occupation") or "",
            comment=(cleaned.get("comment") or "").strip(),  # encrypted by the field
            pressured=cleaned.get("pressured"),
            device_tag=tag,
        )
        Answer.objects.bulk_create([Answer.of(response, item.pk, answers[item.pk]) for item in items])
    return response


# ---------------------------------------------------------------------------------------------------------
# The public form's submission: rate limit, one-time token, store


def submission_token(nonce: str) -> public_intake.SubmissionToken:
    """The form's one-time token (cases.intake.SubmissionToken, as on the complaint forms): a double click, or
    Back and "Kirim" again on the page the browser kept, gets the thank-you page, not a second response."""
    return public_intake.SubmissionToken("survei", nonce, hold_seconds=IN_FLIGHT_TTL)


def sent_before(nonce: str) -> bool:
    """A response was already stored with this form token: a cheap look before the form is even checked."""
    return submission_token(nonce).sent() == STORED


def over_limit(client_tag: str) -> str | None:
    """The refusal (for the respondent) when this client has used up the hour's responses, counting nothing: a
    look before the form is checked. submit counts, atomically."""
    over = public_intake.rate_exceeded(RATE_SCOPE, client_tag, limit=settings.SIGAP_SURVEY_RESPONSES_PER_HOUR)
    return over.message if over is not None else None


@dataclass(frozen=True)
class Submitted:
    """What became of a checked form (``submit``); the view turns it into a page.

    - STORED: stored now, or by an earlier request with the same token: the thank-you page;
    - SENDING: an earlier request with the token is still storing after the wait: a short notice (409);
    - LIMITED: over the hour's limit, nothing stored: the form again with ``message`` (429);
    - REFUSED: the service refused (``message``), the survey still open: the form again;
    - CLOSED: the survey stopped taking responses meanwhile (``message``): the refusal page;
    - REPEATED: the same answers came from this client within the hour, nothing stored: the form again, asking
      whether this is another respondent (``message``).
    """

    outcome: str
    message: str = ""

    STORED = "stored"
    SENDING = "sending"
    LIMITED = "limited"
    REFUSED = "refused"
    CLOSED = "closed"
    REPEATED = "repeated"


# How long the same answers from the same client count as a resend rather than a new response.
RESENT_TTL = 3600


def _resent_key(survey: Survey, cleaned: dict, client_tag: str) -> str:
    """The cache key of these answers from this client for this survey: an HMAC under the hourly pseudonym, so
    it names neither the client nor the answers, and ends with the hour."""
    text = json.dumps({**cleaned, "service": getattr(cleaned.get("service"), "pk", None)}, sort_keys=True, default=str)
    digest = hmac.new(client_tag.encode(), f"{survey.pk}|{text}".encode(), hashlib.sha256).hexdigest()[:32]
    return f"sigap:survei:resent:{digest}"


def submit(
    *, survey: Survey, nonce: str, cleaned: dict, client_tag: str, another_respondent: bool = False
) -> Submitted:
    """Take one checked form (survei.forms_public.ResponseForm: ``nonce`` its submission token, ``cleaned``
    its response_data()): hold the token, count the attempt against the hour's limit, store the response.

    The token is claimed before the attempt is counted, so a double click counts once; it is released when
    nothing was stored (the form comes back with a fresh token) and answers with the thank-you page once
    stored. On a refusal ``survey`` is refreshed from the database, for the page that says why."""
    token = submission_token(nonce)
    try:
        if token.claim() is not None:
            return Submitted(Submitted.STORED)
    except public_intake.SubmissionBusy:
        return Submitted(Submitted.SENDING)
    # Back after the thank-you page: the browser fetches the form again (it is never cached), so it carries a
    # new token, but restores every choice; one tap would store the same response twice. But the same answers
    # from the same client may also be the next person at a counter's phone, equally satisfied. So they are not
    # stored silently, nor dropped silently: the form comes back asking, and "another respondent" stores them.
    resent = _resent_key(survey, cleaned, client_tag)
    if cache.get(resent) is not None and not another_respondent:
        token.release()
        return Submitted(
            Submitted.REPEATED,
            _(
                "Jawaban yang persis sama baru saja dikirim dari perangkat ini, dan sudah kami terima. Bila Anda "
                "responden lain yang menjawab sama, tekan “Kirim jawaban” sekali lagi. Bila bukan, Anda tidak perlu "
                "mengirim lagi."
            ),
        )
    verdict = public_intake.rate_limit(
        RATE_SCOPE, client_tag, limit=settings.SIGAP_SURVEY_RESPONSES_PER_HOUR, window_seconds=3600
    )
    if not verdict.allowed:
        token.release()
        return Submitted(Submitted.LIMITED, verdict.message)
    try:
        response_submit(survey=survey, cleaned=cleaned, client_tag=client_tag)
    except ResponseRefused as exc:
        token.release()
        survey.refresh_from_db()
        outcome = Submitted.REFUSED if survey.status == SurveyStatus.OPEN else Submitted.CLOSED
        return Submitted(outcome, exc.message)
    token.finish(STORED, keep_seconds=SUBMISSION_TTL)
    cache.set(resent, STORED, timeout=RESENT_TTL)
    return Submitted(Submitted.STORED)
