"""Submissions under load (issue 14): the three ways a report comes in — an employee's gratifikasi report, the
public WBS form, the public complaint form — through gunicorn on loopback under Locust at 10, 50 and 100
concurrent users, each against a bare Django view that writes the same rows, in the same run with the same Locust
settings.

    .venv/bin/python -m benchmarks submissions --start-postgres          # 10,50,100 users, 30 s each
    .venv/bin/python -m benchmarks submissions --tiny --start-postgres   # what the suite runs (2 users, 4 s)

The servers are the pengaduan benchmark's (benchmarks/pengaduan.py: a throwaway Redis as the cache, gunicorn with
`ROOT_URLCONF = benchmarks.bare.urls`, the production URLconf plus the bare views of benchmarks/bare/), with the
Dockerfile's 3 sync workers by default. Locust runs headless in a subprocess per path, view and number of users
(benchmarks/locustfile_submissions.py): `locust -f ... --headless -u N -r N --run-time T --csv ...`. Every Locust
user loops without pauses over GET form → POST → GET the confirming page; a public form's user is a new visitor
each time, a gratifikasi user signs in once with an employee account of its own (`--cases` accounts are created).

Reported per path, view and number of users: requests and submissions per second over the measured window (from
the moment every user is ready, i.e. signed in, for --run-time seconds), p50/p95 of the submitting POST, errors;
the ratio of the bare view's figures to the real one's; the gunicorn workers' CPU per submission. The run fails on
any error (a request that failed, a POST that did not redirect where the real page does, a confirming page that
does not show what it must), on a traceback in gunicorn's log, or when the rows written differ from the
successful submissions.

The public forms' hourly limit (SIGAP_INTAKE_SUBMISSIONS_PER_HOUR) is raised for gunicorn only, through its
environment (benchmarks.pengaduan.gunicorn): every request comes from 127.0.0.1, one client pseudonym. Nothing in
the measured code path is changed.
"""

import argparse
import datetime as dt
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse

from benchmarks.measure import git_commit, ms, note, percentile, server_info
from benchmarks.pengaduan import REAL_RECEIPT, SUBMISSIONS_PER_HOUR, gunicorn, redis_server, seed
from benchmarks.postgres import ROOT
from cases import policy
from cases.models import Case, EmployeeProfile, TrackingCredential, Unit
from gratifikasi.models import GratifikasiObject, GratifikasiReport
from pengaduan.models import Complaint
from wbs.models import WbsReport

TINY = {"cases": 2, "users": "2", "run_time": 4, "paths": "gratifikasi,wbs,pengaduan"}
DEFAULT_CASES = 100  # --cases: employee accounts for the gratifikasi users (at least the largest --users)
PATHS = ("gratifikasi", "wbs", "pengaduan")
LOCUSTFILE = Path(__file__).resolve().parent / "locustfile_submissions.py"
PASSWORD = "beban-uji-2026-sandi"
# The Dockerfile's and docker-compose.yml's `gunicorn --workers 3` (sync workers).
PRODUCTION_WORKERS = 3


@dataclass(frozen=True)
class Target:
    path: str  # gratifikasi, wbs, pengaduan
    view: str  # "real" or "bare"
    form: str  # the form's URL path
    location: str  # what the POST's redirect must match
    page: tuple[str, ...]  # what the confirming page must show


