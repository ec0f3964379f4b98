"""Export pages: ask for an export (small ones download at once, big ones run in the background), "Ekspor saya"
with each job's progress, and the download — to the requester only, until the file expires.

URLs for other pages (the dashboard includes ``evaluasi/_export_buttons.html``; the case page links
``evaluasi:case_audit_log``):

- ``{% url 'evaluasi:export' %}?what=dashboard.xlsx&periode=2026-Q3&unit=SEKR`` (also dashboard.csv,
  dashboard.pdf); ``what=cases.xlsx|cases.csv`` with ``kind=`` and a figure's link (``status=``, ``final=1``,
  ``breakdown=&value=``, ``clock=&state=``, ``overdue=1``, ``filter=``; none: every case of the period);
  ``what=audit.xlsx|audit.csv`` with a period and unit (the inspectorate);
- ``{% url 'evaluasi:case_audit_log' case.reference %}`` (``?format=csv`` for CSV).
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from cases import policy
from cases.models import Unit
from evaluasi import access, exports, jobs, lke
from evaluasi.models import ExportJob, ExportStatus, LkeWorksheet
from evaluasi.periods import Period, PeriodError
from evaluasi.statistics import LINK_KEYS

FLAGS = {"final", "overdue", "all"}
LIST_SIZE = 50


def _default_unit(user) -> str:
    """The dashboard's default: every unit for the inspectorate, a unit head's first headed unit."""
    allowed = access.statistics_unit_ids(user)
    if allowed is None:
        return ""
    unit = Unit.objects.filter(pk__in=allowed, head=user).order_by("code").first()
    return unit.code if unit is not None else ""


def _params(request, what: str) -> dict:
    """The job's parameters from the query string, in the shape the exporters read (evaluasi.exports)."""
    query = request.GET
    if what not in exports.TITLES:
        # Another module's exporter (the LKE evidence pack) reads its own parameters.
        return {key: query[key] for key in query if key != "what"}
    params = {"periode": query.get("periode", "").strip(), "unit": query.get("unit", "").strip()}
    if not params["unit"] and "unit" not in query:
        params["unit"] = _default_unit(request.user)
    if what.startswith("cases.") or what.startswith("audit."):
        if query.get("kind"):
            params["kind"] = query["kind"]
    if what.startswith("audit.") and query.get("case"):
        return {"case": query["case"]}
    if what.startswith("cases."):
        link = {key: query[key] for key in LINK_KEYS if key in query}
        for flag in FLAGS & set(link):
            link[flag] = 1
        if link:
            params["link"] = link
    return params


def _pack_worksheet(params) -> LkeWorksheet | None:
    try:
        return LkeWorksheet.objects.select_related("unit").filter(uuid=params.get("worksheet")).first()
    except (ValueError, ValidationError):  # a forged UUID
        return None


def _pack_title(params: dict) -> str:
    """The evidence pack's title names its worksheet (unit and period); jobs.check has found the worksheet."""
    worksheet = _pack_worksheet(params)
    title = _("Paket bukti LKE")
    if worksheet is None:
        return title
    return " — ".join((title, worksheet.unit.code, lke.worksheet_period(worksheet).label))


def _title(what: str, params: dict) -> str:
    if what == "lke.pack":
        # Not one of exports.TITLES: without this the page and the audit record were titled "lke.pack".
        return _pack_title(params)
    title = str(exports.TITLES.get(what, what))
    try:
        period = Period.parse(params["periode"]).label if params.get("periode") else ""
    except PeriodError:
        period = ""
    unit = params.get("unit") or (_("semua unit") if period else "")
    return " — ".join(part for part in (title, period, unit) if part)


