"""Synthetic data: ground-truth dense clouds, rendered views and degraded inputs at named levels.

A dataset folder holds ``index.json`` and, per sample, ``NNNN.npz`` (arrays ``gt``, ``oracle``, ``image``
and one array per input level) and ``NNNN.png`` (the rendered view). All coordinates are in the
shape's normalised frame (centroid at 0, radius 1); noise σ and outlier boxes are relative to it.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Optional

import numpy as np

from inference.runtime.cancel import check
from inference.runtime.errors import InputError

from .shapes import ALL_FAMILIES, HELDOUT_FAMILIES, TRAIN_FAMILIES, make_shape

GT_POINTS = 16384
IMAGE_SIZE = 128
LEVELS = {
    # name: (points, noise sigma, outliers among them)
    "clean": (2048, 0.0, 0),
    "noisy": (2048, 0.01, 0),
    "outliers": (2048, 0.01, 60),
    "sparse": (512, 0.005, 0),
}
LEVEL_NAMES = tuple(LEVELS)

# the fixed camera of the rendered views: orthographic, looking along -VIEW_DIR, in the cloud's frame
VIEW_DIR = np.array([1.0, 0.8, 1.2]) / np.linalg.norm([1.0, 0.8, 1.2])


def view_basis() -> np.ndarray:
    """Rows: image-right, image-up, towards-camera."""
    z = VIEW_DIR
    up = np.array([0.0, 0.0, 1.0])
    x = np.cross(up, z)
    x /= np.linalg.norm(x)
    y = np.cross(z, x)
    return np.stack([x, y, z])


def render(points: np.ndarray, normals: np.ndarray, size: int = IMAGE_SIZE, extent: float = 1.1) -> np.ndarray:
    """Z-buffered splat rendering with Lambert shading of a dense oriented sample → uint8 (size, size)."""
    B = view_basis()
    q = points @ B.T
    nrm = normals @ B.T
    px = ((q[:, 0] + extent) / (2 * extent) * size).astype(np.int64)
    py = ((extent - q[:, 1]) / (2 * extent) * size).astype(np.int64)
    depth = -q[:, 2]  # smaller is nearer
    light = np.array([0.3, 0.5, 0.81])
    light /= np.linalg.norm(light)
    shade = 0.25 + 0.75 * np.abs(nrm @ light)
    zbuf = np.full(size * size, np.inf)
    img = np.zeros(size * size)
    for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
        x, y = px + dx, py + dy
        ok = (x >= 0) & (x < size) & (y >= 0) & (y < size)
        lin = y[ok] * size + x[ok]
        np.minimum.at(zbuf, lin, depth[ok])
    for dx, dy in ((0, 0), (1, 0), (0, 1), (1, 1)):
        x, y = px + dx, py + dy
        ok = (x >= 0) & (x < size) & (y >= 0) & (y < size)
        lin = y[ok] * size + x[ok]
        win = depth[ok] <= zbuf[lin] + 1e-9
        img[lin[win]] = shade[ok][win]
    return (np.clip(img, 0, 1) * 255).reshape(size, size).astype(np.uint8)


def degrade(surface: np.ndarray, level: str, rng: np.random.Generator) -> np.ndarray:
    """Make the input of a level from an independent surface sample (≥ the level's point count)."""
    if level not in LEVELS:
        raise InputError(f"unknown input level '{level}'", f"use one of {', '.join(LEVELS)}")
    n, sigma, n_out = LEVELS[level]
    idx = rng.choice(len(surface), size=n - n_out, replace=False)
    p = surface[idx] + (rng.normal(scale=sigma, size=(n - n_out, 3)) if sigma > 0 else 0.0)
    if n_out:
        lo, hi = surface.min(0), surface.max(0)
        p = np.concatenate([p, rng.uniform(lo, hi, size=(n_out, 3))])
        p = p[rng.permutation(len(p))]
    return p.astype(np.float32)


@dataclass
class Sample:
    family: str
    gt: np.ndarray          # (16384, 3) float32
    oracle: np.ndarray      # an independent (16384, 3) resample of the same surface
    image: np.ndarray       # (128, 128) uint8
    inputs: dict            # level -> (n, 3) float32


def make_sample(family: str, rng: np.random.Generator, levels=LEVEL_NAMES, oracle: bool = True) -> Sample:
    shape = make_shape(family, rng)
    gt, _ = shape.sample(GT_POINTS, rng)
    orc = shape.sample(GT_POINTS, rng)[0] if oracle else gt
    dense, dn = shape.sample(40000, rng)
    image = render(dense, dn)
    surf = dense[rng.permutation(len(dense))[:8192]]
    inputs = {lv: degrade(surf, lv, rng) for lv in levels}
    return Sample(family, gt.astype(np.float32), orc.astype(np.float32), image, inputs)


def families_for(split: str) -> list[str]:
    if split == "train":
        return list(TRAIN_FAMILIES)
    if split == "heldout":
        return list(HELDOUT_FAMILIES)
    if split == "test":  # held-out seed: all families, unseen ones included
        return list(ALL_FAMILIES)
    raise InputError(f"unknown split '{split}'", "use train, heldout or test")


def write_dataset(out: Path, n: int, seed: int, split: str = "test", write_ply: bool = False,
                  progress: Optional[Callable[[float, str], None]] = None,
                  is_cancelled: Optional[Callable[[], bool]] = None) -> dict:
    """Write n samples to `out`; families cycle through the split's list. Returns the index."""
    if n <= 0:
        raise InputError("the number of samples must be positive", "pass --n 1 or more")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    fams = families_for(split)
    rng = np.random.default_rng(seed)
    items = []
    for i in range(n):
        check(is_cancelled)
        fam = fams[i % len(fams)]
        s = make_sample(fam, np.random.default_rng(rng.integers(2 ** 63)))
        name = f"{i:04d}"
        np.savez_compressed(out / f"{name}.npz", gt=s.gt, oracle=s.oracle, image=s.image,
                            **{f"in_{k}": v for k, v in s.inputs.items()})
        import cv2
        cv2.imwrite(str(out / f"{name}.png"), s.image)
        if write_ply:
            from .io import PointCloud, write_cloud
            write_cloud(out / f"{name}_gt.ply", PointCloud(s.gt))
            for lv, v in s.inputs.items():
                write_cloud(out / f"{name}_{lv}.ply", PointCloud(v))
        items.append({"name": name, "family": fam, "train_family": fam in TRAIN_FAMILIES})
        if progress:
            progress((i + 1) / n, f"sample {i + 1}/{n} ({fam})")
    index = {"seed": seed, "split": split, "gt_points": GT_POINTS, "levels": {k: list(v) for k, v in LEVELS.items()},
             "image_size": IMAGE_SIZE, "view_dir": VIEW_DIR.tolist(), "samples": items}
    (out / "index.json").write_text(json.dumps(index, indent=1))
    return index


def load_dataset(folder: Path) -> tuple[dict, Callable[[int], dict]]:
    folder = Path(folder)
    idx_path = folder / "index.json"
    if not idx_path.exists():
        raise InputError(f"{folder} is not a point-cloud dataset (no index.json)",
                         "make one with: mmwb pc synth OUT --n 24 --seed 1234")
    index = json.loads(idx_path.read_text())

    def get(i: int) -> dict:
        item = index["samples"][i]
        with np.load(folder / f"{item['name']}.npz") as z:
            d = {k: z[k] for k in z.files}
        d["family"] = item["family"]
        return d

    return index, get
