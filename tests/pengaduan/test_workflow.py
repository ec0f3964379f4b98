"""The pengaduan state machine (DESIGN §4), transition by transition and role by role: the complaint officers
run the office's steps, the complainant (no account) only theirs, the sweep only its own, and nobody else any."""

import contextlib
import datetime as dt
import threading

import pytest
import time_machine
from django.db import connection

from cases import policy, services
from cases.models import CaseEvent
from pengaduan.models import Complaint, Status
from tests.pengaduan.conftest import PATHS, REPORTER_STEPS, SYSTEM_STEPS, runner

pytestmark = pytest.mark.django_db

# DESIGN §4, written out independently of the model: (state, transition) -> who may run it.
DECLARED = {
    ("received", "start_verification"): "officer",
    ("verifying", "request_clarification"): "officer",
    ("needs_clarification", "clarify"): "reporter",
    ("needs_clarification", "record_clarification"): "officer",
    ("verifying", "postpone"): "officer",
    ("postponed", "resume"): "officer",
    ("verifying", "declare_out_of_scope"): "officer",
    ("out_of_scope", "forward_elsewhere"): "officer",
    ("received", "archive"): "officer",
    ("verifying", "archive"): "officer",
    ("postponed", "archive"): "officer",
    ("out_of_scope", "archive"): "officer",
    ("received", "mark_duplicate"): "officer",
    ("verifying", "mark_duplicate"): "officer",
    ("postponed", "mark_duplicate"): "officer",
    ("verifying", "dispose"): "officer",
    ("dispositioned", "respond_first"): "officer",
    ("dispositioned", "send_answer"): "officer",
    ("in_progress", "send_answer"): "officer",
    ("answered", "confirm"): "reporter",
    ("answered", "dispute"): "reporter",
    ("answered", "record_confirmation"): "officer",
    ("answered", "close_without_reply"): "system",  # only once the 10 HK to reply have passed
    ("received", "convert_to_wbs"): "officer",
    ("verifying", "convert_to_wbs"): "officer",
    ("postponed", "convert_to_wbs"): "officer",
    ("dispositioned", "convert_to_wbs"): "officer",
    ("in_progress", "convert_to_wbs"): "officer",
}
TRANSITIONS = sorted({name for _, name in DECLARED})
OFFICER_PAIRS = sorted(pair for pair, role in DECLARED.items() if role == "officer")


def test_every_state_is_reachable_and_covered():
    assert set(PATHS) == {s.value for s in Status}


def test_the_matrix_names_every_declared_transition():
    declared = {t.name for t in Complaint(status="received").get_all_status_transitions()}
    assert set(TRANSITIONS) == declared


def run_as(complaint, name, role, actors, data, **extra):
    """Run `name` as `role`: a signed-in person, or the complainant / the sweep without an account."""
    if role in ("reporter", "system"):
        return runner(name)(complaint, name, None, by=role, **data, **extra)
    return runner(name)(complaint, name, actors[role], **data, **extra)


def after_the_reply_window():
    """The sweep's step is allowed only once the complainant's 10 HK to reply have passed."""
    return time_machine.travel(dt.timedelta(days=30), tick=False)


def written(complaint):
    return CaseEvent.objects.filter(case_id=complaint.pk).count()


@pytest.mark.parametrize("state", sorted(PATHS))
@pytest.mark.parametrize("name", TRANSITIONS)
def test_allowed_iff_declared_for_the_right_role(make_complaint, officer, coordinator, others, data_for, state, name):
    complaint = make_complaint(PATHS[state])
    declared = DECLARED.get((state, name))
    actors = {"officer": officer, "coordinator": coordinator, **others}
    roles = [*actors, "reporter", "system"]
    for role in roles:
        if role == declared or (declared == "officer" and role == "coordinator"):
            continue
        events = written(complaint)
        with pytest.raises(services.CaseError):
            run_as(complaint, name, role, actors, data_for(name))
        assert Complaint.objects.get(pk=complaint.pk).status == state, role
        assert written(complaint) == events, role
    if declared:
        events = written(complaint)
        with after_the_reply_window() if declared == "system" else contextlib.nullcontext():
            after = run_as(complaint, name, declared, actors, data_for(name), expected_status=state)
        assert after.status != state
        event = CaseEvent.objects.filter(case_id=complaint.pk, action="transition").order_by("pk").last()
        assert event.data["transition"] == name and event.from_status == state
        assert (event.actor_id is None) == (declared in ("reporter", "system"))
        assert written(complaint) > events


