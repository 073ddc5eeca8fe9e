"""Training data for the point-cloud reconstructors, made on the fly from the training shape families:
one batch per step, deterministic in (seed, step), so a resumed run continues the same stream.

Per batch: one input level (clean / noisy / outliers / sparse, drawn with LEVEL_P), shapes degraded the
way `mmwb pc synth` degrades them, cleaned by the pipeline's outlier removal, normalised, and prepared
exactly as the ONNX pipeline prepares them (`inference.pointcloud.prepare`); the target of every input
point is the nearest point of a dense exact sample of the surface and its normal.
"""
from __future__ import annotations

import numpy as np
import torch
from scipy.spatial import cKDTree

from inference.pointcloud import ops
from inference.pointcloud.prepare import IMG_SIZE, image_input, prepare
from inference.pointcloud.shapes import TRAIN_FAMILIES, make_shape
from inference.pointcloud.synth import degrade, render

LEVEL_P = {"clean": 0.2, "noisy": 0.3, "outliers": 0.25, "sparse": 0.25}
VARIANTS = ("multimodal", "points_only")
SOR = dict(nb=16, std_ratio=2.0)


def make_batch(step: int, seed: int, batch: int, target: int = 1, render_points: int = 30000,
               image_size: int = IMG_SIZE) -> dict:
    """One batch, all at one input level; deterministic in (seed, step)."""
    rng = np.random.default_rng([seed, step])
    level = rng.choice(list(LEVEL_P), p=list(LEVEL_P.values()))
    fams = list(TRAIN_FAMILIES)
    xs, surf, ims = [], [], []
    for _ in range(batch):
        shape = make_shape(fams[int(rng.integers(len(fams)))], rng)
        dense, dn = shape.sample(render_points, rng)
        img = image_input(render(dense, dn), image_size)
        x = degrade(dense[rng.permutation(len(dense))[:8192]], level, rng).astype(np.float64)
        x = x[ops.statistical_outlier_removal(x, **SOR)]
        xn, c, s = ops.normalize(x)
        xs.append(xn)
        surf.append(((dense - c) / s, dn))
        ims.append(img)
    n = min(len(x) for x in xs)
    xs = [x[ops.random_subsample(x, n, rng)] for x in xs]
    preps = [prepare(x, target) for x in xs]
    out = {k: torch.from_numpy(np.concatenate([p[k] for p in preps])) for k in preps[0] if k != "seeds"}
    out["seeds"] = torch.from_numpy(preps[0]["seeds"])
    out["image"] = torch.from_numpy(np.concatenate(ims))
    # per input point: the nearest point of the dense exact sample and its normal (the target's tangent plane)
    near = [cKDTree(d).query(x, k=1)[1] for x, (d, _) in zip(xs, surf)]
    out["target"] = torch.from_numpy(np.stack([d[j] for j, (d, _) in zip(near, surf)]).astype(np.float32))
    out["target_n"] = torch.from_numpy(np.stack([nn[j] for j, (_, nn) in zip(near, surf)]).astype(np.float32))
    out["level"] = str(level)
    return out


def model_inputs(b: dict, multimodal: bool, pixel: bool = False) -> list:
    args = [b["points"], b["frames"], b["centers_idx"], b["group_idx"], b["local_idx"], b["interp_idx"], b["interp_w"],
            b["seeds"], b["mls"]]
    if multimodal:
        args.append(b["image"])
        if pixel:
            args.append(b["pix"])
    return args
