"""The embedded default in one command: migrate, seed demo data, print the demo users, run the beat
schedule on a thread and serve on http://127.0.0.1:8000/."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from cases import embedded


class Command(BaseCommand):
    help = "Run SIGAP on its embedded default (SQLite, in-process tasks, console email) with demo data."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--no-demo", action="store_true", help="Do not create demo users and cases.")

    def handle(self, *args, addrport, no_demo, **options):
        if settings.PRODUCTION:
            raise CommandError("serve is the development server; production runs gunicorn (see README)")
        call_command("migrate", interactive=False, verbosity=0)
        if not no_demo:
            call_command("seed_demo")
        embedded.start()
        self.stdout.write(self.style.SUCCESS(f"SIGAP: http://{addrport}/  (Ctrl+C to stop)"))
        call_command("runserver", addrport, use_reloader=False)
