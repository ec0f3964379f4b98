"""Pengaduan benchmark on PostgreSQL: public complaints per second through gunicorn, against a bare view.

    .venv/bin/python -m benchmarks pengaduan --start-postgres

One gunicorn (the project's settings, `--workers 2` by default, a free loopback port) serves both the real
public form (`pengaduan_publik:report`) and a bare Django view that writes the same three rows (Case,
Complaint, TrackingCredential) with plain INSERTs (benchmarks/bare/, mounted only by the benchmark's settings
module, never by config.urls). Each simulated complainant does what a browser does: GET the form (CSRF cookie
and token, the form's one-time `submission` token), POST it, follow the redirect to the receipt page. The
fields are read from the form's HTML, not hard-coded. Measured at several numbers of concurrent clients, the
real form and the bare view back to back at each: submissions per second, latency p50/p95 (the whole round
trip and each step), errors, and the gunicorn workers' CPU per submission. Then, in this process, what one
submission's parts cost on their own: the Argon2id hash, the credential look-up the receipt page does, and
`pengaduan.services.complaint_file` without HTTP.

Like production, the cache is a Redis (a throwaway redis-server the benchmark starts): with 2 workers the
receipt waits in the cache for the request that shows it, which the other worker may serve. The hourly
submission limit (SIGAP_INTAKE_SUBMISSIONS_PER_HOUR) is raised for the run: every request comes from
127.0.0.1, i.e. one client pseudonym.
"""

import argparse
import contextlib
import datetime as dt
import os
import re
import secrets
import shutil
import signal
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from django.conf import settings
from django.db import connection
from django.urls import reverse

from benchmarks.htmlform import FormParser, page_errors
from benchmarks.measure import QueryCounter, git_commit, ms, note, percentile, server_info
from benchmarks.postgres import ROOT
from cases import intake
from cases.models import Case, Unit
from pengaduan import services as pengaduan_services
from pengaduan.models import Complaint, IdentityMode, Service

# What `--tiny` runs (tests/benchmarks/): one level of 2 clients, a handful of submissions.
TINY = {"cases": 4, "clients": "2", "warmup": 2, "serial": 2, "hash_repeat": 3}
DEFAULT_CASES = 200  # --cases: submissions per view and level of concurrency

BARE_PATH = "/bench-bare/"
SUBMISSIONS_PER_HOUR = 10**9  # the limit for the run: every request comes from one address
# What the receipt page must show: the tracking number (ADU-2026-000123) and its secret (PIN 1234-5678; also
# accepted written 12345678, or as a 16-digit receipt).
REAL_RECEIPT = (re.compile(r"ADU-\d{4}-\d{6}"), re.compile(r"\b(?:\d{4}-\d{4}|\d{8}|\d{16}|\d{4}(?: \d{4}){3})\b"))
BARE_RECEIPT = (re.compile(r"BARE-\d{9}"),)
# httpx builds an SSL context for every new client unless given one (tens of ms of the load generator's CPU,
# for plain-HTTP requests): one for all.
_SSL = ssl.create_default_context()


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--clients", default="4,8,16", help="concurrent clients, comma-separated (default 4,8,16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--warmup", type=int, default=8, help="untimed submissions per view first (default 8)")
    parser.add_argument("--serial", type=int, default=20, help="complaint_file calls timed in-process (default 20)")
    parser.add_argument("--hash-repeat", type=int, default=20, help="Argon2id hashes timed (default 20)")
    parser.add_argument(
        "--identity-mode",
        choices=IdentityMode.values,
        default=IdentityMode.ANONYMOUS,
        help="how the simulated complainants appear (default anonymous, the bare view's row)",
    )


# ---------------------------------------------------------------------------------------------------------
# Servers: Redis and gunicorn


def _free_port(first: int) -> int:
    for port in range(first, first + 200):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise SystemExit(f"bench: no free port in {first}-{first + 199}")


@contextlib.contextmanager
def redis_server() -> Iterator[str]:
    """A throwaway redis-server on loopback, no persistence (as scripts/test starts one)."""
    binary = os.environ.get("SIGAP_REDIS_SERVER") or shutil.which("redis-server")
    if not binary:
        raise SystemExit("bench: redis-server not found (apt-get install redis-server, or set SIGAP_REDIS_SERVER)")
    port = _free_port(56479)
    proc = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 20
        while True:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=1) as s:
                s.sendall(b"PING\r\n")
                if s.recv(16).startswith(b"+PONG"):
                    break
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit("bench: redis-server did not start")
            time.sleep(0.1)
        note(f"throwaway Redis on 127.0.0.1:{port}")
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass
class Gunicorn:
    proc: subprocess.Popen
    base_url: str
    log: Path

    def worker_pids(self) -> list[int]:
        path = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def worker_cpu_seconds(self) -> float | None:
        """User + system CPU of the workers so far (Linux /proc), or None where it cannot be read."""
        total = 0.0
        pids = self.worker_pids()
        if not pids:
            return None
        tick = os.sysconf("SC_CLK_TCK")
        for pid in pids:
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                return None
            total += (int(fields[11]) + int(fields[12])) / tick  # utime, stime (fields 14 and 15)
        return total


