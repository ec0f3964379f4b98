"""Campaigns: only the inspectorate opens one; the coverage figures on a generated unit tree of a few hundred
people, checked against counts made here independently; unit heads see their units only; the XLSX."""

import datetime as dt
import io
import random
import uuid

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse

from benturan import selectors, services
from benturan.models import InterestStatement, StatementCampaign
from cases import policy, workdays
from cases.models import EmployeeProfile, Unit
from cases.services import NotAllowed

User = get_user_model()


def campaign_fields(unit, **changes):
    today = workdays.today()
    fields = {
        "year": str(today.year),
        "title": "Pernyataan kepentingan pribadi 2026",
        "unit": str(unit.pk),
        "population": "all",
        "positions": "",
        "opens_on": today.isoformat(),
        "closes_on": (today + dt.timedelta(days=14)).isoformat(),
    }
    return {**fields, **changes}


# --- opening a campaign


def test_an_inspector_opens_a_campaign(client, inspektur, unit):
    client.force_login(inspektur)
    assert client.get(reverse("benturan:campaign_new")).status_code == 200
    response = client.post(reverse("benturan:campaign_new"), campaign_fields(unit))
    campaign = StatementCampaign.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("benturan:campaign_detail", args=[campaign.uuid])
    assert campaign.created_by == inspektur and campaign.unit == unit


@pytest.mark.parametrize("who", ["pegawai", "atasan", "admin_user", "outsider"])
def test_nobody_else_opens_a_campaign(request, client, login_verified, unit, who):
    login_verified(request.getfixturevalue(who))
    assert client.get(reverse("benturan:campaign_new")).status_code == 403
    assert client.post(reverse("benturan:campaign_new"), campaign_fields(unit)).status_code == 403
    assert not StatementCampaign.objects.exists()


def test_the_service_refuses_a_non_inspector(pegawai, unit):
    today = workdays.today()
    with pytest.raises(NotAllowed):
        services.campaign_create(
            actor=pegawai,
            fields={"year": 2026, "title": "X", "unit": unit, "opens_on": today, "closes_on": today},
        )


def test_closing_before_opening_is_refused_and_the_input_kept(client, inspektur, unit):
    client.force_login(inspektur)
    today = workdays.today()
    data = campaign_fields(
        unit,
        opens_on=(today + dt.timedelta(days=10)).isoformat(),
        closes_on=(today + dt.timedelta(days=5)).isoformat(),
        title="Kampanye salah tanggal",
    )
    response = client.post(reverse("benturan:campaign_new"), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tanggal tutup tidak boleh sebelum tanggal buka." in page
    assert 'value="Kampanye salah tanggal"' in page
    assert not StatementCampaign.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"closes_on": "2020-01-31", "opens_on": "2020-01-01", "year": "2020"}, "Tanggal tutup sudah lewat"),
        ({"year": "2031"}, "Tahun kampanye harus tahun tanggal buka atau tanggal tutupnya."),
        ({"population": "positions", "positions": "Jabatan Fiktif"}, "Tidak ada pegawai aktif di unit ini dengan"),
    ],
)
def test_what_an_inspector_mistypes_is_refused(client, inspektur, unit, changes, message):
    client.force_login(inspektur)
    response = client.post(reverse("benturan:campaign_new"), campaign_fields(unit, **changes))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not StatementCampaign.objects.exists()


def test_the_same_campaign_twice_is_refused(client, inspektur, unit):
    client.force_login(inspektur)
    assert client.post(reverse("benturan:campaign_new"), campaign_fields(unit)).status_code == 302
    response = client.post(reverse("benturan:campaign_new"), campaign_fields(unit))
    assert "sudah ada untuk unit dan tahun yang sama" in response.content.decode()
    assert StatementCampaign.objects.count() == 1


