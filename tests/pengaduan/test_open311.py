"""Open311 GeoReport v2 (pengaduan/open311.py): the spec's endpoints in JSON and XML, keys issued by an admin,
and never the complainant's identity or words in an answer.

The end-to-end tests drive a live server with `georeport` (PyPI), an independent GeoReport v2 client; it has
no POST, so filing a request follows the spec literally with `requests`."""

import datetime as dt
import xml.etree.ElementTree as ET

import pytest
import requests
import time_machine
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from georeport import GeoReport

from cases import services
from pengaduan import selectors
from pengaduan.models import ApiClient, Channel, Complaint, IdentityMode, Open311Request, Service

BASE = "/pengaduan/open311/v2"
NAME = ("Sri", "Wahyuningsih")
EMAIL = "sri.wahyu@contoh.test"
PHONE = "081234567890"
TEXT = "Petugas meminta biaya tambahan ZQXW untuk pembuatan KTP"
ADDRESS = "Kantor Kecamatan Menteng, loket 2"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service(unit):
    return Service.objects.create(code="ktp", name="Pembuatan KTP", group="Kependudukan", unit=unit)


@pytest.fixture
def api_key(db):
    client = ApiClient(name="Aplikasi Kota")
    key = client.issue_key()
    client.save()
    return key


def post_form(api_key, **extra):
    data = {
        "api_key": api_key,
        "service_code": "ktp",
        "description": TEXT,
        "address_string": ADDRESS,
        "attribute[category]": "02",
        "attribute[service_date]": "2026-11-30",
        "first_name": NAME[0],
        "last_name": NAME[1],
        "email": EMAIL,
        "phone": PHONE,
    }
    data.update(extra)
    return {key: value for key, value in data.items() if value is not None}


def file_request(client, api_key, fmt="json", **extra):
    return client.post(f"{BASE}/requests.{fmt}", post_form(api_key, **extra))


def xml_requests(content: bytes) -> list[dict]:
    root = ET.fromstring(content)
    assert root.tag == "service_requests"
    return [{child.tag: child.text for child in request} for request in root.findall("request")]


def assert_no_identity(content: bytes):
    text = content.decode()
    for secret in (*NAME, EMAIL, PHONE, TEXT, ADDRESS, "ZQXW"):
        assert secret not in text


# ---------------------------------------------------------------------------------------------------------
# End to end: a live server and an independent client


