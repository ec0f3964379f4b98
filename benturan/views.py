"""Pages of benturan kepentingan beyond the core's case page: the declaration form, the risk map, the yearly
statements and their coverage, evaluations and statistics. Thin: resolve through the policy, validate a form,
call one service, redirect."""

from uuid import UUID, uuid4

from axes import helpers as axes_helpers
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import OuterRef, Subquery
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from benturan import access, exports, selectors, services
from benturan.forms import (
    INTEREST_ROWS,
    CampaignForm,
    ConfirmStatementForm,
    DeclarationForm,
    InterestFormSet,
    MainFunctionForm,
    ProactiveDeclarationForm,
    RiskMapApproveForm,
    RiskMapEntryForm,
    RiskMapNewForm,
    StatementForm,
    StatisticsForm,
    StepAsideForm,
)
from benturan.kind import DECISION_DAYS
from benturan.models import (
    Declaration,
    InterestStatement,
    MainFunction,
    RiskMap,
    RiskMapEntry,
    StatementCampaign,
    Status,
)
from cases import policy, workdays
from cases import services as case_services
from cases.exports import recap_filename
from cases.models import DeadlineClock, Unit
from cases.services import CaseError
from evaluasi.models import OPEN_FOLLOW_UP, Recommendation


@login_required
def home(request):
    """The hub, by who you are: every employee's statements and declarations; a supervisor's declarations
    waiting for their decision; the inspectorate's and unit heads' registers, evaluations and statistics."""
    user = request.user
    today = workdays.today()
    due = DeadlineClock.objects.filter(case_id=OuterRef("pk"), code="decision").values("due_date")[:1]
    waiting = (
        Declaration.objects.filter(assignee=user, status__in=[Status.SUBMITTED, Status.ANALYSING])
        .annotate(due=Subquery(due))
        .order_by("due", "pk")
    )
    context = {
        "campaigns": selectors.open_campaigns_for(user, today),
        "is_supervisor": access.has_subordinates(user),
        "waiting": list(waiting),
        "flagged": list(selectors.flagged_for_supervisor(user)[:20]),
        "today": today,
        "is_inspector": access.is_inspector(user),
        "is_head": bool(access.headed_unit_ids(user)),
        "owns_recommendations": Recommendation.objects.filter(
            owner=user, evaluation__module=selectors.MODULE, status__in=OPEN_FOLLOW_UP
        ).exists(),
        "decision_days": DECISION_DAYS,
    }
    return render(request, "benturan/home.html", context)


# ---------------------------------------------------------------------------------------------------------
# Declarations


def _with_decision_clock(declarations) -> list:
    """Each declaration with its 7 HK decision clock (`decision_clock`, None for a draft), from one prefetch."""
    rows = list(declarations.select_related("assignee").prefetch_related("clocks"))
    for declaration in rows:
        declaration.decision_clock = next((c for c in declaration.clocks.all() if c.code == "decision"), None)
    return rows


@login_required
def declaration_list(request):
    """The employee's own declarations (drafts included) and, for a supervisor, those routed to them."""
    own = Declaration.objects.filter(reporter=request.user).order_by("-created_at")
    to_decide = (
        policy.visible_cases(request.user, Declaration.objects.filter(assignee=request.user))
        .exclude(status=Status.DRAFT)
        .select_related("reporter")
        .order_by("due_date", "-submitted_at")
    )
    context = {
        "own": _with_decision_clock(own),
        "to_decide": _with_decision_clock(to_decide),
        "today": workdays.today(),
        "may_open": access.has_subordinates(request.user),
    }
    if access.is_inspector(request.user):
        # The evidence behind the statistics: every declaration, read-only, newest first, 50 a page.
        every = Declaration.objects.exclude(status=Status.DRAFT).select_related("reporter", "unit", "assignee")
        page = Paginator(every.order_by("-submitted_at", "-pk"), PEOPLE_PAGE_SIZE).get_page(request.GET.get("page"))
        page.object_list = _with_decision_clock(
            Declaration.objects.filter(pk__in=[d.pk for d in page.object_list]).order_by("-submitted_at", "-pk")
        )
        context["every"] = page
    return render(request, "benturan/declaration_list.html", context)


# A form sent twice (the Back button after sending, a double click) files once. Each new form carries a
# one-time token; the request that files with it first claims it in the shared cache (cache.add is atomic in
# Redis and in the embedded server's memory, so two clicks at once cannot both claim it) and leaves there the
# page it led to. A refused attempt releases it, so the corrected form can be sent again.
SENT_SECONDS = 24 * 3600
PENDING = "…"


def _form_token(request) -> str:
    posted = request.POST.get("form_token", "")
    return posted if len(posted) == 32 and posted.isalnum() else uuid4().hex