def test_a_listed_position_someone_holds_is_accepted(client, inspektur, unit, pegawai):
    pegawai.profile.position = "Analis Pengadaan Barang/Jasa"
    pegawai.profile.save()
    client.force_login(inspektur)
    data = campaign_fields(unit, population="positions", positions="  analis pengadaan barang/jasa ")
    assert client.post(reverse("benturan:campaign_new"), data).status_code == 302


def test_listed_positions_need_a_position(client, inspektur, unit):
    client.force_login(inspektur)
    response = client.post(reverse("benturan:campaign_new"), campaign_fields(unit, population="positions"))
    assert response.status_code == 200
    assert "Sebutkan paling sedikit satu jabatan." in response.content.decode()
    assert not StatementCampaign.objects.exists()


def test_the_campaign_pages_refuse_who_may_not_see_them(client, pegawai, inspektur, unit):
    campaign = services.campaign_create(
        actor=inspektur,
        fields={"year": 2026, "title": "X", "unit": unit, "opens_on": workdays.today(), "closes_on": workdays.today()},
    )
    client.force_login(pegawai)
    assert client.get(reverse("benturan:campaigns")).status_code == 403
    assert client.get(reverse("benturan:campaign_detail", args=[campaign.uuid])).status_code == 404
    assert client.get(reverse("benturan:campaign_xlsx", args=[campaign.uuid])).status_code == 404
    client.force_login(inspektur)
    assert client.get(reverse("benturan:campaign_detail", args=[uuid.uuid4()])).status_code == 404


# --- coverage on a generated unit tree

POSITIONS = ["Auditor", "Bendahara", "Pejabat Pengadaan", "Analis", "Pengadministrasi"]
LISTED = {"auditor", "pejabat pengadaan"}


@pytest.fixture
def tree(db, inspektur):
    """300 people in 5 units under one root (two of them a level lower), with positions in mixed case and
    spaces, some inactive; then, through the real service, some file a statement of no conflict, some declare
    an interest, some correct an interest away, and a few outsiders file elsewhere. Returns the campaigns and
    the truth as this fixture made it."""
    rnd = random.Random(20261202)
    root = Unit.objects.create(code="ITJ", name="Inspektorat Jenderal")
    bagian_a = Unit.objects.create(code="ITJ-A", name="Bagian A", parent=root)
    bagian_b = Unit.objects.create(code="ITJ-B", name="Bagian B", parent=root)
    sub_a1 = Unit.objects.create(code="ITJ-A1", name="Subbagian A1", parent=bagian_a)
    sub_a2 = Unit.objects.create(code="ITJ-A2", name="Subbagian A2", parent=bagian_a)
    units = [root, bagian_a, bagian_b, sub_a1, sub_a2]
    outside = Unit.objects.create(code="LAIN", name="Di luar")
    today = workdays.today()
    everyone = StatementCampaign.objects.create(
        year=today.year,
        title="Seluruh pegawai",
        unit=root,
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=7),
        created_by=inspektur,
    )
    listed = StatementCampaign.objects.create(
        year=today.year,
        title="Jabatan tertentu",
        unit=root,
        population="positions",
        positions="Auditor\n  pejabat PENGADAAN  \n",
        opens_on=today - dt.timedelta(days=3),
        closes_on=today + dt.timedelta(days=7),
        created_by=inspektur,
    )
    group = Group.objects.get_or_create(name=policy.PEGAWAI)[0]
    people = []
    for i in range(300):
        unit = units[i % 5]
        position = rnd.choice(POSITIONS)
        shown = rnd.choice([position, position.upper(), f" {position.lower()} "])
        active = rnd.random() > 0.08
        user = User.objects.create_user(f"p{i:03d}", first_name=f"Pegawai {i:03d}", is_active=active)
        user.groups.add(group)
        EmployeeProfile.objects.create(user=user, unit=unit, position=shown, nip=f"1990{i:014d}")
        people.append({"user": user, "unit": unit.pk, "listed": position.lower() in LISTED, "active": active})
    for i in range(10):  # outside the campaign's tree: never counted
        user = User.objects.create_user(f"luar{i}", first_name="Luar")
        EmployeeProfile.objects.create(user=user, unit=outside, position="Auditor")
    truth = {}
    for campaign in (everyone, listed):
        filed, declared = {}, {}
        for person in people:
            if not person["active"] or (campaign is listed and not person["listed"]):
                continue
            roll = rnd.random()
            user = person["user"]
            if roll < 0.35:
                continue  # has not filed
            if roll < 0.65:
                services.statement_file(employee=user, campaign=campaign, has_interests=False, interests=[])
                has_interest = False
            elif roll < 0.9:
                services.statement_file(
                    employee=user,
                    campaign=campaign,
                    has_interests=True,
                    interests=[{"category": "keluarga", "party": "Kerabat"}],
                )
                has_interest = True
            else:  # declared, then corrected to none: the latest statement is the truth
                services.statement_file(
                    employee=user,
                    campaign=campaign,
                    has_interests=True,
                    interests=[{"category": "afiliasi", "party": "Yayasan"}],
                )
                services.statement_file(
                    employee=user, campaign=campaign, has_interests=False, interests=[], is_change=True
                )
                has_interest = False
            filed[user.pk] = True
            declared[user.pk] = has_interest
        truth[campaign.pk] = (filed, declared)
    # Filed before the campaign, then deactivated: counted nowhere.
    gone = next(p for p in people if p["active"])
    gone_user = gone["user"]
    if gone_user.pk not in truth[everyone.pk][0]:
        services.statement_file(employee=gone_user, campaign=everyone, has_interests=False, interests=[])
    gone_user.is_active = False
    gone_user.save()
    gone["active"] = False
    return {"units": units, "people": people, "everyone": everyone, "listed": listed, "truth": truth}


