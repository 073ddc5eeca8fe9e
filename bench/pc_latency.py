"""Reconstruction latency and memory: 2,048 → 16,384 points on CPU, per stage (model_stage = index
preparation + ONNX; prepare/onnx are then timed alone).

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
    stages = {"total": [], "outliers": [], "model_stage": [], "prepare_fps_knn_mls": [], "onnx": [],
              "surface_patches": [], "blue_noise_select": []}
    for _ in range(a.runs):
        r = pm.reconstruct(x, s.image, model=a.model, points=a.points)
        stages["total"].append(r.seconds["total"])
        stages["outliers"].append(r.seconds["outliers"])
        stages["model_stage"].append(r.seconds["model"])
        stages["surface_patches"].append(r.seconds["surface"])
        stages["blue_noise_select"].append(r.seconds["select"])
        xn = (x - x.mean(0)) / np.linalg.norm(x - x.mean(0), axis=1).max()
        t = time.perf_counter()
        feeds = pm.model_feeds(sess, xn, s.image, int(a.points * pm.OVERSAMPLE))
        stages["prepare_fps_knn_mls"].append(time.perf_counter() - t)
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
