"""Shared set-up of the browser tests: Debian's Chromium driven by Playwright (never `playwright install`)."""

import os
import shutil
from pathlib import Path

import pytest

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 15_000


@pytest.fixture
def chromium_path():
    path = os.environ.get("SIGAP_CHROMIUM") or shutil.which("chromium")
    if not path:
        pytest.skip("no Chromium binary (set SIGAP_CHROMIUM or install Debian's chromium package)")
    return path


def log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/akun/masuk/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.narrow button[type=submit]")
    page.wait_for_load_state()


def phone_context(browser, *, javascript: bool = True, width: int = 390, height: int = 844):
    """A phone-sized, touch browser context (390x844 by default, like a common Android phone), in Indonesian; the
    public pages are tried with JavaScript off too (Tor Browser "safest", old phones)."""
    context = browser.new_context(
        locale="id-ID",
        viewport={"width": width, "height": height},
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
        java_script_enabled=javascript,
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context


def scriptless_phone(browser):
    return phone_context(browser, javascript=False)
