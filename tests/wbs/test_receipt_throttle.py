"""The receipt throttle (issue 8): attempts are counted atomically, so a burst of simultaneous wrong receipts
gets no more look-ups than the free ones, on the local-memory cache and on Redis; an empty box is not an
attempt; refusals say how long to wait."""

import re
import threading
from unittest import mock

import pytest
import time_machine
from django.test import Client

from cases import intake

pytestmark = pytest.mark.django_db(transaction=True)

TRACK = "/wbs/lapor/pantau/"


@pytest.fixture(params=["locmem", "redis"])
def cache_backend(request, settings, tmp_path):
    """The default cache as configured in each runtime: local memory (embedded) and a real Redis."""
    if request.param == "locmem":
        yield "locmem"
        return
    from tests.integration.test_celery_outbox import RedisServer, _redis_server_binary

    binary = _redis_server_binary()
    if binary is None:
        pytest.skip("redis-server is not installed")
    server = RedisServer(binary, tmp_path)
    server.start()
    try:
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": server.url}
        }
        yield "redis"
    finally:
        server.kill()


class CountingLookup:
    """Stands in for intake.find_case: counts look-ups and takes as long as an Argon2 hash does."""

    def __init__(self):
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, receipt):
        with self.lock:
            self.calls += 1
        threading.Event().wait(0.05)
        return None


def test_twenty_simultaneous_wrong_receipts_get_only_the_free_look_ups(cache_backend, settings):
    settings.SIGAP_RECEIPT_FREE_ATTEMPTS = 3
    lookup = CountingLookup()
    start = threading.Barrier(20)
    statuses = []

    def attempt(number):
        client = Client(REMOTE_ADDR="203.0.113.7")  # one client, twenty tabs
        start.wait()
        statuses.append(client.post(TRACK, {"receipt": f"{number:016d}"}).status_code)

    with mock.patch("cases.intake.find_case", lookup):
        threads = [threading.Thread(target=attempt, args=(n,)) for n in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert len(statuses) == 20
    assert 1 <= lookup.calls <= 3
    assert statuses.count(429) == 20 - lookup.calls


def test_an_empty_box_asks_for_the_receipt_and_is_not_counted(settings):
    settings.SIGAP_RECEIPT_FREE_ATTEMPTS = 2
    client = Client(REMOTE_ADDR="203.0.113.8")
    lookup = CountingLookup()
    with mock.patch("cases.intake.find_case", lookup):
        for _ in range(5):
            page = client.post(TRACK, {"receipt": "   "})
            assert page.status_code == 200 and "Masukkan kode tanda terima" in page.content.decode()
        assert lookup.calls == 0
        # The free attempts are all still there.
        for _ in range(2):
            assert client.post(TRACK, {"receipt": "1111222233334444"}).status_code == 200
        assert lookup.calls == 2


def test_slowed_and_blocked_answers_say_how_long_to_wait(settings):
    settings.SIGAP_RECEIPT_FREE_ATTEMPTS = 1
    settings.SIGAP_RECEIPT_BLOCK_AFTER = 2
    settings.SIGAP_RECEIPT_BLOCK_MINUTES = 30
    client = Client(REMOTE_ADDR="203.0.113.9")
    with (
        mock.patch("cases.intake.find_case", CountingLookup()),
        time_machine.travel("2026-11-23 10:00:00+07:00", tick=False) as clock,
    ):
        client.post(TRACK, {"receipt": "1111222233334444"})
        slowed = client.post(TRACK, {"receipt": "1111222233334444"}).content.decode()
        assert slowed.count("coba lagi dalam 2 detik") == 1
        clock.shift(3)
        client.post(TRACK, {"receipt": "1111222233334444"})
        clock.shift(60)
        blocked = client.post(TRACK, {"receipt": "1111222233334444"})
        assert blocked.status_code == 429 and "coba lagi dalam 30 menit" in blocked.content.decode()
        clock.shift(10 * 60)
        later = client.post(TRACK, {"receipt": "1111222233334444"}).content.decode()
        assert re.search(r"coba lagi dalam 20 menit", later)


def test_a_right_receipt_clears_the_count(make_report, settings):
    settings.SIGAP_RECEIPT_FREE_ATTEMPTS = 2
    report = make_report()
    client = Client(REMOTE_ADDR="203.0.113.10")
    client.post(TRACK, {"receipt": "1111222233334444"})
    assert client.post(TRACK, {"receipt": intake.format_receipt(report.receipt)}).status_code == 302
    lookup = CountingLookup()
    with mock.patch("cases.intake.find_case", lookup):
        client.post(TRACK, {"receipt": "1111222233334444"})
        client.post(TRACK, {"receipt": "1111222233334444"})
    assert lookup.calls == 2
