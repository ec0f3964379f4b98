"""The statistics API (evaluasi/views/api.py): token authentication, the dashboard's permissions, the dashboard's
numbers (WBS small cells null), read-only, the OpenAPI description, and the token page."""

import datetime as dt
import io

import pytest
import yaml
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from cases.models import Case, Unit
from evaluasi import statistics
from evaluasi.periods import Period
from evaluasi.views import api

pytestmark = pytest.mark.django_db

STATISTIK = "/evaluasi/api/v1/statistik/"
TREN = "/evaluasi/api/v1/tren/"
UNITS = "/evaluasi/api/v1/unit/"
SCHEMA = "/evaluasi/api/schema/"
TOKEN_PAGE = "/evaluasi/api/token/"


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())
    cache.clear()  # the throttle's counts


def person(username):
    return get_user_model().objects.get(username=username)


def token_client(username) -> Client:
    key = Token.objects.get_or_create(user=person(username))[0].key
    return Client(HTTP_AUTHORIZATION=f"Token {key}")


def figures_of(kind_data) -> dict:
    found = {"received": kind_data["received"]}
    for group in kind_data["groups"]:
        for figure in group["figures"]:
            found[f"{group['code']}:{figure['code']}"] = figure
    return found


def below(unit: Unit) -> set[str]:
    """The codes of `unit` and every unit under it, walked here rather than through Unit.descendant_ids."""
    codes, frontier = {unit.code}, [unit]
    while frontier:
        children = list(Unit.objects.filter(parent__in=frontier))
        codes |= {child.code for child in children}
        frontier = children
    return codes


# --- authentication and permissions ----------------------------------------------------------------------


def test_without_a_token_the_answer_is_401(demo):
    response = Client().get(STATISTIK, {"periode": "2026"})
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Token")
    assert Client(HTTP_AUTHORIZATION="Token 0123456789abcdef").get(STATISTIK).status_code == 401


def test_an_employee_with_a_token_is_refused(demo):
    response = token_client("pegawai").get(STATISTIK, {"periode": "2026"})
    assert response.status_code == 403
    assert response.json()["detail"]


