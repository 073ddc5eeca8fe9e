"""Chart image -> data table: chart type (ONNX CNN), OCR text, axes and tick calibration, colour-mask marks,
legend -> series, value labels. Classical geometry everywhere except the chart type.

`read_chart(path_or_array, use_ocr=True, calibration=None, ...)` returns a `ChartReading`.
"""
from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass, field

import numpy as np

from inference.runtime.cancel import check
from inference.runtime.errors import InputError, ModelError

from .axes import AxisCalibration, Calibration, fit_axis
from .io import load_image
from .ocr import TextBox
from .table import Table

log = logging.getLogger(__name__)

VALUE_AXIS = {"v_bar": "y", "grouped_bar": "y", "line": "y", "h_bar": "x", "scatter": "y"}


@dataclass
class Series:
    name: str
    color: tuple  # RGB 0..255
    legend_box: tuple | None = None


@dataclass
class Mark:
    series: int
    category: int
    value: float
    box: tuple  # x0, y0, x1, y1 in image pixels (a point mark has a small box around it)
    source: str = "pixels"  # "pixels" or "label" (the printed value label was read)
    pixel_value: float | None = None
    label: str | None = None

    def to_json(self) -> dict:
        return {"series": self.series, "category": self.category, "value": self.value,
                "box": [round(float(b), 1) for b in self.box], "source": self.source,
                "pixel_value": self.pixel_value, "label": self.label}


@dataclass
class ChartReading:
    image_size: tuple
    chart_type: str
    type_confidence: float
    table: Table
    marks: list[Mark] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    plot_area: tuple | None = None
    calibration: dict = field(default_factory=dict)  # axis -> AxisCalibration
    texts: list[TextBox] = field(default_factory=list)
    category_anchors: list = field(default_factory=list)  # pixel positions along the category axis
    pie: dict | None = None
    title: str = ""
    used_ocr: bool = True
    warnings: list[str] = field(default_factory=list)
    timings: dict = field(default_factory=dict)

    def to_json(self) -> dict:
        return {
            "image_size": list(self.image_size), "chart_type": self.chart_type,
            "type_confidence": round(self.type_confidence, 4), "title": self.title,
            "plot_area": [round(float(v), 1) for v in self.plot_area] if self.plot_area else None,
            "calibration": {k: {**c.to_json(), "ticks": c.ticks, "residual": c.residual}
                            for k, c in self.calibration.items()},
            "series": [{"name": s.name, "color": list(s.color)} for s in self.series],
            "marks": [m.to_json() for m in self.marks], "texts": [t.to_json() for t in self.texts],
            "table": self.table.to_json(), "pie": self.pie, "used_ocr": self.used_ocr,
            "warnings": self.warnings, "timings": self.timings,
        }


