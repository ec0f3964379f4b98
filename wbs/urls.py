app_name = "wbs"

urlpatterns: list = []
