"""The append-only, hash-chained case event log.

Each event stores the hash of the one before it (per case), and CaseAuditHead stores the last hash and the
length, so altering, reordering or removing any event — the newest included — breaks verification.
"""

import datetime as dt
import hashlib
import json
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import groupby
from json.encoder import encode_basestring
from operator import itemgetter

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import AuditCheckpoint, AuditVerifiedHead, Case, CaseAuditHead, CaseEvent

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
        _writing()
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


@dataclass
class Verification:
    """What one run of verify_full() or verify_incremental() did; `checkpoint` is the row it wrote."""

    kind: str
    problems: list[ChainProblem] = field(default_factory=list)
    events_checked: int = 0
    cases_checked: int = 0
    since_event_id: int | None = None  # incremental: the checkpoint it continued from
    fell_back: bool = False  # incremental asked for, but no checkpoint yet: a full check ran instead
    checkpoint: AuditCheckpoint | None = None


# The columns a verification reads per event: the stored links, then exactly what the hash covers.
EVENT_COLUMNS = ("prev_hash", "hash", *CaseEvent.HASHED_FIELDS)

# json.dumps(..., sort_keys=True, separators=(",", ":"), ensure_ascii=False) builds this encoder on every call;
# built once, it gives the same bytes (test_audit_incremental checks this against CaseEvent.digest).
_encode = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode
_sha256 = hashlib.sha256
_string = encode_basestring  # what json.dumps(..., ensure_ascii=False) writes a str with
# The `data` of most events repeats ({} or a transition's few keys): its JSON text, as read from
# PostgreSQL, maps to its canonical encoding. Bounded: cleared when full.
_data_cache: dict[str, str] = {}
_DATA_CACHE_MAX = 20_000


def _encode_data_text(data: str) -> str:
    """The canonical encoding of `data` given as JSON text, remembered in _data_cache."""
    if len(_data_cache) >= _DATA_CACHE_MAX:
        _data_cache.clear()
    encoded = _data_cache[data] = _encode(json.loads(data))
    return encoded


def fast_digest(
    prev_hash, case_id, seq, action, actor_id, created_at, from_status, to_status, data, data_is_text=False
) -> str:
    """CaseEvent.digest, byte for byte, at a third of its cost. `data` is the decoded value, or with
    `data_is_text` the JSON text the database returned (a str could be either); `created_at` the datetime or
    its isoformat() (_PG_ISOFORMAT).

    The payload is the JSON array of the eight values, and json.dumps writes an array as "[" + the items'
    encodings joined by "," + "]", an int as str(), None as null and a str (ensure_ascii=False) as
    encode_basestring() does — the same C function json.dumps calls. Anything of another type goes through
    the encoder itself; the data's canonical encoding is cached by its text."""
    if data_is_text:
        encoded = _data_cache.get(data)
        if encoded is None:
            encoded = _encode_data_text(data)
    else:
        encoded = _encode(data)
    created = created_at if isinstance(created_at, str) else created_at.isoformat()
    if (
        type(case_id) is int
        and type(seq) is int
        and (actor_id is None or type(actor_id) is int)
        and type(action) is str
        and type(from_status) is str
        and type(to_status) is str
    ):
        # isoformat() writes digits, "-", "T", ":", "." and "+" only: nothing to escape in `created`.
        text = (
            f"{prev_hash}[{case_id},{seq},{_string(action)},{'null' if actor_id is None else actor_id},"
            f'"{created}",{_string(from_status)},{_string(to_status)},{encoded}]'
        )
    else:
        head = _encode([case_id, seq, action, actor_id, created, from_status, to_status])
        text = f"{prev_hash}{head[:-1]},{encoded}]"
    return _sha256(text.encode()).hexdigest()


