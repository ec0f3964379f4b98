from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveiConfig(AppConfig):
    """Surveys of the people a unit serves (DESIGN §7): IPAK, IPKP and SKM. Not a case kind."""

    name = "survei"
    verbose_name = _("Survei persepsi dan kepuasan")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Plugged into the core and evaluasi, so neither imports survei.
        from cases import registry  # noqa: PLC0415 - app registry must be ready

        # survei.lke registers its LKE rules and survei.exports its exporters (evaluasi.jobs) on import.
        from survei import demo, evaluation, exports, lke  # noqa: F401, PLC0415

        # The respondent form and the public results: no address, user agent or session, as on the intake pages.
        registry.register_public_pages("survei_publik:root")
        # Survey results in the evaluation layer: the "survei" module of the follow-up list and statistics, the
        # dashboard's section, and (survei.lke) the suggestions for the LKE questions the surveys answer.
        evaluation.register()
        # The demo office's SKM (published) and IPAK (open) surveys, made by seed_demo after the kinds' cases.
        registry.register_demo_data(demo.seed)
