"""The yearly statement: filing (no conflict, or interests) confirmed by the password, superseding, refusals,
flagging against the unit's approved risk map, the supervisor's notice, and who may read a statement."""

import datetime as dt
import uuid

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection
from django.urls import reverse

from benturan import selectors, services
from benturan.models import InterestStatement, MapStatus, RiskMap, RiskMapEntry, StatementCampaign
from cases import notifications, workdays
from cases.models import OutboxMessage
from tests.conftest import PASSWORD

PARTY = "PT Sinar Laptop (komisaris: ipar saya)"
DESCRIPTION = "Ipar saya komisaris penyedia laptop yang sering ikut lelang."


@pytest.fixture
def campaign(unit, inspektur):
    today = workdays.today()
    return StatementCampaign.objects.create(
        year=today.year,
        title="Pernyataan tahunan",
        unit=unit.parent,
        opens_on=today - dt.timedelta(days=5),
        closes_on=today + dt.timedelta(days=10),
        created_by=inspektur,
    )


@pytest.fixture
def pegawai(pegawai):
    pegawai.first_name, pegawai.last_name = "Sari", "Pegawai"
    pegawai.save()
    pegawai.profile.position = " Pejabat Pengadaan "
    pegawai.profile.nip = "198001012005011001"
    pegawai.profile.save()
    return pegawai


def risk_map(unit, user, *, status=MapStatus.APPROVED, position="pejabat pengadaan", source="kepentingan_pribadi"):
    risk = RiskMap.objects.create(unit=unit, year=workdays.today().year, status=status, prepared_by=user)
    RiskMapEntry.objects.create(
        risk_map=risk,
        position=position,
        conflict_form="Menilai penawaran penyedia yang terafiliasi",
        situation="Evaluasi penawaran",
        source=source,
        control="Pejabat mengundurkan diri dari evaluasi",
    )
    return risk


def form_data(*, has_interests="1", password=PASSWORD, truthful=True, rows=(("usaha_keuangan", PARTY),), **extra):
    data = {
        "has_interests": has_interests,
        "kepentingan-TOTAL_FORMS": "3",
        "kepentingan-INITIAL_FORMS": "0",
        "kepentingan-MIN_NUM_FORMS": "0",
        "kepentingan-MAX_NUM_FORMS": "30",
        "password": password,
        "sampaikan": "1",
        **extra,
    }
    if truthful:
        data["truthful"] = "on"
    for i, (category, party) in enumerate(rows):
        data[f"kepentingan-{i}-category"] = category
        data[f"kepentingan-{i}-party"] = party
        data[f"kepentingan-{i}-description"] = DESCRIPTION
    return data


def file(employee, campaign=None, **kwargs):
    kwargs.setdefault("has_interests", False)
    kwargs.setdefault("interests", [])
    return services.statement_file(employee=employee, campaign=campaign, **kwargs)


# --- filing through the page


def test_it_files_a_statement_of_no_conflict(client, pegawai, campaign):
    client.force_login(pegawai)
    url = reverse("benturan:statement_new") + f"?kampanye={campaign.uuid}"
    response = client.post(url, form_data(has_interests="0", rows=()))
    statement = InterestStatement.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "benturan:statement_detail", args=[statement.uuid]
    )
    assert statement.campaign == campaign and statement.employee == pegawai
    assert statement.has_interests is False and statement.interests.count() == 0
    assert statement.confirmed_at is not None and statement.supersedes is None
    assert statement.unit == pegawai.profile.unit and statement.position == " Pejabat Pengadaan "
    assert not statement.flagged


