from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from cases import views as case_views

urlpatterns = [
    path("", case_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("cases.account_urls")),
    path("kasus/", include("cases.urls")),
    path("gratifikasi/", include("gratifikasi.urls")),
    # The language switch of the public intake pages, inside their privacy prefix (settings.
    # SIGAP_PUBLIC_PREFIXES): no address, user agent or log line, unlike /i18n/setlang/.
    path("wbs/lapor/bahasa/", set_language, name="public_set_language"),
    path("wbs/", include("wbs.urls")),
    path("pengaduan/", include("pengaduan.urls")),
    path("benturan/", include("benturan.urls")),
    path("admin/", admin.site.urls),
]
