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
urlpatterns += []

# Monitoring and evaluation, statistics.
urlpatterns += []
