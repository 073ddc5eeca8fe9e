"""Bars read from their printed value labels, with or without a value axis.

Most real bar charts (Statista, Pew, Our World in Data) print each bar's value on, above or beside it and often
draw no value axis at all, so the axis reader (reader.py) has nothing to calibrate. This reader needs no axis:

1. bars: solid rectangles of any non-background colour (text holes inside a bar closed), one bar per component;
2. orientation and baseline: the side most bars share (bottoms -> vertical bars, left ends -> horizontal);
   stacked segments continue a bar from its baseline;
3. value labels: the numeric text inside a bar or just past its far end, one label per bar, nearest first;
   a bar without a readable label is valued from its length through a line fitted on the labelled bars
   (the fit is the calibration: source "labels", its residual tells how well labels and lengths agree);
4. categories: the text beside each bar (or group of bars) on the baseline's other side, wrapped lines joined;
5. series: one per bar colour when a category holds several bars (names from the legend, or from a text
   printed in that colour); one series when each category holds one bar, whatever its colour.

`read_labelled_bars(ctx, hint)` returns a `ChartReading` or None when the picture does not look like labelled
bars (fewer than two bars, or too few of them labelled).
"""
from __future__ import annotations

import numpy as np

from .axes import AxisCalibration
from .legend import find_legend, find_title
from .pixels import ReadContext, cluster_1d, color_dist, dominant_colors, text_colour
from .reading import ChartReading, Mark, Series
from .table import Table

MIN_LABELLED = 0.6  # at least this share of the bars must have a printed label


class _Bar:
    __slots__ = ("x0", "y0", "x1", "y1", "color", "label", "value", "negative")

    def __init__(self, x0, y0, x1, y1, color):
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        self.color = color
        self.label = None
        self.value = None
        self.negative = False

    def thick(self, vertical: bool) -> int:
        return (self.x1 - self.x0) if vertical else (self.y1 - self.y0)

    def centre(self, vertical: bool) -> float:
        return (self.x0 + self.x1) / 2 if vertical else (self.y0 + self.y1) / 2

    def length(self, vertical: bool) -> int:
        return (self.y1 - self.y0) if vertical else (self.x1 - self.x0)


def _text_mask(ctx: ReadContext) -> np.ndarray:
    m = np.zeros((ctx.H, ctx.W), bool)
    for t in ctx.texts:
        m[max(0, int(t.y0)):int(t.y1) + 1, max(0, int(t.x0)):int(t.x1) + 1] = True
    return m


def find_bars(ctx: ReadContext) -> list[_Bar]:
    """Solid rectangles of one non-background colour (>= 4 px thick), text holes inside them closed."""
    import cv2

    img = ctx.img
    nonbg = color_dist(img, ctx.bg) > 50
    f = img.astype(np.int16)
    grey_dark = (f.max(2) - f.min(2) < 30) & (ctx.gray < 110)  # black / dark-grey text and axes
    mask = nonbg & ~grey_dark
    cols = dominant_colors(img, mask, min_frac=0.01, max_k=10)
    texts = _text_mask(ctx)
    bars: list[_Bar] = []
    kernel = np.ones((5, 5), np.uint8)
    for c in cols:
        m = (color_dist(img, c) < 45) & mask
        closed = cv2.morphologyEx(m.astype(np.uint8), cv2.MORPH_CLOSE, kernel)
        n, lab, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=4)
        for i in range(1, n):
            x, y, w, h, a = (int(v) for v in stats[i])
            if w < 4 or h < 4 or max(w, h) < 8 or w * h > 0.5 * ctx.H * ctx.W:
                continue
            solid = m[y:y + h, x:x + w].mean()
            if solid < 0.7 or a < 0.9 * w * h:
                continue
            if texts[y:y + h, x:x + w].mean() > 0.6:  # coloured text, not a bar
                continue
            bars.append(_Bar(x, y, x + w, y + h, tuple(float(v) for v in c)))
    return bars


def _baseline(bars: list[_Bar], vertical: bool) -> tuple[int, float]:
    """(number of bars sharing the most common base edge, that edge)."""
    ends = [b.y1 if vertical else b.x0 for b in bars]
    best = (0, 0.0)
    for g in cluster_1d(ends, key=lambda e: e, tol=2):
        if len(g) > best[0]:
            best = (len(g), float(np.median(g)))
    return best


