"""Axes from the chart's text: tick-label rows and columns, the plot area's edges, tick marks snapped to the
pixels, and log axes (from minor ticks). The calibration types themselves are in `axes.py`."""
from __future__ import annotations

import math

import numpy as np

from .axes import AxisCalibration, fit_axis
from .ocr import TextBox
from .pixels import ReadContext, cluster_1d, profile_peak


def tick_group_vertical(ctx: ReadContext, numeric: bool = True) -> list[TextBox]:
    """Labels stacked vertically and right-aligned (y-axis ticks, or h-bar categories)."""
    cands = [t for t in ctx.texts if ctx.free(t) and t.role != "vertical" and
             (numeric is None or (t.value is not None) == numeric) and t.h < 3 * max(t.w, 1) + 10]
    best: list[TextBox] = []
    for g in cluster_1d(cands, key=lambda t: t.x1, tol=9):
        g = sorted(g, key=lambda t: t.cy)
        # distinct rows only
        rows = [g[0]]
        for t in g[1:]:
            if t.cy - rows[-1].cy > 0.6 * t.h:
                rows.append(t)
        if len(rows) > len(best) or (len(rows) == len(best) and rows and best and rows[0].x1 < best[0].x1):
            best = rows
    return best if len(best) >= 2 else []


def tick_group_horizontal(ctx: ReadContext, numeric: bool = True, below: float = -1) -> list[TextBox]:
    """Labels in one row (x-axis ticks / categories), grouped by their top edge (works for rotated labels)."""
    cands = [t for t in ctx.texts if ctx.free(t) and t.role != "vertical" and ((t.value is not None) == numeric
             if numeric else True) and t.cy > below]
    best: list[TextBox] = []
    for g in cluster_1d(cands, key=lambda t: t.y0, tol=7):
        g = sorted(g, key=lambda t: t.cx)
        # most labels wins; on a tie the lower row (tick labels sit below the plot, value labels inside it)
        if len(g) > len(best) or (len(g) == len(best) and best and g[0].y0 > best[0].y0):
            best = g
    return best


def join_wrapped(ctx: ReadContext, labels: list[TextBox]) -> None:
    """Category labels wrapped over several lines ('Better border security and' / 'stronger enforcement'): the free
    lines just above or below a label, centred on it and on no other label, join its text in reading order. A label
    wraps only when it is about as wide as the room it has, so a short label ('Mar') never takes the axis title
    ('Month') printed under it."""
    flat = [t for t in labels if abs(t.angle) <= 15]
    centres = sorted(t.cx for t in labels)
    if len(centres) < 2:
        return
    room = float(np.median(np.diff(centres)))
    for t in flat:
        lines = [t]
        for direction in (-1, 1):
            edge = t
            while True:
                nxt = None
                for o in ctx.texts:
                    if o is t or o in lines or not ctx.free(o) or o.role == "vertical" or abs(o.angle) > 15:
                        continue
                    gap = (edge.y0 - o.y1) if direction < 0 else (o.y0 - edge.y1)
                    if not (-0.4 * edge.h < gap < 0.8 * edge.h) or abs(o.h - edge.h) > 0.5 * edge.h:
                        continue
                    if abs(o.cx - t.cx) > 0.35 * max(o.w, t.w) + 4:
                        continue
                    if sum(1 for c in centres if o.x0 - 2 <= c <= o.x1 + 2) > 1:  # spans two labels' columns
                        continue
                    nxt = o
                    break
                if nxt is None:
                    break
                lines.append(nxt)
                edge = nxt
        if len(lines) > 1 and max(o.w for o in lines) >= 0.5 * room:
            for o in lines[1:]:
                o.role = "category"
            t.text = " ".join(o.text for o in sorted(lines, key=lambda o: o.cy))