def test_the_coordinator_runs_the_officer_steps_too(make_complaint, coordinator):
    complaint = make_complaint()
    complaint = services.transition(complaint, "start_verification", coordinator)
    assert complaint.status == Status.VERIFYING


@pytest.mark.parametrize("name", sorted(REPORTER_STEPS | SYSTEM_STEPS))
def test_no_signed_in_user_may_take_the_complainants_or_the_systems_steps(
    make_complaint, officer, coordinator, others, name
):
    complaint = make_complaint(PATHS["answered"])
    meta = services.transition_meta(complaint, name)
    for user in [officer, coordinator, *others.values()]:
        assert meta.permission(complaint, user) is False
    assert policy.public_reporter(complaint, others["admin"]) is False
    assert policy.system(complaint, others["admin"]) is False


def test_the_complainant_cannot_take_the_systems_step_nor_the_system_the_complainants(make_complaint):
    complaint = make_complaint(PATHS["answered"])
    with time_machine.travel(dt.timedelta(days=30), tick=False):
        with pytest.raises(services.CaseError):
            services.transition(complaint, "close_without_reply", None, by="reporter", **_closing())
    with pytest.raises(services.CaseError):
        services.transition(complaint, "confirm", None, by="system", **_closing())
    with pytest.raises(services.CaseError):
        services.transition(complaint, "dispute", None, by="system")
    assert Complaint.objects.get(pk=complaint.pk).status == Status.ANSWERED


def _closing():
    return {"reason": "Selesai.", "confirmed": True}


def test_without_an_account_nobody_runs_an_office_step(make_complaint, data_for):
    complaint = make_complaint(PATHS["verifying"])
    for by in ("reporter", "system"):
        with pytest.raises(services.CaseError):
            services.transition(complaint, "dispose", None, by=by, **data_for("dispose"))
    with pytest.raises(services.CaseError):
        services.transition(complaint, "dispose", None, **data_for("dispose"))
    assert Complaint.objects.get(pk=complaint.pk).status == Status.VERIFYING


# --- what the steps record ------------------------------------------------------------------------------


def test_disposition_records_unit_day_and_handler(make_complaint, unit, officer):
    complaint = make_complaint(PATHS["dispositioned"])
    assert (complaint.disposed_unit, complaint.assignee) == (unit, officer)
    assert complaint.disposed_on is not None


def test_the_answer_is_encrypted_and_opens_the_reply_window(make_complaint):
    from django.db import connection

    from cases import workdays

    complaint = make_complaint(PATHS["answered"])
    assert complaint.answer == "Izin Anda telah terbit."
    assert complaint.reply_due == workdays.add_working_days(complaint.answered_on, 10)
    with connection.cursor() as cursor:
        cursor.execute("SELECT answer FROM pengaduan_complaint WHERE case_id = %s", [complaint.pk])
        (column,) = cursor.fetchone()
    assert "Izin" not in column


def test_a_dispute_goes_back_to_the_handler_and_counts(make_complaint):
    complaint = make_complaint(PATHS["answered"])
    complaint = services.transition(complaint, "dispute", None, by="reporter")
    assert complaint.status == Status.IN_PROGRESS and complaint.dispute_count == 1 and complaint.reply_due is None


