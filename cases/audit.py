"""The append-only, hash-chained case event log.

Each event stores the hash of the one before it (per case), and CaseAuditHead stores the last hash and the
length, so altering, reordering or removing any event — the newest included — breaks verification.
"""

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
) -> CaseEvent:
    """Append one event to the case's chain. Safe under concurrency: the head row is locked."""
    with transaction.atomic():
        head, _created = CaseAuditHead.objects.get_or_create(case_id=case.pk)
        head = CaseAuditHead.objects.select_for_update().get(pk=head.pk)
        event = CaseEvent(
            case_id=case.pk,
            seq=head.length + 1,
            action=action,
            actor=actor if actor is not None and actor.is_authenticated else None,
            created_at=timezone.now(),
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


def verify(batch_size: int = 2000) -> Iterator[ChainProblem]:
    """Walk every case's chain, streaming events in case order, and yield each broken one."""
    heads = dict(CaseAuditHead.objects.values_list("case_id", "last_hash"))
    lengths = dict(CaseAuditHead.objects.values_list("case_id", "length"))
    references = dict(Case.objects.values_list("pk", "reference"))
    seen: set[int] = set()
    current, expected_seq, prev_hash, broken = None, 1, "", None

    def finish(case_id):
        if broken:
            return ChainProblem(case_id, references.get(case_id, "?"), broken)
        if prev_hash != heads.get(case_id, "") or expected_seq - 1 != lengths.get(case_id, 0):
            return ChainProblem(case_id, references.get(case_id, "?"), "events missing at the end of the chain")
        return None

    for event in CaseEvent.objects.order_by("case_id", "seq").iterator(chunk_size=batch_size):
        if event.case_id != current:
            if current is not None and (problem := finish(current)):
                yield problem
            current, expected_seq, prev_hash, broken = event.case_id, 1, "", None
            seen.add(current)
        if broken:
            continue
        if event.seq != expected_seq:
            broken = f"event #{expected_seq} missing"
        elif event.prev_hash != prev_hash:
            broken = f"event #{event.seq} does not follow #{event.seq - 1}"
        elif event.compute_hash() != event.hash:
            broken = f"event #{event.seq} was altered"
        prev_hash, expected_seq = event.hash, expected_seq + 1
    if current is not None and (problem := finish(current)):
        yield problem
    for case_id, reference in references.items():
        if case_id not in seen:
            yield ChainProblem(case_id, reference, "no events: the chain was removed")
