"""Charts from a second plotting library (Apache ECharts, server-side SVG through Node): the producer itself, and
what the reader learned from its habits — legend icons that are a dashed line with an empty circle on it, an
icon read into its name, a value-axis name printed level above the axis, bars in a grey theme."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from inference.chart.metrics import rms
from inference.chart.ocr import TextBox, _drop_icon_prefix
from inference.chart.reader import read_chart
from inference.chart.synth import ChartSpec
from inference.chart.table import Table

needs_echarts = pytest.mark.skipif(not (shutil.which("node") and shutil.which("npm")),
                                   reason="the ECharts producer needs Node.js")


def _render(tmp_path, spec: ChartSpec, option_patch: dict | None = None, theme=None, name="c"):
    pytest.importorskip("cairosvg")
    from inference.chart import echarts

    job = echarts.option_for(spec, np.random.default_rng(3), "train")
    job["theme"] = theme
    for k, v in (option_patch or {}).items():
        job["option"][k] = v
    job["out"] = tmp_path / f"{name}.png"
    echarts.render_batch([job], [1.5])
    return job["out"]


def _spec(ctype="line", series=("Rural", "Revenue"), values=None, **kw):
    cats = ["2016", "2017", "2018", "2019", "2020", "2021"]
    values = values or [[3.0 + i, 6.5 - 0.5 * i] for i in range(len(cats))]
    return ChartSpec(name="t", ctype=ctype, title=kw.get("title", "Visitors by year"), x_label="Year", decimals=1,
                     y_label=kw.get("y_label", "Visitors"), categories=cats, series=list(series), values=values,
                     style={"rotation": 0})


@needs_echarts
def test_synth_with_echarts_writes_chartqa_layout(tmp_path):
    from inference.chart.echarts import THEME_POOLS
    from inference.chart.synth import synthesize

    rep = synthesize(tmp_path, 6, seed=4, split="test", producer="echarts")
    root = tmp_path / "test"
    assert rep["producer"] == "echarts" and rep["charts"] == 6
    for png in sorted((root / "png").glob("*.png")):
        ann = json.loads((root / "annotations" / f"{png.stem}.json").read_text())
        assert ann["producer"] == "echarts" and ann["theme"] in ["default"] + THEME_POOLS["heldout"]
        assert Table.read_csv(root / "tables" / f"{png.stem}.csv").categories
        assert png.stat().st_size > 3000
    # the same seed gives the same specs whichever library draws them
    synthesize(tmp_path / "mpl", 6, seed=4, split="test")
    assert [p.read_text() for p in sorted((root / "tables").glob("*.csv"))] == \
        [p.read_text() for p in sorted((tmp_path / "mpl" / "test" / "tables").glob("*.csv"))]


@needs_echarts
def test_line_legend_icons_dashed_with_empty_circles(tmp_path):
    """ECharts draws each series' line style and symbol in its legend icon: a dotted line with a triangle, a dashed
    one with an empty circle. Both series are found and read."""
    spec = _spec()
    png = _render(tmp_path, spec, {
        "legend": {"data": list(spec.series), "orient": "vertical", "right": 5, "top": "middle"},
        "grid": {"containLabel": True, "left": 40, "right": 130, "bottom": 30, "top": 60},
        "series": [{"name": "Rural", "type": "line", "symbol": "emptyCircle", "lineStyle": {"type": "dashed"},
                    "data": [v[0] for v in spec.values]},
                   {"name": "Revenue", "type": "line", "symbol": "triangle", "lineStyle": {"type": "dotted"},
                    "data": [v[1] for v in spec.values]}]})
    r = read_chart(png, chart_type="line")
    assert [s.name for s in r.series] == ["Rural", "Revenue"]
    assert rms(spec.table().to_rows(), r.table.to_rows())["f1"] >= 0.9, r.table.to_text()


@needs_echarts
def test_value_axis_name_above_the_axis_names_the_one_series(tmp_path):
    spec = _spec("v_bar", series=("Number of users",), values=[[v] for v in (5.3, 4.5, 2.8, 6.8, 3.0, 4.1)],
                 title="Retail by year", y_label="Number of users")
    png = _render(tmp_path, spec, {"legend": {"show": False}, "title": {"text": spec.title, "left": "center"},
                                   "yAxis": {"type": "value", "name": "Number of users"},
                                   "grid": {"containLabel": True, "left": 30, "right": 30, "top": 70}})
    r = read_chart(png, chart_type="v_bar")
    assert r.table.header[1] == "Number of users", r.table.to_text()
    assert rms(spec.table().to_rows(), r.table.to_rows())["f1"] >= 0.9


def test_grey_bars_are_read(tmp_path):
    """A grey theme (no saturated colour anywhere): the bars are what survives an opening of the non-background
    ink, not 'no marks found'."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    vals = [12, 30, 22, 17, 26]
    cats = ["Acme", "Globex", "Hooli", "Stark", "Wayne"]
    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=100)
    ax.bar(cats, vals, color="#9a9a9a")
    ax.set_ylabel("Sales")
    ax.yaxis.grid(True, color="#dddddd")
    ax.set_axisbelow(True)
    fig.tight_layout()
    fig.savefig(tmp_path / "grey.png")
    plt.close(fig)
    r = read_chart(tmp_path / "grey.png", chart_type="v_bar")
    got = {c: v for c, v in zip(r.table.categories, (row[0] for row in r.table.values))}
    assert set(got) == set(cats)
    assert all(abs(got[c] - v) <= 0.6 for c, v in zip(cats, vals)), got


