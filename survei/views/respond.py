"""The respondent's pages (issue 13 "Respondents"): the form a poster's QR code opens, and the thank-you page.

No account, no JavaScript needed, phone first. Mounted under /survei/, a public prefix: the privacy middleware
has removed the address, user agent, referrer and session before these views run; ``request.client_tag`` (an
hourly pseudonym) is all that is left, and it is used for the rate limit and the device tag only.

One response per visit: the form carries a one-time token. A double click, or Back and "Kirim" again on the page
the browser kept, finds the token used and gets the thank-you page, not a second response (as the intake pages
do, cases.intake_views.IntakeViews._earlier_submission).
"""

import secrets
import time

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cases import intake as public_intake
from survei import intake
from survei.forms_public import ResponseForm
from survei.models import Survey, SurveyStatus

RATE_SCOPE = "survei-submit"
# How long a used form token keeps answering with the thank-you page.
SUBMISSION_TTL = 24 * 3600
# How long a token is held by the request that is storing its response (a second request waits for it).
IN_FLIGHT_TTL = 5 * 60
DONE = "done"


def _page(request, template: str, context: dict, *, status: int = 200):
    """Render a respondent's page. Its language switch posts under /survei/, the privacy prefix
    (cases.context_processors.language_switch reads cases.registry.public_namespace_at)."""
    return render(request, template, context, status=status)


def _known_survey(token: str) -> Survey:
    """The survey the link names, whatever its status; 404 for a token that names none (nothing else said)."""
    survey = Survey.objects.select_related("unit", "instrument_version__instrument").filter(token=token).first()
    if survey is None:
        raise Http404
    return survey


def _closed_page(request, survey: Survey, *, refused: str = ""):
    return _page(
        request,
        "survei/closed.html",
        {"survey": survey, "not_yet": survey.status == SurveyStatus.DRAFT, "refused": refused},
    )


def _submission_key(nonce: str) -> str:
    return f"sigap:survei:submission:{nonce}"


def _thanks(survey: Survey):
    return redirect(reverse("survei_publik:thanks", kwargs={"token": survey.token}))


def _earlier_submission(survey: Survey, nonce: str):
    """None when this request may store the response (it now holds the token); else the answer for a token
    already used (the thank-you page) or, after waiting for a request still storing it, a short notice."""
    key = _submission_key(nonce)
    for _attempt in range(50):
        if cache.add(key, "", timeout=IN_FLIGHT_TTL):
            return None
        if cache.get(key) == DONE:
            return _thanks(survey)
        time.sleep(0.2)
    return HttpResponse(
        _("Jawaban Anda sedang dikirim. Tunggu sebentar; Anda tidak perlu mengisi lagi."),
        status=409,
        content_type="text/plain; charset=utf-8",
    )


def _form_page(request, survey: Survey, form: ResponseForm, *, status: int = 200):
    if form.is_bound:
        # A fresh token for the next attempt; every choice made stays as it was.
        form.data = form.data.copy()
        form.data["submission"] = secrets.token_urlsafe(16)
        form.data["homepage"] = ""
    return _page(request, "survei/respond.html", {"survey": survey, "form": form}, status=status)


def respond(request, token: str):
    survey = _known_survey(token)
    if survey.status != SurveyStatus.OPEN:
        return _closed_page(request, survey)
    if request.method != "POST":
        return _form_page(request, survey, ResponseForm(survey=survey))
    nonce = request.POST.get("submission", "")
    if nonce and cache.get(_submission_key(nonce)) == DONE:
        return _thanks(survey)
    limit = settings.SIGAP_SURVEY_RESPONSES_PER_HOUR
    form = ResponseForm(request.POST, survey=survey)
    over = public_intake.rate_exceeded(RATE_SCOPE, request.client_tag, limit=limit)
    if over is not None:
        form.full_clean()
        form.add_error(None, over.message)
        return _form_page(request, survey, form, status=429)
    if not form.is_valid():
        return _form_page(request, survey, form)
    nonce = form.cleaned_data["submission"]
    earlier = _earlier_submission(survey, nonce)
    if earlier is not None:
        return earlier
    verdict = public_intake.rate_limit(RATE_SCOPE, request.client_tag, limit=limit, window_seconds=3600)
    if not verdict.allowed:
        cache.delete(_submission_key(nonce))
        form.add_error(None, verdict.message)
        return _form_page(request, survey, form, status=429)
    try:
        intake.response_submit(survey=survey, cleaned=form.response_data(), client_tag=request.client_tag)
    except intake.ResponseRefused as exc:
        cache.delete(_submission_key(nonce))
        survey.refresh_from_db()
        if survey.status != SurveyStatus.OPEN:
            return _closed_page(request, survey, refused=exc.message)
        form.add_error(None, exc.message)
        return _form_page(request, survey, form)
    cache.set(_submission_key(nonce), DONE, timeout=SUBMISSION_TTL)
    return _thanks(survey)


def thanks(request, token: str):
    """Shown after a response whatever the survey's status now (it may have closed a moment later)."""
    return _page(request, "survei/thanks.html", {"survey": _known_survey(token)})


public_urlpatterns: list = [
    # Before the survey links, which would take "bahasa" for a token.
    path("<str:token>/", never_cache(respond), name="respond"),
    path("<str:token>/terima-kasih/", never_cache(thanks), name="thanks"),
]
