"""The officer's results page (issue 13 "Results"): the numbers are those worked out by hand below from the
responses each test creates (never from survei.scoring), in Indonesian notation; the warnings, the integrity
question, the band counts under 3 hidden; who may read it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import policy
from survei import selectors
from survei.models import Answer, Instrument, Response, Survey, SurveyService

pytestmark = pytest.mark.django_db

DAY = dt.date(2026, 11, 20)


# ---------------------------------------------------------------------------------------------------------
# Helpers shared with test_exports.py and test_public_results.py


def make_survey(unit, created_by, code: str = "skm-permenpanrb-14-2017", *, services=(("Izin usaha", 100),)):
    instrument = Instrument.objects.get(code=code)
    survey = Survey.objects.create(
        unit=unit,
        title=f"Survei {instrument.kind.upper()} 2026",
        instrument_version=instrument.current_version(),
        rule=instrument.default_rule,
        period_start=dt.date(2026, 10, 1),
        period_end=dt.date(2026, 12, 31),
        created_by=created_by,
    )
    for order, (name, population) in enumerate(services):
        SurveyService.objects.create(survey=survey, name=name, population=population, order=order)
    survey.open()
    survey.save()
    return survey


def answer(survey, values: list[int], *, service=None, **fields) -> Response:
    """One response giving `values` to the instrument's items in their order."""
    response = Response.objects.create(
        survey=survey, service=service or survey.services.first(), received_on=fields.pop("received_on", DAY), **fields
    )
    items = list(survey.instrument_version.items())
    assert len(values) == len(items)
    Answer.objects.bulk_create(Answer.of(response, item.pk, value) for item, value in zip(items, values, strict=True))
    return response


def publish(survey) -> Survey:
    survey.close()
    survey.publish(result=selectors.snapshot(survey), on=timezone.now())
    survey.save()
    return survey


# SKM, 3 respondents, items U1..U9:
#   R1: 4 4 4 4 4 4 4 4 4
#   R2: 3 3 3 3 3 3 3 3 3
#   R3: 2 3 4 3 3 3 3 3 3
# U1 = (4+3+2)/3 = 3.00 → ×25 = 75.00; U3 = 11/3 = 3.6667 → 91.67; the others 10/3 = 3.3333 → 83.33.
# NRR tertimbang = (9 + 11 + 7 × 10) / 3 / 9 = 90 / 27 = 3.3333 → 3.33; IKM = 3.3333 × 25 = 83.33 → B
# (76.61–88.30, "Baik").
SKM = [[4] * 9, [3] * 9, [2, 3, 4, 3, 3, 3, 3, 3, 3]]

# IPAK (seed, 6 variables X1..X6 of one item, 1–6, linear rule: 1 → 0, 6 → 4, i.e. (v − 1) / 5 × 4):
#   R1: 6 6 6 6 6 6   → 4.0 each
#   R2: 5 5 5 5 5 5   → 3.2 each
#   R3: 3 4 4 4 4 4   → X1 1.6, the others 2.4
# X1 = (4 + 3.2 + 1.6) / 3 = 2.9333 → 2.93 (mean on 1–6: 14/3 = 4.67); X2..X6 = 9.6 / 3 = 3.20 (mean 5.00).
# Value = (2.9333 + 5 × 3.2) / 6 = 18.9333 / 6 = 3.1556 → 3.16, under the 3.60 minimum of WBK and WBBM.
# Mean on 1–6 = (14/3 + 25) / 6 = 4.9444 → 4.94. LKE score = the published 3.16 / 4 × 17.5 = 13.825 → 13.83;
# the minimum as a score: 3.60 / 4 × 17.5 = 15.75.
IPAK = [[6] * 6, [5] * 6, [3, 4, 4, 4, 4, 4]]


@pytest.fixture
def officer(make_user):
    return make_user("petugas_survei", policy.PETUGAS_SURVEI)


@pytest.fixture
def skm(unit, officer):
    survey = make_survey(unit, officer)
    for values in SKM:
        answer(survey, values)
    return survey


def page(client, user, survey):
    client.force_login(user)
    return client.get(reverse("survei:results", args=[survey.uuid]))


def test_the_skm_page_shows_the_hand_computed_index_grade_and_elements(client, officer, skm):
    response = page(client, officer, skm)
    assert response.status_code == 200
    text = response.content.decode()
    assert '<strong data-figure="index">83,33</strong>' in text
    assert '<strong data-figure="grade">B</strong> (Baik)' in text
    assert '<dd data-figure="mean">3,33</dd>' in text
    assert "76,61 – 88,30" in text
    assert 'data-figure="variable-value-U1">75,00<' in text
    assert 'data-figure="variable-value-U3">91,67<' in text
    assert 'data-figure="variable-mean-U2">3,33<' in text
    assert 'data-figure="item-mean-U1.1">3,00<' in text
    assert "Dihitung dengan aturan SKM PermenPANRB 14/2017 v1, instrumen Survei Kepuasan Masyarakat" in text
    assert 'data-figure="respondents">3<' in text


