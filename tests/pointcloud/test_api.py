"""The functions the point-cloud panel runs as jobs (inference/pointcloud/api.py), without Qt."""
from __future__ import annotations

import numpy as np
import pytest

from inference.pointcloud import api
from inference.pointcloud.io import FILE_KINDS, PointCloud, read_cloud, write_cloud
from inference.runtime.cancel import CancelToken
from inference.runtime.errors import Cancelled, InputError

from .conftest import needs_models


def test_file_kinds_cover_every_reader_suffix_and_route_here(tmp_path):
    from inference import panels
    assert set(FILE_KINDS) == {"pointcloud", "image"}
    for suffix in (".ply", ".pcd", ".xyz", ".txt", ".pts", ".asc", ".bin"):
        assert suffix in FILE_KINDS["pointcloud"]
        assert [p.name for p in panels.panels_for(tmp_path / f"scan{suffix}")] == ["pointcloud"]
    assert ".png" in FILE_KINDS["image"]
    assert panels.get("pc").sample_path().is_file()


def test_load_and_save_round_trip_keeps_distances(tmp_path):
    xyz = np.random.default_rng(0).normal(size=(100, 3))
    d = np.linspace(0, 1, 100)
    seen = []
    out = api.save_cloud_job(str(tmp_path / "o.ply"), xyz, d)
    back = api.load_cloud_job(out, progress=lambda f, m: seen.append((f, m)))
    assert np.allclose(back.xyz, xyz, atol=1e-6) and np.allclose(back.scalars["distance"], d, atol=1e-6)
    assert seen == [(1.0, "100 points")]


def test_load_cloud_job_refuses_bad_file_and_stops_when_cancelled(tmp_path):
    (tmp_path / "bad.ply").write_bytes(b"")
    with pytest.raises(InputError, match="empty"):
        api.load_cloud_job(str(tmp_path / "bad.ply"))
    write_cloud(tmp_path / "ok.ply", PointCloud(np.zeros((3, 3)) + np.arange(3)[:, None]))
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        api.load_cloud_job(str(tmp_path / "ok.ply"), is_cancelled=token)


def test_compare_to_measures_each_point(sphere_cloud):
    vr = api.compare_to(sphere_cloud * 1.05, sphere_cloud, "ref")
    assert vr.recon is None and vr.reference_name == "ref" and vr.xyz.shape == sphere_cloud.shape
    assert np.allclose(vr.distances, 0.05, atol=1e-6) and vr.report["hausdorff"] == pytest.approx(0.05, abs=1e-6)


def test_view_image_job_gives_image_and_thumbnail(tmp_path):
    import cv2
    cv2.imwrite(str(tmp_path / "v.png"), np.full((50, 200), 77, np.uint8))
    im, thumb = api.load_view_image_job(str(tmp_path / "v.png"), 64)
    assert im.shape == (50, 200) and thumb.shape == (16, 64) and thumb.dtype == np.uint8
    (tmp_path / "bad.png").write_bytes(b"nope")
    with pytest.raises(InputError):
        api.load_view_image_job(str(tmp_path / "bad.png"))


def test_reconstruct_and_compare_classical_on_the_sample():
    # the classical pipeline needs no model file: the shipped sample, reconstructed, measured to its input
    from inference.panels import get
    from inference.pointcloud.model import CLASSICAL
    pc = read_cloud(get("pc").sample_path())
    seen = []
    vr = api.reconstruct_and_compare(pc, None, model=CLASSICAL, points=1024,
                                     progress=lambda f, m: seen.append(f))
    assert vr.xyz.shape == (1024, 3) and vr.distances.shape == (1024,) and vr.reference_name == "input"
    assert vr.recon.n_input == 453 and seen[-1] == 1.0
    # the output lies on the bunny: within a few of its input spacings
    assert vr.report["cd_l1"] < 0.05 * np.ptp(pc.xyz, 0).max()


def test_reconstruct_and_compare_stops_when_cancelled(sphere_cloud):
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        api.reconstruct_and_compare(sphere_cloud, None, model="classical", points=1024, is_cancelled=token)


@needs_models
def test_reconstruct_and_compare_to_a_reference(sphere_cloud):
    vr = api.reconstruct_and_compare(sphere_cloud, None, sphere_cloud * 2, "big", model="pc-points-only",
                                     points=2048)
    assert vr.recon.model == "pc-points-only" and vr.reference_name == "big"
    assert np.median(vr.distances) == pytest.approx(1.0, abs=0.05)  # unit sphere to a radius-2 one
