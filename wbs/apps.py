import calendar
import datetime as dt

from django.apps import AppConfig
from django.conf import settings
from django.utils.translation import gettext_lazy as _


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later, or the month's last day when it has no such day (31 Jan + 1 = 28/29 Feb)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def _feedback_days(report) -> int:
    """EU Directive 2019/1937 Art. 9(1)(f): feedback within three months of the acknowledgement. Counted as the
    working days up to that calendar date, so the clock's due date is the last working day on or before it."""
    from cases import workdays

    start = report.created_at.date() if report.created_at else workdays.today()
    return workdays.working_days_between(start, add_months(start, settings.SIGAP_WBS_FEEDBACK_MONTHS))


def _verification_days(report) -> int:
    return settings.SIGAP_WBS_VERIFICATION_DAYS


def _review_days(report) -> int:
    return settings.SIGAP_WBS_REVIEW_DAYS


def _investigation_days(report) -> int:
    return settings.SIGAP_WBS_INVESTIGATION_DAYS


class WbsConfig(AppConfig):
    name = "wbs"
    verbose_name = _("Whistle-Blowing System")

    def ready(self):
        from cases import policy, registry
        from wbs import demo
        from wbs.models import FINAL_STATES, Status

        clock = registry.ClockRule
        registry.register(
            registry.CaseKind(
                code="wbs",
                prefix="WBS",
                label=_("WBS"),
                model_label="wbs.WbsReport",
                handler_group=policy.PENGELOLA_WBS,
                status_labels=tuple(Status.choices),
                final_states=FINAL_STATES,
                restricted_content=True,
                public_intake=True,
                detail_template="wbs/_detail.html",
                demo_data=demo.seed,
                clocks=(
                    # DESIGN §3 defaults; lengths from settings (SIGAP_WBS_*_DAYS). Day 0 is the day received.
                    clock(
                        code="acknowledgement",
                        label=_("Tanda terima kepada pelapor"),
                        basis="EU 2019/1937 Pasal 9(1)(b); ISO 37002: tanda terima saat laporan masuk",
                        working_days=0,
                        start_on=("create",),
                        stop_on=("create",),
                    ),
                    clock(
                        code="verification",
                        label=_("Verifikasi laporan"),
                        basis="SE MenPANRB 08/2012; PMK 205/2022: verifikasi 5 HK (dapat diatur)",
                        working_days=_verification_days,
                        start_on=("create",),
                        stop_on=("accept", "reject", "refer"),
                        pause_on=("request_info",),
                        resume_on=("resume_verification",),
                    ),
                    clock(
                        code="review",
                        label=_("Penelaahan"),
                        basis="PMK 205/2022: penelaahan 14 HK (dapat diatur)",
                        working_days=_review_days,
                        start_on=("accept",),
                        stop_on=("start_investigation", "take_administrative_action", "refer"),
                    ),
                    clock(
                        code="investigation",
                        label=_("Investigasi / audit"),
                        basis="PMK 205/2022: investigasi 60 HK (dapat diatur)",
                        working_days=_investigation_days,
                        start_on=("start_investigation",),
                        stop_on=("record_recommendation", "refer"),
                    ),
                    clock(
                        code="feedback",
                        label=_("Umpan balik pertama kepada pelapor"),
                        basis="UU 31/2014 Pasal 10; EU 2019/1937 Pasal 9(1)(f): paling lama 3 bulan",
                        working_days=_feedback_days,
                        start_on=("create",),
                        stop_on=("message_to_reporter", "request_info", "reject", "refer", "close_not_proven"),
                    ),
                ),
            )
        )
