"""The demo's benturan kepentingan data, made by `manage.py seed_demo` with the core's units and users."""

import pytest
from django.core.management import call_command

from benturan.models import (
    Declaration,
    InterestStatement,
    MainFunction,
    MapStatus,
    RiskMap,
    StatementCampaign,
    Status,
)
from cases import policy, workdays
from cases.models import Unit
from evaluasi.models import Evaluation

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_the_benturan_data(capsys):
    call_command("seed_demo")
    output = capsys.readouterr().out
    assert "Benturan kepentingan" in output
    units = {unit.code: unit for unit in Unit.objects.select_related("head")}
    assert units["SEKR"].head.username == "atasan"
    assert units["KANTOR"].head.username == "kepala" and units["INSP"].head.username == "inspektur"
    year = workdays.today().year
    assert MainFunction.objects.filter(unit=units["SEKR"]).count() == 4
    risk_map = RiskMap.objects.get(unit=units["SEKR"], year=year)
    assert risk_map.status == MapStatus.APPROVED and risk_map.approved_by.username == "atasan"
    assert risk_map.entries.count() == 6
    assert risk_map.entries.filter(position="Analis Pengadaan Barang/Jasa").exists()
    campaign = StatementCampaign.objects.get(year=year)
    assert campaign.unit == units["KANTOR"] and campaign.is_open_on(workdays.today())
    assert InterestStatement.objects.filter(campaign=campaign).count() == 2
    assert InterestStatement.objects.get(campaign=campaign, has_interests=True).interests.count() == 1

    declaration = Declaration.objects.get()
    assert declaration.status == Status.ANALYSING
    assert declaration.reporter.username == "pegawai" and declaration.assignee.username == "atasan"
    assert policy.can_handle(declaration.assignee, declaration)
    clock = declaration.clocks.get(code="decision")
    assert clock.met_on is None and clock.due_date > clock.start_date

    # Its evaluation is in evaluasi's register, made by evaluasi's demo (module "benturan").
    evaluation = Evaluation.objects.get(module="benturan")
    assert evaluation.unit == units["KANTOR"] and evaluation.recommendations.count() == 2
