"""Pengaduan views: the configuration of its public pages (the core's, cases.intake_views: no account, no
address, no session — see cases.middleware.PublicIntakePrivacyMiddleware) and the officers' pages."""

from django.utils import formats
from django.utils.translation import gettext as _

from cases import intake_views
from pengaduan import services as pengaduan_services
from pengaduan.forms import (
    ClarifyForm,
    ComplainantFilesForm,
    ComplainantMessageForm,
    ComplaintForm,
    ConfirmForm,
    DisputeForm,
    RateForm,
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
    """The number and the PIN apart, each in big type. The number is the complaint's reference; the PIN is
    what remains of the credential in clear once the number is taken out of it. The late flag is said here
    too: the complaint was accepted though lodged more than 30 days after the service."""
    complaint = INTAKE.credential.find(value)
    if complaint is None:
        return {}
    complaint = Complaint.objects.get(pk=complaint.pk)
    pin = "".join(ch for ch in value.replace(complaint.reference, "") if ch.isdigit())
    return {"number": complaint.reference, "pin": pin, "complaint": complaint}


def _clarify(complaint, data) -> str:
    pengaduan_services.complaint_clarify(complaint=complaint, text=data["text"])
    return _("Keterangan Anda terkirim. Petugas melanjutkan pemeriksaan pengaduan Anda.")


def _confirm(complaint, data) -> str:
    pengaduan_services.complaint_confirm(complaint=complaint)
    return _("Terima kasih. Pengaduan Anda dinyatakan selesai. Anda dapat memberi penilaian di bawah.")


def _dispute(complaint, data) -> str:
    pengaduan_services.complaint_dispute(complaint=complaint, text=data["text"])
    return _("Sanggahan Anda terkirim. Pengaduan Anda ditindaklanjuti kembali.")


def _rate(complaint, data) -> str:
    pengaduan_services.complaint_rate(complaint=complaint, score=data["score"], comment=data.get("comment", ""))
    return _("Terima kasih atas penilaian Anda.")


def _reply_due(complaint) -> str:
    return formats.date_format(complaint.reply_due, "j F Y") if complaint.reply_due else ""


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
