"""The embedded default in one command: migrate, seed demo data, run the beat schedule on a thread and serve
on http://127.0.0.1:8000/; the demo users are printed last, once the server listens."""

import os

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as RunserverCommand
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

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


class Command(BaseCommand):
    help = "Run SIGAP on its embedded default (SQLite, in-process tasks, console email) with demo data."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true", help="Do not create demo users and cases.")

    def handle(self, *args, addrport, no_demo, **options):
        if settings.PRODUCTION:
            raise CommandError("serve is the development server; production runs gunicorn (see README)")
        call_command("migrate", interactive=False, verbosity=0)
        seeder = None
        if not no_demo:
            seeder = SeedDemoCommand(stdout=self.stdout, stderr=self.stderr)
            call_command(seeder, print_credentials=False)
        embedded.catch_up()
        embedded.start(first_tick_after=60.0)

        def ready(addr: str, port: int) -> None:
            host = "localhost" if addr in _ANY_ADDRESS else (f"[{addr}]" if ":" in addr else addr)
            served = f"http://{host}:{port}"
            if not os.environ.get("SIGAP_BASE_URL"):
                # Links in notification e-mails (cases.notifications) must open the server the tester is
                # looking at, not the default port. This process is the whole server (no reloader), so the
                # setting is changed once, before the first request, and read by every later e-mail.
                settings.SIGAP_BASE_URL = served
                if host not in settings.ALLOWED_HOSTS and not os.environ.get("ALLOWED_HOSTS"):
                    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
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
