"""The complaint officers' other channels in a real (headless) Chromium (issue 10, "Done when"): an officer
records an SP4N-LAPOR! disposition (its LAPOR! ticket, received in the past; a first try without the ticket
refused, what was typed kept) and reads the tracking number and PIN shown once; the complaint alleges
corruption, so the officer converts it into a WBS report ("Alihkan ke WBS (dugaan korupsi)") and sees it
closed as "Dialihkan ke WBS", linked under "Kasus terkait"; a WBS coordinator then finds the new report, the
complainant's identity only as "given, sealed".

Uses Debian's Chromium through Playwright, like test_wbs_flow.py; screenshots go to tests/e2e/artifacts/.
"""

import datetime as dt
import re

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.utils import timezone

from cases import policy, workdays
from cases.models import CaseLink, Confidentiality, RolePolicy, TrackingCredential
from pengaduan.models import Channel, Complaint, IdentityMode, Service, Status
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, log_in
from wbs import services as wbs_services
from wbs.models import IdentitySeal, WbsReport

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

SERVICE = "Izin Mendirikan Bangunan"
LAPOR_ID = "LPR-8812345"
RECEIVED_TIME = "09:45"
DESCRIPTION = "Petugas perizinan meminta 'uang rokok' Rp2.000.000 agar izin bangunan saya diterbitkan minggu ini."
LOCATION = "Kantor Pelayanan Perizinan"
NAME = "Hendra Pengadu LAPOR"
CONTACT = "0813-2222-9090"
CONVERT_REASON = "Pengadu melaporkan permintaan uang oleh petugas: dugaan pungli, ditangani lewat WBS."
PASSPHRASE = "kunci kustodian untuk uji peramban"


def _office(browser):
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    return context


