"""Which code runs is decided by the settings in the repository, not by the environment: there is no
variable that installs extra apps (tests install their test kind through tests/settings.py)."""

from tests.cases.test_settings import run_manage

PRINT_APPS = "from django.conf import settings; print('APPS', ','.join(settings.INSTALLED_APPS))"


def test_the_environment_cannot_install_an_app(tmp_path):
    result = run_manage("shell", "-c", PRINT_APPS, SIGAP_VAR_DIR=str(tmp_path), SIGAP_EXTRA_APPS="tests.casetype")
    assert result.returncode == 0, result.stderr
    apps = result.stdout.split("APPS ", 1)[1].strip().split(",")
    assert "gratifikasi" in apps and "wbs" in apps
    assert "tests.casetype" not in apps
