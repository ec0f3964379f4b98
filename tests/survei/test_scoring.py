"""The scoring arithmetic on worked examples. Every expected number below was computed by hand from the counts
(the working is in the comments), not by running the code."""

from decimal import Decimal

import pytest

from survei import scoring
from survei.scoring import InstrumentSpec, ItemSpec, RuleSpec, Thresholds, VariableSpec

D = Decimal
SKM_RULE = RuleSpec("skm", 1, "SKM", "skm", {"weight": "equal", "multiplier": 25, "intervals": scoring.SKM_INTERVALS})


def skm_spec(elements: int = 9) -> InstrumentSpec:
    return InstrumentSpec(
        4, tuple(VariableSpec(f"U{n}", f"Unsur {n}", (ItemSpec(n, f"U{n}.1", "?"),)) for n in range(1, elements + 1))
    )


# Ten respondents. NRR per unsur: U1 (5×4 + 5×3)/10 = 3.5; U2 3.0; U3 (4×2 + 6×3)/10 = 2.6; U4 4.0;
# U5 (8×3 + 2×4)/10 = 3.2; U6 3.5; U7 (7×4 + 3×3)/10 = 3.7; U8 (2×2 + 8×3)/10 = 2.8; U9 (1 + 2 + 4×3 + 4×4)/10 = 3.1.
SKM_COUNTS = {
    1: {4: 5, 3: 5},
    2: {3: 10},
    3: {2: 4, 3: 6},
    4: {4: 10},
    5: {3: 8, 4: 2},
    6: {3: 5, 4: 5},
    7: {4: 7, 3: 3},
    8: {2: 2, 3: 8},
    9: {1: 1, 2: 1, 3: 4, 4: 4},
}


def test_it_computes_the_skm_index_and_grade_with_equal_weights():
    result = scoring.compute(skm_spec(), SKM_RULE, SKM_COUNTS, 10)
    # Σ NRR = 29.4; NRR tertimbang = 29.4 / 9 = 3.2667; IKM = 3.26667 × 25 = 81.667 → 81.67, grade B (76.61–88.30).
    assert [v.mean for v in result.variables] == [D(x) for x in "3.50 3.00 2.60 4.00 3.20 3.50 3.70 2.80 3.10".split()]
    assert result.mean == D("3.27")
    assert result.index == D("81.67")
    assert (result.grade, result.grade_label) == ("B", "Baik")
    # The element's own index: U3 2.6 × 25 = 65.00.
    assert result.variables[2].value == D("65.00")
    assert result.value is None and result.lke_score is None


def test_it_applies_the_printed_weight_0_111_as_printed():
    rule = RuleSpec("skm", 2, "SKM", "skm", {**SKM_RULE.params, "weight": "0.111"})
    result = scoring.compute(skm_spec(), rule, SKM_COUNTS, 10)
    # 29.4 × 0.111 = 3.2634; × 25 = 81.585 → 81.59 (half up).
    assert result.mean == D("3.26")
    assert result.index == D("81.59")
    assert result.grade == "B"


@pytest.mark.parametrize(
    ("counts", "index", "grade"),
    [
        # One element, 10,000 answers of 3 or 4: mean = 3 + fours / 10,000, index = mean × 25, rounded half up.
        ({4: 5324, 3: 4676}, "88.31", "A"),  # 3.5324 × 25 = 88.31
        ({4: 5322, 3: 4678}, "88.31", "A"),  # 3.5322 × 25 = 88.305 → 88.31
        ({4: 5321, 3: 4679}, "88.30", "B"),  # 3.5321 × 25 = 88.3025 → 88.30
        ({4: 644, 3: 9356}, "76.61", "B"),  # 3.0644 × 25 = 76.61
        ({4: 641, 3: 9359}, "76.60", "C"),  # 3.0641 × 25 = 76.6025 → 76.60
        ({3: 6000, 2: 4000}, "65.00", "C"),  # 2.6 × 25 = 65.00
        ({3: 5998, 2: 4002}, "65.00", "C"),  # 2.5998 × 25 = 64.995 → 65.00
        ({3: 5997, 2: 4003}, "64.99", "D"),  # 2.5997 × 25 = 64.9925 → 64.99
        ({1: 1}, "25.00", "D"),
        ({4: 1}, "100.00", "A"),
    ],
)
def test_it_grades_at_the_interval_bounds_on_the_index_as_shown(counts, index, grade):
    result = scoring.compute(skm_spec(1), SKM_RULE, {1: counts}, sum(counts.values()))
    assert (result.index, result.grade) == (D(index), grade)