# ---------------------------------------------------------------------------------------------
def _bg_color(img: np.ndarray) -> np.ndarray:
    border = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]]).reshape(-1, 3)
    vals, counts = np.unique(border // 8, axis=0, return_counts=True)
    mode = vals[counts.argmax()]
    sel = (border // 8 == mode).all(1)
    return border[sel].mean(0)


def _saturation_mask(img: np.ndarray) -> np.ndarray:
    f = img.astype(np.int16)
    mx, mn = f.max(2), f.min(2)
    return ((mx - mn) >= 40) & (mx >= 50)


def _components(mask: np.ndarray, min_area: int = 1):
    import cv2

    n, lab, stats, cent = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, a = stats[i]
        if a >= min_area:
            out.append((int(x), int(y), int(w), int(h), int(a), (float(cent[i][0]), float(cent[i][1])), i))
    return out, lab


def _dominant_colors(img: np.ndarray, mask: np.ndarray, min_frac: float = 0.04, max_k: int = 8) -> list[tuple]:
    px = img[mask]
    if len(px) == 0:
        return []
    q = (px // 24).astype(np.int32)
    keys = q[:, 0] * 10000 + q[:, 1] * 100 + q[:, 2]
    uniq, inv, counts = np.unique(keys, return_inverse=True, return_counts=True)
    order = np.argsort(-counts)
    cols: list[tuple] = []
    total = len(px)
    for k in order[:40]:
        if counts[k] < min_frac * total and cols:
            break
        c = px[inv == k].mean(0)
        if all(np.abs(c - np.array(o)).sum() > 60 for o in cols):
            cols.append(tuple(float(v) for v in c))
        if len(cols) >= max_k:
            break
    return cols


def _color_dist(img: np.ndarray, color) -> np.ndarray:
    return np.abs(img.astype(np.float32) - np.asarray(color, np.float32)[None, None, :]).sum(2)


def _alpha(px: np.ndarray, color, bg) -> np.ndarray:
    c = np.asarray(color, np.float64)
    b = np.asarray(bg, np.float64)
    d = c - b
    n = float(d @ d)
    if n < 1e-6:
        return np.zeros(px.shape[:-1])
    return np.clip(((px.astype(np.float64) - b) @ d) / n, 0, 1)


def _group(items, key, tol):
    """Greedy 1-D clustering of items by key within tol."""
    groups: list[list] = []
    for it in sorted(items, key=key):
        if groups and abs(key(it) - np.mean([key(g) for g in groups[-1]])) <= tol:
            groups[-1].append(it)
        else:
            groups.append([it])
    return groups


def _round_to_resolution(v: float, upp: float) -> float:
    if not math.isfinite(v):
        return v
    if upp <= 0 or not math.isfinite(upp):
        return v
    step = 10 ** math.floor(math.log10(upp))
    return round(round(v / step) * step, 10)


def _profile_peak(profile: np.ndarray, center: float, radius: int = 8, offset: int = 0) -> float | None:
    """Sub-pixel centre of the strongest peak of `profile` within radius of `center` (index space)."""
    lo = max(0, int(round(center)) - radius - offset)
    hi = min(len(profile), int(round(center)) + radius + 1 - offset)
    if hi - lo < 3:
        return None
    seg = profile[lo:hi]
    base = np.median(profile)
    k = int(seg.argmax())
    if seg[k] - base < 25:
        return None
    a, b = max(0, k - 1), min(len(seg), k + 2)
    w = np.clip(seg[a:b] - base, 0, None)
    if w.sum() <= 0:
        return None
    return float(lo + (np.arange(a, b) * w).sum() / w.sum())


# ---------------------------------------------------------------------------------------------
class _Ctx:
    def __init__(self, img: np.ndarray, texts: list[TextBox], ctype: str):
        self.img = img
        self.H, self.W = img.shape[:2]
        self.gray = img.astype(np.float32).mean(2)
        self.bg = _bg_color(img)
        self.sat = _saturation_mask(img)
        self.texts = texts
        self.ctype = ctype
        self.warnings: list[str] = []

    def free(self, tb: TextBox) -> bool:
        return not tb.role or tb.role == "vertical"


def _tick_group_vertical(ctx: _Ctx, numeric: bool = True) -> list[TextBox]:
    """Labels stacked vertically and right-aligned (y-axis ticks, or h-bar categories)."""
    cands = [t for t in ctx.texts if ctx.free(t) and t.role != "vertical" and
             (numeric is None or (t.value is not None) == numeric) and t.h < 3 * max(t.w, 1) + 10]
    best: list[TextBox] = []
    for g in _group(cands, key=lambda t: t.x1, tol=9):
        g = sorted(g, key=lambda t: t.cy)
        # distinct rows only
        rows = [g[0]]
        for t in g[1:]:
            if t.cy - rows[-1].cy > 0.6 * t.h:
                rows.append(t)
        if len(rows) > len(best) or (len(rows) == len(best) and rows and best and rows[0].x1 < best[0].x1):
            best = rows
    return best if len(best) >= 2 else []


def _tick_group_horizontal(ctx: _Ctx, numeric: bool = True, below: float = -1) -> list[TextBox]:
    """Labels in one row (x-axis ticks / categories), grouped by their top edge (works for rotated labels)."""
    cands = [t for t in ctx.texts if ctx.free(t) and t.role != "vertical" and ((t.value is not None) == numeric
             if numeric else True) and t.cy > below]
    best: list[TextBox] = []
    for g in _group(cands, key=lambda t: t.y0, tol=7):
        g = sorted(g, key=lambda t: t.cx)
        # most labels wins; on a tie the lower row (tick labels sit below the plot, value labels inside it)
        if len(g) > len(best) or (len(g) == len(best) and best and g[0].y0 > best[0].y0):
            best = g
    return best


def _find_edges(ctx: _Ctx, x_from: float, x_to: float, y_from: float, y_to: float) -> tuple:
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


def _snap_ticks(ctx: _Ctx, axis: str, labels: list[TextBox], edge: float | None, anchor=None) -> list[float]:
    """Tick pixel positions (continuous coords): the tick mark next to each label, else the label centre."""
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
    for t in labels:
        c = anchor(t)
        p = _profile_peak(prof, c - 0.5) if prof is not None else None
        out.append(p + 0.5 if p is not None else c)
    return out


def _maybe_log(ctx: _Ctx, c: AxisCalibration, edge: float) -> AxisCalibration:
    """Two major ticks a decade apart fit linear and log equally: log axes show minor ticks between them."""
    if c.log or len(c.ticks) != 2 or c.v1 <= 0 or c.v2 <= 0:
        return c
    (pa, va), (pb, vb) = c.ticks
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
    if len(peaks) >= 4:
        from .axes import fit_axis as _fit

        lc = _fit(c.axis, [pa, pb], [va, vb])
        if lc is not None:
            f = np.log10([va, vb])
            a = (f[1] - f[0]) / (pb - pa)
            return AxisCalibration(c.axis, pa, va, pb, vb, True, "ocr", c.ticks, 0.0)
    return c


def _log_from_minor_ticks(ctx: _Ctx, axis: str, pix: list[float], vals: list[float], edge: float):
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


def _find_legend(ctx: _Ctx, region_mask: np.ndarray) -> list[Series]:
    """Legend entries: a text with a solid coloured patch (or line) just left of it; >= 2 entries in a column or row."""
    img = ctx.img
    H, W = ctx.H, ctx.W
    entries = []
    for t in ctx.texts:
        if not ctx.free(t) or t.role == "vertical" or t.h > 40 or t.x0 < 10:
            continue
        best = None
        for row in range(int(t.cy) - 6, int(t.cy) + 7):
            if not 0 <= row < H:
                continue
            xs = range(int(t.x0) - 1, max(0, int(t.x0) - 60), -1)
            start = None
            for x in xs:
                if ctx.sat[row, x]:
                    start = x
                    break
                if int(t.x0) - x > 16:
                    break
            if start is None:
                continue
            x = start
            while x > 0 and ctx.sat[row, x - 1]:
                x -= 1
            seg = img[row, x:start + 1].astype(np.int32)
            med = np.median(seg, 0)
            uniform = (np.abs(seg - med).sum(1) < 60).mean()
            run = start - x + 1
            if uniform < 0.7:
                continue
            satv = float((med.max() - med.min()))
            key = (run >= 8, run // 4, satv)
            if best is None or key > best[0]:
                best = (key, row, x, start, run)
        if best is None or not (8 <= best[4] <= 50):
            continue
        _, row, xa, xb, run = best
        # a legend patch is short: the same colour does not continue far above/below its middle
        xm = (xa + xb) // 2
        cm = img[row, xm].astype(np.int32)
        col = np.abs(img[max(0, row - 14):min(H, row + 15), xm].astype(np.int32) - cm).sum(1) < 60
        if col.sum() > 16:
            continue
        px = img[row, xa:xb + 1].reshape(-1, 3)
        color = tuple(float(v) for v in np.median(px, 0))
        entries.append((xa, row, xb - xa + 1, t, color))
    # patch-first pass: solid rectangles stacked in a column whose text OCR missed -> read the text beside them
    comps, lab = _components(ctx.sat, min_area=30)
    patches = [c for c in comps if 10 <= c[2] <= 45 and 4 <= c[3] <= 18 and c[4] >= 0.8 * c[2] * c[3]]
    for g in _group(patches, key=lambda c: c[0], tol=3):
        if len(g) < 2:
            continue
        for (x, y, w, h, a, (cx, cy), i) in g:
            if any(abs(e[0] - x) <= 4 and abs(e[1] - cy) <= 6 for e in entries):
                continue
            if not ctx.texts:
                continue
            from .ocr import TextBox, read_crop

            txt = read_crop(img, (x + w + 2, int(cy) - 11, min(W, x + w + 200), int(cy) + 11))
            if not txt:
                continue
            tb = TextBox(txt, 0.6, np.array([[x + w + 4, cy - 8], [x + w + 4 + 8 * len(txt), cy - 8],
                                            [x + w + 4 + 8 * len(txt), cy + 8], [x + w + 4, cy + 8]], float))
            from .table import parse_number

            tb.value = parse_number(txt)
            ctx.texts.append(tb)
            px = img[lab == i]
            entries.append((x, int(cy), w, tb, tuple(float(v) for v in np.median(px, 0))))
    if len(entries) < 2:
        return []
    best: list = []
    for g in _group(entries, key=lambda e: e[0], tol=4):
        if len(g) > len(best):
            best = g
    for g in _group(entries, key=lambda e: e[1], tol=4):
        if len(g) > len(best):
            best = g
    if len(best) < 2:
        return []
    # distinct colours only
    out = []
    for (xa, row, w, t, color) in sorted(best, key=lambda e: (e[1], e[0])):
        if any(np.abs(np.array(color) - np.array(o.color)).sum() < 40 for o, _ in out):
            continue
        box = (min(xa, t.x0) - 4, min(row - 6, t.y0) - 3, max(xa + w, t.x1) + 4, max(row + 6, t.y1) + 3)
        out.append((Series(t.text, color, box), t))
    if len(out) < 2:
        return []
    for _, t in out:
        t.role = "legend"
    return [s for s, _ in out]


def _title(ctx: _Ctx, top_limit: float) -> str:
    cands = [t for t in ctx.texts if ctx.free(t) and t.role != "vertical" and t.cy < top_limit and t.value is None]
    if not cands:
        return ""
    t = min(cands, key=lambda t: t.cy)
    t.role = "title"
    return t.text


def _match_value_label(ctx: _Ctx, est: float, box: tuple, orient: str, positive: bool, upp: float):
    """The numeric text printed next to a mark (above/below a bar, right/left of an h-bar, above a vertex)."""
    if not getattr(ctx, "use_value_labels", True):
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


# ---------------------------------------------------------------------------------------------
def read_chart(src, use_ocr: bool = True, calibration: Calibration | None = None, chart_type: str | None = None,
               use_value_labels: bool = True, progress=None, is_cancelled=None) -> ChartReading:
    """Read a chart. use_ocr=False is the visual-only ablation; use_value_labels=False keeps OCR for axes, legend
    and categories but takes every value from the pixels (the printed value labels are ignored)."""
    t_start = time.perf_counter()
    c_start = time.process_time()
    prog = progress or (lambda f, m="": None)
    img = load_image(src)
    H, W = img.shape[:2]
    check(is_cancelled)
    prog(0.05, "classifying the chart type")
    t0 = time.perf_counter()
    if chart_type is None:
        from .model import classify

        cls = classify(img)
        ranked = sorted(cls["probs"].items(), key=lambda kv: -kv[1])
        ctype, conf = ranked[0]
        # the runner-up is tried when the first reading fails (a bounded second chance, never a third)
        fallback = [(k, p) for k, p in ranked[1:2] if p >= 0.1 and k != "other"]
    else:
        ctype, conf = chart_type, 1.0
        fallback = []
    t_type = time.perf_counter() - t0
    if ctype == "other":
        raise InputError(f"this image does not look like a chart (type model: not a chart, p={conf:.2f})",
                         "give a bar, line, scatter or pie chart; photos and documents are not read")
    check(is_cancelled)
    prog(0.15, "reading the text (OCR)")
    t0 = time.perf_counter()
    c0 = time.process_time()
    texts: list[TextBox] = []
    if use_ocr:
        from .ocr import read_text

        texts = read_text(img)
    t_ocr = time.perf_counter() - t0
    c_ocr = time.process_time() - c0
    check(is_cancelled)
    prog(0.7, "finding axes and marks")
    first_error = None
    orig_roles = [t.role for t in texts]
    for kind, p in [(ctype, conf)] + fallback:
        del texts[len(orig_roles):]  # texts a previous attempt read from crops
        for t, role in zip(texts, orig_roles):
            t.role = role
        ctx = _Ctx(img, texts, kind)
        ctx.use_value_labels = use_value_labels
        try:
            reading = _read_pie(ctx) if kind == "pie" else _read_axes_chart(ctx, calibration, use_ocr)
            conf = p
            break
        except InputError as e:
            first_error = first_error or e
            check(is_cancelled)
    else:
        raise first_error
    if reading.chart_type in ("v_bar", "grouped_bar"):  # one reader for both: the legend decides
        reading.chart_type = "grouped_bar" if len(reading.series) > 1 else "v_bar"
    reading.type_confidence = conf
    reading.used_ocr = use_ocr
    reading.texts = texts
    reading.warnings = ctx.warnings + reading.warnings
    total = time.perf_counter() - t_start
    reading.timings = {"type_s": round(t_type, 4), "ocr_s": round(t_ocr, 4),
                       "rest_s": round(total - t_ocr, 4), "total_s": round(total, 4),
                       "ocr_cpu_s": round(c_ocr, 4), "total_cpu_s": round(time.process_time() - c_start, 4)}
    prog(1.0, "done")
    return reading


def _read_axes_chart(ctx: _Ctx, calibration: Calibration | None, use_ocr: bool) -> ChartReading:
    ctype = ctx.ctype
    H, W = ctx.H, ctx.W
    horizontal = ctype == "h_bar"
    texts = ctx.texts
    # --- tick labels -------------------------------------------------------------------------
    if horizontal and texts:
        pre_x = _tick_group_horizontal(ctx, numeric=True, below=0.3 * H)
        for t in pre_x:
            t.role = "xtick"
        ylab = _tick_group_vertical(ctx, numeric=None)
        for t in pre_x:
            t.role = ""
    else:
        ylab = _tick_group_vertical(ctx, numeric=True) if texts else []
        if not ylab and texts:  # a log axis may show a single labelled decade
            singles = sorted([t for t in texts if ctx.free(t) and t.role != "vertical" and t.value is not None
                              and t.x1 < 0.3 * W and 0.05 * H < t.cy < 0.9 * H], key=lambda t: t.x1)
            if len(singles) == 1 or (len(singles) > 1 and singles[0].x1 < singles[1].x0 - 20):
                ylab = singles[:1]
    for t in ylab:
        t.role = "category" if horizontal else "ytick"
    y_top_lab = min((t.cy for t in ylab), default=0.15 * H)
    y_bot_lab = max((t.cy for t in ylab), default=0.85 * H)
    left_guess = max((t.x1 for t in ylab), default=0.08 * W)
    if ctype in ("h_bar", "scatter"):
        xlab = _tick_group_horizontal(ctx, numeric=True, below=y_top_lab) if texts else []
        xlab = [t for t in xlab if t.x0 > left_guess - 20]
        for t in xlab:
            t.role = "xtick"
    else:
        # category labels sit below the plot, hence below every y tick label's centre
        xlab = _tick_group_horizontal(ctx, numeric=False, below=y_bot_lab if ylab else y_top_lab) if texts else []
        xlab = [t for t in xlab if t.cx > left_guess]
        if len(xlab) < 1:
            xlab = []
        for t in xlab:
            t.role = "category"
    bottom_guess = min((t.y0 for t in xlab), default=0.9 * H) - 2
    # legend first (its texts must not be taken for titles)
    series = _find_legend(ctx, None) if texts else []
    # axis titles: vertical text at the far left, a lone row below the x labels
    vtitle = [t for t in texts if t.role == "vertical" or (ctx.free(t) and t.h > 2 * t.w and t.x1 < left_guess)]
    ytitle = min(vtitle, key=lambda t: t.x0).text if vtitle else ""
    for t in vtitle:
        t.role = "axis_title"
    xt_c = [t for t in texts if ctx.free(t) and t.y0 > (max((x.y1 for x in xlab), default=H) - 8)
            and t.cy > max((x.cy for x in xlab), default=H) and t.value is None]
    xtitle = ""
    if xt_c:
        t = min(xt_c, key=lambda t: t.y0)
        t.role = "axis_title"
        xtitle = t.text
    title = _title(ctx, top_limit=y_top_lab - 4 if ylab else 0.12 * H)

    # --- plot area ---------------------------------------------------------------------------
    y_from = y_top_lab if len(ylab) >= 2 else 0.1 * H
    y_to = y_bot_lab if len(ylab) >= 2 else 0.85 * H
    left, right, top, bottom = _find_edges(ctx, left_guess + 1, W * 0.95, y_from, y_to)
    if xlab:
        # the bottom edge is searched just above the x labels
        _, _, _, b2 = _find_edges(ctx, (left or left_guess) + 5, (right or W) - 5, y_from, bottom_guess)
        bottom = b2 if b2 is not None else bottom
    title_bottom = max((t.y1 for t in texts if t.role == "title"), default=0.0)
    plot = (left if left is not None else left_guess + 8,
            top if top is not None else title_bottom + 4,
            right if right is not None else W - 4,
            bottom if bottom is not None else bottom_guess)
    if plot[2] - plot[0] < 10 or plot[3] - plot[1] < 10:
        raise InputError("no axis found: could not locate the plot area", "crop the picture to the chart, "
                         "or set the calibration by hand")
    # where marks may be: right of the value axis, above the x axis, below the title (marks may overshoot
    # the top/right grid lines when there is no spine there)
    search = (plot[0], title_bottom + 2, W - 2, plot[3])

    # --- calibration -------------------------------------------------------------------------
    cal: dict[str, AxisCalibration] = {}
    if horizontal:
        cat_lab, val_lab = ylab, xlab
        cat_axis, val_axis = "y", "x"
    else:
        cat_lab, val_lab = xlab, ylab
        cat_axis, val_axis = "x", "y"
    if ctype == "scatter":
        if ylab:
            c = fit_axis("y", _snap_ticks(ctx, "y", ylab, plot[0]), [t.value for t in ylab])
            if c:
                cal["y"] = _maybe_log(ctx, c, plot[0])
        if xlab:
            c = fit_axis("x", _snap_ticks(ctx, "x", xlab, plot[3]), [t.value for t in xlab])
            if c:
                cal["x"] = c
    elif val_lab:
        edge = plot[0] if val_axis == "y" else plot[3]
        snapped = _snap_ticks(ctx, val_axis, val_lab, edge)
        c = fit_axis(val_axis, snapped, [t.value for t in val_lab])
        if c:
            cal[val_axis] = _maybe_log(ctx, c, edge)
        else:
            c = _log_from_minor_ticks(ctx, val_axis, snapped, [t.value for t in val_lab], edge)
            if c:
                cal[val_axis] = c
    if calibration is not None:
        for ax in ("x", "y"):
            c = getattr(calibration, ax)
            if c is not None:
                cal[ax] = c
    need = ("x", "y") if ctype == "scatter" else (val_axis,)
    missing = [a for a in need if a not in cal]
    if missing:
        if use_ocr:
            raise InputError(f"no axis found: the {' and '.join(missing)}-axis tick labels could not be read",
                             "the ticks may be unreadable or missing: set the calibration by hand "
                             "(click two known points per axis)")
        # visual-only reading: values in plot-area units (0 at the bottom/left edge, 1 at the top/right)
        for a in missing:
            if a == "y":
                cal[a] = AxisCalibration("y", float(plot[3]), 0.0, float(plot[1]), 1.0, False, "relative")
            else:
                cal[a] = AxisCalibration("x", float(plot[0]), 0.0, float(plot[2]), 1.0, False, "relative")
        ctx.warnings.append("no OCR and no calibration: values are relative plot-area heights (0..1)")

    # --- series ------------------------------------------------------------------------------
    region = np.zeros((H, W), bool)
    x_a, y_a, x_b, y_b = int(search[0]) + 1, int(search[1]) + 1, int(search[2]) - 1, int(search[3]) - 1
    region[max(0, y_a):max(0, y_b), max(0, x_a):max(0, x_b)] = True
    for s in series:
        if s.legend_box:
            bx0, by0, bx1, by1 = (int(v) for v in s.legend_box)
            region[max(0, by0):by1, max(0, bx0):bx1] = False
    # also drop legend patches without readable text (a no-OCR run): small isolated blobs beside text-less areas
    mask = ctx.sat & region
    if not series:
        # without a legend there is one series: its colour is the dominant saturated colour
        cols = _dominant_colors(ctx.img, mask, min_frac=0.05, max_k=6)[:1]
        if not cols:
            raise InputError("no marks found: no coloured bars, lines or points inside the plot area",
                             "this reader needs coloured marks; grey-only charts are not supported")
        if len(cols) == 1:
            name = (xtitle if horizontal else ytitle) or "Value"
            series = [Series(name, cols[0])]
        else:
            series = [Series(f"Series {i + 1}", c) for i, c in enumerate(cols)]

    # --- category anchors ----------------------------------------------------------------------
    def anchor(t: TextBox) -> float:
        if cat_axis == "x" and abs(t.angle) > 15:
            # rotated label, right-aligned at the tick: the upper end of the text
            q = t.quad
            top2 = q[np.argsort(q[:, 1])[:2]]
            return t.x1 - 4.0
        return t.cx if cat_axis == "x" else t.cy

    categories: list[str] = []
    anchors: list[float] = []
    if ctype != "scatter" and cat_lab:
        cat_lab = sorted(cat_lab, key=anchor)
        if cat_axis == "x":
            anchors = _snap_ticks(ctx, "x", cat_lab, plot[3], anchor=anchor)
        else:
            anchors = _snap_ticks(ctx, "y", cat_lab, plot[0], anchor=anchor)
        categories = [t.text for t in cat_lab]

    reading = ChartReading((W, H), ctype, 1.0, Table(["Characteristic"], [], []), series=series,
                           plot_area=tuple(float(v) for v in plot), calibration=cal, title=title)
    vcal = cal[val_axis] if ctype != "scatter" else None
    if ctype in ("v_bar", "grouped_bar", "h_bar"):
        _bars(ctx, reading, region, vcal, horizontal, anchors, categories)
    elif ctype == "line":
        _lines(ctx, reading, region, vcal, anchors, categories)
    else:
        _scatter(ctx, reading, region, cal["x"], cal["y"])
    head = (ytitle if horizontal else xtitle) or "Characteristic"
    if ctype == "scatter":
        head = xtitle or "X"
    cats = list(reading.categories_)
    upper = [c[:1].isupper() for c in cats if c[:1].isalpha()]
    if upper and sum(upper) >= 0.6 * len(upper):  # OCR sometimes drops a capital ('sep' among 'Aug', 'Oct')
        cats = [c[:1].upper() + c[1:] if c[:1].isalpha() else c for c in cats]
    tab = Table([head] + [s.name for s in reading.series], cats, [], title)
    vals = [[None] * len(reading.series) for _ in tab.categories]
    for m in reading.marks:
        vals[m.category][m.series] = m.value
    tab.values = vals
    reading.table = tab
    reading.category_anchors = list(reading.anchors_)
    if not reading.marks:
        raise InputError("no marks found inside the plot area", "check that the picture is a chart with coloured marks")
    return reading


def _bars(ctx, reading, region, vcal, horizontal, anchors, categories):
    img = ctx.img
    marks = []
    bars = []  # (series, center, x0, y0, x1, y1, value, pixval)
    for si, s in enumerate(reading.series):
        dist = _color_dist(img, s.color)
        m = (dist < 60) & region
        comps, lab = _components(m, min_area=12)
        for (x, y, w, h, a, (cx, cy), i) in comps:
            if w < 3 or h < 2 or a < 0.5 * w * h:
                continue
            # sub-pixel ends from partial coverage in the middle third of the bar
            if not horizontal:
                cols = slice(x + w // 3, max(x + w // 3 + 1, x + 2 * w // 3))
                prof = _alpha(img[:, cols].mean(1)[:, None, :], s.color, ctx.bg)[:, 0]
                top = y - float(prof[max(0, y - 2):y].sum())
                bot = y + h + float(prof[y + h:y + h + 2].sum())
                p_end_a, p_end_b = top, bot
                box = (x, top, x + w, bot)
            else:
                rows = slice(y + h // 3, max(y + h // 3 + 1, y + 2 * h // 3))
                prof = _alpha(img[rows, :].mean(0)[:, None, :], s.color, ctx.bg)[:, 0]
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
            pv = _round_to_resolution(v, upp)
            center = (x + w / 2) if not horizontal else (y + h / 2)
            bars.append([si, center, box, pv, positive, upp])
    if not bars:
        return _finish(reading, [], [], [])
    # categories: label anchors when read, else clusters of bar centres
    if not anchors:
        cs = sorted(b[1] for b in bars)
        widths = [(b[2][2] - b[2][0]) if not horizontal else (b[2][3] - b[2][1]) for b in bars]
        gap = 1.5 * float(np.median(widths))
        groups = _group(cs, key=lambda c: c, tol=gap if len(reading.series) > 1 else 0.5)
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
            categories.append(_read_missing_label(ctx, reading, c, horizontal))
            anchors.append(c)
        if extra:
            order = np.argsort(anchors)
            anchors = [anchors[i] for i in order]
            categories = [categories[i] for i in order]
    taken: dict = {}
    for si, center, box, pv, positive, upp in bars:
        k = int(np.argmin([abs(center - a) for a in anchors]))
        size = (box[2] - box[0]) * (box[3] - box[1])
        if (si, k) in taken and taken[(si, k)][0] >= size:
            continue
        val, src, lbl = pv, "pixels", None
        hit = _match_value_label(ctx, pv, box, "h" if horizontal else "v", positive, upp)
        if hit is not None:
            val, lbl = hit
            src = "label"
        taken[(si, k)] = (size, Mark(si, k, val, tuple(box), src, pv, lbl))
    marks = [m for _, m in taken.values()]
    return _finish(reading, marks, categories, anchors)


def _read_missing_label(ctx, reading, center: float, horizontal: bool) -> str:
    x0, y0, x1, y1 = reading.plot_area
    if horizontal:
        box = (0, int(center) - 14, int(x0) - 4, int(center) + 14)
    else:
        box = (int(center) - 45, int(y1) + 3, int(center) + 45, int(y1) + 30)
    if ctx.texts:
        from .ocr import read_crop

        txt = read_crop(ctx.img, box)
        if txt:
            return txt
    return "?"


def _finish(reading, marks, categories, anchors):
    reading.marks = sorted(marks, key=lambda m: (m.category, m.series))
    reading.categories_ = categories
    reading.anchors_ = anchors
    return reading


def _lines(ctx, reading, region, vcal, anchors, categories):
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
    for si, s in enumerate(reading.series):
        dist = _color_dist(img, s.color)
        m = (dist < 70) & region
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
            pv = _round_to_resolution(v, upp)
            box = (a - 4, yc - 4, a + 4, yc + 4)
            val, src, lbl = pv, "pixels", None
            hit = _match_value_label(ctx, pv, (a - 12, float(run.min()) - 2, a + 12, float(run.max()) + 1), "v", True, upp)
            if hit is not None:
                val, lbl = hit
                src = "label"
            marks.append(Mark(si, k, val, box, src, pv, lbl))
    return _finish(reading, marks, categories, anchors)


def _scatter(ctx, reading, region, xcal, ycal):
    img = ctx.img
    pts = []
    s = reading.series[0]
    dist = _color_dist(img, s.color)
    m = (dist < 70) & region
    comps, lab = _components(m, min_area=6)
    if not comps:
        return _finish(reading, [], [], [])
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
        xv = _round_to_resolution(xcal.value(px), max(step / 10, xcal.units_per_px(px)))
        yv = _round_to_resolution(ycal.value(py), ycal.units_per_px(py))
        from .table import format_number

        cats.append(format_number(xv))
        marks.append(Mark(0, k, yv, (px - 4, py - 4, px + 4, py + 4), "pixels", yv))
    return _finish(reading, marks, cats, [p[0] for p in pts])


# ---------------------------------------------------------------------------------------------
def _read_pie(ctx: _Ctx) -> ChartReading:
    import cv2

    img = ctx.img
    H, W = ctx.H, ctx.W
    diff = np.abs(img.astype(np.float32) - ctx.bg[None, None, :]).sum(2) > 40
    solid = ctx.sat | (diff & (ctx.gray < 235))
    closed = cv2.morphologyEx(solid.astype(np.uint8), cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    comps, lab = _components(closed > 0, min_area=200)
    if not comps:
        raise InputError("no pie found: no large coloured disc in the picture", "check the chart type")
    x, y, w, h, a, (cx, cy), i = max(comps, key=lambda c: c[4])
    r = (w + h) / 4.0
    if r < 15 or a < 0.6 * math.pi * r * r or abs(w - h) > 0.2 * max(w, h):
        raise InputError("no pie found: the largest coloured shape is not a disc", "check the chart type")
    cx, cy = x + w / 2.0, y + h / 2.0
    n_ang = 1440
    angs = np.linspace(0, 2 * np.pi, n_ang, endpoint=False)  # 0 = 12 o'clock, clockwise
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
    ok = satv.max(0) >= 30
    cols = _dominant_colors(col[ok][None, :, :].astype(np.uint8), np.ones((1, int(ok.sum())), bool), min_frac=0.01,
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
    change = np.nonzero(labels != np.roll(labels, 1))[0]
    if len(change) == 0:
        runs = [(0, n_ang, int(labels[0]))]
    else:
        runs = []
        for j, s in enumerate(change):
            e = change[(j + 1) % len(change)]
            length = (e - s) % n_ang
            runs.append((int(s), int(length), int(labels[s])))
    runs = [r_ for r_ in runs if r_[1] >= 4]  # ignore slivers from antialiasing
    tot = sum(r_[1] for r_ in runs)
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

    # legend (patch + text) or labels around the pie; percentages inside
    legend = _find_legend(ctx, np.ones((H, W), bool)) if ctx.texts else []
    for s in legend:
        k = int(np.argmin([np.abs(np.array(wd["color"]) - np.array(s.color)).sum() for wd in wedges]))
        if names[k] is None:
            names[k] = s.name
    title = _title(ctx, top_limit=cy - r)
    for t in ctx.texts:
        if not ctx.free(t):
            continue
        dx, dy = t.cx - cx, t.cy - cy
        nx = min(max(cx, t.x0), t.x1)
        ny = min(max(cy, t.y0), t.y1)
        d = math.hypot(nx - cx, ny - cy)  # distance to the nearest point of the text box
        ang = math.atan2(dx, -dy) % (2 * np.pi)
        if t.value is not None and d < r:
            if not getattr(ctx, "use_value_labels", True):
                continue
            k = wedge_at(ang)
            t.role = "value_label"
            if values[k] is None:
                values[k] = t.value
                sources[k] = "label"
        elif r * 0.9 < d < r * 1.4 and not t.text.endswith("%"):
            k = wedge_at(ang)
            if names[k] is None:
                names[k] = t.text
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
        marks.append(Mark(0, k, float(v), (bx - 6, by - 6, bx + 6, by + 6), src, pv))
    table = Table(["Characteristic", "Share"], cats, [[m.value] for m in marks], title)
    reading = ChartReading((W, H), "pie", 1.0, table, marks=marks, series=[Series("Share", (0, 0, 0))],
                           plot_area=(cx - r, cy - r, cx + r, cy + r), title=title,
                           pie={"center": [cx, cy], "radius": r,
                                "wedges": [{k: (list(v) if isinstance(v, tuple) else v) for k, v in wd.items()}
                                           for wd in wedges]})
    reading.category_anchors = [wd["mid"] for wd in wedges]
    return reading
