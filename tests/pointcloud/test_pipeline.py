"""The default pipeline with the shipped ONNX models (skipped until they are exported)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from inference.pointcloud.model import MODELS, reconstruct
from inference.pointcloud.prepare import num_new_per_point, prepare
from inference.runtime.errors import Cancelled, InputError

from .conftest import MODELS as MODEL_DIR, needs_models


def test_prepare_shapes(sphere_cloud):
    f = prepare(sphere_cloud.astype(np.float32), 16384)
    assert f["points"].shape == (1, 2048, 3)
    assert f["centers_idx"].shape == (1, 128) and f["group_idx"].shape == (1, 128, 32)
    assert f["local_idx"].shape == (1, 2048, 16) and f["interp_idx"].shape == (1, 2048, 3)
    assert np.allclose(f["interp_w"].sum(-1), 1)
    assert f["seeds"].shape == (7, 2)
    assert f["mls"].shape == (1, 2048, 3, 3) and np.isfinite(f["mls"]).all()
    assert f["pix"].shape == (1, 2048, 2) and np.abs(f["pix"]).max() <= 1 / 1.1 + 1e-6  # unit sphere: inside the view


def test_pixel_coords_follow_the_rendered_view():
    """A point drawn by the renderer lands where pixel_coords says (the pixel-aligned features rely on it)."""
    from inference.pointcloud.prepare import pixel_coords
    from inference.pointcloud.synth import render, view_basis
    B = view_basis()
    p = (0.5 * B[0] - 0.3 * B[1])[None]               # right of centre, below it
    img = render(p, B[2][None], size=128)
    ys, xs = np.nonzero(img)
    g = pixel_coords(p)[0]
    # grid_sample coordinates → pixel index (align_corners=False)
    col, row = (g[0] + 1) / 2 * 128 - 0.5, (g[1] + 1) / 2 * 128 - 0.5
    assert abs(col - xs.mean()) <= 1.0 and abs(row - ys.mean()) <= 1.0
    assert num_new_per_point(512, 16384) == 31


def test_classical_stage_runs_without_a_model_and_gives_exact_counts(sphere_cloud):
    rng = np.random.default_rng(42)
    noisy = sphere_cloud + rng.normal(scale=0.01, size=sphere_cloud.shape)
    res = reconstruct(noisy, None, model="classical", points=8192)
    assert res.xyz.shape == (8192, 3) and res.model == "classical"
    # the unit sphere is centred on the origin: distance to the true surface is |r - 1|
    out_err = np.abs(np.linalg.norm(res.xyz, axis=1) - 1).mean()
    in_err = np.abs(np.linalg.norm(noisy, axis=1) - 1).mean()
    assert out_err < 0.5 * in_err


@needs_models
def test_manifests_declare_dynamic_points_and_budget():
    total = 0
    for name in MODELS:
        m = json.loads((MODEL_DIR / f"{name}.json").read_text())
        assert m["inputs"][0]["shape"] == ["batch", "n", 3]
        assert m["task"] == "pointcloud-reconstruction"
        total += (MODEL_DIR / m["file"]).stat().st_size
    assert json.loads((MODEL_DIR / "pc-multimodal.json").read_text())["default"] is True
    assert total <= 10_000_000  # the panel's model budget


@needs_models
@pytest.mark.parametrize("n", [512, 2048, 5000])
def test_reconstruct_any_input_size_to_exact_count_in_user_units(sphere_cloud, n):
    rng = np.random.default_rng(n)
    d = rng.normal(size=(n, 3))
    x = d / np.linalg.norm(d, axis=1, keepdims=True) * 40 + np.array([100, -5, 3])
    img = np.full((128, 128), 90, np.uint8)
    res = reconstruct(x, img, points=16384)
    assert res.xyz.shape == (16384, 3) and np.isfinite(res.xyz).all()
    assert res.model == "pc-multimodal"
    r = np.linalg.norm(res.xyz - [100, -5, 3], axis=1)
    assert abs(np.median(r) - 40) < 4  # stays on the sphere, in the user's units


@needs_models
def test_no_image_uses_points_only(sphere_cloud):
    res = reconstruct(sphere_cloud, None, points=4096)
    assert res.model == "pc-points-only" and any("no image" in n for n in res.notes)


@needs_models
def test_outliers_are_removed_first(sphere_cloud):
    rng = np.random.default_rng(0)
    x = np.concatenate([sphere_cloud, rng.uniform(-1, 1, (60, 3)) * 3])
    res = reconstruct(x, None, points=8192)
    assert res.removed is not None and len(res.removed) >= 40


def test_bad_inputs():
    with pytest.raises(InputError, match="only 5 points"):
        reconstruct(np.random.default_rng(0).normal(size=(5, 3)))
    with pytest.raises(InputError, match="NaN"):
        reconstruct(np.full((100, 3), np.nan))
    with pytest.raises(InputError, match="out of range"):
        reconstruct(np.random.default_rng(0).normal(size=(100, 3)), points=10)


@needs_models
def test_cancel(sphere_cloud):
    with pytest.raises(Cancelled):
        reconstruct(sphere_cloud, None, is_cancelled=lambda: True)
