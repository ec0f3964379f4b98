"""The respondent's pages (issue 13 "Respondents"): the form a poster's QR code opens, and the thank-you page.

No account, no JavaScript needed, phone first. Mounted under /survei/, a public prefix: the privacy middleware
has removed the address, user agent, referrer and session before these views run; ``request.client_tag`` (an
hourly pseudonym) is all that is left, and it is used for the rate limit and the device tag only.

One response per visit: the form carries a one-time token (cases.intake.SubmissionToken, as on the complaint
forms). A double click, or Back and "Kirim" again on the page the browser kept, finds the token used and gets the
thank-you page, not a second response. What a sent form becomes is survei.intake.submit's; this module only
turns its answer into a page.
"""

import secrets

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from survei import intake
from survei.forms_public import ResponseForm
from survei.models import Survey, SurveyStatus

# Each page's language switch posts under /survei/, the privacy prefix (cases.context_processors.language_switch
# reads cases.registry.public_namespace_at).


def _known_survey(token: str) -> Survey:
    """The survey the link names, whatever its status; 404 for a token that names none (nothing else said)."""
    survey = Survey.objects.select_related("unit", "instrument_version__instrument").filter(token=token).first()
    if survey is None:
        raise Http404
    return survey


def _closed_page(request, survey: Survey, *, refused: str = ""):
    return render(
        request,
        "survei/closed.html",
        {"survey": survey, "not_yet": survey.status == SurveyStatus.DRAFT, "refused": refused},
    )


def _thanks(survey: Survey):
    return redirect(reverse("survei_publik:thanks", kwargs={"token": survey.token}))


def _form_page(request, survey: Survey, form: ResponseForm, *, status: int = 200):
    if form.is_bound:
        # A fresh token for the next attempt; every choice made stays as it was.
        form.data = form.data.copy()
        form.data["submission"] = secrets.token_urlsafe(16)
        form.data["homepage"] = ""
    return render(request, "survei/respond.html", {"survey": survey, "form": form}, status=status)


def respond(request, token: str):
    survey = _known_survey(token)
    if survey.status != SurveyStatus.OPEN:
        return _closed_page(request, survey)
    if request.method != "POST":
        return _form_page(request, survey, ResponseForm(survey=survey))
    if intake.sent_before(request.POST.get("submission", "")):
        return _thanks(survey)
    form = ResponseForm(request.POST, survey=survey)
    over = intake.over_limit(request.client_tag)
    if over is not None:
        form.full_clean()
        form.add_error(None, over)
        return _form_page(request, survey, form, status=429)
    if not form.is_valid():
        return _form_page(request, survey, form)
    done = intake.submit(
        survey=survey,
        nonce=form.cleaned_data["submission"],
        cleaned=form.response_data(),
        client_tag=request.client_tag,
        another_respondent=form.cleaned_data["another_respondent"],
    )
    if done.outcome == intake.Submitted.STORED:
        return _thanks(survey)
    if done.outcome == intake.Submitted.SENDING:
        return HttpResponse(
            _("Jawaban Anda sedang dikirim. Tunggu sebentar; Anda tidak perlu mengisi lagi."),
            status=409,
            content_type="text/plain; charset=utf-8",
        )
    if done.outcome == intake.Submitted.CLOSED:
        return _closed_page(request, survey, refused=done.message)
    if done.outcome == intake.Submitted.REPEATED:
        form.data = form.data.copy()
        form.data["another_respondent"] = "on"  # the next press says: another respondent
    form.add_error(None, done.message)
    return _form_page(request, survey, form, status=429 if done.outcome == intake.Submitted.LIMITED else 200)


def thanks(request, token: str):
    """Shown after a response whatever the survey's status now (it may have closed a moment later)."""
    return render(request, "survei/thanks.html", {"survey": _known_survey(token)})


# Mounted after the language switch and the results pages (the order is survei.urls.public_urlpatterns'):
# "<token>/" would otherwise take "bahasa/" for a survey's token.
public_urlpatterns: list = [
    path("<str:token>/", never_cache(respond), name="respond"),
    path("<str:token>/terima-kasih/", never_cache(thanks), name="thanks"),
]
