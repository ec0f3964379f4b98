from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GratifikasiConfig(AppConfig):
    name = "gratifikasi"
    verbose_name = _("Gratifikasi")

    def ready(self):
        from cases import policy, registry
        from gratifikasi.models import FINAL_STATES, Status

        registry.register(
            registry.CaseKind(
                code="gratifikasi",
                prefix="GRT",
                label=_("Gratifikasi"),
                model_label="gratifikasi.GratifikasiReport",
                handler_group=policy.PETUGAS_UPG,
                status_labels=tuple(Status.choices),
                final_states=FINAL_STATES,
                notify=lambda case, name: [case.reporter],
                clocks=(
                    # DESIGN §2, all in hari kerja. Day 0 is the date received, not the day of filing.
                    registry.ClockRule(
                        code="report_to_upg",
                        label=_("Lapor ke UPG"),
                        basis="Pedoman pengendalian gratifikasi (10 HK)",
                        working_days=10,
                        start_on=("submit",),
                        stop_on=("submit",),
                        start_from="date_received",
                    ),
                    registry.ClockRule(
                        code="upg_forward",
                        label=_("UPG meneruskan ke KPK"),
                        basis="Pedoman pengendalian gratifikasi (10 HK)",
                        working_days=10,
                        start_on=("submit",),
                        stop_on=("forward_to_kpk",),
                    ),
                    registry.ClockRule(
                        code="kpk_legal",
                        label=_("Batas lapor ke KPK"),
                        basis="UU 20/2001 Pasal 12C ayat (2) (30 HK)",
                        working_days=30,
                        start_on=("submit",),
                        stop_on=("forward_to_kpk",),
                        start_from="date_received",
                    ),
                    registry.ClockRule(
                        code="kpk_completion",
                        label=_("Kelengkapan diminta KPK"),
                        basis="Peraturan KPK 2/2019 jo. 1/2026 (20 HK)",
                        working_days=20,
                        start_on=("kpk_returned",),
                        stop_on=("resend_to_kpk",),
                    ),
                    registry.ClockRule(
                        code="kpk_decision",
                        label=_("Keputusan KPK"),
                        basis="UU 20/2001 Pasal 12C ayat (3) (30 HK)",
                        working_days=30,
                        start_on=("forward_to_kpk", "resend_to_kpk"),
                        stop_on=("record_decision",),
                    ),
                    registry.ClockRule(
                        code="handover",
                        label=_("Penyerahan milik negara"),
                        basis="UU 20/2001 Pasal 12C ayat (4) (7 HK)",
                        working_days=7,
                        start_on=("record_decision",),
                        stop_on=("close",),
                    ),
                ),
            )
        )
