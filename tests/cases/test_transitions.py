"""The transition service, on the small test case type 'uji'."""

import threading

import pytest
from django.db import close_old_connections
from django_fsm import TransitionNotAllowed

from cases import services
from cases.models import Case, CaseEvent, OutboxMessage
from tests.casetype.models import Status, Widget

pytestmark = pytest.mark.django_db


# What a closing step needs besides its data (cases.policy.needs_confirmation).
CLOSING = {"reason": "Telaah selesai.", "confirmed": True}


def events(case):
    return list(CaseEvent.objects.filter(case_id=case.pk).values_list("action", "from_status", "to_status"))


def test_it_numbers_cases_per_kind_and_year(make_widget, handler):
    # Numbers are given at submission (tests/cases/test_numbering.py): drafts are not in the register.
    first, second = make_widget("submitted"), make_widget("submitted")
    year = first.created_at.year
    assert first.reference == f"UJI-{year}-000001"
    assert second.reference == f"UJI-{year}-000002"


def test_it_logs_creation(widget):
    assert events(widget) == [("created", "", "draft")]


def test_it_submits_and_writes_the_event(widget, pegawai, handler):
    case = services.transition(widget, "submit", pegawai, expected_status="draft", note="siap")
    assert Widget.objects.get(pk=widget.pk).status == Status.SUBMITTED
    assert case.submitted_at is not None
    assert events(widget)[-1] == ("transition", "draft", "submitted")
    assert CaseEvent.objects.filter(case_id=widget.pk).last().data == {"transition": "submit", "note": "siap"}


def test_it_queues_notifications_for_handlers_not_the_actor(widget, pegawai, handler, handler2):
    services.transition(widget, "submit", pegawai)
    recipients = set(OutboxMessage.objects.values_list("recipient__username", flat=True))
    assert recipients == {"handler", "handler2"}


def test_the_wrong_state_is_refused_and_changes_nothing(make_widget, handler):
    case = make_widget("submitted")
    before = events(case)
    with pytest.raises(services.AlreadyChanged):
        services.transition(case, "approve", handler)
    assert Widget.objects.get(pk=case.pk).status == Status.SUBMITTED
    assert events(case) == before


def test_nobody_but_the_reporter_may_act_on_a_draft(widget, handler):
    with pytest.raises(services.NotAllowed):
        services.transition(widget, "submit", handler)


def test_the_wrong_role_is_refused_and_changes_nothing(make_widget, pegawai, handler):
    case = make_widget("submitted")
    before = events(case)
    with pytest.raises(services.NotAllowed):
        services.transition(case, "start_review", pegawai)  # the reporter cannot review their own case
    assert Widget.objects.get(pk=case.pk).status == Status.SUBMITTED
    assert events(case) == before


def test_an_outsider_cannot_even_see_the_case(widget, outsider):
    with pytest.raises(services.NotAllowed):
        services.transition(widget, "submit", outsider)


def test_an_unknown_transition_name_is_refused(widget, pegawai):
    with pytest.raises(services.NotAllowed):
        services.transition(widget, "delete", pegawai)
    with pytest.raises(services.NotAllowed):
        services.transition(widget, "save", pegawai)


def test_a_stale_expected_status_is_refused(make_widget, handler):
    case = make_widget("reviewing")
    with pytest.raises(services.AlreadyChanged):
        services.transition(case, "reject", handler, expected_status="submitted")
    assert Widget.objects.get(pk=case.pk).status == Status.REVIEWING


def test_unmet_conditions_are_refused(make_widget, handler):
    case = make_widget("reviewing", ready=False)
    with pytest.raises(services.NotAllowed):
        services.transition(case, "approve", handler)


def test_transition_arguments_reach_the_method(make_widget, handler):
    case = make_widget("reviewing")
    services.transition(case, "approve", handler, title="Disetujui dengan catatan", **CLOSING)
    case = Widget.objects.get(pk=case.pk)
    assert case.title == "Disetujui dengan catatan"
    assert case.closed_at is not None


def test_status_cannot_be_assigned_directly(widget):
    with pytest.raises(AttributeError):
        widget.status = Status.APPROVED


def test_a_transition_method_called_from_the_wrong_state_raises(widget):
    with pytest.raises(TransitionNotAllowed):
        widget.approve()


def test_history_records_every_change(widget, pegawai):
    services.transition(widget, "submit", pegawai)
    statuses = list(Widget.history.filter(case_id=widget.pk).order_by("history_date").values_list("status", flat=True))
    assert statuses == ["draft", "submitted"]


# Every (state × transition) pair: allowed iff declared, for the role the transition names.
ALLOWED = {
    ("draft", "submit"): "reporter",
    ("submitted", "start_review"): "handler",
    ("reviewing", "send_back"): "handler",
    ("returned", "resubmit"): "reporter",
    ("reviewing", "approve"): "handler",
    ("reviewing", "reject"): "handler",
}
STATES = [s.value for s in Status]
TRANSITIONS = ["submit", "start_review", "send_back", "resubmit", "approve", "reject"]


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("name", TRANSITIONS)
def test_every_state_and_transition_pair(make_widget, pegawai, handler, state, name):
    case = make_widget(state)
    allowed_for = ALLOWED.get((state, name))
    for role, actor in (("reporter", pegawai), ("handler", handler)):
        count = CaseEvent.objects.filter(case_id=case.pk).count()
        if role == allowed_for:
            continue
        with pytest.raises(services.CaseError):
            services.transition(case, name, actor)
        assert Widget.objects.get(pk=case.pk).status == state
        assert CaseEvent.objects.filter(case_id=case.pk).count() == count
    if allowed_for:
        actor = pegawai if allowed_for == "reporter" else handler
        services.transition(case, name, actor, **(CLOSING if name in ("approve", "reject") else {}))
        assert Widget.objects.get(pk=case.pk).status != state


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_attempts_exactly_one_wins(make_widget, handler, handler2):
    case = make_widget("reviewing")
    barrier = threading.Barrier(2)
    results = []

    def attempt(actor, name):
        try:
            barrier.wait()
            services.transition(Case.objects.get(pk=case.pk), name, actor, expected_status="reviewing", **CLOSING)
            results.append("ok")
        except services.AlreadyChanged as exc:
            results.append(exc.message)
        finally:
            close_old_connections()

    threads = [
        threading.Thread(target=attempt, args=(handler, "approve")),
        threading.Thread(target=attempt, args=(handler2, "reject")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(results, key=lambda r: r != "ok")[0] == "ok"
    assert results.count("ok") == 1, results
    assert "diubah oleh orang lain" in [r for r in results if r != "ok"][0]
    transitions = CaseEvent.objects.filter(case_id=case.pk, action="transition", from_status="reviewing")
    assert transitions.count() == 1


@pytest.mark.django_db(transaction=True)
def test_concurrent_numbering_gives_distinct_gapless_references():
    from cases import registry

    kind = registry.get("uji")
    barrier = threading.Barrier(3)
    numbers, errors = [], []

    def take():
        try:
            barrier.wait()
            for _ in range(15):
                numbers.append(services.next_reference(kind, 2031))
        except Exception as exc:  # surfaced by the assertion below
            errors.append(exc)
        finally:
            close_old_connections()

    threads = [threading.Thread(target=take) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == []
    assert sorted(numbers) == [f"UJI-2031-{n:06d}" for n in range(1, 46)]
