"""More than one of everything: two web servers (gunicorn, as production runs it, two workers each), two
Celery workers and celery beat, against one PostgreSQL and one Redis. What must hold when SIGAP is scaled out:

1. the outbox delivers each message exactly once, however many workers drain it at once;
2. two deadline sweeps running at the same moment warn each clock once;
3. reference numbers stay unique and gapless when reports arrive through both web servers at once;
4. one case's audit chain written from two processes at once still verifies.

The processes run on the test's own database (committed data only, hence ``transaction=True``) and on a Redis
of their own; they are started once for the module and stopped, whatever happens, at its end. PostgreSQL only:
SQLite serialises every writer on one database-wide lock, so several processes would prove nothing about the
row locks this is about (and scripts/test runs this module in its PostgreSQL pass).
"""

import collections
import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, transaction

from cases import audit, deadlines, notifications, workdays
from cases.models import Case, CaseEvent, DeadlineClock, Notification, OutboxMessage, ReferenceCounter
from tests.integration.test_celery_outbox import (
    DRAIN_DONE,
    RedisServer,
    _database_url_for_worker,
    _free_port,
    _redis_server_binary,
    _wait_for,
)
from tests.wbs.conftest import CONTENT

pytestmark = [
    pytest.mark.integration,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="several processes on one database need PostgreSQL: SQLite locks the whole database for every "
        "writer, so it would prove nothing about row locks (scripts/test runs this in its PostgreSQL pass)",
    ),
]

BASE_DIR = Path(__file__).resolve().parents[2]
SETTINGS_MODULE = "tests.integration.multiprocess_settings"
FORM = "/wbs/lapor/"
START_TIMEOUT = 90  # a loaded 2-core CI machine imports Django slowly, seven times over


class Process:
    """One long-running child (a web server, a worker, beat), logging to a file the test reads."""

    def __init__(self, name: str, argv: list[str], env: dict, logfile: Path):
        self.name, self.argv, self.env, self.logfile = name, argv, env, logfile
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.logfile, "ab")  # the child keeps writing to it
        self.process = subprocess.Popen(
            self.argv,
            env=self.env,
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: gunicorn's workers are stopped with it
        )
        log.close()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)  # warm shutdown
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def log(self) -> str:
        return self.logfile.read_text(errors="replace") if self.logfile.exists() else ""

    def tail(self) -> str:
        return f"--- {self.name} log (tail) ---\n{self.log()[-4000:]}"

    def assert_alive(self) -> None:
        if self.process.poll() is not None:
            pytest.fail(f"{self.name} exited with {self.process.returncode}\n{self.tail()}")


@dataclass
class Cluster:
    env: dict
    tmp: Path
    web_urls: list[str] = field(default_factory=list)
    workers: list[Process] = field(default_factory=list)
    processes: list[Process] = field(default_factory=list)

    def tails(self) -> str:
        return "\n".join(process.tail() for process in self.processes)

    def assert_alive(self) -> None:
        for process in self.processes:
            process.assert_alive()

    def worker_mail(self) -> str:
        """Everything the workers sent (the file backend: one file per connection)."""
        return "\n".join(
            path.read_text(errors="replace")
            for worker in self.workers
            for path in sorted((self.tmp / f"mail-{worker.name}").iterdir())
        )

    def run_together(self, jobs: list[tuple[str, dict]], timeout: float = 90) -> list:
        """Run each job (Python code, extra environment) in its own process on the cluster's settings, all
        starting their real work at the same moment: each sets Django up, says it is ready, and waits for the
        go. Returns what each printed as JSON on its last line."""
        go = self.tmp / f"go-{time.monotonic_ns()}"
        running = []
        try:
            for n, (code, extra) in enumerate(jobs):
                ready = go.with_name(f"{go.name}-ready-{n}")
                script = JOB_PRELUDE + textwrap.dedent(code)
                env = {**self.env, **extra, "SIGAP_JOB_READY": str(ready), "SIGAP_JOB_GO": str(go)}
                env["SIGAP_TEST_EMAIL_DIR"] = str(self.tmp / "mail-jobs")
                running.append(
                    (
                        ready,
                        subprocess.Popen(
                            [sys.executable, "-c", script],
                            env=env,
                            cwd=BASE_DIR,
                            stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE,
                            text=True,
                        ),
                    )
                )

            def all_ready() -> bool:
                for _ready, process in running:
                    if process.poll() is not None:
                        pytest.fail(f"a job exited early ({process.returncode}):\n{process.communicate()[1][-3000:]}")
                return all(ready.exists() for ready, _process in running)

            _wait_for(all_ready, START_TIMEOUT, "the jobs to be ready")
            go.touch()
            results = []
            for _ready, process in running:
                out, err = process.communicate(timeout=timeout)
                assert process.returncode == 0, f"job failed ({process.returncode}):\n{err[-3000:]}"
                results.append(json.loads(out.strip().splitlines()[-1]))
            return results
        finally:
            for _ready, process in running:
                if process.poll() is None:
                    process.kill()
                    process.communicate(timeout=10)