def test_the_perception_page_compares_the_value_with_the_wbk_and_wbbm_minimums(client, unit, officer):
    survey = make_survey(unit, officer, "ipak-seed")
    for values in IPAK:
        answer(survey, values)
    text = page(client, officer, survey).content.decode()
    assert '<strong data-figure="value">3,16</strong>' in text
    assert '<dd data-figure="mean">4,94</dd>' in text
    assert 'data-figure="lke_score">13,83' in text
    assert "dari bobot 17,50" in text
    assert 'data-figure="variable-value-X1">2,93<' in text
    assert 'data-figure="variable-mean-X1">4,67<' in text
    assert 'data-figure="variable-value-X2">3,20<' in text
    assert "15,75" in text  # 3.60 as an LKE score
    assert text.count("Belum memenuhi") == 2  # WBK and WBBM both 3.60 for IPAK
    assert "Persepsi ZI: rata-rata 1–6 dikonversi linear ke 0–4 v1" in text


def test_the_warnings_below_the_minimum_and_the_target_are_shown(client, officer, skm):
    text = page(client, officer, skm).content.decode()
    assert 'class="banner warning survey-warnings" role="alert"' in text
    assert "Responden baru 3, di bawah minimum 30" in text
    # Population 100 → Krejcie–Morgan 80: 3.841·100·0.25 / (0.0025·99 + 0.96025) = 96.025 / 1.20775 = 79.5 → 80.
    assert "Layanan Izin usaha: 3 dari target 80 responden." in text


def test_a_missing_population_is_a_warning(client, unit, officer):
    survey = make_survey(unit, officer, services=(("Konsultasi", None),))
    text = page(client, officer, survey).content.decode()
    assert "Layanan Konsultasi: populasi belum diisi" in text
    assert "Responden baru 0" in text


def test_the_pressured_count_is_shown_prominently(client, unit, officer):
    survey = make_survey(unit, officer)
    answer(survey, SKM[0], pressured=True)
    answer(survey, SKM[1], pressured=False)
    answer(survey, SKM[2])
    text = page(client, officer, survey).content.decode()
    assert 'class="banner warning survey-warnings" role="alert"' in text
    assert "1 responden menyatakan ada pihak yang menekan atau mengarahkan mereka mengisi survei ini." in text
    assert 'class="survey-pressure"' in text
    assert 'data-figure="pressured-yes">1<' in text
    assert 'data-figure="pressured-no">1<' in text


def test_no_pressure_banner_when_nobody_was_pressured(client, officer, skm):
    assert "survey-pressure" not in page(client, officer, skm).content.decode()


def test_band_counts_under_three_are_hidden(client, unit, officer):
    survey = make_survey(unit, officer)
    for _n in range(4):
        answer(survey, SKM[1], sex="L", age_band="30-39")
    answer(survey, SKM[1], sex="P", age_band="30-39")
    response = page(client, officer, survey)
    bands = {group.code: {row.label: row.shown for row in group.rows} for group in response.context["bands"]}
    # 4 men, 1 woman, none unanswered: the 1 is hidden, and so is the smallest other cell (a zero), else
    # 5 − 4 − 0 would give it away.
    assert bands["sex"]["Laki-laki"] == 4
    assert bands["sex"]["Perempuan"] == "<3"
    assert bands["sex"]["Tidak diisi"] == "<3"
    assert bands["age_band"]["30–39"] == 5
    assert bands["age_band"]["< 20"] == 0
    assert bands["education"]["Tidak diisi"] == 5
    assert "&lt;3" in response.content.decode()


def test_the_comments_are_shown_decrypted_to_the_readers(client, unit, officer):
    survey = make_survey(unit, officer)
    answer(survey, SKM[0], comment="Antrean terlalu panjang di loket dua.")
    answer(survey, SKM[1])
    response = page(client, officer, survey)
    assert "Antrean terlalu panjang di loket dua." in response.content.decode()
    assert response.context["comment_count"] == 1


def test_the_comments_are_listed_in_a_keyed_hash_order_not_newest_first(client, unit, officer, monkeypatch):
    import hashlib

    from django.utils.crypto import salted_hmac

    from survei.views import results

    monkeypatch.setattr(results, "COMMENTS_SHOWN", 8)
    survey = make_survey(unit, officer)
    written = [answer(survey, SKM[1], comment=f"Komentar nomor {n}.") for n in range(12)]
    response = page(client, officer, survey)
    shown = [text for _service, text in response.context["comments"]]
    assert response.context["comment_count"] == 12
    # The expected order worked out here: BLAKE2b of each response's key, keyed by the survey's derived key.
    key = salted_hmac(f"survei.comments|{survey.pk}", "survei.order").digest()
    by_hash = sorted(
        written, key=lambda response: hashlib.blake2b(str(response.pk).encode(), key=key, digest_size=16).digest()
    )
    assert shown == [response.comment for response in by_hash[:8]]
    assert shown != [response.comment for response in written[::-1][:8]]  # not the newest first


