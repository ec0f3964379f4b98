"""Cost against data size: the core benchmark at several sizes, one table and one chart (issue 14).

    .venv/bin/python -m benchmarks.series --sizes 100000 300000 1000000

Each size is a separate `python -m benchmarks core --cases N --start-postgres` run (its own throwaway cluster, its
own results file `benchmarks/results-core-<N>-<date>.md`), which also writes its headline figures as JSON
(`run.figures`). This module reads them and writes `benchmarks/results-scale-<date>.md` (a table of every path's
time and its same-run baseline at each size) and `benchmarks/scale-<date>.svg` (time against size, log-log, one
line per path), so anyone can see how each cost grows: a path whose line rises as steeply as the data grows with
the table; a flat one grows with its own work.
"""

import argparse
import datetime as dt
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
COLOURS = ["#1b6ca8", "#c0392b", "#27ae60", "#8e44ad", "#d35400", "#16a085", "#7f8c8d", "#2c3e50", "#b7950b"]


def run_size(cases: int, extra: list[str], today: str) -> dict:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [
            sys.executable,
            "-m",
            "benchmarks",
            "core",
            "--cases",
            str(cases),
            "--start-postgres",
            "--output",
            str(BENCH_DIR / f"results-core-{cases}-{today}.md"),
            "--json",
            out.name,
            *extra,
        ]
        print("series:", " ".join(command[1:]), file=sys.stderr)
        subprocess.run(command, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
        return json.loads(Path(out.name).read_text())


def _fmt(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    return f"{seconds * 1000:.1f} ms" if seconds < 10 else f"{seconds:.1f} s"


def table(runs: list[dict]) -> list[str]:
    sizes = [run["cases"] for run in runs]
    lines = [
        "| path | what the baseline is | " + " | ".join(f"{n:,} cases" for n in sizes) + " | growth ×"
        f"{sizes[-1] / sizes[0]:.0f} data |",
        "|---|---|" + "---|" * len(sizes) + "---|",
    ]
    for name, first in runs[0]["paths"].items():
        cells = []
        for run in runs:
            path = run["paths"].get(name, {})
            measured, baseline = path.get("measured"), path.get("baseline")
            ratio = f" ({measured / baseline:.1f}×)" if measured and baseline else ""
            cell = f"{_fmt(measured)} vs {_fmt(baseline)}{ratio}" if baseline is not None else _fmt(measured)
            cells.append(cell + (f" [{path['work']}]" if path.get("work") else ""))
        last = runs[-1]["paths"].get(name, {}).get("measured")
        growth = f"×{last / first['measured']:.1f}" if last and first.get("measured") else "—"
        lines.append(f"| {name} | {first.get('baseline_label', '—')} | " + " | ".join(cells) + f" | {growth} |")
    return lines


def chart(runs: list[dict], title: str) -> str:
    """Log-log SVG: x = cases, y = measured time; one line per path, its name at the right end."""
    width, height, left, right, top, bottom = 1000, 560, 70, 420, 40, 50
    names = [name for name in runs[0]["paths"] if not name.endswith(", p95")]  # the medians; p95 in the table
    values = [run["paths"][n]["measured"] for run in runs for n in names if run["paths"].get(n, {}).get("measured")]
    y_lo, y_hi = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))
    x_lo, x_hi = math.log10(runs[0]["cases"]), math.log10(runs[-1]["cases"])
    x_hi = x_hi if x_hi > x_lo else x_lo + 1

    def x(cases):
        return left + (math.log10(cases) - x_lo) / (x_hi - x_lo) * (width - left - right)

    def y(seconds):
        return top + (y_hi - math.log10(seconds)) / max(y_hi - y_lo, 1) * (height - top - bottom)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" '
        'font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{left}" y="22" font-size="15">{escape(title)}</text>',
    ]
    for power in range(y_lo, y_hi + 1):
        seconds = 10.0**power
        label = f"{seconds * 1000:g} ms" if seconds < 1 else f"{seconds:g} s"
        level = f"{y(seconds):.1f}"
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{level}" y2="{level}" stroke="#ddd"/>')
        out.append(f'<text x="{left - 6}" y="{y(seconds) + 4:.1f}" text-anchor="end">{label}</text>')
    for run in runs:
        out.append(
            f'<line x1="{x(run["cases"]):.1f}" x2="{x(run["cases"]):.1f}" y1="{top}" y2="{height - bottom}" '
            'stroke="#eee"/>'
        )
        out.append(
            f'<text x="{x(run["cases"]):.1f}" y="{height - bottom + 18}" text-anchor="middle">'
            f"{run['cases']:,} cases</text>"
        )
    labels = []  # (y, name, colour): drawn after the lines, moved apart so none overlaps another
    for i, name in enumerate(names):
        colour = COLOURS[i % len(COLOURS)]
        points = [
            (x(run["cases"]), y(run["paths"][name]["measured"]))
            for run in runs
            if run["paths"].get(name, {}).get("measured")
        ]
        if not points:
            continue
        out.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2" points="'
            + " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            + '"/>'
        )
        out += [f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="{colour}"/>' for px, py in points]
        labels.append([points[-1][1], name, colour])
    labels.sort()
    for above, below in zip(labels, labels[1:], strict=False):
        below[0] = max(below[0], above[0] + 14)
    label_x = x(runs[-1]["cases"]) + 8
    for label_y, name, colour in labels:
        out.append(f'<text x="{label_x:.1f}" y="{label_y + 4:.1f}" fill="{colour}">{escape(name)}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.series", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 300_000, 1_000_000])
    parser.add_argument("--from-json", nargs="+", default=None, help="make the table and chart from saved runs")
    parser.add_argument("extra", nargs=argparse.REMAINDER, help="passed to each core run after --")
    args = parser.parse_args(argv)
    today = dt.date.today().isoformat()
    if args.from_json:
        runs = [json.loads(Path(p).read_text()) for p in args.from_json]
    else:
        extra = [a for a in args.extra if a != "--"]
        runs = []
        for n in sorted(args.sizes):
            runs.append(run_size(n, extra, today))
            (BENCH_DIR / f"results-core-{n}-{today}.json").write_text(json.dumps(runs[-1], indent=1) + "\n")
    runs.sort(key=lambda run: run["cases"])
    svg_name = f"scale-{today}.svg"
    (BENCH_DIR / svg_name).write_text(chart(runs, "SIGAP: time of each path against the number of cases"))
    first = runs[0]
    lines = [
        f"# Cost against data size — {today}",
        "",
        "Command: `.venv/bin/python -m benchmarks.series --sizes "
        + " ".join(str(run["cases"]) for run in runs)
        + f"` (each size one `python -m benchmarks core --cases N --start-postgres` run). Commit {first['commit']}.",
        "",
        f"Machine: {first['machine']}. Database size: "
        + ", ".join(f"{run.get('database', '?')} at {run['cases']:,} cases" for run in runs)
        + ".",
        "",
        "Each cell: the path's time (median unless the name says otherwise) vs its baseline measured in the same run "
        "on the same data, their ratio, and [the work done] where it is not the same at every size. The last "
        "column is how much the path's time grew from the smallest to "
        "the largest size, while the data grew by the factor in its heading. Full reports, plans and the EXPLAIN "
        "summaries: " + ", ".join(f"`results-core-{run['cases']}-{today}.md`" for run in runs) + ".",
        "",
        *table(runs),
        "",
        f"![time against data size]({svg_name})",
        "",
    ]
    (BENCH_DIR / f"results-scale-{today}.md").write_text("\n".join(lines))
    print("\n".join(lines))
    return 0


if __name__ == "__main__":
    sys.exit(main())
