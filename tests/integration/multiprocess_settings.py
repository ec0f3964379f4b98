"""Settings for the processes tests/integration/test_multiprocess.py starts: two gunicorn servers, two Celery
workers, celery beat, and short-lived job processes.

The worker settings (test settings, mail to files in ``SIGAP_TEST_EMAIL_DIR``), with the beat schedule cut down
to the outbox drain, every second instead of every minute: within the test's few seconds the beat must take
part in draining, as it does in production, and the other periodic tasks (the deadline sweep above all) must
not run on their own while the test runs them itself.
"""

from tests.integration.worker_settings import *  # noqa: F403

CELERY_BEAT_SCHEDULE = {"drain-outbox": {"task": "cases.tasks.drain_outbox", "schedule": 1.0}}