@contextlib.contextmanager
def gunicorn(
    db_url: str, redis_url: str, workers: int, *, threads: int = 1, env: dict[str, str] | None = None
) -> Iterator[Gunicorn]:
    """gunicorn serving config.wsgi with the project's settings (plus the bare view's URL), as the Dockerfile
    runs it but on a free loopback port and with `workers` workers (sync, or gthread with `threads` > 1).
    `env`: more of gunicorn's environment (a benchmark's raised limits)."""
    port = _free_port(58000)
    log_dir = Path(tempfile.mkdtemp(prefix="sigap-bench-gunicorn."))
    log = log_dir / "gunicorn.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "benchmarks.bare.settings",
        "DATABASE_URL": db_url,
        "REDIS_URL": redis_url,
        # The same data keys and local secrets as this process (tests.settings' var directory).
        "SIGAP_VAR_DIR": str(settings.VAR_DIR),
        "SIGAP_ENV": "development",
        "DEBUG": "false",
        "LOG_LEVEL": "WARNING",
        "SIGAP_INTAKE_SUBMISSIONS_PER_HOUR": str(SUBMISSIONS_PER_HOUR),
        **(env or {}),
    }
    cmd = [
        sys.executable,
        "-m",
        "gunicorn",
        "config.wsgi:application",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--access-logfile",
        str(log_dir / "access.log"),
        "--access-logformat",
        '%(t)s "%(r)s" %(s)s %(b)s',
        "--logger-class",
        "config.gunicorn_logging.PrivateAccessLogger",
    ]
    with open(log, "w") as out:
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    server = Gunicorn(proc, f"http://127.0.0.1:{port}", log)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise SystemExit(f"bench: gunicorn exited:\n{log.read_text()[-3000:]}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(server.base_url + BARE_PATH, timeout=5).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise SystemExit(f"bench: gunicorn did not answer:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        note(f"gunicorn, {workers} workers × {threads} threads, on {server.base_url}")
        yield server
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        shutil.rmtree(log_dir, ignore_errors=True)


# ---------------------------------------------------------------------------------------------------------
# The simulated complainant


def report_form(page: str) -> dict:
    """The complaint form of a page: the POST form that carries the one-time `submission` token (the page
    also has the language switch, another POST form)."""
    parser = FormParser()
    parser.feed(page)
    posts = [f for f in parser.forms if f["method"] == "post"]
    for form in posts:
        if any(f["name"] == "submission" for f in form["fields"]):
            return form
    if not posts:
        raise ValueError("no POST form on the page")
    return max(posts, key=lambda f: len(f["fields"]))


def complainant_answers(n: int, identity_mode: str) -> dict[str, str]:
    """What a complainant types, by field name (Complaint's fields). The description differs every time: the
    form answers the same text from the same client within the hour with the earlier receipt."""
    today = dt.date.today()
    answers = {
        "service_date": (today - dt.timedelta(days=3)).isoformat(),
        "location": "Loket 2, Mal Pelayanan Publik",
        "category": "02",
        "description": (
            f"Pengaduan uji beban nomor {n} ({secrets.token_hex(6)}). Berkas izin saya dinyatakan lengkap dua "
            "minggu lalu di loket 2, tetapi sampai hari ini belum ada kabar. Petugas meminta saya datang lagi "
            "minggu depan tanpa kepastian. Saya sudah tiga kali datang dan selalu diminta menunggu."
        ),
        "expectation": "Kepastian kapan izin terbit, sesuai standar pelayanan.",
        "identity_mode": identity_mode,
    }
    if identity_mode != IdentityMode.ANONYMOUS:
        answers |= {
            "complainant_name": "Warga Uji",
            "complainant_contact": "0812-0000-0000",
            "complainant_email": "warga.uji@example.org",
        }
    return answers


def fill(form: dict, answers: dict[str, str]) -> tuple[dict[str, str | list[str]], dict]:
    """The POST body a browser sends: hidden fields as served, our answers for the fields we know, the first
    real option of any other select, the checkbox of the truth statement ticked, every other field as served
    (a honeypot stays empty). Files: an empty file part per file input, as a browser sends with no file."""
    data: dict[str, str | list[str]] = {}
    files = {}
    radios: dict[str, list[dict]] = {}
    for f in form["fields"]:
        name = f["name"]
        if f["tag"] == "select":
            options = [o for o in f["options"] if o]
            wanted = answers.get(name)
            data[name] = wanted if wanted in options else f["selected"] or (options[0] if options else "")
        elif f["tag"] == "textarea":
            data[name] = answers.get(name, f["value"])
        elif f["type"] == "radio":
            radios.setdefault(name, []).append(f)
        elif f["type"] == "checkbox":
            if name == "truth_statement" or f["checked"]:
                data[name] = f["value"] or "on"
        elif f["type"] == "file":
            files[name] = ("", b"", "application/octet-stream")
        elif f["type"] in ("submit", "button", "reset", "image"):
            continue
        elif f["type"] == "hidden":
            data[name] = f["value"]
        else:
            data[name] = answers.get(name, f["value"])
    for name, group in radios.items():
        values = [r["value"] for r in group]
        checked = [r["value"] for r in group if r["checked"]]
        wanted = answers.get(name)
        data[name] = wanted if wanted in values else (checked or values)[0]
    return data, files


@dataclass
class Submission:
    ok: bool
    total: float = 0.0
    steps: dict[str, float] = field(default_factory=dict)
    error: str = ""


def submit_once(base_url: str, path: str, receipt: tuple[re.Pattern, ...], answers: dict) -> Submission:
    """One complainant, one submission: GET the form, POST it, GET the receipt page it redirects to. A fresh
    client (cookies, connection) per submission: each is a new visitor."""
    steps = {}
    try:
        with httpx.Client(base_url=base_url, timeout=120, follow_redirects=False, verify=_SSL) as client:
            started = t0 = time.perf_counter()
            page = client.get(path)
            steps["GET form"] = time.perf_counter() - t0
            if page.status_code != 200:
                return Submission(False, error=f"GET form: HTTP {page.status_code}")
            data, files = fill(report_form(page.text), answers)
            t0 = time.perf_counter()
            sent = client.post(path, data=data, files=files or None, headers={"Referer": base_url + path})
            steps["POST"] = time.perf_counter() - t0
            if sent.status_code != 302:
                detail = page_errors(sent.text) if sent.status_code == 200 else sent.text[:200]
                return Submission(False, error=f"POST: HTTP {sent.status_code}: {detail}")
            t0 = time.perf_counter()
            shown = client.get(sent.headers["location"])
            steps["GET receipt"] = time.perf_counter() - t0
            if shown.status_code != 200 or not all(p.search(shown.text) for p in receipt):
                return Submission(False, error=f"receipt page: HTTP {shown.status_code}, no credential shown")
    except (httpx.HTTPError, ValueError) as exc:
        return Submission(False, error=f"{type(exc).__name__}: {exc}")
    return Submission(True, time.perf_counter() - started, steps)


@dataclass
class Level:
    target: str
    clients: int
    results: list[Submission]
    wall: float
    worker_cpu: float | None
    client_cpu: float
    load: float  # the machine's 1-minute load average when the level ended

    @property
    def ok(self) -> list[Submission]:
        return [r for r in self.results if r.ok]

    @property
    def rate(self) -> float:
        return len(self.ok) / self.wall

    def latency(self, pct: int, step: str | None = None) -> float:
        values = [r.steps[step] if step else r.total for r in self.ok]
        return percentile(values, pct) if values else float("nan")

    @property
    def errors(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in self.results:
            if not r.ok:
                counts[r.error] = counts.get(r.error, 0) + 1
        return counts


def drive(
    server: Gunicorn, target: str, path: str, receipt: tuple[re.Pattern, ...], clients: int, n: int, args
) -> Level:
    """`n` submissions from `clients` concurrent complainants (threads), each starting the next as soon as
    its last one is done."""
    counter = iter(range(n))
    lock = threading.Lock()
    results: list[Submission] = []

    def complainant():
        while True:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            result = submit_once(server.base_url, path, receipt, complainant_answers(i, args.identity_mode))
            with lock:
                results.append(result)

    cpu_before = server.worker_cpu_seconds()
    client_before = sum(os.times()[:2])
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        for future in [pool.submit(complainant) for _ in range(clients)]:
            future.result()
    wall = time.perf_counter() - started
    cpu_after = server.worker_cpu_seconds()
    cpu = cpu_after - cpu_before if cpu_before is not None and cpu_after is not None else None
    level = Level(target, clients, results, wall, cpu, sum(os.times()[:2]) - client_before, os.getloadavg()[0])
    note(
        f"{target}, {clients} clients: {len(level.ok)}/{n} in {wall:.1f} s, {level.rate:.1f}/s"
        + (f", errors {level.errors}" if level.errors else "")
    )
    return level


# ---------------------------------------------------------------------------------------------------------
# In-process measurements: where one submission's time goes


def seed() -> Service:
    """The minimum the public form needs: an organisation (units) and the service catalogue."""
    top = Unit.objects.create(code="INSP", name="Inspektorat")
    unit = Unit.objects.create(code="SEKR", name="Sekretariat", parent=top)
    Service.objects.create(code="legalisir", name="Legalisasi dokumen", group="Administrasi", unit=unit)
    return Service.objects.create(code="izin-usaha", name="Perizinan berusaha", group="Perizinan", unit=unit)


def timed_each(fn, repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU (this thread's) seconds of each call."""
    wall, cpu = [], []
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.thread_time()
        fn()
        wall.append(time.perf_counter() - t0)
        cpu.append(time.thread_time() - c0)
    return wall, cpu


def in_process(service: Service, args) -> dict[str, dict]:
    """Each part: its samples (seconds) and, for the service, its SQL statements per call."""
    credential = intake.credential_for("pengaduan")
    answers = complainant_answers(0, args.identity_mode)
    fields = {
        "service": service,
        "service_date": dt.date.fromisoformat(answers["service_date"]),
        "location": answers["location"],
        "category": answers["category"],
        "description": answers["description"],
        "expectation": answers["expectation"],
        "truth_statement": True,
    }
    identity = {k: v for k, v in answers.items() if k.startswith("complainant_")}

    def file():
        pengaduan_services.complaint_file(fields=fields, identity_mode=args.identity_mode, identity=identity, files=[])

    def measured(fn, repeat: int) -> dict:
        counter = QueryCounter()
        with connection.execute_wrapper(counter):
            wall, cpu = timed_each(fn, repeat)
        return {"samples": wall, "cpu": cpu, "statements": counter.count / max(repeat, 1)}

    _complaint, secret = pengaduan_services.complaint_file(
        fields=fields, identity_mode=args.identity_mode, identity=identity, files=[]
    )  # first call (imports, caches) untimed; its credential is looked up below
    if credential.find(secret) is None:
        raise SystemExit("bench: a complaint's own credential does not find it")
    return {
        "Argon2id hash of a PIN (`cases.intake.pin_digest`: 19 MiB, t=2, 1 lane)": measured(
            lambda: intake.pin_digest(f"{secrets.randbelow(10**8):08d}", os.urandom(16)), args.hash_repeat
        ),
        "credential look-up as the receipt page does it (`credential.find` of a complaint's number and PIN)": (
            measured(lambda: credential.find(secret), args.hash_repeat)
        ),
        "`pengaduan.services.complaint_file`, no files, serial (no HTTP, form or template)": measured(
            file, args.serial
        ),
    }


def in_process_requests(args) -> dict[str, dict[str, list[float]]]:
    """The three requests of a real submission through Django's test client in this process (the whole
    middleware stack, no gunicorn or network): wall and CPU time of each, and how many Argon2id hashes it
    computes (counted by wrapping `hash_secret_raw` where cases.intake calls it, in this process only)."""
    from django.test import Client

    settings.SIGAP_INTAKE_SUBMISSIONS_PER_HOUR = SUBMISSIONS_PER_HOUR  # this process's own limit
    url = reverse("pengaduan_publik:report")
    steps: dict[str, dict[str, list[float]]] = {}
    hashes = [0]
    original = intake.hash_secret_raw

    def counting(*hash_args, **hash_kwargs):
        hashes[0] += 1
        return original(*hash_args, **hash_kwargs)

    def step(name, fn, *fn_args):
        hashes[0] = 0
        wall, cpu = time.perf_counter(), time.thread_time()
        response = fn(*fn_args)
        entry = steps.setdefault(name, {"wall": [], "cpu": [], "hashes": []})
        entry["wall"].append(time.perf_counter() - wall)
        entry["cpu"].append(time.thread_time() - cpu)
        entry["hashes"].append(hashes[0])
        return response

    intake.hash_secret_raw = counting
    try:
        return _round_trips(Client, url, step, steps, args)
    finally:
        intake.hash_secret_raw = original


def _round_trips(Client, url, step, steps, args) -> dict[str, dict[str, list[float]]]:  # noqa: N803 (a class)
    for i in range(args.serial + 1):
        browser = Client(enforce_csrf_checks=True, SERVER_NAME="localhost")  # a host ALLOWED_HOSTS has
        page = step("GET form", browser.get, url)
        if page.status_code != 200:
            raise SystemExit(f"bench: the in-process form page answered HTTP {page.status_code}")
        data, _files = fill(report_form(page.content.decode()), complainant_answers(10_000 + i, args.identity_mode))
        sent = step("POST", browser.post, url, data)
        if sent.status_code != 302:
            raise SystemExit(f"bench: the form refused the in-process submission: {page_errors(sent.content.decode())}")
        shown = step("GET receipt", browser.get, sent["Location"])
        if not all(p.search(shown.content.decode()) for p in REAL_RECEIPT):
            raise SystemExit("bench: the in-process receipt page shows no credential")
        if i == 0:  # the first round trip warms up (templates, imports), untimed
            steps.clear()
    return steps


# ---------------------------------------------------------------------------------------------------------
# The run and its report


def run(args, db_url: str) -> str:
    from django.core.management import call_command

    wall_started = time.perf_counter()
    levels_wanted = [int(c) for c in str(args.clients).split(",") if c.strip()]
    call_command("migrate", verbosity=0, interactive=False)
    service = seed()
    form_path = reverse("pengaduan_publik:report")
    targets = [
        ("public form", form_path, REAL_RECEIPT),
        ("bare view", BARE_PATH, BARE_RECEIPT),
    ]
    levels: list[Level] = []
    accepted = {"public form": 0, "bare view": 0}  # warm-up included: every row written over HTTP
    with redis_server() as redis_url, gunicorn(db_url, redis_url, args.workers) as server:
        for name, path, receipt in targets:
            warm = drive(server, f"{name} (warm-up)", path, receipt, min(2, max(levels_wanted)), args.warmup, args)
            if not warm.ok:
                raise SystemExit(f"bench: the {name} accepted no submission: {warm.errors}")
            accepted[name] += len(warm.ok)
        for clients in levels_wanted:
            for name, path, receipt in targets:
                levels.append(drive(server, name, path, receipt, clients, args.cases, args))
        gunicorn_log = server.log.read_text()
    for level in levels:
        if not level.ok:
            raise SystemExit(f"bench: {level.target} at {level.clients} clients: nothing accepted: {level.errors}")
    real_rows = Complaint.objects.exclude(reference__startswith="BARE-").count()
    bare_rows = Case.objects.filter(reference__startswith="BARE-", tracking__isnull=False).count()
    for lv in levels:
        accepted[lv.target] += len(lv.ok)
    note("timing the parts in-process")
    parts = in_process(service, args)
    requests = in_process_requests(args)
    return render(
        args,
        levels,
        parts,
        requests,
        server_info(),
        rows={
            "real": real_rows,
            "bare": bare_rows,
            "real_ok": accepted["public form"],
            "bare_ok": accepted["bare view"],
        },
        form_path=form_path,
        gunicorn_errors="Traceback" in gunicorn_log,
        wall=time.perf_counter() - wall_started,
    )


def render(args, levels, parts, requests, server, *, rows, form_path, gunicorn_errors, wall) -> str:
    lines = []
    add = lines.append
    command = ".venv/bin/python -m benchmarks " + " ".join(sys.argv[1:])
    add(f"# Pengaduan public submissions through gunicorn — {dt.date.today().isoformat()}")
    add("")
    add(f"Command: `{command}`. Commit {git_commit()}. Whole run {wall:.0f} s.")
    add("")
    add(
        f"Machine: {os.cpu_count()} CPUs shared by PostgreSQL, Redis, gunicorn and the load generator (one Python "
        f"process, threads); Python {sys.version.split()[0]}, PostgreSQL {server['server_version']} "
        f"(shared_buffers {server['shared_buffers']}, fsync {server['fsync']}, synchronous_commit "
        f"{server['synchronous_commit']}), Redis as the cache. Other work may share the CPUs (the load average "
        "column): compare a row with the bare row at the same number of clients, not with another run's."
    )
    add("")
    add(
        f"Server: gunicorn {args.workers} sync workers, `config.wsgi`, the project's settings (`config.settings`, "
        "development mode: plain HTTP, no TLS) with `ROOT_URLCONF = benchmarks.bare.urls` (the production "
        "URLconf plus the bare view), REDIS_URL set (Celery publishes to Redis; no worker runs), DEBUG off, "
        f"the Dockerfile's access-log arguments. **SIGAP_INTAKE_SUBMISSIONS_PER_HOUR = {SUBMISSIONS_PER_HOUR:,} "
        "for the run**: every request comes from 127.0.0.1, one client pseudonym, which the default limit "
        "(5 an hour) would stop after five."
    )
    add("")
    add(
        f"Each simulated complainant is a new visitor (fresh cookies and connection): GET the form "
        f"(`{form_path}`: CSRF cookie and token, one-time `submission` token; fields read from the HTML), POST "
        f"it (identity mode `{args.identity_mode}`, no files, a different description each time), follow the "
        "redirect to the receipt page, which must show the credential. The bare view (`/bench-bare/`, "
        "benchmarks/bare/views.py) does the same round trip and writes the same three rows (Case, Complaint, "
        "TrackingCredential) with plain INSERTs: no form class, validation, encryption, Argon2, reference "
        "counter, history, audit, notification or template. "
        f"{args.cases} submissions per view and level, after {args.warmup} untimed ones per view."
    )
    add("")
    add("## Submissions per second")
    add("")
    add(
        "| clients | view | accepted | errors | submissions/s | latency p50 / p95 | GET form p50 | POST p50 | "
        "GET receipt p50 | gunicorn workers' CPU / submission | load generator's CPU / submission | load average |"
    )
    add("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for lv in levels:
        cpu = f"{ms(lv.worker_cpu / max(len(lv.results), 1))}" if lv.worker_cpu is not None else "—"
        add(
            f"| {lv.clients} | {lv.target} | {len(lv.ok)} / {len(lv.results)} | {len(lv.results) - len(lv.ok)} | "
            f"{lv.rate:.1f} | {ms(lv.latency(50))} / {ms(lv.latency(95))} | {ms(lv.latency(50, 'GET form'))} | "
            f"{ms(lv.latency(50, 'POST'))} | {ms(lv.latency(50, 'GET receipt'))} | {cpu} | "
            f"{ms(lv.client_cpu / max(len(lv.results), 1))} | {lv.load:.1f} |"
        )
    add("")
    add("| clients | public form | bare view | ratio (bare ÷ form) |")
    add("|---|---|---|---|")
    by_clients: dict[int, dict[str, Level]] = {}
    for lv in levels:
        by_clients.setdefault(lv.clients, {})[lv.target] = lv
    for clients, pair in by_clients.items():
        real, bare = pair["public form"], pair["bare view"]
        add(f"| {clients} | {real.rate:.1f}/s | {bare.rate:.1f}/s | {bare.rate / real.rate:.1f}× |")
    errors: dict[str, int] = {}
    for lv in levels:
        for message, count in lv.errors.items():
            errors[f"{lv.target}: {message}"] = errors.get(f"{lv.target}: {message}", 0) + count
    if errors:
        add("")
        add("Errors: " + "; ".join(f"{m} (×{c})" for m, c in errors.items()))
    add("")
    add(
        f"Rows written over HTTP (warm-up included): {rows['real']:,} complaints for {rows['real_ok']:,} accepted "
        f"public submissions, {rows['bare']:,} bare cases with their credential for {rows['bare_ok']:,} accepted "
        "bare ones"
        + ("" if (rows["real"], rows["bare"]) == (rows["real_ok"], rows["bare_ok"]) else " — **they differ**")
        + (". gunicorn's log has a traceback." if gunicorn_errors else ". No traceback in gunicorn's log.")
    )
    add("")
    add("## Where a submission's time goes")
    add("")
    add("Measured in the benchmark's own process, serially, on the same database:")
    add("")
    add("| part | runs | wall median / p95 | CPU median | SQL statements per call |")
    add("|---|---|---|---|---|")
    for label, part in parts.items():
        samples = part["samples"]
        add(
            f"| {label} | {len(samples)} | {ms(statistics.median(samples))} / {ms(percentile(samples, 95))} | "
            f"{ms(statistics.median(part['cpu']))} | {part['statements']:.0f} |"
        )
    add("")
    add(
        "The three requests of a real submission through Django's test client in this process (the whole middleware "
        "stack; no gunicorn, network or Redis: local-memory cache), median:"
    )
    add("")
    add("| request | runs | wall | CPU of the request | Argon2id hashes |")
    add("|---|---|---|---|---|")
    for name, entry in requests.items():
        add(
            f"| {name} | {len(entry['wall'])} | {ms(statistics.median(entry['wall']))} | "
            f"{ms(statistics.median(entry['cpu']))} | {statistics.median(entry['hashes']):g} |"
        )
    add("")
    real_cpu = [lv.worker_cpu / len(lv.results) for lv in levels if lv.target == "public form" and lv.worker_cpu]
    bare_cpu = [lv.worker_cpu / len(lv.results) for lv in levels if lv.target == "bare view" and lv.worker_cpu]
    argon2 = statistics.median(next(iter(parts.values()))["cpu"])
    per_step = {name: statistics.median(entry["hashes"]) for name, entry in requests.items()}
    n_hashes = sum(per_step.values())
    hash_places = ", ".join(f"{count:g} in {name}" for name, count in per_step.items() if count)
    if real_cpu and bare_cpu:
        real_c, bare_c = statistics.median(real_cpu), statistics.median(bare_cpu)
        add(
            f"The gunicorn workers spend {ms(real_c)} of CPU per real submission (median over the levels) against "
            f"{ms(bare_c)} per bare one. A real submission computes {n_hashes:g} Argon2id hashes (counted above), "
            f"{ms(n_hashes * argon2)} of CPU at this run's {ms(argon2)} each (about {n_hashes * argon2 / real_c:.0%} "
            f"of the workers' CPU): {hash_places}. The rest is the service's SQL round trips (see the statement "
            "count), the form, the templates and the cache. If the workers had the CPUs to themselves the "
            f"ceiling would be about {args.workers / real_c:.0f} real submissions/s ({args.workers} workers ÷ "
            f"CPU per submission; PostgreSQL's own CPU not counted) against {args.workers / bare_c:.0f}/s bare."
        )
    else:
        add(f"One Argon2id hash took {ms(argon2)} of CPU; a real submission computes two (worker CPU not readable).")
    add("")
    return "\n".join(lines)
