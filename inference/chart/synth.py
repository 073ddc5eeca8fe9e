"""Synthetic charts in ChartQA's layout, rendered with matplotlib (Agg).

``OUT/<split>/png/<name>.png``, ``tables/<name>.csv``, ``annotations/<name>.json``,
``<split>_augmented.json`` (questions) and ``<split>_summaries.json`` (chart-to-text references).

Styles come in three disjoint pools: ``train`` (used for training and tuning), ``heldout`` (fonts, palettes,
themes, sizes never used for training, but looked at while debugging the reader) and ``fresh`` (fonts, palettes,
sizes, dpi and font sizes used by neither, plus a value-axis-grid theme; never used in development). Question
templates come in two disjoint pools, ``train`` and ``held_out`` (``--templates heldout``); ``fresh`` charts get
``held_out`` questions. Question and summary templates are data files in ``templates/`` (see `template_pools`).
"""
from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

import numpy as np

from inference.runtime.cancel import check
from inference.runtime.errors import InputError

from .table import Table, format_number

CHART_TYPES = ("v_bar", "h_bar", "grouped_bar", "line", "scatter", "pie")
# The plotting libraries that draw synthetic charts: matplotlib here, Apache ECharts in echarts.py.
PRODUCERS = ("matplotlib", "echarts")

STYLE_POOLS = {
    "train": {
        "fonts": ["DejaVu Sans", "DejaVu Sans Mono"],
        "palettes": [
            ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b"],
            ["#e41a1c", "#377eb8", "#4daf4a", "#984ea3", "#ff7f00", "#a65628"],
            ["#4c72b0", "#dd8452", "#55a868", "#c44e52", "#8172b3", "#937860"],
        ],
        "themes": ["plain", "grid"],
        "sizes": [(6.4, 4.8), (8.0, 5.0)],
        "dpi": [100],
        "fontsize": [9, 10, 11],
    },
    "heldout": {
        "fonts": ["DejaVu Serif", "STIXGeneral"],
        "palettes": [
            ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"],
            ["#0072b2", "#e69f00", "#009e73", "#cc79a7", "#d55e00", "#56b4e9"],
        ],
        "themes": ["panel", "grid", "minimal"],
        "sizes": [(7.0, 4.5), (6.0, 5.0)],
        "dpi": [110, 90],
        "fontsize": [10, 12],
    },
    # Never used for training, tuning or debugging: the pool for the figures the README reports.
    "fresh": {
        "fonts": ["DejaVu Sans Condensed", "DejaVu Serif Condensed", "cmss10"],
        "palettes": [
            ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948"],  # Tableau 10
            ["#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377"],  # Paul Tol, bright
            ["#5b9bd5", "#ed7d31", "#a5a5a5", "#ffc000", "#4472c4", "#70ad47"],  # office-suite default
            ["#66c2a5", "#fc8d62", "#8da0cb", "#e78ac3", "#a6d854", "#ffd92f"],  # ColorBrewer Set2
        ],
        "themes": ["valgrid", "plain", "minimal"],
        "sizes": [(5.6, 4.2), (9.0, 5.4), (7.5, 6.0)],
        "dpi": [80, 96, 125],
        "fontsize": [8, 13],
    },
}
# Question templates used with each style pool unless asked otherwise ("fresh" has no template pool of its own).
DEFAULT_TEMPLATES = {"train": "train", "heldout": "heldout", "fresh": "heldout"}
# Fonts without U+2212 (the minus sign drawn on negative ticks): missing glyphs come from DejaVu Sans.
_FALLBACK_FONT = "DejaVu Sans"
_NEEDS_FALLBACK = {"cmss10", "cmr10", "cmtt10"}


