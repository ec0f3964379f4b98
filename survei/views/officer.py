"""The survey officer's pages (DESIGN §7): the list of surveys, a new survey, its page (the running count per
service against the target, the status buttons, the public link and its sharing links), the printable QR poster
and the page of possibly repeated submissions.

Each page resolves its survey through survei.selectors (404 for a survey the user may not read, as for one that
does not exist; 403 for an action they may not take on one they read), validates a form, calls one
survei.services write and redirects. State-changing views take POST only. A refusal is shown with everything
typed kept.
"""

from urllib.parse import quote, urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from survei import scoring, selectors, services
from survei.evaluation import survey_recommendations
from survei.forms import FollowUpPlanForm, RestoreForm, ServiceForm, SetAsideForm, SurveyForm, TransitionForm
from survei.models import SurveyService, SurveyStatus

PAGE_SIZE = 25
FLOOD_ROWS = 100

# Which buttons a status shows: (action, label).
TRANSITIONS = {
    SurveyStatus.DRAFT: [("open", gettext_lazy("Buka survei"))],
    SurveyStatus.OPEN: [("close", gettext_lazy("Tutup survei"))],
    SurveyStatus.CLOSED: [("reopen", gettext_lazy("Buka kembali")), ("publish", gettext_lazy("Umumkan hasil"))],
    SurveyStatus.PUBLISHED: [],
}
WRITES = {
    "open": (services.survey_open, gettext_lazy("Survei dibuka: responden dapat mengisi melalui tautan publik.")),
    "close": (services.survey_close, gettext_lazy("Survei ditutup: tidak ada jawaban baru yang diterima.")),
    "reopen": (services.survey_reopen, gettext_lazy("Survei dibuka kembali.")),
    "publish": (services.survey_publish, gettext_lazy("Hasil survei diumumkan.")),
}


def _manageable(request, uuid):
    """The survey, if the user reads it (else 404) and manages it (else 403)."""
    survey = selectors.survey_or_404(request.user, uuid)
    if not selectors.may_manage(request.user, survey):
        raise PermissionDenied
    return survey


def public_url(survey) -> str:
    """The link respondents open (the poster's QR code says the same). Built on SIGAP_BASE_URL, the site's
    public address that e-mails use too, not on the request's Host header: a poster printed from a page reached
    by another name (an internal host, a forged header) must still send the public to the site."""
    return settings.SIGAP_BASE_URL.rstrip("/") + reverse("survei_publik:respond", args=[survey.token])


def _share_links(survey, url: str) -> dict:
    text = _("Mohon kesediaan Anda mengisi %(title)s (%(unit)s). Tanpa nama, sekitar 5 menit: %(url)s") % {
        "title": survey.title,
        "unit": survey.unit.name,
        "url": url,
    }
    subject = _("Survei: %(title)s") % {"title": survey.title}
    return {
        "whatsapp": "https://wa.me/?" + urlencode({"text": text}, quote_via=quote),
        "email": "mailto:?" + urlencode({"subject": subject, "body": text}, quote_via=quote),
    }


# ---------------------------------------------------------------------------------------------------------
# List and new survey


@login_required
def survey_list(request):
    allowed = selectors.readable_unit_ids(request.user)
    if allowed is not None and not allowed:
        raise PermissionDenied
    surveys = (
        selectors.readable_surveys(request.user)
        .annotate(counted=Count("responses", filter=Q(responses__excluded=False)))
        .prefetch_related(Prefetch("services", queryset=SurveyService.objects.order_by("order", "pk")))
        .order_by("-period_start", "-pk")
    )
    page = Paginator(surveys, PAGE_SIZE).get_page(request.GET.get("page"))
    for survey in page:
        survey.target = sum(scoring.target_sample(service.population) for service in survey.services.all())
    return render(
        request,
        "survei/officer_list.html",
        {"page": page, "may_create": bool(selectors.managed_unit_ids(request.user))},
    )


@login_required
def survey_new(request):
    if not selectors.managed_unit_ids(request.user):
        raise PermissionDenied
    form = SurveyForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                unit=data["unit"],
                title=data["title"],
                instrument=data["instrument"],
                period_start=data["period_start"],
                period_end=data["period_end"],
                services=data["services"],
                actor=request.user,
            )
        except services.SurveyError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Survei disiapkan. Periksa layanan dan populasinya, lalu buka survei."))
            return redirect("survei:detail", uuid=survey.uuid)
    return render(request, "survei/officer_form.html", {"form": form}, status=400 if form.errors else 200)


