from django.urls import path

from benturan import views

app_name = "benturan"

# Mounted at /benturan/ (config/urls.py); every page needs a signed-in employee.
urlpatterns = [
    path("", views.home, name="home"),
]

# Declarations of an actual conflict (the case; its page, steps and files are the core's).
urlpatterns += [
    path("deklarasi/", views.declaration_list, name="declarations"),
    path("deklarasi/baru/", views.declaration_create, name="declare"),
    path("deklarasi/buka/", views.declaration_open, name="open"),
    path("deklarasi/<str:reference>/ubah/", views.declaration_edit, name="declaration_edit"),
    path("deklarasi/<str:reference>/hapus/", views.declaration_delete, name="declaration_delete"),
    path("deklarasi/<str:reference>/limpahkan/", views.declaration_step_aside, name="step_aside"),
    path("deklarasi/<str:reference>/surat-keputusan.pdf", views.declaration_letter, name="letter"),
]

# The risk map (pemetaan) per unit and year.
urlpatterns += [
    path("peta/", views.maps, name="maps"),
    path("peta/baru/", views.map_new, name="map_new"),
    path("peta/fungsi/<str:unit_code>/", views.functions, name="functions"),
    path("peta/<uuid:uuid>/", views.map_detail, name="map_detail"),
    path("peta/<uuid:uuid>/setujui/", views.map_approve, name="map_approve"),
    path("peta/<uuid:uuid>/baris/tambah/", views.entry_add, name="map_entry_add"),
    # A row is named by its number in the map (RiskMapEntry.order), never by its database id.
    path("peta/<uuid:uuid>/baris/<int:order>/", views.entry_edit, name="map_entry_edit"),
    path("peta/<uuid:uuid>/baris/<int:order>/hapus/", views.entry_delete, name="map_entry_delete"),
    path("peta/<uuid:uuid>/identifikasi.pdf", views.map_pdf, name="map_pdf"),
    path("peta/<uuid:uuid>/identifikasi.xlsx", views.map_xlsx, name="map_xlsx"),
]

# Yearly statements and their campaigns.
urlpatterns += [
    path("pernyataan/", views.statement, name="statement"),
    path("pernyataan/isi/", views.statement_new, name="statement_new"),
    path("pernyataan/<uuid:uuid>/", views.statement_detail, name="statement_detail"),
    path("kampanye/", views.campaigns, name="campaigns"),
    path("kampanye/baru/", views.campaign_new, name="campaign_new"),
    path("kampanye/<uuid:uuid>/", views.campaign_detail, name="campaign_detail"),
    path("kampanye/<uuid:uuid>/cakupan.xlsx", views.campaign_xlsx, name="campaign_xlsx"),
]

# Monitoring and evaluation, statistics.
urlpatterns += [
    path("evaluasi/", views.evaluations, name="evaluations"),
    path("evaluasi/baru/", views.evaluation_new, name="evaluation_new"),
    path("evaluasi/<uuid:uuid>/", views.evaluation_detail, name="evaluation_detail"),
    path("evaluasi/rekomendasi/<uuid:uuid>/", views.recommendation_update, name="recommendation_update"),
    path("statistik/", views.statistics, name="statistics"),
    path("statistik/xlsx/", views.statistics_xlsx, name="statistics_xlsx"),
]
