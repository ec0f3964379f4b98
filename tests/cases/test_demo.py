"""The demo as a tester meets it (issue 8): `serve` prints the credentials last, once the server listens;
links in e-mails name the address actually served; DEBUG is off unless asked for, so a missing page is
SIGAP's own Indonesian 404, and static files are still served."""

import io
import re
from unittest import mock

import pytest
from django.core.management import call_command

from tests.cases.test_settings import run_manage


@pytest.fixture
def fake_server():
    """runserver without the socket: it 'binds' to the port asked for and returns at once."""

    def run(addr, port, handler, *, on_bind=None, **kwargs):
        on_bind(port)

    with mock.patch("django.core.management.commands.runserver.run", run), mock.patch("cases.embedded.start"):
        yield


@pytest.mark.django_db(transaction=True)
def test_serve_prints_the_credentials_last_and_mails_link_to_the_served_address(
    fake_server, settings, monkeypatch, mailoutbox
):
    monkeypatch.delenv("SIGAP_BASE_URL", raising=False)
    settings.SIGAP_BASE_URL = "http://localhost:8000"
    out = io.StringIO()
    call_command("serve", "127.0.0.1:8765", stdout=out, stderr=io.StringIO())
    text = out.getvalue()
    banner = text.index("Starting development server at http://127.0.0.1:8765/")
    credentials = text.index("Demo users (password for all:")
    assert banner < credentials
    # Nothing but the credentials block (users, kinds' demo notes, the 2FA line) after it.
    tail = text[credentials:].strip().splitlines()
    assert tail[-1].startswith("Two-factor sign-in")
    # The complaint's number and PIN as a complainant types them in /pengaduan/pantau/.
    assert re.search(r"tracking number ADU-\d{4}-\d{6} with PIN \d{4}-\d{4} at /pengaduan/pantau/", text)
    assert settings.SIGAP_BASE_URL == "http://127.0.0.1:8765"
    # Also the e-mails sent while seeding and by the first deadline sweep, before the server listens.
    linked = [message.body for message in mailoutbox if "http" in message.body]
    assert linked, "seeding sent no e-mail with a link: nothing was checked"
    assert all("http://127.0.0.1:8765/" in body for body in linked)


@pytest.mark.django_db(transaction=True)
def test_an_explicit_base_url_is_kept(fake_server, settings, monkeypatch):
    monkeypatch.setenv("SIGAP_BASE_URL", "https://sigap.example.go.id")
    settings.SIGAP_BASE_URL = "https://sigap.example.go.id"
    call_command("serve", "127.0.0.1:8765", "--no-demo", stdout=io.StringIO(), stderr=io.StringIO())
    assert settings.SIGAP_BASE_URL == "https://sigap.example.go.id"


CLIENT_404 = """
from django.test import Client
client = Client(HTTP_HOST="localhost")
page = client.get("/tidak-ada/")
css = client.get("/static/sigap/sigap.css")
print("DEBUG", __import__("django.conf").conf.settings.DEBUG)
print("STATUS", page.status_code, css.status_code)
print(page.content.decode())
"""


def test_with_the_default_settings_a_404_is_sigaps_own_indonesian_page(tmp_path):
    result = run_manage("shell", "-c", CLIENT_404, SIGAP_VAR_DIR=str(tmp_path))
    assert result.returncode == 0, result.stderr
    assert "DEBUG False" in result.stdout
    assert "STATUS 404 200" in result.stdout  # static files are served with DEBUG off
    assert "Halaman tidak ditemukan" in result.stdout
    assert "Using the URLconf" not in result.stdout and "DEBUG = True" not in result.stdout


def test_debug_is_turned_on_by_its_flag(tmp_path):
    code = "from django.conf import settings; print('DEBUG', settings.DEBUG)"
    result = run_manage("shell", "-c", code, SIGAP_VAR_DIR=str(tmp_path), DEBUG="true")
    assert "DEBUG True" in result.stdout, result.stderr
