"""Peraturan KPK 2/2019 Pasal 2(3) advice: the 2019 and 2026 thresholds at their exact boundaries, chosen by
the date received, and the yearly sum per giver."""

import datetime as dt

import pytest

from gratifikasi import exemptions
from gratifikasi.exemptions import RULES_2019, RULES_2026, earlier_from_same_giver, rules_for

BEFORE = dt.date(2026, 1, 19)  # last day of the 2019 text
FROM = dt.date(2026, 1, 20)  # Peraturan KPK 1/2026 in force


def advise(**kwargs):
    """The threshold tests below are about a giver with no interest in the employee's duties."""
    return exemptions.advise(**{"giver_relationship": "rekan_kerja", "related_to_duties": False, **kwargs})


def test_the_rule_set_is_chosen_by_the_date_received():
    assert rules_for(BEFORE) is RULES_2019
    assert rules_for(FROM) is RULES_2026
    assert rules_for(dt.date(2019, 6, 1)) is RULES_2019


@pytest.mark.parametrize(
    ("date", "value", "exempt"),
    [
        (BEFORE, 1_000_000, True),
        (BEFORE, 1_000_001, False),
        (FROM, 1_500_000, True),
        (FROM, 1_500_001, False),
        (FROM, 1_000_001, True),  # over the old limit, within the new one
    ],
)
def test_wedding_gifts_per_giver_huruf_l(date, value, exempt):
    advice = advise(date_received=date, occasion="pernikahan_upacara", objects=[("uang", value)])
    assert advice.looks_exempt is exempt
    assert advice.letter == ("l" if exempt else "")


@pytest.mark.parametrize(
    ("date", "value", "exempt"),
    [
        (BEFORE, 200_000, True),
        (BEFORE, 200_001, False),
        (FROM, 500_000, True),
        (FROM, 500_001, False),
    ],
)
def test_colleague_gifts_per_gift_huruf_o(date, value, exempt):
    advice = advise(date_received=date, occasion="antar_rekan", objects=[("barang", value)])
    assert (advice.looks_exempt, advice.letter) == (exempt, "o" if exempt else "")


@pytest.mark.parametrize(
    ("date", "earlier", "value", "exempt"),
    [
        (BEFORE, 800_000, 200_000, True),  # exactly Rp1.000.000 in the year
        (BEFORE, 800_001, 200_000, False),
        (FROM, 1_000_000, 500_000, True),  # exactly Rp1.500.000
        (FROM, 1_000_001, 500_000, False),
    ],
)
def test_colleague_gifts_yearly_sum_from_one_giver(date, earlier, value, exempt):
    advice = advise(date_received=date, occasion="antar_rekan", objects=[("barang", value)], earlier_this_year=earlier)
    assert advice.looks_exempt is exempt
    if not exempt:
        assert "setahun" in advice.reason


def test_cash_between_colleagues_is_never_exempt():
    for kind in ("uang", "voucher", "logam_mulia"):
        assert not advise(date_received=FROM, occasion="antar_rekan", objects=[(kind, 1)]).looks_exempt


@pytest.mark.parametrize(("value", "exempt"), [(300_000, True), (300_001, False)])
def test_farewell_gifts_huruf_n_exist_only_before_2026(value, exempt):
    advice = advise(date_received=BEFORE, occasion="perpisahan_rekan", objects=[("barang", value)])
    assert (advice.looks_exempt, advice.letter) == (exempt, "n" if exempt else "")


def test_farewell_gifts_fall_under_huruf_o_from_2026():
    assert advise(date_received=FROM, occasion="perpisahan_rekan", objects=[("barang", 500_000)]).letter == "o"
    assert not advise(date_received=FROM, occasion="perpisahan_rekan", objects=[("barang", 500_001)]).looks_exempt


def test_a_gift_related_to_the_job_must_be_reported():
    advice = advise(date_received=FROM, occasion="kedinasan", objects=[("barang", 1)])
    assert not advice.looks_exempt and "tidak dikecualikan" in advice.reason


def test_a_refusal_is_always_reported():
    advice = advise(date_received=FROM, occasion="antar_rekan", objects=[("barang", 1)], report_type="penolakan")
    assert not advice.looks_exempt


