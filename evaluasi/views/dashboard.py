"""The inspectorate's dashboard: every kind's figures for a period and unit."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import path

from cases import workdays
from cases.models import Unit
from evaluasi import access, statistics
from evaluasi.periods import Period, PeriodError, choices_around, default_period


def _scope(request) -> tuple[statistics.Scope, str]:
    """The period and unit asked for in the query string, checked against what the user may read."""
    error = ""
    try:
        period = Period.parse(request.GET["periode"]) if request.GET.get("periode") else None
    except PeriodError as problem:
        period, error = None, str(problem)
    period = period or default_period(workdays.today())
    allowed = access.statistics_unit_ids(request.user)
    unit = None
    code = request.GET.get("unit", "")
    if code:
        unit = Unit.objects.filter(code=code).first()
    if unit is None and allowed is not None:
        heads = Unit.objects.filter(pk__in=allowed, head=request.user).order_by("code")
        unit = heads.first()
    if not access.may_read_unit(request.user, unit):
        raise PermissionDenied
    return statistics.Scope.of(period, unit), error


@login_required
def dashboard(request):
    if not access.may_read_statistics(request.user):
        raise PermissionDenied
    scope, error = _scope(request)
    return render(
        request,
        "evaluasi/dashboard.html",
        {
            "scope": scope,
            "error": error,
            "panels": statistics.dashboard(scope),
            "follow_up": statistics.follow_up(scope),
            "periods": choices_around(workdays.today()),
        },
    )


urlpatterns = [path("", dashboard, name="dashboard")]
