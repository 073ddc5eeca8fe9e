"""Large inputs densified tile by tile (issue #15): sizes, seams, attributes, cancel, real scans."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial import cKDTree

from inference.pointcloud.io import PointCloud, read_cloud, write_cloud
from inference.pointcloud.model import CLASSICAL, MAX_INPUT, reconstruct, split_tiles, transfer_attributes
from inference.runtime.errors import Cancelled, InputError

from .conftest import needs_models


def wavy_sheet(n: int, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    xy = rng.uniform(0, 10, (n, 2))
    return np.c_[xy, 0.3 * np.sin(xy[:, 0]) * np.cos(0.7 * xy[:, 1])]


def test_tiles_partition_space_with_bounded_size():
    x = wavy_sheet(30_000)
    tiles = split_tiles(x, 4000)
    assert all(len(i) <= 4000 for i, _, _ in tiles)
    owner = np.zeros(len(x), int)
    for i, lo, hi in tiles:
        owner[i] += 1
        assert (((x[i] >= lo) & (x[i] < hi)).all(1)).all()
    assert (owner == 1).all()  # every point in exactly one tile


def test_large_input_is_densified_not_shrunk_without_duplicates_or_seams():
    x = wavy_sheet(20_000)
    seen = []
    res = reconstruct(x, None, model=CLASSICAL, upsample=3, progress=lambda f, m: seen.append((f, m)))
    assert res.xyz.shape == (60_000, 3) and res.tiles >= 3
    assert len(np.unique(res.xyz, axis=0)) == len(res.xyz)  # no point twice
    assert np.abs(res.xyz[:, 2] - 0.3 * np.sin(res.xyz[:, 0]) * np.cos(0.7 * res.xyz[:, 1])).max() < 0.02
    assert any("tile 2/" in m for _, m in seen) and seen[-1][0] == 1.0
    # no gaps along the seams: every point of the true surface has an output point near it
    rng = np.random.default_rng(1)
    g = rng.uniform(0.3, 9.7, (50_000, 2))
    gt = np.c_[g, 0.3 * np.sin(g[:, 0]) * np.cos(0.7 * g[:, 1])]
    spacing = np.median(cKDTree(res.xyz).query(res.xyz, k=2)[0][:, 1])
    assert np.percentile(cKDTree(res.xyz).query(gt)[0], 99.9) < 4 * spacing


def test_output_size_choices_and_consent():
    x = wavy_sheet(MAX_INPUT + 2000)
    assert len(reconstruct(x, None, model=CLASSICAL, points=len(x) + 5).xyz) == len(x) + 5
    with pytest.raises(InputError, match="fewer than the input"):
        reconstruct(x, None, model=CLASSICAL, points=5000)
    res = reconstruct(x, None, model=CLASSICAL, points=5000, allow_fewer=True)
    assert len(res.xyz) == 5000 and any("fewer points than the input" in n for n in res.notes)
    with pytest.raises(InputError, match="both given"):
        reconstruct(x, None, points=5000, upsample=2)
    # spacing: about that far apart (mean nearest-neighbour distance), never fewer than the input
    res = reconstruct(x, None, model=CLASSICAL, spacing=0.05)
    nn = cKDTree(res.xyz).query(res.xyz, k=2)[0][:, 1].mean()
    assert len(res.xyz) >= len(x) and 0.035 < nn < 0.065, (len(res.xyz), nn)


def test_cancel_between_tiles():
    x = wavy_sheet(20_000)
    calls = []

    def cancelled():
        calls.append(1)
        return len(calls) > 3
    with pytest.raises(Cancelled):
        reconstruct(x, None, model=CLASSICAL, upsample=2, is_cancelled=cancelled)


def test_attributes_interpolated_from_nearest_input_points():
    x = wavy_sheet(3000)
    col = np.clip(x[:, :1] * 25, 0, 255).repeat(3, 1).astype(np.uint8)
    pc = PointCloud(x, col, np.tile([0, 0, 1], (len(x), 1)).astype(np.float32),
                    {"intensity": x[:, 1].astype(np.float32), "ring": (x[:, 1] // 1).astype(np.float32)})
    out = wavy_sheet(500, seed=3)
    c, n, s = transfer_attributes(pc, out)
    assert np.abs(c[:, 0].astype(float) - out[:, 0] * 25).max() < 8
    assert np.allclose(np.linalg.norm(n, axis=1), 1) and (n[:, 2] > 0.99).all()
    assert np.abs(s["intensity"] - out[:, 1]).max() < 0.3 and set(np.unique(s["ring"])) <= set(range(10))


def test_office_scan_opens_by_default_and_keeps_colour_through_reconstruct_and_export(shared_data, tmp_path):
    pc = read_cloud(shared_data / "pointclouds" / "office1.pcd")  # organized: 52,744 NaN points dropped
    assert pc.colors is not None and pc.notes
    part = pc.subset(np.arange(100_000, 112_000))  # a band of the image's rows: two tiles' worth
    assert MAX_INPUT < len(part) < 20_000
    res = reconstruct(part, None, model=CLASSICAL, upsample=2)
    assert len(res.xyz) == 2 * len(part) and res.tiles >= 2 and res.colors is not None
    write_cloud(tmp_path / "o.ply", res.cloud())
    back = read_cloud(tmp_path / "o.ply")
    assert back.colors is not None and len(back) == len(res.xyz)
    _, j = cKDTree(part.xyz).query(back.xyz)
    err = np.abs(back.colors.astype(int) - part.colors[j].astype(int)).mean()
    assert err < 20  # each new point's colour is its neighbours'


@needs_models
def test_cli_kitti_frame_upsampled_keeps_intensity(shared_data, tmp_path, capsys):
    from inference.cli import main
    out = tmp_path / "k.ply"
    assert main(["pc", "reconstruct", str(shared_data / "pointclouds" / "000008.bin"), "-o", str(out),
                 "--upsample", "2", "--json", "--quiet"]) == 0
    back = read_cloud(out)
    assert len(back) == 2 * 17_238 and "intensity" in back.scalars


def test_scene_outliers_are_judged_against_their_neighbourhood():
    """A LiDAR-like scene thins out with range: its far returns are as sparse as their neighbours and stay;
    a stray point far from everything goes. The global rule (objects) would drop the far ring."""
    from inference.pointcloud import ops
    rng = np.random.default_rng(0)
    rings = []
    for r in np.geomspace(3, 60, 40):                      # rings of a spinning sensor: spacing grows with r
        a = rng.uniform(0, 2 * np.pi, 400)
        rings.append(np.c_[r * np.cos(a), r * np.sin(a), rng.normal(0, 0.02, 400)])
    scene = np.vstack(rings)
    stray = np.array([[5.0, 5.0, 3.0], [-8.0, 2.0, 4.0], [1.0, -9.0, -3.0]])
    x = np.vstack([scene, stray])
    far = np.linalg.norm(scene[:, :2], axis=1) > 40
    keep = ops.local_outlier_removal(x)
    assert not keep[-3:].any()
    assert keep[:-3][far].mean() > 0.97 and keep[:-3].mean() > 0.97
    assert ops.statistical_outlier_removal(x)[:-3][far].mean() < keep[:-3][far].mean()


@needs_models
def test_kitti_frame_keeps_its_far_returns(shared_data):
    xyz = read_cloud(shared_data / "pointclouds" / "000008.bin").xyz
    res = reconstruct(xyz, None, upsample=2)
    d, _ = cKDTree(res.xyz).query(xyz)
    far = np.linalg.norm(xyz[:, :2], axis=1) > 40
    assert len(res.removed) < 0.01 * len(xyz)
    assert (d[far] < 0.3).mean() > 0.95
