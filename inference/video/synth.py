"""RTime-synth: short videos of strongly directional events, in RTime's own split format.

``generate(out_dir, n=…, seed=…)`` renders ``n`` clips (``<id>.mp4``) and writes ``train.json`` and
``test.json`` (or only one of them, see ``split``) keyed by clip id, each value
``{"temporal", "reverse", "forward_captions": [1], "reverse_captions": [1],
"forward_rewrites": [9], "reverse_rewrites": [9], "url", "family", "direction"}`` — the
RTime schema plus two extra keys.  Train captions use the training templates, test captions
only the held-out ones (see :mod:`inference.video.captions`).

Every family's reverse direction is the time reversal of its forward one, so a clip played
backwards is a correct example of the opposite caption: the premise of RTime.
"""
from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Optional

import numpy as np

from inference.runtime.cancel import check
from inference.runtime.errors import InputError

from .captions import HELD_OUT_POOLS, families, family_names, opposite, templates

SIZE = 96          # rendered frame size (pixels)
N_FRAMES = 16      # frames per clip
FPS = 8.0

COLOURS = {
    "red": (220, 40, 40), "green": (40, 180, 60), "blue": (40, 90, 230), "yellow": (240, 220, 40),
    "orange": (245, 140, 20), "purple": (150, 60, 200), "white": (245, 245, 245), "pink": (250, 130, 200),
}
SHAPES = {  # shape -> nouns used in captions
    "circle": ["circle", "ball", "disc"],
    "square": ["square", "box", "block"],
    "triangle": ["triangle"],
    "diamond": ["diamond"],
    "star": ["star"],
}


# ----------------------------------------------------------------------------- drawing helpers
def _poly(shape: str, cx: float, cy: float, r: float, angle: float) -> np.ndarray:
    if shape == "square":
        base = [(-1, -1), (1, -1), (1, 1), (-1, 1)]
        base = [(x * 0.8, y * 0.8) for x, y in base]
    elif shape == "triangle":
        base = [(math.cos(a), math.sin(a)) for a in (-math.pi / 2, math.pi / 6, 5 * math.pi / 6)]
    elif shape == "diamond":
        base = [(0, -1), (0.65, 0), (0, 1), (-0.65, 0)]
    elif shape == "star":
        base = []
        for k in range(10):
            a = -math.pi / 2 + k * math.pi / 5
            rr = 1.0 if k % 2 == 0 else 0.45
            base.append((rr * math.cos(a), rr * math.sin(a)))
    else:  # circle as a polygon (for outlines)
        base = [(math.cos(a), math.sin(a)) for a in np.linspace(0, 2 * math.pi, 40, endpoint=False)]
    ca, sa = math.cos(angle), math.sin(angle)
    pts = [(cx + r * (x * ca - y * sa), cy + r * (x * sa + y * ca)) for x, y in base]
    return np.array(pts, dtype=np.float64)


def _fill(img: np.ndarray, shape: str, cx, cy, r, colour, angle=0.0, alpha=1.0) -> None:
    import cv2
    target = img if alpha >= 0.999 else img.copy()
    if shape == "circle" and angle == 0.0:
        cv2.circle(target, (int(round(cx * 16)), int(round(cy * 16))), max(1, int(round(r * 16))),
                   colour, -1, cv2.LINE_AA, shift=4)
    else:
        pts = np.round(_poly(shape, cx, cy, r, angle) * 16).astype(np.int32)
        cv2.fillPoly(target, [pts], colour, cv2.LINE_AA, shift=4)
    if alpha < 0.999:
        cv2.addWeighted(target, alpha, img, 1 - alpha, 0, dst=img)


def _outline(img, shape, cx, cy, r, colour, frac, thick) -> None:
    import cv2
    pts = _poly(shape, cx, cy, r, 0.0)
    pts = np.vstack([pts, pts[:1]])
    seg = np.linalg.norm(np.diff(pts, axis=0), axis=1)
    total = seg.sum() * frac
    out = [pts[0]]
    acc = 0.0
    for i, L in enumerate(seg):
        if acc + L <= total:
            out.append(pts[i + 1])
            acc += L
        else:
            t = (total - acc) / max(L, 1e-9)
            out.append(pts[i] + t * (pts[i + 1] - pts[i]))
            break
    if len(out) >= 2 and total > 0.5:
        arr = np.round(np.array(out) * 16).astype(np.int32)
        cv2.polylines(img, [arr], False, colour, thick, cv2.LINE_AA, shift=4)


