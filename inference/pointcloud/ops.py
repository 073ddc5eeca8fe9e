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


def quadric_patches(ref: np.ndarray, k: int = 20, neighbours: tuple[np.ndarray, np.ndarray] | None = None
                    ) -> tuple[np.ndarray, np.ndarray]:
    """A local height field per point of `ref`: the PCA frame of its k nearest neighbours (rows t1, t2, n)
    and a Gaussian-weighted least-squares quadric h(u, v) = a0 + a1·u + a2·v + a3·u² + a4·uv + a5·v²
    in that frame, centred on the point. `neighbours` = (distances, indices) of a k-d tree query of ref
    on itself with at least k columns, to share one query between several k. Returns (frames (N, 3, 3),
    coefficients (N, 6))."""
    k = min(k, len(ref))
    d, nb = cKDTree(ref).query(ref, k=k) if neighbours is None else (neighbours[0][:, :k], neighbours[1][:, :k])
    q = ref[nb]
    p = q - q.mean(1, keepdims=True)
    cov = np.einsum("nki,nkj->nij", p, p, optimize=True)
    _, v = np.linalg.eigh(cov)
    fr = np.stack([v[:, :, 2], v[:, :, 1], v[:, :, 0]], 1)
    rel = np.einsum("nkc,ndc->nkd", q - ref[:, None], fr, optimize=True)
    u, w, h = rel[..., 0], rel[..., 1], rel[..., 2]
    a = np.stack([np.ones_like(u), u, w, u * u, u * w, w * w], -1)
    bw = np.maximum(d[:, -1:], 1e-9) * 0.7
    wt = np.exp(-(d / bw) ** 2)
    ata = np.einsum("nki,nk,nkj->nij", a, wt, a, optimize=True) + 1e-9 * np.eye(6)
    atb = np.einsum("nki,nk,nk->ni", a, wt, h, optimize=True)
    coef = np.linalg.solve(ata, atb[..., None])[..., 0]
    return fr, coef


def project_to_patches(xyz: np.ndarray, ref: np.ndarray, frames: np.ndarray, coef: np.ndarray) -> np.ndarray:
    """Move each point onto the quadric patch of its nearest `ref` point (in that patch's frame)."""
    _, j = cKDTree(ref).query(xyz, k=1)
    fr, c = frames[j], coef[j]
    rel = np.einsum("nc,ndc->nd", xyz - ref[j], fr, optimize=True)
    u, w = rel[:, 0], rel[:, 1]
    h = c[:, 0] + c[:, 1] * u + c[:, 2] * w + c[:, 3] * u * u + c[:, 4] * u * w + c[:, 5] * w * w
    # an ill-conditioned fit (few or collinear neighbours) can shoot far off: no steeper than 45° from the
    # patch centre's own height
    lim = np.sqrt(u * u + w * w)
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


def blue_noise_select(xyz: np.ndarray, m: int, protect: int = 0, is_cancelled=None) -> np.ndarray:
    """Indices of exactly m points spread as evenly as possible (sample elimination): in rounds, the
    points whose nearest neighbour is closest are dropped, one of each close pair; of a pair, a point
    among the first `protect` (e.g. input points) is kept, as long as they alone fit in m. Returns sorted
    indices. `is_cancelled` is checked every round (a 500k-point output takes seconds)."""
    from inference.runtime.cancel import check
    idx = np.arange(len(xyz))
    if protect > m:
        protect = 0
    while len(idx) > m:
        check(is_cancelled)
        excess = len(idx) - m
        d, nb = cKDTree(xyz[idx]).query(xyz[idx], k=2)
        nd, j = d[:, 1], nb[:, 1]
        lim = max(1, min(excess, len(idx) // 4))
        prot = (idx < protect).tolist()
        jl = j.tolist()
        drop = []
        taken = set()
        for i in np.argsort(nd, kind="stable").tolist():
            if len(drop) >= lim:
                break
            jj = jl[i]
            if i in taken or jj in taken or (prot[i] and prot[jj]):
                continue
            drop.append(jj if prot[i] else i)
            taken.add(i)
            taken.add(jj)
        mask = np.ones(len(idx), bool)
        mask[drop] = False
        idx = idx[mask]
    return idx