# ---------------------------------------------------------------------------------------------------------
# The survey's page


@login_required
def survey_detail(request, uuid):
    survey = selectors.survey_or_404(request.user, uuid)
    return _detail_page(request, survey)


def _detail_page(request, survey, status=200, **forms):
    may_manage = selectors.may_manage(request.user, survey)
    rows = selectors.coverage(survey)
    respondents = sum(row.responses for row in rows)
    warnings = scoring.warnings(respondents, rows, pressured=selectors.integrity(survey)["yes"])
    url = public_url(survey)
    editable = survey.status in (SurveyStatus.DRAFT, SurveyStatus.OPEN)
    service_forms = []
    if may_manage and editable:
        bound = forms.get("service_edit")
        for service in survey.services.order_by("order", "pk"):
            if bound is not None and bound[0] == service.pk:
                service_forms.append((service, bound[1]))
            else:
                initial = {"name": service.name, "population": "" if service.population is None else service.population}
                service_forms.append((service, ServiceForm(initial=initial, prefix=f"s{service.pk}")))
    context = {
        "survey": survey,
        "may_manage": may_manage,
        "coverage": rows,
        "respondents": respondents,
        "target": sum(row.target for row in rows),
        "warnings": warnings,
        "public_url": url,
        "share": _share_links(survey, url),
        "transitions": TRANSITIONS[survey.status] if may_manage else [],
        "service_forms": service_forms,
        "service_add_form": forms.get("service_add") or ServiceForm(prefix="new") if may_manage and editable else None,
        "plan_form": (
            forms.get("plan") or FollowUpPlanForm(initial={"follow_up_plan": survey.follow_up_plan})
            if may_manage
            else None
        ),
        "excluded": selectors.excluded_summary(survey),
        "statuses": SurveyStatus,
        "may_download_responses": selectors.may_download_responses(request.user, survey),
        **survey_recommendations(survey, request.user),
    }
    return render(request, "survei/officer_detail.html", context, status=status)


@login_required
@require_POST
def survey_transition(request, uuid, action):
    survey = _manageable(request, uuid)
    if action not in WRITES:
        raise Http404
    write, done = WRITES[action]
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Permintaan tidak lengkap. Muat ulang halaman lalu coba lagi."))
        return redirect("survei:detail", uuid=survey.uuid)
    extra = {"confirm": form.cleaned_data["confirm"]} if action == "publish" else {}
    try:
        write(survey=survey, actor=request.user, expected_status=form.cleaned_data["expected_status"], **extra)
    except services.SurveyError as refusal:
        # Back to the survey's page (post/redirect/get: reloading it sends nothing again), the reason on top.
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)
    return redirect("survei:detail", uuid=survey.uuid)


@login_required
@require_POST
def service_add(request, uuid):
    survey = _manageable(request, uuid)
    form = ServiceForm(request.POST, prefix="new")
    if form.is_valid():
        try:
            services.service_add(survey=survey, actor=request.user, **form.cleaned_data)
        except services.SurveyError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Layanan ditambahkan."))
            return redirect("survei:detail", uuid=survey.uuid)
    return _detail_page(request, survey, status=400, service_add=form)


@login_required
@require_POST
def service_update(request, uuid, service_id):
    survey = _manageable(request, uuid)
    service = survey.services.filter(pk=service_id).first()
    if service is None:
        raise Http404
    form = ServiceForm(request.POST, prefix=f"s{service.pk}")
    if form.is_valid():
        try:
            services.service_update(service=service, actor=request.user, **form.cleaned_data)
        except services.SurveyError as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, _("Layanan diperbarui."))
            return redirect("survei:detail", uuid=survey.uuid)
    return _detail_page(request, survey, status=400, service_edit=(service.pk, form))


@login_required
@require_POST
def follow_up_plan(request, uuid):
    survey = _manageable(request, uuid)
    form = FollowUpPlanForm(request.POST)
    if form.is_valid():
        try:
            services.follow_up_plan_set(survey=survey, text=form.cleaned_data["follow_up_plan"], actor=request.user)
        except services.SurveyError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, _("Rencana tindak lanjut disimpan."))
            return redirect("survei:detail", uuid=survey.uuid)
    return _detail_page(request, survey, status=400, plan=form)


# ---------------------------------------------------------------------------------------------------------
# The poster