def _far_colour(rng, avoid: list, names=None) -> str:
    names = list(names or COLOURS)
    rng.shuffle(names)
    for n in names:
        c = np.array(COLOURS[n], float)
        if all(np.abs(c - np.array(a, float)).sum() > 150 for a in avoid):
            return n
    return names[0]


def _background(rng, obj_rgb: list) -> np.ndarray:
    for _ in range(50):
        dark = rng.random() < 0.5
        base = rng.uniform(15, 70, 3) if dark else rng.uniform(150, 215, 3)
        base = base.mean() + (base - base.mean()) * 0.5  # muted
        if all(np.abs(base - np.array(o, float)).sum() > 160 for o in obj_rgb):
            break
    img = np.empty((SIZE, SIZE, 3), np.float32)
    img[:] = base
    if rng.random() < 0.6:  # a soft gradient
        g = np.linspace(-1, 1, SIZE, dtype=np.float32)
        ax = rng.integers(2)
        grad = (g[:, None] if ax == 0 else g[None, :]) * rng.uniform(5, 25)
        img += grad[..., None]
    return img


# ----------------------------------------------------------------------------- family renderers
def _render(family: str, p_seq: np.ndarray, rng: np.random.Generator, shape: str, c1: str, c2: str):
    """Frames (T, SIZE, SIZE, 3) uint8 RGB for the forward (A) direction at progress values p_seq."""
    import cv2
    col = COLOURS[c1]
    col2 = COLOURS[c2]
    bg = _background(rng, [col, col2] if family == "colour" else [col])
    # static distractors (muted, never the target colour)
    distract = []
    for _ in range(int(rng.integers(0, 3))):
        dc = tuple(float(x) for x in (bg.mean(axis=(0, 1)) + rng.uniform(-35, 35, 3)))
        distract.append((str(rng.choice(list(SHAPES))), rng.uniform(8, 88), rng.uniform(8, 88),
                         rng.uniform(4, 8), dc))
    S = SIZE
    r = rng.uniform(8, 14)
    params: dict = {}
    if family == "horizontal":
        params = dict(x0=rng.uniform(0.12, 0.35) * S, x1=rng.uniform(0.65, 0.88) * S, y=rng.uniform(0.25, 0.75) * S)
    elif family == "vertical":
        params = dict(y0=rng.uniform(0.65, 0.88) * S, y1=rng.uniform(0.12, 0.35) * S, x=rng.uniform(0.25, 0.75) * S)
    elif family == "size":
        params = dict(r0=rng.uniform(2.5, 6), r1=rng.uniform(20, 32), x=rng.uniform(0.4, 0.6) * S, y=rng.uniform(0.4, 0.6) * S)
    elif family == "fill":
        w, h = rng.uniform(28, 44), rng.uniform(44, 70)
        params = dict(x=rng.uniform(0.35, 0.65) * S, y=rng.uniform(0.45, 0.6) * S, w=w, h=h,
                      rim=(230, 230, 230) if bg.mean() < 110 else (40, 40, 40))
    elif family in ("opacity", "brightness", "scatter", "colour"):
        params = dict(x=rng.uniform(0.3, 0.7) * S, y=rng.uniform(0.3, 0.7) * S, r=rng.uniform(12, 22))
        if family == "scatter":
            n = 28
            poly = _poly(shape, 0.0, 0.0, params["r"], 0.0).astype(np.float32)
            pts = []
            while len(pts) < n:  # pieces start inside the shape, so the whole looks like it
                q = rng.uniform(-params["r"], params["r"], 2)
                if cv2.pointPolygonTest(poly, (float(q[0]), float(q[1])), False) >= 0:
                    pts.append(q)
            params["pts"] = np.array(pts)
            ang = np.arctan2(params["pts"][:, 1], params["pts"][:, 0]) + rng.normal(0, 0.3, n)
            speed = rng.uniform(25, 45, n)
            params["vel"] = np.stack([np.cos(ang), np.sin(ang)], 1) * speed[:, None]
    elif family == "rotation":
        params = dict(x=rng.uniform(0.35, 0.65) * S, y=rng.uniform(0.35, 0.65) * S, r=rng.uniform(16, 26),
                      a0=rng.uniform(0, 2 * math.pi), sweep=math.radians(rng.uniform(100, 170)))
    elif family == "stack":
        n = int(rng.integers(3, 6))
        bw, bh = rng.uniform(18, 30), rng.uniform(10, 14)
        params = dict(n=n, bw=bw, bh=bh, x=rng.uniform(0.35, 0.65) * S, base=S - rng.uniform(4, 10))
    elif family == "approach":
        vertical = rng.random() < 0.3
        params = dict(vertical=vertical, c=rng.uniform(0.4, 0.6) * S, o=rng.uniform(0.35, 0.65) * S,
                      far=rng.uniform(0.26, 0.34) * S, near=rng.uniform(0.06, 0.12) * S + r, r=r * 0.8)
    elif family == "draw":
        params = dict(x=rng.uniform(0.4, 0.6) * S, y=rng.uniform(0.4, 0.6) * S, r=rng.uniform(18, 30),
                      thick=int(rng.integers(2, 4)))
    elif family == "door":
        w, h = rng.uniform(30, 40), rng.uniform(55, 75)
        params = dict(x=rng.uniform(0.3, 0.5) * S, y=S - rng.uniform(4, 10) - h, w=w, h=h)
    elif family == "dots":
        n = int(rng.integers(5, 10))
        params = dict(n=n, pos=rng.uniform(10, S - 10, (n, 2)), rad=rng.uniform(3, 6, n))
    frames = []
    for p in p_seq:
        img = bg.copy()
        for (ds, dx, dy, dr, dc) in distract:
            _fill(img, ds, dx, dy, dr, dc)
        P = params
        if family == "horizontal":
            _fill(img, shape, P["x0"] + (P["x1"] - P["x0"]) * p, P["y"], r, col)
        elif family == "vertical":
            _fill(img, shape, P["x"], P["y0"] + (P["y1"] - P["y0"]) * p, r, col)
        elif family == "size":
            _fill(img, shape, P["x"], P["y"], P["r0"] + (P["r1"] - P["r0"]) * p, col)
        elif family == "fill":
            x0, y0 = P["x"] - P["w"] / 2, P["y"] - P["h"] / 2
            lvl = P["h"] * (0.04 + 0.92 * p)
            cv2.rectangle(img, (int(x0), int(y0 + P["h"] - lvl)), (int(x0 + P["w"]), int(y0 + P["h"])), col, -1)
            cv2.rectangle(img, (int(x0), int(y0)), (int(x0 + P["w"]), int(y0 + P["h"])), P["rim"], 2)
        elif family == "opacity":
            _fill(img, shape, P["x"], P["y"], P["r"], col, alpha=0.03 + 0.97 * p)
        elif family == "rotation":
            _fill(img, shape, P["x"], P["y"], P["r"], col, angle=P["a0"] + P["sweep"] * p)
        elif family == "stack":
            k_float = p * P["n"]
            for k in range(P["n"]):
                if k_float <= k:
                    break
                t = min(1.0, (k_float - k) * 1.6)  # the newest block slides down into place
                rest = P["base"] - (k + 1) * P["bh"]
                y = rest - (1 - t) * 25
                cv2.rectangle(img, (int(P["x"] - P["bw"] / 2), int(y)), (int(P["x"] + P["bw"] / 2), int(y + P["bh"] - 1)), col, -1)
                cv2.rectangle(img, (int(P["x"] - P["bw"] / 2), int(y)), (int(P["x"] + P["bw"] / 2), int(y + P["bh"] - 1)),
                              tuple(0.6 * np.array(col)), 1)
        elif family == "colour":
            c = tuple(float(a + (b - a) * p) for a, b in zip(col, col2))
            _fill(img, shape, P["x"], P["y"], P["r"], c)
        elif family == "approach":
            d = P["far"] + (P["near"] - P["far"]) * p
            a, b = P["c"] - d, P["c"] + d
            if P["vertical"]:
                _fill(img, shape, P["o"], a, P["r"], col)
                _fill(img, shape, P["o"], b, P["r"], col)
            else:
                _fill(img, shape, a, P["o"], P["r"], col)
                _fill(img, shape, b, P["o"], P["r"], col)
        elif family == "brightness":
            _fill(img, shape, P["x"], P["y"], P["r"], col)
            img *= 0.2 + 0.8 * p
        elif family == "draw":
            _outline(img, shape, P["x"], P["y"], P["r"], col, p, P["thick"])
        elif family == "scatter":
            pts = P["pts"] + P["vel"] * p
            for (dx, dy) in pts:
                _fill(img, "square", P["x"] + dx, P["y"] + dy, 1.8, col)
        elif family == "door":
            x0, y0, w, h = P["x"], P["y"], P["w"], P["h"]
            cv2.rectangle(img, (int(x0), int(y0)), (int(x0 + w), int(y0 + h)), (10, 10, 10), -1)  # doorway
            pw = w * (1.0 - 0.85 * p)  # the panel swings: its visible width shrinks
            cv2.rectangle(img, (int(x0), int(y0)), (int(x0 + pw), int(y0 + h)), col, -1)
            cv2.circle(img, (int(x0 + pw * 0.8), int(y0 + h * 0.55)), 2, (30, 30, 30), -1)
            cv2.rectangle(img, (int(x0) - 2, int(y0) - 2), (int(x0 + w) + 2, int(y0 + h)), (120, 90, 60), 2)
        elif family == "dots":
            k = int(math.floor(p * P["n"] + 1e-6))
            for j in range(min(k, P["n"])):
                _fill(img, "circle", P["pos"][j, 0], P["pos"][j, 1], P["rad"][j], col)
        frames.append(img)
    return frames


