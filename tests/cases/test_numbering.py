"""References are given at submission, not at draft creation, so the register of submitted cases has no gaps
(a draft that is deleted or never sent takes no number; deleting one: tests/gratifikasi/test_reporter.py)."""

import pytest

from cases import services
from cases.models import Case, ReferenceCounter
from tests.casetype.models import Widget

pytestmark = pytest.mark.django_db


def test_a_draft_has_a_provisional_reference_and_no_number(make_widget):
    draft = make_widget()
    assert draft.reference.startswith("DRAF-")
    assert services.is_provisional_reference(draft.reference)
    assert not ReferenceCounter.objects.filter(kind="uji").exists()


def test_submission_gives_the_next_number_so_abandoned_drafts_leave_no_gap(make_widget, pegawai, handler):
    year = make_widget().created_at.year
    first = make_widget()
    make_widget()  # abandoned: never submitted
    second = make_widget()

    second = services.transition(second, "submit", pegawai)
    first = services.transition(first, "submit", pegawai)

    # Numbered in the order of submission, with no hole where the abandoned draft was.
    assert second.reference == f"UJI-{year}-000001"
    assert first.reference == f"UJI-{year}-000002"
    assert Widget.objects.get(pk=first.pk).reference == f"UJI-{year}-000002"
    assert ReferenceCounter.objects.get(kind="uji", year=year).last == 2


def test_later_transitions_keep_the_number(make_widget, handler):
    case = make_widget("reviewing")
    number = case.reference
    assert not services.is_provisional_reference(number)
    case = services.transition(case, "send_back", handler)
    assert Case.objects.get(pk=case.pk).reference == number


def test_a_case_created_beyond_draft_is_numbered_at_once(unit, pegawai):
    case = services.create_case(kind="uji", actor=pegawai, unit=unit, reporter=pegawai, status="submitted")
    assert not services.is_provisional_reference(case.reference)
    assert case.reference.startswith("UJI-")


def test_a_draft_made_before_the_change_keeps_its_number(make_widget, pegawai, handler):
    draft = make_widget()
    Case.objects.filter(pk=draft.pk).update(reference="UJI-2025-000042")
    draft = Widget.objects.get(pk=draft.pk)
    assert services.transition(draft, "submit", pegawai).reference == "UJI-2025-000042"