def _keep(bars: list[_Bar], vertical: bool, base: float) -> list[_Bar]:
    """Bars standing on the baseline (or hanging from it: negative), and segments stacked on those."""
    on = [b for b in bars if abs((b.y1 if vertical else b.x0) - base) <= 3]
    thick = float(np.median([b.thick(vertical) for b in on]))
    keep = [b for b in on if 0.6 * thick <= b.thick(vertical) <= 1.6 * thick]
    for b in bars:  # hanging below the baseline / left of it: negative values
        if b not in keep and abs((b.y0 if vertical else b.x1) - base) <= 3 and 0.6 * thick <= b.thick(vertical) <= 1.6 * thick:
            b.negative = True
            keep.append(b)
    grown = True
    while grown:  # stacked segments: touching the far end of a kept bar, same thickness and position
        grown = False
        for b in bars:
            if b in keep:
                continue
            for k in keep:
                if vertical:
                    touch = abs(b.y1 - k.y0) <= 3 and abs(b.x0 - k.x0) <= 3 and abs(b.x1 - k.x1) <= 3
                else:
                    touch = abs(b.x0 - k.x1) <= 3 and abs(b.y0 - k.y0) <= 3 and abs(b.y1 - k.y1) <= 3
                if touch and b.color != k.color:
                    keep.append(b)
                    grown = True
                    break
    return keep


def _assign_labels(ctx: ReadContext, bars: list[_Bar], vertical: bool) -> None:
    """Each bar's printed value: a number inside it or just past its far end; nearest pairs first, each once."""
    cands = []
    for ti, t in enumerate(ctx.texts):
        if t.value is None or t.role not in ("", "value_label"):
            continue
        for bi, b in enumerate(bars):
            if vertical:
                w = b.x1 - b.x0
                if not (b.x0 - 0.3 * w <= t.cx <= b.x1 + 0.3 * w):
                    continue
                if b.y0 - 2 <= t.cy <= b.y1 + 2:
                    d = 0.0
                elif not b.negative:
                    d = b.y0 - t.y1
                else:
                    d = t.y0 - b.y1
                if not -3 <= d <= 2.5 * t.h + 6:
                    continue
            else:
                h = b.y1 - b.y0
                if not (b.y0 - 0.3 * h <= t.cy <= b.y1 + 0.3 * h):
                    continue
                if b.x0 - 2 <= t.cx <= b.x1 + 2 and t.w < (b.x1 - b.x0) + 4:
                    d = 0.0
                elif not b.negative:
                    d = t.x0 - b.x1
                else:
                    d = b.x0 - t.x1
                if not -3 <= d <= 4 * t.h + 10:
                    continue
            cands.append((d, ti, bi))
    used_t, used_b = set(), set()
    for d, ti, bi in sorted(cands):
        if ti in used_t or bi in used_b:
            continue
        used_t.add(ti)
        used_b.add(bi)
        t = ctx.texts[ti]
        t.role = "value_label"
        v = float(t.value)
        if bars[bi].negative and v > 0:
            v = -v  # a minus sign lost, or a bar printed without it
        bars[bi].label = t
        bars[bi].value = v


def _diverging(bars: list[_Bar], vertical: bool) -> None:
    """Pew's diverging bars: one stack runs both ways from the baseline ('Disapprove' left, 'Approve' right) and
    prints magnitudes; a segment left of (below) the baseline with a label printed without a minus sign is then a
    positive amount, not a negative value."""
    tol = 0.3 * float(np.median([b.thick(vertical) for b in bars]))
    for b in bars:
        if not b.negative or b.label is None or "-" in b.label.text or "\u2212" in b.label.text:
            continue
        if any(not o.negative and abs(o.centre(vertical) - b.centre(vertical)) <= tol for o in bars):
            b.negative = False
            b.value = abs(b.value)


