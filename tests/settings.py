"""Test settings: the real settings plus a small case type used to test the core on its own."""

import os

os.environ.setdefault("SIGAP_VAR_DIR", os.path.join(os.path.dirname(__file__), "..", "var", "test"))

from config.settings import *  # noqa: E402,F403
from config.settings import INSTALLED_APPS  # noqa: E402

INSTALLED_APPS = [*INSTALLED_APPS, "tests.casetype"]
# Fast hashing: tests create many users; Argon2 stays the production hasher.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": os.path.join(os.environ["SIGAP_VAR_DIR"], "files")},
    },
}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, not pytest-django's shared-cache memory database: threads and a Celery worker process must
    # see the same data with real SQLite locking.
    # One file per test process, so two runs side by side do not delete each other's database.
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": os.path.join(os.environ["SIGAP_VAR_DIR"], f"test-{os.getpid()}.sqlite3")
    }
