"""What writes in benturan kepentingan: declarations and their routing to the supervisor who decides.

Who decides (UU 30/2014 Pasal 43: the official informs their atasan, who decides): the declarant's supervisor in
their profile (the unit hierarchy), or the next one up when the supervisor is part of the conflict — declared by
the employee, or by the supervisor stepping aside. A declaration is routed to one person, never assigned by hand
(CaseKind.manual_assignment is off), and never left with nobody to decide it: with no one above, it is refused
with the reason instead.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from benturan.models import NEEDS_REPLACEMENT, Declaration, Outcome, Status
from cases import audit, notifications, policy, services
from cases.models import Case, CaseExclusion, Confidentiality
from cases.services import CaseError, NotAllowed

User = get_user_model()

# How far up the hierarchy routing looks before it gives up (a profile loop, or a very tall tree).
MAX_LEVELS = 12

DECLARATION_FIELDS = ("subject", "activity_kind", "activity_date", "source", "interest", "people_involved")


def _supervisor_of(user):
    profile = getattr(user, "profile", None)  # a user without a profile has no supervisor
    return getattr(profile, "supervisor", None)


def decider_for(employee, *, skip: set[int] = frozenset()):
    """The first active supervisor above `employee` who is not in `skip` (people part of the conflict), or None."""
    seen = {employee.pk}
    current = _supervisor_of(employee)
    for _level in range(MAX_LEVELS):
        if current is None or current.pk in seen:
            return None
        seen.add(current.pk)
        if current.is_active and current.pk not in skip:
            return current
        current = _supervisor_of(current)
    return None


def _no_decider_message(employee) -> str:
    if _supervisor_of(employee) is None:
        return _(
            "Profil pegawai belum mencantumkan atasan langsung, sehingga tidak ada yang dapat memutuskan deklarasi "
            "ini. Minta admin melengkapi atasan langsung di profil, lalu ajukan lagi; draf Anda tetap tersimpan."
        )
    return _(
        "Tidak ada atasan di atas atasan Anda yang tercatat di SIGAP untuk memutuskan deklarasi ini. Minta admin "
        "melengkapi atasan di profil; draf Anda tetap tersimpan."
    )


def _route(declaration: Declaration, decider, actor, *, reason: str) -> None:
    """Give the declaration to `decider` (inside the caller's transaction): the handling permission moves to
    them and the log says why."""
    previous = declaration.assignee
    if previous is not None and previous.pk != decider.pk:
        policy.revoke_handling(previous, declaration)
    policy.grant_handling(decider, declaration)
    Case.objects.filter(pk=declaration.pk).update(assignee=decider)
    declaration.assignee = decider
    audit.record(declaration, "routed", actor, data={"decider": decider.pk, "reason": reason})


def _exclude(declaration: Declaration, user, reason: str) -> None:
    CaseExclusion.objects.get_or_create(case_id=declaration.pk, user=user, defaults={"reason": reason[:200]})
    audit.record(declaration, "excluded", None, data={"user": user.pk, "reason": reason[:200]})


def _notify_decider(declaration: Declaration, decider) -> None:
    reference = declaration.reference
    notifications.queue(
        recipients=[decider],
        texts=lambda: (
            _("[SIGAP] %(ref)s: deklarasi benturan kepentingan menunggu keputusan Anda") % {"ref": reference},
            _(
                "Deklarasi benturan kepentingan %(ref)s diajukan kepada Anda. Putuskan dalam 7 hari kerja; "
                "keputusan atau kegiatan yang bersangkutan dibekukan sampai Anda memutuskan."
            )
            % {"ref": reference},
        ),
        link=reverse("cases:detail", args=[reference]),
        dedupe_key=f"benturan_routed:{declaration.pk}:{decider.pk}",
        case=declaration,
    )


def _unit_of(employee):
    profile = getattr(employee, "profile", None)
    unit = getattr(profile, "unit", None)
    if unit is None:
        raise CaseError(
            _("Profil pegawai belum mencantumkan unit kerja. Minta admin melengkapinya; draf Anda tetap tersimpan.")
        )
    return unit


def declaration_save(*, actor, fields: dict, declaration: Declaration | None = None) -> Declaration:
    """Create the employee's draft declaration, or change it while it is still a draft."""
    values = {name: fields[name] for name in DECLARATION_FIELDS if name in fields}
    values["supervisor_involved"] = bool(fields.get("supervisor_involved"))
    if declaration is None:
        return services.create_case(
            kind="benturan",
            actor=actor,
            unit=_unit_of(actor),
            reporter=actor,
            confidentiality=Confidentiality.RAHASIA,
            **values,
        )
    with transaction.atomic():
        locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
        if not policy.is_reporter(actor, locked) or locked.status != Status.DRAFT:
            raise NotAllowed(_("Deklarasi ini sudah diajukan dan tidak dapat diubah lagi."))
        for name, value in values.items():
            setattr(locked, name, value)
        locked.save()
    return locked


def draft_delete(*, actor, declaration: Declaration) -> None:
    services.draft_delete(reporter=actor, case=declaration)


def declaration_submit(case: Case, name: str, actor, **options) -> Case:
    """The employee submits (the case page's "Ajukan kepada atasan"): routed, in the same transaction, to
    their supervisor — or the next one up when they said the supervisor is part of the conflict, who is then
    kept out of the case."""
    with transaction.atomic():
        declaration = Declaration.objects.select_for_update().get(pk=case.pk)
        if not policy.is_reporter(actor, declaration):
            raise NotAllowed(_("Anda tidak berwenang atas kasus ini."))
        supervisor = _supervisor_of(declaration.reporter)
        skip = {supervisor.pk} if declaration.supervisor_involved and supervisor is not None else set()
        decider = decider_for(declaration.reporter, skip=skip)
        if decider is None:
            raise CaseError(_no_decider_message(declaration.reporter))
        submitted = services.transition(declaration, name, actor, **options)
        if skip:
            _exclude(submitted, supervisor, _("Atasan langsung terlibat dalam benturan kepentingan"))
        _route(submitted, decider, actor, reason="supervisor_involved" if skip else "supervisor")
        _notify_decider(submitted, decider)
    return submitted


def declaration_open(*, actor, employee, fields: dict) -> Declaration:
    """A supervisor opens a declaration about a subordinate they have reason to think has a conflict (DESIGN
    §5). The employee is its declarant (their conflict; they follow it and answer), the supervisor who opened
    it decides it, and the 7 HK clock runs from now."""
    if employee.pk == actor.pk:
        raise NotAllowed(_("Gunakan formulir deklarasi untuk benturan kepentingan Anda sendiri."))
    if _supervisor_of(employee) != actor:
        raise NotAllowed(_("Anda hanya dapat membuka deklarasi untuk bawahan langsung Anda."))
    values = {name: fields[name] for name in DECLARATION_FIELDS if name in fields}
    with transaction.atomic():
        declaration = services.create_case(
            kind="benturan",
            actor=actor,
            unit=_unit_of(employee),
            status=Status.SUBMITTED,
            reporter=employee,
            confidentiality=Confidentiality.RAHASIA,
            opened_by=actor,
            **values,
        )
        _route(declaration, actor, actor, reason="opened_by_supervisor")
        reference = declaration.reference
        notifications.queue(
            recipients=[employee],
            texts=lambda: (
                _("[SIGAP] %(ref)s: atasan Anda membuka deklarasi benturan kepentingan") % {"ref": reference},
                _(
                    "Atasan Anda mencatat dugaan benturan kepentingan atas nama Anda (%(ref)s). Keputusan atau "
                    "kegiatan yang bersangkutan dibekukan sampai atasan memutuskan. Anda dapat membaca dan "
                    "menanggapinya di SIGAP."
                )
                % {"ref": reference},
            ),
            link=reverse("cases:detail", args=[reference]),
            dedupe_key=f"benturan_opened:{declaration.pk}",
            case=declaration,
        )
    return declaration


def decider_step_aside(*, declaration: Declaration, actor, reason: str) -> Declaration:
    """The supervisor it was routed to is part of the conflict: they are kept out of it, and it goes to the next
    one up. Refused when there is nobody above (the case would be left with nobody to decide it). The 7 HK
    clock keeps running from the receipt: it is the unit's deadline, not one person's."""
    reason = reason.strip()
    if not reason:
        raise CaseError(_("Tuliskan mengapa Anda terlibat dalam benturan kepentingan ini."))
    with transaction.atomic():
        locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
        if locked.assignee_id != actor.pk or not policy.can_handle(actor, locked):
            raise NotAllowed(_("Hanya atasan yang sedang memutuskan deklarasi ini yang dapat melimpahkannya."))
        if locked.status not in (Status.SUBMITTED, Status.ANALYSING):
            raise CaseError(_("Deklarasi yang sudah diputuskan tidak dapat dilimpahkan lagi."))
        excluded = set(CaseExclusion.objects.filter(case_id=locked.pk).values_list("user_id", flat=True))
        decider = decider_for(actor, skip=excluded | {locked.reporter_id})
        if decider is None:
            raise CaseError(
                _(
                    "Tidak ada atasan di atas Anda yang tercatat di SIGAP, sehingga deklarasi tidak dapat "
                    "dilimpahkan. Minta admin melengkapi atasan Anda di profil, lalu ulangi."
                )
            )
        _route(locked, decider, actor, reason="decider_stepped_aside")
        _exclude(locked, actor, reason)
        _notify_decider(locked, decider)
    return locked


def declaration_decide(case: Case, name: str, actor, *, replacement=None, outcome: str, **options) -> Case:
    """The supervisor decides (the case page's "Tetapkan keputusan"); the decision records who decided."""
    if outcome in NEEDS_REPLACEMENT:
        if replacement is None:
            raise CaseError(_("Sebutkan pejabat atau anggota tim pengganti."))
        if replacement.pk in policy.conflicted_ids(case):
            raise CaseError(_("Pengganti tidak boleh pegawai yang menyatakan atau pihak yang terlibat."))
    return services.transition(
        case,
        name,
        actor,
        outcome=outcome,
        replacement=replacement if outcome in NEEDS_REPLACEMENT else None,
        decided_by=actor,
        **options,
    )


def decided_in_time(declaration: Declaration) -> bool | None:
    """Whether the decision came inside the 7 HK clock; None while undecided."""
    clock = declaration.clocks.filter(code="decision").first()
    if clock is None or clock.met_on is None:
        return None
    return clock.met_on <= clock.due_date


def detail_context(case: Case, user) -> dict:
    """What the declaration's block on the case page needs beyond the case (CaseKind.detail_context)."""
    declaration = case if isinstance(case, Declaration) else Declaration.objects.get(pk=case.pk)
    return {
        "may_step_aside": declaration.assignee_id == getattr(user, "pk", None)
        and declaration.status in (Status.SUBMITTED, Status.ANALYSING)
        and policy.can_handle(user, declaration),
        "letter_available": declaration.outcome != "" and policy.can_view(user, declaration),
        "no_conflict": declaration.outcome == Outcome.NO_CONFLICT,
        "in_time": decided_in_time(declaration),
    }


# --- Evaluations


def may_follow_up(user, recommendation) -> bool:
    """Who updates a recommendation's follow-up: its owner, the inspectorate, or the head of the evaluated unit."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    from benturan import access

    return (
        recommendation.owner_id == user.pk
        or access.is_inspector(user)
        or recommendation.evaluation.unit_id in access.headed_unit_ids(user)
    )


def evaluation_record(
    *,
    actor,
    unit,
    period_start,
    period_end,
    held_on,
    participants: str,
    findings: str,
    recommendations: list[dict],
):
    """Record a periodic evaluation (LKE benturan d) with its recommendations (text, owner, due_on), each to be
    followed up (LKE benturan e). Only the inspectorate and the heads of the unit (or a unit above it) record."""
    from benturan import access
    from benturan.models import Evaluation, Recommendation
    from cases import workdays

    if not access.may_record_evaluation(actor, unit):
        raise NotAllowed(_("Hanya inspektur atau kepala unit kerja yang dapat mencatat evaluasi."))
    if period_end < period_start:
        raise CaseError(_("Akhir periode tidak boleh sebelum awalnya."))
    if held_on > workdays.today():
        raise CaseError(_("Tanggal evaluasi tidak boleh di masa depan."))
    for row in recommendations:
        if not (row.get("text") or "").strip():
            raise CaseError(_("Setiap rekomendasi perlu isinya."))
        if row.get("owner") is None or not row["owner"].is_active:
            raise CaseError(_("Penanggung jawab rekomendasi harus pegawai aktif."))
        if row.get("due_on") is None:
            raise CaseError(_("Setiap rekomendasi perlu batas waktu."))
    with transaction.atomic():
        evaluation = Evaluation.objects.create(
            unit=unit,
            period_start=period_start,
            period_end=period_end,
            held_on=held_on,
            participants=participants.strip(),
            findings=findings.strip(),
            created_by=actor,
        )
        Recommendation.objects.bulk_create(
            [
                Recommendation(
                    evaluation=evaluation, text=row["text"].strip(), owner=row["owner"], due_on=row["due_on"]
                )
                for row in recommendations
            ]
        )
    return evaluation


def recommendation_update(*, actor, recommendation, status: str, follow_up: str = "", completed_on=None):
    """Record how far a recommendation has been followed up. "Tidak dapat ditindaklanjuti" needs the reason;
    "selesai" needs the day it was completed, not in the future; other states carry no completion date."""
    from benturan.models import FollowUp, Recommendation
    from cases import workdays

    if status not in FollowUp.values:
        raise CaseError(_("Pilih status tindak lanjut."))
    follow_up = (follow_up or "").strip()
    if status == FollowUp.TIDAK_DAPAT and not follow_up:
        raise CaseError(_("Tuliskan mengapa rekomendasi ini tidak dapat ditindaklanjuti."))
    if status == FollowUp.SELESAI:
        if completed_on is None:
            raise CaseError(_("Isi tanggal rekomendasi selesai ditindaklanjuti."))
        if completed_on > workdays.today():
            raise CaseError(_("Tanggal selesai tidak boleh di masa depan."))
    else:
        completed_on = None
    with transaction.atomic():
        locked = Recommendation.objects.select_for_update().select_related("evaluation").get(pk=recommendation.pk)
        if not may_follow_up(actor, locked):
            raise NotAllowed(
                _("Hanya penanggung jawab, inspektur, atau kepala unit yang dapat memperbarui tindak lanjut.")
            )
        locked.status, locked.follow_up, locked.completed_on = status, follow_up, completed_on
        locked.save()
    return locked
