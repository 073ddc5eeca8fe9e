"""Pie charts: the disc, its wedges from the colours around a circle, their names (legend or labels around the
pie) and values (printed percentages inside, else the wedge's angle)."""
from __future__ import annotations

import math
import re

import numpy as np

from inference.runtime.errors import InputError

from .legend import find_legend, find_title
from .ocr import strip_bullet
from .pixels import ReadContext, components, dominant_colors
from .reading import ChartReading, Mark, Series
from .table import Table


def _runs(labels: np.ndarray) -> list[tuple]:
    """(start, length, label) of each run of one label around the circle."""
    n = len(labels)
    change = np.nonzero(labels != np.roll(labels, 1))[0]
    if len(change) == 0:
        return [(0, n, int(labels[0]))]
    return [(int(st), int((change[(j + 1) % len(change)] - st) % n), int(labels[st])) for j, st in enumerate(change)]


def _merge_islands(labels: np.ndarray) -> np.ndarray:
    """A short run (< 3% of the circle) between two runs of one colour is text or its anti-aliased edge inside that
    wedge (two wedges of one colour side by side could not be told apart anyway): it takes their label."""
    labels = labels.copy()
    n = len(labels)
    runs = _runs(labels)
    if len(runs) > 1:   # slivers (< 0.5% of the circle, anti-aliasing) first: each takes the label before it
        for j, (st, length, lbl) in enumerate(runs):
            if length < 0.005 * n:
                labels[(st + np.arange(length)) % n] = runs[j - 1][2]
    for _ in range(50):
        runs = _runs(labels)
        if len(runs) < 3:
            break
        for j, (st, length, lbl) in enumerate(runs):
            prev, nxt = runs[j - 1], runs[(j + 1) % len(runs)]
            if length < 0.03 * n and prev[2] == nxt[2] != lbl:
                labels[(st + np.arange(length)) % n] = prev[2]
                break
        else:
            break
    return labels


