"""Revealing a reporter's identity: requested by a handler with a reason, decided by a custodian who is not
the requester, shown to the requester only, for a while, and every view logged (DESIGN §3)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group

from cases import policy, services
from cases.models import CaseEvent
from tests.wbs.conftest import IDENTITY, PASSPHRASE, PASSPHRASE2
from wbs import services as wbs_services
from wbs.models import DisclosureDecision, DisclosureRequest

pytestmark = pytest.mark.django_db

REASON = "Pelapor perlu dimintai keterangan sebagai saksi dalam pemeriksaan."


@pytest.fixture
def report(make_report, custodian_key):
    return make_report(["start_verification"], identity=IDENTITY)


@pytest.fixture
def pending(report, coordinator):
    return wbs_services.disclosure_request(report=report, requester=coordinator, reason=REASON)


def events(report, action):
    return CaseEvent.objects.filter(case_id=report.pk, action=action).count()


def test_a_handler_sees_only_that_an_identity_was_given(client, report, coordinator):
    client.force_login(coordinator)
    page = client.get(f"/kasus/{report.reference}/").content.decode()
    assert "identitas diberikan" in page
    assert IDENTITY["name"] not in page and IDENTITY["contact"] not in page


def test_approval_shows_the_identity_to_the_requester_only(client, pending, report, coordinator, kustodian, make_user):
    wbs_services.disclosure_decide(
        disclosure=pending, custodian=kustodian, approve=True, reason="Diperlukan.", passphrase=PASSPHRASE
    )
    client.force_login(coordinator)
    page = client.get(f"/wbs/pengungkapan/{pending.uuid}/").content.decode()
    assert IDENTITY["name"] in page and IDENTITY["id_number"] in page
    client.get(f"/wbs/pengungkapan/{pending.uuid}/")
    assert events(report, "identity_viewed") == 2
    # Another coordinator who can see the case cannot see the disclosure.
    other = make_user("wbs_lain", policy.PENGELOLA_WBS)
    from django.contrib.auth.models import Permission

    other.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    client.force_login(other)
    assert client.get(f"/wbs/pengungkapan/{pending.uuid}/").status_code == 404
    with pytest.raises(services.NotAllowed):
        wbs_services.disclosure_read(disclosure=DisclosureRequest.objects.get(), user=other)
    assert events(report, "identity_viewed") == 2


def test_the_requester_cannot_approve_even_as_a_custodian(report, coordinator):
    coordinator.groups.add(Group.objects.get_or_create(name=policy.KUSTODIAN)[0])
    coordinator._sigap_roles = None
    wbs_services.custodian_key_create(user=coordinator, passphrase=PASSPHRASE2)
    request = wbs_services.disclosure_request(report=report, requester=coordinator, reason=REASON)
    with pytest.raises(services.NotAllowed):
        wbs_services.disclosure_decide(
            disclosure=request, custodian=coordinator, approve=True, reason="Saya sendiri.", passphrase=PASSPHRASE2
        )
    assert DisclosureRequest.objects.get().decision == DisclosureDecision.PENDING


def test_a_custodian_page_does_not_list_their_own_requests(client, report, coordinator, kustodian):
    request = wbs_services.disclosure_request(report=report, requester=coordinator, reason=REASON)
    client.force_login(kustodian)
    page = client.get("/wbs/kustodian/").content.decode()
    assert report.reference in page and REASON in page
    client.force_login(coordinator)
    assert client.get("/wbs/kustodian/").status_code == 403
    assert client.post(f"/wbs/kustodian/keputusan/{request.uuid}/", {}).status_code == 403


def test_a_wrong_passphrase_decides_nothing(pending, report, kustodian):
    with pytest.raises(services.CaseError, match="salah"):
        wbs_services.disclosure_decide(
            disclosure=pending, custodian=kustodian, approve=True, reason="x", passphrase="bukan ini"
        )
    assert DisclosureRequest.objects.get().decision == DisclosureDecision.PENDING
    assert events(report, "disclosure_approved") == 0


def test_a_denied_request_reveals_nothing(client, pending, report, coordinator, kustodian):
    wbs_services.disclosure_decide(
        disclosure=pending, custodian=kustodian, approve=False, reason="Alasan kurang.", passphrase=PASSPHRASE
    )
    stored = DisclosureRequest.objects.get()
    assert stored.decision == DisclosureDecision.DENIED and stored.identity == ""
    with pytest.raises(services.CaseError):
        wbs_services.disclosure_read(disclosure=stored, user=coordinator)
    client.force_login(coordinator)
    page = client.get(f"/wbs/pengungkapan/{pending.uuid}/").content.decode()
    assert IDENTITY["name"] not in page
    assert events(report, "identity_viewed") == 0 and events(report, "disclosure_denied") == 1


def test_an_expired_disclosure_reveals_nothing_and_is_erased(pending, report, coordinator, kustodian, settings):
    settings.SIGAP_WBS_DISCLOSURE_HOURS = 2
    with time_machine.travel(dt.datetime(2026, 11, 23, 8, tzinfo=dt.UTC), tick=False) as clock:
        wbs_services.disclosure_decide(
            disclosure=pending, custodian=kustodian, approve=True, reason="Perlu.", passphrase=PASSPHRASE
        )
        assert (
            wbs_services.disclosure_read(disclosure=DisclosureRequest.objects.get(), user=coordinator)["name"]
            == IDENTITY["name"]
        )
        clock.shift(dt.timedelta(hours=2, seconds=1))
        with pytest.raises(services.CaseError, match="berakhir"):
            wbs_services.disclosure_read(disclosure=DisclosureRequest.objects.get(), user=coordinator)
        assert wbs_services.disclosures_expire() == 1
    assert DisclosureRequest.objects.get().identity == ""
    assert events(report, "identity_viewed") == 1


def test_the_reporter_is_told_of_an_approval(client, pending, report, kustodian):
    wbs_services.disclosure_decide(
        disclosure=pending, custodian=kustodian, approve=True, reason="Perlu.", passphrase=PASSPHRASE
    )
    client.post("/wbs/lapor/pantau/", {"receipt": report.receipt})
    page = client.get("/wbs/lapor/pantau/laporan/").content.decode()
    assert "menyetujui pembukaan identitas" in page
    assert REASON not in page  # the office's reasons are not the reporter's to read


def test_a_request_needs_a_reason_an_identity_and_a_handler(
    make_report, report, coordinator, wbs_handler, custodian_key
):
    with pytest.raises(services.CaseError, match="20 karakter"):
        wbs_services.disclosure_request(report=report, requester=coordinator, reason="karena")
    anonymous = make_report()
    with pytest.raises(services.CaseError, match="tidak memberikan identitas"):
        wbs_services.disclosure_request(report=anonymous, requester=coordinator, reason=REASON)
    with pytest.raises(services.NotAllowed):
        wbs_services.disclosure_request(report=report, requester=wbs_handler, reason=REASON)  # not assigned
    assert not DisclosureRequest.objects.exists()


def test_a_second_click_does_not_file_a_second_request(client, report, coordinator):
    client.force_login(coordinator)
    for _ in range(2):
        response = client.post(f"/wbs/kasus/{report.reference}/pengungkapan/", {"reason": REASON}, follow=True)
    assert DisclosureRequest.objects.count() == 1
    assert "sudah memiliki permintaan" in response.content.decode()


def test_a_decided_request_cannot_be_decided_again(pending, kustodian, kustodian2, custodian_key2):
    wbs_services.custodian_reseal(user=kustodian, passphrase=PASSPHRASE)
    wbs_services.disclosure_decide(
        disclosure=pending, custodian=kustodian, approve=False, reason="Tidak.", passphrase=PASSPHRASE
    )
    with pytest.raises(services.AlreadyChanged):
        wbs_services.disclosure_decide(
            disclosure=pending, custodian=kustodian2, approve=True, reason="Ya.", passphrase=PASSPHRASE2
        )
    assert DisclosureRequest.objects.get().decision == DisclosureDecision.DENIED


def test_custodian_views_refuse_others(client, pending, coordinator, pegawai):
    for user in (coordinator, pegawai):
        client.force_login(user)
        assert client.get("/wbs/kustodian/").status_code == 403
        assert (
            client.post("/wbs/kustodian/kunci/", {"passphrase": "x" * 12, "passphrase_again": "x" * 12}).status_code
            == 403
        )
    client.logout()
    assert client.get("/wbs/kustodian/").status_code == 302  # to the login page


def test_decision_form_through_the_page(client, pending, kustodian, coordinator):
    client.force_login(kustodian)
    prefix = str(pending.uuid)
    data = {
        f"{prefix}-decision": "approve",
        f"{prefix}-reason": "Untuk pemeriksaan.",
        f"{prefix}-passphrase": PASSPHRASE,
    }
    page = client.post(f"/wbs/kustodian/keputusan/{pending.uuid}/", data, follow=True).content.decode()
    assert "Keputusan dicatat" in page
    assert DisclosureRequest.objects.get().decision == DisclosureDecision.APPROVED
    assert IDENTITY["name"] not in page  # the custodian decides; the identity goes to the requester