# ----------------------------------------------------------------------------- camera families (real imagery)
REAL_FAMILIES = ("pan", "tilt", "zoom", "fade", "focus", "enter")  # drawn over real photographs / footage


def _window(src: np.ndarray, cx: float, cy: float, half: float) -> np.ndarray:
    """The square of src centred on (cx, cy) with half-side `half`, resampled to SIZE x SIZE."""
    import cv2
    s = SIZE / (2.0 * half)
    M = np.float32([[s, 0, SIZE / 2 - s * cx], [0, s, SIZE / 2 - s * cy]])
    return cv2.warpAffine(src, M, (SIZE, SIZE), flags=cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR,
                          borderMode=cv2.BORDER_REFLECT)


def _jitter_colour(img: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    gain = rng.uniform(0.8, 1.2, 3) * rng.uniform(0.8, 1.15)
    out = img * gain.astype(np.float32)
    return out[:, ::-1] if rng.random() < 0.5 else out


def _render_real(family: str, p_seq: np.ndarray, rng: np.random.Generator, source, patch_src=None) -> list:
    """Frames (float32 RGB SIZE x SIZE) of a camera family's forward (A) direction at progress values p_seq.

    source: one picture (H, W, 3) or a list of consecutive frames of real footage (one per clip frame);
    patch_src: the picture a cut-out is taken from for "enter" (default: source)."""
    import cv2
    seq = source if isinstance(source, (list, tuple)) else None
    first = seq[0] if seq is not None else source
    H, W = first.shape[:2]
    h0 = rng.uniform(0.24, 0.34) * min(H, W)
    cx, cy = rng.uniform(h0, W - h0), rng.uniform(h0, H - h0)
    P: dict = {}
    if family in ("pan", "tilt"):
        dim = W if family == "pan" else H
        D = rng.uniform(0.6, 1.0) * min(dim - 2 * h0, 1.5 * h0)
        start = rng.uniform(h0, dim - h0 - D)
        P = dict(start=start, D=D)
    elif family == "zoom":
        P = dict(h1=h0 * rng.uniform(0.45, 0.62))
    elif family == "focus":
        P = dict(smax=rng.uniform(2.5, 4.5))
    elif family == "enter":
        ps = rng.uniform(28, 44)
        pic = patch_src if patch_src is not None else first
        ph, pw = pic.shape[:2]
        half = rng.uniform(0.12, 0.3) * min(ph, pw)
        patch = cv2.resize(_window(pic, rng.uniform(half, pw - half), rng.uniform(half, ph - half), half),
                           (int(ps), int(ps)), interpolation=cv2.INTER_AREA)
        border = (245, 245, 245) if rng.random() < 0.5 else (15, 15, 15)
        cv2.rectangle(patch, (0, 0), (int(ps) - 1, int(ps) - 1), border, 2)
        rest = rng.uniform(ps / 2 + 6, SIZE - ps / 2 - 6, 2)
        side = int(rng.integers(4))
        start = rest.copy()
        start[side % 2] = -ps / 2 - 2 if side < 2 else SIZE + ps / 2 + 2
        P = dict(patch=patch, ps=int(ps), rest=rest, start=start)
    frames = []
    for k, p in enumerate(p_seq):
        src = seq[min(k, len(seq) - 1)] if seq is not None else source
        if family == "pan":
            img = _window(src, P["start"] + P["D"] * p, cy, h0)      # A: the camera pans right
        elif family == "tilt":
            img = _window(src, cx, H - P["start"] - P["D"] * p, h0)  # A: the camera tilts up
        elif family == "zoom":
            img = _window(src, cx, cy, h0 + (P["h1"] - h0) * p)      # A: zoom in
        else:
            img = _window(src, cx, cy, h0)
        if family == "fade":
            img = img * (0.03 + 0.97 * p)                            # A: fade in from black
        elif family == "focus":
            sigma = P["smax"] * (1 - p)                              # A: comes into focus
            if sigma > 0.3:
                img = cv2.GaussianBlur(img, (0, 0), sigma, borderType=cv2.BORDER_REFLECT)
        elif family == "enter":                                      # A: a cut-out comes into the frame
            x, y = P["start"] + (P["rest"] - P["start"]) * p
            x0, y0, n = int(round(x - P["ps"] / 2)), int(round(y - P["ps"] / 2)), P["ps"]
            a0, b0 = max(0, x0), max(0, y0)
            a1, b1 = min(SIZE, x0 + n), min(SIZE, y0 + n)
            if a1 > a0 and b1 > b0:
                img = img.copy()
                img[b0:b1, a0:a1] = P["patch"][b0 - y0:b1 - y0, a0 - x0:a1 - x0]
        frames.append(img.astype(np.float32))
    return frames


def progress_values(rng: np.random.Generator, direction: str, n_frames: int = N_FRAMES) -> np.ndarray:
    """An event's progress (0 → 1 for A, 1 → 0 for B) at each frame, with random start, end and easing."""
    t = np.linspace(0, 1, n_frames)
    t0, t1 = rng.uniform(0, 0.2), rng.uniform(0.8, 1.0)
    p = np.clip((t - t0) / (t1 - t0), 0, 1)
    if rng.random() < 0.5:
        p = p * p * (3 - 2 * p)  # ease in/out
    return 1 - p if direction == "B" else p


def render_clip(family: str, direction: str, rng: np.random.Generator, shape: str, c1: str, c2: str,
                n_frames: int = N_FRAMES, imagery: str = "train", source=None) -> np.ndarray:
    """One clip (T, SIZE, SIZE, 3) uint8 RGB with timing, noise and camera jitter drawn from rng.

    The camera families (REAL_FAMILIES) are drawn over a photograph of the `imagery` pool
    (inference.video.imagery: "train" or "test"), or over `source` (a picture or a list of frames of real
    footage) when given."""
    import cv2
    p = progress_values(rng, direction, n_frames)
    if family in REAL_FAMILIES:
        from .imagery import photos
        pics = photos(imagery)
        patch = None
        if source is None:
            source = _jitter_colour(pics[int(rng.integers(len(pics)))], rng)
        if family == "enter":
            patch = _jitter_colour(pics[int(rng.integers(len(pics)))], rng)
        frames = _render_real(family, p, rng, source, patch)
    else:
        frames = _render(family, p, rng, shape, c1, c2)
    sigma = rng.uniform(0, 6)
    jitter = rng.uniform(0, 2)
    out = np.empty((n_frames, SIZE, SIZE, 3), np.uint8)
    for i, f in enumerate(frames):
        if jitter > 0:
            dx, dy = rng.normal(0, jitter, 2)
            M = np.float32([[1, 0, dx], [0, 1, dy]])
            f = cv2.warpAffine(f, M, (SIZE, SIZE), borderMode=cv2.BORDER_REFLECT)
        if sigma > 0:
            f = f + rng.normal(0, sigma, f.shape).astype(np.float32)
        out[i] = np.clip(f, 0, 255).astype(np.uint8)
    return out


def _caption(tpl: str, c1: str, c2: str, noun: str) -> str:
    return tpl.format(c=c1, c2=c2, o=noun)


def nouns(family: str, shape: str) -> list[str]:
    """The nouns a caption of this family may use for this shape."""
    fam = families()[family]
    if "nouns" in fam:
        return list(fam["nouns"])
    nouns = [n for n in SHAPES[shape] if n not in fam.get("nouns_exclude", [])]
    return nouns or [shape]


def make_item(family: str, direction: str, pool: str, rng: np.random.Generator, shape: str, c1: str, c2: str) -> dict:
    """The RTime-format annotation of one clip, captioned from one template pool (captions.POOLS)."""
    words = nouns(family, shape)
    fw = templates(family, direction, pool)
    rv = templates(family, opposite(direction), pool)

    def caps(tpls: list[str], k: int) -> list[str]:
        out: list[str] = []
        for _ in range(60):
            s = _caption(str(rng.choice(tpls)), c1, c2, str(rng.choice(words)))
            if s not in out:
                out.append(s)
            if len(out) == k:
                break
        while len(out) < k:
            out.append(out[len(out) % max(1, len(out))])
        return out

    fwd = caps(fw, 10)
    rev = caps(rv, 10)
    return {"temporal": True, "reverse": True, "forward_captions": fwd[:1], "reverse_captions": rev[:1],
            "forward_rewrites": fwd[1:], "reverse_rewrites": rev[1:], "url": "",
            "family": family, "direction": direction, "shape": shape, "colours": [c1, c2]}


SHAPELESS = {"fill", "stack", "door", "dots"}


def meaning(family: str, direction: str, shape: str, c1: str, c2: str) -> tuple:
    """What a clip shows, independent of how it is drawn: equal keys = interchangeable captions."""
    if family == "colour":
        a, b = (c1, c2) if direction == "A" else (c2, c1)
        return (family, shape, a, b)
    if family in REAL_FAMILIES:  # no colour or shape: every clip of one direction means the same
        return (family, direction, None, None)
    return (family, direction, None if family in SHAPELESS else shape, c1)


def write_mp4(path: Path, frames: np.ndarray, fps: float = FPS) -> None:
    import cv2
    h, w = frames.shape[1:3]
    wr = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"mp4v"), fps, (w, h))
    if not wr.isOpened():
        raise InputError(f"cannot write {path}", "check that the folder is writable")
    try:
        for f in frames:
            wr.write(np.ascontiguousarray(f[..., ::-1]))
    finally:
        wr.release()


