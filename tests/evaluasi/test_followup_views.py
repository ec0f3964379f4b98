"""The follow-up pages: who reads and changes what (employee, unit head of another unit, owner, inspector; a
forged uuid is 404), POST-only actions, refusals shown with what was typed, the list's dashboard filters, and the
recommendations section on the case page."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from cases import registry
from evaluasi import services, statistics
from evaluasi.models import FollowUp, Recommendation
from evaluasi.periods import Period
from tests.evaluasi.test_followup_fixtures import *  # noqa: F403
from tests.evaluasi.test_followup_fixtures import SECRET

pytestmark = pytest.mark.django_db


def _url(name, recommendation):
    return reverse(f"evaluasi:{name}", args=[recommendation.uuid])


# ---------------------------------------------------------------------------------------------------------
# Reading


def test_the_recommendation_page_opens_to_owner_inspector_and_the_units_head(
    as_user, recommendation, pegawai, inspektur, unit_head
):
    for person in (pegawai, inspektur, unit_head):
        response = as_user(person).get(_url("recommendation", recommendation))
        assert response.status_code == 200, person
        assert SECRET in response.content.decode()


def test_the_recommendation_page_is_404_for_everyone_else(as_user, recommendation, other_head, outsider, upg):
    for person in (other_head, outsider, upg):
        assert as_user(person).get(_url("recommendation", recommendation)).status_code == 404, person


def test_a_forged_uuid_is_404_even_for_the_inspectorate(as_user, recommendation, inspektur):
    client = as_user(inspektur)
    assert client.get(reverse("evaluasi:recommendation", args=[uuid.uuid4()])).status_code == 404
    assert client.post(reverse("evaluasi:recommendation_accept", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("evaluasi:evaluation", args=[uuid.uuid4()])).status_code == 404
    assert client.get(reverse("evaluasi:document", args=[uuid.uuid4()])).status_code == 404


def test_the_list_shows_the_inspectorate_everything_and_a_unit_head_their_units(
    as_user, recommendation, inspektur, unit_head, other_head, other_unit, pegawai
):
    elsewhere = services.evaluation_record(
        module="uji",
        unit=other_unit,
        period=Period.quarter(2026, 3),
        held_on=dt.date(2026, 10, 5),
        participants="P",
        findings="F",
        actor=inspektur,
    )
    other = services.recommendation_add(
        evaluation=elsewhere, text="Lain", owner=other_head, due_on=dt.date(2026, 12, 31), actor=inspektur
    )
    listing = reverse("evaluasi:recommendations")
    body = as_user(inspektur).get(listing).content.decode()
    assert _url("recommendation", recommendation) in body and _url("recommendation", other) in body
    body = as_user(unit_head).get(listing).content.decode()
    assert _url("recommendation", recommendation) in body and _url("recommendation", other) not in body
    body = as_user(other_head).get(listing).content.decode()
    assert _url("recommendation", recommendation) not in body and _url("recommendation", other) in body


def test_an_employee_is_sent_to_their_own_follow_ups(as_user, recommendation, pegawai, outsider):
    response = as_user(pegawai).get(reverse("evaluasi:recommendations"))
    assert response.status_code == 302 and response["Location"] == reverse("evaluasi:my_follow_ups")
    mine = as_user(pegawai).get(reverse("evaluasi:my_follow_ups")).content.decode()
    assert _url("recommendation", recommendation) in mine
    theirs = as_user(outsider).get(reverse("evaluasi:my_follow_ups")).content.decode()
    assert _url("recommendation", recommendation) not in theirs


def test_the_list_filters_like_the_dashboards_follow_up_figure(as_user, inspektur, unit, other_unit, pegawai):
    """The dashboard links "Dalam proses, Q4 2026, SEKR" to ?periode=2026-Q4&unit=SEKR&status=proses: the list must
    show exactly the recommendations the figure counted (issued in the period, in SEKR or below it)."""
    from cases.models import Unit

    below = Unit.objects.create(code="SUB", name="Subbagian", parent=unit)
    made = {}
    for name, where, issued in [
        ("in_q4", unit, dt.date(2026, 10, 6)),
        ("in_q4_below", below, dt.date(2026, 11, 2)),
        ("in_q3", unit, dt.date(2026, 9, 30)),
        ("other_unit", other_unit, dt.date(2026, 10, 6)),
    ]:
        evaluation = services.evaluation_record(
            module="uji",
            unit=where,
            period=Period.quarter(2026, 3),
            held_on=dt.date(2026, 9, 30),
            participants="P",
            findings=f"F {name}",  # two identical evaluations in a row would be one sent twice
            actor=inspektur,
        )
        made[name] = services.recommendation_add(
            evaluation=evaluation,
            text=name,
            owner=pegawai,
            due_on=dt.date(2027, 1, 29),
            actor=inspektur,
            issued_on=issued,
        )
        services.action_record(recommendation=made[name], done_on=issued, description="x", actor=pegawai)
    expected = {"in_q4", "in_q4_below"}  # counted by hand: issued in Oct–Dec 2026, in SEKR or its sub-unit
    scope = statistics.Scope.of(Period.parse("2026-Q4"), unit)
    figure = next(f for f in statistics.follow_up(scope).figures if f.code == "follow_up.proses")
    assert figure.value == len(expected)
    body = as_user(inspektur).get(
        reverse("evaluasi:recommendations"), {"periode": "2026-Q4", "unit": "SEKR", "status": "proses"}
    )
    shown = {name for name, rec in made.items() if _url("recommendation", rec) in body.content.decode()}
    assert shown == expected


def test_a_mistyped_period_says_so_and_lists_nothing(as_user, recommendation, inspektur):
    body = as_user(inspektur).get(reverse("evaluasi:recommendations"), {"periode": "2026-Q9"}).content.decode()
    assert "tidak dikenal" in body and _url("recommendation", recommendation) not in body


def test_evaluations_are_read_by_the_inspectorate_and_the_units_head_only(
    as_user, evaluation, inspektur, unit_head, other_head, pegawai
):
    detail = reverse("evaluasi:evaluation", args=[evaluation.uuid])
    assert "Temuan rahasia evaluasi" in as_user(inspektur).get(detail).content.decode()
    assert as_user(unit_head).get(detail).status_code == 200
    assert as_user(other_head).get(detail).status_code == 404
    assert as_user(pegawai).get(detail).status_code == 404
    assert as_user(pegawai).get(reverse("evaluasi:evaluations")).status_code == 403
    listing = as_user(other_head).get(reverse("evaluasi:evaluations")).content.decode()
    assert detail not in listing
    assert (
        detail
        in as_user(inspektur).get(reverse("evaluasi:evaluations"), {"module": "uji", "year": 2026}).content.decode()
    )
    assert detail not in as_user(inspektur).get(reverse("evaluasi:evaluations"), {"year": 2025}).content.decode()


# ---------------------------------------------------------------------------------------------------------
# Changing


@pytest.mark.parametrize(
    "name", ["action_add", "recommendation_accept", "recommendation_cannot", "recommendation_reopen"]
)
def test_state_changing_pages_take_post_only(name, as_user, recommendation, inspektur):
    assert as_user(inspektur).get(_url(name, recommendation)).status_code == 405


def test_the_owner_records_an_action_and_no_one_else_does(as_user, recommendation, pegawai, inspektur, unit_head):
    data = {"done_on": "2026-10-20", "description": "Rekap dilaporkan", "expected_status": "belum"}
    assert as_user(inspektur).post(_url("action_add", recommendation), data).status_code == 403
    assert as_user(unit_head).post(_url("action_add", recommendation), data).status_code == 403
    response = as_user(pegawai).post(_url("action_add", recommendation), data)
    assert response.status_code == 302
    assert Recommendation.objects.get(pk=recommendation.pk).status == FollowUp.PROSES


def test_a_refused_action_keeps_what_was_typed(as_user, recommendation, pegawai):
    data = {"done_on": "2026-10-01", "description": "Uraian panjang yang sudah diketik", "expected_status": "belum"}
    response = as_user(pegawai).post(_url("action_add", recommendation), data)
    assert response.status_code == 400
    body = response.content.decode()
    assert "tidak boleh sebelum tanggal rekomendasi" in body and "Uraian panjang yang sudah diketik" in body


def test_the_inspectorate_judges_and_the_owner_cannot(as_user, recommendation, pegawai, inspektur, unit_head):
    services.action_record(recommendation=recommendation, done_on=dt.date(2026, 10, 20), description="x", actor=pegawai)
    for person in (pegawai, unit_head):
        assert as_user(person).post(_url("recommendation_accept", recommendation)).status_code == 403
    response = as_user(inspektur).post(_url("recommendation_accept", recommendation), {"expected_status": "proses"})
    assert response.status_code == 302
    assert Recommendation.objects.get(pk=recommendation.pk).status == FollowUp.SELESAI
    response = as_user(inspektur).post(_url("recommendation_reopen", recommendation), {"expected_status": "selesai"})
    assert Recommendation.objects.get(pk=recommendation.pk).status == FollowUp.PROSES


def test_cannot_without_a_reason_is_refused_on_the_page(as_user, recommendation, inspektur):
    response = as_user(inspektur).post(_url("recommendation_cannot", recommendation), {"reason": ""})
    assert response.status_code == 400
    assert Recommendation.objects.get(pk=recommendation.pk).status == FollowUp.BELUM


def test_a_stale_accept_says_the_status_changed(as_user, recommendation, pegawai, inspektur):
    services.action_record(recommendation=recommendation, done_on=dt.date(2026, 10, 20), description="x", actor=pegawai)
    services.accept(recommendation=recommendation, actor=inspektur)
    response = as_user(inspektur).post(
        _url("recommendation_accept", recommendation), {"expected_status": "proses"}, follow=True
    )
    assert "baru saja berubah" in response.content.decode()


def test_the_inspectorate_adds_a_recommendation_to_an_evaluation(as_user, evaluation, inspektur, atasan, pegawai):
    url = reverse("evaluasi:evaluation_recommendation", args=[evaluation.uuid])
    data = {"text": "Rekomendasi baru", "owner": atasan.pk, "due_on": "2027-01-29"}
    assert as_user(pegawai).post(url, data).status_code == 404  # pegawai does not read the evaluation
    assert as_user(inspektur).post(url, data).status_code == 302
    bad = as_user(inspektur).post(url, {**data, "due_on": "2020-01-01"})
    assert bad.status_code == 400 and "Batas waktu tidak boleh sebelum" in bad.content.decode()
    assert Recommendation.objects.filter(evaluation=evaluation).count() == 1


# ---------------------------------------------------------------------------------------------------------
# The case page's section (cases.registry.case_page_sections)


def test_the_case_page_lists_its_recommendations_for_the_office_and_the_owner_only(
    as_user, make_widget, handler, inspektur, atasan, pegawai
):
    case = make_widget(status="submitted")
    recommendation = services.recommendation_add(
        case=case, text=SECRET, owner=atasan, due_on=dt.date(2027, 1, 29), actor=inspektur
    )
    page = reverse("cases:detail", args=[case.reference])
    inspector_page = as_user(inspektur).get(page).content.decode()
    assert 'id="case-recommendations"' in inspector_page and SECRET in inspector_page
    assert reverse("evaluasi:case_recommendation", args=[case.reference]) in inspector_page
    handler_page = as_user(handler).get(page).content.decode()
    assert SECRET in handler_page and reverse("evaluasi:case_recommendation", args=[case.reference]) not in handler_page
    reporter_page = as_user(pegawai).get(page).content.decode()
    assert 'id="case-recommendations"' not in reporter_page and SECRET not in reporter_page
    assert _url("recommendation", recommendation) in as_user(handler).get(page).content.decode()


def test_the_case_recommendation_form_adds_through_the_service(as_user, make_widget, handler, inspektur, atasan):
    case = make_widget(status="submitted")
    url = reverse("evaluasi:case_recommendation", args=[case.reference])
    data = {"text": "Perbaiki SOP", "owner": atasan.pk, "due_on": "2027-01-29"}
    assert as_user(handler).post(url, data).status_code == 403
    assert as_user(inspektur).post(url, data).status_code == 302
    assert Recommendation.objects.get(case=case).unit_id == case.unit_id


def test_a_registered_section_is_rendered_and_none_shows_nothing(as_user, make_widget, handler, monkeypatch):
    case = make_widget(status="submitted")
    calls = []

    def section(case_, user):
        calls.append((case_.pk, user.pk))
        return None if user.pk != handler.pk else ("evaluasi/_case_recommendations.html", {"recommendations": []})

    monkeypatch.setattr(registry, "case_page_sections", [section])
    body = as_user(handler).get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert calls == [(case.pk, handler.pk)]
    assert 'id="case-recommendations"' in body


def test_the_owners_supervisor_opens_the_escalated_recommendation(as_user, recommendation, atasan, make_user):
    """An overdue recommendation is escalated to the owner's supervisor: the link in that message must open."""
    assert as_user(atasan).get(_url("recommendation", recommendation)).status_code == 200
    stranger_supervisor = make_user("atasan_lain", "atasan")
    assert as_user(stranger_supervisor).get(_url("recommendation", recommendation)).status_code == 404


def test_every_page_renders_for_the_inspectorate(as_user, recommendation, evaluation, make_widget, handler, inspektur):
    case = make_widget(status="submitted")
    client = as_user(inspektur)
    for url in (
        reverse("evaluasi:evaluations"),
        reverse("evaluasi:evaluation_new"),
        reverse("evaluasi:evaluation", args=[evaluation.uuid]),
        reverse("evaluasi:recommendations"),
        reverse("evaluasi:recommendations") + "?terlambat=on&modul=uji",
        reverse("evaluasi:my_follow_ups"),
        _url("recommendation", recommendation),
        reverse("evaluasi:case_recommendation", args=[case.reference]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "<style" not in response.content.decode() and "style=" not in response.content.decode(), url
