"""Pengaduan forms: one per transition that asks for data (the `form` paths in pengaduan/models.py). The public
form and the officers' recording form follow below them."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cases import policy
from cases.forms import TransitionDataForm
from cases.models import Unit
from cases.validators import not_in_future
from pengaduan.models import Complaint

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT_MAX = 10_000

# Kept in step with the WBS categories without importing the app (no app imports another): the core's
# conversion hands the category over as data, and WBS checks it.
WBS_CATEGORIES = [
    ("korupsi", _("Korupsi (termasuk gratifikasi yang tidak dilaporkan)")),
    ("suap_pungli", _("Suap atau pungutan liar")),
    ("penyalahgunaan_wewenang", _("Penyalahgunaan wewenang")),
    ("pengadaan", _("Pengadaan barang/jasa")),
]


class ForwardForm(TransitionDataForm):
    forwarded_agency = forms.CharField(label=_("Instansi tujuan"), max_length=200)
    forwarded_letter = forms.CharField(label=_("Nomor surat penerusan"), max_length=100)
    forwarded_on = forms.DateField(label=_("Tanggal diteruskan"), widget=DATE, validators=[not_in_future])


class DuplicateForm(TransitionDataForm):
    original = forms.CharField(
        label=_("Nomor pengaduan yang sama"),
        max_length=32,
        help_text=_("Mis. ADU-2026-000123. Kedua pengaduan disimpan dan saling ditautkan."),
    )

    def clean_original(self):
        reference = self.cleaned_data["original"].strip().upper()
        if reference == self.case.reference:
            raise forms.ValidationError(_("Pengaduan tidak dapat menjadi duplikat dirinya sendiri."))
        if not Complaint.objects.filter(reference=reference).exists():
            raise forms.ValidationError(_("Tidak ada pengaduan dengan nomor %(ref)s.") % {"ref": reference})
        return reference


class DisposeForm(TransitionDataForm):
    disposed_unit = forms.ModelChoiceField(
        label=_("Unit tujuan"), queryset=Unit.objects.filter(is_active=True), empty_label=_("— pilih unit —")
    )
    handler = forms.ModelChoiceField(label=_("Petugas penanganan"), queryset=None, empty_label=_("— pilih petugas —"))

    def __init__(self, *args, case, **kwargs):
        super().__init__(*args, case=case, **kwargs)
        # Only people who may handle it without a conflict (cases.policy): never the complainant or a person
        # the complaint is about.
        self.fields["handler"].queryset = policy.assignable_users(case)
        self.fields["handler"].label_from_instance = lambda user: user.get_full_name() or user.get_username()
        if case.service_id:
            self.fields["disposed_unit"].initial = case.service.unit_id


class AnswerForm(TransitionDataForm):
    answer = forms.CharField(
        label=_("Jawaban kepada pengadu"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )
    answer_signatory = forms.CharField(
        label=_("Penandatangan surat jawaban"),
        max_length=200,
        help_text=_("Nama dan jabatan, mis. Kepala Bagian Umum."),
    )


class ConvertForm(TransitionDataForm):
    wbs_category = forms.ChoiceField(label=_("Kategori laporan WBS"), choices=WBS_CATEGORIES)
