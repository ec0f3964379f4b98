from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluasiConfig(AppConfig):
    """The inspectorate's layer over every case kind: statistics, follow-up, evaluations, the LKE worksheet."""

    name = "evaluasi"
    verbose_name = _("Evaluasi")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # i12-lke: the LKE admin and the evidence pack's exporter register themselves on import.
        from evaluasi import admin_lke, evidence  # noqa: F401, PLC0415