@pytest.mark.django_db(transaction=True)
def test_it_serves_an_independent_client_end_to_end(live_server, unit):
    Service.objects.create(code="ktp", name="Pembuatan KTP", group="Kependudukan", unit=unit)
    Service.objects.create(code="lama", name="Layanan lama", unit=unit, is_active=False)
    partner = ApiClient(name="Aplikasi Kota")
    key = partner.issue_key()
    partner.save()
    root = f"{live_server.url}{BASE}"

    discovery = requests.get(f"{root}/discovery.json", timeout=10).json()
    assert discovery["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert discovery["endpoints"][0]["url"].rstrip("/") == root

    json_client = GeoReport(root, jurisdiction="sigap.local", output_format="json")
    xml_client = GeoReport(root, jurisdiction="sigap.local", output_format="xml")

    services_json = json_client.get_service_list()
    assert [s["service_code"] for s in services_json] == ["ktp"]
    assert services_json[0]["metadata"] is True and services_json[0]["type"] == "realtime"
    services_xml = xml_client.get_service_list()  # one <service>: xmltodict gives the element itself
    assert services_xml["service_code"] == "ktp" and services_xml["metadata"] == "true"

    definition = json_client.get_service_definition("ktp")
    category = next(a for a in definition["attributes"] if a["code"] == "category")
    assert [v["key"] for v in category["values"]] == [f"{n:02d}" for n in range(1, 11)]
    assert xml_client.get_service_definition("ktp")["service_code"] == "ktp"

    # Filing: the spec's POST, form-encoded, with the key an admin issued.
    posted = requests.post(
        f"{root}/requests.json", data={**post_form(key), "jurisdiction_id": "sigap.local"}, timeout=10
    )
    assert posted.status_code == 201, posted.text
    answer = posted.json()[0]
    reference = answer["service_request_id"]
    assert reference.startswith("ADU-")
    complaint = Complaint.objects.get(reference=reference)
    assert complaint.channel == Channel.OPEN311
    assert complaint.identity_mode == IdentityMode.IDENTIFIED
    assert complaint.complainant_name == "Sri Wahyuningsih" and complaint.complainant_email == EMAIL

    one = json_client.get_service_request(reference)
    assert one["status"] == "open" and one["service_code"] == "ktp"
    assert one["status_notes"] == "Diterima"
    assert one["agency_responsible"] == unit.name
    assert dt.datetime.fromisoformat(one["requested_datetime"]).utcoffset() is not None
    one_xml = xml_client.get_service_request(reference)
    assert one_xml["service_request_id"] == reference and one_xml["status"] == "open"

    listed = json_client.get_service_requests(service_code="ktp", status="open")
    assert [r["service_request_id"] for r in listed] == [reference]
    assert json_client.get_service_requests(status="closed") == []

    token = requests.get(f"{root}/tokens/{answer['token']}.json", timeout=10).json()
    assert token[0]["service_request_id"] == reference

    for path in ("requests.json", "requests.xml", f"requests/{reference}.json", f"requests/{reference}.xml"):
        assert_no_identity(requests.get(f"{root}/{path}", timeout=10).content)


# ---------------------------------------------------------------------------------------------------------
# Keys, services and jurisdiction


def test_a_missing_wrong_or_inactive_key_gets_403_in_the_specs_shape(client, service, api_key):
    assert file_request(client, None).status_code == 403
    wrong = file_request(client, "bukan-kunci")
    assert wrong.status_code == 403
    assert wrong.json()[0]["code"] == 403 and "api_key" in wrong.json()[0]["description"]
    ApiClient.objects.update(is_active=False)
    assert file_request(client, api_key).status_code == 403
    wrong_xml = file_request(client, "bukan-kunci", fmt="xml")
    root = ET.fromstring(wrong_xml.content)
    assert wrong_xml.status_code == 403 and root.tag == "errors" and root.find("error/code").text == "403"
    assert not Complaint.objects.exists()


def test_only_the_hash_of_a_key_is_kept(api_key):
    stored = ApiClient.objects.get()
    assert api_key not in stored.key_hash and len(stored.key_hash) == 64
    assert ApiClient.authenticate(api_key) == stored


def test_an_unknown_or_inactive_service_code_is_refused(client, service, api_key):
    assert client.get(f"{BASE}/services/tidak-ada.json").status_code == 404
    assert file_request(client, api_key, service_code="tidak-ada").status_code == 400
    Service.objects.update(is_active=False)
    assert client.get(f"{BASE}/services/ktp.json").status_code == 404
    refused = file_request(client, api_key)
    assert refused.status_code == 400 and "service_code" in refused.json()[0]["description"]
    assert not Complaint.objects.exists()


def test_a_jurisdiction_other_than_ours_is_refused(client, service, api_key, settings):
    settings.SIGAP_OPEN311_JURISDICTION = "kota.example"
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "lain.example"}).status_code == 404
    assert file_request(client, api_key, jurisdiction_id="lain.example").status_code == 404
    assert not Complaint.objects.exists()
    assert client.get(f"{BASE}/services.json", {"jurisdiction_id": "kota.example"}).status_code == 200
    assert file_request(client, api_key, jurisdiction_id="kota.example").status_code == 201


def test_an_unknown_format_is_not_found(client, service):
    assert client.get(f"{BASE}/services.html").status_code == 404


# ---------------------------------------------------------------------------------------------------------
# Filing


def test_the_identity_mode_follows_what_was_sent(client, service, api_key):
    identified = file_request(client, api_key).json()[0]["service_request_id"]
    confidential = file_request(client, api_key, **{"attribute[confidential]": "true"}).json()[0]
    anonymous = file_request(client, api_key, first_name=None, last_name=None, email=None, phone=None).json()[0]

    modes = dict(Complaint.objects.values_list("reference", "identity_mode"))
    assert modes[identified] == IdentityMode.IDENTIFIED
    assert modes[confidential["service_request_id"]] == IdentityMode.CONFIDENTIAL
    assert modes[anonymous["service_request_id"]] == IdentityMode.ANONYMOUS
    nameless = Complaint.objects.get(reference=anonymous["service_request_id"])
    assert (nameless.complainant_name, nameless.complainant_contact, nameless.complainant_email) == ("", "", "")


