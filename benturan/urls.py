from django.urls import path

from benturan import views

app_name = "benturan"

# Mounted at /benturan/ (config/urls.py); every page needs a signed-in employee.
urlpatterns = [
    path("", views.home, name="home"),
]

# Declarations of an actual conflict (the case; its page, steps and files are the core's).
urlpatterns += []

# The risk map (pemetaan) per unit and year.
urlpatterns += []

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
urlpatterns += []
