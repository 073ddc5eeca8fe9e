"""The reader's pixel helpers (inference/chart/pixels.py) on hand-made arrays."""
from __future__ import annotations

import numpy as np
import pytest

from inference.chart.pixels import (ReadContext, bg_color, cluster_1d, color_dist, components, coverage,
                                    profile_peak, round_to_resolution)


def test_background_components_and_colour_distance():
    img = np.full((40, 60, 3), 250, np.uint8)
    img[10:20, 5:15] = (200, 30, 30)
    img[25:35, 40:55] = (30, 30, 200)
    assert tuple(bg_color(img)) == (250, 250, 250)
    mask = color_dist(img, (200, 30, 30)) < 30
    comps, lab = components(mask)
    assert [(c[0], c[1], c[2], c[3], c[4]) for c in comps] == [(5, 10, 10, 10, 100)]
    ctx = ReadContext(img, [], "v_bar", use_value_labels=False)
    assert ctx.sat.sum() == 100 + 150 and not ctx.use_value_labels and ctx.warnings == []


def test_coverage_cluster_resolution_and_peak():
    half = np.array([[[225, 140, 140]]], np.float64)  # halfway between white and (200, 30, 30)
    assert coverage(half, (200, 30, 30), (250, 250, 250))[0, 0] == pytest.approx(0.5)
    assert [len(g) for g in cluster_1d([1, 2, 10, 11, 12, 30], key=lambda v: v, tol=2)] == [2, 3, 1]
    assert round_to_resolution(123.456, 0.7) == pytest.approx(123.5)
    assert round_to_resolution(123.456, 7) == 123
    prof = np.zeros(30)
    prof[14], prof[15] = 100, 100
    assert profile_peak(prof, 15) == pytest.approx(14.5)
    assert profile_peak(np.zeros(30), 15) is None
