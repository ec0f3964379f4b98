"""Filters of the follow-up templates (evaluasi/templates/evaluasi/recommendation_*.html)."""

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.filter
def survey_href(survey) -> str:
    """The officer's page of a recommendation's survey (survei:detail), or "" while that page is not mounted:
    the follow-up pages name the survey either way. By URL name: evaluasi does not import survei."""
    if survey is None:
        return ""
    try:
        return reverse("survei:detail", args=[survey.uuid])
    except NoReverseMatch:
        return ""
