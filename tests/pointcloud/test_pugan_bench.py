"""The metric functions of bench/pc_pugan.py (PU-GAN's CD, HD, P2F) on a unit-sphere mesh, without the real meshes."""
from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("open3d")

BENCH = Path(__file__).resolve().parents[2] / "bench" / "pc_pugan.py"


@pytest.fixture(scope="module")
def bench():
    spec = importlib.util.spec_from_file_location("pc_pugan_bench", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="module")
def sphere():
    import open3d as o3d
    return o3d.geometry.TriangleMesh.create_sphere(radius=1.0, resolution=40)


def _on_sphere(n, seed=0):
    d = np.random.default_rng(seed).normal(size=(n, 3))
    return d / np.linalg.norm(d, axis=1, keepdims=True)


def test_p2f_of_points_on_the_sphere_is_about_zero(bench, sphere):
    d = bench.p2f(_on_sphere(2000), sphere)
    # the tessellation lies inside the true sphere by at most its sagitta (~1 - cos(pi/80) ≈ 8e-4)
    assert d.shape == (2000,) and d.max() < 2e-3
    assert bench.p2f(np.asarray(sphere.vertices), sphere).max() < 1e-6   # the mesh's own vertices: 0


def test_p2f_measures_the_distance_off_the_surface(bench, sphere):
    d = bench.p2f(1.1 * _on_sphere(500), sphere)
    assert np.allclose(d, 0.1, atol=2e-3)


def test_cd_and_hd_of_identical_sets_are_zero(bench):
    x = _on_sphere(1000)
    cd, hd, hde = bench.pugan_cd_hd(x, x.copy())
    assert cd == 0 and hd == 0 and hde == 0
    assert bench.cd_l1(x, x.copy()) == 0


def test_cd_hd_follow_pugans_definitions(bench):
    gt = _on_sphere(2000, 1)
    pred = _on_sphere(1500, 2)
    cd, hd, hde = bench.pugan_cd_hd(pred, gt)
    p, q = bench.normalize_pc(pred), bench.normalize_pc(gt)
    f, b = bench.nn_dist(p, q) ** 2, bench.nn_dist(q, p) ** 2
    assert cd == pytest.approx(f.mean() + b.mean())              # sum of the two mean squared distances
    assert hd == pytest.approx(f.max() + b.max())                # PU-GAN's "hausdorff": sum of squared maxima
    assert hde == pytest.approx(np.sqrt(max(f.max(), b.max())))  # textbook Hausdorff
    # each cloud is normalised by itself, so moving and scaling the prediction changes nothing
    assert bench.pugan_cd_hd(3 * pred + 5, gt)[0] == pytest.approx(cd)


def test_sampling_and_noise_are_seeded(bench, sphere):
    a = bench.poisson_disk(sphere, 256, 3)
    b = bench.poisson_disk(sphere, 256, 3)
    assert a.shape == (256, 3) and np.array_equal(a, b)
    assert bench.p2f(a, sphere).max() < 1e-5                      # Poisson-disk samples lie on the mesh
    n = bench.add_noise(a, 0.01, seed=1)
    assert np.array_equal(n, bench.add_noise(a, 0.01, seed=1))
    scale = np.linalg.norm(a - a.mean(0), axis=1).max()
    assert np.abs(n - a).max() <= 0.03 * scale + 1e-12           # clamped at ±0.03 in the unit-sphere frame
