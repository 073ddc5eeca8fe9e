"""The README's chart figures: synthetic charts in a style pool never used for training or tuning, read with OCR,
with OCR but printed value labels ignored, and without OCR (the AskChart ablation).

    python bench/chart_eval.py [--n 100] [--seed 2026] [--styles heldout|fresh] [--out data/chart_heldout]

--styles fresh is the pool never looked at in development (the README's figures: --styles fresh --seed 5150
--n 100 --out data/chart_fresh); the default, heldout, was looked at while debugging the reader. Questions use the
held-out templates either way. Equivalent to `mmwb chart synth OUT --n N --seed S [--styles P]` then
`mmwb chart eval OUT --json [--no-ocr | --no-value-labels]`. Charts already in OUT are reused only if they were
made with the same --n, --seed and --styles (recorded in OUT/test/synth.json).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100)
    ap.add_argument("--seed", type=int, default=2026)
    ap.add_argument("--styles", choices=["heldout", "fresh"], default="heldout",
                    help="style pool of the test charts (fresh: never used in development)")
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "chart_heldout")
    args = ap.parse_args()
    from inference.chart.evaluate import evaluate_dir
    from inference.chart.synth import synthesize

    png_dir = args.out / "test" / "png"
    meta_p = args.out / "test" / "synth.json"
    want = {"n": args.n, "seed": args.seed, "styles": args.styles}
    n_pngs = len(list(png_dir.glob("*.png"))) if png_dir.is_dir() else 0
    if meta_p.exists():
        have = json.loads(meta_p.read_text(encoding="utf-8"))
        if have != want:
            print(f"{args.out} holds charts made with {have}, not {want}; pick another --out", file=sys.stderr)
            return 2
    elif n_pngs and args.styles != "heldout":
        print(f"{png_dir} already holds charts of unknown origin; pick another --out", file=sys.stderr)
        return 2
    elif n_pngs != args.n:  # (a heldout folder made before synth.json existed is reused as before)
        rep = synthesize(args.out, args.n, args.seed, split="test", styles=args.styles)
        if not n_pngs:
            meta_p.write_text(json.dumps(want), encoding="utf-8")
        print(json.dumps({"synth": rep}))
    res = {}
    for name, ocr, labels in (("ocr", True, True), ("ocr_no_value_labels", True, False), ("no_ocr", False, False)):
        t0 = time.perf_counter()
        r = evaluate_dir(args.out, split="test", use_ocr=ocr, use_value_labels=labels)
        r["wall_s"] = round(time.perf_counter() - t0, 1)
        res[name] = r
        print(json.dumps({"mode": name, **r}))
    fmt = lambda v: "n/a" if v is None else f"{100 * v:.1f}"  # noqa: E731
    print(f"\n{args.n} charts, seed {args.seed}, styles {args.styles} ({args.out})", file=sys.stderr)
    print(f"\n{'':20s} {'RA %':>6s} {'RNSS %':>7s} {'RMS-P':>6s} {'RMS-R':>6s} {'RMS-F1':>7s} {'BLEU':>5s}", file=sys.stderr)
    for name, r in res.items():
        print(f"{name:20s} {fmt(r['relaxed_accuracy']):>6s} {fmt(r['rnss']):>7s} {fmt(r['rms_precision']):>6s} "
              f"{fmt(r['rms_recall']):>6s} {fmt(r['rms_f1']):>7s} {r['bleu']:5.1f}", file=sys.stderr)
    types = sorted({t for r in res.values() for t in r["rms_f1_by_type"]})
    print(f"\nRMS-F1 % by chart type\n{'':20s} " + " ".join(f"{t:>11s}" for t in types), file=sys.stderr)
    for name, r in res.items():
        print(f"{name:20s} " + " ".join(f"{fmt(r['rms_f1_by_type'].get(t)):>11s}" for t in types), file=sys.stderr)
    print("\nseconds per chart (OCR + rest, mean): "
          + ", ".join(f"{name} {r['mean_ocr_s'] or 0:.2f} + {r['mean_rest_s'] or 0:.2f}" for name, r in res.items()),
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
