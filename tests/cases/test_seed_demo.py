"""seed_demo makes the core's units, users and roles and asks every registered kind for its demo cases
(`CaseKind.demo_data`, <app>/demo.py): the core's command imports no case app."""

import ast
import io
from pathlib import Path

import pytest
from django.core.management import call_command

import cases.management.commands.seed_demo as seed_demo
from cases.models import Case
from wbs.demo import DEMO_RECEIPT

CASE_APPS = {"gratifikasi", "wbs", "pengaduan", "benturan"}


@pytest.mark.django_db
def test_it_makes_each_kinds_demo_cases_through_the_registry():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert Case.objects.filter(kind="gratifikasi").count() == 7  # six at every stage and a draft
    assert Case.objects.filter(kind="gratifikasi", assignee__username="upg2").count() == 1
    assert Case.objects.filter(kind="wbs").count() == 1
    assert not Case.objects.filter(kind="uji").exists()  # the test kind has no demo hook
    assert DEMO_RECEIPT[:4] in out.getvalue()  # the WBS hook's note is printed with the credentials


def test_the_command_imports_no_case_app():
    tree = ast.parse(Path(seed_demo.__file__).read_text())
    modules = {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    modules |= {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    assert {module.split(".")[0] for module in modules if module} & CASE_APPS == set()
