from django.urls import include, path, re_path

from cases import intake_views
from pengaduan import open311, views

app_name = "pengaduan"

# Officers (signed in): mounted at /kelola/pengaduan/ (config/urls.py).
urlpatterns: list = []

# Public, anonymous: mounted at /pengaduan/ under the namespace "pengaduan_publik". Where they are mounted is the
# public prefix that the privacy middleware and log filters cover (cases.registry.public_prefixes): no address,
# user agent or session there, so nothing an officer signs in for may live under it.
public_urlpatterns = [
    # The core's intake pages (views.INTAKE): the form at /pengaduan/, tracking at /pengaduan/pantau/.
    path("", include(intake_views.urlpatterns(views.INTAKE))),
]

# The complaint officers' pages (issue 10): recording another channel, the answer letter, the recap.
urlpatterns += [
    path("catat/", views.complaint_record, name="record"),
    path("catat/<str:token>/", views.complaint_recorded, name="recorded"),
    path("rekap/", views.recap, name="recap"),
    path("<str:reference>/surat-jawaban.pdf", views.answer_letter, name="answer_letter"),
]

# Public transparency (Perpres 76/2013) and Open311 GeoReport v2, both under the public prefix: no address or
# user agent is seen or kept. Open311 picks its format from the extension (.json / .xml).
_FORMAT = r"\.(?P<format>json|xml)$"
public_urlpatterns += [
    path("statistik/", views.public_statistics, name="statistics"),
    path("open311/v2/", open311.Discovery.as_view(), name="open311_root"),
    re_path(r"^open311/v2/discovery" + _FORMAT, open311.Discovery.as_view(), name="open311_discovery"),
    re_path(r"^open311/v2/services" + _FORMAT, open311.ServiceList.as_view(), name="open311_services"),
    re_path(
        r"^open311/v2/services/(?P<code>[-a-zA-Z0-9_]+)" + _FORMAT,
        open311.ServiceDefinition.as_view(),
        name="open311_service",
    ),
    re_path(r"^open311/v2/requests" + _FORMAT, open311.Requests.as_view(), name="open311_requests"),
    re_path(
        r"^open311/v2/requests/(?P<reference>[-A-Za-z0-9]+)" + _FORMAT,
        open311.RequestDetail.as_view(),
        name="open311_request",
    ),
    re_path(r"^open311/v2/tokens/(?P<token>[-a-fA-F0-9]+)" + _FORMAT, open311.Token.as_view(), name="open311_token"),
]
