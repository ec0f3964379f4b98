"""Validators shared by the case apps."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases import workdays


def not_in_future(value: dt.date) -> None:
    """Dates of things that already happened (received, forwarded, done) cannot be after today (Jakarta)."""
    if value > workdays.today():
        raise ValidationError(_("Tanggal tidak boleh di masa depan."))
