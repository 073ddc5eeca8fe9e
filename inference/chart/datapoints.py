"""Where a line chart's data points are along a numeric x axis.

A line chart's x labels are often a subset of its data: years every 5 or 10 (Our World in Data, Vega-Lite,
spreadsheets) over yearly data. Reading the lines only at the labels loses every point between them. Here the
lines themselves say where their points are: a polyline is straight between its points, so the coarsest whole
step of the axis' units (a divisor of the labels' step) at which every line is straight between samples is the
data's step. When the labels' own step already fits, nothing changes.
"""
from __future__ import annotations

import numpy as np

from .pixels import ReadContext, color_dist, nearest_colour_mask
from .table import parse_number

MAX_RESIDUAL = 1.2   # px: the 80th percentile of a line's distance from its piecewise-linear fit
MAX_FINEST = 3.0     # px: above this even the finest step is no polyline (smoothed curves)
MIN_STEP_PX = 5.0    # data points closer than this are not told apart
MIN_COVER = 0.5      # share of the columns between the lines' ends that hold a line's pixel (a dashed line ~0.6)


def _trace(mask: np.ndarray, x0: int, x1: int) -> np.ndarray:
    """The line's centre row per column (NaN where it has no pixel)."""
    out = np.full(mask.shape[1], np.nan)
    for x in range(max(0, x0), min(mask.shape[1], x1 + 1)):
        rows = np.nonzero(mask[:, x])[0]
        if len(rows):
            out[x] = float(np.median(rows)) + 0.5
    return out


def _residual(tr: np.ndarray, pos: np.ndarray) -> float | None:
    """How far the trace strays from the polyline through its own values at POS (80th percentile, px)."""
    xs = np.arange(len(tr))
    ok = ~np.isnan(tr)
    if ok.sum() < 10:
        return None
    ys = []
    for p in pos:   # the trace's value at each sample: the median of the columns within 1 px
        c = int(round(p))
        win = tr[max(0, c - 1):c + 2]
        win = win[~np.isnan(win)]
        ys.append(float(np.median(win)) if len(win) else np.nan)
    ys = np.asarray(ys)
    good = ~np.isnan(ys)
    if good.sum() < 2:
        return None
    lo, hi = pos[good][0], pos[good][-1]
    sel = ok & (xs >= lo) & (xs <= hi)
    if sel.sum() < 10:
        return None
    fit = np.interp(xs[sel] + 0.5, pos[good], ys[good])
    return float(np.percentile(np.abs(tr[sel] - fit), 80))


def data_positions(ctx: ReadContext, region: np.ndarray, colours: list, categories: list[str], anchors: list[float],
                   plot: tuple) -> tuple[list[str], list[float]] | None:
    """(categories, anchors) at the lines' data points, or None to keep the labels' own."""
    nums = [parse_number(c) for c in categories]
    if len(nums) < 2 or len(anchors) != len(nums) or any(v is None or not float(v).is_integer() for v in nums):
        return None
    steps = np.diff(nums)
    st = float(steps[0])
    if st < 2 or np.any(steps != st):
        return None
    d = np.diff(np.asarray(anchors, float))
    if np.abs(d - d.mean()).max() > 0.05 * d.mean() + 1:
        return None
    px_unit = float(d.mean()) / st
    x0, x1 = int(plot[0]), int(plot[2])
    dists = [color_dist(ctx.img, c) for c in colours]
    traces = []
    for i in range(len(dists)):
        traces.append(_trace(nearest_colour_mask(dists, i, 60) & region, x0, x1))
    have = np.zeros(ctx.W, bool)
    for tr in traces:
        have |= ~np.isnan(tr)
    cols = np.nonzero(have)[0]
    if len(cols) < 10 or have[cols[0]:cols[-1] + 1].mean() < MIN_COVER:
        return None   # dots, not lines (a scatter the type model called a line chart)
    v_of = lambda x: nums[0] + (x - anchors[0]) / px_unit   # noqa: E731
    x_of = lambda v: anchors[0] + (v - nums[0]) * px_unit    # noqa: E731
    lo_v, hi_v = v_of(cols[0] + 0.5), v_of(cols[-1] + 0.5)
    fits = []   # (step, values, positions, worst line's residual), coarsest step first
    for u in [k for k in range(int(st), 0, -1) if int(st) % k == 0]:
        if u * px_unit < MIN_STEP_PX:
            break
        first = nums[0] + np.ceil((lo_v - nums[0]) / u - 0.3) * u
        vals = np.arange(first, hi_v + 0.3 * u + 1e-9, u)
        if len(vals) < 2:
            continue
        pos = np.array([x_of(v) for v in vals])
        res = [r for r in (_residual(tr, pos) for tr in traces) if r is not None]
        if res:
            fits.append((u, vals, pos, max(res)))
    if len(fits) < 2 or fits[-1][3] > MAX_FINEST:
        return None   # one step only, or no polyline fits (smoothed curves): the labels stay
    # the coarsest step about as straight as the finest (anti-aliased corners leave a pixel or two at any step)
    u, vals, pos, _ = next(f for f in fits if f[3] <= max(MAX_RESIDUAL, 1.3 * fits[-1][3] + 0.3))
    if u == st:
        return None   # the labels' step fits: the labels are the points
    return [str(int(v)) for v in vals], [float(p) for p in pos]
