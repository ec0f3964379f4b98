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


@register.filter
def same_value(option_value, answer_value) -> bool:
    """Whether an option's value (a JSON number) is the answer's value (a Decimal with four places)."""
    if option_value is None or answer_value in (None, ""):
        return False
    try:
        return Decimal(str(option_value)) == Decimal(str(answer_value))
    except ArithmeticError:
        return False