def _sent_key(request) -> str | None:
    token = request.POST.get("form_token", "")
    return f"benturan:sent:{request.user.pk}:{token}" if len(token) == 32 and token.isalnum() else None


def _claim(request) -> str | None:
    """None when this request may file; else where the earlier sending led (PENDING while it is still running)."""
    key = _sent_key(request)
    if key is None or cache.add(key, PENDING, SENT_SECONDS):
        return None
    return cache.get(key) or PENDING


def _settle(request, url: str) -> None:
    if key := _sent_key(request):
        cache.set(key, url, SENT_SECONDS)


def _release(request) -> None:
    if key := _sent_key(request):
        cache.delete(key)


def _sent_before(request, earlier: str, fallback: str, message: str):
    if earlier == PENDING:
        messages.info(request, _("Formulir ini sedang dikirim. Tunggu sebentar, lalu muat ulang halaman ini."))
        return redirect(fallback)
    messages.info(request, message)
    return redirect(earlier)


def _declaration_form_page(request, declaration: Declaration | None = None):
    """The declaration form: "Simpan draf" keeps a draft; "Ajukan kepada atasan" keeps it and submits it.
    A refusal (no supervisor, no unit in the profile) is shown above the form with everything typed kept; the
    draft saved before the refusal stays, so the form then posts to that draft."""
    initial = None
    if declaration is not None and request.method != "POST":
        initial = {name: getattr(declaration, name) for name in services.DECLARATION_FIELDS}
        initial["supervisor_involved"] = declaration.supervisor_involved
    form = DeclarationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            if declaration is None and (key := _sent_key(request)) and (earlier := cache.get(key)):
                return _sent_before(
                    request,
                    earlier,
                    reverse("benturan:declarations"),
                    _("Formulir ini sudah dikirim sebelumnya; deklarasi tidak dibuat dua kali."),
                )
            twin = selectors.recent_twin(request.user, form.cleaned_data["subject"], declaration)
            if twin is not None and not request.POST.get("separate"):
                # The Back button reloads the form empty of its token: the same matter again is asked about.
                messages.warning(
                    request,
                    _(
                        "Anda sudah menyatakan benturan kepentingan untuk kegiatan yang sama (%(ref)s) dalam 24 jam "
                        "terakhir. Bila ini deklarasi yang berbeda, centang “Ini deklarasi terpisah” lalu kirim lagi."
                    )
                    % {"ref": twin.reference},
                )
                context = {"form": form, "declaration": declaration, "form_token": _form_token(request), "twin": twin}
                return render(request, "benturan/declaration_form.html", context)
            if declaration is None and (earlier := _claim(request)):
                return _sent_before(
                    request,
                    earlier,
                    reverse("benturan:declarations"),
                    _("Formulir ini sudah dikirim sebelumnya; deklarasi tidak dibuat dua kali."),
                )
            try:
                declaration = services.declaration_save(
                    actor=request.user, fields=form.cleaned_data, declaration=declaration
                )
                if "submit" in request.POST:
                    declaration = services.declaration_submit(declaration, "submit", request.user)
            except case_services.NotAllowed as exc:
                _release(request)
                raise PermissionDenied(exc.message) from exc
            except case_services.CaseError as exc:
                # A draft may exist now (saved before the submission was refused): the form posts to it next,
                # so the token stays claimed for the page it leads to.
                if declaration is None:
                    _release(request)
                else:
                    _settle(request, reverse("benturan:declaration_edit", args=[declaration.reference]))
                messages.error(request, exc.message)
            else:
                if declaration.status == Status.DRAFT:
                    _settle(request, reverse("benturan:declaration_edit", args=[declaration.reference]))
                    messages.success(
                        request,
                        _("Draf deklarasi tersimpan. Anda dapat melanjutkannya kapan saja."),
                    )
                    return redirect("benturan:declaration_edit", reference=declaration.reference)
                messages.success(
                    request,
                    _(
                        "Deklarasi %(ref)s diajukan kepada %(name)s; keputusan atau kegiatan terkait dibekukan "
                        "sampai atasan memutuskan."
                    )
                    % {
                        "ref": declaration.reference,
                        "name": declaration.assignee.get_full_name() or declaration.assignee.username,
                    },
                )
                _settle(request, reverse("cases:detail", args=[declaration.reference]))
                return redirect("cases:detail", reference=declaration.reference)
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai. Semua yang sudah Anda ketik tetap ada."))
    context = {"form": form, "declaration": declaration, "form_token": _form_token(request)}
    return render(request, "benturan/declaration_form.html", context)


