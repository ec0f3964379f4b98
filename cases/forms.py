import datetime as dt

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from cases import attachments, registry, workdays
from cases.models import CaseLink, Unit
from cases.textlimits import MESSAGE_MAX_LENGTH, NOTE_MAX_LENGTH, LimitedTextForm, show_limits


class InboxFilterForm(forms.Form):
    """The inbox's filters. Only the kinds the user can see are offered; statuses are grouped by kind, in
    each kind's workflow order, as `kind:status` (two kinds may share a status code)."""

    kind = forms.ChoiceField(label=_("Jenis"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    unit = forms.ModelChoiceField(
        label=_("Unit kerja"), queryset=Unit.objects.filter(is_active=True), required=False, empty_label=_("Semua unit")
    )
    q = forms.CharField(
        label=_("Cari"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Nomor, nama pelapor, atau pemberi")}),
    )
    submitted_from = forms.DateField(
        label=_("Diajukan sejak"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    submitted_to = forms.DateField(
        label=_("Diajukan sampai"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    overdue = forms.BooleanField(label=_("Hanya yang lewat batas waktu"), required=False)
    include_closed = forms.BooleanField(label=_("Tampilkan juga kasus yang sudah selesai"), required=False)

    def __init__(self, *args, kinds: list[registry.CaseKind], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Semua jenis"))] + [(k.code, k.label) for k in kinds]
        self.fields["status"].choices = [("", _("Semua status"))] + [
            (kind.label, [(f"{kind.code}:{code}", label) for code, label in kind.status_labels]) for kind in kinds
        ]

    def clean(self):
        data = super().clean()
        start, end = data.get("submitted_from"), data.get("submitted_to")
        if start and end and start > end:
            self.add_error("submitted_to", _("Tanggal akhir tidak boleh sebelum tanggal awal."))
        return data


class TransitionForm(LimitedTextForm, forms.Form):
    name = forms.CharField(max_length=64, widget=forms.HiddenInput)
    expected_status = forms.CharField(max_length=40, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Catatan"), required=False, max_length=NOTE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 2})
    )
    # Required by the service for closing steps; optional here so the service's message is the one shown.
    reason = forms.CharField(required=False, max_length=NOTE_MAX_LENGTH)
    confirmed = forms.BooleanField(required=False)


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Petugas"), queryset=None, empty_label=_("— pilih petugas —"))

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class LinkForm(forms.Form):
    """Link the case on the page to another one by its reference (e.g. a WBS report about an undeclared conflict
    to the declaration it concerns)."""

    reference = forms.CharField(
        label=_("Nomor kasus lain"), max_length=40, help_text=_("Mis. BKP-2026-000012 atau WBS-2026-000345.")
    )
    relation = forms.ChoiceField(
        label=_("Hubungan"),
        choices=[
            (CaseLink.Relation.RELATED, CaseLink.Relation.RELATED.label),
            (CaseLink.Relation.DUPLICATE_OF, CaseLink.Relation.DUPLICATE_OF.label),
        ],
        initial=CaseLink.Relation.RELATED,
    )

    def clean_reference(self):
        return self.cleaned_data["reference"].strip().upper()


class CommentForm(LimitedTextForm, forms.Form):
    text = forms.CharField(
        label=_("Catatan internal"), max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("Berkas"))


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Kode 6 angka dari aplikasi autentikator"),
        max_length=8,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


class LoginForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil."),
        "inactive": _("Akun ini tidak aktif. Hubungi admin SIGAP unit Anda."),
    }


class TransitionDataForm(forms.Form):
    """Base for the data an officer enters with a transition. Field names are the transition's keyword
    arguments; an optional `attachment` file is checked here (to show the error on the form) and stored by the
    transition service, in the transition's own transaction."""

    note = forms.CharField(
        label=_("Catatan untuk pelapor (opsional; pelapor membacanya)"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, case, confirm: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if confirm:
            add_confirmation(self)
        self.case = case
        show_limits(self)

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload:
            try:
                attachments.check(upload)
            except attachments.AttachmentRejected as exc:
                raise forms.ValidationError(exc.message) from exc
        return upload

    def transition_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in {"note", "attachment", "reason", "confirmed"}}


class MessageForm(LimitedTextForm, forms.Form):
    text = forms.CharField(
        label=_("Pesan kepada pelapor"), max_length=MESSAGE_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3})
    )


def reason_field() -> forms.CharField:
    return forms.CharField(
        label=_("Alasan (wajib; dicatat di log audit)"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def confirmation_field() -> forms.BooleanField:
    return forms.BooleanField(label=_("Saya yakin: langkah ini menutup kasus atau tidak dapat dibatalkan."))


def add_confirmation(form: forms.Form) -> forms.Form:
    """Give a form the reason and confirmation of an irreversible or closing step (cases.policy.
    needs_confirmation). Both are also checked by the transition service, so a forged post changes nothing."""
    form.fields["reason"] = reason_field()
    form.fields["confirmed"] = confirmation_field()
    return form


class PeriodUnitForm(forms.Form):
    """A period (this year so far by default) and a unit, with the units under it: the filter of every recap."""

    start = forms.DateField(label=_("Dari tanggal"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    end = forms.DateField(label=_("Sampai tanggal"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=None, required=False, empty_label=_("Semua unit"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(is_active=True)
        today = workdays.today()
        self.fields["start"].initial = dt.date(today.year, 1, 1)
        self.fields["end"].initial = today

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["start"] > data["end"]:
            raise forms.ValidationError(_("Tanggal awal tidak boleh setelah tanggal akhir."))
        return data