def test_the_inspectorate_reads_every_kind_with_a_token(demo):
    response = token_client("inspektur").get(STATISTIK, {"periode": "2026"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert data["period"]["code"] == "2026" and data["unit"] is None
    assert {"gratifikasi", "wbs", "pengaduan", "benturan"} <= {kind["code"] for kind in data["kinds"]}
    assert data["follow_up"]["code"] == "follow_up"


def test_a_signed_in_session_reads_the_api_too(client, demo):
    client.force_login(person("inspektur"))
    assert client.get(STATISTIK, {"periode": "2026"}).status_code == 200


def test_the_received_count_is_the_cases_received_in_the_period(demo):
    data = token_client("inspektur").get(STATISTIK, {"periode": "2026"}).json()
    start = timezone.make_aware(dt.datetime(2026, 1, 1))
    end = timezone.make_aware(dt.datetime(2027, 1, 1))
    expected = (
        Case.objects.filter(kind="gratifikasi", submitted_at__gte=start, submitted_at__lt=end)
        .exclude(status="draft")
        .count()
    )
    gratifikasi = next(kind for kind in data["kinds"] if kind["code"] == "gratifikasi")
    assert expected > 0
    assert gratifikasi["received"]["value"] == expected


@pytest.mark.parametrize("unit_code", [None, "SEKR"])
def test_the_numbers_are_the_dashboards(demo, unit_code):
    params = {"periode": "2026"} | ({"unit": unit_code} if unit_code else {})
    data = token_client("inspektur").get(STATISTIK, params).json()
    unit = Unit.objects.get(code=unit_code) if unit_code else None
    panels = statistics.dashboard(statistics.Scope.of(Period.year(2026), unit))
    assert [kind["code"] for kind in data["kinds"]] == [panel.kind.code for panel in panels]
    compared = 0
    for kind_data, panel in zip(data["kinds"], panels, strict=True):
        found = figures_of(kind_data)
        if panel.received.suppressed:
            assert found["received"]["value"] is None and found["received"]["suppressed"]
        else:
            assert found["received"]["value"] == panel.received.value
        for group in panel.groups:
            for figure in group.figures:
                answer = found[f"{group.code}:{figure.code}"]
                if figure.suppressed:
                    assert answer["value"] is None and answer["suppressed"]
                    continue
                value = answer["value"]
                assert (value is None and figure.value is None) or float(value) == float(figure.value)
                assert answer["denominator"] == figure.denominator
                assert answer["percent"] == figure.percent
                compared += 1
    assert compared > 20


def test_a_figure_links_to_its_cases_and_a_median_does_not(demo):
    data = token_client("inspektur").get(STATISTIK, {"periode": "2026-Q4", "unit": "SEKR"}).json()
    found = figures_of(next(kind for kind in data["kinds"] if kind["code"] == "gratifikasi"))
    assert (
        found["handling:closed"]["cases_url"] == "/evaluasi/kasus/?kind=gratifikasi&periode=2026-Q4&unit=SEKR&final=1"
    )
    assert found["handling:median_days"]["cases_url"] is None


def test_a_small_wbs_cell_is_null(demo):
    start = timezone.make_aware(dt.datetime(2026, 1, 1))
    wbs = list(
        Case.objects.filter(kind="wbs", submitted_at__gte=start, submitted_at__lt=start.replace(year=2027))
        .exclude(status="draft")
        .values_list("status", flat=True)
    )
    assert 0 < len(wbs) < 3, "the demo data has a single WBS report, a cell under 3"
    data = token_client("inspektur").get(STATISTIK, {"periode": "2026"}).json()
    found = figures_of(next(kind for kind in data["kinds"] if kind["code"] == "wbs"))
    cell = found[f"status:status.{wbs[0]}"]
    assert cell == cell | {"value": None, "denominator": None, "percent": None, "suppressed": True, "cases_url": None}
    assert found["received"]["value"] == len(wbs)  # the unit's total is shown
    # No hidden number anywhere in the WBS panel: every suppressed figure is null throughout.
    assert all(f["value"] is None for f in found.values() if f["suppressed"])


def test_a_unit_head_reads_only_their_units(demo):
    head = token_client("atasan")
    sekr = Unit.objects.get(code="SEKR")
    assert sekr.head == person("atasan")
    own = head.get(STATISTIK, {"periode": "2026"})
    assert own.status_code == 200 and own.json()["unit"]["code"] == "SEKR"  # no unit given: the one they head
    assert head.get(STATISTIK, {"periode": "2026", "unit": "SEKR"}).status_code == 200
    outside = head.get(STATISTIK, {"periode": "2026", "unit": "KANTOR"})
    assert outside.status_code == 403 and "unit kerja" in outside.json()["detail"]
    assert head.get(TREN, {"kind": "wbs", "periode": "2026", "unit": "KANTOR"}).status_code == 403
    assert {unit["code"] for unit in head.get(UNITS).json()} == below(sekr)


def test_the_inspectorate_lists_every_unit(demo):
    codes = {unit["code"] for unit in token_client("inspektur").get(UNITS).json()}
    assert codes == set(Unit.objects.values_list("code", flat=True))


def test_a_forged_unit_is_refused(demo):
    assert token_client("atasan").get(STATISTIK, {"unit": "TIDAKADA"}).status_code == 403
    answer = token_client("inspektur").get(STATISTIK, {"unit": "TIDAKADA"})
    assert answer.status_code == 400 and "tidak dikenal" in answer.json()["detail"]


@pytest.mark.parametrize("periode", ["2026-Q5", "2026-13", "kemarin", "2026-03-01..2026-01-01"])
def test_a_bad_period_is_400_with_a_message(demo, periode):
    response = token_client("inspektur").get(STATISTIK, {"periode": periode})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "Periode" in detail or "periode" in detail


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_nothing_is_written(demo, method):
    client = token_client("inspektur")
    for url in (STATISTIK, TREN, UNITS):
        assert getattr(client, method)(url, {}, content_type="application/json").status_code == 405


def test_options_and_head_are_allowed(demo):
    client = token_client("inspektur")
    assert client.head(STATISTIK, {"periode": "2026"}).status_code == 200
    assert client.options(STATISTIK).status_code == 200


def test_the_trend_is_the_statistics_trend(demo):
    response = token_client("inspektur").get(TREN, {"kind": "gratifikasi", "periode": "2026-Q4"})
    assert response.status_code == 200
    data = response.json()
    periods, series = statistics.trend(
        statistics.registry.get("gratifikasi"), statistics.Scope.of(Period.quarter(2026, 4), None)
    )
    assert [p["code"] for p in data["periods"]] == [p.code for p in periods]
    assert len(data["periods"]) == 12 and data["periods"][-1]["code"] == "2026-Q4"
    assert [[point["value"] for point in line["points"]] for line in data["series"]] == [
        [value for _label, value in line.points] for line in series
    ]
    assert token_client("inspektur").get(TREN, {"kind": "rahasia"}).status_code == 400


def test_json_answers_carry_the_security_headers(demo):
    response = token_client("inspektur").get(STATISTIK, {"periode": "2026"})
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


def test_each_user_has_a_rate(demo, monkeypatch):
    monkeypatch.setattr(api.StatisticsThrottle, "THROTTLE_RATES", {"evaluasi_api": "2/min"})
    client = token_client("inspektur")
    assert [client.get(UNITS).status_code for _ in range(3)] == [200, 200, 429]
    assert token_client("atasan").get(UNITS).status_code == 200  # someone else's count


# --- the OpenAPI description -----------------------------------------------------------------------------


def test_the_schema_describes_the_responses_and_validates(demo):
    from drf_spectacular.validation import validate_schema

    assert Client().get(SCHEMA).status_code == 401
    response = token_client("inspektur").get(SCHEMA)
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)
    validate_schema(schema)
    assert set(schema["paths"]) == {"/evaluasi/api/v1/statistik/", "/evaluasi/api/v1/tren/", "/evaluasi/api/v1/unit/"}
    ok = schema["paths"]["/evaluasi/api/v1/statistik/"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/Statistik")
    figure = schema["components"]["schemas"]["Figure"]["properties"]
    assert {"value", "denominator", "percent", "suppressed", "cases_url"} <= set(figure)
    assert figure["value"]["nullable"] is True
    assert "tokenAuth" in schema["components"]["securitySchemes"]
    for operation in (path["get"] for path in schema["paths"].values()):
        assert set(operation) >= {"responses"} and not {"post", "put", "delete"} & set(operation)


def test_the_management_command_validates_the_schema(demo):
    out = io.StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", "--urlconf", "evaluasi.views.api", stdout=out)
    assert "/api/v1/statistik/" in out.getvalue()


# --- the token page --------------------------------------------------------------------------------------


def test_the_inspector_makes_a_token_once_and_revokes_it(demo):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(person("inspektur"))
    page = browser.get(TOKEN_PAGE)
    assert page.status_code == 200
    csrf = page.cookies["csrftoken"].value
    assert browser.post(TOKEN_PAGE, {"action": "buat"}).status_code == 403  # no CSRF token
    made = browser.post(TOKEN_PAGE, {"action": "buat", "csrfmiddlewaretoken": csrf})
    key = Token.objects.get(user=person("inspektur")).key
    # Post, redirect, get: reloading the page that shows the key makes no second token.
    assert made.status_code == 302 and key not in made.content.decode()
    shown = browser.get(made["Location"])
    assert key in shown.content.decode() and "no-store" in shown["Cache-Control"]
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(UNITS).status_code == 200
    assert key not in browser.get(TOKEN_PAGE).content.decode()  # shown once
    assert Token.objects.get(user=person("inspektur")).key == key  # the reloads made no other
    browser.post(TOKEN_PAGE, {"action": "cabut", "csrfmiddlewaretoken": csrf})
    assert not Token.objects.filter(user=person("inspektur")).exists()
    assert Client(HTTP_AUTHORIZATION=f"Token {key}").get(UNITS).status_code == 401


def test_a_new_token_replaces_the_old(demo):
    browser = Client()
    browser.force_login(person("inspektur"))
    browser.post(TOKEN_PAGE, {"action": "buat"})
    first = Token.objects.get(user=person("inspektur")).key
    browser.post(TOKEN_PAGE, {"action": "buat"})
    assert Token.objects.filter(user=person("inspektur")).count() == 1
    assert Client(HTTP_AUTHORIZATION=f"Token {first}").get(UNITS).status_code == 401


def test_an_employee_gets_no_token_page(client, demo):
    client.force_login(person("pegawai"))
    assert client.get(TOKEN_PAGE).status_code == 403
    assert client.post(TOKEN_PAGE, {"action": "buat"}).status_code == 403
    assert not Token.objects.exists()


def test_a_wrong_token_and_a_missing_kind_are_answered_in_indonesian(demo):
    wrong = Client(HTTP_AUTHORIZATION="Token 0000000000000000000000000000000000000000").get(UNITS)
    assert wrong.status_code == 401 and "Token tidak dikenal" in wrong.json()["detail"]
    missing = token_client("inspektur").get("/evaluasi/api/v1/tren/", {"periode": "2026"})
    assert missing.status_code == 400 and "kind=" in str(missing.json())
