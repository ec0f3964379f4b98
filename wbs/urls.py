from django.urls import include, path

from cases import intake_views
from wbs import views

app_name = "wbs"

urlpatterns = [
    # Public, anonymous: the core's intake pages. Where they are mounted is the public prefix that the privacy
    # middleware and log filters cover (cases.registry.public_prefixes): no address, user agent or session.
    path("lapor/", include(intake_views.urlpatterns(views.INTAKE))),
    # Handlers.
    path("kasus/<str:reference>/kecualikan/", views.exclude, name="exclude"),
    path("kasus/<str:reference>/pengungkapan/", views.disclosure_request, name="disclosure_request"),
    path("pengungkapan/<uuid:uuid>/", views.disclosure_detail, name="disclosure"),
    # Identity custodians.
    path("kustodian/", views.custodian, name="custodian"),
    path("kustodian/kunci/", views.custodian_key_create, name="custodian_key_create"),
    path("kustodian/frasa-sandi/", views.custodian_passphrase, name="custodian_passphrase"),
    path("kustodian/segel-ulang/", views.custodian_reseal, name="custodian_reseal"),
    path("kustodian/cabut/<str:fingerprint>/", views.custodian_remove, name="custodian_remove"),
    path("kustodian/keputusan/<uuid:uuid>/", views.disclosure_decide, name="disclosure_decide"),
]
