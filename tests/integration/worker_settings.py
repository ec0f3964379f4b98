"""Settings for the Celery worker process that tests/integration starts.

The test settings, with one change: mail goes to files in ``SIGAP_TEST_EMAIL_DIR``, so the test can see what
the *worker* sent (the test process itself keeps Django's in-memory outbox). config/settings.py reads
EMAIL_BACKEND from the environment but has no EMAIL_FILE_PATH, hence this module.
"""

import os

from tests.settings import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
EMAIL_FILE_PATH = os.environ["SIGAP_TEST_EMAIL_DIR"]
