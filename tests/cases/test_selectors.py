"""The reads several places share (cases.selectors): the case timeline, the case page's case, the inbox
without policy for the benchmarks' baseline."""

import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from cases import policy, selectors, services
from cases.models import Case, CaseExclusion, Confidentiality, DeadlineClock

pytestmark = pytest.mark.django_db


@pytest.fixture
def reviewed(make_widget, handler, pegawai):
    case = make_widget("reviewing")
    services.add_comment(case, handler, "Catatan internal petugas")
    services.add_message(case, handler, "Mohon kirim bukti")
    services.record_confidential_view(case, handler)
    services.record_confidential_view(case, handler)
    return case


def test_it_gives_the_office_every_event_but_counts_the_access_log(reviewed):
    timeline = selectors.case_timeline(case=reviewed, staff=True)
    actions = [event.action for event in timeline.events]
    assert "viewed" not in actions and "comment" in actions and "message" in actions
    assert timeline.views == 2
    assert [event.seq for event in timeline.events] == sorted(event.seq for event in timeline.events)
    comment = next(event for event in timeline.events if event.action == "comment")
    assert comment.text == "Catatan internal petugas" and comment.label == "Catatan internal"
    review = next(event for event in timeline.events if event.data.get("transition") == "start_review")
    assert review.label == "start_review" and review.to_label == "Ditelaah"


def test_it_gives_the_reporter_only_what_concerns_them_under_neutral_labels(reviewed):
    timeline = selectors.case_timeline(case=reviewed, staff=False)
    actions = {event.action for event in timeline.events}
    assert actions == {"created", "transition", "message"}
    assert timeline.views == 0
    moved = [event for event in timeline.events if event.action == "transition"]
    assert moved and all(event.label == "Status laporan" for event in moved)


def test_a_kind_can_show_its_reporter_more_actions(reviewed, handler):
    timeline = selectors.case_timeline(case=reviewed, staff=False, extra_actions=("comment",))
    assert "comment" in {event.action for event in timeline.events}


def test_the_last_event_comes_with_its_texts(make_widget, handler):
    case = make_widget("reviewing")
    services.add_comment(case, handler, "pertama")
    services.add_comment(case, handler, "kedua")
    assert selectors.last_event(case=case, action="comment").text == "kedua"
    assert selectors.last_event(case=case, action="assigned") is None


def test_the_case_page_case_is_the_detail_model_and_404s_for_who_may_not_see_it(make_widget, handler, outsider):
    from django.http import Http404

    case = make_widget("submitted")
    loaded = selectors.case_for_page(user=handler, reference=case.reference)
    assert type(loaded).__name__ == "Widget" and loaded.pk == case.pk
    with pytest.raises(Http404):
        selectors.case_for_page(user=outsider, reference=case.reference)


@pytest.mark.parametrize("who", ["handler", "handler2", "pegawai", "inspektur", "outsider", "excluded"])
def test_loaded_access_answers_as_the_policy_does_when_it_reads_each_time(who, request, make_widget, make_user):
    case = make_widget("submitted", confidentiality=Confidentiality.RAHASIA)
    excluded = make_user("terlapor", policy.PETUGAS_PENGADUAN)
    CaseExclusion.objects.create(case=case, user=excluded)
    handler2 = request.getfixturevalue("handler2")
    policy.grant_handling(handler2, case)
    user = excluded if who == "excluded" else request.getfixturevalue(who)
    fresh = Case.objects.get(pk=case.pk)

    def answers(case):
        return (
            policy.can_view(user, case),
            policy.can_handle(user, case),
            policy.is_assigned(user, case),
            policy.is_excluded(user, case),
            policy.can_comment(user, case),
            policy.can_assign(user, case),
            sorted(policy.conflicted_ids(case)),
        )

    expected = answers(fresh)
    loaded = policy.load_access(user, Case.objects.get(pk=case.pk))
    assert answers(loaded) == expected


def test_loaded_access_is_forgotten_when_the_assignment_changes(make_widget, handler2):
    case = make_widget("submitted", confidentiality=Confidentiality.RAHASIA)
    case = policy.load_access(handler2, Case.objects.get(pk=case.pk))
    assert not policy.can_handle(handler2, case)
    policy.grant_handling(handler2, case)
    assert policy.can_handle(handler2, case)


def test_loading_access_for_an_anonymous_user_changes_nothing(make_widget):
    case = make_widget("submitted")
    assert not policy.can_view(AnonymousUser(), policy.load_access(AnonymousUser(), case))


def test_the_unrestricted_inbox_is_the_inbox_query_over_every_case(make_widget, outsider):
    hidden = make_widget("submitted")
    DeadlineClock.objects.filter(case_id=hidden.pk).update(met_on=dt.date(2100, 1, 1))
    assert not selectors.inbox_cases(user=outsider).exists()
    Case.objects.filter(pk=hidden.pk).update(due_date=dt.date(2020, 1, 6))
    row = selectors.inbox_unrestricted().get(pk=hidden.pk)
    # The same annotations as the inbox: the benchmark once measured a copy without them.
    assert row.overdue_now is True
    assert selectors.with_late_history([row])[0].was_late is True
