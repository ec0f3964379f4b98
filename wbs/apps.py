from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WbsConfig(AppConfig):
    name = "wbs"
    verbose_name = _("Whistle-Blowing System")

    def ready(self):
        # Imported here, not at the top: the kind reads the models, which exist only once apps are loaded.
        from cases import registry
        from wbs.kind import KIND

        registry.register(KIND)
