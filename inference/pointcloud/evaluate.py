"""The evaluator: every method at every input level on a synthetic dataset, scored against the truth.

Methods: ``model`` (the default pipeline with pc-multimodal and the rendered view), ``points_only``
(the same pipeline with pc-points-only: only the learned stage differs), ``poisson``,
``ball_pivoting``, and ``oracle`` (an independent perfect resample of the true surface: the ceiling).
On request, ``classical``: the same pipeline with the learned stage replaced by one MLS pass (what the
learning adds).
Scores are in the ground truth's normalised frame (unit sphere): CD-L1 and CD-L2 ×10³, F-Score@1%.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from inference.runtime.cancel import check
from inference.runtime.errors import InputError

from .baselines import run_baseline
from .metrics import score
from .synth import LEVEL_NAMES, load_dataset

METHODS = ("model", "points_only", "poisson", "ball_pivoting", "oracle")
EXTRA_METHODS = ("classical",)  # on request (--methods): the pipeline without its learned stage


def run_method(method: str, x: np.ndarray, image: np.ndarray, oracle: np.ndarray, n_out: int) -> np.ndarray:
    if method == "oracle":
        return oracle
    if method in ("model", "points_only", "classical"):
        from .model import CLASSICAL, reconstruct
        name = {"model": "pc-multimodal", "points_only": "pc-points-only", "classical": CLASSICAL}[method]
        return reconstruct(x, image if method == "model" else None, model=name, points=n_out).xyz
    return run_baseline(method, x, n_out)


CACHEABLE = ("poisson", "ball_pivoting", "oracle")  # do not depend on the models: scores can be reused


def _cache_path(dataset: Path, method: str, n_out: int) -> Path:
    return Path(dataset) / ".eval_cache" / f"{method}_{n_out}.json"


def evaluate(dataset: Path, methods=METHODS, levels=LEVEL_NAMES, limit: int | None = None, n_out: int = 16384,
             use_cache: bool = False,
             progress: Optional[Callable[[float, str], None]] = None,
             is_cancelled: Optional[Callable[[], bool]] = None) -> dict:
    """Score methods × levels. With use_cache, scores of the model-independent methods (baselines, oracle)
    measured by an earlier run on the same dataset are reused (each entry keeps its own timing)."""
    for m in methods:
        if m not in METHODS + EXTRA_METHODS:
            raise InputError(f"unknown method '{m}'", f"use some of {', '.join(METHODS + EXTRA_METHODS)}")
    for lv in levels:
        if lv not in LEVEL_NAMES:
            raise InputError(f"unknown level '{lv}'", f"use some of {', '.join(LEVEL_NAMES)}")
    index, get = load_dataset(dataset)
    n = len(index["samples"]) if limit is None else min(limit, len(index["samples"]))
    if n == 0:
        raise InputError(f"{dataset} holds no samples", "make one with: mmwb pc synth OUT --n 24 --seed 1234")
    import json
    caches = {}
    for m in methods:
        if m in CACHEABLE:
            cp = _cache_path(dataset, m, n_out)
            caches[m] = json.loads(cp.read_text()) if (use_cache and cp.exists()) else {}
    per: dict[tuple, list] = {}
    total = n * len(levels) * len(methods)
    done = 0
    for i in range(n):
        s = get(i)
        name = index["samples"][i]["name"]
        for lv in levels:
            x = s[f"in_{lv}"].astype(np.float64)
            for m in methods:
                check(is_cancelled)
                key = f"{name}/{lv}"
                if m in caches and key in caches[m]:
                    entry = caches[m][key]
                else:
                    t0 = time.perf_counter()
                    pred = run_method(m, x, s["image"], s["oracle"], n_out)
                    dt = time.perf_counter() - t0
                    sc = score(pred, s["gt"])
                    entry = {"sample": i, "family": s["family"], "cd_l1": sc.cd_l1, "cd_l2": sc.cd_l2,
                             "fscore": sc.fscore, "seconds": dt}
                    if m in caches:
                        caches[m][key] = entry
                per.setdefault((m, lv), []).append(entry)
                done += 1
                if progress:
                    progress(done / total, f"{m} {lv} {i + 1}/{n}")
    for m, c in caches.items():
        cp = _cache_path(dataset, m, n_out)
        try:
            cp.parent.mkdir(exist_ok=True)
            cp.write_text(json.dumps(c))
        except OSError:
            pass
    rows = []
    for lv in levels:
        for m in methods:
            r = per[(m, lv)]
            rows.append({"method": m, "level": lv, "n": len(r),
                         "cd_l1": float(np.mean([a["cd_l1"] for a in r])),
                         "cd_l2": float(np.mean([a["cd_l2"] for a in r])),
                         "fscore": float(np.mean([a["fscore"] for a in r])),
                         "cd_l1_median": float(np.median([a["cd_l1"] for a in r])),
                         "seconds": float(np.mean([a["seconds"] for a in r]))})
    fams = sorted({a["family"] for v in per.values() for a in v})
    by_family = []
    for (m, lv), r in per.items():
        for f in fams:
            rf = [a for a in r if a["family"] == f]
            if rf:
                by_family.append({"method": m, "level": lv, "family": f, "n": len(rf),
                                  "cd_l1": float(np.mean([a["cd_l1"] for a in rf])),
                                  "fscore": float(np.mean([a["fscore"] for a in rf]))})
    return {"dataset": str(dataset), "seed": index.get("seed"), "split": index.get("split"), "samples": n,
            "points": n_out, "rows": rows, "by_family": by_family}


def format_table(res: dict) -> str:
    lines = [f"dataset {res['dataset']} (seed {res['seed']}, {res['samples']} shapes, {res['points']} output points)",
             f"{'level':9s} {'method':14s} {'CD-L1e3':>8s} {'CD-L2e3':>8s} {'F@1%':>6s} {'s/cloud':>8s}"]
    for r in res["rows"]:
        lines.append(f"{r['level']:9s} {r['method']:14s} {r['cd_l1']:8.2f} {r['cd_l2']:8.3f} {r['fscore']:6.3f} "
                     f"{r['seconds']:8.3f}")
    return "\n".join(lines)
