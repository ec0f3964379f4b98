"""verify_audit --incremental: checkpoints, verified positions, what it reads and what it catches; and the
full check's fast digest, which must give CaseEvent.digest's bytes."""

import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from cases import audit, services
from cases.models import AuditCheckpoint, AuditVerifiedHead, CaseAuditHead, CaseEvent

pytestmark = pytest.mark.django_db

UTC = dt.UTC
TRICKY_DATA = [
    {},
    {"text": "héllo — ünïcode ✓ 日本語 \U0001f600"},
    {"b": 1, "a": {"z": [1, 2.5, -0.0, 1e-7, 1.5e300], "y": None}, "c": True, "d": False},
    {"big": 2**70, "neg": -(2**63), "float": 0.1 + 0.2, "list": [], "nested": [{"k": "v"}, [None]]},
    {'quote"s': 'back\\slash "q" \n\t\r\x00\x1f \u2028 \x7f', "": ""},
    [],
    "a string",
    12,
    None,
]


def test_fast_digest_gives_the_models_bytes_on_tricky_data():
    # Expected values come from CaseEvent.digest (json.dumps), the rule the stored hashes were made with.
    times = [
        dt.datetime(2026, 12, 2, 10, 0, tzinfo=UTC),
        dt.datetime(2026, 12, 2, 10, 0, 0, 1, tzinfo=UTC),
        dt.datetime(1999, 2, 28, 23, 59, 59, 999999, tzinfo=UTC),
    ]
    fields = [
        (1, 1, "created", None, "", "draft"),
        (2**40, 7, 'aksi "x"\n', 2**35, "reviewing", "approved ✓"),
        (3, 2, "ünï", 5, "\x01", "\\"),
    ]
    checked = 0
    for data in TRICKY_DATA:
        for when in times:
            for case_id, seq, action, actor_id, from_status, to_status in fields:
                args = ("ab" * 32, case_id, seq, action, actor_id, when, from_status, to_status)
                expected = CaseEvent.digest(*args, data)
                assert audit.fast_digest(*args, data) == expected
                # As PostgreSQL hands them over: data as JSON text (its own spacing and key order), the
                # time as its isoformat().
                text = json.dumps(data, indent=1, sort_keys=False)
                iso_args = (*args[:5], when.isoformat(), from_status, to_status)
                assert audit.fast_digest(*iso_args, text, data_is_text=True) == expected
                assert audit.fast_digest(*iso_args, text, data_is_text=True) == expected  # the cached encoding
                checked += 1
    assert checked == len(TRICKY_DATA) * 9


def test_fast_digest_falls_back_to_the_encoder_for_other_types():
    when = dt.datetime(2026, 12, 2, tzinfo=UTC)
    args = ("", True, 1.0, "a", False, when, "", "")  # bool and float are not int: json writes them differently
    assert audit.fast_digest(*args, {}) == CaseEvent.digest(*args, {})


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the SQL rendering is PostgreSQL's")
def test_postgresql_renders_created_at_as_python_isoformat():
    values = [
        dt.datetime(2026, 12, 2, 10, 0, tzinfo=UTC),
        dt.datetime(2026, 12, 2, 10, 0, 0, 1, tzinfo=UTC),
        dt.datetime(2026, 12, 2, 10, 0, 0, 100000, tzinfo=UTC),
        dt.datetime(2024, 2, 29, 23, 59, 59, 999999, tzinfo=UTC),
        dt.datetime(2026, 12, 2, 23, 30, tzinfo=dt.timezone(dt.timedelta(hours=7))),
        dt.datetime(1000, 1, 1, tzinfo=UTC),
    ]
    sql = "SELECT " + audit._PG_ISOFORMAT.format(col="%(v)s::timestamptz")
    for value in values:
        with connection.cursor() as cur:
            cur.execute(sql, {"v": value})
            assert cur.fetchone()[0] == value.astimezone(UTC).isoformat()


@pytest.fixture
def cases_verified(make_widget, handler):
    first, second = make_widget("reviewing"), make_widget("approved")
    services.add_comment(first, handler, "cek dokumen")
    result = audit.verify_full()
    assert result.problems == []
    return first, second


def new_events(case, n):
    return [audit.record(case, "comment", data={"text": f"baru {i}"}) for i in range(n)]


def test_full_check_writes_a_checkpoint_and_every_cases_verified_position(cases_verified):
    first, second = cases_verified
    checkpoint = AuditCheckpoint.objects.get()
    assert checkpoint.kind == "full"
    assert checkpoint.through_event_id == max(CaseEvent.objects.values_list("pk", flat=True))
    assert checkpoint.events_checked == CaseEvent.objects.count()
    assert checkpoint.cases_checked == 2 and checkpoint.problems_found == 0
    for case in (first, second):
        head = CaseAuditHead.objects.get(case=case)
        verified = AuditVerifiedHead.objects.get(case=case)
        assert (verified.length, verified.last_hash, verified.problem) == (head.length, head.last_hash, "")


