"""Periodic evaluation records and the follow-up of recommendations (DESIGN §6).

Each page resolves its object through evaluasi.selectors (404 for what the user may not read, as for what does not
exist), validates a form, calls one evaluasi.services write and redirects; a refusal goes back onto the form with
everything typed kept. State-changing views take POST only.
"""

from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cases import policy, workdays
from evaluasi import access, selectors, services
from evaluasi.forms import (
    ActionForm,
    CannotForm,
    DocumentForm,
    EvaluationFilterForm,
    EvaluationForm,
    JudgeForm,
    RecommendationFilterForm,
    RecommendationForm,
)

PAGE_SIZE = 25


def _refuse_onto(form, refusal: services.FollowUpRefused) -> None:
    field = refusal.field if refusal.field in form.fields else None
    form.add_error(field, refusal.message)


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


# ---------------------------------------------------------------------------------------------------------
# Evaluations


@login_required
def evaluation_list(request):
    if not access.may_read_statistics(request.user):
        raise PermissionDenied
    form = EvaluationFilterForm(request.GET)
    evaluations = selectors.readable_evaluations(request.user).none()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.EvaluationFilters(module=data["module"], unit=data["unit"], year=data["year"])
        evaluations = selectors.evaluation_list(request.user, filters)
    return render(
        request,
        "evaluasi/evaluation_list.html",
        {
            "form": form,
            "page": _page(request, evaluations),
            "query": _query_without_page(request),
            "may_evaluate": access.may_evaluate(request.user),
        },
    )


@login_required
def evaluation_new(request):
    if not access.may_evaluate(request.user):
        raise PermissionDenied
    form = EvaluationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            evaluation = services.evaluation_record(
                module=data["module"],
                unit=data["unit"],
                period=data["period"],
                held_on=data["held_on"],
                participants=data["participants"],
                findings=data["findings"],
                actor=request.user,
                files=data["files"],
            )
        except services.FollowUpRefused as refusal:
            _refuse_onto(form, refusal)
        except services.AlreadyRecorded as sent:
            messages.info(request, _("Evaluasi ini sudah dicatat; tidak dibuat dua kali."))
            return redirect("evaluasi:evaluation", uuid=sent.existing.uuid)
        else:
            messages.success(request, _("Evaluasi dicatat."))
            return redirect("evaluasi:evaluation", uuid=evaluation.uuid)
    return render(request, "evaluasi/evaluation_form.html", {"form": form})


@login_required
def evaluation_detail(request, uuid):
    evaluation = selectors.evaluation_or_404(request.user, uuid)
    return _evaluation_page(request, evaluation, RecommendationForm())


def _evaluation_page(request, evaluation, recommendation_form, status=200, document_form=None):
    may_evaluate = access.may_evaluate(request.user)
    documents = list(evaluation.documents.all())
    for document in documents:
        document.display_name = services.document_name(document)
    return render(
        request,
        "evaluasi/evaluation_detail.html",
        {
            "evaluation": evaluation,
            "recommendations": evaluation.recommendations.select_related("owner"),
            "documents": documents,
            "recommendation_form": recommendation_form if may_evaluate else None,
            "document_form": (document_form or DocumentForm()) if may_evaluate else None,
            "today": workdays.today(),
        },
        status=status,
    )


def _added(request, form, **target) -> bool:
    """Add the recommendation the form holds to `target` (case=, evaluation= or survey=): True when it is
    recorded (now, or already — sent again with Back), with the message said; False with the refusal put on the
    form. Also survei's form page's step (survei.evaluation), as ``add_from_form``."""
    try:
        services.recommendation_add(actor=request.user, **target, **form.cleaned_data)
    except services.FollowUpRefused as refusal:
        _refuse_onto(form, refusal)
        return False
    except services.AlreadyRecorded:
        messages.info(request, _("Rekomendasi ini sudah ditambahkan; tidak dibuat dua kali."))
    else:
        messages.success(request, _("Rekomendasi ditambahkan."))
    return True


add_from_form = _added


