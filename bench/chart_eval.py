"""The README's chart figures: held-out synthetic charts (styles and question templates never used for training
or tuning, seed 2026), read with OCR and without (the AskChart ablation).

    python bench/chart_eval.py [--n 100] [--seed 2026] [--out data/chart_heldout]

Equivalent to `mmwb chart synth OUT --n N --seed S` then `mmwb chart eval OUT --json [--no-ocr]`.
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
    ap.add_argument("--out", type=Path, default=ROOT / "data" / "chart_heldout")
    args = ap.parse_args()
    from inference.chart.evaluate import evaluate_dir
    from inference.chart.synth import synthesize

    if not (args.out / "test" / "png").is_dir() or len(list((args.out / "test" / "png").glob("*.png"))) != args.n:
        synthesize(args.out, args.n, args.seed, split="test")
    res = {}
    for name, ocr, labels in (("ocr", True, True), ("ocr_no_value_labels", True, False), ("no_ocr", False, False)):
        t0 = time.perf_counter()
        r = evaluate_dir(args.out, split="test", use_ocr=ocr, use_value_labels=labels)
        r["wall_s"] = round(time.perf_counter() - t0, 1)
        res[name] = r
        print(json.dumps({"mode": name, **r}))
    fmt = lambda v: "n/a" if v is None else f"{100 * v:.1f}"  # noqa: E731
    print(f"\n{'':20s} {'RA %':>6s} {'RNSS %':>7s} {'RMS-P':>6s} {'RMS-R':>6s} {'RMS-F1':>7s} {'BLEU':>5s}", file=sys.stderr)
    for name, r in res.items():
        print(f"{name:20s} {fmt(r['relaxed_accuracy']):>6s} {fmt(r['rnss']):>7s} {fmt(r['rms_precision']):>6s} "
              f"{fmt(r['rms_recall']):>6s} {fmt(r['rms_f1']):>7s} {r['bleu']:5.1f}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
