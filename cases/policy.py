"""Who may do what to which case. Views, services, admin and commands all ask here.

Roles are Django groups (see ROLES). On top of them, django-guardian object permissions say who is assigned
to a case (`cases.handle_case`), and CaseExclusion rows keep people a case is about out of it entirely.

The rules:
- a reporter sees their own cases;
- a kind's handler group (e.g. petugas UPG for gratifikasi) sees and handles that kind's ordinary cases;
  confidential ones only when assigned to them (object permission), or as the group's coordinator (the
  `coordinate_confidential` permission, e.g. ketua UPG), who receives them and assigns them;
- an inspektur sees every case, read-only;
- the reporter's supervisor sees cases of kinds that say so (benturan kepentingan);
- admins manage users and settings; they see no case through being admin, and never restricted content;
- an excluded person sees nothing of the case, whatever their role;
- a draft is seen by its reporter only;
- segregation of duties: nobody handles, is assigned, verifies, decides or closes a case they reported or that
  is about them (an excluded person: the terlapor and their supervisors). A handler's own report is handled by
  another member of the group; they follow it as its reporter only. Irreversible and closing steps need a
  confirmation and a reason.
"""

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser, Permission
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from cases import registry
from cases.models import (
    Case,
    CaseExclusion,
    CaseGroupObjectPermission,
    CaseUserObjectPermission,
    Confidentiality,
    EmployeeProfile,
    Unit,
)

PEGAWAI = "pegawai"
PETUGAS_UPG = "petugas_upg"
PETUGAS_PENGADUAN = "petugas_pengaduan"
PENGELOLA_WBS = "pengelola_wbs"
KUSTODIAN = "kustodian_identitas"
ATASAN = "atasan"
INSPEKTUR = "inspektur"
ADMIN = "admin"
# Runs the unit's surveys (survei/, issue 13); not a case role: it opens no case.
PETUGAS_SURVEI = "petugas_survei"

ROLES = [PEGAWAI, PETUGAS_UPG, PETUGAS_PENGADUAN, PENGELOLA_WBS, KUSTODIAN, ATASAN, INSPEKTUR, ADMIN, PETUGAS_SURVEI]
STAFF_ROLES = {PETUGAS_UPG, PETUGAS_PENGADUAN, PENGELOLA_WBS, KUSTODIAN, ATASAN, INSPEKTUR, ADMIN, PETUGAS_SURVEI}

HANDLE = "handle_case"
DRAFT = "draft"


def roles(user) -> frozenset[str]:
    if user is None or not user.is_authenticated:
        return frozenset()
    cached = getattr(user, "_sigap_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._sigap_roles = cached
    return cached


def has_role(user, role: str) -> bool:
    return role in roles(user)


def handled_kinds(user) -> list[str]:
    user_roles = roles(user)
    return [kind.code for kind in registry.all_kinds() if kind.handler_group in user_roles]


def _handle_permission_id() -> Subquery:
    """The id of `cases.handle_case`, as a scalar subquery PostgreSQL evaluates once per statement (an InitPlan)
    instead of joining auth_permission inside every per-case EXISTS (benchmarks/: the join was a sequential scan
    of auth_permission per case counted)."""
    return Subquery(Permission.objects.filter(codename=HANDLE, content_type__app_label="cases").values("pk")[:1])


def _assigned(user) -> Q:
    direct = CaseUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user_id=user.pk, permission_id=_handle_permission_id()
    )
    via_group = CaseGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"),
        group_id__in=get_user_model().groups.through.objects.filter(user_id=user.pk).values("group_id"),
        permission_id=_handle_permission_id(),
    )
    return Q(Exists(direct)) | Q(Exists(via_group))


def _own_case_ids(user, supervised: list[str]) -> QuerySet:
    """Cases the user reported (drafts included), is assigned to (submitted only) or, for the kinds in
    `supervised`, that a direct subordinate submitted."""
    reported = Case.objects.filter(reporter=user).values("pk")
    subordinates = (
        Case.objects.filter(kind__in=supervised, reporter__profile__supervisor_id=user.pk)
        .exclude(status=DRAFT)
        .values("pk")
    )
    direct = (
        CaseUserObjectPermission.objects.filter(user=user, permission__codename=HANDLE)
        .exclude(content_object__status=DRAFT)
        .values("content_object_id")
    )
    via_group = (
        CaseGroupObjectPermission.objects.filter(group__user=user, permission__codename=HANDLE)
        .exclude(content_object__status=DRAFT)
        .values("content_object_id")
    )
    return reported.union(direct, via_group, subordinates) if supervised else reported.union(direct, via_group)