def targets(paths: list[str]) -> list[Target]:
    found = {
        "gratifikasi": (
            Target(
                "gratifikasi",
                "real",
                reverse("gratifikasi:create"),
                r"^/kasus/",
                (r"diajukan ke UPG", r"[A-Z]+-\d{4}-\d{6}"),
            ),
            Target(
                "gratifikasi", "bare", "/bench-bare/gratifikasi/", r"^/bench-bare/gratifikasi/\d+/$", (r"BARE-\d{9}",)
            ),
        ),
        "wbs": (
            Target("wbs", "real", reverse("wbs:report"), r"/terima/", (r"\b\d{4} \d{4} \d{4} \d{4}\b",)),
            Target("wbs", "bare", "/bench-bare/wbs/", r"^/bench-bare/terima/\d+/$", (r"BARE-\d{9}",)),
        ),
        "pengaduan": (
            Target(
                "pengaduan",
                "real",
                reverse("pengaduan_publik:report"),
                r"/terima/",
                tuple(p.pattern for p in REAL_RECEIPT),
            ),
            Target("pengaduan", "bare", "/bench-bare/", r"^/bench-bare/terima/\d+/$", (r"BARE-\d{9}",)),
        ),
    }
    return [t for p in paths for t in found[p]]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--users", default="10,50,100", help="concurrent Locust users, comma-separated (10,50,100)")
    parser.add_argument("--run-time", type=int, default=30, help="seconds of each Locust run (default 30)")
    parser.add_argument(
        "--workers", type=int, default=PRODUCTION_WORKERS, help=f"gunicorn workers (default {PRODUCTION_WORKERS})"
    )
    parser.add_argument("--threads", type=int, default=1, help="threads per worker (default 1: sync workers)")
    parser.add_argument("--paths", default=",".join(PATHS), help="which submissions (default all three)")


# ---------------------------------------------------------------------------------------------------------
# Data


def make_employees(n: int, unit: Unit) -> list[list[str]]:
    """`n` employees (pegawai, who may report gratifikasi; no second factor required) of `unit`, each with the
    same password. The hash is Argon2id, the production hasher gunicorn checks with (this process has the tests'
    fast hasher), computed once: the sign-ins are not what is measured."""
    encoded = Argon2PasswordHasher().encode(PASSWORD, Argon2PasswordHasher().salt())
    pegawai = Group.objects.get_or_create(name=policy.PEGAWAI)[0]
    users = get_user_model().objects.bulk_create(
        [
            get_user_model()(username=f"pegawai{i:04d}", email=f"pegawai{i:04d}@example.test", password=encoded)
            for i in range(n)
        ]
    )
    pegawai.user_set.add(*users)
    EmployeeProfile.objects.bulk_create([EmployeeProfile(user=u, unit=unit) for u in users])
    return [[u.username, PASSWORD] for u in users]


def rows(target: Target) -> dict[str, int]:
    """The rows of `target`'s kind and view (the bare view's references start with BARE-)."""
    bare = target.view == "bare"
    cases = (
        Case.objects.filter(kind=target.path, reference__startswith="BARE-")
        if bare
        else Case.objects.filter(kind=target.path).exclude(reference__startswith="BARE-")
    )
    ids = cases.values("pk")
    found = {"Case": cases.count()}
    if target.path == "gratifikasi":
        found["GratifikasiReport"] = GratifikasiReport.objects.filter(pk__in=ids).exclude(status="draft").count()
        found["GratifikasiObject"] = GratifikasiObject.objects.filter(report__in=ids).count()
    elif target.path == "wbs":
        found["WbsReport"] = WbsReport.objects.filter(pk__in=ids).count()
        found["TrackingCredential"] = TrackingCredential.objects.filter(case__in=ids).count()
    else:
        found["Complaint"] = Complaint.objects.filter(pk__in=ids).count()
        found["TrackingCredential"] = TrackingCredential.objects.filter(case__in=ids).count()
    return found


# ---------------------------------------------------------------------------------------------------------
# One Locust run


@dataclass
class Run:
    target: Target
    users: int
    window: float  # seconds measured: --run-time from the moment every user is ready
    submissions: int  # successful ones in the window
    requests: int  # requests ended in the window (every kind)
    post_p50: float
    post_p95: float
    errors: dict[str, int]
    all_ok: int  # successful submissions over the whole run (what the rows must match)
    locust_totals: dict[str, str]  # Locust's own CSV, Aggregated row
    worker_cpu: float | None

    @property
    def rate(self) -> float:
        return self.submissions / self.window if self.window > 0 else 0.0

    @property
    def request_rate(self) -> float:
        return self.requests / self.window if self.window > 0 else 0.0


