"""The embedded default in one command: migrate, seed demo data, run the beat schedule on a thread and serve
on http://127.0.0.1:8000/; the demo users are printed last, once the server listens."""

import os
import re

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.core.management.commands.runserver import naiveip_re

from cases import embedded
from cases.management.commands.seed_demo import Command as SeedDemoCommand

# Addresses that mean "every interface": links in e-mails name this machine instead.
_ANY_ADDRESS = {"0", "0.0.0.0", "::"}


class _Runserver(RunserverCommand):
    """runserver that reports the port it actually bound to, after its own banner."""

    after_bind = None

    def on_bind(self, server_port):
        super().on_bind(server_port)
        if self.after_bind is not None:
            self.after_bind(self.addr, server_port)


def _host(addr: str) -> str:
    return "localhost" if addr in _ANY_ADDRESS else (f"[{addr}]" if ":" in addr else addr)


def _requested(addrport: str) -> tuple[str, str] | None:
    """(address, port) as runserver will read `addrport`; None if it will refuse it (runserver says why)."""
    match = re.match(naiveip_re, addrport)
    if match is None:
        return None
    addr, _ipv4, ipv6, _fqdn, port = match.groups()
    return (addr[1:-1] if ipv6 else addr) or RunserverCommand.default_addr, port


class Command(BaseCommand):
    help = "Run SIGAP on its embedded default (SQLite, in-process tasks, console email) with demo data."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true", help="Do not create demo users and cases.")

    def handle(self, *args, addrport, no_demo, **options):
        if settings.PRODUCTION:
            raise CommandError("serve is the development server; production runs gunicorn (see README)")
        requested = _requested(addrport)
        if requested is not None:
            # Before seeding and the first deadline sweep: both send e-mails, and their links must already
            # name the address served. ready() corrects it once bound (port 0 is only known then).
            self._use_base_url(*requested)
        call_command("migrate", interactive=False, verbosity=0)
        seeder = None
        if not no_demo:
            seeder = SeedDemoCommand(stdout=self.stdout, stderr=self.stderr)
            call_command(seeder, print_credentials=False)
        embedded.catch_up()
        embedded.start(first_tick_after=60.0)

        def ready(addr: str, port: int) -> None:
            served = self._use_base_url(addr, port)
            self.stdout.write("")
            self.stdout.write(self.style.SUCCESS(f"SIGAP: {served}/  (Ctrl+C to stop)"))
            self.stdout.write(f"Links in e-mails: {settings.SIGAP_BASE_URL}")
            self.stdout.write(
                "DEBUG on (DEBUG=true): Django's technical error pages are shown"
                if settings.DEBUG
                else "DEBUG off (scripts/serve --debug or DEBUG=true turns it on)"
            )
            # Last, so they are what the tester sees without scrolling.
            if seeder is not None:
                seeder.print_credentials()

        server = _Runserver(stdout=self.stdout, stderr=self.stderr)
        server.after_bind = ready
        call_command(server, addrport, use_reloader=False)

    def _use_base_url(self, addr: str, port) -> str:
        """Point links in notification e-mails (cases.notifications) at the server the tester is looking at,
        not the default port, unless SIGAP_BASE_URL is set. This process is the whole server (no reloader), so
        the setting is changed before the first e-mail and the first request, and read by every later one."""
        host = _host(addr)
        served = f"http://{host}:{port}"
        if not os.environ.get("SIGAP_BASE_URL"):
            settings.SIGAP_BASE_URL = served
            if host not in settings.ALLOWED_HOSTS and not os.environ.get("ALLOWED_HOSTS"):
                settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
        return served
