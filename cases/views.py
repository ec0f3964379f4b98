"""Staff views of the case core: the inbox, the case page and its actions, files, notifications."""

from urllib.parse import quote

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from cases import attachments, policy, registry, selectors, services, workdays
from cases.forms import (
    AssignForm,
    AttachmentForm,
    CommentForm,
    InboxFilterForm,
    LinkForm,
    MessageForm,
    TransitionForm,
)
from cases.models import Attachment, Confidentiality
from cases.pagination import CappedPaginator
from cases.textlimits import MESSAGE_MAX_LENGTH

PAGE_SIZE = 25


def home(request):
    return render(request, "cases/home.html")


@login_required
def inbox(request):
    form = InboxFilterForm(request.GET, kinds=selectors.inbox_kinds(request.user))
    valid = form.is_valid()
    filters = selectors.InboxFilters(**{name: value for name, value in form.cleaned_data.items() if value})
    today = workdays.today()
    cases = selectors.inbox_cases(user=request.user, filters=filters, today=today)
    if not valid:
        # A filter that cannot be applied (a kind not offered, a bad date) shows nothing rather than
        # everything; the form says what is wrong.
        cases = cases.none()
    page = CappedPaginator(cases, PAGE_SIZE, limit=settings.SIGAP_INBOX_EXACT_COUNT_LIMIT).get_page(
        request.GET.get("page")
    )
    page.object_list = selectors.with_late_history(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "cases/inbox.html", {"form": form, "page": page, "today": today, "query": query.urlencode()})


@login_required
def case_detail(request, reference):
    case = selectors.case_for_page(user=request.user, reference=reference)
    if case.confidentiality >= Confidentiality.RAHASIA:
        services.record_confidential_view(case, request.user)
    staff = policy.sees_internal(request.user, case)
    # The reporter's own page speaks to the reporter: to "UPG", not "to the reporter" (issue 8).
    office = case.kind_def.office_label or _("petugas")
    if staff:
        who = {"reporter": case.kind_def.reporter_label or _("pelapor")}
        note_labels = (
            _("Catatan untuk %(reporter)s (wajib)") % who,
            _("Catatan untuk %(reporter)s (opsional; %(reporter)s membacanya)") % who,
        )
    else:
        note_labels = (
            _("Catatan untuk %(office)s (wajib)") % {"office": office},
            _("Catatan untuk %(office)s (opsional)") % {"office": office},
        )
    transitions = [
        {
            "name": t.name,
            "label": t.custom.get("label", t.name),
            "style": t.custom.get("style", ""),
            "confirm": policy.needs_confirmation(case, t),
            "has_form": bool(t.custom.get("form")),
            "note_required": policy.needs_note(t),
            "note_label": note_labels[0] if policy.needs_note(t) else note_labels[1],
        }
        for t in services.available_transitions(case, request.user)
    ]
    timeline = selectors.case_timeline(case=case, staff=staff)
    # A handler of the kind reading their own report: say why it offers them no handler's actions.
    reporter_only = policy.is_reporter(request.user, case) and case.kind_def.handler_group in policy.roles(request.user)
    message_form = MessageForm()
    if not staff:
        message_form.fields["text"].label = _("Pesan kepada %(office)s") % {"office": office}
    elif case.kind_def.reporter_label:
        message_form.fields["text"].label = _("Pesan kepada %(reporter)s") % {"reporter": case.kind_def.reporter_label}
    context = {
        "case": case,
        "transitions": transitions,
        "events": timeline.events,
        "clocks": case.clocks.all(),
        "attachments": case.attachments.select_related("uploaded_by"),
        "today": workdays.today(),
        "can_handle": policy.can_handle(request.user, case),
        "can_add_note": policy.can_add_note(request.user, case),
        "can_comment": policy.can_comment(request.user, case),
        "assign_form": AssignForm(users=policy.assignable_users(case), initial={"assignee": case.assignee_id})
        if policy.can_assign(request.user, case)
        else None,
        "reporter_only": reporter_only,
        "handler_available": reporter_only and policy.handler_available(case),
        "comment_form": CommentForm(auto_id="comment_%s"),
        "message_form": message_form,
        "staff": staff,
        "views": timeline.views,
        "can_message": policy.can_message(request.user, case),
        "detail_template": case.kind_def.detail_template,
        "reporter_label": case.kind_def.reporter_label or _("pelapor"),
        "attachment_form": AttachmentForm(),
        "links": selectors.case_links(case, request.user),
        "link_form": LinkForm(auto_id="link_%s") if policy.can_link_from(request.user, case) else None,
    }
    if case.kind_def.detail_context is not None:
        context.update(case.kind_def.detail_context(case, request.user))
    context["page_sections"] = _page_sections(request, case)
    return render(request, "cases/case_detail.html", context)