def find_edges(ctx: ReadContext, x_from: float, x_to: float, y_from: float, y_to: float) -> tuple:
    """Plot-area edges: first column/row (scanning outward from the inside) that is a long line or panel edge."""
    H, W = ctx.H, ctx.W
    diff = np.abs(ctx.img.astype(np.float32) - ctx.bg[None, None, :]).sum(2) > 30
    ya, yb = int(max(0, y_from)), int(min(H, y_to))
    xa, xb = int(max(0, x_from)), int(min(W, x_to))
    left = right = top = bottom = None
    if yb - ya > 10:
        colfrac = diff[ya:yb].mean(0)
        for x in range(xa, min(W, xa + 40)):
            if colfrac[x] > 0.85:
                left = x
                break
        for x in range(W - 1, max(xa, W // 2), -1):
            if colfrac[x] > 0.85:
                right = x + 1
                break
    if xb - xa > 10:
        rowfrac = diff[:, xa:xb].mean(1)
        for y in range(int(min(H - 1, y_to)), max(0, int(y_to) - 60), -1):
            if rowfrac[y] > 0.85:
                bottom = y + 1
                break
        top_cands = [y for y in range(max(0, int(y_from) - 150), int(y_from) + 1) if rowfrac[y] > 0.85]
        if top_cands:
            top = top_cands[0]
    return left, right, top, bottom


def snap_ticks(ctx: ReadContext, axis: str, labels: list[TextBox], edge: float | None, anchor=None,
               gridlines: bool = False) -> list[float]:
    """Tick pixel positions (continuous coords): the tick mark next to each label, else the label centre. GRIDLINES
    (a value axis): the gridline each label has, where every label has one (a category axis has none: its bars'
    edges would pass for lines)."""
    if anchor is None:
        anchor = (lambda t: t.cy) if axis == "y" else (lambda t: t.cx)
    out = []
    prof = None
    if edge is not None:
        e = int(edge)
        if axis == "y":
            strip = ctx.gray[:, max(0, e - 7):max(1, e - 1)]
            if strip.size:
                prof = np.abs(strip - ctx.bg.mean()).mean(1)
        else:
            strip = ctx.gray[min(ctx.H - 1, e + 1):min(ctx.H, e + 7), :]
            if strip.size:
                prof = np.abs(strip - ctx.bg.mean()).mean(0)
    centres = [anchor(t) for t in labels]
    for c in centres:
        p = profile_peak(prof, c - 0.5) if prof is not None else None
        out.append(p + 0.5 if p is not None else c)
    if gridlines and len(labels) >= 3:   # gridlines, where every label has one, are where the values are
        grid = _gridlines(ctx, axis, labels)
        if grid is not None:
            return grid
    if len(out) >= 3:
        # a tick sits at the same offset from its label as the others do: a 'peak' off that offset is a data line
        # crossing the strip (no tick marks, gridlines only), and the label's place is taken instead
        offs = [o - c for o, c in zip(out, centres)]
        med = float(np.median(offs))
        out = [o if abs(d - med) <= 3 else c + med for o, c, d in zip(out, centres, offs)]
    return out


def _gridlines(ctx: ReadContext, axis: str, labels: list[TextBox]) -> list[float] | None:
    """Each value label's gridline, where every label has one: the line across the chart nearest the label (OECD
    and OWID print y labels just above their line, inside the plot; Statista's rotated x labels end at theirs),
    one line per label, the lines as evenly spaced as the values, every label about as far from its line (within
    2 px, or 0.3 of the lines' spacing). None otherwise (the caller's positions stand)."""
    g = ctx.gray.astype(np.float32)
    if axis == "x":
        g = g.T
    if g.shape[0] < 8:
        return None
    d = np.zeros(g.shape[0], np.float32)
    # a line stands out of the rows (columns) 3 px either side of it along a good part of the picture (dotted
    # gridlines along a quarter of it)
    d[3:-3] = np.percentile(np.abs(g[3:-3] - (g[:-6] + g[6:]) / 2), 75, axis=1)
    lines = [float(y) for y in range(3, len(d) - 3) if d[y] > 8 and d[y] == d[y - 3:y + 4].max()
             and d[y] > d[y - 1] and d[y] >= d[y + 1]]
    if len(lines) < len(labels):
        return None
    out, offs = [], []
    for t in labels:
        c, size = (t.cy, t.h) if axis == "y" else (t.cx, t.w)
        near = [y for y in lines if c - size <= y <= c + size]
        if not near:
            return None
        y = min(near, key=lambda y: abs(y - c))
        out.append(y + 0.5)
        offs.append(y - c)
    # one line per label, lines evenly spaced as the values are, each label about as far from its line as the
    # others are (a rotated label's centre moves with its length)
    if len(set(out)) < len(out):
        return None
    vals = [t.value for t in labels]
    if any(v is None for v in vals) or len(set(vals)) < len(vals):
        return None
    A = np.stack([np.ones(len(vals)), np.asarray(vals, float)], 1)
    coef, *_ = np.linalg.lstsq(A, np.asarray(out), rcond=None)
    gap = float(np.median(np.abs(np.diff(sorted(out)))))
    if np.abs(A @ coef - out).max() > 1.5 or max(offs) - min(offs) > max(2.0, 0.3 * gap):
        return None
    return out


def maybe_log(ctx: ReadContext, c: AxisCalibration, edge: float) -> AxisCalibration:
    """Two major ticks a decade apart fit linear and log equally: log axes show minor ticks between them."""
    if c.log or len(c.ticks) != 2 or c.v1 <= 0 or c.v2 <= 0:
        return c
    (pa, va), (pb, vb) = c.ticks
    if va <= 0 or vb <= 0:  # a decade apart needs two positive ticks
        return c
    r = max(va, vb) / min(va, vb)
    if abs(math.log10(r) - round(math.log10(r))) > 1e-6 or r < 10:
        return c
    e = int(edge)
    if c.axis == "y":
        prof = np.abs(ctx.gray[:, max(0, e - 5):max(1, e - 1)] - ctx.bg.mean()).mean(1)
    else:
        prof = np.abs(ctx.gray[min(ctx.H - 1, e + 1):min(ctx.H, e + 5), :] - ctx.bg.mean()).mean(0)
    lo, hi = int(min(pa, pb)) + 3, int(max(pa, pb)) - 3
    seg = prof[lo:hi]
    if len(seg) < 10:
        return c
    peaks = [i for i in range(1, len(seg) - 1) if seg[i] > 20 and seg[i] >= seg[i - 1] and seg[i] > seg[i + 1]]
    if len(peaks) >= 4 and fit_axis(c.axis, [pa, pb], [va, vb]) is not None:
        return AxisCalibration(c.axis, pa, va, pb, vb, True, "ocr", c.ticks, 0.0)
    return c


def log_from_minor_ticks(ctx: ReadContext, axis: str, pix: list[float], vals: list[float], edge: float):
    """One readable label on a log axis: the minor ticks (2..9 x 10^k) give the pixels per decade."""
    cands = [(p, v) for p, v in zip(pix, vals) if v > 0 and abs(math.log10(v) - round(math.log10(v))) < 1e-9]
    if not cands:
        return None
    p0, v0 = cands[0]
    e = int(edge)
    if axis == "y":
        prof = np.abs(ctx.gray[:, max(0, e - 5):max(1, e - 1)] - ctx.bg.mean()).mean(1)
        sign = -1.0  # values grow upwards
    else:
        prof = np.abs(ctx.gray[min(ctx.H - 1, e + 1):min(ctx.H, e + 5), :] - ctx.bg.mean()).mean(0)
        sign = 1.0
    if prof.size < 10:
        return None
    peaks = np.array([i + 0.5 for i in range(1, len(prof) - 1)
                      if prof[i] > 20 and prof[i] >= prof[i - 1] and prof[i] > prof[i + 1]])
    if len(peaks) < 5:
        return None
    fr = np.log10(np.arange(2, 10))
    best = (0, None)
    for D in np.arange(20.0, min(600.0, len(prof) * 1.5), 0.5):
        pred = np.concatenate([p0 + sign * fr * D, p0 + sign * (fr - 1) * D])
        pred = pred[(pred > 2) & (pred < len(prof) - 2)]
        if len(pred) < 5:
            continue
        hits = int((np.abs(pred[:, None] - peaks[None, :]).min(1) <= 1.2).sum())
        if hits > best[0] or (hits == best[0] and best[1] is not None and abs(D - best[1]) < 1):
            best = (hits, D if hits > best[0] else best[1])
    if best[0] < 5:
        return None
    D = best[1]
    return AxisCalibration(axis, p0, v0, p0 + sign * D, v0 * 10, True, "ocr", [[p0, v0]], 0.0)