def expected(tree, campaign, unit_ids=None) -> dict:
    filed, declared = tree["truth"][campaign.pk]
    counts = {}
    for person in tree["people"]:
        if not person["active"] or (campaign == tree["listed"] and not person["listed"]):
            continue
        if unit_ids is not None and person["unit"] not in unit_ids:
            continue
        row = counts.setdefault(person["unit"], [0, 0, 0])
        row[0] += 1
        row[1] += person["user"].pk in filed
        row[2] += declared.get(person["user"].pk, False)
    return {unit: tuple(row) for unit, row in counts.items()}


def as_dict(rows) -> dict:
    return {row.unit.pk: (row.population, row.filed, row.declared) for row in rows}


@pytest.mark.parametrize("which", ["everyone", "listed"])
def test_coverage_matches_counts_made_independently(tree, which):
    campaign = tree[which]
    rows = selectors.campaign_coverage(campaign)
    assert as_dict(rows) == expected(tree, campaign)
    assert len(rows) == 5
    totals = selectors.coverage_totals(rows)
    want = expected(tree, campaign).values()
    assert (totals.population, totals.filed, totals.declared) == tuple(map(sum, zip(*want, strict=True)))
    assert totals.not_filed == totals.population - totals.filed
    assert 0 < totals.percent < 100


def test_coverage_is_one_query(tree, django_assert_num_queries):
    campaign = StatementCampaign.objects.select_related("unit").get(pk=tree["everyone"].pk)
    with django_assert_num_queries(5):  # 3 levels of the tree walk, the grouped count, the units
        selectors.campaign_coverage(campaign)


def test_the_page_shows_the_figures_and_who_has_not_filed(client, inspektur, tree):
    campaign = tree["everyone"]
    client.force_login(inspektur)
    response = client.get(reverse("benturan:campaign_detail", args=[campaign.uuid]))
    assert response.status_code == 200
    assert as_dict(response.context["rows"]) == expected(tree, campaign)
    filed, _declared = tree["truth"][campaign.pk]
    not_filed = [p for p in tree["people"] if p["active"] and p["user"].pk not in filed]
    page = response.context["page"]
    assert page.paginator.count == len(not_filed)
    assert all(not person.has_filed for person in page.object_list)
    assert len(page.object_list) == 50
    html = response.content.decode()
    assert page.object_list[0].profile.nip in html


