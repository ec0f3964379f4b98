"""Who may read and write the registers of benturan kepentingan (risk map, campaigns, statements, evaluations).

The declaration is a case and answers to cases.policy like every kind. The registers beside it are the unit's:
- the inspectorate (inspektur) prepares and reads everything, opens statement campaigns and records evaluations;
- the head of a unit (Unit.head) prepares and approves the unit's risk map, and reads the coverage figures of
  their unit and the units below it (a unit without a head of its own is headed by the nearest head above);
- an employee reads and files their own statements; their supervisor reads them (a flagged interest is the
  supervisor's to act on);
- admins manage settings only: being admin opens nothing here.
"""

from django.db.models import Q, QuerySet

from cases import policy
from cases.models import EmployeeProfile, Unit
from cases.policy import head_of, headed_unit_ids  # noqa: F401 - the unit heads are the core's


def is_inspector(user) -> bool:
    return policy.has_role(user, policy.INSPEKTUR)


def may_prepare_map(user, unit: Unit) -> bool:
    """Prepare (draft, edit, make a new version of) a unit's risk map."""
    return is_inspector(user) or unit.pk in headed_unit_ids(user)


def may_approve_map(user, unit: Unit) -> bool:
    """Approve a version: the head of the unit only (the document is theirs; PermenPANRB 17/2024)."""
    head = head_of(unit)
    return head is not None and user is not None and head.pk == user.pk


def may_read_map(user, unit: Unit) -> bool:
    """Every employee may read their own unit's approved map (the controls are theirs to follow)."""
    if may_prepare_map(user, unit):
        return True
    profile = getattr(user, "profile", None)
    return profile is not None and profile.unit_id in set(unit.descendant_ids())


def may_open_campaign(user) -> bool:
    return is_inspector(user)


def may_see_coverage(user, campaign) -> bool:
    """The inspectorate (a campaign's owner is an inspector; one who leaves the role loses it), and the heads of
    the campaign's units."""
    return is_inspector(user) or bool(headed_unit_ids(user) & set(campaign.unit.descendant_ids()))


def coverage_unit_ids(user, campaign) -> set[int] | None:
    """The units of the campaign whose figures `user` may read: all of them (None) for the inspectorate, the
    units they head for a unit head."""
    if is_inspector(user):
        return None
    return headed_unit_ids(user) & set(campaign.unit.descendant_ids())


def may_see_who_declared(user) -> bool:
    """Who declared an interest, by name: the inspectorate only. A unit head reads how many did, and who has
    not filed yet (to remind them), not whose register holds an interest."""
    return is_inspector(user)


def has_subordinates(user) -> bool:
    """A supervisor: someone an active employee's profile names as their atasan."""
    return EmployeeProfile.objects.filter(supervisor=user, user__is_active=True).exists()


def readable_statements(user, queryset: QuerySet) -> QuerySet:
    """Statements `user` may read: their own; all for the inspectorate; and, for the supervisor in the profile,
    a subordinate's statement in force that was flagged to them (an interest touching the position's risks) —
    not every statement a subordinate ever filed, which is personal data the supervisor has no need of."""
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    if is_inspector(user):
        return queryset
    flagged_to_me = Q(employee__profile__supervisor=user, flagged=True, superseded_by__isnull=True)
    return queryset.filter(Q(employee=user) | flagged_to_me)


def may_record_evaluation(user, unit: Unit | None = None) -> bool:
    return is_inspector(user) or (unit is not None and unit.pk in headed_unit_ids(user))
