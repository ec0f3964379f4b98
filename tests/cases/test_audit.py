import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from cases import audit, services
from cases.models import AppendOnlyError, CaseEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def chain(make_widget, handler):
    case = make_widget("reviewing")
    services.add_comment(case, handler, "cek dokumen")
    return case


def verify_output():
    try:
        call_command("verify_audit")
    except CommandError as exc:
        return str(exc)
    return "ok"


def test_it_chains_each_event_to_the_previous(chain):
    events = list(CaseEvent.objects.filter(case_id=chain.pk))
    assert [e.seq for e in events] == [1, 2, 3, 4]
    assert events[0].prev_hash == ""
    for before, after in zip(events, events[1:], strict=False):
        assert after.prev_hash == before.hash


def test_verify_passes_on_intact_chains(chain, make_widget):
    make_widget("approved")
    assert list(audit.verify()) == []
    assert verify_output() == "ok"


def test_verify_names_the_case_with_an_altered_event(chain, make_widget, capsys):
    make_widget("approved")
    CaseEvent.objects.filter(case_id=chain.pk, seq=2).update(to_status="approved")
    problems = list(audit.verify())
    assert [(p.reference, p.problem) for p in problems] == [(chain.reference, "event #2 was altered")]
    assert "1 case(s)" in verify_output()
    assert chain.reference in capsys.readouterr().err


def test_verify_detects_a_removed_event_in_the_middle(chain):
    CaseEvent.objects.filter(case_id=chain.pk, seq=2)._raw_delete(CaseEvent.objects.db)
    assert [p.problem for p in audit.verify()] == ["event #2 missing"]


def test_verify_detects_the_newest_event_removed(chain):
    CaseEvent.objects.filter(case_id=chain.pk, seq=4)._raw_delete(CaseEvent.objects.db)
    assert [p.problem for p in audit.verify()] == ["events missing at the end of the chain"]


def test_verify_detects_a_rehashed_forgery(chain):
    # Rewriting an event and recomputing its own hash still breaks the link to the next event.
    event = CaseEvent.objects.get(case_id=chain.pk, seq=2)
    event.data = {"transition": "forged"}
    CaseEvent.objects.filter(pk=event.pk).update(data=event.data, hash=event.compute_hash())
    assert [p.problem for p in audit.verify()] == ["event #3 does not follow #2"]


def test_verify_detects_a_case_whose_whole_chain_is_gone(chain):
    CaseEvent.objects.filter(case_id=chain.pk)._raw_delete(CaseEvent.objects.db)
    assert [p.reference for p in audit.verify()] == [chain.reference]


def test_events_cannot_be_edited_or_deleted_through_the_model(chain):
    event = CaseEvent.objects.filter(case_id=chain.pk).first()
    event.action = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
