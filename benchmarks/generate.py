"""Generated data for the core benchmark: the organisation, people and cases of every case kind (gratifikasi,
wbs, pengaduan, benturan and the test kind `uji`), their deadline clocks and audit chains, written with COPY
(never through the services, which would take hours for 10^5-10^6 cases). Imported after django.setup()
(benchmarks/__main__.py). See benchmarks/README.md.
"""

import datetime as dt
import json
import random
import time
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import DatabaseError, connection, transaction
from django.db.models import Count

from benchmarks.measure import note
from cases import policy, registry, workdays
from cases.models import (
    Case,
    CaseAuditHead,
    CaseEvent,
    CaseExclusion,
    CaseUserObjectPermission,
    DeadlineClock,
    EmployeeProfile,
    ReferenceCounter,
    Unit,
)
from tests.casetype.models import Widget

JAKARTA = ZoneInfo("Asia/Jakarta")
UTC = dt.UTC

KIND = "uji"
# (kind, share of cases): a ministry's mix. Every kind's header rows are real (its statuses, prefix, who reported
# it, confidentiality, who is assigned); only `uji` gets detail rows (casetype_widget): nothing measured here
# reads a detail table, and each real kind's detail has its own encrypted columns to fake.
KIND_MIX = [("pengaduan", 0.35), ("gratifikasi", 0.25), ("uji", 0.20), ("wbs", 0.10), ("benturan", 0.10)]
# Public intake: no account, no draft; the report arrives as received.
PUBLIC_KINDS = {"pengaduan", "wbs"}
KINDS, KIND_WEIGHTS = [kind for kind, _share in KIND_MIX], [share for _kind, share in KIND_MIX]
# Each kind's status for the generic phase the timeline is drawn from (STATUS_MIX below).
PHASES = {
    "uji": {p: p for p in ("draft", "submitted", "reviewing", "returned", "approved", "rejected")},
    "gratifikasi": {
        "draft": "draft",
        "submitted": "submitted",
        "reviewing": "verifying",
        "returned": "incomplete",
        "approved": "closed",
        "rejected": "not_reportable",
    },
    "pengaduan": {
        "submitted": "received",
        "reviewing": "in_progress",
        "returned": "needs_clarification",
        "approved": "closed",
        "rejected": "archived",
    },
    "wbs": {
        "submitted": "received",
        "reviewing": "investigating",
        "returned": "needs_info",
        "approved": "closed",
        "rejected": "not_actionable",
    },
    "benturan": {
        "draft": "draft",
        "submitted": "submitted",
        "reviewing": "analysing",
        "returned": "monitoring",
        "approved": "closed",
        "rejected": "closed",
    },
}
# Who handles each kind (benturan: the declarant's supervisor, routed — see add_case).
HANDLER_GROUPS = {
    policy.PETUGAS_PENGADUAN: 20,
    policy.PETUGAS_UPG: 10,
    policy.PENGELOLA_WBS: 5,
}
# (status, share of cases). Open cases (submitted/reviewing/returned) carry running clocks.
STATUS_MIX = [
    ("draft", 0.02),
    ("submitted", 0.03),
    ("reviewing", 0.05),
    ("returned", 0.02),
    ("approved", 0.50),
    ("rejected", 0.38),
]
STALE_OPEN_SHARE = 0.25  # open cases submitted 1-6 months ago (long overdue); the rest within the last 30 days
OPEN = {"submitted", "reviewing", "returned"}
FINAL = {"approved", "rejected"}
CONFIDENTIAL_SHARE = 0.12
EXCLUSION_SHARE = 0.005
COMMENT_SHARE = 0.25
CHUNK = 10_000  # cases per COPY transaction

CASE_COLUMNS = [
    "id",
    "uuid",
    "kind",
    "reference",
    "status",
    "unit",
    "reporter",
    "assignee",
    "confidentiality",
    "created_at",
    "submitted_at",
    "closed_at",
    "due_date",
]
WIDGET_COLUMNS = ["case", "title", "event_date", "ready"]
CLOCK_COLUMNS = [
    "case",
    "code",
    "label",
    "basis",
    "start_date",
    "working_days",
    "due_date",
    "paused_on",
    "paused_days",
    "met_on",
    "stopped_on",
    "breached_on",
    "warned_h3_at",
    "warned_h1_at",
    "escalated_at",
]
EVENT_COLUMNS = [
    "case",
    "seq",
    "action",
    "actor",
    "created_at",
    "from_status",
    "to_status",
    "data",
    "prev_hash",
    "hash",
]
HEAD_COLUMNS = ["case", "length", "last_hash"]
PERMISSION_COLUMNS = ["permission", "user", "content_object"]
EXCLUSION_COLUMNS = ["case", "user", "reason"]


