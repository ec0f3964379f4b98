"""Gratifikasi reports (DESIGN §2): the detail model and its state machine.

Legal basis: UU 31/1999 jo. UU 20/2001 Pasal 12B–12C; UU 30/2002 Pasal 16–18; Peraturan KPK 2/2019 as amended
by Peraturan KPK 1/2026. This is the workflow skeleton the case core needs; the full report form, exemption
advice, KPK forwarding details, PDF and recap come with the gratifikasi issue.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from cases import policy
from cases.models import Case


class ReportType(models.TextChoices):
    PENERIMAAN = "penerimaan", _("Penerimaan")
    PENOLAKAN = "penolakan", _("Penolakan")


class Status(models.TextChoices):
    DRAFT = "draft", _("Draf")
    SUBMITTED = "submitted", _("Diajukan")
    VERIFYING = "verifying", _("Sedang diverifikasi UPG")
    INCOMPLETE = "incomplete", _("Perlu dilengkapi")
    NOT_REPORTABLE = "not_reportable", _("Tidak wajib dilaporkan")
    RECORDED = "recorded", _("Penolakan dicatat")
    ANALYSING = "analysing", _("Sedang dianalisis UPG")
    FORWARDED_TO_KPK = "forwarded_to_kpk", _("Diteruskan ke KPK")
    RETURNED_BY_KPK = "returned_by_kpk", _("Dikembalikan KPK untuk dilengkapi")
    DECIDED = "decided", _("Ditetapkan KPK")
    SETTLING = "settling", _("Penyerahan/penyetoran")
    CLOSED = "closed", _("Selesai")


FINAL_STATES = frozenset({Status.NOT_REPORTABLE, Status.CLOSED})


class GratifikasiReport(Case):
    case = models.OneToOneField(Case, parent_link=True, primary_key=True, on_delete=models.CASCADE, related_name="+")
    report_type = models.CharField(_("jenis laporan"), max_length=12, choices=ReportType.choices)
    date_received = models.DateField(_("tanggal diterima/ditolak"))
    summary = models.TextField(_("uraian singkat"), blank=True)

    class Meta:
        verbose_name = _("laporan gratifikasi")
        verbose_name_plural = _("laporan gratifikasi")

    # --- the reporter ------------------------------------------------------------------------------------

    @transition(
        "status",
        source=Status.DRAFT,
        target=Status.SUBMITTED,
        permission=policy.reporter,
        custom={"label": _("Ajukan ke UPG")},
    )
    def submit(self):
        pass

    @transition(
        "status",
        source=Status.INCOMPLETE,
        target=Status.VERIFYING,
        permission=policy.reporter,
        custom={"label": _("Kirim kelengkapan")},
    )
    def complete(self):
        pass

    # --- the UPG -----------------------------------------------------------------------------------------

    @transition(
        "status",
        source=Status.SUBMITTED,
        target=Status.VERIFYING,
        permission=policy.handler,
        custom={"label": _("Mulai verifikasi")},
    )
    def start_verification(self):
        pass

    @transition(
        "status",
        source=Status.VERIFYING,
        target=Status.INCOMPLETE,
        permission=policy.handler,
        custom={"label": _("Minta dilengkapi")},
    )
    def request_completion(self):
        pass

    @transition(
        "status",
        source=Status.VERIFYING,
        target=Status.NOT_REPORTABLE,
        permission=policy.handler,
        custom={"label": _("Nyatakan tidak wajib dilaporkan"), "style": "danger"},
    )
    def declare_not_reportable(self):
        pass

    def is_refusal(self) -> bool:
        return self.report_type == ReportType.PENOLAKAN

    def is_receipt(self) -> bool:
        return self.report_type == ReportType.PENERIMAAN

    @transition(
        "status",
        source=Status.VERIFYING,
        target=Status.RECORDED,
        permission=policy.handler,
        conditions=[is_refusal],
        custom={"label": _("Catat penolakan")},
    )
    def record_refusal(self):
        pass

    @transition(
        "status",
        source=Status.VERIFYING,
        target=Status.ANALYSING,
        permission=policy.handler,
        conditions=[is_receipt],
        custom={"label": _("Analisis")},
    )
    def start_analysis(self):
        pass

    @transition(
        "status",
        source=[Status.ANALYSING, Status.RECORDED],
        target=Status.FORWARDED_TO_KPK,
        permission=policy.handler,
        custom={"label": _("Teruskan ke KPK")},
    )
    def forward_to_kpk(self):
        pass

    @transition(
        "status",
        source=Status.FORWARDED_TO_KPK,
        target=Status.RETURNED_BY_KPK,
        permission=policy.handler,
        custom={"label": _("Catat permintaan kelengkapan KPK")},
    )
    def kpk_returned(self):
        pass

    @transition(
        "status",
        source=Status.RETURNED_BY_KPK,
        target=Status.FORWARDED_TO_KPK,
        permission=policy.handler,
        custom={"label": _("Kirim kelengkapan ke KPK")},
    )
    def resend_to_kpk(self):
        pass

    @transition(
        "status",
        source=Status.FORWARDED_TO_KPK,
        target=Status.DECIDED,
        permission=policy.handler,
        custom={"label": _("Catat keputusan KPK")},
    )
    def record_decision(self):
        pass

    @transition(
        "status",
        source=Status.DECIDED,
        target=Status.SETTLING,
        permission=policy.handler,
        custom={"label": _("Proses penyerahan")},
    )
    def start_settlement(self):
        pass

    @transition(
        "status",
        source=[Status.SETTLING, Status.DECIDED, Status.RECORDED],
        target=Status.CLOSED,
        permission=policy.handler,
        custom={"label": _("Tutup")},
    )
    def close(self):
        pass
