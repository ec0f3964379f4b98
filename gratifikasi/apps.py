from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GratifikasiConfig(AppConfig):
    name = "gratifikasi"
    # Not just "Gratifikasi": the admin shows it as the section title, and a title equal to the app label
    # reads as an untranslated default there (tests/cases/test_admin.py).
    verbose_name = _("Pengendalian gratifikasi")

    def ready(self):
        # Imported here, not at the top: the kind reads the models, which exist only once apps are loaded.
        from cases import registry
        from gratifikasi.kind import KIND

        registry.register(KIND)