def visible_cases(user, queryset: QuerySet | None = None) -> QuerySet:
    """Every case this user may see, as a queryset the caller can filter further."""
    queryset = Case.objects.all() if queryset is None else queryset
    if user is None or not user.is_authenticated or not user.is_active:
        return queryset.none()
    # A draft is the reporter's own until submitted: nobody else sees it, whatever their role.
    submitted = ~Q(status=DRAFT)
    supervised = [kind.code for kind in registry.all_kinds() if kind.supervisor_sees]
    if has_role(user, INSPEKTUR):
        allowed = Q(reporter=user) | submitted
    elif shared := [code for code in handled_kinds(user) if registry.get(code).manual_assignment]:
        # A handler group sees its kinds' cases as a group. Kinds routed to one person (CaseKind.manual_assignment
        # off: benturan's decider) open nothing to their handler group, coordinator or not: only the assignment.
        allowed = Q(reporter=user) | (_assigned(user) & submitted)
        if is_coordinator(user):
            allowed |= Q(kind__in=shared) & submitted
        else:
            allowed |= Q(kind__in=shared, confidentiality=Confidentiality.BIASA) & submitted
        if supervised:
            # A subquery, not a join through the reporter's profile: inside the OR a join would be an outer
            # join of every case row to auth_user and the profile.
            subordinates = EmployeeProfile.objects.filter(supervisor_id=user.pk).values("user_id")
            allowed |= Q(kind__in=supervised, reporter_id__in=subordinates) & submitted
    else:
        # Most users (pegawai, atasan: no kind shared with a group) see a handful of cases: one indexed UNION —
        # their reports, assignments and subordinates' declarations — instead of an OR that keeps PostgreSQL
        # from using any index (benchmarks/: 550 ms -> a few ms at 1,000,000 cases).
        allowed = Q(pk__in=_own_case_ids(user, supervised))
    excluded = CaseExclusion.objects.filter(case=OuterRef("pk"), user=user)
    return queryset.filter(allowed).filter(~Exists(excluded))


class _Access:
    """What load_access read about one user and one case."""

    __slots__ = ("visible", "assigned")

    def __init__(self, *, visible: bool, assigned: bool):
        self.visible, self.assigned = visible, assigned


def load_access(user, case: Case) -> Case:
    """Read at once what the rules below need to know about this user and this case — who is excluded from
    it, whether the user is assigned, whether they may see it — and keep it on this `case` instance.

    For a page that asks many questions about one case (the case page asks can_handle for every button): its
    query count stays constant instead of growing with the number of transitions, forms and links. Only the
    instance the caller loaded carries the answers, for the length of one request; services that change who
    may do what (assign, exclude, transition) work on rows they lock and read afresh, never on this one."""
    if user is None or not user.is_authenticated:
        return case
    excluded = frozenset(CaseExclusion.objects.filter(case_id=case.pk).values_list("user_id", flat=True))
    mine = CaseUserObjectPermission.objects.filter(
        content_object=OuterRef("pk"), user=user, permission__codename=HANDLE
    )
    ours = CaseGroupObjectPermission.objects.filter(
        content_object=OuterRef("pk"), group__user=user, permission__codename=HANDLE
    )
    visible = visible_cases(user).filter(pk=OuterRef("pk"))
    row = (
        Case.objects.filter(pk=case.pk)
        .annotate(mine=Exists(mine), ours=Exists(ours), visible=Exists(visible))
        .values("mine", "ours", "visible")
        .get()
    )
    case._sigap_excluded_ids = excluded
    case._sigap_access = {
        **getattr(case, "_sigap_access", {}),
        user.pk: _Access(visible=row["visible"], assigned=row["mine"] or row["ours"]),
    }
    return case


def _loaded(user, case: Case) -> _Access | None:
    return getattr(case, "_sigap_access", {}).get(getattr(user, "pk", None))


def can_view(user, case: Case) -> bool:
    loaded = _loaded(user, case)
    if loaded is not None:
        return loaded.visible
    return visible_cases(user, Case.objects.filter(pk=case.pk)).exists()


def is_excluded(user, case: Case) -> bool:
    excluded = getattr(case, "_sigap_excluded_ids", None)
    if excluded is not None:
        return getattr(user, "pk", None) in excluded
    return CaseExclusion.objects.filter(case=case, user=user).exists()


def is_conflicted(user, case: Case) -> bool:
    """Segregation of duties (UU 30/2014 Pasal 42–43: an official with a conflict of interest must not decide):
    the case's reporter, or a person it is about. Who a case is about is recorded as a CaseExclusion by the
    kind (the WBS terlapor and their supervisors), so the core needs no knowledge of the kinds."""
    return is_reporter(user, case) or is_excluded(user, case)