def sample_spec(rng: np.random.Generator, family: Optional[str] = None) -> tuple:
    family = family or str(rng.choice(family_names()))
    direction = "A" if rng.random() < 0.5 else "B"
    shape = str(rng.choice(list(SHAPES)))
    if family == "rotation" and shape == "circle":
        shape = str(rng.choice(["square", "triangle", "diamond", "star"]))
    if family == "draw" and shape == "star":
        shape = "square"
    c1 = str(rng.choice(list(COLOURS)))
    c2 = _far_colour(rng, [COLOURS[c1]], [c for c in COLOURS if c != c1])
    return family, direction, shape, c1, c2


def _make_one(job: tuple) -> tuple:
    """Render clip i of a data set; its random stream depends only on (seed, i) (the captions are drawn
    after the frames, so a held-out pool changes the captions of a clip, never its pixels)."""
    out, seed, i, which, pool = job
    clip_id, (family, direction, shape, c1, c2), rng, frames = _render_nth(seed, i, imagery=which)
    write_mp4(Path(out) / f"{clip_id}.mp4", frames)
    return which, clip_id, make_item(family, direction, HELD_OUT_POOLS[pool] if which == "test" else which,
                                     rng, shape, c1, c2)


def _render_nth(seed: int, i: int, imagery: str = "test") -> tuple:
    """Clip i of a data set: (clip id, (family, direction, shape, colour, colour 2), its random stream, frames).
    imagery: the photograph pool of the camera families ("train" clips never show a "test" photograph)."""
    rng = np.random.default_rng([seed, i])
    names = family_names()
    spec = sample_spec(rng, names[i % len(names)])
    return f"{seed:04d}{i:06d}", spec, rng, render_clip(*spec[:2], rng, *spec[2:], imagery=imagery)


