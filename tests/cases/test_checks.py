"""Strings in a kind's definition that name code are checked at start-up (cases.checks): a misspelt form
path, clock trigger, date attribute or metadata key fails `manage.py check`, not a click in production."""

import dataclasses

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from cases import audit, checks, policy, registry
from tests.casetype.kind import KIND as UJI
from tests.casetype.models import Widget


def ids(errors) -> list[str]:
    return [error.id for error in errors]


def transition(name: str):
    """The django-fsm Transition object itself (its `custom` dict is the one the checks and views read)."""
    return next(t for t in Widget._meta.get_field("status").get_all_transitions(Widget) if t.name == name)


def clock(**fields) -> registry.ClockRule:
    return dataclasses.replace(UJI.clocks[0], **fields)


def test_it_finds_nothing_wrong_with_the_installed_kinds():
    assert {"gratifikasi", "wbs", "uji"} <= {kind.code for kind in registry.all_kinds()}
    assert checks.check_case_kinds() == []


def test_it_reports_a_misspelt_form_path(monkeypatch):
    monkeypatch.setitem(transition("approve").custom, "form", "tests.casetype.forms.AproveForm")
    errors = checks.transition_errors([UJI])
    assert ids(errors) == ["sigap.E011"]
    assert "'approve'" in errors[0].msg and "tests.casetype.forms.AproveForm" in errors[0].msg


def test_it_reports_a_form_path_that_is_not_a_form(monkeypatch):
    monkeypatch.setitem(transition("approve").custom, "form", "cases.models.Case")
    assert ids(checks.transition_errors([UJI])) == ["sigap.E012"]


def test_a_real_form_path_passes(monkeypatch):
    monkeypatch.setitem(transition("approve").custom, "form", "cases.forms.TransitionDataForm")
    assert checks.transition_errors([UJI]) == []


def test_the_public_reporters_and_the_systems_steps_pass_without_a_form():
    assert transition("reporter_accept").permission is policy.public_reporter
    assert transition("auto_close").permission is policy.system
    assert checks.transition_errors([UJI]) == []


def test_it_reports_a_form_on_a_step_nobody_signed_in_takes(monkeypatch):
    monkeypatch.setitem(transition("reporter_accept").custom, "form", "cases.forms.TransitionDataForm")
    errors = checks.transition_errors([UJI])
    assert ids(errors) == ["sigap.E013"] and "'reporter_accept'" in errors[0].msg


def test_it_reports_a_misspelt_metadata_key(monkeypatch):
    # "from" for "form": the step would run without asking for its form.
    monkeypatch.setitem(transition("reject").custom, "from", "cases.forms.TransitionDataForm")
    errors = checks.transition_errors([UJI])
    assert ids(errors) == ["sigap.E010"]
    assert "'from'" in errors[0].msg and "form" in errors[0].hint


def test_it_reports_a_misspelt_clock_trigger():
    broken = dataclasses.replace(UJI, clocks=(clock(stop_on=("aprove", "reject")),))
    errors = checks.clock_errors([broken])
    assert ids(errors) == ["sigap.E022"]
    assert "'aprove'" in errors[0].msg and "approve" in errors[0].hint


def test_core_triggers_are_accepted_and_a_bare_string_is_not():
    assert checks.clock_errors([dataclasses.replace(UJI, clocks=(clock(start_on=("create",)),))]) == []
    bare = dataclasses.replace(UJI, clocks=(clock(start_on="submit"),))
    assert ids(checks.clock_errors([bare])) == ["sigap.E021"]


def test_it_reports_a_misspelt_date_attribute_and_an_unknown_cap():
    # deadlines would read the missing attribute as None and count from today, without any error.
    broken = dataclasses.replace(UJI, clocks=(clock(start_from="event_dat", not_after="kpk_legal"),))
    errors = checks.clock_errors([broken])
    assert ids(errors) == ["sigap.E023", "sigap.E024"]
    assert "'event_dat'" in errors[0].msg


