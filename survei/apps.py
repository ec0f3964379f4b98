from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveiConfig(AppConfig):
    """Surveys of the people a unit serves (DESIGN §7): IPAK, IPKP and SKM. Not a case kind."""

    name = "survei"
    verbose_name = _("Survei")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from cases import registry  # noqa: PLC0415 - app registry must be ready

        # The respondent form and the public results: no address, user agent or session, as on the intake pages.
        registry.register_public_pages("survei_publik:root")

        # --- survei → evaluasi (issue 13: survey results feed the evaluation layer) ---------------------------
        # Plugged in here, so evaluasi never imports survei: the "survei" module of the follow-up list and
        # statistics, the dashboard's section (survei.evaluation), and the LKE suggestion rules of the questions
        # the surveys answer (survei.lke registers them with evaluasi.lke.rule on import).
        from survei import evaluation, lke  # noqa: F401, PLC0415

        evaluation.register()
        # --- end survei → evaluasi -----------------------------------------------------------------------------
