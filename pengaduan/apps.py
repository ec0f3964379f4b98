from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PengaduanConfig(AppConfig):
    name = "pengaduan"
    verbose_name = _("Pengaduan masyarakat")

    def ready(self):
        # Imported here, not at the top: the kind reads the models, which exist only once apps are loaded.
        from cases import registry
        from pengaduan.kind import KIND

        registry.register(KIND)
