"""The inspectorate's dashboard over a generated data set whose answers the test works out itself.

The cases are made directly through the models with the statuses, dates and clocks set (not walked through the
services): what is under test is the counting, and every expected number below is computed from the specs in
plain Python, never through evaluasi.statistics. Received times straddle the quarter's first and last midnight
in Asia/Jakarta, so a case at 23:59 on 30 September counts in Q3 and one at 00:00 on 1 October does not.
"""

import datetime as dt
import html
import itertools
import re
import statistics as pystats
import xml.etree.ElementTree as ET
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from benturan.models import Declaration, InterestStatement, StatementCampaign
from cases import policy, registry
from cases.models import CaseLink, DeadlineClock, Unit
from evaluasi import statistics
from evaluasi.periods import Period
from gratifikasi.models import GratifikasiObject, GratifikasiReport
from pengaduan.models import Complaint
from wbs.models import WbsReport

pytestmark = pytest.mark.django_db

JAKARTA = ZoneInfo("Asia/Jakarta")
TODAY = dt.date(2026, 11, 25)
Q3 = Period.quarter(2026, 3)
_numbers = itertools.count(1)


def at(*args) -> dt.datetime:
    """A moment on the office's clock (Asia/Jakarta)."""
    return dt.datetime(*args, tzinfo=JAKARTA)


@pytest.fixture(autouse=True)
def frozen_today():
    with time_machine.travel(dt.datetime(2026, 11, 25, 10, tzinfo=JAKARTA), tick=False):
        yield


@pytest.fixture
def units(unit, other_unit):
    """ROOT with SEKR and HUMAS below it, and LAIN beside ROOT (outside its scope)."""
    return {
        "root": unit.parent,
        "sekr": unit,
        "humas": other_unit,
        "lain": Unit.objects.create(code="LAIN", name="Lain"),
    }


def make_case(
    model, kind: str, *, unit, status: str, received: dt.datetime | None, closed_days=None, due=None, **fields
):
    """A case of `kind` as the services would have left it, made in one step."""
    moment = {"received_at": received} if model is Complaint else {}
    case = model.objects.create(
        kind=kind,
        reference=f"{registry.get(kind).prefix}-T{next(_numbers):05d}",
        unit=unit,
        status=status,
        submitted_at=received,
        closed_at=received + dt.timedelta(days=closed_days) if closed_days is not None else None,
        due_date=due,
        **moment,
        **fields,
    )
    return case


def clock(case, code: str, *, due: dt.date, met: dt.date | None = None):
    DeadlineClock.objects.create(
        case=case,
        code=code,
        label=code,
        basis="-",
        start_date=due - dt.timedelta(days=14),
        working_days=10,
        due_date=due,
        met_on=met,
    )


def in_q3(spec) -> bool:
    return (
        spec["unit"] in ("root", "sekr", "humas")
        and dt.date(2026, 7, 1) <= spec["at"].astimezone(JAKARTA).date() <= dt.date(2026, 9, 30)
        and spec["status"] != "draft"
    )


# ---------------------------------------------------------------------------------------------------------
# The data set

