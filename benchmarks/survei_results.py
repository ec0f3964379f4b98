"""Survei results benchmark on PostgreSQL: a survey's result over N responses, against the same aggregates in
hand-written SQL (issue 13).

    .venv/bin/python -m benchmarks survei-results --start-postgres          # 100,000 responses per survey

One unit runs one survey per instrument in --instruments (default the seeded SKM of PermenPANRB 14/2017, 9
items on 1–4, and the seeded IPKP, 9 items on 1–6), each with --cases responses (default 100,000) spread over
three services, every response answering every item; --excluded of them (default 2%) set aside by the officer.
Both surveys live in the same tables, as a unit's several surveys do. Written with COPY, 20,000 responses per
transaction, then VACUUM ANALYZE.

Measured in this process for each survey, median and p95 over --repeat runs after two warm-ups, SQL statements
per run and the Python heap's peak (tracemalloc) of one more run:

1. ``survei.selectors.result(survey)``: what the officer's results page computes (the coverage per service and
   the item × value counts, one grouped query each, then survei.scoring.compute);
2. the results page itself (``survei:results``, Django's test client, signed in as the unit's survey officer)
   when the URLconf has it;
3. baseline: one hand-written statement returning the counted respondents and each item's answers and sum of
   values. Before anything is timed the selector's figures (respondents, answers per item, the mean of each
   item, reversed where the item is negative) are checked equal to the baseline's.

The plans (EXPLAIN ANALYZE) of the selector's item count and of the baseline go to the report.
"""

import argparse
import datetime as dt
import random
import re
import sys
import time
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from benchmarks.generate import analyse, fast_loading
from benchmarks.measure import (
    capture_sql,
    explain,
    git_commit,
    measure,
    mib,
    ms,
    note,
    plan_summary,
    server_info,
)
from cases import crypto, policy
from cases.models import EmployeeProfile, Unit
from survei import scoring, selectors
from survei.models import (
    AGE_BANDS,
    Answer,
    Education,
    Instrument,
    Occupation,
    Response,
    Sex,
    Survey,
    SurveyService,
    SurveyStatus,
)