def generate(out_dir, n: int = 200, seed: int = 0, split: str = "both", test_fraction: float = 0.2,
             workers: int = 1, progress=None, is_cancelled=None, held_out_pool: str = "original") -> dict:
    """Render n clips into out_dir; returns {"train": count, "test": count, "dir": …}.

    split: "both" (train.json + test.json, test captions from held-out templates), "train" or "test".
    held_out_pool: which held-out templates caption the test clips, "original" or "fresh" (captions.py).
    Families are balanced (clip i gets family i mod F)."""
    if held_out_pool not in HELD_OUT_POOLS:
        raise InputError(f"unknown held-out pool '{held_out_pool}'", "use " + " or ".join(HELD_OUT_POOLS))
    if n < 1 or n > 1_000_000:
        raise InputError(f"--n must be between 1 and 1000000 (got {n})",
                         "ask for at least one" if n < 1 else "ask for fewer clips")
    if split not in ("both", "train", "test"):
        raise InputError(f"unknown split '{split}'", "use both, train or test")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise InputError(f"cannot create {out} ({e.strerror})", "choose a writable folder") from None
    n_test = 0 if split == "train" else n if split == "test" else max(1, int(round(n * test_fraction)))
    order = np.random.default_rng(seed).permutation(n)
    ann = {"train": {}, "test": {}}
    jobs = [(str(out), seed, i, "test" if order[i] < n_test else "train", held_out_pool) for i in range(n)]
    if workers > 1:
        import multiprocessing as mp
        with mp.get_context("spawn").Pool(workers) as pool:
            for k, (which, clip_id, item) in enumerate(pool.imap(_make_one, jobs, chunksize=16)):
                check(is_cancelled)
                ann[which][clip_id] = item
                if progress and (k % 10 == 0 or k == n - 1):
                    progress((k + 1) / n, f"rendered {k + 1}/{n} clips")
    else:
        for k, job in enumerate(jobs):
            check(is_cancelled)
            which, clip_id, item = _make_one(job)
            ann[which][clip_id] = item
            if progress and (k % 10 == 0 or k == n - 1):
                progress((k + 1) / n, f"rendered {k + 1}/{n} clips")
    result = {"dir": str(out)}
    for which in ("train", "test"):
        if ann[which] or split in (which, "both"):
            (out / f"{which}.json").write_text(json.dumps(ann[which], indent=1), encoding="utf-8")
            result[which] = len(ann[which])
    return result


