"""Face shading of the CAD view: computed in inference/ (no Qt), in the worker that builds the solid."""
from __future__ import annotations

import numpy as np

from inference.cad import kernel
from inference.cad.seq import CADSequence, Circle, Extrude, Line

BASE = np.array([0.72, 0.78, 0.90])


def test_face_shading_values():
    light = np.array([0.35, -0.45, 0.82])
    light /= np.linalg.norm(light)
    # a triangle facing the light, one facing away, one edge-on, one degenerate
    e1 = np.cross(light, [1.0, 0, 0])
    e1 /= np.linalg.norm(e1)
    e2 = np.cross(light, e1)
    v = np.array([[0, 0, 0], e1, e2, [0, 0, 0], [1, 0, 0], [2, 0, 0]], np.float32)
    faces = np.array([[0, 1, 2], [0, 2, 1], [0, 1, 3], [3, 4, 5]])
    v[3] = light  # the third face contains the light direction: edge-on
    cols = kernel.face_shading(v, faces)
    assert cols.shape == (4, 4) and cols.dtype == np.float32
    assert (cols[:, 3] == 1).all() and cols.min() >= 0 and cols.max() <= 1
    np.testing.assert_allclose(cols[0, :3], BASE * 1.0, atol=1e-5)   # lit: ambient 0.35 + 0.65
    np.testing.assert_allclose(cols[1, :3], BASE * 0.5, atol=1e-5)   # away: 0.35 + 0.15 back light
    np.testing.assert_allclose(cols[2, :3], BASE * 0.35, atol=1e-5)  # edge-on: ambient only
    np.testing.assert_allclose(cols[3, :3], BASE * 0.35, atol=1e-5)  # no normal: ambient, no NaN
    assert kernel.face_shading(np.zeros((0, 3)), np.zeros((0, 3), int)).shape == (0, 4)


def test_built_solid_carries_its_face_colours():
    from inference.cad.api import rebuild_job
    plate = Extrude(loops=[[Line(10, -5), Line(10, 5), Line(-10, 5), Line(-10, -5)], [Circle(0, 0, 3)]], e1=5)
    solid, v, f, cols = rebuild_job(CADSequence([plate]))
    assert solid.valid and len(f) > 0
    assert cols.shape == (len(f), 4) and cols.dtype == np.float32
    assert len(np.unique(cols[:, :3].round(4), axis=0)) >= 3  # top, bottom and sides are told apart
