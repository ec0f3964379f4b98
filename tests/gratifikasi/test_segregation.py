"""Segregation of duties in gratifikasi: a UPG officer's own gift report is handled by another UPG member;
declaring it not reportable or closing it needs a confirmation and a reason."""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cases import policy, services, workdays
from cases.models import CaseEvent, Confidentiality, OutboxMessage
from gratifikasi.models import GratifikasiObject, GratifikasiReport, Status
from tests.gratifikasi.conftest import REPORTER_TRANSITIONS, data_for
from tests.gratifikasi.test_workflow import DECLARED, PATHS

pytestmark = pytest.mark.django_db

UPG_STEPS = sorted((state, name) for (state, name), role in DECLARED.items() if role == "upg")


@pytest.fixture
def colleague(make_user):
    return make_user("upg2", policy.PETUGAS_UPG, policy.PEGAWAI, first_name="Agus", last_name="Salim")


@pytest.fixture
def own_report(unit, upg):
    """A gift reported by the UPG officer `upg`, walked by whoever else may handle it."""

    def make(path=(), *, handler=None, report_type="penerimaan", **fields):
        report = services.create_case(
            kind="gratifikasi",
            actor=upg,
            unit=unit,
            reporter=upg,
            report_type=report_type,
            date_received=workdays.today() - dt.timedelta(days=3),
            giver_name="Budi",
            giver_institution="PT Rekanan",
            summary="parsel",
            **fields,
        )
        GratifikasiObject.objects.create(report=report, kind="barang", description="Parsel", value=750_000)
        for name in path:
            actor = upg if name in REPORTER_TRANSITIONS else handler
            report = services.transition(report, name, actor, **data_for(name))
        return GratifikasiReport.objects.get(pk=report.pk)

    return make


@pytest.mark.parametrize(("state", "name"), UPG_STEPS)
def test_the_reporting_officer_is_refused_every_upg_step_and_a_colleague_is_not(
    own_report, upg, colleague, state, name
):
    report_type = "penolakan" if state == "recorded" else "penerimaan"
    report = own_report(PATHS[state], handler=colleague, report_type=report_type)
    before = CaseEvent.objects.filter(case_id=report.pk).count()
    with pytest.raises(services.NotAllowed) as refused:
        services.transition(report, name, upg, **data_for(name))
    assert "pelapor kasus ini" in refused.value.message
    assert GratifikasiReport.objects.get(pk=report.pk).status == state
    assert CaseEvent.objects.filter(case_id=report.pk).count() == before
    assert name not in [t.name for t in services.available_transitions(report, upg)]
    services.transition(report, name, colleague, **data_for(name))


def test_the_reporting_officer_follows_their_report_as_a_reporter(client, own_report, upg, colleague):
    report = own_report(["submit"], handler=colleague)
    assert policy.can_view(upg, report) and not policy.can_handle(upg, report)
    assert upg not in policy.assignable_users(report)
    client.force_login(upg)
    page = client.get(reverse("cases:detail", args=[report.reference])).content.decode()
    assert "Mulai verifikasi" not in page
    assert reverse("cases:assign", args=[report.reference]) not in page
    assert "Simpan catatan internal" not in page
    response = client.post(
        reverse("cases:transition", args=[report.reference]),
        {"name": "start_verification", "expected_status": "submitted"},
    )
    assert response.status_code == 403
    assert GratifikasiReport.objects.get(pk=report.pk).status == Status.SUBMITTED
    with pytest.raises(services.NotAllowed):
        services.assign(report, upg, colleague)


def test_a_lone_upg_officers_report_waits_and_the_inspectorate_is_told_once(own_report, upg, inspektur):
    report = own_report(["submit"])
    assert report.status == Status.SUBMITTED
    assert policy.eligible_handlers(report) == []
    told = OutboxMessage.objects.filter(recipient=inspektur)
    assert told.count() == 1 and report.reference in told.get().subject
    assert not OutboxMessage.objects.filter(recipient=upg, subject__contains="menunggu").exists()


def test_a_confidential_report_of_the_only_coordinator_tells_the_inspectorate_no_content(
    own_report, upg, colleague, inspektur
):
    upg.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    report = own_report(["submit"], confidentiality=Confidentiality.RAHASIA)
    # The colleague is no coordinator and is not assigned: nobody may handle it yet.
    message = OutboxMessage.objects.get(recipient=inspektur)
    assert report.reference not in message.subject + message.body
    assert "Budi" not in message.subject + message.body


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (PATHS["verifying"], "declare_not_reportable"),
        (PATHS["settling"], "record_handover"),
    ],
)
def test_closing_forms_need_a_reason_and_a_confirmation(client, make_report, upg, path, name):
    report = make_report(path)
    client.force_login(upg)
    url = reverse("cases:transition_form", args=[report.reference, name])
    page = client.get(url).content.decode()
    assert 'name="reason"' in page and 'type="checkbox" name="confirmed"' in page
    data = {key: (value.isoformat() if hasattr(value, "isoformat") else value) for key, value in data_for(name).items()}
    data["expected_status"] = report.status
    missing = {k: v for k, v in data.items() if k not in ("reason", "confirmed")}
    page = client.post(url, missing).content.decode()
    assert "has-error" in page  # the form comes back with the reason and the confirmation marked
    assert GratifikasiReport.objects.get(pk=report.pk).status == report.status
    client.post(url, {**missing, "reason": "Pasal 2 ayat (3) huruf o.", "confirmed": "on"})
    event = CaseEvent.objects.filter(case_id=report.pk, action="transition").last()
    assert event.data["transition"] == name and event.data["reason"] == "Pasal 2 ayat (3) huruf o."


def test_close_without_a_reason_is_refused_in_the_service(make_report, upg):
    report = make_report([*PATHS["recorded"]], report_type="penolakan")
    with pytest.raises(services.CaseError):
        services.transition(report, "close", upg, confirmed=True)
    assert GratifikasiReport.objects.get(pk=report.pk).status == Status.RECORDED
