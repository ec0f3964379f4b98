"""The outbox against a real Redis and a real Celery worker process: a notification queued while the broker is
down is not lost, and is delivered (once) by the worker after the broker comes back.

The test starts its own redis-server (so it can kill and restart it) and a ``celery worker`` subprocess that
shares the test database. The data must be committed for the worker to see it, hence ``transaction=True``.
"""

import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.db import connection, transaction

from cases import notifications
from cases.models import Notification, OutboxMessage

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[2]
# The worker logs "Task cases.tasks.drain_outbox[<id>] succeeded in 0.01s: <how many it delivered>".
DRAIN_DONE = re.compile(r"Task cases\.tasks\.drain_outbox\[[^\]]+\] succeeded in [0-9.e-]+s: (\d+)")


def _redis_server_binary() -> str | None:
    return os.environ.get("SIGAP_TEST_REDIS_SERVER") or shutil.which("redis-server")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for(predicate, timeout: float, what: str, details=lambda: "") -> None:
    deadline = time.monotonic() + timeout
    while True:
        if predicate():
            return
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}\n{details()}")
        time.sleep(0.1)


class RedisServer:
    """A throwaway redis-server on a loopback port, without persistence, that can be killed and restarted."""

    def __init__(self, binary: str, workdir: Path):
        self.binary = binary
        self.workdir = workdir
        self.port = _free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        import redis

        log = open(self.workdir / "redis.log", "ab")  # the child keeps writing to it
        self.process = subprocess.Popen(
            [
                self.binary,
                "--bind",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.workdir),
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            cwd=self.workdir,
        )
        log.close()
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.5, socket_timeout=0.5)

        def up() -> bool:
            if self.process.poll() is not None:
                pytest.fail(f"redis-server exited with {self.process.returncode}:\n{self.log()}")
            try:
                return client.ping()
            except redis.exceptions.ConnectionError:
                return False

        try:
            _wait_for(up, 10, f"redis-server on port {self.port}", self.log)
        finally:
            client.close()

    def kill(self) -> None:
        """Stop it the hard way, like a crash: SIGKILL, nothing flushed."""
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)
        self.process = None

    def log(self) -> str:
        path = self.workdir / "redis.log"
        return path.read_text(errors="replace")[-3000:] if path.exists() else ""


class Worker:
    """``celery -A config worker`` in its own process, logging to a file the test reads."""

    def __init__(self, env: dict, logfile: Path, email_dir: Path):
        self.env = env
        self.logfile = logfile
        self.email_dir = email_dir
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        log = open(self.logfile, "ab")  # the child keeps writing to it
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-l",
                "info",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "-n",
                f"sigap-it-{os.getpid()}@%h",
            ],
            env=self.env,
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # warm shutdown
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log(self) -> str:
        return self.logfile.read_text(errors="replace") if self.logfile.exists() else ""

    def tail(self) -> str:
        return "--- worker log (tail) ---\n" + self.log()[-5000:]

    def drains(self) -> list[int]:
        """What each drain_outbox run in this worker returned (how many messages it delivered), in order."""
        return [int(n) for n in DRAIN_DONE.findall(self.log())]

    def assert_alive(self) -> None:
        if self.process.poll() is not None:
            pytest.fail(f"celery worker exited with {self.process.returncode}\n{self.tail()}")


