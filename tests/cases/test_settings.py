"""Settings come from the environment and fail loudly; production passes `check --deploy` cleanly."""

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[2]


def run_manage(*args, **env):
    base = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE"}}
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env={**base, **env}, capture_output=True, text=True, timeout=120
    )


PRODUCTION = {
    "SIGAP_ENV": "production",
    "SECRET_KEY": "x9!" + "k" * 20 + "Q7#pL2$vB8@nR4%tY6^wZ1&" * 2,
    "SIGAP_DATA_KEYS": Fernet.generate_key().decode(),
    "ALLOWED_HOSTS": "sigap.example.go.id",
    "DATABASE_URL": "postgres://sigap:secret@127.0.0.1:1/sigap",
    "REDIS_URL": "redis://127.0.0.1:1/0",
}


def test_production_settings_pass_check_deploy_with_no_warnings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.parametrize("missing", ["SECRET_KEY", "SIGAP_DATA_KEYS", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without_a_required_setting(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = run_manage("check", **env)
    assert result.returncode != 0
    assert missing in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [("DEBUG", "maybe"), ("SIGAP_ENV", "staging"), ("SIGAP_SESSION_IDLE_MINUTES", "abc"), ("SIGAP_DATA_KEYS", "short")],
)
def test_bad_values_stop_the_start(name, value, tmp_path):
    result = run_manage("check", SIGAP_VAR_DIR=str(tmp_path), **{name: value})
    assert result.returncode != 0
    assert name in result.stderr


def test_the_data_keys_are_not_derived_from_the_secret_key(tmp_path):
    # Rotating the session secret must leave the evidence readable: the same data keys under another SECRET_KEY.
    show = ("shell", "-c", "from django.conf import settings; print(settings.DATA_ENCRYPTION_KEYS)")
    runs = [run_manage(*show, SIGAP_VAR_DIR=str(tmp_path), SECRET_KEY=secret * 60) for secret in "ab"]
    assert [run.returncode for run in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    first, second = (ast.literal_eval(run.stdout.strip().splitlines()[-1]) for run in runs)
    assert first == second and first
    for key in first:
        Fernet(key)
