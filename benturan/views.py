"""Pages of benturan kepentingan beyond the core's case page: the declaration form, the risk map, the yearly
statements and their coverage, evaluations and statistics. Thin: resolve through the policy, validate a form,
call one service, redirect."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def home(request):
    return render(request, "benturan/home.html", {})


# ---------------------------------------------------------------------------------------------------------
# Declarations

from django.contrib import messages  # noqa: E402
from django.core.exceptions import PermissionDenied  # noqa: E402
from django.http import HttpResponse  # noqa: E402
from django.shortcuts import redirect  # noqa: E402
from django.utils.translation import gettext as _  # noqa: E402
from django.views.decorators.http import require_POST  # noqa: E402

from benturan import exports as benturan_exports  # noqa: E402
from benturan import services as benturan_services  # noqa: E402
from benturan.forms import DeclarationForm, ProactiveDeclarationForm, StepAsideForm  # noqa: E402
from benturan.models import Declaration  # noqa: E402
from benturan.models import Status as DeclarationStatus  # noqa: E402
from cases import policy, workdays  # noqa: E402
from cases import services as case_services  # noqa: E402
from cases.models import EmployeeProfile  # noqa: E402


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
        .exclude(status=DeclarationStatus.DRAFT)
        .select_related("reporter")
        .order_by("due_date", "-submitted_at")
    )
    context = {
        "own": _with_decision_clock(own),
        "to_decide": _with_decision_clock(to_decide),
        "today": workdays.today(),
        "may_open": _has_subordinates(request.user),
    }
    return render(request, "benturan/declaration_list.html", context)


def _declaration_form_page(request, declaration: Declaration | None = None):
    """The declaration form: "Simpan draf" keeps a draft; "Ajukan kepada atasan" keeps it and submits it.
    A refusal (no supervisor, no unit in the profile) is shown above the form with everything typed kept; the
    draft saved before the refusal stays, so the form then posts to that draft."""
    initial = None
    if declaration is not None and request.method != "POST":
        initial = {name: getattr(declaration, name) for name in benturan_services.DECLARATION_FIELDS}
        initial["supervisor_involved"] = declaration.supervisor_involved
    form = DeclarationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                declaration = benturan_services.declaration_save(
                    actor=request.user, fields=form.cleaned_data, declaration=declaration
                )
                if "submit" in request.POST:
                    declaration = benturan_services.declaration_submit(declaration, "submit", request.user)
            except case_services.NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except case_services.CaseError as exc:
                messages.error(request, exc.message)
            else:
                if declaration.status == DeclarationStatus.DRAFT:
                    messages.success(
                        request,
                        _("Draf deklarasi tersimpan. Anda dapat melanjutkannya kapan saja."),
                    )
                    return redirect("benturan:declaration_edit", reference=declaration.reference)
                messages.success(
                    request,
                    _(
                        "Deklarasi %(ref)s diajukan kepada %(name)s. Keputusan atau kegiatan terkait dibekukan "
                        "sampai atasan memutuskan."
                    )
                    % {
                        "ref": declaration.reference,
                        "name": declaration.assignee.get_full_name() or declaration.assignee.username,
                    },
                )
                return redirect("cases:detail", reference=declaration.reference)
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai. Semua yang sudah Anda ketik tetap ada."))
    return render(request, "benturan/declaration_form.html", {"form": form, "declaration": declaration})


@login_required
def declaration_create(request):
    return _declaration_form_page(request)


@login_required
def declaration_edit(request, reference):
    declaration = policy.get_case_or_404(request.user, reference, Declaration.objects.all())
    if not policy.is_reporter(request.user, declaration):
        raise PermissionDenied(_("Hanya pegawai yang menyatakan yang dapat mengubah drafnya."))
    if declaration.status != DeclarationStatus.DRAFT:
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
        benturan_services.draft_delete(actor=request.user, declaration=declaration)
    except case_services.NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except case_services.CaseError as exc:
        messages.error(request, exc.message)
        return redirect("cases:detail", reference=reference)
    messages.success(request, _("Draf deklarasi dihapus."))
    return redirect("benturan:declarations")


def _has_subordinates(user) -> bool:
    return EmployeeProfile.objects.filter(supervisor=user, user__is_active=True).exists()


@login_required
def declaration_open(request):
    """A supervisor opens a declaration about a subordinate (DESIGN §5); only someone with subordinates."""
    if not _has_subordinates(request.user):
        raise PermissionDenied(_("Hanya atasan yang memiliki bawahan yang dapat membuka deklarasi."))
    form = ProactiveDeclarationForm(request.POST or None, supervisor=request.user)
    if request.method == "POST":
        if form.is_valid():
            fields = {name: value for name, value in form.cleaned_data.items() if name != "employee"}
            try:
                declaration = benturan_services.declaration_open(
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
        benturan_services.decider_step_aside(
            declaration=declaration, actor=request.user, reason=form.cleaned_data["reason"]
        )
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
    pdf = benturan_exports.decision_letter_pdf(declaration)
    case_services.export_record(case=declaration, actor=request.user, what="decision-letter-pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="surat-keputusan-{declaration.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------------------------
# Risk map


# ---------------------------------------------------------------------------------------------------------
# Yearly statements and campaigns


# ---------------------------------------------------------------------------------------------------------
# Monitoring, evaluation and statistics
