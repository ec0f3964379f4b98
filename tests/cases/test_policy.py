import pytest

from cases import policy, services
from cases.models import Case, CaseExclusion, Confidentiality

pytestmark = pytest.mark.django_db


def visible(user):
    return set(policy.visible_cases(user).values_list("reference", flat=True))


def test_the_reporter_sees_their_own_cases_only(make_widget, pegawai, make_user):
    mine = make_widget()
    theirs = make_widget(reporter=make_user("someone", policy.PEGAWAI))
    assert visible(pegawai) == {mine.reference}
    assert theirs.reference not in visible(pegawai)


def test_handlers_of_the_kind_see_ordinary_cases(make_widget, handler, upg):
    widget = make_widget("submitted")
    assert visible(handler) == {widget.reference}
    assert visible(upg) == set()  # a handler of another kind


def test_confidential_cases_need_an_assignment(make_widget, handler, handler2):
    case = make_widget("submitted", confidentiality=Confidentiality.RAHASIA)
    assert visible(handler) == set()
    assert not policy.can_handle(handler, case)
    policy.grant_handling(handler, case)
    assert visible(handler) == {case.reference}
    assert policy.can_handle(handler, case)
    assert visible(handler2) == set()


def test_inspektur_sees_everything_but_handles_nothing(make_widget, inspektur):
    case = make_widget("submitted", confidentiality=Confidentiality.RAHASIA)
    assert visible(inspektur) == {case.reference}
    assert not policy.can_handle(inspektur, case)
    with pytest.raises(services.NotAllowed):
        services.transition(case, "start_review", inspektur)


def test_admin_sees_no_case_by_being_admin_even_as_superuser(widget, admin_user):
    assert visible(admin_user) == set()
    assert not policy.can_handle(admin_user, widget)


def test_an_excluded_person_sees_nothing_whatever_their_role(widget, handler, inspektur):
    CaseExclusion.objects.create(case=widget, user=handler, reason="terlapor")
    CaseExclusion.objects.create(case=widget, user=inspektur, reason="atasan terlapor")
    assert visible(handler) == set()
    assert visible(inspektur) == set()
    assert not policy.can_handle(handler, widget)
    assert handler not in policy.assignable_users(widget)


def test_outsiders_and_anonymous_see_nothing(widget, outsider):
    from django.contrib.auth.models import AnonymousUser

    assert visible(outsider) == set()
    assert not policy.visible_cases(AnonymousUser()).exists()


def test_an_inactive_user_sees_nothing(widget, handler):
    handler.is_active = False
    handler.save()
    assert visible(handler) == set()


def test_assignment_moves_the_object_permission(make_widget, handler, handler2):
    case = make_widget("submitted", confidentiality=Confidentiality.RAHASIA)
    policy.grant_handling(handler, case)
    services.assign(case, handler, handler)
    services.assign(case, handler2, handler)
    assert Case.objects.get(pk=case.pk).assignee == handler2
    assert visible(handler2) == {case.reference}
    assert visible(handler) == set()


def test_only_handlers_of_the_kind_may_assign_and_be_assigned(widget, handler, pegawai, upg):
    with pytest.raises(services.NotAllowed):
        services.assign(widget, handler, pegawai)
    with pytest.raises(services.NotAllowed):
        services.assign(widget, upg, handler)


def test_a_draft_is_seen_by_its_reporter_only(widget, pegawai, handler, inspektur):
    policy.grant_handling(handler, widget)
    assert visible(pegawai) == {widget.reference}
    assert visible(handler) == set()
    assert visible(inspektur) == set()


def test_the_coordinator_receives_confidential_cases_and_assigns_them(make_widget, handler, handler2, admin_user):
    from django.contrib.auth.models import Permission

    case = make_widget("submitted", confidentiality=Confidentiality.RAHASIA)
    handler.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    coordinator = type(handler).objects.get(pk=handler.pk)  # fresh: no cached roles or permissions
    assert visible(coordinator) == {case.reference}
    assert visible(handler2) == set()
    services.assign(case, handler2, coordinator)
    assert visible(handler2) == {case.reference}
    assert visible(admin_user) == set()  # a superuser is no coordinator
