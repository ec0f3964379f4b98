from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BenturanConfig(AppConfig):
    name = "benturan"
    # The admin shows it as the section title; not equal to the app label (tests/cases/test_admin.py).
    verbose_name = _("Benturan kepentingan")

    def ready(self):
        # Imported here, not at the top: the kind reads the models, which exist only once apps are loaded.
        from benturan.kind import KIND
        from cases import registry

        registry.register(KIND)
