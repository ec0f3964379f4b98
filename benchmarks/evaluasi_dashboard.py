"""Evaluasi dashboard benchmark on PostgreSQL: the inspectorate's dashboard for a year over N cases of the four
kinds, against the same aggregates in hand-written SQL (issue 12).

    .venv/bin/python -m benchmarks evaluasi-dashboard --start-postgres            # 1,000,000 cases

N cases (default 1,000,000) of gratifikasi, pengaduan, WBS and benturan, in the 55 units of the core benchmark,
received from 1 January of the year before --year until today, --in-year of them (default 70%) in --year. Each
kind's statuses, breakdown values (category, channel, outcome, ...) and clocks are drawn from the kind's own
definition (cases.registry), so the generated rows are what the statistics read. A case that is old enough is
mostly closed (its clocks met, some late); a recent one is mostly open (running clocks, some overdue). Written
with COPY in chunks of 20,000 cases: the case row, the detail row (every other column its model default) and
one or two clock rows.

Measured in this process, median and p95 over --repeat runs after two warm-ups:

1. ``evaluasi.statistics.dashboard(Scope.of(Period.year(Y), None))`` over the four kinds (every unit);
2. baseline: the same figures in raw SQL written by hand, three statements per kind (status and breakdown
   counts in one GROUPING SETS scan; overdue and the median handling time; the clocks per code), checked
   equal to the dashboard's figures before anything is timed.

Then one dashboard run with its statements timed one by one (the profile: where the time goes), and the plans
of the slowest. ``--index`` creates candidate indexes (name:table(columns), repeatable), analyses, and measures
both again, so a proposed index is judged in the same run on the same data.
"""

import argparse
import datetime as dt
import os
import random
import statistics as pystats
import time
from collections import Counter
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.test.utils import CaptureQueriesContext

from benchmarks.generate import CASE_COLUMNS, CLOCK_COLUMNS, fast_loading, make_units
from benchmarks.measure import QueryCounter, explain, git_commit, ms, note, percentile, server_info, timed
from cases import policy, registry, workdays
from cases.models import Case, DeadlineClock, EmployeeProfile
from evaluasi import snapshots, statistics
from evaluasi.periods import Period

TINY = {"cases": 2000, "repeat": 3}
DEFAULT_CASES = 1_000_000
KINDS = ("gratifikasi", "pengaduan", "wbs", "benturan")
# Shares of the cases: complaints and gratifikasi reports are most of an inspectorate's intake.
KIND_SHARE = {"gratifikasi": 0.35, "pengaduan": 0.40, "wbs": 0.10, "benturan": 0.15}
CHUNK = 20_000
JAKARTA = ZoneInfo("Asia/Jakarta")
UTC = dt.UTC
DASHBOARD = "dashboard: evaluasi.statistics.dashboard(Scope.of(Period.year(Y), None))"
BASELINE = "baseline: the same figures in hand-written SQL (3 statements per kind)"
FLOOR = "floor: one scan of the year's cases (a single count, every kind)"
SNAPSHOT = "dashboard page's read: evaluasi.snapshots.dashboard (the beat's snapshot of the year, fresh)"
REFRESH = "the beat's refresh: evaluasi.snapshots.refresh (year, quarter, last year; every language)"
# The statements of a dashboard run, by what they count (the profile sums their time per family).
FAMILIES = (
    ("clocks (per kind: clocks of the period's cases by code)", '"cases_deadlineclock"."code"'),
    ("median handling time (percentile_cont)", "percentile_cont"),
    ("overdue now (COUNT)", "COUNT(*)"),
    ("statuses and breakdowns (GROUP BY one column)", "GROUP BY"),
)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repeat", type=int, default=9, help="timed runs of each measurement (default 9)")
    parser.add_argument("--seed", type=int, default=20261202, help="random seed of the generated data")
    parser.add_argument("--year", type=int, default=None, help="the year measured (default: this year)")
    parser.add_argument("--in-year", type=float, default=0.7, help="share of the cases received in --year")
    parser.add_argument(
        "--index",
        action="append",
        default=[],
        metavar="NAME:TABLE(COLUMNS)",
        help="a candidate index, created after the first measurement; both are measured again",
    )