def _submitted_draft(user, reference: str):
    if not case_services.is_provisional_reference(reference):
        return None
    pk = Declaration.history.filter(reference=reference).values_list("case_id", flat=True).first()
    return policy.visible_cases(user).filter(pk=pk).first() if pk else None


@login_required
def declaration_create(request):
    return _declaration_form_page(request)


@login_required
def declaration_edit(request, reference):
    try:
        declaration = policy.get_case_or_404(request.user, reference, Declaration.objects.all())
    except Http404:
        # A draft's provisional number (DRAF-…) gives way to the register number at submission; a bookmark or
        # the Back button still leads to the declaration, if the user may see it.
        submitted = _submitted_draft(request.user, reference)
        if submitted is None:
            raise
        messages.info(request, _("Draf ini sudah diajukan sebagai %(ref)s.") % {"ref": submitted.reference})
        return redirect("cases:detail", reference=submitted.reference)
    if not policy.is_reporter(request.user, declaration):
        raise PermissionDenied(_("Hanya pegawai yang menyatakan yang dapat mengubah drafnya."))
    if declaration.status != Status.DRAFT:
        messages.info(request, _("Deklarasi ini sudah diajukan dan tidak dapat diubah lagi."))
        return redirect("cases:detail", reference=reference)
    return _declaration_form_page(request, declaration)


@login_required
@require_POST
def declaration_delete(request, reference):
    declaration = policy.get_case_or_404(request.user, reference, Declaration.objects.all())
    if not policy.is_reporter(request.user, declaration):
        raise PermissionDenied(_("Hanya pegawai yang menyatakan yang dapat menghapus drafnya."))
    try:
        services.draft_delete(actor=request.user, declaration=declaration)
    except case_services.NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except case_services.CaseError as exc:
        messages.error(request, exc.message)
        return redirect("cases:detail", reference=reference)
    messages.success(request, _("Draf deklarasi dihapus."))
    return redirect("benturan:declarations")


@login_required
def declaration_open(request):
    """A supervisor opens a declaration about a subordinate (DESIGN §5); only someone with subordinates."""
    if not access.has_subordinates(request.user):
        raise PermissionDenied(_("Hanya atasan yang memiliki bawahan yang dapat membuka deklarasi."))
    form = ProactiveDeclarationForm(request.POST or None, supervisor=request.user)
    if request.method == "POST":
        if form.is_valid():
            fields = {name: value for name, value in form.cleaned_data.items() if name != "employee"}
            try:
                declaration = services.declaration_open(
                    actor=request.user, employee=form.cleaned_data["employee"], fields=fields
                )
            except case_services.NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except case_services.CaseError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("Deklarasi %(ref)s dibuka. Anda memutuskannya dalam 7 hari kerja.")
                    % {"ref": declaration.reference},
                )
                return redirect("cases:detail", reference=declaration.reference)
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai. Semua yang sudah Anda ketik tetap ada."))
    return render(request, "benturan/declaration_open.html", {"form": form})


@login_required
@require_POST
def declaration_step_aside(request, reference):
    """The supervisor deciding it is part of the conflict: it goes to the next level up, and they lose sight
    of it (benturan.services.decider_step_aside)."""
    declaration = policy.get_case_or_404(request.user, reference, Declaration.objects.all())
    form = StepAsideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasannya dan centang konfirmasi untuk melimpahkan deklarasi ini."))
        return redirect("cases:detail", reference=reference)
    try:
        services.decider_step_aside(declaration=declaration, actor=request.user, reason=form.cleaned_data["reason"])
    except case_services.NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except case_services.CaseError as exc:
        messages.error(request, exc.message)
        return redirect("cases:detail", reference=reference)
    messages.success(
        request,
        _("Deklarasi %(ref)s dilimpahkan kepada atasan Anda; Anda tidak lagi dapat melihatnya.")
        % {"ref": declaration.reference},
    )
    return redirect("benturan:declarations")


