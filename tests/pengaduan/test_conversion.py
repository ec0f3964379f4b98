"""Conversions through the core registry (issue 10; no app imports another): a complaint alleging corruption
becomes a WBS report — linked both ways, the identity sealed to the custodians exactly as a WBS reporter's, no
readable identity left on the complaint, the complaint "dialihkan ke WBS" — and a WBS report referred to
pengaduan becomes an anonymous complaint."""

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.urls import reverse

from cases import policy, services
from cases.models import CaseLink, Confidentiality
from pengaduan.models import Complaint, IdentityMode, Status
from tests.pengaduan import staff_fixtures
from tests.pengaduan.staff_fixtures import CONTACT, DESCRIPTION, EMAIL, NAME
from wbs import services as wbs_services
from wbs.models import IdentitySeal, WbsReport

# The officers' fixtures (tests/pengaduan/staff_fixtures.py), bound here where pytest collects them.
_staff_setup = staff_fixtures._staff_setup
service = staff_fixtures.service
coordinator = staff_fixtures.coordinator
make_complaint = staff_fixtures.make_complaint

pytestmark = pytest.mark.django_db

CONVERT = {"wbs_category": "suap_pungli", "reason": "Dugaan pungli oleh petugas loket.", "confirmed": True}
PASSPHRASE = "kunci rahasia kustodian satu"
WBS_CONTENT = "Bendahara XQZV memotong honor kegiatan setiap bulan"


@pytest.fixture
def custodian_key(kustodian):
    return wbs_services.custodian_key_create(user=kustodian, passphrase=PASSPHRASE)


@pytest.fixture
def wbs_coordinator(make_user):
    user = make_user("wbs_koordinator", policy.PENGELOLA_WBS)
    user.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    return user


def links_between(source, target) -> int:
    """The converted_to link from `source` to `target`, logged on both cases (linked both ways)."""
    link = CaseLink.objects.filter(from_case_id=source.pk, to_case_id=target.pk, relation="converted_to").first()
    if link is None:
        return 0
    on_source = source.events.filter(action="linked", data__link=link.pk).exists()
    on_target = target.events.filter(action="linked", data__link=link.pk).exists()
    return int(on_source) + int(on_target)


def raw_rows_contain(table: str, text: str) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # a model's own table name
        return any(text in str(value) for row in cursor.fetchall() for value in row)