def _fit(bars: list[_Bar], vertical: bool, base: float):
    """value = a + b * signed length over the labelled bars standing on the baseline -> (a, b, residual) or None."""
    pts = [(b.length(vertical) * (-1 if b.negative else 1), b.value) for b in bars if b.label is not None]
    if len({p for p, _ in pts}) < 2:
        return None
    p = np.array([x for x, _ in pts], float)
    v = np.array([y for _, y in pts], float)
    A = np.stack([np.ones_like(p), p], 1)
    (a, b), *_ = np.linalg.lstsq(A, v, rcond=None)
    if b <= 0:
        return None
    rng = float(v.max() - v.min()) or 1.0
    resid = float(np.median(np.abs(a + b * p - v)) / rng)
    return float(a), float(b), resid


def _categories(bars: list[_Bar], vertical: bool) -> list[list[_Bar]]:
    """Bars -> categories along the category axis: stacked segments share a position; grouped bars (one of each
    colour, small gaps inside a group, larger between groups) form one category."""
    stacks = cluster_1d(bars, key=lambda b: b.centre(vertical), tol=0.3 * np.median([b.thick(vertical) for b in bars]))
    if len(stacks) < 2:
        return stacks
    colours = {b.color for b in bars}
    single_colour_stacks = all(len({b.color for b in s}) == 1 for s in stacks)
    if len(colours) == 1 or not single_colour_stacks:
        return stacks
    lo = [min((b.x0 if vertical else b.y0) for b in s) for s in stacks]
    hi = [max((b.x1 if vertical else b.y1) for b in s) for s in stacks]
    gaps = [lo[i + 1] - hi[i] for i in range(len(stacks) - 1)]
    g_min, g_max = min(gaps), max(gaps)
    if g_max <= 2 * max(g_min, 1) + 3:  # evenly spaced: one bar per category, coloured one by one
        return stacks
    cut = (g_min + g_max) / 2
    groups = [list(stacks[0])]
    for i, g in enumerate(gaps):
        if g > cut:
            groups.append([])
        groups[-1].extend(stacks[i + 1])
    # a group is one category only if its bars have different colours (else the gaps were not groups)
    if any(len({b.color for b in g}) < len(g) for g in groups):
        return stacks
    return groups


def _label_for(ctx: ReadContext, lo: float, hi: float, vertical: bool, base: float, used: set,
               span: tuple | None = None) -> str:
    """The category text in the cell [lo, hi] along the category axis, on the far side of the baseline; beside a
    horizontal bar, a text level with the bar's own SPAN first (not a tick label just below the last bar)."""
    cands = []
    for i, t in enumerate(ctx.texts):
        if i in used or not ctx.free(t) or t.role == "vertical":
            continue
        if vertical:
            anchor = t.x1 - 4 if abs(t.angle) > 15 else t.cx
            if not (lo <= anchor <= hi) or t.y0 < base - 4:
                continue
            cands.append((t.y0, i, t))
        else:
            if not (lo <= t.cy <= hi) or t.x1 > base + 4:
                continue
            level = span is None or span[0] - 2 <= t.cy <= span[1] + 2
            cands.append(((not level, -t.x1), i, t))
    if not cands:
        return ""
    cands.sort(key=lambda c: c[0])
    first = cands[0][2]
    if vertical and first.y0 - base > 4 * first.h + 10:
        return ""
    lines = [cands[0]]
    for c in cands[1:]:
        t, prev = c[2], lines[-1][2]
        if vertical and -0.4 * prev.h < t.y0 - prev.y1 < 0.8 * prev.h and abs(t.cx - prev.cx) < max(t.w, prev.w):
            lines.append(c)
        elif not vertical and abs(t.x1 - first.x1) < 3 * first.h and abs(t.cy - prev.cy) < 1.6 * prev.h:
            lines.append(c)
    for _, i, t in lines:
        used.add(i)
        t.role = "category"
    lines.sort(key=lambda c: c[2].cy)
    return " ".join(c[2].text for c in lines)