def test_forwarding_cannot_predate_receipt(make_complaint, officer, data_for):
    complaint = make_complaint(PATHS["out_of_scope"])
    before = complaint.received_on - dt.timedelta(days=1)
    with pytest.raises(services.CaseError):
        services.transition(
            complaint, "forward_elsewhere", officer, **data_for("forward_elsewhere", forwarded_on=before)
        )
    assert Complaint.objects.get(pk=complaint.pk).status == Status.OUT_OF_SCOPE


def test_a_duplicate_is_linked_and_both_kept(make_complaint, unit, officer, data_for):
    from cases.models import CaseLink

    complaint = make_complaint()
    original = make_complaint()
    data = data_for("mark_duplicate", original=original.reference)
    runner("mark_duplicate")(complaint, "mark_duplicate", officer, **data)
    assert Complaint.objects.get(pk=complaint.pk).status == Status.DUPLICATE
    assert Complaint.objects.get(pk=original.pk).status == Status.RECEIVED
    assert CaseLink.objects.filter(from_case_id=complaint.pk, to_case_id=original.pk, relation="duplicate_of").exists()


def test_a_complaint_is_not_its_own_duplicate(make_complaint, officer, data_for):
    complaint = make_complaint()
    with pytest.raises(services.CaseError):
        runner("mark_duplicate")(
            complaint, "mark_duplicate", officer, **data_for("mark_duplicate", original=complaint.reference)
        )
    assert Complaint.objects.get(pk=complaint.pk).status == Status.RECEIVED


# --- the office's steps through the case page -----------------------------------------------------------


@pytest.fixture
def officer_client(client, officer):
    client.force_login(officer)
    return client


@pytest.mark.parametrize(("state", "name"), OFFICER_PAIRS)
def test_each_office_step_through_the_page(make_complaint, officer_client, data_for, state, name):
    complaint = make_complaint(PATHS[state])
    meta = services.transition_meta(complaint, name)
    post = {"name": name, "expected_status": state}
    for key, value in data_for(name).items():
        post[key] = getattr(value, "pk", value)
        if isinstance(value, dt.date):
            post[key] = value.isoformat()
    if meta.custom.get("form"):
        url = f"/kasus/{complaint.reference}/tindakan/{name}/"
        assert officer_client.get(url).status_code == 200
    else:
        url = f"/kasus/{complaint.reference}/tindakan/"
    response = officer_client.post(url, post)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Complaint.objects.get(pk=complaint.pk).status == meta.target


@pytest.mark.parametrize(("state", "name"), OFFICER_PAIRS)
def test_each_office_step_refused_in_the_wrong_state_writes_nothing(
    make_complaint, officer, officer_client, data_for, state, name
):
    wrong = next(s for s in ("closed", "archived", "answered", "needs_clarification") if (s, name) not in DECLARED)
    complaint = make_complaint(PATHS[wrong])
    events, history = written(complaint), Complaint.history.filter(case_id=complaint.pk).count()
    with pytest.raises(services.CaseError):
        runner(name)(complaint, name, officer, **data_for(name))
    post = {"name": name, "expected_status": wrong, **{k: str(getattr(v, "pk", v)) for k, v in data_for(name).items()}}
    officer_client.post(f"/kasus/{complaint.reference}/tindakan/", post)
    officer_client.post(f"/kasus/{complaint.reference}/tindakan/{name}/", post)
    assert Complaint.objects.get(pk=complaint.pk).status == wrong
    assert written(complaint) == events
    assert Complaint.history.filter(case_id=complaint.pk).count() == history


@pytest.mark.parametrize("name", TRANSITIONS)
def test_get_on_the_transition_url_is_405_and_a_forged_reference_404(make_complaint, officer_client, name):
    complaint = make_complaint(PATHS["verifying"])
    assert officer_client.get(f"/kasus/{complaint.reference}/tindakan/").status_code == 405
    forged = "ADU-2026-999999"
    post = {"name": name, "expected_status": "verifying"}
    assert officer_client.post(f"/kasus/{forged}/tindakan/", post).status_code == 404
    assert officer_client.get(f"/kasus/{forged}/tindakan/{name}/").status_code == 404
    assert officer_client.post(f"/kasus/{forged}/tindakan/{name}/", post).status_code == 404
    assert Complaint.objects.get(pk=complaint.pk).status == Status.VERIFYING