def _check_chain(
    events: list, head: tuple[int, str], start: tuple[int, str] = (0, ""), data_is_text: bool = False
) -> str | None:
    """The problem of one chain, or None. `events` are the rows after `start` (the position verified
    before: length and last hash; (0, "") for the whole chain) in seq order; `head` is CaseAuditHead's.
    `data_is_text`: the rows carry `data` as the database's JSON text (_full_event_rows on PostgreSQL)."""
    length, prev_hash = start
    if not events and not length:
        return "no events: the chain was removed"
    if data_is_text:
        return _check_pg_rows(events, head, length, prev_hash)
    expected_seq = length
    for stored_prev, stored_hash, case_id, seq, action, actor_id, created_at, from_, to, data in events:
        expected_seq += 1
        if seq != expected_seq:
            return f"event #{expected_seq} missing"
        if stored_prev != prev_hash:
            return f"event #{seq} does not follow #{seq - 1}"
        digest = fast_digest(stored_prev, case_id, seq, action, actor_id, created_at, from_, to, data, data_is_text)
        if digest != stored_hash:
            return f"event #{seq} was altered"
        prev_hash = stored_hash
    return _check_end(expected_seq, prev_hash, head)


def _check_pg_rows(events: list, head: tuple[int, str], expected_seq: int, prev_hash: str) -> str | None:
    """_check_chain for _full_event_rows' PostgreSQL rows, with fast_digest's work inlined: a call per event
    and its type checks were a third of the time. The column types guarantee what fast_digest checks:
    case_id, seq and actor_id are integers (actor_id or NULL), the strings are text, created_at is
    _PG_ISOFORMAT's text and data the JSON text. The same bytes as CaseEvent.digest: test_audit_incremental
    verifies rows written by audit.record on PostgreSQL through this path."""
    cache, string, sha256 = _data_cache, _string, _sha256
    for stored_prev, stored_hash, case_id, seq, action, actor_id, created, from_, to, data in events:
        expected_seq += 1
        if seq != expected_seq:
            return f"event #{expected_seq} missing"
        if stored_prev != prev_hash:
            return f"event #{seq} does not follow #{seq - 1}"
        encoded = cache.get(data)
        if encoded is None:
            encoded = _encode_data_text(data)
        actor = "null" if actor_id is None else actor_id
        text = (
            f'{stored_prev}[{case_id},{seq},{string(action)},{actor},"{created}",{string(from_)},{string(to)},'
            f"{encoded}]"
        )
        if sha256(text.encode()).hexdigest() != stored_hash:
            return f"event #{seq} was altered"
        prev_hash = stored_hash
    return _check_end(expected_seq, prev_hash, head)


def _check_end(expected_seq: int, prev_hash: str, head: tuple[int, str]) -> str | None:
    if expected_seq < head[0]:
        return "events missing at the end of the chain"
    if expected_seq > head[0]:
        return "events after the head of the chain"
    if prev_hash != head[1]:
        return "the chain's head was altered"
    return None


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _snapshot() -> None:
    """One consistent view for the whole run (PostgreSQL: REPEATABLE READ, set as the transaction's first
    statement): the heads, the events and the highest id are read as of the same moment, so an event
    committed meanwhile is neither half-seen nor mistaken for a broken head. Inside an outer transaction
    (tests) the outer one's view is used."""
    if connection.vendor == "postgresql" and not connection.savepoint_ids:  # the outermost atomic()
        with connection.cursor() as cur:
            cur.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")


class VerificationRunning(Exception):
    """Another verify_audit holds the lock: two runs would write the same positions (and, in their
    REPEATABLE READ snapshots, fail on each other's rows)."""


def _lock() -> None:
    """One verification at a time (PostgreSQL: a transaction-level advisory lock, released at commit)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("SELECT pg_try_advisory_xact_lock(hashtext('sigap.verify_audit'))")
            if not cur.fetchone()[0]:
                raise VerificationRunning


# The write fence between record() and a verification's checkpoint (PostgreSQL advisory lock keys, one
# namespace: hashtext('sigap.audit_fence')). Event ids are allocated when the row is inserted, not when it
# commits: without the fence an event could commit after a verification read the highest id, with an id below
# it, and the next incremental run — which reads only ids above the checkpoint — would never read it.
_FENCE = "hashtext('sigap.audit_fence')"


def _writing() -> None:
    """record()'s side of the fence: a shared lock, held until the event's transaction ends. Shared locks do
    not wait for each other: writers never queue behind writers."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(f"SELECT pg_advisory_xact_lock_shared({_FENCE})")


class WritersBusy(Exception):
    """Case events were being written without a pause for FENCE_WAIT seconds: nothing checked."""


FENCE_WAIT = 60.0  # seconds a verification waits for a moment without event transactions in flight


