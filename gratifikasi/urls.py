app_name = "gratifikasi"

urlpatterns: list = []