def kinds() -> list[registry.CaseKind]:
    return [registry.get(code) for code in KINDS]


# ---------------------------------------------------------------------------------------------------------
# Data


def _detail_columns(kind: registry.CaseKind) -> tuple[list[str], list]:
    """The detail table's columns and each one's value when the generator does not choose it: the model's
    default ("" for text, None where NULL is allowed)."""
    columns, defaults = [], []
    for field in kind.model._meta.local_concrete_fields:
        columns.append(field.column)
        defaults.append(None if field.primary_key else field.get_default())
    return columns, defaults


def _choice_values(kind: registry.CaseKind, name: str) -> list[str]:
    return [str(code) for code, _label in kind.model._meta.get_field(name).choices]


class KindPlan:
    """What one kind's generated cases are drawn from."""

    def __init__(self, kind: registry.CaseKind):
        self.kind = kind
        self.prefix = kind.prefix
        self.final = sorted(kind.final_states)
        self.open = [code for code, _label in kind.status_labels if code not in kind.final_states and code != "draft"]
        self.columns, self.defaults = _detail_columns(kind)
        self.index = {column: i for i, column in enumerate(self.columns)}
        self.breakdowns = {
            kind.model._meta.get_field(b.field).column: _choice_values(kind, b.field)
            for b in kind.statistics.breakdowns
        }
        self.clocks = list(kind.clocks[:2])
        self.counter = 0


def make_people(unit_ids: list[int]) -> tuple[list[int], list[int]]:
    """A few reporters and handlers: the statistics never read people, the rows only need valid ids."""
    User = get_user_model()
    reporters = User.objects.bulk_create([User(username=f"pegawai{i:03d}", password="!") for i in range(200)])
    handlers = User.objects.bulk_create([User(username=f"petugas{i:03d}", password="!") for i in range(20)])
    inspector = User.objects.create_user("inspektur_bench", password=None)
    inspector.groups.add(Group.objects.get_or_create(name=policy.INSPEKTUR)[0])
    EmployeeProfile.objects.bulk_create(
        [EmployeeProfile(user=user, unit_id=unit_ids[i % len(unit_ids)]) for i, user in enumerate(reporters)]
    )
    return [user.pk for user in reporters], [user.pk for user in handlers]


def _copy(cur, table: str, columns: list[str], rows: list) -> None:
    names = ", ".join(f'"{column}"' for column in columns)
    with cur.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(row)


