from django.apps import AppConfig
from django.core import checks
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Inti kasus")

    def ready(self) -> None:
        # Imported here, not at the top: these modules import models, which the app registry loads after this
        # module.
        from cases import notifications, tasks
        from cases.checks import check_case_kinds  # reads the registered kinds' models

        # The outbox never imports the task queue; the adapter is wired in once, here.
        notifications.set_nudge(tasks.nudge_outbox)
        # Runs after every app's ready(), so it sees all registered kinds, whatever their order in settings.
        checks.register(check_case_kinds, "sigap")
