"""The tracking number + PIN credential (cases.intake.NumberPinCredential, pengaduan's), on the test kind
'ujipub' switched to it and mounted at /uji/lapor/ (tests/casetype/intake.py)."""

import re
import secrets

import pytest
from django.core.cache import cache

from cases import intake, policy, registry, services
from cases.models import TrackingCredential
from tests.casetype.intake import KIND
from tests.casetype.models import FINAL, Status, Widget

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.casetype.urls")]

TRACK = "/uji/lapor/pantau/"
STATUS = "/uji/lapor/pantau/laporan/"
CREDENTIAL = intake.CREDENTIALS["number_pin"]


@pytest.fixture(autouse=True)
def public_kind(unit):
    cache.clear()
    kind = registry.register(
        registry.CaseKind(
            code=KIND,
            prefix="ADU",
            label="Uji publik",
            model_label="casetype.Widget",
            handler_group=policy.PETUGAS_PENGADUAN,
            status_labels=tuple(Status.choices),
            final_states=FINAL,
            public_intake=registry.PublicIntake(namespace="ujipub", credential="number_pin"),
        )
    )
    yield kind
    registry._kinds.pop(KIND, None)


@pytest.fixture
def issued(unit):
    case = services.create_case(kind=KIND, actor=None, unit=unit, status=Status.SUBMITTED, title="Jalan rusak")
    return case, CREDENTIAL.issue(case)


@pytest.fixture
def hashes(monkeypatch):
    """Counts the Argon2 hashes of PIN look-ups."""
    calls = []
    real = intake.pin_digest
    monkeypatch.setattr(intake, "pin_digest", lambda pin, salt: calls.append(pin) or real(pin, salt))
    return calls


def typed(number: str, pin: str) -> str:
    return CREDENTIAL.typed({"number": number, "pin": pin})


def test_it_issues_the_reference_and_a_pin_and_finds_the_case_again(issued):
    case, secret = issued
    number, pin = secret.split("\n")
    assert number == case.reference and re.fullmatch(r"ADU-\d{4}-\d{6}", number) and re.fullmatch(r"\d{8}", pin)
    shown = CREDENTIAL.display(secret)
    assert shown.number == number and shown.pin == f"{pin[:4]}-{pin[4:]}"
    assert str(shown) == f"{number} · PIN {shown.pin}"
    assert CREDENTIAL.find(typed(number, pin)).pk == case.pk
    assert CREDENTIAL.find(typed(number, shown.pin)).pk == case.pk


def test_only_a_salted_hash_of_the_pin_is_stored(issued):
    case, secret = issued
    stored = TrackingCredential.objects.get(case=case)
    assert stored.receipt_hash is None and secret.split("\n")[1] not in stored.pin_hash
    salt, digest = stored.pin_hash.split("$")
    assert len(bytes.fromhex(salt)) == 16 and len(bytes.fromhex(digest)) == 32


def test_two_cases_get_different_salts(issued, unit):
    other = services.create_case(kind=KIND, actor=None, unit=unit, status=Status.SUBMITTED, title="Lain")
    CREDENTIAL.issue(other)
    salts = {pin_hash.split("$")[0] for pin_hash in TrackingCredential.objects.values_list("pin_hash", flat=True)}
    assert len(salts) == 2


@pytest.mark.parametrize(
    "number_of, pin_of",
    [
        (lambda n: n, lambda p: "00000000" if p != "00000000" else "11111111"),  # wrong PIN
        (lambda n: "ADU-2026-999999", lambda p: p),  # unknown number
        (lambda n: "ADU-1999-000001", lambda p: p),  # unknown year
        (lambda n: "XYZ-2026-000001", lambda p: p),  # another prefix
        (lambda n: "bukan nomor", lambda p: p),  # malformed number
        (lambda n: n, lambda p: "12ab"),  # malformed PIN
        (lambda n: "ADU-2026-0000001", lambda p: p),  # seven digits
        (lambda n: "ADU-２０２６-000001", lambda p: p),  # not ASCII
    ],
)
def test_every_failure_costs_exactly_one_hash_and_answers_none(issued, hashes, number_of, pin_of):
    case, secret = issued
    number, pin = secret.split("\n")
    assert CREDENTIAL.find(typed(number_of(number), pin_of(pin))) is None
    assert len(hashes) == 1


def test_a_success_costs_exactly_one_hash_too(issued, hashes):
    _case, secret = issued
    assert CREDENTIAL.find(secret) is not None
    assert len(hashes) == 1


