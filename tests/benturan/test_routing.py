"""Who decides a declaration: the supervisor from the profile, the next level up when the supervisor is part of
the conflict or steps aside, and never nobody."""

import pytest

from benturan import services
from benturan.models import Declaration, Status
from cases import policy
from cases.models import CaseEvent, CaseExclusion
from cases.services import CaseError, NotAllowed
from tests.benturan.conftest import DECLARATION


def test_it_routes_a_submitted_declaration_to_the_supervisor(make_declaration, atasan, kepala, pegawai):
    declaration = make_declaration(Status.SUBMITTED)
    assert declaration.assignee == atasan
    assert declaration.reference.startswith("BKP-")
    assert policy.can_handle(atasan, declaration)
    assert not policy.can_handle(kepala, declaration)
    assert not policy.can_handle(pegawai, declaration)
    assert declaration.is_frozen
    assert declaration.clocks.get(code="decision").working_days == 7
    assert CaseEvent.objects.filter(case=declaration, action="routed").count() == 1


def test_it_goes_to_the_next_level_when_the_supervisor_is_involved(make_declaration, atasan, kepala):
    declaration = make_declaration(Status.SUBMITTED, supervisor_involved=True)
    assert declaration.assignee == kepala
    assert CaseExclusion.objects.filter(case=declaration, user=atasan).exists()
    assert not policy.can_view(atasan, declaration)
    assert policy.can_handle(kepala, declaration)


def test_it_refuses_to_submit_without_a_supervisor_and_keeps_the_draft(make_user):
    lonely = make_user("lonely", policy.PEGAWAI)
    draft = services.declaration_save(actor=lonely, fields=DECLARATION)
    with pytest.raises(CaseError):
        services.declaration_submit(draft, "submit", lonely)
    assert Declaration.objects.get(pk=draft.pk).status == Status.DRAFT


def test_it_refuses_the_next_level_when_there_is_none(make_user):
    top = make_user("top", policy.ATASAN)
    employee = make_user("emp", policy.PEGAWAI, supervisor=top)
    draft = services.declaration_save(actor=employee, fields={**DECLARATION, "supervisor_involved": True})
    with pytest.raises(CaseError):
        services.declaration_submit(draft, "submit", employee)
    assert Declaration.objects.get(pk=draft.pk).status == Status.DRAFT
    assert not CaseExclusion.objects.filter(case=draft).exists()


def test_a_supervisor_steps_aside_to_the_next_level(make_declaration, atasan, kepala):
    declaration = make_declaration(Status.ANALYSING)
    services.decider_step_aside(declaration=declaration, actor=atasan, reason="Saya kenal direktur itu.")
    declaration.refresh_from_db()
    assert declaration.assignee == kepala
    assert not policy.can_view(atasan, declaration)


def test_the_top_of_the_tree_cannot_step_aside(make_declaration, atasan, kepala):
    declaration = make_declaration(Status.SUBMITTED, supervisor_involved=True)
    with pytest.raises(CaseError):
        services.decider_step_aside(declaration=declaration, actor=kepala, reason="Saya juga terlibat.")
    declaration.refresh_from_db()
    assert declaration.assignee == kepala


def test_only_the_decider_steps_aside(make_declaration, kepala, pegawai):
    declaration = make_declaration(Status.SUBMITTED)
    for person in (kepala, pegawai):
        with pytest.raises(NotAllowed):
            services.decider_step_aside(declaration=declaration, actor=person, reason="x")


def test_a_supervisor_opens_one_about_a_subordinate(atasan, pegawai, kepala):
    declaration = services.declaration_open(actor=atasan, employee=pegawai, fields=DECLARATION)
    assert declaration.status == Status.SUBMITTED
    assert declaration.reporter == pegawai and declaration.opened_by == atasan
    assert declaration.assignee == atasan
    assert declaration.clocks.get(code="decision").due_date is not None
    with pytest.raises(NotAllowed):
        services.declaration_open(actor=kepala, employee=pegawai, fields=DECLARATION)


def test_the_walk_reaches_closed(make_declaration):
    assert make_declaration(Status.CLOSED).status == Status.CLOSED


