"""The default reconstruction pipeline: a cloud (+ an optional view) in, a dense clean cloud out.

    statistical outlier removal (classical)
      → normalise to the unit sphere
      → learned stage (ONNX `pc-multimodal` or `pc-points-only`): every input point is moved onto the
        surface and emits r new points around itself (r = ⌈2.5 · target / n⌉ − 1: an over-complete set).
        Inside the graph a point moves by a learned per-point blend of "stay put" and three classical
        moving-least-squares estimates (12, 24, 48 neighbours; computed in prepare.py) plus a learned
        residual in its PCA frame; the new points sit on a disc of seeds in its tangent plane, one mean
        neighbour distance wide. The per-point head reads FPS+KNN patch tokens (and, for pc-multimodal,
        the view's image tokens through cross-attention and the view's pixel-aligned CNN features)
      → surface (classical): optionally (`smooth`) one more moving-least-squares pass over the moved
        points (SMOOTH_K neighbours; for scans noisier than the training data), then every new point is
        projected onto the quadric patch (PATCH_K neighbours) of its nearest moved point
      → blue-noise selection of exactly `points` (sample elimination: of each closest pair one point is
        dropped, new points before input points), because evenly spread points cover the surface better
        than random ones
      → back to the user's units.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

from inference.runtime.cancel import CancelToken, check
from inference.runtime.errors import InputError, ModelError

from . import ops
from .io import PointCloud
from .prepare import image_input, prepare

TASK = "pointcloud-reconstruction"
DEFAULT_MODEL = "pc-multimodal"
MODELS = ("pc-multimodal", "pc-points-only")
CLASSICAL = "classical"  # the pipeline with the learned stage replaced by one MLS pass (ablation, no model file)
MAX_INPUT = 8192       # larger inputs are first reduced by farthest point sampling
MIN_INPUT = 32
VIEW_IMAGE_HINT = "give a PNG or JPEG view of the object"
VIEW_CONTRACT = ("pc-multimodal reads the view as an orthographic render looking along (1, 0.8, 1.2) at the cloud "
                 "normalised to the unit sphere, ±1.1 wide (what `mmwb pc synth` writes); a view that does not "
                 "match makes it worse than pc-points-only (about 2% on CD-L1, bench/pc_view_mismatch.py), so "
                 "use pc-points-only for other photos")
SMOOTH_K = 24          # neighbours of the optional moving-least-squares pass over the moved points
PATCH_K = 16           # neighbours of the quadric patches the new points are projected onto
OVERSAMPLE = 2.5       # candidates per output point handed to the blue-noise selection


@dataclass
class ReconResult:
    xyz: np.ndarray                  # (points, 3) in the input's units
    n_input: int
    n_used: int                      # after outlier removal / reduction
    model: str
    provider: str
    seconds: dict = field(default_factory=dict)
    notes: list = field(default_factory=list)
    removed: np.ndarray | None = None   # (k, 3) points removed as outliers

    def cloud(self) -> PointCloud:
        return PointCloud(self.xyz)


def _session(name: str):
    from inference.runtime.registry import get_registry
    return get_registry().session(name)


def classical_stage(xn: np.ndarray, target: int) -> tuple[np.ndarray, np.ndarray, str]:
    """What the learned stage does with all its residuals at zero and its choice fixed: every point moves
    onto the MLS quadric of its SMOOTH_K neighbours; r new points on a sunflower disc in its tangent
    plane, one mean neighbour distance wide. The evaluator's `classical` row."""
    from scipy.spatial import cKDTree

    from .prepare import LOCAL_K, local_frames, num_new_per_point
    moved = ops.mls_smooth(xn, SMOOTH_K, 1)
    d, loc = cKDTree(moved).query(moved, k=min(LOCAL_K, len(moved)))
    fr = local_frames(moved, loc).astype(np.float64)
    spacing = d[:, 1:].mean(1)
    seeds = ops.sunflower_seeds(num_new_per_point(len(moved), target)).astype(np.float64)
    disc = np.einsum("rd,ndc->nrc", seeds, fr[:, :2]) * spacing[:, None, None]
    return moved, (moved[:, None] + disc).reshape(-1, 3), "numpy (no model)"


def model_feeds(sess, xn: np.ndarray, image: np.ndarray | None, target: int) -> dict:
    """The inputs a reconstructor session declares, for one normalised cloud (the view resized to the
    model's declared image size; zeros when there is no view)."""
    feeds = prepare(xn, target)
    names = {s.name for s in sess.spec.inputs}
    if "image" in names:
        shape = next(s.shape for s in sess.spec.inputs if s.name == "image")
        feeds["image"] = image_input(image, shape[-1] if isinstance(shape[-1], int) else 64)
    return {k: v for k, v in feeds.items() if k in names}


