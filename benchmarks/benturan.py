"""Benturan benchmark on PostgreSQL: the campaign coverage page for N employees, against one raw SQL query.

    .venv/bin/python -m benchmarks benturan --start-postgres

N employees (default 20,000) in about 60 units (Inspektorat > Bagian > Subbagian), about 7% inactive, one open
campaign for all staff of the root unit, and statements as a real campaign has them part-way: ~70% filed, of
whom ~15% declared an interest and ~5% filed a correction (two statements, the latest counts). Generated with
bulk_create (a few seconds; no COPY needed at this size), then VACUUM ANALYZE (in `run`).

Measured in this process, median and p95 over --repeat runs after two warm-ups, with the Python heap's peak
(tracemalloc) of one more run:

1. the page: Django's test client GET of `benturan:campaign_detail` as an inspector (the whole middleware
   stack, the coverage selector, the people list's count and first page of 50, the template);
2. the selector alone: `benturan.selectors.campaign_coverage` (the one grouped query and the units);
3. the people list alone: `benturan.selectors.campaign_people` (not filed), the paginator's count and page 1;
4. baseline: the same per-unit counts (population, filed, declared) in ONE raw SQL query written by hand
   (a recursive CTE for the unit tree, DISTINCT ON for each employee's latest statement), checked equal to
   the selector's figures.
"""

import argparse
import datetime as dt
import random
import re
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.core.paginator import Paginator
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from benchmarks.measure import git_commit, measure, mib, ms, note, server_info
from benturan import selectors
from benturan.models import InterestStatement, StatementCampaign
from benturan.views import PEOPLE_PAGE_SIZE
from cases import policy, workdays
from cases.models import EmployeeProfile, Unit

# What `--tiny` runs (tests/benchmarks/): a few hundred people, a handful of units, three repetitions.
TINY = {"cases": 300, "units": 6, "repeat": 3}
DEFAULT_CASES = 20_000  # --cases: employees

