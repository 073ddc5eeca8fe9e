"""Classical reconstruction baselines (Open3D), resampled to a fixed number of points.

* ``poisson``: statistical outlier removal → normals (PCA) consistently oriented over a tangent-plane
  graph → screened Poisson (depth 8) → trim the 5% lowest-density vertices → sample the mesh.
* ``ball_pivoting``: the same cleaning and normals → ball pivoting with radii from the mean neighbour
  spacing (×1, 2, 4) → sample the mesh (input points are kept if the mesh has no area).

Both are deterministic: Poisson runs on one thread (POISSON_THREADS) and the mesh sampling draws from
Open3D's global generator seeded per call. Open3D's multi-threaded Poisson (its bundled PoissonRecon,
`n_threads=-1`, the default) crashes the process now and then (SIGSEGV, nothing printed) when the CPU is
saturated — processes ≥ cores, as on a 2-core machine shared by other jobs (Open3D issues #6828 and
#7229) — and gives different vertices on every call even when it does not crash; on one thread it is
bit-identical from run to run and about as fast on these clouds (0.71 vs 0.67 s per cloud on 2 cores).
"""
from __future__ import annotations

import numpy as np

from inference.runtime.errors import InputError

from .ops import check_points, mean_spacing, statistical_outlier_removal

POISSON_THREADS = 1  # see the module docstring: more threads crash under load and are not reproducible


def _o3d():
    import open3d as o3d
    o3d.utility.set_verbosity_level(o3d.utility.VerbosityLevel.Error)
    return o3d


def clean_with_normals(xyz: np.ndarray, nb: int = 16, std_ratio: float = 2.0):
    o3d = _o3d()
    x = xyz[statistical_outlier_removal(xyz, nb, std_ratio)]
    pc = o3d.geometry.PointCloud(o3d.utility.Vector3dVector(x))
    pc.estimate_normals(o3d.geometry.KDTreeSearchParamKNN(knn=16))
    try:
        pc.orient_normals_consistent_tangent_plane(12)
    except RuntimeError:
        pc.orient_normals_towards_camera_location(pc.get_center() + np.array([0, 0, 1e3]))
    return pc, x


def _sample_mesh(mesh, n: int, fallback: np.ndarray, seed: int = 0) -> np.ndarray:
    if len(mesh.triangles) == 0 or mesh.get_surface_area() <= 0:
        rng = np.random.default_rng(seed)
        return fallback[rng.choice(len(fallback), size=n, replace=len(fallback) < n)]
    _o3d().utility.random.seed(seed)  # sample_points_uniformly draws from Open3D's global generator
    return np.asarray(mesh.sample_points_uniformly(number_of_points=n).points)


def poisson(xyz: np.ndarray, n_out: int = 16384, depth: int = 8, trim: float = 0.05) -> np.ndarray:
    xyz = check_points(xyz, "input cloud", min_points=20)
    o3d = _o3d()
    pc, x = clean_with_normals(xyz)
    mesh, dens = o3d.geometry.TriangleMesh.create_from_point_cloud_poisson(pc, depth=depth, n_threads=POISSON_THREADS)
    dens = np.asarray(dens)
    if len(dens):
        mesh.remove_vertices_by_mask(dens < np.quantile(dens, trim))
    return _sample_mesh(mesh, n_out, x)


def ball_pivoting(xyz: np.ndarray, n_out: int = 16384) -> np.ndarray:
    xyz = check_points(xyz, "input cloud", min_points=20)
    o3d = _o3d()
    pc, x = clean_with_normals(xyz)
    s = mean_spacing(x)
    radii = o3d.utility.DoubleVector([s, 2 * s, 4 * s])
    mesh = o3d.geometry.TriangleMesh.create_from_point_cloud_ball_pivoting(pc, radii)
    return _sample_mesh(mesh, n_out, x)


BASELINES = {"poisson": poisson, "ball_pivoting": ball_pivoting}


def run_baseline(name: str, xyz: np.ndarray, n_out: int = 16384) -> np.ndarray:
    if name not in BASELINES:
        raise InputError(f"unknown baseline '{name}'", f"use one of {', '.join(BASELINES)}")
    return BASELINES[name](xyz, n_out)
