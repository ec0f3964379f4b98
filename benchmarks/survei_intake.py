"""Survei intake benchmark on PostgreSQL: survey responses per second through gunicorn, against a bare insert view
in the same run (issue 13).

    .venv/bin/python -m benchmarks survei-intake --start-postgres          # 1,000 responses, 20 at a time

One gunicorn (the project's settings, `--workers 2` by default, a free loopback port, Redis as the cache — the
pengaduan benchmark's servers, benchmarks/pengaduan.py) serves both the public survey form
(`survei_publik:respond`, /survei/<token>/) and a bare Django view (benchmarks/bare/views.py, /bench-bare/survei/
<token>/) that writes the same rows (one Response, one Answer per item) straight from the POSTed values. Two OPEN
surveys on the seeded SKM instrument (9 items), one per view, so each view's rows are counted on their own.

Each simulated respondent does what a browser does, with a new client (fresh cookies): GET the form (CSRF cookie
and token, the one-time `submission` token), POST it, follow the redirect. The fields are read from the form's
HTML: hidden ones as served, a random option of every select and radio group (the service, each `item_<pk>`,
the optional bands, `pressured`), a comment a third of the time, every other input as served (the honeypot
`homepage` stays empty). --cases respondents per view (default 1,000) from a pool of --clients threads (20).

Reported: responses/s, latency p50/p95 (round trip and each request), errors (must be 0: the run fails
otherwise), the rows created (must equal the accepted responses), the gunicorn workers' CPU per response, and the
ratio to the bare view. SIGAP_SURVEY_RESPONSES_PER_HOUR (and the intake forms' limit) is raised for gunicorn:
every request comes from 127.0.0.1, one client pseudonym.

When this tree's URLconf has no `survei_publik:respond`, only the bare view is measured and the report says so;
when it has one but the form page does not answer 200, the run stops with what the page answered.
"""

import argparse
import datetime as dt
import os
import random
import secrets
import statistics
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import NoReverseMatch, reverse

from benchmarks.measure import QueryCounter, git_commit, ms, note, percentile, server_info
from benchmarks.pengaduan import _SSL, FormParser, gunicorn, page_errors, redis_server
from benchmarks.survei_results import make_officer, make_survey
from cases.models import Unit
from survei.models import Answer, Response, Survey, SurveyStatus

TINY = {"cases": 20, "clients": 4, "warmup": 2, "serial": 2}
DEFAULT_CASES = 1000  # --cases: responses per view
INSTRUMENT = "skm-permenpanrb-14-2017"
RESPONSES_PER_HOUR = 10**9  # the limit for the run: every request comes from one address
HONEYPOT = "homepage"
BARE_PATH = "/bench-bare/survei/"
COMMENT = "Pelayanan cepat, tetapi papan informasi persyaratan perlu diperbarui. ({})"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--clients", type=int, default=20, help="concurrent respondents (threads; default 20)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--warmup", type=int, default=10, help="untimed responses per view first (default 10)")
    parser.add_argument("--seed", type=int, default=20261202, help="random seed of the answers")
    parser.add_argument("--serial", type=int, default=20, help="round trips timed in-process per view (default 20)")


# ---------------------------------------------------------------------------------------------------------
# The simulated respondent


def respondent_form(page: str) -> dict:
    """The survey form of a page: the POST form carrying the one-time `submission` token, else the POST form
    with the most fields (the page may also have the language switch, another POST form)."""
    parser = FormParser()
    parser.feed(page)
    posts = [f for f in parser.forms if f["method"] == "post"]
    for form in posts:
        if any(f["name"] == "submission" for f in form["fields"]):
            return form
    if not posts:
        raise ValueError("no POST form on the page")
    return max(posts, key=lambda f: len(f["fields"]))


