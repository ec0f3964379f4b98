"""The follow-up services: every transition of a recommendation allowed and refused, the refusals of issue 12, and
what each change leaves in the case's audit chain and the history."""

import datetime as dt

import pytest

from cases import audit, policy
from cases.models import CaseEvent, CaseExclusion
from evaluasi import services
from evaluasi.models import FollowUp, FollowUpAction, Recommendation
from tests.evaluasi.test_followup_fixtures import *  # noqa: F403
from tests.evaluasi.test_followup_fixtures import SECRET

pytestmark = pytest.mark.django_db

DONE_ON = dt.date(2026, 10, 20)


def _act(recommendation, owner, description="Rekap disusun dan dilaporkan."):
    return services.action_record(recommendation=recommendation, done_on=DONE_ON, description=description, actor=owner)


def _status(recommendation) -> str:
    return Recommendation.objects.get(pk=recommendation.pk).status


# ---------------------------------------------------------------------------------------------------------
# Every (state × step) pair: allowed iff the follow-up rules say so (written out here, not read from the model)

ALLOWED = {
    (FollowUp.BELUM, "act"): FollowUp.PROSES,
    (FollowUp.PROSES, "act"): FollowUp.PROSES,
    (FollowUp.PROSES, "accept"): FollowUp.SELESAI,  # from belum: refused, nothing was done yet
    (FollowUp.BELUM, "cannot"): FollowUp.TIDAK_DAPAT,
    (FollowUp.PROSES, "cannot"): FollowUp.TIDAK_DAPAT,
    (FollowUp.SELESAI, "reopen"): FollowUp.PROSES,
    (FollowUp.TIDAK_DAPAT, "reopen"): FollowUp.PROSES,
}


def _bring_to(state, recommendation, owner, inspector):
    if state in (FollowUp.PROSES, FollowUp.SELESAI):
        _act(recommendation, owner, "Langkah pertama.")
    if state == FollowUp.SELESAI:
        services.accept(recommendation=recommendation, actor=inspector)
    if state == FollowUp.TIDAK_DAPAT:
        services.cannot(recommendation=recommendation, reason="Programnya dihentikan.", actor=inspector)
    assert _status(recommendation) == state


def _run(step, recommendation, owner, inspector):
    if step == "act":
        return _act(recommendation, owner, "Langkah berikutnya.")
    if step == "accept":
        return services.accept(recommendation=recommendation, actor=inspector)
    if step == "cannot":
        return services.cannot(recommendation=recommendation, reason="Tidak mungkin lagi.", actor=inspector)
    return services.reopen(recommendation=recommendation, actor=inspector)


@pytest.mark.parametrize("state", [choice for choice, _label in FollowUp.choices])
@pytest.mark.parametrize("step", ["act", "accept", "cannot", "reopen"])
def test_each_step_is_allowed_in_exactly_the_states_the_rules_say(state, step, recommendation, pegawai, inspektur):
    _bring_to(state, recommendation, pegawai, inspektur)
    history_before = recommendation.history.count()
    if (state, step) in ALLOWED:
        _run(step, recommendation, pegawai, inspektur)
        assert _status(recommendation) == ALLOWED[(state, step)]
    else:
        with pytest.raises(services.FollowUpRefused) as refused:
            _run(step, recommendation, pegawai, inspektur)
        assert refused.value.message
        assert _status(recommendation) == state
        assert recommendation.history.count() == history_before


def test_accepting_needs_an_action_recorded(recommendation, inspektur):
    with pytest.raises(services.FollowUpRefused, match="Belum ada tindak lanjut"):
        services.accept(recommendation=recommendation, actor=inspektur)


def test_accept_sets_the_completion_date_and_reopen_clears_it(recommendation, pegawai, inspektur):
    _act(recommendation, pegawai)
    accepted = services.accept(recommendation=recommendation, actor=inspektur)
    assert accepted.completed_on is not None
    reopened = services.reopen(recommendation=recommendation, actor=inspektur)
    assert reopened.status == FollowUp.PROSES and reopened.completed_on is None


def test_cannot_needs_a_reason_and_keeps_it_encrypted(recommendation, inspektur):
    with pytest.raises(services.FollowUpRefused) as refused:
        services.cannot(recommendation=recommendation, reason="  ", actor=inspektur)
    assert refused.value.field == "reason"
    assert _status(recommendation) == FollowUp.BELUM
    services.cannot(recommendation=recommendation, reason="Unit dibubarkan.", actor=inspektur)
    stored = Recommendation.objects.filter(pk=recommendation.pk).values_list("reason", flat=True)
    assert Recommendation.objects.get(pk=recommendation.pk).reason == "Unit dibubarkan."
    raw = Recommendation._meta.db_table
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT reason, text FROM {raw} WHERE id = %s", [recommendation.pk])  # noqa: S608
        reason, text = cursor.fetchone()
    assert "Unit dibubarkan" not in reason and SECRET not in text
    assert list(stored) == ["Unit dibubarkan."]


