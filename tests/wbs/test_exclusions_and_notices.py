"""People a report is about are kept out of it; the office hears of reports without their content and at
a rounded time."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Permission
from django.core import mail

from cases import notifications, policy, services
from cases.models import CaseEvent, CaseExclusion, OutboxMessage
from tests.wbs.conftest import CONTENT
from wbs import services as wbs_services

pytestmark = pytest.mark.django_db

# An exclusion needs a reason and a confirmation.
EXCLUDE = {"reason": "Disebut sebagai terlapor.", "confirmed": "on"}


@pytest.fixture
def terlapor_chain(make_user):
    """A WBS coordinator who is accused, their supervisor (also a coordinator) and the supervisor's own."""
    top = make_user("kepala", policy.PENGELOLA_WBS)
    middle = make_user("kabag", policy.PENGELOLA_WBS, supervisor=top)
    accused = make_user("terlapor", policy.PENGELOLA_WBS, supervisor=middle)
    for user in (top, middle, accused):
        user.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    return accused, middle, top


def test_the_terlapor_and_their_supervisors_get_404(client, make_report, coordinator, terlapor_chain):
    report = make_report(["start_verification"])
    accused, middle, top = terlapor_chain
    client.force_login(accused)
    assert client.get(f"/kasus/{report.reference}/").status_code == 200  # a coordinator, before exclusion
    client.force_login(coordinator)
    response = client.post(f"/wbs/kasus/{report.reference}/kecualikan/", {"person": "terlapor", **EXCLUDE}, follow=True)
    assert "3 orang dikecualikan" in response.content.decode()
    for user in terlapor_chain:
        client.force_login(user)
        assert client.get(f"/kasus/{report.reference}/").status_code == 404
        assert report.reference not in client.get("/kasus/").content.decode()
        with pytest.raises(services.CaseError):
            services.transition(report, "accept", user)
    # The log says how many, not whom (the reason is an encrypted CaseText).
    event = CaseEvent.objects.get(case_id=report.pk, action="excluded")
    assert event.data == {"count": 3, "reason_id": event.data["reason_id"]}


def test_an_excluded_assignee_loses_the_case(make_report, coordinator, wbs_handler):
    report = make_report()
    services.assign(report, wbs_handler, coordinator)
    wbs_services.exclusion_add(report=report, person=wbs_handler, actor=coordinator, reason="Terlapor.", confirmed=True)
    report.refresh_from_db()
    assert report.assignee is None and not policy.can_view(wbs_handler, report)
    assert wbs_handler not in policy.assignable_users(report)


def test_exclusion_by_nip_and_unknown_people(client, make_report, coordinator, pegawai, atasan):
    report = make_report()
    pegawai.profile.nip = "198001012005011001"
    pegawai.profile.save()
    client.force_login(coordinator)
    page = client.post(f"/wbs/kasus/{report.reference}/kecualikan/", {"person": "000", **EXCLUDE}, follow=True)
    assert "Tidak ada pegawai" in page.content.decode()
    client.post(f"/wbs/kasus/{report.reference}/kecualikan/", {"person": "198001012005011001", **EXCLUDE})
    assert set(CaseExclusion.objects.filter(case_id=report.pk).values_list("user__username", flat=True)) == {
        "pegawai",
        "atasan",
    }


def test_only_handlers_of_the_case_exclude(client, make_report, wbs_handler, inspektur, pegawai):
    report = make_report()
    client.force_login(inspektur)  # sees every case, handles none
    assert client.post(f"/wbs/kasus/{report.reference}/kecualikan/", {"person": "pegawai"}).status_code == 403
    client.force_login(wbs_handler)  # not assigned: cannot see it
    assert client.post(f"/wbs/kasus/{report.reference}/kecualikan/", {"person": "pegawai"}).status_code == 404
    assert client.get(f"/wbs/kasus/{report.reference}/kecualikan/").status_code in (404, 405)
    assert not CaseExclusion.objects.exists()


def test_admins_and_other_handlers_cannot_read_a_report(
    client, login_verified, make_report, admin_user, upg, wbs_handler
):
    report = make_report()
    for user in (admin_user, upg, wbs_handler):
        login_verified(user)
        assert client.get(f"/kasus/{report.reference}/").status_code == 404
    login_verified(admin_user)
    page = client.get("/admin/").content.decode()
    # Neither a link to the reports nor their name ("Laporan WBS", as the admin index capitalises it); the
    # custodians' read-only list (wbs/admin.py) is the only WBS entry.
    assert "/admin/wbs/wbsreport/" not in page and "laporan wbs" not in page.lower()
    assert "/admin/wbs/custodiankey/" in page


def test_the_office_hears_of_a_report_later_and_without_content(make_report, coordinator, wbs_handler):
    with time_machine.travel(dt.datetime(2026, 11, 23, 3, 17, tzinfo=dt.UTC), tick=False) as clock:
        report = make_report()
        message = OutboxMessage.objects.get(recipient=coordinator)
        assert wbs_handler.pk not in OutboxMessage.objects.values_list("recipient_id", flat=True)
        # Held to the next full hour plus up to 15 minutes, and not stamped with the moment.
        assert (
            dt.datetime(2026, 11, 23, 4, tzinfo=dt.UTC)
            <= message.not_before
            < dt.datetime(2026, 11, 23, 4, 15, tzinfo=dt.UTC)
        )
        assert message.created_at == message.not_before
        assert notifications.deliver_pending() == 0 and not mail.outbox
        clock.move_to(dt.datetime(2026, 11, 23, 4, 16, tzinfo=dt.UTC))
        assert notifications.deliver_pending() == 1
    sent = mail.outbox[0]
    assert CONTENT not in sent.subject + sent.body and "pengadaan" not in sent.subject + sent.body
    assert report.reference not in sent.subject


def test_handler_actions_are_announced_at_once_but_without_content(make_report, coordinator, wbs_handler):
    report = make_report()
    services.assign(report, wbs_handler, coordinator)
    message = OutboxMessage.objects.filter(recipient=wbs_handler).get()
    assert message.not_before is None and "ditugaskan" not in message.subject
