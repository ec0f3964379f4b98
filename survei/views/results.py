from django.shortcuts import render
from django.urls import path

from survei import selectors


def public_index(request):
    """The published results (PermenPANRB 14/2017: SKM results are published)."""
    return render(request, "survei/public_index.html", {"surveys": selectors.published_surveys()})


urlpatterns: list = []
public_urlpatterns: list = [path("", public_index, name="root")]