def test_it_files_a_register_of_interests_kept_encrypted(client, pegawai, campaign):
    client.force_login(pegawai)
    data = form_data(rows=(("usaha_keuangan", PARTY), ("keluarga", "Adik kandung, staf CV Maju")))
    response = client.post(reverse("benturan:statement_new") + f"?kampanye={campaign.uuid}", data)
    assert response.status_code == 302
    statement = InterestStatement.objects.get()
    assert statement.has_interests
    assert [(i.category, i.party) for i in statement.interests.all()] == [
        ("usaha_keuangan", PARTY),
        ("keluarga", "Adik kandung, staf CV Maju"),
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT party, description FROM benturan_declaredinterest")
        stored = " ".join(" ".join(row) for row in cursor.fetchall())
    assert "Sinar" not in stored and "komisaris" not in stored


def test_interests_chosen_but_none_listed_is_refused(client, pegawai, campaign):
    client.force_login(pegawai)
    response = client.post(reverse("benturan:statement_new") + f"?kampanye={campaign.uuid}", form_data(rows=()))
    assert response.status_code == 200
    assert "Isi paling sedikit satu kepentingan" in response.content.decode()
    assert not InterestStatement.objects.exists()


def test_a_row_begun_needs_its_party(client, pegawai, campaign):
    client.force_login(pegawai)
    data = form_data(rows=(("keluarga", ""),))
    response = client.post(reverse("benturan:statement_new") + f"?kampanye={campaign.uuid}", data)
    assert response.status_code == 200 and "Sebutkan pihak yang terkait." in response.content.decode()
    assert not InterestStatement.objects.exists()


def test_a_wrong_password_is_refused_and_keeps_the_input(client, pegawai, campaign):
    client.force_login(pegawai)
    response = client.post(
        reverse("benturan:statement_new") + f"?kampanye={campaign.uuid}", form_data(password="bukan-sandi-saya")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kata sandi salah" in page
    assert PARTY.replace("(", "").split()[0] in page and 'value="PT Sinar Laptop (komisaris: ipar saya)"' in page
    assert "bukan-sandi-saya" not in page  # the password is never sent back
    assert not InterestStatement.objects.exists()


def test_the_truth_statement_must_be_ticked(client, pegawai, campaign):
    client.force_login(pegawai)
    response = client.post(reverse("benturan:statement_new") + f"?kampanye={campaign.uuid}", form_data(truthful=False))
    assert response.status_code == 200 and "Centang pernyataan ini" in response.content.decode()
    assert not InterestStatement.objects.exists()


def test_wrong_passwords_are_limited(client, pegawai, campaign):
    client.force_login(pegawai)
    url = reverse("benturan:statement_new") + f"?kampanye={campaign.uuid}"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, form_data(password="salah-lagi-123"))
    response = client.post(url, form_data())  # even the right password now waits for the cool-off
    assert response.status_code == 200
    page = response.content.decode()
    assert "Terlalu banyak kata sandi salah" in page and 'value="PT Sinar Laptop (komisaris: ipar saya)"' in page
    assert not InterestStatement.objects.exists()


def test_add_rows_keeps_everything_typed_and_files_nothing(client, pegawai, campaign):
    client.force_login(pegawai)
    data = form_data(password="")
    del data["sampaikan"]
    data["tambah_baris"] = "1"
    response = client.post(reverse("benturan:statement_new") + f"?kampanye={campaign.uuid}", data)
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="kepentingan-5-party"' in page and 'name="kepentingan-6-party"' not in page
    assert 'value="PT Sinar Laptop (komisaris: ipar saya)"' in page
    assert "Masukkan kata sandi" not in page  # not asked yet: only rows were added
    assert not InterestStatement.objects.exists()


def test_the_form_page_shows_the_choice_and_the_confirmation(client, pegawai, campaign):
    client.force_login(pegawai)
    page = client.get(reverse("benturan:statement_new") + f"?kampanye={campaign.uuid}").content.decode()
    assert "Saya tidak memiliki kepentingan pribadi yang berbenturan" in page
    assert "Saya menyatakan dengan sebenarnya" in page and 'type="password"' in page
    assert 'name="kepentingan-2-party"' in page and "<script" not in page.split("<main>")[1]


# --- superseding and refusals


def test_a_new_statement_supersedes_the_current_one(pegawai, campaign):
    first = file(pegawai, campaign)
    second = file(pegawai, campaign, has_interests=True, interests=[{"category": "afiliasi", "party": "Yayasan X"}])
    first.refresh_from_db()
    assert second.supersedes == first and first.superseded_by == second
    assert selectors.current_statement(pegawai) == second
    assert InterestStatement.objects.count() == 2  # the first is kept, never edited
    assert first.has_interests is False


def test_a_change_of_circumstances_may_be_filed_without_a_campaign(client, pegawai):
    client.force_login(pegawai)
    response = client.post(reverse("benturan:statement_new") + "?perubahan=1", form_data(perubahan="1"))
    assert response.status_code == 302
    statement = InterestStatement.objects.get()
    assert statement.campaign is None and statement.is_change


def test_a_change_goes_into_the_open_campaign_that_includes_the_employee(client, pegawai, campaign):
    client.force_login(pegawai)
    client.post(reverse("benturan:statement_new") + "?perubahan=1", form_data(perubahan="1"))
    statement = InterestStatement.objects.get()
    assert statement.campaign == campaign and statement.is_change


def test_a_closed_campaign_is_refused(client, pegawai, campaign):
    campaign.closes_on = workdays.today() - dt.timedelta(days=1)
    campaign.save()
    with pytest.raises(services.StatementError, match="tidak sedang dibuka"):
        file(pegawai, campaign)
    client.force_login(pegawai)
    response = client.post(reverse("benturan:statement_new") + f"?kampanye={campaign.uuid}", form_data(), follow=True)
    assert "tidak sedang dibuka" in response.content.decode()
    assert not InterestStatement.objects.exists()


def test_a_campaign_that_does_not_include_the_employee_is_refused(client, pegawai, other_unit, inspektur):
    today = workdays.today()
    foreign = StatementCampaign.objects.create(
        year=today.year,
        title="Humas saja",
        unit=other_unit,
        opens_on=today,
        closes_on=today + dt.timedelta(days=3),
        created_by=inspektur,
    )
    with pytest.raises(services.StatementError, match="tidak termasuk"):
        file(pegawai, foreign)
    client.force_login(pegawai)
    response = client.post(reverse("benturan:statement_new") + f"?kampanye={foreign.uuid}", form_data())
    assert "tidak termasuk pegawai yang wajib mengisi" in response.content.decode()
    assert not InterestStatement.objects.exists()
    # Opening its form says so instead of showing a form that cannot be sent.
    response = client.get(reverse("benturan:statement_new") + f"?kampanye={foreign.uuid}", follow=True)
    assert "tidak sedang dibuka untuk Anda" in response.content.decode()


def test_a_listed_positions_campaign_refuses_other_positions(pegawai, unit, inspektur):
    today = workdays.today()
    auditors = StatementCampaign.objects.create(
        year=today.year,
        title="Auditor",
        unit=unit,
        population="positions",
        positions="Auditor\nBendahara",
        opens_on=today,
        closes_on=today,
        created_by=inspektur,
    )
    with pytest.raises(services.StatementError):
        file(pegawai, auditors)


def test_a_forged_campaign_is_not_found(client, pegawai):
    client.force_login(pegawai)
    assert client.get(reverse("benturan:statement_new") + f"?kampanye={uuid.uuid4()}").status_code == 404
    assert client.get(reverse("benturan:statement_new") + "?kampanye=bukan-uuid").status_code == 404


# --- flagging against the risk map, and the supervisor's notice

INTEREST = [{"category": "usaha_keuangan", "party": PARTY, "description": DESCRIPTION}]


def test_an_interest_touching_the_mapped_position_is_flagged(pegawai, unit, inspektur, campaign):
    risk_map(unit, inspektur)
    statement = file(pegawai, campaign, has_interests=True, interests=INTEREST)
    assert statement.flagged
    assert "Kepentingan pribadi, bisnis, atau keuangan" in statement.flag_reason


def test_an_interest_of_another_source_is_not_flagged(pegawai, unit, inspektur, campaign):
    risk_map(unit, inspektur, source="keluarga")
    assert not file(pegawai, campaign, has_interests=True, interests=INTEREST).flagged


def test_another_position_is_not_flagged(pegawai, unit, inspektur, campaign):
    risk_map(unit, inspektur, position="Bendahara Pengeluaran")
    assert not file(pegawai, campaign, has_interests=True, interests=INTEREST).flagged


def test_a_draft_map_flags_nothing(pegawai, unit, inspektur, campaign):
    risk_map(unit, inspektur, status=MapStatus.DRAFT)
    assert not file(pegawai, campaign, has_interests=True, interests=INTEREST).flagged


def test_no_interest_is_never_flagged(pegawai, unit, inspektur, campaign):
    risk_map(unit, inspektur)
    assert not file(pegawai, campaign).flagged


def test_the_supervisor_is_told_without_the_content(pegawai, atasan, unit, inspektur, campaign):
    risk_map(unit, inspektur)
    statement = file(pegawai, campaign, has_interests=True, interests=INTEREST)
    message = OutboxMessage.objects.get(recipient=atasan)
    assert message.link == reverse("benturan:statement_detail", args=[statement.uuid])
    assert OutboxMessage.objects.count() == 1
    notifications.deliver_pending()
    [email] = mail.outbox
    assert email.to == [atasan.email]
    text = email.subject + email.body
    assert "Sinar" not in text and "komisaris" not in text and "Ipar" not in text and "usaha" not in text
    assert str(statement.uuid) in email.body


def test_an_unflagged_statement_tells_nobody(pegawai, unit, inspektur, campaign):
    file(pegawai, campaign, has_interests=True, interests=[{"category": "keluarga", "party": "Adik"}])
    assert not OutboxMessage.objects.exists()


# --- who may read a statement


@pytest.mark.parametrize(
    ("reader", "status"),
    [("pegawai", 200), ("atasan", 404), ("inspektur", 200), ("rekan", 404), ("admin_user", 404), ("outsider", 404)],
)
def test_who_may_read_a_statement(request, client, login_verified, pegawai, campaign, reader, status):
    """An unflagged statement is the employee's and the inspectorate's; the supervisor reads a flagged one only
    (test_the_supervisor_reads_only_what_was_flagged_to_them)."""
    statement = file(pegawai, campaign, has_interests=True, interests=INTEREST)
    user = request.getfixturevalue(reader)
    login_verified(user)
    response = client.get(reverse("benturan:statement_detail", args=[statement.uuid]))
    assert response.status_code == status
    if status == 200:
        assert PARTY in response.content.decode()


def test_a_forged_statement_is_not_found(client, pegawai):
    client.force_login(pegawai)
    assert client.get(reverse("benturan:statement_detail", args=[uuid.uuid4()])).status_code == 404


def test_the_own_page_shows_the_open_campaign_and_the_history(client, pegawai, campaign):
    client.force_login(pegawai)
    page = client.get(reverse("benturan:statement")).content.decode()
    assert "Pernyataan tahunan" in page and "Belum mengisi" in page and "10 hari lagi" in page
    file(pegawai, campaign)
    page = client.get(reverse("benturan:statement")).content.decode()
    assert "Sudah mengisi" in page and "Riwayat pernyataan" in page
    assert "Laporkan perubahan keadaan" in page


def test_pages_need_a_sign_in(client, campaign):
    for url in (reverse("benturan:statement"), reverse("benturan:statement_new")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_supervisor_sees_flagged_statements_of_subordinates_only(client, pegawai, atasan, rekan, unit, inspektur):
    risk_map(unit, inspektur)
    flagged = file(pegawai, None, has_interests=True, interests=INTEREST)
    file(rekan, None, has_interests=True, interests=INTEREST)  # rekan has no mapped position: not flagged
    assert flagged.flagged
    client.force_login(atasan)
    page = client.get(reverse("benturan:statement")).content.decode()
    assert "perlu perhatian Anda" in page
    assert reverse("benturan:statement_detail", args=[flagged.uuid]) in page
    client.force_login(rekan)
    assert "perlu perhatian Anda" not in client.get(reverse("benturan:statement")).content.decode()


def test_the_supervisor_reads_only_what_was_flagged_to_them(client, pegawai, atasan, campaign, monkeypatch):
    from benturan import services

    monkeypatch.setattr(
        services, "statement_flag_reason", lambda **kwargs: "Bersinggungan." if kwargs["interests"] else ""
    )
    flagged = file(pegawai, campaign, has_interests=True, interests=INTEREST)
    client.force_login(atasan)
    assert client.get(reverse("benturan:statement_detail", args=[flagged.uuid])).status_code == 200
    newer = file(pegawai, campaign, has_interests=False, interests=[])
    # Superseded, and the new one is not flagged: neither is the supervisor's to read any more.
    assert client.get(reverse("benturan:statement_detail", args=[flagged.uuid])).status_code == 404
    assert client.get(reverse("benturan:statement_detail", args=[newer.uuid])).status_code == 404
