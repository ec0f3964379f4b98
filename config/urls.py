from django.contrib import admin
from django.urls import include, path

from cases import views as case_views

urlpatterns = [
    path("", case_views.home, name="home"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("akun/", include("cases.account_urls")),
    path("kasus/", include("cases.urls")),
    path("gratifikasi/", include("gratifikasi.urls")),
    path("wbs/", include("wbs.urls")),
    path("pengaduan/", include("pengaduan.urls")),
    path("benturan/", include("benturan.urls")),
    path("admin/", admin.site.urls),
]