def test_it_stores_the_place_and_nothing_more_of_a_location(client, service, api_key):
    file_request(client, api_key, address_string=None, lat="-6.1944", long="106.8229")
    complaint = Complaint.objects.get()
    assert complaint.location == "-6.194400, 106.822900"
    assert complaint.category == "02" and complaint.service_date == dt.date(2026, 11, 30)
    assert Open311Request.objects.get().complaint == complaint


@pytest.mark.parametrize(
    ("change", "word"),
    [
        ({"description": "  "}, "description"),
        ({"attribute[category]": "11"}, "attribute[category]"),
        ({"attribute[service_date]": "kemarin"}, "service_date"),
        ({"address_string": None}, "Lokasi"),
        ({"address_string": None, "lat": "utara", "long": "1"}, "lat"),
    ],
)
def test_bad_input_gets_400_with_a_plain_indonesian_reason(client, service, api_key, change, word):
    response = file_request(client, api_key, **change)
    assert response.status_code == 400
    assert word in response.json()[0]["description"]
    assert not Complaint.objects.exists()


def test_csrf_does_not_apply_to_the_key_authenticated_api(service, api_key):
    response = file_request(Client(enforce_csrf_checks=True), api_key)
    assert response.status_code == 201


def test_posts_are_rate_limited_per_api_client(client, service, api_key, settings):
    settings.SIGAP_OPEN311_POSTS_PER_HOUR = 2
    other = ApiClient(name="Aplikasi lain")
    other_key = other.issue_key()
    other.save()
    assert [file_request(client, api_key).status_code for _ in range(3)] == [201, 201, 429]
    assert file_request(client, other_key).status_code == 201
    assert Complaint.objects.count() == 3


# ---------------------------------------------------------------------------------------------------------
# Reading


def test_no_get_answer_carries_identity_or_content(client, service, api_key, handler, unit):
    references = [
        file_request(client, api_key, **extra).json()[0]["service_request_id"]
        for extra in ({}, {"attribute[confidential]": "true"}, {"first_name": None, "last_name": None})
    ]
    complaint = Complaint.objects.get(reference=references[0])
    complaint = services.transition(complaint, "start_verification", handler, note="Catatan internal RAHASIA-42")
    for fmt in ("json", "xml"):
        answers = [client.get(f"{BASE}/requests.{fmt}")]
        answers += [client.get(f"{BASE}/requests/{reference}.{fmt}") for reference in references]
        for answer in answers:
            assert answer.status_code == 200
            assert_no_identity(answer.content)
            assert b"RAHASIA-42" not in answer.content and handler.username.encode() not in answer.content


def test_final_states_are_closed_and_the_rest_open(client, service, api_key, handler, unit):
    open_ref = file_request(client, api_key).json()[0]["service_request_id"]
    closed_ref = file_request(client, api_key).json()[0]["service_request_id"]
    archived = services.transition(Complaint.objects.get(reference=closed_ref), "start_verification", handler)
    services.transition(archived, "archive", handler, reason="Tidak dapat ditindaklanjuti.", confirmed=True)

    statuses = {r["service_request_id"]: r for r in client.get(f"{BASE}/requests.json").json()}
    assert statuses[open_ref]["status"] == "open"
    assert statuses[closed_ref]["status"] == "closed" and statuses[closed_ref]["status_notes"] == "Diarsipkan"
    closed_only = client.get(f"{BASE}/requests.json", {"status": "closed"}).json()
    assert [r["service_request_id"] for r in closed_only] == [closed_ref]
    assert client.get(f"{BASE}/requests.json", {"status": "pending"}).status_code == 400


def test_json_and_xml_say_the_same(client, service, api_key):
    file_request(client, api_key)
    file_request(client, api_key, **{"attribute[confidential]": "true"})

    as_json = client.get(f"{BASE}/requests.json").json()
    as_xml = xml_requests(client.get(f"{BASE}/requests.xml").content)
    assert len(as_json) == len(as_xml) == 2
    for from_json, from_xml in zip(as_json, as_xml, strict=True):
        assert set(from_json) == set(from_xml)
        for key, value in from_json.items():
            assert (from_xml[key] or None) == (None if value in (None, "") else str(value)), key

    services_xml = ET.fromstring(client.get(f"{BASE}/services.xml").content)
    assert services_xml.tag == "services" and services_xml.find("service/service_code").text == "ktp"
    discovery_xml = ET.fromstring(client.get(f"{BASE}/discovery.xml").content)
    assert discovery_xml.find("endpoints/endpoint/formats/format").text == "application/json"


