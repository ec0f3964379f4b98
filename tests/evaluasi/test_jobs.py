"""The export job runner (evaluasi.jobs) and its pages: queued → running → done or failed, progress, the file
stored encrypted and offered to the requester only until it expires, the sweep, one record per export."""

import datetime as dt
import io
import logging
import time

import openpyxl
import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string

from cases import crypto, embedded, workdays
from cases.models import CaseEvent
from evaluasi import exports, jobs, tasks_export
from evaluasi.models import ExportJob, ExportStatus
from evaluasi.periods import Period

pytestmark = pytest.mark.django_db


def params(**extra) -> dict:
    return {"periode": Period.containing("month", workdays.today()).code, "unit": "", **extra}


@pytest.fixture
def cases(make_widget, handler):
    return [make_widget(status=status) for status in ("submitted", "approved", "rejected", "reviewing", "submitted")]


@pytest.fixture
def registered():
    """Exporters of the test's own, removed afterwards."""
    added = []

    def register(code, write, allowed=lambda user, params: True, **extra):
        jobs.exporter(code, allowed=allowed, **extra)(write)
        added.append(code)

    yield register
    for code in added:
        jobs.EXPORTERS.pop(code, None)


def test_a_job_is_queued_then_runs_once_on_commit(cases, inspektur, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = jobs.request(inspektur, "cases.xlsx", params(), "Daftar kasus")
    assert job.status == ExportStatus.QUEUED and len(callbacks) == 1
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
    assert job.started_at <= job.finished_at
    assert job.expires_at == job.finished_at + dt.timedelta(hours=settings.SIGAP_EXPORT_KEEP_HOURS)
    assert (job.done, job.total) == (5, 5)
    # Stored encrypted in the private storage, under a random name; readable through jobs.read.
    with default_storage.open(job.blob, "rb") as handle:
        stored = handle.read()
    assert not stored.startswith(b"PK") and crypto.decrypt_bytes(stored)[:2] == b"PK"
    sheet = openpyxl.load_workbook(io.BytesIO(jobs.read(job))).active
    assert sum(1 for row in sheet.iter_rows() if str(row[0].value).startswith("UJI-")) == 5
    # A second delivery of the task (acks_late) finds the job taken and does nothing.
    blob = job.blob
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.blob == blob


def test_progress_is_reported_every_chunk(cases, inspektur, monkeypatch):
    monkeypatch.setattr(exports, "CHUNK", 2)
    calls = []
    job = ExportJob(requested_by=inspektur, what="cases.csv", params=params(), title="t")
    exports.cases_csv(job, io.BytesIO(), lambda done, total: calls.append((done, total)))
    assert calls == [(0, 5), (2, 5), (4, 5), (5, 5)]


def test_progress_reaches_the_job_row(inspektur, registered):
    seen = []

    def write(job, out, progress):
        progress(2000, 5000)
        seen.append(ExportJob.objects.values_list("status", "done", "total").get(pk=job.pk))
        out.write(b"x")
        return "x.txt", "text/plain"

    registered("test.progress", write)
    job = ExportJob.objects.create(requested_by=inspektur, what="test.progress", params={}, title="t")
    jobs.run(job.pk)
    assert seen == [(ExportStatus.RUNNING, 2000, 5000)]
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.percent == 100


def test_a_failing_export_says_so_in_indonesian_and_logs_the_traceback(inspektur, registered, caplog, client):
    def write(job, out, progress):
        raise RuntimeError("secret internal detail")

    registered("test.fail", write)
    job = ExportJob.objects.create(requested_by=inspektur, what="test.fail", params={}, title="Gagal")
    with caplog.at_level(logging.ERROR, logger="evaluasi.jobs"):
        jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and not job.blob
    assert "gagal" in job.error.lower() and "secret" not in job.error
    assert "secret internal detail" in caplog.text
    client.force_login(inspektur)
    page = client.get(reverse("evaluasi:export_job", kwargs={"job": job.uuid})).content.decode()
    assert job.error in page and "secret" not in page and "Traceback" not in page


def test_a_job_whose_requester_lost_the_right_fails(inspektur, registered):
    allowed = {"yes": True}
    registered("test.rights", lambda job, out, progress: ("x", "text/plain"), allowed=lambda u, p: allowed["yes"])
    job = jobs.request(inspektur, "test.rights", {}, "t")
    allowed["yes"] = False
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "berwenang" in job.error


def test_asking_without_the_right_is_refused_and_records_nothing(outsider):
    with pytest.raises(PermissionDenied):
        jobs.request(outsider, "cases.xlsx", params(), "t")
    assert not ExportJob.objects.exists()


@pytest.fixture
def done_job(cases, inspektur):
    job = jobs.request(inspektur, "cases.csv", params(), "Daftar kasus")
    jobs.run(job.pk)
    job.refresh_from_db()
    return job


def test_only_the_requester_downloads(done_job, client, inspektur, make_user):
    other = make_user("inspektur2", "inspektur")
    client.force_login(other)
    for name in ("export_job", "export_download"):
        assert client.get(reverse(f"evaluasi:{name}", kwargs={"job": done_job.uuid})).status_code == 404
    assert done_job.title not in client.get(reverse("evaluasi:export_list")).content.decode()
    client.force_login(inspektur)
    response = client.get(reverse("evaluasi:export_download", kwargs={"job": done_job.uuid}))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{done_job.filename}"'
    assert response.content.startswith("\ufeff".encode())
    assert done_job.title in client.get(reverse("evaluasi:export_list")).content.decode()


def test_an_expired_export_is_gone_and_the_sweep_deletes_its_file(done_job, client, inspektur):
    assert default_storage.exists(done_job.blob)
    assert jobs.sweep() == 0  # not yet expired
    later = done_job.expires_at + dt.timedelta(minutes=1)
    ExportJob.objects.filter(pk=done_job.pk).update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    client.force_login(inspektur)
    response = client.get(reverse("evaluasi:export_download", kwargs={"job": done_job.uuid}))
    assert response.status_code == 410 and "tidak tersedia" in response.content.decode()
    assert jobs.sweep(later) == 1
    assert not default_storage.exists(done_job.blob)
    done_job.refresh_from_db()
    assert done_job.status == ExportStatus.EXPIRED and not done_job.blob
    assert jobs.sweep(later) == 0  # idempotent
    assert client.get(reverse("evaluasi:export_download", kwargs={"job": done_job.uuid})).status_code == 410


def test_the_sweep_fails_jobs_whose_worker_was_lost(inspektur):
    job = ExportJob.objects.create(requested_by=inspektur, what="cases.xlsx", params={}, title="t")
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING)
    jobs.sweep(timezone.now() + jobs.STALE_AFTER + dt.timedelta(minutes=1))
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and job.error


