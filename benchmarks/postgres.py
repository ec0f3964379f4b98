"""The PostgreSQL every benchmark runs on: a throwaway cluster (the same recipe as scripts/test) or the server
DATABASE_URL names, a database of the benchmark's own on it, and Django set up against that database."""

import contextlib
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg

from benchmarks.measure import note

ROOT = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("SIGAP_PG_BIN", "/usr/lib/postgresql/15/bin"))
PG_OS_USER = "sigap-pg"  # the same unprivileged account scripts/test uses; PostgreSQL refuses to run as root


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
                "\n# --- benchmarks: throwaway cluster ---\n"
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


def with_db_name(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def recreate_database(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def drop_database(server_url: str, name: str) -> None:
    with psycopg.connect(server_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_exists(server_url: str, name: str) -> bool:
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
    # Imported here: Django reads DJANGO_SETTINGS_MODULE and DATABASE_URL, set just above, when it loads.
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    if connection.vendor != "postgresql":
        raise SystemExit("bench: DATABASE_URL must point at PostgreSQL")
    if "tests.casetype" not in settings.INSTALLED_APPS:
        raise SystemExit("bench: needs the test case kind 'uji': DJANGO_SETTINGS_MODULE=tests.settings")


@contextlib.contextmanager
def server(start: bool, first_port: int) -> Iterator[str]:
    """The URL of the PostgreSQL server to run on: a throwaway cluster when `start` (stopped and deleted on
    exit, also on SIGTERM/SIGHUP), otherwise the server DATABASE_URL names."""

    def on_signal(signum, _frame):
        raise SystemExit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(sig, on_signal)
    if not start:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("bench: set DATABASE_URL to a PostgreSQL server (postgres://…) or --start-postgres")
        yield url
        return
    cluster = ThrowawayPostgres(first_port)
    try:
        yield cluster.start()
    finally:
        with contextlib.suppress(Exception):  # Django may not be set up yet
            from django.db import connections

            connections.close_all()
        cluster.stop()
