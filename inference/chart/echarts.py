"""Charts drawn by a second plotting library: Apache ECharts, rendered server-side to SVG by Node (no browser)
and rasterised by cairosvg. The same `ChartSpec` as the matplotlib renderer, drawn with ECharts' own defaults:
its layouts, legends on top, value-axis names at the axis end, its symbols and themes (light and dark), its
label placement. Used for development and training data beside matplotlib (`mmwb chart synth --producer
echarts`); never needed by the app. Vega-Lite stays reserved for independent evaluation.

Needs `node` + `npm` (ECharts is installed on first use into `data/node/`, or `$MMWB_NODE_DIR`) and the
`cairosvg` package (`pip install -e .[dev]`)."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import numpy as np

from inference.runtime.errors import InputError

ECHARTS_VERSION = "5.6.0"
ROOT = Path(__file__).resolve().parents[2]
RENDER_JS = Path(__file__).with_name("echarts_render.js")

# ECharts' bundled themes (echarts/theme/*.js), split like the matplotlib style pools; None = ECharts' default.
THEME_POOLS = {
    "train": [None, None, None, "vintage", "macarons", "shine", "roma", "infographic", "dark", "dark-bold",
              "forest", "london", "caravan", "sakura", "fruit", "red"],
    "heldout": [None, "azul", "mint", "gray", "dark-blue", "dark-mushroom", "jazz", "cool", "helianthus"],
    "fresh": [None, "eduardo", "tech-blue", "dark-digerati", "dark-fresh-cut", "royal", "carp", "inspired"],
}
_FONTS = ["sans-serif", "DejaVu Sans", "DejaVu Serif", "DejaVu Sans Condensed"]
_NOTES = ["Source: national statistics office", "Data: survey of 2,000 adults", "Figures are provisional",
          "Source: annual report", ""]


def node_dir() -> Path:
    return Path(os.environ.get("MMWB_NODE_DIR", ROOT / "data" / "node"))


def ensure_echarts() -> Path:
    """The folder whose node_modules holds ECharts (installed from the npm registry on first use)."""
    d = node_dir()
    if (d / "node_modules" / "echarts" / "package.json").exists():
        return d
    if not shutil.which("node") or not shutil.which("npm"):
        raise InputError("the ECharts producer needs Node.js (node and npm)",
                         "install Node.js (Debian: apt install nodejs npm) or use --producer matplotlib")
    d.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(["npm", "install", "--prefix", str(d), "--no-audit", "--no-fund",
                        f"echarts@{ECHARTS_VERSION}"], capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise InputError(f"npm could not install echarts@{ECHARTS_VERSION}: {r.stderr.strip()[-300:]}",
                         "check the connection to the npm registry, or use --producer matplotlib")
    return d


def _num(v: float, decimals: int) -> float:
    return round(float(v), decimals)


def option_for(spec, rng: np.random.Generator, styles: str = "train") -> dict:
    """One render job (ECharts option, theme, size) for `spec`; ECharts-specific choices drawn from `rng`."""
    theme = THEME_POOLS[styles][int(rng.integers(len(THEME_POOLS[styles])))]
    width, height = int(rng.choice([560, 640, 720, 800])), int(rng.choice([380, 420, 480, 540]))
    font = str(rng.choice(_FONTS))
    fsize = int(rng.choice([11, 12, 13]))
    vals = np.array(spec.values, dtype=float)
    n_cat, n_ser = vals.shape
    opt: dict = {"animation": False, "textStyle": {"fontFamily": font, "fontSize": fsize},
                 "grid": {"containLabel": True, "left": int(rng.integers(20, 60)), "right": int(rng.integers(20, 60)),
                          "bottom": int(rng.integers(20, 50))}}
    note = str(rng.choice(_NOTES)) if rng.random() < 0.4 else ""
    if spec.title or note:
        opt["title"] = {"text": spec.title, "subtext": note, "left": str(rng.choice(["left", "center"]))}
    # the page's head, top down: title (and its subtitle), a legend on top, the value-axis name at the axis' end;
    # the plot starts below all of them (ECharts places each where it is told, overlaps included)
    head = (56 if note else 34) if (spec.title or note) else 4
    legend_pos = str(rng.choice(["top", "bottom", "right"]))
    show_legend = n_ser > 1 or spec.ctype == "pie" and rng.random() < 0.5 or rng.random() < 0.25
    if show_legend:
        leg = {"data": list(spec.series) if spec.ctype != "pie" else list(spec.categories)}
        if legend_pos == "top":
            leg.update({"top": head + 2})
            head += 28
        elif legend_pos == "bottom":
            leg.update({"bottom": 0})
            opt["grid"]["bottom"] = opt["grid"]["bottom"] + 30
        else:
            leg.update({"orient": "vertical", "right": 5, "top": "middle"})
            opt["grid"]["right"] = 130
        opt["legend"] = leg
    labels = bool(spec.value_labels)
    cats = list(spec.categories)
    if spec.ctype == "pie":
        fmt = str(rng.choice(["{b}: {c}%", "{b}\n{c}%", "{b} {c}%"]))
        opt["series"] = [{"type": "pie", "radius": str(rng.choice(["55%", "60%", "65%"])),
                          "center": ["45%" if legend_pos == "right" and show_legend else "50%",
                                     f"{100 * (head + (height - head) / 2) / height:.0f}%"],
                          "label": {"show": True, "formatter": fmt},
                          "data": [{"name": c, "value": _num(vals[i, 0], spec.decimals)} for i, c in enumerate(cats)]}]
        if rng.random() < 0.3:
            opt["series"][0]["radius"] = ["35%", "62%"]  # a doughnut
        return {"option": opt, "theme": theme, "width": width, "height": height}
    value_axis: dict = {"type": "log" if spec.log else "value"}
    # a single series is named by its value-axis title (the table's header): printed unless a legend names it
    named_by_axis = n_ser == 1 and spec.series[0] == spec.y_label and not show_legend
    if spec.y_label and (named_by_axis or rng.random() < 0.7):
        value_axis["name"] = spec.y_label
        if spec.ctype == "h_bar":  # at the end of a horizontal axis: room on the right
            opt["grid"]["right"] = max(opt["grid"]["right"], 12 + 7 * len(spec.y_label))
        if rng.random() < 0.5:  # along the axis, outside its labels (the grid leaves room: ECharts does not)
            gap = int(rng.integers(35, 50)) if spec.ctype != "h_bar" else int(rng.integers(25, 35))
            value_axis.update({"nameLocation": "middle", "nameGap": gap})
            side = "left" if spec.ctype != "h_bar" else "bottom"
            opt["grid"][side] = max(opt["grid"][side], gap + 12)
    if rng.random() < 0.3:
        value_axis["splitLine"] = {"show": False}
    cat_axis: dict = {"type": "category", "data": cats}
    if spec.style.get("rotation"):
        cat_axis["axisLabel"] = {"rotate": int(spec.style["rotation"]), "interval": 0}
    elif n_cat > 6:
        cat_axis["axisLabel"] = {"interval": 0}
    if spec.ctype == "line" and rng.random() < 0.5:
        cat_axis["boundaryGap"] = False
    series = []
    if spec.ctype == "scatter":
        opt["xAxis"] = {"type": "value", "scale": True, "name": spec.x_label if rng.random() < 0.5 else ""}
        opt["yAxis"] = value_axis | {"scale": not spec.log}
        series.append({"type": "scatter", "name": spec.series[0],
                       "symbolSize": int(rng.integers(6, 12)),
                       "data": [[float(c), _num(vals[i, 0], spec.decimals)] for i, c in enumerate(cats)]})
    else:
        horizontal = spec.ctype == "h_bar"
        opt["xAxis"], opt["yAxis"] = (value_axis, cat_axis | {"inverse": True}) if horizontal else (cat_axis, value_axis)
        line_types = ["solid", "solid", "dashed", "dotted"]
        symbols = ["emptyCircle", "circle", "rect", "triangle", "diamond", "none"]
        for j in range(n_ser):
            s: dict = {"name": spec.series[j], "type": "bar" if spec.ctype != "line" else "line",
                       "data": [_num(v, spec.decimals) for v in vals[:, j]]}
            if spec.ctype == "line":
                s["symbol"] = str(rng.choice(symbols))
                s["lineStyle"] = {"type": str(rng.choice(line_types)) if n_ser > 1 else "solid",
                                  "width": int(rng.integers(2, 4))}
                if rng.random() < 0.2:
                    s["smooth"] = True
            else:
                s["barMaxWidth"] = int(rng.integers(30, 70))
            if labels:
                pos = ("right" if horizontal else "top") if spec.ctype != "v_bar" or rng.random() < 0.7 else "inside"
                s["label"] = {"show": True, "position": pos}
            series.append(s)
    opt["series"] = series
    name_on_top = "name" in value_axis and "nameLocation" not in value_axis and spec.ctype not in ("h_bar",)
    opt["grid"]["top"] = max(40, head + (30 if name_on_top else 0) + 14)
    return {"option": opt, "theme": theme, "width": width, "height": height}


def render_batch(jobs: list[dict], scales: list[float]) -> None:
    """Render jobs (each with an "out" PNG path) through one Node process, then rasterise each SVG."""
    try:
        import cairosvg
    except ImportError:
        raise InputError("the ECharts producer needs the cairosvg package",
                         "pip install -e .[dev], or use --producer matplotlib") from None
    d = ensure_echarts()
    with tempfile.TemporaryDirectory() as tmp:
        svg_jobs = []
        for k, job in enumerate(jobs):
            svg_jobs.append({**{k2: v for k2, v in job.items() if k2 != "out"}, "out": str(Path(tmp) / f"{k}.svg")})
        jobs_p = Path(tmp) / "jobs.json"
        jobs_p.write_text(json.dumps(svg_jobs), encoding="utf-8")
        env = dict(os.environ, NODE_PATH=str(d / "node_modules"))
        r = subprocess.run(["node", str(RENDER_JS), str(jobs_p)], capture_output=True, text=True, env=env,
                           timeout=120 + 5 * len(jobs))
        if r.returncode != 0:
            raise InputError(f"ECharts could not render: {r.stderr.strip()[-400:]}", "report this chart spec")
        for k, job in enumerate(jobs):
            svg = Path(svg_jobs[k]["out"]).read_text(encoding="utf-8")
            cairosvg.svg2png(bytestring=_no_halo(svg).encode("utf-8"), write_to=str(job["out"]),
                             background_color="white", scale=scales[k])


_HALO = re.compile(r' stroke="[^"]*" stroke-width="[^"]*" paint-order="stroke"( stroke-miterlimit="[^"]*")?')


def _no_halo(svg: str) -> str:
    """ECharts outlines label text with a halo painted under the fill (`paint-order="stroke"`); cairosvg paints
    it over the fill and the text disappears. The halo is dropped."""
    return _HALO.sub("", svg)


def annotation(spec, job: dict, scale: float) -> dict:
    vals = np.array(spec.values, dtype=float)
    return {
        "type": {"grouped_bar": "v_bar"}.get(spec.ctype, spec.ctype),
        "chart_type": spec.ctype,
        "producer": "echarts",
        "theme": job["theme"] or "default",
        "image_size": [int(round(job["width"] * scale)), int(round(job["height"] * scale))],
        "log_y": bool(spec.log),
        "value_labels": bool(spec.value_labels),
        "models": [{"name": spec.series[j], "x": list(spec.categories), "y": [float(v) for v in vals[:, j]]}
                   for j in range(vals.shape[1])],
        "general_figure_info": {"title": {"text": spec.title}, "x_axis": {"label": spec.x_label},
                                "y_axis": {"label": spec.y_label}, "legend": {"items": list(spec.series)}},
    }
