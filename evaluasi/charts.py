"""Charts drawn on the server as SVG (matplotlib, no JavaScript, no assets from elsewhere).

Text is drawn as paths (``svg.fonttype = "path"``), so a unit name typed in Pengaturan can never become markup,
and the chart looks the same in every browser and in the PDF report. Every chart has a table beside it on the
page: the chart is for the eye, the table is the record.
"""

import io
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from django.utils.translation import gettext as _

# matplotlib's pyplot state is global: one chart at a time per process.
_lock = threading.Lock()

WIDTH, HEIGHT = 6.4, 3.2  # inches; the SVG scales to the width of a phone
COLOURS = ("#1f5f8b", "#c8553d", "#588b5b", "#8c6bb1", "#d9a21b")


def _pyplot():
    import matplotlib  # noqa: PLC0415 - a heavy import only the chart pages need

    matplotlib.use("Agg")
    # text.parse_math off: a "$" in a unit's name is a dollar sign, not TeX (an unbalanced one would fail the chart).
    matplotlib.rcParams.update(
        {"svg.fonttype": "path", "font.size": 9, "svg.hashsalt": "sigap", "text.parse_math": False}
    )
    from matplotlib import pyplot  # noqa: PLC0415

    return pyplot


def _number(value: float) -> str:
    """A number as the office writes it: 1.250.000 and 4,5."""
    if float(value).is_integer():
        return f"{int(value):,}".replace(",", ".")
    return f"{value:,.1f}".replace(",", " ").replace(".", ",").replace(" ", ".")


@contextmanager
def drawing(height: float = HEIGHT) -> Iterator[tuple]:
    """A figure and its axes for one chart (the evaluation's and survei's), one at a time per process since
    pyplot's state is global; the figure is closed afterwards."""
    pyplot = _pyplot()
    with _lock:
        figure, axes = pyplot.subplots(figsize=(WIDTH, height))
        try:
            yield figure, axes
        finally:
            pyplot.close(figure)


def no_data(axes, values) -> None:
    """Say so when there is nothing to draw, rather than an empty frame that looks broken."""
    if not any(values):
        axes.text(0.5, 0.5, _("Belum ada data"), transform=axes.transAxes, ha="center", va="center", color="#5b6675")


def svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None, "Creator": None})
    return buffer.getvalue()


def bar_svg(title: str, labels: list[str], values: list[float | None], *, horizontal: bool = True) -> str:
    """Bars, one per label; a value of None (hidden, e.g. a WBS cell under 3) is left out and labelled so."""
    height = max(HEIGHT, 0.35 * len(labels) + 1) if horizontal else HEIGHT
    with drawing(height) as (figure, axes):
        shown = [value if value is not None else 0 for value in values]
        positions = range(len(labels))
        short = [label if len(label) <= 40 else label[:39] + "…" for label in labels]
        if horizontal:
            axes.barh(positions, shown, color=COLOURS[0])
            axes.set_yticks(list(positions), short)
            axes.invert_yaxis()
            for position, value in zip(positions, values, strict=True):
                axes.annotate(
                    "*" if value is None else _number(value),
                    (shown[position], position),
                    xytext=(3, 0),
                    textcoords="offset points",
                    va="center",
                )
        else:
            axes.bar(positions, shown, color=COLOURS[0])
            axes.set_xticks(list(positions), short, rotation=45, ha="right")
        # Counts: no tick at 2,5 cases, none below zero, and an axis to 1 when every bar is 0.
        (axes.xaxis if horizontal else axes.yaxis).get_major_locator().set_params(integer=True)
        top = max([value for value in shown if value] or [0])
        (axes.set_xlim if horizontal else axes.set_ylim)(0, max(1, top * 1.15))
        no_data(axes, [value is None or value for value in values])
        axes.set_title(title)
        axes.spines[["top", "right"]].set_visible(False)
        return svg(figure)


def line_svg(title: str, x_labels: list[str], series: list[tuple[str, list[float | None]]]) -> str:
    """One line per series over the periods; hidden points (None) break the line."""
    with drawing() as (figure, axes):
        positions = list(range(len(x_labels)))
        for index, (label, values) in enumerate(series):
            axes.plot(
                positions,
                [float("nan") if value is None else value for value in values],
                marker="o",
                color=COLOURS[index % len(COLOURS)],
                label=label,
            )
        axes.set_xticks(positions, x_labels, rotation=45, ha="right")
        highest = max([value for _label, values in series for value in values if value] or [0])
        axes.set_ylim(0, max(1, highest * 1.15))  # an all-zero (or all-hidden) line keeps a 0..1 axis
        axes.yaxis.get_major_locator().set_params(integer=True)
        no_data(axes, [value for _label, values in series for value in values if value is not None])
        axes.set_title(title)
        if series:
            axes.legend(loc="upper left", frameon=False)
        axes.spines[["top", "right"]].set_visible(False)
        return svg(figure)
