"""Pages of benturan kepentingan beyond the core's case page: the declaration form, the risk map, the yearly
statements and their coverage, evaluations and statistics. Thin: resolve through the policy, validate a form,
call one service, redirect."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import OuterRef, Prefetch, Subquery
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from benturan.kind import DECISION_DAYS
from benturan.models import (
    Declaration,
    FollowUp,
    InterestStatement,
    Recommendation,
    StatementCampaign,
    Status,
)
from cases import workdays
from cases.models import DeadlineClock

# Pages of the other parts of benturan kepentingan the hub links to. A link shows only when its URL is installed
# (reverse succeeds), so the hub renders whatever parts of the module are in place.
HUB_LINKS = (
    "declarations",
    "declare",
    "open",
    "maps",
    "campaigns",
    "statement",
    "evaluations",
    "evaluation_new",
    "statistics",
)


def _link(name: str, *args) -> str | None:
    try:
        return reverse(f"benturan:{name}", args=args)
    except NoReverseMatch:
        return None


def _available_links() -> dict[str, str]:
    return {name: link for name in HUB_LINKS if (link := _link(name)) is not None}


@login_required
def home(request):
    """The hub, by who you are: every employee's statements and declarations; a supervisor's declarations
    waiting for their decision; the inspectorate's and unit heads' registers, evaluations and statistics."""
    from benturan import access, selectors

    user = request.user
    today = workdays.today()
    statements = []
    for campaign in StatementCampaign.objects.filter(opens_on__lte=today, closes_on__gte=today).select_related("unit"):
        if selectors.campaign_population(campaign).filter(pk=user.pk).exists():
            filed = InterestStatement.objects.filter(campaign=campaign, employee=user).exists()
            # The statement page of the campaign, whether it is one page for the open campaign or one per campaign.
            link = _link("statement") or _link("statement", campaign.uuid)
            statements.append({"campaign": campaign, "filed": filed, "link": link})
    is_supervisor = get_user_model().objects.filter(profile__supervisor=user, is_active=True).exists()
    due = DeadlineClock.objects.filter(case_id=OuterRef("pk"), code="decision").values("due_date")[:1]
    waiting = (
        Declaration.objects.filter(assignee=user, status__in=[Status.SUBMITTED, Status.ANALYSING])
        .annotate(due=Subquery(due))
        .order_by("due", "pk")
    )
    headed = access.headed_unit_ids(user)
    context = {
        "links": _available_links(),
        "statements": statements,
        "is_supervisor": is_supervisor,
        "waiting": list(waiting) if is_supervisor or waiting.exists() else [],
        "today": today,
        "is_inspector": access.is_inspector(user),
        "is_head": bool(headed),
        "owns_recommendations": Recommendation.objects.filter(owner=user)
        .exclude(status__in=[FollowUp.SELESAI, FollowUp.TIDAK_DAPAT])
        .exists(),
        "decision_days": DECISION_DAYS,
    }
    return render(request, "benturan/home.html", context)


# ---------------------------------------------------------------------------------------------------------
# Declarations


from benturan import exports as benturan_exports  # noqa: E402
from benturan import services as benturan_services  # noqa: E402
from benturan.forms import DeclarationForm, ProactiveDeclarationForm, StepAsideForm  # noqa: E402
from benturan.models import Status as DeclarationStatus  # noqa: E402
from cases import policy  # noqa: E402
from cases import services as case_services  # noqa: E402
from cases.models import EmployeeProfile  # noqa: E402


def _with_decision_clock(declarations) -> list:
    """Each declaration with its 7 HK decision clock (`decision_clock`, None for a draft), from one prefetch."""
    rows = list(declarations.select_related("assignee").prefetch_related("clocks"))
    for declaration in rows:
        declaration.decision_clock = next((c for c in declaration.clocks.all() if c.code == "decision"), None)
    return rows


@login_required
def declaration_list(request):
    """The employee's own declarations (drafts included) and, for a supervisor, those routed to them."""
    own = Declaration.objects.filter(reporter=request.user).order_by("-created_at")
    to_decide = (
        policy.visible_cases(request.user, Declaration.objects.filter(assignee=request.user))
        .exclude(status=DeclarationStatus.DRAFT)
        .select_related("reporter")
        .order_by("due_date", "-submitted_at")
    )
    context = {
        "own": _with_decision_clock(own),
        "to_decide": _with_decision_clock(to_decide),
        "today": workdays.today(),
        "may_open": _has_subordinates(request.user),
    }
    return render(request, "benturan/declaration_list.html", context)


