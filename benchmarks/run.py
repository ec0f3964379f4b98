#!/usr/bin/env python
"""SIGAP benchmarks on PostgreSQL: inbox, deadline sweep, reference numbering, audit verification.

Run from the repository root:

    export DJANGO_SETTINGS_MODULE=tests.settings DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
    .venv/bin/python benchmarks/run.py --cases 200000

or, with a throwaway PostgreSQL 15 cluster started (and deleted again) by the script itself:

    .venv/bin/python benchmarks/run.py --cases 200000 --start-postgres

DATABASE_URL names the *server*: the script creates its own database there (`sigap_bench`, dropped and
recreated; dropped again at the end unless --keep-db), migrates it and fills it with generated data using
COPY — never through the services, which would take hours for 10^5-10^6 cases. Every measurement has a
baseline measured in the same run against the same data. See benchmarks/README.md.
"""

import argparse
import datetime as dt
import json
import math
import os
import pwd
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "benchmarks"
PG_BIN = Path(os.environ.get("SIGAP_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_OS_USER = "sigap-pg"  # the same unprivileged account scripts/test uses; PostgreSQL refuses to run as root
JAKARTA = ZoneInfo("Asia/Jakarta")
UTC = dt.UTC

KIND = "uji"
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
PAGE_SIZE = 25  # cases.views.PAGE_SIZE


def note(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


# ---------------------------------------------------------------------------------------------------------
# Command line


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--cases", type=int, default=200_000, help="cases to generate (default 200000)")
    p.add_argument("--seed", type=int, default=20261123, help="random seed of the generated data")
    p.add_argument(
        "--today",
        type=dt.date.fromisoformat,
        default=None,
        help="the sweep's date and the date the data is generated around (default: today in Asia/Jakarta, or "
        "the working day before it when today is a day off)",
    )
    p.add_argument("--repeat", type=int, default=20, help="repetitions per inbox measurement (default 20)")
    p.add_argument("--references", type=int, default=2000, help="next_reference calls per mode (default 2000)")
    p.add_argument("--threads", type=int, default=2, help="concurrent numbering threads (default 2)")
    p.add_argument(
        "--sweep-backlog",
        type=float,
        default=0.02,
        help="share of running clocks no earlier sweep has seen (default 0.02); the rest look as if the "
        "sweep last ran on the previous working day",
    )
    p.add_argument("--db-name", default="sigap_bench", help="database created on the server (default sigap_bench)")
    p.add_argument("--keep-db", action="store_true", help="do not drop the benchmark database at the end")
    p.add_argument(
        "--reuse-db",
        action="store_true",
        help="reuse an existing benchmark database holding exactly --cases cases (skips generation; "
        "the sweep then only sees what earlier runs left)",
    )
    p.add_argument("--start-postgres", action="store_true", help="start a throwaway PostgreSQL 15 cluster")
    p.add_argument("--pg-port", type=int, default=55499, help="first port tried by --start-postgres")
    p.add_argument("--output", default=None, help="results file (default benchmarks/results-<date>.md)")
    p.add_argument("--child", default=None, help=argparse.SUPPRESS)  # internal: memory measurement subprocess
    return p.parse_args(argv)


# ---------------------------------------------------------------------------------------------------------
# A throwaway PostgreSQL cluster (the same recipe as scripts/test)


def _port_free(port: int) -> bool:
    s = socket.socket()
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(("127.0.0.1", port))
    except OSError:
        return False
    finally:
        s.close()
    return True


class ThrowawayPostgres:
    """initdb + pg_ctl in a temp dir, as the unprivileged sigap-pg user when run as root; trust auth on
    127.0.0.1 only. stop() stops the server and deletes the directory."""

    def __init__(self, first_port: int):
        self.first_port = first_port
        self.dir = None
        self.port = None

    def _run(self, *cmd, check=True):
        if os.geteuid() == 0:
            cmd = ("runuser", "-u", PG_OS_USER, "--", *cmd)
        env = {**os.environ, "PATH": os.environ.get("PATH", "") + ":/usr/local/sbin:/usr/sbin:/sbin"}
        return subprocess.run(cmd, cwd=self.dir, env=env, check=check, capture_output=True, text=True)

    def start(self) -> str:
        if not (PG_BIN / "initdb").exists():
            raise SystemExit(f"bench: PostgreSQL 15 binaries not found in {PG_BIN} (set SIGAP_PG_BIN)")
        if os.geteuid() == 0:
            try:
                pwd.getpwnam(PG_OS_USER)
            except KeyError:
                subprocess.run(
                    [
                        "useradd",
                        "--system",
                        "--user-group",
                        "--no-create-home",
                        "--home-dir",
                        "/nonexistent",
                        "--shell",
                        "/usr/sbin/nologin",
                        PG_OS_USER,
                    ],
                    check=False,
                )
                pwd.getpwnam(PG_OS_USER)
        self.dir = tempfile.mkdtemp(prefix="sigap-bench-pg.")
        os.mkdir(os.path.join(self.dir, "sock"))
        for path in (self.dir, os.path.join(self.dir, "sock")):
            os.chmod(path, 0o700)
            if os.geteuid() == 0:
                entry = pwd.getpwnam(PG_OS_USER)
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self.port = next((p for p in range(self.first_port, self.first_port + 100) if _port_free(p)), None)
        if self.port is None:
            raise SystemExit(f"bench: no free port in {self.first_port}-{self.first_port + 99}")
        data = os.path.join(self.dir, "data")
        result = self._run(
            str(PG_BIN / "initdb"),
            "-D",
            data,
            "-U",
            "postgres",
            "--auth=trust",
            "--encoding=UTF8",
            "--locale=C",
            "--no-instructions",
            check=False,
        )
        if result.returncode != 0:
            raise SystemExit(f"bench: initdb failed:\n{result.stdout}\n{result.stderr}")
        # Durability settings stay at PostgreSQL's defaults (fsync and synchronous_commit on), as in
        # production: commit latency is part of what reference numbering costs.
        with open(os.path.join(data, "postgresql.conf"), "a") as conf:
            conf.write(
                "\n# --- benchmarks/run.py: throwaway cluster ---\n"
                "listen_addresses = '127.0.0.1'\n"
                f"port = {self.port}\n"
                f"unix_socket_directories = '{self.dir}/sock'\n"
                "shared_buffers = 512MB\n"
                "max_connections = 20\n"
            )
        result = self._run(
            str(PG_BIN / "pg_ctl"),
            "start",
            "-D",
            data,
            "-l",
            os.path.join(self.dir, "postgres.log"),
            "-w",
            "-t",
            "60",
            check=False,
        )
        if result.returncode != 0:
            log = Path(self.dir, "postgres.log")
            raise SystemExit(
                f"bench: PostgreSQL did not start:\n{result.stderr}\n{log.read_text() if log.exists() else ''}"
            )
        note(f"throwaway PostgreSQL 15 on 127.0.0.1:{self.port} in {self.dir}")
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def stop(self) -> None:
        if not self.dir:
            return
        data = os.path.join(self.dir, "data")
        pidfile = Path(data, "postmaster.pid")
        if pidfile.exists():
            pid = int(pidfile.read_text().split()[0])
            self._run(str(PG_BIN / "pg_ctl"), "stop", "-D", data, "-m", "fast", "-w", "-t", "30", check=False)
            try:
                os.kill(pid, 0)
            except ProcessLookupError:
                pass
            else:
                os.kill(pid, signal.SIGKILL)
                time.sleep(1)
        shutil.rmtree(self.dir, ignore_errors=True)
        note(f"throwaway PostgreSQL stopped, {self.dir} deleted")
        self.dir = None


# ---------------------------------------------------------------------------------------------------------
# Database and Django


def with_db_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def recreate_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(server_url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_exists(server_url: str, name: str) -> bool:
    import psycopg

    with psycopg.connect(server_url, autocommit=True) as conn:
        return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None


def setup_django(db_url: str) -> None:
    os.environ["DATABASE_URL"] = db_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
    # Production shape: no query log in memory, no Redis (the outbox nudge is replaced below), quiet logs.
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench: DATABASE_URL must point at PostgreSQL")
    if "tests.casetype" not in settings.INSTALLED_APPS:
        raise SystemExit("bench: needs the test case kind 'uji': DJANGO_SETTINGS_MODULE=tests.settings")


class QueryCounter:
    """connection.execute_wrapper that counts statements (cheap, unlike CaptureQueriesContext)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


# ---------------------------------------------------------------------------------------------------------
# Data generation


class Workdays:
    """cases.workdays with per-date memoization (the generator asks for the same few hundred dates)."""

    def __init__(self):
        from cases import workdays

        self.w = workdays
        self._add = {}

    def add(self, day: dt.date, n: int) -> dt.date:
        key = (day, n)
        if key not in self._add:
            self._add[key] = self.w.add_working_days(day, n)
        return self._add[key]


def _columns(model, names):
    return [model._meta.get_field(name).column for name in names]


def _copy(cursor, model, names, rows) -> int:
    table = model._meta.db_table
    cols = ", ".join(f'"{c}"' for c in _columns(model, names))
    n = 0
    with cursor.copy(f'COPY "{table}" ({cols}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def sweep_dates(requested: dt.date) -> tuple[dt.date, dt.date]:
    """(today, last_sweep): the sweep date — `requested`, or the working day before it when it is a day
    off — and the working day before that, whose sweep left the clocks' warning state. Whatever the
    weekday, today's sweep then has one working day's worth of new H-3, H-1 and breach stages."""
    from cases import workdays

    today = requested
    while not workdays.is_working_day(today):
        today -= dt.timedelta(days=1)
    last = today - dt.timedelta(days=1)
    while not workdays.is_working_day(last):
        last -= dt.timedelta(days=1)
    return today, last


def generate(n_cases: int, seed: int, today: dt.date, last_sweep: dt.date, backlog: float) -> dict:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import DatabaseError, connection, transaction

    from cases import policy
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

    User = get_user_model()
    rnd = random.Random(seed)
    wd = Workdays()
    started = time.perf_counter()
    now = dt.datetime.now(UTC).replace(microsecond=0)
    yesterday = today - dt.timedelta(days=1)
    with connection.cursor() as cur:
        # Loading only (both reset below): commits need not wait for the WAL flush, and, where the role may
        # (a superuser, as in the --start-postgres cluster), no per-row foreign-key trigger checks: the
        # generated rows are consistent by construction. Measurements run with the server's own settings.
        cur.execute("SET synchronous_commit = off")
        try:
            with transaction.atomic():
                cur.execute("SET session_replication_role = replica")
        except DatabaseError:
            note("not a superuser: loading with foreign-key checks (slower)")

    # --- organisation and people (small: ORM bulk_create) ---
    root = Unit.objects.create(code="INSP", name="Inspektorat Jenderal")
    units = [root]
    for b in range(6):
        bagian = Unit.objects.create(code=f"B{b}", name=f"Bagian {b}", parent=root)
        units.append(bagian)
        for s in range(8):
            units.append(Unit.objects.create(code=f"B{b}S{s}", name=f"Subbagian {b}.{s}", parent=bagian))
    unit_ids = [u.pk for u in units]

    n_reporters = max(50, n_cases // 100)
    people = {
        policy.PETUGAS_PENGADUAN: [f"petugas{i:03d}" for i in range(20)],
        policy.INSPEKTUR: [f"inspektur{i}" for i in range(3)],
        policy.ATASAN: [f"atasan{i:03d}" for i in range(max(10, n_reporters // 40))],
        policy.PEGAWAI: [f"pegawai{i:05d}" for i in range(n_reporters)],
    }
    users = User.objects.bulk_create(
        [
            User(username=name, email=f"{name}@bench.test", password="!", first_name=name.title())
            for names in people.values()
            for name in names
        ],
        batch_size=5000,
    )
    by_name = {u.username: u for u in users}
    groups = {g.name: g for g in Group.objects.filter(name__in=people)}
    through = User.groups.through
    through.objects.bulk_create(
        [
            through(user_id=by_name[name].pk, group_id=groups[role].pk)
            for role, names in people.items()
            for name in names
        ],
        batch_size=5000,
    )
    atasan_ids = [by_name[n].pk for n in people[policy.ATASAN]]
    EmployeeProfile.objects.bulk_create(
        [
            EmployeeProfile(
                user=u,
                unit_id=rnd.choice(unit_ids),
                supervisor_id=rnd.choice(atasan_ids) if u.username.startswith("pegawai") else None,
            )
            for u in users
        ],
        batch_size=5000,
    )
    handler_ids = [by_name[n].pk for n in people[policy.PETUGAS_PENGADUAN]]
    inspektur_ids = [by_name[n].pk for n in people[policy.INSPEKTUR]]
    reporter_ids = [by_name[n].pk for n in people[policy.PEGAWAI]]
    perm = Permission.objects.get(
        codename=policy.HANDLE, content_type=ContentType.objects.get_for_model(Case, for_concrete_model=False)
    )

    # --- case headers: status and time, sorted so ids grow with created_at as in real life ---
    statuses = [s for s, _ in STATUS_MIX]
    weights = [w for _, w in STATUS_MIX]
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

    counters: dict[int, int] = {}
    stats = {"cases": 0, "clocks": 0, "running_clocks": 0, "events": 0, "permissions": 0, "exclusions": 0}
    bench_handler = handler_ids[0]

    def clamp(moment: dt.datetime) -> dt.datetime:
        return min(moment, now - dt.timedelta(seconds=1))

    def sweep_state(due: dt.date, as_of: dt.date):
        """(breached_on, warned_h3_at, warned_h1_at, escalated_at) as left by a sweep that ran on `as_of`."""
        stamp = dt.datetime.combine(as_of, dt.time(0, 15), JAKARTA).astimezone(UTC)
        if due < as_of:
            return due + dt.timedelta(days=1), stamp, stamp, stamp
        if due <= wd.add(as_of, 1):
            return None, stamp, stamp, None
        if due <= wd.add(as_of, 3):
            return None, stamp, None, None
        return None, None, None, None

    case_cols = [
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
    widget_cols = ["case", "title", "event_date", "ready"]
    clock_cols = [
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
    event_cols = [
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
    head_cols = ["case", "length", "last_hash"]
    perm_cols = ["permission", "user", "content_object"]
    excl_cols = ["case", "user", "reason"]

    chunk = 10_000
    raw = None
    for start in range(0, n_cases, chunk):
        cases, widgets, clocks, events, heads, perms, exclusions = [], [], [], [], [], [], []
        for offset, (created_ts, status, submitted_ts) in enumerate(headers[start : start + chunk]):
            case_id = start + offset + 1
            created = dt.datetime.fromtimestamp(created_ts, UTC)
            year = created.astimezone(JAKARTA).year
            counters[year] = counters.get(year, 0) + 1
            reference = f"UJI-{year}-{counters[year]:06d}"
            reporter = rnd.choice(reporter_ids)
            confidential = rnd.random() < CONFIDENTIAL_SHARE
            assignee = None
            if status in {"reviewing", "returned"} | FINAL or (status == "submitted" and rnd.random() < 0.3):
                assignee = rnd.choice(handler_ids)
            submitted_at = closed_at = None
            due_date = None
            event_date = None
            if status != "draft":
                submitted_at = clamp(dt.datetime.fromtimestamp(submitted_ts, UTC))
                created = min(created, submitted_at - dt.timedelta(seconds=60))
                sub_day = submitted_at.astimezone(JAKARTA).date()
                event_date = sub_day - dt.timedelta(days=rnd.randint(0, 10))
                review_due, event_due = wd.add(sub_day, 5), wd.add(event_date, 10)
                review = {"start": sub_day, "due": review_due, "paused": None, "met": None, "stopped": None}
                from_event = {"start": event_date, "due": event_due, "paused": None, "met": None, "stopped": None}
                as_of = last_sweep
                if status in FINAL:
                    closed_day = min(sub_day + dt.timedelta(days=rnd.randint(1, 25)), yesterday)
                    closed_at = clamp(
                        max(
                            dt.datetime.combine(closed_day, dt.time(rnd.randint(8, 16)), JAKARTA).astimezone(UTC),
                            submitted_at + dt.timedelta(hours=1),
                        )
                    )
                    closed_day = closed_at.astimezone(JAKARTA).date()
                    review["met"] = closed_day
                    if status == "approved":
                        from_event["met"] = closed_day
                    else:
                        from_event["stopped"] = closed_day
                    as_of = closed_day
                elif status == "returned":
                    review["paused"] = sub_day + dt.timedelta(days=rnd.randint(0, max(0, (today - sub_day).days)))
                for code, label, basis, days, clock in (
                    ("review", "Review", "test 5 HK", 5, review),
                    ("from_event", "From event", "test 10 HK", 10, from_event),
                ):
                    running = clock["met"] is None and clock["stopped"] is None
                    state_day = clock["paused"] or as_of
                    if running and clock["paused"] is None and rnd.random() < backlog:
                        state = (None, None, None, None)  # never swept: the sweep's backlog
                    else:
                        state = sweep_state(clock["due"], state_day)
                    clocks.append(
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
            cases.append(
                (
                    case_id,
                    rnd.getrandbits(128).to_bytes(16).hex(),
                    KIND,
                    reference,
                    status,
                    rnd.choice(unit_ids),
                    reporter,
                    assignee,
                    int(confidential),
                    created,
                    submitted_at,
                    closed_at,
                    due_date,
                )
            )
            widgets.append((case_id, f"Perkara uji {case_id}", event_date, True))
            if assignee is not None:
                perms.append((perm.pk, assignee, case_id))
            if rnd.random() < EXCLUSION_SHARE:
                excluded = bench_handler if rnd.random() < 0.2 else rnd.choice(handler_ids)
                if excluded != assignee:
                    exclusions.append((case_id, excluded, "terlapor"))

            # --- the audit chain, as services.create_case / transition / assign / add_comment write it ---
            moment = created
            trail = [("created", reporter, "", "draft", {}, moment)]
            if status != "draft":
                moment = submitted_at
                trail.append(("transition", reporter, "draft", "submitted", {"transition": "submit"}, moment))
                if assignee is not None:
                    moment = clamp(moment + dt.timedelta(minutes=rnd.randint(5, 600)))
                    trail.append(("assigned", assignee, "", "", {"assignee": assignee}, moment))
                if status != "submitted":
                    moment = clamp(moment + dt.timedelta(minutes=rnd.randint(5, 600)))
                    trail.append(
                        ("transition", assignee, "submitted", "reviewing", {"transition": "start_review"}, moment)
                    )
                if rnd.random() < COMMENT_SHARE:
                    moment = clamp(moment + dt.timedelta(minutes=rnd.randint(5, 600)))
                    trail.append(
                        (
                            "comment",
                            assignee or rnd.choice(handler_ids),
                            "",
                            "",
                            {"text": f"Catatan pemeriksaan berkas perkara {reference}."},
                            moment,
                        )
                    )
                if confidential:
                    for _ in range(rnd.randint(1, 3)):
                        moment = clamp(moment + dt.timedelta(minutes=rnd.randint(5, 600)))
                        trail.append(
                            ("viewed", rnd.choice([assignee or handler_ids[0], *inspektur_ids]), "", "", {}, moment)
                        )
                if status == "returned":
                    moment = clamp(moment + dt.timedelta(minutes=rnd.randint(5, 600)))
                    trail.append(
                        (
                            "transition",
                            assignee,
                            "reviewing",
                            "returned",
                            {"transition": "send_back", "note": "Lengkapi dokumen pendukung."},
                            moment,
                        )
                    )
                elif status in FINAL:
                    name = "approve" if status == "approved" else "reject"
                    trail.append(
                        ("transition", assignee, "reviewing", status, {"transition": name}, max(closed_at, moment))
                    )
            prev = ""
            for seq, (action, actor, from_status, to_status, data, when) in enumerate(trail, start=1):
                # The model's own hashing rule (no copy of it), with the fields in CaseEvent.HASHED_FIELDS order.
                digest = CaseEvent.digest(prev, case_id, seq, action, actor, when, from_status, to_status, data)
                events.append(
                    (case_id, seq, action, actor, when, from_status, to_status, json.dumps(data), prev, digest)
                )
                prev = digest
            heads.append((case_id, len(trail), prev))

        with transaction.atomic():
            connection.ensure_connection()
            raw = connection.connection
            with raw.cursor() as cur:
                stats["cases"] += _copy(cur, Case, case_cols, cases)
                _copy(cur, Widget, widget_cols, widgets)
                stats["clocks"] += _copy(cur, DeadlineClock, clock_cols, clocks)
                stats["events"] += _copy(cur, CaseEvent, event_cols, events)
                _copy(cur, CaseAuditHead, head_cols, heads)
                stats["permissions"] += _copy(cur, CaseUserObjectPermission, perm_cols, perms)
                stats["exclusions"] += _copy(cur, CaseExclusion, excl_cols, exclusions)
        done = start + len(cases)
        if done % 50_000 < chunk or done == n_cases:
            note(f"generated {done:,} / {n_cases:,} cases ({time.perf_counter() - started:.0f} s)")

    ReferenceCounter.objects.bulk_create([ReferenceCounter(kind=KIND, year=y, last=n) for y, n in counters.items()])
    with connection.cursor() as cur:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{Case._meta.db_table}', 'id'), %s)", [max(n_cases, 1)])
    stats["generate_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("RESET synchronous_commit")
        cur.execute("RESET session_replication_role")
        cur.execute("VACUUM ANALYZE")  # what autovacuum would have done by the time production has this data
    stats["vacuum_seconds"] = time.perf_counter() - started
    return stats


def dataset_stats() -> dict:
    from cases.models import Case, CaseEvent, CaseExclusion, CaseUserObjectPermission, DeadlineClock

    return {
        "cases": Case.objects.count(),
        "clocks": DeadlineClock.objects.count(),
        "running_clocks": DeadlineClock.objects.filter(met_on__isnull=True, stopped_on__isnull=True).count(),
        "events": CaseEvent.objects.count(),
        "permissions": CaseUserObjectPermission.objects.count(),
        "exclusions": CaseExclusion.objects.count(),
    }


# ---------------------------------------------------------------------------------------------------------
# Measurement helpers


def percentile(values, pct):
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def secs(seconds: float) -> str:
    return f"{seconds:.2f} s"


def mib(n_bytes: float) -> str:
    return f"{n_bytes / 2**20:.1f} MiB"


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cur.fetchall())


_SCAN = re.compile(
    r"(?:Parallel )?(?:(?P<seq>Seq Scan|Bitmap Heap Scan) on (?P<seqtable>\S+)"
    r"|(?P<idx>Index Only Scan|Index Scan)(?: Backward)? using (?P<index>\S+) on (?P<table>\S+)"
    r"|Bitmap Index Scan on (?P<bitmap>\S+))"
)
_ACTUAL = re.compile(r"actual time=\S+ rows=(\d+) loops=(\d+)")


def plan_summary(plan: str) -> dict:
    """The scan nodes of an EXPLAIN ANALYZE text plan (with rows read and kept), execution and JIT time."""
    nodes = []
    for line in plan.splitlines():
        text = line.strip().removeprefix("->").strip()
        m = _SCAN.match(text)
        if m:
            actual = _ACTUAL.search(text)
            kept = int(actual.group(1)) * int(actual.group(2)) if actual else 0
            if m.group("seq"):
                node = {"type": m.group("seq"), "index": None, "table": m.group("seqtable")}
            elif m.group("idx"):
                node = {"type": m.group("idx"), "index": m.group("index"), "table": m.group("table")}
            else:
                node = {"type": "Bitmap Index Scan", "index": m.group("bitmap"), "table": None}
            node.update(kept=kept, read=kept)
            nodes.append(node)
        elif nodes and text.startswith("Rows Removed by Filter:"):
            nodes[-1]["read"] += int(text.split(":")[1])
    exec_time = re.search(r"Execution Time: ([\d.]+) ms", plan)
    jit = re.search(r"Timing: Generation .*Total ([\d.]+) ms", plan)
    return {
        "nodes": nodes,
        "indexes": sorted({n["index"] for n in nodes if n["index"]}),
        "seq_tables": sorted({n["table"] for n in nodes if n["type"] == "Seq Scan"}),
        "execution_ms": float(exec_time.group(1)) if exec_time else None,
        "jit_ms": float(jit.group(1)) if jit else None,
        "subplans": len(re.findall(r"SubPlan \d+", plan)),
    }


def describe_access(summary: dict, table: str) -> str:
    """How `table` was read, e.g. 'Seq Scan: 200,000 rows read, 101 kept'; plus JIT time when there was JIT."""
    parts = []
    for node in summary["nodes"]:
        if node["table"] == table:
            how = node["type"] + (f" {node['index']}" if node["index"] else "")
            parts.append(f"{how}: {node['read']:,} rows read, {node['kept']:,} kept")
    text = "; ".join(parts) or "—"
    if summary["jit_ms"]:
        text += f"; JIT {summary['jit_ms']:.0f} of {summary['execution_ms']:.0f} ms"
    return text


def capture_sql(fn):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return [q["sql"] for q in ctx.captured_queries]


# ---------------------------------------------------------------------------------------------------------
# 1. Inbox


def inbox_queryset(user=None):
    """cases.views.inbox with no filter: the selector the inbox itself runs, so the benchmark measures the query
    users wait for (its `overdue_now`/`was_late` annotations and the open-cases default included); the
    baseline (no user) runs the same query over every case."""
    from cases import selectors

    return selectors.inbox_cases(user=user) if user is not None else selectors.inbox_unrestricted()


def inbox_once(user=None):
    """One inbox request's database work: the Paginator's count, then page 1. Returns (count s, page s, rows)."""
    from django.core.paginator import Paginator

    if user is not None and hasattr(user, "_sigap_roles"):
        del user._sigap_roles  # a request loads a fresh user: the role lookup is part of the cost
    t0 = time.perf_counter()
    paginator = Paginator(inbox_queryset(user), PAGE_SIZE)
    total = paginator.count
    t1 = time.perf_counter()
    page = paginator.get_page(None)
    rows = list(page.object_list)
    t2 = time.perf_counter()
    assert len(rows) == min(PAGE_SIZE, total)
    return t1 - t0, t2 - t1, total


def time_inbox(user, repeat: int) -> dict:
    from django.db import connection

    for _ in range(2):  # warm-up: caches, plans, connection
        inbox_once(user)
    counts, pages, totals = [], [], []
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        for _ in range(repeat):
            c, p, visible = inbox_once(user)
            counts.append(c)
            pages.append(p)
            totals.append(c + p)
    return {
        "visible": visible,
        "count_median": statistics.median(counts),
        "page_median": statistics.median(pages),
        "total_median": statistics.median(totals),
        "total_p95": percentile(totals, 95),
        "queries_per_request": counter.count / repeat,
    }


def jit_active() -> bool:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT current_setting('jit') = 'on' AND pg_jit_available()")
        return cur.fetchone()[0]


def bench_inbox(personas: dict, repeat: int) -> dict:
    from django.db import connection

    results = {}
    for label, user in personas.items():
        r = time_inbox(user, repeat)
        sqls = [s for s in capture_sql(lambda u=user: inbox_once(u)) if "cases_case" in s]
        count_sql = next(s for s in sqls if "COUNT(" in s.upper())
        page_sql = next(s for s in sqls if "LIMIT" in s.upper() and "COUNT(" not in s.upper())
        r["count_plan"], r["page_plan"] = explain(count_sql), explain(page_sql)
        r["count_summary"], r["page_summary"] = plan_summary(r["count_plan"]), plan_summary(r["page_plan"])
        results[label] = r
        note(
            f"inbox {label}: {r['visible']:,} visible, median {ms(r['total_median'])} "
            f"(count {ms(r['count_median'])}, page {ms(r['page_median'])}), p95 {ms(r['total_p95'])}"
        )
        for what in ("count", "page"):
            s = r[f"{what}_summary"]
            note(
                f"  EXPLAIN {what}: cases_case via {describe_access(s, 'cases_case')}; indexes used: "
                f"{', '.join(s['indexes']) or 'none'}; seq scans: {', '.join(s['seq_tables']) or 'none'}"
            )
    # Diagnostic, not a change to the app: the same requests with JIT compilation off for this session.
    if jit_active():
        with connection.cursor() as cur:
            cur.execute("SET jit = off")
        try:
            for label, user in personas.items():
                r = time_inbox(user, repeat)
                results[label]["nojit"] = r
                note(f"inbox {label}, jit=off: median {ms(r['total_median'])}, p95 {ms(r['total_p95'])}")
        finally:
            with connection.cursor() as cur:
                cur.execute("RESET jit")
    return results


# ---------------------------------------------------------------------------------------------------------
# 2. Deadline sweep


def _sql_of(queryset) -> str:
    """The SQL of a queryset with its parameters inlined by psycopg (for EXPLAIN)."""
    from django.db import connection

    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cur:
        return cur.mogrify(sql, params)


def bench_sweep(today: dt.date) -> dict:
    from django.db import connection

    from cases import deadlines, notifications, workdays
    from cases.models import DeadlineClock, OutboxMessage

    # Production shape: with REDIS_URL set, the after-commit nudge is a Redis publish and delivery happens on
    # a worker. Without Redis Celery runs eagerly and the nudge would deliver the whole outbox inside the
    # sweep, so it is replaced by a counter: what is measured is the sweep itself.
    nudges = []
    original_kick = notifications.kick
    notifications.kick = lambda: nudges.append(1)
    try:
        h3, h1 = workdays.add_working_days(today, 3), workdays.add_working_days(today, 1)
        running = DeadlineClock.objects.filter(deadlines.RUNNING, paused_on__isnull=True)
        stages = {
            "breach": running.filter(due_date__lt=today, escalated_at__isnull=True),
            "h1": running.filter(due_date__gte=today, due_date__lte=h1, warned_h1_at__isnull=True),
            "h3": running.filter(due_date__gt=h1, due_date__lte=h3, warned_h3_at__isnull=True),
        }
        # Baseline A: count the running clocks.
        t0 = time.perf_counter()
        running_count = running.count()
        base_count_s = time.perf_counter() - t0
        # Baseline B: read exactly the clocks the sweep will act on, with its joins; no locks, no writes.
        t0 = time.perf_counter()
        due_rows = 0
        for qs in stages.values():
            joined = qs.select_related("case__assignee__profile__supervisor").order_by("due_date", "pk")
            for _clock in joined.iterator(chunk_size=2000):
                due_rows += 1
        base_select_s = time.perf_counter() - t0
        batch = stages["breach"].select_related("case__assignee__profile__supervisor").order_by("due_date", "pk")
        stage_plan = explain(_sql_of(batch[:500]))
        runs = []
        for attempt in (1, 2):
            outbox_before, nudges_before = OutboxMessage.objects.count(), len(nudges)
            counter = QueryCounter()
            t0 = time.perf_counter()
            with connection.execute_wrapper(counter):
                counts = deadlines.sweep(today)
            elapsed = time.perf_counter() - t0
            outbox = OutboxMessage.objects.count() - outbox_before
            runs.append(
                {
                    "counts": counts,
                    "clocks": sum(counts.values()),
                    "seconds": elapsed,
                    "queries": counter.count,
                    "outbox": outbox,
                    "nudges": len(nudges) - nudges_before,
                }
            )
            note(
                f"sweep run {attempt}: {counts} in {secs(elapsed)}, {counter.count:,} queries, {outbox:,} outbox "
                f"rows, {len(nudges) - nudges_before:,} after-commit nudges"
            )
        assert runs[0]["clocks"] == due_rows, (runs[0]["clocks"], due_rows)
        assert runs[1]["clocks"] == 0 and runs[1]["outbox"] == 0, "the second sweep must send nothing"
        idle_plan = explain(_sql_of(batch[:500]))
        return {
            "running": running_count,
            "due_rows": due_rows,
            "base_count_s": base_count_s,
            "base_select_s": base_select_s,
            "runs": runs,
            "stage_plan": stage_plan,
            "idle_plan": idle_plan,
            "idle_summary": plan_summary(idle_plan),
        }
    finally:
        notifications.kick = original_kick


# ---------------------------------------------------------------------------------------------------------
# 3. Reference numbering


def bench_numbering(calls: int, threads: int) -> dict:
    from django.db import connection
    from django.db.models import F

    from cases import registry, services
    from cases.models import ReferenceCounter

    kind = registry.get(KIND)
    results = {}

    def concurrent(fn, year):
        per_thread = calls // threads
        out, errors = [], []
        barrier = threading.Barrier(threads)

        def work():
            try:
                barrier.wait()
                mine = [fn(year) for _ in range(per_thread)]
                out.extend(mine)
            except Exception as exc:  # noqa: BLE001 — re-raised below
                errors.append(exc)
            finally:
                connection.close()  # each thread has its own connection

        pool = [threading.Thread(target=work) for _ in range(threads)]
        t0 = time.perf_counter()
        for t in pool:
            t.start()
        for t in pool:
            t.join()
        elapsed = time.perf_counter() - t0
        if errors:
            raise errors[0]
        return out, elapsed

    def plain_update(year):
        ReferenceCounter.objects.filter(kind="bench", year=year).update(last=F("last") + 1)

    # Years of their own (the generated cases use the real years). Baseline rows exist beforehand, as a
    # counter row does after its first case.
    ReferenceCounter.objects.filter(year__in=range(2090, 2095)).delete()  # clean slate, also with --reuse-db
    ReferenceCounter.objects.bulk_create([ReferenceCounter(kind="bench", year=y) for y in (2090, 2091, 2092)])
    for _ in range(20):  # warm-up
        services.next_reference(kind, 2090)
        plain_update(2090)

    t0 = time.perf_counter()
    refs = [services.next_reference(kind, 2093) for _ in range(calls)]
    duplicates = len(refs) - len(set(refs))
    assert duplicates == 0
    results["serial"] = {"calls": len(refs), "seconds": time.perf_counter() - t0, "duplicates": duplicates}

    refs, elapsed = concurrent(lambda y: services.next_reference(kind, y), 2094)
    duplicates = len(refs) - len(set(refs))
    assert duplicates == 0, f"{duplicates} duplicate references under {threads} threads"
    assert set(refs) == {f"{kind.prefix}-2094-{i:06d}" for i in range(1, len(refs) + 1)}, "numbering has gaps"
    results["concurrent"] = {"calls": len(refs), "seconds": elapsed, "duplicates": duplicates}

    t0 = time.perf_counter()
    for _ in range(calls):
        plain_update(2091)
    results["base_serial"] = {"calls": calls, "seconds": time.perf_counter() - t0, "duplicates": None}

    _, elapsed = concurrent(plain_update, 2092)
    total = (calls // threads) * threads
    assert ReferenceCounter.objects.get(kind="bench", year=2092).last == total  # no lost updates either
    results["base_concurrent"] = {"calls": total, "seconds": elapsed, "duplicates": None}
    for key, r in results.items():
        note(f"numbering {key}: {r['calls']} calls in {secs(r['seconds'])} ({r['calls'] / r['seconds']:.0f}/s)")
    return results


# ---------------------------------------------------------------------------------------------------------
# 4. Audit verification


def audit_verify() -> int:
    from cases import audit

    problems = list(audit.verify())
    assert problems == [], f"generated chains must verify: {problems[:3]}"
    return 0


def audit_baseline() -> int:
    """The same events, in the same order and batch size as verify() reads them, without hashing."""
    from cases.models import CaseEvent

    n = 0
    for _event in CaseEvent.objects.order_by("case_id", "seq").iterator(chunk_size=2000):
        n += 1
    return n


def _proc_status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise RuntimeError(f"{field} not in /proc/self/status")


def run_child(which: str) -> None:
    """Subprocess: time and peak-RSS growth of one audit pass in a fresh interpreter, like `manage.py
    verify_audit` from cron. Peak RSS is VmHWM, reset to the current RSS first (ru_maxrss would not do: Linux
    carries the parent's high-water mark across fork and exec, and the parent just generated the data)."""
    from django.db import connection

    connection.ensure_connection()
    from cases import audit  # noqa: F401 — imported before the baseline is taken
    from cases.models import CaseEvent

    CaseEvent.objects.first()
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")  # reset VmHWM to VmRSS
    except OSError:
        pass
    before = _proc_status_kb("VmRSS")
    t0 = time.perf_counter()
    (audit_verify if which == "verify" else audit_baseline)()
    elapsed = time.perf_counter() - t0
    peak = _proc_status_kb("VmHWM")
    print(json.dumps({"seconds": elapsed, "rss_before_kb": before, "peak_kb": peak}))


def child_measure(which: str, db_url: str) -> dict:
    env = {**os.environ, "DATABASE_URL": db_url}
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--child", which],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_audit(db_url: str) -> dict:
    from django.db import connection

    from cases.models import Case, CaseEvent

    events, cases = CaseEvent.objects.count(), Case.objects.count()
    with connection.cursor() as cur:  # the same warm cache for both passes
        cur.execute("SELECT sum(length(hash)) FROM cases_caseevent")
    results = {"events": events, "cases": cases}
    for label in ("baseline", "verify"):
        child = child_measure(label, db_url)
        growth = max(0, child["peak_kb"] - child["rss_before_kb"]) * 1024
        results[label] = {
            "seconds": child["seconds"],
            "per_event_us": child["seconds"] / max(events, 1) * 1e6,
            "peak_growth": growth,
            "per_case_bytes": growth / max(cases, 1),
        }
        note(
            f"audit {label}: {secs(child['seconds'])} over {events:,} events, peak RSS growth {mib(growth)} "
            f"({growth / max(cases, 1):.0f} B/case)"
        )
    return results


# ---------------------------------------------------------------------------------------------------------
# Report


def server_info() -> dict:
    from django.db import connection

    info = {}
    with connection.cursor() as cur:
        cur.execute("SHOW server_version")
        info["server_version"] = cur.fetchone()[0]
        for name in (
            "shared_buffers",
            "work_mem",
            "fsync",
            "synchronous_commit",
            "jit",
            "max_parallel_workers_per_gather",
        ):
            cur.execute(f"SHOW {name}")
            info[name] = cur.fetchone()[0]
        cur.execute("SELECT pg_jit_available()")
        info["jit_available"] = cur.fetchone()[0]
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        info["database_size"] = cur.fetchone()[0]
    return info


def git_commit() -> str:
    try:
        head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"], cwd=ROOT, capture_output=True, text=True
        ).stdout.strip()
        return head.stdout.strip() + (" (+ uncommitted changes)" if dirty else "")
    except OSError:
        return "?"


def render(args, today, last_sweep, data, gen, server, inbox, sweep, numbering, audit_r, wall) -> str:
    lines = []
    add = lines.append
    base = inbox[BASELINE]
    s1, s2 = sweep["runs"]
    per_clock = s1["seconds"] / max(s1["clocks"], 1)
    base_per_clock = sweep["base_select_s"] / max(sweep["due_rows"], 1)
    v, b = audit_r["verify"], audit_r["baseline"]

    add(f"# SIGAP benchmark results — {dt.date.today().isoformat()}")
    add("")
    add(
        f"Command: `.venv/bin/python benchmarks/run.py --cases {args.cases}"
        + (" --start-postgres" if args.start_postgres else "")
        + f"` (seed {args.seed}, {args.repeat} inbox repetitions, {args.references} references, {args.threads} "
        f"threads, sweep backlog {args.sweep_backlog:.0%}). Commit {git_commit()}."
    )
    add("")
    add(
        f"Machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, PostgreSQL {server['server_version']} "
        f"(shared_buffers {server['shared_buffers']}, work_mem {server['work_mem']}, fsync {server['fsync']}, "
        f"synchronous_commit {server['synchronous_commit']}, jit {server['jit']}"
        f"{'' if server['jit_available'] else ' (not available)'}, max_parallel_workers_per_gather "
        f"{server['max_parallel_workers_per_gather']}). Database size {server['database_size']}."
    )
    add("")
    add(
        f"Data: {data['cases']:,} cases of kind `uji` (Case + Widget rows), {data['clocks']:,} deadline clocks "
        f"({data['running_clocks']:,} running), {data['events']:,} audit events in valid hash chains, "
        f"{data['permissions']:,} guardian object permissions, {data['exclusions']:,} exclusions"
        + (
            f"; generated with COPY in {gen['generate_seconds']:.0f} s, VACUUM ANALYZE {gen['vacuum_seconds']:.0f} s"
            if gen
            else "; reused database"
        )
        + f". Sweep date {today}; clocks carry the warnings of the {last_sweep} sweep. Whole run {wall:.0f} s."
    )
    add("")
    add("## Summary")
    add("")
    add("| # | what | measured | baseline (same run) | ratio |")
    add("|---|---|---|---|---|")
    for label, r in inbox.items():
        if label == BASELINE:
            continue
        add(
            f"| 1 | inbox page 1 + count, {label}: median / p95 | {ms(r['total_median'])} / {ms(r['total_p95'])} "
            f"| {ms(base['total_median'])} / {ms(base['total_p95'])} (all cases, no permission filter) "
            f"| {r['total_median'] / base['total_median']:.1f}× |"
        )
    add(
        f"| 2 | deadline sweep, run 1: {s1['clocks']:,} clocks acted on | {secs(s1['seconds'])} "
        f"({per_clock * 1000:.2f} ms/clock) | {secs(sweep['base_select_s'])} to SELECT the same clocks "
        f"({base_per_clock * 1000:.3f} ms/clock) | {per_clock / base_per_clock:.0f}× |"
    )
    add(
        f"| 2 | deadline sweep, run 2 (idempotent: {s2['clocks']} clocks, {s2['outbox']} messages) | "
        f"{ms(s2['seconds'])} | {ms(sweep['base_count_s'])} to COUNT the {sweep['running']:,} running clocks | "
        f"{s2['seconds'] / sweep['base_count_s']:.1f}× |"
    )
    for mode, base_mode, label in (
        ("serial", "base_serial", "serially"),
        ("concurrent", "base_concurrent", f"{args.threads} threads"),
    ):
        r, bb = numbering[mode], numbering[base_mode]
        add(
            f"| 3 | `next_reference` ×{r['calls']:,}, {label}; duplicates: {r['duplicates']} | "
            f"{r['calls'] / r['seconds']:,.0f}/s ({r['seconds'] / r['calls'] * 1000:.2f} ms/call) | "
            f"{bb['calls'] / bb['seconds']:,.0f}/s single-row UPDATE ({bb['seconds'] / bb['calls'] * 1000:.2f} ms) | "
            f"{r['seconds'] / r['calls'] / (bb['seconds'] / bb['calls']):.1f}× |"
        )
    add(
        f"| 4 | `audit.verify()`, {audit_r['events']:,} events: time | {secs(v['seconds'])} "
        f"({v['per_event_us']:.1f} µs/event) | {secs(b['seconds'])} iterating the events without hashing "
        f"({b['per_event_us']:.1f} µs/event) | {v['seconds'] / b['seconds']:.1f}× |"
    )
    add(
        f"| 4 | `audit.verify()`: peak RSS growth | {mib(v['peak_growth'])} ({v['per_case_bytes']:.0f} B/case) | "
        f"{mib(b['peak_growth'])} | +{mib(v['peak_growth'] - b['peak_growth'])} |"
    )
    add("")
    add("## 1. Inbox")
    add("")
    add(
        "`policy.visible_cases(user)` with `cases.views.inbox`'s `select_related` and ordering, no filter: the "
        f"Paginator's COUNT, then page 1 ({PAGE_SIZE} rows). {args.repeat} repetitions after 2 warm-up requests; "
        "each request re-reads the user's roles, as a real request does."
    )
    add("")
    nojit = any("nojit" in r for r in inbox.values())
    add(
        "| persona | visible | count median | page median | total median | total p95 | queries | "
        + ("total median, jit=off (diagnostic) | " if nojit else "")
        + "cases_case in the COUNT plan | cases_case in the page plan |"
    )
    add("|---|---|---|---|---|---|---|" + ("---|" if nojit else "") + "---|---|")
    for label, r in inbox.items():
        add(
            f"| {label} | {r['visible']:,} | {ms(r['count_median'])} | {ms(r['page_median'])} | "
            f"{ms(r['total_median'])} | {ms(r['total_p95'])} | {r['queries_per_request']:.0f} | "
            + (f"{ms(r['nojit']['total_median'])} | " if nojit else "")
            + f"{describe_access(r['count_summary'], 'cases_case')} | "
            f"{describe_access(r['page_summary'], 'cases_case')} |"
        )
    add("")
    add("Indexes used / tables read sequentially (EXPLAIN ANALYZE of each persona's two queries):")
    add("")
    for label, r in inbox.items():
        for what in ("count", "page"):
            s = r[f"{what}_summary"]
            add(
                f"- {label}, {what}: indexes {', '.join(f'`{i}`' for i in s['indexes']) or 'none'}; "
                f"sequential scans {', '.join(f'`{t}`' for t in s['seq_tables']) or 'none'}; "
                f"{s['subplans']} SubPlan(s); {s['execution_ms']} ms in PostgreSQL"
                + (f" of which JIT {s['jit_ms']:.0f} ms" if s["jit_ms"] else "")
            )
    add("")
    add("## 2. Deadline sweep")
    add("")
    add(
        f"`cases.deadlines.sweep({today})` over {sweep['running']:,} running clocks; "
        f"{args.sweep_backlog:.0%} of them were never swept, the rest carry the warnings a sweep on {last_sweep} "
        "left. The after-commit outbox nudge is counted instead of run (with Redis it is a publish; delivery "
        "is a worker's job)."
    )
    add("")
    add("| run | breach / h1 / h3 | clocks | outbox rows | nudges | time | per clock | queries | queries/clock |")
    add("|---|---|---|---|---|---|---|---|---|")
    for i, r in enumerate(sweep["runs"], start=1):
        c = r["counts"]
        add(
            f"| sweep {i} | {c['breach']:,} / {c['h1']:,} / {c['h3']:,} | {r['clocks']:,} | {r['outbox']:,} | "
            f"{r['nudges']:,} | {secs(r['seconds'])} | "
            + (f"{r['seconds'] / r['clocks'] * 1000:.2f} ms" if r["clocks"] else "—")
            + f" | {r['queries']:,} | "
            + (f"{r['queries'] / r['clocks']:.1f}" if r["clocks"] else "—")
            + " |"
        )
    add(
        f"| baseline: SELECT the clocks of sweep 1 with its joins | | {sweep['due_rows']:,} | | | "
        f"{secs(sweep['base_select_s'])} | {base_per_clock * 1000:.3f} ms | | |"
    )
    add(f"| baseline: COUNT running clocks | | {sweep['running']:,} | | | {ms(sweep['base_count_s'])} | | 1 | |")
    add("")
    add(
        f"Breach-stage query once nothing is left to do: "
        f"{describe_access(sweep['idle_summary'], 'cases_deadlineclock')}, "
        f"{sweep['idle_summary']['execution_ms']} ms in PostgreSQL."
    )
    add("")
    add("## 3. Reference numbering")
    add("")
    add("| mode | calls | time | per call (wall) | calls/s | duplicates |")
    add("|---|---|---|---|---|---|")
    names = {
        "serial": "`next_reference`, serial",
        "concurrent": f"`next_reference`, {args.threads} threads",
        "base_serial": "baseline: single-row `UPDATE … SET last = last + 1`, serial",
        "base_concurrent": f"baseline: single-row UPDATE, {args.threads} threads",
    }
    for key, r in numbering.items():
        add(
            f"| {names[key]} | {r['calls']:,} | {secs(r['seconds'])} | {r['seconds'] / r['calls'] * 1000:.2f} ms | "
            f"{r['calls'] / r['seconds']:,.0f} | {'—' if r['duplicates'] is None else r['duplicates']} |"
        )
    add("")
    add("Concurrent numbers are asserted distinct and gapless (1…N); the concurrent UPDATE loop loses no update.")
    add("")
    add("## 4. Audit verification")
    add("")
    add("Each pass in a fresh process (as `manage.py verify_audit` runs from cron), on a warm database cache.")
    add("")
    add("| pass | events | cases | time | per event | peak RSS growth | per case |")
    add("|---|---|---|---|---|---|---|")
    for key, label in (("verify", "`audit.verify()`"), ("baseline", "baseline: iterate the events, no hashing")):
        r = audit_r[key]
        add(
            f"| {label} | {audit_r['events']:,} | {audit_r['cases']:,} | {secs(r['seconds'])} | "
            f"{r['per_event_us']:.1f} µs | {mib(r['peak_growth'])} | {r['per_case_bytes']:.0f} B |"
        )
    add("")
    add("## Query plans (EXPLAIN ANALYZE, BUFFERS)")
    plans = [
        (f"Inbox, {label}: {what} query", r[f"{what}_plan"]) for label, r in inbox.items() for what in ("count", "page")
    ]
    plans.append(("Sweep, breach-stage batch query before sweep 1 (without FOR UPDATE)", sweep["stage_plan"]))
    plans.append(("Sweep, breach-stage batch query after sweep 2 (nothing left to do)", sweep["idle_plan"]))
    for title, plan in plans:
        add("")
        add(f"<details><summary>{title}</summary>")
        add("")
        add("```")
        add(plan)
        add("```")
        add("</details>")
    add("")
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------------

BASELINE = "baseline (no permission filter)"


def main() -> int:
    args = parse_args()
    if args.child:
        setup_django(os.environ["DATABASE_URL"])
        run_child(args.child)
        return 0

    wall_start = time.perf_counter()
    pg = None

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    try:
        if args.start_postgres:
            pg = ThrowawayPostgres(args.pg_port)
            server_url = pg.start()
        else:
            server_url = os.environ.get("DATABASE_URL", "")
            if not server_url.startswith(("postgres://", "postgresql://")):
                raise SystemExit("bench: set DATABASE_URL to a PostgreSQL server (postgres://…) or --start-postgres")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.settings")
        db_url = with_db_name(server_url, args.db_name)
        reuse = args.reuse_db and database_exists(server_url, args.db_name)
        if not reuse:
            note(f"creating database {args.db_name}")
            recreate_database(server_url, args.db_name)
        setup_django(db_url)

        from django.contrib.auth import get_user_model
        from django.core.management import call_command
        from django.db import connections

        from cases import workdays
        from cases.models import Case

        gen = None
        if reuse:
            if Case.objects.count() != args.cases:
                raise SystemExit(f"bench: {args.db_name} does not hold {args.cases} cases; drop --reuse-db")
            note(f"reusing {args.db_name}")
        else:
            t0 = time.perf_counter()
            call_command("migrate", verbosity=0, interactive=False)
            note(f"migrated in {time.perf_counter() - t0:.0f} s; generating {args.cases:,} cases")
        today, last_sweep = sweep_dates(args.today or workdays.today())  # reads the calendar: after migrate
        if not reuse:
            gen = generate(args.cases, args.seed, today, last_sweep, args.sweep_backlog)
        data = dataset_stats()
        server = server_info()

        User = get_user_model()
        personas = {
            "handler (petugas_pengaduan)": User.objects.get(username="petugas000"),
            "inspektur": User.objects.get(username="inspektur0"),
            "reporter (pegawai)": User.objects.get(username="pegawai00000"),
            BASELINE: None,
        }
        inbox = bench_inbox(personas, args.repeat)
        sweep = bench_sweep(today)
        numbering = bench_numbering(args.references, args.threads)
        audit_r = bench_audit(db_url)

        report = render(
            args,
            today,
            last_sweep,
            data,
            gen,
            server,
            inbox,
            sweep,
            numbering,
            audit_r,
            time.perf_counter() - wall_start,
        )
        print(report)
        out = Path(args.output) if args.output else BENCH_DIR / f"results-{dt.date.today().isoformat()}.md"
        out.write_text(report + "\n")
        note(f"results written to {out}")

        connections.close_all()
        if not args.keep_db:
            drop_database(server_url, args.db_name)
            note(f"dropped {args.db_name}")
        return 0
    finally:
        if pg is not None:
            try:
                from django.db import connections

                connections.close_all()
            except Exception:  # noqa: BLE001 — Django may not be set up yet
                pass
            pg.stop()


if __name__ == "__main__":
    sys.exit(main())
