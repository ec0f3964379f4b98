"""Gratifikasi clocks read in the reader's language (issue 8): their names and legal bases are stored in
Indonesian and shown in English on English pages."""

import pytest
from django.utils import translation

from cases import registry
from cases.models import DeadlineClock

pytestmark = pytest.mark.django_db


def test_every_basis_has_an_english_text():
    with translation.override("en"):
        untranslated = [rule.code for rule in registry.get("gratifikasi").clocks if " HK " in f" {rule.basis} "]
    assert untranslated == []


def test_the_legal_deadline_reads_in_english_and_is_stored_in_indonesian(make_report):
    report = make_report(["submit"])
    clock = DeadlineClock.objects.get(case_id=report.pk, code="kpk_legal")
    assert clock.basis.startswith("UU 20/2001 Pasal 12C")
    with translation.override("en"):
        assert clock.display_basis == "Law 20/2001 Article 12C(2): 30 working days from receipt"
