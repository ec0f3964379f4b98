"""Issue 12's inspector path in a real (headless) Chromium: the dashboard for a quarter, a figure followed to its
cases, a periodic evaluation with a recommendation, the LKE worksheet confirmed and its evidence pack downloaded;
then the dashboard once more on a phone.

The cases are made through the models beforehand, as tests/evaluasi/test_dashboard.py makes them: what the
browser checks is that the pages show, link and keep what the inspector does. The expected numbers come from the
data set below, never from evaluasi.statistics. The quarter is the one before today's, so it is always among the
periods the dashboard offers.

Uses Debian's Chromium through Playwright (tests/e2e/conftest.py). Screenshots go to tests/e2e/artifacts/.
"""

import datetime as dt
import importlib
import io
import itertools
import time
import zipfile
from zoneinfo import ZoneInfo

import pytest
from django.apps import apps
from django.utils import translation

from cases import policy, registry, workdays
from cases.models import RolePolicy, Unit
from evaluasi.models import FollowUp, LkeEdition
from evaluasi.periods import Period
from gratifikasi.models import GratifikasiObject, GratifikasiReport
from pengaduan.models import Complaint
from tests.conftest import PASSWORD
from tests.e2e.conftest import ARTIFACTS, CHROMIUM_ARGS, TIMEOUT_MS, log_in, phone_context

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.django_db(transaction=True),
]

JAKARTA = ZoneInfo("Asia/Jakarta")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PARTICIPANTS = "Inspektur Pembantu I; Sekretaris; Tim UPG"
FINDINGS = "Dua laporan penerimaan terlambat diteruskan ke KPK."
RECOMMENDATION = "Tetapkan petugas cadangan UPG agar laporan diteruskan dalam 14 hari kerja."
EXPORT_WAIT_S = 60
_numbers = itertools.count(1)


def _previous_quarter(today: dt.date) -> Period:
    current = Period.containing("quarter", today)
    return Period.containing("quarter", current.start - dt.timedelta(days=1))


def _moment(day: dt.date, hour: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, tzinfo=JAKARTA)


def _case(model, kind: str, *, unit, status: str, received: dt.datetime, **fields):
    """A case as the services would have left it, made in one step (tests/evaluasi/test_dashboard.py)."""
    moment = {"received_at": received} if model is Complaint else {}
    return model.objects.create(
        kind=kind,
        reference=f"{registry.get(kind).prefix}-E{next(_numbers):05d}",
        unit=unit,
        status=status,
        submitted_at=received,
        **moment,
        **fields,
    )