@contextmanager
def _fenced(wait: float | None = None) -> Iterator[Callable[[], None]]:
    """A verification's side: take the fence exclusively — a moment when no event transaction is in flight —
    until the caller has taken its snapshot and read the highest ids; then call the yielded `release`. Every
    id at or below those is then committed and in the snapshot, and every later one is above them.

    Tried, never queued for (pg_try_advisory_lock, every 20 ms up to `wait` seconds, FENCE_WAIT by default):
    a queued exclusive request would make every new record() wait behind it for the slowest transaction in
    flight, and a writer waiting on a row lock held by another writer could then close a cycle. Writers wait
    for the verification only for the few milliseconds between taking the fence and `release`. On a
    system that never pauses writing for `wait` seconds, WritersBusy: the next run tries again.

    SQLite needs none: one writer at a time, and an id is allocated and committed in the same write lock."""
    if connection.vendor != "postgresql":
        yield lambda: None
        return
    deadline = time.monotonic() + (FENCE_WAIT if wait is None else wait)
    with connection.cursor() as cur:
        while True:
            cur.execute(f"SELECT pg_try_advisory_lock({_FENCE})")  # a session lock: taken before the snapshot
            if cur.fetchone()[0]:
                break
            if time.monotonic() > deadline:
                raise WritersBusy
            time.sleep(0.02)
    held = True

    def release() -> None:
        nonlocal held
        if held:
            with connection.cursor() as cur:
                cur.execute(f"SELECT pg_advisory_unlock({_FENCE})")
            held = False

    try:
        yield release
    finally:
        release()


def _max_ids() -> tuple[int, int]:
    """(the highest event id, the highest case id) in this run's snapshot."""
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT (SELECT max(id) FROM {_table(CaseEvent)}), (SELECT max(id) FROM {_table(Case)})"  # noqa: S608
        )
        events, cases = cur.fetchone()
        return events or 0, cases or 0


# PostgreSQL renders created_at as Python's datetime.isoformat() of the UTC value gives it ("+00:00"; the
# fraction only when the microseconds are not zero): parsing every timestamp into a datetime only to format
# it again was a third of the full check's time. test_audit_incremental compares the two on PostgreSQL.
_PG_ISOFORMAT = (
    "to_char({col} AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE to_char({col}, 'US') "
    "WHEN '000000' THEN '' ELSE '.' || to_char({col}, 'US') END || '+00:00'"
)


def _event_columns_sql(alias: str = "") -> str:
    """PostgreSQL: EVENT_COLUMNS as the full and the incremental check read them (created_at rendered)."""
    qn = connection.ops.quote_name
    columns = []
    for name in EVENT_COLUMNS:
        column = f"{alias}{qn(CaseEvent._meta.get_field(name).column)}"
        columns.append(_PG_ISOFORMAT.format(col=column) if name == "created_at" else column)
    return ", ".join(columns)


def _event_select_sql() -> str:
    """PostgreSQL: the full check's query, also read (without hashing) by the benchmark's baseline."""
    return f"SELECT {_event_columns_sql()} FROM {_table(CaseEvent)} ORDER BY case_id, seq"  # noqa: S608


def _full_event_rows(itersize: int) -> Iterator[tuple]:
    """Every event in (case, seq) order as plain tuples of EVENT_COLUMNS: on PostgreSQL from a server-side
    cursor (memory stays at `itersize` rows; `data` stays JSON text for fast_digest's cache); elsewhere
    through values_list."""
    if connection.vendor != "postgresql":
        yield from CaseEvent.objects.order_by("case_id", "seq").values_list(*EVENT_COLUMNS).iterator(itersize)
        return
    with connection.chunked_cursor() as cur:
        cur.execute(_event_select_sql())
        yield from _prefetched(cur.cursor, itersize)


def _prefetched(cursor, itersize: int) -> Iterator[tuple]:
    """The rows of a server-side cursor, the next page fetched by a thread while this one hashes the last:
    PostgreSQL reads and formats rows while Python hashes (the thread waits on the socket without the GIL).
    fetchmany, not iteration: psycopg's server-side cursor steps through a page in Python, row by row."""
    pages: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()

    def hand_over(item) -> None:
        while not stop.is_set():  # the consumer may have stopped early (an exception): then give up
            try:
                pages.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def fetch():
        try:
            while not stop.is_set():
                rows = cursor.fetchmany(itersize)
                hand_over(rows)
                if not rows:
                    return
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            hand_over(exc)

    reader = threading.Thread(target=fetch, name="verify_audit-fetch", daemon=True)
    reader.start()
    try:
        while True:
            rows = pages.get()
            if isinstance(rows, BaseException):
                raise rows
            if not rows:
                return
            yield from rows
    finally:
        stop.set()
        reader.join()


