from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GratifikasiConfig(AppConfig):
    name = "gratifikasi"
    verbose_name = _("Gratifikasi")

    def ready(self):
        # Imported here, not at the top: the kind reads the models, which exist only once apps are loaded.
        from cases import registry
        from gratifikasi.kind import KIND

        registry.register(KIND)