def _attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _serve(request, what: str, params: dict, *, back: str):
    """GET: a small export downloads now; a big one shows what will be made, with a button (POST) that starts
    it. POST: start it in the background and go to its page."""
    try:
        jobs.check(request.user, what, params)
    except PermissionDenied:
        if what in jobs.EXPORTERS and params.get("periode") is not None:
            try:
                Period.parse(params["periode"])
            except PeriodError as problem:
                return render(request, "evaluasi/export.html", {"error": str(problem), "back": back}, status=400)
        raise
    title = _title(what, params)
    if request.method == "POST":
        job = jobs.request(request.user, what, params, title)
        return redirect("evaluasi:export_job", job=job.uuid)
    if jobs.is_small(request.user, what, params):
        job, data = jobs.make_now(request.user, what, params, title)
        return _attachment(data, job.filename, job.content_type)
    rows = jobs.get(what).rows
    context = {"title": title, "rows": rows(request.user, params) if rows else None, "back": back}
    return render(request, "evaluasi/export.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def export(request):
    what = request.GET.get("what", "")
    if what not in jobs.EXPORTERS:
        raise Http404
    if not request.GET.get("periode") and what in exports.TITLES and not request.GET.get("case"):
        return render(
            request,
            "evaluasi/export.html",
            {"error": _("Pilih periode ekspor terlebih dahulu."), "back": reverse("evaluasi:dashboard")},
            status=400,
        )
    back = (
        reverse("evaluasi:dashboard")
        + "?"
        + urlencode({key: request.GET[key] for key in ("periode", "unit") if request.GET.get(key)})
    )
    if what == "lke.pack":
        worksheet = _pack_worksheet(request.GET)
        if worksheet is not None:
            back = reverse("evaluasi:lke_worksheet", kwargs={"uuid": worksheet.uuid})
    return _serve(request, what, _params(request, what), back=back)


@login_required
@require_http_methods(["GET", "POST"])
def case_audit_log(request, reference):
    """ "Unduh log audit" on a case's page: the inspectorate only, for a case they can see (404 otherwise)."""
    case = policy.get_case_or_404(request.user, reference)
    if not access.is_inspector(request.user):
        raise PermissionDenied(_("Log audit kasus hanya dapat diunduh oleh inspektur."))
    what = "audit.csv" if request.GET.get("format") == "csv" else "audit.xlsx"
    params = {"case": str(case.uuid)}
    return _serve(request, what, params, back=reverse("cases:detail", kwargs={"reference": case.reference}))


def _own_job(request, job) -> ExportJob:
    """The job, if the user asked for it: anyone else gets 404, as for a job that does not exist."""
    found = ExportJob.objects.filter(uuid=job, requested_by=request.user).first()
    if found is None:
        raise Http404
    return found


@login_required
def job_list(request):
    """ "Ekspor saya": the user's recent exports; the page refreshes itself while one is being made."""
    recent = list(ExportJob.objects.filter(requested_by=request.user)[:LIST_SIZE])
    for job in recent:
        job.expired = jobs.is_expired(job)
    running = any(job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) for job in recent)
    return render(request, "evaluasi/export_list.html", {"jobs": recent, "running": running})


@login_required
def job_detail(request, job):
    job = _own_job(request, job)
    job.expired = jobs.is_expired(job)
    running = job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING)
    return render(request, "evaluasi/export_job.html", {"job": job, "running": running})


@login_required
def job_download(request, job):
    job = _own_job(request, job)
    if jobs.is_expired(job):
        return render(request, "evaluasi/export_expired.html", {"job": job}, status=410)
    if job.status != ExportStatus.DONE or not job.blob:
        return redirect("evaluasi:export_job", job=job.uuid)
    return _attachment(jobs.read(job), job.filename, job.content_type)


urlpatterns = [
    path("ekspor/", export, name="export"),
    path("ekspor/saya/", job_list, name="export_list"),
    path("ekspor/<uuid:job>/", job_detail, name="export_job"),
    path("ekspor/<uuid:job>/unduh/", job_download, name="export_download"),
    path("ekspor/log-audit/<str:reference>/", case_audit_log, name="case_audit_log"),
]
