"""WBS views: the public pages under /wbs/lapor/ (no account, no address, no session — see
cases.middleware.PublicIntakePrivacyMiddleware) and the handlers' and custodians' pages."""

import hashlib
import hmac
import secrets
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cases import attachments, intake, policy, services
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
from wbs.models import REPORTER_STEPS, CustodianKey, DisclosureDecision, DisclosureRequest, WbsReport

TRACK_PATH = "/wbs/lapor/pantau/"
RECEIPT_TTL = 10 * 60
# How long a sent form's token keeps answering with the receipt page instead of filing again (Back, then
# "Kirim" on the page the browser kept), and how long the same text from the same client does.
SUBMISSION_TTL = 24 * 3600
FINGERPRINT_TTL = 3600

# ---------------------------------------------------------------------------------------------------------
# Public: report, receipt, tracking


@never_cache
def report_form(request):
    accepted = wbs_services.identity_accepted()
    if request.method != "POST":
        return _report_page(request, ReportForm(identity_accepted=accepted), accepted)
    # Sent before (Back, then "Kirim" again on the page the browser kept): the receipt page, no second report.
    sent = _sent_before(cache.get(_submission_key(request.POST.get("submission", ""))))
    if sent is not None:
        return sent
    # The rate limit is looked at before any file is: a client over it gets its text back and no upload is
    # even opened (issue 8, image bombs).
    over = intake.rate_exceeded("wbs-submit", request.client_tag, limit=_submissions_per_hour())
    if over is not None:
        form = ReportForm(request.POST, identity_accepted=accepted)
        form.add_error(None, over.message)
        return _report_page(request, form, accepted)
    form = ReportForm(request.POST, request.FILES, identity_accepted=accepted)
    if form.is_valid():
        nonce = form.cleaned_data["submission"]
        fingerprint = _fingerprint_key(request.client_tag, form)
        sent = _sent_before(cache.get(fingerprint))
        if sent is not None:
            return sent
        duplicate = _earlier_submission(nonce)
        if duplicate is not None:
            return duplicate
        verdict = intake.rate_limit(
            "wbs-submit", request.client_tag, limit=_submissions_per_hour(), window_seconds=3600
        )
        if not verdict.allowed:
            cache.delete(_submission_key(nonce))
            form.add_error(None, verdict.message)
        else:
            try:
                # Only now are images decoded (to remove their metadata): the form is valid and within the limit.
                files = form.prepared_files()
                _report, receipt = wbs_services.report_submit(
                    fields=form.report_fields(),
                    unit=form.cleaned_data["unit"],
                    identity=form.identity(),
                    files=files,
                )
            except attachments.AttachmentRejected as exc:
                cache.delete(_submission_key(nonce))
                form.add_error("files", exc.message)
            except CaseError as exc:
                cache.delete(_submission_key(nonce))
                form.add_error(None, exc.message)
            else:
                # Post/redirect/get: the receipt waits once in the cache under a random token, so reloading
                # the receipt page cannot file the report twice, and the receipt never enters a URL or a log.
                token = secrets.token_urlsafe(24)
                cache.set(f"sigap:wbs:receipt:{token}", receipt, timeout=RECEIPT_TTL)
                cache.set(_submission_key(nonce), token, timeout=SUBMISSION_TTL)
                cache.set(fingerprint, token, timeout=FINGERPRINT_TTL)
                return redirect("wbs:receipt", token=token)
    return _report_page(request, form, accepted)


def _report_page(request, form, accepted: bool):
    if form.is_bound:
        # A fresh token for the next attempt; the form keeps everything else that was typed.
        form.data = form.data.copy()
        form.data["submission"] = secrets.token_urlsafe(16)
    return render(request, "wbs/report_form.html", {"form": form, "identity_accepted": accepted})


def _submission_key(nonce: str) -> str:
    return f"sigap:wbs:submission:{nonce}"


def _sent_before(token: str | None):
    """The receipt page for a report already filed (it shows the receipt if not yet seen, else the notice
    that it was shown once), or None."""
    return redirect("wbs:receipt", token=token) if token else None


def _fingerprint_key(client_tag: str, form) -> str:
    """The same text from the same client, sent again with a new form token: a browser that reloaded the form
    after Back (the page is never cached) and refilled what was typed. Keyed by the hourly client pseudonym
    (cases.intake.client_tag), so nothing here outlives the hour or links to an address; a reporter who
    changes the text files a new report."""
    text = "\x1f".join(str(form.cleaned_data.get(name) or "") for name in ReportForm.Meta.fields)
    digest = hmac.new(client_tag.encode(), text.encode(), hashlib.sha256).hexdigest()[:32]
    return f"sigap:wbs:sent:{digest}"


