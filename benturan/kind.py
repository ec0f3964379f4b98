"""The benturan kepentingan case kind: what the core needs to know about it (cases.registry), in one file.

Imported by `BenturanConfig.ready()`, once the models are loaded; `cases.checks` validates it at start-up
(`manage.py check`).
"""

from django.utils.translation import gettext_lazy as _

from benturan import demo, services
from benturan import statistics as benturan_statistics
from benturan.models import FINAL_STATES, Status
from cases import policy
from cases.registry import Breakdown, CaseKind, ClockRule, KindStatistics

# The ministry rules implementing PermenPANRB 17/2024 give the supervisor 7 working days from receiving a
# declaration to decide it (DESIGN §5).
DECISION_DAYS = 7

KIND = CaseKind(
    code="benturan",
    prefix="BKP",
    label=_("Benturan kepentingan"),
    model_label="benturan.Declaration",
    # Supervisors hold the atasan role; but a declaration is handled only by the one supervisor it is routed
    # to (an object permission, benturan.services.route), since every declaration is confidential.
    handler_group=policy.ATASAN,
    manual_assignment=False,
    supervisor_sees=True,
    # Notes, reasons and messages are personal (why a supervisor steps aside, how a conflict is watched): kept
    # encrypted (CaseText), never in the audit log's plain data that Pengaturan lists.
    encrypted_texts=True,
    status_labels=tuple(Status.choices),
    final_states=FINAL_STATES,
    notify=lambda case, name: [case.reporter],
    office_label=_("atasan"),
    reporter_label=_("pegawai yang menyatakan"),
    detail_template="benturan/_detail.html",
    detail_context=services.detail_context,
    search_fields=("subject",),
    demo_data=demo.seed,
    clocks=(
        ClockRule(
            code="decision",
            label=_("Keputusan atasan"),
            basis=_(
                "UU 30/2014 Pasal 43; PermenPANRB 17/2024 dan peraturan pelaksananya: atasan memutuskan paling "
                "lama 7 HK sejak deklarasi diterima"
            ),
            working_days=DECISION_DAYS,
            # A declaration the supervisor opens is received when it is created; an employee's, when submitted.
            start_on=("submit", "create"),
            applies=lambda case: case.status != Status.DRAFT,
            # Met on the day the decision is recorded, not on the date typed for the letter: the supervisor is
            # the one measured, so the measure is not theirs to move (decision 0014).
            stop_on=("decide",),
        ),
    ),
    statistics=KindStatistics(
        received_on="submitted_at",
        breakdowns=(
            Breakdown("outcome", _("Keputusan"), "outcome"),
            Breakdown("source", _("Sumber benturan"), "source"),
            Breakdown("activity_kind", _("Jenis kegiatan"), "activity_kind"),
        ),
        figures=benturan_statistics.figures,
        filters=benturan_statistics.FILTERS,
    ),
)
