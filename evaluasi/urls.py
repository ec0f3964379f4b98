from evaluasi.views import api, dashboard, exports, followup, lke

app_name = "evaluasi"

# Mounted at /evaluasi/ (config/urls.py). Each page checks evaluasi.access itself.
urlpatterns = [
    *dashboard.urlpatterns,
    *followup.urlpatterns,
    *lke.urlpatterns,
    *exports.urlpatterns,
    *api.urlpatterns,
]
