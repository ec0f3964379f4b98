from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluasiConfig(AppConfig):
    """The inspectorate's layer over every case kind: statistics, follow-up, evaluations, the LKE worksheet."""

    name = "evaluasi"
    verbose_name = _("Evaluasi pengawasan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Plugged into the core's extension points (cases.registry), so the core never imports evaluasi: the
        # case page's list of recommendations, the demo data, the documents' key rotation, and the labels of the
        # events a recommendation appends to its case's audit chain.
        from cases import audit, registry  # noqa: PLC0415 - app registry must be ready
        from evaluasi import demo  # noqa: PLC0415
        from evaluasi.views import followup  # noqa: PLC0415

        registry.register_case_page_section(followup.case_section)
        registry.register_demo_data(demo.seed)
        # Documents are stored like case attachments (evaluasi.services): rotated with them by rotate_data_keys.
        if self.get_model("Document") not in registry.stored_file_models:
            registry.stored_file_models.append(self.get_model("Document"))
        audit.ACTIONS.update(
            {
                "recommendation_added": _("Rekomendasi diberikan"),
                "recommendation_action": _("Tindak lanjut rekomendasi dicatat"),
                "recommendation_accepted": _("Tindak lanjut rekomendasi dinyatakan sesuai"),
                "recommendation_cannot": _("Rekomendasi dinyatakan tidak dapat ditindaklanjuti"),
                "recommendation_reopened": _("Penilaian tindak lanjut rekomendasi dibuka kembali"),
                "recommendation_document_downloaded": _("Bukti tindak lanjut diunduh"),
            }
        )
        # The LKE admin and the exporters (the evidence pack, the dashboard and case-list exports) register
        # themselves on import, in the web process and in the Celery worker alike.
        from evaluasi import admin_lke, evidence, exports  # noqa: F401, PLC0415
