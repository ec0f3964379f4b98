"""The evaluation pages, one module per area; evaluasi/urls.py gathers their urlpatterns."""
