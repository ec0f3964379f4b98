"""The append-only, hash-chained case event log.

Each event stores the hash of the one before it (per case), and CaseAuditHead stores the last hash and the
length, so altering, reordering or removing any event — the newest included — breaks verification.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import Case, CaseAuditHead, CaseEvent

# Registered action names (Wagtail-style): the timeline shows the label, the log stores the name.
ACTIONS = {
    "created": _("Kasus dibuat"),
    "transition": _("Status berubah"),
    "assigned": _("Petugas ditetapkan"),
    "comment": _("Catatan internal"),
    "message": _("Pesan"),
    "attachment_added": _("Berkas diunggah"),
    "attachment_downloaded": _("Berkas diunduh"),
    "viewed": _("Kasus rahasia dibuka"),
    "exported": _("Data diekspor"),
    "excluded": _("Orang dikecualikan dari kasus"),
    "identity_added": _("Identitas pelapor ditambahkan"),
    "disclosure_requested": _("Permintaan pembukaan identitas"),
    "disclosure_approved": _("Pembukaan identitas disetujui"),
    "disclosure_denied": _("Pembukaan identitas ditolak"),
    "identity_viewed": _("Identitas pelapor dilihat"),
    "purged": _("Isi laporan dimusnahkan (masa retensi berakhir)"),
    "rated": _("Penilaian kepuasan dari pengadu"),
    "linked": _("Kasus ditautkan"),
    "routed": _("Diteruskan kepada atasan yang memutuskan"),
}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def record(
    case: Case,
    action: str,
    actor=None,
    *,
    from_status: str = "",
    to_status: str = "",
    data: dict | None = None,
    at=None,
) -> CaseEvent:
    """Append one event to the case's chain. Safe under concurrency: the head row is locked.

    `at` replaces the current time, for an anonymous reporter's actions (cases.intake.rounded_now)."""
    with transaction.atomic():
        head, _created = CaseAuditHead.objects.get_or_create(case_id=case.pk)
        head = CaseAuditHead.objects.select_for_update().get(pk=head.pk)
        event = CaseEvent(
            case_id=case.pk,
            seq=head.length + 1,
            action=action,
            actor=actor if actor is not None and actor.is_authenticated else None,
            # In UTC, as the database gives it back to verify(): the hash covers its isoformat().
            created_at=at.astimezone(dt.UTC) if at else timezone.now(),
            from_status=from_status,
            to_status=to_status,
            data=data or {},
            prev_hash=head.last_hash,
        )
        event.hash = event.compute_hash()
        event.save(force_insert=True)
        CaseAuditHead.objects.filter(pk=head.pk).update(length=event.seq, last_hash=event.hash)
    return event


@dataclass
class ChainProblem:
    case_id: int
    reference: str
    problem: str


def verify(batch_size: int = 1000) -> Iterator[ChainProblem]:
    """Walk every case's chain, a batch of cases at a time (memory stays at one batch), and yield each
    broken one. Events are read as plain rows: building model objects would double the time."""
    case_ids = Case.objects.order_by("pk").values_list("pk", flat=True)
    batch: list[int] = []
    for case_id in case_ids.iterator(chunk_size=batch_size):
        batch.append(case_id)
        if len(batch) == batch_size:
            yield from _verify_batch(batch)
            batch = []
    if batch:
        yield from _verify_batch(batch)


def _verify_batch(case_ids: list[int]) -> Iterator[ChainProblem]:
    references = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "reference"))
    heads = {
        case_id: (length, last_hash)
        for case_id, length, last_hash in CaseAuditHead.objects.filter(case_id__in=case_ids).values_list(
            "case_id", "length", "last_hash"
        )
    }
    rows = (
        CaseEvent.objects.filter(case_id__in=case_ids)
        .order_by("case_id", "seq")
        .values_list("prev_hash", "hash", *CaseEvent.HASHED_FIELDS)
    )
    chains: dict[int, list] = {case_id: [] for case_id in case_ids}
    for row in rows:
        chains[row[2]].append(row)
    for case_id in case_ids:
        problem = _check_chain(chains[case_id], heads.get(case_id, (0, "")))
        if problem:
            yield ChainProblem(case_id, references[case_id], problem)


def _check_chain(events: list, head: tuple[int, str]) -> str | None:
    if not events:
        return "no events: the chain was removed"
    prev_hash = ""
    for expected_seq, (stored_prev, stored_hash, *fields) in enumerate(events, start=1):
        seq = fields[1]
        if seq != expected_seq:
            return f"event #{expected_seq} missing"
        if stored_prev != prev_hash:
            return f"event #{seq} does not follow #{seq - 1}"
        if CaseEvent.digest(stored_prev, *fields) != stored_hash:
            return f"event #{seq} was altered"
        prev_hash = stored_hash
    if (len(events), prev_hash) != head:
        return "events missing at the end of the chain"
    return None