@login_required
@require_POST
def evaluation_recommendation_add(request, uuid):
    evaluation = selectors.evaluation_or_404(request.user, uuid)
    if not access.may_evaluate(request.user):
        raise PermissionDenied
    form = RecommendationForm(request.POST)
    if form.is_valid() and _added(request, form, evaluation=evaluation):
        return redirect("evaluasi:evaluation", uuid=evaluation.uuid)
    return _evaluation_page(request, evaluation, form, status=400)


@login_required
@require_POST
def evaluation_document_add(request, uuid):
    evaluation = selectors.evaluation_or_404(request.user, uuid)
    if not access.may_evaluate(request.user):
        raise PermissionDenied
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            for upload in form.cleaned_data["files"]:
                services.document_add(evaluation=evaluation, upload=upload, actor=request.user)
        except services.FollowUpRefused as refusal:
            _refuse_onto(form, refusal)
        else:
            messages.success(request, _("Dokumen disimpan terenkripsi."))
            return redirect("evaluasi:evaluation", uuid=evaluation.uuid)
    return _evaluation_page(request, evaluation, RecommendationForm(), status=400, document_form=form)


@login_required
def document_download(request, uuid):
    document = selectors.document_or_404(request.user, uuid)
    data = services.document_read(document, request.user)
    response = HttpResponse(data, content_type=document.content_type)
    # Always a download, never rendered inline: an uploaded file must not run in our origin.
    name = services.document_name(document)
    ascii_name = name.encode("ascii", "ignore").decode().replace('"', "") or "dokumen"
    response["Content-Disposition"] = f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------------------------
# Recommendations


@login_required
def recommendation_list(request):
    """The inspectorate's and unit heads' list; an owner without either role is sent to their own list."""
    if not access.may_read_statistics(request.user):
        return redirect("evaluasi:my_follow_ups")
    form = RecommendationFilterForm(request.GET)
    today = workdays.today()
    recommendations = selectors.readable_recommendations(request.user).none()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.RecommendationFilters(
            status=data["status"],
            unit=data["unit"],
            module=data["modul"],
            overdue=data["terlambat"],
            period=data["periode"],
        )
        recommendations = selectors.recommendation_list(request.user, filters, today=today)
    return render(
        request,
        "evaluasi/recommendation_list.html",
        {"form": form, "page": _page(request, recommendations), "query": _query_without_page(request), "today": today},
    )


@login_required
def my_follow_ups(request):
    open_ones, closed = selectors.my_follow_ups(request.user)
    return render(
        request,
        "evaluasi/followup_mine.html",
        {"open": open_ones, "closed": closed[:50], "today": workdays.today()},
    )


def _recommendation_page(request, recommendation, *, action_form=None, cannot_form=None, status=200):
    user = request.user
    is_owner = user.pk == recommendation.owner_id
    judge = access.may_evaluate(user) and not is_owner
    if judge and recommendation.case is not None and policy.is_conflicted(user, recommendation.case):
        judge = False
    expected = {"expected_status": recommendation.status}
    return render(
        request,
        "evaluasi/recommendation_detail.html",
        {
            "recommendation": recommendation,
            "actions": recommendation.actions.select_related("created_by").prefetch_related("documents"),
            "case_visible": recommendation.case is not None and policy.can_view(user, recommendation.case),
            "late": selectors.is_late(recommendation, workdays.today()),
            "action_form": (action_form or ActionForm(initial=expected))
            if is_owner and recommendation.is_open
            else None,
            "judge": judge,
            "judge_form": JudgeForm(initial=expected),
            "cannot_form": cannot_form or CannotForm(initial=expected),
            "is_open": recommendation.is_open,
        },
        status=status,
    )


@login_required
def recommendation_detail(request, uuid):
    return _recommendation_page(request, selectors.recommendation_or_404(request.user, uuid))


@login_required
@require_POST
def action_add(request, uuid):
    recommendation = selectors.recommendation_or_404(request.user, uuid)
    if request.user.pk != recommendation.owner_id:
        raise PermissionDenied
    form = ActionForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.action_record(
                recommendation=recommendation,
                done_on=data["done_on"],
                description=data["description"],
                files=data["files"],
                actor=request.user,
                expected_status=data["expected_status"] or None,
            )
        except services.FollowUpRefused as refusal:
            _refuse_onto(form, refusal)
        else:
            messages.success(request, _("Tindak lanjut dicatat."))
            return redirect("evaluasi:recommendation", uuid=recommendation.uuid)
    return _recommendation_page(request, recommendation, action_form=form, status=400)