class _QuietFontWeight(logging.Filter):
    """The condensed DejaVu faces are stored with weight 380 ("Book"); matplotlib finds the right file but says
    "Failed to find font weight normal" each time: harmless, so not shown."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "Failed to find font weight" not in record.getMessage()

CATEGORY_POOLS = {
    "year": [str(y) for y in range(2008, 2024)],
    "month": ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
    "country": ["France", "Germany", "Italy", "Spain", "Japan", "Brazil", "Canada", "India", "Mexico",
                "Kenya", "Norway", "Chile", "Egypt", "Poland"],
    "product": ["Laptops", "Phones", "Tablets", "Cameras", "Printers", "Monitors", "Routers", "Drones"],
    "company": ["Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne"],
    "sector": ["Energy", "Health", "Retail", "Finance", "Transport", "Education", "Tourism", "Mining"],
}
SERIES_POOL = ["Sales", "Revenue", "Profit", "Exports", "Imports", "Men", "Women", "Online", "Retail",
               "Urban", "Rural", "Budget", "Actual"]
MEASURES = ["Revenue in million USD", "Number of users", "Share of respondents", "Sales in units",
            "Growth rate", "Visitors", "Production in tons", "Spending in billion USD"]


@dataclass
class ChartSpec:
    name: str
    ctype: str
    title: str
    x_label: str
    y_label: str
    categories: list[str]
    series: list[str]
    values: list[list[float]]  # [category][series]
    log: bool = False
    value_labels: bool = False
    thousands: bool = False
    decimals: int = 0
    style: dict = field(default_factory=dict)

    def table(self) -> Table:
        head = self.x_label or "Characteristic"
        return Table([head] + list(self.series), list(self.categories),
                     [list(r) for r in self.values], self.title)


def _fmt(v: float, decimals: int, thousands: bool) -> str:
    if thousands:
        return f"{v:,.{decimals}f}"
    return f"{v:.{decimals}f}"


def random_spec(rng: np.random.Generator, name: str, ctype: str | None = None,
                styles: str = "train") -> ChartSpec:
    pool = STYLE_POOLS[styles]
    ctype = ctype or str(rng.choice(CHART_TYPES))
    cat_kind = str(rng.choice(list(CATEGORY_POOLS)))
    style = {
        "font": str(rng.choice(pool["fonts"])),
        "palette": list(pool["palettes"][int(rng.integers(len(pool["palettes"])))]),
        "theme": str(rng.choice(pool["themes"])),
        "size": tuple(pool["sizes"][int(rng.integers(len(pool["sizes"])))]),
        "dpi": int(rng.choice(pool["dpi"])),
        "fontsize": int(rng.choice(pool["fontsize"])),
        "rotation": 0,
        "legend_loc": str(rng.choice(["best", "best", "outside"])),
        "bar_width": float(rng.uniform(0.5, 0.8)),
        "markers": bool(rng.random() < 0.6),
        "linewidth": float(rng.uniform(1.5, 2.5)),
    }
    log = False
    negative = False
    if ctype in ("v_bar", "line", "scatter") and rng.random() < 0.2:
        log = True
    elif ctype in ("v_bar", "h_bar", "grouped_bar", "line") and rng.random() < 0.15:
        negative = True
    if ctype == "pie":
        n_cat = int(rng.integers(3, 7))
    elif ctype == "scatter":
        n_cat = int(rng.integers(6, 13))
    elif ctype == "line":
        n_cat = int(rng.integers(5, 11))
    else:
        n_cat = int(rng.integers(3, 9))
    if ctype == "grouped_bar":
        n_ser = int(rng.integers(2, 4))
    elif ctype == "line":
        n_ser = int(rng.integers(1, 4))
    else:
        n_ser = 1
    if ctype == "line" or (ctype in ("v_bar", "grouped_bar") and rng.random() < 0.4):
        cat_kind = str(rng.choice(["year", "month"]))
    cats_pool = CATEGORY_POOLS[cat_kind]
    if cat_kind in ("year", "month"):
        start = int(rng.integers(0, max(1, len(cats_pool) - n_cat + 1)))
        n_cat = min(n_cat, len(cats_pool))
        categories = cats_pool[start:start + n_cat]
    else:
        n_cat = min(n_cat, len(cats_pool))
        categories = [str(c) for c in rng.choice(cats_pool, n_cat, replace=False)]
    series = [str(s) for s in rng.choice(SERIES_POOL, n_ser, replace=False)]
    if n_ser == 1 and rng.random() < 0.5:
        series = [str(rng.choice(MEASURES))]

    thousands = False
    if ctype == "pie":
        raw = rng.uniform(0.5, 3.0, n_cat)
        vals = np.round(raw / raw.sum() * 100, 1)
        vals[-1] = round(100 - vals[:-1].sum(), 1)
        values = [[float(v)] for v in vals]
        decimals = 1
        series = ["Share"]
    elif ctype == "scatter":
        x0 = int(rng.choice([0, 10, 20, 100]))
        step = int(rng.choice([1, 2, 5, 10]))
        xs = sorted(set(int(x) for x in x0 + step * rng.choice(np.arange(0, 40), n_cat, replace=False)))
        categories = [str(x) for x in xs]
        if log:
            ys = 10 ** rng.uniform(0, 4, len(xs))
            decimals = 0
            ys = np.maximum(np.round(ys), 1)
        else:
            scale = float(rng.choice([10, 100, 1000]))
            slope = rng.uniform(-1, 1)
            ys = scale * (0.5 + 0.4 * slope * (np.arange(len(xs)) / len(xs)) + rng.uniform(-0.15, 0.15, len(xs)))
            decimals = 1 if scale <= 10 else 0
            ys = np.round(ys, decimals)
        values = [[float(v)] for v in ys]
        series = [str(rng.choice(["Score", "Price", "Weight", "Output", "Demand"]))]
    else:
        if log:
            base = rng.uniform(0, 2)
            spread = rng.uniform(2, 4)
            v = 10 ** (base + spread * rng.random((n_cat, n_ser)))
            v = np.maximum(np.round(v), 1)
            decimals = 0
        else:
            scale = float(rng.choice([1, 10, 100, 1000, 10000]))
            if ctype == "line":
                trend = rng.uniform(-0.5, 0.5, n_ser)
                t = np.linspace(0, 1, n_cat)[:, None]
                v = scale * (0.55 + trend[None, :] * (t - 0.5) + rng.uniform(-0.12, 0.12, (n_cat, n_ser)))
            else:
                v = scale * rng.uniform(0.2, 1.0, (n_cat, n_ser))
            if negative:
                flip = rng.random((n_cat, n_ser)) < 0.35
                v = np.where(flip, -v * rng.uniform(0.2, 0.8, v.shape), v)
            decimals = 2 if scale <= 1 else (1 if scale <= 10 else 0)
            v = np.round(v, decimals)
            v[v == 0] = 10 ** -decimals
            thousands = scale >= 1000 and rng.random() < 0.6
        values = [[float(x) for x in row] for row in v]

    style["rotation"] = int(rng.choice([0, 0, 30, 45])) if (ctype in ("v_bar", "grouped_bar", "line")
                                                            and n_cat >= 6) else 0
    topic = str(rng.choice(MEASURES))
    title = str(rng.choice([f"{series[0]} by {cat_kind}", f"{topic}", f"{series[0]} {categories[0]}-{categories[-1]}"]))
    if rng.random() < 0.15:
        title = ""
    value_labels = bool(rng.random() < 0.5) and not (ctype == "line" and n_ser > 1) and ctype != "scatter"
    y_label = topic if ctype != "pie" else ""
    if n_ser == 1 and ctype in ("v_bar", "h_bar", "line"):
        series = [topic]  # a single series is named by its value-axis title (as in ChartQA's Statista tables)
    return ChartSpec(name=name, ctype=ctype, title=title,
                     x_label=str(cat_kind.capitalize()) if ctype != "scatter" else "X",
                     y_label=y_label if ctype != "scatter" else series[0],
                     categories=categories, series=series, values=values, log=log,
                     value_labels=value_labels, thousands=thousands, decimals=decimals, style=style)


# ---------------------------------------------------------------------------------------------
def render(spec: ChartSpec, path: Path) -> dict:
    """Draw the chart to `path` (PNG) and return its ChartQA-style annotation with pixel boxes."""
    import matplotlib
    matplotlib.use("Agg", force=False)
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator

    fm_log = logging.getLogger("matplotlib.font_manager")
    if not any(isinstance(f, _QuietFontWeight) for f in fm_log.filters):
        fm_log.addFilter(_QuietFontWeight())
    st = spec.style
    family = [st["font"], _FALLBACK_FONT] if st["font"] in _NEEDS_FALLBACK else st["font"]
    rc = {"font.family": family, "font.size": st["fontsize"], "axes.unicode_minus": True}
    theme = st["theme"]
    if theme == "panel":
        rc.update({"axes.facecolor": "#ebebeb", "axes.edgecolor": "white", "grid.color": "white",
                   "axes.grid": True, "grid.linewidth": 1.0})
    elif theme == "grid":
        rc.update({"axes.grid": True, "grid.color": "#cccccc", "grid.linewidth": 0.8})
    elif theme == "minimal":
        rc.update({"axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
                   "grid.color": "#dddddd", "grid.linestyle": "--"})
    elif theme == "valgrid":  # gridlines along the value axis only, no top/right frame (spreadsheet style)
        rc.update({"axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
                   "axes.grid.axis": "x" if spec.ctype == "h_bar" else "y", "grid.color": "#d9d9d9",
                   "grid.linewidth": 0.8})
    pal = st["palette"]
    with plt.rc_context(rc):
        fig = plt.figure(figsize=st["size"], dpi=st["dpi"])
        ax = fig.add_subplot(111)
        ax.set_axisbelow(True)
        cats = spec.categories
        vals = np.array(spec.values, dtype=float)
        n_cat, n_ser = vals.shape
        fmt = FuncFormatter(lambda v, _p: _fmt(v, max(0, spec.decimals if abs(v) < 10 else 0), spec.thousands)
                            .replace("-", "\u2212"))
        artists: list[list] = [[] for _ in range(n_ser)]
        if spec.ctype in ("v_bar", "grouped_bar", "h_bar"):
            width = st["bar_width"]
            w = width / n_ser
            x = np.arange(n_cat)
            for j in range(n_ser):
                off = (j - (n_ser - 1) / 2) * w
                if spec.ctype == "h_bar":
                    bars = ax.barh(x + off, vals[:, j], height=w, color=pal[j % len(pal)], label=spec.series[j])
                else:
                    bars = ax.bar(x + off, vals[:, j], width=w, color=pal[j % len(pal)], label=spec.series[j],
                                  log=spec.log)
                artists[j] = list(bars)
                if spec.value_labels:
                    ax.bar_label(bars, labels=[_fmt(v, spec.decimals, spec.thousands) for v in vals[:, j]],
                                 padding=2, fontsize=st["fontsize"] - 1)
            if spec.ctype == "h_bar":
                ax.set_yticks(x, cats)
                ax.invert_yaxis()
                ax.xaxis.set_major_formatter(fmt)
                ax.set_xlabel(spec.y_label)
                ax.set_ylabel(spec.x_label)
                ax.margins(x=0.12)
                if (vals < 0).any():
                    ax.axvline(0, color="#444444", linewidth=0.8)
            else:
                ax.set_xticks(x, cats, rotation=st["rotation"], ha="right" if st["rotation"] else "center")
                ax.set_ylabel(spec.y_label)
                ax.set_xlabel(spec.x_label)
                ax.margins(y=0.12)
                if (vals < 0).any():
                    ax.axhline(0, color="#444444", linewidth=0.8)
        elif spec.ctype == "line":
            x = np.arange(n_cat)
            for j in range(n_ser):
                (ln,) = ax.plot(x, vals[:, j], color=pal[j % len(pal)], label=spec.series[j],
                                marker="o" if st["markers"] else None, markersize=5, linewidth=st["linewidth"])
                artists[j] = [ln]
                if spec.value_labels:
                    for xi, v in zip(x, vals[:, j]):
                        ax.annotate(_fmt(v, spec.decimals, spec.thousands), (xi, v), textcoords="offset points",
                                    xytext=(0, 7), ha="center", fontsize=st["fontsize"] - 1)
            ax.set_xticks(x, cats, rotation=st["rotation"], ha="right" if st["rotation"] else "center")
            if spec.log:
                ax.set_yscale("log")
            ax.set_ylabel(spec.y_label)
            ax.set_xlabel(spec.x_label)
            ax.margins(x=0.06, y=0.15)
        elif spec.ctype == "scatter":
            xs = np.array([float(c) for c in cats])
            sc = ax.scatter(xs, vals[:, 0], color=pal[0], s=30, label=spec.series[0], zorder=3)
            artists[0] = [sc]
            if spec.log:
                ax.set_yscale("log")
            ax.set_xlabel(spec.x_label)
            ax.set_ylabel(spec.series[0])
            ax.margins(0.08)
        elif spec.ctype == "pie":
            kw = {}
            if spec.value_labels:
                kw["autopct"] = "%1.1f%%"
            use_legend = st["legend_loc"] == "outside"
            wedges, *_ = ax.pie(vals[:, 0], labels=None if use_legend else cats,
                                colors=[pal[i % len(pal)] for i in range(n_cat)], startangle=90, counterclock=False,
                                wedgeprops={"edgecolor": "white", "linewidth": 1.0}, **kw)
            artists[0] = list(wedges)
            ax.set_aspect("equal")
            if use_legend:
                ax.legend(wedges, cats, loc="center left", bbox_to_anchor=(1.0, 0.5), frameon=False)
        if spec.ctype in ("v_bar", "line", "scatter") and spec.log:
            ax.yaxis.set_major_locator(LogLocator(base=10))
            ax.yaxis.set_minor_formatter(FuncFormatter(lambda v, _p: ""))
        if spec.ctype != "pie" and not spec.log and spec.ctype != "h_bar":
            ax.yaxis.set_major_formatter(fmt)
        elif spec.log:
            ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: f"{v:,.0f}" if v >= 1 else f"{v:g}"))
        if spec.ctype != "pie" and n_ser > 1:
            if st["legend_loc"] == "outside":
                ax.legend(loc="center left", bbox_to_anchor=(1.0, 0.5))
            else:
                ax.legend(loc=st["legend_loc"])
        if spec.title:
            ax.set_title(spec.title)
        fig.tight_layout()
        fig.canvas.draw()
        H = fig.get_size_inches()[1] * fig.dpi
        W = fig.get_size_inches()[0] * fig.dpi

        def box(artist) -> list[float]:
            bb = artist.get_window_extent()
            return [round(float(bb.x0), 2), round(float(H - bb.y1), 2), round(float(bb.x1), 2),
                    round(float(H - bb.y0), 2)]

        plot_bb = box(ax)
        models = []
        for j in range(n_ser):
            m = {"name": spec.series[j], "color": pal[j % len(pal)] if spec.ctype != "pie" else None,
                 "bboxes": [], "x": list(cats), "y": [float(v) for v in vals[:, j]]}
            if spec.ctype in ("v_bar", "grouped_bar", "h_bar", "pie"):
                m["bboxes"] = [box(a) for a in artists[j]]
            elif spec.ctype in ("line", "scatter"):
                pts = ax.transData.transform(np.c_[np.arange(n_cat) if spec.ctype == "line"
                                                   else np.array([float(c) for c in cats]), vals[:, j]])
                m["points"] = [[round(float(px), 2), round(float(H - py), 2)] for px, py in pts]
            models.append(m)
        fig.savefig(path, dpi=fig.dpi)
        plt.close(fig)
    ann = {
        "type": {"grouped_bar": "v_bar"}.get(spec.ctype, spec.ctype),
        "chart_type": spec.ctype,
        "image_size": [int(round(W)), int(round(H))],
        "plot_bbox": plot_bb,
        "log_y": bool(spec.log),
        "value_labels": spec.value_labels,
        "style": {k: (list(v) if isinstance(v, tuple) else v) for k, v in spec.style.items()},
        "models": models,
        "general_figure_info": {"title": {"text": spec.title}, "x_axis": {"label": spec.x_label},
                                "y_axis": {"label": spec.y_label}, "legend": {"items": spec.series}},
    }
    return ann


# ---------------------------------------------------------------------------------------------
# Questions (ChartQA augmented style) and summaries. The phrasings are data, in `templates/`:
# `questions_train.json` (what training and the train split ask), `questions_held_out.json` (a disjoint pool the
# test split asks, also with fresh styles) and `summaries.json` (the reference summaries' sentence patterns).
TEMPLATES_DIR = Path(__file__).with_name("templates")
QUESTION_POOL_FILES = {"train": "questions_train.json", "held_out": "questions_held_out.json"}
# `--templates` value → question pool ("heldout" is the CLI's spelling, kept; "held_out" is the pool's name).
QUESTION_POOL_OPTIONS = {"train": "train", "heldout": "held_out", "held_out": "held_out"}
QUESTION_KINDS = ("lookup", "max", "min", "maxval", "minval", "diff", "ratio", "sum", "avg", "count", "compare",
                  "trend")


def _read_template_file(name: str):
    return json.loads((TEMPLATES_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def template_pools() -> MappingProxyType:
    """{"questions": {pool: {kind: (template, …)}}, "summaries": (template, …)}, read once from `templates/`.
    Read-only (mapping proxies and tuples) and cached: every call returns the same object.

    Question slots: ``{s}`` series, ``{a}``/``{b}`` categories, ``{k}`` the category axis's noun, ``{v}`` a
    threshold. Summary slots: ``{title_sent}``, ``{s}``, ``{n}``, ``{k}``, ``{max_c}``, ``{max_v}``, ``{min_c}``,
    ``{min_v}``, ``{trend_sent}``."""
    questions = {pool: MappingProxyType({k: tuple(v) for k, v in _read_template_file(fn).items()})
                 for pool, fn in QUESTION_POOL_FILES.items()}
    return MappingProxyType({"questions": MappingProxyType(questions),
                             "summaries": tuple(_read_template_file("summaries.json"))})


def question_pool(option: str) -> str:
    """The question pool a `--templates` value names (InputError for an unknown one)."""
    if option not in QUESTION_POOL_OPTIONS:
        raise InputError(f"unknown question templates '{option}'", "use one of ['heldout', 'train']")
    return QUESTION_POOL_OPTIONS[option]


def _answer_str(v: float) -> str:
    return format_number(round(v, 2))


def make_questions(spec: ChartSpec, rng: np.random.Generator, templates: str = "train", n: int = 4) -> list[dict]:
    t = spec.table()
    T = template_pools()["questions"][question_pool(templates)]
    cats = t.categories
    kind = spec.x_label.lower() if spec.x_label and spec.x_label != "X" else "category"
    out = []
    kinds = [k for k in T if not (spec.ctype == "scatter" and k in ("trend",))]
    for _ in range(n * 3):
        if len(out) >= n:
            break
        qk = str(rng.choice(kinds))
        j = int(rng.integers(len(t.series)))
        s = t.series[j]
        col = [float(v) for v in t.column(j)]
        ia, ib = (int(i) for i in rng.choice(len(cats), 2, replace=False))
        a, b = cats[ia], cats[ib]
        tmpl = str(rng.choice(T[qk]))
        if qk == "trend" and ia > ib:
            ia, ib = ib, ia
            a, b = b, a
        v_thr = None
        if qk == "lookup":
            ans = _answer_str(col[ia])
        elif qk == "max":
            ans = cats[int(np.argmax(col))]
        elif qk == "min":
            ans = cats[int(np.argmin(col))]
        elif qk == "maxval":
            ans = _answer_str(max(col))
        elif qk == "minval":
            ans = _answer_str(min(col))
        elif qk == "diff":
            ans = _answer_str(abs(col[ia] - col[ib]))
        elif qk == "ratio":
            if col[ib] == 0:
                continue
            ans = _answer_str(col[ia] / col[ib])
        elif qk == "sum":
            if "{a}" in tmpl:
                ans = _answer_str(col[ia] + col[ib])
            else:
                ans = _answer_str(sum(col))
        elif qk == "avg":
            ans = _answer_str(sum(col) / len(col))
        elif qk == "count":
            if "{v}" in tmpl:
                srt = sorted(col)
                k = int(rng.integers(1, len(srt)))
                mid = (srt[k - 1] + srt[k]) / 2
                # a round threshold between two neighbours, well away from both
                gap = srt[k] - srt[k - 1]
                if gap <= 0.1 * max(abs(srt[k]), 1e-9):
                    continue
                mag = 10 ** math.floor(math.log10(max(abs(mid), 1e-9)))
                v_thr = round(mid / mag * 2) / 2 * mag
                if not (srt[k - 1] < v_thr < srt[k]):
                    v_thr = mid
                ans = str(sum(1 for c in col if c > v_thr))
            else:
                ans = str(len(cats) * len(t.series))  # every mark (bar, point, slice) counts
        elif qk == "compare":
            ans = "Yes" if col[ia] > col[ib] else "No"
        elif qk == "trend":
            ans = "Yes" if col[ib] > col[ia] else "No"
        else:  # pragma: no cover
            continue
        q = tmpl.format(s=s, a=a, b=b, k=kind, v=format_number(round(v_thr, 4)) if v_thr is not None else "")
        if any(q == o["query"] for o in out):
            continue
        out.append({"imgname": f"{spec.name}.png", "query": q, "label": ans, "template": qk})
    return out


def make_summary(spec: ChartSpec, rng: np.random.Generator) -> str:
    t = spec.table()
    col = [float(v) for v in t.column(0)]
    imax, imin = int(np.argmax(col)), int(np.argmin(col))
    kind = spec.x_label.lower() if spec.x_label != "X" else "point"
    trend = ""
    if spec.ctype in ("line",) or (spec.x_label in ("Year", "Month") and spec.ctype != "pie"):
        d = col[-1] - col[0]
        word = "increased" if d > 0 else "decreased"
        trend = f" From {t.categories[0]} to {t.categories[-1]}, {t.series[0]} {word} from " \
                f"{_answer_str(col[0])} to {_answer_str(col[-1])}."
    title_sent = f"{spec.title}. " if spec.title else ""
    pool = template_pools()["summaries"]
    tmpl = pool[int(rng.integers(len(pool)))]
    return tmpl.format(title_sent=title_sent, s=t.series[0], n=len(col), k=kind,
                       max_c=t.categories[imax], max_v=_answer_str(col[imax]),
                       min_c=t.categories[imin], min_v=_answer_str(col[imin]), trend_sent=trend)


# ---------------------------------------------------------------------------------------------
def synthesize(out_dir: Path, n: int, seed: int, split: str = "test", styles: str | None = None,
               templates: str | None = None, types: list[str] | None = None, questions_per_chart: int = 4,
               progress=None, is_cancelled=None, producer: str = "matplotlib") -> dict:
    """Render `n` charts into OUT/<split>/ in ChartQA's layout. Returns a small report. `producer` is the
    plotting library that draws them (PRODUCERS); the data, questions and summaries come from the same specs."""
    if n < 1 or n > 100000:
        raise InputError(f"--n must be between 1 and 100000 (got {n})",
                         "ask for at least one" if n < 1 else "ask for fewer charts")
    styles = styles or ("train" if split in ("train", "val") else "heldout")
    if styles not in STYLE_POOLS:
        raise InputError(f"unknown style pool '{styles}'", f"use one of {sorted(STYLE_POOLS)}")
    templates = templates or DEFAULT_TEMPLATES[styles]
    question_pool(templates)  # an unknown value fails before anything is written
    types = types or list(CHART_TYPES)
    bad = [t for t in types if t not in CHART_TYPES]
    if bad:
        raise InputError(f"unknown chart type(s) {bad}", f"use some of {list(CHART_TYPES)}")
    if producer not in PRODUCERS:
        raise InputError(f"unknown producer '{producer}'", f"use one of {list(PRODUCERS)}")
    root = Path(out_dir) / split
    for sub in ("png", "tables", "annotations"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    # a producer's own choices (themes, layouts) come from a second stream, so that the specs, questions and
    # summaries of a seed are the same whichever library draws them
    prod_rng = np.random.default_rng([seed, PRODUCERS.index(producer)])
    qas, sums = [], []
    pending: list[tuple] = []  # ECharts renders in batches (one Node process per batch)

    def flush() -> None:
        from . import echarts
        scales = [float(prod_rng.choice([1.0, 1.0, 1.25, 1.5])) for _ in pending]
        echarts.render_batch([job for _s, job, _a in pending], scales)
        for (spec_, job, ann_), sc in zip(pending, scales):
            ann_.update(echarts.annotation(spec_, job, sc))
            (root / "annotations" / f"{spec_.name}.json").write_text(json.dumps(ann_), encoding="utf-8")
        pending.clear()

    for i in range(n):
        check(is_cancelled)
        name = f"{split}_{seed}_{i:05d}"
        spec = random_spec(rng, name, types[i % len(types)], styles)
        spec.table().write_csv(root / "tables" / f"{name}.csv")
        summ = make_summary(spec, rng)
        if producer == "matplotlib":
            ann = render(spec, root / "png" / f"{name}.png")
            ann["summary"] = summ
            (root / "annotations" / f"{name}.json").write_text(json.dumps(ann), encoding="utf-8")
        else:
            from .echarts import option_for
            job = option_for(spec, prod_rng, styles) | {"out": root / "png" / f"{name}.png"}
            pending.append((spec, job, {"summary": summ}))
            if len(pending) >= 50 or i == n - 1:
                flush()
        qas.extend(make_questions(spec, rng, templates, questions_per_chart))
        sums.append({"imgname": f"{name}.png", "summary": summ})
        if progress:
            progress((i + 1) / n, f"chart {i + 1}/{n}")
    (root / f"{split}_augmented.json").write_text(json.dumps(qas, indent=0), encoding="utf-8")
    (root / f"{split}_summaries.json").write_text(json.dumps(sums, indent=0), encoding="utf-8")
    return {"dir": str(root), "charts": n, "questions": len(qas), "styles": styles, "templates": templates,
            "producer": producer}
