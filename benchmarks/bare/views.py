"""The bare baseline of the pengaduan benchmark: the same browser round trip as the public form (GET the form
with its CSRF token, POST it, follow the redirect to a receipt page) and the same three rows written (Case,
Complaint, TrackingCredential) — but no form class, validation, encryption, Argon2, reference counter,
history row, audit event, notification, attachment, throttle or template. The rows are written with plain
INSERTs built from the models' own field definitions, so they are the rows a real complaint has, minus the
encryption of its text."""

import secrets
import uuid

from django.contrib.auth.decorators import login_required
from django.db import connection, transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.html import escape
from django.views.decorators.cache import never_cache

from cases.fields import EncryptedTextField
from cases.models import Case, EmployeeProfile, TrackingCredential, Unit
from pengaduan.models import Complaint

FORM = """<!doctype html><html lang="id"><head><title>bare</title></head><body>
<form method="post" action="">
<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
<input type="hidden" name="submission" value="{submission}">
<select name="category"><option value="">—</option><option value="02">02</option></select>
<textarea name="description"></textarea>
<button type="submit">Kirim</button>
</form></body></html>"""


def _insert(model, values: dict) -> None:
    """One INSERT of `model`'s own table with `values`, every other column at its default; encrypted columns
    get the text as it is (no Fernet)."""
    columns, params = [], []
    for field in model._meta.local_concrete_fields:
        value = values[field.attname] if field.attname in values else field.get_default()
        columns.append(connection.ops.quote_name(field.column))
        params.append(value if isinstance(field, EncryptedTextField) else field.get_db_prep_save(value, connection))
    table = connection.ops.quote_name(model._meta.db_table)
    placeholders = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.execute(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({placeholders})", params)


def _next_case_id() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [Case._meta.db_table])
        return cursor.fetchone()[0]


@never_cache
def form(request):
    if request.method != "POST":
        return HttpResponse(FORM.format(csrf=get_token(request), submission=secrets.token_urlsafe(16)))
    now = timezone.now()
    unit_id = Unit.objects.filter(parent__isnull=True).values_list("pk", flat=True).order_by("pk").first()
    with transaction.atomic():
        pk = _next_case_id()
        _insert(
            Case,
            {
                "id": pk,
                "uuid": uuid.uuid4(),
                "kind": "pengaduan",
                "reference": f"BARE-{pk:09d}",
                "status": "received",
                "unit_id": unit_id,
                "created_at": now,
                "submitted_at": now,
            },
        )
        _insert(
            Complaint,
            {
                "case_id": pk,
                "category": request.POST.get("category", ""),
                "description": request.POST.get("description", ""),
                "received_at": now,
                "identity_mode": "anonymous",
                "truth_statement": True,
            },
        )
        # Shaped like a PIN's "<salt>$<Argon2id>", but random: no hash computed.
        _insert(TrackingCredential, {"case_id": pk, "pin_hash": f"{secrets.token_hex(16)}${secrets.token_hex(32)}"})
    return redirect("bench_bare_receipt", pk=pk)


@never_cache
def receipt(request, pk: int):
    reference = Case.objects.filter(pk=pk, tracking__isnull=False).values_list("reference", flat=True).first()
    return HttpResponse(f"<!doctype html><p>Nomor pengaduan <strong>{escape(reference)}</strong></p>")


# ---------------------------------------------------------------------------------------------------------
# survei: the bare baseline of `python -m benchmarks survei-intake`
#
# The same browser round trip as the public survey form (GET the form with its CSRF token, POST it, follow the
# redirect to a thank-you page) and the same rows (one Response, one Answer per item) — but no form class,
# validation, rate limit, flood tag, one-time token check or template: the POSTed values go straight into the rows
# through the ORM (the comment is encrypted by its field, as in a real response). It runs behind the project's
# middleware (it is in the same URLconf), outside the public prefixes, so the privacy middleware has nothing to do
# for it.

SURVEY_FORM = """<!doctype html><html lang="id"><head><title>bare</title></head><body>
<form method="post" action="">
<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
<input type="hidden" name="submission" value="{submission}">
<select name="service">{services}</select>
{items}
<input type="text" name="homepage" value="">
<textarea name="comment"></textarea>
<button type="submit">Kirim</button>
</form></body></html>"""


@never_cache
def survey_form(request, token: str):
    from survei.models import Answer, Item, Response, Survey, SurveyService, SurveyStatus

    survey = Survey.objects.filter(token=token, status=SurveyStatus.OPEN).values("pk", "instrument_version_id").first()
    if survey is None:
        return HttpResponse(status=404)
    if request.method != "POST":
        services = SurveyService.objects.filter(survey_id=survey["pk"]).values_list("pk", "name")
        items = Item.objects.filter(variable__version_id=survey["instrument_version_id"]).values_list("pk", "options")
        return HttpResponse(
            SURVEY_FORM.format(
                csrf=get_token(request),
                submission=secrets.token_urlsafe(16),
                services="".join(f'<option value="{pk}">{escape(name)}</option>' for pk, name in services),
                items="\n".join(
                    "".join(f'<input type="radio" name="item_{pk}" value="{o["value"]}">' for o in options)
                    for pk, options in items
                ),
            )
        )
    with transaction.atomic():
        response = Response.objects.create(
            survey_id=survey["pk"],
            service_id=int(request.POST["service"]),
            received_on=timezone.localdate(),
            comment=request.POST.get("comment", ""),
        )
        Answer.objects.bulk_create(
            [
                Answer.of(response, int(name[5:]), int(value))
                for name, value in request.POST.items()
                if name.startswith("item_")
            ]
        )
    return redirect("bench_bare_survey_thanks", token=token)