def generate(n_cases: int, seed: int, year: int, in_year: float, today: dt.date) -> dict:
    rnd = random.Random(seed)
    started = time.perf_counter()
    fast_loading()
    unit_ids = make_units()
    reporters, handlers = make_people(unit_ids)
    plans = {kind.code: KindPlan(kind) for kind in kinds()}
    codes, weights = list(KIND_SHARE), list(KIND_SHARE.values())
    first = dt.date(year - 1, 1, 1)
    year_start, year_end = dt.date(year, 1, 1), min(dt.date(year, 12, 31), today)
    now = dt.datetime.now(UTC).replace(microsecond=0)
    case_table = Case._meta.db_table
    clock_columns = [DeadlineClock._meta.get_field(name).column for name in CLOCK_COLUMNS]
    case_columns = [Case._meta.get_field(name).column for name in CASE_COLUMNS]
    stats = Counter()
    case_id = 0
    for chunk_start in range(0, n_cases, CHUNK):
        case_rows, clock_rows = [], []
        detail_rows: dict[str, list] = {code: [] for code in plans}
        for _ in range(min(CHUNK, n_cases - chunk_start)):
            case_id += 1
            plan = plans[rnd.choices(codes, weights)[0]]
            kind = plan.kind
            if rnd.random() < in_year:
                day = year_start + dt.timedelta(days=rnd.randint(0, (year_end - year_start).days))
            else:
                day = first + dt.timedelta(days=rnd.randint(0, (year_start - first).days - 1))
            submitted = min(
                dt.datetime.combine(day, dt.time(rnd.randint(7, 17), rnd.randint(0, 59)), JAKARTA).astimezone(UTC),
                now - dt.timedelta(seconds=1),
            )
            age = (today - day).days
            draft = rnd.random() < 0.02
            closed = not draft and rnd.random() < (0.9 if age > 60 else 0.35 if age > 10 else 0.1)
            if draft:
                status = "draft"
            elif closed:
                status = plan.final[0] if rnd.random() < 0.7 else rnd.choice(plan.final)
            else:
                status = rnd.choice(plan.open)
            closed_at = None
            if closed:
                closed_at = min(submitted + dt.timedelta(days=rnd.randint(1, 45), hours=rnd.randint(0, 8)), now)
            due = None
            clocks = []
            if not draft:
                for rule in plan.clocks:
                    days = rule.working_days if isinstance(rule.working_days, int) else 10
                    due_on = day + dt.timedelta(days=days + days // 5 * 2)  # working days, roughly
                    met = None
                    if closed:
                        met = closed_at.astimezone(JAKARTA).date()
                    elif rnd.random() < 0.3:
                        met = min(day + dt.timedelta(days=rnd.randint(0, days + 5)), today)
                    clocks.append((rule, days, due_on, met))
                    if met is None:
                        due = due_on if due is None else min(due, due_on)
            plan.counter += 1
            stats[kind.code] += 1
            case_rows.append(
                (
                    case_id,
                    rnd.getrandbits(128).to_bytes(16).hex(),
                    kind.code,
                    f"{plan.prefix}-{plan.counter:07d}",
                    status,
                    rnd.choice(unit_ids),
                    None if kind.code == "wbs" else rnd.choice(reporters),
                    rnd.choice(handlers) if not draft else None,
                    1,
                    submitted - dt.timedelta(minutes=5),
                    None if draft else submitted,
                    closed_at,
                    due,
                )
            )
            row = list(plan.defaults)
            row[0] = case_id
            for column, values in plan.breakdowns.items():
                row[plan.index[column]] = rnd.choice(values) if values else ""
            if kind.code == "pengaduan":
                row[plan.index["received_at"]] = submitted
                if not closed:
                    row[plan.index["closure"]] = ""
            elif kind.code == "gratifikasi":
                row[plan.index["date_received"]] = day - dt.timedelta(days=rnd.randint(0, 10))
                if not closed:
                    row[plan.index["kpk_decision"]] = ""
            elif kind.code in ("wbs", "benturan") and not closed:
                row[plan.index["outcome"]] = ""
            if kind.code == "benturan":
                row[plan.index["subject"]] = "Pengadaan"
            detail_rows[kind.code].append(row)
            for rule, days, due_on, met in clocks:
                clock_rows.append(
                    (case_id, rule.code, str(rule.label), str(rule.basis), day, days, due_on)
                    + (None, 0, met, None, None, None, None, None)
                )
        with transaction.atomic():
            connection.ensure_connection()
            with connection.connection.cursor() as cur:
                _copy(cur, case_table, case_columns, case_rows)
                for code, rows in detail_rows.items():
                    _copy(cur, plans[code].kind.model._meta.db_table, plans[code].columns, rows)
                _copy(cur, DeadlineClock._meta.db_table, clock_columns, clock_rows)
        stats["clocks"] += len(clock_rows)
        if (chunk_start // CHUNK) % 10 == 9 or chunk_start + CHUNK >= n_cases:
            note(f"generated {case_id:,} / {n_cases:,} cases ({time.perf_counter() - started:.0f} s)")
    with connection.cursor() as cur:
        cur.execute(f"SELECT setval(pg_get_serial_sequence('{case_table}', 'id'), %s)", [max(case_id, 1)])
        cur.execute("RESET synchronous_commit")
        cur.execute("RESET session_replication_role")
    stats["generate_seconds"] = time.perf_counter() - started
    return dict(stats)


# ---------------------------------------------------------------------------------------------------------
# The baseline: the same figures in hand-written SQL


def _where(kind: registry.CaseKind) -> tuple[str, str]:
    """(FROM ... WHERE ..., the received column) of one kind's cases in the period, every unit."""
    detail = kind.model._meta
    link = detail.pk.column
    received = kind.statistics.received_on
    column = detail.get_field(received).column
    owner = "c" if received in {f.name for f in Case._meta.concrete_fields} else "d"
    sql = (
        f'FROM "{Case._meta.db_table}" c JOIN "{detail.db_table}" d ON d."{link}" = c.id '
        f"WHERE c.kind = %(kind)s AND c.status <> 'draft' "
        f'AND {owner}."{column}" >= %(start)s AND {owner}."{column}" < %(end)s'
    )
    return sql, f'{owner}."{column}"'


def baseline_kind(kind: registry.CaseKind, period: Period, today: dt.date) -> dict:
    """Every figure the dashboard counts for `kind`: three statements."""
    where, received = _where(kind)
    start = statistics._day_start(period.start)
    end = statistics._day_start(period.end + dt.timedelta(days=1))
    # WBS (min_cell): the dashboard shows no median (one report's handling time) and no "closed": nor does this.
    params = {
        "kind": kind.code,
        "start": start,
        "end": end,
        "today": today,
        "final": sorted(kind.final_states),
        "median": not kind.statistics.min_cell,
    }
    columns = [kind.model._meta.get_field(b.field).column for b in kind.statistics.breakdowns]
    picked = ", ".join(["c.status", *(f'd."{column}"' for column in columns)])
    sets = ", ".join(["(c.status)", *(f'(d."{column}")' for column in columns)])
    found: dict = {"status": {}, **{b.code: {} for b in kind.statistics.breakdowns}, "clocks": {}}
    with connection.cursor() as cur:
        cur.execute(
            f"SELECT {picked}, GROUPING({picked}), count(*) {where} GROUP BY GROUPING SETS ({sets})",
            params,
        )
        width = len(columns) + 1
        for row in cur.fetchall():
            values, grouping, n = row[:width], row[width], row[width + 1]
            position = next(i for i in range(width) if not grouping & (1 << (width - 1 - i)))
            code = "status" if position == 0 else kind.statistics.breakdowns[position - 1].code
            found[code][values[position]] = n
        cur.execute(
            "SELECT count(*) FILTER (WHERE c.status <> ALL(%(final)s) AND c.due_date < %(today)s), "
            f"percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM c.closed_at - {received})) "
            f"FILTER (WHERE c.closed_at IS NOT NULL AND {received} IS NOT NULL AND %(median)s) {where}",
            params,
        )
        overdue, median = cur.fetchone()
        overdue_now = "k.met_on IS NULL AND k.stopped_on IS NULL AND k.paused_on IS NULL AND k.due_date < %(today)s"
        stopped_late = "k.met_on IS NULL AND k.stopped_on IS NOT NULL AND k.stopped_on > k.due_date"
        cur.execute(
            f"SELECT k.code, count(*) FILTER (WHERE k.met_on IS NOT NULL OR ({overdue_now}) OR ({stopped_late})), "
            "count(*) FILTER (WHERE k.met_on IS NOT NULL AND k.met_on <= k.due_date), "
            f"count(*) FILTER (WHERE {overdue_now}) "
            f'FROM "{DeadlineClock._meta.db_table}" k WHERE k.case_id IN (SELECT c.id {where}) GROUP BY k.code',
            params,
        )
        for code, decided, on_time, _overdue in cur.fetchall():  # overdue: counted like the dashboard does
            found["clocks"][code] = (on_time, decided)
    found["received"] = sum(found["status"].values())
    found["overdue"] = overdue
    if not kind.statistics.min_cell:
        found["closed"] = sum(found["status"].get(code, 0) for code in kind.final_states)
        found["median_days"] = round(median / 86400, 1) if median is not None else None
    return found


def baseline(period: Period, today: dt.date) -> dict:
    return {kind.code: baseline_kind(kind, period, today) for kind in kinds()}


def dashboard(period: Period, today: dt.date) -> list:
    return statistics.dashboard(statistics.Scope.of(period, None), kinds=kinds(), today=today)


def dashboard_figures(panels: list) -> dict:
    """The dashboard's figures in the baseline's shape (unsuppressed values: the check needs the counts)."""
    found = {}
    for panel in panels:
        kind = panel.kind
        groups = {group.code: group for group in panel.groups}
        handling = {figure.code: figure for figure in groups["handling"].figures}
        entry = {
            "received": panel.received.value,
            **{code: handling[code].value for code in ("closed", "median_days") if code in handling},
            "overdue": handling["overdue"].value,
            "status": {f.code.split(".", 1)[1]: f.value for f in groups["status"].figures if f.value},
            "clocks": {
                f.code.split(".", 1)[1]: (f.value, f.denominator) for f in groups["clocks"].figures if f.denominator
            },
        }
        for b in kind.statistics.breakdowns:
            entry[b.code] = {f.code.split(".", 1)[1]: f.value for f in groups[b.code].figures if f.value}
        found[kind.code] = entry
    return found


def comparable(found: dict) -> dict:
    """The baseline's figures with what the dashboard does not show left out: a breakdown value outside the
    field's choices (the blank of an undecided outcome) and zero counts."""
    result = {}
    for kind in kinds():
        entry = dict(found[kind.code])
        for b in kind.statistics.breakdowns:
            allowed = set(_choice_values(kind, b.field))
            entry[b.code] = {str(v): n for v, n in entry[b.code].items() if str(v) in allowed and n}
        entry["status"] = {code: n for code, n in entry["status"].items() if n}
        entry["clocks"] = {code: pair for code, pair in entry["clocks"].items() if pair[1]}
        result[kind.code] = entry
    return result


# ---------------------------------------------------------------------------------------------------------
# Measuring


def measure(fn, repeat: int) -> dict:
    for _ in range(2):  # warm-up: plans, caches, the shared buffers
        fn()
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        samples = timed(fn, repeat)
    return {"median": pystats.median(samples), "p95": percentile(samples, 95), "queries": counter.count / repeat}


def profile(fn, top: int | None = 5) -> list[tuple[float, str]]:
    """The statements of one run, slowest first: (seconds, SQL)."""
    with CaptureQueriesContext(connection) as captured:
        fn()
    slowest = sorted(((float(q["time"]), q["sql"]) for q in captured.captured_queries), reverse=True)
    return slowest[:top]


def create_indexes(specs: list[str]) -> list[str]:
    made = []
    with connection.cursor() as cur:
        for spec in specs:
            name, _, rest = spec.partition(":")
            table, _, columns = rest.partition("(")
            cur.execute(f'CREATE INDEX "{name}" ON "{table}" ({columns.rstrip(")")})')
            cur.execute(f'ANALYZE "{table}"')
            made.append(f"`{name}` on `{table}` ({columns.rstrip(')')})")
    return made


def one_pass(period: Period) -> int:
    """The floor: ONE scan of the year's cases (a count, nothing else). Every figure family above reads them
    at least once per kind, so this says how many such passes fit in the target."""
    start = statistics._day_start(period.start)
    end = statistics._day_start(period.end + dt.timedelta(days=1))
    with connection.cursor() as cur:
        cur.execute(
            f'SELECT count(*) FROM "{Case._meta.db_table}" WHERE status <> %s AND submitted_at >= %s '
            "AND submitted_at < %s",
            ["draft", start, end],
        )
        return cur.fetchone()[0]


def measure_both(period: Period, today: dt.date, repeat: int) -> dict:
    scope = statistics.Scope.of(period, None)
    with override_settings(SIGAP_STATISTICS_SNAPSHOT_MIN_CASES=0):
        refreshed = measure(lambda: snapshots.refresh(today=today), 1)
    return {
        DASHBOARD: measure(lambda: dashboard(period, today), repeat),
        BASELINE: measure(lambda: baseline(period, today), repeat),
        FLOOR: measure(lambda: one_pass(period), repeat),
        SNAPSHOT: measure(lambda: snapshots.dashboard(scope), repeat),
        REFRESH: refreshed,
    }


def table_lines(results: dict) -> list[str]:
    lines = ["| what | median | p95 | SQL statements per run |", "|---|---|---|---|"]
    for name, result in results.items():
        lines.append(f"| {name} | {ms(result['median'])} | {ms(result['p95'])} | {result['queries']:.0f} |")
    ratio = results[DASHBOARD]["median"] / results[BASELINE]["median"]
    lines += [
        "",
        f"Dashboard ÷ baseline (medians): **{ratio:.2f}×** (target ≤ 1.5×); dashboard median "
        f"{ms(results[DASHBOARD]['median'])} counted live, {ms(results[SNAPSHOT]['median'])} read from the beat's "
        f"snapshot (target < 500 ms; the refresh behind it takes {ms(results[REFRESH]['median'])} every 10 "
        "minutes). Load average while measuring: "
        + ", ".join(f"{load:.1f}" for load in os.getloadavg())
        + f" on {os.cpu_count()} CPUs (the machine is shared).",
    ]
    return lines


def family(sql: str) -> str:
    return next((name for name, marker in FAMILIES if marker in sql), "other (units, the kind's own figures)")


def profile_lines(period: Period, today: dt.date) -> list[str]:
    every = profile(lambda: dashboard(period, today), top=None)
    totals: dict[str, list] = {}
    for seconds, sql in every:
        totals.setdefault(family(sql), []).append(seconds)
    lines = ["| statements | count | time (sum) |", "|---|---|---|"]
    for name, times in sorted(totals.items(), key=lambda item: -sum(item[1])):
        lines.append(f"| {name} | {len(times)} | {ms(sum(times))} |")
    lines += ["", "| time | slowest statements (first 160 characters) |", "|---|---|"]
    slowest = every[:5]
    for seconds, sql in slowest:
        lines.append(f"| {ms(seconds)} | `{sql[:160]}…` |")
    lines += ["", "Plan of the slowest statement:", "", "```", explain(slowest[0][1]), "```"]
    return lines


def run(args, db_url: str) -> str:
    today = workdays.today()
    year = args.year or today.year
    period = Period.year(year)
    call_command("migrate", verbosity=0, interactive=False)
    note(f"generating {args.cases:,} cases ({args.in_year:.0%} received in {year})")
    stats = generate(args.cases, args.seed, year, args.in_year, today)
    analyse_started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")  # what autovacuum would have done by the time production has this data
    stats["vacuum_seconds"] = time.perf_counter() - analyse_started
    note(f"generated in {stats['generate_seconds']:.0f} s, VACUUM ANALYZE {stats['vacuum_seconds']:.0f} s")

    expected = comparable(baseline(period, today))
    found = dashboard_figures(dashboard(period, today))
    if found != expected:
        for code in found:
            for key in found[code]:
                if found[code][key] != expected[code].get(key):
                    note(f"{code}.{key}: dashboard {found[code][key]!r} ≠ baseline {expected[code].get(key)!r}")
        raise SystemExit("bench: the dashboard's figures differ from the hand-written SQL's")
    in_period = sum(entry["received"] for entry in expected.values())

    results = measure_both(period, today, args.repeat)
    server = server_info()
    lines = [
        f"# Evaluasi dashboard — {dt.date.today().isoformat()}",
        "",
        f"Command: `.venv/bin/python -m benchmarks evaluasi-dashboard --cases {args.cases}"
        + (" --start-postgres" if args.start_postgres else "")
        + "".join(f" --index '{spec}'" for spec in args.index)
        + f"` (seed {args.seed}, {args.repeat} timed runs each after 2 warm-ups, warm cache). Commit {git_commit()}.",
        "",
        f"PostgreSQL {server['server_version']} (shared_buffers {server['shared_buffers']}, work_mem "
        f"{server['work_mem']}, jit {server['jit']}, max_parallel_workers_per_gather "
        f"{server['max_parallel_workers_per_gather']}). Data: {args.cases:,} cases "
        + ", ".join(f"{code} {stats.get(code, 0):,}" for code in KINDS)
        + f"; {stats['clocks']:,} clocks; 55 units. Year {year}: {in_period:,} cases received (not drafts), every "
        "unit. The dashboard's figures equal the hand-written SQL's (checked: statuses, breakdowns, closed, "
        f"overdue, median handling time, clocks). Generation took {stats['generate_seconds']:.0f} s, "
        f"VACUUM ANALYZE {stats['vacuum_seconds']:.0f} s.",
        "",
        "## Without new indexes",
        "",
        *table_lines(results),
        "",
        "### Profile: the slowest statements of one dashboard run",
        "",
        *profile_lines(period, today),
    ]
    if args.index:
        made = create_indexes(args.index)
        again = measure_both(period, today, args.repeat)
        lines += ["", "## With " + "; ".join(made), "", *table_lines(again), "", *profile_lines(period, today)]
    lines.append("")
    return "\n".join(lines)
