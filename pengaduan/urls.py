from django.urls import path

from pengaduan import views

app_name = "pengaduan"

# Officers (signed in): mounted at /kelola/pengaduan/ (config/urls.py).
urlpatterns: list = []

# Public, anonymous: mounted at /pengaduan/ under the namespace "pengaduan_publik". Where they are mounted is the
# public prefix that the privacy middleware and log filters cover (cases.registry.public_prefixes): no address,
# user agent or session there, so nothing an officer signs in for may live under it.
public_urlpatterns = [
    path("", views.report_placeholder, name="report"),
]

# The complaint officers' pages (issue 10): recording another channel, the answer letter, the recap.
urlpatterns += [
    path("catat/", views.complaint_record, name="record"),
    path("catat/<str:token>/", views.complaint_recorded, name="recorded"),
    path("rekap/", views.recap, name="recap"),
    path("<str:reference>/surat-jawaban.pdf", views.answer_letter, name="answer_letter"),
]
