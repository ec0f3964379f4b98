"""Pengaduan views: the configuration of its public pages (the core's, cases.intake_views: no account, no
address, no session — see cases.middleware.PublicIntakePrivacyMiddleware) and the officers' pages."""

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import intake_views
from cases.services import NotAllowed
from pengaduan import selectors
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