def learned_stage(xn: np.ndarray, image: np.ndarray | None, model: str, target: int,
                  cancel: CancelToken | None = None) -> tuple[np.ndarray, np.ndarray, str]:
    """Run the ONNX model on a normalised cloud → (moved (N,3), added (N·r,3), provider)."""
    if model == CLASSICAL:
        return classical_stage(xn, target)
    sess = _session(model)
    out = sess.run(model_feeds(sess, xn, image, target), cancel=cancel)
    moved = out["moved"][0].astype(np.float64)
    added = out["added"][0].reshape(-1, 3).astype(np.float64)
    return moved, added, sess.provider


def reconstruct(cloud, image: np.ndarray | None = None, *, model: str = DEFAULT_MODEL, points: int = 16384,
                denoise: bool = True, sor_neighbours: int = 16, sor_std: float = 2.0, smooth: bool = False,
                progress: Optional[Callable[[float, str], None]] = None,
                is_cancelled: Optional[Callable[[], bool]] = None) -> ReconResult:
    """Reconstruct a dense cloud of exactly `points` points from a sparse / noisy one."""
    prog = progress or (lambda f, m="": None)
    xyz = cloud.xyz if isinstance(cloud, PointCloud) else np.asarray(cloud)
    xyz = ops.check_points(xyz, "input cloud")
    if len(xyz) < MIN_INPUT:
        raise InputError(f"the input cloud has only {len(xyz)} points", f"the reconstructor needs at least {MIN_INPUT}")
    if not (256 <= points <= 1_000_000):
        raise InputError(f"output size {points} is out of range", "choose between 256 and 1,000,000 points")
    if model not in MODELS and model != CLASSICAL:
        from inference.runtime.registry import get_registry
        get_registry().get(model)  # raises ModelNotFound with the list of known models
    notes: list[str] = []
    if image is None and model == "pc-multimodal":
        model = "pc-points-only"
        notes.append("no image given: used the points-only model")
    t = {}
    t0 = time.perf_counter()
    check(is_cancelled)
    prog(0.05, "removing outliers")
    removed = None
    if denoise:
        keep = ops.statistical_outlier_removal(xyz, sor_neighbours, sor_std)
        if keep.sum() < MIN_INPUT:
            keep[:] = True
            notes.append("outlier removal would leave too few points: skipped")
        removed = xyz[~keep]
        xyz_in = xyz[keep]
    else:
        xyz_in = xyz
    if len(xyz_in) > MAX_INPUT:
        xyz_in = xyz_in[ops.fps_open3d(xyz_in, MAX_INPUT)]
        notes.append(f"input reduced to {MAX_INPUT} points by farthest point sampling")
    t["outliers"] = time.perf_counter() - t0
    xn, c, s = ops.normalize(xyz_in)
    check(is_cancelled)
    prog(0.2, "running the model")
    # a job's is_cancelled is a CancelToken: handing it to onnxruntime lets a cancel stop the run itself
    token = is_cancelled if isinstance(is_cancelled, CancelToken) else None
    t1 = time.perf_counter()
    moved, added, provider = learned_stage(xn, image, model, int(points * OVERSAMPLE), token)
    t["model"] = time.perf_counter() - t1
    if not (np.isfinite(moved).all() and np.isfinite(added).all()):
        raise ModelError("the model produced non-finite coordinates", "re-export the model; this is a bug")
    check(is_cancelled)
    prog(0.8, "fitting the surface")
    t3 = time.perf_counter()
    if smooth:
        moved = ops.mls_smooth(moved, SMOOTH_K, 1)
    frames, coef = ops.quadric_patches(moved, PATCH_K)
    added = ops.project_to_patches(added, moved, frames, coef)
    short = int(points * OVERSAMPLE) - len(moved) - len(added)
    if short > 0:  # r hit its cap (a very large output): more candidates, jittered and put back on the patches
        rng = np.random.default_rng(0)
        base = np.concatenate([moved, added])
        jitter = rng.normal(scale=0.5 * ops.mean_spacing(moved), size=(short, 3))
        extra = ops.project_to_patches(base[rng.choice(len(base), short)] + jitter, moved, frames, coef)
        added = np.concatenate([added, extra])
    t["surface"] = time.perf_counter() - t3
    check(is_cancelled)
    prog(0.9, "spreading the points evenly")
    t2 = time.perf_counter()
    allp = np.concatenate([moved, added])
    out = allp[ops.blue_noise_select(allp, points, protect=len(moved), is_cancelled=is_cancelled)]
    t["select"] = time.perf_counter() - t2
    t["total"] = time.perf_counter() - t0
    prog(1.0, "done")
    return ReconResult(ops.denormalize(out, c, s), len(xyz), len(xyz_in), model, provider, t, notes, removed)
