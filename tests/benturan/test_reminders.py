"""Reminders of the yearly statement: H-7, H-3, H-1 and the closing day, to who has not filed, never twice, never
before the campaign opens; wired into Celery beat and the embedded scheduler."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from benturan import services, tasks
from benturan.models import StatementCampaign
from cases import embedded, workdays
from cases.models import OutboxMessage


@pytest.fixture
def campaign(unit, inspektur):
    today = workdays.today()
    return StatementCampaign.objects.create(
        year=today.year,
        title="Pernyataan tahunan",
        unit=unit.parent,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=7),
        created_by=inspektur,
    )


@pytest.fixture
def people(pegawai, rekan, atasan, kepala, inspektur):
    """Everyone made by the personas sits in the campaign's unit."""
    return [pegawai, rekan, atasan, kepala, inspektur]


def remind(campaign, days_before: int) -> dict:
    return services.campaign_remind(today=campaign.closes_on - dt.timedelta(days=days_before))


def recipients(stage: str) -> set[int]:
    return set(OutboxMessage.objects.filter(dedupe_key__contains=f":{stage}:").values_list("recipient_id", flat=True))


def test_reminders_go_at_h7_h3_h1_and_the_closing_day_once_each(campaign, people):
    assert remind(campaign, 8) == {"campaigns": 0, "queued": 0}
    assert remind(campaign, 7) == {"campaigns": 1, "queued": 5}
    assert remind(campaign, 7)["queued"] == 0  # a rerun never sends twice
    assert remind(campaign, 6)["queued"] == 0
    assert remind(campaign, 4)["queued"] == 0
    assert remind(campaign, 3)["queued"] == 5
    assert remind(campaign, 2)["queued"] == 0
    assert remind(campaign, 1)["queued"] == 5
    assert remind(campaign, 0)["queued"] == 5
    assert remind(campaign, 0)["queued"] == 0
    assert remind(campaign, -1) == {"campaigns": 0, "queued": 0}  # closed
    assert OutboxMessage.objects.count() == 20
    for stage in ("h7", "h3", "h1", "h0"):
        assert recipients(stage) == {person.pk for person in people}


def test_who_has_filed_is_not_reminded(campaign, people, pegawai):
    services.statement_file(employee=pegawai, campaign=campaign, has_interests=False, interests=[])
    assert remind(campaign, 7)["queued"] == 4
    assert pegawai.pk not in recipients("h7")


def test_who_files_between_stages_is_not_reminded_again(campaign, people, pegawai):
    remind(campaign, 7)
    services.statement_file(employee=pegawai, campaign=campaign, has_interests=False, interests=[])
    remind(campaign, 3)
    assert pegawai.pk in recipients("h7") and pegawai.pk not in recipients("h3")


def test_inactive_people_and_other_units_are_not_reminded(campaign, people, rekan, make_user, other_unit):
    rekan.is_active = False
    rekan.save()
    elsewhere = make_user("humas")
    elsewhere.profile.unit = other_unit
    elsewhere.profile.save()
    campaign.unit = campaign.unit.children.get(code="SEKR")
    campaign.save()
    remind(campaign, 7)
    assert rekan.pk not in recipients("h7") and elsewhere.pk not in recipients("h7")


def test_nothing_before_the_campaign_opens(campaign, people):
    campaign.opens_on = campaign.closes_on - dt.timedelta(days=2)
    campaign.save()
    assert remind(campaign, 7) == {"campaigns": 0, "queued": 0}
    assert remind(campaign, 3) == {"campaigns": 0, "queued": 0}
    # Opening two days before the close: the H-3 reminder it missed goes once, then H-1.
    assert remind(campaign, 2)["queued"] == 5
    assert remind(campaign, 1)["queued"] == 5


def test_a_day_the_job_did_not_run_is_caught_up_once(campaign, people):
    remind(campaign, 7)
    assert remind(campaign, 2)["queued"] == 5  # H-3 missed: sent on H-2
    assert recipients("h3") and remind(campaign, 2)["queued"] == 0


def test_the_reminder_says_when_and_links_to_the_form(campaign, people, pegawai):
    remind(campaign, 3)
    message = OutboxMessage.objects.get(recipient=pegawai)
    assert f"{campaign.closes_on:%d-%m-%Y}" in message.subject
    assert "Pernyataan tahunan" in message.body and "3 hari lagi" in message.body
    assert message.link == reverse("benturan:statement_new") + f"?kampanye={campaign.uuid}"
    remind(campaign, 0)
    last = OutboxMessage.objects.filter(recipient=pegawai, dedupe_key__contains=":h0:").get()
    assert "hari terakhir" in last.body


def test_the_task_runs_the_service_and_is_scheduled(campaign, people, monkeypatch):
    monkeypatch.setattr(workdays, "today", lambda: campaign.closes_on - dt.timedelta(days=1))
    assert tasks.remind_statements() == {"campaigns": 1, "queued": 5}
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "benturan.tasks.remind_statements"]
    assert len(entries) == 1
    assert tasks.remind_statements.name == "benturan.tasks.remind_statements"
    assert tasks.remind_statements in embedded._periodic()