def _database_url_for_worker() -> str:
    """The database this test runs on, as a DATABASE_URL the worker's settings understand."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        if connection.is_in_memory_db():
            pytest.skip(
                "the SQLite test database is in memory, so a worker process cannot see it; "
                "tests/settings.py must give DATABASES['default']['TEST']['NAME'] a file"
            )
        return "sqlite:///" + os.path.abspath(db["NAME"])
    if connection.vendor == "postgresql":
        auth = quote(db["USER"] or "", safe="")
        if db["PASSWORD"]:
            auth += ":" + quote(db["PASSWORD"], safe="")
        host = db["HOST"] or "localhost"
        port = f":{db['PORT']}" if db["PORT"] else ""
        return f"postgres://{auth + '@' if auth else ''}{host}{port}/{quote(db['NAME'], safe='')}"
    pytest.skip(f"no worker DATABASE_URL for the {connection.vendor} backend")


@pytest.fixture
def redis_server(tmp_path):
    binary = _redis_server_binary()
    if not binary:
        pytest.skip("redis-server not found (set SIGAP_TEST_REDIS_SERVER or install redis-server)")
    workdir = tmp_path / "redis"
    workdir.mkdir()
    server = RedisServer(binary, workdir)
    try:
        server.start()
        yield server
    finally:
        server.kill()


@pytest.fixture
def app_publishing_to(redis_server, monkeypatch):
    """Make *this* process publish to the test Redis. The settings decided "eager, memory broker" at import
    time (no REDIS_URL), so switch the Celery app itself, and drop its cached broker connections."""
    from kombu import pools

    from config.celery import app

    # The environment would win over app.conf.
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delenv("CELERY_BROKER_WRITE_URL", raising=False)

    def drop_connections():
        pools.reset()
        app._pool = None
        app.amqp._producer_pool = None

    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}
    drop_connections()
    app.conf.update(broker_url=redis_server.url, task_always_eager=False)
    assert app.connection_for_write().as_uri().endswith(f"@127.0.0.1:{redis_server.port}/0")
    try:
        yield app
    finally:
        drop_connections()
        app.conf.update(**saved)


@pytest.fixture
def worker(transactional_db, redis_server, tmp_path):
    """A worker on the test database (committed data only, hence transactional_db: it is also flushed only
    after the worker has stopped) and on the test Redis, sending mail into files."""
    email_dir = tmp_path / "worker-mail"
    email_dir.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("CELERY_")}
    env.update(
        DJANGO_SETTINGS_MODULE="tests.integration.worker_settings",
        DATABASE_URL=_database_url_for_worker(),
        REDIS_URL=redis_server.url,
        SIGAP_ENV="development",
        # Both processes must agree on secrets and on where files live.
        SIGAP_VAR_DIR=str(settings.VAR_DIR),
        SECRET_KEY=settings.SECRET_KEY,
        SIGAP_DATA_KEYS=",".join(settings.DATA_ENCRYPTION_KEYS),
        SIGAP_TEST_EMAIL_DIR=str(email_dir),
        PYTHONPATH=os.pathsep.join(filter(None, [str(BASE_DIR), os.environ.get("PYTHONPATH")])),
        PYTHONUNBUFFERED="1",
    )
    proc = Worker(env, tmp_path / "worker.log", email_dir)
    try:
        proc.start()

        def ready() -> bool:
            proc.assert_alive()
            return " ready." in proc.log()

        _wait_for(ready, 40, "the celery worker to be ready", proc.tail)
        # The worker drains the outbox once on start (cases.tasks._catch_up_on_start). Let that finish first,
        # so that everything delivered later was delivered because of a nudge this test sent.
        _wait_for(lambda: proc.drains() == [0], 20, "the worker's start-up drain (delivering nothing)", proc.tail)
        yield proc
    finally:
        proc.stop()


def _wait_delivered(message: OutboxMessage, worker: Worker, timeout: float = 30) -> None:
    def delivered() -> bool:
        worker.assert_alive()
        message.refresh_from_db()
        return message.delivered_at is not None

    def details() -> str:
        return f"{message!r}: attempts={message.attempts} last_error={message.last_error!r}\n" + worker.tail()

    _wait_for(delivered, timeout, f"delivery of outbox message {message.dedupe_key}", details)


def _queue(user, key: str) -> OutboxMessage:
    with transaction.atomic():  # on commit, notifications.kick() nudges the worker
        queued = notifications.queue(
            recipients=[user], subject=f"Subjek {key}", body=f"Isi {key}", link="/x/", dedupe_key=key
        )
    assert queued == 1
    return OutboxMessage.objects.get(dedupe_key=f"{key}:{user.pk}")


def test_notification_is_delivered_after_the_broker_was_down_and_back(redis_server, app_publishing_to, worker, caplog):
    from cases.tasks import drain_outbox

    user = get_user_model().objects.create_user("it-penerima", "it-penerima@example.test", "irrelevant-pw-123")

    def worker_drained(expected: list[int]) -> None:
        _wait_for(lambda: worker.drains() == expected, 10, f"worker drains {expected}", worker.tail)

    # (a) Broker up: the commit's nudge reaches the worker through Redis, the worker delivers. (Its start-up
    # drain had already run and found nothing, so this delivery is the nudge's doing.)
    first = _queue(user, "it-1")
    _wait_delivered(first, worker)
    worker_drained([0, 1])
    assert Notification.objects.filter(outbox=first, user=user).count() == 1

    # (b) Broker down: queueing still works, the failed nudge is logged and swallowed, nothing is delivered.
    redis_server.kill()
    caplog.clear()
    started = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="cases.notifications"):
        second = _queue(user, "it-2")  # must not raise
    assert time.monotonic() - started < 10, "the failed nudge held the request up"
    assert "outbox nudge failed" in caplog.text
    time.sleep(3)
    worker.assert_alive()
    second.refresh_from_db()
    assert second.delivered_at is None
    assert not Notification.objects.filter(outbox=second).exists()
    assert worker.drains() == [0, 1]

    # (c) Broker back, empty (no persistence: the nudge for it-2 was never stored anyway). The beat's next
    # tick, sent the way beat sends it, makes the reconnected worker deliver the message that waited.
    redis_server.start()
    drain_outbox.delay()
    _wait_delivered(second, worker)
    worker_drained([0, 1, 1])

    # Each message delivered exactly once, in-app and by mail, and by the worker: the emails are in the
    # worker's file backend, none in this process' in-memory outbox.
    for message in (first, second):
        assert Notification.objects.filter(outbox=message).count() == 1
        message.refresh_from_db()
        assert message.attempts == 1
    assert Notification.objects.filter(user=user).count() == 2
    assert mail.outbox == []
    sent = sorted(worker.email_dir.iterdir())
    assert len(sent) == 2, [p.name for p in sent]
    mails = "\n".join(p.read_text() for p in sent)
    assert mails.count("To: it-penerima@example.test") == 2
    assert "Subject: Subjek it-1" in mails and "Subject: Subjek it-2" in mails
