from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PengaduanConfig(AppConfig):
    """Installed now so the project's shape is fixed; its case kind and workflow arrive with its own issue."""

    name = "pengaduan"
    verbose_name = _("Pengaduan masyarakat")
