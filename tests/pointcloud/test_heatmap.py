"""The distance heat map the panel shows: colours, threshold, histogram (pure numpy, no Qt)."""
from __future__ import annotations

import numpy as np
import pytest

from inference.pointcloud.heatmap import ABOVE_RGBA, VIRIDIS, colormap, distance_histogram, threshold_colours


def test_viridis_table_is_matplotlibs():
    from matplotlib import colormaps
    ref = np.round(np.asarray(colormaps["viridis"](np.linspace(0, 1, 256)))[:, :3] * 255)
    assert VIRIDIS.shape == (256, 3) and VIRIDIS.dtype == np.uint8
    assert np.array_equal(VIRIDIS, ref.astype(np.uint8))


def test_colormap_shape_dtype_and_ends():
    c = colormap(np.array([-1.0, 0.0, 0.5, 1.0, 2.0, np.nan]), 0.0, 1.0)
    assert c.shape == (6, 4) and c.dtype == np.uint8 and c.flags.c_contiguous
    assert (c[:, 3] == 255).all()
    assert np.array_equal(c[0, :3], VIRIDIS[0]) and np.array_equal(c[1, :3], VIRIDIS[0])  # clipped below
    assert np.array_equal(c[3, :3], VIRIDIS[255]) and np.array_equal(c[4, :3], VIRIDIS[255])  # clipped above
    assert np.array_equal(c[2, :3], VIRIDIS[128])  # 127.5 rounds to the even neighbour
    assert np.array_equal(c[5, :3], VIRIDIS[0])  # NaN → first colour
    assert colormap(np.zeros(0), 0, 1).shape == (0, 4)
    assert colormap(np.ones(3), 1.0, 1.0).shape == (3, 4)  # empty range does not divide by zero


def test_threshold_colours_paint_points_above_red():
    d = np.array([0.0, 0.25, 0.5, 0.5000001, 3.0])
    cols, n_above = threshold_colours(d, 0.5)
    assert cols.shape == (5, 4) and cols.dtype == np.uint8
    assert n_above == 2
    assert [tuple(c) for c in cols[3:]] == [ABOVE_RGBA] * 2
    assert np.array_equal(cols[0, :3], VIRIDIS[0]) and np.array_equal(cols[2, :3], VIRIDIS[255])
    assert not (cols[:3] == ABOVE_RGBA).all(1).any()
    # a zero threshold: everything farther than 0 is above
    assert threshold_colours(d, 0.0)[1] == 4


def test_threshold_colours_match_the_ramp_on_many_points():
    d = np.abs(np.random.default_rng(0).normal(size=100_000)) * 0.01
    t = 0.012
    cols, n_above = threshold_colours(d, t)
    above = d > t
    assert n_above == above.sum()
    assert (cols[above] == ABOVE_RGBA).all()
    idx = np.rint(np.clip(d[~above] / t, 0, 1) * 255).astype(int)
    assert np.abs(cols[~above, :3].astype(int) - VIRIDIS[idx].astype(int)).max() <= 1  # float32 rounding


def test_distance_histogram_range_and_tail():
    d = np.concatenate([np.linspace(0, 1, 990), np.full(10, 50.0)])  # a far tail beyond the 99th percentile
    edges, counts = distance_histogram(d, 0.5, bins=60)
    assert edges.shape == (61,) and counts.shape == (60,)
    assert counts.sum() == 1000  # the tail is folded into the last bin
    assert edges[0] == 0 and edges[-1] == pytest.approx(np.quantile(d, 0.99) * 1.05)
    assert counts[-1] >= 10
    # a threshold above the data widens the range to show it
    edges, _ = distance_histogram(d[:990], 4.0)
    assert edges[-1] == pytest.approx(4.2)
    # nothing to count
    edges, counts = distance_histogram(np.zeros(0), 0.0)
    assert counts.sum() == 0 and edges[-1] == pytest.approx(1.05)
