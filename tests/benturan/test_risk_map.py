"""The risk map (pemetaan / identifikasi benturan kepentingan): who prepares, approves and reads it, its
versions per year, the coverage of the unit's main functions (LKE benturan a), and its PDF and XLSX."""

import io
import re
import shutil
import subprocess
import uuid

import openpyxl
import pytest
from django.conf import settings
from django.urls import reverse

from benturan import selectors, services
from benturan.models import MainFunction, MapStatus, RiskMap, RiskMapEntry
from cases import policy
from cases.services import CaseError, NotAllowed

YEAR = 2027

ENTRY = {
    "position": "Pejabat Pengadaan",
    "conflict_form": "Menilai penawaran dari penyedia milik keluarga.",
    "situation": "Pengadaan langsung barang/jasa.",
    "source": "keluarga",
    "likelihood": 4,
    "impact": 4,
    "control": "Pernyataan tidak berbenturan; pejabat lain menilai.",
}


@pytest.fixture
def head(kepala, unit):
    """The head of the unit (Unit.head): prepares and approves the unit's map."""
    unit.head = kepala
    unit.save(update_fields=["head"])
    return kepala


@pytest.fixture
def stranger(make_user, other_unit):
    """An employee of another unit."""
    user = make_user("stranger", policy.PEGAWAI)
    user.profile.unit = other_unit
    user.profile.save()
    return user


@pytest.fixture
def admin_elsewhere(admin_user, other_unit):
    """The admin, employed in another unit: being admin opens nothing on the map."""
    admin_user.profile.unit = other_unit
    admin_user.profile.save()
    return admin_user


@pytest.fixture
def functions(unit):
    return [MainFunction.objects.create(unit=unit, name=name, order=i) for i, name in enumerate("ABCD", start=1)]


@pytest.fixture
def make_map(head, unit, functions):
    """A map of `unit` for `year` with one row per given function (None: a row without a function)."""

    def make(*, rows=(0,), approve=False, year=YEAR):
        risk_map = services.map_create(actor=head, unit=unit, year=year)
        for index in rows:
            function = functions[index] if index is not None else None
            services.entry_save(actor=head, risk_map=risk_map, fields={**ENTRY, "function": function})
        if approve:
            risk_map = services.map_approve(actor=head, risk_map=risk_map)
        return RiskMap.objects.get(pk=risk_map.pk)

    return make


def detail(risk_map, name="benturan:map_detail", **kwargs):
    return reverse(name, kwargs={"uuid": risk_map.uuid, **kwargs})


def entry_post(risk_map, **changes):
    return {**ENTRY, "function": "", **changes}


# --- Preparing: who may draft


def test_inspektur_opens_a_draft_for_any_unit(client, inspektur, unit):
    client.force_login(inspektur)
    response = client.post(reverse("benturan:map_new"), {"unit": unit.pk, "year": YEAR})
    risk_map = RiskMap.objects.get(unit=unit, year=YEAR)
    assert response.status_code == 302 and response["Location"] == detail(risk_map)
    assert (risk_map.version, risk_map.status, risk_map.prepared_by) == (1, MapStatus.DRAFT, inspektur)


def test_unit_head_opens_a_draft_and_adds_rows(client, head, unit, functions):
    client.force_login(head)
    client.post(reverse("benturan:map_new"), {"unit": unit.pk, "year": YEAR})
    risk_map = RiskMap.objects.get(unit=unit, year=YEAR)
    response = client.post(detail(risk_map, "benturan:map_entry_add"), entry_post(risk_map, function=functions[0].pk))
    assert response.status_code == 302
    entry = risk_map.entries.get()
    assert (entry.position, entry.function, entry.score, entry.band) == (
        "Pejabat Pengadaan",
        functions[0],
        16,
        "Sangat tinggi",
    )
    page = client.get(detail(risk_map))
    assert page.status_code == 200 and b"Pejabat Pengadaan" in page.content and b"16" in page.content


