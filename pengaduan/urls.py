from django.urls import include, path

from cases import intake_views
from pengaduan import views

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