def read_pie(ctx: ReadContext, strict: bool = False) -> ChartReading:
    """STRICT (a pie the type model did not name): the disc must be round, not a square block of colour, and be
    cut into at least two wedges."""
    import cv2

    img = ctx.img
    H, W = ctx.H, ctx.W
    diff = np.abs(img.astype(np.float32) - ctx.bg[None, None, :]).sum(2) > 40
    solid = ctx.sat | (diff & (ctx.gray < 235))
    closed = cv2.morphologyEx(solid.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    if strict:   # text touching the disc (a title just above it) is not part of it
        closed = cv2.morphologyEx(closed, cv2.MORPH_OPEN, np.ones((9, 9), np.uint8))
    comps, lab = components(closed > 0, min_area=200)
    if not comps:
        raise InputError("no pie found: no large coloured disc in the picture", "check the chart type")
    x, y, w, h, a, (cx, cy), i = max(comps, key=lambda c: c[4])
    r = (w + h) / 4.0
    if r < 15 or a < 0.6 * math.pi * r * r or abs(w - h) > 0.2 * max(w, h):
        raise InputError("no pie found: the largest coloured shape is not a disc", "check the chart type")
    if strict and a > 0.88 * w * h:
        raise InputError("no pie found: the largest coloured shape is a block, not a disc", "check the chart type")
    # a disc leaves its box's corners empty; bars merged into one block (a bar chart the type model called a pie)
    # fill the corners on their baseline's side
    q = max(2, int(0.15 * min(w, h)))
    box = lab[y:y + h, x:x + w] == i
    corners = [box[:q, :q].mean(), box[:q, -q:].mean(), box[-q:, :q].mean(), box[-q:, -q:].mean()]
    if sum(c > 0.6 for c in corners) >= 2:
        raise InputError("no pie found: the largest coloured shape fills its corners, it is no disc",
                         "check the chart type")
    cx, cy = x + w / 2.0, y + h / 2.0
    n_ang = 1440
    angs = np.linspace(0, 2 * np.pi, n_ang, endpoint=False)  # 0 = 12 o'clock, clockwise
    if strict:   # a disc drawn on the page: just outside it, mostly plain background (a photo has none)
        xs = (cx + 1.12 * r * np.sin(angs)).astype(int)
        ys = (cy - 1.12 * r * np.cos(angs)).astype(int)
        inside = (xs >= 0) & (xs < W) & (ys >= 0) & (ys < H)
        ring = img[ys[inside], xs[inside]].astype(np.float32)
        if inside.mean() < 0.5 or (np.abs(ring - ctx.bg[None, :]).sum(1) < 40).mean() < 0.6:
            raise InputError("no pie found: the round shape does not stand on a plain background", "check the chart type")
    samples = []
    for fr in (0.88, 0.78, 0.35):
        xs = np.clip((cx + fr * r * np.sin(angs)).astype(int), 0, W - 1)
        ys = np.clip((cy - fr * r * np.cos(angs)).astype(int), 0, H - 1)
        samples.append(img[ys, xs].astype(np.float32))
    # per angle: the sample most saturated (text and wedge edges are grey/white)
    S = np.stack(samples)  # 3 x n x 3
    satv = S.max(2) - S.min(2)
    pick = satv.argmax(0)
    col = S[pick, np.arange(n_ang)]
    # a wedge is coloured, or grey (Pew's 'Don't know', a grey slice in a ggplot palette): any sample far from
    # the background at the outer radius counts, so a grey wedge is not swallowed by its neighbours
    grey_ok = np.abs(S[0] - ctx.bg[None, :]).sum(1) >= 60
    col = np.where((satv.max(0) < 30)[:, None] & grey_ok[:, None], S[0], col)
    ok = (satv.max(0) >= 30) | grey_ok
    cols = dominant_colors(col[ok][None, :, :].astype(np.uint8), np.ones((1, int(ok.sum())), bool), min_frac=0.01,
                            max_k=12)
    if not cols:
        raise InputError("no pie found: no coloured wedges", "this reader needs coloured wedges")
    C = np.array(cols, np.float32)
    labels = np.abs(col[:, None, :] - C[None, :, :]).sum(2).argmin(1)
    labels[~ok] = -1
    # fill gaps (edges, text) with the previous valid label
    if ok.any() and not ok.all():  # gaps (wedge edges, text): the nearest valid sample on either side
        idx = np.nonzero(ok)[0]
        allk = np.arange(n_ang)
        pos = np.searchsorted(idx, allk) % len(idx)
        nxt, prv = idx[pos], idx[pos - 1]
        dn, dp = (nxt - allk) % n_ang, (allk - prv) % n_ang
        fill = np.where(dn <= dp, labels[nxt], labels[prv])
        labels = np.where(ok, labels, fill)
    # runs (circular)
    runs = [r_ for r_ in _runs(_merge_islands(labels)) if r_[1] >= 0.005 * n_ang]  # slivers: anti-aliasing
    tot = sum(r_[1] for r_ in runs)
    if strict and (len(runs) < 2 or float(np.mean(np.abs(col - C[np.maximum(labels, 0)]).sum(1) < 60)) < 0.85):
        raise InputError("no pie found: the disc is not cut into flat-coloured wedges", "check the chart type")
    wedges = []
    for s, length, lbl in runs:
        mid = (s + length / 2) % n_ang
        wedges.append({"start_deg": s * 360 / n_ang, "sweep_deg": length * 360 / n_ang, "mid": mid * 2 * np.pi / n_ang,
                       "color": tuple(float(v) for v in C[lbl]), "frac": length / tot})
    # start from the wedge that starts nearest to 12 o'clock (matplotlib's startangle=90 clockwise convention
    # is not assumed; any start works for the table)
    wedges.sort(key=lambda wd: wd["start_deg"])
    names = [None] * len(wedges)
    values = [None] * len(wedges)
    sources = ["pixels"] * len(wedges)

    def wedge_at(ang: float) -> int:
        deg = (math.degrees(ang)) % 360
        for k, wd in enumerate(wedges):
            if (deg - wd["start_deg"]) % 360 < wd["sweep_deg"]:
                return k
        return int(np.argmin([abs(((deg - math.degrees(wd["mid"])) + 180) % 360 - 180) for wd in wedges]))

    # labels that print a slice's name and share together: they are the table (and never the title)
    named = _named_value_labels(ctx, cx, cy, r, wedges)
    if named:
        for _, _, _, t in named:
            t.role = "category"
        return _reading_from_labels(ctx, named, wedges, (cx, cy, r), find_title(ctx, top_limit=cy - r))
    # legend (patch + text) or labels around the pie; percentages inside
    legend = find_legend(ctx) if ctx.texts else []
    for s in legend:
        k = int(np.argmin([np.abs(np.array(wd["color"]) - np.array(s.color)).sum() for wd in wedges]))
        if names[k] is None:
            names[k] = s.name
    title = find_title(ctx, top_limit=cy - r)
    # names printed inside their wedges (Pew), a name's wrapped lines joined: before any text around the pie
    inside: dict[int, list] = {}
    for t in ctx.texts:
        if ctx.free(t) and t.value is None and any(ch.isalpha() for ch in t.text) \
                and math.hypot(t.cx - cx, t.cy - cy) < 0.8 * r:
            inside.setdefault(wedge_at(math.atan2(t.cx - cx, -(t.cy - cy)) % (2 * np.pi)), []).append(t)
    for k, ts in inside.items():
        if names[k] is None:
            names[k] = " ".join(strip_bullet(t.text) for t in sorted(ts, key=lambda t: t.cy))
            for t in ts:
                t.role = "category"
    for t in ctx.texts:
        if not ctx.free(t):
            continue
        dx, dy = t.cx - cx, t.cy - cy
        nx = min(max(cx, t.x0), t.x1)
        ny = min(max(cy, t.y0), t.y1)
        d = math.hypot(nx - cx, ny - cy)  # distance to the nearest point of the text box
        ang = math.atan2(dx, -dy) % (2 * np.pi)
        if t.value is not None and d < r:
            if not ctx.use_value_labels:
                continue
            k = wedge_at(ang)
            t.role = "value_label"
            if values[k] is None:
                values[k] = t.value
                sources[k] = "label"
        elif r * 0.9 < d < r * 1.4 and not t.text.endswith("%"):
            k = wedge_at(ang)
            if names[k] is None:
                names[k] = strip_bullet(t.text)
                t.role = "category"
    marks = []
    cats = []
    for k, wd in enumerate(wedges):
        pv = round(wd["frac"] * 100, 1)
        v = values[k] if values[k] is not None and abs(values[k] - pv) < 3 + 0.15 * pv else pv
        src = sources[k] if v != pv or values[k] == pv else "pixels"
        cats.append(names[k] or f"Slice {k + 1}")
        bx = cx + 0.6 * r * math.sin(wd["mid"])
        by = cy - 0.6 * r * math.cos(wd["mid"])
        marks.append(Mark(0, k, float(v), (bx - 6, by - 6, bx + 6, by + 6), src, pv, color=tuple(wd["color"])))
    return _pie_reading(ctx, cats, marks, wedges, (cx, cy, r), title, [wd["mid"] for wd in wedges])


# 'name 12.5%', also 'Other meats13%' (no space) and 'Fish and seafood 1 6%' (the recogniser split 16); a name
# ends in a letter, a star or a bracket
_NAME_VALUE = re.compile(r"^[\W_]*(.*[^\W\d_*)\]]|.*[*)\]])[\s:]*(-?\d(?:[\d,]|\s(?=\d))*\.?\d*)\s*%$")


def _named_value_labels(ctx: ReadContext, cx: float, cy: float, r: float, wedges: list | None = None) -> list:
    """Labels around the pie that carry both the slice's name and its share ('• United States 23.7%', Statista's
    habit, tied to their slices by leader lines): [(angle, name, value, text)] when they account for the whole pie
    (shares summing to about 100), or when there is one per wedge and each wedge's size is its label's part of the
    labels' sum (a pie of the leading companies' market shares, 24.7% + 8.6% + … = 53%, drawn as parts of what is
    shown); else []."""
    out = []
    for t in ctx.texts:
        if not ctx.free(t):
            continue
        m = _NAME_VALUE.match(t.text.strip())
        if not m:
            continue
        nx = min(max(cx, t.x0), t.x1)
        ny = min(max(cy, t.y0), t.y1)
        if math.hypot(nx - cx, ny - cy) < 0.8 * r:
            continue
        v = float(m.group(2).replace(",", "").replace(" ", ""))
        out.append((math.atan2(t.cx - cx, -(t.cy - cy)) % (2 * np.pi), m.group(1).strip(" -:"), v, t))
    # the name on one line, its share on the next ('2011' over '13.6%', ECharts' "{b}\n{c}%"): one label
    names_used = []
    if not out:
        for t in ctx.texts:
            if not ctx.free(t) or t.value is None or not t.text.endswith("%"):
                continue
            if math.hypot(min(max(cx, t.x0), t.x1) - cx, min(max(cy, t.y0), t.y1) - cy) < 0.8 * r:
                continue
            above = [u for u in ctx.texts if u is not t and ctx.free(u) and "%" not in u.text
                     and u.cy < t.cy - 0.4 * t.h and -0.6 * t.h <= t.y0 - u.y1 <= 0.8 * t.h and min(t.x1, u.x1) - max(t.x0, u.x0) > 0.3 * min(t.w, u.w)]
            if not above:
                continue
            u = max(above, key=lambda u: u.y1)
            x_mid, y_mid = (u.cx + t.cx) / 2, (u.y0 + t.y1) / 2
            out.append((math.atan2(x_mid - cx, -(y_mid - cy)) % (2 * np.pi), u.text.strip(" -:"), t.value, t))
            names_used.append(u)
    out.sort(key=lambda e: e[0])
    total = sum(v for _, _, v, _ in out)
    if len(out) < 2 or not (90 <= total <= 110 or _proportional(out, wedges, total)):
        return []
    for u in names_used:
        u.role = "category"
    return out


def _proportional(named: list, wedges: list | None, total: float) -> bool:
    """One label per wedge, in the same angular order, each wedge's share of the disc its label's share of the
    labels' sum (within 2 points + 10%)."""
    if not wedges or len(named) != len(wedges) or total <= 0 or any(v <= 0 for _, _, v, _ in named):
        return False
    ks = _in_order(named, wedges)
    return all(abs(v / total - wedges[k]["frac"]) <= 0.02 + 0.1 * wedges[k]["frac"]
               for k, (_, _, v, _) in zip(ks, named))


def _angle_gap(a: float, b: float) -> float:
    return abs(((math.degrees(a) - math.degrees(b)) + 180) % 360 - 180)


def _in_order(named: list, wedges: list) -> list:
    """Wedge index for each label when there is one label per wedge: labels and wedges both go round the disc in
    the same order, so the best rotation of one onto the other (labels pushed aside by their neighbours still
    land on their own wedge, where the nearest wedge in angle may be the neighbour's)."""
    order = sorted(range(len(wedges)), key=lambda k: wedges[k]["mid"])
    n = len(order)
    best = min(range(n), key=lambda sh: sum(_angle_gap(a, wedges[order[(i + sh) % n]]["mid"])
                                            for i, (a, _, _, _) in enumerate(named)))
    return [order[(i + best) % n] for i in range(n)]


def _reading_from_labels(ctx: ReadContext, named: list, wedges: list, disc: tuple, title: str) -> ChartReading:
    """The table from the printed name-and-share labels; each mark sits on (and takes the colour of) the wedge
    nearest in angle to its label."""
    cx, cy, r = disc
    marks, cats = [], []
    own = _in_order(named, wedges) if len(named) == len(wedges) else None
    for k, (ang, name, v, t) in enumerate(named):
        wd = wedges[own[k]] if own else min(wedges, key=lambda w: _angle_gap(ang, w["mid"]))
        bx = cx + 0.6 * r * math.sin(wd["mid"])
        by = cy - 0.6 * r * math.cos(wd["mid"])
        cats.append(name)
        marks.append(Mark(0, k, v, (bx - 6, by - 6, bx + 6, by + 6), "label", round(wd["frac"] * 100, 1), t.text,
                          color=tuple(wd["color"])))
    return _pie_reading(ctx, cats, marks, wedges, disc, title, [a for a, _, _, _ in named])


def _pie_reading(ctx: ReadContext, cats: list, marks: list, wedges: list, disc: tuple, title: str,
                 anchors: list) -> ChartReading:
    cx, cy, r = disc
    table = Table(["Characteristic", "Share"], cats, [[m.value] for m in marks], title)
    reading = ChartReading((ctx.W, ctx.H), "pie", 1.0, table, marks=marks, series=[Series("Share", (0, 0, 0))],
                           plot_area=(cx - r, cy - r, cx + r, cy + r), title=title,
                           pie={"center": [cx, cy], "radius": r,
                                "wedges": [{k: (list(v) if isinstance(v, tuple) else v) for k, v in wd.items()}
                                           for wd in wedges]})
    reading.category_anchors = anchors
    return reading
