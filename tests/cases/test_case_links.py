"""Links between cases (cases.services.link_cases, convert_case; cases.selectors.case_links), on the test kinds."""

import pytest

from cases import audit, policy, registry, selectors, services
from cases.models import Case, CaseEvent, CaseLink
from tests.casetype.models import FINAL, Status, Widget

pytestmark = pytest.mark.django_db

Relation = CaseLink.Relation


@pytest.fixture
def secret_kind():
    """'ujirhs': a kind the 'uji' handler does not handle, so its cases are hidden from them."""
    kind = registry.register(
        registry.CaseKind(
            code="ujirhs",
            prefix="UJR",
            label="Uji rahasia",
            model_label="casetype.Widget",
            handler_group=policy.PENGELOLA_WBS,
            status_labels=tuple(Status.choices),
            final_states=FINAL,
        )
    )
    yield kind
    registry._kinds.pop(kind.code, None)


def linked_events(case):
    return list(CaseEvent.objects.filter(case_id=case.pk, action="linked").values_list("data", flat=True))


def test_it_links_two_cases_and_logs_it_on_both(make_widget, handler):
    source, target = make_widget("submitted"), make_widget("submitted")
    link = services.link_cases(source=source, target=target, relation=Relation.DUPLICATE_OF, actor=handler)
    assert (link.from_case_id, link.to_case_id, link.created_by) == (source.pk, target.pk, handler)
    assert linked_events(source) == [{"link": link.pk, "relation": "duplicate_of", "direction": "to"}]
    assert linked_events(target) == [{"link": link.pk, "relation": "duplicate_of", "direction": "from"}]
    assert str(audit.ACTIONS["linked"]) == "Kasus ditautkan"


def test_the_same_link_twice_and_a_self_link_are_refused(make_widget, handler):
    source, target = make_widget("submitted"), make_widget("submitted")
    services.link_cases(source=source, target=target, relation=Relation.RELATED, actor=handler)
    with pytest.raises(services.CaseError):
        services.link_cases(source=source, target=target, relation=Relation.RELATED, actor=handler)
    with pytest.raises(services.CaseError):
        services.link_cases(source=source, target=source, relation=Relation.RELATED, actor=handler)
    assert CaseLink.objects.count() == 1 and len(linked_events(source)) == 1


def test_someone_who_does_not_handle_the_case_may_not_link_it(make_widget, pegawai, outsider, handler):
    """(An inspektur, who sees every case, may: tests/cases/test_link_form.py.)"""
    source, target = make_widget("submitted"), make_widget("submitted")
    for actor in (pegawai, outsider):
        with pytest.raises(services.NotAllowed):
            services.link_cases(source=source, target=target, relation=Relation.RELATED, actor=actor)
    assert not CaseLink.objects.exists() and not linked_events(source)


def test_the_selector_shows_both_directions(make_widget, handler):
    source, target = make_widget("submitted"), make_widget("submitted")
    services.link_cases(source=source, target=target, relation=Relation.DUPLICATE_OF, actor=handler)
    [outgoing] = selectors.case_links(source, handler)
    [incoming] = selectors.case_links(target, handler)
    assert (outgoing.label, outgoing.other.pk) == ("Duplikat dari", target.pk)
    assert (incoming.label, incoming.other.pk) == ("Memiliki duplikat", source.pk)


def test_a_case_the_reader_may_not_see_shows_only_that_a_link_exists(make_widget, handler, unit, secret_kind):
    source = make_widget("submitted")
    hidden = services.create_case(kind="ujirhs", actor=None, unit=unit, status=Status.SUBMITTED, title="Rahasia")
    services.link_cases(source=source, target=hidden, relation=Relation.RELATED, actor=None)
    [link] = selectors.case_links(source, handler)
    assert link.other is None and link.label == "Terkait"


def test_the_case_page_lists_the_links(client, make_widget, handler, unit, secret_kind):
    source, target = make_widget("submitted"), make_widget("submitted")
    hidden = services.create_case(kind="ujirhs", actor=None, unit=unit, status=Status.SUBMITTED, title="Rahasia")
    services.link_cases(source=source, target=target, relation=Relation.RELATED, actor=handler)
    services.link_cases(source=source, target=hidden, relation=Relation.RELATED, actor=None)
    client.force_login(handler)
    page = client.get(f"/kasus/{source.reference}/").content.decode()
    assert "Kasus terkait" in page and target.reference in page
    assert hidden.reference not in page and "kasus yang tidak dapat Anda lihat" in page


def test_it_converts_a_case_through_the_target_kinds_registry_entry(make_widget, handler):
    source = make_widget("reviewing")
    created = services.convert_case(source=source, to_kind="uji", payload={"title": "Dialihkan"}, actor=handler)
    assert Widget.objects.get(pk=created.pk).title == "Dialihkan" and created.pk != source.pk
    link = CaseLink.objects.get()
    assert (link.from_case_id, link.to_case_id, link.relation) == (source.pk, created.pk, Relation.CONVERTED_TO)
    assert Widget.objects.get(pk=source.pk).status == Status.REVIEWING  # closing it is the source kind's step
    assert linked_events(created)[0]["direction"] == "from"


def test_a_kind_without_receive_conversion_refuses(make_widget, handler, secret_kind):
    source = make_widget("reviewing")
    before = Case.objects.count()
    for to_kind in ("ujirhs", "tidak-ada"):
        with pytest.raises(services.CaseError, match="tidak menerima pengalihan"):
            services.convert_case(source=source, to_kind=to_kind, payload={}, actor=handler)
    assert Case.objects.count() == before and not CaseLink.objects.exists()


def test_a_failing_link_leaves_no_converted_case(make_widget, handler, monkeypatch):
    source = make_widget("reviewing")
    before = Case.objects.count()

    def fail(**kwargs):
        raise services.CaseError("gagal")

    monkeypatch.setattr(services, "_write_link", fail)
    with pytest.raises(services.CaseError):
        services.convert_case(source=source, to_kind="uji", payload={}, actor=handler)
    assert Case.objects.count() == before


def test_only_a_handler_of_the_source_may_convert_it(make_widget, pegawai, handler):
    source = make_widget("reviewing")
    with pytest.raises(services.NotAllowed):
        services.convert_case(source=source, to_kind="uji", payload={}, actor=pegawai)
    assert not CaseLink.objects.exists()