PAGE = "page: GET benturan:campaign_detail as inspektur (test client)"
BASELINE = "baseline: the same counts in one raw SQL query"
POSITIONS = ["Auditor", "Pejabat Pengadaan", "Bendahara Pengeluaran", "Analis Kebijakan", "Pengadministrasi Umum"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--units", type=int, default=60, help="units in the tree (default 60)")
    parser.add_argument("--repeat", type=int, default=20, help="timed runs of each measurement (default 20)")
    parser.add_argument("--seed", type=int, default=20261202, help="random seed of the generated data")


# ---------------------------------------------------------------------------------------------------------
# Data


def make_units(n_units: int) -> Unit:
    """A root, Bagian under it, Subbagian under those: `n_units` in all."""
    root = Unit.objects.create(code="INSP", name="Inspektorat Jenderal")
    n_bagian = max(1, min(8, (n_units - 1) // 8))
    bagian = [Unit.objects.create(code=f"B{b}", name=f"Bagian {b}", parent=root) for b in range(n_bagian)]
    for s in range(max(0, n_units - 1 - n_bagian)):
        parent = bagian[s % n_bagian]
        Unit.objects.create(code=f"{parent.code}S{s}", name=f"Subbagian {s}", parent=parent)
    return root


def generate(n_people: int, n_units: int, seed: int) -> tuple[StatementCampaign, object, dict]:
    rnd = random.Random(seed)
    User = get_user_model()
    root = make_units(n_units)
    unit_ids = root.descendant_ids()
    inspector = User.objects.create_user("inspektur_bench", password=None)
    inspector.groups.add(Group.objects.get_or_create(name=policy.INSPEKTUR)[0])
    EmployeeProfile.objects.create(user=inspector, unit=root, position="Inspektur")
    users = User.objects.bulk_create(
        [
            User(
                username=f"pegawai{i:06d}",
                first_name=f"Pegawai {i:06d}",
                password="!",
                is_active=rnd.random() > 0.07,
            )
            for i in range(n_people)
        ],
        batch_size=5000,
    )
    EmployeeProfile.objects.bulk_create(
        [
            EmployeeProfile(user=user, unit_id=rnd.choice(unit_ids), position=rnd.choice(POSITIONS), nip=f"19{i:016d}")
            for i, user in enumerate(users)
        ],
        batch_size=5000,
    )
    today = workdays.today()
    campaign = StatementCampaign.objects.create(
        year=today.year,
        title="Pernyataan kepentingan pribadi",
        unit=root,
        opens_on=today - dt.timedelta(days=14),
        closes_on=today + dt.timedelta(days=14),
        created_by=inspector,
    )
    now = timezone.now()
    first, corrections = [], []
    for user in users:
        if rnd.random() > 0.7:
            continue
        when = now - dt.timedelta(minutes=rnd.randint(60, 14 * 24 * 60))
        statement = InterestStatement(
            campaign=campaign,
            employee=user,
            unit_id=None,
            position="",
            has_interests=rnd.random() < 0.15,
            filed_at=when,
            confirmed_at=when,
        )
        first.append(statement)
    InterestStatement.objects.bulk_create(first, batch_size=5000)
    for statement in first:
        if rnd.random() < 0.05:
            later = statement.filed_at + dt.timedelta(minutes=30)
            corrections.append(
                InterestStatement(
                    campaign=campaign,
                    employee_id=statement.employee_id,
                    has_interests=not statement.has_interests,
                    filed_at=later,
                    confirmed_at=later,
                    supersedes_id=statement.pk,
                    is_change=True,
                )
            )
    InterestStatement.objects.bulk_create(corrections, batch_size=5000)
    stats = {
        "people": n_people,
        "active": sum(user.is_active for user in users),
        "units": len(unit_ids),
        "statements": len(first) + len(corrections),
        "corrections": len(corrections),
    }
    return campaign, inspector, stats


# ---------------------------------------------------------------------------------------------------------
# The baseline: the same counts in one raw query

RAW_COVERAGE = """
WITH RECURSIVE tree AS (
    SELECT id FROM {unit} WHERE id = %(root)s
    UNION ALL
    SELECT child.id FROM {unit} child JOIN tree ON child.parent_id = tree.id
),
latest AS (
    SELECT DISTINCT ON (employee_id) employee_id, has_interests
    FROM {statement} WHERE campaign_id = %(campaign)s
    ORDER BY employee_id, filed_at DESC, id DESC
)
SELECT p.unit_id, count(*), count(latest.employee_id), count(*) FILTER (WHERE latest.has_interests)
FROM {user} u
JOIN {profile} p ON p.user_id = u.id
LEFT JOIN latest ON latest.employee_id = u.id
WHERE u.is_active AND p.unit_id IN (SELECT id FROM tree)
GROUP BY p.unit_id
"""


def raw_coverage(campaign: StatementCampaign) -> dict[int, tuple[int, int, int]]:
    sql = RAW_COVERAGE.format(
        unit=Unit._meta.db_table,
        statement=InterestStatement._meta.db_table,
        user=get_user_model()._meta.db_table,
        profile=EmployeeProfile._meta.db_table,
    )
    with connection.cursor() as cur:
        cur.execute(sql, {"root": campaign.unit_id, "campaign": campaign.pk})
        return {unit: (population, filed, declared) for unit, population, filed, declared in cur.fetchall()}


def selector_coverage(campaign: StatementCampaign) -> dict[int, tuple[int, int, int]]:
    return {row.unit.pk: (row.population, row.filed, row.declared) for row in selectors.campaign_coverage(campaign)}


def people_page(campaign: StatementCampaign) -> int:
    """The list under the coverage table as the page runs it: the paginator's count and page 1."""
    page = Paginator(selectors.campaign_people(campaign, None, "belum"), PEOPLE_PAGE_SIZE).get_page(1)
    return len(list(page.object_list))


# ---------------------------------------------------------------------------------------------------------
# Measuring


def run(args, db_url: str) -> str:
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    note(f"generating {args.cases:,} employees in {args.units} units")
    campaign, inspector, stats = generate(args.cases, args.units, args.seed)
    with connection.cursor() as cur:
        cur.execute("VACUUM ANALYZE")  # what autovacuum would have done by the time production has this data
    generated = time.perf_counter() - started
    note(f"generated in {generated:.0f} s: {stats}")

    expected = raw_coverage(campaign)
    found = selector_coverage(campaign)
    if found != expected:
        raise SystemExit("bench: the selector's coverage differs from the raw query's")

    browser = Client(SERVER_NAME="localhost")  # a host ALLOWED_HOSTS has
    browser.force_login(inspector)
    url = reverse("benturan:campaign_detail", args=[campaign.uuid])

    def page():
        response = browser.get(url)
        if response.status_code != 200:
            raise SystemExit(f"bench: the coverage page answered HTTP {response.status_code}")
        return response

    totals = [sum(values) for values in zip(*expected.values(), strict=True)]
    footer = re.search(r"<tfoot>(.*?)</tfoot>", page().content.decode(), re.S)
    cells = [int(re.sub(r"\D", "", cell)) for cell in re.findall(r"<td>(.*?)</td>", footer.group(1))] if footer else []
    if cells[:2] != totals[:2] or cells[3:4] != totals[2:3]:
        raise SystemExit(f"bench: the page's totals {cells} differ from the raw query's {totals}")

    results = {
        PAGE: measure(page, args.repeat),
        "selector: campaign_coverage (grouped query + units)": measure(
            lambda: selector_coverage(campaign), args.repeat
        ),
        "people list: count and first page of 50 not filed (campaign_people)": measure(
            lambda: people_page(campaign), args.repeat
        ),
        BASELINE: measure(lambda: raw_coverage(campaign), args.repeat),
    }
    server = server_info()
    lines = [
        f"# Benturan campaign coverage — {dt.date.today().isoformat()}",
        "",
        f"Command: `.venv/bin/python -m benchmarks benturan --cases {args.cases} --units {args.units}"
        + (" --start-postgres" if args.start_postgres else "")
        + f"` (seed {args.seed}, {args.repeat} timed runs each after 2 warm-ups). Commit {git_commit()}.",
        "",
        f"PostgreSQL {server['server_version']} (shared_buffers {server['shared_buffers']}, work_mem "
        f"{server['work_mem']}, jit {server['jit']}). Data: {stats['people']:,} employees "
        f"({stats['active']:,} active) in {stats['units']} units, one campaign for all staff of the root unit, "
        f"{stats['statements']:,} statements ({stats['corrections']:,} corrections). Population "
        f"{totals[0]:,}, filed {totals[1]:,}, declared an interest {totals[2]:,}; the selector's and the page's "
        "totals equal the raw query's (checked). Generation took "
        f"{generated:.0f} s.",
        "",
        "| what | median | p95 | SQL statements per run | Python heap peak (tracemalloc) |",
        "|---|---|---|---|---|",
    ]
    for name, result in results.items():
        lines.append(
            f"| {name} | {ms(result['median'])} | {ms(result['p95'])} | {result['queries']:.0f} | "
            f"{mib(result['peak'])} |"
        )
    page_result, base = results[PAGE], results[BASELINE]
    lines += [
        "",
        f"The page takes {page_result['median'] / base['median']:.1f}× the raw query's median: besides the counts it "
        "walks the unit tree (for the permission check and the population), counts and fetches the first 50 people "
        "who have not filed, and runs the middleware, the session, the role look-up and the template.",
        "",
    ]
    return "\n".join(lines)