def conflicted_ids(case: Case) -> set[int]:
    """The ids of everyone who may not handle this case: its reporter and the people excluded from it."""
    excluded = getattr(case, "_sigap_excluded_ids", None)
    if excluded is None:
        excluded = CaseExclusion.objects.filter(case_id=case.pk).values_list("user_id", flat=True)
    ids = set(excluded)
    if case.reporter_id is not None:
        ids.add(case.reporter_id)
    return ids


def can_handle(user, case: Case) -> bool:
    """Handlers of the kind work ordinary cases; confidential ones need an assignment. Inspectors read only.
    Nobody handles a case they reported or that is about them, whatever their role or assignment."""
    if user is None or not user.is_authenticated or not user.is_active or is_conflicted(user, case):
        return False
    if is_assigned(user, case):
        return True
    if case.kind_def.handler_group not in roles(user) or not case.kind_def.manual_assignment:
        return False
    return case.confidentiality == Confidentiality.BIASA or is_coordinator(user)


def is_coordinator(user) -> bool:
    """Holds the model permission that makes them receive confidential cases of the kinds they handle.
    Checked on the user's own and group permissions only, so being a superuser does not confer it."""
    cached = getattr(user, "_sigap_coordinator", None)
    if cached is None:
        codename = "coordinate_confidential"
        cached = (
            user.user_permissions.filter(codename=codename, content_type__app_label="cases").exists()
            or user.groups.filter(permissions__codename=codename, permissions__content_type__app_label="cases").exists()
        )
        user._sigap_coordinator = cached
    return cached


def is_assigned(user, case: Case) -> bool:
    """The guardian object permission, read directly: `user.has_perm` is always true for a superuser, and
    being a superuser must not open a case (admins cannot read WBS content)."""
    loaded = _loaded(user, case)
    if loaded is not None:
        return loaded.assigned
    mine = CaseUserObjectPermission.objects.filter(content_object=case, user=user, permission__codename=HANDLE)
    ours = CaseGroupObjectPermission.objects.filter(content_object=case, group__user=user, permission__codename=HANDLE)
    return mine.exists() or ours.exists()


def _base(case: Case) -> Case:
    # Object permissions hang on the Case row; a detail instance (a subclass) would have guardian look for a
    # permission on the detail model's content type instead.
    return case if type(case) is Case else Case.objects.get(pk=case.pk)


def _forget_access(case: Case) -> None:
    # What load_access read about this instance no longer holds once assignments change.
    case.__dict__.pop("_sigap_access", None)


def grant_handling(user, case: Case) -> None:
    assign_perm(HANDLE, user, _base(case))
    _forget_access(case)


def revoke_handling(user, case: Case) -> None:
    remove_perm(HANDLE, user, _base(case))
    _forget_access(case)


def is_reporter(user, case: Case) -> bool:
    return user is not None and user.is_authenticated and case.reporter_id == user.pk


def sees_internal(user, case: Case) -> bool:
    """The office's view of a case — internal notes, the access log, the KPK form — rather than the reporter's:
    those who may handle it, and the inspectorate, who read every case."""
    return can_handle(user, case) or has_role(user, INSPEKTUR)


def can_comment(user, case: Case) -> bool:
    """Files: the handlers, and the reporter for files of their own case."""
    return can_handle(user, case) or is_reporter(user, case)


def can_add_note(user, case: Case) -> bool:
    """Internal notes: the office's working notes, which the reporter never reads — so only those who handle
    the case write them (not its reporter, not the inspectorate, who read only)."""
    return can_handle(user, case)


def can_message(user, case: Case) -> bool:
    """Messages between handler and reporter: a reporter with an account, or an anonymous one who reads them
    with their receipt (public-intake kinds)."""
    has_reporter = case.reporter_id is not None or case.kind_def.public_intake
    return has_reporter and (can_handle(user, case) or is_reporter(user, case))


def can_link_from(user, case: Case) -> bool:
    """Whether `user` may link this case to another: those who handle it, and the inspectorate, who see every
    case (never one they reported or that is about them)."""
    if can_handle(user, case):
        return True
    return has_role(user, INSPEKTUR) and not is_conflicted(user, case) and can_view(user, case)


def can_link(user, source: Case, target: Case) -> bool:
    """A handler links what they handle to what they can see; an inspektur links two cases they can see. Linking
    reveals nothing: each side shows the other only to those who may see it (selectors.case_links)."""
    if not can_link_from(user, source) or not can_view(user, target):
        return False
    if can_handle(user, source):
        return True
    return not is_conflicted(user, target)


