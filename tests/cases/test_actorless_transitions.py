"""Steps without a signed-in actor: the public reporter (by="reporter") and the system (by="system"), on the test
Widget (`reporter_accept` is guarded by policy.public_reporter, `auto_close` by policy.system)."""

import pytest

from cases import intake, policy, registry, services
from cases.models import CaseEvent, OutboxMessage
from tests.casetype.models import FINAL, Status, Widget

pytestmark = pytest.mark.django_db

CLOSING = {"reason": "Pelapor puas dengan jawaban.", "confirmed": True}


@pytest.fixture
def public_kind():
    """'ujipub': the Widget on the public intake, whose reporter has no account."""
    kind = registry.register(
        registry.CaseKind(
            code="ujipub",
            prefix="UJP",
            label="Uji publik",
            model_label="casetype.Widget",
            handler_group=policy.PETUGAS_PENGADUAN,
            status_labels=tuple(Status.choices),
            final_states=FINAL,
            public_intake=registry.PublicIntake(namespace="ujipub"),
        )
    )
    yield kind
    registry._kinds.pop("ujipub", None)


@pytest.fixture
def public_case(public_kind, unit, handler):
    case = services.create_case(kind="ujipub", actor=None, unit=unit, status=Status.SUBMITTED, title="Jalan rusak")
    return services.transition(case, "start_review", handler)


def event_count(case) -> int:
    return CaseEvent.objects.filter(case_id=case.pk).count()


def test_it_runs_the_reporters_step_without_an_actor_and_records_by(public_case, handler):
    services.transition(public_case, "reporter_accept", None, by="reporter", **CLOSING)
    case = Widget.objects.get(pk=public_case.pk)
    assert case.status == Status.APPROVED
    event = CaseEvent.objects.filter(case_id=case.pk).order_by("-seq").first()
    assert event.actor is None and event.data["by"] == "reporter" and event.data["transition"] == "reporter_accept"
    # The day only, as for the reporter's messages; the office hears of it later.
    assert event.created_at == intake.rounded_now() and case.closed_at == intake.rounded_now()
    held = OutboxMessage.objects.filter(case_id=case.pk, recipient=handler).order_by("-pk").first()
    assert held.not_before is not None and held.delivered_at is None


def test_the_reporters_step_keeps_its_confirmation_rule(public_case):
    with pytest.raises(services.CaseError):
        services.transition(public_case, "reporter_accept", None, by="reporter")
    assert Widget.objects.get(pk=public_case.pk).status == Status.REVIEWING


@pytest.mark.parametrize("persona", ["handler", "inspektur", "admin_user", "pegawai"])
def test_no_signed_in_user_may_take_the_reporters_step(public_case, persona, request):
    user = request.getfixturevalue(persona)
    before = event_count(public_case)
    for by in ("", "reporter"):
        with pytest.raises(services.NotAllowed):
            services.transition(public_case, "reporter_accept", user, by=by, **CLOSING)
    assert Widget.objects.get(pk=public_case.pk).status == Status.REVIEWING
    assert event_count(public_case) == before
    assert "reporter_accept" not in [t.name for t in services.available_transitions(public_case, user)]


def test_the_system_may_not_take_the_reporters_step(public_case):
    before = event_count(public_case)
    with pytest.raises(services.NotAllowed):
        services.transition(public_case, "reporter_accept", None, by="system", **CLOSING)
    assert event_count(public_case) == before


def test_an_actorless_call_without_by_is_refused(public_case):
    with pytest.raises(services.NotAllowed):
        services.transition(public_case, "reporter_accept", None, **CLOSING)


def test_a_handlers_step_is_refused_without_an_actor(public_case):
    before = event_count(public_case)
    for by in ("reporter", "system", ""):
        with pytest.raises(services.NotAllowed):
            services.transition(public_case, "send_back", None, by=by)
    assert Widget.objects.get(pk=public_case.pk).status == Status.REVIEWING
    assert event_count(public_case) == before


def test_the_reporters_step_needs_a_public_intake_kind(make_widget, handler):
    case = make_widget("reviewing")  # 'uji': its reporter has an account
    with pytest.raises(services.NotAllowed):
        services.transition(case, "reporter_accept", None, by="reporter", **CLOSING)


def test_the_system_closes_a_case_and_records_by(make_widget, handler):
    case = make_widget("submitted")
    services.transition(case, "auto_close", None, by="system", reason="Tidak ditindaklanjuti.", confirmed=True)
    case = Widget.objects.get(pk=case.pk)
    assert case.status == Status.REJECTED
    event = CaseEvent.objects.filter(case_id=case.pk).order_by("-seq").first()
    assert event.actor is None and event.data["by"] == "system"


def test_no_user_may_take_the_systems_step(make_widget, handler, admin_user):
    case = make_widget("submitted")
    for user in (handler, admin_user):
        with pytest.raises(services.NotAllowed):
            services.transition(case, "auto_close", user, reason="x", confirmed=True)
        assert "auto_close" not in [t.name for t in services.available_transitions(case, user)]
    with pytest.raises(services.NotAllowed):
        services.transition(case, "auto_close", None, by="reporter", reason="x", confirmed=True)
    assert Widget.objects.get(pk=case.pk).status == Status.SUBMITTED


def test_the_permission_callables_refuse_every_user(widget, handler, admin_user, pegawai):
    for user in (handler, admin_user, pegawai, None):
        assert not policy.public_reporter(widget, user) and not policy.system(widget, user)
