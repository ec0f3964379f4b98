"""Attachments on an S3-compatible object store (SIGAP_STORAGE=s3, issue 14): still encrypted before they leave
the app, under random keys, private, served only through the permission-checked views, and removed with their
case. The store is moto's, in this process (no network); its configuration is the one config/settings.py builds
from the environment, not one written here."""

# ruff: noqa: F811 - pytest fixtures imported by name are redefined as test arguments

import datetime as dt
import runpy
from pathlib import Path

import boto3
import pytest
import time_machine
from cryptography.fernet import Fernet
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse
from moto import mock_aws

from cases import attachments, checks, crypto, services, workdays
from cases.models import Attachment, CaseEvent
from evaluasi import jobs
from evaluasi.models import ExportStatus
from evaluasi.periods import Period
from tests.wbs.conftest import PATHS as WBS_PATHS
from tests.wbs.conftest import coordinator, jpeg_with_gps, make_report  # noqa: F401 (fixtures)
from wbs import services as wbs_services

SETTINGS_FILE = Path(__file__).resolve().parents[2] / "config" / "settings.py"
BUCKET = "sigap-bukti"
MARKER = b"rahasia-bukti-transfer "
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n" + MARKER * 40
SECRET = "uji-rahasia-kunci-s3"


def load_settings(monkeypatch, tmp_path, **environ) -> dict:
    """config/settings.py run afresh under the given environment (its module globals)."""
    for name in ("SIGAP_STORAGE", "SIGAP_S3_BUCKET", "SIGAP_S3_ENDPOINT_URL", "SIGAP_S3_REGION", "SIGAP_ENV"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("SIGAP_VAR_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SIGAP_FILES_DIR", str(tmp_path / "files"))
    for name, value in environ.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.fixture
def no_aws_anywhere(monkeypatch, tmp_path):
    """An environment in which boto3 finds no credentials at all: no variables, no shared files, no instance
    metadata service (which it would otherwise ask over the network)."""
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_S3_ACCESS_KEY_ID",
        "AWS_S3_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_SECURITY_TOKEN",
        "AWS_PROFILE",
        "AWS_S3_SESSION_PROFILE",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
        "AWS_ROLE_ARN",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "no-config"))
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.fixture
def s3_storages(monkeypatch, tmp_path, no_aws_anywhere, settings):
    """The STORAGES config/settings.py builds for SIGAP_STORAGE=s3, with moto's S3 behind it."""
    built = load_settings(
        monkeypatch, tmp_path, SIGAP_STORAGE="s3", SIGAP_S3_BUCKET=BUCKET, SIGAP_S3_REGION="ap-southeast-3"
    )
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    return {**settings.STORAGES, "default": built["STORAGES"]["default"]}


@pytest.fixture
def bucket(s3_storages):
    """A moto bucket that default_storage now writes to; yields the boto3 client to look inside it."""
    with mock_aws():
        client = boto3.client("s3", region_name="ap-southeast-3")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "ap-southeast-3"})
        with override_settings(STORAGES=s3_storages):
            yield client


def keys(client) -> list[str]:
    return [item["Key"] for item in client.list_objects_v2(Bucket=BUCKET).get("Contents", [])]


def body(client, key: str) -> bytes:
    return client.get_object(Bucket=BUCKET, Key=key)["Body"].read()


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


# --- the settings switch ---


def test_the_default_is_still_the_local_directory(monkeypatch, tmp_path):
    built = load_settings(monkeypatch, tmp_path)
    assert built["SIGAP_STORAGE"] == "local"
    assert built["STORAGES"]["default"] == {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "files"), "base_url": None},
    }


def test_s3_is_selected_by_the_environment_private_unsigned_and_without_secrets(monkeypatch, tmp_path):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUJI")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    built = load_settings(
        monkeypatch,
        tmp_path,
        SIGAP_STORAGE="s3",
        SIGAP_S3_BUCKET=BUCKET,
        SIGAP_S3_ENDPOINT_URL="https://s3.example.go.id",
        SIGAP_S3_REGION="id-jkt-1",
    )
    assert built["STORAGES"]["default"] == {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": BUCKET,
            "endpoint_url": "https://s3.example.go.id",
            "region_name": "id-jkt-1",
            "default_acl": "private",
            "querystring_auth": False,
            "file_overwrite": False,
        },
    }
    # The key pair stays in the environment: nothing in the settings module holds it.
    assert SECRET not in repr({name: value for name, value in built.items() if name.isupper()})
    assert built["STORAGES"]["staticfiles"]["BACKEND"].startswith(("whitenoise", "django.contrib.staticfiles"))


