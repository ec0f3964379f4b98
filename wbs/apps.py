from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WbsConfig(AppConfig):
    """Installed now so the project's shape is fixed; its case kind and workflow arrive with its own issue."""

    name = "wbs"
    verbose_name = _("Whistle-Blowing System")
