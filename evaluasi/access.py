"""Who reads the evaluation layer (DESIGN §6).

- The inspectorate (inspektur) reads the statistics of every unit, records evaluations and recommendations,
  confirms the LKE worksheet and downloads every export.
- The head of a unit (Unit.head) reads the statistics, evaluations and follow-up of their units and the units
  below them; they change nothing here but the follow-up of a recommendation they own.
- A recommendation's owner reads it and records its follow-up actions.
- Nobody else, admins included: being admin opens nothing here.

A figure's list of cases is filtered by cases.policy like every list, so a unit head who may not open a case
does not reach it through a figure either.
"""

from django.utils.translation import gettext_lazy
from rest_framework.permissions import BasePermission

from cases import policy


def is_inspector(user) -> bool:
    return policy.has_role(user, policy.INSPEKTUR)


def statistics_unit_ids(user) -> set[int] | None:
    """The units whose figures `user` reads: None for every unit (the inspectorate), the headed units (with
    their sub-units) for a unit head, and an empty set for anyone else."""
    if user is None or not user.is_authenticated or not user.is_active:
        return set()
    if is_inspector(user):
        return None
    return policy.headed_unit_ids(user)


def may_read_statistics(user) -> bool:
    return statistics_unit_ids(user) != set()


def may_read_unit(user, unit) -> bool:
    """Whether `user` reads the figures of `unit` (None: every unit, the inspectorate only)."""
    allowed = statistics_unit_ids(user)
    if allowed is None:
        return True
    return unit is not None and unit.pk in allowed


def may_evaluate(user) -> bool:
    """Record evaluations and recommendations, accept or refuse follow-up, confirm the LKE worksheet."""
    return is_inspector(user)


def protected_modules() -> list[str]:
    """The kinds whose every trace the inspectorate alone reads among the evaluation records: those with
    small-cell protection (WBS). A unit head may be the person a report is about (DESIGN §3)."""
    from cases import registry  # noqa: PLC0415 - the registry is filled when the apps are ready

    return [kind.code for kind in registry.all_kinds() if kind.statistics.min_cell]


class ReadsStatistics(BasePermission):
    """The dashboard's rule for the API and its schema: the inspectorate or the head of a unit."""

    message = gettext_lazy("Anda tidak berhak membaca statistik evaluasi.")

    def has_permission(self, request, view) -> bool:
        return may_read_statistics(request.user)
