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
    __slots__ = ("x0", "y0", "x1", "y1", "color", "label", "value", "negative", "from_label")

    def __init__(self, x0, y0, x1, y1, color):
        self.x0, self.y0, self.x1, self.y1 = x0, y0, x1, y1
        self.color = color
        self.label = None
        self.value = None
        self.negative = False
        self.from_label = False   # a stacked segment found from its printed value (_label_segments)

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


def _ink(ctx: ReadContext) -> np.ndarray:
    """Pixels that may be a bar's: off the background, and not black or dark-grey text and axes."""
    f = ctx.img.astype(np.int16)
    grey_dark = (f.max(2) - f.min(2) < 30) & (ctx.gray < 110)
    return (color_dist(ctx.img, ctx.bg) > 50) & ~grey_dark


def bar_colours(ctx: ReadContext) -> list[tuple]:
    """The picture's main non-background colours: the bars' candidates."""
    return dominant_colors(ctx.img, _ink(ctx), min_frac=0.01, max_k=10)


def find_bars(ctx: ReadContext, cols: list[tuple] | None = None) -> list[_Bar]:
    """Solid rectangles of one non-background colour (>= 4 px thick), text holes inside them closed."""
    import cv2

    img = ctx.img
    mask = _ink(ctx)
    if cols is None:
        cols = dominant_colors(img, mask, min_frac=0.01, max_k=10)
    texts = _text_mask(ctx)
    bars: list[_Bar] = []
    kernel = np.ones((5, 5), np.uint8)
    for c in cols:
        m = (color_dist(img, c) < 45) & mask
        m8 = m.astype(np.uint8)
        if max(c) - min(c) < 30:
            # a grey's tolerance takes in the anti-aliased edges of darker bars beside it: those 1-2 px lines are
            # opened away before text holes are closed (or the grey bar and its neighbour's edge become one shape)
            m8 = cv2.morphologyEx(m8, cv2.MORPH_OPEN, np.ones((3, 3), np.uint8))
        closed = cv2.morphologyEx(m8, cv2.MORPH_CLOSE, kernel)
        n, lab, stats, _ = cv2.connectedComponentsWithStats(closed, connectivity=4)
        for i in range(1, n):
            x, y, w, h, a = (int(v) for v in stats[i])
            if w < 4 or h < 4 or max(w, h) < 8 or w * h > 0.5 * ctx.H * ctx.W:
                continue
            tm = texts[y:y + h, x:x + w]
            # a value label printed inside a short segment leaves holes wider than the closing: its box counts
            # as the bar's own, and so do holes that do not reach the component's border
            solid = (m[y:y + h, x:x + w] | tm).mean()
            if solid < 0.7 or _filled_area(lab[y:y + h, x:x + w] == i) < 0.9 * w * h:
                continue
            if tm.mean() > 0.6 and not _past_text(tm):  # coloured text, not a bar
                continue
            bars.append(_Bar(x, y, x + w, y + h, tuple(float(v) for v in c)))
    # one rectangle found in two near colours (two greys both within reach of a grey bar): once, in the colour
    # nearer its own pixels
    out: list[_Bar] = []
    for b in bars:
        twin = next((o for o in out if max(abs(o.x0 - b.x0), abs(o.y0 - b.y0), abs(o.x1 - b.x1), abs(o.y1 - b.y1)) <= 2),
                    None)
        if twin is None:
            out.append(b)
            continue
        own = np.median(img[b.y0:b.y1, b.x0:b.x1].reshape(-1, 3), 0)
        if np.abs(own - np.array(b.color)).sum() < np.abs(own - np.array(twin.color)).sum():
            out[out.index(twin)] = b
    return out


def _filled_area(comp: np.ndarray) -> int:
    """The component's area with its holes (regions not reaching the box's border) filled."""
    import cv2

    inv = np.pad(~comp, 1, constant_values=True).astype(np.uint8)
    _, lab = cv2.connectedComponents(inv, connectivity=4)
    outside = lab == lab[0, 0]
    return int((~outside[1:-1, 1:-1]).sum())


