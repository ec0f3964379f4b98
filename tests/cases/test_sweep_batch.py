"""The set-based deadline sweep (issue 14): a batch of clocks is marked in one UPDATE, its recipients are read
for the whole batch (policy.assignable_users_by_case, checked here against assignable_users case by case), and
its messages go into the outbox in one INSERT with one after-commit nudge; the number of queries does not grow
with the number of clocks, and a repeated or racing sweep sends each warning once."""

import datetime as dt
import math

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cases import deadlines, notifications, policy
from cases.models import Case, CaseExclusion, Confidentiality, DeadlineClock, EmployeeProfile, OutboxMessage

pytestmark = pytest.mark.django_db
D = dt.date
TODAY = D(2026, 11, 10)  # a Tuesday
OVERDUE = D(2026, 11, 9)


@pytest.fixture
def people(make_user, atasan, pegawai):
    h_en = make_user("h_en", policy.PETUGAS_PENGADUAN, supervisor=atasan)
    EmployeeProfile.objects.filter(user=h_en).update(language="en")
    make_user("h_id", policy.PETUGAS_PENGADUAN)
    make_user("h_reporter", policy.PETUGAS_PENGADUAN)
    make_user("h_inactive", policy.PETUGAS_PENGADUAN, is_active=False)
    # A handler with no profile at all: written to in the default language.
    h_noprofile = get_user_model().objects.create_user("h_noprofile", "np@example.test", "x-password-123")
    h_noprofile.groups.add(Group.objects.get_or_create(name=policy.PETUGAS_PENGADUAN)[0])
    wbs1 = make_user("wbs1", policy.PENGELOLA_WBS)
    EmployeeProfile.objects.filter(user=wbs1).update(language="en")
    make_user("wbs2", policy.PENGELOLA_WBS)
    make_user("atasan2", policy.ATASAN)
    names = ("h_en", "h_id", "h_reporter", "h_noprofile", "wbs1", "wbs2", "atasan2", "atasan", "pegawai")
    return {u.username: u for u in get_user_model().objects.filter(username__in=names)}


def make_case(unit, kind, reference, reporter=None, assignee=None, excluded=(), confidential=False):
    case = Case.objects.create(
        kind=kind,
        reference=reference,
        unit=unit,
        reporter=reporter,
        assignee=assignee,
        confidentiality=Confidentiality.RAHASIA if confidential else Confidentiality.BIASA,
    )
    for user in excluded:
        CaseExclusion.objects.create(case=case, user=user)
    return case


def make_clock(case, due=OVERDUE, code="review"):
    return DeadlineClock.objects.create(
        case=case, code=code, label="Telaah", basis="uji", start_date=due - dt.timedelta(days=10),
        working_days=5, due_date=due,
    )  # fmt: skip


@pytest.fixture
def cases(people, unit):
    p = people
    return {
        "plain": make_case(unit, "uji", "UJI-2026-000001", reporter=p["pegawai"]),
        "reporter_handles": make_case(unit, "uji", "UJI-2026-000002", reporter=p["h_reporter"]),
        "excluded": make_case(unit, "uji", "UJI-2026-000003", reporter=p["pegawai"], excluded=[p["h_id"]]),
        "confidential": make_case(unit, "uji", "UJI-2026-000004", reporter=p["pegawai"], confidential=True),
        "assigned": make_case(unit, "uji", "UJI 2026&5 ü", reporter=p["pegawai"], assignee=p["h_en"]),
        "wbs": make_case(unit, "wbs", "WBS-2026-000001", excluded=[p["wbs2"]], confidential=True),
        "benturan": make_case(unit, "benturan", "BKP-2026-000001", reporter=p["pegawai"], confidential=True),
    }


# What each case's unassigned recipients are, written out by hand from the rule (active handler-group members,
# never the reporter or an excluded person).
EXPECTED_ASSIGNABLE = {
    "plain": {"h_en", "h_id", "h_reporter", "h_noprofile"},
    "reporter_handles": {"h_en", "h_id", "h_noprofile"},
    "excluded": {"h_en", "h_reporter", "h_noprofile"},
    "confidential": {"h_en", "h_id", "h_reporter", "h_noprofile"},
    "assigned": {"h_en", "h_id", "h_reporter", "h_noprofile"},
    "wbs": {"wbs1"},
    "benturan": {"atasan", "atasan2"},
}