def test_lapor_disposition_recorded_then_converted_into_a_wbs_report(live_server, chromium_path, make_user, unit):
    from playwright.sync_api import expect, sync_playwright

    # All database work before the browser starts (and after it stops): Playwright's sync API runs an event
    # loop in this thread, and Django refuses ORM calls from inside one.
    cache.clear()  # the PIN shown once waits in the (locmem) cache
    Service.objects.create(code="imb", name=SERVICE, unit=unit)
    officer_user = make_user("adu1", policy.PETUGAS_PENGADUAN, first_name="Sari", last_name="Pencatat")
    coordinator = make_user("wbs1", policy.PENGELOLA_WBS)
    coordinator.user_permissions.add(Permission.objects.get(codename="coordinate_confidential"))
    # Without a custodian key the WBS side refuses to carry an identity it cannot seal (wbs.services.
    # report_from_conversion): the identity custodian makes one first.
    custodian_key = wbs_services.custodian_key_create(
        user=make_user("kustodian1", policy.KUSTODIAN), passphrase=PASSPHRASE
    )
    # Two-factor sign-in has its own tests (as in test_wbs_flow); switched off for both roles here.
    RolePolicy.objects.filter(group__name__in=[policy.PETUGAS_PENGADUAN, policy.PENGELOLA_WBS]).update(
        require_two_factor=False
    )
    year = workdays.today().year
    reference = f"ADU-{year}-000001"
    wbs_reference = f"WBS-{year}-000001"
    received_day = workdays.today() - dt.timedelta(days=2)
    received_date = received_day.isoformat()
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            # --- (1) the officer records the LAPOR! disposition ---------------------------------------------
            office = _office(browser)
            page = office.new_page()
            log_in(page, base, "adu1", PASSWORD)
            page.goto(base + "/kelola/pengaduan/catat/")
            page.wait_for_load_state()
            expect(page.locator("h1")).to_have_text("Catat pengaduan dari saluran lain")
            page.get_by_label("Saluran:", exact=True).select_option(label="Disposisi SP4N-LAPOR!")
            page.get_by_label("Tanggal diterima:", exact=True).fill(received_date)
            page.get_by_label("Jam diterima:", exact=True).fill(RECEIVED_TIME)
            page.get_by_label("Layanan:", exact=True).select_option(label=SERVICE)
            page.get_by_label("Tempat layanan:", exact=True).fill(LOCATION)
            page.get_by_label("Kategori masalah:", exact=True).select_option("03")
            page.get_by_label("Apa yang diadukan:", exact=True).fill(DESCRIPTION)
            page.get_by_label("Dengan identitas: petugas melihat nama dan kontak pengadu").check()
            page.get_by_label("Nama pengadu:", exact=True).fill(NAME)
            page.get_by_label("Telepon / alamat pengadu:", exact=True).fill(CONTACT)

            # Without its LAPOR! ticket the disposition is refused, everything typed kept.
            page.get_by_role("button", name="Catat pengaduan").click()
            page.wait_for_load_state()
            expect(page).to_have_url(base + "/kelola/pengaduan/catat/")
            expect(page.locator("#errors")).to_contain_text("Pengaduan belum tercatat")
            ticket_field = page.locator(".field.has-error", has=page.locator("#id_lapor_tracking_id"))
            expect(ticket_field).to_contain_text("Disposisi SP4N-LAPOR! memerlukan nomor tiket LAPOR!.")
            expect(page.locator("#id_channel")).to_have_value(Channel.LAPOR)
            expect(page.locator("#id_received_date")).to_have_value(received_date)
            expect(page.locator("#id_received_time")).to_have_value(RECEIVED_TIME)
            expect(page.locator("#id_description")).to_have_value(DESCRIPTION)
            expect(page.locator("#id_complainant_name")).to_have_value(NAME)
            page.screenshot(path=ARTIFACTS / "pengaduan-record-refused.png", full_page=True)

            page.get_by_label("Nomor tiket SP4N-LAPOR!", exact=True).fill(LAPOR_ID)
            page.get_by_role("button", name="Catat pengaduan").click()
            page.wait_for_load_state()
            expect(page).to_have_url(re.compile(re.escape(base) + r"/kelola/pengaduan/catat/[\w-]+/$"))
            expect(page.locator("h1")).to_have_text("Pengaduan tercatat")
            expect(page.locator("#number")).to_have_text(reference)
            expect(page.locator("#pin")).to_have_text(re.compile(r"^\s*\d{4}-\d{4}\s*$"))
            pin = page.locator("#pin").inner_text().strip()
            page.screenshot(path=ARTIFACTS / "pengaduan-recorded-pin.png", full_page=True)
            recorded_url = page.url
            page.get_by_role("link", name="Buka pengaduan").click()
            page.wait_for_load_state()
            expect(page).to_have_url(f"{base}/kasus/{reference}/")
            # Shown once: the same address again shows only the notice.
            check = office.new_page()
            check.goto(recorded_url)
            check.wait_for_load_state()
            expect(check.locator("h1")).to_have_text("PIN sudah ditampilkan")
            expect(check.locator("main")).not_to_contain_text(pin)
            check.close()

            # The case page: the channel, the ticket, and the clocks counting from when it arrived.
            report = page.locator("section.report")
            expect(report).to_contain_text("Disposisi SP4N-LAPOR!")
            expect(report).to_contain_text(LAPOR_ID)
            expect(report).to_contain_text(f"{received_day:%d-%m-%Y} {RECEIVED_TIME}")
            # The case's own "Diterima" says the same day, not the day it was typed in.
            received_fact = page.locator("main > dl.facts dt", has_text="Diterima").locator(
                "xpath=following-sibling::dd[1]"
            )
            expect(received_fact).to_have_text(f"{received_day:%d-%m-%Y}")
            expect(page.locator("#complainant")).to_contain_text(NAME)
            expect(page.locator(".facts .status")).to_have_text("Diterima")
            verification = page.locator("table.clocks tbody tr", has_text="Verifikasi dan penerusan")
            expect(verification.locator("td").nth(2)).to_have_text(f"{received_day:%d-%m-%Y}")

            # --- (2) it alleges corruption: converted into a WBS report -------------------------------------
            page.get_by_role("link", name="Alihkan ke WBS (dugaan korupsi)").click()
            page.wait_for_load_state()
            expect(page).to_have_url(f"{base}/kasus/{reference}/tindakan/convert_to_wbs/")
            expect(page.locator("h1")).to_have_text("Alihkan ke WBS (dugaan korupsi)")
            page.get_by_label("Kategori laporan WBS").select_option("suap_pungli")
            page.get_by_label("Alasan (wajib; dicatat di log audit)").fill(CONVERT_REASON)
            page.get_by_label("Saya yakin: langkah ini menutup kasus atau tidak dapat dibatalkan.").check()
            page.get_by_role("button", name="Alihkan ke WBS (dugaan korupsi)").click()
            page.wait_for_load_state()
            expect(page).to_have_url(f"{base}/kasus/{reference}/")
            expect(page.locator(".messages .success")).to_contain_text("Dialihkan ke WBS")
            expect(page.locator(".facts .status")).to_have_text("Dialihkan ke WBS")
            links = page.locator("section.links")
            expect(links.locator("h2")).to_have_text("Kasus terkait")
            expect(links.locator("li")).to_have_count(1)
            expect(links.locator("li")).to_contain_text("Dialihkan ke:")
            # WBS reports are RAHASIA and segregated (tests/e2e/test_segregation.py): a complaint officer sees
            # that the complaint went to a case they may not open, not its number or a link to it.
            expect(links.locator("li")).to_contain_text("kasus yang tidak dapat Anda lihat")
            expect(links.locator("a")).to_have_count(0)
            expect(links).not_to_contain_text(wbs_reference)
            # No readable identity is left on the complaint.
            expect(page.locator("main")).not_to_contain_text(NAME)
            expect(page.locator("main")).not_to_contain_text(CONTACT)
            expect(page.locator("section.actions")).to_have_count(0)
            page.screenshot(path=ARTIFACTS / "pengaduan-converted-to-wbs.png", full_page=True)
            office.close()

            # --- (3) the WBS coordinator sees the new report, the identity only as sealed -----------------
            wbs_office = _office(browser)
            desk = wbs_office.new_page()
            log_in(desk, base, "wbs1", PASSWORD)
            expect(desk).to_have_url(base + "/kasus/")
            row = desk.locator("table.cases tbody tr", has_text=wbs_reference)
            expect(row).to_have_count(1)
            expect(row.locator("td").nth(1)).to_have_text("WBS")
            expect(row.locator("td").nth(2)).to_have_text("Diterima")
            row.get_by_role("link", name=wbs_reference).click()
            desk.wait_for_load_state()
            expect(desk).to_have_url(f"{base}/kasus/{wbs_reference}/")
            wbs_block = desk.locator("section.report")
            expect(wbs_block).to_contain_text(DESCRIPTION)
            expect(wbs_block).to_contain_text("Suap atau pungutan liar")
            expect(wbs_block).to_contain_text(f"Dialihkan dari pengaduan masyarakat {reference}.")
            identity = wbs_block.locator("dt", has_text="Identitas pelapor").locator("xpath=following-sibling::dd[1]")
            expect(identity).to_have_text(
                "identitas diberikan (tersegel; hanya dapat dibuka atas persetujuan kustodian)"
            )
            expect(desk.locator("main")).not_to_contain_text(NAME)
            expect(desk.locator("main")).not_to_contain_text(CONTACT)
            back = desk.locator("section.links li")
            expect(back).to_have_count(1)
            expect(back).to_contain_text("Dialihkan dari:")
            desk.screenshot(path=ARTIFACTS / "wbs-from-pengaduan.png", full_page=True)
            wbs_office.close()
        finally:
            browser.close()

    # What the browsers did, as the database has it.
    complaint = Complaint.objects.get()  # the refused first try recorded nothing
    assert complaint.reference == reference
    assert (complaint.channel, complaint.lapor_tracking_id) == (Channel.LAPOR, LAPOR_ID)
    assert timezone.localtime(complaint.received_at).strftime("%Y-%m-%d %H:%M") == f"{received_date} {RECEIVED_TIME}"
    assert complaint.identity_mode == IdentityMode.IDENTIFIED
    assert complaint.status == Status.CONVERTED_TO_WBS and complaint.is_closed
    assert (complaint.complainant_name, complaint.complainant_contact, complaint.complainant_email) == ("", "", "")
    assert TrackingCredential.objects.get(case_id=complaint.pk).pin_hash
    assert pin.replace("-", "") not in TrackingCredential.objects.get(case_id=complaint.pk).pin_hash
    report = WbsReport.objects.get()
    assert report.reference == wbs_reference
    assert (report.status, report.category, report.description) == ("received", "suap_pungli", DESCRIPTION)
    assert report.confidentiality == Confidentiality.RAHASIA
    assert report.identity_provided and IdentitySeal.objects.filter(report=report, custodian=custodian_key).exists()
    assert CaseLink.objects.filter(
        from_case_id=complaint.pk, to_case_id=report.pk, relation="converted_to", created_by=officer_user
    ).exists()
    converted = complaint.events.get(action="transition", to_status=Status.CONVERTED_TO_WBS)
    assert converted.actor_id == officer_user.pk