def locust(server, target: Target, users: int, run_time: int, accounts: Path | None, work: Path) -> Run:
    stem = f"{target.path}-{target.view}-{users}"
    out = work / f"{stem}.json"
    env = {
        **os.environ,
        "SUBMISSIONS_FORM": target.form,
        "SUBMISSIONS_KIND": target.path,
        "SUBMISSIONS_EXPECT": json.dumps({"location": target.location, "page": list(target.page)}),
        "SUBMISSIONS_ACCOUNTS": str(accounts) if accounts else "",
        "SUBMISSIONS_OUT": str(out),
        "SUBMISSIONS_USERS": str(users),
        "SUBMISSIONS_SECONDS": str(run_time),
    }
    cmd = [
        str(Path(sys.executable).with_name("locust")),
        "-f",
        str(LOCUSTFILE),
        "--headless",
        "--host",
        server.base_url,
        "-u",
        str(users),
        "-r",
        str(users),
        "--run-time",  # a safety limit: the Locust file stops after --run-time seconds once every user is ready
        f"{run_time + 400}s",
        "--stop-timeout",
        "120",  # a user ends the report it is filing: none is cut off between its POST and the row count
        "--csv",
        str(work / stem),
        "--only-summary",
        "--loglevel",
        "WARNING",
        "--exit-code-on-error",
        "0",
    ]
    cpu_before = server.worker_cpu_seconds()
    started = time.time()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=run_time + 600)
    cpu_after = server.worker_cpu_seconds()
    if done.returncode != 0 or not out.exists():
        raise SystemExit(f"bench: locust failed ({done.returncode}):\n{done.stdout[-2000:]}\n{done.stderr[-3000:]}")
    found = json.loads(out.read_text())
    ready = found["ready"]
    users_ready = len(ready)
    errors: dict[str, int] = {}
    for _t, name, _s, error in found["requests"]:
        if error:
            key = f"{name}: {error[:160]}"
            errors[key] = errors.get(key, 0) + 1
    if users_ready < users:
        errors[f"{users - users_ready} users never became ready (sign-in)"] = users - users_ready
    window_start, window_end = found["window"] or (started, started + run_time)
    in_window = [s for s in found["submissions"] if window_start <= s[0] <= window_end]
    ok = [s for s in in_window if not s[2]]
    posts = [s[1] for s in ok]
    with open(work / f"{stem}_stats.csv") as f:
        header, *body = [line.rstrip("\n").split(",") for line in f]
    totals = dict(zip(header, next((r for r in body if "Aggregated" in r), header), strict=False))
    run = Run(
        target=target,
        users=users,
        window=window_end - window_start,
        submissions=len(ok),
        requests=sum(1 for r in found["requests"] if window_start <= r[0] <= window_end),
        post_p50=percentile(posts, 50) if posts else float("nan"),
        post_p95=percentile(posts, 95) if posts else float("nan"),
        errors=errors,
        all_ok=sum(1 for s in found["submissions"] if not s[2]),
        locust_totals=totals,
        worker_cpu=(cpu_after - cpu_before) if cpu_before is not None and cpu_after is not None else None,
    )
    note(
        f"{target.path} {target.view} {users} users: {run.submissions} submissions in {run.window:.1f} s "
        f"({run.rate:.1f}/s), POST p95 {ms(run.post_p95)}, {sum(errors.values())} errors"
    )
    return run


def warm_up(server, all_targets: list[Target], workers: int) -> None:
    """Each form page a few times per worker, so no measured request compiles a template (the gratifikasi forms
    answer a redirect to the sign-in page: that page warms up instead)."""
    with httpx.Client(base_url=server.base_url, timeout=60) as client:
        for target in all_targets:
            for _ in range(2 * workers):
                client.cookies.clear()
                client.get(target.form, follow_redirects=True)