def _past_text(tm: np.ndarray) -> bool:
    """Whether a component reaches past the text boxes over it on both sides (its first and last two columns, or
    rows, mostly free of text): a short stacked segment under its own value label, not a coloured word."""
    if tm.shape[0] < 4 or tm.shape[1] < 4:
        return False
    return bool((tm[:, :2].mean() < 0.5 and tm[:, -2:].mean() < 0.5)
                or (tm[:2].mean() < 0.5 and tm[-2:].mean() < 0.5))


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
                # a segment found from its label has the label's extent: it may overlap its neighbours a little
                loose = b.from_label or k.from_label
                tol = 6 if loose else 3
                if vertical:
                    touch = (abs(b.y1 - k.y0) <= tol or (loose and k.y0 < b.y1 < k.y1)) \
                        and abs(b.x0 - k.x0) <= 3 and abs(b.x1 - k.x1) <= 3
                else:
                    touch = (abs(b.x0 - k.x1) <= tol or (loose and k.x0 < b.x0 < k.x1)) \
                        and abs(b.y0 - k.y0) <= 3 and abs(b.y1 - k.y1) <= 3
                if touch and b.color != k.color:
                    keep.append(b)
                    grown = True
                    break
    return keep


def _assign_labels(ctx: ReadContext, bars: list[_Bar], vertical: bool) -> None:
    """Each bar's printed value: a number inside it or just past its far end; nearest pairs first, each once."""
    cands = []
    taken = {id(b.label) for b in bars if b.label is not None}
    for ti, t in enumerate(ctx.texts):
        if t.value is None or t.role not in ("", "value_label") or id(t) in taken:
            continue
        for bi, b in enumerate(bars):
            if b.label is not None:
                continue
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
                d = 0.0 if d == 0.0 else max(d, 0.0) + 0.5   # overlapping the end a little: near, not inside
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
                d = 0.0 if d == 0.0 else max(d, 0.0) + 0.5
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


def _label_segments(ctx: ReadContext, bars: list[_Bar], found: list[_Bar], vertical: bool, base: float,
                    colours: list[tuple]) -> list[_Bar]:
    """Stacked segments too short to be seen as rectangles (a value label printed across a segment barely taller
    than its digits cuts it into pieces): each numeric label left inside a stack, over no segment already found,
    on a ground of one of the colours bars were found in or of the picture's main colours (COLOURS), is a segment
    of that colour, spanning the stack's width and the label's height."""
    if len(bars) < 2:
        return []
    f = ctx.img.astype(np.int16)
    # the colours bars were found in, and the picture's other main colours (a grey whose short segments were
    # all cut up by their labels)
    known = [np.array(b.color) for b in found] + [np.array(c) for c in colours if min(c) < 225]
    stacks = cluster_1d(bars, key=lambda b: b.centre(vertical), tol=0.3 * np.median([b.thick(vertical) for b in bars]))
    out: list[_Bar] = []
    for t in ctx.texts:
        if t.value is None or t.role not in ("", "value_label") or any(b.label is t for b in bars):
            continue
        for g in stacks:
            lo = min((b.x0 if vertical else b.y0) for b in g)
            hi = max((b.x1 if vertical else b.y1) for b in g)
            c = t.cx if vertical else t.cy
            if not lo <= c <= hi or (t.w if vertical else t.h) > 1.2 * (hi - lo):
                continue
            # the stack's whole column: segments found but not kept (above a segment no rectangle search found)
            column = [b for b in found if abs((b.x0 if vertical else b.y0) - lo) <= 3
                      and abs((b.x1 if vertical else b.y1) - hi) <= 3]
            far = min(b.y0 for b in g + column) if vertical else max(b.x1 for b in g + column)
            inside = (far - 2 <= t.cy <= base + 2) if vertical else (base - 2 <= t.cx <= far + 2)
            if not inside or any(b.x0 <= t.cx <= b.x1 and b.y0 <= t.cy <= b.y1 for b in g + column):
                break
            x0, y0, x1, y1 = max(0, int(t.x0)), max(0, int(t.y0)), int(t.x1) + 1, int(t.y1) + 1
            # the ground under the label's middle (a box may reach into the neighbouring segments)
            if vertical:
                q = (y1 - y0) // 4
                px = f[y0 + q:y1 - q, x0:x1].reshape(-1, 3)
            else:
                q = (x1 - x0) // 4
                px = f[y0:y1, x0 + q:x1 - q].reshape(-1, 3)
            ground = px[(np.abs(px - ctx.bg).sum(1) > 50) & ~((px.max(1) - px.min(1) < 30) & (px.mean(1) < 110))
                        & (px.min(1) < 225)]
            if len(px) == 0 or len(ground) < 0.3 * len(px):
                break
            tone = np.array(dominant_colors(ground.reshape(-1, 1, 3), np.ones((len(ground), 1), bool), max_k=1)[0])
            if min(np.abs(tone - k).sum() for k in known) > 60:
                break
            tone = min(known, key=lambda k: np.abs(tone - k).sum())
            if vertical:
                nb = _Bar(int(lo), y0, int(hi), y1, tuple(float(v) for v in tone))
            else:
                nb = _Bar(x0, int(lo), x1, int(hi), tuple(float(v) for v in tone))
            nb.label, nb.value, nb.from_label = t, float(t.value), True
            t.role = "value_label"
            out.append(nb)
            break
    return out


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
    # (a segment found from its label has the label's size, not its own: it says nothing of the scale)
    pts = [(b.length(vertical) * (-1 if b.negative else 1), b.value) for b in bars
           if b.label is not None and not b.from_label]
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