# ---------------------------------------------------------------------------------------------------------
# Wrong role


def test_only_the_owner_records_actions(recommendation, inspektur, atasan):
    for stranger in (inspektur, atasan):
        with pytest.raises(services.FollowUpRefused, match="Hanya penanggung jawab"):
            _act(recommendation, stranger)
    assert _status(recommendation) == FollowUp.BELUM
    assert not FollowUpAction.objects.exists()


@pytest.mark.parametrize("step", ["accept", "cannot", "reopen"])
def test_only_the_inspectorate_judges(step, recommendation, pegawai, atasan, inspektur):
    _act(recommendation, pegawai)
    if step == "reopen":
        services.accept(recommendation=recommendation, actor=inspektur)
    before = _status(recommendation)
    for person in (pegawai, atasan):
        with pytest.raises(services.FollowUpRefused, match="Hanya inspektorat"):
            _run(step, recommendation, pegawai, person)
    assert _status(recommendation) == before


def test_an_inspector_who_owns_a_recommendation_cannot_accept_their_own_follow_up(evaluation, inspektur, inspektur2):
    own = services.recommendation_add(
        evaluation=evaluation,
        text="Lengkapi SOP.",
        owner=inspektur2,
        due_on=dt.date(2026, 12, 31),
        actor=inspektur,
        issued_on=dt.date(2026, 10, 6),
    )
    _act(own, inspektur2)
    with pytest.raises(services.FollowUpRefused, match="tindak lanjut Anda sendiri"):
        services.accept(recommendation=own, actor=inspektur2)
    assert _status(own) == FollowUp.PROSES
    services.accept(recommendation=own, actor=inspektur)
    assert _status(own) == FollowUp.SELESAI


# ---------------------------------------------------------------------------------------------------------
# The refusals of issue 12


def test_a_due_date_before_the_issue_date_is_refused(evaluation, pegawai, inspektur):
    with pytest.raises(services.FollowUpRefused) as refused:
        services.recommendation_add(
            evaluation=evaluation,
            text="X",
            owner=pegawai,
            due_on=dt.date(2026, 10, 1),
            actor=inspektur,
            issued_on=dt.date(2026, 10, 6),
        )
    assert refused.value.field == "due_on" and "06-10-2026" in refused.value.message
    assert not Recommendation.objects.exists()


def test_an_inactive_owner_is_refused(evaluation, pegawai, inspektur):
    pegawai.is_active = False
    pegawai.save()
    with pytest.raises(services.FollowUpRefused, match="masih aktif"):
        services.recommendation_add(
            evaluation=evaluation, text="X", owner=pegawai, due_on=dt.date(2026, 12, 31), actor=inspektur
        )


def test_the_case_reporter_cannot_own_its_recommendation(make_widget, pegawai, inspektur):
    case = make_widget(status="submitted")
    with pytest.raises(services.FollowUpRefused, match="Pelapor kasus") as refused:
        services.recommendation_add(case=case, text="X", owner=pegawai, due_on=dt.date(2027, 1, 31), actor=inspektur)
    assert refused.value.field == "owner"


def test_a_person_excluded_from_the_case_cannot_own_its_recommendation(make_widget, atasan, inspektur):
    case = make_widget(status="submitted")
    CaseExclusion.objects.create(case=case, user=atasan)
    with pytest.raises(services.FollowUpRefused, match="dikecualikan"):
        services.recommendation_add(case=case, text="X", owner=atasan, due_on=dt.date(2027, 1, 31), actor=inspektur)


def test_a_draft_case_takes_no_recommendation(make_widget, atasan, inspektur):
    case = make_widget()
    with pytest.raises(services.FollowUpRefused, match="draf"):
        services.recommendation_add(case=case, text="X", owner=atasan, due_on=dt.date(2027, 1, 31), actor=inspektur)


def test_a_case_handler_does_not_add_recommendations(make_widget, atasan, handler):
    case = make_widget(status="submitted")
    assert policy.can_handle(handler, case)
    with pytest.raises(services.FollowUpRefused, match="Hanya inspektorat"):
        services.recommendation_add(case=case, text="X", owner=atasan, due_on=dt.date(2027, 1, 31), actor=handler)


def test_an_inspector_who_reported_the_case_adds_no_recommendation_to_it(make_widget, atasan, inspektur, handler):
    case = make_widget(status="submitted", reporter=inspektur)
    with pytest.raises(services.FollowUpRefused, match="pelapor atau terkait"):
        services.recommendation_add(case=case, text="X", owner=atasan, due_on=dt.date(2027, 1, 31), actor=inspektur)


