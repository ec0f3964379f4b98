"""The production URLconf (config.urls) plus the benchmark's bare baseline at /bench-bare/ (outside the
public intake prefixes: no privacy middleware work, no filtered log)."""

from django.urls import path

from benchmarks.bare import views
from config.urls import urlpatterns as production_urlpatterns

urlpatterns = [
    *production_urlpatterns,
    path("bench-bare/", views.form, name="bench_bare_form"),
    path("bench-bare/terima/<int:pk>/", views.receipt, name="bench_bare_receipt"),
    # survei-intake's bare baseline (benchmarks/survei_intake.py)
    path("bench-bare/survei/<str:token>/", views.survey_form, name="bench_bare_survey"),
    path("bench-bare/survei/<str:token>/terima-kasih/", views.survey_thanks, name="bench_bare_survey_thanks"),
    # submissions' bare baselines (benchmarks/submissions.py)
    path("bench-bare/wbs/", views.wbs_form, name="bench_bare_wbs"),
    path("bench-bare/gratifikasi/", views.gratifikasi_form, name="bench_bare_gratifikasi"),
    path("bench-bare/gratifikasi/<int:pk>/", views.gratifikasi_done, name="bench_bare_gratifikasi_done"),
]
