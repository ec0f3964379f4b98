"""A second kind on the core's public intake ('ujipub', the test Widget): no WBS code, a form of its own,
no sealed part. tests/cases/test_intake_core.py registers the kind and mounts these pages (urls.py)."""

from django import forms
from django.db import transaction

from cases import intake, intake_views, services
from cases.models import Unit
from tests.casetype.models import Status, Widget

KIND = "ujipub"


class ReportForm(forms.ModelForm):
    submission = forms.CharField(widget=forms.HiddenInput, max_length=64)

    class Meta:
        model = Widget
        fields = ["title"]

    def prepared_files(self) -> list:
        return []


class TrackForm(forms.Form):
    """Fits both credentials a test may give the kind: a receipt, or a tracking number and PIN."""

    receipt = forms.CharField(max_length=40, required=False)
    number = forms.CharField(max_length=40, required=False)
    pin = forms.CharField(max_length=20, required=False)


class MessageForm(forms.Form):
    text = forms.CharField(max_length=4000)


class FilesForm(forms.Form):
    files = forms.FileField(required=False)

    def prepared_files(self) -> list:
        return []


def submit(*, form: ReportForm, files: list):
    with transaction.atomic():
        case = services.create_case(
            kind=KIND,
            actor=None,
            unit=Unit.objects.order_by("pk").first(),
            status=Status.SUBMITTED,
            title=form.cleaned_data["title"],
        )
        return case, intake.credential_for(KIND).issue(case)


INTAKE = intake_views.IntakeConfig(
    kind=KIND,
    report_form=ReportForm,
    track_form=TrackForm,
    message_form=MessageForm,
    files_form=FilesForm,
    templates=intake_views.IntakeTemplates(
        report="casetype/intake/report.html",
        receipt="casetype/intake/receipt.html",
        track="casetype/intake/track.html",
        status="casetype/intake/status.html",
    ),
    submit=submit,
    add_files=lambda case, files: len(files),
    stages={Status.SUBMITTED: "Masuk", Status.REVIEWING: "Ditelaah", Status.APPROVED: "Selesai"},
    detail=lambda case: Widget.objects.filter(pk=case.pk).first(),
    submissions_per_hour=lambda: 2,
)