def test_a_set_aside_response_does_not_count(client, unit, officer):
    survey = make_survey(unit, officer)
    for values in SKM:
        answer(survey, values)
    answer(survey, [1] * 9, excluded=True, excluded_reason="Banjir dari satu perangkat")
    answer(survey, [1] * 9, excluded=True, excluded_reason="Banjir dari satu perangkat")
    answer(survey, [2] * 9, excluded=True, excluded_reason="Uji coba petugas")
    text = page(client, officer, survey).content.decode()
    assert '<strong data-figure="index">83,33</strong>' in text
    assert "3 jawaban dikeluarkan dari hasil: alasan Banjir dari satu perangkat (2), Uji coba petugas (1)." in text


def test_the_charts_are_svg_for_the_readers_only(client, officer, outsider, skm):
    client.force_login(officer)
    for name in ("variabel", "jawaban"):
        response = client.get(reverse("survei:results_chart", args=[skm.uuid, name]))
        assert response.status_code == 200
        assert response["Content-Type"].startswith("image/svg+xml")
        assert b"<svg" in response.content
    assert client.get(reverse("survei:results_chart", args=[skm.uuid, "lain"])).status_code == 404
    client.force_login(outsider)
    assert client.get(reverse("survei:results_chart", args=[skm.uuid, "variabel"])).status_code == 404


def test_a_stranger_gets_404(client, outsider, skm):
    assert page(client, outsider, skm).status_code == 404


def test_the_head_of_another_unit_gets_404_and_the_head_of_the_unit_reads(client, make_user, unit, other_unit, skm):
    other_head = make_user("kepala_humas")
    other_unit.head = other_head
    other_unit.save()
    assert page(client, other_head, skm).status_code == 404
    head = make_user("kepala_sekr")
    unit.head = head
    unit.save()
    assert page(client, head, skm).status_code == 200


def test_the_inspectorate_reads_any_unit(client, inspektur, officer, other_unit):
    survey = make_survey(other_unit, officer)
    assert page(client, inspektur, survey).status_code == 200


def test_the_officer_of_another_unit_gets_404(client, make_user, other_unit, officer):
    survey = make_survey(other_unit, officer)
    assert page(client, officer, survey).status_code == 404


def test_signed_out_is_sent_to_sign_in(client, skm):
    response = client.get(reverse("survei:results", args=[skm.uuid]))
    assert response.status_code == 302


def test_post_is_refused(client, officer, skm):
    client.force_login(officer)
    assert client.post(reverse("survei:results", args=[skm.uuid])).status_code == 405


def test_the_page_reads_the_same_number_of_queries_however_many_responses(client, unit, officer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    survey = make_survey(unit, officer)
    client.force_login(officer)
    url = reverse("survei:results", args=[survey.uuid])

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    for values in SKM:
        answer(survey, values, sex="L", comment="Baik.")
    few = queries()
    for _n in range(10):
        answer(survey, SKM[1], sex="P", education="s1", pressured=False, comment="Cukup.")
    assert queries() == few


@pytest.mark.parametrize(
    ("index", "interval"),
    [
        ("88.31", ("88.31", "100.00")),
        ("88.30", ("76.61", "88.30")),
        ("76.60", ("65.00", "76.60")),
        ("25.00", ("25.00", "64.99")),
    ],
)
def test_the_skm_interval_is_the_row_of_the_regulations_table(index, interval):
    from decimal import Decimal

    from survei.exports import Report
    from survei.scoring import SKM_INTERVALS

    rule = {"method": "skm", "params": {"weight": "equal", "multiplier": 25, "intervals": SKM_INTERVALS}}
    report = Report.of({"result": {"rule": rule, "scale": 4, "index": index, "respondents": 0}, "coverage": []})
    assert report.interval == tuple(Decimal(value) for value in interval)


def test_a_survey_without_responses_has_a_page_and_charts(client, unit, officer):
    survey = make_survey(unit, officer, "ipkp-kemenpanrb")
    client.force_login(officer)
    assert client.get(reverse("survei:results", args=[survey.uuid])).status_code == 200
    for name in ("variabel", "jawaban"):
        assert client.get(reverse("survei:results_chart", args=[survey.uuid, name])).status_code == 200
    assert client.get(reverse("survei:report_pdf", args=[survey.uuid])).content.startswith(b"%PDF")