def test_a_bad_row_comes_back_with_what_was_typed(client, head, make_map):
    risk_map = make_map(rows=())
    client.force_login(head)
    response = client.post(
        detail(risk_map, "benturan:map_entry_add"), entry_post(risk_map, control="", position="Bendahara X")
    )
    assert response.status_code == 200
    assert "Bendahara X" in response.content.decode() and not risk_map.entries.exists()


def test_pegawai_of_the_unit_reads_the_approved_map_but_not_the_draft_and_prepares_nothing(
    client, pegawai, make_map, unit
):
    approved = make_map(approve=True)
    draft = make_map(rows=())  # version 2, copied
    client.force_login(pegawai)
    assert client.get(detail(approved)).status_code == 200
    assert client.get(detail(approved, "benturan:map_pdf")).status_code == 200
    assert client.get(detail(draft)).status_code == 404
    assert client.post(detail(draft, "benturan:map_entry_add"), entry_post(draft)).status_code == 404
    assert client.get(reverse("benturan:functions", args=[unit.code])).status_code == 403
    listing = client.get(reverse("benturan:maps")).content.decode()
    assert str(approved.uuid) in listing and str(draft.uuid) not in listing
    # Editing the approved map is refused as it is to everyone who may not prepare it.
    entry = approved.entries.get()
    response = client.post(detail(approved, "benturan:map_entry_edit", order=entry.order), entry_post(approved))
    assert response.status_code == 403
    # Opening a draft: their unit is not among the choices, so nothing is created.
    count = RiskMap.objects.count()
    assert client.post(reverse("benturan:map_new"), {"unit": unit.pk, "year": YEAR + 1}).status_code == 200
    assert RiskMap.objects.count() == count


def test_an_employee_of_another_unit_finds_nothing(client, stranger, make_map, unit):
    approved = make_map(approve=True)
    client.force_login(stranger)
    for name in ("benturan:map_detail", "benturan:map_pdf", "benturan:map_xlsx"):
        assert client.get(detail(approved, name)).status_code == 404, name
    assert str(approved.uuid) not in client.get(reverse("benturan:maps")).content.decode()
    assert client.get(reverse("benturan:functions", args=[unit.code])).status_code == 403
    with pytest.raises(NotAllowed):
        services.map_create(actor=stranger, unit=unit, year=YEAR + 1)


def test_admin_is_not_a_reader_or_preparer_of_maps(client, login_verified, admin_elsewhere, make_map, unit):
    approved = make_map(approve=True)
    login_verified(admin_elsewhere)
    assert client.get(detail(approved)).status_code == 404
    assert client.get(detail(approved, "benturan:map_xlsx")).status_code == 404
    assert client.get(reverse("benturan:functions", args=[unit.code])).status_code == 403


def test_the_unit_head_reads_a_sub_units_map(client, head, unit, inspektur):
    sub = unit.__class__.objects.create(code="SUB", name="Subbagian Umum", parent=unit)
    risk_map = services.map_create(actor=inspektur, unit=sub, year=YEAR)
    client.force_login(head)
    assert client.get(detail(risk_map)).status_code == 200


# --- Approval


def test_only_the_unit_head_approves(client, inspektur, atasan, head, make_map):
    risk_map = make_map()
    for user in (inspektur, atasan):
        client.force_login(user)
        response = client.post(detail(risk_map, "benturan:map_approve"), {"confirmed": "on"})
        assert response.status_code in (403, 404), user
    risk_map.refresh_from_db()
    assert risk_map.status == MapStatus.DRAFT and risk_map.approved_by is None
    client.force_login(head)
    assert client.post(detail(risk_map, "benturan:map_approve"), {"confirmed": "on"}).status_code == 302
    risk_map.refresh_from_db()
    assert (risk_map.status, risk_map.approved_by, risk_map.approved_at is not None) == (MapStatus.APPROVED, head, True)
    page = client.get(detail(risk_map)).content.decode()
    assert "Disetujui oleh" in page and reverse("benturan:map_entry_add", args=[risk_map.uuid]) not in page


def test_approval_needs_the_confirmation(client, head, make_map):
    risk_map = make_map()
    client.force_login(head)
    response = client.post(detail(risk_map, "benturan:map_approve"), {})
    assert response.status_code == 200 and "Centang pernyataan persetujuan" in response.content.decode()
    risk_map.refresh_from_db()
    assert risk_map.status == MapStatus.DRAFT