def test_assignable_users_by_case_is_assignable_users_for_every_case(cases):
    with CaptureQueriesContext(connection) as queries:
        batch = policy.assignable_users_by_case(cases.values())
    assert len(queries) == 1 + 3  # the exclusions, then one per handler group (uji, wbs, benturan)
    for name, case in cases.items():
        one = [user.pk for user in policy.assignable_users(case)]
        assert [user.pk for user in batch[case.pk]] == one, name  # the same people in the same order
        assert {user.username for user in batch[case.pk]} == EXPECTED_ASSIGNABLE[name], name
    assert policy.assignable_users_by_case([]) == {}


def test_a_batch_of_clocks_writes_exactly_the_expected_messages(cases, people, django_capture_on_commit_callbacks):
    clocks = {name: make_clock(case) for name, case in cases.items()}
    with django_capture_on_commit_callbacks() as callbacks:
        assert deadlines.sweep(TODAY) == {"breach": 7, "h1": 0, "h3": 0}
    assert [c.__name__ for c in callbacks] == ["kick"]  # one nudge for the batch, not one per clock

    def expected_row(name, username):
        case, clock, user = cases[name], clocks[name], people[username]
        if name == "wbs":  # restricted content: what happened, never which case
            subject = {"en": "[SIGAP] A report-handling deadline has passed"}.get(
                user.profile.language, "[SIGAP] Tenggat penanganan laporan terlampaui"
            )
        elif username == "h_en":
            subject = f"[SIGAP] {case.reference}: deadline passed"
        else:
            subject = f"[SIGAP] {case.reference}: batas waktu terlampaui"
        key = f"clock:{clock.pk}:breach:2026-11-09:{user.pk}"
        return (username, subject, reverse("cases:detail", args=[case.reference]), key, case.pk)

    recipients = dict(EXPECTED_ASSIGNABLE)
    recipients["assigned"] = {"h_en", "atasan"}  # the assignee, and on breach their supervisor
    expected = {expected_row(name, username) for name, usernames in recipients.items() for username in usernames}
    rows = OutboxMessage.objects.values_list("recipient__username", "subject", "link", "dedupe_key", "case_id")
    assert sorted(rows) == sorted(expected)
    wbs_bodies = OutboxMessage.objects.filter(case_id=cases["wbs"].pk).values_list("body", flat=True)
    assert all("WBS-2026" not in body and "Telaah" not in body for body in wbs_bodies)
    english = OutboxMessage.objects.get(recipient=people["h_en"], case_id=cases["plain"].pk)
    assert english.body == "The deadline “Telaah” for case UJI-2026-000001 ended on 09-11-2026 and has not been met."
    for clock in DeadlineClock.objects.all():
        assert clock.escalated_at is not None and clock.breached_on == TODAY


def test_h1_also_marks_h3_and_keeps_an_earlier_h3(cases):
    first = make_clock(cases["plain"], due=D(2026, 11, 11))
    second = make_clock(cases["excluded"], due=D(2026, 11, 11))
    earlier = dt.datetime(2026, 11, 5, 3, 0, tzinfo=dt.UTC)
    DeadlineClock.objects.filter(pk=second.pk).update(warned_h3_at=earlier)
    assert deadlines.sweep(TODAY) == {"breach": 0, "h1": 2, "h3": 0}
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.warned_h1_at is not None and first.warned_h3_at == first.warned_h1_at
    assert second.warned_h1_at is not None and second.warned_h3_at == earlier
    assert first.escalated_at is None and first.breached_on is None


def _many(unit, people, n, prefix):
    """n overdue clocks on cases like the office's: a third assigned (with a supervisor), the rest unassigned,
    some with an exclusion."""
    for i in range(n):
        assignee = people["h_en"] if i % 3 == 0 else None
        excluded = [people["h_id"]] if i % 4 == 1 else []
        case = make_case(unit, "uji", f"{prefix}-{i:04d}", reporter=people["pegawai"], assignee=assignee,
                         excluded=excluded)  # fmt: skip
        make_clock(case)