def test_the_people_list_filters_by_unit_and_status(client, inspektur, tree):
    campaign = tree["everyone"]
    unit = tree["units"][2]
    client.force_login(inspektur)
    response = client.get(
        reverse("benturan:campaign_detail", args=[campaign.uuid]), {"unit": unit.pk, "status": "kepentingan"}
    )
    _filed, declared = tree["truth"][campaign.pk]
    want = {p["user"].pk for p in tree["people"] if p["active"] and p["unit"] == unit.pk and declared.get(p["user"].pk)}
    got = {person.pk for person in response.context["page"].paginator.object_list}
    assert got == want and want


def test_a_unit_head_sees_only_their_units(client, tree, make_user):
    campaign = tree["everyone"]
    bagian_a = tree["units"][1]
    head = make_user("kepala_a", policy.PEGAWAI)
    bagian_a.head = head
    bagian_a.save()
    client.force_login(head)
    headed = set(bagian_a.descendant_ids())
    response = client.get(reverse("benturan:campaign_detail", args=[campaign.uuid]))
    assert response.status_code == 200
    assert as_dict(response.context["rows"]) == expected(tree, campaign, headed)
    assert {row.unit.pk for row in response.context["rows"]} == headed
    people = response.context["page"].paginator.object_list
    assert {person.profile.unit_id for person in people} <= headed
    # Asking for another unit shows no one from it.
    outside = tree["units"][2]
    response = client.get(reverse("benturan:campaign_detail", args=[campaign.uuid]), {"unit": outside.pk})
    assert {person.profile.unit_id for person in response.context["page"].paginator.object_list} <= headed
    listing = client.get(reverse("benturan:campaigns"))
    assert listing.status_code == 200 and "Seluruh pegawai" in listing.content.decode()


def test_the_list_shows_each_campaigns_coverage(client, inspektur, tree):
    client.force_login(inspektur)
    response = client.get(reverse("benturan:campaigns"))
    shown = {campaign.pk: totals for campaign, totals in response.context["rows"]}
    for which in ("everyone", "listed"):
        campaign = tree[which]
        want = list(expected(tree, campaign).values())
        assert shown[campaign.pk].filed == sum(row[1] for row in want)
    percent = str(shown[tree["everyone"].pk].percent).replace(".", ",")  # Indonesian decimal comma
    assert f"{percent}%" in response.content.decode()


# --- the XLSX


def test_the_xlsx_has_units_and_people_and_guards_formulas(client, inspektur, tree):
    campaign = tree["everyone"]
    person = next(p["user"] for p in tree["people"] if p["active"])
    person.first_name = "=1+1"
    person.save()
    client.force_login(inspektur)
    response = client.get(reverse("benturan:campaign_xlsx", args=[campaign.uuid]))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    units, people = book.worksheets
    assert units.freeze_panes == "A6" and people.freeze_panes == "A6"
    header = [cell.value for cell in units[5]]
    assert header[:3] == ["Kode unit", "Unit kerja", "Wajib mengisi"]
    figures = {row[0].value: (row[2].value, row[3].value, row[5].value) for row in units.iter_rows(min_row=6)}
    by_code = {unit.code: unit.pk for unit in tree["units"]}
    want = expected(tree, campaign)
    assert {code: figures[code] for code in by_code} == {code: want[pk] for code, pk in by_code.items()}
    names = [row[1] for row in people.iter_rows(min_row=6)]
    assert len(names) == sum(row[0] for row in want.values())
    formula = next(cell for cell in names if cell.value == "=1+1")
    assert formula.data_type == "s" and formula.quotePrefix


