"""Filters of the LKE worksheet templates (evaluasi/templates/evaluasi/lke*.html)."""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """`mapping[key]`, or "" (a template cannot index a dict by a variable)."""
    return mapping.get(key, "") if isinstance(mapping, dict) else ""


@register.filter
def score(value) -> str:
    """A score or weight without trailing zeros, with a decimal comma as Indonesian writes it ("0,375")."""
    if value is None:
        return "0"
    text = f"{Decimal(value).quantize(Decimal('0.001')).normalize():f}"
    return text.replace(".", ",")