def _case_rows(itersize: int) -> Iterator[tuple]:
    """(case id, reference, head length, head hash, verified length, verified hash, problem) for every case in
    id order, the head and the verified position by outer join (None where missing)."""
    with connection.chunked_cursor() as cur:
        cur.execute(
            f"SELECT c.id, c.reference, h.length, h.last_hash, v.length, v.last_hash, v.problem "  # noqa: S608
            f"FROM {_table(Case)} c LEFT JOIN {_table(CaseAuditHead)} h ON h.case_id = c.id "
            f"LEFT JOIN {_table(AuditVerifiedHead)} v ON v.case_id = c.id ORDER BY c.id"
        )
        if connection.vendor != "postgresql":  # read out before the verified positions are written: SQLite's
            yield from cur.fetchall()  # cursor would see the writes
            return
        while rows := cur.fetchmany(itersize):
            yield from rows


class _VerifiedWriter:
    """Collects the verified positions that changed and writes them in bulk (insert or update). On
    PostgreSQL they are COPYed into a temporary table and merged with one INSERT … ON CONFLICT at the end:
    a first full check writes every case's, and bulk_create's objects and parameters cost more than the
    hashing (unnested arrays: half again as long as COPY, measured at 200,000 rows)."""

    STAGED = "audit_verified_staged"

    def __init__(self, batch_size: int = 20_000):
        self.batch_size = batch_size
        self.rows: list[tuple[int, int, str, str]] = []
        self.staged = False

    def add(self, case_id: int, length: int, last_hash: str, problem: str) -> None:
        self.rows.append((case_id, length, last_hash, problem))
        # Staged on PostgreSQL, so a flush is safe at any time; elsewhere rows written now would be overwritten
        # by the full check's _advance_all(): kept until finish().
        if len(self.rows) >= self.batch_size and connection.vendor == "postgresql":
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        if connection.vendor == "postgresql":
            with connection.cursor() as cur:
                if not self.staged:
                    cur.execute(
                        f"CREATE TEMPORARY TABLE {self.STAGED} "
                        "(case_id bigint, length integer, last_hash text, problem text) ON COMMIT DROP"
                    )
                    self.staged = True
                with cur.cursor.copy(f"COPY {self.STAGED} FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
        else:
            AuditVerifiedHead.objects.bulk_create(
                [AuditVerifiedHead(case_id=c, length=n, last_hash=h, problem=p) for c, n, h, p in self.rows],
                update_conflicts=True,
                unique_fields=["case"],
                update_fields=["length", "last_hash", "problem"],
            )
        self.rows = []

    def finish(self) -> None:
        self.flush()
        if self.staged:
            with connection.cursor() as cur:
                cur.execute(
                    f"INSERT INTO {_table(AuditVerifiedHead)} (case_id, length, last_hash, problem) "  # noqa: S608
                    f"SELECT case_id, length, last_hash, problem FROM {self.STAGED} "
                    "ON CONFLICT (case_id) DO UPDATE SET length = EXCLUDED.length, "
                    "last_hash = EXCLUDED.last_hash, problem = EXCLUDED.problem"
                )
                cur.execute(f"DROP TABLE {self.STAGED}")  # now, not at commit: an outer transaction may run again
            self.staged = False


def _settle(writer, result, case_id, reference, head, start, verified, chain, problem=None, text=False):
    """Check one case's chain read after `start`, record the problem or move its verified position."""
    result.cases_checked += 1
    result.events_checked += len(chain)
    problem = problem or _check_chain(chain, head, start, text)
    if problem:
        result.problems.append(ChainProblem(case_id, reference, problem))
        # The last good position stays (so the next run reads this case again); the problem is recorded.
        old_length, old_hash, old_problem = verified
        if old_problem != problem or old_length is None:
            writer.add(case_id, old_length or 0, old_hash or "", problem)
    elif verified[2]:
        # On record and now reading intact: still reported. Only a full check clears a problem (an old event
        # deleted and written back as an identical row reads intact once its new id is no longer new).
        result.problems.append(ChainProblem(case_id, reference, verified[2]))
    elif verified != (head[0], head[1], ""):
        writer.add(case_id, head[0], head[1], "")


def _advance_all() -> None:
    """Every case's verified position := its head, in one statement on the server: the full check's view is
    one snapshot, so the heads it reads here are those its events were checked against. Rows that already
    hold it are left alone (an anti-join first: a weekly check neither rewrites nor locks them). The broken
    cases are written over afterwards with their last good position. Measured at 200,000 cases: sending
    the positions from Python, even by COPY, cost as much as a third of the hashing."""
    verified, heads = _table(AuditVerifiedHead), _table(CaseAuditHead)
    with connection.cursor() as cur:
        cur.execute(
            f"INSERT INTO {verified} (case_id, length, last_hash, problem) "  # noqa: S608
            f"SELECT h.case_id, h.length, h.last_hash, '' FROM {heads} h "
            f"LEFT JOIN {verified} old ON old.case_id = h.case_id WHERE old.case_id IS NULL "
            "OR old.length <> h.length OR old.last_hash <> h.last_hash OR old.problem <> '' "
            "ON CONFLICT (case_id) DO UPDATE SET length = excluded.length, last_hash = excluded.last_hash, "
            "problem = ''"
        )


def _finish(result: Verification, started, through: tuple[int, int]) -> Verification:
    result.checkpoint = AuditCheckpoint.objects.create(
        kind=result.kind,
        started_at=started,
        finished_at=timezone.now(),
        through_event_id=through[0],
        through_case_id=through[1],
        events_checked=result.events_checked,
        cases_checked=result.cases_checked,
        problems_found=len(result.problems),
    )
    return result


def verify_full(itersize: int = 5000) -> Verification:
    """Walk every case's chain from its first event, in one pass over the events in (case, seq) order
    merged with the cases in id order (memory stays at one case's chain and `itersize` rows), then write a
    checkpoint and each case's verified position for verify_incremental() (_advance_all)."""
    started = timezone.now()
    result = Verification(AuditCheckpoint.Kind.FULL)
    writer = _VerifiedWriter()
    with _fenced() as release, transaction.atomic():
        _snapshot()
        _lock()
        through = _max_ids()
        release()
        data_is_text = connection.vendor == "postgresql"  # see _full_event_rows
        events_checked = cases_checked = 0
        chains = groupby(_full_event_rows(itersize), itemgetter(2))  # (case id, its events), by case id
        next_id, next_chain = next(chains, (None, ()))
        for case_id, reference, h_length, h_hash, v_length, v_hash, _v_problem in _case_rows(itersize):
            while next_id is not None and next_id < case_id:  # events without a case: the foreign key forbids it
                next_id, next_chain = next(chains, (None, ()))
            chain = []
            if next_id == case_id:
                chain = list(next_chain)
                next_id, next_chain = next(chains, (None, ()))
            head = (h_length or 0, h_hash or "")
            if chain and data_is_text:  # (the common case, without _settle's calls: they cost per case)
                events_checked += len(chain)
                problem = _check_pg_rows(chain, head, 0, "")
            else:
                events_checked += len(chain)
                problem = _check_chain(chain, head, (0, ""), data_is_text)
            cases_checked += 1
            if problem:
                # Written over _advance_all()'s position: the last good one stays, with the problem.
                result.problems.append(ChainProblem(case_id, reference, problem))
                writer.add(case_id, v_length or 0, v_hash or "", problem)
        result.events_checked, result.cases_checked = events_checked, cases_checked
        _advance_all()
        writer.finish()
        return _finish(result, started, through)


def _candidate_cases(since: int, since_case: int) -> dict[int, int | None]:
    """The cases an incremental run must check, each with the lowest seq among its events above the last
    checkpoint's id (None when it has none): those with such events — read through the primary-key index, in
    proportion to the new events, and complete because of the write fence (_fenced) — the cases created
    since (a new case whose events and head were deleted has nothing else to show), and those with a
    problem on record (a partial index: the broken few), read again from their first event.

    Not read: the heads and old events of cases without new events. A head or an old event altered there is
    the full check's to find (docs/operations.md: incremental hourly, full weekly)."""
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT case_id, min(seq) FROM {_table(CaseEvent)} WHERE id > %s GROUP BY case_id",  # noqa: S608
            [since],
        )
        cases: dict[int, int | None] = dict(cur.fetchall())
    for case_id in Case.objects.filter(pk__gt=since_case).values_list("pk", flat=True):
        cases.setdefault(case_id, None)
    for case_id in AuditVerifiedHead.objects.exclude(problem="").values_list("case_id", flat=True):
        cases.setdefault(case_id, None)
    return cases