def _declaration_form_page(request, declaration: Declaration | None = None):
    """The declaration form: "Simpan draf" keeps a draft; "Ajukan kepada atasan" keeps it and submits it.
    A refusal (no supervisor, no unit in the profile) is shown above the form with everything typed kept; the
    draft saved before the refusal stays, so the form then posts to that draft."""
    initial = None
    if declaration is not None and request.method != "POST":
        initial = {name: getattr(declaration, name) for name in benturan_services.DECLARATION_FIELDS}
        initial["supervisor_involved"] = declaration.supervisor_involved
    form = DeclarationForm(request.POST or None, initial=initial)
    if request.method == "POST":
        if form.is_valid():
            try:
                declaration = benturan_services.declaration_save(
                    actor=request.user, fields=form.cleaned_data, declaration=declaration
                )
                if "submit" in request.POST:
                    declaration = benturan_services.declaration_submit(declaration, "submit", request.user)
            except case_services.NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except case_services.CaseError as exc:
                messages.error(request, exc.message)
            else:
                if declaration.status == DeclarationStatus.DRAFT:
                    messages.success(
                        request,
                        _("Draf deklarasi tersimpan. Anda dapat melanjutkannya kapan saja."),
                    )
                    return redirect("benturan:declaration_edit", reference=declaration.reference)
                messages.success(
                    request,
                    _(
                        "Deklarasi %(ref)s diajukan kepada %(name)s. Keputusan atau kegiatan terkait dibekukan "
                        "sampai atasan memutuskan."
                    )
                    % {
                        "ref": declaration.reference,
                        "name": declaration.assignee.get_full_name() or declaration.assignee.username,
                    },
                )
                return redirect("cases:detail", reference=declaration.reference)
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai. Semua yang sudah Anda ketik tetap ada."))
    return render(request, "benturan/declaration_form.html", {"form": form, "declaration": declaration})


@login_required
def declaration_create(request):
    return _declaration_form_page(request)


@login_required
def declaration_edit(request, reference):
    declaration = policy.get_case_or_404(request.user, reference, Declaration.objects.all())
    if not policy.is_reporter(request.user, declaration):
        raise PermissionDenied(_("Hanya pegawai yang menyatakan yang dapat mengubah drafnya."))
    if declaration.status != DeclarationStatus.DRAFT:
        messages.info(request, _("Deklarasi ini sudah diajukan dan tidak dapat diubah lagi."))
        return redirect("cases:detail", reference=reference)
    return _declaration_form_page(request, declaration)


@login_required
@require_POST
def declaration_delete(request, reference):
    declaration = policy.get_case_or_404(request.user, reference, Declaration.objects.all())
    if not policy.is_reporter(request.user, declaration):
        raise PermissionDenied(_("Hanya pegawai yang menyatakan yang dapat menghapus drafnya."))
    try:
        benturan_services.draft_delete(actor=request.user, declaration=declaration)
    except case_services.NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except case_services.CaseError as exc:
        messages.error(request, exc.message)
        return redirect("cases:detail", reference=reference)
    messages.success(request, _("Draf deklarasi dihapus."))
    return redirect("benturan:declarations")


def _has_subordinates(user) -> bool:
    return EmployeeProfile.objects.filter(supervisor=user, user__is_active=True).exists()


@login_required
def declaration_open(request):
    """A supervisor opens a declaration about a subordinate (DESIGN §5); only someone with subordinates."""
    if not _has_subordinates(request.user):
        raise PermissionDenied(_("Hanya atasan yang memiliki bawahan yang dapat membuka deklarasi."))
    form = ProactiveDeclarationForm(request.POST or None, supervisor=request.user)
    if request.method == "POST":
        if form.is_valid():
            fields = {name: value for name, value in form.cleaned_data.items() if name != "employee"}
            try:
                declaration = benturan_services.declaration_open(
                    actor=request.user, employee=form.cleaned_data["employee"], fields=fields
                )
            except case_services.NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except case_services.CaseError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("Deklarasi %(ref)s dibuka. Anda memutuskannya dalam 7 hari kerja.")
                    % {"ref": declaration.reference},
                )
                return redirect("cases:detail", reference=declaration.reference)
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai. Semua yang sudah Anda ketik tetap ada."))
    return render(request, "benturan/declaration_open.html", {"form": form})