def fill(form: dict, rnd: random.Random) -> dict[str, str]:
    """The POST body a respondent's browser sends: hidden fields as served; a random real option of every
    select and radio group (the service, every item, the optional bands, `pressured`); a comment a third of the
    time; every other field as served (the honeypot stays empty, optional text fields stay empty); checkboxes as
    served."""
    data: dict[str, str] = {}
    radios: dict[str, list[str]] = {}
    for f in form["fields"]:
        name = f["name"]
        if f["tag"] == "select":
            options = [o for o in f["options"] if o]
            data[name] = rnd.choice(options) if options else (f["selected"] or "")
        elif f["tag"] == "textarea":
            data[name] = (
                COMMENT.format(secrets.token_hex(4)) if name == "comment" and rnd.random() < 1 / 3 else f["value"]
            )
        elif f["type"] == "radio":
            radios.setdefault(name, []).append(f["value"])
        elif f["type"] == "checkbox":
            if f["checked"]:
                data[name] = f["value"] or "on"
        elif f["type"] in ("submit", "button", "reset", "image", "file"):
            continue
        elif name == HONEYPOT:
            data[name] = ""
        else:
            data[name] = f["value"]
    for name, values in radios.items():
        real = [v for v in values if v]
        data[name] = rnd.choice(real or values)
    return data


@dataclass
class Outcome:
    ok: bool
    error: str = ""
    steps: dict[str, float] = field(default_factory=dict)  # seconds per request
    total: float = 0.0


def respond(base_url: str, path: str, rnd: random.Random) -> Outcome:
    """One respondent: GET the form, POST it, follow the redirect. A new client: a new visitor."""
    steps: dict[str, float] = {}
    started = time.perf_counter()
    try:
        with httpx.Client(base_url=base_url, timeout=60, verify=_SSL) as client:
            t = time.perf_counter()
            page = client.get(path)
            steps["GET form"] = time.perf_counter() - t
            if page.status_code != 200:
                return Outcome(False, f"GET form answered HTTP {page.status_code}", steps)
            data = fill(respondent_form(page.text), rnd)
            t = time.perf_counter()
            sent = client.post(path, data=data, headers={"Referer": base_url + path})
            steps["POST"] = time.perf_counter() - t
            if sent.status_code not in (302, 303):
                reason = page_errors(sent.text) if sent.status_code == 200 else sent.text[:200]
                return Outcome(False, f"POST answered HTTP {sent.status_code}: {reason}", steps)
            t = time.perf_counter()
            done = client.get(sent.headers["location"])
            steps["GET after"] = time.perf_counter() - t
            if done.status_code != 200:
                return Outcome(False, f"the page after the POST answered HTTP {done.status_code}", steps)
    except (httpx.HTTPError, ValueError) as exc:
        return Outcome(False, f"{type(exc).__name__}: {exc}", steps)
    return Outcome(True, "", steps, time.perf_counter() - started)


