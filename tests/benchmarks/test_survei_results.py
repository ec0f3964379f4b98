"""The survei-results benchmark's baseline (benchmarks/survei_results.py) is hand-written SQL that must count what
survei.selectors.result counts; checked here on a small generated data set in the PostgreSQL pass (the generator
writes with COPY), against the answers read back row by row. The whole benchmark also runs at its tiny size in
tests/benchmarks/test_benchmarks.py."""

import datetime as dt
import random
from collections import defaultdict

import pytest
from django.db import connection

from benchmarks import survei_results as bench
from survei import selectors
from survei.models import Answer, Response, SurveyStatus


def test_the_page_check_finds_a_number_however_it_is_grouped():
    assert bench.shows_number("<td>97.981</td>", 97981)
    assert bench.shows_number("<p>Responden: <strong>97,981</strong></p>", 97981)
    assert bench.shows_number("<td>97981</td>", 97981)
    assert not bench.shows_number("<td>197.981</td>", 97981)
    assert not bench.shows_number("<td>97.9812</td>", 97981)


@pytest.mark.django_db
def test_the_hand_written_sql_counts_what_the_selector_counts(unit):
    if connection.vendor != "postgresql":
        pytest.skip("the generator writes with PostgreSQL's COPY; it runs in the PostgreSQL pass")
    officer = bench.make_officer(unit)
    today = dt.date.today()
    rnd = random.Random(3)
    surveys = [
        bench.make_survey(unit, officer, code, SurveyStatus.CLOSED, today)
        for code in ("skm-permenpanrb-14-2017", "ipkp-seed")
    ]
    written = [bench.generate(survey, 150, rnd, excluded_share=0.1) for survey in surveys]
    for survey, stats in zip(surveys, written, strict=True):
        items = survey.instrument_version.items().count()
        assert stats["responses"] == Response.objects.filter(survey=survey).count() == 150
        assert stats["answers"] == Answer.objects.filter(response__survey=survey).count() == 150 * items
        assert 0 < stats["excluded"] < 150
        # Independently of both: the counted answers read back one by one.
        expected = defaultdict(lambda: [0, 0])
        for item_id, value in Answer.objects.filter(response__survey=survey, response__excluded=False).values_list(
            "item_id", "value"
        ):
            expected[item_id][0] += 1
            expected[item_id][1] += value
        raw = bench.raw_figures(survey)
        assert raw == {
            "respondents": 150 - stats["excluded"],
            "items": {item_id: tuple(pair) for item_id, pair in expected.items()},
        }
        result = selectors.result(survey)
        assert bench.selector_figures(survey, result) == raw
        bench.check_equal(survey, result, raw)  # raises SystemExit on a difference
