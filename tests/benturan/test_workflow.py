"""The declaration's state machine (DESIGN §5), transition by transition and role by role, and the decision's
rules: controls and a replacement where the outcome needs them, dates inside the declaration's life."""

import datetime as dt

import pytest

from benturan import services
from benturan.forms import DecisionForm
from benturan.models import Declaration, Status
from cases import services as case_services
from cases import workdays
from cases.models import CaseEvent
from tests.benturan.conftest import DECISION

pytestmark = pytest.mark.django_db

# DESIGN §5, written out independently of the model: (state, transition) -> who may run it. The walk decides a
# recusal, so `close` from `decided` is declared for nobody (it needs a no-conflict decision; tested below).
DECLARED = {
    ("draft", "submit"): "employee",
    ("submitted", "start_analysis"): "supervisor",
    ("analysing", "decide"): "supervisor",
    ("decided", "record_controls"): "supervisor",
    ("controls_in_place", "start_monitoring"): "supervisor",
    ("monitoring", "close"): "supervisor",
}
TRANSITIONS = ["submit", "start_analysis", "decide", "record_controls", "start_monitoring", "close"]
STATES = ["draft", "submitted", "analysing", "decided", "controls_in_place", "monitoring", "closed"]


def data_for(name: str) -> dict:
    today = workdays.today()
    return {
        "decide": {**DECISION, "decided_on": today},
        "record_controls": {"controls_done_on": today, "controls_evidence": "Surat tugas pengganti no. 12."},
        "start_monitoring": {"monitoring_until": today + dt.timedelta(days=60), "monitoring_plan": "Tiap bulan."},
        "close": {"reason": "Pemantauan selesai.", "confirmed": True},
    }.get(name, {})


def run(declaration, name, actor, **extra):
    """The step as the pages run it: the kind's own service where the transition names one."""
    if name == "submit":
        return services.declaration_submit(declaration, name, actor, **extra)
    if name == "decide":
        return services.declaration_decide(declaration, name, actor, **extra, **data_for(name))
    return case_services.transition(declaration, name, actor, **extra, **data_for(name))


@pytest.fixture
def actors(pegawai, atasan, kepala, inspektur, admin_user, outsider, rekan):
    return {
        "employee": pegawai,
        "supervisor": atasan,
        "kepala": kepala,
        "inspektur": inspektur,
        "admin": admin_user,
        "outsider": outsider,
        "rekan": rekan,
    }


def test_every_state_is_reachable_and_covered():
    assert set(STATES) == {s.value for s in Status}
    assert {name for _, name in DECLARED} == set(TRANSITIONS)


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", TRANSITIONS)
def test_allowed_iff_declared_for_the_right_role(make_declaration, actors, state, name):
    declaration = make_declaration(state)
    assert declaration.status == state
    declared = DECLARED.get((state, name))
    for role, actor in actors.items():
        if role == declared:
            continue
        events = CaseEvent.objects.filter(case_id=declaration.pk).count()
        with pytest.raises(case_services.CaseError):
            run(declaration, name, actor)
        after = Declaration.objects.get(pk=declaration.pk)
        assert after.status == state, role
        assert (after.outcome, after.decided_by_id) == (declaration.outcome, declaration.decided_by_id)
        assert CaseEvent.objects.filter(case_id=declaration.pk).count() == events, role
    if declared:
        after = run(declaration, name, actors[declared], expected_status=state)
        assert after.status != state
        assert CaseEvent.objects.filter(case_id=declaration.pk, action="transition").last().data["transition"] == name


def test_a_no_conflict_decision_needs_no_controls_and_closes_straight_away(make_declaration, atasan):
    declaration = make_declaration(Status.ANALYSING)
    declaration = services.declaration_decide(
        declaration, "decide", atasan, **{**data_for("decide"), "outcome": "no_conflict", "controls": ""}
    )
    assert declaration.status == Status.DECIDED and not declaration.is_frozen
    events = CaseEvent.objects.filter(case_id=declaration.pk).count()
    with pytest.raises(case_services.NotAllowed):
        case_services.transition(declaration, "record_controls", atasan, **data_for("record_controls"))
    assert CaseEvent.objects.filter(case_id=declaration.pk).count() == events
    closed = case_services.transition(declaration, "close", atasan, **data_for("close"))
    assert closed.status == Status.CLOSED and closed.closed_at is not None


