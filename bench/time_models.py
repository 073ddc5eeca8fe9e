"""Time every shipped model on each execution provider and print a table (and ratios CPU/CUDA).

    python bench/time_models.py --providers cpu            # this machine
    python bench/time_models.py --providers cuda cpu       # a GPU machine (bench/gpu_check.sh)
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inference.runtime.benchmark import time_models  # noqa: E402
from inference.runtime.providers import cuda_status  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--providers", nargs="+", default=["cpu"], choices=["cpu", "cuda", "auto"])
    ap.add_argument("--repeats", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    st = cuda_status()
    print(f"CUDA usable: {st.usable} — {st.reason}")
    results = {p: time_models(p, repeats=args.repeats) for p in args.providers}
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    keyed = {p: {(r["model"], r["part"]): r for r in rows} for p, rows in results.items()}
    keys = list(next(iter(keyed.values())).keys()) if keyed else []
    head = f"{'model':24s} {'part':6s} " + " ".join(f"{p + ' (ms)':>22s}" for p in args.providers)
    print(head)
    for k in keys:
        cells = []
        for p in args.providers:
            r = keyed[p].get(k, {})
            if "error" in r:
                cell = "ERR " + r["error"][:18]
            else:
                cell = f"{r['median_ms']:.2f} on {r['provider'].replace('ExecutionProvider', '')}"
            cells.append(f"{cell:>22s}")
        line = f"{k[0]:24s} {k[1]:6s} " + " ".join(cells)
        if "cuda" in keyed and "cpu" in keyed and "median_ms" in keyed["cuda"].get(k, {}) \
                and "median_ms" in keyed["cpu"].get(k, {}):
            line += f"   CPU/CUDA = {keyed['cpu'][k]['median_ms'] / keyed['cuda'][k]['median_ms']:.1f}x"
        print(line)
    if not keys:
        print("(no models installed)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