# ---------------------------------------------------------------------------------------------------------
# The run


def run(args, db_url: str) -> str:
    wall_started = time.perf_counter()
    levels = [int(u) for u in str(args.users).split(",") if u.strip()]
    paths = [p.strip() for p in str(args.paths).split(",") if p.strip()]
    if unknown := set(paths) - set(PATHS):
        raise SystemExit(f"bench: unknown --paths {sorted(unknown)}; choose from {', '.join(PATHS)}")
    call_command("migrate", verbosity=0, interactive=False)
    service = seed()  # units and the complaint service catalogue
    employees = make_employees(max(args.cases, max(levels)), service.unit)
    all_targets = targets(paths)
    before = {t: rows(t) for t in all_targets}
    work = Path(tempfile.mkdtemp(prefix="sigap-bench-locust."))
    accounts = work / "accounts.json"
    accounts.write_text(json.dumps(employees))
    runs: list[Run] = []
    try:
        with redis_server() as redis_url, gunicorn(db_url, redis_url, args.workers, threads=args.threads) as server:
            warm_up(server, all_targets, args.workers)
            for path in paths:
                for users in levels:
                    for target in (t for t in all_targets if t.path == path):
                        runs.append(
                            locust(
                                server, target, users, args.run_time, accounts if path == "gratifikasi" else None, work
                            )
                        )
            gunicorn_log = server.log.read_text()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    problems = []
    written = {}
    for target in all_targets:
        after = rows(target)
        ok = sum(r.all_ok for r in runs if r.target == target)
        written[target] = {name: after[name] - before[target][name] for name in after}
        for name, count in written[target].items():
            if count != ok:
                problems.append(f"{target.path} {target.view}: {count} {name} rows written for {ok} submissions")
    for r in runs:
        if r.errors:
            problems.append(f"{r.target.path} {r.target.view} at {r.users} users: errors {r.errors}")
        if not r.submissions:
            problems.append(f"{r.target.path} {r.target.view} at {r.users} users: no submission in the window")
    if "Traceback" in gunicorn_log:
        problems.append(f"a traceback in gunicorn's log:\n{gunicorn_log[-3000:]}")
    report = render(args, runs, written, server_info(), time.perf_counter() - wall_started, levels)
    if problems:
        print(report, file=sys.stderr)
        raise SystemExit("bench: submissions failed its checks:\n- " + "\n- ".join(problems))
    return report