@login_required
def declaration_letter(request, reference):
    """The decision letter as PDF, once decided, for whoever may see the declaration. Every download is an
    `exported` audit event."""
    declaration = policy.get_case_or_404(request.user, reference, Declaration.objects.all())
    if not declaration.outcome:
        messages.info(request, _("Surat keputusan tersedia setelah atasan memutuskan deklarasi ini."))
        return redirect("cases:detail", reference=reference)
    pdf = exports.decision_letter_pdf(declaration)
    case_services.export_record(case=declaration, actor=request.user, what="decision-letter-pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="surat-keputusan-{declaration.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------------------------
# Risk map


# Said when a form comes back with errors: nothing typed is lost.
CHECK_INPUT = gettext_lazy("Periksa kembali isian yang ditandai. Semua yang sudah Anda ketik tetap ada.")


def _map_or_404(user, uuid) -> RiskMap:
    """The map if `user` may read it (a draft only for its preparers); 404 otherwise, so a map the user may not
    read looks like one that does not exist."""
    risk_map = RiskMap.objects.select_related("unit", "prepared_by", "approved_by").filter(uuid=uuid).first()
    if risk_map is None or not selectors.map_visible(user, risk_map):
        raise Http404
    return risk_map


def _entry_or_404(risk_map: RiskMap, order: int) -> RiskMapEntry:
    entry = risk_map.entries.filter(order=order).select_related("function").first()
    if entry is None:
        raise Http404
    return entry


@login_required
def functions(request, unit_code):
    """A unit's main functions (tugas dan fungsi utama), the denominator of the map's coverage: listed, added,
    deactivated and activated again by who may prepare the map. POST carries `action`: add, deactivate, activate."""
    unit = get_object_or_404(Unit, code=unit_code)
    if not access.may_prepare_map(request.user, unit):
        raise PermissionDenied(_("Hanya inspektur atau kepala unit yang dapat mengelola tugas/fungsi utama unit ini."))
    form = MainFunctionForm()
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "add":
                form = MainFunctionForm(request.POST)
                if form.is_valid():
                    function = services.function_add(actor=request.user, unit=unit, name=form.cleaned_data["name"])
                    messages.success(request, _("Tugas/fungsi utama “%(name)s” dicatat.") % {"name": function.name})
                    return redirect("benturan:functions", unit_code=unit.code)
                messages.error(request, CHECK_INPUT)
            elif action in ("deactivate", "activate"):
                function = MainFunction.objects.filter(unit=unit, pk=request.POST.get("function") or 0).first()
                if function is None:
                    raise Http404
                services.function_set_active(actor=request.user, function=function, active=action == "activate")
                messages.success(request, _("Tugas/fungsi utama diperbarui."))
                return redirect("benturan:functions", unit_code=unit.code)
            else:
                return HttpResponseBadRequest(_("Tindakan tidak dikenal."))
        except case_services.NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except case_services.CaseError as exc:
            messages.error(request, exc.message)
    context = {
        "unit": unit,
        "form": form,
        "functions": MainFunction.objects.filter(unit=unit).order_by("-is_active", "order", "name"),
    }
    return render(request, "benturan/map_functions.html", context)


def _maps_page(request, form=None, existing_draft=None, status=200):
    units = selectors.preparable_units(request.user)
    context = {
        "years": selectors.map_years(request.user),
        "form": form or RiskMapNewForm(units=units),
        "may_prepare": units.exists(),
        "preparable_units": units,
        "existing_draft": existing_draft,
    }
    return render(request, "benturan/map_list.html", context, status=status)


@login_required
def maps(request):
    """The risk maps the user may read, per unit and year: status, versions and the coverage (LKE a)."""
    return _maps_page(request)


@login_required
@require_POST
def map_new(request):
    """Open a draft: version 1, or a new version copied from the latest approved one (this year or last)."""
    form = RiskMapNewForm(request.POST, units=selectors.preparable_units(request.user))
    if not form.is_valid():
        messages.error(request, CHECK_INPUT)
        return _maps_page(request, form=form)
    try:
        risk_map = services.map_create(
            actor=request.user, unit=form.cleaned_data["unit"], year=form.cleaned_data["year"]
        )
    except services.DraftExists as exc:
        messages.error(request, exc.message)
        return _maps_page(request, form=form, existing_draft=exc.draft, status=409)
    except case_services.NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    if risk_map.version > 1 or risk_map.notes:
        messages.success(
            request,
            _(
                "Konsep versi %(version)s dibuat dari peta yang terakhir disetujui. Ubah barisnya, lalu mintakan "
                "persetujuan kepala unit."
            )
            % {"version": risk_map.version},
        )
    else:
        messages.success(request, _("Konsep peta risiko dibuat. Tambahkan baris identifikasinya."))
    return redirect("benturan:map_detail", uuid=risk_map.uuid)


def _detail_page(request, risk_map: RiskMap, *, entry_form=None, approve_form=None, status=200):
    may_edit = not risk_map.is_approved and access.may_prepare_map(request.user, risk_map.unit)
    may_approve = not risk_map.is_approved and access.may_approve_map(request.user, risk_map.unit)
    context = {
        "risk_map": risk_map,
        "entries": selectors.map_entries(risk_map),
        "coverage": selectors.map_coverage(unit=risk_map.unit, year=risk_map.year),
        "version_coverage": selectors.version_coverage(risk_map),
        "may_edit": may_edit,
        "may_approve": may_approve,
        "may_prepare": access.may_prepare_map(request.user, risk_map.unit),
        "entry_form": entry_form or (RiskMapEntryForm(unit=risk_map.unit) if may_edit else None),
        "approve_form": approve_form or (RiskMapApproveForm() if may_approve else None),
        "approver_name": (risk_map.approved_by.get_full_name() or risk_map.approved_by.get_username())
        if risk_map.approved_by
        else "",
        "head": access.head_of(risk_map.unit),
        "other_versions": RiskMap.objects.filter(unit=risk_map.unit, year=risk_map.year)
        .exclude(pk=risk_map.pk)
        .order_by("-version"),
    }
    return render(request, "benturan/map_detail.html", context, status=status)


@login_required
def map_detail(request, uuid):
    """The identification table of one version; on a draft, its preparers add and change rows and the head of
    the unit approves it."""
    return _detail_page(request, _map_or_404(request.user, uuid))


def _entry_fields(form) -> dict:
    return {name: form.cleaned_data[name] for name in services.ENTRY_FIELDS}


@login_required
@require_POST
def entry_add(request, uuid):
    risk_map = _map_or_404(request.user, uuid)
    form = RiskMapEntryForm(request.POST, unit=risk_map.unit)
    if not form.is_valid():
        messages.error(request, CHECK_INPUT)
        return _detail_page(request, risk_map, entry_form=form)
    try:
        services.entry_save(actor=request.user, risk_map=risk_map, fields=_entry_fields(form))
    except case_services.NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except case_services.CaseError as exc:
        messages.error(request, exc.message)
        return _detail_page(request, risk_map, entry_form=form, status=409)
    messages.success(request, _("Baris ditambahkan."))
    return redirect(f"{reverse('benturan:map_detail', args=[risk_map.uuid])}#identifikasi")


@login_required
def entry_edit(request, uuid, order):
    """Change one row of a draft (GET shows the form, POST saves). An approved map's rows never change: the
    service refuses, whatever the form says."""
    risk_map = _map_or_404(request.user, uuid)
    entry = _entry_or_404(risk_map, order)
    if not access.may_prepare_map(request.user, risk_map.unit):
        raise PermissionDenied(_("Hanya inspektur atau kepala unit yang dapat menyusun peta risiko unit ini."))
    if risk_map.is_approved:
        if request.method == "POST":
            raise PermissionDenied(_("Peta risiko yang sudah disetujui tidak dapat diubah. Buat versi baru."))
        messages.info(request, _("Peta risiko ini sudah disetujui dan tidak dapat diubah. Buat versi baru."))
        return redirect("benturan:map_detail", uuid=risk_map.uuid)
    initial = {name: getattr(entry, name) for name in services.ENTRY_FIELDS}
    form = RiskMapEntryForm(request.POST or None, unit=risk_map.unit, function=entry.function, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.entry_save(actor=request.user, risk_map=risk_map, entry=entry, fields=_entry_fields(form))
            except case_services.NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except case_services.CaseError as exc:
                messages.error(request, exc.message)
                status = 409
            else:
                messages.success(request, _("Baris diperbarui."))
                return redirect(f"{reverse('benturan:map_detail', args=[risk_map.uuid])}#identifikasi")
        else:
            messages.error(request, CHECK_INPUT)
    context = {"risk_map": risk_map, "entry": entry, "form": form}
    return render(request, "benturan/map_entry_form.html", context, status=status)


@login_required
@require_POST
def entry_delete(request, uuid, order):
    risk_map = _map_or_404(request.user, uuid)
    entry = _entry_or_404(risk_map, order)
    try:
        services.entry_delete(actor=request.user, risk_map=risk_map, entry=entry)
    except case_services.NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except case_services.CaseError as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Baris dihapus."))
    return redirect(f"{reverse('benturan:map_detail', args=[risk_map.uuid])}#identifikasi")


@login_required
@require_POST
def map_approve(request, uuid):
    """The head of the unit approves the draft, ticking the confirmation."""
    risk_map = _map_or_404(request.user, uuid)
    if not access.may_approve_map(request.user, risk_map.unit):
        raise PermissionDenied(_("Hanya kepala unit yang dapat menyetujui peta risiko unit ini."))
    form = RiskMapApproveForm(request.POST)
    if not form.is_valid():
        return _detail_page(request, risk_map, approve_form=form)
    try:
        services.map_approve(actor=request.user, risk_map=risk_map)
    except case_services.NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except case_services.CaseError as exc:
        messages.error(request, exc.message)
        return _detail_page(request, risk_map, approve_form=form, status=409)
    messages.success(request, _("Peta risiko disetujui. Versi ini kini menjadi dokumen unit dan tidak dapat diubah."))
    return redirect("benturan:map_detail", uuid=risk_map.uuid)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def map_pdf(request, uuid):
    risk_map = _map_or_404(request.user, uuid)
    return _download(exports.map_pdf(risk_map), "application/pdf", exports.map_filename(risk_map, "pdf"))


@login_required
def map_xlsx(request, uuid):
    risk_map = _map_or_404(request.user, uuid)
    return _download(
        exports.map_xlsx(risk_map),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        exports.map_filename(risk_map, "xlsx"),
    )


# ---------------------------------------------------------------------------------------------------------
# Yearly statements and campaigns


def _reauthenticate(request, password: str) -> str:
    """Check the signed-in user's password again (the statement is confirmed by re-authentication). Returns
    "" when it is theirs, else the message to show. Wrong passwords count in django-axes like wrong sign-ins
    (the same limit and cool-off), but the answer is this page with everything typed kept, not the lock-out
    page: the statement is not lost to a typo."""
    credentials = {"username": request.user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        request.axes_locked_out = False  # our own answer below, not axes' lock-out page
        return _locked_message(request)
    user = authenticate(request, username=request.user.get_username(), password=password)
    if user is not None and user.pk == request.user.pk:
        return ""
    if getattr(request, "axes_locked_out", False):
        request.axes_locked_out = False
        return _locked_message(request)
    return _("Kata sandi salah. Pernyataan belum disampaikan; isian Anda tetap ada.")


def _locked_message(request) -> str:
    minutes = max(1, round(axes_helpers.get_cool_off(request).total_seconds() / 60))
    return _("Terlalu banyak kata sandi salah. Coba lagi setelah %(minutes)s menit; isian Anda tetap ada.") % {
        "minutes": minutes
    }


def _statement_campaign(request):
    """The campaign a statement is filed in: the one asked for (?kampanye=), else the open campaign of the
    statement in force, else the open campaign that closes first, else none (a change of circumstances may be
    filed any time)."""
    wanted = request.POST.get("kampanye") or request.GET.get("kampanye") or ""
    if wanted:
        try:
            return StatementCampaign.objects.select_related("unit").get(uuid=UUID(wanted))
        except (ValueError, StatementCampaign.DoesNotExist):
            raise Http404 from None
    found = selectors.open_campaigns_for(request.user, workdays.today())
    # A change of circumstances belongs with the statement it changes, while that campaign is still open.
    current = selectors.current_statement(request.user)
    same = [campaign for campaign in found if current is not None and campaign.pk == current.campaign_id]
    return (same or found or [None])[0]


@login_required
def statement(request):
    """The employee's own page: the open campaigns that include them, their current statement and its history."""
    today = workdays.today()
    context = {
        "campaigns": selectors.open_campaigns_for(request.user, today),
        "current": selectors.current_statement(request.user),
        "history": selectors.statement_history(request.user),
        "flagged": selectors.flagged_for_supervisor(request.user)[:100],
    }
    return render(request, "benturan/statement_page.html", context)


@login_required
def statement_new(request):
    """File a statement (?kampanye=<uuid>) or a change of circumstances (?perubahan=1): the choice, the
    interests, then the confirmation with the password, all in one POST."""
    is_change = (request.POST.get("perubahan") or request.GET.get("perubahan")) == "1"
    campaign = _statement_campaign(request)
    if campaign is None and not is_change:
        messages.info(
            request,
            _(
                "Tidak ada kampanye pernyataan yang sedang dibuka untuk Anda. Perubahan keadaan dapat "
                "dilaporkan kapan saja."
            ),
        )
        return redirect("benturan:statement")
    bound = request.method == "POST"
    adding_rows = bound and "tambah_baris" in request.POST
    data = request.POST.copy() if bound else None
    current = selectors.current_statement(request.user)
    if adding_rows:
        total = int(data.get("kepentingan-TOTAL_FORMS") or 0)
        data["kepentingan-TOTAL_FORMS"] = str(min(total + INTEREST_ROWS, InterestFormSet.max_num))
    initial, rows = None, None
    if not bound and current is not None:
        # A correction starts from what is in force, not from an empty form.
        initial = {"has_interests": "1" if current.has_interests else "0"}
        rows = [
            {"category": item.category, "party": item.party, "description": item.description}
            for item in current.interests.all()
        ]
    form = StatementForm(data, initial=initial)
    formset = InterestFormSet(data, prefix="kepentingan", initial=rows)
    confirm = ConfirmStatementForm(None if adding_rows else data)
    if bound and not adding_rows:
        valid = all([form.is_valid(), formset.is_valid(), confirm.is_valid()])
        interests = [row for row in (f.interest() for f in formset.forms) if row] if valid else []
        if valid and form.cleaned_data["has_interests"] and not interests:
            formset._non_form_errors = formset.error_class(
                [_("Isi paling sedikit satu kepentingan, atau pilih pernyataan tidak memiliki kepentingan.")]
            )
            valid = False
        if valid and not form.cleaned_data["has_interests"] and interests:
            # Filled rows under "no interest" are a contradiction, not something to drop silently.
            formset._non_form_errors = formset.error_class(
                [
                    _(
                        "Anda memilih tidak memiliki kepentingan tetapi mengisi daftar kepentingan. Kosongkan "
                        "barisnya, atau pilih “Saya memiliki kepentingan pribadi berikut”."
                    )
                ]
            )
            valid = False
        if valid:
            problem = _reauthenticate(request, confirm.cleaned_data["password"])
            if problem:
                confirm.add_error("password", problem)
                valid = False
        if valid and (earlier := _claim(request)):
            return _sent_before(
                request,
                earlier,
                reverse("benturan:statement"),
                _("Pernyataan ini sudah disampaikan sebelumnya; tidak disimpan dua kali."),
            )
        if valid:
            try:
                filed = services.statement_file(
                    employee=request.user,
                    campaign=campaign,
                    has_interests=form.cleaned_data["has_interests"],
                    interests=interests,
                    is_change=is_change,
                )
            except CaseError as exc:
                _release(request)
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Pernyataan Anda tersimpan. Terima kasih."))
                _settle(request, reverse("benturan:statement_detail", args=[filed.uuid]))
                return redirect("benturan:statement_detail", uuid=filed.uuid)
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai. Semua yang sudah Anda ketik tetap ada."))
    elif not bound and campaign is not None:
        today = workdays.today()
        if not campaign.is_open_on(today) or not selectors.campaign_includes(campaign, request.user):
            messages.error(request, _("Kampanye ini tidak sedang dibuka untuk Anda."))
            return redirect("benturan:statement")
    context = {
        "form": form,
        "formset": formset,
        "confirm": confirm,
        "campaign": campaign,
        "is_change": is_change,
        "current": current,
        "form_token": _form_token(request),
    }
    return render(request, "benturan/statement_form.html", context)


@login_required
def statement_detail(request, uuid):
    queryset = InterestStatement.objects.select_related("campaign", "unit", "employee__profile", "supersedes")
    found = access.readable_statements(request.user, queryset).filter(uuid=uuid).first()
    if found is None:
        raise Http404
    context = {
        "statement": found,
        "interests": found.interests.all(),
        # Links only to what this reader may open (a supervisor reads the flagged statement, not its history).
        "superseded_by": access.readable_statements(
            request.user, InterestStatement.objects.filter(supersedes=found)
        ).first(),
        "previous": access.readable_statements(
            request.user, InterestStatement.objects.filter(pk=found.supersedes_id)
        ).first(),
        "own": found.employee_id == request.user.pk,
    }
    return render(request, "benturan/statement_detail.html", context)


PEOPLE_PAGE_SIZE = 50


def _visible_campaigns(user):
    campaigns = StatementCampaign.objects.select_related("unit", "created_by").order_by("-year", "-opens_on", "-pk")
    return [campaign for campaign in campaigns if access.may_see_coverage(user, campaign)]


def _campaign_or_404(request, uuid) -> StatementCampaign:
    campaign = StatementCampaign.objects.select_related("unit", "created_by").filter(uuid=uuid).first()
    if campaign is None or not access.may_see_coverage(request.user, campaign):
        raise Http404
    return campaign


@login_required
def campaigns(request):
    """The campaigns the reader may see, each with its coverage (for a unit head: their units only)."""
    rows = []
    for campaign in _visible_campaigns(request.user):
        totals = selectors.coverage_totals(
            selectors.campaign_coverage(campaign, access.coverage_unit_ids(request.user, campaign))
        )
        rows.append((campaign, totals))
    if not rows and not access.may_open_campaign(request.user):
        raise PermissionDenied(_("Halaman ini untuk inspektur dan kepala unit."))
    context = {"rows": rows, "may_open": access.may_open_campaign(request.user), "today": workdays.today()}
    return render(request, "benturan/campaign_list.html", context)


@login_required
def campaign_new(request):
    if not access.may_open_campaign(request.user):
        raise PermissionDenied(_("Hanya inspektur yang dapat membuka kampanye pernyataan."))
    form = CampaignForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = services.campaign_create(
                    actor=request.user, fields={name: form.cleaned_data[name] for name in CampaignForm.Meta.fields}
                )
            except services.NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except CaseError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Kampanye %(title)s dibuka.") % {"title": campaign.title})
                return redirect("benturan:campaign_detail", uuid=campaign.uuid)
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai. Semua yang sudah Anda ketik tetap ada."))
    return render(request, "benturan/campaign_form.html", {"form": form})


STATUS_FILTERS = (
    ("belum", gettext_lazy("Belum mengisi")),
    ("kepentingan", gettext_lazy("Menyatakan kepentingan")),
    ("sudah", gettext_lazy("Sudah mengisi")),
    ("semua", gettext_lazy("Semua")),
)


@login_required
def campaign_detail(request, uuid):
    """Coverage per unit, the totals, and the people list (who has not filed, who declared an interest),
    filterable by unit and status. A unit head sees their units only."""
    campaign = _campaign_or_404(request, uuid)
    unit_ids = access.coverage_unit_ids(request.user, campaign)
    rows = selectors.campaign_coverage(campaign, unit_ids)
    who_declared = access.may_see_who_declared(request.user)
    filters = [(value, label) for value, label in STATUS_FILTERS if who_declared or value != "kepentingan"]
    status = request.GET.get("status") or "belum"
    if status not in dict(filters):
        status = "belum"
    shown_units = unit_ids
    unit_filter = None
    wanted = request.GET.get("unit") or ""
    if wanted:
        unit_filter = next((row.unit for row in rows if str(row.unit.pk) == wanted), None)
        if unit_filter is not None:
            shown_units = {unit_filter.pk}
    people = Paginator(selectors.campaign_people(campaign, shown_units, status), PEOPLE_PAGE_SIZE)
    context = {
        "campaign": campaign,
        "rows": rows,
        "totals": selectors.coverage_totals(rows),
        "page": people.get_page(request.GET.get("page")),
        "status": status,
        "status_filters": filters,
        "who_declared": who_declared,
        "unit_filter": unit_filter,
        "today": workdays.today(),
    }
    return render(request, "benturan/campaign_detail.html", context)


@login_required
def campaign_xlsx(request, uuid):
    campaign = _campaign_or_404(request, uuid)
    unit_ids = access.coverage_unit_ids(request.user, campaign)
    data = exports.campaign_coverage_xlsx(campaign, unit_ids, who_declared=access.may_see_who_declared(request.user))
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = (
        f'attachment; filename="cakupan-pernyataan-{campaign.year}-{slugify(campaign.unit.code)}.xlsx"'
    )
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------------------------
# Monitoring, evaluation and statistics


# Benturan's evaluations and their recommendations live in evaluasi's register (module "benturan", moved in issue
# 12, same uuids): the old addresses lead there, where evaluasi's pages check who may read and change them.


@login_required
def evaluations(request):
    return redirect(reverse("evaluasi:evaluations") + "?module=benturan")


@login_required
def evaluation_new(request):
    return redirect("evaluasi:evaluation_new")


@login_required
def evaluation_detail(request, uuid):
    return redirect("evaluasi:evaluation", uuid=uuid)


@login_required
def recommendation_update(request, uuid):
    return redirect("evaluasi:recommendation", uuid=uuid)


def _statistics_access(user):
    """The units the reader may see (queryset) and whether they see all of them; 403 for anyone else."""

    allowed = selectors.statistics_units(user)
    if allowed is not None and not allowed:
        raise PermissionDenied(_("Statistik benturan kepentingan hanya untuk inspektur dan kepala unit kerja."))
    units = Unit.objects.filter(is_active=True)
    if allowed is not None:
        units = units.filter(pk__in=allowed)
    return allowed, units


def _figures(data: dict, allowed) -> dict:
    return selectors.figures(start=data["start"], end=data["end"], unit=data.get("unit"), allowed=allowed)


def _statistics_form(request, allowed, units):
    return StatisticsForm(request.GET or None, units=units, all_units=allowed is None)


@login_required
def statistics(request):
    """Figures for a period and unit (LKE benturan kepentingan a–e), for the inspectorate and unit heads."""
    allowed, units = _statistics_access(request.user)
    form = _statistics_form(request, allowed, units)
    if not form.is_bound:
        form = _statistics_form_default(allowed, units)
    stats = _figures(form.cleaned_data, allowed) if form.is_valid() else None
    return render(request, "benturan/statistics.html", {"form": form, "stats": stats, "query": request.GET.urlencode()})


def _statistics_form_default(allowed, units):
    return StatisticsForm({"year": workdays.today().year}, units=units, all_units=allowed is None)


@login_required
def statistics_xlsx(request):
    allowed, units = _statistics_access(request.user)
    form = _statistics_form(request, allowed, units)
    if not form.is_bound:
        form = _statistics_form_default(allowed, units)
    if not form.is_valid():
        messages.error(request, _("Periksa kembali periode atau unit yang dipilih."))
        return redirect("benturan:statistics")
    stats = _figures(form.cleaned_data, allowed)
    response = HttpResponse(
        exports.statistics_xlsx(stats),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = recap_filename("benturan", stats)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