GRATIFIKASI = [
    # The quarter's first minute, Jakarta time (17:00 UTC the day before).
    {
        "at": at(2026, 7, 1, 0, 0),
        "unit": "sekr",
        "status": "closed",
        "closed_days": 10,
        "type": "penerimaan",
        "objects": [("uang", 1_000_000, False)],
        "upg": "on_time",
        "kpk": "on_time",
    },
    # Its last minute.
    {
        "at": at(2026, 9, 30, 23, 59),
        "unit": "humas",
        "status": "analysing",
        "due": dt.date(2026, 10, 15),
        "type": "penerimaan",
        "objects": [("barang", 500_000, False), ("barang", 0, True)],
        "upg": "late",
        "kpk": "overdue",
    },
    {
        "at": at(2026, 8, 15, 12),
        "unit": "sekr",
        "status": "recorded",
        "due": dt.date(2026, 12, 31),
        "type": "penolakan",
        "objects": [("makanan", 200_000, False)],
        "upg": "on_time",
        "kpk": "running",
    },
    {
        "at": at(2026, 8, 20, 9),
        "unit": "root",
        "status": "closed",
        "closed_days": 30,
        "type": "penerimaan",
        "decision": "milik_negara",
        "objects": [("uang", 2_000_000, False), ("voucher", 300_000, False)],
        "upg": "on_time",
        "kpk": "late",
    },
    # Not received: a draft. Outside: the minute before the quarter, the minute after, another unit.
    {"at": at(2026, 8, 1, 9), "unit": "sekr", "status": "draft", "type": "penerimaan", "objects": []},
    {
        "at": at(2026, 6, 30, 23, 59),
        "unit": "sekr",
        "status": "submitted",
        "type": "penerimaan",
        "objects": [("uang", 9_000_000, False)],
        "upg": "on_time",
    },
    {
        "at": at(2026, 10, 1, 0, 0),
        "unit": "sekr",
        "status": "submitted",
        "type": "penolakan",
        "objects": [("uang", 9_000_000, False)],
        "upg": "late",
    },
    {
        "at": at(2026, 8, 1, 9),
        "unit": "lain",
        "status": "submitted",
        "type": "penerimaan",
        "objects": [("tiket", 9_000_000, False)],
        "upg": "late",
    },
]

PENGADUAN = [
    {"at": at(2026, 7, 1, 0, 0), "unit": "sekr", "status": "closed", "satisfaction": 5, "disputes": 0},
    {"at": at(2026, 7, 20, 8), "unit": "humas", "status": "closed", "satisfaction": 3, "disputes": 1},
    {"at": at(2026, 8, 2, 8), "unit": "sekr", "status": "answered", "satisfaction": None, "disputes": 2},
    {
        "at": at(2026, 9, 30, 23, 59),
        "unit": "root",
        "status": "converted_to_wbs",
        "satisfaction": None,
        "disputes": 0,
        "converted": True,
    },
    {"at": at(2026, 9, 1, 8), "unit": "sekr", "status": "in_progress", "satisfaction": None, "disputes": 0},
    {"at": at(2026, 10, 1, 0, 0), "unit": "sekr", "status": "closed", "satisfaction": 1, "disputes": 3},
]

# Five korupsi, one suap/pungli (hidden: under 3), four pengadaan (hidden too: the one that would give the
# suap/pungli cell away by subtraction from the total).
WBS = (
    [{"at": at(2026, 7, 10 + i, 9), "unit": "sekr", "status": "received", "category": "korupsi"} for i in range(5)]
    + [{"at": at(2026, 8, 3, 9), "unit": "humas", "status": "received", "category": "suap_pungli"}]
    + [{"at": at(2026, 9, 1 + i, 9), "unit": "sekr", "status": "received", "category": "pengadaan"} for i in range(4)]
)

BENTURAN = [
    {"at": at(2026, 7, 6, 9), "unit": "sekr", "status": "decided", "outcome": "recusal", "decision": "on_time"},
    {
        "at": at(2026, 8, 6, 9),
        "unit": "sekr",
        "status": "closed",
        "outcome": "no_conflict",
        "decision": "late",
        "closed_days": 12,
    },
    {
        "at": at(2026, 9, 6, 9),
        "unit": "humas",
        "status": "analysing",
        "outcome": "",
        "decision": "overdue",
        "due": dt.date(2026, 9, 20),
    },
]


def _clock_state(case, code, state):
    due = dt.date(2026, 10, 1)
    if state == "on_time":
        clock(case, code, due=due, met=due - dt.timedelta(days=2))
    elif state == "late":
        clock(case, code, due=due, met=due + dt.timedelta(days=3))
    elif state == "overdue":
        clock(case, code, due=due)
    elif state == "running":
        clock(case, code, due=dt.date(2026, 12, 31))


@pytest.fixture
def data(units, pegawai, inspektur):
    made = {"gratifikasi": [], "pengaduan": [], "wbs": [], "benturan": []}
    for spec in GRATIFIKASI:
        case = make_case(
            GratifikasiReport,
            "gratifikasi",
            unit=units[spec["unit"]],
            status=spec["status"],
            received=spec["at"] if spec["status"] != "draft" else None,
            closed_days=spec.get("closed_days"),
            due=spec.get("due"),
            reporter=pegawai,
            report_type=spec["type"],
            date_received=dt.date(2026, 6, 20),
            kpk_decision=spec.get("decision", ""),
        )
        if spec["status"] == "draft":  # a draft's time of submission would be its first: give it one anyway
            GratifikasiReport.objects.filter(pk=case.pk).update(submitted_at=spec["at"])
        for kind, value, unknown in spec["objects"]:
            GratifikasiObject.objects.create(
                report=case, kind=kind, description="x", value=value, value_unknown=unknown
            )
        for code in ("upg", "kpk"):
            if code in spec:
                _clock_state(case, {"upg": "report_to_upg", "kpk": "kpk_legal"}[code], spec[code])
        made["gratifikasi"].append(case)
    target = make_case(
        WbsReport,
        "wbs",
        unit=units["lain"],
        status="received",
        received=at(2026, 10, 2, 9),
        category="korupsi",
        description="-",
        knowledge="melihat",
    )
    for spec in PENGADUAN:
        case = make_case(
            Complaint,
            "pengaduan",
            unit=units[spec["unit"]],
            status=spec["status"],
            received=spec["at"],
            category="02",
            description="-",
            identity_mode="anonymous",
            satisfaction=spec["satisfaction"],
            dispute_count=spec["disputes"],
        )
        if spec.get("converted"):
            CaseLink.objects.create(from_case=case, to_case=target, relation=CaseLink.Relation.CONVERTED_TO)
        made["pengaduan"].append(case)
    for spec in WBS:
        made["wbs"].append(
            make_case(
                WbsReport,
                "wbs",
                unit=units[spec["unit"]],
                status=spec["status"],
                received=spec["at"],
                category=spec["category"],
                description="-",
                knowledge="melihat",
            )
        )
    for spec in BENTURAN:
        case = make_case(
            Declaration,
            "benturan",
            unit=units[spec["unit"]],
            status=spec["status"],
            received=spec["at"],
            closed_days=spec.get("closed_days"),
            due=spec.get("due"),
            reporter=pegawai,
            subject="-",
            activity_kind="pengadaan",
            source="keluarga",
            interest="-",
            outcome=spec["outcome"],
        )
        _clock_state(case, "decision", spec["decision"])
        made["benturan"].append(case)
    campaign = StatementCampaign.objects.create(
        year=2026,
        title="Pernyataan 2026",
        unit=units["root"],
        opens_on=dt.date(2026, 7, 1),
        closes_on=dt.date(2026, 12, 31),
        created_by=inspektur,
    )
    InterestStatement.objects.create(
        campaign=campaign,
        employee=pegawai,
        unit=units["sekr"],
        has_interests=True,
        filed_at=at(2026, 7, 2, 9),
        confirmed_at=at(2026, 7, 2, 9),
    )
    return made


def panel_of(kind: str, unit_code: str | None = "ROOT", period: Period = Q3) -> statistics.KindPanel:
    unit = Unit.objects.get(code=unit_code) if unit_code else None
    return statistics.kind_panel(registry.get(kind), statistics.Scope.of(period, unit), today=TODAY)


def figures_of(panel) -> dict:
    found = {"received": panel.received}
    for group in panel.groups:
        found.update({figure.code: figure for figure in group.figures})
    return found


# ---------------------------------------------------------------------------------------------------------
# The figures


