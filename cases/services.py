"""Services that change cases. The only code that changes a case's status is `transition` below."""

from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from cases import attachments, audit, deadlines, intake, notifications, policy, registry, workdays
from cases.models import Case, CaseEvent, CaseLink, CaseText, Confidentiality, EmployeeProfile, ReferenceCounter
from cases.textlimits import MESSAGE_MAX_LENGTH, NOTE_MAX_LENGTH


class CaseError(Exception):
    """A refusal with a message fit to show the user."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class AlreadyChanged(CaseError):
    pass


class NotAllowed(CaseError):
    pass


# ---------------------------------------------------------------------------------------------------------
# Numbering


def next_reference(kind: registry.CaseKind, year: int) -> str:
    """`GRT-2026-000123`: per kind and year, from a counter row incremented under its own row lock.

    No `max()+1`: two submissions at once serialize on the counter row's UPDATE, and each reads back the
    value it wrote inside its own transaction.
    """
    with transaction.atomic():
        # get_or_create retries the read when a concurrent transaction created the row first.
        ReferenceCounter.objects.get_or_create(kind=kind.code, year=year)
        counter = ReferenceCounter.objects.filter(kind=kind.code, year=year)
        counter.update(last=F("last") + 1)
        number = counter.values_list("last", flat=True).get()
    return f"{kind.prefix}-{year}-{number:06d}"


# A draft is not in the register yet: it carries a provisional reference (for its URLs) and takes the next
# number of the register when it leaves the draft state, so deleted or abandoned drafts leave no gaps in
# the numbers of submitted cases (an inspector reads a gap as a removed report).
DRAFT_PREFIX = "DRAF-"


def is_provisional_reference(reference: str) -> bool:
    return reference.startswith(DRAFT_PREFIX)


def draft_delete(*, reporter, case: Case) -> None:
    """Delete a draft with everything it holds: objects, clocks, files, field history and its log.

    Simply gone, not audited: a draft has no register number (it gets one at submission), the office has never
    seen it and no clock runs on it, so deleting it is the same as never having written it — there is nothing
    for an auditor to account for, and keeping its text would keep personal data its author chose to discard
    (UU 27/2022 on personal data protection). The draft's own log (its "created" event, uploads) goes with
    it, the one place where events are removed: they describe nothing that ever reached the office.
    """
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").get()
        locked = registry.get(case.kind).model.objects.get(pk=case.pk)
        if locked.reporter_id != reporter.pk:
            raise NotAllowed(_("Hanya pelapor yang dapat menghapus draf ini."))
        if locked.status != "draft" or not is_provisional_reference(locked.reference):
            raise AlreadyChanged(_("Laporan ini sudah diajukan dan tidak dapat dihapus."))
        pk = locked.pk
        attachments.delete_all(locked)
        # A queryset delete: CaseEvent.delete() refuses on purpose, for every event of a case that exists.
        CaseEvent.objects.filter(case_id=pk).delete()
        locked.delete()
        # simple-history writes a "deleted" row holding the draft's fields; the draft's whole history goes.
        Case.history.filter(id=pk).delete()
        type(locked).history.filter(case_id=pk).delete()


def _number_on_submission(case: Case, kind: registry.CaseKind, from_status: str) -> None:
    """Give a case leaving the draft state its register number (inside the caller's transaction). Drafts
    made before numbering moved here keep the number they were given."""
    if from_status == "draft" and case.status != "draft" and is_provisional_reference(case.reference):
        case.reference = next_reference(kind, workdays.today().year)


def create_case(*, kind: str, actor, unit, status: str | None = None, **fields) -> Case:
    """Create a case of a registered kind with its detail fields and log its creation. A case created
    beyond the draft state (public intake) is numbered now; a draft gets a provisional reference and its
    number at submission (`transition`).

    Clock rules that start on "create" start here. A public-intake kind's case records the day it came in,
    not the moment (cases.intake.rounded_now), in the case row, its history and its log.
    """
    kind_def = registry.get(kind)
    model = kind_def.model
    at = intake.rounded_now() if kind_def.public_intake else None
    with transaction.atomic():
        initial = {"status": status} if status else {}
        case = model(kind=kind, unit=unit, **initial, **fields)
        if case.status != "draft":
            case.reference = next_reference(kind_def, workdays.today().year)
            case.submitted_at = at or timezone.now()
        else:
            case.reference = f"{DRAFT_PREFIX}{case.uuid.hex[:12].upper()}"
        if at is not None:
            case._history_date = at
        case.save(force_insert=True)
        if at is not None:
            Case.objects.filter(pk=case.pk).update(created_at=at)
            case.created_at = at
        audit.record(case, "created", actor, to_status=case.status, at=at)
        deadlines.apply_rules(case, "create")
    return case


def text_data(case: Case, key: str, text: str) -> dict:
    """How a message or note goes into the audit log: as is, or — for kinds with restricted content or
    encrypted texts — as a pointer to an encrypted CaseText that can be purged without breaking the hash
    chain."""
    if not text:
        return {}
    if case.kind_def.restricted_content or case.kind_def.encrypted_texts:
        return {f"{key}_id": CaseText.objects.create(case_id=case.pk, text=text).pk}
    return {key: text}


def _within_limit(text: str, limit: int = MESSAGE_MAX_LENGTH) -> str:
    """A message or note as it may be stored: refused when longer than the forms allow, never cut short."""
    if len(text) > limit:
        raise CaseError(
            _("Teks terlalu panjang: paling banyak %(limit)s karakter.")
            % {"limit": number_format(limit, force_grouping=True)}
        )
    return text


def event_texts(case: Case, events: list) -> None:
    """Give each event its readable `text` and `note` (decrypting restricted ones) for the timeline."""
    keys = ("text", "note", "reason")
    ids = [event.data.get(f"{key}_id") for event in events for key in keys]
    texts = dict(CaseText.objects.filter(case_id=case.pk, pk__in=[i for i in ids if i]).values_list("pk", "text"))
    purged = _("(isi telah dimusnahkan)")
    for event in events:
        for key in keys:
            if f"{key}_id" in event.data:
                setattr(event, key, texts.get(event.data[f"{key}_id"], purged))
            else:
                setattr(event, key, event.data.get(key, ""))


# ---------------------------------------------------------------------------------------------------------
# Transitions


def _transition_method(case: Case, name: str):
    names = {t.name for t in case.get_all_status_transitions()}
    if name not in names:
        raise NotAllowed(_("Tindakan tidak dikenal untuk kasus ini."))
    return getattr(case, name)


def transition_meta(case: Case, name: str):
    """The django-fsm Transition declared under `name` for this case, or None."""
    for t in case.get_all_status_transitions():
        if t.name == name:
            return t
    return None


def transition_label(case: Case, name: str) -> str:
    for t in case.get_all_status_transitions():
        if t.name == name:
            return str(t.custom.get("label", name))
    return name


def available_transitions(case: Case, user) -> list:
    """Transitions this user may run from the case's current state, for the buttons on the case page."""
    if not policy.can_view(user, case):
        return []
    available = list(case.get_available_user_status_transitions(user))
    if not policy.is_conflicted(user, case):
        return available
    # can_handle already refuses a conflicted person; asking segregation_refusal too keeps the buttons in step
    # with the service whatever permission callable a kind declares.
    return [t for t in available if not policy.segregation_refusal(user, case, t)]


def transition(
    case: Case,
    name: str,
    actor,
    *,
    expected_status: str | None = None,
    note: str = "",
    reason: str = "",
    confirmed: bool = False,
    attachment: UploadedFile | None = None,
    by: str = "",
    **data,
) -> Case:
    """Run transition `name` on `case` for `actor`, in one database transaction.

    Locks the case row, re-reads it, checks that the state is still the one the user saw
    (`expected_status`), that the transition is allowed from it and that the actor may run it; calls the
    django-fsm transition (which changes only the case), saves, recomputes the clocks, appends the audit
    event and queues notifications to go out once the transaction has committed. Of two concurrent
    attempts exactly one succeeds; the other gets AlreadyChanged.

    Segregation of duties is checked here, not only in the permission callables: nobody runs a handler's step
    on a case they reported or that is about them. A closing or irreversible step needs `confirmed` and a
    `reason`, which the audit event keeps (encrypted for kinds with restricted content, like notes). A step the
    kind marks `note_required` is refused without a `note` (the reporter must read why).

    An `attachment` (the evidence of the step: a cover letter, the KPK decree) is kept with the transition or
    not at all: it is checked and stored encrypted before the transaction opens (no file I/O while rows are
    locked), its row and event are written inside it, and the stored file is removed again if the transition
    is refused or fails. A file that fails the check refuses the transition.

    Without an actor (`actor=None`) only two parties may act, named by `by`: ``"reporter"``, the reporter of a
    public-intake case who has no account and acts from the tracking page, and ``"system"``, e.g. a periodic
    sweep. The transition must declare exactly the matching permission (policy.public_reporter /
    policy.system), which in turn no signed-in user ever holds. The event records `by`; a reporter's step is
    stored with today's date (intake.rounded_now) and announced to the office later (intake.announce_at), as
    their messages are.
    """
    kind = registry.get(case.kind)
    staged = None
    if attachment is not None:
        try:
            staged = attachments.stage(attachment)
        except attachments.AttachmentRejected as exc:
            raise CaseError(exc.message) from exc
    try:
        locked = _run_transition(case, name, actor, kind, expected_status, note, reason, confirmed, staged, by, data)
    except BaseException:
        if staged is not None:
            attachments.discard(staged)
        raise
    return locked


def _actorless_refusal(kind: registry.CaseKind, meta, actor, by: str) -> str:
    """Why a transition may not run with this actor and `by`, or "". A step without an actor is the public
    reporter's or the system's only if the transition declares that very permission; `by` is never a way for
    a signed-in user to act as someone else."""
    if actor is not None:
        return _("Tindakan ini tidak dapat dilakukan atas nama pelapor atau sistem.") if by else ""
    expected = policy.ACTORLESS_PERMISSIONS.get(by)
    if expected is None or meta is None or meta.permission is not expected:
        return _("Anda tidak berwenang atas kasus ini.")
    if by == "reporter" and kind.public_intake is None:
        return _("Anda tidak berwenang atas kasus ini.")
    return ""


def _run_transition(case, name, actor, kind, expected_status, note, reason, confirmed, staged, by, data) -> Case:
    with transaction.atomic():
        Case.objects.select_for_update().filter(pk=case.pk).values_list("pk").get()
        locked = kind.model.objects.get(pk=case.pk)
        actorless = actor is None
        refusal = _actorless_refusal(kind, transition_meta(locked, name), actor, by)
        if refusal:
            raise NotAllowed(refusal)
        if not actorless and not policy.can_view(actor, locked):
            raise NotAllowed(_("Anda tidak berwenang atas kasus ini."))
        if expected_status is not None and locked.status != expected_status:
            raise AlreadyChanged(_("Kasus ini baru saja diubah oleh orang lain. Periksa statusnya lalu coba lagi."))
        method = _transition_method(locked, name)
        if not can_proceed(method, check_conditions=False):
            raise AlreadyChanged(
                _("Tindakan ini tidak dapat dilakukan pada status “%(status)s”.") % {"status": locked.status_label}
            )
        meta = transition_meta(locked, name)
        refusal = policy.segregation_refusal(actor, locked, meta) if not actorless else ""
        if refusal:
            raise NotAllowed(refusal)
        # Actorless steps were checked above (their permission callables refuse every user by design).
        if not actorless and not has_transition_perm(method, actor):
            raise NotAllowed(_("Peran Anda tidak berwenang melakukan tindakan ini."))
        if not can_proceed(method):
            raise NotAllowed(_("Syarat tindakan ini belum terpenuhi."))
        if policy.needs_note(meta) and not note.strip():
            raise CaseError(
                _("Tindakan “%(action)s” memerlukan catatan untuk pelapor.")
                % {"action": meta.custom.get("label", name)}
            )
        note, reason = _within_limit(note, NOTE_MAX_LENGTH), _within_limit(reason.strip(), NOTE_MAX_LENGTH)
        if policy.needs_confirmation(locked, meta):
            if not reason:
                raise CaseError(_("Tindakan ini tidak dapat dibatalkan: tuliskan alasannya."))
            if not confirmed:
                raise CaseError(_("Tindakan ini tidak dapat dibatalkan: centang konfirmasi untuk melanjutkan."))
        from_status = locked.status
        try:
            method(**data)
        except ValidationError as exc:
            # A transition refusing its data (a date before the fact it follows): the atomic block rolls back.
            raise CaseError(" ".join(exc.messages)) from exc
        # A public reporter's step keeps only the day, in the case row, its history and its event.
        at = intake.rounded_now() if by == "reporter" else None
        now = at or timezone.now()
        if at is not None:
            locked._history_date = at
        if from_status == "draft" and locked.submitted_at is None:
            locked.submitted_at = now
        _number_on_submission(locked, kind, from_status)
        if locked.status in kind.final_states:
            locked.closed_at = now
        locked.save()
        deadlines.apply_rules(locked, name)
        event = audit.record(
            locked,
            "transition",
            actor,
            from_status=from_status,
            to_status=locked.status,
            data={
                "transition": name,
                **({"by": by} if actorless else {}),
                **text_data(locked, "note", note),
                **text_data(locked, "reason", reason),
            },
            at=at,
        )
        if staged is not None:
            attachments.record(case=locked, staged=staged, actor=actor)
        _notify_transition(locked, name, actor, event, not_before=intake.announce_at() if at is not None else None)
        if by != "reporter":
            _notify_public_reporter(locked, event, _stage_texts(locked))
    return locked


def _stage_texts(case: Case) -> Callable[[], tuple[str, str]]:
    """What a public reporter reads of a status change: their plain-words stage (the kind's `reporter_stage`),
    not the office's status."""

    def texts() -> tuple[str, str]:
        values = {"ref": case.reference, "stage": getattr(case, "reporter_stage", "") or case.status_label}
        return (
            _("[SIGAP] %(ref)s: %(stage)s") % values,
            _("Ada perkembangan pada %(ref)s: %(stage)s. Buka halaman pantau untuk membaca rinciannya.") % values,
        )

    return texts


def _notify_public_reporter(case: Case, event, texts: Callable[[], tuple[str, str]]) -> None:
    """News by e-mail for a reporter without an account who left an address (CaseKind.reporter_email,
    read only at delivery). Whether it may say what happened is the kind's call (CaseKind.reporter_content:
    a complainant who gave their name, yes; a confidential or anonymous one reads only that there is news)."""
    kind = case.kind_def
    if kind.reporter_email is None or kind.public_intake is None or case.reporter_id is not None:
        return
    notifications.queue_to_reporter(
        case=case,
        texts=texts,
        dedupe_key=f"event:{event.pk}",
        content_allowed=bool(kind.reporter_content and kind.reporter_content(case)),
        link=reverse(f"{kind.public_intake.namespace}:track"),
    )


def _notify_transition(case: Case, name: str, actor, event, not_before=None) -> None:
    recipients = case_handlers(case)
    if not recipients and case.status != "draft" and case.status not in case.kind_def.final_states:
        notify_no_handler(case)
    if case.kind_def.notify is not None:
        recipients += case.kind_def.notify(case, name)
    recipients = [user for user in recipients if user is not None and user.pk != getattr(actor, "pk", None)]

    def texts() -> tuple[str, str]:
        values = {"ref": case.reference, "status": case.status_label}
        return _("[SIGAP] %(ref)s: %(status)s") % values, _("Kasus %(ref)s kini berstatus “%(status)s”.") % values

    notify_event(case, event, recipients, texts, not_before=not_before)


def notify_event(
    case: Case,
    event,
    recipients: list,
    texts: Callable[[], tuple[str, str]],
    not_before=None,
    headline: str = "update",
) -> None:
    """Queue the notification of one audit event: linked to the case page, deduplicated by the event, checked
    again at delivery against who may see the case. `texts` gives (subject, body) and is rendered in each
    recipient's language (notifications.queue). `headline`: what a restricted alert says happened."""
    notifications.queue(
        recipients=recipients,
        texts=texts,
        link=reverse("cases:detail", args=[case.reference]),
        dedupe_key=f"event:{event.pk}",
        restricted=case.kind_def.restricted_content,
        not_before=not_before,
        case=case,
        headline=headline,
    )


def employee_language_set(*, user, language: str) -> None:
    """Remember the language a signed-in user chose, for what is later written to them (notifications)."""
    EmployeeProfile.objects.filter(user=user).update(language=language)


def notify_no_handler(case: Case) -> None:
    """Nobody may handle the case without a conflict (e.g. a UPG officer's own report and no other UPG member):
    it waits for the coordinator to find a handler, and the inspectorate is told — once per case, and without
    content for confidential cases."""

    def texts() -> tuple[str, str]:
        subject = _("[SIGAP] %(ref)s menunggu petugas") % {"ref": case.reference}
        body = _(
            "Kasus %(ref)s belum memiliki petugas yang dapat menanganinya tanpa benturan kepentingan (pelapor atau "
            "orang yang dilaporkan tidak boleh menanganinya). Kasus menunggu koordinator menetapkan petugas lain; "
            "bila tidak ada, admin perlu memberikan peran petugas atau izin koordinator kepada rekan yang tidak "
            "terkait."
        ) % {"ref": case.reference}
        return subject, body

    notifications.queue(
        recipients=list(policy.inspectors(case)),
        texts=texts,
        link=reverse("cases:detail", args=[case.reference]),
        dedupe_key=f"no_handler:{case.pk}",
        restricted=case.kind_def.restricted_content or case.confidentiality != Confidentiality.BIASA,
    )


# ---------------------------------------------------------------------------------------------------------
# Assignment


def assign(case: Case, assignee, actor) -> Case:
    """Give the case to a handler of its kind; the guardian object permission follows the assignee."""
    with transaction.atomic():
        locked = Case.objects.select_for_update().get(pk=case.pk)
        if not policy.can_assign(actor, locked):
            raise NotAllowed(_("Anda tidak berwenang menetapkan petugas kasus ini."))
        refusal = policy.assignment_refusal(locked, assignee)
        if refusal:
            raise NotAllowed(refusal)
        previous = locked.assignee
        if previous is not None and previous.pk != assignee.pk:
            policy.revoke_handling(previous, locked)
        policy.grant_handling(assignee, locked)
        Case.objects.filter(pk=locked.pk).update(assignee=assignee)
        locked.assignee = assignee
        event = audit.record(locked, "assigned", actor, data={"assignee": assignee.pk})
        if assignee.pk != actor.pk:
            reference = locked.reference
            notify_event(
                locked,
                event,
                [assignee],
                lambda: (
                    _("[SIGAP] %(ref)s ditugaskan kepada Anda") % {"ref": reference},
                    _("Anda ditetapkan sebagai petugas kasus %(ref)s.") % {"ref": reference},
                ),
            )
    return locked


def add_comment(case: Case, actor, text: str) -> None:
    """An internal note on the timeline. Stored in the audit log, so it can never be edited afterwards."""
    if not policy.can_add_note(actor, case):
        raise NotAllowed(_("Anda tidak berwenang menambah catatan pada kasus ini."))
    text = text.strip()
    if not text:
        raise CaseError(_("Catatan tidak boleh kosong."))
    with transaction.atomic():
        audit.record(case, "comment", actor, data=text_data(case, "text", _within_limit(text)))


# What a reporter sees of their case's timeline: not internal notes, assignments or the access log.
REPORTER_VISIBLE_EVENTS = ("created", "transition", "message", "attachment_added", "disclosure_approved")


def add_message(case: Case, actor, text: str) -> None:
    """A message on the timeline that the reporter and the handlers both see; the other side is notified."""
    if not policy.can_message(actor, case):
        raise NotAllowed(_("Anda tidak berwenang mengirim pesan pada kasus ini."))
    text = text.strip()
    if not text:
        raise CaseError(_("Pesan tidak boleh kosong."))
    with transaction.atomic():
        event = audit.record(case, "message", actor, data=text_data(case, "text", _within_limit(text)))
        from_reporter = policy.is_reporter(actor, case)
        if from_reporter:
            recipients = case_handlers(case)
        else:
            recipients = [case.reporter] if case.reporter_id else []
            # The reporter has heard from the office: stops a feedback clock (WBS: 3 months, EU 2019/1937).
            deadlines.apply_rules(case, "message_to_reporter")
            _notify_public_reporter(case, event, _message_texts(case, text))
        _notify_message(case, event, recipients, headline="reporter_message" if from_reporter else "update")


def _message_texts(case: Case, text: str) -> Callable[[], tuple[str, str]]:
    def texts() -> tuple[str, str]:
        return (
            _("[SIGAP] %(ref)s: pesan dari petugas") % {"ref": case.reference},
            _("Petugas menulis tentang %(ref)s:\n\n%(text)s") % {"ref": case.reference, "text": text},
        )

    return texts


def case_handlers(case: Case) -> list:
    """Who hears of a case's news: its assignee, or else everyone who may handle it (for a confidential
    case, the coordinators)."""
    if case.assignee_id:
        return [case.assignee]
    return [user for user in policy.assignable_users(case) if policy.can_handle(user, case)]


def _notify_message(case: Case, event, recipients: list, **options) -> None:
    def texts() -> tuple[str, str]:
        return (
            _("[SIGAP] %(ref)s: pesan baru") % {"ref": case.reference},
            _("Ada pesan baru pada kasus %(ref)s.") % {"ref": case.reference},
        )

    notify_event(case, event, recipients, texts, **options)


def add_reporter_message(case: Case, text: str) -> None:
    """A message from an anonymous reporter who opened the case with their receipt (cases.intake).

    Stored with today's date, not the moment, and announced to the handlers at a later, rounded time."""
    if not case.kind_def.public_intake or case.is_closed:
        raise NotAllowed(_("Pesan tidak dapat dikirim pada laporan ini."))
    text = text.strip()
    if not text:
        raise CaseError(_("Pesan tidak boleh kosong."))
    with transaction.atomic():
        event = audit.record(
            case,
            "message",
            None,
            data={"from_reporter": True, **text_data(case, "text", _within_limit(text))},
            at=intake.rounded_now(),
        )
        _notify_message(case, event, case_handlers(case), not_before=intake.announce_at(), headline="reporter_message")


# ---------------------------------------------------------------------------------------------------------
# Links between cases


def _write_link(*, source: Case, target: Case, relation: str, actor) -> CaseLink:
    """The link row and an event on each case (inside the caller's transaction). The events name the link,
    not the other case: a case's log may be read by people who may not know the other case exists."""
    if source.pk == target.pk:
        raise CaseError(_("Kasus tidak dapat ditautkan ke dirinya sendiri."))
    if relation not in CaseLink.Relation.values:
        raise CaseError(_("Jenis tautan tidak dikenal."))
    if CaseLink.objects.filter(from_case_id=source.pk, to_case_id=target.pk, relation=relation).exists():
        raise CaseError(_("Kedua kasus ini sudah ditautkan dengan cara yang sama."))
    link = CaseLink.objects.create(
        from_case_id=source.pk, to_case_id=target.pk, relation=relation, created_by=actor if actor else None
    )
    audit.record(source, "linked", actor, data={"link": link.pk, "relation": relation, "direction": "to"})
    audit.record(target, "linked", actor, data={"link": link.pk, "relation": relation, "direction": "from"})
    return link


def link_cases(*, source: Case, target: Case, relation: str, actor) -> CaseLink:
    """Link `source` to `target` (CaseLink.Relation: converted to, duplicate of, related to) and log it on both.

    A person links what they handle to what they can see, an inspektur two cases they can see
    (policy.can_link); `actor=None` is the system (a kind's own service acting without a person), which the
    calling service answers for."""
    if actor is not None and not policy.can_link(actor, source, target):
        raise NotAllowed(_("Anda tidak berwenang menautkan kasus-kasus ini."))
    with transaction.atomic():
        return _write_link(source=source, target=target, relation=relation, actor=actor)


def convert_case(*, source: Case, to_kind: str, payload: dict, actor) -> Case:
    """Make a case of `to_kind` from `source` through that kind's `receive_conversion` and link source →
    new case as `converted_to`, in one transaction: either both exist or neither.

    The target kind decides what it takes from `payload` and who may see the new case (the converting
    officer often may not: a complaint handed to WBS). Closing the source as converted is the source kind's
    own transition, which its service runs; this function changes no status."""
    try:
        receive = registry.get(to_kind).receive_conversion
    except LookupError:
        receive = None
    if receive is None:
        raise CaseError(_("Jenis kasus tujuan tidak menerima pengalihan dari kasus lain."))
    if actor is not None and not policy.can_handle(actor, source):
        raise NotAllowed(_("Anda tidak berwenang mengalihkan kasus ini."))
    with transaction.atomic():
        created = receive(source=source, payload=payload, actor=actor)
        _write_link(source=source, target=created, relation=CaseLink.Relation.CONVERTED_TO, actor=actor)
    return created


def export_record(*, case: Case, actor, what: str) -> None:
    """Every PDF, XLSX or CSV export is an audit event on each case it contains (DESIGN §1.1)."""
    audit.record(case, "exported", actor, data={"format": what})


def exports_record(*, cases, actor, what: str) -> None:
    """The audit event of one export on every case of a recap (a queryset), read in chunks of ids."""
    for case_id in cases.values_list("pk", flat=True).iterator(chunk_size=500):
        export_record(case=Case(pk=case_id), actor=actor, what=what)


def record_confidential_view(case: Case, actor) -> None:
    """Every view of a confidential case is an audit event (DESIGN §1.1)."""
    audit.record(case, "viewed", actor)