@pytest.mark.parametrize("text,name", [("-ORetail", "Retail"), ("-O- Retail", "Retail"), ("--o-- Sales", "Sales"),
                                       ("-◆- Men", "Men"), ("Online", "Online"), ("-5", "-5"), ("O-ring", "O-ring"),
                                       ("-Other", "Other")])
def test_a_legend_icon_read_into_its_name_is_dropped(text, name):
    tb = TextBox(text, 0.9, np.array([[100, 10], [180, 10], [180, 26], [100, 26]], float))
    _drop_icon_prefix(tb)
    assert tb.text == name
    if name != text:  # the box now starts where the name starts
        assert tb.x0 > 100 and tb.x1 == 180


def test_echarts_label_halo_is_dropped():
    from inference.chart.echarts import _no_halo

    svg = ('<text fill="#333" stroke="rgb(255,255,255)" stroke-width="2" paint-order="stroke" '
           'stroke-miterlimit="2">Cars: 30%</text>')
    assert _no_halo(svg) == '<text fill="#333">Cars: 30%</text>'


@needs_echarts
def test_a_legend_row_read_as_one_box_is_split_at_its_icons(tmp_path):
    """The detector may take a whole legend row as one box ('RevenueActualRural', the icons between the names
    dropped): the row is split where coloured icons stand between the names, and each name read again."""
    from inference.chart.io import load_image
    from inference.chart.ocr import read_text

    spec = _spec(series=("Revenue", "Actual", "Rural"),
                 values=[[0.3 + 0.05 * i, 0.7 - 0.03 * i, 0.35 + 0.07 * i] for i in range(6)])
    png = _render(tmp_path, spec, {
        "legend": {"data": list(spec.series), "top": 30},
        "title": {"text": "Revenue by month"},
        "grid": {"containLabel": True, "left": 40, "right": 30, "top": 80, "bottom": 30},
        "series": [{"name": n, "type": "line", "symbol": sym, "data": [v[j] for v in spec.values]}
                   for j, (n, sym) in enumerate(zip(spec.series, ("circle", "triangle", "diamond")))]})
    words = [t.text for t in read_text(load_image(png))]
    assert {"Revenue", "Actual", "Rural"} <= set(words), words
    r = read_chart(png, chart_type="line")
    assert [s.name for s in r.series] == ["Revenue", "Actual", "Rural"]


