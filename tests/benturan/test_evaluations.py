"""Evaluations and the follow-up of their recommendations (LKE benturan kepentingan d and e): who records, who
follows up, what a follow-up needs, and the refusals."""

import datetime as dt
import uuid

import pytest
from django.urls import reverse

from benturan import services
from benturan.models import Evaluation, FollowUp, Recommendation
from cases import workdays
from cases.services import CaseError, NotAllowed

pytestmark = pytest.mark.django_db


@pytest.fixture
def head(kepala, unit):
    """kepala heads the unit of every persona (SEKR)."""
    unit.head = kepala
    unit.save()
    return kepala


@pytest.fixture
def evaluation(inspektur, unit, pegawai, atasan):
    today = workdays.today()
    return services.evaluation_record(
        actor=inspektur,
        unit=unit,
        period_start=today - dt.timedelta(days=60),
        period_end=today - dt.timedelta(days=10),
        held_on=today - dt.timedelta(days=10),
        participants="Inspektur; Kepala Bagian Umum",
        findings="Peta risiko belum mencakup layanan umum.",
        recommendations=[
            {"text": "Lengkapi peta risiko layanan umum.", "owner": atasan, "due_on": today + dt.timedelta(days=30)},
            {"text": "Sosialisasi ulang.", "owner": pegawai, "due_on": today - dt.timedelta(days=3)},
        ],
    )


def form_data(unit, owner, **extra):
    today = workdays.today()
    data = {
        "unit": unit.pk,
        "period_start": dt.date(today.year, 1, 1).isoformat(),
        "period_end": today.isoformat(),
        "held_on": today.isoformat(),
        "participants": "Inspektur, Kepala Sekretariat",
        "findings": "Temuan evaluasi.",
        "rekomendasi-TOTAL_FORMS": "2",
        "rekomendasi-INITIAL_FORMS": "0",
        "rekomendasi-MIN_NUM_FORMS": "0",
        "rekomendasi-MAX_NUM_FORMS": "50",
        "rekomendasi-0-text": "Perbarui peta risiko.",
        "rekomendasi-0-owner": owner.pk,
        "rekomendasi-0-due_on": (today + dt.timedelta(days=20)).isoformat(),
    }
    data.update(extra)
    return data


# --- Recording -------------------------------------------------------------------------------------------------


def test_the_inspector_records_an_evaluation_with_recommendations(client, inspektur, unit, atasan):
    client.force_login(inspektur)
    response = client.post(reverse("benturan:evaluation_new"), form_data(unit, atasan, save="1"))
    evaluation = Evaluation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("benturan:evaluation_detail", args=[evaluation.uuid])
    assert evaluation.created_by == inspektur
    recommendation = evaluation.recommendations.get()  # the empty second row is not saved
    assert recommendation.owner == atasan and recommendation.status == FollowUp.BELUM


def test_the_unit_head_records_for_their_unit_only(client, head, unit, other_unit, atasan):
    client.force_login(head)
    assert client.get(reverse("benturan:evaluation_new")).status_code == 200
    response = client.post(reverse("benturan:evaluation_new"), form_data(other_unit, atasan, save="1"))
    assert response.status_code == 200  # HUMAS is not in the choices: the form refuses it
    assert not Evaluation.objects.exists()
    with pytest.raises(NotAllowed):
        services.evaluation_record(
            actor=head,
            unit=other_unit,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 6, 30),
            held_on=dt.date(2026, 7, 1),
            participants="x",
            findings="y",
            recommendations=[],
        )
    client.post(reverse("benturan:evaluation_new"), form_data(unit, atasan, save="1"))
    assert Evaluation.objects.get().unit == unit


def test_others_may_not_record(client, pegawai, atasan, unit):
    for person in (pegawai, atasan):
        client.force_login(person)
        assert client.get(reverse("benturan:evaluation_new")).status_code == 403
        assert client.post(reverse("benturan:evaluation_new"), form_data(unit, atasan, save="1")).status_code == 403
    assert not Evaluation.objects.exists()


