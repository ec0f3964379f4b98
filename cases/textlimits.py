"""Every free-text field says how long it may be: a live counter (sigap/counter.js) and, without JavaScript,
the limit written in its help text. A limit nobody sees is only discovered when the server refuses the text.
No field carries `maxlength` (a paste would be cut silently): the server refuses longer text and the form
comes back with all of it."""

from django import forms
from django.utils.formats import number_format
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

TEXT_WIDGETS = (forms.TextInput, forms.Textarea)

# The longest message or internal note: the forms say it, and the services refuse longer text instead of
# cutting it (a silent cut loses what the writer meant to say).
MESSAGE_MAX_LENGTH = 4000
# The longest note or reason that goes with a transition.
NOTE_MAX_LENGTH = 2000


def show_limits(form: forms.BaseForm) -> None:
    """Mark each text field of `form` that has a max_length for the counter and write the limit into its help."""
    for field in form.fields.values():
        limit = getattr(field, "max_length", None)
        if not limit or not isinstance(field.widget, TEXT_WIDGETS) or isinstance(field.widget, forms.HiddenInput):
            continue
        # No maxlength: a browser would cut a long paste silently, and without JavaScript nobody would know.
        # The server refuses longer text with a message and gives all of it back in the form.
        field.widget.attrs["data-counter"] = str(limit)
        field.widget.attrs.pop("maxlength", None)  # Django's CharField puts it on every widget
        note = format_lazy(_("Paling banyak {limit} karakter."), limit=number_format(limit, force_grouping=True))
        field.help_text = format_lazy("{} {}", field.help_text, note) if field.help_text else note


class LimitedTextForm:
    """Mix-in for forms whose text fields should show their limits."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_limits(self)
