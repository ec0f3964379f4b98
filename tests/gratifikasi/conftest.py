import datetime as dt

import pytest

from cases import services, workdays
from gratifikasi.models import GratifikasiObject, GratifikasiReport

TODAY = workdays.today

# The data an officer enters with each transition that needs it (the forms' fields).
DATA = {
    "declare_not_reportable": {"exemption_letter": "o"},
    "record_recommendation": {"recommendation": "Teruskan ke KPK."},
    "record_custody": {"custody_receipt": "TT-01/UPG/2026", "custody_on": None},
    "forward_to_kpk": {"kpk_forwarded_on": None, "kpk_channel": "gol_institusi", "kpk_reference": "GOL-123"},
    "kpk_returned": {"kpk_returned_on": None},
    "resend_to_kpk": {"kpk_completed_on": None},
    "record_decision": {"kpk_decision": "milik_negara", "kpk_sk_number": "SK-9/KPK/2026", "kpk_sk_date": None},
    "record_handover": {"handover_evidence": "BST-77", "handover_on": None},
    # A step marked note_required is refused without a note for the reporter (cases.services.transition).
    "request_completion": {"note": "Mohon lampirkan foto parsel."},
}
REPORTER_TRANSITIONS = {"submit", "complete"}
# Closing steps also need a reason and a confirmation (cases.policy.needs_confirmation).
CLOSING = {"reason": "Sesuai hasil verifikasi UPG.", "confirmed": True}
for _name in ("declare_not_reportable", "close", "record_handover"):
    DATA[_name] = {**DATA.get(_name, {}), **CLOSING}


def data_for(name: str, **overrides) -> dict:
    data = {key: (value if value is not None else TODAY()) for key, value in DATA.get(name, {}).items()}
    return {**data, **overrides}


@pytest.fixture
def make_report(unit, pegawai, upg):
    def make(path=(), *, report_type="penerimaan", received=None, value=750_000, kind="barang", **fields):
        report = services.create_case(
            kind="gratifikasi",
            actor=pegawai,
            unit=unit,
            reporter=pegawai,
            report_type=report_type,
            date_received=received or TODAY() - dt.timedelta(days=3),
            giver_name=fields.pop("giver_name", "Budi"),
            giver_institution=fields.pop("giver_institution", "PT Rekanan"),
            summary="parsel",
            **fields,
        )
        GratifikasiObject.objects.create(report=report, kind=kind, description="Parsel", value=value)
        for step in path:
            name, overrides = step if isinstance(step, tuple) else (step, {})
            actor = pegawai if name in REPORTER_TRANSITIONS else upg
            report = services.transition(report, name, actor, **data_for(name, **overrides))
        return GratifikasiReport.objects.get(pk=report.pk)

    return make
