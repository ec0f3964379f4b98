"""The public transparency page (/pengaduan/statistik/) and its selector: numbers only, anonymous, a few
queries whatever the number of complaints."""

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from cases import services
from pengaduan import selectors
from pengaduan.models import Channel, Complaint, IdentityMode, Service
from pengaduan.services import complaint_file, complaint_rate

SECRET_TEXT = "Petugas loket ZQXW meminta uang tambahan"
SECRET_NAME = "Budi Pengadu Rahasia"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def service(unit):
    return Service.objects.create(code="ktp", name="Pembuatan KTP", unit=unit)


def jakarta(year, month, day, hour=10):
    return timezone.make_aware(dt.datetime(year, month, day, hour))


def file(service, *, category="02", channel=Channel.WEB, at=None, identity_mode=IdentityMode.IDENTIFIED, actor=None):
    complaint, _pin = complaint_file(
        fields={"service": service, "category": category, "description": SECRET_TEXT, "location": "Loket 3"},
        identity_mode=identity_mode,
        identity={"complainant_name": SECRET_NAME, "complainant_contact": "0812", "complainant_email": "b@x.test"},
        files=[],
        channel=channel,
        received_at=at,
        actor=actor,
    )
    return complaint


def walk_to_closed(complaint, handler, unit):
    """Verify, dispose, first follow-up, answer, and the complainant's confirmation recorded by the officer."""
    complaint = services.transition(complaint, "start_verification", handler)
    complaint = services.transition(complaint, "dispose", handler, disposed_unit=unit, handler=handler)
    complaint = services.transition(complaint, "respond_first", handler, note="Sedang kami periksa.")
    complaint = services.transition(
        complaint, "send_answer", handler, answer="Biaya dikembalikan.", answer_signatory="Kepala Kantor"
    )
    complaint = services.transition(
        complaint, "record_confirmation", handler, note="Pengadu menelepon.", reason="Dikonfirmasi.", confirmed=True
    )
    return Complaint.objects.get(pk=complaint.pk)


def test_it_counts_per_month_category_and_channel(service, handler):
    with time_machine.travel(jakarta(2026, 3, 2), tick=False):
        file(service, category="02")
        file(service, category="02", channel=Channel.OPEN311)
        file(service, category="03", channel=Channel.TELEPON, actor=handler)
    with time_machine.travel(jakarta(2026, 7, 1), tick=False):
        file(service, category="10", channel=Channel.SURAT, actor=handler)
    with time_machine.travel(jakarta(2025, 12, 31), tick=False):
        file(service, category="02")  # another year

    with time_machine.travel(jakarta(2026, 8, 3), tick=False):
        stats = selectors.public_statistics(year=2026)

    assert stats.total == 4
    assert dict(stats.per_month) == {1: 0, 2: 0, 3: 3, 4: 0, 5: 0, 6: 0, 7: 1, 8: 0, 9: 0, 10: 0, 11: 0, 12: 0}
    categories = {code: count for code, _label, count in stats.per_category}
    assert len(categories) == 10
    assert categories["02"] == 2 and categories["03"] == 1 and categories["10"] == 1 and categories["01"] == 0
    channels = {code: count for code, _label, count in stats.per_channel}
    assert channels[Channel.WEB] == 1 and channels[Channel.OPEN311] == 1
    assert channels[Channel.TELEPON] == 1 and channels[Channel.SURAT] == 1
    assert stats.years == [2025, 2026]


def test_it_counts_a_complaint_by_its_month_in_jakarta(service):
    # 31 January 20:00 UTC is 1 February 03:00 in Jakarta.
    with time_machine.travel(dt.datetime(2026, 1, 31, 20, tzinfo=dt.UTC), tick=False):
        file(service)
        stats = selectors.public_statistics(year=2026)
    assert dict(stats.per_month)[2] == 1 and dict(stats.per_month)[1] == 0


def test_it_shares_the_clocks_met_on_time_and_averages_satisfaction(service, handler, unit):
    # On time: filed and walked through on one Monday.
    with time_machine.travel(jakarta(2026, 3, 2), tick=False):
        on_time = walk_to_closed(file(service), handler, unit)
        complaint_rate(complaint=on_time, score=5)
        late = file(service)
    # Late: verified and disposed two weeks later (3 HK allowed), then answered at once.
    with time_machine.travel(jakarta(2026, 3, 16), tick=False):
        late = walk_to_closed(late, handler, unit)
        complaint_rate(complaint=late, score=2)
        stats = selectors.public_statistics(year=2026)

    shares = {clock.code: clock for clock in stats.clocks}
    assert (shares["verification"].on_time, shares["verification"].decided) == (1, 2)
    assert shares["verification"].percent == 50
    assert (shares["first_follow_up"].on_time, shares["first_follow_up"].decided) == (2, 2)
    assert (shares["resolution"].on_time, shares["resolution"].decided) == (2, 2)
    assert stats.satisfaction_average == 3.5 and stats.satisfaction_count == 2


def test_it_counts_a_running_clock_past_its_due_date_as_outside_it(service):
    with time_machine.travel(jakarta(2026, 3, 2), tick=False):
        file(service)
    with time_machine.travel(jakarta(2026, 3, 20), tick=False):
        stats = selectors.public_statistics(year=2026)
    verification = next(clock for clock in stats.clocks if clock.code == "verification")
    assert (verification.on_time, verification.decided) == (0, 1)


def test_the_page_works_anonymously_and_shows_numbers_only(client, service, handler, unit):
    complaint = walk_to_closed(file(service, identity_mode=IdentityMode.CONFIDENTIAL), handler, unit)
    complaint_rate(complaint=complaint, score=4, comment="Komentar rahasia QWERTY")
    file(service, identity_mode=IdentityMode.ANONYMOUS)

    response = client.get(reverse("pengaduan_publik:statistics"))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Perpres 76/2013" in html
    assert "02 Pelayanan masyarakat" in html
    assert "4.0" in html or "4,0" in html
    for secret in (SECRET_TEXT, SECRET_NAME, "Loket 3", "QWERTY", "Biaya dikembalikan", complaint.reference, "ADU-"):
        assert secret not in html
    assert "<script" not in html


def test_the_page_shows_a_chosen_year_and_refuses_an_unknown_one_plainly(client, service):
    with time_machine.travel(jakarta(2025, 5, 5), tick=False):
        file(service)
    url = reverse("pengaduan_publik:statistics")

    chosen = client.get(url, {"tahun": "2025"}).content.decode()
    assert "Statistik pengaduan masyarakat 2025" in chosen
    assert "1 pengaduan diterima" in chosen

    unknown = client.get(url, {"tahun": "1999"}).content.decode()
    assert "Tahun yang dipilih tidak tersedia" in unknown
    assert f"Statistik pengaduan masyarakat {timezone.localdate().year}" in unknown


def test_the_page_needs_a_bounded_number_of_queries(client, service, handler, unit, django_assert_max_num_queries):
    for index in range(12):
        complaint = file(service, category=f"{index % 10 + 1:02d}")
        if index % 3 == 0:
            complaint_rate(complaint=walk_to_closed(complaint, handler, unit), score=index % 5 + 1)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("pengaduan_publik:statistics"))
    assert response.status_code == 200