def test_the_xlsx_of_a_unit_head_holds_their_units_only(client, tree, make_user):
    campaign = tree["everyone"]
    bagian_b = tree["units"][2]
    head = make_user("kepala_b", policy.PEGAWAI)
    bagian_b.head = head
    bagian_b.save()
    client.force_login(head)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("benturan:campaign_xlsx", args=[campaign.uuid])).content)
    )
    units, people = book.worksheets
    codes = {row[0].value for row in units.iter_rows(min_row=6) if row[0].value and row[2].value is not None}
    assert codes == {"ITJ-B", "Jumlah"}  # its row and the totals row
    assert {row[0].value for row in people.iter_rows(min_row=6)} == {"ITJ-B"}
    assert InterestStatement.objects.exists()


def test_a_unit_head_counts_interests_but_does_not_learn_whose(client, tree, make_user, inspektur):
    """How many declared an interest is the unit's figure; who did is the inspectorate's to know."""
    campaign = tree["everyone"]
    bagian_a = tree["units"][1]
    head = make_user("kepala_c", policy.PEGAWAI)
    bagian_a.head = head
    bagian_a.save()
    client.force_login(head)
    page = client.get(reverse("benturan:campaign_detail", args=[campaign.uuid]), {"status": "kepentingan"})
    assert page.context["status"] == "belum"
    assert "kepentingan" not in dict(page.context["status_filters"])
    assert sum(row.declared for row in page.context["rows"]) > 0  # the count stays
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("benturan:campaign_xlsx", args=[campaign.uuid])).content)
    )
    assert "Menyatakan kepentingan" not in [cell.value for cell in book.worksheets[1][5]]
    client.force_login(inspektur)
    book = openpyxl.load_workbook(
        io.BytesIO(client.get(reverse("benturan:campaign_xlsx", args=[campaign.uuid])).content)
    )
    assert "Menyatakan kepentingan" in [cell.value for cell in book.worksheets[1][5]]


def test_the_service_refuses_what_the_form_refuses(inspektur, unit):
    """Whatever calls it (a page, a script, the API to come), campaign_create checks the same rules."""
    today = workdays.today()
    fields = {"year": today.year, "title": "Kampanye", "unit": unit, "opens_on": today, "closes_on": today}
    services.campaign_create(actor=inspektur, fields=fields)
    with pytest.raises(services.StatementError):
        services.campaign_create(actor=inspektur, fields={**fields, "title": "KAMPANYE"})
    with pytest.raises(services.StatementError):
        services.campaign_create(
            actor=inspektur,
            fields={**fields, "title": "Lama", "opens_on": dt.date(2020, 1, 1), "closes_on": dt.date(2020, 1, 2)},
        )
    assert StatementCampaign.objects.count() == 1


def test_a_campaign_overlapping_another_of_the_year_is_refused(inspektur, unit, pegawai):
    """One statement a year per person: a Sekretariat campaign under an office-wide one would count its people
    twice. Campaigns for different listed positions may run side by side."""
    pegawai.profile.position = "Bendahara"
    pegawai.profile.save()
    today = workdays.today()
    base = {"year": today.year, "opens_on": today, "closes_on": today + dt.timedelta(days=10)}
    services.campaign_create(actor=inspektur, fields={**base, "title": "Kantor", "unit": unit.parent})
    with pytest.raises(services.StatementError):
        services.campaign_create(actor=inspektur, fields={**base, "title": "Sekretariat", "unit": unit})
    assert StatementCampaign.objects.count() == 1
    StatementCampaign.objects.all().delete()
    services.campaign_create(
        actor=inspektur,
        fields={**base, "title": "Bendahara", "unit": unit, "population": "positions", "positions": "Bendahara"},
    )
    assert "unit" in services.campaign_problems(
        {**base, "title": "Bendahara lagi", "unit": unit.parent, "population": "positions", "positions": "bendahara"}
    )