def test_a_case_of_a_receipt_kind_is_not_opened_by_its_reference(issued, unit, hashes, make_widget):
    other = make_widget("submitted")  # 'uji', prefix UJI: no PIN credential
    intake.issue_receipt(other)
    assert CREDENTIAL.find(typed(other.reference, "12345678")) is None
    assert len(hashes) == 1


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ADU-2026-000123", "ADU-2026-000123"),
        ("adu-2026-000123", "ADU-2026-000123"),
        (" ADU 2026 123 ", "ADU-2026-000123"),
        ("adu2026000123", "ADU-2026-000123"),
        ("Adu - 2026 - 0123", "ADU-2026-000123"),
        ("ADU-2026-", None),
        ("2026-000123", None),
        ("ADU-26-000123", None),
        ("", None),
    ],
)
def test_it_normalises_typed_numbers(text, expected):
    assert intake.normalise_number(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [("1234-5678", "12345678"), ("1234 5678", "12345678"), (" 12345678 ", "12345678"), ("1234567", None), ("", None)],
)
def test_it_normalises_typed_pins(text, expected):
    assert intake.normalise_pin(text) == expected


def test_it_finds_the_case_with_a_number_typed_loosely(issued):
    case, secret = issued
    number, pin = secret.split("\n")
    loose = number.lower().replace("-", " ").replace(" 0", " ", 1)
    assert CREDENTIAL.find(typed(loose, f"{pin[:4]} {pin[4:]}")).pk == case.pk


def test_a_half_filled_form_is_not_an_attempt():
    assert typed("ADU-2026-000001", "") == "" and typed("", "12345678") == ""


def test_a_number_locks_after_too_many_wrong_pins_from_anywhere(issued, settings):
    settings.SIGAP_PIN_LOCK_AFTER = 3
    case, secret = issued
    number, pin = secret.split("\n")
    wrong = "00000000" if pin != "00000000" else "11111111"
    for _attempt in range(3):
        assert CREDENTIAL.find(typed(number, wrong)) is None
    # Now even the right PIN gets the one refusal, typed in any form.
    assert CREDENTIAL.find(secret) is None
    assert CREDENTIAL.find(typed(number.lower(), pin)) is None
    cache.clear()  # the lock expires
    assert CREDENTIAL.find(secret).pk == case.pk


def test_an_unknown_number_locks_the_same_way(settings):
    """The lock reveals nothing: counted and held by the typed number, whether it exists or not."""
    settings.SIGAP_PIN_LOCK_AFTER = 3
    for _attempt in range(3):
        CREDENTIAL.find(typed("ADU-2026-999999", "12345678"))
    assert intake.NumberLock("ADU-2026-999999").locked()
    assert not intake.NumberLock("ADU-2026-999998").locked()


def test_a_lock_on_one_number_leaves_the_others_open(issued, unit, settings):
    settings.SIGAP_PIN_LOCK_AFTER = 3
    case, secret = issued
    for _attempt in range(3):
        CREDENTIAL.find(typed("ADU-2026-999999", "12345678"))
    assert CREDENTIAL.find(secret).pk == case.pk


def test_the_cache_keys_do_not_name_the_number():
    lock = intake.NumberLock("ADU-2026-000123")
    assert "000123" not in lock.key and "ADU" not in lock.key


def test_the_tracking_page_opens_the_case_with_number_and_pin(client):
    response = client.post("/uji/lapor/", {"submission": secrets.token_urlsafe(8), "title": "Lampu mati"})
    page = client.get(response["Location"]).content.decode()
    shown = re.search(r"receipt:(ADU-\d{4}-\d{6}) · PIN (\d{4}-\d{4})", page)
    assert shown is not None
    client.cookies.clear()
    response = client.post(TRACK, {"number": shown.group(1).lower(), "pin": shown.group(2)})
    assert response.status_code == 302 and response["Location"] == STATUS
    assert Widget.objects.get(kind=KIND).reference == shown.group(1)


def test_the_tracking_page_gives_one_answer_for_every_failure(client, issued):
    case, secret = issued
    number, pin = secret.split("\n")
    wrong = "00000000" if pin != "00000000" else "11111111"
    answers = set()
    failures = (
        {"number": number, "pin": wrong},
        {"number": "ADU-2026-999999", "pin": pin},
        {"number": "x", "pin": "y"},
    )
    for data in failures:
        cache.clear()  # the per-client throttle is tested elsewhere
        response = client.post(TRACK, data)
        assert response.status_code == 200
        answers.add(response.content.decode())
    assert len(answers) == 1 and "Nomor pengaduan atau PIN tidak cocok" in answers.pop()


def test_the_tracking_page_asks_for_both_fields(client):
    response = client.post(TRACK, {"number": "ADU-2026-000001", "pin": ""})
    assert "Masukkan nomor pengaduan dan PIN" in response.content.decode()