def _series_names(ctx: ReadContext, colours: list[tuple], bars: list[_Bar] | None = None) -> list[str]:
    """A name per bar colour: the legend entry of that colour, else a text printed in that colour (Pew's
    coloured headers), else a header printed over that colour's top bar, else 'Series k'."""
    legend = find_legend(ctx)
    names = []
    for k, c in enumerate(colours):
        near = [s for s in legend if np.abs(np.array(s.color) - np.array(c)).sum() < 60]
        if near:
            names.append(near[0].name)
            continue
        best = None
        same = []
        joined = ""
        for t in ctx.texts:
            if not ctx.free(t) or t.value is not None:
                continue
            tc = text_colour(ctx, t)
            if tc is not None and np.abs(tc - np.array(c)).sum() < 70:
                same.append(t)
                if best is None or t.y0 < best.y0:
                    best = t
        if best is not None:   # a header wrapped over several lines in its colour ('As Americans, we can always /
            edge, lines = best, [best]   # find ways to solve our problems / and get what we want'): one name
            for t in sorted(same, key=lambda t: t.y0):
                if t is best or t.y0 < edge.y0:
                    continue
                if t.y0 - edge.y1 <= 0.8 * edge.h and min(t.x1, edge.x1) - max(t.x0, edge.x0) > 0.3 * min(t.w, edge.w):
                    lines.append(t)
                    edge = t
            for t in lines[1:]:
                t.role = "legend"
            joined = " ".join(t.text for t in lines)
        if best is None and bars:
            best = _column_header(ctx, [b for b in bars if np.abs(np.array(b.color) - np.array(c)).sum() < 40])
        if best is not None:
            best.role = "legend"
            names.append(joined if best in same else best.text)   # wrapped lines in its colour, joined
        else:
            names.append(f"Series {k + 1}")
    return names


def _column_header(ctx: ReadContext, bars: list[_Bar]):
    """A header printed just above the top bar of one colour and within its span (Pew's stacked bars name their
    columns so, without a legend); wrapped headers are joined."""
    if not bars:
        return None
    top = min(bars, key=lambda b: b.y0)
    lines = []
    edge = top.y0
    for t in sorted((t for t in ctx.texts if ctx.free(t) and t.value is None and t.y1 <= top.y0 + 2),
                    key=lambda t: -t.y1):
        if not (top.x0 - 0.25 * t.w <= t.cx <= top.x1 + 0.25 * t.w) or t.w > 3 * (top.x1 - top.x0) + 40:
            continue
        if edge - t.y1 > (1.2 * t.h if lines else 3 * t.h + 6):
            break
        lines.append(t)
        edge = t.y0
    if not lines:
        return None
    for t in lines[1:]:
        t.role = "legend"
    head = lines[0]
    head.text = " ".join(t.text for t in sorted(lines, key=lambda t: t.cy))
    return head


