"""The "link a case" form on the core case page (cases.views.case_link) and who may link (policy.can_link): a
handler links what they handle to what they see, an inspektur two cases they see; a case the user may not see
answers as one that does not exist."""

import pytest
from django.urls import reverse

from cases import policy, registry, services
from cases.models import CaseEvent, CaseLink
from tests.casetype.models import FINAL, Status

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


def link_url(case) -> str:
    return reverse("cases:link", args=[case.reference])


def page_of(client, case) -> str:
    return client.get(reverse("cases:detail", args=[case.reference])).content.decode()


def test_a_handler_links_two_cases_with_the_form(client, make_widget, handler):
    source, target = make_widget("submitted"), make_widget("submitted")
    client.force_login(handler)
    assert f'action="{link_url(source)}"' in page_of(client, source)
    response = client.post(link_url(source), {"reference": target.reference.lower(), "relation": "related"})
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[source.reference])
    link = CaseLink.objects.get()
    assert (link.from_case_id, link.to_case_id, link.relation, link.created_by) == (
        source.pk,
        target.pk,
        Relation.RELATED,
        handler,
    )
    assert target.reference in page_of(client, source)


def test_the_form_is_post_only(client, make_widget, handler):
    source = make_widget("submitted")
    client.force_login(handler)
    assert client.get(link_url(source)).status_code == 405


def test_an_inspektur_links_two_cases_they_see(client, make_widget, inspektur):
    source, target = make_widget("submitted"), make_widget("submitted")
    assert policy.can_link(inspektur, source, target)
    client.force_login(inspektur)
    assert f'action="{link_url(source)}"' in page_of(client, source)
    client.post(link_url(source), {"reference": target.reference, "relation": "related"})
    assert CaseLink.objects.filter(from_case_id=source.pk, to_case_id=target.pk, created_by=inspektur).exists()
    assert CaseEvent.objects.filter(case_id=target.pk, action="linked").count() == 1


def test_an_inspektur_does_not_link_a_case_they_reported(make_widget, inspektur):
    own, other = make_widget("submitted", reporter=inspektur), make_widget("submitted")
    assert not policy.can_link(inspektur, own, other)
    assert not policy.can_link(inspektur, other, own)
    with pytest.raises(services.NotAllowed):
        services.link_cases(source=other, target=own, relation=Relation.RELATED, actor=inspektur)
    assert not CaseLink.objects.exists()


def test_the_reporter_sees_no_form_and_is_refused(client, make_widget, pegawai):
    source, target = make_widget("submitted"), make_widget("submitted")
    client.force_login(pegawai)
    assert link_url(source) not in page_of(client, source)
    assert client.post(link_url(source), {"reference": target.reference, "relation": "related"}).status_code == 403
    assert not CaseLink.objects.exists()


def test_someone_who_cannot_see_the_case_gets_404(client, make_widget, outsider):
    source, target = make_widget("submitted"), make_widget("submitted")
    client.force_login(outsider)
    assert client.post(link_url(source), {"reference": target.reference, "relation": "related"}).status_code == 404
    assert not CaseLink.objects.exists()


def test_a_hidden_case_answers_as_a_missing_one(client, make_widget, handler, unit, secret_kind):
    source = make_widget("submitted")
    hidden = services.create_case(kind="ujirhs", actor=None, unit=unit, status=Status.SUBMITTED, title="Rahasia")
    client.force_login(handler)
    answers = []
    for reference in (hidden.reference, "UJR-2026-999999"):
        page = client.post(link_url(source), {"reference": reference, "relation": "related"}, follow=True)
        answers.append([str(message).replace(reference, "REF") for message in page.context["messages"]])
    assert answers[0] == answers[1] == ["Kasus REF tidak ditemukan atau tidak dapat Anda lihat."]
    assert not CaseLink.objects.exists()


def test_a_refused_link_is_said_on_the_page(client, make_widget, handler):
    source, target = make_widget("submitted"), make_widget("submitted")
    client.force_login(handler)
    self_link = client.post(link_url(source), {"reference": source.reference, "relation": "related"}, follow=True)
    assert "tidak dapat ditautkan ke dirinya sendiri" in self_link.content.decode()
    client.post(link_url(source), {"reference": target.reference, "relation": "related"})
    again = client.post(link_url(source), {"reference": target.reference, "relation": "related"}, follow=True)
    assert "sudah ditautkan" in again.content.decode()
    assert CaseLink.objects.count() == 1


def test_bad_input_is_said_and_links_nothing(client, make_widget, handler):
    source, target = make_widget("submitted"), make_widget("submitted")
    client.force_login(handler)
    for data in ({"reference": "", "relation": "related"}, {"reference": target.reference, "relation": "converted_to"}):
        page = client.post(link_url(source), data, follow=True).content.decode()
        assert "Tuliskan nomor kasus" in page
    assert not CaseLink.objects.exists()
