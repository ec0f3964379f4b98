from django.urls import path

from wbs import views

app_name = "wbs"

urlpatterns = [
    # Public, anonymous (settings.SIGAP_PUBLIC_PREFIXES): no address, user agent or session past the door.
    path("lapor/", views.report_form, name="report"),
    path("lapor/terima/<str:token>/", views.receipt, name="receipt"),
    path("lapor/pantau/", views.track, name="track"),
    path("lapor/pantau/laporan/", views.status, name="status"),
    path("lapor/pantau/pesan/", views.reporter_message, name="reporter_message"),
    path("lapor/pantau/berkas/", views.reporter_files, name="reporter_files"),
    path("lapor/pantau/identitas/", views.reporter_identity, name="reporter_identity"),
    path("lapor/pantau/keluar/", views.track_leave, name="track_leave"),
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