def test_a_small_export_downloads_at_once_with_one_record_and_no_case_events(cases, client, inspektur):
    events = CaseEvent.objects.count()
    client.force_login(inspektur)
    response = client.get(reverse("evaluasi:export"), {"what": "cases.xlsx", **params()})
    assert response.status_code == 200 and response.content[:2] == b"PK"
    job = ExportJob.objects.get()
    assert (job.requested_by, job.what, job.status) == (inspektur, "cases.xlsx", ExportStatus.DONE)
    assert job.params["periode"] == params()["periode"]
    assert CaseEvent.objects.count() == events  # one record per export, none per exported case


def test_a_big_export_goes_to_the_background(cases, client, inspektur, settings, django_capture_on_commit_callbacks):
    settings.SIGAP_EXPORT_DIRECT_ROWS = 2
    client.force_login(inspektur)
    url = reverse("evaluasi:export") + "?what=cases.xlsx&periode=" + params()["periode"]
    page = client.get(url)
    assert page.status_code == 200 and "5 baris" in page.content.decode() and not ExportJob.objects.exists()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url)
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "evaluasi:export_job", kwargs={"job": job.uuid}
    )
    assert len(callbacks) == 1
    listing = client.get(reverse("evaluasi:export_list")).content.decode()
    assert 'http-equiv="refresh" content="3"' in listing
    jobs.run(job.pk)
    listing = client.get(reverse("evaluasi:export_list")).content.decode()
    assert 'http-equiv="refresh"' not in listing and "Unduh" in listing


def test_a_mistyped_period_says_so(client, inspektur):
    client.force_login(inspektur)
    response = client.get(reverse("evaluasi:export"), {"what": "dashboard.xlsx", "periode": "2026-Q5"})
    assert response.status_code == 400 and "tidak dikenal" in response.content.decode()


def test_with_redis_the_job_goes_to_a_celery_worker(inspektur, settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    monkeypatch.setattr(tasks_export.run_export, "delay", lambda job_id: queued.append(job_id))
    jobs.dispatch(42)
    assert queued == [42]


def test_the_sweep_is_on_the_beat_schedule_and_the_embedded_runner():
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "evaluasi.tasks_export.sweep_exports" in entries
    assert import_string("evaluasi.tasks_export.sweep_exports") in embedded._periodic()


@pytest.mark.django_db(transaction=True)
def test_in_the_embedded_default_a_thread_runs_the_job(make_widget, handler, inspektur):
    assert settings.CELERY_TASK_ALWAYS_EAGER
    make_widget(status="submitted")
    job = jobs.request(inspektur, "cases.xlsx", params(), "t")  # autocommit: on_commit runs at once
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status in (ExportStatus.DONE, ExportStatus.FAILED):
            break
        time.sleep(0.1)
    assert job.status == ExportStatus.DONE
    default_storage.delete(job.blob)


def test_with_the_broker_down_the_job_runs_in_the_web_process(settings, monkeypatch):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    def down(job_id):
        raise ConnectionError("broker down")

    started = []
    monkeypatch.setattr(tasks_export.run_export, "delay", down)
    monkeypatch.setattr(jobs, "_run_in_thread", started.append)
    jobs.dispatch(7)
    deadline = time.monotonic() + 5
    while not started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert started == [7]


def test_a_direct_download_is_listed_as_such_and_left_alone_by_the_sweep(cases, client, inspektur):
    client.force_login(inspektur)
    client.get(reverse("evaluasi:export"), {"what": "cases.csv", **params()})
    job = ExportJob.objects.get()
    assert job.expires_at is None and not job.blob
    listing = client.get(reverse("evaluasi:export_list")).content.decode()
    assert (
        "Diunduh langsung" in listing and reverse("evaluasi:export_download", kwargs={"job": job.uuid}) not in listing
    )
    jobs.sweep(timezone.now() + dt.timedelta(days=30))
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE
