"""The staff inbox: what its badges mean, open cases by default, the status filter, search, date range."""

import dataclasses
import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from cases import deadlines, policy, registry, services, workdays
from cases.models import Case, Confidentiality, DeadlineClock
from gratifikasi.models import GratifikasiObject
from gratifikasi.models import Status as GratStatus
from tests.casetype.models import Status, Widget

pytestmark = pytest.mark.django_db

PAST = dt.date(2026, 1, 5)


@pytest.fixture
def inbox(client):
    def get(user, **query):
        client.force_login(user)
        response = client.get(reverse("cases:inbox"), query)
        assert response.status_code == 200
        return response

    return get


def refs(response) -> set[str]:
    return {case.reference for case in response.context["page"].object_list}


def row_of(response, reference: str) -> str:
    body = response.content.decode()
    rows = re.findall(r"<tr[ >].*?</tr>", body, re.S)
    return next(row for row in rows if reference in row)


def set_clocks(case, **changes) -> None:
    DeadlineClock.objects.filter(case_id=case.pk).update(**changes)
    deadlines.refresh_due_date(Case.objects.get(pk=case.pk))


def test_it_shows_terlambat_only_for_a_running_clock_past_due_and_the_filter_agrees(inbox, make_widget, handler):
    today = workdays.today()
    running_late = make_widget("submitted")
    set_clocks(running_late, due_date=PAST)
    # Met after its due date: late once, on time now.
    met_late = make_widget("reviewing")
    DeadlineClock.objects.filter(case_id=met_late.pk, code="review").update(due_date=PAST, met_on=PAST.replace(day=9))
    deadlines.refresh_due_date(Case.objects.get(pk=met_late.pk))
    # Breached (escalated by the sweep), then the deadline moved on after a pause: late in the past.
    breached = make_widget("reviewing")
    DeadlineClock.objects.filter(case_id=breached.pk).update(breached_on=PAST, due_date=today + dt.timedelta(days=30))
    deadlines.refresh_due_date(Case.objects.get(pk=breached.pk))
    # Closed while a clock was past due: the clocks stop on closing, after their due date.
    closed_late = make_widget("approved")
    DeadlineClock.objects.filter(case_id=closed_late.pk).update(due_date=PAST, stopped_on=today, met_on=None)
    on_time = make_widget("submitted")

    response = inbox(handler, include_closed="on")
    page = response.context["page"].object_list
    red = {c.reference for c in page if c.overdue_now}
    muted = {c.reference for c in page if c.was_late and not c.overdue_now}
    assert red == {running_late.reference}
    assert red == refs(inbox(handler, include_closed="on", overdue="on"))
    assert muted == {met_late.reference, breached.reference, closed_late.reference}
    assert 'class="tag late"' in row_of(response, running_late.reference)
    for case in (met_late, breached, closed_late):
        row = row_of(response, case.reference)
        assert "Pernah terlambat" in row and 'class="tag late"' not in row
    row = row_of(response, on_time.reference)
    assert "terlambat" not in row.lower()


def test_it_shows_open_cases_unless_asked_for_closed_ones(inbox, make_widget, handler):
    open_case, closed = make_widget("reviewing"), make_widget("rejected")
    assert refs(inbox(handler)) == {open_case.reference}
    assert refs(inbox(handler, include_closed="on")) == {open_case.reference, closed.reference}
    # Asking for a final status shows it without ticking the box.
    assert refs(inbox(handler, status="uji:rejected")) == {closed.reference}
    body = inbox(handler).content.decode()
    assert 'name="include_closed"' in body


def test_the_status_filter_is_grouped_by_kind_in_workflow_order_for_visible_kinds_only(
    inbox, make_widget, handler, upg, inspektur
):
    make_widget("submitted")
    status = inbox(handler).context["form"].fields["status"]
    groups = [(group, options) for group, options in status.choices if group]
    # The test kind shares its handler group with pengaduan: the handler sees both kinds, and only those.
    assert [str(group) for group, _options in groups] == ["Pengaduan", "Uji"]
    uji_options = dict((str(group), options) for group, options in groups)["Uji"]
    assert [value for value, _label in uji_options] == [f"uji:{code}" for code, _label in Status.choices]
    body = inbox(handler).content.decode()
    assert '<optgroup label="Uji">' in body and "Gratifikasi" not in re.search(
        r'<select name="status".*?</select>', body, re.S
    ).group(0)
    kinds = [value for value, _label in inbox(handler).context["form"].fields["kind"].choices if value]
    assert kinds == ["pengaduan", "uji"]
    upg_groups = [str(g) for g, _o in inbox(upg).context["form"].fields["status"].choices if g]
    assert "Gratifikasi" in upg_groups and "WBS" not in upg_groups and "Uji" not in upg_groups
    grat_values = [v for g, options in inbox(upg).context["form"].fields["status"].choices if g for v, _l in options]
    assert grat_values == [f"gratifikasi:{code}" for code, _label in GratStatus.choices]
    assert {str(g) for g, _o in inbox(inspektur).context["form"].fields["status"].choices if g} == {
        str(kind.label) for kind in registry.all_kinds()
    }


def test_it_searches_by_reference_and_reporter_name(inbox, make_widget, handler, make_user):
    siti = make_user("siti", policy.PEGAWAI, first_name="Siti", last_name="Rahmawati")
    hers = make_widget("submitted", reporter=siti)
    other = make_widget("submitted")
    assert refs(inbox(handler, q="rahma")) == {hers.reference}
    assert refs(inbox(handler, q="Siti Rahmawati")) == {hers.reference}
    assert refs(inbox(handler, q=other.reference[-4:])) == {other.reference}
    assert refs(inbox(handler, q="Siti Tidakada")) == set()


def _gift(reporter, unit, giver, **fields):
    report = services.create_case(
        kind="gratifikasi",
        actor=reporter,
        unit=unit,
        reporter=reporter,
        report_type="penerimaan",
        date_received=workdays.today() - dt.timedelta(days=2),
        giver_name=giver,
        giver_institution="PT Sumber Rejeki",
        summary="parsel",
        **fields,
    )
    GratifikasiObject.objects.create(report=report, kind="barang", description="Parsel", value=750_000)
    return services.transition(report, "submit", reporter)


def test_it_searches_a_giver_only_where_the_user_may_read_it(inbox, unit, pegawai, upg, inspektur, make_user):
    ordinary = _gift(pegawai, unit, "Bapak Hartono")
    secret = _gift(pegawai, unit, "Ibu Kartika Sari", confidentiality=Confidentiality.RAHASIA)
    ketua = make_user("ketua_upg", policy.PETUGAS_UPG)
    ketua.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))

    assert refs(inbox(upg, q="hartono")) == {ordinary.reference}
    assert refs(inbox(upg, q="sumber rejeki")) == {ordinary.reference}
    # The coordinator handles confidential reports and may search them by their giver.
    assert refs(inbox(ketua, q="kartika")) == {secret.reference}
    # The inspektur sees the confidential report (read-only, each view logged), but a search by its giver
    # or its reporter must not tell them which confidential report names whom.
    assert secret.reference in refs(inbox(inspektur))
    assert refs(inbox(inspektur, q="kartika")) == set()
    assert refs(inbox(inspektur, q="hartono")) == {ordinary.reference}
    assert refs(inbox(inspektur, q=secret.reference)) == {secret.reference}
    pegawai.first_name = "Pelapor"
    pegawai.save()
    assert refs(inbox(inspektur, q="pelapor")) == {ordinary.reference}


def test_it_never_searches_a_restricted_kind_by_name_even_if_declared(inbox, unit, inspektur, monkeypatch):
    """WBS content and names are never searchable, even if a kind mistakenly declares search fields."""
    from wbs import services as wbs_services

    report, _receipt = wbs_services.report_submit(
        fields={"category": "pengadaan", "description": "x", "knowledge": "melihat", "referral_agency": "Ombudsman"},
        unit=unit,
        identity=None,
        files=[],
    )
    wbs = registry.get("wbs")
    monkeypatch.setitem(registry._kinds, "wbs", dataclasses.replace(wbs, search_fields=("referral_agency",)))
    assert report.reference in refs(inbox(inspektur))
    assert refs(inbox(inspektur, q="ombudsman")) == set()


def test_it_filters_by_submission_date_range(inbox, make_widget, handler):
    early, middle, late = make_widget("submitted"), make_widget("submitted"), make_widget("submitted")
    for case, day in ((early, 3), (middle, 10), (late, 20)):
        # 23:30 in Jakarta: the filter counts days in local time, not UTC.
        at = timezone.make_aware(dt.datetime(2026, 11, day, 23, 30))
        Widget.objects.filter(pk=case.pk).update(submitted_at=at)
    assert refs(inbox(handler, submitted_from="2026-11-10", submitted_to="2026-11-10")) == {middle.reference}
    assert refs(inbox(handler, submitted_from="2026-11-04")) == {middle.reference, late.reference}
    assert refs(inbox(handler, submitted_to="2026-11-19")) == {early.reference, middle.reference}
    response = inbox(handler, submitted_from="2026-11-20", submitted_to="2026-11-01")
    assert refs(response) == set() and response.context["form"].errors["submitted_to"]


def test_the_query_count_does_not_grow_with_the_cases(
    client, make_widget, handler, make_user, django_assert_max_num_queries
):
    query = {"q": "ana", "include_closed": "on", "submitted_from": "2020-01-01"}

    def add(i):
        reporter = make_user(f"reporter{i}", policy.PEGAWAI, first_name="Ana")
        case = make_widget("reviewing" if i % 2 else "rejected", reporter=reporter)
        if i % 3 == 0:
            services.assign(case, handler, handler)
        if i % 5 == 0:
            set_clocks(case, due_date=PAST)

    add(0)
    client.force_login(handler)
    with django_assert_max_num_queries(20) as few:
        assert len(client.get(reverse("cases:inbox"), query).context["page"].object_list) == 1
    for i in range(1, 31):
        add(i)
    # A full first page adds one query, the (capped) COUNT, which a page of one case does not need; nothing
    # grows with the number of cases.
    with django_assert_max_num_queries(len(few.captured_queries) + 1):
        response = client.get(reverse("cases:inbox"), query)
    assert len(response.context["page"].object_list) == 25
