"""FPS / KNN cost as the input grows (2,048 → 100,000 points): what `prepare` does outside the graph.

    python bench/pc_fps_knn.py [--sizes 2048,8192,32768,100000] [--runs 3]

Prints one JSON object: per size, numpy FPS (the pipeline's, deterministic start) and Open3D FPS for the
pipeline's centre count, k-d tree KNN for the groups (K=32 per centre) and for every point (k=16),
and the whole `prepare`.
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402


def timeit(fn, runs):
    ts = []
    for _ in range(runs):
        t = time.perf_counter()
        fn()
        ts.append(time.perf_counter() - t)
    return round(statistics.median(ts) * 1e3, 2)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="2048,8192,32768,100000")
    ap.add_argument("--runs", type=int, default=3)
    a = ap.parse_args()
    from scipy.spatial import cKDTree
    from inference.pointcloud import ops
    from inference.pointcloud.prepare import GROUP_K, LOCAL_K, num_centres, prepare
    from inference.pointcloud.shapes import make_shape
    rows = []
    for n in [int(s) for s in a.sizes.split(",")]:
        rng = np.random.default_rng(0)
        x = make_shape("flange", rng).sample(n, rng)[0].astype(np.float32)
        g = num_centres(n)
        cidx = ops.fps(x, g)
        row = {"points": n, "centres": g,
               "fps_numpy_ms": timeit(lambda: ops.fps(x, g), a.runs),
               "fps_open3d_ms": timeit(lambda: ops.fps_open3d(x, g), a.runs),
               "knn_groups_ms": timeit(lambda: cKDTree(x).query(x[cidx], k=GROUP_K), a.runs),
               "knn_all_points_ms": timeit(lambda: cKDTree(x).query(x, k=LOCAL_K), a.runs),
               "prepare_total_ms": timeit(lambda: prepare(x), a.runs)}
        rows.append(row)
        print(json.dumps(row), file=sys.stderr)
    print(json.dumps({"rows": rows, "cpu_count": os.cpu_count(), "load_avg_1min": round(os.getloadavg()[0], 2)}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
