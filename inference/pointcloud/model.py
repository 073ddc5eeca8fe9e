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
      → a noise-free input (ops.noise_level below CLEAN_NOISE: clean samples, sharp edges and thin walls
        included) keeps its points exactly where they are instead of the moved ones: on clean samples any
        move can only take a point off the surface
      → surface (classical): optionally (`smooth`) one more moving-least-squares pass over the moved
        points (SMOOTH_K neighbours; for scans noisier than the training data); new points halfway along
        the edges between neighbouring points that run along the surface (ops.edge_midpoints; a second
        round along the edges of the points and those midpoints when more are wanted), and the
        learned stage's disc points projected onto the sheet-aware quadric patch (PATCH_K neighbours; a
        thin wall's two sides are fitted apart) of their nearest point, dropped where the patch bends
        steeply (past a sharp edge, the tip of a thin part)
      → blue-noise selection of exactly `points` (sample elimination: of each closest pair one point is
        dropped: a new point before an input point, a disc point before a second-round midpoint before
        a first-round one), because evenly
        spread points cover the surface better than random ones; the midpoints lie closest to the
        surface, the disc points fill the holes of unevenly sampled input that midpoints cannot
      → back to the user's units.

Inputs above MAX_INPUT points (after outlier removal: scenes, LiDAR frames, large scans) are densified
region by region (`reconstruct_tiled`): space is cut into boxes of at most TILE_CORE points (median splits
along the longest side), each box is run through the steps above together with a halo of its neighbours'
points (so its patches see across the border), and it keeps only the output points that lie inside its own
box: every output point is owned by exactly one tile, so tiles meet without gaps or duplicates. The output
size is the user's: ×R the input's points (`upsample`), points about `spacing` apart, or an exact count; it is
never smaller than the input unless `allow_fewer`. Memory stays bounded (one tile at a time, chunked
neighbour queries); progress is reported and cancel checked between tiles. Colour, normals and scalar fields
(e.g. LiDAR intensity) of the input are carried to the output (`transfer_attributes`).
"""
from __future__ import annotations

import math
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
MAX_INPUT = 8192       # larger inputs are densified tile by tile (or, with allow_fewer, reduced by FPS)
MIN_INPUT = 32
VIEW_IMAGE_HINT = "give a PNG or JPEG view of the object"
VIEW_CONTRACT = ("pc-multimodal reads the view as an orthographic render looking along (1, 0.8, 1.2) at the cloud "
                 "normalised to the unit sphere, ±1.1 wide (what `mmwb pc synth` writes); a view that does not "
                 "match makes it worse than pc-points-only (about 2% on CD-L1, bench/pc_view_mismatch.py), so "
                 "use pc-points-only for other photos")
SMOOTH_K = 24          # neighbours of the optional moving-least-squares pass over the moved points
PATCH_K = 16           # neighbours of the quadric patches the new points are projected onto
CLEAN_NOISE = 0.03     # below this noise level (ops.noise_level) the input points are kept where they are
MID_K = 6              # each point's nearest neighbours whose edges get a midpoint (ops.edge_midpoints)
DISC_SLOPE = 0.3       # a tangent-disc point the patch bends more steeply than this under is dropped
OVERSAMPLE = 2.5       # candidates per output point handed to the blue-noise selection
DEFAULT_POINTS = 16384  # output of an object-sized input when the user gives no size
DEFAULT_UPSAMPLE = 4.0  # output of a large input when the user gives no size: ×4 its points
TILE_CORE = 6000       # most input points a tile owns (its halo fills it up to MAX_INPUT)
HALO_SPACINGS = 4.0    # halo width around a tile's box, in mean neighbour spacings of its points
MAX_OUTPUT = 50_000_000
TILE_OVERSAMPLE = 1.6  # candidates per output point in a tile (fewer than OVERSAMPLE: large inputs are dense)


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
    colors: np.ndarray | None = None    # the input's attributes carried over to each output point
    normals: np.ndarray | None = None
    scalars: dict = field(default_factory=dict)
    tiles: int = 0                      # regions a large input was densified in (0: in one piece)

    def cloud(self) -> PointCloud:
        return PointCloud(self.xyz, self.colors, self.normals, dict(self.scalars))


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


def _output_size(n_input: int, n_used: int, xyz: np.ndarray, points, upsample, spacing) -> tuple[int | None, str]:
    """The total output size the user asked for (None: decided per tile, for `spacing`) and how it was chosen."""
    given = [k for k, v in (("points", points), ("upsample", upsample), ("spacing", spacing)) if v is not None]
    if len(given) > 1:
        raise InputError(f"{' and '.join(given)} were both given", "choose the output size one way: a point count, "
                         "an upsampling ratio or a spacing")
    if points is not None:
        return int(points), "points"
    if upsample is not None:
        if not (0 < upsample <= 64):
            raise InputError(f"upsampling ratio {upsample:g} is out of range", "choose a ratio above 0 and up to 64")
        return int(math.ceil(upsample * n_input)), "upsample"
    if spacing is not None:
        if not (spacing > 0 and math.isfinite(spacing)):
            raise InputError(f"spacing {spacing:g} is not a positive distance", "give a spacing in the cloud's units")
        if n_used <= MAX_INPUT:
            return int(round(SPACING_FIT * surface_area(xyz) / (spacing * spacing * HEX_AREA))), "spacing"
        return None, "spacing"
    if n_used <= MAX_INPUT:
        return DEFAULT_POINTS, "default"
    return int(math.ceil(DEFAULT_UPSAMPLE * n_input)), "default"


HEX_AREA = 0.5 * math.sqrt(3)  # surface per point of a hexagonal packing with unit spacing
SPACING_FIT = 0.38  # blue-noise selection leaves a mean nearest-neighbour distance of ~0.62 of the hexagonal one
AREA_K = 8                      # neighbours of the local surface-area estimate


def surface_area(xyz: np.ndarray, tree=None) -> float:
    """Rough area of the surface a cloud samples: each point covers the disc of its AREA_K nearest neighbours
    shared among them (π r_k² / k). Within ~20% on evenly and randomly sampled surfaces."""
    from scipy.spatial import cKDTree
    tree = cKDTree(xyz) if tree is None else tree
    k = min(AREA_K, len(xyz) - 1)
    d, _ = tree.query(xyz, k=k + 1)
    return float(np.sum(math.pi * d[:, -1] ** 2 / k))


def reconstruct(cloud, image: np.ndarray | None = None, *, model: str = DEFAULT_MODEL, points: int | None = None,
                upsample: float | None = None, spacing: float | None = None, allow_fewer: bool = False,
                denoise: bool = True, sor_neighbours: int = 16, sor_std: float = 2.0, smooth: bool = False,
                progress: Optional[Callable[[float, str], None]] = None,
                is_cancelled: Optional[Callable[[], bool]] = None) -> ReconResult:
    """Reconstruct a dense cloud from a sparse / noisy one, of any size.

    Output size: `points` (exactly that many), `upsample` (×R the input's points) or `spacing` (points about
    that far apart), at most one of them; none: DEFAULT_POINTS for an object-sized input, ×DEFAULT_UPSAMPLE for
    a larger one. An object-sized input (≤ MAX_INPUT points after outlier removal) is reconstructed in one
    piece; a larger one tile by tile, never to fewer points than it has unless `allow_fewer` (then it is
    reduced by farthest point sampling as a whole). A PointCloud's colours, normals and scalar fields are
    carried to the output."""
    pc = cloud if isinstance(cloud, PointCloud) else None
    xyz = cloud.xyz if pc is not None else np.asarray(cloud)
    xyz = ops.check_points(xyz, "input cloud")
    if len(xyz) < MIN_INPUT:
        raise InputError(f"the input cloud has only {len(xyz)} points", f"the reconstructor needs at least {MIN_INPUT}")
    if model not in MODELS and model != CLASSICAL:
        from inference.runtime.registry import get_registry
        get_registry().get(model)  # raises ModelNotFound with the list of known models
    prog = progress or (lambda f, m="": None)
    check(is_cancelled)
    prog(0.02, "removing outliers")
    t0 = time.perf_counter()
    notes: list[str] = []
    removed = None
    if denoise:
        if len(xyz) > MAX_INPUT:   # a scene: judged against its own neighbourhood (ratio 3 at the default 2.0)
            keep = ops.local_outlier_removal(xyz, sor_neighbours, 1.0 + sor_std)
        else:
            keep = ops.statistical_outlier_removal(xyz, sor_neighbours, sor_std)
        if keep.sum() < MIN_INPUT:
            keep[:] = True
            notes.append("outlier removal would leave too few points: skipped")
        removed = xyz[~keep]
        xyz_in = xyz[keep] if len(removed) else xyz
    else:
        xyz_in = xyz
    t_out = time.perf_counter() - t0
    total, how = _output_size(len(xyz), len(xyz_in), xyz_in, points, upsample, spacing)
    large = len(xyz_in) > MAX_INPUT
    if total is not None and total < len(xyz):
        if large and not allow_fewer:
            raise InputError(f"{total:,} output points would be fewer than the input's {len(xyz):,}",
                             "ask for more (an upsampling ratio such as ×4, or a smaller spacing), or allow a "
                             "smaller output explicitly (CLI: --allow-fewer)")
        notes.append(f"the output ({total:,} points) has fewer points than the input ({len(xyz):,})")
    if total is not None and large and total >= len(xyz):
        if total > MAX_OUTPUT:
            raise InputError(f"output size {total:,} is out of range", f"choose at most {MAX_OUTPUT:,} points")
        res = reconstruct_tiled(xyz_in, model=model, total=total, smooth=smooth, progress=prog,
                                is_cancelled=is_cancelled)
    elif total is None:
        res = reconstruct_tiled(xyz_in, model=model, spacing=spacing, allow_fewer=allow_fewer, smooth=smooth,
                                progress=prog, is_cancelled=is_cancelled)
    else:
        if how != "points":
            total = max(total, 256)
        if not (256 <= total <= 1_000_000):
            raise InputError(f"output size {total} is out of range", "choose between 256 and 1,000,000 points")
        res = _reconstruct_one(xyz_in, image, model=model, points=total, smooth=smooth, progress=prog,
                               is_cancelled=is_cancelled)
    res.n_input = len(xyz)
    res.removed = removed
    res.notes = notes + res.notes
    res.seconds["outliers"] = res.seconds.get("outliers", 0.0) + t_out
    res.seconds["total"] = res.seconds.get("total", 0.0) + t_out
    if pc is not None and (pc.colors is not None or pc.normals is not None or pc.scalars):
        check(is_cancelled)
        prog(0.98, "carrying colours and fields over")
        t4 = time.perf_counter()
        res.colors, res.normals, res.scalars = transfer_attributes(pc, res.xyz)
        res.seconds["attributes"] = time.perf_counter() - t4
        res.seconds["total"] += res.seconds["attributes"]
    prog(1.0, "done")
    return res


def _reconstruct_one(xyz_in: np.ndarray, image: np.ndarray | None, *, model: str, points: int, smooth: bool,
                     progress, is_cancelled) -> ReconResult:
    """An object-sized cloud (outliers already removed) in one piece → exactly `points` points."""
    prog = progress
    notes: list[str] = []
    if image is None and model == "pc-multimodal":
        model = "pc-points-only"
        notes.append("no image given: used the points-only model")
    t = {}
    t0 = time.perf_counter()
    n_used = len(xyz_in)
    if len(xyz_in) > MAX_INPUT:  # only when the user allowed a smaller output
        xyz_in = xyz_in[ops.fps_open3d(xyz_in, MAX_INPUT)]
        notes.append(f"input reduced to {MAX_INPUT} points by farthest point sampling (a smaller output was allowed)")
        n_used = MAX_INPUT
    t["outliers"] = time.perf_counter() - t0
    xn, c, s = ops.normalize(xyz_in)
    check(is_cancelled)
    prog(0.2, "running the model")
    # a job's is_cancelled is a CancelToken: handing it to onnxruntime lets a cancel stop the run itself
    token = is_cancelled if isinstance(is_cancelled, CancelToken) else None
    t1 = time.perf_counter()
    moved, added, provider = learned_stage(xn, image, model, int(points * OVERSAMPLE), token)
    t["model"] = time.perf_counter() - t1
    check(is_cancelled)
    prog(0.8, "fitting the surface")
    t3 = time.perf_counter()
    moved, level = _keep_clean_input(xn, moved)
    if level is not None:
        notes.append(f"the input looks noise-free (noise level {level:.3f} of the point spacing): its points "
                     "were kept where they are")
    moved, added, pri = _surface(moved, added, int(points * OVERSAMPLE), smooth)
    t["surface"] = time.perf_counter() - t3
    check(is_cancelled)
    prog(0.9, "spreading the points evenly")
    t2 = time.perf_counter()
    allp = np.concatenate([moved, added])
    out = allp[ops.blue_noise_select(allp, points, protect=len(moved), is_cancelled=is_cancelled,
                                     priority=np.concatenate([np.zeros(len(moved), np.int64), pri]))]
    t["select"] = time.perf_counter() - t2
    t["total"] = time.perf_counter() - t0
    return ReconResult(ops.denormalize(out, c, s), len(xyz_in), n_used, model, provider, t, notes)


def _keep_clean_input(xn: np.ndarray, moved: np.ndarray) -> tuple[np.ndarray, float | None]:
    """(The input points themselves, their noise level) when the input looks noise-free (ops.noise_level below
    CLEAN_NOISE), (the learned stage's moved points, None) otherwise: on clean samples any move can only take a
    point off the surface (on PU-GAN's meshes the learned stage moved clean Poisson-disk samples by 0.8–8×10⁻³
    of the radius)."""
    level = ops.noise_level(xn)
    if level < CLEAN_NOISE:
        return xn.astype(np.float64), level
    return moved, None


def _surface(moved: np.ndarray, added: np.ndarray, want: int, smooth: bool, second_round: bool = True
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The classical surface step → (moved, new points, their selection priority). Optional MLS pass; new
    points halfway along the edges between neighbouring moved points (priority 2: on an evenly sampled
    surface they are the closest to it), when more are wanted a second round halfway along the edges of
    the moved points and those midpoints (priority 1; PU-GAN ×16 P2F 2.256 → 2.133×10⁻³, ×4 1.879 → 1.843)
    and the learned stage's tangent-disc points projected onto the sheet-aware quadric patches of the moved
    points (priority 0: they fill holes the midpoints cannot), those the patch bends steeply under dropped;
    more jittered candidates when too few are left. Tiles of a large scan skip the second round
    (`second_round=False`): it would double a 120k-point LiDAR frame's time (12.9 → 28.4 s at ×4)."""
    if not (np.isfinite(moved).all() and np.isfinite(added).all()):
        raise ModelError("the model produced non-finite coordinates", "re-export the model; this is a bug")
    if smooth:
        moved = ops.mls_smooth(moved, SMOOTH_K, 1)
    frames, coef = ops.quadric_patches(moved, PATCH_K, sheets=True)
    mids = ops.edge_midpoints(moved, frames, coef, MID_K)
    mids2 = np.zeros((0, 3))
    if second_round and want > len(moved) + len(mids):   # along the edges of the points and their midpoints
        both = np.concatenate([moved, mids])
        fb, cb = ops.quadric_patches(both, PATCH_K, sheets=True)
        mids2 = ops.edge_midpoints(both, fb, cb, MID_K)
    added = ops.project_to_patches(added, moved, frames, coef, max_slope=DISC_SLOPE)
    short = want - len(moved) - len(mids) - len(mids2) - len(added)
    if short > 0:
        rng = np.random.default_rng(0)
        base = np.concatenate([moved, mids, mids2, added])
        jitter = rng.normal(scale=0.5 * ops.mean_spacing(moved), size=(short, 3))
        extra = ops.project_to_patches(base[rng.choice(len(base), short)] + jitter, moved, frames, coef)
        added = np.concatenate([added, extra])
    priority = np.concatenate([np.full(len(mids), 2, np.int64), np.ones(len(mids2), np.int64),
                               np.zeros(len(added), np.int64)])
    return moved, np.concatenate([mids, mids2, added]), priority


# ------------------------------------------------------------------------------------ large inputs
def split_tiles(xyz: np.ndarray, core: int = TILE_CORE) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Cut space into axis-aligned boxes holding at most `core` points each (median split of the longest side).
    Returns [(indices, lo (3,), hi (3,))]; the boxes partition space (the outer ones reach ±inf) and a point
    belongs to the box with lo ≤ p < hi."""
    out = []
    stack = [(np.arange(len(xyz)), np.full(3, -np.inf), np.full(3, np.inf))]
    while stack:
        idx, lo, hi = stack.pop()
        if len(idx) <= core:
            out.append((idx, lo, hi))
            continue
        p = xyz[idx]
        ax = int(np.argmax(p.max(0) - p.min(0)))
        v = float(np.partition(p[:, ax], len(p) // 2)[len(p) // 2])
        left = p[:, ax] < v
        if left.all() or not left.any():  # every point on one value: cannot split further
            out.append((idx, lo, hi))
            continue
        hl, lr = hi.copy(), lo.copy()
        hl[ax] = lr[ax] = v
        stack.append((idx[~left], lr, hi))
        stack.append((idx[left], lo, hl))
    return out


def _in_box(p: np.ndarray, lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    return ((p >= lo) & (p < hi)).all(1)


def _tile_input(xyz: np.ndarray, tree, idx: np.ndarray, lo: np.ndarray, hi: np.ndarray, spacing: float
                ) -> np.ndarray:
    """A tile's points: its own (first) and a halo of HALO_SPACINGS spacings around its box, nearest first,
    up to MAX_INPUT in all."""
    own = xyz[idx]
    m = HALO_SPACINGS * spacing
    blo, bhi = own.min(0) - m, own.max(0) + m
    cand = np.asarray(tree.query_ball_point((blo + bhi) / 2, float((bhi - blo).max() / 2), p=np.inf), np.int64)
    cand = cand[_in_box(xyz[cand], np.maximum(lo - m, blo), np.minimum(hi + m, bhi))]
    cand = cand[~_in_box(xyz[cand], lo, hi)]
    room = MAX_INPUT - len(idx)
    if len(cand) > room:  # keep the halo points nearest the box
        q = xyz[cand]
        gap = np.linalg.norm(np.maximum(np.maximum(lo - q, q - hi), 0), axis=1)
        cand = cand[np.argsort(gap, kind="stable")[:room]]
    return np.concatenate([own, xyz[cand]])


def _seam_points(parts: list, lo: np.ndarray, hi: np.ndarray, w: float) -> np.ndarray:
    """Output points of finished tiles within w of the box lo…hi."""
    elo, ehi = lo - w, hi + w
    got = [p[_in_box(p, elo, ehi)] for plo, phi, p in parts if (plo <= ehi).all() and (phi >= elo).all()]
    return np.concatenate(got) if got else np.zeros((0, 3))


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Integers proportional to weights summing exactly to total (largest remainder)."""
    share = total * weights / weights.sum()
    base = np.floor(share).astype(np.int64)
    rest = total - int(base.sum())
    if rest > 0:
        base[np.argsort(-(share - base), kind="stable")[:rest]] += 1
    return base


def reconstruct_tiled(xyz: np.ndarray, *, model: str, total: int | None = None, spacing: float | None = None,
                      allow_fewer: bool = False, smooth: bool = False, progress=None,
                      is_cancelled=None) -> ReconResult:
    """Densify a large cloud (outliers already removed) region by region: `total` points in all (shared among
    the tiles by their point counts), or points about `spacing` apart (each tile's count from its own
    surface area; at least its input points unless allow_fewer). See the module docstring."""
    from scipy.spatial import cKDTree
    prog = progress or (lambda f, m="": None)
    if model == "pc-multimodal":
        model = "pc-points-only"
    notes = []
    t0 = time.perf_counter()
    tree = cKDTree(xyz)
    tiles = split_tiles(xyz)
    counts = np.array([len(i) for i, _, _ in tiles], np.float64)
    if total is not None:
        targets = _allocate(total, counts)
    t_split = time.perf_counter() - t0
    token = is_cancelled if isinstance(is_cancelled, CancelToken) else None
    parts = []
    clean_tiles = 0
    provider = ""
    secs = {"split": t_split, "model": 0.0, "surface": 0.0, "select": 0.0}
    for k, (idx, lo, hi) in enumerate(tiles):
        check(is_cancelled)
        prog(0.05 + 0.9 * k / len(tiles), f"tile {k + 1}/{len(tiles)}")
        own = xyz[idx]
        d, _ = tree.query(own, k=AREA_K + 1)
        sp = float(d[:, 1].mean())
        if total is not None:
            want = int(targets[k])
        else:
            area = float(np.sum(math.pi * d[:, -1] ** 2 / AREA_K))
            want = int(round(SPACING_FIT * area / (spacing * spacing * HEX_AREA)))
            if not allow_fewer:
                want = max(want, len(idx))
        want = max(want, 1)
        tin = _tile_input(xyz, tree, idx, lo, hi, sp)
        xn, c, s = ops.normalize(tin)
        # candidates for the whole tile (box + halo) in proportion to its points
        cand_n = int(math.ceil(want * TILE_OVERSAMPLE * len(tin) / len(idx)))
        t1 = time.perf_counter()
        moved, added, provider = learned_stage(xn, None, model, cand_n, token)
        t2 = time.perf_counter()
        moved, level = _keep_clean_input(xn, moved)
        clean_tiles += level is not None
        moved, added, pri = _surface(moved, added, cand_n, smooth, second_round=False)
        t3 = time.perf_counter()
        moved, added = ops.denormalize(moved, c, s), ops.denormalize(added, c, s)
        mi, ai = _in_box(moved, lo, hi), _in_box(added, lo, hi)
        allp = np.concatenate([moved[mi], added[ai]])
        pri = np.concatenate([np.zeros(int(mi.sum()), np.int64), pri[ai]])
        if len(allp) < want:  # a thin box the new points mostly left: top up around its points
            rng = np.random.default_rng(k)
            base = allp[rng.choice(len(allp), want - len(allp))]
            extra = base + rng.normal(scale=0.3 * sp, size=base.shape)
            allp = np.concatenate([allp, np.clip(extra, np.maximum(lo, own.min(0)),
                                                 np.nextafter(np.minimum(hi, own.max(0) + sp), -np.inf))])
            pri = np.concatenate([pri, np.zeros(len(extra), np.int64)])
        # the finished neighbours' points along this box's faces take part as fixed points, so that the
        # selection spreads the points evenly across the seam too (they are not part of this tile's output)
        fixed = _seam_points(parts, lo, hi, 2.0 * sp)
        nfix = len(fixed)
        sel = ops.blue_noise_select(np.concatenate([fixed, allp]), want + nfix, protect=nfix + int(mi.sum()),
                                    is_cancelled=is_cancelled, priority=np.concatenate([np.zeros(nfix, np.int64), pri]))
        parts.append((lo, hi, np.concatenate([fixed, allp])[sel[sel >= nfix][:want]]))  # (a fixed point dropped: one over)
        secs["model"] += t2 - t1
        secs["surface"] += t3 - t2
        secs["select"] += time.perf_counter() - t3
    out = np.concatenate([p for _, _, p in parts])
    secs["total"] = time.perf_counter() - t0
    notes.append(f"large input: densified in {len(tiles)} tiles of up to {TILE_CORE:,} points "
                 f"(with {model}; a view image is not used)")
    if clean_tiles:
        notes.append(f"{clean_tiles} of {len(tiles)} tiles looked noise-free: their points were kept where they are")
    return ReconResult(out, len(xyz), len(xyz), model, provider, secs, notes, tiles=len(tiles))


def transfer_attributes(pc: PointCloud, out: np.ndarray, k: int = 4, chunk: int = 200_000):
    """Colours, normals and scalar fields of `pc` for every output point, from its k nearest input points
    (inverse-distance weights; nearest value for integer fields such as labels or rings; normals re-normalised).
    Neighbour queries run in chunks so memory stays bounded."""
    from scipy.spatial import cKDTree
    tree = cKDTree(pc.xyz)
    k = min(k, len(pc))
    colors = None if pc.colors is None else np.empty((len(out), 3), np.uint8)
    normals = None if pc.normals is None else np.empty((len(out), 3), np.float32)
    scalars = {n: np.empty(len(out), np.float32) for n in pc.scalars}
    integer = {n: bool(np.all(np.mod(v[np.isfinite(v)], 1) == 0)) for n, v in pc.scalars.items()}
    for a in range(0, len(out), chunk):
        d, j = tree.query(out[a:a + chunk], k=k)
        if k == 1:
            d, j = d[:, None], j[:, None]
        w = 1.0 / np.maximum(d, 1e-12)
        w /= w.sum(1, keepdims=True)
        b = a + len(d)
        if colors is not None:
            colors[a:b] = np.clip(np.rint(np.einsum("nk,nkc->nc", w, pc.colors[j].astype(np.float64))), 0, 255)
        if normals is not None:
            nb = pc.normals[j].astype(np.float64)
            ref = nb[:, :1]
            nb = np.where((nb * ref).sum(-1, keepdims=True) < 0, -nb, nb)  # orient like the nearest one
            v = np.einsum("nk,nkc->nc", w, nb)
            normals[a:b] = v / np.maximum(np.linalg.norm(v, axis=1, keepdims=True), 1e-12)
        for n, v in pc.scalars.items():
            scalars[n][a:b] = v[j[:, 0]] if integer[n] else np.einsum("nk,nk->n", w, v[j].astype(np.float64))
    return colors, normals, scalars