@pytest.mark.django_db
def test_the_yearly_sum_counts_earlier_submitted_reports_from_the_same_giver(make_report, pegawai):
    make_report(
        ["submit"],
        received=dt.date(2026, 3, 2),
        value=600_000,
        giver_name="Budi  Santoso",
        giver_institution="Bagian Umum",
    )
    make_report(
        ["submit"],
        received=dt.date(2026, 5, 4),
        value=400_000,
        giver_name="budi santoso",
        giver_institution="bagian umum",
    )
    make_report(
        ["submit"], received=dt.date(2026, 5, 4), value=900_000, giver_name="Budi Santoso", giver_institution="PT Lain"
    )
    make_report(
        [], received=dt.date(2026, 6, 1), value=999_000, giver_name="Budi Santoso", giver_institution="Bagian Umum"
    )
    make_report(
        ["submit"],
        received=dt.date(2025, 12, 1),
        value=999_000,
        giver_name="Budi Santoso",
        giver_institution="Bagian Umum",
    )
    make_report(
        ["submit"],
        received=dt.date(2026, 9, 1),
        value=999_000,
        giver_name="Budi Santoso",
        giver_institution="Bagian Umum",
    )
    earlier = earlier_from_same_giver(
        reporter=pegawai, giver_name="BUDI SANTOSO", giver_institution="Bagian Umum", until=dt.date(2026, 7, 1)
    )
    # Same giver (case and spacing ignored), same year, up to the date: not another institution, not a
    # draft, not last year, not a later report.
    assert earlier == 1_000_000
    july = {"date_received": dt.date(2026, 7, 1), "occasion": "antar_rekan"}
    assert advise(**july, objects=[("barang", 500_000)], earlier_this_year=earlier).looks_exempt  # Rp1.500.000
    assert not advise(**july, objects=[("barang", 500_000)], earlier_this_year=earlier + 1).looks_exempt


# --- never "exempt" on what the advice does not know --------------------------------------------------------


@pytest.mark.parametrize(
    "objects",
    [
        [],  # nothing entered yet
        [("barang", None)],  # missing or unreadable value
        [("barang", 0)],  # Rp 0
        [("barang", 100_000), ("barang", None)],  # one row still without a value
    ],
)
def test_without_values_the_advice_cannot_be_given_yet(objects):
    advice = advise(date_received=FROM, occasion="antar_rekan", objects=objects)
    assert not advice.looks_exempt
    assert advice.outcome == exemptions.UNDETERMINED and advice.undetermined
    assert advice.letter == ""


def test_without_the_giver_relationship_the_advice_cannot_be_given_yet():
    advice = advise(date_received=FROM, occasion="pernikahan_upacara", objects=[("uang", 1)], giver_relationship="")
    assert advice.undetermined and not advice.looks_exempt


def test_without_the_answer_about_duties_the_advice_cannot_be_given_yet():
    advice = advise(date_received=FROM, occasion="antar_rekan", objects=[("barang", 1)], related_to_duties=None)
    assert advice.undetermined and not advice.looks_exempt


@pytest.mark.parametrize("relationship", ["rekanan", "mitra", "pengguna_layanan", "berkepentingan"])
@pytest.mark.parametrize("occasion", ["pernikahan_upacara", "antar_rekan", "promosi", "hidangan_umum", "musibah"])
def test_a_giver_with_an_interest_in_the_duties_is_never_advised_exempt(relationship, occasion):
    advice = advise(date_received=FROM, occasion=occasion, objects=[("barang", 1)], giver_relationship=relationship)
    assert not advice.looks_exempt and advice.outcome == exemptions.REPORTABLE
    assert "konflik kepentingan" in advice.reason


def test_a_gift_the_reporter_links_to_their_duties_is_never_advised_exempt():
    advice = advise(date_received=FROM, occasion="pernikahan_upacara", objects=[("uang", 1)], related_to_duties=True)
    assert not advice.looks_exempt and "konflik kepentingan" in advice.reason
    # the same gift from a relative with no link to the duties is within huruf l
    assert advise(date_received=FROM, occasion="pernikahan_upacara", objects=[("uang", 1)]).letter == "l"


@pytest.mark.django_db
def test_the_saved_report_with_an_unknown_value_is_not_advised_exempt(make_report):
    report = make_report(
        [], value=300_000, occasion="antar_rekan", giver_relationship="rekan_kerja", related_to_duties=False
    )
    assert exemptions.advise_report(report).looks_exempt  # goods worth Rp300.000 between colleagues
    report.objects_received.update(value=0, value_unknown=True, value_unknown_reason="Lukisan, belum ditaksir")
    assert exemptions.advise_report(report).undetermined


def test_a_gift_for_another_occasion_not_linked_to_duties_is_reportable_without_saying_it_was():
    advice = advise(date_received=dt.date(2026, 3, 2), occasion="lainnya", objects=[("barang", 300_000)])
    assert not advice.looks_exempt
    assert "terkait tugas" not in advice.reason and "Pasal 2 ayat (3)" in advice.reason


def test_a_gift_linked_to_duties_says_so():
    advice = advise(date_received=dt.date(2026, 3, 2), occasion="kedinasan", objects=[("barang", 300_000)])
    assert not advice.looks_exempt and "terkait tugas atau jabatan" in advice.reason