def _page_sections(request, case) -> list[str]:
    """The sections other apps add to the case page (registry.case_page_sections), rendered in order."""
    rendered = []
    for section in registry.case_page_sections:
        found = section(case, request.user)
        if found is not None:
            template, section_context = found
            rendered.append(render_to_string(template, {"case": case, **section_context}, request=request))
    return rendered


@login_required
@require_POST
def case_transition(request, reference):
    case = policy.get_case_or_404(request.user, reference)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Permintaan tidak lengkap. Muat ulang halaman lalu coba lagi."))
        return redirect("cases:detail", reference=reference)
    case = case.kind_def.model.objects.get(pk=case.pk)
    meta = _transition_meta(case, form.cleaned_data["name"])
    if meta.custom.get("form"):
        return redirect("cases:transition_form", reference=reference, name=meta.name)
    # What the step needs (a note, a reason, a confirmation) the service checks: a refusal comes back below.
    try:
        case = _runner(meta)(
            case,
            form.cleaned_data["name"],
            request.user,
            expected_status=form.cleaned_data["expected_status"],
            note=form.cleaned_data["note"],
            reason=form.cleaned_data["reason"],
            confirmed=form.cleaned_data["confirmed"],
        )
    except services.NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    except services.CaseError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Status kasus kini “%(status)s”.") % {"status": case.status_label})
    return redirect("cases:detail", reference=reference)


def _runner(meta):
    """What runs the step: the transition service, or the kind's own service for a step that writes more than
    the case (its `service` metadata, e.g. a complaint converted into a WBS report), with the same signature."""
    path = meta.custom.get("service")
    return import_string(path) if path else services.transition


def _transition_meta(case, name):
    meta = services.transition_meta(case, name)
    if meta is None:
        raise Http404
    return meta


@login_required
def case_transition_form(request, reference, name):
    """A transition that needs data (dates, numbers, a decision): its form on a page of its own."""
    case = policy.get_case_or_404(request.user, reference)
    case = case.kind_def.model.objects.get(pk=case.pk)
    meta = _transition_meta(case, name)
    form_path = meta.custom.get("form")
    if not form_path:
        raise Http404
    if name not in {t.name for t in services.available_transitions(case, request.user)}:
        messages.error(request, _("Tindakan ini tidak tersedia untuk Anda pada status kasus sekarang."))
        return redirect("cases:detail", reference=reference)
    form_class = import_string(form_path)
    form = form_class(
        request.POST or None, request.FILES or None, case=case, confirm=policy.needs_confirmation(case, meta)
    )
    if case.kind_def.reporter_label and "note" in form.fields:
        who = {"reporter": case.kind_def.reporter_label}
        form.fields["note"].label = _("Catatan untuk %(reporter)s (opsional; %(reporter)s membacanya)") % who
    if request.method == "POST" and form.is_valid():
        try:
            case = _runner(meta)(
                case,
                name,
                request.user,
                expected_status=request.POST.get("expected_status", case.status),
                note=form.cleaned_data.get("note", ""),
                reason=form.cleaned_data.get("reason", ""),
                confirmed=form.cleaned_data.get("confirmed", False),
                # Kept with the transition in its transaction, or not at all.
                attachment=form.cleaned_data.get("attachment") or None,
                **form.transition_data(),
            )
        except services.NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc
        except services.CaseError as exc:
            messages.error(request, exc.message)
            return redirect("cases:detail", reference=reference)
        messages.success(request, _("Tersimpan. Status kasus: “%(status)s”.") % {"status": case.status_label})
        return redirect("cases:detail", reference=reference)
    return render(
        request,
        "cases/transition_form.html",
        {"case": case, "form": form, "label": meta.custom.get("label", name), "name": name},
    )


@login_required
@require_POST
def case_assign(request, reference):
    case = policy.get_case_or_404(request.user, reference)
    if not policy.can_assign(request.user, case):
        raise PermissionDenied
    form = AssignForm(request.POST, users=policy.assignable_users(case))
    if form.is_valid():
        try:
            services.assign(case, form.cleaned_data["assignee"], request.user)
        except services.CaseError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Petugas ditetapkan."))
    else:
        messages.error(request, _("Pilih petugas dari daftar."))
    return redirect("cases:detail", reference=reference)