def test_add_rows_keeps_what_was_typed(client, inspektur, unit, atasan):
    client.force_login(inspektur)
    response = client.post(reverse("benturan:evaluation_new"), form_data(unit, atasan, add_rows="1"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Perbarui peta risiko." in content and "Temuan evaluasi." in content
    assert 'name="rekomendasi-TOTAL_FORMS" value="4"' in content
    assert 'name="rekomendasi-3-text"' in content
    assert "has-error" not in content  # adding rows is not a submission
    assert not Evaluation.objects.exists()


def test_bad_input_is_refused_and_kept(client, inspektur, unit, atasan):
    client.force_login(inspektur)
    future = (workdays.today() + dt.timedelta(days=5)).isoformat()
    response = client.post(
        reverse("benturan:evaluation_new"),
        form_data(unit, atasan, save="1", held_on=future, **{"rekomendasi-0-due_on": ""}),
    )
    assert response.status_code == 200
    content = response.content.decode()
    assert "has-error" in content and "Perbarui peta risiko." in content
    assert not Evaluation.objects.exists()


# --- Reading ---------------------------------------------------------------------------------------------------


def test_who_reads_an_evaluation(client, evaluation, inspektur, head, pegawai, rekan, outsider):
    url = reverse("benturan:evaluation_detail", args=[evaluation.uuid])
    for person in (inspektur, head, pegawai):  # pegawai owns a recommendation
        client.force_login(person)
        assert client.get(url).status_code == 200, person
    for person in (rekan, outsider):
        client.force_login(person)
        assert client.get(url).status_code == 404, person
        assert client.get(reverse("benturan:evaluations")).status_code == 403
    client.force_login(inspektur)
    assert client.get(reverse("benturan:evaluation_detail", args=[uuid.uuid4()])).status_code == 404


def test_the_list_filters_by_unit_and_year(client, evaluation, inspektur, other_unit):
    client.force_login(inspektur)
    url = reverse("benturan:evaluations")
    assert str(evaluation.uuid) in client.get(url).content.decode()
    assert str(evaluation.uuid) in client.get(url, {"year": evaluation.held_on.year}).content.decode()
    assert str(evaluation.uuid) not in client.get(url, {"year": evaluation.held_on.year - 1}).content.decode()
    assert str(evaluation.uuid) not in client.get(url, {"unit": other_unit.pk}).content.decode()


def test_a_recommendation_past_due_shows_late(client, evaluation, inspektur):
    client.force_login(inspektur)
    content = client.get(reverse("benturan:evaluation_detail", args=[evaluation.uuid])).content.decode()
    assert content.count("terlambat") == 1


# --- Following up ----------------------------------------------------------------------------------------------


def update_url(recommendation):
    return reverse("benturan:recommendation_update", args=[recommendation.uuid])


def post_update(client, recommendation, **fields):
    prefix = str(recommendation.uuid)
    return client.post(update_url(recommendation), {f"{prefix}-{name}": value for name, value in fields.items()})


def test_the_owner_completes_their_recommendation(client, evaluation, pegawai):
    recommendation = evaluation.recommendations.get(owner=pegawai)
    client.force_login(pegawai)
    today = workdays.today().isoformat()
    response = post_update(
        client, recommendation, status="selesai", follow_up="Sudah disosialisasikan.", completed_on=today
    )
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.status == FollowUp.SELESAI and recommendation.completed_on == workdays.today()
    content = client.get(reverse("benturan:evaluation_detail", args=[evaluation.uuid])).content.decode()
    assert "terlambat" not in content


def test_done_needs_a_date_not_in_the_future(client, evaluation, pegawai):
    recommendation = evaluation.recommendations.get(owner=pegawai)
    client.force_login(pegawai)
    assert post_update(client, recommendation, status="selesai", follow_up="x").status_code == 400
    future = (workdays.today() + dt.timedelta(days=1)).isoformat()
    response = post_update(client, recommendation, status="selesai", follow_up="Sudah.", completed_on=future)
    assert response.status_code == 400
    assert "Sudah." in response.content.decode()  # what was typed is kept
    recommendation.refresh_from_db()
    assert recommendation.status == FollowUp.BELUM
    with pytest.raises(CaseError):
        services.recommendation_update(
            actor=pegawai, recommendation=recommendation, status="selesai", completed_on=dt.date(2100, 1, 1)
        )


def test_not_possible_needs_a_reason(client, evaluation, atasan, inspektur):
    recommendation = evaluation.recommendations.get(owner=atasan)
    client.force_login(atasan)
    refused = post_update(client, recommendation, status="tidak_dapat", follow_up="  ")
    assert refused.status_code == 400
    content = refused.content.decode()
    assert "Periksa kembali isian tindak lanjut." in content
    assert "Tuliskan mengapa rekomendasi ini tidak dapat ditindaklanjuti." in content
    with pytest.raises(CaseError):
        services.recommendation_update(actor=inspektur, recommendation=recommendation, status="tidak_dapat")
    response = post_update(client, recommendation, status="tidak_dapat", follow_up="Unit dibubarkan.")
    assert response.status_code == 302
    assert Recommendation.objects.get(pk=recommendation.pk).status == FollowUp.TIDAK_DAPAT


def test_the_inspector_and_the_head_may_update_any_of_the_unit(client, evaluation, inspektur, head, pegawai):
    recommendation = evaluation.recommendations.get(owner=pegawai)
    for person, state in ((inspektur, "proses"), (head, "belum")):
        client.force_login(person)
        assert post_update(client, recommendation, status=state, follow_up="Catatan").status_code == 302
        recommendation.refresh_from_db()
        assert recommendation.status == state


def test_others_may_not_update(client, evaluation, pegawai, atasan, rekan, outsider):
    theirs = evaluation.recommendations.get(owner=atasan)
    client.force_login(pegawai)  # reads the evaluation (owns the other recommendation), but not this one
    assert post_update(client, theirs, status="proses", follow_up="x").status_code == 403
    for person in (rekan, outsider):
        client.force_login(person)
        assert post_update(client, theirs, status="proses", follow_up="x").status_code == 404
    with pytest.raises(NotAllowed):
        services.recommendation_update(actor=rekan, recommendation=theirs, status="proses")
    assert Recommendation.objects.get(pk=theirs.pk).status == FollowUp.BELUM
    client.force_login(atasan)
    assert client.get(update_url(theirs)).status_code == 405
    response = client.post(reverse("benturan:recommendation_update", args=[uuid.uuid4()]), {})
    assert response.status_code == 404


def test_a_recommendation_cannot_fall_due_before_the_evaluation(inspektur, unit, pegawai):
    today = workdays.today()
    with pytest.raises(CaseError):
        services.evaluation_record(
            actor=inspektur,
            unit=unit,
            period_start=today - dt.timedelta(days=30),
            period_end=today,
            held_on=today,
            participants="Inspektur",
            findings="Temuan.",
            recommendations=[{"text": "Lakukan.", "owner": pegawai, "due_on": today - dt.timedelta(days=1)}],
        )


def test_nobody_without_an_employee_record_owns_a_recommendation(inspektur, unit):
    from guardian.utils import get_anonymous_user

    from benturan.forms import RecommendationForm

    anonymous = get_anonymous_user()  # django-guardian's account: active, and nobody's employee record
    assert anonymous not in RecommendationForm().fields["owner"].queryset
    today = workdays.today()
    with pytest.raises(CaseError):
        services.evaluation_record(
            actor=inspektur,
            unit=unit,
            period_start=today - dt.timedelta(days=30),
            period_end=today,
            held_on=today,
            participants="Inspektur",
            findings="Temuan.",
            recommendations=[{"text": "Lakukan.", "owner": anonymous, "due_on": today}],
        )