def test_gratifikasi_figures_are_the_known_answers(data):
    specs = [spec for spec in GRATIFIKASI if in_q3(spec)]
    final = {"closed", "not_reportable"}
    figures = figures_of(panel_of("gratifikasi"))

    assert figures["received"].value == len(specs) == 4
    assert figures["closed"].value == sum(spec["status"] in final for spec in specs)
    assert figures["closed"].denominator == len(specs)
    assert figures["overdue"].value == sum(
        spec["status"] not in final and spec.get("due", TODAY) < TODAY for spec in specs
    )
    assert figures["median_days"].value == pystats.median(
        spec["closed_days"] for spec in specs if "closed_days" in spec
    )
    assert figures["report_type.penerimaan"].value == sum(spec["type"] == "penerimaan" for spec in specs)
    assert figures["report_type.penolakan"].value == sum(spec["type"] == "penolakan" for spec in specs)
    assert figures["kpk_decision.milik_negara"].value == 1
    assert figures["status.analysing"].value == 1

    upg = [spec["upg"] for spec in specs]
    assert (figures["clock.report_to_upg"].value, figures["clock.report_to_upg"].denominator) == (
        upg.count("on_time"),
        sum(state in ("on_time", "late", "overdue") for state in upg),
    )
    kpk = [spec["kpk"] for spec in specs]
    assert (
        (figures["clock.kpk_legal"].value, figures["clock.kpk_legal"].denominator)
        == (
            kpk.count("on_time"),
            sum(state in ("on_time", "late", "overdue") for state in kpk),
        )
        == (1, 3)
    )
    # The labels say the length the share is measured against.
    assert "10 HK" in figures["clock.report_to_upg"].label and "30 HK" in figures["clock.kpk_legal"].label

    objects = [obj for spec in specs for obj in spec["objects"]]
    for kind in ("uang", "barang", "makanan", "voucher", "tiket"):
        assert figures[f"object.{kind}"].value == sum(any(o[0] == kind for o in spec["objects"]) for spec in specs)
        assert figures[f"object.{kind}"].note.startswith(str(sum(o[0] == kind for o in objects)))
    assert figures["value.total"].value == sum(value for _kind, value, unknown in objects if not unknown) == 4_000_000
    assert figures["value.unknown"].value == sum(any(o[2] for o in spec["objects"]) for spec in specs) == 1


def test_pengaduan_figures_are_the_known_answers(data):
    specs = [spec for spec in PENGADUAN if in_q3(spec)]
    figures = figures_of(panel_of("pengaduan"))
    rated = [spec["satisfaction"] for spec in specs if spec["satisfaction"] is not None]

    assert figures["received"].value == len(specs) == 5
    assert figures["satisfaction.average"].value == pytest.approx(sum(rated) / len(rated))
    assert (figures["satisfaction.rated"].value, figures["satisfaction.rated"].denominator) == (len(rated), len(specs))
    for score in range(1, 6):
        assert figures[f"satisfaction.{score}"].value == rated.count(score)
    assert figures["disputed"].value == sum(spec["disputes"] > 0 for spec in specs) == 2
    assert figures["converted"].value == sum(bool(spec.get("converted")) for spec in specs) == 1


def test_benturan_figures_are_the_known_answers(data):
    specs = [spec for spec in BENTURAN if in_q3(spec)]
    figures = figures_of(panel_of("benturan"))

    assert figures["received"].value == len(specs)
    assert figures["outcome.recusal"].value == 1 and figures["outcome.no_conflict"].value == 1
    decision = figures["clock.decision"]
    assert (decision.value, decision.denominator) == (1, 3)
    population = get_user_model().objects.filter(is_active=True, profile__unit__code__in=["ROOT", "SEKR", "HUMAS"])
    assert (figures["statements.filed"].value, figures["statements.filed"].denominator) == (1, population.count())
    assert (figures["statements.declared"].value, figures["statements.declared"].denominator) == (1, 1)
    assert figures["risk_map.functions"].denominator == 0


def test_wbs_details_only_per_year_for_the_whole_office(data):
    quarter = panel_of("wbs")
    assert quarter.received.value == len(WBS) and quarter.groups == [] and quarter.note
    # A sub-unit is below the office: its total is hidden when small (HUMAS has one report), and no details.
    humas = panel_of("wbs", "HUMAS", Period.year(2026))
    assert humas.received.suppressed and humas.received.link is None and humas.groups == []
    sekr = panel_of("wbs", "SEKR", Period.year(2026))
    assert sekr.received.value == 9 and not sekr.received.suppressed and sekr.groups == []


