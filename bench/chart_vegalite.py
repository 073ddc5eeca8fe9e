"""Charts from a plotting library never used in development: Vega-Lite, rendered by vl-convert in 7 of its themes.
Vega-Lite, Altair and vl-convert are reserved for this independent evaluation: nothing here trains or tunes the
reader. The data, titles and questions come from this project's generator (held-out question templates); only the
drawing is Vega-Lite's (its fonts, its theme's colours, axes, gridlines and legends).

    pip install vl-convert-python        # an evaluation-only extra, not needed by the app
    python bench/chart_vegalite.py [--n 42] [--seed 7310] [--out data/chart_vegalite]

Writes a ChartQA-style folder (png/, tables/, test_augmented.json) and prints `mmwb chart eval`'s figures on it,
per chart type and per theme.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

THEMES = [None, "dark", "fivethirtyeight", "ggplot2", "latimes", "quartz", "vox"]
TYPES = ["v_bar", "h_bar", "grouped_bar", "line", "pie"]


def vega_spec(spec, rng: np.random.Generator) -> dict:
    """A Vega-Lite specification drawing SPEC (this project's chart description) the way Vega-Lite would."""
    t = spec.table()
    rows = [{"cat": c, "series": s, "value": float(v)}
            for c, vals in zip(t.categories, t.values) for s, v in zip(t.series, vals) if v is not None]
    cat_sort = list(t.categories)
    width, height = int(rng.choice([380, 460, 560])), int(rng.choice([260, 320, 380]))
    value_title = spec.y_label or t.series[0]
    q = {"field": "value", "type": "quantitative", "title": value_title}
    if spec.log:
        q["scale"] = {"type": "log"}
    base = {"$schema": "https://vega.github.io/schema/vega-lite/v5.json", "title": spec.title,
            "width": width, "height": height, "data": {"values": rows}}
    cat_title = spec.x_label or None
    if spec.ctype == "pie":
        return {**base, "mark": {"type": "arc"},
                "encoding": {"theta": {"field": "value", "type": "quantitative", "stack": True},
                             "color": {"field": "cat", "type": "nominal", "sort": cat_sort, "title": cat_title},
                             "order": {"field": "order", "type": "quantitative"}},
                "transform": [{"calculate": f"indexof({json.dumps(cat_sort)}, datum.cat)", "as": "order"}]}
    if spec.ctype == "h_bar":
        enc = {"y": {"field": "cat", "type": "nominal", "sort": cat_sort, "title": cat_title}, "x": q}
        mark = {"type": "bar"}
        text_off = {"dx": 12}
    elif spec.ctype == "line":
        enc = {"x": {"field": "cat", "type": "ordinal", "sort": cat_sort, "title": cat_title}, "y": q}
        mark = {"type": "line", "point": bool(spec.style.get("markers", True))}
        text_off = {"dy": -9}
    else:
        enc = {"x": {"field": "cat", "type": "nominal", "sort": cat_sort, "title": cat_title,
                     "axis": {"labelAngle": 0}}, "y": q}
        mark = {"type": "bar"}
        text_off = {"dy": -7}
        if spec.ctype == "grouped_bar":
            enc["xOffset"] = {"field": "series", "type": "nominal", "sort": list(t.series)}
    if len(t.series) > 1:
        enc["color"] = {"field": "series", "type": "nominal", "sort": list(t.series), "title": None}
    layers = [{"mark": mark, "encoding": enc}]
    if spec.value_labels and spec.ctype in ("v_bar", "h_bar"):
        layers.append({"mark": {"type": "text", **text_off},
                       "encoding": {**enc, "text": {"field": "value", "type": "quantitative",
                                                    "format": f",.{spec.decimals}f" if spec.thousands
                                                    else f".{spec.decimals}f"}}})
    return {**base, "layer": layers}


def build(out: Path, n: int, seed: int) -> None:
    import vl_convert as vlc

    from inference.chart.synth import make_questions, random_spec

    split = out / "test"
    (split / "png").mkdir(parents=True, exist_ok=True)
    (split / "tables").mkdir(parents=True, exist_ok=True)
    (split / "annotations").mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    questions, meta = [], {}
    for i in range(n):
        theme = THEMES[i % len(THEMES)]
        ctype = TYPES[(i // len(THEMES)) % len(TYPES)]
        name = f"vl_{i:03d}_{ctype}"
        spec = random_spec(rng, name, ctype, styles="fresh")
        png = vlc.vegalite_to_png(vega_spec(spec, rng), scale=1.5, theme=theme)
        (split / "png" / f"{name}.png").write_bytes(png)
        spec.table().write_csv(split / "tables" / f"{name}.csv")
        for q in make_questions(spec, rng, "heldout", 4):
            questions.append({**q, "imgname": f"{name}.png"})
        meta[name] = {"theme": theme or "default", "chart_type": ctype}
        (split / "annotations" / f"{name}.json").write_text(json.dumps({"chart_type": ctype}))
    (split / "test_augmented.json").write_text(json.dumps(questions, indent=1))
    (split / "vegalite.json").write_text(json.dumps({"n": n, "seed": seed, "charts": meta}, indent=1))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=42)
    ap.add_argument("--seed", type=int, default=7310)
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "chart_vegalite")
    ap.add_argument("--no-ocr", action="store_true", help="the visual-only ablation")
    args = ap.parse_args()
    try:
        import vl_convert  # noqa: F401
    except ImportError:
        print("needs vl-convert-python (an evaluation-only extra): pip install vl-convert-python", file=sys.stderr)
        return 2
    from inference.chart.evaluate import evaluate_dir

    made = args.out / "test" / "vegalite.json"
    if not made.exists() or json.loads(made.read_text()).get("n") != args.n \
            or json.loads(made.read_text()).get("seed") != args.seed:
        build(args.out, args.n, args.seed)
    meta = json.loads(made.read_text())["charts"]
    res = evaluate_dir(args.out, split="test", use_ocr=not args.no_ocr)
    by_theme: dict = {}
    for c in res["charts"]:
        th = meta.get(c["name"], {}).get("theme", "?")
        d = by_theme.setdefault(th, {"f1": [], "qa": []})
        if "rms_f1" in c:
            d["f1"].append(c["rms_f1"])
        d["qa"] += [q["correct"] for q in c["questions"]]
    print(f"Vega-Lite charts ({args.n}, 7 themes, seed {args.seed}){' --no-ocr' if args.no_ocr else ''}: "
          f"RMS-F1 {res['rms_f1']:.3f}, RNSS {res['rnss']:.3f}, relaxed accuracy {res['relaxed_accuracy']:.1%} "
          f"({res['n_questions']} questions); not read: {res['failures'] or 'none'}")
    print("RMS-F1 by type:", {k: round(v, 3) for k, v in res["rms_f1_by_type"].items()})
    for th, d in by_theme.items():
        print(f"  {th:16s} RMS-F1 {np.mean(d['f1']) if d['f1'] else 0:.3f}  relaxed accuracy "
              f"{np.mean(d['qa']) if d['qa'] else 0:.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