def _desktop(browser):
    context = browser.new_context(locale="id-ID", viewport={"width": 1280, "height": 900}, accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _no_sideways_scroll(page) -> None:
    width = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"page scrolls sideways: {width}"


def _show_period(page, base: str, period: Period, unit_code: str) -> None:
    """The dashboard's period form as a person uses it: the kind "Triwulan", the quarter, the unit."""
    page.goto(base + "/evaluasi/")
    page.select_option("select[name=jenis]", label="Triwulan")
    page.select_option("select[name=periode]", period.code)
    page.select_option("select[name=unit]", unit_code)
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_load_state()


def _charts_loaded(page) -> None:
    """Every chart on the page scrolled into view (they load lazily) and drawn."""
    charts = page.locator("img.chart")
    count = charts.count()
    assert count > 0
    for index in range(count):
        charts.nth(index).scroll_into_view_if_needed()
    page.wait_for_function(
        "() => [...document.querySelectorAll('img.chart')].every(img => img.complete)", timeout=TIMEOUT_MS
    )
    broken = page.evaluate(
        "() => [...document.querySelectorAll('img.chart')].filter(img => !(img.naturalWidth > 0)).map(i => i.src)"
    )
    assert broken == [], f"charts that did not load: {broken}"


def test_inspector_dashboard_cases_evaluation_lke_and_evidence_pack(
    live_server, chromium_path, make_user, inspektur, pegawai, unit, other_unit
):
    from playwright.sync_api import expect, sync_playwright

    # All database work before the browser starts (Django refuses ORM calls inside Playwright's event loop).
    RolePolicy.objects.update(require_two_factor=False)
    if not LkeEdition.objects.filter(is_current=True).exists():
        # A transactional test before this one flushed the edition the migration seeds: seed it again.
        importlib.import_module("evaluasi.migrations.0002_i12_lke_seed").seed(apps, None)
    root, sekr, humas = unit.parent, unit, other_unit
    lain = Unit.objects.create(code="LAIN", name="Lain")
    owner = make_user("kasubag", policy.PEGAWAI, first_name="Rina", last_name="Kartika")
    today = workdays.today()
    quarter = _previous_quarter(today)
    middle = quarter.start + dt.timedelta(days=40)
    # Gratifikasi received in the quarter under ROOT (ROOT itself and its sub-units), one before it, one in a
    # unit outside ROOT.
    inside = [
        (sekr, "recorded", _moment(quarter.start, 9)),
        (sekr, "analysing", _moment(middle, 10)),
        (humas, "analysing", _moment(middle + dt.timedelta(days=5), 11)),
        (root, "closed", _moment(quarter.end, 15)),
    ]
    outside = [
        (sekr, "recorded", _moment(quarter.start - dt.timedelta(days=2), 9)),
        (lain, "recorded", _moment(middle, 9)),
    ]
    expected, analysing = [], []
    for where, status, received in inside + outside:
        report = _case(
            GratifikasiReport,
            "gratifikasi",
            unit=where,
            status=status,
            received=received,
            closed_at=received + dt.timedelta(days=10) if status == "closed" else None,
            reporter=pegawai,
            report_type="penerimaan",
            date_received=received.date() - dt.timedelta(days=3),
        )
        GratifikasiObject.objects.create(report=report, kind="barang", description="x", value=750_000)
        if (where, status, received) in inside:
            expected.append(report.reference)
            if status == "analysing":
                analysing.append(report.reference)
    for where, received in ((sekr, _moment(middle, 8)), (humas, _moment(middle, 13))):
        _case(
            Complaint,
            "pengaduan",
            unit=where,
            status="in_progress",
            received=received,
            category="02",
            description="-",
            identity_mode="anonymous",
        )
    with translation.override("id"):
        belum = str(FollowUp.BELUM.label)
    due_on = today + dt.timedelta(days=60)
    held_on = min(quarter.end + dt.timedelta(days=10), today)  # never after today (refused)
    base = live_server.url
    ARTIFACTS.mkdir(exist_ok=True)
    started = time.monotonic()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS, headless=True)
        try:
            office = _desktop(browser)
            page = office.new_page()
            log_in(page, base, inspektur.username, PASSWORD)

            # --- (1) the dashboard for the quarter, ROOT with its sub-units -------------------------------
            _show_period(page, base, quarter, root.code)
            expect(page.locator("h1 small")).to_contain_text(quarter.label)
            expect(page.locator("h1 small")).to_contain_text(root.name)
            expect(page.locator("select[name=periode]")).to_have_value(quarter.code)
            received = page.locator('[data-figure="gratifikasi.received"]')
            expect(received).to_have_text(str(len(inside)))
            expect(page.locator('[data-figure="pengaduan.received"]')).to_have_text("2")
            page.screenshot(path=ARTIFACTS / "evaluasi-dashboard-desktop.png", full_page=True)

            # --- (2) "Diterima", then a status count, followed to their cases -------------------------------
            received.locator("a").click()
            page.wait_for_load_state()
            assert "/evaluasi/kasus/?" in page.url
            expect(page.locator("[data-total]")).to_have_attribute("data-total", str(len(inside)))
            rows = page.locator("table.cases tbody tr")
            expect(rows).to_have_count(len(inside))
            shown = sorted(rows.locator("td:first-child a").all_inner_texts())
            assert shown == sorted(expected)
            page.screenshot(path=ARTIFACTS / "evaluasi-cases-desktop.png", full_page=True)
            reference = shown[0]
            page.get_by_role("link", name=reference, exact=True).click()
            page.wait_for_load_state()
            expect(page).to_have_url(f"{base}/kasus/{reference}/")
            expect(page.locator("main")).to_contain_text(reference)

            # A status count ("Dianalisis") opens exactly the cases in that status.
            _show_period(page, base, quarter, root.code)
            analysing_link = page.locator('#kind-gratifikasi [data-figure="gratifikasi.status.analysing"] a')
            expect(analysing_link).to_have_text(str(len(analysing)))
            analysing_link.click()
            page.wait_for_load_state()
            listed = page.locator("table.cases tbody tr td:first-child a")
            expect(listed).to_have_count(len(analysing))
            assert sorted(listed.all_inner_texts()) == sorted(analysing)

            # --- (3) a periodic evaluation: a bad period first, then recorded with its minutes -----------
            page.goto(base + "/evaluasi/evaluasi-berkala/baru/")
            page.select_option("#id_module", "gratifikasi")
            page.select_option("#id_unit", label=str(sekr))
            backwards = f"{quarter.end.isoformat()}..{quarter.start.isoformat()}"
            page.fill("#id_period", backwards)
            page.fill("#id_held_on", held_on.isoformat())
            page.fill("#id_participants", PARTICIPANTS)
            page.fill("#id_findings", FINDINGS)
            page.get_by_role("button", name="Simpan evaluasi").click()
            page.wait_for_load_state()
            period_field = page.locator(".field.has-error", has=page.locator("#id_period"))
            expect(period_field).to_contain_text("Tanggal akhir periode tidak boleh sebelum tanggal awalnya.")
            expect(page.locator("#id_period")).to_have_value(backwards)
            expect(page.locator("#id_module")).to_have_value("gratifikasi")
            expect(page.locator("#id_unit")).to_have_value(str(sekr.pk))
            expect(page.locator("#id_held_on")).to_have_value(held_on.isoformat())
            expect(page.locator("#id_participants")).to_have_value(PARTICIPANTS)
            expect(page.locator("#id_findings")).to_have_value(FINDINGS)
            page.screenshot(path=ARTIFACTS / "evaluasi-evaluation-refused-desktop.png", full_page=True)
            page.fill("#id_period", quarter.code)
            page.set_input_files(
                "#id_files", files=[{"name": "notulen.pdf", "mimeType": "application/pdf", "buffer": PDF}]
            )
            page.get_by_role("button", name="Simpan evaluasi").click()
            page.wait_for_load_state()
            assert "/evaluasi/evaluasi-berkala/" in page.url and "/baru/" not in page.url, page.url
            expect(page.locator(".messages .success")).to_contain_text("Evaluasi dicatat.")
            expect(page.locator("dl.facts")).to_contain_text(FINDINGS)
            expect(page.locator("dl.facts")).to_contain_text(f"{quarter.start:%d-%m-%Y} – {quarter.end:%d-%m-%Y}")
            expect(page.locator("#documents ul.files li")).to_have_count(1)
            evaluation_url = page.url

            page.fill("#id_text", RECOMMENDATION)
            page.select_option("#id_owner", label=owner.get_full_name())
            page.fill("#id_due_on", due_on.isoformat())
            page.get_by_role("button", name="Tambah rekomendasi").click()
            page.wait_for_load_state()
            expect(page).to_have_url(evaluation_url)
            own = page.locator("#recommendations tbody tr", has_text="Rina Kartika")
            expect(own).to_have_count(1)
            expect(own).to_contain_text(f"{due_on:%d-%m-%Y}")
            page.screenshot(path=ARTIFACTS / "evaluasi-evaluation-desktop.png", full_page=True)

            page.goto(base + "/evaluasi/rekomendasi/")
            listed = page.locator("table tbody tr", has_text=RECOMMENDATION[:60])
            expect(listed).to_have_count(1)
            expect(listed).to_contain_text("Rina Kartika")
            expect(listed).to_contain_text(sekr.name)
            expect(listed).to_contain_text(f"{due_on:%d-%m-%Y}")
            expect(listed.locator("td").last).to_have_text(belum)

            # --- (4) the LKE worksheet for SEKR and the year: confirm one, override another ---------------
            page.goto(base + "/evaluasi/lke/")
            page.select_option("#id_unit", sekr.code)
            page.fill("#id_periode", str(quarter.start.year))
            page.get_by_role("button", name="Buka", exact=True).click()
            page.wait_for_load_state()
            assert "/evaluasi/lke/" in page.url and page.url.rstrip("/") != base + "/evaluasi/lke", page.url
            worksheet_url = page.url.split("#")[0]
            expect(page.locator("h1")).to_have_text("LKE Penguatan Pengawasan")
            expect(page.locator("main")).to_contain_text(f"{sekr.code} — {sekr.name}")
            suggested = page.locator("article.lke-question").filter(has=page.locator("[data-suggestion]"))
            with_options = suggested.filter(has=page.locator("select[name=value]"))
            assert suggested.count() >= 2, "the worksheet suggests fewer than two answers"
            assert with_options.count() >= 1
            override = with_options.first
            override_code = override.get_attribute("data-question")
            confirm_code = next(
                code
                for code in suggested.evaluate_all("els => els.map(e => e.dataset.question)")
                if code != override_code
            )

            article = page.locator(f'article[data-question="{confirm_code}"]')
            suggestion = article.locator("[data-suggestion]").inner_text()
            article.get_by_role("button", name="Konfirmasi saran").click()
            page.wait_for_load_state()
            expect(page.locator(".messages .success")).to_contain_text(f"Jawaban {confirm_code} disimpan.")
            article = page.locator(f'article[data-question="{confirm_code}"]')
            expect(article.locator("[data-answer]")).to_have_text(suggestion)

            article = page.locator(f'article[data-question="{override_code}"]')
            suggestion = article.locator("[data-suggestion]").inner_text()
            options = article.locator("select[name=value] option")
            other = next(
                (value, text)
                for value, text in zip(
                    options.evaluate_all("els => els.map(e => e.value)"),
                    options.all_inner_texts(),
                    strict=True,
                )
                if not text.startswith(suggestion)
            )
            override_form = article.locator("form", has=page.locator("select[name=value]"))
            override_form.locator("select[name=value]").select_option(other[0])
            override_form.get_by_role("button").click()
            page.wait_for_load_state()
            article = page.locator(f'article[data-question="{override_code}"]')
            expect(article.locator(".errors")).to_have_text("Jawaban berbeda dari saran: tuliskan catatan alasannya.")
            expect(article.locator("[data-answer]")).to_have_count(0)  # nothing saved
            # Said at the top too, linking to the question, and the browser lands on the question: the
            # worksheet is long, and a refusal shown only far below the fold goes unseen.
            summary = page.locator("main > .errors[role=alert]")
            expect(summary).to_contain_text(f"Jawaban {override_code} tidak disimpan")
            expect(summary.locator("a")).to_have_attribute("href", f"#q-{override_code}")
            assert page.url.endswith(f"#q-{override_code}"), page.url
            expect(article).to_be_in_viewport()
            expect(article.locator("select[name=value]")).to_have_value(other[0])  # what was chosen, kept
            page.screenshot(path=ARTIFACTS / "evaluasi-lke-refused-desktop.png", full_page=True)
            note = "Bukti sosialisasi belum lengkap; nilai diturunkan."
            override_form = article.locator("form", has=page.locator("select[name=value]"))
            override_form.locator("textarea[name=note]").fill(note)
            override_form.get_by_role("button").click()
            page.wait_for_load_state()
            expect(page.locator(".messages .success")).to_contain_text(f"Jawaban {override_code} disimpan.")
            article = page.locator(f'article[data-question="{override_code}"]')
            expect(article.locator("[data-answer]")).to_be_visible()
            assert other[1].startswith(article.locator("[data-answer]").inner_text().strip())
            expect(article).to_contain_text(note)
            page.screenshot(path=ARTIFACTS / "evaluasi-lke-desktop.png", full_page=True)

            # --- (5) the evidence pack: a background export, its page refreshing until ready --------------
            page.goto(worksheet_url)
            page.get_by_role("link", name="Unduh paket bukti (ZIP)").click()
            page.wait_for_load_state()
            assert "/evaluasi/ekspor/" in page.url, page.url
            pack_title = f"Paket bukti LKE — {sekr.code} — Tahun {quarter.start.year}"
            expect(page.locator("main")).to_contain_text(pack_title)  # not the exporter's code "lke.pack"
            page.get_by_role("button", name="Buat ekspor").click()
            page.wait_for_load_state()
            job_url = page.url
            expect(page.locator("h1")).to_have_text(pack_title)
            assert "/evaluasi/ekspor/" in job_url and job_url.rstrip("/").count("/") >= 5, job_url
            download_link = page.get_by_role("link", name="Unduh", exact=False).filter(has_text=".zip")
            if not download_link.count():  # still being made: the page asks the browser to refresh it
                expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(1)
            deadline = time.monotonic() + EXPORT_WAIT_S
            while not download_link.count():
                assert time.monotonic() < deadline, "the evidence pack was not ready within a minute"
                assert "Gagal" not in page.locator("[role=status]").inner_text(), page.content()
                page.wait_for_timeout(1000)
                page.goto(job_url)
            expect(page.locator('meta[http-equiv="refresh"]')).to_have_count(0)  # ready: no more refreshing
            page.screenshot(path=ARTIFACTS / "evaluasi-export-desktop.png", full_page=True)
            with page.expect_download() as info:
                download_link.click()
            download = info.value
            saved = ARTIFACTS / "evaluasi-paket-bukti.zip"
            download.save_as(saved)
            assert download.suggested_filename.endswith(".zip")
            data = saved.read_bytes()
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                assert archive.testzip() is None
                names = archive.namelist()
            assert any(name.endswith(".xlsx") for name in names), names
            assert any(name.endswith(".pdf") for name in names), names
            office.close()

            # --- (6) the dashboard on a phone: no sideways scroll, every chart drawn -----------------------
            phone = phone_context(browser)
            small = phone.new_page()
            log_in(small, base, inspektur.username, PASSWORD)
            _show_period(small, base, quarter, root.code)
            expect(small.locator('[data-figure="gratifikasi.received"]')).to_have_text(str(len(inside)))
            _no_sideways_scroll(small)
            _charts_loaded(small)
            _no_sideways_scroll(small)
            small.screenshot(path=ARTIFACTS / "evaluasi-dashboard-phone.png", full_page=True)
            phone.close()
        finally:
            browser.close()
    assert time.monotonic() - started < 120
