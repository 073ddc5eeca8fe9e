"""Seconds per chart on this machine, split into OCR, the chart-type model and the rest (classical reading).

    python bench/chart_speed.py [--n 18] [--seed 900]
    python bench/chart_speed.py --real ../shared/data/charts/chartqa_real/dev/png --n 50

Charts are rendered fresh (held-out styles, a seed not used for training), or with --real the first N of a folder
of real charts taken every (count / N)-th by name; the OCR engine is warmed up on one chart first so start-up is not
counted.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=18)
    ap.add_argument("--seed", type=int, default=900)
    ap.add_argument("--real", type=Path, default=None, help="a folder of real chart pictures (*.png) instead")
    args = ap.parse_args()
    from inference.chart.reader import read_chart
    from inference.chart.synth import synthesize
    from inference.runtime.errors import WorkbenchError
    from inference.runtime.registry import get_registry

    with tempfile.TemporaryDirectory() as d:
        if args.real is not None:
            allp = sorted(Path(args.real).glob("*.png"))
            if not allp:
                print(f"no .png charts in {args.real}", file=sys.stderr)
                return 2
            step = max(1, len(allp) // (args.n + 1))
            pngs = allp[::step][:args.n + 1]
        else:
            synthesize(Path(d), args.n + 1, args.seed, split="test")
            pngs = sorted((Path(d) / "test" / "png").glob("*.png"))
        try:
            read_chart(pngs[0])  # warm-up: OCR engine + ONNX session
        except WorkbenchError:
            pass
        load1 = os.getloadavg()[0]
        rows = []
        failed = 0
        for p in pngs[1:]:
            t0 = time.perf_counter()
            try:
                r = read_chart(p)
            except WorkbenchError:  # a chart it cannot read still costs its time, but has no split
                failed += 1
                continue
            wall = time.perf_counter() - t0
            rows.append({"ocr_s": r.timings["ocr_s"], "type_s": r.timings["type_s"],
                         "rest_s": r.timings["rest_s"] - r.timings["type_s"], "total_s": wall,
                         "ocr_cpu_s": r.timings["ocr_cpu_s"],
                         "rest_cpu_s": r.timings["total_cpu_s"] - r.timings["ocr_cpu_s"],
                         "total_cpu_s": r.timings["total_cpu_s"]})
    sess = get_registry().session("chart-type")
    out = {"n": len(rows), "not_read": failed, "cpu_count": os.cpu_count(), "provider": sess.provider,
           "charts": str(args.real) if args.real is not None else f"synthetic held-out, seed {args.seed}"}
    out["load_average_1min_at_start"] = round(load1, 2)
    out["load_average_1min_at_end"] = round(os.getloadavg()[0], 2)
    for k in ("ocr_s", "type_s", "rest_s", "total_s", "ocr_cpu_s", "rest_cpu_s", "total_cpu_s"):
        vals = [r[k] for r in rows]
        out[f"mean_{k}"] = round(statistics.mean(vals), 3)
        out[f"median_{k}"] = round(statistics.median(vals), 3)
    out["max_total_s"] = round(max(r["total_s"] for r in rows), 3)
    print(json.dumps(out))
    print(f"seconds per chart (mean of {out['n']}): total {out['mean_total_s']:.2f} = OCR {out['mean_ocr_s']:.2f} "
          f"+ type model {out['mean_type_s']:.3f} + rest {out['mean_rest_s']:.2f}  [{out['provider']}, "
          f"{out['cpu_count']} CPUs, load {out['load_average_1min_at_start']}]; CPU seconds per chart: "
          f"{out['mean_total_cpu_s']:.2f} (OCR {out['mean_ocr_cpu_s']:.2f})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
