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


def trim_to(xyz: np.ndarray, m: int, keep_first: int = 0) -> np.ndarray:
    """Drop points down to exactly m, removing those in the densest places first (never the first
    `keep_first` points, which are the input points). Returns indices."""
    n = len(xyz)
    if n <= m:
        return np.arange(n)
    excess = n - m
    d, _ = cKDTree(xyz).query(xyz, k=2)
    nd = d[:, 1].copy()
    nd[:keep_first] = np.inf
    drop = np.argpartition(nd, excess)[:excess]
    mask = np.ones(n, bool)
    mask[drop] = False
    return np.nonzero(mask)[0]


def plane_project(xyz: np.ndarray, k: int = 16) -> np.ndarray:
    """One pass of local-plane projection: each point moves onto the PCA plane of its k nearest
    neighbours (a light, classical surface smoothing that removes residual noise)."""
    if len(xyz) <= k:
        return xyz
    _, nb = cKDTree(xyz).query(xyz, k=k)
    q = xyz[nb]
    c = q.mean(1)
    p = q - c[:, None]
    cov = np.einsum("nki,nkj->nij", p, p, optimize=True)
    _, v = np.linalg.eigh(cov)
    n = v[:, :, 0]
    return xyz - ((xyz - c) * n).sum(1, keepdims=True) * n
