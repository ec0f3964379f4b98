"""What real people do to forms: send one twice (Back, then send again), follow an old draft link, contradict
themselves. Nothing is filed twice and nothing typed is dropped without a word."""

import datetime as dt

import pytest
from django.urls import reverse

from benturan.models import Declaration, InterestStatement, StatementCampaign, Status
from cases import workdays
from tests.benturan.conftest import DECLARATION
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

TOKEN = "0123456789abcdef0123456789abcdef"


def declaration_post(**extra):
    data = {**DECLARATION, "activity_date": "2026-11-20", "form_token": TOKEN, "submit": "1"}
    data.pop("people_involved")
    return {**data, **extra}


def test_a_declaration_sent_twice_is_filed_once(client, pegawai, atasan):
    client.force_login(pegawai)
    first = client.post(reverse("benturan:declare"), declaration_post())
    declaration = Declaration.objects.get(reporter=pegawai)
    assert first.status_code == 302 and first["Location"] == reverse("cases:detail", args=[declaration.reference])
    again = client.post(reverse("benturan:declare"), declaration_post())
    assert again["Location"] == first["Location"]
    assert Declaration.objects.filter(reporter=pegawai).count() == 1
    # The Back button may reload the form with a new token: the same matter again is asked about first...
    asked = client.post(reverse("benturan:declare"), declaration_post(form_token="f" * 32))
    assert asked.status_code == 200 and "Ini deklarasi terpisah" in asked.content.decode()
    assert declaration.reference in asked.content.decode()
    assert Declaration.objects.filter(reporter=pegawai).count() == 1
    # ...and filed when the employee says it is a separate one.
    client.post(reverse("benturan:declare"), declaration_post(form_token="e" * 32, separate="1"))
    assert Declaration.objects.filter(reporter=pegawai).count() == 2
    # Another matter needs no question.
    client.post(reverse("benturan:declare"), declaration_post(form_token="d" * 32, subject="Seleksi pegawai 2027"))
    assert Declaration.objects.filter(reporter=pegawai).count() == 3


def test_the_form_page_carries_a_fresh_token(client, pegawai):
    client.force_login(pegawai)
    one = client.get(reverse("benturan:declare")).content.decode()
    two = client.get(reverse("benturan:declare")).content.decode()
    assert 'name="form_token"' in one
    assert one.split('name="form_token" value="')[1][:32] != two.split('name="form_token" value="')[1][:32]


def test_an_old_draft_link_leads_to_the_submitted_declaration(client, pegawai, atasan, make_declaration, rekan):
    draft = make_declaration(Status.DRAFT)
    draft_reference = draft.reference
    client.force_login(pegawai)
    client.post(reverse("benturan:declaration_edit", args=[draft_reference]), declaration_post(form_token="a" * 32))
    declaration = Declaration.objects.get(pk=draft.pk)
    assert declaration.status == Status.SUBMITTED
    response = client.get(reverse("benturan:declaration_edit", args=[draft_reference]))
    assert response["Location"] == reverse("cases:detail", args=[declaration.reference])
    client.force_login(rekan)  # someone who may not see it learns nothing
    assert client.get(reverse("benturan:declaration_edit", args=[draft_reference])).status_code == 404


@pytest.fixture
def campaign(inspektur, unit):
    today = workdays.today()
    return StatementCampaign.objects.create(
        year=today.year,
        title="Pernyataan tahunan",
        unit=unit.parent,
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
        created_by=inspektur,
    )


def statement_post(campaign, has_interests: str, **rows):
    data = {
        "kampanye": str(campaign.uuid),
        "form_token": TOKEN,
        "has_interests": has_interests,
        "kepentingan-TOTAL_FORMS": "3",
        "kepentingan-INITIAL_FORMS": "0",
        "kepentingan-MIN_NUM_FORMS": "0",
        "kepentingan-MAX_NUM_FORMS": "30",
        "password": PASSWORD,
        "truthful": "on",
        "sampaikan": "1",
    }
    return {**data, **rows}


def test_a_statement_sent_twice_is_filed_once(client, pegawai, campaign):
    client.force_login(pegawai)
    first = client.post(reverse("benturan:statement_new"), statement_post(campaign, "0"))
    again = client.post(reverse("benturan:statement_new"), statement_post(campaign, "0"))
    assert first.status_code == again.status_code == 302 and again["Location"] == first["Location"]
    assert InterestStatement.objects.filter(employee=pegawai).count() == 1


def test_no_interest_with_filled_rows_is_a_question_not_a_silent_drop(client, pegawai, campaign):
    client.force_login(pegawai)
    rows = {"kepentingan-0-category": "keluarga", "kepentingan-0-party": "PT Sinar Laptop"}
    response = client.post(reverse("benturan:statement_new"), statement_post(campaign, "0", **rows))
    assert response.status_code == 200
    assert "mengisi daftar kepentingan" in response.content.decode()
    assert "PT Sinar Laptop" in response.content.decode()
    assert not InterestStatement.objects.filter(employee=pegawai).exists()


def test_a_correction_starts_from_the_statement_in_force(client, pegawai, campaign):
    client.force_login(pegawai)
    rows = {"kepentingan-0-category": "keluarga", "kepentingan-0-party": "PT Sinar Laptop"}
    client.post(reverse("benturan:statement_new"), statement_post(campaign, "1", **rows))
    page = client.get(reverse("benturan:statement_new") + f"?kampanye={campaign.uuid}").content.decode()
    assert 'value="PT Sinar Laptop"' in page
    assert 'id="id_has_interests_1" checked' in page


def test_the_supervisors_waiting_list_says_each_status(client, make_declaration, atasan):
    declaration = make_declaration(Status.ANALYSING)
    client.force_login(atasan)
    page = client.get(reverse("benturan:home")).content.decode()
    assert declaration.reference in page and "Dianalisis atasan" in page


def test_a_second_click_while_the_first_is_filing_files_nothing(client, pegawai, atasan):
    """Two clicks at once: the first claims the form's token; the second finds it claimed and files nothing."""
    from django.core.cache import cache

    cache.add(f"benturan:sent:{pegawai.pk}:{TOKEN}", "…", 60)  # the first request, still running
    client.force_login(pegawai)
    response = client.post(reverse("benturan:declare"), declaration_post())
    assert response["Location"] == reverse("benturan:declarations")
    assert not Declaration.objects.filter(reporter=pegawai).exists()


def test_a_refused_sending_can_be_sent_again_once_corrected(client, make_user):
    """No supervisor in the profile: refused, the draft kept; sending the same form again goes to that draft."""
    from cases import policy

    lonely = make_user("lonely", policy.PEGAWAI)
    client.force_login(lonely)
    first = client.post(reverse("benturan:declare"), declaration_post())
    assert first.status_code == 200 and "atasan langsung" in first.content.decode()
    draft = Declaration.objects.get(reporter=lonely)
    again = client.post(reverse("benturan:declare"), declaration_post())
    assert again["Location"] == reverse("benturan:declaration_edit", args=[draft.reference])
    assert Declaration.objects.filter(reporter=lonely).count() == 1


def test_the_service_refuses_no_interest_with_interests(pegawai, campaign):
    from benturan import services

    with pytest.raises(services.StatementError):
        services.statement_file(
            employee=pegawai,
            campaign=campaign,
            has_interests=False,
            interests=[{"category": "keluarga", "party": "PT Sinar Laptop"}],
        )
    assert not InterestStatement.objects.exists()