def test_wbs_hides_small_cells_and_the_one_that_would_give_them_away(data):
    # All the WBS reports of the data set are in Q3 2026: the year of the whole office shows its details.
    panel = panel_of("wbs", "ROOT", Period.year(2026))
    figures = figures_of(panel)
    assert figures["received"].value == len(WBS)  # the unit's total is shown
    assert figures["category.korupsi"].value == 5 and not figures["category.korupsi"].suppressed
    hidden = figures["category.suap_pungli"]
    assert hidden.suppressed and hidden.link is None
    # 5 + ? + 4 + 0 + ... = 10 would give the single report away: the smallest other cell (a zero) goes too,
    # so the two hidden cells could be (1, 0) or (0, 1).
    categories = [figure for code, figure in figures.items() if code.startswith("category.")]
    hidden_cells = [figure for figure in categories if figure.suppressed]
    assert len(hidden_cells) == 2 and all(figure.link is None for figure in hidden_cells)
    assert sorted(figure.value for figure in hidden_cells) == [0, 1]
    assert figures["category.pengadaan"].value == 4 and not figures["category.pengadaan"].suppressed
    # Nothing of WBS's own (no knowledge, no identity): only what every case has, and its two breakdowns; no
    # median (one closed report's handling time) and no "closed" beside the statuses.
    assert [group.code for group in panel.groups] == ["handling", "status", "category", "outcome", "clocks"]
    assert [figure.code for figure in panel.groups[0].figures] == ["overdue"]


def test_wbs_page_shows_less_than_three_and_refuses_the_hidden_list(client, data, inspektur):
    client.force_login(inspektur)
    body = client.get("/evaluasi/", {"periode": "2026", "unit": "ROOT"}).content.decode()
    cell = re.search(r'data-figure="wbs.category.suap_pungli">([^<]*)<', body)
    assert cell and html.unescape(cell.group(1)) == "*"
    assert "breakdown=category&amp;value=suap_pungli" not in body
    forged = client.get(
        "/evaluasi/kasus/",
        {"kind": "wbs", "periode": "2026", "unit": "ROOT", "breakdown": "category", "value": "suap_pungli"},
    )
    assert forged.status_code == 400
    assert "kurang dari 3" in forged.content.decode()


def test_the_quarter_boundary_is_midnight_in_jakarta(data):
    q4 = statistics.Scope.of(Period.quarter(2026, 4), Unit.objects.get(code="ROOT"))
    received = statistics.cases_behind(registry.get("gratifikasi"), q4, {"all": 1}, today=TODAY)
    assert [case.submitted_at for case in received] == [at(2026, 10, 1, 0, 0)]


def test_every_linked_figure_opens_exactly_its_cases(client, data, inspektur):
    client.force_login(inspektur)
    body = client.get("/evaluasi/", {"periode": "2026-Q3", "unit": "ROOT"}).content.decode()
    links = re.findall(r'<a href="(/evaluasi/kasus/\?[^"]+)">([^<]+)</a>', body)
    assert len(links) > 40
    for href, shown in links:
        response = client.get(html.unescape(href))
        assert response.status_code == 200, href
        page = response.content.decode()
        total = int(re.search(r'data-total="(\d+)"', page).group(1))
        assert total == int(shown.replace(".", "")), href
        assert "Anda hanya dapat membuka" not in page
        table = page.split('<table class="cases">')[1].split("</table>")[0] if total else ""
        assert table.count('href="/kasus/') == min(total, 50), href


def test_the_list_shows_no_content_and_no_reporter(client, data, inspektur, pegawai):
    pegawai.first_name, pegawai.last_name = "Sutini", "Wardhani"
    pegawai.save()
    client.force_login(inspektur)
    page = client.get("/evaluasi/kasus/", {"kind": "gratifikasi", "periode": "2026-Q3", "all": 1}).content.decode()
    assert data["gratifikasi"][0].reference in page
    assert "Sutini" not in page and "pegawai" not in page
    page = client.get(
        "/evaluasi/kasus/", {"kind": "gratifikasi", "periode": "2026-Q3", "unit": "ROOT", "filter": "object_uang"}
    ).content.decode()
    assert "Laporan menurut jenis objek: Uang" in page
    assert page.count('href="/kasus/GRT-') == 2


def test_a_zero_links_nowhere(client, data, inspektur):
    client.force_login(inspektur)
    body = client.get("/evaluasi/", {"periode": "2026-Q3", "unit": "ROOT"}).content.decode()
    assert re.search(r'data-figure="gratifikasi.object.tiket">0<', body)
    assert re.search(r'data-figure="gratifikasi.object.uang"><a href="[^"]+filter=object_uang">2<', body)


