"""Adding a recommendation on a survey's results (/kelola/survei/<uuid>/rekomendasi/): evaluasi's form and add
step. The inspectorate or the head of the survey's unit or of a unit above it (survei.evaluation.may_recommend);
others who read the survey get 403, those who do not 404."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_http_methods

from evaluasi.forms import RecommendationForm
from evaluasi.views import followup
from survei import selectors
from survei.evaluation import MODULE, detail_href, may_recommend


@login_required
@require_http_methods(["GET", "POST"])
def recommendation_add(request, uuid):
    """The form (GET) and its sending (POST): evaluasi's recommendation form and its add step."""
    survey = selectors.survey_or_404(request.user, uuid)
    if not may_recommend(request.user, survey):
        raise PermissionDenied
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and followup.add_from_form(request, form, survey=survey):
        back = detail_href(survey)
        return redirect(back or f"{reverse('evaluasi:recommendations')}?{urlencode({'modul': MODULE})}")
    return render(
        request,
        "evaluasi/recommendation_form.html",
        {
            "form": form,
            "subject_title": survey.title,
            "form_action": reverse("survei:recommendation_add", args=[survey.uuid]),
            "cancel_href": detail_href(survey) or reverse("evaluasi:recommendations"),
        },
        status=400 if request.method == "POST" else 200,
    )


urlpatterns = [
    path("<uuid:uuid>/rekomendasi/", recommendation_add, name="recommendation_add"),
]