def perception_spec(weights=(None, None)) -> InstrumentSpec:
    # V1: items a (positive) and b (negative wording); V2: item c. Scale 1–6.
    return InstrumentSpec(
        6,
        (
            VariableSpec("V1", "Satu", (ItemSpec(1, "a", "a"), ItemSpec(2, "b", "b", negative=True)), weights[0]),
            VariableSpec("V2", "Dua", (ItemSpec(3, "c", "c"),), weights[1]),
        ),
    )


# a: (3×6 + 5)/4 = 5.75; b answered 1 ×2 and 2 ×2, reversed to 6 and 5: (12 + 10)/4 = 5.5; c: (2×4 + 2×6)/4 = 5.0.
PERCEPTION_COUNTS = {1: {6: 3, 5: 1}, 2: {1: 2, 2: 2}, 3: {4: 2, 6: 2}}
IPAK = Thresholds(D("17.5"), D("3.60"), D("3.60"))
IPKP = Thresholds(D("17.5"), D("3.20"), D("3.60"))


def rule(method, **params) -> RuleSpec:
    return RuleSpec(method, 1, method, method, params)


def test_it_converts_a_perception_survey_linearly():
    result = scoring.compute(perception_spec(), rule("linear"), PERCEPTION_COUNTS, 4, IPAK)
    # Items on 0–4: a (5.75 − 1)/5 × 4 = 3.8; b (5.5 − 1)/5 × 4 = 3.6; c (5 − 1)/5 × 4 = 3.2.
    assert [i.mean for i in result.items] == [D("5.75"), D("5.50"), D("5.00")]
    assert [i.value for i in result.items] == [D("3.80"), D("3.60"), D("3.20")]
    # V1 = (3.8 + 3.6)/2 = 3.7, V2 = 3.2; instrument 3.45; on the 1–6 scale (5.625 + 5.0)/2 = 5.3125 → 5.31.
    assert [v.value for v in result.variables] == [D("3.70"), D("3.20")]
    assert result.mean == D("5.31")
    assert result.value == D("3.45")
    # LKE: 3.45 / 4 × 17.5 = 15.09375 → 15.09; below the IPAK minimum 3.60.
    assert result.lke_score == D("15.09")
    assert (result.meets_wbk, result.meets_wbbm) == (False, False)
    # The distribution is kept as answered, not reversed.
    assert result.items[1].distribution == {1: 2, 2: 2}


def test_it_converts_a_perception_survey_by_ratio():
    result = scoring.compute(perception_spec(), rule("ratio"), PERCEPTION_COUNTS, 4, IPAK)
    # a 5.75/6 × 4 = 3.8333; b 5.5/6 × 4 = 3.6667; c 5/6 × 4 = 3.3333; V1 3.75; instrument (3.75 + 3.3333)/2 = 3.5417.
    assert [i.value for i in result.items] == [D("3.83"), D("3.67"), D("3.33")]
    assert result.value == D("3.54")


def test_it_maps_each_answer_before_averaging():
    table = {"1": 0, "2": 0, "3": 1, "4": 2, "5": 3, "6": 4}
    result = scoring.compute(perception_spec(), rule("map", map=table), PERCEPTION_COUNTS, 4, IPKP)
    # a (3×4 + 3)/4 = 3.75; b reversed to 6, 6, 5, 5: (8 + 6)/4 = 3.5; c (2×2 + 2×4)/4 = 3.0; V1 3.625; 3.3125 → 3.31.
    assert [i.value for i in result.items] == [D("3.75"), D("3.50"), D("3.00")]
    assert result.value == D("3.31")
    assert (result.meets_wbk, result.meets_wbbm) == (True, False)


def test_it_weights_variables_when_the_instrument_says():
    result = scoring.compute(perception_spec((D(3), D(1))), rule("linear"), PERCEPTION_COUNTS, 4, IPKP)
    # (3.7 × 3 + 3.2 × 1)/4 = 3.575 → 3.58: meets IPKP WBK (3.20), not WBBM (3.60).
    assert result.value == D("3.58")
    assert (result.meets_wbk, result.meets_wbbm) == (True, False)


def test_it_compares_the_threshold_with_the_value_as_shown():
    spec = InstrumentSpec(6, (VariableSpec("V", "V", (ItemSpec(1, "a", "a"),)),))
    # 81 fives and 79 sixes: mean 879/160 = 5.49375; (5.49375 − 1)/5 × 4 = 3.595 → shown 3.60, which meets 3.60.
    result = scoring.compute(spec, rule("linear"), {1: {5: 81, 6: 79}}, 160, IPAK)
    assert result.value == D("3.60") and result.meets_wbk is True
    # 82 fives and 78 sixes: 878/160 = 5.4875 → 3.59: does not.
    result = scoring.compute(spec, rule("linear"), {1: {5: 82, 6: 78}}, 160, IPAK)
    assert result.value == D("3.59") and result.meets_wbk is False


