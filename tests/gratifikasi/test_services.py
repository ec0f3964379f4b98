"""gratifikasi.services.report_save takes plain data: the report's fields and the changes to its objects, not a
form and formset (the views turn those into this data)."""

import pytest

from cases.models import Confidentiality
from gratifikasi.models import GratifikasiObject, Status
from gratifikasi.services import ReportError, report_save

pytestmark = pytest.mark.django_db


def _object(**overrides) -> dict:
    return {"id": None, "kind": "barang", "description": "Parsel", "value": 500_000, **overrides}


def test_it_edits_removes_and_adds_objects_from_plain_data(make_report, pegawai):
    report = make_report()
    kept = report.objects_received.get()
    gone = GratifikasiObject.objects.create(report=report, kind="makanan", description="Kue", value=100_000)
    saved = report_save(
        reporter=pegawai,
        fields={"giver_name": "Sari"},
        confidential=True,
        objects=[
            {"id": kept.pk, "description": "Parsel buah", "value": 600_000},
            {"id": gone.pk, "delete": True},
            _object(kind="voucher", description="Voucher belanja", value=250_000),
        ],
        report=report,
        submit=False,
    )
    assert saved.giver_name == "Sari" and saved.confidentiality == Confidentiality.RAHASIA
    assert saved.status == Status.DRAFT
    rows = list(saved.objects_received.values_list("description", "value"))
    assert rows == [("Parsel buah", 600_000), ("Voucher belanja", 250_000)]


def test_an_object_of_another_report_is_refused_and_nothing_is_saved(make_report, pegawai):
    report, other = make_report(), make_report(giver_name="Lain")
    foreign = other.objects_received.get()
    with pytest.raises(ReportError):
        report_save(
            reporter=pegawai,
            fields={"giver_name": "Sari"},
            confidential=False,
            objects=[{"id": foreign.pk, "description": "Diambil alih"}],
            report=report,
            submit=False,
        )
    foreign.refresh_from_db()
    report.refresh_from_db()
    assert foreign.description == "Parsel" and report.giver_name == "Budi"
