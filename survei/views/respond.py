urlpatterns: list = []
public_urlpatterns: list = []
