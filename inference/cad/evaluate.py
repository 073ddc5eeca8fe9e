"""DeepCAD's metrics: ACC_cmd, ACC_param, Chamfer distance (mean, median) and invalidity ratio.

* ACC_cmd: share of ground-truth rows whose command the prediction has at the same row.
* ACC_param: share of used parameters with |p̂ − p| < 3 (0..255 scale), on rows with the right command;
  the categorical ones (arc flag f, operation b, extent type u) must match exactly.
* CD: 2,000 surface points per shape, each cloud divided by its largest absolute coordinate (as in
  DeepCAD's evaluation); mean squared nearest-neighbour distance GT→prediction plus prediction→GT,
  reported ×10³, over the valid predictions.
* IR: share of predictions whose solid cannot be built, fails the kernel's check, or cannot be sampled.
"""
from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Callable

import numpy as np

from inference.runtime.cancel import check
from inference.runtime.errors import InputError

from . import seq as S
from .io import read_deepcad_json
from .metrics import acc_counts, chamfer, normalise_points


def load_dataset(path) -> tuple[Path, dict]:
    p = Path(path)
    idx = p / "index.json" if p.is_dir() else p
    if not idx.exists():
        raise InputError(f"{p} is not a CAD dataset (no index.json)",
                         "make one with `mmwb cad synth OUT --n 300 --seed 9000 --held-out`")
    try:
        index = json.loads(idx.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as e:
        raise InputError(f"cannot read {idx} ({e})", "re-create the dataset") from None
    if not isinstance(index, dict) or not isinstance(index.get("samples"), list):
        raise InputError(f"{idx} has no 'samples' list", "re-create the dataset with `mmwb cad synth`")
    return idx.parent, index


def evaluate(dataset, model: str | None = None, input: str | None = None, limit: int | None = None,
             n_points: int = 2000, candidates: int = 1, progress: Callable | None = None,
             is_cancelled: Callable | None = None) -> dict:
    """candidates=1: the most likely sequence (DeepCAD's protocol). candidates=k>1: the most likely of the
    k decoded candidates whose solid builds and passes the kernel check (what `mmwb cad generate` returns);
    a part is invalid only when all k fail."""
    from . import kernel
    from .model import image_to_candidates, text_to_candidates
    root, index = load_dataset(dataset)
    inputs = index.get("inputs", ["text"])
    if input is None:
        input = "image" if model and "image" in model else "text"
    if input not in inputs:
        raise InputError(f"the dataset has no '{input}' inputs (it has: {', '.join(inputs)})",
                         "pick --input " + " or ".join(inputs))
    if model is None:
        from .model import default_model
        model = default_model(input)
    scale = float(index.get("scale_mm", 64.0))
    samples = index["samples"][: limit or None]
    if not samples:
        raise InputError("the dataset has no samples", "make a dataset with --n 1 or more")
    tot = [0, 0, 0, 0]
    cds: list = []
    invalid = 0
    per_sample = []
    t0 = time.time()
    for k, smp in enumerate(samples):
        check(is_cancelled)
        gt_seq = read_deepcad_json(root / smp["json"])
        gt_vec = S.to_vec(gt_seq, scale)
        if input == "text":
            cands = text_to_candidates(smp["texts"][0], model=model, n_candidates=candidates)
        else:
            if not smp.get("images"):
                raise InputError(f"sample {smp['id']} has no image", "re-create the dataset with views")
            cands = image_to_candidates(str(root / smp["images"][0]), size_mm=50.0, model=model,
                                              n_candidates=candidates)
        c, solid = cands[0], None
        if candidates > 1:
            for cc in cands:
                try:
                    ss = kernel.build(cc.seq) if cc.seq is not None else None
                except InputError:
                    ss = None
                if ss is not None and ss.valid:
                    c, solid = cc, ss
                    break
        counts = acc_counts(gt_vec, c.vec)
        for i in range(4):
            tot[i] += counts[i]
        ok, cd, why = False, None, c.error
        if c.seq is not None:
            try:
                solid = solid or kernel.build(c.seq)
                if solid.valid:
                    gt_pts = kernel.sample_surface(kernel.build(gt_seq), n_points, seed=k)
                    pr_pts = kernel.sample_surface(solid, n_points, seed=k)
                    cd = chamfer(normalise_points(gt_pts), normalise_points(pr_pts)) * 1e3
                    ok = True
                else:
                    why = solid.why_invalid()
            except InputError as e:
                why = e.one_line()
        if ok:
            cds.append(cd)
        else:
            invalid += 1
        per_sample.append({"id": smp["id"], "family": smp.get("family"), "valid": ok, "cd": cd,
                           "cmd_ok": counts[0] == counts[1], "error": why})
        if progress:
            progress((k + 1) / len(samples), f"{k + 1}/{len(samples)} parts")
    n = len(samples)
    return {
        "model": model, "input": input, "n": n,
        "acc_cmd": tot[0] / max(tot[1], 1), "acc_param": tot[2] / max(tot[3], 1),
        "cd_mean": float(np.mean(cds)) if cds else None, "cd_median": float(np.median(cds)) if cds else None,
        "invalid_ratio": invalid / n, "seconds": round(time.time() - t0, 1), "candidates": candidates,
        "samples": per_sample,
    }
