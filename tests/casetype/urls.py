"""The project's URLs plus the test kind's public intake at /uji/lapor/ (tests/cases/test_intake_core.py)."""

from django.urls import include, path

from cases import intake_views
from config.urls import urlpatterns as project_urlpatterns
from tests.casetype.intake import INTAKE

urlpatterns = [
    path("uji/lapor/", include((intake_views.urlpatterns(INTAKE), "ujipub"))),
    *project_urlpatterns,
]
