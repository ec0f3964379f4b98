"""The seeded LKE edition (PermenPANRB 90/2021): weights, option values, rules, and a reversible migration."""

import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from evaluasi import lke
from evaluasi.models import LkeEdition, LkeQuestion

pytestmark = pytest.mark.django_db

EXPECTED_WEIGHTS = {
    "gratifikasi.a": "0.75",
    "gratifikasi.b": "0.75",
    **{f"spip.{x}": "0.375" for x in "abcd"},
    **{f"pengaduan.{x}": "0.375" for x in "abcd"},
    **{f"wbs.{x}": "0.5" for x in "abc"},
    **{f"benturan.{x}": "0.3" for x in "abcde"},
    "reform.pengendalian_berjenjang": "2.5",
    "reform.penanganan_pengaduan": "3.0",
    "reform.lhkpn": "1.0",
    "reform.lhkasn": "1.0",
}


def questions():
    # The seeded edition's (0002). Issue 13's edition copies them and adds the questions the surveys answer in
    # other sections (evaluasi 0006, tested in tests/survei/test_evaluation_lke.py).
    return {
        q.code: q
        for q in LkeQuestion.objects.filter(edition__code="permenpanrb-90-2021", section__in=["pemenuhan", "reform"])
    }


def test_it_seeds_the_edition_with_every_question():
    edition = LkeEdition.objects.get(code="permenpanrb-90-2021")
    # No longer the one in force: evaluasi 0006 made its successor with the survey questions current.
    assert not edition.is_current
    assert set(LkeQuestion.objects.filter(edition=edition).values_list("code", flat=True)) == set(EXPECTED_WEIGHTS)


def test_the_weights_are_the_regulations():
    found = questions()
    for code, weight in EXPECTED_WEIGHTS.items():
        assert found[code].weight == Decimal(weight), code
    pemenuhan = sum(q.weight for q in found.values() if q.section == "pemenuhan")
    reform = sum(q.weight for q in found.values() if q.section == "reform")
    assert pemenuhan == Decimal("7.5")
    assert reform == Decimal("7.5")
    # 1.5 per sub-indicator of pemenuhan.
    for prefix in ("gratifikasi", "spip", "pengaduan", "wbs", "benturan"):
        assert sum(q.weight for c, q in found.items() if c.startswith(prefix + ".")) == Decimal("1.5"), prefix


def test_option_values_map_evenly_from_one_to_zero():
    levels = {2: [1, 0], 3: [1, 0.5, 0], 4: [1, 0.67, 0.33, 0]}
    for question in questions().values():
        if question.code.startswith("reform.") and question.code != "reform.pengendalian_berjenjang":
            assert question.options == [], question.code  # a percentage
            continue
        values = [option["value"] for option in question.options]
        assert values == levels[len(values)], question.code
    found = questions()
    assert [o["label"] for o in found["pengaduan.c"].options] == ["Berkala", "Tidak berkala", "Belum"]
    assert [o["label"] for o in found["pengaduan.b"].options] == ["Ya", "Tidak"]
    assert found["pengaduan.b"].text == "Pengaduan masyarakat ditindaklanjuti"
    assert found["wbs.a"].text == "Whistle Blowing System telah diterapkan"
    assert [o["label"] for o in found["benturan.a"].options] == ["Semua", "Sebagian besar", "Sebagian kecil", "Belum"]


def test_every_rule_named_exists_and_hand_questions_have_none():
    found = questions()
    for question in found.values():
        if question.rule:
            assert question.rule in lke.RULES, question.code
    for code in (
        "spip.a",
        "spip.b",
        "spip.c",
        "spip.d",
        "reform.pengendalian_berjenjang",
        "reform.lhkpn",
        "reform.lhkasn",
    ):
        assert found[code].rule == ""
    assert found["reform.penanganan_pengaduan"].rule == "pengaduan.persentase_penanganan"


def test_the_seed_is_reversible():
    migration = importlib.import_module("evaluasi.migrations.0002_i12_lke_seed")
    migration.unseed(apps, None)
    assert not LkeEdition.objects.filter(code="permenpanrb-90-2021").exists()
    migration.seed(apps, None)
    assert len(questions()) == len(EXPECTED_WEIGHTS)


def test_the_admin_refuses_an_unknown_rule_and_bad_options():
    from evaluasi.admin_lke import LkeQuestionForm

    edition = LkeEdition.objects.get(code="permenpanrb-90-2021")
    data = {
        "order": 99,
        "code": "baru.a",
        "section": "pemenuhan",
        "indicator": "Baru",
        "text": "Pertanyaan baru",
        "options": '[{"label": "Ya", "value": 1}, {"label": "Tidak", "value": 0}]',
        "weight": "0.5",
        "rule": "wbs.diterapkan",
        "evidence": "",
    }
    form = LkeQuestionForm(data, instance=LkeQuestion(edition=edition))
    assert form.is_valid(), form.errors
    form = LkeQuestionForm({**data, "rule": "wbs.salah_ketik"}, instance=LkeQuestion(edition=edition))
    assert not form.is_valid() and "rule" in form.errors
    form = LkeQuestionForm({**data, "options": '[{"label": "Ya", "value": 2}]'}, instance=LkeQuestion(edition=edition))
    assert not form.is_valid() and "options" in form.errors


@pytest.mark.django_db
def test_only_one_edition_is_in_force():
    from django.core.exceptions import ValidationError

    from evaluasi.models import LkeEdition

    assert LkeEdition.objects.filter(is_current=True).count() == 1
    second = LkeEdition(code="edisi-baru", name="Edisi baru", basis="PermenPANRB x/2027", is_current=True)
    with pytest.raises(ValidationError):
        second.full_clean()  # what the admin's form runs: a message, not a server error
    second.is_current = False
    second.full_clean()