class Workdays:
    """cases.workdays with per-date memoization (the generator asks for the same few hundred dates)."""

    def __init__(self):
        self._add = {}

    def add(self, day: dt.date, n: int) -> dt.date:
        key = (day, n)
        if key not in self._add:
            self._add[key] = workdays.add_working_days(day, n)
        return self._add[key]


def sweep_dates(requested: dt.date) -> tuple[dt.date, dt.date]:
    """(today, last_sweep): the sweep date — `requested`, or the working day before it when it is a day
    off — and the working day before that, whose sweep left the clocks' warning state. Whatever the
    weekday, today's sweep then has one working day's worth of new H-3, H-1 and breach stages."""
    today = requested
    while not workdays.is_working_day(today):
        today -= dt.timedelta(days=1)
    last = today - dt.timedelta(days=1)
    while not workdays.is_working_day(last):
        last -= dt.timedelta(days=1)
    return today, last


@dataclass
class People:
    unit_ids: list[int]
    handler_ids: list[int]
    inspektur_ids: list[int]
    reporter_ids: list[int]
    handle_permission: int
    handlers_by_group: dict[str, list[int]] = field(default_factory=dict)
    supervisor_of: dict[int, int] = field(default_factory=dict)


@dataclass
class Generation:
    """What every case's rows are drawn from: the seeded random source, the dates and the people."""

    rnd: random.Random
    people: People
    today: dt.date
    last_sweep: dt.date
    backlog: float
    now: dt.datetime
    wd: Workdays = field(default_factory=Workdays)
    counters: dict[tuple[str, int], int] = field(default_factory=dict)  # reference numbers per kind and year

    def clamp(self, moment: dt.datetime) -> dt.datetime:
        return min(moment, self.now - dt.timedelta(seconds=1))

    def later(self, moment: dt.datetime) -> dt.datetime:
        """A next step of the case, 5 minutes to 10 hours after `moment`, never in the future."""
        return self.clamp(moment + dt.timedelta(minutes=self.rnd.randint(5, 600)))


@dataclass
class Rows:
    """One chunk's rows, per table, in COPY column order."""

    cases: list = field(default_factory=list)
    widgets: list = field(default_factory=list)
    clocks: list = field(default_factory=list)
    events: list = field(default_factory=list)
    heads: list = field(default_factory=list)
    permissions: list = field(default_factory=list)
    exclusions: list = field(default_factory=list)


# --- loading -------------------------------------------------------------------------------------------------