def test_an_unknown_storage_name_stops_the_start(monkeypatch, tmp_path):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured, match="SIGAP_STORAGE must be 'local' or 's3', got 'nfs'"):
        load_settings(monkeypatch, tmp_path, SIGAP_STORAGE="nfs")


# --- the start-up check ---


def s3(**options) -> dict:
    return {"default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}}


def ids(errors) -> list[str]:
    return [error.id for error in errors]


def test_the_check_passes_local_storage_and_a_complete_s3_configuration(no_aws_anywhere, monkeypatch):
    assert checks.storage_errors({"default": {"BACKEND": "django.core.files.storage.FileSystemStorage"}}) == []
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUJI")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    assert checks.storage_errors(s3(bucket_name=BUCKET)) == []
    # django-storages' own variable names count as well.
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.setenv("AWS_S3_ACCESS_KEY_ID", "AKIAUJI")
    assert checks.storage_errors(s3(bucket_name=BUCKET)) == []


def test_the_check_refuses_s3_without_a_bucket(no_aws_anywhere, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUJI")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", SECRET)
    errors = checks.storage_errors(s3(bucket_name=""))
    assert ids(errors) == ["sigap.E050"] and "SIGAP_S3_BUCKET" in errors[0].msg


def test_the_check_refuses_s3_without_credentials(no_aws_anywhere):
    errors = checks.storage_errors(s3(bucket_name=BUCKET))
    assert ids(errors) == ["sigap.E051"] and "credentials" in errors[0].msg
    assert ids(checks.storage_errors(s3())) == ["sigap.E050", "sigap.E051"]


def test_the_check_refuses_half_a_key_pair_and_names_the_missing_half(no_aws_anywhere, monkeypatch):
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIAUJI")
    errors = checks.storage_errors(s3(bucket_name=BUCKET))
    assert ids(errors) == ["sigap.E051"] and "AWS_SECRET_ACCESS_KEY" in errors[0].msg


def test_the_check_runs_at_start_up(no_aws_anywhere, settings):
    from django.core.management import call_command
    from django.core.management.base import SystemCheckError

    settings.STORAGES = {**settings.STORAGES, **s3(bucket_name=BUCKET)}
    with pytest.raises(SystemCheckError, match="sigap.E051"):
        call_command("check")


# --- files through the real paths, on the object store ---


@pytest.mark.django_db
def test_an_upload_lands_in_the_bucket_as_ciphertext_under_a_random_key(bucket, login, widget, pegawai):
    login(pegawai).post(
        reverse("cases:attachment_upload", args=[widget.reference]), {"file": SimpleUploadedFile("bukti.pdf", PDF)}
    )
    attachment = widget.attachments.get()
    assert keys(bucket) == [attachment.blob]
    assert "bukti" not in attachment.blob and attachment.blob.startswith("cases/")
    stored = body(bucket, attachment.blob)
    assert MARKER not in stored and b"%PDF" not in stored
    assert crypto.decrypt_bytes(stored) == PDF  # our ciphertext of exactly these bytes
    # Private: only the owner's grant, nobody else's (no AllUsers / AuthenticatedUsers).
    grants = bucket.get_object_acl(Bucket=BUCKET, Key=attachment.blob)["Grants"]
    assert [grant["Permission"] for grant in grants] == ["FULL_CONTROL"]
    assert all(grant["Grantee"]["Type"] == "CanonicalUser" for grant in grants)
    # A URL of the object, should anything ask for one, carries no signature that would open it.
    assert "Signature" not in default_storage.url(attachment.blob)


@pytest.mark.django_db
def test_the_download_view_decrypts_from_the_bucket_for_allowed_users_only(bucket, login, widget, pegawai, outsider):
    attachment = attachments.add(case=widget, upload=SimpleUploadedFile("bukti.pdf", PDF), actor=pegawai)
    url = reverse("cases:attachment", args=[attachment.uuid])
    response = login(pegawai).get(url)
    assert response.status_code == 200 and response.content == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert CaseEvent.objects.filter(case_id=widget.pk, action="attachment_downloaded").count() == 1
    assert login(outsider).get(url).status_code == 404
    assert CaseEvent.objects.filter(case_id=widget.pk, action="attachment_downloaded").count() == 1


@pytest.mark.django_db
def test_deleting_a_draft_removes_its_objects_from_the_bucket(
    bucket, widget, pegawai, django_capture_on_commit_callbacks
):
    first = attachments.add(case=widget, upload=SimpleUploadedFile("a.pdf", PDF), actor=pegawai)
    second = attachments.add(case=widget, upload=SimpleUploadedFile("b.pdf", PDF + b"2"), actor=pegawai)
    assert sorted(keys(bucket)) == sorted([first.blob, second.blob])
    with django_capture_on_commit_callbacks(execute=True):
        services.draft_delete(reporter=pegawai, case=widget)
    assert keys(bucket) == [] and not Attachment.objects.exists()


@pytest.mark.django_db
def test_a_refused_file_leaves_nothing_in_the_bucket(bucket, widget, pegawai):
    with pytest.raises(attachments.AttachmentRejected):
        attachments.add(
            case=widget, upload=SimpleUploadedFile("laporan.pdf", b"MZ\x90\x00" + b"\x00" * 200), actor=pegawai
        )
    assert keys(bucket) == []


@pytest.mark.django_db
def test_key_rotation_rewrites_the_object_and_removes_the_old_one(bucket, widget, pegawai):
    from django.conf import settings

    attachment = attachments.add(case=widget, upload=SimpleUploadedFile("a.pdf", PDF), actor=pegawai)
    new_key = Fernet.generate_key().decode()
    # override_settings inside the bucket's own override, never pytest-django's `settings`: that one is undone
    # after the bucket's and would put the bucket's STORAGES back for every later test.
    with override_settings(DATA_ENCRYPTION_KEYS=[new_key, *settings.DATA_ENCRYPTION_KEYS]):
        assert attachments.rotate_all() == 1
    rotated = Attachment.objects.get(pk=attachment.pk)
    assert keys(bucket) == [rotated.blob] and rotated.blob != attachment.blob
    assert Fernet(new_key.encode()).decrypt(body(bucket, rotated.blob)) == PDF


@pytest.mark.django_db
def test_the_wbs_retention_purge_removes_the_reports_objects(bucket, make_report, django_capture_on_commit_callbacks):
    report = make_report(WBS_PATHS["not_actionable"], files=[jpeg_with_gps()])
    blob = Attachment.objects.get(case_id=report.pk).blob
    assert keys(bucket) == [blob]
    with override_settings(SIGAP_WBS_RETENTION_DAYS=30):  # (not `settings`: see the rotation test)
        with time_machine.travel(dt.datetime.now(tz=dt.UTC) + dt.timedelta(days=31)):
            with django_capture_on_commit_callbacks(execute=True):
                assert wbs_services.reports_purge_expired() == 1
    assert keys(bucket) == []


@pytest.mark.django_db
def test_an_export_is_stored_encrypted_in_the_bucket_and_its_sweep_deletes_it(bucket, make_widget, inspektur):
    make_widget(status="submitted")
    period = Period.containing("month", workdays.today()).code
    job = jobs.request(inspektur, "cases.xlsx", {"periode": period, "unit": ""}, "Daftar kasus")
    jobs.run(job.pk)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and keys(bucket) == [job.blob] and job.blob.startswith("exports/")
    stored = body(bucket, job.blob)
    assert not stored.startswith(b"PK") and crypto.decrypt_bytes(stored)[:2] == b"PK"  # an encrypted XLSX
    assert jobs.read(job)[:2] == b"PK"
    assert jobs.sweep(job.expires_at + dt.timedelta(minutes=1)) == 1
    assert keys(bucket) == []


# --- the whole start, as an operator runs it ---


def test_production_on_s3_passes_check_deploy_and_refuses_to_start_without_credentials(no_aws_anywhere, tmp_path):
    from tests.cases.test_settings import PRODUCTION, run_manage

    s3_env = {**PRODUCTION, "SIGAP_STORAGE": "s3", "SIGAP_S3_BUCKET": BUCKET, "SIGAP_VAR_DIR": str(tmp_path)}
    with_keys = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        AWS_ACCESS_KEY_ID="AKIAUJI",
        AWS_SECRET_ACCESS_KEY=SECRET,
        **s3_env,
    )
    assert with_keys.returncode == 0, with_keys.stdout + with_keys.stderr
    without = run_manage("check", **s3_env)
    assert without.returncode != 0 and "sigap.E051" in without.stderr
    assert SECRET not in without.stdout + without.stderr


def test_the_bucket_is_gone_after_the_s3_tests():
    # Runs after the tests above (file order): the local directory is the default storage again for the rest
    # of the suite (a leaked override once sent the evaluasi tests to the mocked bucket).
    from django.core.files.storage import FileSystemStorage

    default_storage.exists("probe")  # builds the storage from the settings now in force
    assert isinstance(default_storage._wrapped, FileSystemStorage)
