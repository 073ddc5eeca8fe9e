"""View3D: the flat fallback offscreen, the real GL view under Xvfb."""
from __future__ import annotations

import os

import numpy as np
import pytest

pytestmark = pytest.mark.gui


def test_fallback_api(qtbot):
    from app.widgets.view3d import View3D
    from inference.pointcloud.heatmap import colormap
    v = View3D("t", use_gl=False)
    qtbot.addWidget(v)
    xyz = np.random.default_rng(0).normal(size=(100, 3))
    v.set_points(xyz, colormap(np.linspace(0, 1, 100), 0, 1))
    assert v.points.shape == (100, 3) and v.colors.shape == (100, 4)
    assert v.colors.dtype == np.float32 and v.colors.max() <= 1.0 and v.colors[:, 3].min() == 1.0
    v.set_points(xyz[:2], np.array([[1, 0, 0], [0, 1, 0]], np.uint8))  # uint8 is 0…255 even when it is all ≤ 1
    assert v.colors[:, :3].max() == pytest.approx(1 / 255)
    v.set_mesh(np.eye(3), [[0, 1, 2]])
    assert v.points is None and v.mesh[1].shape == (1, 3)
    v.set_mesh(np.eye(3), [[0, 1, 2]], face_colors=[[0.5, 0.5, 0.5, 1.0]])
    assert v.mesh[1].shape == (1, 3)
    with pytest.raises(ValueError):
        v.set_mesh(np.eye(3), [[0, 1, 5]])
    with pytest.raises(ValueError):
        v.set_mesh(np.eye(3), [[0, 1, 2]], face_colors=np.ones((2, 4)))
    v.clear()
    assert v.points is None and v.mesh is None


@pytest.mark.xvfb
def test_gl_views_render_and_link(qtbot):
    from app.widgets.view3d import View3D
    a, b = View3D("a"), View3D("b")
    assert a.has_gl
    for v in (a, b):
        qtbot.addWidget(v)
        v.resize(300, 300)
        v.show()
    a.link_camera(b)
    a.set_points(np.random.default_rng(0).normal(size=(500, 3)), (255, 0, 0))
    b.set_mesh(np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]]), [[0, 1, 2]])
    b.set_mesh(np.array([[0, 0, 0], [1, 0, 0], [0, 1, 0]]), [[0, 1, 2]], face_colors=[[0.9, 0.5, 0.2, 1.0]])
    assert len(b._items) == 1
    a.view.orbit(30, 10)
    assert b.camera()["azimuth"] == pytest.approx(a.camera()["azimuth"])
    b.view.pan(0.1, 0, 0)
    assert a.camera()["center"] == pytest.approx(b.camera()["center"])
    img = a.grab_image()
    assert img.width() > 0
    arr = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes()).reshape(img.height(), -1)
    assert arr.std() > 0  # something was drawn


@pytest.mark.xvfb
def test_linked_views_in_one_window_draw_the_same_picture(qtbot):
    """Two linked GL views side by side (the panel's input and output): after orbiting one, both show the
    same picture. With software OpenGL the second view kept its old picture when both were drawn with
    identical matrices in one frame; linked views now stand a hair apart (camera() still reports one)."""
    from PySide6.QtWidgets import QHBoxLayout, QWidget

    from app.widgets.view3d import View3D
    w = QWidget()
    qtbot.addWidget(w)
    lay = QHBoxLayout(w)
    a, b = View3D(), View3D()
    lay.addWidget(a)
    lay.addWidget(b)
    w.resize(640, 320)
    w.show()
    a.link_camera(b)
    x = np.random.default_rng(0).normal(size=(3000, 3)) * [3, 1, 0.2]
    a.set_points(x, frame=True)
    b.set_points(x, frame=True)
    qtbot.wait(100)
    a.view.setCameraPosition(elevation=90, azimuth=0)
    a._camera_moved()
    qtbot.wait(200)
    assert a.camera()["distance"] == pytest.approx(b.camera()["distance"], rel=1e-9)

    def pixels(v):
        from PySide6.QtGui import QImage
        img = v.grab_image().convertToFormat(QImage.Format.Format_RGB32)
        arr = np.frombuffer(img.constBits(), np.uint8, img.sizeInBytes()).copy()
        return arr.reshape(img.height(), img.bytesPerLine() // 4, 4)[:, :img.width(), :3]
    pa, pb = pixels(a), pixels(b)
    assert pa.shape == pb.shape and pa.std() > 0
    assert np.abs(pa.astype(int) - pb).mean() < 1.0


def test_flat_scene_is_framed_from_above(qtbot):
    from app.widgets.view3d import View3D
    v = View3D(use_gl=False)
    qtbot.addWidget(v)
    rng = np.random.default_rng(1)
    ground = np.c_[rng.uniform(-40, 40, (5000, 2)), rng.normal(0, 0.3, 5000)]
    far = np.array([[300.0, 0, 0]])       # one far return must not set the frame
    v.set_points(np.vstack([ground, far]))
    c, r = v._scene_frame()
    assert np.abs(c[:2]).max() < 5 and 40 < r < 70
    v.set_points(rng.normal(size=(5000, 3)))   # an object: the usual frame
    assert v._scene_frame() is None
