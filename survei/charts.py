"""A survey's two charts, drawn on the server as SVG with the evaluation dashboard's machinery (evaluasi.charts:
matplotlib, text as paths so an item's wording can never become markup, no JavaScript): the variables against
the thresholds they are read with, and how the answers of each item are spread over the scale.

Each chart has a table with the same numbers beside it on every page that shows it: the chart is for the eye,
the table is the record (and what a screen reader reads).
"""

from decimal import Decimal

from django.utils.translation import gettext as _

from evaluasi.charts import COLOURS, HEIGHT, drawing, no_data, svg

# Worst to best, so a bar that is mostly blue reads "good" whatever the scale. Value 1 is the first colour.
SCALE_COLOURS = {
    4: ("#b2182b", "#ef8a62", "#67a9cf", "#2166ac"),
    6: ("#b2182b", "#ef8a62", "#fddbc7", "#d1e5f0", "#67a9cf", "#2166ac"),
}
LINE_COLOURS = ("#c8553d", "#6a3d9a", "#588b5b")


def decimal_text(value: Decimal | float | None, places: int = 2) -> str:
    """A number as the office writes it in a chart: 3,60 and 88,31 (charts carry no locale of their own)."""
    if value is None:
        return "–"
    return f"{float(value):,.{places}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def _tick(value: float, _position=None) -> str:
    return str(int(value)) if float(value).is_integer() else decimal_text(value, 1)


def _merged(lines: list[tuple[str, Decimal]]) -> list[tuple[str, Decimal]]:
    """Thresholds at the same value drawn once ("WBK/WBBM 3,60": IPAK asks 3.60 for both)."""
    merged: dict[Decimal, list[str]] = {}
    for label, at in lines:
        merged.setdefault(Decimal(str(at)), []).append(label)
    return [("/".join(labels), at) for at, labels in merged.items()]


def _short(label: str, size: int = 40) -> str:
    return label if len(label) <= size else label[: size - 1] + "…"


def variables_svg(
    title: str,
    labels: list[str],
    values: list[Decimal | None],
    *,
    top: float,
    lines: list[tuple[str, Decimal]],
) -> str:
    """One bar per variable on 0..`top`, with a dashed line at each threshold (`lines`: label, value), e.g. the
    WBK and WBBM minimums on 0–4, or the lower bounds of the SKM grades on the index scale."""
    with drawing(max(HEIGHT, 0.35 * len(labels) + 1.2)) as (figure, axes):
        shown = [float(value) if value is not None else 0.0 for value in values]
        positions = list(range(len(labels)))
        axes.barh(positions, shown, color=COLOURS[0])
        axes.set_yticks(positions, [_short(label) for label in labels])
        axes.invert_yaxis()
        for position, value in zip(positions, values, strict=True):
            axes.annotate(decimal_text(value), (shown[position], position), xytext=(3, 0), textcoords="offset points")
        lines = _merged(lines)
        for index, (label, at) in enumerate(lines):
            colour = LINE_COLOURS[index % len(LINE_COLOURS)]
            axes.axvline(float(at), color=colour, linestyle="--", linewidth=1, label=f"{label} {decimal_text(at)}")
        axes.set_xlim(0, top)
        axes.xaxis.set_major_formatter(_tick)
        no_data(axes, [value is not None for value in values])
        axes.set_title(title)
        if lines:
            axes.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=len(lines), frameon=False)
        axes.spines[["top", "right"]].set_visible(False)
        return svg(figure)


def distribution_svg(title: str, labels: list[str], distributions: list[dict[int, int]], scale: int) -> str:
    """One stacked bar per item: the share of its answers at each value of the scale, as answered (1 first)."""
    colours = SCALE_COLOURS.get(scale) or tuple(COLOURS[n % len(COLOURS)] for n in range(scale))
    with drawing(max(HEIGHT, 0.35 * len(labels) + 1.2)) as (figure, axes):
        positions = list(range(len(labels)))
        totals = [sum(counts.values()) for counts in distributions]
        left = [0.0] * len(labels)
        for value in range(1, scale + 1):
            shares = [
                (counts.get(value, 0) * 100 / total) if total else 0.0
                for counts, total in zip(distributions, totals, strict=True)
            ]
            axes.barh(positions, shares, left=left, color=colours[value - 1], label=str(value))
            left = [start + share for start, share in zip(left, shares, strict=True)]
        axes.set_yticks(positions, [_short(label) for label in labels])
        axes.invert_yaxis()
        axes.set_xlim(0, 100)
        axes.set_xlabel(_("% jawaban"))
        no_data(axes, totals)
        axes.set_title(title)
        axes.legend(
            title=_("Nilai jawaban"),
            loc="upper center",
            bbox_to_anchor=(0.5, -0.18),
            ncol=scale,
            frameon=False,
        )
        axes.spines[["top", "right"]].set_visible(False)
        return svg(figure)
