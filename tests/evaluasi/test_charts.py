"""The server-drawn charts: valid SVG, text drawn as paths (so no name typed in Pengaturan becomes markup), and
no chart that fails on odd input."""

import xml.etree.ElementTree as ET

import pytest

from evaluasi import charts

SVG = "{http://www.w3.org/2000/svg}svg"


def parsed(text: str) -> ET.Element:
    assert "<script" not in text.lower()
    root = ET.fromstring(text)
    assert root.tag == SVG
    return root


@pytest.mark.parametrize(
    ("labels", "values"),
    [
        (["Diterima", "Selesai"], [5, 3]),
        (["Korupsi", "Suap"], [5, None]),  # a hidden cell
        ([], []),  # nothing at all
        (["A"], [0]),
        (["Rp 1.000 $x", "$ unbalanced", "<script>alert(1)</script>"], [1, 2, 3]),
        (["x" * 200], [1_250_000]),
        (["a -- b --> c"], [2]),  # a comment's end inside a label
    ],
)
def test_a_bar_chart_is_svg_whatever_it_is_given(labels, values):
    text = charts.bar_svg("Judul <b>&</b>", labels, values)
    parsed(text)
    # Every label is drawn as a path; matplotlib keeps the text only as an escaped XML comment.
    assert "<b>" not in text and "<script" not in text


def test_a_vertical_bar_chart_is_svg():
    parsed(charts.bar_svg("Judul", ["a", "b"], [1, 2], horizontal=False))


@pytest.mark.parametrize(
    "series",
    [
        [("Diterima", [1, 2, None, 4]), ("Selesai", [0, 1, 1, None])],
        [("Diterima", [None, None, None, None])],
        [],
    ],
)
def test_a_line_chart_is_svg(series):
    parsed(charts.line_svg("Tren", ["Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"], series))


def test_the_same_chart_is_the_same_bytes():
    """No date, no random ids: the PDF report and a cache can rely on it."""
    assert charts.bar_svg("T", ["a"], [1]) == charts.bar_svg("T", ["a"], [1])


def test_numbers_are_written_the_indonesian_way():
    assert charts._number(1_250_000) == "1.250.000"
    assert charts._number(4.5) == "4,5"
