from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Inti kasus")

    def ready(self) -> None:
        # Imported here, not at the top: both import models, which the app registry loads after this module.
        from cases import notifications, tasks

        # The outbox never imports the task queue; the adapter is wired in once, here.
        notifications.set_nudge(tasks.nudge_outbox)