def can_assign(user, case: Case) -> bool:
    if not case.kind_def.manual_assignment:
        return False
    return case.kind_def.handler_group in roles(user) and can_handle(user, case)


def assignable_users(case: Case) -> QuerySet:
    """Active members of the kind's handler group, never the reporter or a person the case is about."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=case.kind_def.handler_group)
        .exclude(pk__in=conflicted_ids(case))
        .order_by("first_name", "username")
    )


def assignable_users_by_case(cases: Iterable[Case]) -> dict[int, list]:
    """`assignable_users(case)` for many cases at once: {case pk: [users, in the same order]}.

    The same rule, read set-wise so a batch costs one query per handler group and one for the exclusions,
    however many cases it holds (the deadline sweep): active members of the kind's handler group, minus the
    case's reporter and the people excluded from it. Users come with their profile, for the language a
    notification is written in. tests/cases/test_sweep_batch.py checks it against `assignable_users`."""
    cases = list(cases)
    if not cases:
        return {}
    excluded: dict[int, set[int]] = {case.pk: set() for case in cases}
    known = [case for case in cases if getattr(case, "_sigap_excluded_ids", None) is not None]
    for case in known:
        excluded[case.pk] = set(case._sigap_excluded_ids)
    unknown = [case.pk for case in cases if getattr(case, "_sigap_excluded_ids", None) is None]
    if unknown:
        rows = CaseExclusion.objects.filter(case_id__in=unknown).values_list("case_id", "user_id")
        for case_id, user_id in rows:
            excluded[case_id].add(user_id)
    members: dict[str, list] = {}
    for group in {case.kind_def.handler_group for case in cases}:
        members[group] = list(
            get_user_model()
            .objects.filter(is_active=True, groups__name=group)
            .select_related("profile")
            .order_by("first_name", "username")
        )
    result = {}
    for case in cases:
        conflicted = excluded[case.pk] | ({case.reporter_id} if case.reporter_id is not None else set())
        result[case.pk] = [user for user in members[case.kind_def.handler_group] if user.pk not in conflicted]
    return result


def assignment_refusal(case: Case, assignee) -> str:
    """Why `assignee` may not be given this case, or "" when they may."""
    if is_reporter(assignee, case):
        return _(
            "Pelapor tidak dapat ditetapkan sebagai petugas kasusnya sendiri. Pilih anggota lain; bila tidak ada, "
            "minta koordinator atau admin menambahkan petugas."
        )
    if is_excluded(assignee, case):
        return _("Orang ini dikecualikan dari kasus ini dan tidak dapat menanganinya.")
    if not assignable_users(case).filter(pk=assignee.pk).exists():
        return _("Orang ini tidak dapat menangani kasus ini.")
    return ""


def coordinators_who_see(case: Case, without: set[int] = frozenset()) -> QuerySet:
    """Who can still receive and assign this case if the people in `without` were excluded too: for a
    confidential case, the kind's coordinators; for an ordinary one, any member of the handler group. The
    reporter and people already excluded never count."""
    users = assignable_users(case).exclude(pk__in=without)
    if case.confidentiality == Confidentiality.BIASA:
        return users
    coordinate = Permission.objects.filter(codename="coordinate_confidential", content_type__app_label="cases")
    return users.filter(Q(user_permissions__in=coordinate) | Q(groups__permissions__in=coordinate)).distinct()


def exclusion_refusal(case: Case, actor, people: list) -> str:
    """Why excluding `people` from the case is refused, or "" when it may go ahead.

    A coordinator may not exclude themself (that would be deciding about their own conflict), and no
    exclusion may leave a case without someone who can see and assign it, or it would sit unseen."""
    ids = {person.pk for person in people}
    if actor is not None and actor.pk in ids:
        return _(
            "Anda tidak dapat mengecualikan diri sendiri (termasuk sebagai atasan terlapor). Minta koordinator "
            "lain melakukannya; bila tidak ada, minta admin memberikan izin koordinator kepada rekan lebih dahulu."
        )
    if not coordinators_who_see(case, without=ids).exists():
        return _(
            "Pengecualian ini akan membuat kasus tanpa koordinator yang dapat melihatnya. Minta admin memberikan "
            "izin koordinator kepada rekan yang tidak terkait lebih dahulu, lalu ulangi pengecualian."
        )
    return ""


def eligible_handlers(case: Case) -> list:
    """Everyone who may handle the case now without a conflict: assignable and able to handle it."""
    return [user for user in assignable_users(case) if can_handle(user, case)]


def inspectors(case: Case) -> QuerySet:
    """The inspectorate (inspektur group) who oversee the case, never one it is about."""
    return (
        get_user_model()
        .objects.filter(is_active=True, groups__name=INSPEKTUR)
        .exclude(pk__in=conflicted_ids(case))
        .distinct()
    )


def needs_confirmation(case: Case, meta) -> bool:
    """Irreversible or closing steps (a django-fsm transition `meta` into one of the kind's final states, or
    one marked `confirm`) need a ticked confirmation and a written reason, which goes into the audit event."""
    targets = meta.target if isinstance(meta.target, list | tuple | set) else [meta.target]
    closing = any(target in case.kind_def.final_states for target in targets if target)
    return closing or bool(meta.custom.get("confirm"))


def needs_note(meta) -> bool:
    """A step whose reason the reporter must read (a request for information, a rejection): the kind marks it
    `note_required` and the transition service refuses it without a note."""
    return bool(meta.custom.get("note_required"))


def segregation_refusal(user, case: Case, meta) -> str:
    """Why `user` may not run transition `meta` on this case for reasons of segregation of duties, or "".
    The reporter's own steps (submit, complete) stay the reporter's."""
    if is_excluded(user, case):
        return _("Anda dikecualikan dari kasus ini.")
    if is_reporter(user, case) and meta.permission not in REPORTER_PERMISSIONS:
        if case.kind_def.handler_group not in roles(user):
            return _("Peran Anda tidak berwenang melakukan tindakan ini.")
        if not handler_available(case):
            return _(
                "Anda pelapor kasus ini dan tidak dapat menanganinya (pemisahan tugas). Belum ada petugas lain yang "
                "dapat menanganinya: kasus menunggu koordinator atau inspektorat menetapkan petugas."
            )
        return _(
            "Anda pelapor kasus ini: kasus Anda ditangani petugas lain (pemisahan tugas). Anda tetap dapat "
            "mengikutinya sebagai pelapor."
        )
    return ""


def handler_available(case: Case) -> bool:
    """Whether anyone may handle the case without a conflict: its assignee or a member of the handler group.
    A UPG officer's own report when they are the only UPG member has nobody (cases.services.notify_no_handler)."""
    if case.assignee_id and can_handle(case.assignee, case):
        return True
    return any(can_handle(user, case) for user in assignable_users(case))


