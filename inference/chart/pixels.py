"""Pixel helpers of the chart reader (background, saturation, colours, connected components, 1-D clustering,
profile peaks) and `ReadContext`, the state one reading attempt shares between its steps."""
from __future__ import annotations

import math

import numpy as np

from .ocr import TextBox


def bg_color(img: np.ndarray) -> np.ndarray:
    border = np.concatenate([img[0], img[-1], img[:, 0], img[:, -1]]).reshape(-1, 3)
    vals, counts = np.unique(border // 8, axis=0, return_counts=True)
    mode = vals[counts.argmax()]
    sel = (border // 8 == mode).all(1)
    return border[sel].mean(0)


def on_light_background(img: np.ndarray) -> tuple[np.ndarray, bool]:
    """A chart on a dark background (a dark theme) -> the same chart on a light one, by turning its lightness over
    and keeping every hue and saturation (a blue line stays blue, white text turns dark); (image, inverted?)."""
    if float(np.dot(bg_color(img), [0.299, 0.587, 0.114])) >= 110:
        return img, False
    import cv2

    hls = cv2.cvtColor(img, cv2.COLOR_RGB2HLS)
    hls[:, :, 1] = 255 - hls[:, :, 1]
    return cv2.cvtColor(hls, cv2.COLOR_HLS2RGB), True


def invert_lightness(rgb) -> tuple:
    """One colour's lightness turned over (see on_light_background): the colour as drawn on the dark original."""
    import colorsys

    h, lum, sat = colorsys.rgb_to_hls(*(float(v) / 255 for v in rgb))
    return tuple(round(v * 255, 1) for v in colorsys.hls_to_rgb(h, 1.0 - lum, sat))


def saturation_mask(img: np.ndarray) -> np.ndarray:
    f = img.astype(np.int16)
    mx, mn = f.max(2), f.min(2)
    return ((mx - mn) >= 40) & (mx >= 50)


def components(mask: np.ndarray, min_area: int = 1):
    import cv2

    n, lab, stats, cent = cv2.connectedComponentsWithStats(mask.astype(np.uint8), connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h, a = stats[i]
        if a >= min_area:
            out.append((int(x), int(y), int(w), int(h), int(a), (float(cent[i][0]), float(cent[i][1])), i))
    return out, lab


def dominant_colors(img: np.ndarray, mask: np.ndarray, min_frac: float = 0.04, max_k: int = 8) -> list[tuple]:
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


def color_dist(img: np.ndarray, color) -> np.ndarray:
    return np.abs(img.astype(np.float32) - np.asarray(color, np.float32)[None, None, :]).sum(2)


def nearest_colour_mask(dists: list[np.ndarray], i: int, tol: float) -> np.ndarray:
    """Pixels within TOL of colour I (DISTS: each colour's color_dist plane) and no nearer any other: two lines in
    near colours, a pixel belongs to the nearer one."""
    m = dists[i] < tol
    for j, other in enumerate(dists):
        if j != i:
            m &= dists[i] <= other
    return m


def coverage(px: np.ndarray, color, bg) -> np.ndarray:
    c = np.asarray(color, np.float64)
    b = np.asarray(bg, np.float64)
    d = c - b
    n = float(d @ d)
    if n < 1e-6:
        return np.zeros(px.shape[:-1])
    return np.clip(((px.astype(np.float64) - b) @ d) / n, 0, 1)


def blend_mask(img: np.ndarray, color, bg, min_cov: float = 0.45, max_resid: float = 20.0) -> np.ndarray:
    """Pixels that are COLOR washed by the background (a thin anti-aliased line is lighter than its colour):
    coverage >= MIN_COV and off the colour-background line by < MAX_RESID."""
    b = np.asarray(bg, np.float64)
    d = np.asarray(color, np.float64) - b
    n = float(d @ d)
    if n < 1e-6:
        return np.zeros(img.shape[:2], bool)
    rel = img.astype(np.float64) - b
    a = (rel @ d) / n
    resid = np.linalg.norm(rel - a[..., None] * d, axis=2)
    return (a >= min_cov) & (a <= 1.15) & (resid < max_resid)


def cluster_1d(items, key, tol):
    """Greedy 1-D clustering of items by key within tol."""
    groups: list[list] = []
    for it in sorted(items, key=key):
        if groups and abs(key(it) - np.mean([key(g) for g in groups[-1]])) <= tol:
            groups[-1].append(it)
        else:
            groups.append([it])
    return groups


def round_to_resolution(v: float, upp: float) -> float:
    if not math.isfinite(v):
        return v
    if upp <= 0 or not math.isfinite(upp):
        return v
    step = 10 ** math.floor(math.log10(upp))
    return round(round(v / step) * step, 10)


def profile_peak(profile: np.ndarray, center: float, radius: int = 8, offset: int = 0) -> float | None:
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


class ReadContext:
    """One reading attempt's shared state: the image and its derived planes, the OCR texts (whose roles the
    steps claim as they go), the chart type tried, the warnings, and whether printed value labels are used."""

    def __init__(self, img: np.ndarray, texts: list[TextBox], ctype: str, use_value_labels: bool = True):
        self.img = img
        self.H, self.W = img.shape[:2]
        self.gray = img.astype(np.float32).mean(2)
        self.bg = bg_color(img)
        self.sat = saturation_mask(img)
        self.texts = texts
        self.ctype = ctype
        self.use_value_labels = use_value_labels
        self.warnings: list[str] = []

    def free(self, tb: TextBox) -> bool:
        return not tb.role or tb.role == "vertical"


def text_colour(ctx: "ReadContext", t) -> np.ndarray | None:
    """The median colour of a text's ink (pixels far from the background), None when it has too little ink."""
    x0, y0, x1, y1 = max(0, int(t.x0)), max(0, int(t.y0)), int(t.x1) + 1, int(t.y1) + 1
    px = ctx.img[y0:y1, x0:x1].reshape(-1, 3).astype(np.float32)
    ink = px[np.abs(px - ctx.bg).sum(1) > 120]
    return np.median(ink, 0) if len(ink) >= 10 else None
