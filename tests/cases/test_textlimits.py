"""Every free-text field of the case core shows its limit: a counter hook for sigap/counter.js and, without
JavaScript, the limit in its help text; long unbroken text wraps on the page."""

from pathlib import Path

import pytest
from django import forms
from django.urls import reverse

from cases.forms import CommentForm, MessageForm, TransitionDataForm, TransitionForm
from cases.textlimits import show_limits


@pytest.mark.parametrize(
    ("form", "name", "limit"),
    [
        (MessageForm(), "text", 4000),
        (CommentForm(), "text", 4000),
        (TransitionForm(), "note", 2000),
        (TransitionDataForm(case=None), "note", 2000),
    ],
)
def test_case_text_fields_show_their_limit(form, name, limit):
    html = str(form[name])
    # A text box counts without maxlength: a browser would cut a long paste silently (outside trial, issue 10).
    assert f'data-counter="{limit}"' in html and "maxlength" not in html
    assert f"{limit:,}".replace(",", ".") in str(form.fields[name].help_text)


def test_hidden_and_unlimited_fields_are_left_alone():
    class Sample(forms.Form):
        hidden = forms.CharField(max_length=10, widget=forms.HiddenInput)
        free = forms.CharField(widget=forms.Textarea)
        short = forms.CharField(max_length=10, help_text="Nama panggilan.")

    form = Sample()
    show_limits(form)
    assert "data-counter" not in str(form["hidden"]) and "data-counter" not in str(form["free"])
    assert str(form.fields["short"].help_text) == "Nama panggilan. Paling banyak 10 karakter."


def test_the_counter_script_exists_and_long_words_wrap():
    static = Path(__file__).resolve().parents[2] / "cases" / "static" / "sigap"
    assert "data-counter" in (static / "counter.js").read_text()
    assert "overflow-wrap:anywhere" in (static / "sigap.css").read_text().replace(" ", "")


@pytest.mark.django_db
@pytest.mark.parametrize("service", ["add_comment", "add_message"])
def test_a_text_over_the_limit_is_refused_not_cut(make_widget, handler, service):
    from cases import services
    from cases.models import CaseEvent
    from cases.textlimits import MESSAGE_MAX_LENGTH

    case = make_widget("reviewing")
    before = CaseEvent.objects.filter(case=case).count()
    with pytest.raises(services.CaseError, match="paling banyak 4.000 karakter"):
        getattr(services, service)(case, handler, "x" * (MESSAGE_MAX_LENGTH + 1))
    assert CaseEvent.objects.filter(case=case).count() == before
    getattr(services, service)(case, handler, "x" * MESSAGE_MAX_LENGTH)
    assert CaseEvent.objects.filter(case=case).latest("seq").data["text"] == "x" * MESSAGE_MAX_LENGTH


@pytest.mark.django_db
def test_a_refused_note_names_the_limit_in_the_readers_format(client, login_verified, make_widget, handler):
    case = make_widget("reviewing")
    login_verified(handler)
    response = client.post(reverse("cases:comment", args=[case.reference]), {"text": " "}, follow=True)
    assert "paling banyak 4.000 karakter" in response.content.decode()
