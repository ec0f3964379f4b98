from django.contrib import admin
from django.urls import include, path

from cases import views as case_views
from pengaduan import urls as pengaduan_urls
from survei import urls as survei_urls

urlpatterns = [
    path("", case_views.home, name="home"),
    # Django's set_language, which also remembers a signed-in user's choice for their notifications.
    path("i18n/setlang/", case_views.set_language, name="set_language"),
    path("akun/", include("cases.account_urls")),
    path("kasus/", include("cases.urls")),
    path("gratifikasi/", include("gratifikasi.urls")),
    path("wbs/", include("wbs.urls")),
    path("pengaduan/", include((pengaduan_urls.public_urlpatterns, "pengaduan_publik"))),
    path("kelola/pengaduan/", include("pengaduan.urls")),
    path("benturan/", include("benturan.urls")),
    path("evaluasi/", include("evaluasi.urls")),
    path("survei/", include((survei_urls.public_urlpatterns, "survei_publik"))),
    path("kelola/survei/", include("survei.urls")),
    path("admin/", admin.site.urls),
]
