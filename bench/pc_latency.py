"""Reconstruction latency and memory: 2,048 → 16,384 points on CPU, per stage.

    python bench/pc_latency.py [--runs 10] [--model pc-multimodal] [--threads N]

Prints one JSON object. Load on the machine matters: the 1-minute load average is reported with it.
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=10)
    ap.add_argument("--model", default="pc-multimodal")
    ap.add_argument("--points", type=int, default=16384)
    ap.add_argument("--threads", type=int, default=0, help="onnxruntime intra-op threads (0: its default)")
    a = ap.parse_args()
    if a.threads:
        os.environ["MMWB_THREADS"] = str(a.threads)
    from inference.pointcloud import model as pm
    from inference.pointcloud.prepare import image_input, prepare
    from inference.pointcloud.synth import make_sample
    from inference.runtime.registry import get_registry

    s = make_sample("bracket", np.random.default_rng(0), levels=("noisy",), oracle=False)
    x = s.inputs["noisy"].astype(np.float64)
    rss0 = rss_mb()
    t0 = time.perf_counter()
    sess = get_registry().session(a.model)
    load_s = time.perf_counter() - t0
    rss_loaded = rss_mb()
    pm.reconstruct(x, s.image, model=a.model, points=a.points)  # warm-up
    stages = {"total": [], "outliers": [], "prepare_fps_knn": [], "onnx": [], "assemble": [], "smooth": []}
    for _ in range(a.runs):
        r = pm.reconstruct(x, s.image, model=a.model, points=a.points)
        stages["total"].append(r.seconds["total"])
        stages["outliers"].append(r.seconds["outliers"])
        stages["assemble"].append(r.seconds["assemble"])
        stages["smooth"].append(r.seconds.get("smooth", 0.0))
        xn = (x - x.mean(0)) / np.linalg.norm(x - x.mean(0), axis=1).max()
        t = time.perf_counter()
        feeds = prepare(xn, a.points)
        stages["prepare_fps_knn"].append(time.perf_counter() - t)
        names = {i.name for i in sess.spec.inputs}
        if "image" in names:
            feeds["image"] = image_input(s.image)
        feeds = {k: v for k, v in feeds.items() if k in names}
        t = time.perf_counter()
        sess.run(feeds)
        stages["onnx"].append(time.perf_counter() - t)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    out = {
        "model": a.model, "provider": sess.provider, "input_points": len(x), "output_points": a.points,
        "runs": a.runs, "median_ms": {k: round(statistics.median(v) * 1e3, 1) for k, v in stages.items()},
        "min_ms": {k: round(min(v) * 1e3, 1) for k, v in stages.items()},
        "model_load_s": round(load_s, 3), "rss_mb_before_model": round(rss0, 1),
        "rss_mb_after_load": round(rss_loaded, 1), "peak_rss_mb": round(peak, 1),
        "peak_minus_before_mb": round(peak - rss0, 1),
        "cpu_count": os.cpu_count(), "load_avg_1min": round(os.getloadavg()[0], 2),
    }
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
