"""Pengaduan views: the configuration of its public pages (the core's, cases.intake_views: no account, no
address, no session — see cases.middleware.PublicIntakePrivacyMiddleware) and the officers' pages."""

import datetime as dt
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from cases import attachments, intake, intake_views, policy, services
from cases.exports import recap_filename
from cases.services import CaseError, NotAllowed
from pengaduan import exports, selectors
from pengaduan import services as pengaduan_services
from pengaduan.forms import (
    ClarifyForm,
    ComplainantFilesForm,
    ComplainantMessageForm,
    ComplaintForm,
    ConfirmForm,
    DisputeForm,
    RateForm,
    RecapForm,
    RecordForm,
    TrackForm,
)
from pengaduan.models import REPORTER_STAGES, REPORTER_STEPS, Complaint, Status

# ---------------------------------------------------------------------------------------------------------
# Public: the complaint form, the number and PIN shown once, tracking — the core's pages with what only
# pengaduan has: its forms, its templates, the stages a complainant sees, and the complainant's own steps
# (answer a clarification request, confirm or dispute the answer, rate the handling).


def _submit(*, form: ComplaintForm, files: list):
    return pengaduan_services.complaint_file(
        fields=form.complaint_fields(),
        identity_mode=form.cleaned_data["identity_mode"],
        identity=form.identity(),
        files=files,
    )


def _receipt_context(value: str) -> dict:
    """The complaint itself for its receipt page: whether it was lodged late (accepted and flagged, and the
    complainant is told so) and how the complainant appears. `value` is the credential in clear from the
    core's one-time cache, never from the request; its number (cases.intake.TrackingPin) names the complaint
    without a second PIN hash. The template shows `receipt.number` and `receipt.pin` apart."""
    number = getattr(INTAKE.credential.display(value), "number", "")
    complaint = Complaint.objects.filter(reference=number).first() if number else None
    return {"complaint": complaint} if complaint is not None else {}


def _clarify(complaint, data) -> str:
    pengaduan_services.complaint_clarify(complaint=complaint, text=data["text"])
    return _("Keterangan Anda terkirim. Petugas melanjutkan pemeriksaan pengaduan Anda.")


def _answer_awaited(complaint) -> None:
    """A reply to the answer before there is one (a page kept open, a form sent twice) gets a plain refusal,
    not the service's message about a state changed by someone else or a passed deadline."""
    if complaint.status != Status.ANSWERED:
        raise NotAllowed(_("Pengaduan ini sedang tidak menunggu tanggapan Anda atas jawaban."))


def _confirm(complaint, data) -> str:
    _answer_awaited(complaint)
    pengaduan_services.complaint_confirm(complaint=complaint)
    return _("Terima kasih. Pengaduan Anda dinyatakan selesai. Anda dapat memberi penilaian di bawah.")


def _dispute(complaint, data) -> str:
    _answer_awaited(complaint)
    pengaduan_services.complaint_dispute(complaint=complaint, text=data["text"])
    return _("Sanggahan Anda terkirim. Pengaduan Anda ditindaklanjuti kembali.")


def _rate(complaint, data) -> str:
    pengaduan_services.complaint_rate(complaint=complaint, score=data["score"], comment=data.get("comment", ""))
    return _("Terima kasih atas penilaian Anda.")


INTAKE = intake_views.IntakeConfig(
    kind="pengaduan",
    report_form=ComplaintForm,
    track_form=TrackForm,
    message_form=ComplainantMessageForm,
    files_form=ComplainantFilesForm,
    templates=intake_views.IntakeTemplates(
        report="pengaduan/report_form.html",
        receipt="pengaduan/receipt.html",
        track="pengaduan/track.html",
        status="pengaduan/status.html",
    ),
    submit=_submit,
    add_files=lambda complaint, files: pengaduan_services.complaint_files_add(complaint=complaint, files=files),
    stages=REPORTER_STAGES,
    steps=REPORTER_STEPS,
    detail=lambda case: Complaint.objects.select_related("service").filter(pk=case.pk).first(),
    event_labels={"rated": lambda: _("Anda memberi penilaian")},
    receipt_context=lambda value: _receipt_context(value),
    reporter_actions={
        "klarifikasi": intake_views.ReporterAction(
            form=ClarifyForm,
            run=_clarify,
            offered=lambda complaint: complaint.status == Status.NEEDS_CLARIFICATION,
        ),
        "konfirmasi": intake_views.ReporterAction(
            form=ConfirmForm, run=_confirm, offered=lambda complaint: complaint.may_reply, section="jawaban"
        ),
        "sanggah": intake_views.ReporterAction(
            form=DisputeForm, run=_dispute, offered=lambda complaint: complaint.may_reply, section="sanggah"
        ),
        "nilai": intake_views.ReporterAction(
            form=RateForm,
            run=_rate,
            offered=lambda complaint: complaint.status == Status.CLOSED and complaint.satisfaction is None,
        ),
    },
)


# ---------------------------------------------------------------------------------------------------------
# Public transparency (Perpres 76/2013: the settlement of complaints is open to the public): numbers only


