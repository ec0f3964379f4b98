"""The production URLconf (config.urls) plus the benchmark's bare baseline at /bench-bare/ (outside the
public intake prefixes: no privacy middleware work, no filtered log)."""

from django.urls import path

from benchmarks.bare import views
from config.urls import urlpatterns as production_urlpatterns

urlpatterns = [
    *production_urlpatterns,
    path("bench-bare/", views.form, name="bench_bare_form"),
    path("bench-bare/terima/<int:pk>/", views.receipt, name="bench_bare_receipt"),
]
