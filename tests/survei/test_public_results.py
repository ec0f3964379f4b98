"""The public results (issue 13 "Results"; PermenPANRB 14/2017: SKM results are published): the list of
published surveys and a survey's page, read from the snapshot kept at publication — never the live numbers,
never comments, bands or device tags; unknown or unpublished → 404."""

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import policy
from tests.survei.test_results import IPAK, SKM, answer, make_survey, publish

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(make_user):
    return make_user("petugas_survei", policy.PETUGAS_SURVEI)


@pytest.fixture
def published(unit, officer):
    survey = make_survey(unit, officer)
    answer(survey, SKM[0], comment="Petugas loket dua bernama Budi kurang ramah.", sex="P", device_tag="abc123")
    answer(survey, SKM[1], sex="L")
    answer(survey, SKM[2], sex="L")
    survey.follow_up_plan = "Pelatihan keramahan petugas loket pada Januari 2027."
    survey.save()
    return publish(survey)


def url(survey) -> str:
    return reverse("survei_publik:public_result", args=[survey.token])


def test_the_public_page_shows_the_published_result(client, published):
    response = client.get(url(published))
    assert response.status_code == 200
    text = response.content.decode()
    # Hand-computed in test_results.py: IKM 83.33, grade B; U1 75.00.
    assert '<strong data-figure="index">83,33</strong>' in text
    assert '<strong data-figure="grade">B</strong> (Baik)' in text
    assert 'data-figure="variable-value-U1">75,00<' in text
    assert "Pelatihan keramahan petugas loket" in text
    assert "Dihitung dengan aturan SKM PermenPANRB 14/2017 v1" in text
    published_on = timezone.localtime(published.published_at)
    assert f'data-figure="published">{published_on.day} ' in text and f"{published_on.year}</dd>" in text


def test_the_public_page_keeps_the_snapshot_after_more_responses_arrive(client, published):
    for _n in range(3):
        answer(published, [1] * 9)  # three very unhappy respondents after publication
    text = client.get(url(published)).content.decode()
    assert '<strong data-figure="index">83,33</strong>' in text
    assert 'data-figure="respondents">3<' in text


def test_the_public_page_never_shows_comments_bands_or_device_tags(client, published):
    text = client.get(url(published)).content.decode()
    assert "Budi" not in text
    assert "abc123" not in text
    assert "Perempuan" not in text and "Laki-laki" not in text


def test_the_public_page_shows_the_integrity_counts_and_the_responses_set_aside(client, unit, officer):
    survey = make_survey(unit, officer)
    answer(survey, SKM[0], pressured=True)
    answer(survey, SKM[1], pressured=False)
    answer(survey, SKM[2], pressured=False)
    answer(survey, SKM[2])
    answer(survey, [1] * 9, pressured=True, excluded=True, excluded_reason="Satu perangkat")  # not counted
    answer(survey, [1] * 9, excluded=True, excluded_reason="Satu perangkat")
    publish(survey)
    answer(survey, [1] * 9, excluded=True, excluded_reason="Sesudah diumumkan")  # after: not in the snapshot
    text = client.get(url(survey)).content.decode()
    assert 'data-figure="pressured-yes">1<' in text
    assert 'data-figure="pressured-no">2<' in text
    assert 'data-figure="pressured-unanswered">1<' in text
    assert "2 jawaban dikeluarkan dari hasil: alasan Satu perangkat (2)." in text
    assert "Sesudah diumumkan" not in text
    assert "1 responden menyatakan ada pihak yang menekan atau mengarahkan mereka mengisi survei ini." in text


def test_the_public_page_says_when_nothing_was_set_aside(client, published):
    text = client.get(url(published)).content.decode()
    assert "Tidak ada jawaban yang dikeluarkan dari hasil." in text
    assert 'data-figure="pressured-yes">0<' in text


def test_the_warnings_are_derived_again_from_the_stored_numbers(client, published):
    # The stored sentences are in the publisher's language; the page says it again in the reader's, from the
    # coverage kept in the snapshot.
    snapshot = published.published_result
    snapshot["warnings"] = ["KALIMAT TERSIMPAN"]
    type(published).objects.filter(pk=published.pk).update(published_result=snapshot)
    text = client.get(url(published)).content.decode()
    assert "KALIMAT TERSIMPAN" not in text
    assert "Responden baru 3, di bawah minimum 30" in text
    assert "Layanan Izin usaha: 3 dari target 80 responden." in text


def test_an_unknown_token_or_an_unpublished_survey_is_404(client, unit, officer):
    assert client.get(reverse("survei_publik:public_result", args=["tidakada99"])).status_code == 404
    survey = make_survey(unit, officer)
    answer(survey, SKM[0])
    assert client.get(url(survey)).status_code == 404  # open
    survey.close()
    survey.save()
    assert client.get(url(survey)).status_code == 404  # closed, not published


def test_the_index_lists_published_surveys_only(client, unit, other_unit, officer, published):
    ipak = make_survey(other_unit, officer, "ipak-seed")
    for values in IPAK:
        answer(ipak, values)
    publish(ipak)
    hidden = make_survey(unit, officer)
    hidden.title = "Survei yang belum diumumkan"
    hidden.save()
    response = client.get(reverse("survei_publik:root"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "IKM 83,33 (mutu B)" in text
    assert "Nilai 3,16 dari 4" in text  # hand-computed in test_results.py
    assert url(published) in text and url(ipak) in text
    assert "Survei yang belum diumumkan" not in text
    assert "Humas" in text and "Sekretariat" in text


def test_the_public_pages_take_no_post(client, published):
    assert client.post(url(published)).status_code == 405
    assert client.post(reverse("survei_publik:root")).status_code == 405


def test_the_public_page_is_phone_first_without_script_or_inline_style(client, published):
    text = client.get(url(published)).content.decode()
    assert '<meta name="viewport"' in text
    assert "<script>" not in text and " style=" not in text


def test_the_public_charts_are_drawn_from_the_snapshot(client, unit, officer, published):
    chart = reverse("survei_publik:public_result_chart", args=[published.token, "variabel"])
    assert chart in client.get(url(published)).content.decode()
    before = client.get(chart)
    assert before.status_code == 200 and before["Content-Type"].startswith("image/svg+xml")
    answer(published, [1] * 9)
    assert client.get(chart).content == before.content  # the same drawing: the snapshot, not the live count
    assert client.get(reverse("survei_publik:public_result_chart", args=[published.token, "x"])).status_code == 404
    draft = make_survey(unit, officer)
    assert client.get(reverse("survei_publik:public_result_chart", args=[draft.token, "variabel"])).status_code == 404