def render(args, runs: list[Run], written: dict, server: dict, wall: float, levels: list[int]) -> str:
    lines: list[str] = []
    add = lines.append
    command = ".venv/bin/python -m benchmarks " + " ".join(sys.argv[1:])
    add(f"# Submissions under load (Locust, gunicorn) — {dt.date.today().isoformat()}")
    add("")
    add(f"Command: `{command}`. Commit {git_commit()}. Whole run {wall:.0f} s.")
    add("")
    add(
        f"Machine: {os.cpu_count()} CPUs shared by PostgreSQL {server['server_version']} (shared_buffers "
        f"{server['shared_buffers']}, fsync {server['fsync']}, synchronous_commit {server['synchronous_commit']}), "
        f"Redis, gunicorn and Locust (one process); Python {sys.version.split()[0]}. Compare a row with its bare "
        "row, measured minutes apart on the same servers, not with another run's."
    )
    add("")
    kind = "sync" if args.threads == 1 else f"gthread, {args.threads} threads each"
    add(
        f"Server: gunicorn **{args.workers} {kind} workers** (the Dockerfile and docker-compose.yml run "
        f"`--workers {PRODUCTION_WORKERS}` sync; 2 × cores + 1 would be {2 * (os.cpu_count() or 1) + 1} here), "
        "`config.wsgi` with the project's settings (development mode: plain HTTP), `ROOT_URLCONF = "
        "benchmarks.bare.urls` (the production URLconf plus the bare views), Redis as the cache, DEBUG off, the "
        f"Dockerfile's access log. **SIGAP_INTAKE_SUBMISSIONS_PER_HOUR = {SUBMISSIONS_PER_HOUR:,} in gunicorn's "
        "environment for the run** (every request comes from 127.0.0.1, one client pseudonym; the default is 5 "
        "an hour); nothing else is changed."
    )
    add("")
    add(
        f"Load: `locust -f benchmarks/locustfile_submissions.py --headless -u N -r N --run-time {args.run_time + 400}s "
        f"--stop-timeout 120`, one run per path, view and N, measured for {args.run_time} s once every user is ready; "
        "every user loops without pauses over GET form → POST "
        "→ GET the confirming page (the receipt page showing the credential; for gratifikasi the case page with "
        "'diajukan ke UPG'). Public forms: a new visitor each time (no cookies), the one-time `submission` token "
        "and CSRF token read from the form, the honeypot left empty. Gratifikasi: each user signs in once with an "
        "employee account of its own (pegawai) and files a report with one object, 'Ajukan'. The bare views "
        "(benchmarks/bare/views.py) do the same round trip and INSERT the same rows (Case + WbsReport + "
        "TrackingCredential; Case + Complaint + TrackingCredential; Case + GratifikasiReport + GratifikasiObject) "
        "with no validation, encryption, hashing, numbering, audit or template. Rates and percentiles count the "
        "window of the run time from the moment every user is ready (signed in; Locust's own --run-time is only a "
        "safety limit, the Locust file stops the run); requests/s counts "
        "every request (GET form, POST, GET confirming page)."
    )
    add("")
    add(
        "| path | users | view | submissions | submissions/s | requests/s | POST p50 | POST p95 | errors | "
        "workers' CPU / submission | bare ÷ real (submissions/s) | real ÷ bare (POST p95) |"
    )
    add("|---|---|---|---|---|---|---|---|---|---|---|---|")
    by = {(r.target.path, r.target.view, r.users): r for r in runs}
    for r in runs:
        cpu = ms(r.worker_cpu / r.all_ok) if r.worker_cpu is not None and r.all_ok else "—"
        ratio_rate = ratio_p95 = ""
        if r.target.view == "bare" and (real := by.get((r.target.path, "real", r.users))):
            ratio_rate = f"{r.rate / real.rate:.1f}×" if real.rate else "—"
            finite = math.isfinite(real.post_p95) and math.isfinite(r.post_p95) and r.post_p95
            ratio_p95 = f"{real.post_p95 / r.post_p95:.1f}×" if finite else "—"
        add(
            f"| {r.target.path} | {r.users} | {r.target.view} | {r.submissions:,} | {r.rate:.1f} | "
            f"{r.request_rate:.1f} | {ms(r.post_p50)} | {ms(r.post_p95)} | {sum(r.errors.values())} | {cpu} | "
            f"{ratio_rate} | {ratio_p95} |"
        )
    add("")
    add("Rows written over the whole run (checked equal to the successful submissions, the ramp and the end included):")
    add("")
    for target, counts in written.items():
        ok = sum(r.all_ok for r in runs if r.target == target)
        shown = ", ".join(f"{n:,} {name}" for name, n in counts.items())
        add(f"- {target.path} {target.view} (`{target.form}`): {ok:,} submissions, {shown}.")
    add("")
    add("Locust's own totals (its `--csv` stats, Aggregated row, whole run including sign-ins):")
    add("")
    add("| path | users | view | requests | failures | requests/s | median | 95% |")
    add("|---|---|---|---|---|---|---|---|")
    for r in runs:
        t = r.locust_totals
        add(
            f"| {r.target.path} | {r.users} | {r.target.view} | {t.get('Request Count', '?')} | "
            f"{t.get('Failure Count', '?')} | {float(t.get('Requests/s', 'nan')):.1f} | "
            f"{t.get('Median Response Time', '?')} ms | {t.get('95%', '?')} ms |"
        )
    add("")
    return "\n".join(lines)
