"""A survey's results (issue 13 "Results").

For the survey's readers (survei.selectors.survey_or_404: its officers, the heads of its unit and the units
above, the inspectorate; anyone else gets 404): the results page with the result now, the two charts (SVG) and
the PDF report; the XLSX of anonymised responses only for its officers and the inspectorate (a unit head: 403).
For everyone: the published results, read from the snapshot kept at publication (Survey.published_result),
never from the live counts: with the integrity question's counts and the responses set aside (how many, why),
without comments, demographics or device tags.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from survei import exports, selectors
from survei.models import Survey, SurveyStatus

# The comments the page lists (in a keyed-hash order, not the newest); all of them are in the XLSX.
COMMENTS_SHOWN = 100


def _svg(body: str) -> HttpResponse:
    response = HttpResponse(body, content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    # Opened on its own, the SVG is a document under its own policy: matplotlib colours it with a <style> element
    # and style attributes, and it has no script (as evaluasi's charts).
    response["Content-Security-Policy"] = "default-src 'none'; style-src 'unsafe-inline'"
    return response


def _download(body: bytes, content_type: str, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def results(request, uuid):
    """The result now: per item, variable and overall, the thresholds, the warnings, who answered (bands under 3
    hidden), the integrity question and the comments."""
    survey = selectors.survey_or_404(request.user, uuid)
    report = exports.live_report(survey)
    profile = selectors.respondent_profile(survey)
    comments, comment_count = selectors.comments(survey, COMMENTS_SHOWN)
    return render(
        request,
        "survei/results.html",
        {
            "survey": survey,
            "report": report,
            "bands": exports.profile_groups(profile),
            "pressure": exports.Pressure.of(profile),
            "comments": comments,
            "comment_count": comment_count,
            "comments_shown": COMMENTS_SHOWN,
            "values": list(range(1, report.scale + 1)),
            "published": exports.published_report(survey),
            "may_download_responses": selectors.may_download_responses(request.user, survey),
        },
    )


CHARTS = {"variabel": exports.variables_chart, "jawaban": exports.distribution_chart}


@login_required
@require_GET
def results_chart(request, uuid, chart: str):
    """One of the page's charts as SVG, for the same readers as the page."""
    survey = selectors.survey_or_404(request.user, uuid)
    if chart not in CHARTS:
        raise Http404
    return _svg(CHARTS[chart](exports.live_report(survey)))


@login_required
@require_GET
def responses_xlsx(request, uuid):
    survey = selectors.survey_or_404(request.user, uuid)
    if not selectors.may_download_responses(request.user, survey):
        raise PermissionDenied
    return _download(*exports.download(request.user, survey, "survei.responses"))


@login_required
@require_GET
def report_pdf(request, uuid):
    survey = selectors.survey_or_404(request.user, uuid)
    return _download(*exports.download(request.user, survey, "survei.report"))


# ---------------------------------------------------------------------------------------------------------
# Public (under the privacy middleware: no address, user agent or session is read here)


@require_GET
def public_index(request):
    """The published results (PermenPANRB 14/2017: SKM results are published), newest period first."""
    surveys = selectors.published_surveys().order_by("-period_end", "-published_at", "-pk")
    rows = [(survey, exports.published_report(survey)) for survey in surveys]
    return render(request, "survei/public_index.html", {"rows": rows})


def _published_or_404(token: str) -> Survey:
    survey = (
        Survey.objects.select_related("unit", "instrument_version__instrument")
        .filter(token=token, status=SurveyStatus.PUBLISHED, published_result__isnull=False)
        .first()
    )
    if survey is None:
        raise Http404
    return survey


@require_GET
def public_result(request, token: str):
    """The result as published: the snapshot, never the live counts; an unknown or unpublished survey is 404."""
    survey = _published_or_404(token)
    report = exports.published_report(survey)
    return render(
        request,
        "survei/public_result.html",
        {"survey": survey, "report": report, "values": list(range(1, report.scale + 1))},
    )


@require_GET
def public_result_chart(request, token: str, chart: str):
    """A chart of the published result, drawn from the snapshot like the page."""
    survey = _published_or_404(token)
    if chart not in CHARTS:
        raise Http404
    return _svg(CHARTS[chart](exports.published_report(survey)))


urlpatterns: list = [
    path("<uuid:uuid>/hasil/", results, name="results"),
    path("<uuid:uuid>/hasil/grafik-<slug:chart>.svg", results_chart, name="results_chart"),
    path("<uuid:uuid>/jawaban.xlsx", responses_xlsx, name="responses_xlsx"),
    path("<uuid:uuid>/laporan.pdf", report_pdf, name="report_pdf"),
]
public_urlpatterns: list = [
    path("", public_index, name="root"),
    path("hasil/<str:token>/", public_result, name="public_result"),
    path("hasil/<str:token>/grafik-<slug:chart>.svg", public_result_chart, name="public_result_chart"),
]