def _earlier_submission(nonce: str):
    """A double click sends the form twice; the browser shows only the second answer. The form carries a
    one-time token: a second request with it waits for the first and shows the first's receipt, so no second
    report is filed. Returns None when this request is the one to go ahead."""
    key = _submission_key(nonce)
    for _attempt in range(50):
        if cache.add(key, "", timeout=RECEIPT_TTL):
            return None  # nobody holds the token (or the first attempt failed and released it)
        token = cache.get(key)
        if token:
            return redirect("wbs:receipt", token=token)
        time.sleep(0.2)
    return HttpResponse(
        _("Laporan ini sedang dikirim. Tunggu sebentar, lalu buka halaman pantau laporan dengan kode Anda."),
        status=409,
        content_type="text/plain; charset=utf-8",
    )


def _submissions_per_hour() -> int:
    return settings.SIGAP_INTAKE_SUBMISSIONS_PER_HOUR


@never_cache
def receipt(request, token):
    key = f"sigap:wbs:receipt:{token}"
    value = cache.get(key)
    # Shown once: of two requests at the same moment only the one whose delete succeeded shows it.
    if value is not None and not cache.delete(key):
        value = None
    response = render(
        request, "wbs/receipt.html", {"receipt": intake.format_receipt(value) if value else None}, status=200
    )
    if value:
        case = intake.find_case(value)
        if case is not None:
            intake.grant_access(response, case, TRACK_PATH)
    return response


@never_cache
def track(request):
    """Look a report up by its receipt. Unknown receipts, wrong receipts and malformed ones all get the same
    page; the throttle answers before any look-up. An empty box is asked to be filled, and not counted."""
    form = TrackForm(request.POST or None)
    if request.method == "POST":
        if not form.data.get("receipt", "").strip():
            form = TrackForm()
            return render(request, "wbs/track.html", {"form": form, "refusal": _empty_message()}, status=200)
        throttle = intake.ReceiptThrottle("wbs", request.client_tag)
        verdict = throttle.attempt()
        if not verdict.allowed:
            return render(request, "wbs/track.html", {"form": TrackForm(), "refusal": verdict.message}, status=429)
        case = intake.find_case(form.data.get("receipt", ""))
        if case is not None and case.kind == "wbs" and form.is_valid():
            throttle.succeed()
            response = redirect("wbs:status")
            intake.grant_access(response, case, TRACK_PATH)
            return response
        form = TrackForm()
        return render(request, "wbs/track.html", {"form": form, "refusal": _not_found_message()}, status=200)
    return render(request, "wbs/track.html", {"form": form})


def _empty_message() -> str:
    return _("Masukkan kode tanda terima 16 angka yang Anda terima saat melapor.")


def _not_found_message() -> str:
    return _(
        "Kode tanda terima tidak dikenali. Periksa 16 angkanya dan coba lagi. Demi keamanan, percobaan yang "
        "salah berulang kali akan diperlambat."
    )


def _tracked_report(request) -> WbsReport | None:
    case = intake.case_from_access(request, "wbs")
    return WbsReport.objects.filter(pk=case.pk).first() if case is not None else None


def _reporter_timeline(report: WbsReport) -> list:
    """What the reporter sees: their simplified stages, the messages both ways, their files, and that a
    disclosure was approved. Never staff names, internal notes or the access log."""
    from wbs.models import REPORTER_STAGES

    events = list(
        report.events.filter(action__in=services.REPORTER_VISIBLE_EVENTS + ("identity_added",)).order_by("seq")
    )
    services.event_texts(report, events)
    shown, last_stage = [], None
    for event in events:
        if event.action in ("created", "transition"):
            stage = REPORTER_STAGES.get(event.to_status)
            if stage is None or (stage == last_stage and not event.note):
                continue
            last_stage = stage
            event.label = stage
        elif event.action == "message":
            event.label = _("Pesan Anda") if event.data.get("from_reporter") else _("Pesan dari petugas")
        elif event.action == "attachment_added":
            event.label = _("Berkas dikirim")
        elif event.action == "identity_added":
            event.label = _("Identitas Anda ditambahkan dan disegel")
        elif event.action == "disclosure_approved":
            event.label = _("Kustodian identitas menyetujui pembukaan identitas Anda kepada petugas penanganan")
        shown.append(event)
    return shown


@never_cache
def status(request):
    report = _tracked_report(request)
    if report is None:
        messages.info(request, _("Masukkan kode tanda terima untuk membuka laporan Anda."))
        return redirect("wbs:track")
    response = render(request, "wbs/status.html", _status_context(report))
    # Sliding: the access lasts SIGAP_TRACKING_MINUTES after the reporter's last page, not their first.
    intake.grant_access(response, report, TRACK_PATH)
    return response