def test_incremental_after_full_reads_nothing_on_untouched_data(cases_verified):
    result = audit.verify_incremental()
    assert (result.kind, result.problems, result.events_checked, result.cases_checked) == ("incremental", [], 0, 0)
    assert AuditCheckpoint.objects.count() == 2


def test_incremental_reads_only_the_new_events(cases_verified):
    first, _second = cases_verified
    old_length = CaseAuditHead.objects.get(case=first).length
    new_events(first, 3)
    result = audit.verify_incremental()
    assert result.problems == []
    assert (result.events_checked, result.cases_checked) == (3, 1)
    assert AuditVerifiedHead.objects.get(case=first).length == old_length + 3
    assert audit.verify_incremental().events_checked == 0  # and they are not read again


def test_incremental_without_a_checkpoint_runs_the_full_check(cases_verified, capsys):
    AuditCheckpoint.objects.all().delete()
    result = audit.verify_incremental()
    assert result.fell_back and result.kind == "full"
    assert result.events_checked == CaseEvent.objects.count()
    AuditCheckpoint.objects.all().delete()
    call_command("verify_audit", "--incremental")
    assert "No checkpoint yet: running the full check." in capsys.readouterr().out


def test_incremental_detects_an_altered_new_event_and_reports_it_again(cases_verified):
    first, _second = cases_verified
    verified_before = AuditVerifiedHead.objects.get(case=first).length
    event = new_events(first, 2)[0]
    CaseEvent.objects.filter(pk=event.pk).update(data={"text": "diubah"})
    expected = [(first.reference, f"event #{event.seq} was altered")]
    assert [(p.reference, p.problem) for p in audit.verify_incremental().problems] == expected
    # Not advanced past the problem: the case keeps its last good position and is checked again.
    verified = AuditVerifiedHead.objects.get(case=first)
    assert (verified.length, verified.problem) == (verified_before, f"event #{event.seq} was altered")
    assert [(p.reference, p.problem) for p in audit.verify_incremental().problems] == expected
    assert AuditCheckpoint.objects.first().problems_found == 1


def test_incremental_detects_the_deleted_newest_event(cases_verified):
    first, _second = cases_verified
    newest = new_events(first, 2)[-1]
    CaseEvent.objects.filter(pk=newest.pk)._raw_delete(CaseEvent.objects.db)
    problems = audit.verify_incremental().problems
    assert [(p.reference, p.problem) for p in problems] == [(first.reference, "events missing at the end of the chain")]


def test_an_altered_head_without_new_events_is_the_full_checks_to_find(cases_verified):
    # The incremental run reads in proportion to the new events: a case without any is not read at all.
    _first, second = cases_verified
    CaseAuditHead.objects.filter(case=second).update(last_hash="0" * 64)
    result = audit.verify_incremental()
    assert (result.problems, result.events_checked, result.cases_checked) == ([], 0, 0)
    problems = audit.verify_full().problems
    assert [(p.reference, p.problem) for p in problems] == [(second.reference, "the chain's head was altered")]
    # Once on record, every incremental run reads that case again from its first event.
    again = audit.verify_incremental()
    assert [(p.reference, p.problem) for p in again.problems] == [(second.reference, "the chain's head was altered")]
    assert again.cases_checked == 1


def test_incremental_detects_an_event_inserted_for_a_never_verified_case(cases_verified, make_widget):
    third = make_widget("submitted")  # after the full check: never verified
    head = CaseAuditHead.objects.get(case=third)
    forged = CaseEvent(
        case_id=third.pk,
        seq=head.length + 1,
        action="comment",
        created_at=dt.datetime(2026, 12, 2, tzinfo=UTC),
        data={},
        prev_hash=head.last_hash,
    )
    forged.hash = forged.compute_hash()
    forged.save(force_insert=True)  # without moving the head, as a direct INSERT would
    result = audit.verify_incremental()
    assert [(p.reference, p.problem) for p in result.problems] == [
        (third.reference, "events after the head of the chain")
    ]
    assert result.events_checked == head.length + 1  # read from seq 1


def test_incremental_checks_a_never_verified_case_from_its_first_event(cases_verified, make_widget):
    third = make_widget("reviewing")
    result = audit.verify_incremental()
    assert result.problems == []
    assert (result.events_checked, result.cases_checked) == (CaseEvent.objects.filter(case=third).count(), 1)


