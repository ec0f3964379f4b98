"""Segregation of duties in the core, on the test kind 'uji': nobody handles, is assigned, decides or closes a
case they reported or that is about them; closing steps need a confirmation and a reason."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from cases import policy, services
from cases.models import CaseEvent, CaseExclusion, CaseText, Confidentiality, OutboxMessage
from tests.casetype.models import Status, Widget

pytestmark = pytest.mark.django_db

CLOSING = {"reason": "Telaah selesai.", "confirmed": True}
# The handler's steps of the test kind, from the state each needs.
HANDLER_STEPS = [("submitted", "start_review"), ("reviewing", "send_back"), ("reviewing", "approve"),
                 ("reviewing", "reject")]  # fmt: skip


def events(case):
    return CaseEvent.objects.filter(case_id=case.pk).count()


@pytest.fixture
def own_case(make_widget, handler, handler2):
    """A case reported by a handler of its own kind; handler2 is the colleague who handles it."""

    def make(status):
        return make_widget(status, reporter=handler)

    return make


@pytest.mark.parametrize(("state", "name"), HANDLER_STEPS)
def test_a_handler_cannot_run_any_handler_step_on_their_own_case(own_case, handler, handler2, state, name):
    case = own_case(state)
    before = events(case)
    with pytest.raises(services.NotAllowed) as refused:
        services.transition(case, name, handler, **CLOSING)
    assert "pelapor kasus ini" in refused.value.message
    assert Widget.objects.get(pk=case.pk).status == state
    assert events(case) == before
    assert name not in [t.name for t in services.available_transitions(case, handler)]
    # The colleague may.
    services.transition(case, name, handler2, **CLOSING)
    assert Widget.objects.get(pk=case.pk).status != state


def test_the_self_reporter_keeps_the_reporters_steps(own_case, handler, handler2):
    case = own_case("returned")
    assert [t.name for t in services.available_transitions(case, handler)] == ["resubmit"]
    services.transition(case, "resubmit", handler)
    assert Widget.objects.get(pk=case.pk).status == Status.REVIEWING
    assert policy.can_view(handler, case) and not policy.can_handle(handler, case)


def test_even_an_assignment_does_not_let_the_reporter_handle(own_case, handler):
    case = own_case("submitted")
    policy.grant_handling(handler, case)  # e.g. an assignment made before the rule
    assert not policy.can_handle(handler, case)
    with pytest.raises(services.NotAllowed):
        services.transition(case, "start_review", handler)


@pytest.mark.parametrize(("state", "name"), HANDLER_STEPS)
def test_a_person_the_case_is_about_cannot_run_any_step(make_widget, handler, handler2, state, name):
    case = make_widget(state)
    CaseExclusion.objects.create(case=case, user=handler, reason="terlapor")
    with pytest.raises(services.NotAllowed):
        services.transition(case, name, handler, **CLOSING)
    assert Widget.objects.get(pk=case.pk).status == state


def test_the_reporter_and_excluded_people_cannot_be_assigned(own_case, handler, handler2, make_user):
    case = own_case("submitted")
    third = make_user("handler3", policy.PETUGAS_PENGADUAN)
    CaseExclusion.objects.create(case=case, user=third, reason="terlapor")
    assert set(policy.assignable_users(case)) == {handler2}
    with pytest.raises(services.NotAllowed) as refused:
        services.assign(case, handler, handler2)
    assert "Pelapor tidak dapat ditetapkan" in refused.value.message
    with pytest.raises(services.NotAllowed) as refused:
        services.assign(case, third, handler2)
    assert "dikecualikan" in refused.value.message
    with pytest.raises(services.NotAllowed):
        services.assign(case, handler2, handler)  # nor may the reporter assign their own case
    services.assign(case, handler2, handler2)
    assert Widget.objects.get(pk=case.pk).assignee == handler2


def test_with_no_other_handler_the_inspectorate_is_told_once(make_widget, handler, inspektur):
    case = make_widget(reporter=handler)  # the only handler of the kind reports
    case = services.transition(case, "submit", handler)  # references may be given at submission
    told = OutboxMessage.objects.filter(recipient=inspektur)
    assert told.count() == 1
    assert case.reference in told.get().subject and "menunggu petugas" in told.get().subject
    assert not OutboxMessage.objects.filter(recipient=handler, subject__contains="menunggu").exists()
    assert Widget.objects.get(pk=case.pk).status == Status.SUBMITTED  # it waits
    # One notification per case: telling again (a later transition) sends nothing new.
    services.notify_no_handler(Widget.objects.get(pk=case.pk))
    assert OutboxMessage.objects.filter(recipient=inspektur).count() == 1


def test_the_inspectorate_is_not_told_when_a_colleague_can_handle(make_widget, handler, handler2, inspektur):
    case = make_widget(reporter=handler)
    services.transition(case, "submit", handler)
    assert not OutboxMessage.objects.filter(recipient=inspektur).exists()
    assert OutboxMessage.objects.filter(recipient=handler2).exists()


def test_a_confidential_case_waiting_for_a_handler_tells_no_content(make_widget, handler, handler2, inspektur):
    handler.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    case = make_widget(reporter=handler, confidentiality=Confidentiality.RAHASIA, title="Rahasia XQZV")
    case = services.transition(case, "submit", handler)  # the only coordinator reported it
    message = OutboxMessage.objects.get(recipient=inspektur)
    assert case.reference not in message.subject + message.body
    assert "XQZV" not in message.subject + message.body


# --- confirmation and reason ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["approve", "reject"])
def test_a_closing_step_without_a_reason_or_confirmation_changes_nothing(make_widget, handler, name):
    case = make_widget("reviewing")
    before = events(case)
    with pytest.raises(services.CaseError) as refused:
        services.transition(case, name, handler, confirmed=True)
    assert "alasan" in refused.value.message
    with pytest.raises(services.CaseError) as refused:
        services.transition(case, name, handler, reason="   ")
    assert "alasan" in refused.value.message
    with pytest.raises(services.CaseError) as refused:
        services.transition(case, name, handler, reason="Lengkap.")
    assert "konfirmasi" in refused.value.message
    assert Widget.objects.get(pk=case.pk).status == Status.REVIEWING
    assert events(case) == before


def test_the_reason_goes_into_the_audit_event(make_widget, handler):
    case = make_widget("reviewing")
    services.transition(case, "reject", handler, reason="Dokumen tidak sah.", confirmed=True)
    event = CaseEvent.objects.filter(case_id=case.pk, action="transition").last()
    assert event.data["reason"] == "Dokumen tidak sah."
    assert not CaseText.objects.filter(case_id=case.pk).exists()  # plain kinds keep it in the event


def test_a_step_that_does_not_close_needs_no_reason(make_widget, handler):
    case = make_widget("reviewing")
    services.transition(case, "send_back", handler)
    assert Widget.objects.get(pk=case.pk).status == Status.RETURNED


# --- the case page -------------------------------------------------------------------------------------


@pytest.fixture
def login(client):
    def do(user):
        client.force_login(user)
        return client

    return do


def test_the_self_reporter_is_offered_no_handler_action_and_a_forged_post_is_refused(login, own_case, handler):
    case = own_case("submitted")
    client = login(handler)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'value="start_review"' not in page
    assert reverse("cases:assign", args=[case.reference]) not in page
    assert "Anda pelapor kasus ini" in page
    response = client.post(
        reverse("cases:transition", args=[case.reference]), {"name": "start_review", "expected_status": "submitted"}
    )
    assert response.status_code == 403
    assert "pelapor kasus ini" in response.content.decode()
    assert Widget.objects.get(pk=case.pk).status == Status.SUBMITTED
    response = client.post(reverse("cases:assign", args=[case.reference]), {"assignee": handler.pk})
    assert response.status_code == 403
    assert Widget.objects.get(pk=case.pk).assignee is None


def test_a_closing_button_asks_for_a_reason_and_a_confirmation(login, make_widget, handler):
    case = make_widget("reviewing")
    client = login(handler)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert 'name="reason"' in page and 'name="confirmed"' in page
    url = reverse("cases:transition", args=[case.reference])
    page = client.post(url, {"name": "reject", "expected_status": "reviewing"}, follow=True).content.decode()
    assert "tuliskan alasannya" in page
    assert Widget.objects.get(pk=case.pk).status == Status.REVIEWING
    client.post(url, {"name": "reject", "expected_status": "reviewing", "reason": "Tidak lengkap", "confirmed": "on"})
    assert Widget.objects.get(pk=case.pk).status == Status.REJECTED
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Tidak lengkap" in page  # the reason on the staff timeline


def test_the_assignment_control_names_the_assignee_and_offers_only_eligible_people(
    login, own_case, handler, handler2, make_user
):
    case = own_case("submitted")
    third = make_user("handler3", policy.PETUGAS_PENGADUAN, first_name="Tiga", last_name="Terlapor")
    handler2.first_name, handler2.last_name = "Dewi", "Rekan"
    handler2.save()
    CaseExclusion.objects.create(case=case, user=third, reason="terlapor")
    client = login(handler2)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "belum ditetapkan" in page
    assert f'value="{handler.pk}"' not in page and f'value="{third.pk}"' not in page
    assert f'value="{handler2.pk}"' in page
    services.assign(case, handler2, handler2)
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    section = page[page.index('class="assignee"') :]
    assert "Dewi Rekan" in section[:200]


def test_a_kind_can_mark_a_step_that_does_not_close_as_needing_confirmation(make_widget, handler):
    case = make_widget("reviewing")
    send_back = services.transition_meta(case, "send_back")
    assert not policy.needs_confirmation(case, send_back)
    assert policy.needs_confirmation(case, services.transition_meta(case, "reject"))
    marked = type(send_back)(
        send_back.method, send_back.source, send_back.target, send_back.on_error, send_back.conditions,
        send_back.permission, {"confirm": True},
    )  # fmt: skip
    assert policy.needs_confirmation(case, marked)
