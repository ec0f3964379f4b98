"""What writes in benturan kepentingan: declarations and their routing to the supervisor who decides.

Who decides (UU 30/2014 Pasal 43: the official informs their atasan, who decides): the declarant's supervisor in
their profile (the unit hierarchy), or the next one up when the supervisor is part of the conflict — declared by
the employee, or by the supervisor stepping aside. A declaration is routed to one person, never assigned by hand
(CaseKind.manual_assignment is off), and never left with nobody to decide it: with no one above, it is refused
with the reason instead.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.db.models.functions import Lower, Trim
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from benturan import access, selectors
from benturan.models import (
    CATEGORY_SOURCES,
    NEEDS_REPLACEMENT,
    Declaration,
    DeclaredInterest,
    InterestCategory,
    InterestStatement,
    MainFunction,
    MapStatus,
    Outcome,
    Population,
    RiskMap,
    RiskMapEntry,
    Source,
    StatementCampaign,
    Status,
)
from cases import audit, notifications, policy, services, workdays
from cases.models import Case, CaseExclusion, Confidentiality, EmployeeProfile, OutboxMessage, Unit
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


def _hand_to(declaration: Declaration, decider) -> None:
    """Give the declaration to `decider` (inside the caller's transaction): the handling permission moves to
    them. Done before the step that submits it, so the step's notice reaches the decider and the case is never,
    even for a moment, without anyone able to handle it."""
    previous = declaration.assignee
    if previous is not None and previous.pk != decider.pk:
        policy.revoke_handling(previous, declaration)
    policy.grant_handling(decider, declaration)
    Case.objects.filter(pk=declaration.pk).update(assignee=decider)
    declaration.assignee = decider


def _record_route(declaration: Declaration, decider, actor, *, route: str) -> None:
    # `route` names the rule that chose the decider (supervisor, supervisor_involved, decider_stepped_aside,
    # opened_by_supervisor); not a `reason`, which the timeline shows as free text.
    audit.record(declaration, "routed", actor, data={"decider": decider.pk, "route": route})


def _route(declaration: Declaration, decider, actor, *, reason: str) -> None:
    _hand_to(declaration, decider)
    _record_route(declaration, decider, actor, route=reason)


def _exclude(declaration: Declaration, user, reason: str, actor=None) -> None:
    """Keep `user` out of the declaration. The reason is the person's own account of their conflict: it goes into
    the log encrypted (services.text_data), and the exclusion row keeps only that they are part of it."""
    CaseExclusion.objects.get_or_create(
        case_id=declaration.pk, user=user, defaults={"reason": _("Pihak dalam benturan kepentingan")}
    )
    # Who is excluded stays in the exclusion row: the plain log never names a person as party to a conflict
    # (as WBS records only how many were excluded).
    audit.record(declaration, "excluded", actor, data={"count": 1, **services.text_data(declaration, "reason", reason)})


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
        if skip:
            _exclude(declaration, supervisor, _("Atasan langsung terlibat dalam benturan kepentingan"))
        # The decider first: the submission's own notice then goes to them (not an alarm that nobody can
        # handle it), with the reporter's, and the log reads routed → submitted in one transaction.
        _hand_to(declaration, decider)
        submitted = services.transition(declaration, name, actor, **options)
        _record_route(submitted, decider, actor, route="supervisor_involved" if skip else "supervisor")
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
        _exclude(locked, actor, reason, actor=actor)
        _notify_decider(locked, decider)
    return locked


def declaration_decide(
    case: Case, name: str, actor, *, replacement=None, outcome: str, decided_on, controls: str = "", **options
) -> Case:
    """The supervisor decides (the case page's "Tetapkan keputusan"); the decision records who decided.

    The decision's date is the one on the letter, and it may be a day or two before it is recorded; it cannot
    be before the declaration came in or after today. Whether the 7 HK were kept is measured on the day the
    decision is recorded (the clock stops then), so the person measured cannot move it with the date they type."""
    today = workdays.today()
    received = timezone.localdate(case.submitted_at) if case.submitted_at else today
    if decided_on > today:
        raise CaseError(_("Tanggal keputusan tidak boleh di masa depan."))
    if decided_on < received:
        raise CaseError(_("Tanggal keputusan tidak boleh sebelum deklarasi diajukan."))
    if outcome != Outcome.NO_CONFLICT and not controls.strip():
        raise CaseError(_("Tuliskan langkah pengendalian untuk keputusan ini."))
    if outcome in NEEDS_REPLACEMENT:
        if replacement is None:
            raise CaseError(_("Sebutkan pejabat atau anggota tim pengganti."))
        if not replacement.is_active or not hasattr(replacement, "profile"):
            raise CaseError(_("Pengganti harus pegawai aktif yang terdaftar di SIGAP."))
        if replacement.pk in policy.conflicted_ids(case):
            raise CaseError(_("Pengganti tidak boleh pegawai yang menyatakan atau pihak yang terlibat."))
    return services.transition(
        case,
        name,
        actor,
        outcome=outcome,
        replacement=replacement if outcome in NEEDS_REPLACEMENT else None,
        decided_on=decided_on,
        controls=controls,
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


# --- Risk map
# The unit's identification of conflict-of-interest risks (PermenPANRB 17/2024: mapping per position), its main
# functions (the denominator of LKE benturan a) and the approval by the head of the unit. A register, not a
# case: simple-history keeps who changed which row; an approved version is the unit's document and never
# changes (a change after approval is a new version, copied from it).


class DraftExists(CaseError):
    """A unit has at most one draft per year (RiskMap's risk_map_one_draft): the refusal names it."""

    def __init__(self, message, draft):
        super().__init__(message)
        self.draft = draft


def _may_prepare(actor, unit) -> None:
    if not access.may_prepare_map(actor, unit):
        raise NotAllowed(_("Hanya inspektur atau kepala unit yang dapat menyusun peta risiko unit ini."))


def function_add(*, actor, unit, name: str) -> MainFunction:
    """Record one of the unit's main functions (tugas dan fungsi utama); a deactivated one of the same name is
    made active again instead of refused as a duplicate."""
    _may_prepare(actor, unit)
    name = " ".join(name.split())
    if not name:
        raise CaseError(_("Tuliskan nama tugas/fungsi utama."))
    with transaction.atomic():
        existing = MainFunction.objects.select_for_update().filter(unit=unit, name__iexact=name).first()
        if existing is not None:
            if existing.is_active:
                raise CaseError(_("Tugas/fungsi utama “%(name)s” sudah tercatat.") % {"name": existing.name})
            existing.is_active = True
            existing.save(update_fields=["is_active"])
            return existing
        last = MainFunction.objects.filter(unit=unit).aggregate(last=Max("order"))["last"] or 0
        return MainFunction.objects.create(unit=unit, name=name, order=last + 1)


def function_set_active(*, actor, function: MainFunction, active: bool) -> MainFunction:
    """Deactivate (or activate again) a main function. Never deleted: approved maps point at it, and the
    coverage of past years must still read the same."""
    _may_prepare(actor, function.unit)
    with transaction.atomic():
        locked = MainFunction.objects.select_for_update().get(pk=function.pk)
        locked.is_active = active
        # save(), not update(): the field history records who turned it off, which changes the coverage.
        locked.save(update_fields=["is_active"])
    return locked


def _base_for(unit, year: int) -> RiskMap | None:
    """What a new draft starts from: the latest approved version of the year, or else of the year before
    (copying last year's approved map is how a new year starts)."""
    for candidate_year in (year, year - 1):
        found = (
            RiskMap.objects.filter(unit=unit, year=candidate_year, status=MapStatus.APPROVED)
            .order_by("-version")
            .first()
        )
        if found is not None:
            return found
    return None


def _draft_exists(draft: RiskMap) -> DraftExists:
    return DraftExists(
        _("Sudah ada konsep peta risiko %(unit)s tahun %(year)s (versi %(version)s). Lanjutkan konsep itu.")
        % {"unit": draft.unit.name, "year": draft.year, "version": draft.version},
        draft,
    )


def map_create(*, actor, unit, year: int) -> RiskMap:
    """Open a draft for `unit` and `year`: version 1 when nothing was approved, otherwise the next version
    with the rows of the latest approved one (this year's, or last year's). Refused while a draft exists."""
    _may_prepare(actor, unit)
    with transaction.atomic():
        # The unit row is the lock that serialises two preparers opening a draft at the same moment.
        Unit.objects.select_for_update().filter(pk=unit.pk).first()
        draft = RiskMap.objects.filter(unit=unit, year=year, status=MapStatus.DRAFT).first()
        if draft is not None:
            raise _draft_exists(draft)
        last_version = RiskMap.objects.filter(unit=unit, year=year).aggregate(last=Max("version"))["last"] or 0
        base = _base_for(unit, year)
        try:
            with transaction.atomic():
                risk_map = RiskMap.objects.create(
                    unit=unit,
                    year=year,
                    version=last_version + 1,
                    prepared_by=actor,
                    notes=(
                        _("Disalin dari versi %(version)s tahun %(year)s.")
                        % {"version": base.version, "year": base.year}
                        if base is not None
                        else ""
                    ),
                )
        except IntegrityError:
            # Another preparer won the race past the lock (a database without row locks, like SQLite).
            raise _draft_exists(RiskMap.objects.get(unit=unit, year=year, status=MapStatus.DRAFT)) from None
        if base is not None:
            RiskMapEntry.objects.bulk_create(
                RiskMapEntry(
                    risk_map=risk_map,
                    function=entry.function,
                    position=entry.position,
                    conflict_form=entry.conflict_form,
                    situation=entry.situation,
                    source=entry.source,
                    likelihood=entry.likelihood,
                    impact=entry.impact,
                    control=entry.control,
                    order=entry.order,
                )
                for entry in base.entries.all()
            )
    return risk_map


def _locked_draft(actor, risk_map: RiskMap) -> RiskMap:
    """The map, locked for the caller's transaction, if it is still a draft the actor may prepare."""
    locked = RiskMap.objects.select_for_update().select_related("unit").get(pk=risk_map.pk)
    _may_prepare(actor, locked.unit)
    if locked.status != MapStatus.DRAFT:
        raise CaseError(_("Peta risiko ini sudah disetujui dan tidak dapat diubah. Buat versi baru untuk mengubahnya."))
    return locked


ENTRY_FIELDS = ("function", "position", "conflict_form", "situation", "source", "likelihood", "impact", "control")


def entry_save(*, actor, risk_map: RiskMap, fields: dict, entry: RiskMapEntry | None = None) -> RiskMapEntry:
    """Add a row to a draft map, or change one of its rows."""
    values = {name: fields[name] for name in ENTRY_FIELDS if name in fields}
    with transaction.atomic():
        locked = _locked_draft(actor, risk_map)
        function = values.get("function")
        if function is not None and function.unit_id != locked.unit_id:
            raise CaseError(_("Tugas/fungsi utama itu bukan milik unit ini."))
        if entry is None:
            last = locked.entries.aggregate(last=Max("order"))["last"] or 0
            return RiskMapEntry.objects.create(risk_map=locked, order=last + 1, **values)
        row = RiskMapEntry.objects.select_for_update().get(pk=entry.pk, risk_map=locked)
        for name, value in values.items():
            setattr(row, name, value)
        row.save()
    return row


def entry_delete(*, actor, risk_map: RiskMap, entry: RiskMapEntry) -> None:
    with transaction.atomic():
        locked = _locked_draft(actor, risk_map)
        RiskMapEntry.objects.filter(pk=entry.pk, risk_map=locked).delete()


def map_approve(*, actor, risk_map: RiskMap) -> RiskMap:
    """The head of the unit approves the draft: from now on it is the unit's identification document for the
    year and never changes. An empty map is refused (it would answer LKE (a) with nothing identified)."""
    with transaction.atomic():
        locked = RiskMap.objects.select_for_update().select_related("unit").get(pk=risk_map.pk)
        if not access.may_approve_map(actor, locked.unit):
            raise NotAllowed(_("Hanya kepala unit yang dapat menyetujui peta risiko unit ini."))
        if locked.status != MapStatus.DRAFT:
            raise CaseError(_("Peta risiko ini sudah disetujui."))
        if not locked.entries.exists():
            raise CaseError(_("Peta risiko masih kosong. Tambahkan paling sedikit satu baris sebelum disetujui."))
        # A register's step, not a case's (no case log, no clock): the map's own transition under the row lock
        # above; simple-history records who approved and when.
        locked.approve(by=actor)
        locked.save(update_fields=["status", "approved_by", "approved_at"])
    return locked


# --- Statements
#
# The yearly statement (daftar kepentingan pribadi / pernyataan tidak memiliki benturan kepentingan, PermenPANRB
# 17/2024) and the campaigns that call for it. A statement is never edited: a correction or a later change of
# circumstances is a new statement that supersedes the employee's current one, so the register keeps what was
# declared when.


class StatementError(CaseError):
    pass


def campaign_problems(fields: dict) -> dict[str, str]:
    """What an inspector mistypes, by field: a campaign that closes before today (it would never be open), a year
    its dates miss, the same campaign twice, positions nobody in the unit holds (a campaign nobody must answer).
    The form shows these beside the fields; campaign_create refuses them whatever calls it."""
    problems = {}
    year, opens, closes = fields.get("year"), fields.get("opens_on"), fields.get("closes_on")
    if closes and closes < workdays.today():
        problems["closes_on"] = _("Tanggal tutup sudah lewat: kampanye ini tidak akan pernah dibuka.")
    if year and opens and closes and year not in (opens.year, closes.year):
        problems["year"] = _("Tahun kampanye harus tahun tanggal buka atau tanggal tutupnya.")
    unit, title = fields.get("unit"), (fields.get("title") or "").strip()
    if unit and year and title and StatementCampaign.objects.filter(unit=unit, year=year, title__iexact=title).exists():
        problems["title"] = _("Kampanye dengan judul ini sudah ada untuk unit dan tahun yang sama.")
    elif unit and year and (overlap := _overlapping_campaign(fields)) is not None:
        # One statement a year per person: two campaigns calling the same people would count them twice and
        # show those who filed in the first as not filed in the second.
        problems["unit"] = _(
            "Kampanye %(title)s (%(unit)s) tahun ini sudah mencakup pegawai unit ini. Satu pegawai cukup satu "
            "pernyataan setahun: gunakan kampanye itu."
        ) % {"title": overlap.title, "unit": overlap.unit.name}
    if unit and fields.get("population") == Population.POSITIONS:
        held = {
            (position or "").strip().lower()
            for position in EmployeeProfile.objects.filter(
                unit_id__in=unit.descendant_ids(), user__is_active=True
            ).values_list("position", flat=True)
        }
        listed = [line.strip() for line in (fields.get("positions") or "").splitlines() if line.strip()]
        unknown = [position for position in listed if position.lower() not in held]
        if unknown:
            problems["positions"] = _(
                "Tidak ada pegawai aktif di unit ini dengan jabatan: %(positions)s. Periksa penulisannya."
            ) % {"positions": "; ".join(unknown)}
    return problems


def _overlapping_campaign(fields: dict) -> StatementCampaign | None:
    """A campaign of the same year whose people overlap the new one's: its unit is above, below or the same as
    the new unit, and — when both list positions — they share a position."""
    unit, year = fields["unit"], fields["year"]
    below = set(unit.descendant_ids())
    listed = (
        {line.strip().lower() for line in (fields.get("positions") or "").splitlines() if line.strip()}
        if fields.get("population") == Population.POSITIONS
        else None
    )
    for campaign in StatementCampaign.objects.filter(year=year).select_related("unit"):
        if campaign.unit_id not in below and unit.pk not in set(campaign.unit.descendant_ids()):
            continue
        theirs = {p.lower() for p in campaign.position_list()} if campaign.population == Population.POSITIONS else None
        if listed is not None and theirs is not None and not listed & theirs:
            continue
        return campaign
    return None


def campaign_create(*, actor, fields: dict) -> StatementCampaign:
    """An inspector opens a campaign (the population, the dates); they own it."""
    if not access.may_open_campaign(actor):
        raise NotAllowed(_("Hanya inspektur yang dapat membuka kampanye pernyataan."))
    problems = campaign_problems(fields)
    if problems:
        raise StatementError(" ".join(str(message) for message in problems.values()))
    campaign = StatementCampaign(created_by=actor, **fields)
    try:
        campaign.full_clean()
    except ValidationError as exc:
        raise StatementError(" ".join(exc.messages)) from exc
    try:
        # Two inspectors sending the same campaign at once: the unique constraint lets one through.
        with transaction.atomic():
            campaign.save()
    except IntegrityError as exc:
        raise StatementError(_("Kampanye dengan judul ini sudah ada untuk unit dan tahun yang sama.")) from exc
    return campaign


def statement_flag_reason(*, unit, position: str, interests: list[dict], year: int) -> str:
    """Why a statement needs the supervisor's attention, or "": a declared interest whose category touches
    (CATEGORY_SOURCES) a source the unit's approved risk map names for the employee's position (compared
    without regard to case or surrounding spaces)."""
    position = (position or "").strip().lower()
    # A draft is nobody's truth yet: only the approved map flags.
    risk_map = selectors.latest_approved_map(unit=unit, year=year) if unit is not None else None
    if risk_map is None or not position or not interests:
        return ""
    sources = set(
        RiskMapEntry.objects.filter(risk_map=risk_map)
        .annotate(position_lower=Lower(Trim("position")))
        .filter(position_lower=position)
        .values_list("source", flat=True)
    )
    touched = sorted({source for interest in interests for source in CATEGORY_SOURCES[interest["category"]]} & sources)
    if not touched:
        return ""
    labels = dict(Source.choices)
    return _(
        "Kepentingan yang dinyatakan bersinggungan dengan sumber benturan kepentingan yang dipetakan untuk jabatan "
        "ini pada peta risiko %(map)s: %(sources)s."
    ) % {"map": str(risk_map), "sources": "; ".join(str(labels[source]) for source in touched)}


def _notify_flagged(statement: InterestStatement, supervisor) -> None:
    """Tell the supervisor a statement needs their attention. Never what was declared (personal data, UU
    27/2022): only whose statement it is and where to read it."""
    name = statement.employee.get_full_name() or statement.employee.get_username()
    notifications.queue(
        recipients=[supervisor],
        texts=lambda: (
            _("[SIGAP] Pernyataan kepentingan pribadi bawahan Anda perlu perhatian"),
            _(
                "Pernyataan kepentingan pribadi %(name)s memuat kepentingan yang bersinggungan dengan peta risiko "
                "benturan kepentingan jabatannya. Bacalah di SIGAP dan tentukan apakah perlu pengendalian."
            )
            % {"name": name},
        ),
        link=reverse("benturan:statement_detail", args=[statement.uuid]),
        dedupe_key=f"benturan_statement_flagged:{statement.pk}",
    )


def statement_file(
    *,
    employee,
    campaign: StatementCampaign | None,
    has_interests: bool,
    interests: list[dict],
    is_change: bool = False,
) -> InterestStatement:
    """File the employee's statement, already confirmed by them (the view re-authenticated them).

    It supersedes the employee's current statement, snapshots their unit and position (a later transfer does
    not move it to another unit's figures), and is flagged to their supervisor when a declared interest touches
    their position on the unit's approved risk map for the campaign's year (or this year)."""
    today = workdays.today()
    if campaign is not None:
        if not campaign.is_open_on(today):
            raise StatementError(
                _("Kampanye %(title)s tidak sedang dibuka (%(opens)s s.d. %(closes)s).")
                % {
                    "title": campaign.title,
                    "opens": campaign.opens_on.strftime("%d-%m-%Y"),
                    "closes": campaign.closes_on.strftime("%d-%m-%Y"),
                }
            )
        if not selectors.campaign_includes(campaign, employee):
            raise StatementError(
                _("Anda tidak termasuk pegawai yang wajib mengisi pada kampanye %(title)s.") % {"title": campaign.title}
            )
    interests = [dict(interest) for interest in interests]
    if not has_interests and interests:
        # A contradiction to ask about, never interests to drop without a word.
        raise StatementError(
            _("Pernyataan tidak memiliki kepentingan tidak dapat disertai daftar kepentingan. Pilih salah satu.")
        )
    if has_interests and not interests:
        raise StatementError(_("Sebutkan paling sedikit satu kepentingan, atau pilih pernyataan tidak memiliki."))
    for interest in interests:
        if interest.get("category") not in InterestCategory.values or not (interest.get("party") or "").strip():
            raise StatementError(_("Setiap kepentingan perlu jenis dan pihak yang terkait."))
    profile = getattr(employee, "profile", None)
    unit = getattr(profile, "unit", None)
    position = getattr(profile, "position", "") or ""
    year = campaign.year if campaign is not None else today.year
    reason = statement_flag_reason(unit=unit, position=position, interests=interests, year=year)
    now = timezone.now()
    with transaction.atomic():
        # One filing at a time per employee: two at once would both supersede the same statement.
        User.objects.select_for_update().filter(pk=employee.pk).first()
        previous = (
            InterestStatement.objects.filter(employee=employee, superseded_by__isnull=True)
            .order_by("-filed_at", "-pk")
            .first()
        )
        statement = InterestStatement.objects.create(
            campaign=campaign,
            employee=employee,
            unit=unit,
            position=position,
            has_interests=has_interests,
            filed_at=now,
            confirmed_at=now,
            supersedes=previous,
            is_change=is_change,
            flagged=bool(reason),
            flag_reason=reason,
        )
        DeclaredInterest.objects.bulk_create(
            DeclaredInterest(
                statement=statement,
                category=interest["category"],
                party=interest["party"].strip(),
                description=(interest.get("description") or "").strip(),
            )
            for interest in interests
        )
        supervisor = _supervisor_of(employee)
        if reason and supervisor is not None:
            _notify_flagged(statement, supervisor)
    return statement


# The reminder stages before a campaign closes, in calendar days left (H-7, H-3, H-1, and the closing day).
REMINDER_STAGES = (7, 3, 1, 0)


def _reminder_stage(days_left: int) -> int | None:
    """The stage a campaign with `days_left` is in: the smallest stage not below it. A day the job did not run
    (the scheduler down at H-3) is caught up the next day, once, under that stage's dedupe key."""
    stages = [stage for stage in REMINDER_STAGES if stage >= days_left]
    return min(stages) if stages and days_left >= 0 else None


def _reminder_texts(campaign: StatementCampaign, days: int):
    title, closes = campaign.title, campaign.closes_on.strftime("%d-%m-%Y")

    def texts() -> tuple[str, str]:
        subject = _("[SIGAP] Pengingat: pernyataan kepentingan pribadi paling lambat %(date)s") % {"date": closes}
        if days == 0:
            body = _("Hari ini hari terakhir untuk menyampaikan pernyataan kepentingan pribadi (%(title)s).") % {
                "title": title
            }
        else:
            body = _(
                "Anda belum menyampaikan pernyataan kepentingan pribadi (%(title)s). Batasnya %(date)s, %(days)s "
                "hari lagi."
            ) % {"title": title, "date": closes, "days": days}
        return subject, body

    return texts


def campaign_remind(*, today) -> dict:
    """Remind everyone of every open campaign's population who has not filed yet, at H-7, H-3, H-1 and on the
    closing day. Idempotent: one dedupe key per campaign, stage and person, so a rerun never sends twice."""
    counts = {"campaigns": 0, "queued": 0}
    campaigns = StatementCampaign.objects.filter(opens_on__lte=today, closes_on__gte=today).select_related("unit")
    for campaign in campaigns:
        days_left = (campaign.closes_on - today).days
        stage = _reminder_stage(days_left)
        if stage is None:
            continue
        counts["campaigns"] += 1
        key = f"benturan_remind:{campaign.pk}:h{stage}"
        already = {
            int(found.rsplit(":", 1)[1])
            for found in OutboxMessage.objects.filter(dedupe_key__startswith=key + ":").values_list(
                "dedupe_key", flat=True
            )
        }
        not_filed = selectors.campaign_people(campaign, status="belum")
        people = [person for person in not_filed.select_related("profile") if person.pk not in already]
        if not people:
            continue
        link = reverse("benturan:statement_new") + f"?kampanye={campaign.uuid}"
        with transaction.atomic():
            counts["queued"] += notifications.queue(
                recipients=people,
                texts=_reminder_texts(campaign, days_left),
                link=link,
                dedupe_key=key,
            )
    return counts
