"""The template-pool figures on several new seeds (issue #14): top-1 and best-valid-of-k per model and seed.

    .venv/bin/mmwb cad synth data/cad_fresh_9301 --n 100 --seed 9301 --fresh --descriptions 1
    .venv/bin/python bench/cad_seeds.py data/cad_fresh_9301 data/cad_fresh_9302 --candidates 3 [--json out.json]

Uses inference.cad.evaluate.evaluate (the same code as bench/cad_eval.py) once with one candidate and once
with k, and lists every invalid part with the kernel's reason and every part with a wrong command.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inference.cad.evaluate import evaluate  # noqa: E402

INPUT = {"cad-text": "text", "cad-text-plain": "text", "cad-image": "image"}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("datasets", nargs="+")
    ap.add_argument("--models", default="cad-text,cad-text-plain,cad-image")
    ap.add_argument("--candidates", type=int, default=3)
    ap.add_argument("--limit", type=int)
    ap.add_argument("--json", help="write every figure and per-part row here")
    ap.add_argument("--quiet", action="store_true", help="no per-part lines")
    a = ap.parse_args()
    out = []
    print("| seed | model | ACC_cmd | ACC_param | CD×10³ mean / median | invalid top-1 | invalid "
          f"{a.candidates} cand. | ACC_cmd / ACC_param {a.candidates} cand. |")
    print("|---|---|---|---|---|---|---|---|")
    for ds in a.datasets:
        seed = json.loads((Path(ds) / "index.json").read_text())["seed"]
        for model in a.models.split(","):
            r1 = evaluate(ds, model=model, input=INPUT[model], limit=a.limit, candidates=1)
            rk = evaluate(ds, model=model, input=INPUT[model], limit=a.limit, candidates=a.candidates)
            cd = f"{r1['cd_mean']:.1f} / {r1['cd_median']:.2f}" if r1["cd_mean"] is not None else "n/a"
            print(f"| {seed} | {model} | {r1['acc_cmd'] * 100:.1f}% | {r1['acc_param'] * 100:.1f}% | {cd} | "
                  f"{r1['invalid_ratio'] * 100:.0f}% | {rk['invalid_ratio'] * 100:.0f}% | "
                  f"{rk['acc_cmd'] * 100:.1f}% / {rk['acc_param'] * 100:.1f}% |", flush=True)
            if not a.quiet:
                for tag, r in (("top-1", r1), (f"k={a.candidates}", rk)):
                    for s in r["samples"]:
                        if not s["valid"]:
                            print(f"    {tag} invalid {s['id']} {s['family']}: {s['error']}")
                        elif not s["cmd_ok"]:
                            print(f"    {tag} wrong command {s['id']} {s['family']}")
            out.append({"dataset": ds, "seed": seed, "model": model, "top1": r1, f"best_valid_of_{a.candidates}": rk})
    if a.json:
        Path(a.json).write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
