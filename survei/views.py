"""The survey pages: the officers' (signed in) and the public ones (the respondent form, the published results)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from survei import selectors


@login_required
def survey_list(request):
    surveys = selectors.readable_surveys(request.user)
    return render(request, "survei/survey_list.html", {"surveys": surveys})


def public_index(request):
    return render(request, "survei/public_index.html", {"surveys": selectors.published_surveys()})