def test_it_reports_a_broken_registry_entry():
    twin = dataclasses.replace(UJI, code="uji2")  # same prefix
    not_a_case = dataclasses.replace(UJI, code="unit", prefix="UNT", model_label="cases.Unit")
    missing = dataclasses.replace(UJI, code="hilang", prefix="HLG", model_label="casetype.Gadget")
    wrong_role = dataclasses.replace(UJI, code="peran", prefix="PRN", handler_group="petugas_upgg")
    bad_search = dataclasses.replace(UJI, code="cari", prefix="CRI", search_fields=("titel",))
    errors = checks.registry_errors([UJI, twin, not_a_case, missing, wrong_role, bad_search])
    assert sorted(ids(errors)) == ["sigap.E002", "sigap.E002", "sigap.E003", "sigap.E004", "sigap.E005", "sigap.E006"]
    assert "petugas_upgg" in next(e.msg for e in errors if e.id == "sigap.E005")
    assert policy.PETUGAS_UPG in next(e.hint for e in errors if e.id == "sigap.E005")


def test_it_reports_a_misspelt_audit_action(tmp_path):
    source = tmp_path / "services.py"
    source.write_text(
        "from cases import audit\n"
        "def note(case, actor):\n"
        "    audit.record(case, 'coment', actor)\n"
        "def decide(case, actor, approve):\n"
        "    audit.record(case, 'disclosure_approved' if approve else 'disclosure_denyed', actor)\n"
        "def decide_later(case, actor, approve):\n"
        "    action = 'disclosure_approved'\n"
        "    if not approve:\n"
        "        action = 'disclosure_rejected'\n"
        "    audit.record(case, action=action, actor=actor)\n"
    )
    errors = checks.audit_action_errors([UJI], sources=[source])
    assert ids(errors) == ["sigap.E030"] * 3
    assert [error.msg.split(" which")[0] for error in errors] == [
        "services.py:3 records audit action 'coment',",
        "services.py:5 records audit action 'disclosure_denyed',",
        "services.py:10 records audit action 'disclosure_rejected',",
    ]


def test_the_actions_the_apps_record_are_read_from_their_source(monkeypatch):
    # wbs/services.py records "purged"; unregistering it makes the real sources fail the check.
    assert checks.audit_action_errors(registry.all_kinds()) == []
    monkeypatch.delitem(audit.ACTIONS, "purged")
    errors = checks.audit_action_errors(registry.all_kinds())
    assert [(error.id, error.obj.endswith("wbs/services.py")) for error in errors] == [("sigap.E030", True)]


def test_manage_py_check_fails_with_the_reason(monkeypatch):
    broken = dataclasses.replace(UJI, code="rusak", prefix="RSK", clocks=(clock(stop_on=("aprove",)),))
    monkeypatch.setitem(registry._kinds, "rusak", broken)
    with pytest.raises(SystemCheckError) as failure:
        call_command("check")
    assert "sigap.E022" in str(failure.value) and "'aprove'" in str(failure.value)


def test_every_detail_model_names_its_parent_link_case(monkeypatch):
    wbs = registry.get("wbs")
    assert checks.registry_errors([wbs]) == []  # the one documented exception
    monkeypatch.setattr(checks, "PARENT_LINK_EXCEPTIONS", {})
    errors = checks.registry_errors([wbs])
    assert ids(errors) == ["sigap.E007"] and "'case_ptr'" in errors[0].msg
    assert checks.registry_errors([registry.get("gratifikasi"), UJI]) == []


def _with_statistics(**fields) -> registry.CaseKind:
    return dataclasses.replace(UJI, statistics=registry.KindStatistics(**fields))


def test_the_statistics_of_a_kind_name_real_fields():
    good = _with_statistics(received_on="submitted_at")
    assert checks.statistics_errors([good]) == []
    assert ids(checks.statistics_errors([_with_statistics(received_on="submited_at")])) == ["sigap.E040"]
    # A field that is not a date cannot put a case in a period.
    assert ids(checks.statistics_errors([_with_statistics(received_on="reference")])) == ["sigap.E040"]


def test_a_breakdown_must_be_a_field_with_choices():
    no_choices = _with_statistics(breakdowns=(registry.Breakdown("ref", "Nomor", "reference"),))
    misspelt = _with_statistics(breakdowns=(registry.Breakdown("st", "Status", "statuss"),))
    assert ids(checks.statistics_errors([no_choices])) == ["sigap.E041"]
    assert ids(checks.statistics_errors([misspelt])) == ["sigap.E041"]


def test_figures_and_filters_must_be_callable():
    assert ids(checks.statistics_errors([_with_statistics(filters={"x": "not a function"})])) == ["sigap.E042"]