def _series_names(ctx: ReadContext, colours: list[tuple], bars: list[_Bar] | None = None,
                  legend: list | None = None) -> list[str]:
    """A name per bar colour: the legend entry of that colour, else a text printed in that colour (Pew's
    coloured headers), else a header printed over that colour's top bar, else 'Series k'."""
    legend = legend or find_legend(ctx)
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


def _legend_for(ctx: ReadContext, colours: list[tuple]) -> list[Series]:
    """The legend's entries, a grey series' entry among them: its grey patch is no coloured ink to the legend
    search, so it is looked for by its colour, in line with the other entries."""
    legend = find_legend(ctx)
    for c in colours:
        if legend and max(c) - min(c) < 30 and not any(np.abs(np.array(s.color) - np.array(c)).sum() < 60 for s in legend):
            t = _patch_named(ctx, c, legend)
            if t is not None:
                t.role = "legend"
                legend.append(Series(t.text, tuple(c), (t.x0, t.y0, t.x1, t.y1)))
    return legend


def _patch_named(ctx: ReadContext, c: tuple, legend: list):
    """The text a patch of colour C stands just left of, in line with the legend's other entries (a grey legend
    patch, which the coloured-legend search does not take for ink)."""
    rows = {(s.legend_box[1] + s.legend_box[3]) / 2 for s in legend if s.legend_box}
    best = None
    for t in ctx.texts:
        if not ctx.free(t) or t.value is not None or t.role == "vertical":
            continue
        if rows and all(abs(t.cy - y) > t.h for y in rows):
            continue
        x0, x1 = max(0, int(t.x0 - 1.6 * t.h)), max(0, int(t.x0) - 1)
        y0, y1 = max(0, int(t.y0)), int(t.y1) + 1
        if x1 - x0 < 3:
            continue
        share = (color_dist(ctx.img[y0:y1, x0:x1], c) < 40).mean()
        if share > 0.15 and (best is None or share > best[0]):
            best = (share, t)
    return best[1] if best else None


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
    cols = bar_colours(ctx)
    bars = find_bars(ctx, cols)
    if len(bars) < 2:
        return None
    nv, base_v = _baseline(bars, True)
    nh, base_h = _baseline(bars, False)
    vertical = nv > nh or (nv == nh and hint != "h_bar")
    base = base_v if vertical else base_h
    if max(nv, nh) < 2:
        return None
    found = bars
    bars = _keep(found, vertical, base)
    if len(bars) < 2:
        return None
    _assign_labels(ctx, bars, vertical)
    segs = _label_segments(ctx, bars, found, vertical, base, cols)
    if segs:  # the segments found from labels join a stack's lower part to the segments above them
        bars = _keep(found + segs, vertical, base)
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
    # a legend's entries first: a row of them just under the category labels is not their second line
    legend = _legend_for(ctx, colours) if multi else []
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
        snames = _series_names(ctx, colours, bars, legend)
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
        ticks = [(base + sgn * b.length(vertical) * (-1 if b.negative else 1), b.value) for b in bars
                 if b.label is not None and not b.from_label]
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
    # past the value axis' tick labels when it has them (rotated ones take 40-50 px)
    ticks = [t.y1 for t in ctx.texts if t.value is not None and bottom < t.y0 < bottom + 30]
    reach = max(60.0, max(ticks, default=0.0) - bottom + 40)
    below = [t for t in ctx.texts if ctx.free(t) and t.role != "vertical" and t.value is None
             and bottom < t.y0 < bottom + reach and t.cx > min(b.x0 for b in bars)
             and (not ticks or t.y0 >= max(ticks) - 2)]   # under the tick labels ('35 …' cut short is one)
    if below:
        t = min(below, key=lambda t: t.y0)
        t.role = "axis_title"
        return t.text
    return ""
