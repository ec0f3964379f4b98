from django.urls import path

from survei import views

app_name = "survei"

# Officers (signed in): mounted at /kelola/survei/ (config/urls.py).
urlpatterns: list = [
    path("", views.survey_list, name="list"),
]

# Public, anonymous: mounted at /survei/ under the namespace "survei_publik". Registered as a public prefix
# (survei.apps): the privacy middleware drops the address, user agent and session there, so nothing an officer
# signs in for may live under it.
public_urlpatterns: list = [
    path("", views.public_index, name="root"),
]