def test_actions_on_a_closed_recommendation_are_refused(recommendation, pegawai, inspektur):
    services.cannot(recommendation=recommendation, reason="Dihentikan.", actor=inspektur)
    with pytest.raises(services.FollowUpRefused, match="sudah ditutup"):
        _act(recommendation, pegawai)
    assert not FollowUpAction.objects.exists()


def test_a_double_submitted_action_is_recorded_once(recommendation, pegawai):
    _act(recommendation, pegawai)
    with pytest.raises(services.FollowUpRefused, match="tidak dicatat dua kali"):
        _act(recommendation, pegawai)
    assert FollowUpAction.objects.count() == 1
    _act(recommendation, pegawai, "Langkah kedua yang berbeda.")
    assert FollowUpAction.objects.count() == 2


def test_a_judgement_on_a_status_that_changed_meanwhile_is_refused(recommendation, pegawai, inspektur, inspektur2):
    """Two inspectors press "Terima" on the same page: the second sees the status moved and nothing changes."""
    _act(recommendation, pegawai)
    services.accept(recommendation=recommendation, actor=inspektur, expected_status=FollowUp.PROSES)
    with pytest.raises(services.FollowUpRefused, match="baru saja berubah"):
        services.accept(recommendation=recommendation, actor=inspektur2, expected_status=FollowUp.PROSES)
    with pytest.raises(services.FollowUpRefused, match="baru saja berubah"):
        services.cannot(recommendation=recommendation, reason="x", actor=inspektur2, expected_status=FollowUp.PROSES)
    assert _status(recommendation) == FollowUp.SELESAI


# ---------------------------------------------------------------------------------------------------------
# Audit


def test_each_change_of_a_case_recommendation_is_on_the_chain_without_its_text(make_widget, atasan, inspektur):
    case = make_widget(status="submitted")
    recommendation = services.recommendation_add(
        case=case, text=SECRET, owner=atasan, due_on=dt.date(2027, 1, 31), actor=inspektur
    )
    services.action_record(
        recommendation=recommendation, done_on=recommendation.issued_on, description="Uraian rahasia", actor=atasan
    )
    services.accept(recommendation=recommendation, actor=inspektur)
    services.reopen(recommendation=recommendation, actor=inspektur)
    services.cannot(recommendation=recommendation, reason="Alasan rahasia", actor=inspektur)
    events = list(CaseEvent.objects.filter(case=case, action__startswith="recommendation").order_by("seq"))
    assert [event.action for event in events] == [
        "recommendation_added",
        "recommendation_action",
        "recommendation_accepted",
        "recommendation_reopened",
        "recommendation_cannot",
    ]
    assert all(event.data["recommendation"] == str(recommendation.uuid) for event in events)
    assert [event.data.get("to") for event in events[1:]] == ["proses", "selesai", "proses", "tidak_dapat"]
    dumped = repr([event.data for event in events])
    for secret in (SECRET, "Uraian rahasia", "Alasan rahasia"):
        assert secret not in dumped
    assert all(str(audit.action_label(event.action)) != event.action for event in events)
    assert not list(audit.verify())


def test_the_history_keeps_each_version_without_the_text(recommendation, pegawai, inspektur):
    _act(recommendation, pegawai)
    services.accept(recommendation=recommendation, actor=inspektur)
    statuses = list(recommendation.history.order_by("history_id").values_list("status", flat=True))
    assert statuses == ["belum", "proses", "selesai"]
    names = {field.name for field in recommendation.history.model._meta.fields}
    assert "text" not in names and "reason" not in names


def test_every_audit_action_evaluasi_records_has_a_label():
    """cases.checks reads the kinds' apps only; evaluasi is not a kind, so its action names (passed to audit.record
    directly or through services._audit_step) are checked here."""
    import re
    from pathlib import Path

    source = Path(services.__file__).read_text(encoding="utf-8")
    found = set(re.findall(r'"(recommendation_[a-z_]+)"', source))
    assert len(found) == 6
    assert found <= set(audit.ACTIONS)


def test_nobody_without_an_employee_record_owns_a_recommendation(evaluation, inspektur):
    from django.contrib.auth import get_user_model

    from evaluasi.forms import RecommendationForm

    service_account = get_user_model().objects.create_user("layanan-sistem")
    with pytest.raises(services.FollowUpRefused, match="data kepegawaian"):
        services.recommendation_add(
            evaluation=evaluation, text="X", owner=service_account, due_on=dt.date(2027, 1, 29), actor=inspektur
        )
    assert service_account not in RecommendationForm().fields["owner"].queryset