@login_required
@require_POST
def case_link(request, reference):
    """Link the case to another by its reference. A reference the user may not see gets the same answer as
    one that does not exist (policy.visible_cases), so the form cannot be used to probe for cases."""
    case = policy.get_case_or_404(request.user, reference)
    if not policy.can_link_from(request.user, case):
        raise PermissionDenied
    form = LinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Tuliskan nomor kasus yang akan ditautkan dan pilih hubungannya."))
        return redirect("cases:detail", reference=reference)
    target = policy.visible_cases(request.user).filter(reference=form.cleaned_data["reference"]).first()
    if target is None:
        messages.error(
            request,
            _("Kasus %(ref)s tidak ditemukan atau tidak dapat Anda lihat.") % {"ref": form.cleaned_data["reference"]},
        )
        return redirect("cases:detail", reference=reference)
    try:
        services.link_cases(source=case, target=target, relation=form.cleaned_data["relation"], actor=request.user)
    except services.CaseError as exc:  # NotAllowed included: a refusal is said on the page, not a 403
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Kasus ditautkan ke %(ref)s.") % {"ref": target.reference})
    return redirect("cases:detail", reference=reference)


def _limit() -> dict:
    """The forms' text limit as the reader's language writes it ("4.000" in Indonesian, "4,000" in English)."""
    return {"limit": number_format(MESSAGE_MAX_LENGTH, force_grouping=True)}


@login_required
@require_POST
def case_comment(request, reference):
    case = policy.get_case_or_404(request.user, reference)
    if not policy.can_add_note(request.user, case):
        raise PermissionDenied
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(case, request.user, form.cleaned_data["text"])
        messages.success(request, _("Catatan disimpan."))
    else:
        messages.error(request, _("Catatan kosong atau terlalu panjang (paling banyak %(limit)s karakter).") % _limit())
    return redirect("cases:detail", reference=reference)


@login_required
@require_POST
def case_message(request, reference):
    """A message between the handler and the reporter: on the timeline both of them see."""
    case = policy.get_case_or_404(request.user, reference)
    form = MessageForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pesan kosong atau terlalu panjang (paling banyak %(limit)s karakter).") % _limit())
        return redirect("cases:detail", reference=reference)
    try:
        services.add_message(case, request.user, form.cleaned_data["text"])
    except services.NotAllowed as exc:
        raise PermissionDenied(exc.message) from exc
    messages.success(request, _("Pesan terkirim."))
    return redirect("cases:detail", reference=reference)


@login_required
@require_POST
def attachment_upload(request, reference):
    case = policy.get_case_or_404(request.user, reference)
    if not policy.can_comment(request.user, case):
        raise PermissionDenied
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Pilih berkas yang akan diunggah."))
    else:
        try:
            attachments.add(case=case, upload=form.cleaned_data["file"], actor=request.user)
        except attachments.AttachmentRejected as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Berkas diunggah dan disimpan terenkripsi."))
    return redirect("cases:detail", reference=reference)


@login_required
def attachment_download(request, uuid):
    attachment = get_object_or_404(Attachment.objects.select_related("case"), uuid=uuid)
    if not policy.can_view(request.user, attachment.case):
        raise Http404
    try:
        data = attachments.read(attachment)
    except attachments.StorageUnavailable:
        messages.error(
            request,
            _(
                "Berkas “%(name)s” tidak dapat dibaca dari penyimpanan berkas saat ini. Coba lagi nanti; bila masih "
                "gagal, beri tahu admin."
            )
            % {"name": attachment.name},
        )
        return redirect("cases:detail", reference=attachment.case.reference)
    attachments.record_download(attachment, request.user)
    response = HttpResponse(data, content_type=attachment.content_type)
    # Always a download, never rendered inline: an uploaded file must not run in our origin.
    response["Content-Disposition"] = _content_disposition(attachment.name)
    response["Cache-Control"] = "no-store"
    return response


def _content_disposition(name: str) -> str:
    ascii_name = name.encode("ascii", "ignore").decode().replace('"', "") or "berkas"
    return f"attachment; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(name)}"


def set_language(request):
    """Django's language switch; a signed-in user's choice is also kept on their profile, so that what is
    written to them later while they are away (notifications) is in the language they work in."""
    response = django_set_language(request)
    chosen = response.cookies.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen is not None and request.user.is_authenticated:
        services.employee_language_set(user=request.user, language=chosen.value)
    return response


@login_required
def notification_list(request):
    items = request.user.notifications.all()
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "cases/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_mark_read(request):
    request.user.notifications.filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("cases:notifications")
