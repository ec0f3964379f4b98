"""Documents of benturan kepentingan made from the data: PDF with WeasyPrint, XLSX through cases.exports."""

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

# --- Declarations (letter)


def _organisation(unit) -> str:
    """The instansi the letterhead names above the unit: the top of the unit tree (as pengaduan's letter)."""
    top = unit
    while top.parent_id is not None:
        top = top.parent
    return top.name if top.pk != unit.pk else ""


def _person(user) -> dict:
    """Name, NIP, position and unit of a person as their profile has them now."""
    if user is None:
        return {}
    profile = getattr(user, "profile", None)
    return {
        "name": user.get_full_name() or user.username,
        "nip": getattr(profile, "nip", "") or "",
        "position": getattr(profile, "position", "") or "",
        "unit": getattr(getattr(profile, "unit", None), "name", ""),
    }


def decision_letter_pdf(declaration) -> bytes:
    """The supervisor's decision on a declared conflict of interest as a letter (UU 30/2014 Pasal 42–43;
    PermenPANRB 17/2024): number (the reference), the declarant, the matter, the outcome in words, the facts, the
    impact, the reasoning, the controls, the replacement if any, and who decided when. Always in Bahasa
    Indonesia, like every letter of the instansi (WeasyPrint, no network)."""
    from weasyprint import HTML  # heavy (cairo, fonts): loaded only when a PDF is made

    with override("id"):
        html = render_to_string(
            "benturan/declaration_letter_pdf.html",
            {
                "declaration": declaration,
                "unit": declaration.unit,
                "organisation": _organisation(declaration.unit),
                "declarant": _person(declaration.reporter),
                "decider": _person(declaration.decided_by),
                "replacement": _person(declaration.replacement),
                "opened_by": _person(declaration.opened_by),
                "outcome": declaration.get_outcome_display(),
                "activity_kind": declaration.get_activity_kind_display(),
                "source": declaration.get_source_display(),
                "generated": timezone.localtime(),
            },
        )
    # No base_url: the template embeds its styles and loads nothing, so nothing can be fetched.
    return HTML(string=html).write_pdf()