@login_required
@require_POST
def declaration_step_aside(request, reference):
    """The supervisor deciding it is part of the conflict: it goes to the next level up, and they lose sight
    of it (benturan.services.decider_step_aside)."""
    declaration = policy.get_case_or_404(request.user, reference, Declaration.objects.all())
    form = StepAsideForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan alasannya dan centang konfirmasi untuk melimpahkan deklarasi ini."))
        return redirect("cases:detail", reference=reference)
    try:
        benturan_services.decider_step_aside(
            declaration=declaration, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except case_services.NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except case_services.CaseError as exc:
        messages.error(request, exc.message)
        return redirect("cases:detail", reference=reference)
    messages.success(
        request,
        _("Deklarasi %(ref)s dilimpahkan kepada atasan Anda; Anda tidak lagi dapat melihatnya.")
        % {"ref": declaration.reference},
    )
    return redirect("benturan:declarations")


@login_required
def declaration_letter(request, reference):
    """The decision letter as PDF, once decided, for whoever may see the declaration. Every download is an
    `exported` audit event."""
    declaration = policy.get_case_or_404(request.user, reference, Declaration.objects.all())
    if not declaration.outcome:
        messages.info(request, _("Surat keputusan tersedia setelah atasan memutuskan deklarasi ini."))
        return redirect("cases:detail", reference=reference)
    pdf = benturan_exports.decision_letter_pdf(declaration)
    case_services.export_record(case=declaration, actor=request.user, what="decision-letter-pdf")
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="surat-keputusan-{declaration.reference}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------------------------
# Risk map


# ---------------------------------------------------------------------------------------------------------
# Yearly statements and campaigns


# ---------------------------------------------------------------------------------------------------------
# Monitoring, evaluation and statistics


def _recording_units(user):
    """The units `user` may record an evaluation for: all for the inspectorate, the units they head otherwise."""
    from benturan import access
    from cases.models import Unit

    units = Unit.objects.filter(is_active=True)
    if access.is_inspector(user):
        return units
    return units.filter(pk__in=access.headed_unit_ids(user))


def _may_read_evaluations(user) -> bool:
    from benturan import access

    return (
        access.is_inspector(user)
        or bool(access.headed_unit_ids(user))
        or Recommendation.objects.filter(owner=user).exists()
    )


@login_required
def evaluations(request):
    """Evaluations the reader may read, by unit and year (LKE benturan d)."""
    from benturan import selectors

    if not _may_read_evaluations(request.user):
        raise PermissionDenied(
            _("Daftar evaluasi hanya untuk inspektur, kepala unit, dan penanggung jawab rekomendasi.")
        )
    found = selectors.readable_evaluations(request.user).select_related("unit")
    units = _recording_units(request.user)
    unit_id, year = request.GET.get("unit", ""), request.GET.get("year", "")
    if unit_id.isdigit():
        from cases.models import Unit

        unit = Unit.objects.filter(pk=int(unit_id)).first()
        found = found.filter(unit_id__in=unit.descendant_ids()) if unit else found.none()
    if year.isdigit():
        found = found.filter(held_on__year=int(year))
    years = selectors.readable_evaluations(request.user).dates("held_on", "year", order="DESC")
    context = {
        "evaluations": found,
        "units": units,
        "years": [day.year for day in years],
        "selected_unit": unit_id,
        "selected_year": year,
        "may_record": units.exists(),
    }
    return render(request, "benturan/evaluation_list.html", context)


def _more_rows(data, prefix: str):
    """The posted data with EXTRA_ROWS more empty recommendation rows, everything typed kept."""
    from benturan.evaluation_forms import EXTRA_ROWS

    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    try:
        total = int(data.get(key, 0))
    except ValueError:
        total = 0
    data[key] = str(min(total + EXTRA_ROWS, 50))
    return data


@login_required
def evaluation_new(request):
    """Record an evaluation and its recommendations. No script: "Tambah baris" posts the form back with two more
    empty rows and nothing typed lost."""
    from benturan import services
    from benturan.evaluation_forms import EvaluationForm, RecommendationFormSet

    units = _recording_units(request.user)
    if not units.exists():
        raise PermissionDenied(_("Hanya inspektur atau kepala unit kerja yang dapat mencatat evaluasi."))
    prefix = "rekomendasi"
    show_errors = False
    if request.method == "POST":
        adding = "add_rows" in request.POST
        data = _more_rows(request.POST, prefix) if adding else request.POST
        form = EvaluationForm(data, units=units)
        formset = RecommendationFormSet(data, prefix=prefix)
        if not adding:
            show_errors = True
            if form.is_valid() and formset.is_valid():
                rows = [row for row in formset.cleaned_data if row and not row.get("DELETE")]
                try:
                    evaluation = services.evaluation_record(
                        actor=request.user,
                        recommendations=rows,
                        **{name: form.cleaned_data[name] for name in form.fields},
                    )
                except services.NotAllowed as exc:
                    raise PermissionDenied(exc.message) from exc
                except services.CaseError as exc:
                    messages.error(request, exc.message)
                else:
                    messages.success(request, _("Evaluasi dicatat."))
                    return redirect("benturan:evaluation_detail", uuid=evaluation.uuid)
            else:
                messages.error(
                    request, _("Periksa kembali isian yang ditandai. Semua yang sudah Anda ketik tetap ada.")
                )
    else:
        form = EvaluationForm(units=units)
        formset = RecommendationFormSet(prefix=prefix)
    context = {"form": form, "formset": formset, "show_errors": show_errors}
    return render(request, "benturan/evaluation_form.html", context)


@login_required
def evaluation_detail(request, uuid):
    from benturan import selectors, services
    from benturan.evaluation_forms import RecommendationUpdateForm

    evaluation = get_object_or_404(
        selectors.readable_evaluations(request.user)
        .select_related("unit", "created_by")
        .prefetch_related(Prefetch("recommendations", Recommendation.objects.select_related("owner"))),
        uuid=uuid,
    )
    today = workdays.today()
    rows = []
    for recommendation in evaluation.recommendations.all():
        recommendation.evaluation = evaluation
        may_update = services.may_follow_up(request.user, recommendation)
        form = None
        if may_update:
            form = RecommendationUpdateForm(
                initial={
                    "status": recommendation.status,
                    "follow_up": recommendation.follow_up,
                    "completed_on": recommendation.completed_on,
                },
                prefix=str(recommendation.uuid),
            )
        rows.append({"recommendation": recommendation, "late": selectors.is_late(recommendation, today), "form": form})
    return render(request, "benturan/evaluation_detail.html", {"evaluation": evaluation, "rows": rows})


@login_required
@require_POST
def recommendation_update(request, uuid):
    from benturan import selectors, services
    from benturan.evaluation_forms import RecommendationUpdateForm

    recommendation = Recommendation.objects.filter(
        uuid=uuid, evaluation__in=selectors.readable_evaluations(request.user)
    ).first()
    if recommendation is None:
        raise Http404
    if not services.may_follow_up(request.user, recommendation):
        raise PermissionDenied(
            _("Hanya penanggung jawab, inspektur, atau kepala unit yang dapat memperbarui tindak lanjut.")
        )
    form = RecommendationUpdateForm(request.POST, prefix=str(recommendation.uuid))
    if form.is_valid():
        try:
            services.recommendation_update(actor=request.user, recommendation=recommendation, **form.cleaned_data)
        except services.NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except services.CaseError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Tindak lanjut rekomendasi diperbarui."))
            return redirect("benturan:evaluation_detail", uuid=recommendation.evaluation.uuid)
    evaluation = recommendation.evaluation
    today = workdays.today()
    rows = []
    for other in evaluation.recommendations.select_related("owner"):
        bound = other.pk == recommendation.pk
        other_form = form if bound else None
        if not bound and services.may_follow_up(request.user, other):
            other_form = RecommendationUpdateForm(
                initial={"status": other.status, "follow_up": other.follow_up, "completed_on": other.completed_on},
                prefix=str(other.uuid),
            )
        rows.append({"recommendation": other, "late": selectors.is_late(other, today), "form": other_form})
    if form.errors:
        messages.error(request, _("Periksa kembali isian tindak lanjut."))
    return render(request, "benturan/evaluation_detail.html", {"evaluation": evaluation, "rows": rows}, status=400)


def _statistics_access(user):
    """The units the reader may see (queryset) and whether they see all of them; 403 for anyone else."""
    from benturan import selectors
    from cases.models import Unit

    allowed = selectors.statistics_units(user)
    if allowed is not None and not allowed:
        raise PermissionDenied(_("Statistik benturan kepentingan hanya untuk inspektur dan kepala unit kerja."))
    units = Unit.objects.filter(is_active=True)
    if allowed is not None:
        units = units.filter(pk__in=allowed)
    return allowed, units


def _statistics(user, data: dict, allowed) -> dict:
    """Every figure of the statistics page and its export, for the period and unit chosen."""
    from benturan import selectors

    start, end, unit = data["start"], data["end"], data.get("unit")
    if unit is not None:
        unit_ids = set(unit.descendant_ids())
        if allowed is not None:
            unit_ids &= allowed
    else:
        unit_ids = allowed  # None: every unit
    declarations = selectors.declaration_statistics(units=unit_ids, start=start, end=end)
    evaluations = selectors.evaluation_statistics(units=unit_ids, start=start, end=end)
    statements = selectors.statement_statistics(units=unit_ids, start=start, end=end)
    risk_map = selectors.map_statistics(unit=unit, year=end.year)
    stats = {
        "start": start,
        "end": end,
        "unit": unit,
        "scope_label": _("Semua unit") if allowed is None else _("Semua unit yang Anda pimpin"),
        "declarations": declarations,
        "evaluations": evaluations,
        "statements": statements,
        "map": risk_map,
        "map_installed": hasattr(selectors, "map_coverage"),
    }
    stats["rows"] = _statistics_rows(stats)
    return stats


def _percent_note(ratio) -> str:
    return "–" if ratio.percent is None else f"{ratio.percent}%"


def _statistics_rows(stats: dict) -> list[list]:
    """The figures as rows (section, indicator, count, out of, note), for the export."""
    declarations, evaluations, statements = stats["declarations"], stats["evaluations"], stats["statements"]
    section = _("Deklarasi")
    rows = [
        [section, _("Deklarasi diterima"), declarations["received"], None, ""],
        [
            section,
            _("Diputuskan dalam 7 hari kerja"),
            declarations["in_time"],
            declarations["decided"],
            _percent_note(declarations["in_time_ratio"]),
        ],
        [section, _("Diputuskan terlambat"), declarations["late"], declarations["decided"], ""],
        [section, _("Belum diputuskan"), declarations["undecided"], None, ""],
        [section, _("Belum diputuskan dan lewat tenggat hari ini"), declarations["overdue"], None, ""],
        [
            section,
            _("Median hari kalender sampai keputusan"),
            None,
            None,
            "–" if declarations["median_days"] is None else str(declarations["median_days"]),
        ],
    ]
    rows += [[_("Keputusan"), label, count, None, ""] for _code, label, count in declarations["per_outcome"]]
    rows += [[_("Sumber"), label, count, None, ""] for _code, label, count in declarations["per_source"]]
    rows += [
        [_("Pernyataan"), _("Kampanye pernyataan dibuka"), statements["campaigns"], None, ""],
        [
            _("Pernyataan"),
            _("Pegawai yang sudah menyampaikan pernyataan"),
            statements["filed"],
            statements["population"],
            _percent_note(statements["coverage"]),
        ],
        [_("Evaluasi"), _("Evaluasi dilaksanakan"), evaluations["held"], None, ""],
        [
            _("Evaluasi"),
            _("Rekomendasi selesai ditindaklanjuti"),
            evaluations["follow_up"].numerator,
            evaluations["follow_up"].denominator,
            _percent_note(evaluations["follow_up"]),
        ],
    ]
    risk_map = stats["map"]
    if risk_map is not None:
        rows.append(
            [
                _("Peta risiko"),
                _("Tugas/fungsi utama yang dipetakan"),
                risk_map.get("mapped"),
                risk_map.get("total"),
                str(risk_map.get("answer", "")),
            ]
        )
    return rows


def _statistics_form(request, allowed, units):
    from benturan.evaluation_forms import StatisticsForm

    return StatisticsForm(request.GET or None, units=units, all_units=allowed is None)


@login_required
def statistics(request):
    """Figures for a period and unit (LKE benturan kepentingan a–e), for the inspectorate and unit heads."""
    allowed, units = _statistics_access(request.user)
    form = _statistics_form(request, allowed, units)
    if not form.is_bound:
        form = _statistics_form_default(allowed, units)
    stats = _statistics(request.user, form.cleaned_data, allowed) if form.is_valid() else None
    return render(request, "benturan/statistics.html", {"form": form, "stats": stats, "query": request.GET.urlencode()})


def _statistics_form_default(allowed, units):
    from benturan.evaluation_forms import StatisticsForm

    return StatisticsForm({"year": workdays.today().year}, units=units, all_units=allowed is None)


@login_required
def statistics_xlsx(request):
    from benturan import exports
    from cases.exports import recap_filename

    allowed, units = _statistics_access(request.user)
    form = _statistics_form(request, allowed, units)
    if not form.is_bound:
        form = _statistics_form_default(allowed, units)
    if not form.is_valid():
        messages.error(request, _("Periksa kembali periode atau unit yang dipilih."))
        return redirect("benturan:statistics")
    stats = _statistics(request.user, form.cleaned_data, allowed)
    response = HttpResponse(
        exports.statistics_xlsx(stats),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    name = recap_filename("benturan", stats)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
