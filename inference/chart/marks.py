"""Marks inside the plot area, one reader per kind: bars (vertical, horizontal, grouped), line vertices and
scatter points, each valued from the pixels through the axis calibration or from its printed value label."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .legend import match_value_label
from .ocr import read_crop
from .pixels import (blend_mask, cluster_1d, color_dist, components, coverage, nearest_colour_mask,
                     round_to_resolution)
from .reading import Mark
from .table import format_number


@dataclass
class MarksFound:
    """What a mark reader found: the marks (sorted by category, then series) and the categories with their pixel
    positions along the category axis."""
    marks: list[Mark]
    categories: list[str]
    anchors: list[float]


def _found(marks, categories, anchors) -> MarksFound:
    return MarksFound(sorted(marks, key=lambda m: (m.category, m.series)), list(categories), list(anchors))


def read_bars(ctx, reading, region, vcal, horizontal, anchors, categories) -> MarksFound:
    img = ctx.img
    marks = []
    bars = []  # (series, center, x0, y0, x1, y1, value, pixval)
    for si, s in enumerate(reading.series):
        dist = color_dist(img, s.color)
        m = (dist < 60) & region
        if max(s.color) - min(s.color) < 40:  # grey bars: the grey axis line and ticks they stand on are cut off
            import cv2

            m = cv2.morphologyEx(m.astype(np.uint8), cv2.MORPH_OPEN, np.ones((4, 4), np.uint8)).astype(bool)
        comps, lab = components(m, min_area=12)
        for (x, y, w, h, a, (cx, cy), i) in comps:
            if w < 3 or h < 2 or a < 0.5 * w * h:
                continue
            # sub-pixel ends from partial coverage in the middle third of the bar
            if not horizontal:
                cols = slice(x + w // 3, max(x + w // 3 + 1, x + 2 * w // 3))
                prof = coverage(img[:, cols].mean(1)[:, None, :], s.color, ctx.bg)[:, 0]
                top = y - float(prof[max(0, y - 2):y].sum())
                bot = y + h + float(prof[y + h:y + h + 2].sum())
                p_end_a, p_end_b = top, bot
                box = (x, top, x + w, bot)
            else:
                rows = slice(y + h // 3, max(y + h // 3 + 1, y + 2 * h // 3))
                prof = coverage(img[rows, :].mean(0)[:, None, :], s.color, ctx.bg)[:, 0]
                lft = x - float(prof[max(0, x - 2):x].sum())
                rgt = x + w + float(prof[x + w:x + w + 2].sum())
                p_end_a, p_end_b = rgt, lft  # a = far end for positive values
                box = (lft, y, rgt, y + h)
            base = vcal.pixel(0.0) if not vcal.log else None
            if base is None:
                far = p_end_a
                positive = True
            else:
                positive = abs(p_end_a - base) >= abs(p_end_b - base)
                far = p_end_a if positive else p_end_b
            v = vcal.value(far)
            if base is not None and not positive:
                v = min(v, 0.0)
            upp = vcal.units_per_px(far)
            pv = round_to_resolution(v, upp)
            center = (x + w / 2) if not horizontal else (y + h / 2)
            near = p_end_b if positive else p_end_a
            bars.append([si, center, box, pv, positive, upp, near, far])
    if not bars:
        return _found([], [], [])
    # stacked segments: one standing on another series' segment (its near end at the other's far end) is worth
    # the difference of its two ends, not its top's reading ('Girls' 6 134 on top of 'Boys' 272 890)
    lo_i, hi_i = (0, 2) if not horizontal else (1, 3)
    for b in bars:
        if any(o is not b and o[0] != b[0] and o[2][lo_i] <= b[1] <= o[2][hi_i] and abs(o[7] - b[6]) <= 3
               for o in bars):
            b[3] = round_to_resolution(vcal.value(b[7]) - vcal.value(b[6]), b[5])
    # categories: label anchors when read, else clusters of bar centres
    if not anchors:
        cs = sorted(b[1] for b in bars)
        widths = [(b[2][2] - b[2][0]) if not horizontal else (b[2][3] - b[2][1]) for b in bars]
        gap = 1.5 * float(np.median(widths))
        groups = cluster_1d(cs, key=lambda c: c, tol=gap if len(reading.series) > 1 else 0.5)
        anchors = [float(np.mean(g)) for g in groups]
        categories = [str(i + 1) for i in range(len(anchors))]
    if len(anchors) >= 2:
        spacing = float(np.median(np.diff(sorted(anchors))))
        extra = []
        # categories are evenly spaced: put anchors where a label is missing (outside or inside the read ones)
        lo = min(b[1] for b in bars)
        hi = max(b[1] for b in bars)
        grid = [min(anchors) - k * spacing for k in range(1, 50) if min(anchors) - k * spacing > lo - 0.6 * spacing]
        grid += [max(anchors) + k * spacing for k in range(1, 50) if max(anchors) + k * spacing < hi + 0.6 * spacing]
        sa = sorted(anchors)
        for a, b in zip(sa, sa[1:]):
            n_gap = int(round((b - a) / spacing))
            grid += [a + k * (b - a) / n_gap for k in range(1, n_gap)] if n_gap >= 2 else []
        for g in grid:  # only where there are bars
            if any(abs(b[1] - g) < 0.5 * spacing for b in bars):
                extra.append(g)
        for b in bars:
            if min(abs(b[1] - a) for a in anchors + extra) > 0.5 * spacing:
                extra.append(b[1])
        for c in extra:  # a bar whose label OCR missed: read the label region alone
            categories.append(read_missing_label(ctx, reading, c, horizontal))
            anchors.append(c)
        if extra:
            order = np.argsort(anchors)
            anchors = [anchors[i] for i in order]
            categories = [categories[i] for i in order]
    taken: dict = {}
    for si, center, box, pv, positive, upp, _, _ in bars:
        k = int(np.argmin([abs(center - a) for a in anchors]))
        size = (box[2] - box[0]) * (box[3] - box[1])
        if (si, k) in taken and taken[(si, k)][0] >= size:
            continue
        val, src, lbl = pv, "pixels", None
        hit = match_value_label(ctx, pv, box, "h" if horizontal else "v", positive, upp)
        if hit is not None:
            val, lbl = hit
            src = "label"
        taken[(si, k)] = (size, Mark(si, k, val, tuple(box), src, pv, lbl, _box_colour(ctx, box)))
    marks = [m for _, m in taken.values()]
    return _found(marks, categories, anchors)


def _box_colour(ctx, box) -> tuple | None:
    """The median colour inside a bar's box (its own colour when one series' bars differ in colour)."""
    x0, y0, x1, y1 = (int(round(v)) for v in box)
    px = ctx.img[max(0, y0 + 1):max(0, y1 - 1), max(0, x0 + 1):max(0, x1 - 1)].reshape(-1, 3)
    return tuple(float(v) for v in np.median(px, 0)) if len(px) else None


def read_missing_label(ctx, reading, center: float, horizontal: bool) -> str:
    x0, y0, x1, y1 = reading.plot_area
    if horizontal:
        box = (0, int(center) - 14, int(x0) - 4, int(center) + 14)
    else:
        box = (int(center) - 45, int(y1) + 3, int(center) + 45, int(y1) + 30)
    if ctx.texts:
        txt = read_crop(ctx.img, box)
        if txt:
            return txt
    return "?"


def read_lines(ctx, reading, region, vcal, anchors, categories) -> MarksFound:
    img = ctx.img
    if not anchors:
        # no labels: use the line's own vertices (x positions where the direction changes) is unreliable;
        # sample the x tick marks under the plot instead
        x0, _, x1, y1 = reading.plot_area
        prof = np.abs(ctx.gray[int(y1) + 1:int(y1) + 7, :] - ctx.bg.mean()).mean(0)
        peaks = [x for x in range(int(x0) + 2, int(x1) - 1) if prof[x] > 40 and prof[x] >= prof[x - 1]
                 and prof[x] > prof[x + 1]]
        anchors = [p + 0.5 for p in peaks]
        categories = [str(i + 1) for i in range(len(anchors))]
    marks = []
    dists = [color_dist(img, s.color) for s in reading.series]
    for si, s in enumerate(reading.series):
        dist = dists[si]
        m = nearest_colour_mask(dists, si, 70) & region
        if sum(bool(m[:, int(a) - 2:int(a) + 3].any()) for a in anchors) < 0.6 * len(anchors):
            # a thin line drawn lighter than its colour (anti-aliased): its washed pixels too, unless they are
            # plainly another series' colour
            m |= blend_mask(img, s.color, ctx.bg) & region
            for o in reading.series:
                if o is not s:
                    m &= ~(color_dist(img, o.color) < np.minimum(dist, 70))
        for k, a in enumerate(anchors):
            xi = int(a)
            col = None
            for off in (0, -1, 1, -2, 2, -3, 3, -4, 4, -6, 6):
                c = xi + off
                if 0 <= c < ctx.W and m[:, c].any():
                    col = c
                    break
            if col is None:
                continue
            ys = np.nonzero(m[:, col])[0]
            # the run nearest the median (ignore other crossings)
            runs = np.split(ys, np.nonzero(np.diff(ys) > 2)[0] + 1)
            run = max(runs, key=len)
            w = 1.0 + (70 - dist[run, col]) / 70
            yc = float((run * w).sum() / w.sum()) + 0.5
            # a vertex lies where its two segments meet: extrapolate each side's centre line to the anchor
            # (the column centroid at a sharp peak is biased towards the inside of the angle)
            half = (np.median(np.diff(anchors)) * 0.45) if len(anchors) > 1 else 12
            ests = []
            for side in (-1, 1):
                xs_, ys_ = [], []
                for dx in range(5, int(min(14, half)) + 1):
                    c = int(a) + side * dx
                    if not 0 <= c < ctx.W:
                        continue
                    rows = np.nonzero(m[:, c])[0]
                    rows = rows[np.abs(rows + 0.5 - yc) < 6 + 2.5 * dx]
                    if len(rows) == 0:
                        continue
                    parts = np.split(rows, np.nonzero(np.diff(rows) > 2)[0] + 1)
                    if len(parts) != 1 or len(parts[0]) > 12:
                        continue  # a crossing or a marker: not a clean segment column
                    xs_.append(c + 0.5)
                    ys_.append(float(parts[0].mean()) + 0.5)
                if len(xs_) >= 3:
                    slope, b0 = np.polyfit(xs_, ys_, 1)
                    ests.append(slope * a + b0)
            if ests and max(abs(e - yc) for e in ests) < 8:
                yc = float(np.mean(ests))
            v = vcal.value(yc)
            upp = vcal.units_per_px(yc)
            pv = round_to_resolution(v, upp)
            box = (a - 4, yc - 4, a + 4, yc + 4)
            val, src, lbl = pv, "pixels", None
            hit = match_value_label(ctx, pv, (a - 12, float(run.min()) - 2, a + 12, float(run.max()) + 1), "v", True, upp)
            if hit is not None:
                val, lbl = hit
                src = "label"
            marks.append(Mark(si, k, val, box, src, pv, lbl))
    return _found(marks, categories, anchors)


def read_scatter(ctx, reading, region, xcal, ycal) -> MarksFound:
    img = ctx.img
    pts = []
    s = reading.series[0]
    dist = color_dist(img, s.color)
    m = (dist < 70) & region
    comps, lab = components(m, min_area=6)
    if not comps:
        return _found([], [], [])
    med = float(np.median([c[4] for c in comps]))
    for (x, y, w, h, a, (cx, cy), i) in comps:
        n = max(1, int(round(a / med))) if med > 0 else 1
        if n == 1:
            pts.append((cx + 0.5, cy + 0.5, (x, y, x + w, y + h)))
        else:  # touching points: split the blob along its longer side
            ys, xs = np.nonzero(lab == i)
            along = xs if w >= h else ys
            order = np.argsort(along)
            for part in np.array_split(order, n):
                pts.append((float(xs[part].mean()) + 0.5, float(ys[part].mean()) + 0.5, (x, y, x + w, y + h)))
    pts.sort()
    cats, marks = [], []
    for k, (px, py, box) in enumerate(pts):
        step = abs(xcal.ticks[1][1] - xcal.ticks[0][1]) if len(xcal.ticks) >= 2 else 30 * xcal.units_per_px(px)
        xv = round_to_resolution(xcal.value(px), max(step / 10, xcal.units_per_px(px)))
        yv = round_to_resolution(ycal.value(py), ycal.units_per_px(py))
        cats.append(format_number(xv))
        marks.append(Mark(0, k, yv, (px - 4, py - 4, px + 4, py + 4), "pixels", yv))
    return _found(marks, cats, [p[0] for p in pts])