def test_an_empty_map_is_not_approved(client, head, make_map):
    risk_map = make_map(rows=())
    client.force_login(head)
    response = client.post(detail(risk_map, "benturan:map_approve"), {"confirmed": "on"})
    assert response.status_code == 409 and "masih kosong" in response.content.decode()
    risk_map.refresh_from_db()
    assert risk_map.status == MapStatus.DRAFT


# --- Versions


def test_a_new_version_copies_the_latest_approved_one(head, make_map, unit, functions):
    first = make_map(rows=(0, 1), approve=True)
    second = services.map_create(actor=head, unit=unit, year=YEAR)
    assert (second.version, second.status) == (2, MapStatus.DRAFT)
    copied = list(second.entries.values_list("function", "position", "order"))
    assert copied == list(first.entries.values_list("function", "position", "order"))
    # Changing the copy leaves the approved version as it was.
    row = second.entries.first()
    services.entry_save(actor=head, risk_map=second, entry=row, fields={**ENTRY, "position": "Bendahara"})
    assert set(first.entries.values_list("position", flat=True)) == {"Pejabat Pengadaan"}


def test_next_year_starts_from_last_years_approved_map(head, make_map, unit):
    make_map(rows=(0, 2), approve=True, year=YEAR)
    next_year = services.map_create(actor=head, unit=unit, year=YEAR + 1)
    assert next_year.version == 1 and next_year.entries.count() == 2
    assert "2027" in next_year.notes


def test_a_first_map_without_anything_approved_starts_empty(head, unit):
    risk_map = services.map_create(actor=head, unit=unit, year=YEAR)
    assert risk_map.version == 1 and not risk_map.entries.exists()


def test_a_second_draft_is_refused_with_a_link_to_the_first(client, head, make_map, unit):
    draft = make_map(rows=())
    client.force_login(head)
    response = client.post(reverse("benturan:map_new"), {"unit": unit.pk, "year": YEAR})
    assert response.status_code == 409
    page = response.content.decode()
    assert "Sudah ada konsep" in page and detail(draft) in page
    assert RiskMap.objects.filter(unit=unit, year=YEAR).count() == 1


def test_an_approved_map_never_changes(client, head, inspektur, make_map):
    risk_map = make_map(approve=True)
    entry = risk_map.entries.get()
    before = list(RiskMapEntry.objects.values())
    client.force_login(head)
    forged = client.post(
        detail(risk_map, "benturan:map_entry_edit", order=entry.order), entry_post(risk_map, position="DIUBAH")
    )
    assert forged.status_code == 403
    assert client.post(detail(risk_map, "benturan:map_entry_add"), entry_post(risk_map)).status_code == 409
    assert client.post(detail(risk_map, "benturan:map_entry_delete", order=entry.order)).status_code == 403
    assert client.post(detail(risk_map, "benturan:map_approve"), {"confirmed": "on"}).status_code == 409
    assert list(RiskMapEntry.objects.values()) == before
    with pytest.raises(CaseError):
        services.entry_save(actor=inspektur, risk_map=risk_map, entry=entry, fields={"position": "DIUBAH"})
    with pytest.raises(CaseError):
        services.entry_delete(actor=inspektur, risk_map=risk_map, entry=entry)
    assert list(RiskMapEntry.objects.values()) == before