def _judge_view(step):
    @login_required
    @require_POST
    def view(request, uuid):
        recommendation = selectors.recommendation_or_404(request.user, uuid)
        if not access.may_evaluate(request.user):
            raise PermissionDenied
        form = (CannotForm if step == "cannot" else JudgeForm)(request.POST)
        if form.is_valid():
            expected = form.cleaned_data["expected_status"] or None
            try:
                if step == "accept":
                    services.accept(recommendation=recommendation, actor=request.user, expected_status=expected)
                elif step == "cannot":
                    services.cannot(
                        recommendation=recommendation,
                        reason=form.cleaned_data["reason"],
                        actor=request.user,
                        expected_status=expected,
                    )
                else:
                    services.reopen(recommendation=recommendation, actor=request.user, expected_status=expected)
            except services.FollowUpRefused as refusal:
                _refuse_onto(form, refusal)
            else:
                messages.success(request, _("Status tindak lanjut disimpan."))
                return redirect("evaluasi:recommendation", uuid=recommendation.uuid)
        if step == "cannot":
            return _recommendation_page(request, recommendation, cannot_form=form, status=400)
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("evaluasi:recommendation", uuid=recommendation.uuid)

    return view


recommendation_accept = _judge_view("accept")
recommendation_cannot = _judge_view("cannot")
recommendation_reopen = _judge_view("reopen")


@login_required
def case_recommendation_add(request, reference):
    """The form to add a recommendation to a case (linked from the case page's section, which stays one query)."""
    case = policy.get_case_or_404(request.user, reference)
    if not access.may_evaluate(request.user):
        raise PermissionDenied
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _added(request, form, case=case):
        return redirect("cases:detail", reference=case.reference)
    status = 400 if request.method == "POST" else 200
    return render(request, "evaluasi/recommendation_form.html", {"form": form, "case": case}, status=status)


# ---------------------------------------------------------------------------------------------------------
# The case page's section (cases.registry.case_page_sections, registered in EvaluasiConfig.ready())


def case_section(case, user):
    """The case's recommendations on its page: for the office all of them, for an owner their own, with the
    inspectorate's link to add one; nothing for anyone else. One query: the case page's count stays flat
    (tests/cases/test_case_page.py)."""
    recommendations = list(selectors.case_recommendations(case, user))
    may_add = access.may_evaluate(user) and case.status != services.DRAFT and not policy.is_conflicted(user, case)
    if not recommendations and not may_add:
        return None
    return (
        "evaluasi/_case_recommendations.html",
        {
            "recommendations": recommendations,
            "may_add": may_add,
            "today": workdays.today(),
        },
    )


urlpatterns = [
    path("evaluasi-berkala/", evaluation_list, name="evaluations"),
    path("evaluasi-berkala/baru/", evaluation_new, name="evaluation_new"),
    path("evaluasi-berkala/<uuid:uuid>/", evaluation_detail, name="evaluation"),
    path("evaluasi-berkala/<uuid:uuid>/rekomendasi/", evaluation_recommendation_add, name="evaluation_recommendation"),
    path("evaluasi-berkala/<uuid:uuid>/dokumen/", evaluation_document_add, name="evaluation_document"),
    path("dokumen/<uuid:uuid>/", document_download, name="document"),
    path("rekomendasi/", recommendation_list, name="recommendations"),
    path("tindak-lanjut-saya/", my_follow_ups, name="my_follow_ups"),
    path("rekomendasi/<uuid:uuid>/", recommendation_detail, name="recommendation"),
    path("rekomendasi/<uuid:uuid>/tindak-lanjut/", action_add, name="action_add"),
    path("rekomendasi/<uuid:uuid>/terima/", recommendation_accept, name="recommendation_accept"),
    path("rekomendasi/<uuid:uuid>/tidak-dapat/", recommendation_cannot, name="recommendation_cannot"),
    path("rekomendasi/<uuid:uuid>/buka-kembali/", recommendation_reopen, name="recommendation_reopen"),
    path("kasus/<str:reference>/rekomendasi/", case_recommendation_add, name="case_recommendation"),
]