@never_cache
def survey_thanks(request, token: str):
    return HttpResponse("<!doctype html><p>Terima kasih atas jawaban Anda.</p>")


# ---------------------------------------------------------------------------------------------------------
# submissions: the bare baselines of `python -m benchmarks submissions` (benchmarks/submissions.py) for the WBS
# report and the gratifikasi report (the complaint's is `form` above).
#
# The same browser round trip as the real pages (GET the form with its CSRF token, POST it, follow the redirect to
# a page naming the new case) and the same rows — Case plus the kind's own row (WbsReport and a
# TrackingCredential; GratifikasiReport and one GratifikasiObject) — written with plain INSERTs from the POSTed
# values: no form class, validation, encryption, Argon2, reference counter, state machine, history, audit event,
# clock, notification, throttle or template. The gratifikasi one needs a signed-in user like the real page.

WBS_FORM = """<!doctype html><html lang="id"><head><title>bare</title></head><body>
<form method="post" action="">
<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
<input type="hidden" name="submission" value="{submission}">
<select name="category"><option value="">—</option><option value="korupsi">korupsi</option></select>
<textarea name="description"></textarea>
<input type="text" name="location" value="">
<button type="submit">Kirim</button>
</form></body></html>"""

GRATIFIKASI_FORM = """<!doctype html><html lang="id"><head><title>bare</title></head><body>
<form method="post" action="">
<input type="hidden" name="csrfmiddlewaretoken" value="{csrf}">
<input type="radio" name="report_type" value="penerimaan"><input type="radio" name="report_type" value="penolakan">
<input type="date" name="date_received" value="">
<input type="text" name="giver_name" value="">
<textarea name="summary"></textarea>
<input type="text" name="objek-0-description" value="">
<input type="text" name="objek-0-value" value="">
<button type="submit" name="submit" value="1">Ajukan</button>
</form></body></html>"""


def _new_case(kind: str, **values) -> int:
    """INSERT the Case row of a new `kind` case (status as its real submission leaves it) and return its id."""
    now = timezone.now()
    pk = _next_case_id()
    unit_id = values.pop("unit_id", None) or Unit.objects.filter(parent__isnull=True).values_list("pk", flat=True)[0]
    _insert(
        Case,
        {
            "id": pk,
            "uuid": uuid.uuid4(),
            "kind": kind,
            "reference": f"BARE-{pk:09d}",
            "unit_id": unit_id,
            "created_at": now,
            "submitted_at": now,
            **values,
        },
    )
    return pk


@never_cache
def wbs_form(request):
    from wbs.models import WbsReport

    if request.method != "POST":
        return HttpResponse(WBS_FORM.format(csrf=get_token(request), submission=secrets.token_urlsafe(16)))
    with transaction.atomic():
        pk = _new_case("wbs", status="received")
        _insert(
            WbsReport,
            {
                "case_ptr_id": pk,
                "category": request.POST.get("category", ""),
                "description": request.POST.get("description", ""),
                "location": request.POST.get("location", ""),
            },
        )
        # Shaped like a receipt's Argon2id hash, but random: no hash computed.
        _insert(TrackingCredential, {"case_id": pk, "receipt_hash": secrets.token_hex(32)})
    return redirect("bench_bare_receipt", pk=pk)


@never_cache
@login_required
def gratifikasi_form(request):
    from gratifikasi.models import GratifikasiObject, GratifikasiReport

    if request.method != "POST":
        return HttpResponse(GRATIFIKASI_FORM.format(csrf=get_token(request)))
    unit_id = EmployeeProfile.objects.filter(user=request.user).values_list("unit_id", flat=True).first()
    with transaction.atomic():
        pk = _new_case("gratifikasi", status="submitted", unit_id=unit_id, reporter_id=request.user.pk)
        _insert(
            GratifikasiReport,
            {
                "case_id": pk,
                "report_type": request.POST.get("report_type", ""),
                "date_received": request.POST.get("date_received") or None,
                "giver_name": request.POST.get("giver_name", ""),
                "summary": request.POST.get("summary", ""),
            },
        )
        GratifikasiObject.objects.create(  # a plain model (no signal, no history): one INSERT
            report_id=pk,
            kind="barang",
            description=request.POST.get("objek-0-description", ""),
            value=int("".join(ch for ch in request.POST.get("objek-0-value", "") if ch.isdigit()) or 0),
        )
    return redirect("bench_bare_gratifikasi_done", pk=pk)


@never_cache
@login_required
def gratifikasi_done(request, pk: int):
    reference = Case.objects.filter(pk=pk, reporter=request.user).values_list("reference", flat=True).first()
    return HttpResponse(f"<!doctype html><p>Laporan <strong>{escape(reference)}</strong> diajukan ke UPG.</p>")