def _status_context(report, **forms) -> dict:
    return {
        "report": report,
        "steps": REPORTER_STEPS,
        "timeline": _reporter_timeline(report),
        "message_form": ReporterMessageForm(),
        "files_form": ReporterFilesForm(),
        "identity_form": ReporterIdentityForm() if wbs_services.identity_accepted() else None,
        "minutes": settings.SIGAP_TRACKING_MINUTES,
        **forms,
    }


_SECTIONS = {"message_form": "pesan", "files_form": "bukti", "identity_form": "identitas"}


def _status_with(request, report, **forms):
    """The status page again with the form that failed, its text kept, its errors shown and pointed to."""
    failed = _SECTIONS[next(iter(forms))]
    return render(request, "wbs/status.html", _status_context(report, failed=failed, **forms), status=400)


def _reporter_post(request, form_name: str, form, action):
    """A reporter's POST on the tracking page: with the access cookie, a valid form and `action(report,
    cleaned_data)` (a service call returning the success message). An invalid form comes back on the page
    with its text; a refusal by the service is shown as a message."""
    report = _tracked_report(request)
    if report is None:
        return redirect("wbs:track")
    if not form.is_valid():
        return _status_with(request, report, **{form_name: form})
    try:
        messages.success(request, action(report, form.cleaned_data))
    except CaseError as exc:
        messages.error(request, exc.message)
    return redirect("wbs:status")


@require_POST
def reporter_message(request):
    def send(report, data):
        services.add_reporter_message(report, data["text"])
        return _("Pesan Anda terkirim. Petugas akan membalas di halaman ini.")

    return _reporter_post(request, "message_form", ReporterMessageForm(request.POST), send)


@require_POST
def reporter_files(request):
    # Files added later count against their own hourly limit, looked at before any file is read (issue 8).
    over = intake.rate_exceeded("wbs-files", request.client_tag, limit=_submissions_per_hour())
    if over is not None:
        messages.error(request, over.message)
        return redirect("wbs:status")
    form = ReporterFilesForm(request.POST, request.FILES)

    def add(report, data):
        verdict = intake.rate_limit("wbs-files", request.client_tag, limit=_submissions_per_hour(), window_seconds=3600)
        if not verdict.allowed:
            raise CaseError(verdict.message)
        try:
            files = form.prepared_files()  # images decoded only now, the form being valid
        except attachments.AttachmentRejected as exc:
            raise CaseError(exc.message) from None
        count = wbs_services.reporter_add_files(report, files)
        return _("%(n)d berkas diterima dan disimpan terenkripsi.") % {"n": count}

    return _reporter_post(request, "files_form", form, add)


@require_POST
def reporter_identity(request):
    form = ReporterIdentityForm(request.POST)

    def seal(report, data):
        wbs_services.reporter_add_identity(report, form.identity())
        return _("Identitas Anda disegel. Petugas hanya melihat bahwa identitas diberikan.")

    return _reporter_post(request, "identity_form", form, seal)


@require_POST
def track_leave(request):
    response = redirect("wbs:track")
    intake.revoke_access(response, TRACK_PATH)
    return response


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
        added = wbs_services.exclude_involved(
            report,
            form.cleaned_data["person"],
            request.user,
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
        wbs_services.disclosure_request(report, request.user, form.cleaned_data["reason"])
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
        identity = wbs_services.disclosure_read(disclosure, request.user)
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
        wbs_services.custodian_key_create(request.user, data["passphrase"])
        return _("Kunci kustodian dibuat. Simpan frasa sandi Anda: tanpa itu identitas tidak dapat dibuka.")

    return _custodian_form_action(request, CustodianKeyForm, create)


@login_required
@require_POST
def custodian_passphrase(request):
    def change(data):
        wbs_services.custodian_passphrase_change(request.user, data["current"], data["passphrase"])
        return _("Frasa sandi diganti.")

    return _custodian_form_action(request, PassphraseChangeForm, change)


@login_required
@require_POST
def custodian_reseal(request):
    def reseal(data):
        added = wbs_services.custodian_reseal(request.user, data["passphrase"])
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
        wbs_services.custodian_remove(key, request.user, reason=data["reason"], confirmed=data["confirmed"])
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
            disclosure,
            request.user,
            approve=data["decision"] == "approve",
            reason=data["reason"],
            passphrase=data["passphrase"],
        )
        return _("Keputusan dicatat.")

    _custodian_post(request, decide)
    return redirect(reverse("wbs:custodian"))
