"""Exports made in the background (ExportJob): the registry of exporters and how a job is run.

An exporter is registered under a code (``"dashboard.xlsx"``, ``"lke.pack"``) with::

    @jobs.exporter("lke.pack", allowed=lambda user, params: ...)
    def write_pack(job, out, progress) -> tuple[str, str]:
        # write the file to the binary stream `out`; call progress(done, total) now and then;
        # return (filename, content_type)

``allowed(user, params)`` is checked when the job is asked for and again when it runs. Optional:
``rows(user, params) -> int``, how many rows the file will have, so a small export is made in the request itself
(``SIGAP_EXPORT_DIRECT_ROWS``) and a big one in the background; ``done(job)``, called once the file is stored
(e.g. the one ``exported`` event on a case whose audit log was exported).

How a job runs (issue 12, "Exports"): with Redis (``CELERY_TASK_ALWAYS_EAGER`` off) the Celery task
``evaluasi.tasks_export.run_export`` on a worker; in the embedded default a daemon thread of the web process,
so the request answers at once either way. The file is written to a temporary file, then stored encrypted in
the private file storage, like a case's attachments (cases.attachments: never under a public URL), and offered
to the requester until ``expires_at``; ``sweep`` deletes it afterwards.

The ExportJob row is the audit record of the export: who, what, with which parameters, when — one row per
export, never one per exported row.
"""

import datetime as dt
import logging
import tempfile
import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import close_old_connections, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cases import crypto
from evaluasi.models import ExportJob, ExportStatus

logger = logging.getLogger(__name__)

# Progress is written to the job row at most this often (rows): a write per row would cost more than the export.
PROGRESS_EVERY = 2000
# A job still queued or running after this long lost its worker (a restart, a killed thread): it is failed,
# so the requester is not left watching a page that never finishes.
STALE_AFTER = dt.timedelta(hours=6)


@dataclass(frozen=True)
class Exporter:
    code: str
    write: Callable
    allowed: Callable
    rows: Callable | None = None
    done: Callable | None = None


EXPORTERS: dict[str, Exporter] = {}


def exporter(code: str, *, allowed: Callable, rows: Callable | None = None, done: Callable | None = None):
    def register(write: Callable) -> Callable:
        EXPORTERS[code] = Exporter(code, write, allowed, rows, done)
        return write

    return register


def get(what: str) -> Exporter:
    try:
        return EXPORTERS[what]
    except KeyError:
        raise LookupError(f"No exporter {what!r}") from None


def check(user, what: str, params: dict) -> Exporter:
    """The exporter of `what` if `user` may run it with `params`; PermissionDenied otherwise (an unknown code
    too: a forged address learns nothing)."""
    found = EXPORTERS.get(what)
    if found is None or not found.allowed(user, params):
        raise PermissionDenied
    return found


def is_small(user, what: str, params: dict) -> bool:
    """Whether the export is small enough to be made in the request (under SIGAP_EXPORT_DIRECT_ROWS rows)."""
    found = get(what)
    if found.rows is None:
        return False
    return found.rows(user, params) <= settings.SIGAP_EXPORT_DIRECT_ROWS


# ---------------------------------------------------------------------------------------------------------
# Asking for an export


def request(user, what: str, params: dict, title: str) -> ExportJob:
    """Record the export (the audit record) and start it in the background once the row is committed."""
    check(user, what, params)
    job = ExportJob.objects.create(requested_by=user, what=what, params=params, title=title[:200])
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


FAILED = _lazy("Ekspor gagal dibuat. Silakan coba lagi; bila terulang, hubungi admin SIGAP.")


def _write(found: Exporter, job: ExportJob, progress) -> tuple[str, str, bytes]:
    """Run the exporter into a temporary file: (filename, content type, the file's bytes)."""
    with tempfile.TemporaryFile() as out:
        filename, content_type = found.write(job, out, progress)
        out.seek(0)
        return filename, content_type, out.read()


def make_now(user, what: str, params: dict, title: str) -> tuple[ExportJob, bytes]:
    """A small export made in the request: the same exporter and the same audit record (a job row, done at
    once, with no stored file: the bytes go straight to the requester)."""
    found = check(user, what, params)
    now = timezone.now()
    job = ExportJob.objects.create(
        requested_by=user, what=what, params=params, title=title[:200], status=ExportStatus.RUNNING, started_at=now
    )
    try:
        filename, content_type, data = _write(found, job, lambda done, total: None)
    except Exception:
        _fail(job, str(FAILED))
        raise
    finished = timezone.now()
    job.status, job.filename, job.content_type, job.size = ExportStatus.DONE, filename, content_type, len(data)
    # No stored file and no download window: "Ekspor saya" lists it as downloaded directly, the sweep skips it.
    job.finished_at = finished
    job.save(update_fields=["status", "filename", "content_type", "size", "finished_at"])
    if found.done is not None:
        found.done(job)
    return job, data