def test_a_recusal_cannot_close_before_its_controls_and_monitoring(make_declaration, atasan):
    declaration = make_declaration(Status.DECIDED)
    assert declaration.outcome == "recusal"
    with pytest.raises(case_services.NotAllowed):
        case_services.transition(declaration, "close", atasan, **data_for("close"))
    assert Declaration.objects.get(pk=declaration.pk).status == Status.DECIDED


def test_the_decision_records_who_decided_and_stops_the_clock(make_declaration, atasan):
    declaration = make_declaration(Status.DECIDED)
    assert declaration.decided_by == atasan and declaration.decided_on == workdays.today()
    clock = declaration.clocks.get(code="decision")
    assert clock.met_on == workdays.today() and not clock.is_late
    assert services.decided_in_time(declaration) is True


def test_the_supervisor_opening_one_decides_it_from_submitted(atasan, pegawai):
    from tests.benturan.conftest import DECLARATION

    declaration = services.declaration_open(actor=atasan, employee=pegawai, fields=DECLARATION)
    with pytest.raises(case_services.CaseError):
        case_services.transition(declaration, "start_analysis", pegawai)
    assert case_services.transition(declaration, "start_analysis", atasan).status == Status.ANALYSING


# --- the decision form and service ----------------------------------------------------------------------


def form_data(**overrides) -> dict:
    data = {**DECISION, "decided_on": workdays.today().isoformat()}
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_the_decision_form_accepts_a_complete_recusal(make_declaration):
    form = DecisionForm(form_data(), case=make_declaration(Status.ANALYSING))
    assert form.is_valid(), form.errors


def test_the_decision_form_asks_for_controls_when_there_is_a_conflict(make_declaration):
    declaration = make_declaration(Status.ANALYSING)
    form = DecisionForm(form_data(controls=""), case=declaration)
    assert not form.is_valid() and "controls" in form.errors
    assert DecisionForm(form_data(controls="", outcome="no_conflict"), case=declaration).is_valid()


@pytest.mark.parametrize("outcome", ["moved", "member_replaced"])
def test_the_decision_form_asks_for_a_replacement(make_declaration, rekan, outcome):
    declaration = make_declaration(Status.ANALYSING)
    form = DecisionForm(form_data(outcome=outcome), case=declaration)
    assert not form.is_valid() and "replacement" in form.errors
    assert DecisionForm(form_data(outcome=outcome, replacement=rekan.pk), case=declaration).is_valid()


def test_the_declarant_cannot_be_their_own_replacement(make_declaration, pegawai, atasan):
    declaration = make_declaration(Status.ANALYSING)
    form = DecisionForm(form_data(outcome="moved", replacement=pegawai.pk), case=declaration)
    assert not form.is_valid() and "replacement" in form.errors
    with pytest.raises(case_services.CaseError):
        services.declaration_decide(
            declaration, "decide", atasan, **{**data_for("decide"), "outcome": "moved", "replacement": pegawai}
        )
    with pytest.raises(case_services.CaseError):
        services.declaration_decide(declaration, "decide", atasan, **{**data_for("decide"), "outcome": "moved"})
    assert Declaration.objects.get(pk=declaration.pk).status == Status.ANALYSING


def test_the_decision_date_cannot_precede_the_submission_or_be_in_the_future(make_declaration):
    declaration = make_declaration(Status.ANALYSING)
    submitted = workdays.today()
    early = DecisionForm(form_data(decided_on=(submitted - dt.timedelta(days=1)).isoformat()), case=declaration)
    assert not early.is_valid() and "decided_on" in early.errors
    future = DecisionForm(form_data(decided_on=(submitted + dt.timedelta(days=1)).isoformat()), case=declaration)
    assert not future.is_valid() and "decided_on" in future.errors


def test_a_replacement_is_kept_only_for_the_outcomes_that_name_one(make_declaration, atasan, rekan):
    declaration = make_declaration(Status.ANALYSING)
    decided = services.declaration_decide(
        declaration, "decide", atasan, **{**data_for("decide"), "outcome": "recusal", "replacement": rekan}
    )
    assert decided.replacement is None
