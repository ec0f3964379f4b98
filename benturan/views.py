"""Pages of benturan kepentingan beyond the core's case page: the declaration form, the risk map, the yearly
statements and their coverage, evaluations and statistics. Thin: resolve through the policy, validate a form,
call one service, redirect."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from benturan import access, exports, selectors, services
from benturan.forms import MainFunctionForm, RiskMapApproveForm, RiskMapEntryForm, RiskMapNewForm
from benturan.models import MainFunction, RiskMap, RiskMapEntry
from cases import services as case_services
from cases.models import Unit


@login_required
def home(request):
    return render(request, "benturan/home.html", {})


# ---------------------------------------------------------------------------------------------------------
# Declarations


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


# ---------------------------------------------------------------------------------------------------------
# Monitoring, evaluation and statistics
