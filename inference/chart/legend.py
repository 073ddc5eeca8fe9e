"""The text around the marks: legend entries (a coloured patch beside a text) -> series, the chart's title, and
the value label printed next to a mark."""
from __future__ import annotations

import re

import numpy as np

from .ocr import TextBox, read_crop
from .pixels import ReadContext, cluster_1d, components
from .reading import Series
from .table import parse_number


def find_legend(ctx: ReadContext, min_entries: int = 2, any_ink: bool = False) -> list[Series]:
    """Legend entries: a text with a solid coloured patch (or line) just left of it; >= 2 entries in a column or row
    (MIN_ENTRIES=1: a one-series legend, for the caller to confirm by the marks' colour). ANY_INK: a patch may be
    any ink that stands off the background — grey or pale icons of a grey or muted theme (the caller's second try
    when no coloured legend was found)."""
    img = ctx.img
    H, W = ctx.H, ctx.W
    # a patch is coloured, or dark (Statista's navy 'Girls' dot has little saturation); a one-series legend, which
    # the caller confirms by the marks' colour, may be a mid grey (a grey theme's bars)
    inked = ctx.sat | (ctx.gray < (140 if min_entries == 1 else 90))
    if any_ink:
        inked = inked | (np.abs(img.astype(np.int16) - ctx.bg.astype(np.int16)).sum(2) > 45)
    entries = []
    for t in ctx.texts:
        if not ctx.free(t) or t.role == "vertical" or t.h > 40 or t.x0 < 10:
            continue
        if t.value is not None and not re.fullmatch(r"'?\d{2}|(?:1[89]|20)\d\d\*?", t.text.strip()):
            continue   # a value label beside a line's marker ('136.09') names no series; a year may
        best = None
        # where the name's grey or black letters begin (the box may hold the whole icon: scan from there)
        bx0, bx1 = max(0, int(t.x0)), min(W, int(t.x1) + 1)
        by0, by1 = max(0, int(t.y0)), min(H, int(t.y1) + 1)
        letter_cols = np.nonzero(((ctx.gray[by0:by1, bx0:bx1] < 150) & ~ctx.sat[by0:by1, bx0:bx1]).any(0))[0]
        x_from = int(t.x0 + 0.4 * t.h)
        if len(letter_cols) and bx0 + int(letter_cols[0]) - 1 > x_from:
            x_from = bx0 + int(letter_cols[0]) - 1
        icon_end = -1   # any_ink: a grey icon the box took in (its ink passes for letters): where it ends
        if any_ink:
            icon_end = _icon_in_box(inked, t, bx0, bx1)
            if icon_end >= 0:
                x_from = icon_end
        for row in range(int(t.cy) - 6, int(t.cy) + 7):
            if not 0 <= row < H:
                continue
            # from a little inside the text's box: the detector's box may take in the icon's right end (the ring
            # of an empty circle); inside the box only coloured ink counts (the name's own letters are grey)
            xs = range(min(W - 1, x_from), max(0, int(t.x0) - 60), -1)
            start = None
            for x in xs:
                if x >= t.x0 and not ctx.sat[row, x] and x > icon_end:
                    continue
                if inked[row, x]:
                    start = x
                    break
                if int(t.x0) - x > 16:
                    break
            if start is None:
                continue
            # walk left over the patch; a dashed or dotted line's gaps (<= 5 px) are crossed when the same
            # colour resumes after them (ECharts draws a series' line style in its legend icon)
            x = start
            while x > 0:
                if inked[row, x - 1]:
                    x -= 1
                    continue
                # (an empty circle on the icon's line leaves a wider gap: crossed to a coloured pixel only)
                nxt = next((x - g for g in range(2, max(7, int(0.7 * t.h)))
                            if x - g >= 0 and inked[row, x - g]), None)
                if nxt is None or (x - nxt > 6 and not ctx.sat[row, nxt]):
                    break
                # the same ink, however anti-aliased: the same direction away from the (light) background
                a = 255.0 - img[row, nxt].astype(float)
                b = 255.0 - np.median(img[row, x:start + 1][inked[row, x:start + 1]], 0).astype(float)
                if a @ b < 0.97 * np.linalg.norm(a) * np.linalg.norm(b):
                    break
                x = nxt
            seg = img[row, x:start + 1].astype(np.int32)
            seg = seg[inked[row, x:start + 1]]
            med = np.median(seg, 0)
            ink, ink_med = 255.0 - seg, 255.0 - med
            same_ink = ink @ ink_med >= 0.97 * np.linalg.norm(ink, axis=1) * np.linalg.norm(ink_med)
            uniform = ((np.abs(seg - med).sum(1) < 60) | same_ink).mean()
            run = start - x + 1
            if uniform < 0.7:
                continue
            satv = float((med.max() - med.min()))
            key = (run >= 8, satv > 40, run // 4, satv)  # a coloured icon before grey letters beside it
            if best is None or key > best[0]:
                best = (key, row, x, start, run)
        if best is None or not (8 <= best[4] <= 50):
            continue
        _, row, xa, xb, run = best
        # a legend patch is short: the same colour does not continue far above/below its middle
        # (a patch or a line icon's symbol may be as tall as its text: ECharts' 14 px icons beside 12 px text;
        # an icon's line is thin at its ends, where a bar is as tall as in its middle)
        tall = []
        for xc in {xa + 1, (xa + xb) // 2, xb - 1}:
            if inked[row, xc]:
                cm = img[row, xc].astype(np.int32)
                tall.append(int((np.abs(img[max(0, row - 14):min(H, row + 15), xc].astype(np.int32) - cm).sum(1)
                                 < 60).sum()))
        if not tall or min(tall) > max(16, t.h):
            continue
        px = img[row, xa:xb + 1][inked[row, xa:xb + 1]].reshape(-1, 3)
        if any_ink:   # a thin grey icon line: its core, not the anti-aliased row beside it
            win = img[max(0, row - 3):row + 4, xa:xb + 1].reshape(-1, 3).astype(np.int16)
            far = np.abs(win - ctx.bg.astype(np.int16)).sum(1)
            px = win[far >= np.percentile(far, 70)]
        color = tuple(float(v) for v in np.median(px, 0))
        entries.append((xa, row, xb - xa + 1, t, color))
    # patch-first pass: solid rectangles stacked in a column whose text OCR missed -> read the text beside them
    comps, lab = components(ctx.sat, min_area=30)
    patches = [c for c in comps if 10 <= c[2] <= 45 and 4 <= c[3] <= 18 and c[4] >= 0.8 * c[2] * c[3]]
    for g in cluster_1d(patches, key=lambda c: c[0], tol=3):
        if len(g) < 2:
            continue
        for (x, y, w, h, a, (cx, cy), i) in g:
            if any(abs(e[0] - x) <= 4 and abs(e[1] - cy) <= 6 for e in entries):
                continue
            if not ctx.texts:
                continue
            txt = read_crop(img, (x + w + 2, int(cy) - 11, min(W, x + w + 200), int(cy) + 11))
            if not txt:
                continue
            tb = TextBox(txt, 0.6, np.array([[x + w + 4, cy - 8], [x + w + 4 + 8 * len(txt), cy - 8],
                                            [x + w + 4 + 8 * len(txt), cy + 8], [x + w + 4, cy + 8]], float))
            tb.value = parse_number(txt)
            ctx.texts.append(tb)
            px = img[lab == i]
            entries.append((x, int(cy), w, tb, tuple(float(v) for v in np.median(px, 0))))
    if len(entries) < min_entries:
        return []
    # numbers printed on stacked segments look like entries too (the segment is their 'patch'): when two or more
    # entries are words, the legend is among those
    words = [e for e in entries if e[3].value is None]
    if len(words) >= 2:
        entries = words
    best: list = []
    for g in cluster_1d(entries, key=lambda e: e[0], tol=4):
        if len(g) > len(best):
            best = g
    for g in cluster_1d(entries, key=lambda e: e[1], tol=4):
        if len(g) > len(best):
            best = g
    for g in cluster_1d(entries, key=lambda e: e[3].x0, tol=4):  # a column of left-aligned names
        if len(g) > len(best):
            best = g
    # a legend laid out as a grid (Statista's two rows of three): the entries in line with the chosen row or column
    # in the other direction belong to it too, when they are near (within three text heights of an entry)
    grid = list(best)
    grown = True
    while grown and best:
        grown = False
        for e in entries:
            if any(e is g for g in grid):
                continue
            same_row = any(abs(e[1] - g[1]) <= 4 for g in grid)
            same_col = any(abs(e[0] - g[0]) <= 4 for g in grid)
            near = any(abs(e[1] - g[1]) <= 3 * max(e[3].h, g[3].h) for g in grid)
            if (same_row or same_col) and near:
                grid.append(e)
                grown = True
    best = grid
    if len(best) < min_entries:
        return []
    # distinct colours only
    out = []
    for (xa, row, w, t, color) in sorted(best, key=lambda e: (e[1], e[0])):
        if any(np.abs(np.array(color) - np.array(o.color)).sum() < 40 for o, _ in out):
            continue
        box = (min(xa, t.x0) - 4, min(row - 6, t.y0) - 3, max(xa + w, t.x1) + 4, max(row + 6, t.y1) + 3)
        out.append((Series(t.text, color, box), t))
    if len(out) < min_entries:
        return []
    for _, t in out:
        t.role = "legend"
    return [s for s, _ in out]


def _icon_in_box(inked: np.ndarray, t: TextBox, bx0: int, bx1: int) -> int:
    """The right end of a legend icon inside a text's box: a horizontal run of ink at least 12 px long that
    starts in the box's left third, on a row within 6 px of the text's middle (a letter's strokes are shorter);
    -1 when there is none."""
    best = -1
    lim = bx0 + max(1, (bx1 - bx0) // 3)
    for row in range(int(t.cy) - 6, int(t.cy) + 7):
        if not 0 <= row < inked.shape[0]:
            continue
        r = inked[row, bx0:bx1]
        x = 0
        while x < len(r):
            if not r[x]:
                x += 1
                continue
            e = x
            while e + 1 < len(r) and r[e + 1]:
                e += 1
            if bx0 + x < lim and e - x + 1 >= 12:
                best = max(best, bx0 + e)
            x = e + 1
    return best


# credits, sources, notes and a publisher's page furniture: printed around real charts (Statista, Pew, OWID,
# OECD pages), never data, never a title or a series name
_NOTE = re.compile(r"^\s*(©|\(c\)|sources?\b|notes?\b|data source|cc[ -]?by\b|additional information|show source"
                   r"|[⊖⊕○◯o0]?\s*(?:collapse|expand) statistic"
                   r"|pew research center|our ?world ?in ?data|ourworldindata|licensed under)|^\s*(our ?world|in ?data)\s*$", re.I)
_NOTE_ANY = re.compile(r"statista\s*\d{4}|ourworld[il]n?data\.org|\bcc[ -]?by\b", re.I)


def mark_notes(texts: list[TextBox]) -> int:
    """Give the role 'note' to every text that is a credit, source line, note or page furniture; returns how many."""
    n = 0
    for t in texts:
        if not t.role and (_NOTE.match(t.text) or _NOTE_ANY.search(t.text)):
            t.role = "note"
            n += 1
    return n


def find_title(ctx: ReadContext, top_limit: float) -> str:
    """The top-most free text above TOP_LIMIT, with the lines below it in the same font (a title wrapped over
    two or three lines, left- or centre-aligned) joined to it."""
    cands = [t for t in ctx.texts if ctx.free(t) and t.role != "vertical" and t.cy < top_limit and t.value is None]
    if not cands:
        return ""
    t = min(cands, key=lambda t: t.cy)
    t.role = "title"
    lines = [t]
    while True:
        last = lines[-1]
        nxt = [u for u in ctx.texts if ctx.free(u) and u.role != "vertical" and u.value is None
               and 0 < u.cy - last.cy < 1.8 * last.h and abs(u.h - t.h) <= 0.15 * t.h
               and (abs(u.x0 - t.x0) <= 0.5 * t.h or abs(u.cx - t.cx) <= t.h)]
        if not nxt or len(lines) >= 3:
            break
        u = min(nxt, key=lambda u: u.cy)
        u.role = "title"
        lines.append(u)
    return " ".join(x.text for x in lines)


def match_value_label(ctx: ReadContext, est: float, box: tuple, orient: str, positive: bool, upp: float):
    """The numeric text printed next to a mark (above/below a bar, right/left of an h-bar, above a vertex)."""
    if not ctx.use_value_labels:
        return None
    x0, y0, x1, y1 = box
    best = None
    for t in ctx.texts:
        if t.value is None or t.role not in ("", "value_label"):
            continue
        if orient == "v":
            if not (x0 - 6 <= t.cx <= x1 + 6):
                continue
            d = (y0 - t.y1) if positive else (t.y0 - y1)
            if not (-4 <= d <= 14):
                continue
        else:
            if not (y0 - 6 <= t.cy <= y1 + 6):
                continue
            d = (t.x0 - x1) if positive else (x0 - t.x1)
            if not (-4 <= d <= 18):
                continue
        val = t.value
        if not positive and val > 0 and est < 0:
            val = -val  # a lost minus sign
        if abs(val - est) <= 0.12 * abs(val) + 4 * upp:
            if best is None or abs(d) < best[0]:
                best = (abs(d), val, t)
    if best is None:
        return None
    best[2].role = "value_label"
    return best[1], best[2].text
