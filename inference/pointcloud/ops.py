"""Point-cloud operations shared by the pipeline, the evaluator and training (numpy/scipy/open3d, no Qt/torch)."""
from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree

from inference.runtime.errors import InputError


def check_points(xyz: np.ndarray, what: str = "point cloud", min_points: int = 1) -> np.ndarray:
    """Validate an (N, 3) array: finite, non-empty. Returns float64 copy."""
    a = np.asarray(xyz)
    if a.ndim != 2 or a.shape[1] != 3:
        raise InputError(f"{what} must be an N×3 array of coordinates, got shape {a.shape}",
                         "pass x, y, z columns")
    if len(a) == 0:
        raise InputError(f"{what} is empty (0 points)", "open a file that contains points")
    bad = ~np.isfinite(a).all(axis=1)
    if bad.any():
        raise InputError(f"{what} has {int(bad.sum())} points with NaN or infinite coordinates "
                         f"(first at index {int(np.argmax(bad))})",
                         "remove invalid points first (e.g. organized clouds mark missing points with NaN)")
    if len(a) < min_points:
        raise InputError(f"{what} has only {len(a)} points", f"at least {min_points} are needed")
    return a.astype(np.float64)


def normalize(xyz: np.ndarray) -> tuple[np.ndarray, np.ndarray, float]:
    """Centre on the centroid and scale into the unit sphere. Returns (xyz_n, center, scale)."""
    c = xyz.mean(axis=0)
    s = float(np.linalg.norm(xyz - c, axis=1).max())
    if not math.isfinite(s) or s <= 0:
        raise InputError("all points coincide; the cloud has no extent", "check the file's coordinates")
    return (xyz - c) / s, c, s


def denormalize(xyz_n: np.ndarray, center: np.ndarray, scale: float) -> np.ndarray:
    return xyz_n * scale + center


def fps(xyz: np.ndarray, m: int, start: int = 0) -> np.ndarray:
    """Farthest point sampling indices (deterministic start index), numpy."""
    n = len(xyz)
    m = min(m, n)
    idx = np.empty(m, dtype=np.int64)
    d = np.full(n, np.inf)
    cur = start
    x = xyz.astype(np.float64)
    for i in range(m):
        idx[i] = cur
        dd = ((x - x[cur]) ** 2).sum(1)
        np.minimum(d, dd, out=d)
        cur = int(np.argmax(d))
    return idx


def fps_open3d(xyz: np.ndarray, m: int) -> np.ndarray:
    """Farthest point sampling via Open3D (C++), returned as indices into xyz."""
    import open3d as o3d
    pc = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(xyz.astype(np.float64)))
    sub = np.asarray(pc.farthest_point_down_sample(int(min(m, len(xyz)))).points)
    _, idx = cKDTree(xyz).query(sub)
    return idx.astype(np.int64)


