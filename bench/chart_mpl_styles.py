"""The reader on matplotlib's own style sheets (tinted and gridded backgrounds, gridline-only axes, grey slices):
a development check on charts drawn unlike the project's synthetic pools, by type and style.

    python bench/chart_mpl_styles.py [--styles default,ggplot,fivethirtyeight,bmh,Solarize_Light2,seaborn-v0_8-darkgrid]
                                     [--per-type 2] [--seed 11] [--out /tmp/chart_mpl_styles]

Data and titles come from this project's generator (`random_spec`, fresh pool); each chart is drawn with plain
matplotlib calls in one style sheet. Scored by RMS-F1 against the generator's table; a style that hides the value
axis title (fivethirtyeight) cannot give the series its name, so a one-series table is scored on its categories and
values (its header is taken from the gold table). These charts were looked at while the reader was changed: they
are development data, not an unseen test (bench/chart_vegalite.py is that).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TYPES = ["v_bar", "h_bar", "grouped_bar", "line", "pie"]


def draw(spec, style: str, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    t = spec.table()
    ct = spec.ctype
    with plt.style.context(style):
        fig, ax = plt.subplots(figsize=(7, 4.6), dpi=100)
        x = np.arange(len(t.categories))
        if ct == "v_bar":
            ax.bar(t.categories, [r[0] for r in t.values])
        elif ct == "h_bar":
            ax.barh(t.categories, [r[0] for r in t.values])
            ax.invert_yaxis()
        elif ct == "grouped_bar":
            w = 0.8 / len(t.series)
            for k, s in enumerate(t.series):
                ax.bar(x + k * w - 0.4 + w / 2, [r[k] for r in t.values], w, label=s)
            ax.set_xticks(x, t.categories)
            ax.legend()
        elif ct == "line":
            for k, s in enumerate(t.series):
                ax.plot(t.categories, [r[k] for r in t.values], marker="o", label=s)
            if len(t.series) > 1:
                ax.legend()
        else:
            ax.pie([r[0] for r in t.values], labels=t.categories, autopct="%1.1f%%", startangle=90,
                   counterclock=False)
        ax.set_title(spec.title)
        if ct == "h_bar":
            ax.set_xlabel(spec.y_label or t.series[0])
        elif ct != "pie":
            ax.set_ylabel(spec.y_label or t.series[0])
        fig.savefig(path)
        plt.close(fig)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--styles", default="default,ggplot,fivethirtyeight,bmh,Solarize_Light2,seaborn-v0_8-darkgrid")
    ap.add_argument("--per-type", type=int, default=2)
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--out", type=Path, default=Path("/tmp/chart_mpl_styles"))
    a = ap.parse_args()
    from inference.chart.metrics import rms
    from inference.chart.reader import read_chart
    from inference.chart.synth import random_spec
    from inference.runtime.errors import WorkbenchError

    a.out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(a.seed)
    res: dict = {}
    for st in a.styles.split(","):
        for i, ct in enumerate(TYPES * a.per_type):
            spec = random_spec(rng, f"s{i}", ct, styles="fresh")
            gold = spec.table()
            png = a.out / f"{st}_{i}_{ct}.png"
            draw(spec, st, png)
            try:
                pt = read_chart(png).table
                if len(pt.series) == 1 and len(gold.series) == 1:
                    pt.header = list(gold.header)
                pt.header[0] = gold.header[0]
                f1 = rms(gold.to_rows(), pt.to_rows())["f1"]
            except WorkbenchError as e:
                f1 = 0.0
                print(f"{st} {png.name}: not read ({e.message})", file=sys.stderr)
            res.setdefault(st, {}).setdefault(ct, []).append(f1)
    allv = []
    for st, d in res.items():
        vals = [x for v in d.values() for x in v]
        allv += vals
        print(f"{st:24s} RMS-F1 {np.mean(vals):.3f}  " + "  ".join(f"{k} {np.mean(v):.2f}" for k, v in d.items()))
    print(f"{'all':24s} RMS-F1 {np.mean(allv):.3f} ({len(allv)} charts)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
