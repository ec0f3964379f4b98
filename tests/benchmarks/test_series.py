"""benchmarks/series.py: the table and chart of cost against data size, from saved runs (no database)."""

from benchmarks import series


def _run(cases, inbox, base, sweep):
    return {
        "cases": cases,
        "commit": "abc1234",
        "machine": "2 CPUs",
        "paths": {
            "inbox, handler": {"measured": inbox, "baseline": base, "baseline_label": "hand-written SQL"},
            "sweep, idle re-run": {"measured": sweep},
        },
    }


def test_the_table_shows_each_size_the_ratio_and_the_growth():
    runs = [_run(100_000, 0.020, 0.010, 0.002), _run(1_000_000, 0.030, 0.020, 0.002)]
    lines = series.table(runs)
    assert lines[0].startswith("| path | what the baseline is | 100,000 cases | 1,000,000 cases | growth ×10 data |")
    inbox = next(line for line in lines if line.startswith("| inbox, handler"))
    assert "20.0 ms vs 10.0 ms (2.0×)" in inbox and "30.0 ms vs 20.0 ms (1.5×)" in inbox and "×1.5 |" in inbox
    sweep = next(line for line in lines if line.startswith("| sweep, idle re-run"))
    assert "| — | 2.0 ms | 2.0 ms | ×1.0 |" in sweep


def test_the_chart_draws_one_line_per_path_rising_with_time():
    runs = [_run(100_000, 0.010, 0.01, 0.001), _run(300_000, 0.100, 0.01, 0.001), _run(1_000_000, 1.0, 0.01, 0.001)]
    svg = series.chart(runs, "t")
    assert svg.count("<polyline") == 2
    inbox_points = svg.split("<polyline")[1].split('points="')[1].split('"')[0].split()
    ys = [float(point.split(",")[1]) for point in inbox_points]
    assert ys[0] > ys[1] > ys[2]  # SVG y grows downwards: a slower path is drawn higher