def test_an_item_nobody_answered_is_left_out_and_no_answers_give_no_score():
    counts = {1: {6: 2}, 2: {}, 3: {}}
    result = scoring.compute(perception_spec(), rule("linear"), counts, 2, IPAK)
    # V1 from a alone (6 → 4.0); V2 has nothing: the instrument is V1's.
    assert result.variables[0].value == D("4.00") and result.variables[1].value is None
    assert result.value == D("4.00")
    empty = scoring.compute(perception_spec(), rule("linear"), {}, 0, IPAK)
    assert empty.value is None and empty.meets_wbk is None and empty.lke_score is None
    skm = scoring.compute(skm_spec(), SKM_RULE, {}, 0)
    assert skm.index is None and skm.grade == ""


def test_the_result_serialises_for_publication():
    data = scoring.compute(perception_spec(), rule("linear"), PERCEPTION_COUNTS, 4, IPAK).as_dict()
    assert (
        data["value"] == "3.45"
        and data["rule"]["method"] == "linear"
        and data["items"][0]["distribution"]
        == {
            "5": 1,
            "6": 3,
        }
    )


@pytest.mark.parametrize(
    ("population", "size"),
    # Krejcie & Morgan's table: 10 → 10, 40 → 36, 50 → 44, 100 → 80, 200 → 132, 1,000 → 278, 1,000,000 → 384.
    [(10, 10), (40, 36), (50, 44), (100, 80), (200, 132), (1000, 278), (1_000_000, 384), (0, 0)],
)
def test_it_sizes_the_sample_by_krejcie_morgan(population, size):
    assert scoring.krejcie_morgan(population) == size


@pytest.mark.parametrize(
    ("population", "target"),
    # At least 30, never more than the population: 12 users → all 12; 35 → KM 32; 100 → 80; unknown → 30.
    [(12, 12), (20, 20), (35, 32), (100, 80), (None, 30)],
)
def test_the_target_is_krejcie_morgan_with_the_seed_minimum(population, target):
    assert scoring.target_sample(population) == target


def test_it_warns_below_the_minimum_and_the_target():
    rows = [scoring.Coverage("KTP", 100, 80, 20), scoring.Coverage("KK", None, 30, 31)]
    found = scoring.warnings(51, rows)
    assert len(found) == 2 and "KTP" in found[0] and "KK" in found[1]
    assert scoring.warnings(29, [])[0].startswith("Responden baru 29")


@pytest.mark.parametrize(
    ("method", "params", "ok"),
    [
        ("skm", {"intervals": scoring.SKM_INTERVALS}, True),
        ("skm", {"intervals": []}, False),
        ("skm", {"intervals": [["65", "C", "x"], ["88.31", "A", "y"]]}, False),  # not from the top
        ("skm", {"weight": "-1", "intervals": scoring.SKM_INTERVALS}, False),
        ("linear", {}, True),
        ("map", {"map": {"1": 0, "2": 1, "3": 2, "4": 4}}, True),
        ("map", {"map": {"1": 0, "6": 4}}, False),  # 2–5 unmapped: every answer of 3 would fail the result
        ("map", {"map": {"1": 5}}, False),
        ("map", {"map": {"1": 0, "2": "Infinity"}}, False),
        ("skm", {"multiplier": "abc", "intervals": scoring.SKM_INTERVALS}, False),
        ("skm", {"weight": "Infinity", "intervals": scoring.SKM_INTERVALS}, False),
        ("map", {}, False),
        ("magic", {}, False),
    ],
)
def test_it_checks_rule_parameters(method, params, ok):
    assert (scoring.check_params(method, params) == "") is ok


@pytest.mark.parametrize(
    ("method", "params", "scale", "kind", "ok"),
    [
        ("skm", {}, 4, "skm", True),
        ("skm", {}, 6, "skm", False),  # an index × 25 of answers up to 6 would reach 150
        ("linear", {}, 4, "skm", False),
        ("skm", {}, 4, "ipak", False),
        ("linear", {}, 6, "ipak", True),
        ("map", {"map": {"1": 0, "2": 1, "3": 2, "4": 4}}, 6, "ipkp", False),  # answers 5 and 6 unmapped
        ("map", {"map": {str(n): 0 for n in range(1, 7)}}, 6, "ipkp", True),
    ],
)
def test_it_says_whether_a_rule_can_score_an_instrument(method, params, scale, kind, ok):
    assert (scoring.rule_fits(method, params, scale, kind) == "") is ok