@login_required
def poster(request, uuid):
    """A4 poster to print: the unit, the survey, the link written out and its QR code (SVG, drawn here)."""
    survey = selectors.survey_or_404(request.user, uuid)
    url = public_url(survey)
    qr = segno.make(url, error="m").svg_inline(scale=4, omitsize=True, border=4)
    return render(
        request,
        "survei/poster.html",
        {"survey": survey, "public_url": url, "short_url": url.split("://", 1)[-1], "qr": qr},
    )


# ---------------------------------------------------------------------------------------------------------
# Possibly repeated submissions


@login_required
def flood(request, uuid):
    survey = selectors.survey_or_404(request.user, uuid)
    return _flood_page(request, survey)


def _flood_page(request, survey, status=200, bound=None):
    may_manage = selectors.may_manage(request.user, survey)
    groups = selectors.flood_groups(survey)
    # The biggest first, and at most FLOOD_ROWS: on a busy survey with few items many honest respondents give the
    # same answers on one day, and a page of thousands of small groups would hide the one burst that matters.
    shown = sorted(groups, key=lambda group: (-group.size, group.day, group.kind))[:FLOOD_ROWS]
    rows = []
    for group in shown:
        if bound is not None and bound[0] == group.key:
            form = bound[1]
        else:
            # No reason is suggested: the officer writes why, after looking (an honest crowd may share a group).
            form = SetAsideForm(initial={"group": group.key}, auto_id=_ids(group.key))
        rows.append((group, form))
    return render(
        request,
        "survei/officer_flood.html",
        {
            "survey": survey,
            "rows": rows,
            "may_change": may_manage and survey.status != SurveyStatus.PUBLISHED,
            "minimum": selectors.FLOOD_MINIMUM,
            "hidden": len(groups) - len(shown),
            "excluded": selectors.excluded_summary(survey),
        },
        status=status,
    )


def _ids(key: str) -> str:
    """Each row's form gets its own element ids (one page holds a form per group)."""
    return f"id_{key}_%s"


def _group_or_404(survey, key):
    group = selectors.flood_group(survey, key)
    if group is None:
        raise Http404
    return group


@login_required
@require_POST
def flood_set_aside(request, uuid):
    survey = _manageable(request, uuid)
    form = SetAsideForm(request.POST, auto_id=_ids(request.POST.get("group", "")))
    if not form.is_valid():
        return _flood_page(request, survey, status=400, bound=(request.POST.get("group"), form))
    group = _group_or_404(survey, form.cleaned_data["group"])
    try:
        changed = services.responses_set_aside(
            survey=survey,
            responses=survey.responses.filter(pk__in=group.response_ids),
            reason=form.cleaned_data["reason"],
            actor=request.user,
        )
    except services.SurveyError as refusal:
        if refusal.field not in form.fields:  # not about what was typed (published meanwhile): said on top
            messages.error(request, refusal.message)
            return redirect("survei:flood", uuid=survey.uuid)
        form.add_error(refusal.field, refusal.message)
        return _flood_page(request, survey, status=400, bound=(group.key, form))
    messages.success(request, _("%(n)d jawaban dikeluarkan dari hasil.") % {"n": changed})
    return redirect("survei:flood", uuid=survey.uuid)


@login_required
@require_POST
def flood_restore(request, uuid):
    survey = _manageable(request, uuid)
    form = RestoreForm(request.POST)
    if not form.is_valid():
        raise Http404
    group = _group_or_404(survey, form.cleaned_data["group"])
    try:
        changed = services.responses_restore(
            survey=survey, responses=survey.responses.filter(pk__in=group.response_ids), actor=request.user
        )
    except services.SurveyError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, _("%(n)d jawaban dihitung kembali.") % {"n": changed})
    return redirect("survei:flood", uuid=survey.uuid)


urlpatterns = [
    path("", survey_list, name="list"),
    path("baru/", survey_new, name="new"),
    path("<uuid:uuid>/", survey_detail, name="detail"),
    path("<uuid:uuid>/status/<slug:action>/", survey_transition, name="transition"),
    path("<uuid:uuid>/layanan/", service_add, name="service_add"),
    path("<uuid:uuid>/layanan/<int:service_id>/", service_update, name="service_update"),
    path("<uuid:uuid>/rencana-tindak-lanjut/", follow_up_plan, name="plan"),
    path("<uuid:uuid>/poster/", poster, name="poster"),
    path("<uuid:uuid>/kiriman-berulang/", flood, name="flood"),
    path("<uuid:uuid>/kiriman-berulang/keluarkan/", flood_set_aside, name="set_aside"),
    path("<uuid:uuid>/kiriman-berulang/kembalikan/", flood_restore, name="restore"),
]