def template_queries(ann: dict, ids: list[str], pool: str) -> tuple[list[str], list[tuple]]:
    """Every template of a caption pool (captions.POOLS) filled in for every clip, both
    directions: (captions, meta) with meta = (clip index, caption is the clip's own direction, family,
    direction, template). A per-phrasing measure: RTime-Binary for each template over all clips,
    where the split file itself holds one caption per clip."""
    caps, meta = [], []
    for n, i in enumerate(ids):
        a = ann[i]
        c1, c2 = a["colours"]
        noun = nouns(a["family"], a["shape"])[0]
        for d in (a["direction"], opposite(a["direction"])):
            for t in templates(a["family"], d, pool):
                caps.append(_caption(t, c1, c2, noun))
                meta.append((n, d == a["direction"], a["family"], d, t))
    return caps, meta


def write_clip_pairs(out_dir, n: int = 4, seed: int = 0) -> dict:
    """n clips of `generate(out_dir, n, seed, split="test")` (its test.json names them), each beside its
    time-reversed copy `<id>_reversed.mp4`: a small folder in which a search tells an event from the same
    event played backwards (the video panel's "Try a sample" folder). Returns generate's result."""
    res = generate(out_dir, n=n, seed=seed, split="test")
    for i in range(n):
        clip_id, _, _, frames = _render_nth(seed, i)
        write_mp4(Path(out_dir) / f"{clip_id}_reversed.mp4", frames[::-1])
    return res
