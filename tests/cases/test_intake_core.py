"""The core's public intake (cases.intake_views) used by a second kind: the test Widget as 'ujipub', mounted at
/uji/lapor/ with its own forms and templates (tests/casetype/intake.py) and no WBS code. What WBS does on the
same pages is tested in tests/wbs/test_public_intake.py."""

import logging
import re
import secrets

import pytest
import time_machine
from django.core.cache import cache
from django.urls import NoReverseMatch, reverse

from cases import intake, policy, registry
from cases.logging import PublicIntakeFilter
from cases.models import CaseEvent
from tests.casetype.intake import KIND
from tests.casetype.models import FINAL, Status, Widget

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.casetype.urls")]

FORM = "/uji/lapor/"
TRACK = "/uji/lapor/pantau/"
STATUS = "/uji/lapor/pantau/laporan/"


def _kind(credential: str = "receipt") -> registry.CaseKind:
    return registry.CaseKind(
        code=KIND,
        prefix="UJP",
        label="Uji publik",
        model_label="casetype.Widget",
        handler_group=policy.PETUGAS_PENGADUAN,
        status_labels=tuple(Status.choices),
        final_states=FINAL,
        public_intake=registry.PublicIntake(namespace="ujipub", credential=credential),
    )


@pytest.fixture(autouse=True)
def public_kind(unit):
    cache.clear()  # receipts, tokens and counters of earlier tests
    kind = registry.register(_kind())
    yield kind
    registry._kinds.pop(KIND, None)


def submit(client, title="Lampu jalan mati", **extra):
    return client.post(FORM, {"submission": secrets.token_urlsafe(8), "title": title, **extra})


def receipt_of(client, response) -> str:
    page = client.get(response["Location"]).content.decode()
    return re.search(r"receipt:(.+)", page).group(1).strip()


def test_it_files_a_report_of_the_second_kind_and_shows_its_receipt_once(client):
    response = submit(client)
    assert response.status_code == 302 and response["Location"].startswith("/uji/lapor/terima/")
    widget = Widget.objects.get(kind=KIND)
    assert widget.title == "Lampu jalan mati" and widget.status == Status.SUBMITTED
    shown = client.get(response["Location"]).content.decode()
    assert intake.normalise_receipt(re.search(r"receipt:([\d ]+)", shown).group(1)) is not None
    assert client.get(response["Location"]).content.decode().strip() == "receipt:none"


def test_its_receipt_opens_its_status_page_with_the_stages_it_declares(client):
    receipt = receipt_of(client, submit(client))
    client.cookies.clear()
    response = client.post(TRACK, {"receipt": receipt})
    assert response.status_code == 302 and response["Location"] == STATUS
    page = client.get(STATUS).content.decode()
    # Its own stage label, and no sealed part: the kind declares none.
    assert page.startswith("status:Lampu jalan mati|Masuk;|no-identity")


def test_a_receipt_of_another_kind_does_not_open_it(client, make_widget):
    other = make_widget()  # the plain test kind, not this public one
    receipt = intake.issue_receipt(other)
    response = client.post(TRACK, {"receipt": receipt})
    assert response.status_code == 200
    assert "Kode tanda terima tidak dikenali" in response.content.decode()
    assert client.get(STATUS)["Location"] == TRACK


def test_the_reporter_writes_to_the_handlers_from_its_status_page(client):
    receipt = receipt_of(client, submit(client))
    client.post(TRACK, {"receipt": receipt})
    assert client.post("/uji/lapor/pantau/pesan/", {"text": "Di depan nomor 12."}).status_code == 302
    event = CaseEvent.objects.get(case__kind=KIND, action="message")
    assert event.data["from_reporter"] and event.actor is None
    assert "Pesan Anda;" in client.get(STATUS).content.decode()
    assert client.get("/uji/lapor/pantau/pesan/").status_code == 405


def test_its_prefix_is_public_for_the_middleware_the_logs_and_the_language_switch(client):
    # The kinds' intake pages, then the other apps' public pages (survei's form and results).
    assert registry.public_prefixes() == ("/pengaduan/", "/uji/lapor/", "/wbs/lapor/", "/survei/")
    response = client.get(FORM)
    assert "no-store" in response["Cache-Control"]
    assert response.content.decode().startswith("/uji/lapor/bahasa/")
    record = logging.LogRecord("django.server", logging.INFO, "", 0, '"GET /uji/lapor/pantau/ HTTP/1.1" 200', (), None)
    assert not PublicIntakeFilter().filter(record)


def test_its_submissions_count_against_its_own_limit(client):
    assert submit(client, "satu").status_code == 302
    assert submit(client, "dua").status_code == 302
    refused = submit(client, "tiga")
    assert refused.status_code == 200 and "Terlalu banyak kiriman" in refused.content.decode()
    assert Widget.objects.filter(kind=KIND).count() == 2


def test_a_kind_without_a_sealed_part_has_no_identity_page():
    assert reverse("ujipub:reporter_message") == "/uji/lapor/pantau/pesan/"
    with pytest.raises(NoReverseMatch):
        reverse("ujipub:reporter_identity")


class CodeCredential(intake.ReceiptCredential):
    """Another credential format: the receipt shown with a marker, to prove the pages only go through it."""

    def display(self, value: str) -> str:
        return f"KODE-{value}"

    def find(self, text: str):
        return super().find(text.removeprefix("KODE-"))


