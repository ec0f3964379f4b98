app_name = "benturan"

urlpatterns: list = []
