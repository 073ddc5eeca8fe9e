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