@dataclass
class Batch:
    target: str
    outcomes: list[Outcome]
    wall: float
    worker_cpu: float | None

    @property
    def ok(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def rate(self) -> float:
        return len(self.ok) / self.wall if self.wall else 0.0

    def latency(self, pct: float, step: str | None = None) -> float:
        values = [o.steps[step] if step else o.total for o in self.ok if step is None or step in o.steps]
        return percentile(values, pct) if values else float("nan")

    @property
    def errors(self) -> dict[str, int]:
        found: dict[str, int] = {}
        for o in self.outcomes:
            if not o.ok:
                found[o.error] = found.get(o.error, 0) + 1
        return found


def drive(server, target: str, path: str, n: int, clients: int, seed: int) -> Batch:
    """`n` respondents, `clients` at a time; each thread its own random answers."""
    local = threading.local()

    def one(i: int) -> Outcome:
        if not hasattr(local, "rnd"):
            local.rnd = random.Random(f"{seed}-{target}-{threading.get_ident()}")
        return respond(server.base_url, path, local.rnd)

    cpu_before = server.worker_cpu_seconds()
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        outcomes = list(pool.map(one, range(n)))
    wall = time.perf_counter() - started
    cpu_after = server.worker_cpu_seconds()
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    batch = Batch(target, outcomes, wall, cpu)
    note(f"{target}: {len(batch.ok)}/{n} accepted in {wall:.1f} s ({batch.rate:.1f}/s)")
    return batch


# ---------------------------------------------------------------------------------------------------------
# In this process: where a response's time goes


def in_process(path: str, label: str, serial: int, seed: int, urlconf: str | None = None) -> dict[str, dict]:
    """The three requests of a response through Django's test client in this process (the whole middleware
    stack; no gunicorn, network or Redis: the local-memory cache), serially: wall and CPU time of each, and its SQL
    statements. The first round trip (imports, templates) is not counted."""
    from django.test import Client, override_settings

    rnd = random.Random(f"{seed}-in-process-{label}")
    steps: dict[str, dict] = {}

    def step(name, fn, *fn_args, **fn_kwargs):
        counter = QueryCounter()
        wall, cpu = time.perf_counter(), time.thread_time()
        with connection.execute_wrapper(counter):
            response = fn(*fn_args, **fn_kwargs)
        entry = steps.setdefault(name, {"wall": [], "cpu": [], "statements": []})
        entry["wall"].append(time.perf_counter() - wall)
        entry["cpu"].append(time.thread_time() - cpu)
        entry["statements"].append(counter.count)
        return response

    with override_settings(
        SIGAP_SURVEY_RESPONSES_PER_HOUR=RESPONSES_PER_HOUR, ROOT_URLCONF=urlconf or settings.ROOT_URLCONF
    ):
        for i in range(serial + 1):
            browser = Client(enforce_csrf_checks=True, SERVER_NAME="localhost")  # a host ALLOWED_HOSTS has
            page = step("GET form", browser.get, path)
            if page.status_code != 200:
                raise SystemExit(f"bench: in-process, the {label} answered HTTP {page.status_code}")
            sent = step("POST", browser.post, path, fill(respondent_form(page.content.decode()), rnd))
            if sent.status_code not in (302, 303):
                raise SystemExit(
                    f"bench: in-process, the {label} refused a response: {page_errors(sent.content.decode())}"
                )
            done = step("GET after", browser.get, sent["Location"])
            if done.status_code != 200:
                raise SystemExit(f"bench: in-process, the page after the {label}'s POST answered {done.status_code}")
            if i == 0:
                steps.clear()
    return steps


# ---------------------------------------------------------------------------------------------------------
# The run


def respond_path(survey: Survey) -> str | None:
    """The public form's address for `survey`, or None when this tree's URLconf has no survei_publik:respond."""
    for how in ({"args": [survey.token]}, {"kwargs": {"token": survey.token}}):
        try:
            return reverse("survei_publik:respond", **how)
        except NoReverseMatch:
            continue
    return None


def preflight(server, target: str, path: str) -> None:
    """Stop with a clear message when a form page does not answer (before 1,000 respondents each report it)."""
    page = httpx.get(server.base_url + path, timeout=30)
    if page.status_code != 200:
        raise SystemExit(
            f"bench: the {target} at {path} answered HTTP {page.status_code}; is the survey OPEN and the view "
            f"merged? gunicorn's log:\n{server.log.read_text()[-2000:]}"
        )
    try:
        form = respondent_form(page.text)
    except ValueError:
        raise SystemExit(f"bench: the {target} at {path} has no POST form") from None
    if not any(f["name"].startswith("item_") for f in form["fields"]):
        raise SystemExit(f"bench: the {target} at {path} has no item_<pk> field")


def rows_of(survey: Survey) -> tuple[int, int]:
    return Response.objects.filter(survey=survey).count(), Answer.objects.filter(response__survey=survey).count()


def run(args, db_url: str) -> str:
    wall_started = time.perf_counter()
    call_command("migrate", verbosity=0, interactive=False)
    today = dt.date.today()
    unit = Unit.objects.create(code="BENCH", name="Unit layanan (benchmark)")
    officer = make_officer(unit)
    real_survey = make_survey(unit, officer, INSTRUMENT, SurveyStatus.OPEN, today)
    bare_survey = make_survey(unit, officer, INSTRUMENT, SurveyStatus.OPEN, today)
    n_items = real_survey.instrument_version.items().count()
    real_path = respond_path(real_survey)
    bare_path = f"{BARE_PATH}{bare_survey.token}/"  # benchmarks.bare.urls: gunicorn's URLconf, not this process's
    targets = [("bare view", bare_path, bare_survey)]
    if real_path is None:
        note("survei_publik:respond is not in this tree's URLconf: measuring the bare view only")
    else:
        targets.insert(0, ("public form", real_path, real_survey))
    # gunicorn takes its environment from this process's (benchmarks.pengaduan.gunicorn).
    os.environ["SIGAP_SURVEY_RESPONSES_PER_HOUR"] = str(RESPONSES_PER_HOUR)
    batches: list[Batch] = []
    accepted = {name: 0 for name, _path, _survey in targets}
    with redis_server() as redis_url, gunicorn(db_url, redis_url, args.workers) as server:
        for name, path, _survey in targets:
            preflight(server, name, path)
            warm = drive(server, f"{name} (warm-up)", path, args.warmup, min(2, args.clients), args.seed)
            if warm.errors:
                raise SystemExit(f"bench: the {name} refused warm-up responses: {warm.errors}")
            accepted[name] += len(warm.ok)
        for name, path, _survey in targets:
            batch = drive(server, name, path, args.cases, args.clients, args.seed)
            batches.append(batch)
            accepted[name] += len(batch.ok)
        gunicorn_log = server.log.read_text()
    rows = {name: rows_of(survey) for name, _path, survey in targets}  # before the in-process ones below
    problems = [f"{b.target}: {b.errors}" for b in batches if b.errors]
    for name, (responses, answers) in rows.items():
        if (responses, answers) != (accepted[name], accepted[name] * n_items):
            problems.append(
                f"{name}: {responses} responses and {answers} answers written for {accepted[name]} accepted "
                f"({accepted[name] * n_items} answers expected)"
            )
    if "Traceback" in gunicorn_log:
        problems.append("gunicorn's log has a traceback:\n" + gunicorn_log[-3000:])
    if problems:
        raise SystemExit("bench: " + "\n".join(problems))
    note("timing the requests in-process")
    parts = {
        name: in_process(path, name, args.serial, args.seed, None if name == "public form" else "benchmarks.bare.urls")
        for name, path, _survey in targets
    }
    wall = time.perf_counter() - wall_started
    return render(args, batches, rows, accepted, n_items, real_path, parts, server_info(), wall)


def render(args, batches, rows, accepted, n_items, real_path, parts, server, wall) -> str:
    lines = []
    add = lines.append
    command = ".venv/bin/python -m benchmarks " + " ".join(sys.argv[1:])
    add(f"# Survei responses through gunicorn — {dt.date.today().isoformat()}")
    add("")
    add(f"Command: `{command}`. Commit {git_commit()}. Whole run {wall:.0f} s.")
    add("")
    add(
        f"Machine: {os.cpu_count()} CPUs shared by PostgreSQL, Redis, gunicorn and the load generator (one Python "
        f"process, {args.clients} threads); Python {sys.version.split()[0]}, PostgreSQL {server['server_version']} "
        f"(shared_buffers {server['shared_buffers']}, fsync {server['fsync']}, synchronous_commit "
        f"{server['synchronous_commit']}), Redis as the cache. Compare the public form with the bare view of the "
        "same run, not with another run's figures."
    )
    add("")
    add(
        f"Server: gunicorn {args.workers} sync workers, `config.wsgi`, the project's settings with "
        "`ROOT_URLCONF = benchmarks.bare.urls` (the production URLconf plus the bare views), DEBUG off. "
        f"**SIGAP_SURVEY_RESPONSES_PER_HOUR = {RESPONSES_PER_HOUR:,} for the run** (every request comes from "
        "127.0.0.1, one client pseudonym)."
    )
    add("")
    add(
        f"Each respondent is a new visitor: GET the form, POST it ({n_items} items of the seeded SKM, a random "
        "service and random optional fields, a comment a third of the time, the honeypot empty), follow the "
        "redirect. The bare view (`/bench-bare/survei/<token>/`, benchmarks/bare/views.py) does the same round "
        "trip and writes the same rows (one Response, one Answer per item; the comment encrypted by its field) "
        "straight from the POST: no form class, validation, rate limit, flood tag, token check or template. "
        f"{args.cases:,} respondents per view, {args.clients} at a time, after {args.warmup} untimed ones."
    )
    add("")
    add(
        "| view | accepted | errors | responses/s | round trip p50 / p95 | GET form p50 | POST p50 / p95 | "
        "GET after p50 | workers' CPU / response |"
    )
    add("|---|---|---|---|---|---|---|---|---|")
    for b in batches:
        cpu = ms(b.worker_cpu / len(b.outcomes)) if b.worker_cpu is not None else "—"
        add(
            f"| {b.target} | {len(b.ok):,} / {len(b.outcomes):,} | {len(b.outcomes) - len(b.ok)} | {b.rate:.1f} | "
            f"{ms(b.latency(50))} / {ms(b.latency(95))} | {ms(b.latency(50, 'GET form'))} | "
            f"{ms(b.latency(50, 'POST'))} / {ms(b.latency(95, 'POST'))} | {ms(b.latency(50, 'GET after'))} | {cpu} |"
        )
    add("")
    by_name = {b.target: b for b in batches}
    if "public form" in by_name:
        real, bare = by_name["public form"], by_name["bare view"]
        cpu_ratio = (
            f"; workers' CPU per response {real.worker_cpu / bare.worker_cpu:.1f}×"
            if real.worker_cpu and bare.worker_cpu
            else ""
        )
        post_ratio = statistics.median(o.steps["POST"] for o in real.ok) / statistics.median(
            o.steps["POST"] for o in bare.ok
        )
        add(
            f"Ratio: the bare view serves {bare.rate / real.rate:.1f}× as many responses per second as the public form"
            f" (public form {real.rate:.1f}/s, bare {bare.rate:.1f}/s); median POST {post_ratio:.1f}×{cpu_ratio}."
        )
    else:
        add(
            "**The public form (`survei_publik:respond`) is not in this tree's URLconf: only the bare view was "
            "measured.** Run again on a tree that has it."
        )
    add("")
    written = "; ".join(
        f"{name}: {responses:,} responses and {answers:,} answers for {accepted[name]:,} accepted"
        for name, (responses, answers) in rows.items()
    )
    add(f"Rows written over HTTP (warm-up included; checked equal): {written}. No traceback in gunicorn's log.")
    add("")
    add(
        f"Where a response's time goes: its three requests through Django's test client in this process, serially "
        f"({args.serial} round trips after one untimed; the whole middleware stack, no gunicorn, network or Redis), "
        "median:"
    )
    add("")
    add("| view | request | wall | CPU | SQL statements |")
    add("|---|---|---|---|---|")
    for name, steps in parts.items():
        for step, entry in steps.items():
            add(
                f"| {name} | {step} | {ms(statistics.median(entry['wall']))} | {ms(statistics.median(entry['cpu']))} | "
                f"{statistics.median(entry['statements']):g} |"
            )
    if real_path:
        add("")
        add(f"The public form measured: `{real_path}` (the survey's token).")
    add("")
    return "\n".join(lines)
