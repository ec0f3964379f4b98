"""A unit head reads their units' evaluation records without a trace of WBS (an outside trial found WBS
evaluations, recommendations and the LKE basis open to them): not the evaluations of the WBS module, not a
recommendation on a WBS case or of a WBS evaluation (unless they own it), not the basis of the WBS questions."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from cases.models import Case, Unit
from evaluasi import services
from evaluasi.models import Evaluation, LkeWorksheet, Recommendation
from evaluasi.periods import Period

pytestmark = pytest.mark.django_db
User = get_user_model()


@pytest.fixture
def demo():
    call_command("seed_demo", stdout=io.StringIO())
    for name in ("inspektur", "kepala", "atasan"):
        User.objects.filter(username=name).update(is_staff=False)


def user(name):
    return User.objects.get(username=name)


def test_wbs_evaluations_are_the_inspectorates_alone(client, demo):
    wbs = Evaluation.objects.filter(module="wbs").first()
    assert wbs is not None
    client.force_login(user("kepala"))
    assert client.get(f"/evaluasi/evaluasi-berkala/{wbs.uuid}/").status_code == 404
    listed = client.get("/evaluasi/evaluasi-berkala/").content.decode()
    assert str(wbs.uuid) not in listed
    client.force_login(user("inspektur"))
    assert client.get(f"/evaluasi/evaluasi-berkala/{wbs.uuid}/").status_code == 200


def test_a_recommendation_on_a_wbs_case_reaches_its_owner_only(client, demo):
    report = Case.objects.filter(kind="wbs").exclude(status="draft").first()
    owner = user("atasan")
    recommendation = services.recommendation_add(
        case=report, text="Perbaiki prosedur", owner=owner, due_on=Period.year(2027).end, actor=user("inspektur")
    )
    # The owner follows it up from "Tindak lanjut saya" and its page...
    client.force_login(owner)
    assert client.get(f"/evaluasi/rekomendasi/{recommendation.uuid}/").status_code == 200
    assert str(recommendation.uuid) in client.get("/evaluasi/tindak-lanjut-saya/").content.decode()
    # ...but the unit list (what the dashboard's follow-up figures count) does not say a WBS report exists.
    assert report.reference not in client.get("/evaluasi/rekomendasi/").content.decode()
    # Their supervisor, a unit head too, reads nothing of it.
    client.force_login(user("kepala"))
    assert client.get(f"/evaluasi/rekomendasi/{recommendation.uuid}/").status_code == 404
    assert report.reference not in client.get("/evaluasi/rekomendasi/").content.decode()


def test_the_follow_up_figures_of_a_unit_head_count_what_their_list_shows(client, demo):
    client.force_login(user("kepala"))
    body = client.get("/evaluasi/", {"periode": "2026"}).content.decode()
    row = re.search(r'data-figure="follow_up.percent">.*?</td>\s*<td[^>]*>(?:<a[^>]*>)?([\d.]+)', body, re.S)
    listed = client.get("/evaluasi/rekomendasi/", {"periode": "2026", "unit": "KANTOR"}).context["page"]
    readable = (
        Recommendation.objects.filter(issued_on__year=2026).exclude(case__kind="wbs").exclude(evaluation__module="wbs")
    )
    assert readable.count() > 0
    assert listed.paginator.count == readable.count() == int(row.group(1).replace(".", ""))
    assert Recommendation.objects.filter(evaluation__module="wbs").exists()  # there was something to leave out


def test_the_basis_of_the_wbs_questions_is_hidden_from_a_unit_head(client, demo):
    inspector = user("inspektur")
    client.force_login(inspector)
    client.post("/evaluasi/lke/", {"unit": "KANTOR", "periode": "2026"})
    worksheet = LkeWorksheet.objects.get(unit=Unit.objects.get(code="KANTOR"))
    as_inspector = client.get(f"/evaluasi/lke/{worksheet.uuid}/").content.decode()
    client.force_login(user("kepala"))
    as_head = client.get(f"/evaluasi/lke/{worksheet.uuid}/").content.decode()

    def wbs_block(page):
        start = page.index('data-question="wbs.a"')
        return page[start : page.index('data-question="benturan.a"', start)]

    assert "Dasar saran" in wbs_block(as_inspector)
    assert "Dasar saran" not in wbs_block(as_head)
    assert "Dasar saran" in as_head  # other questions keep theirs


def test_complaints_converted_into_wbs_reports_are_not_a_unit_heads_to_count(demo):
    from cases import registry
    from evaluasi import statistics

    kind = registry.get("pengaduan")
    period, office = Period.year(2026), Unit.objects.get(code="KANTOR")
    complaints = statistics.scope_cases(kind, statistics.Scope.of(period, office))
    converted = complaints.first()
    Case.objects.filter(pk=converted.pk).update(status="converted_to_wbs")
    inspectorate = statistics.kind_panel(kind, statistics.Scope.of(period, office))
    head = statistics.kind_panel(kind, statistics.Scope.of(period, office, inspectorate=False))
    assert head.received.value == inspectorate.received.value - 1
    codes = {figure.code for group in head.groups for figure in group.figures}
    assert "status.converted_to_wbs" not in codes and "converted" not in codes


def test_the_back_button_and_send_again_records_nothing_twice(client, demo):
    inspector = user("inspektur")
    client.force_login(inspector)
    form = {
        "module": "pengaduan",
        "unit": Unit.objects.get(code="SEKR").pk,
        "period": "2026-Q3",
        "held_on": "2026-10-05",
        "participants": "Tim pengaduan",
        "findings": "Rekap bulanan belum dibahas.",
    }
    before = Evaluation.objects.count()
    first = client.post("/evaluasi/evaluasi-berkala/baru/", form)
    again = client.post("/evaluasi/evaluasi-berkala/baru/", form)
    assert first.status_code == again.status_code == 302 and first["Location"] == again["Location"]
    assert Evaluation.objects.count() == before + 1
    evaluation = Evaluation.objects.order_by("-pk").first()
    recommendation = {"text": "Bahas rekap tiap bulan", "owner": user("atasan").pk, "due_on": "2026-12-31"}
    url = f"/evaluasi/evaluasi-berkala/{evaluation.uuid}/rekomendasi/"
    client.post(url, recommendation)
    client.post(url, recommendation)
    assert evaluation.recommendations.count() == 1
    # A different recommendation is a second one.
    client.post(url, {**recommendation, "text": "Tetapkan penanggung jawab rekap"})
    assert evaluation.recommendations.count() == 2