def _other_connection():
    import psycopg

    settings = connection.settings_dict
    return psycopg.connect(
        dbname=settings["NAME"],
        user=settings["USER"],
        password=settings["PASSWORD"],
        host=settings["HOST"],
        port=settings["PORT"],
        autocommit=False,
    )


FENCE = "hashtext('sigap.audit_fence')"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the write fence is PostgreSQL's advisory lock")
def test_an_event_in_flight_holds_the_verification_back_until_it_commits(cases_verified):
    # ids are allocated before commit: an event in flight while a run reads the highest id could commit later
    # with an id below the checkpoint, and the next incremental run, reading ids above it, would skip it.
    # record() holds the fence's shared lock until its transaction ends: here this test's own transaction,
    # so another connection cannot take the fence while the event is uncommitted …
    first, _second = cases_verified
    new_events(first, 1)
    other = _other_connection()
    try:
        assert other.execute(f"SELECT pg_try_advisory_lock({FENCE})").fetchone()[0] is False
    finally:
        other.rollback()
        other.close()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the write fence is PostgreSQL's advisory lock")
def test_a_verification_waits_for_a_moment_without_event_transactions_in_flight(cases_verified, monkeypatch):
    # … and a verification does not read the highest id while another connection's event is in flight. It
    # tries the fence instead of queueing for it (a queued request would hold every new record() back), and
    # gives up after FENCE_WAIT, checking nothing.
    other = _other_connection()
    monkeypatch.setattr(audit, "FENCE_WAIT", 0.3)
    checkpoints = AuditCheckpoint.objects.count()
    try:
        assert other.execute(f"SELECT pg_try_advisory_lock_shared({FENCE})").fetchone()[0] is True
        with pytest.raises(audit.WritersBusy):
            audit.verify_incremental()
        with pytest.raises(CommandError, match="without a pause for 0 s; nothing checked"):
            call_command("verify_audit", "--incremental")
        assert AuditCheckpoint.objects.count() == checkpoints
    finally:
        other.rollback()
        other.close()
    # The writer's transaction ended: the fence is free again.
    assert audit.verify_incremental().problems == []


def test_incremental_finds_a_new_case_whose_events_and_head_were_removed(cases_verified, make_widget):
    third = make_widget("submitted")  # created after the full check
    CaseEvent.objects.filter(case=third)._raw_delete(CaseEvent.objects.db)
    CaseAuditHead.objects.filter(case=third).delete()
    problems = audit.verify_incremental().problems
    assert [(p.reference, p.problem) for p in problems] == [(third.reference, "no events: the chain was removed")]


def test_a_problem_stays_reported_until_a_full_check_finds_the_chain_intact(cases_verified):
    first, _second = cases_verified
    old = CaseEvent.objects.get(case=first, seq=2)
    CaseEvent.objects.filter(pk=old.pk)._raw_delete(CaseEvent.objects.db)
    old.pk = None
    old._state.adding = True
    old.save(force_insert=True)  # an identical row under a new id: the chain itself reads intact
    assert [p.problem for p in audit.verify_incremental().problems] == ["event #2 was replaced"]
    # The new id is no longer above the checkpoint, the chain reads intact: still reported, by every run.
    assert [p.problem for p in audit.verify_incremental().problems] == ["event #2 was replaced"]
    assert [p.problem for p in audit.verify_incremental().problems] == ["event #2 was replaced"]
    # A full check reads every chain from its first event and clears what it finds intact.
    assert audit.verify_full().problems == []
    assert audit.verify_incremental().problems == []


def test_command_exits_non_zero_naming_the_reference_never_content(cases_verified, capsys):
    first, _second = cases_verified
    event = audit.record(first, "comment", data={"text": "isi-rahasia-xyz"})
    CaseEvent.objects.filter(pk=event.pk).update(to_status="approved")
    with pytest.raises(CommandError, match=r"1 case\(s\) with a broken audit chain"):
        call_command("verify_audit", "--incremental")
    out = capsys.readouterr()
    assert f"{first.reference}: event #{event.seq} was altered" in out.err
    assert "isi-rahasia-xyz" not in out.err + out.out
    with pytest.raises(CommandError):  # the full check finds it too
        call_command("verify_audit")


def test_command_reports_what_it_checked(cases_verified, capsys):
    first, _second = cases_verified
    new_events(first, 2)
    call_command("verify_audit", "--incremental")
    out = capsys.readouterr().out
    assert "All audit chains intact." in out
    assert "2 events of 1 cases checked" in out


