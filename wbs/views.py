"""WBS views: the configuration of its public pages (the core's, cases.intake_views: no account, no address,
no session — see cases.middleware.PublicIntakePrivacyMiddleware) and the handlers' and custodians' pages."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cases import intake_views, policy
from cases.services import CaseError, NotAllowed
from wbs import services as wbs_services
from wbs.forms import (
    CustodianKeyForm,
    CustodianRemoveForm,
    DisclosureDecisionForm,
    DisclosureRequestForm,
    ExcludeForm,
    PassphraseChangeForm,
    PassphraseForm,
    ReporterFilesForm,
    ReporterIdentityForm,
    ReporterMessageForm,
    ReportForm,
    TrackForm,
)
from wbs.models import REPORTER_STAGES, REPORTER_STEPS, CustodianKey, DisclosureDecision, DisclosureRequest, WbsReport

# ---------------------------------------------------------------------------------------------------------
# Public: report, receipt, tracking — the core's pages (cases.intake_views) with what only WBS has: its forms,
# its templates, the stages a reporter sees, and the reporter's identity sealed to the custodians.


def _submit(*, form: ReportForm, files: list):
    return wbs_services.report_submit(
        fields=form.report_fields(), unit=form.cleaned_data["unit"], identity=form.identity(), files=files
    )


def _seal_identity(report, form: ReporterIdentityForm) -> None:
    wbs_services.report_identity_add(report=report, identity=form.identity())


INTAKE = intake_views.IntakeConfig(
    kind="wbs",
    report_form=ReportForm,
    track_form=TrackForm,
    message_form=ReporterMessageForm,
    files_form=ReporterFilesForm,
    templates=intake_views.IntakeTemplates(
        report="wbs/report_form.html", receipt="wbs/receipt.html", track="wbs/track.html", status="wbs/status.html"
    ),
    submit=_submit,
    add_files=lambda report, files: wbs_services.report_files_add(report=report, files=files),
    stages=REPORTER_STAGES,
    steps=REPORTER_STEPS,
    detail=lambda case: WbsReport.objects.filter(pk=case.pk).first(),
    report_options=lambda: {"identity_accepted": wbs_services.identity_accepted()},
    sealed=intake_views.SealedPart(
        form=ReporterIdentityForm,
        accepted=wbs_services.identity_accepted,
        seal=_seal_identity,
        success=lambda: _("Identitas Anda disegel. Petugas hanya melihat bahwa identitas diberikan."),
    ),
    event_labels={
        "identity_added": lambda: _("Identitas Anda ditambahkan dan disegel"),
        "disclosure_approved": lambda: _(
            "Kustodian identitas menyetujui pembukaan identitas Anda kepada petugas penanganan"
        ),
    },
)


# ---------------------------------------------------------------------------------------------------------
# Handlers: exclusions and disclosure requests (the case page itself is the core's)


def _staff_report(request, reference) -> WbsReport:
    case = policy.get_case_or_404(request.user, reference)
    if case.kind != "wbs":
        raise Http404
    return WbsReport.objects.get(pk=case.pk)


@login_required
@require_POST
def exclude(request, reference):
    report = _staff_report(request, reference)
    if not policy.can_handle(request.user, report):
        raise PermissionDenied
    form = ExcludeForm(request.POST)
    if not form.is_valid():
        errors = [str(error) for field in ("person", "reason", "confirmed") for error in form.errors.get(field, [])]
        messages.error(request, " ".join(errors) or _("Isian tidak lengkap."))
        return redirect("cases:detail", reference=reference)
    try:
        added = wbs_services.exclusion_add(
            report=report,
            person=form.cleaned_data["person"],
            actor=request.user,
            reason=form.cleaned_data["reason"],
            confirmed=form.cleaned_data["confirmed"],
        )
    except CaseError as exc:
        messages.error(request, exc.message)
        return redirect("cases:detail", reference=reference)
    if added:
        messages.success(request, _("%(n)d orang dikecualikan dari laporan ini.") % {"n": added})
    else:
        messages.info(request, _("Orang ini dan atasannya sudah dikecualikan dari laporan ini."))
    if not policy.can_view(request.user, report):
        return redirect("cases:inbox")
    return redirect("cases:detail", reference=reference)


@login_required
@require_POST
def disclosure_request(request, reference):
    report = _staff_report(request, reference)
    form = DisclosureRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasan permintaan dengan jelas (paling sedikit 20 karakter)."))
        return redirect("cases:detail", reference=reference)
    try:
        wbs_services.disclosure_request(report=report, requester=request.user, reason=form.cleaned_data["reason"])
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Permintaan dikirim kepada kustodian identitas."))
    return redirect("cases:detail", reference=reference)


@login_required
@never_cache
def disclosure_detail(request, uuid):
    """An approved identity, shown to its requester only. Every view is an audit event."""
    disclosure = get_object_or_404(DisclosureRequest.objects.select_related("report"), uuid=uuid)
    if disclosure.requester_id != request.user.pk or not policy.can_view(request.user, disclosure.report):
        raise Http404  # the same answer as for an id that does not exist
    identity, refusal = None, ""
    try:
        identity = wbs_services.disclosure_read(disclosure=disclosure, user=request.user)
    except CaseError as exc:
        refusal = exc.message
    return render(request, "wbs/disclosure.html", {"disclosure": disclosure, "identity": identity, "refusal": refusal})


# ---------------------------------------------------------------------------------------------------------
# Custodians


def _require_custodian(user):
    if not policy.has_role(user, policy.KUSTODIAN):
        raise PermissionDenied


@login_required
@never_cache
def custodian(request):
    _require_custodian(request.user)
    key = CustodianKey.objects.filter(user=request.user, is_active=True).first()
    pending = (
        DisclosureRequest.objects.filter(decision=DisclosureDecision.PENDING)
        .exclude(requester=request.user)
        # A custodian a report is about must not even see that its reporter's identity is asked for.
        .exclude(report__exclusions__user=request.user)
        .select_related("report", "requester")
        .order_by("created_at")
    )
    context = {
        "key": key,
        "key_form": CustodianKeyForm() if key is None else None,
        "change_form": PassphraseChangeForm() if key else None,
        "reseal_form": PassphraseForm(auto_id="reseal_%s") if key else None,
        "pending": [(item, DisclosureDecisionForm(prefix=str(item.uuid))) for item in pending],
        "keys": CustodianKey.objects.filter(is_active=True).select_related("user"),
        "missing_seals": wbs_services.reports_missing_seals(),
        "decided": DisclosureRequest.objects.exclude(decision=DisclosureDecision.PENDING)
        .select_related("report", "requester", "decided_by")
        .order_by("-decided_at")[:20],
    }
    return render(request, "wbs/custodian.html", context)


def _custodian_post(request, action) -> None:
    _require_custodian(request.user)
    try:
        message = action()
    except NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, message)


def _form_error(request, form) -> None:
    errors = [str(error) for errors in form.errors.values() for error in errors]
    messages.error(request, " ".join(errors))


def _custodian_form_action(request, form_class, action):
    """A custodian's POST: validate the form, run `action(cleaned_data)` (a service call returning the success
    message), report refusals on the custodian page."""
    _require_custodian(request.user)
    form = form_class(request.POST)
    if not form.is_valid():
        _form_error(request, form)
    else:
        _custodian_post(request, lambda: action(form.cleaned_data))
    return redirect("wbs:custodian")


@login_required
@require_POST
def custodian_key_create(request):
    def create(data):
        wbs_services.custodian_key_create(user=request.user, passphrase=data["passphrase"])
        return _("Kunci kustodian dibuat. Simpan frasa sandi Anda: tanpa itu identitas tidak dapat dibuka.")

    return _custodian_form_action(request, CustodianKeyForm, create)


@login_required
@require_POST
def custodian_passphrase(request):
    def change(data):
        wbs_services.custodian_passphrase_change(user=request.user, old=data["current"], new=data["passphrase"])
        return _("Frasa sandi diganti.")

    return _custodian_form_action(request, PassphraseChangeForm, change)


@login_required
@require_POST
def custodian_reseal(request):
    def reseal(data):
        added = wbs_services.custodian_reseal(user=request.user, passphrase=data["passphrase"])
        return _("%(n)d segel identitas ditambahkan untuk kustodian lain.") % {"n": added}

    return _custodian_form_action(request, PassphraseForm, reseal)


@login_required
@require_POST
def custodian_remove(request, fingerprint):
    _require_custodian(request.user)
    # A handful of active custodians: matched in Python, the fingerprint is not a column.
    key = next((key for key in CustodianKey.objects.filter(is_active=True) if key.fingerprint == fingerprint), None)
    if key is None:
        raise Http404

    def remove(data):
        wbs_services.custodian_key_remove(
            key=key, actor=request.user, reason=data["reason"], confirmed=data["confirmed"]
        )
        return _("Kunci kustodian dicabut.")

    return _custodian_form_action(request, CustodianRemoveForm, remove)


@login_required
@require_POST
def disclosure_decide(request, uuid):
    _require_custodian(request.user)
    disclosure = get_object_or_404(DisclosureRequest, uuid=uuid)
    form = DisclosureDecisionForm(request.POST, prefix=str(disclosure.uuid))
    if not form.is_valid():
        _form_error(request, form)
        return redirect("wbs:custodian")

    def decide():
        data = form.cleaned_data
        wbs_services.disclosure_decide(
            disclosure=disclosure,
            custodian=request.user,
            approve=data["decision"] == "approve",
            reason=data["reason"],
            passphrase=data["passphrase"],
        )
        return _("Keputusan dicatat.")

    _custodian_post(request, decide)
    return redirect(reverse("wbs:custodian"))
