"""Numbers as the reader's language writes them: Rupiah amounts in Bahasa Indonesia as Rp2.500.000, in English
as Rp2,500,000 — the same grouping that templates get from USE_THOUSAND_SEPARATOR and `intcomma`, so a page
never mixes the two."""

from django.utils.formats import number_format


def rupiah(value: int) -> str:
    """A whole Rupiah amount in the active language's grouping (no decimals: Rupiah has no sen in use)."""
    return "Rp" + number_format(int(value), decimal_pos=0, use_l10n=True, force_grouping=True)
