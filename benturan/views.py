"""Pages of benturan kepentingan beyond the core's case page: the declaration form, the risk map, the yearly
statements and their coverage, evaluations and statistics. Thin: resolve through the policy, validate a form,
call one service, redirect."""

from uuid import UUID

from axes import helpers as axes_helpers
from axes.handlers.proxy import AxesProxyHandler
from django.contrib import messages
from django.contrib.auth import authenticate
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from benturan import access, exports, selectors, services
from benturan.forms import INTEREST_ROWS, CampaignForm, ConfirmStatementForm, InterestFormSet, StatementForm
from benturan.models import InterestStatement, StatementCampaign
from cases import workdays
from cases.services import CaseError


@login_required
def home(request):
    return render(request, "benturan/home.html", {})


# ---------------------------------------------------------------------------------------------------------
# Declarations


# ---------------------------------------------------------------------------------------------------------
# Risk map


# ---------------------------------------------------------------------------------------------------------
# Yearly statements and campaigns


def _reauthenticate(request, password: str) -> str:
    """Check the signed-in user's password again (the statement is confirmed by re-authentication). Returns
    "" when it is theirs, else the message to show. Wrong passwords count in django-axes like wrong sign-ins
    (the same limit and cool-off), but the answer is this page with everything typed kept, not the lock-out
    page: the statement is not lost to a typo."""
    credentials = {"username": request.user.get_username()}
    if not AxesProxyHandler.is_allowed(request, credentials):
        request.axes_locked_out = False  # our own answer below, not axes' lock-out page
        return _locked_message(request)
    user = authenticate(request, username=request.user.get_username(), password=password)
    if user is not None and user.pk == request.user.pk:
        return ""
    if getattr(request, "axes_locked_out", False):
        request.axes_locked_out = False
        return _locked_message(request)
    return _("Kata sandi salah. Pernyataan belum disampaikan; isian Anda tetap ada.")


def _locked_message(request) -> str:
    minutes = max(1, round(axes_helpers.get_cool_off(request).total_seconds() / 60))
    return _("Terlalu banyak kata sandi salah. Coba lagi setelah %(minutes)s menit; isian Anda tetap ada.") % {
        "minutes": minutes
    }


def _statement_campaign(request):
    """The campaign a statement is filed in: the one asked for (?kampanye=), else the open campaign that
    includes the employee, else none (a change of circumstances may be filed any time)."""
    wanted = request.POST.get("kampanye") or request.GET.get("kampanye") or ""
    if wanted:
        try:
            return StatementCampaign.objects.select_related("unit").get(uuid=UUID(wanted))
        except (ValueError, StatementCampaign.DoesNotExist):
            raise Http404 from None
    found = selectors.open_campaigns_for(request.user, workdays.today())
    return found[0] if found else None


@login_required
def statement(request):
    """The employee's own page: the open campaigns that include them, their current statement and its history."""
    today = workdays.today()
    context = {
        "campaigns": selectors.open_campaigns_for(request.user, today),
        "current": selectors.current_statement(request.user),
        "history": selectors.statement_history(request.user),
        "flagged": selectors.flagged_for_supervisor(request.user)[:100],
    }
    return render(request, "benturan/statement_page.html", context)


@login_required
def statement_new(request):
    """File a statement (?kampanye=<uuid>) or a change of circumstances (?perubahan=1): the choice, the
    interests, then the confirmation with the password, all in one POST."""
    is_change = (request.POST.get("perubahan") or request.GET.get("perubahan")) == "1"
    campaign = _statement_campaign(request)
    if campaign is None and not is_change:
        messages.info(
            request,
            _(
                "Tidak ada kampanye pernyataan yang sedang dibuka untuk Anda. Perubahan keadaan dapat "
                "dilaporkan kapan saja."
            ),
        )
        return redirect("benturan:statement")
    bound = request.method == "POST"
    adding_rows = bound and "tambah_baris" in request.POST
    data = request.POST.copy() if bound else None
    if adding_rows:
        total = int(data.get("kepentingan-TOTAL_FORMS") or 0)
        data["kepentingan-TOTAL_FORMS"] = str(min(total + INTEREST_ROWS, InterestFormSet.max_num))
    form = StatementForm(data)
    formset = InterestFormSet(data, prefix="kepentingan")
    confirm = ConfirmStatementForm(None if adding_rows else data)
    if bound and not adding_rows:
        valid = all([form.is_valid(), formset.is_valid(), confirm.is_valid()])
        interests = [row for row in (f.interest() for f in formset.forms) if row] if valid else []
        if valid and form.cleaned_data["has_interests"] and not interests:
            formset._non_form_errors = formset.error_class(
                [_("Isi paling sedikit satu kepentingan, atau pilih pernyataan tidak memiliki kepentingan.")]
            )
            valid = False
        if valid:
            problem = _reauthenticate(request, confirm.cleaned_data["password"])
            if problem:
                confirm.add_error("password", problem)
                valid = False
        if valid:
            try:
                filed = services.statement_file(
                    employee=request.user,
                    campaign=campaign,
                    has_interests=form.cleaned_data["has_interests"],
                    interests=interests,
                    is_change=is_change,
                )
            except CaseError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Pernyataan Anda tersimpan. Terima kasih."))
                return redirect("benturan:statement_detail", uuid=filed.uuid)
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai. Semua yang sudah Anda ketik tetap ada."))
    elif not bound and campaign is not None:
        today = workdays.today()
        if not campaign.is_open_on(today) or not selectors.campaign_includes(campaign, request.user):
            messages.error(request, _("Kampanye ini tidak sedang dibuka untuk Anda."))
            return redirect("benturan:statement")
    context = {
        "form": form,
        "formset": formset,
        "confirm": confirm,
        "campaign": campaign,
        "is_change": is_change,
        "current": selectors.current_statement(request.user),
    }
    return render(request, "benturan/statement_form.html", context)