def verify_incremental(batch_size: int = 500) -> Verification:
    """Check only what changed since the last checkpoint: for each candidate case (_candidate_cases), the
    events after its verified position — the first must link to the verified hash, the rest to each
    other, and the last must be the head. A case never verified, or with a problem on record, is read from
    its first event. Without any checkpoint, runs verify_full() (`fell_back`)."""
    last = AuditCheckpoint.objects.order_by("-pk").first()
    if last is None:
        result = verify_full()
        result.fell_back = True
        return result
    started = timezone.now()
    result = Verification(AuditCheckpoint.Kind.INCREMENTAL, since_event_id=last.through_event_id)
    writer = _VerifiedWriter()
    with _fenced() as release, transaction.atomic():
        _snapshot()
        _lock()
        events, cases = _max_ids()
        through = (max(events, last.through_event_id), max(cases, last.through_case_id))
        release()
        candidates = _candidate_cases(last.through_event_id, last.through_case_id)
        case_ids = sorted(candidates)
        for i in range(0, len(case_ids), batch_size):
            _incremental_batch(case_ids[i : i + batch_size], candidates, writer, result)
        writer.finish()
        return _finish(result, started, through)


def _incremental_batch(case_ids: list[int], lowest_new: dict, writer: _VerifiedWriter, result: Verification) -> None:
    references = dict(Case.objects.filter(pk__in=case_ids).values_list("pk", "reference"))
    heads = {
        case_id: (length, last_hash)
        for case_id, length, last_hash in CaseAuditHead.objects.filter(case_id__in=case_ids).values_list(
            "case_id", "length", "last_hash"
        )
    }
    verified = {
        row[0]: row[1:]
        for row in AuditVerifiedHead.objects.filter(case_id__in=case_ids).values_list(
            "case_id", "length", "last_hash", "problem"
        )
    }
    starts = {}
    for case_id in case_ids:
        length, last_hash, problem = verified.get(case_id, (None, None, None))
        starts[case_id] = (0, "") if length is None or problem else (length, last_hash)
    chains: dict[int, list] = {case_id: [] for case_id in case_ids}
    for row in _events_after(starts):
        chains[row[2]].append(row)
    data_is_text = connection.vendor == "postgresql"
    for case_id in case_ids:
        start = starts[case_id]
        # An event above the checkpoint's id at or below the verified position replaced an old one.
        replaced = lowest_new.get(case_id)
        _settle(
            writer,
            result,
            case_id,
            references[case_id],
            heads.get(case_id, (0, "")),
            start,
            verified.get(case_id, (None, None, None)),
            chains[case_id],
            f"event #{replaced} was replaced" if replaced is not None and replaced <= start[0] else None,
            text=data_is_text,
        )


def _events_after(starts: dict[int, tuple[int, str]]) -> Iterator[tuple]:
    """The events of each case after its verified position, by case and seq, through the (case, seq)
    index: on PostgreSQL joined with the positions as arrays, in the full check's row form."""
    if connection.vendor != "postgresql":
        wanted = Q(*(Q(case_id=c, seq__gt=length) for c, (length, _h) in starts.items()), _connector=Q.OR)
        yield from CaseEvent.objects.filter(wanted).order_by("case_id", "seq").values_list(*EVENT_COLUMNS)
        return
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {_event_columns_sql('e.')} FROM {_table(CaseEvent)} e "  # noqa: S608
            "JOIN unnest(%s::bigint[], %s::integer[]) AS w(case_id, after) "
            "ON e.case_id = w.case_id AND e.seq > w.after ORDER BY e.case_id, e.seq",
            [list(starts), [length for length, _h in starts.values()]],
        )
        yield from cur.fetchall()


def verify() -> list[ChainProblem]:
    """The full check's problems (see verify_full)."""
    return verify_full().problems
