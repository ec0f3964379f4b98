"""Personas of benturan kepentingan: an employee (pegawai) whose supervisor (atasan) reports to a head (kepala),
the inspectorate, and a declaration walked to any state by the real services."""

import datetime as dt

import pytest
from django.core.cache import cache

from benturan import services
from benturan.models import Declaration, Status
from cases import policy
from cases import services as case_services

DECLARATION = {
    "subject": "Evaluasi penawaran paket pengadaan laptop 2027",
    "activity_kind": "pengadaan",
    "activity_date": dt.date(2026, 11, 20),
    "source": "keluarga",
    "interest": "Adik ipar saya direktur salah satu peserta lelang.",
    "people_involved": "PT Sinar Laptop (direktur: ipar)",
}

DECISION = {
    "outcome": "recusal",
    "facts": "Benar: ipar pegawai direktur peserta lelang.",
    "impact": "Penilaian penawaran dapat tidak objektif.",
    "reasoning": "Pegawai tidak ikut menilai penawaran.",
    "controls": "Pegawai keluar dari pokja; penilaian oleh anggota lain.",
    "decided_on": None,
}


@pytest.fixture(autouse=True)
def fresh_cache():
    """The forms' one-time tokens live in the cache (benturan.views._claim); each test starts without any."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def kepala(make_user):
    return make_user("kepala", policy.ATASAN, policy.PEGAWAI)


@pytest.fixture
def atasan(make_user, kepala):
    """Overrides the core persona: here the supervisor has a supervisor too (the next level up)."""
    return make_user("atasan", policy.ATASAN, policy.PEGAWAI, supervisor=kepala)


@pytest.fixture
def rekan(make_user, atasan):
    """A colleague of pegawai under the same supervisor."""
    return make_user("rekan", policy.PEGAWAI, supervisor=atasan)


@pytest.fixture
def make_declaration(pegawai, atasan):
    """A declaration by `reporter` (pegawai), walked to `status` through the real services."""

    def make(status: str = Status.DRAFT, reporter=None, **fields) -> Declaration:
        reporter = reporter or pegawai
        declaration = services.declaration_save(actor=reporter, fields={**DECLARATION, **fields})
        if status == Status.DRAFT:
            return declaration
        declaration = services.declaration_submit(declaration, "submit", reporter)
        decider = Declaration.objects.get(pk=declaration.pk).assignee
        steps = {
            Status.SUBMITTED: [],
            Status.ANALYSING: ["start_analysis"],
            Status.DECIDED: ["start_analysis", "decide"],
            Status.CONTROLS_IN_PLACE: ["start_analysis", "decide", "record_controls"],
            Status.MONITORING: ["start_analysis", "decide", "record_controls", "start_monitoring"],
            Status.CLOSED: ["start_analysis", "decide", "record_controls", "start_monitoring", "close"],
        }[status]
        from cases import workdays

        today = workdays.today()
        data = {
            "decide": {**DECISION, "decided_on": today},
            "record_controls": {"controls_done_on": today, "controls_evidence": "Surat tugas pengganti no. 12."},
            "start_monitoring": {"monitoring_until": today + dt.timedelta(days=90), "monitoring_plan": "Tiap bulan."},
            "close": {"reason": "Pemantauan selesai.", "confirmed": True},
        }
        for name in steps:
            if name == "decide":
                declaration = services.declaration_decide(declaration, name, decider, **data[name])
            else:
                declaration = case_services.transition(declaration, name, decider, **data.get(name, {}))
        return Declaration.objects.get(pk=declaration.pk)

    return make
