from django.urls import path

from gratifikasi import views

app_name = "gratifikasi"

urlpatterns = [
    path("", views.report_list, name="list"),
    path("baru/", views.report_create, name="create"),
    path("nasihat/", views.advice, name="advice"),
    path("rekap/", views.recap, name="recap"),
    path("<str:reference>/ubah/", views.report_edit, name="edit"),
    path("<str:reference>/pdf/", views.report_pdf, name="pdf"),
    path("<str:reference>/hapus/", views.report_delete, name="delete"),
]