def public_statistics(request):
    """Anonymous, no JavaScript: a year chosen with a plain GET form, the current one by default."""
    years = selectors.public_years()
    notice = ""
    year = timezone.localdate().year
    asked = request.GET.get("tahun", "")
    if asked:
        if asked.isdigit() and int(asked) in years:
            year = int(asked)
        else:
            notice = _("Tahun yang dipilih tidak tersedia; ditampilkan tahun %(year)d.") % {"year": year}
    stats = selectors.public_statistics(year=year)
    return render(request, "pengaduan/statistik.html", {"stats": stats, "notice": notice})


# ---------------------------------------------------------------------------------------------------------
# The complaint officers' pages (/kelola/pengaduan/): recording another channel, the answer letter, the recap

# How long the PIN of a recorded complaint waits in the cache for its one showing to the officer who recorded it.
RECORDED_TTL = 10 * 60


def _recorded_key(token: str) -> str:
    return f"sigap:pengaduan:recorded:{token}"


@login_required
def complaint_record(request):
    """A complaint that came by another channel, typed in by a complaint officer; then its tracking number and
    PIN, shown once (the officer passes them on by telephone or letter)."""
    if not policy.has_role(request.user, policy.PETUGAS_PENGADUAN):
        raise PermissionDenied(_("Hanya petugas pengaduan yang dapat mencatat pengaduan."))
    form = RecordForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            complaint, pin = pengaduan_services.complaint_record(**form.filing(), actor=request.user)
        except attachments.AttachmentRejected as exc:
            form.add_error("files", exc.message)
        except CaseError as exc:
            form.add_error(None, exc.message)
        else:
            # Post/redirect/get without the PIN in the URL: it waits once in the cache under a random token,
            # for this officer only, and is gone once shown (as cases.intake_views does for receipts).
            token = secrets.token_urlsafe(24)
            shown = {"user": request.user.pk, "reference": complaint.reference, "credential": pin}
            cache.set(_recorded_key(token), shown, timeout=RECORDED_TTL)
            return redirect("pengaduan:recorded", token=token)
    return render(request, "pengaduan/record_form.html", {"form": form})


@never_cache
@login_required
def complaint_recorded(request, token):
    """The tracking number and PIN of a complaint just recorded, once; reloading shows a notice instead."""
    key = _recorded_key(token)
    shown = cache.get(key)
    if shown is not None and (shown["user"] != request.user.pk or not cache.delete(key)):
        shown = None  # another user's token, or a second request that lost the race: nothing to show
    if shown is not None:
        # The tracking number and the PIN apart, as the public receipt page shows them (cases.intake).
        shown["receipt"] = intake.credential_for("pengaduan").display(shown["credential"])
    return render(request, "pengaduan/recorded.html", {"shown": shown})


@login_required
def answer_letter(request, reference):
    """The answer letter as PDF, once the complaint is answered: for those who may handle it and the
    inspectorate. Every download is an `exported` audit event."""
    complaint = policy.get_case_or_404(request.user, reference, Complaint.objects.all())
    if not (policy.can_handle(request.user, complaint) or policy.has_role(request.user, policy.INSPEKTUR)):
        raise PermissionDenied(_("Hanya petugas yang menangani pengaduan ini dan inspektur yang dapat mengunduh."))
    if not pengaduan_services.letter_available(request.user, complaint):
        messages.info(request, _("Surat jawaban tersedia setelah pengaduan dijawab."))
        return redirect("cases:detail", reference=reference)
    # A confidential name printed by the coordinator is a read of the identity, audited as on the case page.
    identity = pengaduan_services.complaint_identity_read(user=request.user, complaint=complaint)
    pdf = exports.answer_letter_pdf(complaint, addressee=exports.letter_addressee(identity))
    services.export_record(case=complaint, actor=request.user, what="answer-letter-pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="surat-jawaban-{complaint.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def recap(request):
    """The period recap as XLSX, by the day complaints were received, for a unit and the units under it."""
    if not (policy.has_role(request.user, policy.PETUGAS_PENGADUAN) or policy.has_role(request.user, policy.INSPEKTUR)):
        raise PermissionDenied(_("Rekap pengaduan hanya untuk petugas pengaduan dan inspektur."))
    form = RecapForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        start = timezone.make_aware(dt.datetime.combine(data["start"], dt.time.min))
        end = timezone.make_aware(dt.datetime.combine(data["end"] + dt.timedelta(days=1), dt.time.min))
        complaints = policy.visible_cases(request.user, Complaint.objects.all()).filter(
            received_at__gte=start, received_at__lt=end
        )
        if data["unit"]:
            complaints = complaints.filter(unit_id__in=data["unit"].descendant_ids())
        content, _count = exports.recap_xlsx(complaints, data)
        services.exports_record(cases=complaints, actor=request.user, what="xlsx-recap")
        response = HttpResponse(
            content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        response["Content-Disposition"] = f'attachment; filename="{recap_filename("pengaduan", data)}"'
        response["Cache-Control"] = "no-store"
        return response
    return render(request, "pengaduan/recap.html", {"form": form})
