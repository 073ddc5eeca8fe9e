"""Layouts real charts use that the project's own generator seldom drew: stacked segments shorter than their
printed values (a real Statista chart), a grey series with a grey legend patch, y labels printed above their gridlines inside the plot,
rotated x labels ending at dotted gridlines, yearly lines labelled every few years, and a bar chart the type model
called a pie. Each picture is drawn here with matplotlib and read end to end (OCR included), or, where named, is a
real ChartQA chart from ../shared."""
from __future__ import annotations

import numpy as np
import pytest

pytest.importorskip("rapidocr")


def _save(fig, path):
    fig.savefig(path)
    import matplotlib.pyplot as plt
    plt.close(fig)
    return path


def _plt():
    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    return plt


def test_stacked_bars_with_a_grey_series_and_their_legend_just_under_the_categories(tmp_path):
    # (segments cut up by their labels are the real Statista chart's test below: matplotlib's are found whole)
    from inference.chart.reader import read_chart

    plt = _plt()
    cats = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
    names = ["North", "South", "East", "West"]
    colours = ["#2876dd", "#0e273d", "#b7b7b7", "#a30a0a"]
    rng = np.random.default_rng(3)
    vals = np.c_[rng.integers(40, 46, 6), rng.integers(25, 35, 6), rng.integers(5, 10, 6), rng.integers(8, 14, 6)] / 100
    fig, ax = plt.subplots(figsize=(8, 5.5), dpi=100)
    bottom = np.zeros(6)
    for j in range(4):
        bars = ax.bar(cats, vals[:, j], 0.75, bottom=bottom, color=colours[j], label=names[j], edgecolor="white")
        ax.bar_label(bars, labels=[f"{v:g}" for v in vals[:, j]], label_type="center", color="white",
                     fontsize=11, fontweight="bold")
        bottom += vals[:, j]
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.08), ncol=4, frameon=False)
    ax.set_yticks([])
    ax.spines[["top", "right", "left"]].set_visible(False)
    fig.tight_layout()
    r = read_chart(_save(fig, tmp_path / "stacked.png"))
    assert r.table.header[1:] == names   # the grey series named from its grey legend patch
    got = {(c, h): v for c, row in zip(r.table.categories, r.table.values) for h, v in zip(r.table.header[1:], row)}
    want = {(c, n): float(f"{vals[i, j]:g}") for i, c in enumerate(cats) for j, n in enumerate(names)}
    assert sum(got.get(k) == v for k, v in want.items()) >= 0.9 * len(want)


def test_yearly_lines_labelled_every_five_years_are_read_at_every_year(tmp_path):
    from inference.chart.reader import read_chart

    plt = _plt()
    rng = np.random.default_rng(1)
    years = np.arange(2000, 2020)
    ys = {n: np.cumsum(rng.normal(0, 3, len(years))) + 50 for n in ("Alpha", "Beta")}
    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=100)
    for (n, y), c in zip(ys.items(), ("#4c78a8", "#f58518")):
        ax.plot(years, y, color=c, label=n, lw=2)
    ax.set_xticks(range(2000, 2020, 5))
    ax.legend(loc="center left", bbox_to_anchor=(1, 0.5))
    ax.grid(True, color="#dddddd")
    fig.tight_layout()
    r = read_chart(_save(fig, tmp_path / "lines.png"))
    assert r.table.categories == [str(y) for y in years]   # not only 2000, 2005, 2010, 2015
    for j, n in enumerate(r.table.header[1:]):
        got = np.array([row[j] for row in r.table.values], float)
        assert np.abs(got - ys[n]).max() < 0.6, n


def test_lines_with_points_only_at_their_labels_keep_the_labels(tmp_path):
    from inference.chart.reader import read_chart

    plt = _plt()
    years = np.arange(1990, 2021, 5)
    fig, ax = plt.subplots(figsize=(7, 4), dpi=100)
    ax.plot(years, [50, 51, 50, 47, 46, 43, 43], color="#4c78a8", lw=1.5)
    ax.set_xticks(years)
    fig.tight_layout()
    r = read_chart(_save(fig, tmp_path / "fives.png"))
    assert r.table.categories == [str(y) for y in years]


