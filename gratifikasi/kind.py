"""The gratifikasi case kind: what the core needs to know about it (cases.registry), in one file.

Imported by `GratifikasiConfig.ready()`, once the models are loaded; `cases.checks` validates it at start-up
(`manage.py check`).
"""

from django.utils.translation import gettext_lazy as _

from cases import policy
from cases.registry import Breakdown, CaseKind, ClockRule, KindStatistics
from gratifikasi import demo
from gratifikasi import statistics as gratifikasi_statistics
from gratifikasi.legal import (
    AMENDMENT_2026,
    COMPLETION_DAYS,
    COMPLETION_DAYS_BEFORE_2026,
    DECISION_DAYS,
    LEGAL_DAYS,
    UPG_DAYS,
)
from gratifikasi.models import FINAL_STATES, Status


def _completion_days(report) -> int:
    """KPK's request for completion: 20 HK under the 2026 amendment, 30 HK before it (by the date KPK asked)."""
    if report.kpk_returned_on and report.kpk_returned_on < AMENDMENT_2026:
        return COMPLETION_DAYS_BEFORE_2026
    return COMPLETION_DAYS


def _decision_start(report):
    """KPK decides within 30 HK of a complete report: from the completion if KPK asked for one."""
    return report.kpk_completed_on or report.kpk_forwarded_on


KIND = CaseKind(
    code="gratifikasi",
    prefix="GRT",
    label=_("Gratifikasi"),
    model_label="gratifikasi.GratifikasiReport",
    handler_group=policy.PETUGAS_UPG,
    status_labels=tuple(Status.choices),
    final_states=FINAL_STATES,
    notify=lambda case, name: [case.reporter],
    detail_template="gratifikasi/_detail.html",
    search_fields=("giver_name", "giver_institution"),
    office_label=_("UPG"),
    demo_data=demo.seed,
    clocks=(
        # DESIGN §2, all in hari kerja. Day 0 is the date received, not the day of filing.
        ClockRule(
            code="kpk_legal",
            label=_("Batas lapor ke KPK"),
            basis=_("UU 20/2001 Pasal 12C ayat (2): 30 HK sejak diterima"),
            working_days=LEGAL_DAYS,
            start_on=("submit",),
            stop_on=("forward_to_kpk",),
            start_from="date_received",
            stop_from="kpk_forwarded_on",
        ),
        ClockRule(
            code="report_to_upg",
            label=_("Lapor ke UPG"),
            basis=_("Pedoman pengendalian gratifikasi: 10 HK sejak diterima"),
            working_days=UPG_DAYS,
            start_on=("submit",),
            stop_on=("submit",),
            start_from="date_received",
        ),
        ClockRule(
            code="upg_forward",
            label=_("UPG meneruskan ke KPK"),
            basis=_("Pedoman pengendalian gratifikasi: 10 HK sejak diterima UPG, tidak melewati batas KPK"),
            working_days=UPG_DAYS,
            start_on=("submit",),
            stop_on=("forward_to_kpk",),
            start_from="received_by_upg_on",  # the date the page shows as "Diterima UPG"
            stop_from="kpk_forwarded_on",
            not_after="kpk_legal",
        ),
        ClockRule(
            code="kpk_completion",
            label=_("Kelengkapan diminta KPK"),
            basis=_("Peraturan KPK 2/2019 jo. 1/2026: 20 HK (30 HK sebelum 20-01-2026)"),
            working_days=_completion_days,
            start_on=("kpk_returned",),
            stop_on=("resend_to_kpk",),
            start_from="kpk_returned_on",
            stop_from="kpk_completed_on",
        ),
        ClockRule(
            code="kpk_decision",
            label=_("Keputusan KPK"),
            basis=_("UU 20/2001 Pasal 12C ayat (3): 30 HK sejak laporan lengkap"),
            working_days=DECISION_DAYS,
            start_on=("forward_to_kpk", "resend_to_kpk"),
            stop_on=("record_decision",),
            pause_on=("kpk_returned",),
            start_from=_decision_start,
            stop_from="kpk_sk_date",
        ),
        ClockRule(
            code="handover",
            label=_("Penyerahan milik negara"),
            basis=_("UU 20/2001 Pasal 12C ayat (4): 7 HK sejak SK KPK"),
            working_days=7,
            start_on=("record_decision",),
            stop_on=("record_handover",),
            start_from="kpk_sk_date",
            stop_from="handover_on",
            applies=lambda report: report.needs_handover(),
        ),
    ),
    statistics=KindStatistics(
        received_on="submitted_at",
        breakdowns=(
            Breakdown("report_type", _("Jenis laporan"), "report_type"),
            Breakdown("occasion", _("Peristiwa"), "occasion"),
            Breakdown("kpk_decision", _("Keputusan KPK"), "kpk_decision"),
        ),
        figures=gratifikasi_statistics.figures,
        filters=gratifikasi_statistics.FILTERS,
    ),
)