def knn(ref: np.ndarray, query: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """k nearest neighbours of each query point among ref: (distances, indices)."""
    k = min(k, len(ref))
    d, i = cKDTree(ref).query(query, k=k, workers=1)
    if k == 1:
        d, i = d[:, None], i[:, None]
    return d, i.astype(np.int64)


def statistical_outlier_removal(xyz: np.ndarray, nb: int = 16, std_ratio: float = 2.0) -> np.ndarray:
    """Boolean mask of inliers (Open3D's rule: mean kNN distance below mean + std_ratio·std)."""
    if len(xyz) <= nb + 1:
        return np.ones(len(xyz), bool)
    d, _ = cKDTree(xyz).query(xyz, k=nb + 1)
    md = d[:, 1:].mean(1)
    return md <= md.mean() + std_ratio * md.std()


def local_outlier_removal(xyz: np.ndarray, nb: int = 16, ratio: float = 3.0) -> np.ndarray:
    """Boolean mask of inliers for scenes, whose density varies from place to place (a LiDAR frame's returns
    thin out with range): a point is an outlier when its mean kNN distance is over `ratio` times the median
    of its neighbours' own mean kNN distances. Scale-free and local, so sparse far returns, which are as
    sparse as their neighbours, are kept; the global rule above drops them."""
    if len(xyz) <= nb + 1:
        return np.ones(len(xyz), bool)
    tree, n, step = cKDTree(xyz), len(xyz), 65536   # in blocks: a 1M-point scan stays within ~100 MB here
    md = np.empty(n)
    nbr = np.empty((n, nb), np.int32)
    for s in range(0, n, step):
        d, i = tree.query(xyz[s:s + step], k=nb + 1, workers=1)
        md[s:s + step] = d[:, 1:].mean(1)
        nbr[s:s + step] = i[:, 1:]
    keep = np.empty(n, bool)
    for s in range(0, n, step):
        ref = np.median(md[nbr[s:s + step]], axis=1)
        keep[s:s + step] = md[s:s + step] <= ratio * np.maximum(ref, np.finfo(float).tiny)
    return keep


def mean_spacing(xyz: np.ndarray, k: int = 1) -> float:
    d, _ = cKDTree(xyz).query(xyz, k=k + 1)
    return float(d[:, 1:].mean())


def random_subsample(xyz: np.ndarray, m: int, rng: np.random.Generator) -> np.ndarray:
    if len(xyz) <= m:
        return np.arange(len(xyz))
    return np.sort(rng.choice(len(xyz), size=m, replace=False))


def voxel_subsample(xyz: np.ndarray, voxel: float) -> np.ndarray:
    """Indices of one point per occupied voxel (the first one)."""
    if voxel <= 0:
        raise InputError("voxel size must be positive", "give a size in the cloud's units")
    keys = np.floor((xyz - xyz.min(0)) / voxel).astype(np.int64)
    _, first = np.unique(keys, axis=0, return_index=True)
    return np.sort(first)


def sunflower_seeds(r: int) -> np.ndarray:
    """r points spread evenly over the unit disc (the folding seeds of the learned upsampler)."""
    j = np.arange(r) + 0.5
    rad = np.sqrt(j / r)
    a = j * math.pi * (3 - math.sqrt(5))
    return np.stack([rad * np.cos(a), rad * np.sin(a)], 1).astype(np.float32)


def quadric_patches(ref: np.ndarray, k: int = 20, neighbours: tuple[np.ndarray, np.ndarray] | None = None,
                    sheets: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """A local height field per point of `ref`: the PCA frame of its k nearest neighbours (rows t1, t2, n)
    and a Gaussian-weighted least-squares quadric h(u, v) = a0 + a1·u + a2·v + a3·u² + a4·uv + a5·v²
    in that frame, centred on the point. `neighbours` = (distances, indices) of a k-d tree query of ref
    on itself with at least k columns, to share one query between several k. With `sheets`, a neighbourhood
    that holds two sheets of surface (a thin wall, both sides sampled: the residuals about the first fit fall
    into two tight groups, see `_sheet_split`) is fitted again on the point's own sheet only, so that its
    patch does not run through the middle of the wall. Returns (frames (N, 3, 3), coefficients (N, 6))."""
    k = min(k, len(ref))
    d, nb = cKDTree(ref).query(ref, k=k) if neighbours is None else (neighbours[0][:, :k], neighbours[1][:, :k])
    fr, a, h, wt = _patch_system(ref, d, nb)
    coef = _fit_quadric(a, h, wt)
    if sheets and k >= 2 * SHEET_MIN:
        same, split = _sheet_split(h - np.einsum("nki,ni->nk", a, coef, optimize=True))
        if split.any():
            coef[split] = _fit_quadric(a[split], h[split], wt[split] * same[split])
    return fr, coef


def _patch_system(ref: np.ndarray, d: np.ndarray, nb: np.ndarray, at: np.ndarray | None = None):
    """PCA frames of the neighbourhoods nb (of the points ref[at], all of ref by default), the quadric design
    matrix and heights in each frame, and the Gaussian weights of the neighbours by distance."""
    q = ref[nb]
    p = q - q.mean(1, keepdims=True)
    cov = np.einsum("nki,nkj->nij", p, p, optimize=True)
    _, v = np.linalg.eigh(cov)
    fr = np.stack([v[:, :, 2], v[:, :, 1], v[:, :, 0]], 1)
    centre = ref if at is None else ref[at]
    rel = np.einsum("nkc,ndc->nkd", q - centre[:, None], fr, optimize=True)
    u, w, h = rel[..., 0], rel[..., 1], rel[..., 2]
    a = np.stack([np.ones_like(u), u, w, u * u, u * w, w * w], -1)
    bw = np.maximum(d[:, -1:], 1e-9) * 0.7
    return fr, a, h, np.exp(-(d / bw) ** 2)


def _fit_quadric(a: np.ndarray, h: np.ndarray, wt: np.ndarray) -> np.ndarray:
    ata = np.einsum("nki,nk,nkj->nij", a, wt, a, optimize=True) + 1e-9 * np.eye(6)
    atb = np.einsum("nki,nk,nk->ni", a, wt, h, optimize=True)
    return np.linalg.solve(ata, atb[..., None])[..., 0]


SHEET_GAP = 3.0   # two groups of residuals this many within-group deviations apart are two sheets
SHEET_MIN = 3     # ... when each group holds at least this many neighbours


def _sheet_split(r: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The best split of each row of residuals r (N, k; column 0 = the point itself) into a low and a high
    group (1-D two-means over the sorted values). Returns (same (N, k): the neighbour is in the point's own
    group, split (N,): the two groups are SHEET_GAP within-group deviations apart and each ≥ SHEET_MIN)."""
    n, k = r.shape
    order = np.argsort(r, 1)
    rs = np.take_along_axis(r, order, 1)
    cs, cs2 = np.cumsum(rs, 1), np.cumsum(rs * rs, 1)
    n1 = np.arange(1, k)
    s1, q1 = cs[:, :-1], cs2[:, :-1]
    s2, q2 = cs[:, -1:] - s1, cs2[:, -1:] - q1
    wss = (q1 - s1 ** 2 / n1) + (q2 - s2 ** 2 / (k - n1))
    b = wss.argmin(1)
    rows = np.arange(n)
    within = np.sqrt(np.maximum(wss[rows, b], 0) / k)
    gap = np.abs(s2[rows, b] / (k - 1 - b) - s1[rows, b] / (b + 1))
    split = (gap > SHEET_GAP * within) & (np.minimum(b + 1, k - 1 - b) >= SHEET_MIN)
    rank = np.argsort(order, 1)            # each neighbour's place in the sorted residuals
    low = rank <= b[:, None]
    same = np.where(low[:, :1], low, ~low)  # column 0 is the point itself
    return same, split


def noise_level(xyz: np.ndarray, k: int = 16, sample: int = 2048) -> float:
    """How noisy a cloud looks, in mean neighbour spacings: per point, the RMS of the smaller half of its
    neighbours' residuals about its own-sheet quadric patch (k neighbours); the cloud's value is the 25th
    percentile of that over `sample` points spread through the cloud's order (every point of a smaller
    cloud). Noise-free samples of a surface give about 0.00–0.02 (sharp edges and thin walls included: a
    wall's two sides are two clean sheets); Gaussian noise of σ = 0.1 / 0.2 / 0.3 mean spacings gives about
    0.016 / 0.03 / 0.05 on a sphere (the test suite checks the ends)."""
    if len(xyz) <= 2 * SHEET_MIN + 1:
        return 0.0
    k = min(k, len(xyz))
    at = np.linspace(0, len(xyz) - 1, min(len(xyz), sample)).astype(np.int64)  # an even share of the points
    d, nb = cKDTree(xyz).query(xyz[at], k=k)
    fr, a, h, wt = _patch_system(xyz, d, nb, at)
    coef = _fit_quadric(a, h, wt)
    r = h - np.einsum("nki,ni->nk", a, coef, optimize=True)
    same, split = _sheet_split(r)
    if split.any():
        coef[split] = _fit_quadric(a[split], h[split], wt[split] * same[split])
        r = h - np.einsum("nki,ni->nk", a, coef, optimize=True)
    small = np.sort(np.abs(r), 1)[:, : k // 2]
    spacing = max(float(d[:, 1].mean()), 1e-12)
    return float(np.percentile(np.sqrt((small ** 2).mean(1)), 25) / spacing)


MID_MAX_STEP = 0.25  # see edge_midpoints


def edge_midpoints(xyz: np.ndarray, frames: np.ndarray, coef: np.ndarray, k: int = 6, max_cos: float = 0.5,
                   max_step: float = MID_MAX_STEP) -> np.ndarray:
    """New points halfway along the edges to each point's k nearest neighbours (each edge once), leaving out
    edges that cross the surface rather than run along it: |cos| to either end's normal ≥ max_cos, the two
    normals more than 60° apart (a sharp edge), or either end more than max_step × the edge's length off
    the other's (sheet-aware) quadric patch (the other side of a thin wall). `frames`, `coef`: the points'
    patches (quadric_patches). On an evenly sampled surface these midpoints lie within the chord's sag of
    the surface, closer than points on a tangent disc."""
    if len(xyz) < 2:
        return np.zeros((0, 3))
    k = min(k, len(xyz) - 1)
    _, nb = cKDTree(xyz).query(xyz, k=k + 1)
    i = np.repeat(np.arange(len(xyz)), k)
    j = nb[:, 1:].ravel()
    e = np.unique(np.stack([np.minimum(i, j), np.maximum(i, j)], 1), axis=0)
    e = e[e[:, 0] != e[:, 1]]
    a, b = e[:, 0], e[:, 1]
    v = xyz[b] - xyz[a]
    length = np.linalg.norm(v, axis=1) + 1e-12
    n0, n1 = frames[a, 2], frames[b, 2]
    cos = np.maximum(np.abs((v * n0).sum(1)), np.abs((v * n1).sum(1))) / length
    step = np.maximum(_patch_offset(v, frames[a], coef[a]), _patch_offset(-v, frames[b], coef[b])) / length
    ok = (cos < max_cos) & (np.abs((n0 * n1).sum(1)) > 0.5) & (step < max_step)
    return 0.5 * (xyz[a[ok]] + xyz[b[ok]])


def _patch_offset(rel: np.ndarray, fr: np.ndarray, c: np.ndarray) -> np.ndarray:
    """|height − patch height| of points at offsets rel from their patch centres."""
    q = np.einsum("nc,ndc->nd", rel, fr, optimize=True)
    u, w = q[:, 0], q[:, 1]
    h = c[:, 0] + c[:, 1] * u + c[:, 2] * w + c[:, 3] * u * u + c[:, 4] * u * w + c[:, 5] * w * w
    return np.abs(q[:, 2] - h)


def project_to_patches(xyz: np.ndarray, ref: np.ndarray, frames: np.ndarray, coef: np.ndarray,
                       max_slope: float | None = None) -> np.ndarray:
    """Move each point onto the quadric patch of its nearest `ref` point (in that patch's frame). With
    `max_slope`, points whose patch height differs from the patch centre's by more than max_slope × their
    distance along the patch are dropped instead (the patch bends away there: past a sharp edge, the tip of
    a thin part), so fewer points may come back."""
    _, j = cKDTree(ref).query(xyz, k=1)
    fr, c = frames[j], coef[j]
    rel = np.einsum("nc,ndc->nd", xyz - ref[j], fr, optimize=True)
    u, w = rel[:, 0], rel[:, 1]
    h = c[:, 0] + c[:, 1] * u + c[:, 2] * w + c[:, 3] * u * u + c[:, 4] * u * w + c[:, 5] * w * w
    # an ill-conditioned fit (few or collinear neighbours) can shoot far off: no steeper than 45° from the
    # patch centre's own height
    lim = np.sqrt(u * u + w * w)
    if max_slope is not None:
        keep = np.abs(h - c[:, 0]) <= max_slope * lim
        j, fr, u, w, h = j[keep], fr[keep], u[keep], w[keep], h[keep]
        return ref[j] + u[:, None] * fr[:, 0] + w[:, None] * fr[:, 1] + h[:, None] * fr[:, 2]
    h = np.clip(h, c[:, 0] - lim, c[:, 0] + lim)
    return ref[j] + u[:, None] * fr[:, 0] + w[:, None] * fr[:, 1] + h[:, None] * fr[:, 2]


def mls_smooth(xyz: np.ndarray, k: int = 20, passes: int = 1) -> np.ndarray:
    """Moving-least-squares style smoothing: each point moves onto the quadric fitted around it."""
    x = xyz
    for _ in range(passes):
        if len(x) <= 6:
            return x
        fr, coef = quadric_patches(x, k)
        x = x + coef[:, :1] * fr[:, 2]
    return x


def blue_noise_select(xyz: np.ndarray, m: int, protect: int = 0, is_cancelled=None,
                      priority: np.ndarray | None = None) -> np.ndarray:
    """Indices of exactly m points spread as evenly as possible (sample elimination): in rounds, the
    points whose nearest neighbour is closest are dropped, one of each close pair; of a pair, a point
    among the first `protect` (e.g. input points) is kept, as long as they alone fit in m, and otherwise
    the one of higher `priority` (an int per point; ties: the point whose neighbour is closer goes).
    Returns sorted indices. `is_cancelled` is checked every round (a 500k-point output takes seconds)."""
    from inference.runtime.cancel import check
    idx = np.arange(len(xyz))
    if protect > m:
        protect = 0
    pri = np.zeros(len(xyz), np.int64) if priority is None else np.asarray(priority, np.int64).copy()
    top = int(pri.max(initial=0)) + 1
    pri[:protect] = top
    while len(idx) > m:
        check(is_cancelled)
        excess = len(idx) - m
        d, nb = cKDTree(xyz[idx]).query(xyz[idx], k=2)
        nd, j = d[:, 1], nb[:, 1]
        lim = max(1, min(excess, len(idx) // 4))
        pr = pri[idx].tolist()
        jl = j.tolist()
        drop = []
        taken = set()
        for i in np.argsort(nd, kind="stable").tolist():
            if len(drop) >= lim:
                break
            jj = jl[i]
            if i in taken or jj in taken or (pr[i] == top and pr[jj] == top):
                continue
            drop.append(jj if pr[i] > pr[jj] else i)
            taken.add(i)
            taken.add(jj)
        mask = np.ones(len(idx), bool)
        mask[drop] = False
        idx = idx[mask]
    return idx
