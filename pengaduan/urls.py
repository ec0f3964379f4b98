app_name = "pengaduan"

urlpatterns: list = []