def test_the_credential_is_the_one_the_kind_declares(client, monkeypatch):
    registry._kinds.pop(KIND)
    registry.register(_kind(credential="kode"))
    monkeypatch.setitem(intake.CREDENTIALS, "kode", CodeCredential())
    receipt = receipt_of(client, submit(client))
    assert re.fullmatch(r"KODE-\d{16}", receipt)
    client.cookies.clear()
    assert client.post(TRACK, {"receipt": receipt})["Location"] == STATUS


def test_a_count_by_client_tag_holds_when_the_hour_turns_during_a_test():
    """The guard against the flake: a test that counts by client_tag must not see the pseudonym change."""
    with time_machine.travel("2026-11-23 10:59:59+07:00", tick=False) as clock:
        before = intake.client_tag("203.0.113.7")
        clock.shift(2)
        assert intake.client_tag("203.0.113.7") == before


@pytest.mark.real_salt_hour
def test_the_client_tag_changes_with_the_hour_in_service():
    with time_machine.travel("2026-11-23 10:59:59+07:00", tick=False) as clock:
        before = intake.client_tag("203.0.113.7")
        assert intake.client_tag("203.0.113.7") == before
        clock.shift(2)
        assert intake.client_tag("203.0.113.7") != before


# ---------------------------------------------------------------------------------------------------------
# The one-time form token (cases.intake.SubmissionToken), shared with the survey form


def token(nonce="n0nce", scope="uji", hold_seconds=600) -> intake.SubmissionToken:
    return intake.SubmissionToken(scope, nonce, hold_seconds=hold_seconds)


@pytest.fixture
def sleeps(monkeypatch) -> list:
    """The waits claim makes, without waiting; a test may append a callable to run at the first one."""
    waited: list = []

    def sleep(seconds):
        waited.append(seconds)
        if callable(waited[0]):
            waited.pop(0)()

    monkeypatch.setattr(intake.time, "sleep", sleep)
    return waited


def test_the_first_claim_holds_the_token_and_a_finished_token_answers_with_its_result(sleeps):
    first = token()
    assert first.sent() is None and first.claim() is None
    assert first.sent() is None  # held, not yet filed
    first.finish("tanda-terima", keep_seconds=3600)
    again = token()  # the same form sent again: Back, then "Kirim"
    assert again.sent() == "tanda-terima"
    assert again.claim() == "tanda-terima"
    assert sleeps == []  # a finished token is answered at once


def test_a_second_claim_waits_for_the_first_and_gets_its_result(sleeps):
    assert token().claim() is None  # the first click, still filing
    sleeps.append(lambda: token().finish("tanda-terima", keep_seconds=3600))  # ...which finishes meanwhile
    assert token().claim() == "tanda-terima"
    assert sleeps == [0.2]


def test_a_token_held_past_the_wait_is_busy_and_stays_held(sleeps):
    assert token().claim() is None
    with pytest.raises(intake.SubmissionBusy):
        token().claim()
    assert len(sleeps) == 50 and sum(sleeps) == pytest.approx(10)  # ten seconds, in fifths of a second
    assert token().sent() is None
    with pytest.raises(intake.SubmissionBusy):
        token().claim()  # the first request may still file: nobody else may


def test_a_released_token_may_be_claimed_again(sleeps):
    held = token()
    assert held.claim() is None
    held.release()  # the filing failed: the form comes back and is sent again with the same token
    assert token().sent() is None and token().claim() is None
    assert sleeps == []


def test_a_held_token_frees_itself_after_the_hold_and_a_result_expires_after_the_keep():
    with time_machine.travel("2026-11-23 10:00:00+07:00", tick=False) as clock:
        assert token(hold_seconds=300).claim() is None  # a request that died while filing
        clock.shift(299)
        assert cache.get(token().key) == ""
        clock.shift(2)
        assert token().claim() is None
        token().finish("tanda-terima", keep_seconds=60)
        clock.shift(59)
        assert token().sent() == "tanda-terima"
        clock.shift(2)
        assert token().sent() is None


def test_tokens_of_different_forms_are_apart_and_an_empty_nonce_was_never_sent(sleeps):
    assert token(scope="pengaduan").claim() is None
    assert token(scope="survei").claim() is None  # the same random string on another form
    assert token(scope="survei").key == "sigap:survei:submission:n0nce"
    assert token(nonce="").sent() is None
    with pytest.raises(ValueError):
        token().finish("", keep_seconds=60)  # an empty result would read as "still held"


def test_the_form_sent_again_while_the_first_is_filing_shows_the_first_receipt(client, sleeps):
    data = {"submission": "sekali", "title": "Lampu jalan mati"}
    key = f"sigap:{KIND}:submission:sekali"
    cache.add(key, "", timeout=60)  # the first click is still filing
    sleeps.append(lambda: cache.set(key, "kunci-terima", timeout=60))  # ...and finishes while this one waits
    response = client.post(FORM, data)
    assert response.status_code == 302 and response["Location"] == "/uji/lapor/terima/kunci-terima/"
    assert not Widget.objects.filter(kind=KIND).exists()


def test_the_form_sent_again_while_the_first_is_still_filing_after_the_wait_gets_409(client, sleeps):
    cache.add(f"sigap:{KIND}:submission:sekali", "", timeout=60)
    response = client.post(FORM, {"submission": "sekali", "title": "Lampu jalan mati"})
    assert response.status_code == 409
    assert "Laporan ini sedang dikirim" in response.content.decode()
    assert not Widget.objects.filter(kind=KIND).exists()
