"""The WBS case kind: what the core needs to know about it (cases.registry), in one file.

Imported by `WbsConfig.ready()`, once the models are loaded; `cases.checks` validates it at start-up
(`manage.py check`).
"""

import calendar
import datetime as dt

from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from cases import policy, workdays
from cases.registry import Breakdown, CaseKind, ClockRule, KindStatistics, PublicIntake
from wbs import demo, services
from wbs import statistics as wbs_statistics
from wbs.models import FINAL_STATES, Status


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _feedback_days(report) -> int:
    """The reporter's first answer within three months (SIGAP_WBS_FEEDBACK_MONTHS) of the acknowledgement: the
    reporter's right to an answer (PP 43/2018), measured against the bar of EU Directive 2019/1937 Art. 9(1)(f).
    Counted as the working days up to that calendar date, so the clock's due date is the last working day on or
    before it; shown as "3 bulan", the rule's own unit."""
    start = report.created_at.date() if report.created_at else workdays.today()
    return workdays.working_days_between(start, add_months(start, settings.SIGAP_WBS_FEEDBACK_MONTHS))


def _feedback_length() -> str:
    months = settings.SIGAP_WBS_FEEDBACK_MONTHS
    return ngettext("%(n)d bulan", "%(n)d bulan", months) % {"n": months}


def _verification_days(report) -> int:
    return settings.SIGAP_WBS_VERIFICATION_DAYS


def _review_days(report) -> int:
    return settings.SIGAP_WBS_REVIEW_DAYS


def _investigation_days(report) -> int:
    return settings.SIGAP_WBS_INVESTIGATION_DAYS


KIND = CaseKind(
    code="wbs",
    prefix="WBS",
    label=_("WBS"),
    model_label="wbs.WbsReport",
    handler_group=policy.PENGELOLA_WBS,
    status_labels=tuple(Status.choices),
    final_states=FINAL_STATES,
    restricted_content=True,
    public_intake=PublicIntake(namespace="wbs", credential="receipt"),
    detail_template="wbs/_detail.html",
    demo_data=demo.seed,
    # A complaint alleging corruption becomes a WBS report (cases.services.convert_case).
    receive_conversion=services.report_from_conversion,
    clocks=(
        # DESIGN §3 defaults; lengths from settings (SIGAP_WBS_*_DAYS). Day 0 is the day received.
        # Indonesian rules first; EU 2019/1937 and ISO 37002 only as additional references.
        ClockRule(
            code="acknowledgement",
            label=_("Tanda terima kepada pelapor"),
            basis=_(
                "SE MenPANRB 08/2012: pelapor menerima kode untuk memantau laporannya. Referensi "
                "tambahan: EU 2019/1937 Pasal 9(1)(b), ISO 37002"
            ),
            working_days=0,
            length_label=_("saat laporan masuk"),
            start_on=("create",),
            stop_on=("create",),
        ),
        ClockRule(
            code="verification",
            label=_("Verifikasi laporan"),
            basis=_("SE MenPANRB 08/2012; PMK 205/2022 sebagai acuan (dapat diatur)"),
            working_days=_verification_days,
            start_on=("create",),
            stop_on=("accept", "reject", "refer"),
            pause_on=("request_info",),
            resume_on=("resume_verification",),
        ),
        ClockRule(
            code="review",
            label=_("Penelaahan laporan"),
            basis=_("PMK 205/2022 sebagai acuan (dapat diatur)"),
            working_days=_review_days,
            start_on=("accept",),
            stop_on=("start_investigation", "take_administrative_action", "refer"),
        ),
        ClockRule(
            code="investigation",
            label=_("Investigasi / audit investigatif"),
            basis=_("PMK 205/2022 sebagai acuan (dapat diatur)"),
            working_days=_investigation_days,
            start_on=("start_investigation",),
            stop_on=("record_recommendation", "refer"),
        ),
        ClockRule(
            code="feedback",
            label=_("Tanggapan pertama kepada pelapor"),
            basis=_(
                "UU 31/2014 Pasal 10 dan PP 43/2018: perlindungan dan hak pelapor atas jawaban. "
                "Referensi tambahan: EU 2019/1937 Pasal 9(1)(f), ISO 37002 (paling lama 3 bulan)"
            ),
            working_days=_feedback_days,
            length_label=lazy(_feedback_length, str)(),
            start_on=("create",),
            stop_on=("message_to_reporter", "request_info", "reject", "refer", "close_not_proven"),
        ),
    ),
    statistics=KindStatistics(
        received_on="submitted_at",
        breakdowns=(
            Breakdown("category", _("Kategori"), "category"),
            Breakdown("outcome", _("Hasil"), "outcome"),
        ),
        # No count under 3 below a unit's total: a small cell can narrow a reporter down.
        min_cell=3,
        figures=wbs_statistics.figures,
        filters=wbs_statistics.FILTERS,
    ),
)
