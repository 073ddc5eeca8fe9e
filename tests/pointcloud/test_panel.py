"""The point-cloud panel through qtbot (offscreen: View3D falls back to its flat view)."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("PySide6")

from inference.pointcloud.io import PointCloud, read_cloud, write_cloud  # noqa: E402

from .conftest import needs_models  # noqa: E402

from tests.conftest import wait_idle  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(make_panel):
    from app.panels.pointcloud import PointCloudPanel

    return make_panel(PointCloudPanel, (1200, 700))


def test_open_real_cloud_shows_it(qtbot, panel, shared_data):
    panel.open_file(str(shared_data / "pointclouds" / "colored_cloud.pcd"))
    wait_idle(qtbot, panel)
    assert panel.cloud is not None and len(panel.cloud) == 1000
    assert panel.view_in.points.shape == (1000, 3)
    assert panel.run_btn.isEnabled()
    assert "1,000 points" in panel.status.text()


@pytest.mark.parametrize("content,needle", [
    (b"", "empty"),
    (b"ply\nformat binary_little_endian 1.0\nelement vertex 9\nproperty float x\nproperty float y\nproperty float z\nend_header\n\0", "truncated"),
    (b"ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\nnan 1 2\n", "NaN"),
    (b"VERSION 0.7\nFIELDS x y z\nSIZE 4 4\nTYPE F F F\nCOUNT 1 1 1\nPOINTS 1\nDATA ascii\n1 2 3\n", "FIELDS"),
])
def test_bad_files_show_a_clear_error(qtbot, panel, tmp_path, content, needle):
    p = tmp_path / ("bad.pcd" if content.startswith(b"VERSION") else "bad.ply")
    p.write_bytes(content)
    panel.open_file(str(p))
    wait_idle(qtbot, panel)
    assert needle in panel.last_error
    assert not panel.error_label.isHidden() and needle in panel.error_label.text()
    assert not panel.is_busy and not panel.run_btn.isEnabled() and not panel.cancel_btn.isEnabled()
    assert panel.failures and needle in panel.failures[0].message  # reached the main window's error dialog
    assert panel.cloud is None


def test_nan_points_dropped_by_default_and_said(qtbot, panel, tmp_path):
    p = tmp_path / "nan.ply"
    p.write_bytes(b"ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\n"
                  b"end_header\nnan 1 2\n1 2 3\n")
    panel.open_file(str(p))
    wait_idle(qtbot, panel)
    assert panel.cloud is not None and len(panel.cloud) == 1
    assert "dropped 1 of 2 points with NaN" in panel.status.text()


def test_a_new_file_starts_fresh_and_a_bad_one_loses_nothing(qtbot, panel, tmp_path, sphere_cloud):
    from inference.pointcloud.model import CLASSICAL
    p = tmp_path / "s.ply"
    write_cloud(p, PointCloud(sphere_cloud[:600]))
    panel.open_file(str(p))
    wait_idle(qtbot, panel)
    assert panel.model_box.currentText() == "pc-points-only"  # no view image: the points-only model
    panel.model_box.addItem(CLASSICAL)
    panel.model_box.setCurrentText(CLASSICAL)
    panel.size_box.setCurrentIndex(2)
    panel.points_spin.setValue(1024)
    panel.reconstruct()
    assert "no view image: using the points-only model" in panel.status.text()  # said once
    wait_idle(qtbot, panel)
    assert panel.result is not None and "→ 1,024 points" in panel.stats.text()
    panel.reconstruct()
    assert "no view image" not in panel.status.text()
    wait_idle(qtbot, panel)
    # the automatic threshold: the 95th percentile of the distances, said in the panel
    assert panel.thresh_spin.value() == pytest.approx(np.percentile(panel.result.distances, 95), rel=1e-3, abs=1e-5)
    assert "95th percentile" in panel.thresh_note.text()
    assert 0.03 * 1024 <= panel.above_count <= 0.07 * 1024
    bad = tmp_path / "bad.ply"
    bad.write_bytes(b"ply\nformat ascii 1.0\n")
    shown = panel.result
    panel.open_file(str(bad))
    wait_idle(qtbot, panel)
    # a file that cannot be read loses nothing, and says plainly which cloud is still shown
    assert panel.last_error and not panel.error_label.isHidden()
    assert panel.result is shown and panel.cloud is not None
    assert panel.status.text() == "bad.ply was not opened; still showing s.ply"
    panel.open_file(str(p))  # a new file that opens starts fresh
    wait_idle(qtbot, panel)
    assert panel.error_label.isHidden() and panel.stats.text() == "" and panel.result is None
    assert panel.cloud is not None


def test_bad_image(qtbot, panel, tmp_path):
    p = tmp_path / "x.png"
    p.write_bytes(b"not a png")
    dialogs = []
    panel.ctx.jobs.job_failed.connect(lambda job, failure: dialogs.append(job.dialog))
    panel.open_file(str(p))
    wait_idle(qtbot, panel)  # decoded in a job
    assert "not a readable image" in panel.last_error
    assert "not a readable image" in panel.error_label.text()
    assert panel.image is None and dialogs == [False]  # shown in the panel's error line; no dialog


def test_view_image_is_decoded_in_a_job(qtbot, panel, tmp_path):
    import cv2
    im = np.zeros((300, 600), np.uint8)
    im[:, 300:] = 200
    cv2.imwrite(str(tmp_path / "view.png"), im)
    panel.model_box.setCurrentText("pc-points-only")
    panel.open_file(str(tmp_path / "view.png"))
    assert panel.image is None  # nothing decoded on the GUI thread
    wait_idle(qtbot, panel)
    assert panel.image.shape == (300, 600) and panel.image_path == str(tmp_path / "view.png")
    pm = panel.image_label.pixmap()
    assert (pm.width(), pm.height()) == (128, 64)  # the worker's thumbnail, aspect kept
    assert panel.model_box.currentText() == "pc-multimodal"
    assert "600×300" in panel.status.text()


def test_reconstruct_waits_for_the_view_image(qtbot, panel, tmp_path, monkeypatch):
    import cv2
    from inference.pointcloud import api
    seen = {}

    def fake(cloud, image, reference, reference_name, *, progress=None, is_cancelled=None, **kw):
        seen["image"] = image
        return api.compare_to(cloud.xyz, cloud.xyz, reference_name)

    monkeypatch.setattr(api, "reconstruct_and_compare", fake)
    xyz = np.random.default_rng(0).normal(size=(200, 3))
    write_cloud(tmp_path / "in.ply", PointCloud(xyz))
    cv2.imwrite(str(tmp_path / "view.png"), np.full((64, 64), 90, np.uint8))
    panel.open_file(str(tmp_path / "in.ply"))
    wait_idle(qtbot, panel)
    panel.open_file(str(tmp_path / "view.png"))
    panel.reconstruct()  # asked for while the image is still being read: runs once it is in
    wait_idle(qtbot, panel)
    qtbot.waitUntil(lambda: panel.result is not None)
    assert seen["image"] is not None and seen["image"].shape == (64, 64)


def test_threshold_changes_recolour_once_per_pause(qtbot, panel, monkeypatch):
    from inference.pointcloud import api, heatmap
    rng = np.random.default_rng(1)
    xyz = rng.normal(size=(3000, 3))
    vr = api.compare_to(xyz, xyz[::2] + rng.normal(scale=0.01, size=(1500, 3)), "ref")
    calls = []
    real = heatmap.threshold_colours
    monkeypatch.setattr(heatmap, "threshold_colours", lambda d, t: calls.append(t) or real(d, t))
    panel._show_result(vr)  # what a compare job hands back
    assert len(calls) == 1 and panel.thresh_spin.value() == pytest.approx(vr.auto_threshold, abs=1e-5)
    assert vr.auto_threshold == pytest.approx(np.percentile(vr.distances, 95))
    x, y = panel.hist_curve.getData()
    assert y.sum() == 3000 and len(x) == len(y) + 1
    assert panel.view_out.colors.shape == (3000, 4)
    q = np.quantile(vr.distances, [0.2, 0.4, 0.6, 0.8])
    for t in q:  # a burst, like a held arrow key: nothing recoloured yet
        panel.thresh_spin.setValue(float(t))
    assert len(calls) == 1 and panel.thresh_line.value() == pytest.approx(panel.thresh_spin.value())
    qtbot.waitUntil(lambda: len(calls) == 2, timeout=2000)
    qtbot.wait(100)
    assert len(calls) == 2 and calls[-1] == pytest.approx(panel.thresh_spin.value())
    assert panel.above_count == int((vr.distances > panel.thresh_spin.value()).sum())
    red = (np.rint(panel.view_out.colors * 255) == heatmap.ABOVE_RGBA).all(1)
    assert red.sum() == panel.above_count


@needs_models
def test_reconstruct_heatmap_threshold_export(qtbot, panel, tmp_path):
    import cv2
    from inference.pointcloud.synth import make_sample
    s = make_sample("cut", np.random.default_rng(2), levels=("noisy",), oracle=False)
    write_cloud(tmp_path / "in.ply", PointCloud(s.inputs["noisy"]))
    write_cloud(tmp_path / "gt.ply", PointCloud(s.gt))
    cv2.imwrite(str(tmp_path / "view.png"), s.image)
    panel.open_file(str(tmp_path / "in.ply"))
    wait_idle(qtbot, panel)
    panel.open_file(str(tmp_path / "view.png"))
    wait_idle(qtbot, panel)  # the image is decoded in a job
    assert panel.image is not None and panel.model_box.currentText() == "pc-multimodal"
    panel.size_box.setCurrentText("exact count")
    panel.points_spin.setValue(8192)
    panel.run_btn.click()
    wait_idle(qtbot, panel, 120000)
    vr = panel.result
    assert vr is not None and vr.xyz.shape == (8192, 3) and vr.recon.model == "pc-multimodal"
    assert panel.view_out.points.shape == (8192, 3)
    x, y = panel.hist_curve.getData()
    assert y is not None and y.sum() == 8192
    # threshold: lowering it paints more points red
    panel.thresh_spin.setValue(float(np.quantile(vr.distances, 0.5)))
    qtbot.waitUntil(lambda: not panel._recolour_timer.isActive())  # recoloured after a short pause
    n_half = panel.above_count
    panel.thresh_spin.setValue(float(np.quantile(vr.distances, 0.9)))
    qtbot.waitUntil(lambda: not panel._recolour_timer.isActive())
    assert panel.above_count < n_half
    # distance to a reference (the truth)
    panel.compare_with(str(tmp_path / "gt.ply"))
    wait_idle(qtbot, panel)
    assert panel.result.reference_name == "gt.ply"
    # export keeps the distance field
    panel.export(str(tmp_path / "out.pcd"))
    wait_idle(qtbot, panel)
    out = read_cloud(tmp_path / "out.pcd")
    assert len(out) == 8192 and np.allclose(out.scalars["distance"], panel.result.distances, atol=1e-6)


def test_intro_and_sample_give_a_real_reconstruction(qtbot, panel):
    intro = panel.intro_widget()
    assert not intro.isHidden() and "point cloud" in intro.findChild(type(panel.status)).text()
    assert panel.run_btn.isEnabled() is False
    panel.sample_button.click()  # "Try a sample": the shipped bunny scan
    wait_idle(qtbot, panel)
    assert panel.cloud is not None and len(panel.cloud) == 453 and panel.cloud_path.endswith("bunny.ply")
    assert intro.isHidden() and panel.view_in.points.shape == (453, 3)
    assert panel.run_btn.isEnabled() and not panel.last_error
    panel.model_box.setCurrentText("pc-points-only")
    panel.size_box.setCurrentText("exact count")
    panel.points_spin.setValue(2048)
    panel.run_btn.click()
    wait_idle(qtbot, panel, 120000)
    vr = panel.result
    assert vr is not None and vr.xyz.shape == (2048, 3) and panel.view_out.points.shape == (2048, 3)
    assert vr.recon.n_input == 453 and "Chamfer-L1" in panel.stats.text()
    assert panel.export_btn.isEnabled() and panel.run_btn.isEnabled() and not panel.cancel_btn.isEnabled()


def test_dialogs_start_in_the_last_folder_with_the_panels_filters(qtbot, panel, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    calls = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a: calls.append(a) or ("", ""))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a: calls.append(a) or ("", ""))
    panel.ctx.settings.set_last_dir(str(tmp_path))
    panel.open_btn.click()
    panel.image_btn.click()
    panel._ask_export()
    assert [Path(c[2]).parent if c[2].endswith(".ply") else Path(c[2]) for c in calls] == [tmp_path] * 3
    assert "*.ply" in calls[0][3] and "*.txt" in calls[0][3] and "*.png" in calls[1][3]
