from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("notifikasi/", views.notification_list, name="notifications"),
    path("notifikasi/dibaca/", views.notifications_mark_read, name="notifications_read"),
    path("berkas/<uuid:uuid>/", views.attachment_download, name="attachment"),
    path("<str:reference>/", views.case_detail, name="detail"),
    path("<str:reference>/tindakan/", views.case_transition, name="transition"),
    path("<str:reference>/tindakan/<str:name>/", views.case_transition_form, name="transition_form"),
    path("<str:reference>/petugas/", views.case_assign, name="assign"),
    path("<str:reference>/pesan/", views.case_message, name="message"),
    path("<str:reference>/catatan/", views.case_comment, name="comment"),
    path("<str:reference>/berkas/", views.attachment_upload, name="attachment_upload"),
    path("<str:reference>/tautan/", views.case_link, name="link"),
]