def read_labelled_bars(ctx: ReadContext, hint: str | None = None) -> ChartReading | None:
    bars = find_bars(ctx)
    if len(bars) < 2:
        return None
    nv, base_v = _baseline(bars, True)
    nh, base_h = _baseline(bars, False)
    vertical = nv > nh or (nv == nh and hint != "h_bar")
    base = base_v if vertical else base_h
    if max(nv, nh) < 2:
        return None
    bars = _keep(bars, vertical, base)
    if len(bars) < 2:
        return None
    _assign_labels(ctx, bars, vertical)
    _diverging(bars, vertical)
    n_lab = sum(b.label is not None for b in bars)
    if n_lab < 2 or n_lab < MIN_LABELLED * len(bars):
        for b in bars:
            if b.label is not None:
                b.label.role = ""
        return None
    fit = _fit(bars, vertical, base)
    for b in bars:
        if b.label is None and fit is not None:
            a, k, _ = fit
            b.value = a + k * b.length(vertical) * (-1 if b.negative else 1)
    # series: one per colour when categories hold several bars, else one
    cats = _categories(bars, vertical)
    multi = any(len(g) > 1 for g in cats)
    colours: list[tuple] = []
    if multi:
        for b in sorted(bars, key=lambda b: (b.centre(vertical), b.y0 if not vertical else -b.y1)):
            if not any(np.abs(np.array(b.color) - np.array(c)).sum() < 40 for c in colours):
                colours.append(b.color)
    # categories' text: each category's cell runs halfway to its neighbours
    pos = [(min((b.x0 if vertical else b.y0) for b in g), max((b.x1 if vertical else b.y1) for b in g)) for g in cats]
    used: set = set()
    names = []
    for i, (lo, hi) in enumerate(pos):
        left = (pos[i - 1][1] + lo) / 2 if i > 0 else lo - (hi - lo)
        right = (hi + pos[i + 1][0]) / 2 if i + 1 < len(pos) else hi + (hi - lo)
        # the label sits beyond the category's own bars (a diverging stack starts left of the baseline)
        edge = max(b.y1 for b in cats[i]) if vertical else min(b.x0 for b in cats[i])
        names.append(_label_for(ctx, left, right, vertical, edge, used, (lo, hi)) or "?")
    if multi:  # series names first: a header over a column is not the chart's title
        snames = _series_names(ctx, colours, bars)
        series = [Series(n, c) for n, c in zip(snames, colours)]
    title = find_title(ctx, top_limit=min(b.y0 for b in bars) - 2)
    if not multi:
        name = _axis_title(ctx, bars, vertical) or title or "Value"
        series = [Series(name, bars[0].color)]
    marks = []
    for ci, g in enumerate(cats):
        for b in g:
            si = 0
            if multi:
                si = int(np.argmin([np.abs(np.array(b.color) - np.array(c)).sum() for c in colours]))
            if b.value is None:
                continue
            v = round(b.value, 10) if b.label is not None else float(f"{b.value:.3g}")
            marks.append(Mark(si, ci, v, (b.x0, b.y0, b.x1, b.y1), "label" if b.label is not None else "pixels",
                              None, b.label.text if b.label is not None else None, tuple(b.color)))
    if not marks:
        return None
    # one value per cell (a duplicated mark keeps the labelled one)
    cell: dict = {}
    for m in marks:
        if (m.series, m.category) not in cell or m.source == "label":
            cell[(m.series, m.category)] = m
    marks = sorted(cell.values(), key=lambda m: (m.category, m.series))
    vals = [[None] * len(series) for _ in cats]
    for m in marks:
        vals[m.category][m.series] = m.value
    ctype = ("grouped_bar" if len(series) > 1 else "v_bar") if vertical else "h_bar"
    x0 = min(b.x0 for b in bars)
    y0 = min(b.y0 for b in bars)
    plot = (float(x0), float(y0), float(max(b.x1 for b in bars)), float(max(b.y1 for b in bars)))
    cal = {}
    if fit is not None:
        a, k, resid = fit
        ax = "y" if vertical else "x"
        # pixel position of the far end of a bar of length L: base - L (vertical), base + L (horizontal)
        sgn = -1.0 if vertical else 1.0
        ticks = [(base + sgn * b.length(vertical) * (-1 if b.negative else 1), b.value) for b in bars if b.label is not None]
        p_far = base + sgn * max(b.length(vertical) for b in bars)
        try:
            cal[ax] = AxisCalibration(ax, float(base), a, float(p_far), a + k * abs(p_far - base), False, "labels",
                                      ticks=[(float(p), float(v)) for p, v in ticks], residual=resid)
        except Exception:  # degenerate fit: no calibration, the values stay the printed ones
            cal = {}
    table = Table(["Characteristic"] + [s.name for s in series], names, vals, title)
    reading = ChartReading((ctx.W, ctx.H), ctype, 1.0, table, series=series, plot_area=plot, calibration=cal,
                           title=title)
    reading.marks = marks
    reading.category_anchors = [(lo + hi) / 2 for lo, hi in pos]
    unl = sum(b.label is None for b in bars)
    if unl:
        reading.warnings.append(f"{unl} of {len(bars)} bars had no readable value label: valued from their length")
    return reading


def _axis_title(ctx: ReadContext, bars: list[_Bar], vertical: bool) -> str:
    """The value axis' title when the chart prints one: rotated text left of vertical bars, a line of text below
    horizontal bars."""
    if vertical:
        vt = [t for t in ctx.texts if t.role == "vertical" and t.x1 < min(b.x0 for b in bars)]
        if vt:
            t = min(vt, key=lambda t: t.x0)
            t.role = "axis_title"
            return t.text
        return ""
    bottom = max(b.y1 for b in bars)
    below = [t for t in ctx.texts if ctx.free(t) and t.role != "vertical" and t.value is None
             and bottom < t.y0 < bottom + 60 and t.cx > min(b.x0 for b in bars)]
    if below:
        t = min(below, key=lambda t: t.y0)
        t.role = "axis_title"
        return t.text
    return ""