def test_the_list_is_limited_in_number_and_to_90_days_by_default(client, service, api_key, monkeypatch):
    with time_machine.travel(timezone.now() - dt.timedelta(days=120), tick=False):
        old = file_request(client, api_key, **{"attribute[service_date]": None}).json()[0]["service_request_id"]
    recent = [file_request(client, api_key).json()[0]["service_request_id"] for _ in range(4)]

    listed = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()]
    assert old not in listed and set(listed) == set(recent)

    start = (timezone.now() - dt.timedelta(days=130)).strftime("%Y-%m-%dT%H:%M:%SZ")
    end = (timezone.now() - dt.timedelta(days=100)).strftime("%Y-%m-%dT%H:%M:%SZ")
    window = client.get(f"{BASE}/requests.json", {"start_date": start, "end_date": end}).json()
    assert [r["service_request_id"] for r in window] == [old]
    by_id = client.get(f"{BASE}/requests.json", {"service_request_id": f"{old},{recent[0]}"}).json()
    assert {r["service_request_id"] for r in by_id} == {old, recent[0]}

    too_long = client.get(f"{BASE}/requests.json", {"start_date": "2026-01-01T00:00:00Z", "end_date": end})
    assert too_long.status_code == 400

    monkeypatch.setattr(selectors, "OPEN311_MAX_REQUESTS", 3)
    assert len(client.get(f"{BASE}/requests.json").json()) == 3


def test_only_requests_filed_through_open311_are_listed(client, service, api_key):
    from pengaduan.services import complaint_file

    web, _pin = complaint_file(
        fields={"service": service, "category": "02", "description": "lewat web"},
        identity_mode=IdentityMode.ANONYMOUS,
        identity=None,
        files=[],
    )
    file_request(client, api_key)
    listed = [r["service_request_id"] for r in client.get(f"{BASE}/requests.json").json()]
    assert web.reference not in listed and len(listed) == 1
    assert client.get(f"{BASE}/requests/{web.reference}.json").status_code == 404


def test_an_unknown_token_or_request_is_404(client, service):
    assert client.get(f"{BASE}/tokens/00000000-0000-0000-0000-000000000000.json").status_code == 404
    assert client.get(f"{BASE}/tokens/abc.json").status_code == 404
    assert client.get(f"{BASE}/requests/ADU-2026-999999.xml").status_code == 404


def test_the_admin_shows_a_new_key_once_and_keeps_its_hash(client, admin_user, login_verified):
    login_verified(admin_user)
    response = client.post("/admin/pengaduan/apiclient/add/", {"name": "Aplikasi Kota", "is_active": "on"}, follow=True)
    assert response.status_code == 200
    shown = next(str(m) for m in response.context["messages"] if "Kunci API" in str(m))
    key = shown.split(": ", 1)[1].split(" ")[0]
    assert ApiClient.authenticate(key) == ApiClient.objects.get()
    assert key not in client.get("/admin/pengaduan/apiclient/").content.decode()


def test_a_post_answers_in_xml_too(client, service, api_key):
    response = file_request(client, api_key, fmt="xml")
    assert response.status_code == 201 and response["Content-Type"].startswith("text/xml")
    (answer,) = xml_requests(response.content)
    assert answer["service_request_id"] == Complaint.objects.get().reference
    assert Open311Request.objects.get().token.hex == answer["token"].replace("-", "")


def test_a_method_the_spec_does_not_have_gets_405_in_the_specs_shape(client, service):
    response = client.delete(f"{BASE}/requests.json")
    assert response.status_code == 405 and response.json()[0]["code"] == 405


def test_no_client_address_or_user_agent_is_kept_or_logged(client, service, api_key, caplog):
    address, agent = "203.0.113.77", "KotaApp/9.9 (rahasia)"
    caplog.set_level("DEBUG")
    client.post(f"{BASE}/requests.json", post_form(api_key), REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    client.post(f"{BASE}/requests.json", post_form("salah"), REMOTE_ADDR=address, HTTP_USER_AGENT=agent)
    complaint = Complaint.objects.get()
    stored = [str(event.data) for event in complaint.events.all()] + [str(vars(complaint))]
    for text in [*stored, caplog.text]:
        assert address not in text and agent not in text