def test_nobody_assigns_a_declaration_by_hand(client, make_declaration, atasan, rekan, kepala):
    """The decider is chosen by the rule (the declarant's supervisor), never passed on through the case page."""
    from cases.models import Case

    declaration = make_declaration(Status.ANALYSING)
    assert not policy.can_assign(atasan, declaration)
    client.force_login(atasan)
    page = client.get(f"/kasus/{declaration.reference}/")
    assert page.status_code == 200
    assert f"/kasus/{declaration.reference}/petugas/".encode() not in page.content
    response = client.post(f"/kasus/{declaration.reference}/petugas/", {"assignee": kepala.pk})
    assert response.status_code == 403
    assert Case.objects.get(pk=declaration.pk).assignee == atasan


def test_another_supervisor_sees_nothing_of_it(make_declaration, make_user):
    """Being in the atasan group opens no one else's declaration: every declaration is confidential."""
    other = make_user("other_boss", policy.ATASAN)
    declaration = make_declaration(Status.SUBMITTED)
    assert not policy.can_view(other, declaration)
    assert not policy.visible_cases(other).filter(pk=declaration.pk).exists()


def test_the_replacement_is_a_real_employee_named_as_in_a_letter(make_declaration, kepala, rekan, atasan):
    from guardian.utils import get_anonymous_user

    from benturan.forms import DecisionForm

    declaration = make_declaration(Status.ANALYSING)
    choices = DecisionForm(case=declaration).fields["replacement"]
    people = set(choices.queryset)
    assert get_anonymous_user() not in people
    assert rekan in people and declaration.reporter not in people
    rekan.first_name, rekan.last_name = "Rina", "Rekan"
    rekan.profile.position, rekan.profile.nip = "Analis Keuangan", "199001012015031001"
    assert choices.label_from_instance(rekan) == "Rina Rekan — Analis Keuangan (NIP 199001012015031001)"
    with pytest.raises(CaseError):
        services.declaration_decide(
            declaration,
            "decide",
            atasan,
            outcome="moved",
            replacement=get_anonymous_user(),
            facts="f",
            impact="i",
            reasoning="r",
            controls="c",
            decided_on=declaration.submitted_at.date(),
        )


def test_a_step_aside_reason_is_kept_encrypted_out_of_the_plain_log(make_declaration, atasan):
    declaration = make_declaration(Status.ANALYSING)
    services.decider_step_aside(declaration=declaration, actor=atasan, reason="Saya kerabat direktur peserta.")
    for event in CaseEvent.objects.filter(case=declaration):
        assert "kerabat" not in str(event.data)
    assert CaseExclusion.objects.get(case=declaration, user=atasan).reason == "Pihak dalam benturan kepentingan"


def test_a_coordinator_in_the_atasan_group_opens_no_one_elses_declaration(make_declaration, make_user):
    """The coordinator permission (e.g. of a UPG or WBS coordinator who is also a supervisor) is not a key to
    declarations: a declaration is opened only by being routed to it."""
    from django.contrib.auth.models import Permission

    from cases import services as case_services

    boss = make_user("koordinator", policy.ATASAN, policy.PETUGAS_UPG)
    boss.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    declaration = make_declaration(Status.ANALYSING)
    assert not policy.can_view(boss, declaration)
    assert not policy.can_handle(boss, declaration)
    assert not policy.visible_cases(boss).filter(pk=declaration.pk).exists()
    with pytest.raises(NotAllowed):
        case_services.transition(declaration, "decide", boss)


def test_submitting_tells_the_decider_and_raises_no_alarm(make_declaration, atasan, inspektur):
    from cases.models import OutboxMessage

    declaration = make_declaration(Status.SUBMITTED)
    assert not OutboxMessage.objects.filter(dedupe_key__startswith="no_handler:").exists()
    assert OutboxMessage.objects.filter(recipient=atasan, case_id=declaration.pk).exists()
    assert not OutboxMessage.objects.filter(recipient=inspektur).exists()


def test_the_plain_log_never_names_the_conflicted_supervisor(make_declaration, atasan):
    declaration = make_declaration(Status.SUBMITTED, supervisor_involved=True)
    excluded = CaseEvent.objects.get(case=declaration, action="excluded")
    assert excluded.data.get("count") == 1 and "user" not in excluded.data
    assert atasan.pk not in [
        value for event in CaseEvent.objects.filter(case=declaration) for value in event.data.values()
    ]