def _copy(cursor, model, names, rows) -> int:
    table = model._meta.db_table
    columns = ", ".join(f'"{model._meta.get_field(name).column}"' for name in names)
    n = 0
    with cursor.copy(f'COPY "{table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def fast_loading() -> None:
    """Loading only (both reset by `analyse`): commits need not wait for the WAL flush, and, where the role
    may (a superuser, as in the --start-postgres cluster), no per-row foreign-key trigger checks: the
    generated rows are consistent by construction. Measurements run with the server's own settings."""
    with connection.cursor() as cur:
        cur.execute("SET synchronous_commit = off")
        try:
            with transaction.atomic():
                cur.execute("SET session_replication_role = replica")
        except DatabaseError:
            note("not a superuser: loading with foreign-key checks (slower)")


def copy_rows(rows: Rows, stats: dict) -> None:
    with transaction.atomic():
        connection.ensure_connection()
        with connection.connection.cursor() as cur:
            stats["cases"] += _copy(cur, Case, CASE_COLUMNS, rows.cases)
            _copy(cur, Widget, WIDGET_COLUMNS, rows.widgets)
            stats["clocks"] += _copy(cur, DeadlineClock, CLOCK_COLUMNS, rows.clocks)
            stats["events"] += _copy(cur, CaseEvent, EVENT_COLUMNS, rows.events)
            _copy(cur, CaseAuditHead, HEAD_COLUMNS, rows.heads)
            stats["permissions"] += _copy(cur, CaseUserObjectPermission, PERMISSION_COLUMNS, rows.permissions)
            stats["exclusions"] += _copy(cur, CaseExclusion, EXCLUSION_COLUMNS, rows.exclusions)


def finish_numbering(counters: dict[tuple[str, int], int], n_cases: int) -> None:
    ReferenceCounter.objects.bulk_create(
        [ReferenceCounter(kind=kind, year=year, last=n) for (kind, year), n in counters.items()]
    )
    with connection.cursor() as cur:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{Case._meta.db_table}', 'id'), %s)", [max(n_cases, 1)])


def analyse() -> None:
    with connection.cursor() as cur:
        cur.execute("RESET synchronous_commit")
        cur.execute("RESET session_replication_role")
        cur.execute("VACUUM ANALYZE")  # what autovacuum would have done by the time production has this data


# --- organisation and people (small: ORM bulk_create) ----------------------------------------------------------


def make_units() -> list[int]:
    """Inspektorat > 6 Bagian > 8 Subbagian each."""
    root = Unit.objects.create(code="INSP", name="Inspektorat Jenderal")
    units = [root]
    for b in range(6):
        bagian = Unit.objects.create(code=f"B{b}", name=f"Bagian {b}", parent=root)
        units.append(bagian)
        for s in range(8):
            units.append(Unit.objects.create(code=f"B{b}S{s}", name=f"Subbagian {b}.{s}", parent=bagian))
    return [unit.pk for unit in units]


def make_people(n_cases: int, rnd: random.Random, unit_ids: list[int]) -> People:
    """Handlers of every handler group (upg00 also the UPG coordinator, who receives confidential gratifikasi),
    3 inspectors, a reporter per 100 cases with a profile and a supervisor (atasan)."""
    User = get_user_model()
    n_reporters = max(50, n_cases // 100)
    names = {
        policy.PETUGAS_PENGADUAN: [f"petugas{i:03d}" for i in range(HANDLER_GROUPS[policy.PETUGAS_PENGADUAN])],
        policy.PETUGAS_UPG: [f"upg{i:02d}" for i in range(HANDLER_GROUPS[policy.PETUGAS_UPG])],
        policy.PENGELOLA_WBS: [f"wbs{i:02d}" for i in range(HANDLER_GROUPS[policy.PENGELOLA_WBS])],
        policy.INSPEKTUR: [f"inspektur{i}" for i in range(3)],
        policy.ATASAN: [f"atasan{i:03d}" for i in range(max(10, n_reporters // 40))],
        policy.PEGAWAI: [f"pegawai{i:05d}" for i in range(n_reporters)],
    }
    users = User.objects.bulk_create(
        [
            User(username=name, email=f"{name}@bench.test", password="!", first_name=name.title())
            for role_names in names.values()
            for name in role_names
        ],
        batch_size=5000,
    )
    by_name = {user.username: user for user in users}
    groups = {group.name: group for group in Group.objects.filter(name__in=names)}
    through = User.groups.through
    through.objects.bulk_create(
        [
            through(user_id=by_name[name].pk, group_id=groups[role].pk)
            for role, members in names.items()
            for name in members
        ],
        batch_size=5000,
    )
    atasan_ids = [by_name[name].pk for name in names[policy.ATASAN]]
    profiles = EmployeeProfile.objects.bulk_create(
        [
            EmployeeProfile(
                user=user,
                unit_id=rnd.choice(unit_ids),
                supervisor_id=rnd.choice(atasan_ids) if user.username.startswith("pegawai") else None,
            )
            for user in users
        ],
        batch_size=5000,
    )
    case_type = ContentType.objects.get_for_model(Case, for_concrete_model=False)
    permission = Permission.objects.get(codename=policy.HANDLE, content_type=case_type)
    coordinator = by_name[names[policy.PETUGAS_UPG][0]]
    coordinator.user_permissions.add(Permission.objects.get(codename="coordinate_confidential", content_type=case_type))
    handlers = {group: [by_name[name].pk for name in members] for group, members in names.items()}
    return People(
        unit_ids=unit_ids,
        handler_ids=handlers[policy.PETUGAS_PENGADUAN],
        inspektur_ids=handlers[policy.INSPEKTUR],
        reporter_ids=handlers[policy.PEGAWAI],
        handle_permission=permission.pk,
        handlers_by_group={group: handlers[group] for group in HANDLER_GROUPS},
        supervisor_of={profile.user_id: profile.supervisor_id for profile in profiles if profile.supervisor_id},
    )


# --- cases -----------------------------------------------------------------------------------------------------


def case_headers(n_cases: int, rnd: random.Random, today: dt.date) -> list[tuple[float, str, float]]:
    """(created, status, submitted) of every case, sorted so ids grow with created_at as in real life."""
    statuses = [status for status, _share in STATUS_MIX]
    weights = [share for _status, share in STATUS_MIX]
    today_noon = dt.datetime.combine(today, dt.time(12), JAKARTA)
    headers = []
    for _ in range(n_cases):
        status = rnd.choices(statuses, weights)[0]
        if status == "draft":
            days_ago = rnd.randint(0, 60)
        elif status in OPEN:
            days_ago = rnd.randint(31, 180) if rnd.random() < STALE_OPEN_SHARE else rnd.randint(0, 30)
        else:
            days_ago = rnd.randint(10, 730)
        submitted = today_noon - dt.timedelta(days=days_ago, seconds=rnd.randint(-4 * 3600, 4 * 3600))
        created = submitted - dt.timedelta(seconds=rnd.randint(300, 3 * 86400))
        headers.append((created.timestamp(), status, submitted.timestamp()))
    headers.sort()
    return headers


def sweep_state(wd: Workdays, due: dt.date, as_of: dt.date):
    """(breached_on, warned_h3_at, warned_h1_at, escalated_at) as left by a sweep that ran on `as_of`."""
    stamp = dt.datetime.combine(as_of, dt.time(0, 15), JAKARTA).astimezone(UTC)
    if due < as_of:
        return due + dt.timedelta(days=1), stamp, stamp, stamp
    if due <= wd.add(as_of, 1):
        return None, stamp, stamp, None
    if due <= wd.add(as_of, 3):
        return None, stamp, None, None
    return None, None, None, None


@dataclass
class Timeline:
    """When a submitted case was submitted and closed, and the clocks the `uji` rules gave it."""

    submitted_at: dt.datetime
    closed_at: dt.datetime | None
    event_date: dt.date
    clocks: list  # (code, label, basis, days, {start, due, paused, met, stopped})
    as_of: dt.date  # the day whose sweep left the clocks' warnings


def timeline(gen: Generation, status: str, submitted_ts: float) -> Timeline:
    rnd, wd = gen.rnd, gen.wd
    submitted_at = gen.clamp(dt.datetime.fromtimestamp(submitted_ts, UTC))
    sub_day = submitted_at.astimezone(JAKARTA).date()
    event_date = sub_day - dt.timedelta(days=rnd.randint(0, 10))
    review = {"start": sub_day, "due": wd.add(sub_day, 5), "paused": None, "met": None, "stopped": None}
    from_event = {"start": event_date, "due": wd.add(event_date, 10), "paused": None, "met": None, "stopped": None}
    closed_at, as_of = None, gen.last_sweep
    if status in FINAL:
        yesterday = gen.today - dt.timedelta(days=1)
        closed_day = min(sub_day + dt.timedelta(days=rnd.randint(1, 25)), yesterday)
        closed_at = gen.clamp(
            max(
                dt.datetime.combine(closed_day, dt.time(rnd.randint(8, 16)), JAKARTA).astimezone(UTC),
                submitted_at + dt.timedelta(hours=1),
            )
        )
        closed_day = closed_at.astimezone(JAKARTA).date()
        review["met"] = closed_day
        from_event["met" if status == "approved" else "stopped"] = closed_day
        as_of = closed_day
    elif status == "returned":
        review["paused"] = sub_day + dt.timedelta(days=rnd.randint(0, max(0, (gen.today - sub_day).days)))
    clocks = [("review", "Review", "test 5 HK", 5, review), ("from_event", "From event", "test 10 HK", 10, from_event)]
    return Timeline(submitted_at, closed_at, event_date, clocks, as_of)


def clock_rows(gen: Generation, case_id: int, line: Timeline, stats: dict) -> tuple[list, dt.date | None]:
    """The case's DeadlineClock rows, with the warnings the last sweep left, and the nearest running due date."""
    rows, due_date = [], None
    for code, label, basis, days, clock in line.clocks:
        running = clock["met"] is None and clock["stopped"] is None
        if running and clock["paused"] is None and gen.rnd.random() < gen.backlog:
            state = (None, None, None, None)  # never swept: the sweep's backlog
        else:
            state = sweep_state(gen.wd, clock["due"], clock["paused"] or line.as_of)
        rows.append(
            (
                case_id,
                code,
                label,
                basis,
                clock["start"],
                days,
                clock["due"],
                clock["paused"],
                0,
                clock["met"],
                clock["stopped"],
                *state,
            )
        )
        stats["running_clocks"] += running
        if running and clock["paused"] is None:
            due_date = clock["due"] if due_date is None else min(due_date, clock["due"])
    return rows, due_date


def audit_trail(gen: Generation, case: dict, line: Timeline | None) -> list[tuple]:
    """The events services.create_case / transition / assign / add_comment would have written, in order:
    (action, actor, from_status, to_status, data, when)."""
    rnd, people = gen.rnd, gen.people
    status, reporter, assignee = case["status"], case["reporter"], case["assignee"]
    moment = case["created"]
    trail = [("created", reporter, "", "draft", {}, moment)]
    if line is None:
        return trail
    moment = line.submitted_at
    trail.append(("transition", reporter, "draft", "submitted", {"transition": "submit"}, moment))
    if assignee is not None:
        moment = gen.later(moment)
        trail.append(("assigned", assignee, "", "", {"assignee": assignee}, moment))
    if status != "submitted":
        moment = gen.later(moment)
        trail.append(("transition", assignee, "submitted", "reviewing", {"transition": "start_review"}, moment))
    if rnd.random() < COMMENT_SHARE:
        moment = gen.later(moment)
        note_text = {"text": f"Catatan pemeriksaan berkas perkara {case['reference']}."}
        trail.append(("comment", assignee or rnd.choice(people.handler_ids), "", "", note_text, moment))
    if case["confidential"]:
        for _ in range(rnd.randint(1, 3)):
            moment = gen.later(moment)
            viewer = rnd.choice([assignee or people.handler_ids[0], *people.inspektur_ids])
            trail.append(("viewed", viewer, "", "", {}, moment))
    if status == "returned":
        moment = gen.later(moment)
        data = {"transition": "send_back", "note": "Lengkapi dokumen pendukung."}
        trail.append(("transition", assignee, "reviewing", "returned", data, moment))
    elif status in FINAL:
        name = "approve" if status == "approved" else "reject"
        trail.append(("transition", assignee, "reviewing", status, {"transition": name}, max(line.closed_at, moment)))
    return trail


def chain_rows(case_id: int, trail: list[tuple]) -> tuple[list, tuple]:
    """The trail as hash-chained CaseEvent rows, with the model's own hashing rule (no copy of it), and the
    chain's CaseAuditHead row."""
    events, prev = [], ""
    for seq, (action, actor, from_status, to_status, data, when) in enumerate(trail, start=1):
        digest = CaseEvent.digest(prev, case_id, seq, action, actor, when, from_status, to_status, data)
        events.append((case_id, seq, action, actor, when, from_status, to_status, json.dumps(data), prev, digest))
        prev = digest
    return events, (case_id, len(trail), prev)


def add_case(gen: Generation, rows: Rows, case_id: int, header: tuple, stats: dict) -> None:
    """One case: its header, detail, clocks, permission, exclusion and audit chain, appended to `rows`."""
    created_ts, status, submitted_ts = header
    rnd, people = gen.rnd, gen.people
    kind = rnd.choices(KINDS, KIND_WEIGHTS)[0]
    if kind in PUBLIC_KINDS and status == "draft":
        status = "submitted"  # public intake has no draft
    created = dt.datetime.fromtimestamp(created_ts, UTC)
    year = created.astimezone(JAKARTA).year
    gen.counters[kind, year] = gen.counters.get((kind, year), 0) + 1
    # A public report has no account behind it; an employee's report has its reporter.
    reporter = None if kind in PUBLIC_KINDS else rnd.choice(people.reporter_ids)
    # WBS reports are confidential by nature; the other kinds now and then.
    confidential = kind == "wbs" or rnd.random() < CONFIDENTIAL_SHARE
    assignee = None
    if kind == "benturan":
        # Routed, never assigned by hand: the declarant's supervisor decides from submission on.
        assignee = people.supervisor_of.get(reporter) if status != "draft" else None
    elif status in {"reviewing", "returned"} | FINAL or (status == "submitted" and rnd.random() < 0.3):
        assignee = rnd.choice(people.handlers_by_group[registry.get(kind).handler_group])
    line, due_date = None, None
    if status != "draft":
        line = timeline(gen, status, submitted_ts)
        created = min(created, line.submitted_at - dt.timedelta(seconds=60))
        clocks, due_date = clock_rows(gen, case_id, line, stats)
        rows.clocks += clocks
    case = {
        "status": status,
        "reporter": reporter,
        "assignee": assignee,
        "created": created,
        "confidential": confidential,
        "reference": f"{registry.get(kind).prefix}-{year}-{gen.counters[kind, year]:06d}",
    }
    rows.cases.append(
        (
            case_id,
            rnd.getrandbits(128).to_bytes(16).hex(),
            kind,
            case["reference"],
            PHASES[kind][status],
            rnd.choice(people.unit_ids),
            reporter,
            assignee,
            int(confidential),
            created,
            line and line.submitted_at,
            line and line.closed_at,
            due_date,
        )
    )
    if kind == KIND:
        rows.widgets.append((case_id, f"Perkara uji {case_id}", line and line.event_date, True))
    if assignee is not None:
        rows.permissions.append((people.handle_permission, assignee, case_id))
    if rnd.random() < EXCLUSION_SHARE:
        excluded = people.handler_ids[0] if rnd.random() < 0.2 else rnd.choice(people.handler_ids)
        if excluded != assignee:
            rows.exclusions.append((case_id, excluded, "terlapor"))
    events, head = chain_rows(case_id, audit_trail(gen, case, line))
    rows.events += events
    rows.heads.append(head)


def generate(n_cases: int, seed: int, today: dt.date, last_sweep: dt.date, backlog: float) -> dict:
    """Fill the benchmark database; returns what was written and how long it took."""
    rnd = random.Random(seed)
    started = time.perf_counter()
    fast_loading()
    people = make_people(n_cases, rnd, make_units())
    headers = case_headers(n_cases, rnd, today)
    now = dt.datetime.now(UTC).replace(microsecond=0)
    gen = Generation(rnd=rnd, people=people, today=today, last_sweep=last_sweep, backlog=backlog, now=now)
    stats = {"cases": 0, "clocks": 0, "running_clocks": 0, "events": 0, "permissions": 0, "exclusions": 0}
    for start in range(0, n_cases, CHUNK):
        rows = Rows()
        for offset, header in enumerate(headers[start : start + CHUNK]):
            add_case(gen, rows, start + offset + 1, header, stats)
        copy_rows(rows, stats)
        done = start + len(rows.cases)
        if done % 50_000 < CHUNK or done == n_cases:
            note(f"generated {done:,} / {n_cases:,} cases ({time.perf_counter() - started:.0f} s)")
    finish_numbering(gen.counters, n_cases)
    stats["generate_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    analyse()
    stats["vacuum_seconds"] = time.perf_counter() - started
    return stats


def dataset_stats() -> dict:
    return {
        "cases": Case.objects.count(),
        "kinds": dict(Case.objects.values_list("kind").annotate(n=Count("pk")).values_list("kind", "n")),
        "clocks": DeadlineClock.objects.count(),
        "running_clocks": DeadlineClock.objects.filter(met_on__isnull=True, stopped_on__isnull=True).count(),
        "events": CaseEvent.objects.count(),
        "permissions": CaseUserObjectPermission.objects.count(),
        "exclusions": CaseExclusion.objects.count(),
    }