TINY = {"cases": 200, "repeat": 3}
DEFAULT_CASES = 100_000  # --cases: responses per survey
CHUNK = 20_000
SELECTOR = "`survei.selectors.result(survey)` (coverage + item counts + scoring.compute)"
PAGE = "results page `survei:results` (test client, survey officer)"
BASELINE = "baseline: hand-written SQL, respondents and per-item answers and sums (1 statement)"
RESPONSE_COLUMNS = [
    "id",
    "survey_id",
    "service_id",
    "received_on",
    "served_month",
    "age_band",
    "sex",
    "education",
    "occupation",
    "comment",
    "pressured",
    "device_tag",
    "excluded",
    "excluded_reason",
]
ANSWER_COLUMNS = ["survey_id", "response_id", "item_id", "value"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--repeat", type=int, default=9, help="timed runs of each measurement (default 9)")
    parser.add_argument("--seed", type=int, default=20261202, help="random seed of the generated data")
    parser.add_argument(
        "--instruments",
        default="skm-permenpanrb-14-2017,ipkp-seed",
        help="seeded instrument codes, one survey of --cases responses each (comma-separated)",
    )
    parser.add_argument("--excluded", type=float, default=0.02, help="share of responses set aside (default 0.02)")


# ---------------------------------------------------------------------------------------------------------
# Data


def make_officer(unit: Unit):
    """The unit's survey officer: reads and manages the unit's surveys (selectors.may_manage)."""
    officer = get_user_model().objects.create_user("petugas_survei_bench", password=None)
    officer.groups.add(Group.objects.get_or_create(name=policy.PETUGAS_SURVEI)[0])
    EmployeeProfile.objects.create(user=officer, unit=unit, position="Petugas survei")
    return officer


def make_survey(unit: Unit, officer, instrument_code: str, status: str, today: dt.date) -> Survey:
    """A survey of `unit` on the seeded instrument's current version and default rule, with three services."""
    instrument = Instrument.objects.get(code=instrument_code)
    survey = Survey.objects.create(
        unit=unit,
        title=f"{instrument.name} {today.year} (benchmark)",
        instrument_version=instrument.current_version(),
        rule=instrument.default_rule,
        period_start=today - dt.timedelta(days=90),
        period_end=today,
        status=status,
        created_by=officer,
    )
    for order, (name, population) in enumerate(
        [("Perizinan berusaha", 60_000), ("Legalisasi dokumen", 30_000), ("Pengaduan layanan", None)]
    ):
        SurveyService.objects.create(survey=survey, name=name, population=population, order=order)
    return survey


def _copy(cur, model, columns: list[str], rows: list) -> None:
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with cur.copy(f"COPY {connection.ops.quote_name(model._meta.db_table)} ({names}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def _reserve_ids(model, n: int) -> int:
    """The first of `n` consecutive ids of `model`'s table, taken from its sequence."""
    with connection.cursor() as cur:
        cur.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [model._meta.db_table])
        first = cur.fetchone()[0]
        cur.execute("SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [model._meta.db_table, first + n - 1])
    return first


def generate(survey: Survey, n: int, rnd: random.Random, excluded_share: float) -> dict:
    """`n` responses to `survey`, each answering every item; returns what was written."""
    items = list(survey.instrument_version.items())
    scale = survey.instrument_version.scale
    services = list(survey.services.values_list("pk", flat=True))
    # Each item its own leaning towards the good end of the scale, so the items' means differ.
    weights = {item.pk: [rnd.uniform(0.2, 1.0) * (v**1.5) for v in range(1, scale + 1)] for item in items}
    values = list(range(1, scale + 1))
    comment = crypto.encrypt_text("Antrean panjang, tetapi petugas ramah dan jelas menerangkan syaratnya.")
    days = (survey.period_end - survey.period_start).days
    bands = [code for code, _label in AGE_BANDS]
    first_id = _reserve_ids(Response, n)
    written = {"responses": 0, "answers": 0, "excluded": 0}
    for start in range(0, n, CHUNK):
        responses, answers = [], []
        for pk in range(first_id + start, first_id + min(start + CHUNK, n)):
            received = survey.period_start + dt.timedelta(days=rnd.randint(0, days))
            excluded = rnd.random() < excluded_share
            responses.append(
                (
                    pk,
                    survey.pk,
                    rnd.choice(services),
                    received,
                    received.replace(day=1) if rnd.random() < 0.6 else None,
                    rnd.choice(bands) if rnd.random() < 0.8 else "",
                    rnd.choice(Sex.values) if rnd.random() < 0.8 else "",
                    rnd.choice(Education.values) if rnd.random() < 0.7 else "",
                    rnd.choice(Occupation.values) if rnd.random() < 0.7 else "",
                    comment if rnd.random() < 0.1 else "",
                    rnd.choice((None, False, False, False, True)),
                    f"{rnd.getrandbits(24):06x}",
                    excluded,
                    "Banjir jawaban dari satu perangkat" if excluded else "",
                )
            )
            written["excluded"] += excluded
            for item in items:
                answers.append((survey.pk, pk, item.pk, rnd.choices(values, weights[item.pk])[0]))
        with transaction.atomic():
            connection.ensure_connection()
            with connection.connection.cursor() as cur:
                _copy(cur, Response, RESPONSE_COLUMNS, responses)
                _copy(cur, Answer, ANSWER_COLUMNS, answers)
        written["responses"] += len(responses)
        written["answers"] += len(answers)
    return written


# ---------------------------------------------------------------------------------------------------------
# The baseline and the comparison

RAW = """
SELECT NULL AS item_id, count(*) AS answers, NULL AS total
FROM {response} WHERE survey_id = %(survey)s AND NOT excluded
UNION ALL
SELECT a.item_id, count(*), sum(a.value)
FROM {answer} a JOIN {response} r ON r.id = a.response_id
WHERE a.survey_id = %(survey)s AND NOT r.excluded
GROUP BY a.item_id
"""


def raw_sql() -> str:
    return RAW.format(
        response=connection.ops.quote_name(Response._meta.db_table),
        answer=connection.ops.quote_name(Answer._meta.db_table),
    )


def raw_figures(survey: Survey) -> dict:
    """{"respondents": n, "items": {item id: (answers, sum of values as answered)}} by the hand-written SQL."""
    with connection.cursor() as cur:
        cur.execute(raw_sql(), {"survey": survey.pk})
        rows = cur.fetchall()
    found = {"respondents": 0, "items": {}}
    for item_id, answers, total in rows:
        if item_id is None:
            found["respondents"] = answers
        else:
            found["items"][item_id] = (answers, int(total))
    return found


def selector_figures(survey: Survey, result: scoring.Result) -> dict:
    """The same figures from the selector's result: its Score per item is in the instrument's item order."""
    spec = scoring.InstrumentSpec.of(survey.instrument_version)
    item_ids = [item.id for variable in spec.variables for item in variable.items]
    return {
        "respondents": result.respondents,
        "items": {
            item_id: (score.answered, sum(value * n for value, n in score.distribution.items()))
            for item_id, score in zip(item_ids, result.items, strict=True)
        },
    }


def check_equal(survey: Survey, result: scoring.Result, raw: dict) -> None:
    """The selector's respondents, answers and sums per item, and each item's mean, equal the raw query's."""
    found = selector_figures(survey, result)
    if found != raw:
        raise SystemExit(f"bench: survey {survey.pk}: the selector's figures {found} differ from the raw SQL's {raw}")
    scale = survey.instrument_version.scale
    negative = {item.pk: item.negative for item in survey.instrument_version.items()}
    spec = scoring.InstrumentSpec.of(survey.instrument_version)
    item_ids = [item.id for variable in spec.variables for item in variable.items]
    for item_id, score in zip(item_ids, result.items, strict=True):
        answers, total = raw["items"][item_id]
        mean = Decimal(total) / Decimal(answers)
        if negative[item_id]:
            mean = scale + 1 - mean
        if scoring.rounded(mean) != score.mean:
            raise SystemExit(f"bench: item {item_id}: mean {score.mean} vs {scoring.rounded(mean)} from the raw SQL")


# ---------------------------------------------------------------------------------------------------------
# Measuring


def heap(n_bytes: int) -> str:
    return mib(n_bytes) if n_bytes >= 2**20 else f"{n_bytes / 1024:.0f} KiB"


def page_url(survey: Survey) -> str | None:
    """The results page's address, or None when this tree's URLconf has no `survei:results` yet."""
    try:
        return reverse("survei:results", args=[survey.uuid])
    except NoReverseMatch:
        return None


def page_fetcher(survey: Survey, officer):
    url = page_url(survey)
    if url is None:
        return None, None
    browser = Client(SERVER_NAME="localhost")  # a host ALLOWED_HOSTS has
    browser.force_login(officer)

    def page():
        response = browser.get(url)
        if response.status_code != 200:
            raise SystemExit(f"bench: the results page {url} answered HTTP {response.status_code}")
        return response

    return url, page


def shows_number(html: str, n: int) -> bool:
    """The page shows `n`, written plainly or with a thousands separator (1,234 / 1.234 / 1 234)."""
    text = re.sub(r"<[^>]+>", " ", html)
    grouped = f"{n:,}"
    variants = {str(n), grouped, *(grouped.replace(",", sep) for sep in (".", "\u00a0", "\u202f", " "))}
    return any(re.search(rf"(?<![\d.,]){re.escape(v)}(?![\d]|[.,]\d)", text) for v in variants)


def explain_lines(survey: Survey) -> list[str]:
    """How the selector's item count and the baseline read the tables (EXPLAIN ANALYZE, summarised)."""
    statements = [sql for sql in capture_sql(lambda: selectors.item_counts(survey)) if "GROUP BY" in sql]
    with connection.cursor() as cur:
        raw = cur.mogrify(raw_sql(), {"survey": survey.pk})
    lines = []
    for label, sql in (("selector's item count", statements[0] if statements else None), ("baseline", raw)):
        if sql is None:
            continue
        plan = explain(sql)
        summary = plan_summary(plan)
        scans = "; ".join(
            f"{node['type']}{' ' + node['index'] if node['index'] else ''} on {node['table'] or '—'}: "
            f"{node['read']:,} read, {node['kept']:,} kept"
            for node in summary["nodes"]
        )
        lines.append(f"- {label}: {summary['execution_ms']:.1f} ms in the server; {scans}")
    return lines


def profile(fn, top: int = 5) -> tuple[float, list[tuple[float, str]]]:
    """One run's statements: their total time and the `top` slowest, (seconds, SQL shortened)."""
    with CaptureQueriesContext(connection) as captured:
        fn()
    timed = sorted(((float(q["time"]), q["sql"]) for q in captured.captured_queries), reverse=True)
    shorten = [(t, re.sub(r"\s+", " ", sql)[:160] + ("…" if len(sql) > 160 else "")) for t, sql in timed[:top]]
    return sum(t for t, _sql in timed), shorten


def run(args, db_url: str) -> str:
    started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    rnd = random.Random(args.seed)
    today = dt.date.today()
    unit = Unit.objects.create(code="BENCH", name="Unit layanan (benchmark)")
    officer = make_officer(unit)
    codes = [code.strip() for code in args.instruments.split(",") if code.strip()]
    surveys, written = [], {}
    fast_loading()
    for code in codes:
        survey = make_survey(unit, officer, code, SurveyStatus.CLOSED, today)
        note(f"generating {args.cases:,} responses to {code}")
        written[survey.pk] = generate(survey, args.cases, rnd, args.excluded)
        surveys.append(survey)
    analyse()
    generated = time.perf_counter() - started
    note(f"generated in {generated:.0f} s")

    sections = []
    for survey in surveys:
        raw = raw_figures(survey)
        computed = selectors.result(survey)
        check_equal(survey, computed, raw)
        expected_respondents = written[survey.pk]["responses"] - written[survey.pk]["excluded"]
        if raw["respondents"] != expected_respondents:
            raise SystemExit(f"bench: {raw['respondents']} counted respondents, {expected_respondents} generated")
        results = {SELECTOR: measure(lambda s=survey: selectors.result(s), args.repeat)}
        url, page = page_fetcher(survey, officer)
        page_note = ""
        if page is not None:
            shown = shows_number(page().content.decode(), raw["respondents"])
            page_note = (
                f"The page shows the {raw['respondents']:,} counted respondents."
                if shown
                else f"**The page does not show the number of counted respondents ({raw['respondents']:,}).**"
            )
            results[PAGE] = measure(page, args.repeat)
            results[PAGE]["profile"] = profile(page)
        results[BASELINE] = measure(lambda s=survey: raw_figures(s), args.repeat)
        sections.append((survey, computed, results, url, page_note, explain_lines(survey)))

    server = server_info()
    wall = time.perf_counter() - started
    return render(args, sections, written, server, generated, wall)


def render(args, sections, written, server, generated, wall) -> str:
    command = ".venv/bin/python -m benchmarks " + " ".join(sys.argv[1:])
    total_responses = sum(w["responses"] for w in written.values())
    total_answers = sum(w["answers"] for w in written.values())
    lines = [
        f"# Survei results — {dt.date.today().isoformat()}",
        "",
        f"Command: `{command}` (seed {args.seed}, {args.repeat} timed runs each after 2 warm-ups). Commit "
        f"{git_commit()}. Whole run {wall:.0f} s, of which generating {generated:.0f} s.",
        "",
        f"PostgreSQL {server['server_version']} (shared_buffers {server['shared_buffers']}, work_mem "
        f"{server['work_mem']}, jit {server['jit']}, max_parallel_workers_per_gather "
        f"{server['max_parallel_workers_per_gather']}), database {server['database_size']}. Data: "
        f"{len(sections)} surveys of one unit, {total_responses:,} responses and {total_answers:,} answers in all "
        f"(each response answers every item; {args.excluded:.0%} set aside by the officer). The selector's "
        "respondents, answers and sum of values per item and each item's mean equal the raw SQL's (checked).",
        "",
    ]
    for survey, computed, results, url, page_note, plans in sections:
        version = survey.instrument_version
        items = len(computed.items)
        headline = (
            f"IKM {computed.index} ({computed.grade})" if computed.index is not None else f"value {computed.value}"
        )
        lines += [
            f"## {version.instrument.name} — {items} items on 1–{version.scale}",
            "",
            f"{written[survey.pk]['responses']:,} responses ({computed.respondents:,} counted), "
            f"{written[survey.pk]['answers']:,} answers; result {headline}, rule `{survey.rule.code}` "
            f"v{survey.rule.version}.",
            "",
            "| what | median | p95 | ratio to the baseline (median) | SQL statements per run | "
            "Python heap peak (tracemalloc) |",
            "|---|---|---|---|---|---|",
        ]
        base = results[BASELINE]["median"]
        for name, result in results.items():
            lines.append(
                f"| {name} | {ms(result['median'])} | {ms(result['p95'])} | {result['median'] / base:.2f}× | "
                f"{result['queries']:.0f} | {heap(result['peak'])} |"
            )
        lines.append("")
        if url is None:
            lines += ["The results page is not in this tree's URLconf (`survei:results`): not measured.", ""]
        elif page_note:
            lines += [page_note, ""]
        if PAGE in results:
            total, slowest = results[PAGE]["profile"]
            page_median = results[PAGE]["median"]
            lines += [
                f"One page run's SQL took {ms(total)} of the page's {ms(page_median)} median "
                f"({total / page_median:.0%}); the slowest statements:",
                "",
                "| time | statement |",
                "|---|---|",
                *(f"| {ms(t)} | `{sql.replace('|', '¦')}` |" for t, sql in slowest),
                "",
            ]
        lines += ["Plans (EXPLAIN ANALYZE):", "", *plans, ""]
    return "\n".join(lines)