def test_a_draft_row_is_changed_and_deleted_by_its_number(client, head, make_map):
    risk_map = make_map(rows=(0, 1))
    first, second = risk_map.entries.order_by("order")
    client.force_login(head)
    assert client.get(detail(risk_map, "benturan:map_entry_edit", order=second.order)).status_code == 200
    response = client.post(
        detail(risk_map, "benturan:map_entry_edit", order=second.order), entry_post(risk_map, position="Bendahara")
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.position == "Bendahara" and second.function is None
    assert client.post(detail(risk_map, "benturan:map_entry_delete", order=first.order)).status_code == 302
    assert list(risk_map.entries.values_list("position", flat=True)) == ["Bendahara"]


# --- Main functions


def test_the_head_adds_and_deactivates_main_functions(client, head, unit, other_unit):
    client.force_login(head)
    url = reverse("benturan:functions", args=[unit.code])
    assert client.post(url, {"action": "add", "name": "Pengadaan barang/jasa"}).status_code == 302
    function = MainFunction.objects.get(unit=unit)
    duplicate = client.post(url, {"action": "add", "name": "pengadaan  barang/jasa"})
    assert duplicate.status_code == 200 and "sudah tercatat" in duplicate.content.decode()
    assert client.post(url, {"action": "deactivate", "function": function.pk}).status_code == 302
    function.refresh_from_db()
    assert not function.is_active
    elsewhere = MainFunction.objects.create(unit=other_unit, name="Humas")
    assert client.post(url, {"action": "deactivate", "function": elsewhere.pk}).status_code == 404
    elsewhere.refresh_from_db()
    assert elsewhere.is_active


def test_an_unknown_unit_code_is_not_found(client, inspektur):
    client.force_login(inspektur)
    assert client.get(reverse("benturan:functions", args=["TIDAKADA"])).status_code == 404


# --- Coverage (LKE benturan a)


def coverage(unit):
    return selectors.map_coverage(unit=unit, year=YEAR)


def test_coverage_without_an_approved_map_is_belum(unit, make_map):
    assert coverage(unit)["answer"] == "belum"
    make_map(rows=(0, 1, 2, 3))  # a draft does not count
    found = coverage(unit)
    assert (found["risk_map"], found["mapped_count"], found["total"], found["answer"]) == (None, 0, 4, "belum")


@pytest.mark.parametrize(
    ("rows", "mapped", "percent", "answer"),
    [
        ((None,), 0, 0, "belum"),
        ((0,), 1, 25, "sebagian_kecil"),
        ((0, 0, 1), 2, 50, "sebagian_besar"),
        ((0, 1, 2), 3, 75, "sebagian_besar"),
        ((0, 1, 2, 3), 4, 100, "semua"),
    ],
)
def test_coverage_counts_the_functions_on_the_approved_map(unit, functions, make_map, rows, mapped, percent, answer):
    risk_map = make_map(rows=rows, approve=True)
    found = coverage(unit)
    assert found["risk_map"] == risk_map
    assert (found["mapped_count"], found["unmapped_count"], found["total"]) == (mapped, 4 - mapped, 4)
    assert (found["percent"], found["answer"]) == (percent, answer)
    assert set(found["mapped"]) | set(found["unmapped"]) == set(functions)


def test_coverage_reads_the_latest_approved_version_and_only_active_functions(head, unit, functions, make_map):
    make_map(rows=(0,), approve=True)
    second = services.map_create(actor=head, unit=unit, year=YEAR)
    services.entry_save(actor=head, risk_map=second, fields={**ENTRY, "function": functions[1]})
    assert coverage(unit)["mapped_count"] == 1  # the draft does not count yet
    services.map_approve(actor=head, risk_map=second)
    assert coverage(unit)["mapped_count"] == 2
    services.function_set_active(actor=head, function=functions[3], active=False)
    services.function_set_active(actor=head, function=functions[2], active=False)
    found = coverage(unit)
    assert (found["mapped_count"], found["total"], found["answer"]) == (2, 2, "semua")


def test_the_maps_list_and_the_map_page_show_the_coverage(client, pegawai, make_map):
    risk_map = make_map(rows=(0, 1), approve=True)
    client.force_login(pegawai)
    listing = client.get(reverse("benturan:maps")).content.decode()
    assert "2/4 (50%)" in listing and "Sebagian besar" in listing
    assert ">2027<" in listing
    page = client.get(detail(risk_map)).content.decode()
    assert "Sebagian besar" in page and "C" in page  # an unmapped function is named


# --- Documents


def pdf_text(data: bytes) -> str | None:
    if not shutil.which("pdftotext"):
        return None
    result = subprocess.run(["pdftotext", "-enc", "UTF-8", "-", "-"], input=data, capture_output=True, check=True)
    return re.sub(r"\s+", " ", result.stdout.decode())


def test_the_pdf_is_the_units_identification_document(client, head, make_map):
    risk_map = make_map(approve=True)
    head.first_name, head.last_name = "Siti", "Rahma"
    head.save()
    client.force_login(head)
    response = client.get(detail(risk_map, "benturan:map_pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response["Content-Disposition"] == 'attachment; filename="identifikasi-bk-sekr-2027-v1.pdf"'
    text = pdf_text(response.content)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    assert "IDENTIFIKASI BENTURAN KEPENTINGAN" in text and "Pejabat Pengadaan" in text
    assert "Siti Rahma" in text and "KONSEP" not in text
    assert "Tahun 2027" in text  # a year, not the number 2.027


def test_a_drafts_pdf_says_it_is_a_draft(client, head, make_map):
    risk_map = make_map()
    client.force_login(head)
    data = client.get(detail(risk_map, "benturan:map_pdf")).content
    assert data.startswith(b"%PDF")
    text = pdf_text(data)
    if text is None:
        pytest.skip("pdftotext (poppler-utils) not installed")
    assert "KONSEP" in text and "Pejabat Pengadaan" in text


def test_the_xlsx_freezes_its_header_and_never_runs_a_typed_formula(client, head, make_map, functions):
    risk_map = make_map(rows=())
    services.entry_save(
        actor=head,
        risk_map=risk_map,
        fields={**ENTRY, "function": functions[0], "position": '=HYPERLINK("http://x.test","klik")'},
    )
    client.force_login(head)
    response = client.get(detail(risk_map, "benturan:map_xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="identifikasi-bk-sekr-2027-v1.xlsx"'
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    header_index = next(i for i, row in enumerate(rows) if row[0].value == "No")
    assert sheet.freeze_panes == f"A{header_index + 2}"
    header = [cell.value for cell in rows[header_index]]
    assert header[:3] == ["No", "Tugas/fungsi utama", "Jabatan/kelompok jabatan"]
    data = rows[header_index + 1]
    cell = data[header.index("Jabatan/kelompok jabatan")]
    assert cell.value == '=HYPERLINK("http://x.test","klik")'
    assert cell.data_type == "s" and cell.quotePrefix
    assert (
        data[header.index("Skor risiko")].value == 16 and data[header.index("Tingkat risiko")].value == "Sangat tinggi"
    )


# --- Refusals of method and address


@pytest.mark.parametrize("name", ["benturan:map_approve", "benturan:map_entry_add"])
def test_get_on_a_post_action_is_405(client, head, make_map, name):
    risk_map = make_map()
    client.force_login(head)
    assert client.get(detail(risk_map, name)).status_code == 405


def test_get_on_new_map_and_row_delete_is_405(client, head, make_map):
    risk_map = make_map()
    client.force_login(head)
    assert client.get(reverse("benturan:map_new")).status_code == 405
    order = risk_map.entries.get().order
    assert client.get(detail(risk_map, "benturan:map_entry_delete", order=order)).status_code == 405
    assert risk_map.entries.exists()


@pytest.mark.parametrize(
    "name", ["benturan:map_detail", "benturan:map_pdf", "benturan:map_xlsx", "benturan:map_approve"]
)
def test_a_forged_uuid_is_not_found(client, inspektur, name):
    client.force_login(inspektur)
    url = reverse(name, kwargs={"uuid": uuid.uuid4()})
    response = client.post(url, {"confirmed": "on"}) if name == "benturan:map_approve" else client.get(url)
    assert response.status_code == 404


def test_a_row_number_that_does_not_exist_is_not_found(client, head, make_map):
    risk_map = make_map()
    client.force_login(head)
    assert client.get(detail(risk_map, "benturan:map_entry_edit", order=99)).status_code == 404
    assert client.post(detail(risk_map, "benturan:map_entry_delete", order=99)).status_code == 404


def test_the_signin_is_required(client, make_map):
    risk_map = make_map(approve=True)
    response = client.get(detail(risk_map))
    assert response.status_code == 302 and response["Location"].startswith(reverse(settings.LOGIN_URL))