def test_the_number_of_queries_does_not_grow_with_the_clocks(people, unit):
    _many(unit, people, 5, "A")
    with CaptureQueriesContext(connection) as few:
        assert deadlines.sweep(TODAY)["breach"] == 5
    _many(unit, people, 50, "B")
    with CaptureQueriesContext(connection) as many:
        assert deadlines.sweep(TODAY)["breach"] == 50
    rows = sum(2 if i % 3 == 0 else (3 if i % 4 == 1 else 4) for i in range(50))
    # Per stage and batch: lock-and-read, UPDATE, exclusions, the handler group, INSERT; plus one empty read
    # per stage (SAVEPOINTs aside, which the test's transaction adds).
    assert statements(few) == (7, 1)
    # One INSERT for the batch; SQLite's limit on query parameters splits a bulk_create, PostgreSQL's does not.
    fields = [f for f in OutboxMessage._meta.concrete_fields if not f.primary_key]
    inserts = math.ceil(rows / (connection.ops.bulk_batch_size(fields, range(rows)) or rows))
    assert statements(many) == (7, inserts)
    if connection.vendor == "postgresql":
        assert inserts == 1
    # Assigned: assignee and supervisor; unassigned: four handlers, three where one is excluded.
    assert OutboxMessage.objects.count() == rows + sum(2 if i % 3 == 0 else (3 if i % 4 == 1 else 4) for i in range(5))


def statements(captured) -> tuple[int, int]:
    """(statements other than INSERT, INSERTs) a CaptureQueriesContext saw, leaving out SAVEPOINTs."""
    sqls = [q["sql"] for q in captured.captured_queries if "SAVEPOINT" not in q["sql"]]
    inserts = sum(sql.startswith("INSERT") for sql in sqls)
    return len(sqls) - inserts, inserts


def test_batches_each_nudge_once_and_a_second_sweep_sends_nothing(people, unit, django_capture_on_commit_callbacks):
    _many(unit, people, 25, "C")
    with django_capture_on_commit_callbacks() as callbacks:
        assert deadlines.sweep(TODAY, batch_size=10)["breach"] == 25
    assert len(callbacks) == 3  # batches of 10, 10 and 5
    written = OutboxMessage.objects.count()
    with django_capture_on_commit_callbacks() as callbacks:
        assert deadlines.sweep(TODAY, batch_size=10) == {"breach": 0, "h1": 0, "h3": 0}
    assert OutboxMessage.objects.count() == written and callbacks == []


def test_a_racing_sweep_sends_each_warning_once(cases, people):
    clocks = {name: make_clock(case) for name, case in cases.items()}
    # Another sweep got there first for one recipient of one clock, and committed its message.
    key = f"clock:{clocks['plain'].pk}:breach:2026-11-09:{people['h_id'].pk}"
    OutboxMessage.objects.create(recipient=people["h_id"], dedupe_key=key, subject="first", body="first")
    deadlines.sweep(TODAY)
    assert OutboxMessage.objects.filter(dedupe_key__startswith=f"clock:{clocks['plain'].pk}:").count() == 4
    assert OutboxMessage.objects.get(dedupe_key=key).subject == "first"  # not written again
    before = set(OutboxMessage.objects.values_list("dedupe_key", flat=True))
    # A sweep that read the clocks before this one marked them (its stage timestamps still empty) writes nothing.
    DeadlineClock.objects.update(escalated_at=None)
    assert deadlines.sweep(TODAY)["breach"] == len(clocks)
    assert set(OutboxMessage.objects.values_list("dedupe_key", flat=True)) == before
    assert deadlines.sweep(TODAY)["breach"] == 0


def test_queue_many_holds_back_and_nudges_once(people, django_capture_on_commit_callbacks):
    later = dt.datetime(2026, 11, 10, 5, 0, tzinfo=dt.UTC)
    with django_capture_on_commit_callbacks() as callbacks:
        written = notifications.queue_many(
            [
                notifications.Outgoing(recipients=[people["h_id"], people["h_id"]], subject="a", body="b",
                                       link="/x/", dedupe_key="one"),
                notifications.Outgoing(recipients=[people["h_en"]], subject="c", body="d", link="/y/",
                                       dedupe_key="two", not_before=later),
            ]
        )  # fmt: skip
    assert written == 2 and len(callbacks) == 1
    held = OutboxMessage.objects.get(dedupe_key=f"two:{people['h_en'].pk}")
    assert held.created_at == later and held.not_before == later
    assert OutboxMessage.objects.get(dedupe_key=f"one:{people['h_id'].pk}").not_before is None