def test_a_title_in_one_box_stays_whole(tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from inference.chart.io import load_image
    from inference.chart.ocr import read_text

    fig = plt.figure(figsize=(6, 1), dpi=100)
    fig.text(0.02, 0.4, "Public more confident in trade policy", fontsize=16, color="#333333")
    fig.savefig(tmp_path / "t.png")
    plt.close(fig)
    words = [t.text for t in read_text(load_image(tmp_path / "t.png"))]
    assert words == ["Public more confident in trade policy"], words


@needs_echarts
def test_pie_labels_on_two_lines_name_over_share(tmp_path):
    """'2011' on one line and '13.6%' under it (ECharts' "{b}\\n{c}%"): one label, the share read as printed."""
    cats, shares = ["2008", "2009", "2010", "2011"], [14.9, 31.2, 40.3, 13.6]
    spec = ChartSpec(name="p", ctype="pie", title="Number of users", x_label="Year", y_label="", categories=cats,
                     series=["Share"], values=[[v] for v in shares], decimals=1, style={"rotation": 0})
    png = _render(tmp_path, spec, {
        "legend": {"show": False}, "title": {"text": "Number of users", "left": "center"},
        "series": [{"type": "pie", "radius": "60%", "center": ["50%", "55%"],
                    "label": {"show": True, "formatter": "{b}\n{c}%"},
                    "data": [{"name": c, "value": v} for c, v in zip(cats, shares)]}]})
    r = read_chart(png, chart_type="pie")
    got = dict(zip(r.table.categories, (row[0] for row in r.table.values)))
    assert got == dict(zip(cats, shares)), r.table.to_text()


@needs_echarts
def test_one_series_named_by_its_one_legend_entry_or_the_axis_end(tmp_path):
    """A grey bar chart with a one-entry legend: the entry names the series and its patch is no bar. A horizontal
    bar chart whose value axis is named at its right end: that name is the series'."""
    vals = [7967.0, 9542.0, 8572.0]
    spec = ChartSpec(name="g", ctype="v_bar", title="", x_label="Year", y_label="Visitors",
                     categories=["2012", "2013", "2014"], series=["Visitors"], values=[[v] for v in vals],
                     style={"rotation": 0})
    png = _render(tmp_path, spec, {
        "title": {"show": False}, "color": ["#757575"],
        "legend": {"data": ["Visitors"], "orient": "vertical", "right": 5, "top": "middle"},
        "grid": {"containLabel": True, "left": 30, "right": 130, "top": 40, "bottom": 30},
        "yAxis": {"type": "value"},
        "series": [{"name": "Visitors", "type": "bar", "barMaxWidth": 40, "data": vals}]}, name="grey")
    r = read_chart(png, chart_type="v_bar")
    assert r.table.header[1] == "Visitors" and r.table.categories == ["2012", "2013", "2014"], r.table.to_text()

    spec = ChartSpec(name="h", ctype="h_bar", title="", x_label="Country", y_label="Production in tons",
                     categories=["Mexico", "Italy", "Brazil", "Chile"], series=["Production in tons"],
                     values=[[100.0], [46.0], [41.0], [26.0]], style={"rotation": 0})
    png = _render(tmp_path, spec, {
        "title": {"show": False}, "legend": {"show": False},
        "grid": {"containLabel": True, "left": 30, "right": 140, "top": 30, "bottom": 30},
        "xAxis": {"type": "value", "name": "Production in tons"},
        "yAxis": {"type": "category", "data": spec.categories, "inverse": True},
        "series": [{"type": "bar", "data": [100, 46, 41, 26]}]}, name="h")
    r = read_chart(png, chart_type="h_bar")
    assert r.table.header[1] == "Production in tons", r.table.to_text()
    assert rms(spec.table().to_rows(), r.table.to_rows())["f1"] >= 0.9


def test_a_grey_line_is_read(tmp_path):
    """A one-series line in a grey theme (no saturated colour): the line is the dark ink in the plot that is no
    text and no level or upright rule."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    cats = ["Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep"]
    vals = [6.8, 4.6, 5.1, 6.4, 5.3, 6.0, 5.2]
    fig, ax = plt.subplots(figsize=(6.4, 4.2), dpi=100)
    ax.plot(cats, vals, color="#666666", linewidth=2)
    ax.set_ylim(0, 7)
    ax.set_ylabel("Production in tons")
    ax.yaxis.grid(True, color="#e6e6e6")
    fig.tight_layout()
    fig.savefig(tmp_path / "grey_line.png")
    plt.close(fig)
    r = read_chart(tmp_path / "grey_line.png", chart_type="line")
    got = dict(zip(r.table.categories, (row[0] for row in r.table.values)))
    assert list(got) == cats
    assert all(abs(got[c] - v) <= 0.15 for c, v in zip(cats, vals)), got


@needs_echarts
def test_grey_legend_icons_name_two_grey_lines(tmp_path):
    """A grey theme's legend: a dark grey and a light grey line-and-symbol icon, the first one inside the text
    detector's box. No coloured legend is found, so the legend is looked for again with any ink that stands off
    the background; both series are found, each with its own grey, and read."""
    spec = _spec(series=("Profit", "Retail"), values=[[263, 699], [496, 590], [616, 507], [641, 571], [632, 573],
                                                     [637, 431]])
    png = _render(tmp_path, spec, {
        "color": ["#757575", "#c7c7c7"],
        "legend": {"data": list(spec.series), "bottom": 5, "textStyle": {"color": "#555555"}},
        "grid": {"containLabel": True, "left": 40, "right": 40, "bottom": 60, "top": 40},
        "series": [{"name": "Profit", "type": "line", "symbol": "triangle", "lineStyle": {"width": 3},
                    "data": [v[0] for v in spec.values]},
                   {"name": "Retail", "type": "line", "symbol": "rect", "lineStyle": {"type": "dashed", "width": 3},
                    "data": [v[1] for v in spec.values]}]})
    r = read_chart(png, chart_type="line")
    assert [s.name for s in r.series] == ["Profit", "Retail"], [s.name for s in r.series]
    assert np.abs(np.array(r.series[0].color) - np.array(r.series[1].color)).sum() > 100
    assert rms(spec.table().to_rows(), r.table.to_rows())["f1"] >= 0.8, r.table.to_text()