def get_case_or_404(user, reference: str, queryset: QuerySet | None = None) -> Case:
    """Resolve a case by its public reference, answering 404 for cases the user may not see — the same
    answer as for a case that does not exist, so a forged reference learns nothing."""
    case = visible_cases(user, queryset).filter(reference=reference).first()
    if case is None:
        raise Http404
    return case


# Permission callables for django-fsm `@transition(permission=...)`: (instance, user) -> bool.


def handler(instance: Case, user) -> bool:
    return can_handle(user, instance)


def reporter(instance: Case, user) -> bool:
    return is_reporter(user, instance) and not isinstance(user, AnonymousUser)


# Transitions with these permissions are the reporter's own steps, which segregation of duties leaves to them.
REPORTER_PERMISSIONS = (reporter,)


# Steps nobody signed in may take. A public reporter has no account (they opened the case with their tracking
# credential), and the periodic sweep is nobody: services.transition runs these only with actor None and the
# matching `by`. For every user they answer False, so no button offers them and no officer can confirm an
# answer on a complainant's behalf or close a case as "the system".


def public_reporter(instance: Case, user) -> bool:
    """The reporter without an account, acting from the tracking page (services.transition(by="reporter"))."""
    return False


def system(instance: Case, user) -> bool:
    """The system itself, e.g. a periodic sweep closing a case (services.transition(by="system"))."""
    return False


# `by` → the only permission callable a transition run with that `by` and no actor may declare.
ACTORLESS_PERMISSIONS = {"reporter": public_reporter, "system": system}


# ---------------------------------------------------------------------------------------------------------
# Unit heads (Unit.head): they approve a unit's documents and read its figures (benturan, evaluasi).


def head_of(unit: Unit):
    """The head responsible for `unit`: its own head, or the nearest one above it."""
    seen = set()
    while unit is not None and unit.pk not in seen:
        seen.add(unit.pk)
        if unit.head_id is not None and unit.head.is_active:
            return unit.head
        unit = unit.parent
    return None


def headed_unit_ids(user) -> set[int]:
    """The units `user` heads and every unit below them (a sub-unit's own head reads that sub-unit too)."""
    if user is None or not user.is_authenticated:
        return set()
    found: set[int] = set()
    for unit in Unit.objects.filter(head=user):
        found.update(unit.descendant_ids())
    return found
