"""The pengaduan case kind: what the core needs to know about it (cases.registry), in one file.

Imported by `PengaduanConfig.ready()`, once the models are loaded; `cases.checks` validates it at start-up
(`manage.py check`). Each clock cites its basis; day 0 is the day the complaint actually arrived (or was
disposed), never the day someone typed it in.
"""

import datetime as dt

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases import policy, workdays
from cases.registry import Breakdown, CaseKind, ClockRule, KindStatistics, PublicIntake
from pengaduan import demo, services
from pengaduan import statistics as pengaduan_statistics
from pengaduan.models import FINAL_STATES, Complaint, HandlingRule, IdentityMode, ResolutionUnit, Status

# PermenPANRB 62/2018 (Pedoman Nasional Pengelolaan Pengaduan Pelayanan Publik, SP4N-LAPOR!).
VERIFICATION_DAYS = 3
FIRST_FOLLOW_UP_DAYS = 5


def _resolution_days(complaint) -> int:
    """Perpres 76/2013: resolved within 60 days of a complete file. "60 hari" without "kerja" is counted in
    calendar days (as working days up to that date, so the due date is the last working day on or before it)
    unless the instansi's standar pelayanan counts working days (HandlingRule, set in Pengaturan)."""
    rule = HandlingRule.current()
    if rule.resolution_unit == ResolutionUnit.WORKING:
        return rule.resolution_days
    start = complaint.disposed_on or workdays.today()
    return workdays.working_days_between(start, start + dt.timedelta(days=rule.resolution_days))


def _resolution_length() -> str:
    rule = HandlingRule.current()
    if rule.resolution_unit == ResolutionUnit.WORKING:
        return ngettext("%(n)d hari kerja", "%(n)d hari kerja", rule.resolution_days) % {"n": rule.resolution_days}
    return ngettext("%(n)d hari kalender", "%(n)d hari kalender", rule.resolution_days) % {"n": rule.resolution_days}


def _complaint(case) -> Complaint | None:
    """The detail instance: the outbox and the core's notices hand over a plain Case."""
    return case if isinstance(case, Complaint) else Complaint.objects.filter(pk=case.pk).first()


def _reporter_email(case) -> str:
    """Where the complainant gets news (cases.notifications reads it at delivery; it is stored nowhere else)."""
    complaint = _complaint(case)
    return complaint.complainant_email if complaint is not None else ""


def _reporter_content(case) -> bool:
    """Only a complainant who gave their name reads news by e-mail; for a confidential or anonymous one the
    e-mail says only that there is news (issue 10): a mailbox is not a safe place for it."""
    complaint = _complaint(case)
    return complaint is not None and complaint.identity_mode == IdentityMode.IDENTIFIED


KIND = CaseKind(
    code="pengaduan",
    prefix="ADU",
    label=_("Pengaduan"),
    model_label="pengaduan.Complaint",
    handler_group=policy.PETUGAS_PENGADUAN,
    status_labels=tuple(Status.choices),
    final_states=FINAL_STATES,
    public_intake=PublicIntake(namespace="pengaduan_publik", credential="number_pin"),
    encrypted_texts=True,
    office_label=_("petugas pengaduan"),
    reporter_label=_("pengadu"),
    detail_template="pengaduan/_detail.html",
    demo_data=demo.seed,
    search_fields=("lapor_tracking_id", "channel_reference"),
    reporter_email=_reporter_email,
    reporter_content=_reporter_content,
    # A WBS report referred to pengaduan becomes a complaint (cases.services.convert_case).
    receive_conversion=services.complaint_from_referral,
    # The complainant's identity as the reader may see it, its reads audited (pengaduan.services).
    detail_context=services.detail_context,
    clocks=(
        ClockRule(
            code="verification",
            label=_("Verifikasi dan penerusan"),
            basis=_("PermenPANRB 62/2018 (SP4N-LAPOR!): verifikasi dan penerusan paling lama 3 hari kerja"),
            working_days=VERIFICATION_DAYS,
            start_on=("create",),
            start_from="received_on",
            stop_on=("dispose", "declare_out_of_scope", "archive", "mark_duplicate", "convert_to_wbs"),
            pause_on=("request_clarification", "postpone"),
            resume_on=("clarify", "record_clarification", "resume"),
        ),
        ClockRule(
            code="first_follow_up",
            label=_("Tindak lanjut pertama"),
            basis=_("PermenPANRB 62/2018 (SP4N-LAPOR!): tindak lanjut pertama paling lama 5 hari kerja"),
            working_days=FIRST_FOLLOW_UP_DAYS,
            start_on=("dispose",),
            start_from="disposed_on",
            stop_on=("respond_first", "send_answer", "convert_to_wbs"),
            stop_from="first_response_on",
        ),
        ClockRule(
            code="dispute_answer",
            label=_("Jawaban atas sanggahan pengadu"),
            basis=_(
                "PermenPANRB 62/2018 (SP4N-LAPOR!): sanggahan ditindaklanjuti kembali; batas tindak lanjut 5 hari "
                "kerja diterapkan pada jawaban ulang"
            ),
            working_days=FIRST_FOLLOW_UP_DAYS,
            start_on=("dispute",),
            stop_on=("send_answer", "convert_to_wbs"),
            stop_from="answered_on",
        ),
        ClockRule(
            code="resolution",
            label=_("Penyelesaian pengaduan"),
            basis=_("Perpres 76/2013: diselesaikan paling lama 60 hari sejak berkas lengkap (dapat diatur)"),
            working_days=_resolution_days,
            length_label=lazy(_resolution_length, str)(),
            start_on=("dispose",),
            start_from="disposed_on",
            stop_on=("send_answer", "convert_to_wbs"),
            stop_from="answered_on",
        ),
    ),
    statistics=KindStatistics(
        received_on="received_at",
        breakdowns=(
            Breakdown("category", _("Kategori masalah"), "category"),
            Breakdown("channel", _("Saluran"), "channel"),
            Breakdown("closure", _("Cara selesai"), "closure"),
        ),
        # A complaint that became a WBS report says a report exists: the inspectorate's to count, not a unit
        # head's (decision 0017).
        inspectorate_only=("status.converted_to_wbs", "converted"),
        figures=pengaduan_statistics.figures,
        filters=pengaduan_statistics.FILTERS,
    ),
)