def test_y_labels_printed_above_their_gridlines_are_calibrated_on_the_gridlines(tmp_path):
    from inference.chart.reader import read_chart

    plt = _plt()
    years = [str(y) for y in range(2004, 2013)]
    vals = [65.7, 65.9, 66.6, 67.8, 68.6, 67.7, 66.3, 64.7, 64.1]
    fig, ax = plt.subplots(figsize=(8.6, 5), dpi=100)
    ax.set_facecolor("#dde8f0")
    ax.plot(years, vals, color="#1f8ad8", marker="o", ms=4)
    ax.set_ylim(62, 70)
    ax.set_yticks([63, 65, 67, 69])
    ax.grid(True, axis="y", color="white", lw=1.5)
    ax.tick_params(axis="y", direction="in", pad=-22, length=0)
    for lab in ax.get_yticklabels():   # OECD's style: each label sits just above its line, inside the plot
        lab.set_verticalalignment("bottom")
    ax.spines[["top", "right", "left"]].set_visible(False)
    fig.tight_layout()
    r = read_chart(_save(fig, tmp_path / "above.png"))
    got = [row[0] for row in r.table.values]
    assert r.table.categories == years
    assert np.abs(np.array(got) - vals).max() < 0.12   # label centres would put every value 0.3 too low


def test_a_bar_chart_the_type_model_calls_a_pie_is_read_as_bars(shared_data):
    from inference.chart.reader import read_chart
    from inference.runtime.errors import InputError

    png = shared_data / "charts" / "chartqa_real" / "dev" / "png" / "two_col_2575.png"
    if not png.exists():
        pytest.skip("ChartQA dev charts are not present")
    from inference.chart.io import load_image
    from inference.chart.pie import read_pie
    from inference.chart.pixels import ReadContext, on_light_background

    img, _ = on_light_background(load_image(png))
    with pytest.raises(InputError, match="fills its corners"):   # ten bars close together: a block, no disc
        read_pie(ReadContext(img, [], "pie"))
    r = read_chart(png)   # was: one slice, 'NOtail (Johan Sundstein)' 100%
    assert len(r.table.categories) == 10 and r.table.values[0] == [6.97]


def test_real_statista_stacked_bars_with_six_series(shared_data):
    from inference.chart.reader import read_chart

    png = shared_data / "charts" / "chartqa_real" / "dev" / "png" / "multi_col_60820.png"
    if not png.exists():
        pytest.skip("ChartQA dev charts are not present")
    r = read_chart(png)   # was: one series, categories made of value labels ('0.08 0.11 0.09 0.27')
    assert r.table.header[1:] == ["Germany", "Poland", "Czechia", "Slovakia", "Hungary", "Ust Luga*"]
    row = dict(zip(r.table.categories, r.table.values))
    assert row["Jan'18"] == [0.42, 0.26, 0.06, 0.11, 0.07, 0.52]
    assert row["Apr'18"] == [0.45, 0.3, 0.06, 0.09, 0.05, 0.54]


def test_dots_are_no_lines_to_read_between_the_labels(tmp_path):
    import numpy as np

    from inference.chart.datapoints import data_positions
    from inference.chart.pixels import ReadContext

    img = np.full((200, 400, 3), 255, np.uint8)
    for x in (50, 120, 200, 330):   # four dots, no line between them
        img[98:104, x - 3:x + 3] = (40, 110, 217)
    ctx = ReadContext(img, [], "line")
    region = np.ones((200, 400), bool)
    assert data_positions(ctx, region, [(40, 110, 217)], ["0", "20", "40", "60", "80"],
                          [40.0, 120.0, 200.0, 280.0, 360.0], (30, 10, 380, 190)) is None


def test_rotated_category_labels_keep_their_bars_under_value_gridlines(tmp_path):
    from inference.chart.reader import read_chart

    plt = _plt()
    years = [str(y) for y in range(2009, 2017)]
    urban = [928, 729, 533, 667, 975, 261, 353, 991]
    budget = [907, 408, 733, 727, 824, 341, 377, 940]
    x = np.arange(len(years))
    fig, ax = plt.subplots(figsize=(5.5, 4), dpi=100)
    ax.bar(x - 0.18, urban, 0.36, color="#66c2a5", label="Urban")
    ax.bar(x + 0.18, budget, 0.36, color="#fc8d62", label="Budget")
    ax.set_xticks(x, years, rotation=30, ha="right")   # the bars' edges are no gridlines of the category axis
    ax.legend(loc="center left", bbox_to_anchor=(1, 0.5))
    fig.tight_layout()
    r = read_chart(_save(fig, tmp_path / "grouped.png"))
    assert r.table.categories == years
    got = np.array(r.table.values, float)
    assert np.abs(got - np.c_[urban, budget]).max() < 15
