"""Reads of the follow-up and evaluation records, shared by the pages, the case page's section and the tests.

Who reads what (evaluasi.access says the roles):
- the inspectorate: every evaluation and recommendation;
- a unit head: the evaluations of their units (sub-units included) and their recommendations, and the
  recommendations of cases in those units that they may open (cases.policy.visible_cases), so a recommendation
  never shows a unit head a case — a WBS report — they could not open themselves; and the recommendations on
  their units' surveys (survei, issue 13);
- an owner: the recommendations they own, whatever unit (they must follow them up);
- an owner's supervisor (EmployeeProfile.supervisor): their subordinates' recommendations, since an overdue one
  is escalated to them (evaluasi.services.remind_follow_ups) and the message's link must open.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404

from cases import policy
from cases.models import Case, Unit
from evaluasi import access, extensions
from evaluasi.models import OPEN_FOLLOW_UP, Document, Evaluation, FollowUp, Recommendation
from evaluasi.periods import Period


def readable_evaluations(user) -> QuerySet:
    evaluations = Evaluation.objects.select_related("unit", "created_by")
    allowed = access.statistics_unit_ids(user)
    if allowed is None:
        return evaluations
    return evaluations.filter(unit_id__in=allowed).exclude(module__in=access.protected_modules())


def _protected(user) -> Q:
    """Recommendations on a WBS case or of a WBS evaluation, for anyone but the inspectorate."""
    protected = access.protected_modules()
    return Q(case__kind__in=protected) | Q(evaluation__module__in=protected)


def readable_recommendations(user) -> QuerySet:
    recommendations = Recommendation.objects.select_related("unit", "owner", "case", "evaluation", "survey")
    if user is None or not user.is_authenticated or not user.is_active:
        return recommendations.none()
    allowed = access.statistics_unit_ids(user)
    if allowed is None:
        return recommendations
    # A survey's recommendation counts for the survey's unit (Recommendation.unit): its heads read it, as they
    # read the survey (survei.selectors.readable_unit_ids).
    headed = Q(unit_id__in=allowed) & (
        Q(evaluation__isnull=False)
        | Q(survey__isnull=False)
        | Q(case__in=policy.visible_cases(user, Case.objects.all()).values("pk"))
    )
    # The owner reads their own, whatever it is about (they must follow it up); their supervisor and a unit
    # head nothing that says a WBS report or evaluation exists.
    return recommendations.filter(Q(owner=user) | ((Q(owner__profile__supervisor=user) | headed) & ~_protected(user)))


def evaluation_or_404(user, uuid) -> Evaluation:
    evaluation = readable_evaluations(user).filter(uuid=uuid).first()
    if evaluation is None:
        raise Http404
    return evaluation


def recommendation_or_404(user, uuid) -> Recommendation:
    """The recommendation if `user` may read it; 404 otherwise, as for one that does not exist."""
    recommendation = readable_recommendations(user).filter(uuid=uuid).first()
    if recommendation is None:
        raise Http404
    return recommendation


def document_or_404(user, uuid) -> Document:
    document = Document.objects.select_related("evaluation", "action__recommendation__case").filter(uuid=uuid).first()
    if document is None:
        raise Http404
    if document.evaluation_id is not None:
        readable = readable_evaluations(user).filter(pk=document.evaluation_id).exists()
    else:
        readable = readable_recommendations(user).filter(pk=document.action.recommendation_id).exists()
    if not readable:
        raise Http404
    return document


@dataclass(frozen=True)
class EvaluationFilters:
    module: str = ""
    unit: Unit | None = None
    year: int | None = None


def evaluation_list(user, filters: EvaluationFilters) -> QuerySet:
    evaluations = readable_evaluations(user)
    if filters.module:
        evaluations = evaluations.filter(module=filters.module)
    if filters.unit is not None:
        evaluations = evaluations.filter(unit_id__in=filters.unit.descendant_ids())
    if filters.year:
        evaluations = evaluations.filter(period_end__year__gte=filters.year, period_start__year__lte=filters.year)
    return evaluations


@dataclass(frozen=True)
class RecommendationFilters:
    """The list's filters. ``period`` and ``unit`` mean what they mean in evaluasi.statistics.follow_up (issued
    in the period, in the unit or a unit below it), so a dashboard figure and the list it links to agree."""

    status: str = ""
    unit: Unit | None = None
    module: str = ""
    overdue: bool = False
    period: Period | None = None


def recommendation_list(user, filters: RecommendationFilters, *, today: dt.date) -> QuerySet:
    """The list page (and the dashboard's follow-up figures' list): what statistics.follow_up counts for this
    reader. An owner's WBS recommendation is on their "Tindak lanjut saya", not here."""
    recommendations = readable_recommendations(user)
    if access.statistics_unit_ids(user) is not None:
        recommendations = recommendations.exclude(_protected(user))
    if filters.period is not None:
        recommendations = recommendations.filter(issued_on__gte=filters.period.start, issued_on__lte=filters.period.end)
    if filters.unit is not None:
        recommendations = recommendations.filter(unit_id__in=filters.unit.descendant_ids())
    if filters.module:
        recommendations = recommendations.filter(extensions.module_condition(filters.module))
    if filters.status:
        recommendations = recommendations.filter(status=filters.status)
    if filters.overdue:
        recommendations = overdue(recommendations, today)
    return recommendations


def overdue(recommendations: QuerySet, today: dt.date) -> QuerySet:
    return recommendations.filter(status__in=OPEN_FOLLOW_UP, due_on__lt=today)


def my_follow_ups(user) -> tuple[QuerySet, QuerySet]:
    """What `user` owns: the open ones (by due date) and the closed ones (latest first)."""
    mine = Recommendation.objects.filter(owner=user).select_related("unit", "case", "evaluation", "survey")
    return (
        mine.filter(status__in=OPEN_FOLLOW_UP).order_by("due_on", "pk"),
        mine.exclude(status__in=OPEN_FOLLOW_UP).order_by("-completed_on", "-pk"),
    )


def case_recommendations(case: Case, user) -> QuerySet:
    """The recommendations of `case` that `user` reads on the case page: all of them for the office (those who
    handle the case and the inspectorate), only their own for an owner, none for anyone else (the reporter)."""
    recommendations = Recommendation.objects.filter(case=case).select_related("owner")
    if policy.sees_internal(user, case):
        return recommendations
    return recommendations.filter(owner=user)


def is_late(recommendation: Recommendation, today: dt.date) -> bool:
    return recommendation.status in OPEN_FOLLOW_UP and recommendation.due_on < today


STATUS_CHOICES = FollowUp.choices
