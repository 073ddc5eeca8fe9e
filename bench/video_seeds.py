"""Does the direction sense hold on any seed? RTime-Binary and RTime-Hard of the temporal model and the
order-blind baseline on several unseen seeds of RTime-synth, each captioned from both held-out pools.

    python bench/video_seeds.py [--seeds 8101 8102 8103] [--n 1000] [--models DIR] [--data data/video/seeds] [--json OUT]

Seeds 8101–8103 are used by nothing else (training draws seed 0, its model selection 777, the calibration
4242). Targets (issue #16): Binary >= 0.95 both ways on every seed and pool, the order-blind baseline at
0.50 +- 0.01, Hard t2v R@1 >= 2x the baseline's (ties split at random). Per family figures and the
seed-to-seed spread are printed.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inference.runtime.registry import Registry, get_registry  # noqa: E402
from inference.video.captions import HELD_OUT_POOLS  # noqa: E402
from inference.video.evaluate import evaluate  # noqa: E402
from inference.video.synth import generate  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seeds", type=int, nargs="+", default=[8101, 8102, 8103])
    ap.add_argument("--n", type=int, default=1000, help="clips per seed (families balanced)")
    ap.add_argument("--models", default=None, help="a folder of exported video-temporal/-meanpool (default: the installed ones)")
    ap.add_argument("--data", default=str(ROOT / "data" / "video" / "seeds"))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--json", default=None)
    args = ap.parse_args(argv)
    reg = Registry(dirs=[(Path(args.models), "shipped")]) if args.models else get_registry()
    rows, report = [], {}
    for seed in args.seeds:
        for label in HELD_OUT_POOLS:
            d = Path(args.data) / f"test-s{seed}-n{args.n}-{label}"
            if not (d / "test.json").exists():
                generate(d, n=args.n, seed=seed, split="test", workers=args.workers, held_out_pool=label)
            r = {m: evaluate(d / "test.json", d, model=f"video-{m}", registry=reg) for m in ("temporal", "meanpool")}
            t, m = r["temporal"], r["meanpool"]
            ratio = t["hard"]["t2v"]["R@1"] / max(1e-9, m["hard"]["t2v"]["R@1_random_ties"])
            row = {"seed": seed, "pool": label, "n": t["n_clips"],
                   "binary": [t["binary"]["t2v_acc"], t["binary"]["v2t_acc"]],
                   "baseline_binary": [m["binary"]["t2v_acc"], m["binary"]["v2t_acc"]],
                   "hard_t2v_R@1": t["hard"]["t2v"]["R@1"], "baseline_hard_t2v_R@1": m["hard"]["t2v"]["R@1_random_ties"],
                   "hard_ratio": ratio, "per_family": t.get("binary_per_family"),
                   "hard_per_family": {f: {"R@1": h["R@1"], "baseline_R@1": (m.get("hard_per_family") or {}).get(f, {}).get("R@1_random_ties")}
                                       for f, h in (t.get("hard_per_family") or {}).items()}}
            rows.append(row)
            report[f"{seed}/{label}"] = row
            print(f"seed {seed} {label:<9} n={row['n']}: Binary {100 * row['binary'][0]:.1f}/{100 * row['binary'][1]:.1f}% "
                  f"(baseline {100 * row['baseline_binary'][0]:.1f}/{100 * row['baseline_binary'][1]:.1f}%), "
                  f"Hard t2v R@1 {100 * row['hard_t2v_R@1']:.1f}% vs {100 * row['baseline_hard_t2v_R@1']:.1f}% = {ratio:.2f}x",
                  flush=True)
    print("\nper family, Binary t2v/v2t (%), one column per seed/pool:")
    fams = list(rows[0]["per_family"] or {})
    print(f"{'family':<12}" + "".join(f"{str(r['seed']) + '/' + r['pool'][:4]:>14}" for r in rows))
    for f in fams:
        print(f"{f:<12}" + "".join(f"{100 * r['per_family'][f]['t2v_acc']:>7.0f}/{100 * r['per_family'][f]['v2t_acc']:<6.0f}"
                                   for r in rows))
    print("\nper family, Hard t2v R@1 (%) temporal / order-blind baseline (ties at random):")
    print(f"{'family':<12}" + "".join(f"{str(r['seed']) + '/' + r['pool'][:4]:>14}" for r in rows))
    for f in fams:
        print(f"{f:<12}" + "".join(f"{100 * r['hard_per_family'][f]['R@1']:>7.1f}/{100 * (r['hard_per_family'][f]['baseline_R@1'] or 0):<6.1f}"
                                   for r in rows))
    for label in HELD_OUT_POOLS:
        sel = [r for r in rows if r["pool"] == label]
        b = np.array([r["binary"] for r in sel])
        print(f"{label}: Binary t2v {100 * b[:, 0].min():.1f}–{100 * b[:, 0].max():.1f}%, v2t {100 * b[:, 1].min():.1f}–"
              f"{100 * b[:, 1].max():.1f}% over {len(sel)} seeds (spread {100 * np.ptp(b[:, 0]):.1f} / {100 * np.ptp(b[:, 1]):.1f} points); "
              f"Hard ratio {min(r['hard_ratio'] for r in sel):.2f}–{max(r['hard_ratio'] for r in sel):.2f}x")
    ok = all(min(r["binary"]) >= 0.95 and r["hard_ratio"] >= 2.0 and all(abs(x - 0.5) <= 0.01 for x in r["baseline_binary"])
             for r in rows)
    print("targets (Binary >= 95% both ways, baseline 50 +- 1%, Hard ratio >= 2x) on every seed and pool:",
          "met" if ok else "NOT met")
    if args.json:
        Path(args.json).write_text(json.dumps({"rows": rows, "targets_met": ok}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