# ---------------------------------------------------------------------------------------------------------
# Who reads what


@pytest.fixture
def head_of_humas(make_user, units):
    head = make_user("kepala_humas", policy.ATASAN, policy.PEGAWAI)
    units["humas"].head = head
    units["humas"].save()
    return head


def test_a_unit_head_reads_their_unit_only(client, data, head_of_humas):
    client.force_login(head_of_humas)
    response = client.get("/evaluasi/", {"periode": "2026-Q3"})
    assert response.status_code == 200
    body = response.content.decode()
    shown = re.search(r'data-figure="gratifikasi.received">(?:<a [^>]*>)?(\d+)<', body).group(1)
    assert int(shown) == sum(in_q3(spec) and spec["unit"] == "humas" for spec in GRATIFIKASI)
    assert '<option value="SEKR"' not in body and '<option value=""' not in body
    for unit in ("ROOT", "SEKR", "LAIN"):
        assert client.get("/evaluasi/", {"periode": "2026-Q3", "unit": unit}).status_code == 403
        assert (
            client.get(
                "/evaluasi/kasus/", {"kind": "gratifikasi", "periode": "2026-Q3", "unit": unit, "all": 1}
            ).status_code
            == 403
        )
        assert (
            client.get("/evaluasi/grafik/gratifikasi/trend.svg", {"periode": "2026-Q3", "unit": unit}).status_code
            == 403
        )


def test_a_unit_head_is_told_how_many_cases_they_cannot_open(client, data, head_of_humas):
    client.force_login(head_of_humas)
    page = client.get("/evaluasi/kasus/", {"kind": "gratifikasi", "periode": "2026-Q3", "unit": "HUMAS", "all": 1})
    assert page.status_code == 200
    assert "Anda hanya dapat membuka 0 dari 1 kasus" in page.content.decode()


@pytest.mark.parametrize(
    "address",
    [
        "/evaluasi/",
        "/evaluasi/kasus/?kind=gratifikasi&periode=2026-Q3&all=1",
        "/evaluasi/grafik/gratifikasi/trend.svg?periode=2026-Q3",
        "/evaluasi/grafik/tindak-lanjut/status.svg?periode=2026-Q3",
    ],
)
def test_an_employee_is_refused(client, pegawai, address):
    client.force_login(pegawai)
    assert client.get(address).status_code == 403


@pytest.mark.parametrize(
    "query",
    [
        {"kind": "gratifikasi", "periode": "2026-Q3", "filter": "nope"},
        {"kind": "gratifikasi", "periode": "2026-Q3", "status": "bogus"},
        {"kind": "gratifikasi", "periode": "2026-Q3", "all": 1, "extra": "1"},
        {"kind": "gratifikasi", "periode": "2026-Q3", "status": "closed", "filter": "value_unknown"},
        {"kind": "gratifikasi", "periode": "2026-Q3", "clock": "kpk_legal", "state": "everything"},
        {"kind": "nope", "periode": "2026-Q3", "all": 1},
        {"kind": "gratifikasi", "periode": "2026-Q5", "all": 1},
        {"kind": "gratifikasi", "periode": "2026-Q3", "unit": "TIDAKADA", "all": 1},
        {"kind": "gratifikasi", "periode": "2026-Q3"},
    ],
)
def test_a_forged_list_address_gets_a_400_in_indonesian(client, inspektur, units, query):
    client.force_login(inspektur)
    response = client.get("/evaluasi/kasus/", query)
    assert response.status_code == 400
    assert "tidak" in response.content.decode()


# ---------------------------------------------------------------------------------------------------------
# The page and its charts


def test_the_dashboard_works_without_any_case(client, inspektur, units):
    client.force_login(inspektur)
    response = client.get("/evaluasi/", {"periode": "2026-Q3"})
    assert response.status_code == 200
    body = response.content.decode()
    for kind in ("gratifikasi", "wbs", "pengaduan", "benturan"):
        assert f'id="kind-{kind}"' in body
    assert 'id="follow-up"' in body and 'data-figure="follow_up.percent">0<' in body
    for src in re.findall(r'<img class="chart" src="([^"]+)"', body)[:4]:
        assert client.get(html.unescape(src)).status_code == 200