def test_a_complaint_is_404_for_people_outside_the_office(make_complaint, client, others):
    complaint = make_complaint(PATHS["verifying"])
    for role in ("pegawai", "upg", "wbs", "atasan"):
        client.force_login(others[role])
        response = client.post(
            f"/kasus/{complaint.reference}/tindakan/", {"name": "dispose", "expected_status": "verifying"}
        )
        assert response.status_code == 404, role
        assert client.get(f"/kasus/{complaint.reference}/tindakan/dispose/").status_code == 404, role
    assert Complaint.objects.get(pk=complaint.pk).status == Status.VERIFYING


# --- two at once: exactly one wins ----------------------------------------------------------------------

CONCURRENT = sorted(DECLARED.items())


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize(("pair", "role"), CONCURRENT, ids=[f"{s}-{n}" for (s, n), _ in CONCURRENT])
def test_two_concurrent_transitions_exactly_one_wins(make_complaint, officer, officer2, data_for, pair, role):
    state, name = pair
    complaint = make_complaint(PATHS[state])
    actors = {"officer": officer}
    people = [officer, officer2] if role == "officer" else [role, role]
    barrier = threading.Barrier(2)
    results = []
    payloads = [data_for(name), data_for(name)]  # built here: a duplicate's original is filed before the race

    def attempt(who, data):
        try:
            barrier.wait()
            fresh = Complaint.objects.get(pk=complaint.pk)
            if who in ("reporter", "system"):
                run_as(fresh, name, who, actors, data, expected_status=state)
            else:
                runner(name)(fresh, name, who, expected_status=state, **data)
            results.append("ok")
        except services.AlreadyChanged:
            results.append("already changed")
        except Exception as exc:  # surfaced by the assertion below
            results.append(repr(exc))
        finally:
            connection.close()  # this thread's own connection

    with after_the_reply_window() if role == "system" else contextlib.nullcontext():
        threads = [threading.Thread(target=attempt, args=pair) for pair in zip(people, payloads, strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
    assert sorted(results) == ["already changed", "ok"], results
    transitions = CaseEvent.objects.filter(case_id=complaint.pk, action="transition", from_status=state)
    assert transitions.count() == 1


def test_a_refused_conversion_files_no_wbs_report_and_links_nothing(make_complaint, officer, others, data_for):
    from cases.models import CaseLink
    from wbs.models import WbsReport

    answered = make_complaint(PATHS["answered"])  # not convertible from here
    verifying = make_complaint(PATHS["verifying"])
    data = data_for("convert_to_wbs")
    attempts = [(answered, officer, {}), (answered, None, {"by": "reporter"}), (verifying, None, {"by": "system"})]
    attempts += [(verifying, person, {}) for person in others.values()]
    for complaint, actor, extra in attempts:
        with pytest.raises(services.CaseError):
            runner("convert_to_wbs")(complaint, "convert_to_wbs", actor, **data, **extra)
    assert not WbsReport.objects.exists() and not CaseLink.objects.exists()
    assert Complaint.objects.get(pk=verifying.pk).complainant_name == "Warga Pengadu"


def test_a_conversion_files_one_wbs_report_linked_and_seals_the_identity(make_complaint, officer, data_for):
    from cases.models import CaseLink
    from wbs.models import WbsReport

    complaint = make_complaint(PATHS["verifying"])
    converted = runner("convert_to_wbs")(complaint, "convert_to_wbs", officer, **data_for("convert_to_wbs"))
    assert converted.status == Status.CONVERTED_TO_WBS
    report = WbsReport.objects.get()
    assert CaseLink.objects.filter(from_case_id=complaint.pk, to_case_id=report.pk, relation="converted_to").exists()
    assert Complaint.objects.get(pk=complaint.pk).complainant_name == ""