# Every job: Django set up before the starting line, then all of them go at once.
JOB_PRELUDE = """
import json, os, sys, time
from pathlib import Path
import django
django.setup()
Path(os.environ["SIGAP_JOB_READY"]).touch()
go, waited = Path(os.environ["SIGAP_JOB_GO"]), time.monotonic()
while not go.exists():
    if time.monotonic() - waited > 120:
        sys.exit("no go signal")
    time.sleep(0.002)
"""


def _web_up(url: str) -> bool:
    try:
        return requests.get(url + FORM, timeout=5).status_code == 200
    except requests.RequestException:
        return False


@pytest.fixture(scope="module")
def cluster(django_db_setup, django_db_blocker, tmp_path_factory):
    binary = _redis_server_binary()
    if not binary:
        pytest.skip("redis-server not found (set SIGAP_TEST_REDIS_SERVER or install redis-server)")
    tmp = tmp_path_factory.mktemp("multiprocess")
    with django_db_blocker.unblock():
        database_url = _database_url_for_worker()
    (tmp / "redis").mkdir()
    redis_server = RedisServer(binary, tmp / "redis")
    env = {key: value for key, value in os.environ.items() if not key.startswith("CELERY_")}
    env.update(
        DJANGO_SETTINGS_MODULE=SETTINGS_MODULE,
        DATABASE_URL=database_url,
        REDIS_URL=redis_server.url,
        SIGAP_ENV="development",
        # Every process must agree on secrets and on where files live.
        SIGAP_VAR_DIR=str(settings.VAR_DIR),
        SECRET_KEY=settings.SECRET_KEY,
        SIGAP_DATA_KEYS=",".join(settings.DATA_ENCRYPTION_KEYS),
        # Many reports from one address (the test) within the hour; small batches, so the workers' claims
        # interleave instead of one drain taking everything.
        SIGAP_INTAKE_SUBMISSIONS_PER_HOUR="100000",
        SIGAP_OUTBOX_BATCH="5",
        PYTHONPATH=os.pathsep.join(filter(None, [str(BASE_DIR), os.environ.get("PYTHONPATH")])),
        PYTHONUNBUFFERED="1",
    )
    cluster = Cluster(env=env, tmp=tmp)

    def add(name: str, argv: list[str]) -> Process:
        (tmp / f"mail-{name}").mkdir()
        process = Process(name, argv, {**env, "SIGAP_TEST_EMAIL_DIR": str(tmp / f"mail-{name}")}, tmp / f"{name}.log")
        cluster.processes.append(process)
        return process

    (tmp / "mail-jobs").mkdir()
    for n in (1, 2):
        port = _free_port()
        cluster.web_urls.append(f"http://127.0.0.1:{port}")
        add(
            f"web{n}",
            [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--bind", f"127.0.0.1:{port}"]
            + ["--workers", "2", "--timeout", "120", "--graceful-timeout", "5"],
        )
    for n in (1, 2):
        worker = add(
            f"worker{n}",
            [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool=solo", "--concurrency=1", "-l", "info"]
            + ["--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"sigap-mp{n}-{os.getpid()}@%h"],
        )
        cluster.workers.append(worker)
    add(
        "beat",
        [sys.executable, "-m", "celery", "-A", "config", "beat", "-l", "info"]
        + ["-s", str(tmp / "beat-schedule"), "--pidfile", str(tmp / "beat.pid")],
    )
    try:
        redis_server.start()
        for process in cluster.processes:
            process.start()

        def ready() -> bool:
            cluster.assert_alive()
            return (
                all(_web_up(url) for url in cluster.web_urls)
                and all(" ready." in worker.log() for worker in cluster.workers)
                and "beat: Starting" in cluster.processes[-1].log()
            )

        _wait_for(ready, START_TIMEOUT, "two web servers, two workers and beat", cluster.tails)
        with _publishing_to(redis_server.url):
            yield cluster
    finally:
        for process in cluster.processes:
            process.stop()
        redis_server.kill()


class _publishing_to:
    """Make *this* process publish its outbox nudges to the cluster's Redis instead of running them eagerly
    in-process (the test settings decided "eager, memory broker" at import time): the workers must deliver."""

    def __init__(self, url: str):
        self.url = url

    def _drop_connections(self):
        from kombu import pools

        pools.reset()
        self.app._pool = None
        self.app.amqp._producer_pool = None

    def __enter__(self):
        from config.celery import app

        self.app = app
        self.saved_env = {key: os.environ.pop(key) for key in list(os.environ) if key.startswith("CELERY_BROKER")}
        self.saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
        self._drop_connections()
        app.conf.update(broker_url=self.url, task_always_eager=False)
        return app

    def __exit__(self, *exc):
        self._drop_connections()
        self.app.conf.update(**self.saved)
        os.environ.update(self.saved_env)


def _wait_outbox_empty(cluster: Cluster, queryset, timeout: float = 60) -> None:
    def done() -> bool:
        cluster.assert_alive()
        return not queryset.filter(delivered_at__isnull=True, withdrawn_at__isnull=True).exists()

    def details() -> str:
        pending = queryset.filter(delivered_at__isnull=True).values("dedupe_key", "attempts", "last_error")[:5]
        return f"still pending: {list(pending)}\n{cluster.tails()}"

    _wait_for(done, timeout, "the workers to drain the outbox", details)


def _drained_by(worker: Process) -> int:
    return sum(int(n) for n in DRAIN_DONE.findall(worker.log()))


# --- 1. the outbox ------------------------------------------------------------------------------------------


def test_two_workers_and_beat_deliver_each_outbox_message_exactly_once(cluster):
    users = [
        get_user_model().objects.create_user(f"mp-{n}", f"mp-{n}@example.test", "irrelevant-pw-123") for n in range(4)
    ]
    drained_before = [_drained_by(worker) for worker in cluster.workers]
    subjects = [f"Subjek mp-{n:03d}" for n in range(200)]
    for n, subject in enumerate(subjects):
        with transaction.atomic():  # committed one by one; each commit nudges a worker through Redis
            queued = notifications.queue(
                recipients=[users[n % 4]], subject=subject, body=f"Isi {n}", link="/x/", dedupe_key=f"mp-{n}"
            )
        assert queued == 1
    messages = OutboxMessage.objects.filter(dedupe_key__startswith="mp-")
    assert messages.count() == 200
    _wait_outbox_empty(cluster, messages)

    for message in messages:
        assert message.delivered_at is not None and message.attempts == 1, (message.dedupe_key, message.attempts)
        assert Notification.objects.filter(outbox=message).count() == 1
    assert Notification.objects.filter(user__in=users).count() == 200
    # Each message mailed once, by a worker (never by this process).
    assert mail.outbox == []
    sent = collections.Counter(re.findall(r"^Subject: (Subjek mp-\d{3})$", cluster.worker_mail(), re.M))
    assert sorted(sent) == subjects
    assert [subject for subject, times in sent.items() if times != 1] == []
    # What the workers' drains reported delivering adds up to the 200.
    drained = [_drained_by(worker) - before for worker, before in zip(cluster.workers, drained_before, strict=True)]
    # (Which worker took how many is scheduling: on a loaded machine one drain may empty the outbox alone.)
    assert sum(drained) == 200, drained


# --- 2. two sweeps at once ----------------------------------------------------------------------------------


def test_two_sweeps_at_the_same_moment_warn_each_clock_once(cluster, make_widget, handler, handler2):
    cases = [make_widget("submitted") for _ in range(40)]
    today = workdays.today()
    due = {"breach": today - dt.timedelta(days=10), "h1": today, "h3": workdays.add_working_days(today, 3)}
    clocks = list(DeadlineClock.objects.filter(case__in=cases, met_on__isnull=True, stopped_on__isnull=True))
    assert len(clocks) == 80  # two clocks per case (review, from_event)
    stage_of = {}
    for n, clock in enumerate(clocks):
        stage = ("breach", "h1", "h3")[n % 3]
        stage_of[clock.pk] = stage
        DeadlineClock.objects.filter(pk=clock.pk).update(
            due_date=due[stage], paused_on=None, warned_h3_at=None, warned_h1_at=None, escalated_at=None
        )

    sweep = "from cases import deadlines\nprint(json.dumps(deadlines.sweep()))\n"
    results = cluster.run_together([(sweep, {}), (sweep, {})])

    # Each clock warned (or escalated) by exactly one of the two.
    expected = collections.Counter(stage_of.values())
    for stage in ("breach", "h1", "h3"):
        assert results[0][stage] + results[1][stage] == expected[stage], (stage, results)
    for clock in DeadlineClock.objects.filter(pk__in=stage_of):
        stage = stage_of[clock.pk]
        assert (clock.escalated_at is not None) == (stage == "breach"), clock.pk
        assert (clock.warned_h1_at is not None) == (stage == "h1"), clock.pk
        assert (clock.warned_h3_at is not None) == (stage in ("h1", "h3")), clock.pk  # H-1 implies H-3
    # One message per clock, stage and handler (nobody is assigned: both handlers of the kind are told).
    keys = list(OutboxMessage.objects.filter(dedupe_key__startswith="clock:").values_list("dedupe_key", flat=True))
    wanted = {
        f"clock:{pk}:{stage}:{due[stage].isoformat()}:{user.pk}"
        for pk, stage in stage_of.items()
        for user in (handler, handler2)
    }
    assert len(keys) == len(set(keys)) == 160
    assert set(keys) == wanted
    # ... each delivered once, and a third sweep finds nothing left to say.
    messages = OutboxMessage.objects.filter(dedupe_key__startswith="clock:")
    _wait_outbox_empty(cluster, messages)
    for message in messages:
        assert message.attempts == 1 and Notification.objects.filter(outbox=message).count() == 1
    assert not any(deadlines.sweep().values())


# --- 3. reference numbers -----------------------------------------------------------------------------------


def _submit_report(base_url: str, n: int) -> tuple[int, str]:
    """The public WBS form as a browser sends it: the page (CSRF cookie, one-time submission token), then the
    form. Returns the status and where it redirects (the one-time receipt) or the page's start."""
    session = requests.Session()
    page = session.get(base_url + FORM, timeout=120)
    assert page.status_code == 200, page.status_code
    data = {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1),
        "submission": re.search(r'name="submission" value="([^"]+)"', page.text).group(1),
        "category": "pengadaan",
        "description": f"{CONTENT}, laporan nomor {n}",  # distinct texts: the same text twice is one report
        "involved": "Kepala gudang",
        "location": "Gudang timur",
        "occurred": "Setiap awal bulan",
        "method": "Amplop di ruang kerja",
        "knowledge": "melihat",
        "knowledge_detail": "",
    }
    response = session.post(base_url + FORM, data=data, allow_redirects=False, timeout=120)
    if response.status_code == 302:
        return response.status_code, response.headers["Location"]
    errors = re.findall(r'class="errorlist[^"]*">(.*?)</ul>', response.text, re.S)
    return response.status_code, "; ".join(errors) or response.text[:2000]


def test_reports_through_both_web_servers_at_once_get_unique_gapless_references(cluster, unit):
    """(`unit`: a public report needs the office to have a unit to file it under.)"""
    per_server = 40
    with ThreadPoolExecutor(max_workers=16) as pool:
        answers = list(
            pool.map(lambda n: _submit_report(cluster.web_urls[n % 2], n), range(2 * per_server)),
        )
    refused = [answer for answer in answers if answer[0] != 302]
    assert refused == [], f"{refused[:3]}\n{cluster.tails()}"
    assert len({location for _status, location in answers}) == 2 * per_server  # one receipt each

    year = workdays.today().year
    references = list(Case.objects.filter(kind="wbs").values_list("reference", flat=True))
    assert len(references) == len(set(references)) == 2 * per_server
    numbers = sorted(int(re.fullmatch(rf"WBS-{year}-(\d{{6}})", reference).group(1)) for reference in references)
    assert numbers == list(range(1, 2 * per_server + 1))  # no number twice, none skipped
    assert ReferenceCounter.objects.get(kind="wbs", year=year).last == 2 * per_server


# --- 4. one audit chain, two writers ------------------------------------------------------------------------


def test_one_case_audit_chain_written_from_two_processes_at_once_verifies(cluster, make_widget):
    case = make_widget("submitted")
    before = CaseEvent.objects.filter(case_id=case.pk).count()
    assert before > 0
    append = """
        from cases import audit
        from cases.models import Case
        case = Case.objects.get(pk=int(os.environ["SIGAP_JOB_CASE"]))
        writer = os.environ["SIGAP_JOB_WRITER"]
        seqs = [audit.record(case, "catatan_uji", data={"writer": writer, "n": n}).seq for n in range(100)]
        print(json.dumps(seqs))
    """
    results = cluster.run_together(
        [(append, {"SIGAP_JOB_CASE": str(case.pk), "SIGAP_JOB_WRITER": writer}) for writer in ("a", "b")]
    )

    for seqs in results:
        assert seqs == sorted(seqs) and len(seqs) == 100
    assert sorted(results[0] + results[1]) == list(range(before + 1, before + 201))
    chain = list(CaseEvent.objects.filter(case_id=case.pk).order_by("seq").values_list("seq", flat=True))
    assert chain == list(range(1, before + 201))
    assert list(audit.verify()) == []
    command = subprocess.run(
        [sys.executable, "manage.py", "verify_audit"],
        env={**cluster.env, "SIGAP_TEST_EMAIL_DIR": str(cluster.tmp / "mail-jobs")},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert command.returncode == 0, command.stderr[-3000:]
    assert "All audit chains intact." in command.stdout