@login_required
def statement_detail(request, uuid):
    queryset = InterestStatement.objects.select_related("campaign", "unit", "employee__profile", "supersedes")
    found = access.readable_statements(request.user, queryset).filter(uuid=uuid).first()
    if found is None:
        raise Http404
    context = {
        "statement": found,
        "interests": found.interests.all(),
        "superseded_by": InterestStatement.objects.filter(supersedes=found).first(),
        "own": found.employee_id == request.user.pk,
    }
    return render(request, "benturan/statement_detail.html", context)


PEOPLE_PAGE_SIZE = 50


def _visible_campaigns(user):
    campaigns = StatementCampaign.objects.select_related("unit", "created_by").order_by("-year", "-opens_on", "-pk")
    return [campaign for campaign in campaigns if access.may_see_coverage(user, campaign)]


def _campaign_or_404(request, uuid) -> StatementCampaign:
    campaign = StatementCampaign.objects.select_related("unit", "created_by").filter(uuid=uuid).first()
    if campaign is None or not access.may_see_coverage(request.user, campaign):
        raise Http404
    return campaign


@login_required
def campaigns(request):
    """The campaigns the reader may see, each with its coverage (for a unit head: their units only)."""
    rows = []
    for campaign in _visible_campaigns(request.user):
        totals = selectors.coverage_totals(
            selectors.campaign_coverage(campaign, access.coverage_unit_ids(request.user, campaign))
        )
        rows.append((campaign, totals))
    if not rows and not access.may_open_campaign(request.user):
        raise PermissionDenied(_("Halaman ini untuk inspektur dan kepala unit."))
    context = {"rows": rows, "may_open": access.may_open_campaign(request.user), "today": workdays.today()}
    return render(request, "benturan/campaign_list.html", context)


@login_required
def campaign_new(request):
    if not access.may_open_campaign(request.user):
        raise PermissionDenied(_("Hanya inspektur yang dapat membuka kampanye pernyataan."))
    form = CampaignForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                campaign = services.campaign_create(
                    actor=request.user, fields={name: form.cleaned_data[name] for name in CampaignForm.Meta.fields}
                )
            except services.NotAllowed as exc:
                raise PermissionDenied(exc.message) from exc
            except CaseError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("Kampanye %(title)s dibuka.") % {"title": campaign.title})
                return redirect("benturan:campaign_detail", uuid=campaign.uuid)
        else:
            messages.error(request, _("Periksa kembali isian yang ditandai. Semua yang sudah Anda ketik tetap ada."))
    return render(request, "benturan/campaign_form.html", {"form": form})


STATUS_FILTERS = (
    ("belum", gettext_lazy("Belum mengisi")),
    ("kepentingan", gettext_lazy("Menyatakan kepentingan")),
    ("sudah", gettext_lazy("Sudah mengisi")),
    ("semua", gettext_lazy("Semua")),
)


@login_required
def campaign_detail(request, uuid):
    """Coverage per unit, the totals, and the people list (who has not filed, who declared an interest),
    filterable by unit and status. A unit head sees their units only."""
    campaign = _campaign_or_404(request, uuid)
    unit_ids = access.coverage_unit_ids(request.user, campaign)
    rows = selectors.campaign_coverage(campaign, unit_ids)
    status = request.GET.get("status") or "belum"
    if status not in dict(STATUS_FILTERS):
        status = "belum"
    shown_units = unit_ids
    unit_filter = None
    wanted = request.GET.get("unit") or ""
    if wanted:
        unit_filter = next((row.unit for row in rows if str(row.unit.pk) == wanted), None)
        if unit_filter is not None:
            shown_units = {unit_filter.pk}
    people = Paginator(selectors.campaign_people(campaign, shown_units, status), PEOPLE_PAGE_SIZE)
    context = {
        "campaign": campaign,
        "rows": rows,
        "totals": selectors.coverage_totals(rows),
        "page": people.get_page(request.GET.get("page")),
        "status": status,
        "status_filters": STATUS_FILTERS,
        "unit_filter": unit_filter,
        "today": workdays.today(),
    }
    return render(request, "benturan/campaign_detail.html", context)


@login_required
def campaign_xlsx(request, uuid):
    campaign = _campaign_or_404(request, uuid)
    unit_ids = access.coverage_unit_ids(request.user, campaign)
    data = exports.campaign_coverage_xlsx(campaign, unit_ids)
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = (
        f'attachment; filename="cakupan-pernyataan-{campaign.year}-{slugify(campaign.unit.code)}.xlsx"'
    )
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------------------------------------------------
# Monitoring, evaluation and statistics