def test_every_chart_is_svg_without_script(client, data, inspektur):
    client.force_login(inspektur)
    body = client.get("/evaluasi/", {"periode": "2026-Q3", "unit": "ROOT"}).content.decode()
    sources = re.findall(r'<img class="chart" src="([^"]+)" alt="([^"]+)"', body)
    assert len(sources) >= 12
    for src, alt in sources:
        response = client.get(html.unescape(src))
        assert response.status_code == 200, src
        assert response["Content-Type"].startswith("image/svg+xml")
        text = response.content.decode()
        assert "<script" not in text.lower()
        assert ET.fromstring(text).tag.endswith("svg")
        assert alt


def test_a_custom_range_and_a_period_kind_are_read(client, data, inspektur):
    client.force_login(inspektur)
    body = client.get(
        "/evaluasi/", {"jenis": "custom", "mulai": "2026-07-01", "sampai": "2026-09-30", "unit": "ROOT"}
    ).content.decode()
    assert 'data-figure="gratifikasi.received"><a' in body
    assert "01-07-2026 – 30-09-2026" in body
    # "Triwulan" with a month of it: the quarter holding that month.
    body = client.get("/evaluasi/", {"jenis": "quarter", "periode": "2026-08", "unit": "ROOT"}).content.decode()
    assert "Triwulan III 2026" in body
    # A range the wrong way round: said, and what was typed stays in the form.
    body = client.get("/evaluasi/", {"jenis": "custom", "mulai": "2026-09-30", "sampai": "2026-07-01"}).content.decode()
    assert "tidak boleh sebelum" in body and 'value="2026-09-30"' in body


# ---------------------------------------------------------------------------------------------------------
# Queries: as many for 30 cases as for one


def _many(units, pegawai, count):
    target = make_case(
        WbsReport,
        "wbs",
        unit=units["lain"],
        status="received",
        received=at(2026, 10, 2, 9),
        category="korupsi",
        description="-",
        knowledge="melihat",
    )
    for i in range(count):
        moment = at(2026, 7, 1 + i % 28, 9)
        case = make_case(
            GratifikasiReport,
            "gratifikasi",
            unit=units["sekr"],
            status="closed",
            received=moment,
            closed_days=i + 1,
            reporter=pegawai,
            report_type="penerimaan",
            date_received=dt.date(2026, 6, 20),
        )
        GratifikasiObject.objects.create(report=case, kind="uang", description="x", value=1000 * i)
        _clock_state(case, "report_to_upg", "on_time")
        complaint = make_case(
            Complaint,
            "pengaduan",
            unit=units["sekr"],
            status="closed",
            received=moment,
            category="02",
            description="-",
            identity_mode="anonymous",
            satisfaction=1 + i % 5,
        )
        if i % 3 == 0:
            CaseLink.objects.create(from_case=complaint, to_case=target, relation=CaseLink.Relation.CONVERTED_TO)
        make_case(
            WbsReport,
            "wbs",
            unit=units["sekr"],
            status="received",
            received=moment,
            category="korupsi",
            description="-",
            knowledge="melihat",
        )
        declaration = make_case(
            Declaration,
            "benturan",
            unit=units["sekr"],
            status="decided",
            received=moment,
            reporter=pegawai,
            subject="-",
            activity_kind="pengadaan",
            source="keluarga",
            interest="-",
            outcome="recusal",
        )
        _clock_state(declaration, "decision", "late")


def _queries(kind):
    with CaptureQueriesContext(connection) as queries:
        panel_of(kind, None)
    return len(queries)


@pytest.mark.parametrize("kind", ["gratifikasi", "pengaduan", "wbs", "benturan"])
def test_a_kind_panel_takes_as_many_queries_for_thirty_cases_as_for_one(
    units, pegawai, kind, django_assert_max_num_queries
):
    _many(units, pegawai, 1)
    one = _queries(kind)
    _many(units, pegawai, 29)
    with django_assert_max_num_queries(one):
        panel = panel_of(kind, None)
    assert panel.received.value == 30
