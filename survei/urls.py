from django.urls import path
from django.views.i18n import set_language

from survei.views import followup, officer, respond, results

app_name = "survei"

# Officers (signed in): mounted at /kelola/survei/ (config/urls.py). Each page checks survei.selectors itself.
urlpatterns = [
    *officer.urlpatterns,
    *results.urlpatterns,
    *followup.urlpatterns,
]

# Public, anonymous: mounted at /survei/ under the namespace "survei_publik" (its root is named "root").
# Registered as a public prefix (survei.apps): the privacy middleware drops the address, user agent and session
# there, so nothing an officer signs in for may live under it.
public_urlpatterns = [
    # The language switch, inside the privacy prefix: no address, user agent or log line, unlike /i18n/setlang/.
    path("bahasa/", set_language, name="set_language"),
    *results.public_urlpatterns,
    *respond.public_urlpatterns,
]
