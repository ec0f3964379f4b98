"""Segregation of duties in the WBS: people a report is about take no step on it; a coordinator cannot exclude
themself and no exclusion leaves a report without a coordinator who can see it; closing steps and exclusions
need a confirmation and a reason, kept encrypted."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cases import policy, services
from cases.models import CaseEvent, CaseExclusion, CaseText
from tests.wbs.conftest import IDENTITY, PASSPHRASE, PATHS, data_for
from wbs import services as wbs_services
from wbs.models import WbsReport

pytestmark = pytest.mark.django_db

EXCLUDE = {"reason": "Disebut sebagai terlapor dalam uraian.", "confirmed": True}


@pytest.fixture
def coordinator2(make_user):
    user = make_user("wbs_koordinator2", policy.PENGELOLA_WBS, policy.PEGAWAI)
    user.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    return user


# Every handler step of the WBS, from a state where it is allowed.
STEPS = [
    ("received", "start_verification"),
    ("verifying", "request_info"),
    ("needs_info", "resume_verification"),
    ("verifying", "reject"),
    ("verifying", "refer"),
    ("verifying", "accept"),
    ("reviewing", "start_investigation"),
    ("reviewing", "take_administrative_action"),
    ("investigating", "record_recommendation"),
    ("recommendation", "start_follow_up"),
    ("follow_up", "close"),
]


@pytest.mark.parametrize(("state", "name"), STEPS)
def test_an_excluded_coordinator_is_refused_every_step(make_report, coordinator, coordinator2, state, name):
    report = make_report(PATHS[state])
    wbs_services.exclusion_add(report=report, person=coordinator2, actor=coordinator, **EXCLUDE)
    before = CaseEvent.objects.filter(case_id=report.pk).count()
    with pytest.raises(services.NotAllowed):
        services.transition(report, name, coordinator2, note="x", **data_for(name))
    assert WbsReport.objects.get(pk=report.pk).status == state
    assert CaseEvent.objects.filter(case_id=report.pk).count() == before
    assert coordinator2 not in policy.assignable_users(report)
    with pytest.raises(services.NotAllowed):
        services.assign(report, coordinator2, coordinator)


def test_a_coordinator_cannot_exclude_themself(make_report, coordinator, coordinator2):
    report = make_report(["start_verification"])
    with pytest.raises(services.CaseError) as refused:
        wbs_services.exclusion_add(report=report, person=coordinator, actor=coordinator, **EXCLUDE)
    assert "diri sendiri" in refused.value.message and "koordinator lain" in refused.value.message
    assert not CaseExclusion.objects.filter(case_id=report.pk).exists()


def test_a_coordinator_cannot_exclude_themself_as_the_terlapors_supervisor(
    make_report, make_user, coordinator, coordinator2
):
    staff = make_user("staf", policy.PEGAWAI, supervisor=coordinator)
    report = make_report(["start_verification"])
    with pytest.raises(services.CaseError) as refused:
        wbs_services.exclusion_add(report=report, person=staff, actor=coordinator, **EXCLUDE)
    assert "diri sendiri" in refused.value.message
    assert not CaseExclusion.objects.filter(case_id=report.pk).exists()
    wbs_services.exclusion_add(report=report, person=staff, actor=coordinator2, **EXCLUDE)  # another coordinator may
    assert set(CaseExclusion.objects.filter(case_id=report.pk).values_list("user__username", flat=True)) == {
        "staf",
        "wbs_koordinator",
    }


def test_an_exclusion_that_would_leave_no_coordinator_is_refused(make_report, coordinator, wbs_handler):
    report = make_report(["start_verification"])
    services.assign(report, wbs_handler, coordinator)
    # The assigned handler names the only coordinator as terlapor.
    with pytest.raises(services.CaseError) as refused:
        wbs_services.exclusion_add(report=report, person=coordinator, actor=wbs_handler, **EXCLUDE)
    assert "tanpa koordinator" in refused.value.message and "admin" in refused.value.message
    assert policy.can_view(coordinator, report)
    assert not CaseExclusion.objects.filter(case_id=report.pk).exists()


def test_the_exclusion_page_shows_the_refusal(client, make_report, coordinator):
    report = make_report(["start_verification"])
    client.force_login(coordinator)
    page = client.post(
        reverse("wbs:exclude", args=[report.reference]),
        {"person": coordinator.username, "reason": "Saya sendiri.", "confirmed": "on"},
        follow=True,
    ).content.decode()
    assert "diri sendiri" in page
    assert not CaseExclusion.objects.exists()


def test_an_exclusion_needs_a_reason_and_a_confirmation(client, make_report, coordinator, pegawai):
    report = make_report(["start_verification"])
    with pytest.raises(services.CaseError):
        wbs_services.exclusion_add(report=report, person=pegawai, actor=coordinator, reason="", confirmed=True)
    with pytest.raises(services.CaseError):
        wbs_services.exclusion_add(
            report=report, person=pegawai, actor=coordinator, reason="Terlapor.", confirmed=False
        )
    client.force_login(coordinator)
    page = client.get(reverse("cases:detail", args=[report.reference])).content.decode()
    form = page[page.index(reverse("wbs:exclude", args=[report.reference])) :]
    assert 'name="reason"' in form[:1500] and 'name="confirmed"' in form[:1500]
    client.post(reverse("wbs:exclude", args=[report.reference]), {"person": "pegawai"})
    assert not CaseExclusion.objects.exists()
    client.post(
        reverse("wbs:exclude", args=[report.reference]),
        {"person": "pegawai", "reason": "Disebut dalam uraian XQZV.", "confirmed": "on"},
    )
    assert CaseExclusion.objects.filter(case_id=report.pk, user=pegawai).exists()
    event = CaseEvent.objects.get(case_id=report.pk, action="excluded")
    assert "XQZV" not in str(event.data)  # the reason is an encrypted CaseText, not in the log
    assert CaseText.objects.get(pk=event.data["reason_id"]).text == "Disebut dalam uraian XQZV."


@pytest.mark.parametrize(("state", "name"), [("verifying", "reject"), ("verifying", "refer"), ("follow_up", "close")])
def test_closing_steps_need_a_reason_kept_encrypted(make_report, coordinator, state, name):
    report = make_report(PATHS[state])
    data = {k: v for k, v in data_for(name).items() if k not in ("reason", "confirmed")}
    with pytest.raises(services.CaseError):
        services.transition(report, name, coordinator, note="Catatan.", confirmed=True, **data)
    assert WbsReport.objects.get(pk=report.pk).status == state
    services.transition(report, name, coordinator, note="Catatan.", reason="Alasan XQZV.", confirmed=True, **data)
    event = CaseEvent.objects.filter(case_id=report.pk, action="transition").last()
    assert "XQZV" not in str(event.data)
    assert CaseText.objects.get(pk=event.data["reason_id"]).text == "Alasan XQZV."


def test_an_excluded_custodian_cannot_decide_on_disclosure(
    make_report, coordinator, coordinator2, kustodian, custodian_key
):
    report = make_report(["start_verification"], identity=IDENTITY)
    request = wbs_services.disclosure_request(
        report=report, requester=coordinator, reason="Perlu menghubungi pelapor untuk klarifikasi."
    )
    wbs_services.exclusion_add(report=report, person=kustodian, actor=coordinator, **EXCLUDE)
    with pytest.raises(services.NotAllowed):
        wbs_services.disclosure_decide(
            disclosure=request, custodian=kustodian, approve=True, reason="Setuju.", passphrase=PASSPHRASE
        )
    request.refresh_from_db()
    assert request.decision == "pending" and not request.identity


def test_revoking_a_custodian_key_needs_a_reason_and_a_confirmation(
    client, kustodian, kustodian2, custodian_key, custodian_key2
):
    from django.contrib.admin.models import LogEntry

    from wbs.models import CustodianKey

    with pytest.raises(services.CaseError):
        wbs_services.custodian_key_remove(key=custodian_key, actor=kustodian2, reason="", confirmed=True)
    with pytest.raises(services.CaseError):
        wbs_services.custodian_key_remove(key=custodian_key, actor=kustodian2, reason="Pensiun.", confirmed=False)
    client.force_login(kustodian2)
    page = client.get(reverse("wbs:custodian")).content.decode()
    form = page[page.index(reverse("wbs:custodian_remove", args=[custodian_key.fingerprint])) :][:1200]
    assert 'name="reason"' in form and 'name="confirmed"' in form
    client.post(reverse("wbs:custodian_remove", args=[custodian_key.fingerprint]), {"reason": "Pensiun."})
    assert CustodianKey.objects.get(pk=custodian_key.pk).is_active
    client.post(
        reverse("wbs:custodian_remove", args=[custodian_key.fingerprint]), {"reason": "Pensiun.", "confirmed": "on"}
    )
    assert not CustodianKey.objects.get(pk=custodian_key.pk).is_active
    entry = LogEntry.objects.get(object_id=str(custodian_key.pk))
    assert entry.user_id == kustodian2.pk and "Pensiun." in entry.change_message


def test_an_excluded_custodian_is_not_shown_the_request(client, make_report, coordinator, kustodian, custodian_key):
    report = make_report(["start_verification"], identity=IDENTITY)
    wbs_services.disclosure_request(
        report=report, requester=coordinator, reason="Perlu menghubungi pelapor untuk klarifikasi."
    )
    client.force_login(kustodian)
    assert report.reference in client.get(reverse("wbs:custodian")).content.decode()
    wbs_services.exclusion_add(report=report, person=kustodian, actor=coordinator, **EXCLUDE)
    assert report.reference not in client.get(reverse("wbs:custodian")).content.decode()


def test_a_custodian_key_is_named_by_its_fingerprint_not_a_sequential_id(
    client, kustodian, kustodian2, custodian_key, custodian_key2
):
    from wbs.models import CustodianKey

    url = reverse("wbs:custodian_remove", args=[custodian_key.fingerprint])
    assert f"/{custodian_key.pk}/" not in url and len(custodian_key.fingerprint) == 64
    client.force_login(kustodian2)
    page = client.get(reverse("wbs:custodian")).content.decode()
    assert url in page
    revoke = {"reason": "Pensiun.", "confirmed": "on"}
    assert client.post(url.replace(custodian_key.fingerprint, str(custodian_key.pk)), revoke).status_code == 404
    assert CustodianKey.objects.get(pk=custodian_key.pk).is_active