def dispatch(job_id: int) -> None:
    """Hand the job to a Celery worker, or, in the embedded default (tasks run eagerly), to a daemon thread:
    an eager task would run inside the request and make the requester wait for the whole file."""
    if not settings.CELERY_TASK_ALWAYS_EAGER:
        # Imported here: evaluasi.tasks_export imports this module (the task only loads the job and calls run()).
        from evaluasi.tasks_export import run_export  # noqa: PLC0415

        try:
            run_export.delay(job_id)
            return
        except Exception:
            # The broker is down (the publish retries once, settings.CELERY_TASK_PUBLISH_RETRY_POLICY): make the
            # file in this process rather than leave the requester with a job nobody will run.
            logger.warning("export job %s: broker unavailable, running it in the web process", job_id, exc_info=True)
    threading.Thread(target=_run_in_thread, args=(job_id,), name=f"sigap-export-{job_id}", daemon=True).start()


def _run_in_thread(job_id: int) -> None:
    try:
        run(job_id)
    finally:
        close_old_connections()


# ---------------------------------------------------------------------------------------------------------
# Running one


def _claim(job_id: int) -> ExportJob | None:
    """Move a queued job to running, once: a redelivered task (acks_late) finds it taken and does nothing."""
    with transaction.atomic():
        job = ExportJob.objects.select_for_update().filter(pk=job_id, status=ExportStatus.QUEUED).first()
        if job is None:
            return None
        job.status, job.started_at = ExportStatus.RUNNING, timezone.now()
        job.save(update_fields=["status", "started_at"])
    return job


def _fail(job: ExportJob, message: str) -> None:
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.FAILED, error=message[:300], finished_at=timezone.now(), blob=""
    )


def run(job_id: int) -> None:
    """Write the job's file, store it encrypted, and mark the job done (or failed, with a message for the user;
    the traceback goes to the log only)."""
    job = _claim(job_id)
    if job is None:
        return
    found = EXPORTERS.get(job.what)
    if found is None or not found.allowed(job.requested_by, job.params):
        # The requester's roles may have changed since they asked.
        _fail(job, _("Anda tidak lagi berwenang membuat ekspor ini."))
        return

    def progress(done: int, total: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(done=done, total=total)

    blob = ""
    try:
        filename, content_type, data = _write(found, job, progress)
        name = uuid.uuid4().hex
        # Written outside any transaction (I/O), like an attachment; the row points at it only once it exists.
        blob = default_storage.save(f"exports/{name[:2]}/{name}", ContentFile(crypto.encrypt_bytes(data)))
        finished = timezone.now()
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportStatus.DONE,
            blob=blob,
            filename=filename[:200],
            content_type=content_type[:100],
            size=len(data),
            finished_at=finished,
            expires_at=finished + dt.timedelta(hours=settings.SIGAP_EXPORT_KEEP_HOURS),
        )
    except Exception:
        logger.exception("export job %s (%s) failed", job.uuid, job.what)
        if blob:
            default_storage.delete(blob)
        _fail(job, str(FAILED))
        return
    if found.done is not None:
        job.refresh_from_db()
        try:
            found.done(job)
        except Exception:
            logger.exception("export job %s: the after-export step failed", job.uuid)


def read(job: ExportJob) -> bytes:
    """The stored file of a finished job, decrypted."""
    with default_storage.open(job.blob, "rb") as handle:
        return crypto.decrypt_bytes(handle.read())


def is_expired(job: ExportJob, now: dt.datetime | None = None) -> bool:
    if job.status == ExportStatus.EXPIRED:
        return True
    return job.status == ExportStatus.DONE and job.expires_at is not None and job.expires_at <= (now or timezone.now())


# ---------------------------------------------------------------------------------------------------------
# Housekeeping


def sweep(now: dt.datetime | None = None) -> int:
    """Delete the files of exports past their window (the row stays: it is the audit record), and fail jobs
    whose worker was lost. Idempotent. Returns the number of files deleted."""
    now = now or timezone.now()
    deleted = 0
    for job in ExportJob.objects.filter(status=ExportStatus.DONE, expires_at__lte=now).iterator(chunk_size=500):
        if job.blob:
            default_storage.delete(job.blob)
            deleted += 1
        ExportJob.objects.filter(pk=job.pk, status=ExportStatus.DONE).update(status=ExportStatus.EXPIRED, blob="")
    ExportJob.objects.filter(
        status__in=(ExportStatus.QUEUED, ExportStatus.RUNNING), created_at__lt=now - STALE_AFTER
    ).update(
        status=ExportStatus.FAILED,
        finished_at=now,
        error=_("Ekspor terhenti sebelum selesai. Silakan minta ekspor lagi."),
    )
    return deleted