def test_full_check_merges_cases_and_events_in_order(make_widget, handler):
    # One pass over the events merged with the cases: a case without events between two intact ones.
    cases = [make_widget("reviewing"), make_widget("submitted"), make_widget("approved")]
    CaseEvent.objects.filter(case_id=cases[1].pk)._raw_delete(CaseEvent.objects.db)
    result = audit.verify_full()
    assert [(p.reference, p.problem) for p in result.problems] == [
        (cases[1].reference, "no events: the chain was removed")
    ]
    assert result.events_checked == CaseEvent.objects.count()
    assert result.cases_checked == 3


class PagedCursor:
    def __init__(self, pages, fail_at=None):
        self.pages, self.fail_at, self.calls = list(pages), fail_at, 0

    def fetchmany(self, size):
        self.calls += 1
        if self.calls == self.fail_at:
            raise RuntimeError("connection lost")
        return self.pages.pop(0) if self.pages else []


def test_prefetched_rows_come_in_order_and_errors_reach_the_reader():
    assert list(audit._prefetched(PagedCursor([[1, 2], [3, 4], [5]]), 2)) == [1, 2, 3, 4, 5]
    with pytest.raises(RuntimeError, match="connection lost"):
        list(audit._prefetched(PagedCursor([[1], [2], [3]], fail_at=2), 1))


def test_prefetched_stops_its_thread_when_the_reader_stops_early():
    import threading

    endless = PagedCursor([[i] for i in range(10_000)])
    rows = audit._prefetched(endless, 1)
    assert next(rows) == 0
    rows.close()  # returns (no hang): the fetching thread was told to stop and joined
    assert not any(t.name == "verify_audit-fetch" for t in threading.enumerate())
    assert endless.calls < 100


def test_full_check_keeps_a_broken_cases_last_good_position_and_reports_it_again(cases_verified):
    first, second = cases_verified
    good = AuditVerifiedHead.objects.get(case=first)
    good_position = (good.length, good.last_hash)
    new_events(first, 2)
    new_events(second, 1)
    CaseEvent.objects.filter(case_id=first.pk, seq=2).update(action="forged")
    problems = audit.verify_full().problems
    assert [(p.reference, p.problem) for p in problems] == [(first.reference, "event #2 was altered")]
    kept = AuditVerifiedHead.objects.get(case=first)
    assert (kept.length, kept.last_hash, kept.problem) == (*good_position, "event #2 was altered")
    moved, head = AuditVerifiedHead.objects.get(case=second), CaseAuditHead.objects.get(case=second)
    assert (moved.length, moved.last_hash, moved.problem) == (head.length, head.last_hash, "")
    # The incremental run reads the broken case again from its first event, and only it.
    result = audit.verify_incremental()
    assert [(p.reference, p.problem) for p in result.problems] == [(first.reference, "event #2 was altered")]
    assert result.cases_checked == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's advisory lock")
def test_a_second_verification_at_the_same_time_is_refused(make_widget):
    # (No verification before: its lock would be held by this test's own transaction until the end.)
    make_widget("submitted")
    other = _other_connection()
    try:
        assert other.execute("SELECT pg_try_advisory_xact_lock(hashtext('sigap.verify_audit'))").fetchone()[0]
        with pytest.raises(audit.VerificationRunning):
            audit.verify_incremental()
        with pytest.raises(CommandError, match="Another verify_audit is running"):
            call_command("verify_audit")
    finally:
        other.rollback()
        other.close()
    assert audit.verify_incremental().problems == []  # the lock is gone with the other transaction


# Values jsonb gives back unchanged. (-0.0 comes back as 0.0 and 1.5e300 as an integer on PostgreSQL: the
# chain of such an event would not verify there — see test below — so audit data holds no such floats.)
STORED_DATA = [
    {"text": "héllo — ünïcode ✓ 日本語 \U0001f600", "n": 0.1 + 0.2, "tiny": 1e-7, "big": 2**70},
    {"b": 1, "a": {"z": [1, 2.5, -3], "y": None}, "c": True, "d": False, "e": [], "f": {}},
    {'quote"s': 'back\\slash "q" \n\t\r\x01\x1f \u2028 \x7f', "": ""},
]


def test_full_and_incremental_check_verify_chains_with_tricky_data(make_widget, handler):
    case = make_widget("submitted")
    for data in STORED_DATA:
        audit.record(case, "comment", data=data)
    result = audit.verify_full()
    assert result.problems == []
    for data in STORED_DATA:
        audit.record(case, "comment", data=data)
    result = audit.verify_incremental()
    assert (result.problems, result.events_checked) == ([], len(STORED_DATA))
    # And the stored hashes are CaseEvent.digest's, recomputed here from the rows as the ORM reads them.
    for row in CaseEvent.objects.filter(case=case).values_list(*audit.EVENT_COLUMNS):
        assert CaseEvent.digest(row[0], *row[2:]) == row[1]