# --- pengaduan → WBS ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("mode", [IdentityMode.IDENTIFIED, IdentityMode.CONFIDENTIAL])
def test_a_complaint_becomes_a_wbs_report_with_the_identity_sealed(
    client, make_complaint, handler2, custodian_key, mode
):
    complaint = make_complaint("dispositioned", mode=mode)
    client.force_login(handler2)
    response = client.post(
        reverse("cases:transition_form", args=[complaint.reference, "convert_to_wbs"]),
        {**CONVERT, "confirmed": "on", "expected_status": complaint.status},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.status == Status.CONVERTED_TO_WBS
    report = WbsReport.objects.get()
    assert report.status == "received" and report.confidentiality == Confidentiality.RAHASIA
    assert report.category == "suap_pungli" and report.description == DESCRIPTION
    assert report.identity_provided and IdentitySeal.objects.filter(report=report, custodian=custodian_key).exists()
    # Linked both ways.
    assert links_between(complaint, report) == 2
    # No readable identity left on the complaint, nor in its field history, nor in the raw rows.
    assert (complaint.complainant_name, complaint.complainant_contact, complaint.complainant_email) == ("", "", "")
    for row in Complaint.history.filter(case_id=complaint.pk):
        assert (row.complainant_name, row.complainant_contact, row.complainant_email) == ("", "", "")
    for table in (Complaint._meta.db_table, Complaint.history.model._meta.db_table, WbsReport._meta.db_table):
        for secret in (NAME, CONTACT, EMAIL):
            assert not raw_rows_contain(table, secret)
    assert not report.events.filter(data__icontains=NAME).exists()
    # The complaint's page says where the identity went, and reading it is no event (nothing is read).
    page = client.get(reverse("cases:detail", args=[complaint.reference])).content.decode()
    assert "Identitas disegel untuk kustodian identitas WBS" in page and NAME not in page
    assert not complaint.events.filter(action="identity_viewed").exists()
    # What the custodian opens: the name, and the contact with the e-mail address.
    assert _unsealed(report, custodian_key) == {
        "name": NAME,
        "id_number": "",
        "contact": f"{CONTACT}; {EMAIL}",
        "note": "",
    }


def _unsealed(report, key) -> dict:
    from wbs import identity as sealing

    seal = IdentitySeal.objects.get(report=report, custodian=key)
    private = wbs_services._unlock(key, PASSPHRASE)
    data_key = sealing.unseal_key(
        private, bytes(seal.ephemeral_public), bytes(seal.sealed_key), report_id=str(report.uuid)
    )
    return sealing.decrypt_identity(data_key, bytes(report.identity_sealed), report_id=str(report.uuid))


def test_without_a_custodian_key_the_conversion_is_refused_and_nothing_changes(client, make_complaint, handler2):
    complaint = make_complaint("dispositioned", mode=IdentityMode.CONFIDENTIAL)
    client.force_login(handler2)
    response = client.post(
        reverse("cases:transition_form", args=[complaint.reference, "convert_to_wbs"]),
        {**CONVERT, "confirmed": "on", "expected_status": complaint.status},
        follow=True,
    )
    assert "Identitas pengadu tidak dapat dilindungi" in response.content.decode()
    complaint = Complaint.objects.get(pk=complaint.pk)
    assert complaint.status == Status.DISPOSITIONED and complaint.complainant_name == NAME
    assert not WbsReport.objects.exists()
    assert not CaseLink.objects.exists()


def test_an_anonymous_complaint_converts_without_an_identity(make_complaint, handler2):
    from pengaduan.services import complaint_convert_to_wbs

    complaint = make_complaint("verifying", mode=IdentityMode.ANONYMOUS)
    complaint_convert_to_wbs(complaint, "convert_to_wbs", handler2, **CONVERT)
    report = WbsReport.objects.get()
    assert not report.identity_provided
    assert Complaint.objects.get(pk=complaint.pk).status == Status.CONVERTED_TO_WBS


def test_the_wbs_handlers_hear_of_it_without_content(make_complaint, handler2, custodian_key, wbs_coordinator):
    from cases.models import OutboxMessage
    from pengaduan.services import complaint_convert_to_wbs

    complaint = make_complaint("verifying", mode=IdentityMode.IDENTIFIED)
    complaint_convert_to_wbs(complaint, "convert_to_wbs", handler2, **CONVERT)
    report = WbsReport.objects.get()
    messages = OutboxMessage.objects.filter(recipient=wbs_coordinator, case_id=report.pk)
    assert messages.exists(), "the WBS coordinator is told"
    for message in messages:
        text = f"{message.subject} {message.body}"
        assert DESCRIPTION not in text and NAME not in text and report.reference not in text


@pytest.mark.parametrize("persona", ["pegawai", "inspektur"])
def test_who_may_not_handle_the_complaint_cannot_convert_it(request, make_complaint, custodian_key, persona):
    from pengaduan.services import complaint_convert_to_wbs

    complaint = make_complaint("verifying", mode=IdentityMode.IDENTIFIED)
    with pytest.raises(services.NotAllowed):
        complaint_convert_to_wbs(complaint, "convert_to_wbs", request.getfixturevalue(persona), **CONVERT)
    assert not WbsReport.objects.exists()
    assert Complaint.objects.get(pk=complaint.pk).complainant_name == NAME


def test_a_pegawai_gets_no_conversion_page(client, make_complaint, pegawai):
    complaint = make_complaint("verifying")
    client.force_login(pegawai)
    response = client.post(
        reverse("cases:transition_form", args=[complaint.reference, "convert_to_wbs"]),
        {**CONVERT, "confirmed": "on", "expected_status": complaint.status},
    )
    assert response.status_code in (403, 404)
    assert not WbsReport.objects.exists()


# --- WBS → pengaduan ---------------------------------------------------------------------------------------


def _wbs_report(wbs_coordinator, unit, identity=None):
    report, _receipt = wbs_services.report_submit(
        fields={"category": "suap_pungli", "description": WBS_CONTENT, "knowledge": "melihat", "location": "Loket 3"},
        unit=unit,
        identity=identity,
        files=[],
    )
    return services.transition(report, "start_verification", wbs_coordinator)


REFER = {
    "referral_agency": "Bagian Pengaduan",
    "referral_letter": "R-2/WBS/2026",
    "reason": "Bukan pelanggaran, masalah layanan.",
    "confirmed": True,
}


def test_a_wbs_referral_to_pengaduan_files_an_anonymous_complaint(wbs_coordinator, unit, custodian_key):
    from cases import workdays

    report = _wbs_report(wbs_coordinator, unit, identity={"name": "Siti Pelapor", "contact": "0813"})
    referred = wbs_services.report_refer(
        report, "refer", wbs_coordinator, referral_target="pengaduan", referred_on=workdays.today(), **REFER
    )
    assert referred.status == "referred"
    complaint = Complaint.objects.get()
    assert complaint.identity_mode == IdentityMode.ANONYMOUS
    assert complaint.complainant_name == "" and complaint.complainant_contact == ""
    assert complaint.description == WBS_CONTENT and complaint.location == "Loket 3"
    assert complaint.category == "03"
    assert complaint.status == Status.RECEIVED
    assert links_between(report, complaint) == 2


def test_a_referral_elsewhere_files_no_complaint(wbs_coordinator, unit):
    from cases import workdays

    report = _wbs_report(wbs_coordinator, unit)
    wbs_services.report_refer(
        report, "refer", wbs_coordinator, referral_target="kpk", referred_on=workdays.today(), **REFER
    )
    assert WbsReport.objects.get().status == "referred"
    assert not Complaint.objects.exists()


def test_the_case_page_runs_the_referral_through_the_service(client, wbs_coordinator, unit):
    from cases import workdays

    report = _wbs_report(wbs_coordinator, unit)
    client.force_login(wbs_coordinator)
    response = client.post(
        reverse("cases:transition_form", args=[report.reference, "refer"]),
        {
            "referral_target": "pengaduan",
            "referral_agency": "Bagian Pengaduan",
            "referral_letter": "R-3/WBS/2026",
            "referred_on": workdays.today().isoformat(),
            "reason": "Masalah layanan.",
            "confirmed": "on",
            "expected_status": report.status,
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Complaint.objects.get().description == WBS_CONTENT
