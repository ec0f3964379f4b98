from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Inti kasus")

    def ready(self):
        # Imported here, not at the top: the checks read the models, which exist only once apps are loaded.
        from cases.checks import check_case_kinds

        # Runs after every app's ready(), so it sees all registered kinds, whatever their order in settings.
        checks.register(check_case_kinds, "sigap")
