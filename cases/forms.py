from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from cases import registry
from cases.models import Unit
from cases.textlimits import LimitedTextForm, show_limits


class InboxFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), required=False)
    status = forms.CharField(label=_("Status"), required=False, max_length=40)
    unit = forms.ModelChoiceField(label=_("Unit kerja"), queryset=Unit.objects.filter(is_active=True), required=False)
    overdue = forms.BooleanField(label=_("Hanya yang lewat batas waktu"), required=False)
    q = forms.CharField(label=_("Nomor"), required=False, max_length=32)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Semua jenis"))] + [(k.code, k.label) for k in registry.all_kinds()]
        statuses = {}
        for kind in registry.all_kinds():
            for code, label in kind.status_labels:
                statuses.setdefault(code, label)
        self.fields["status"].widget = forms.Select(choices=[("", _("Semua status"))] + sorted(statuses.items()))


class TransitionForm(LimitedTextForm, forms.Form):
    name = forms.CharField(max_length=64, widget=forms.HiddenInput)
    expected_status = forms.CharField(max_length=40, widget=forms.HiddenInput)
    note = forms.CharField(
        label=_("Catatan"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class AssignForm(forms.Form):
    assignee = forms.ModelChoiceField(label=_("Petugas"), queryset=None, empty_label=_("— pilih petugas —"))

    def __init__(self, *args, users, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = users
        self.fields["assignee"].label_from_instance = lambda user: user.get_full_name() or user.get_username()


class CommentForm(LimitedTextForm, forms.Form):
    text = forms.CharField(label=_("Catatan internal"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


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
    arguments; an optional `attachment` file is checked here and stored after the transition succeeds."""

    note = forms.CharField(
        label=_("Catatan untuk pelapor (opsional; pelapor membacanya)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, **kwargs)
        self.case = case
        show_limits(self)

    def clean_attachment(self):
        from cases import attachments

        upload = self.cleaned_data.get("attachment")
        if upload:
            try:
                attachments.check(upload)
            except attachments.AttachmentRejected as exc:
                raise forms.ValidationError(exc.message) from exc
        return upload

    def transition_data(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in {"note", "attachment"}}


class MessageForm(LimitedTextForm, forms.Form):
    text = forms.CharField(label=_("Pesan kepada pelapor"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
