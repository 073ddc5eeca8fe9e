"""OCR with RapidOCR 3.x (PP-OCR models shipped inside its wheel, run by the installed onnxruntime-gpu).

`rapidocr` 3.x has no dependency on a particular onnxruntime package, unlike `rapidocr-onnxruntime`,
which pulls plain `onnxruntime` and would replace onnxruntime-gpu's module. We import it lazily and
keep one engine per process.
"""
from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass

import numpy as np

from inference.runtime.errors import ModelError
from inference.runtime.words import english_words

from .table import parse_number

log = logging.getLogger(__name__)
_lock = threading.Lock()
_engine = None
MIN_SCORE = 0.6


@dataclass(eq=False)
class TextBox:
    text: str
    score: float
    quad: np.ndarray  # 4x2 float (x, y), clockwise from top-left as RapidOCR returns it
    value: float | None = None
    role: str = ""  # filled by the reader: title, ytick, xtick, category, legend, value_label, axis_title, ...

    @property
    def x0(self) -> float:
        return float(self.quad[:, 0].min())

    @property
    def x1(self) -> float:
        return float(self.quad[:, 0].max())

    @property
    def y0(self) -> float:
        return float(self.quad[:, 1].min())

    @property
    def y1(self) -> float:
        return float(self.quad[:, 1].max())

    @property
    def cx(self) -> float:
        return float(self.quad[:, 0].mean())

    @property
    def cy(self) -> float:
        return float(self.quad[:, 1].mean())

    @property
    def w(self) -> float:
        return self.x1 - self.x0

    @property
    def h(self) -> float:
        return self.y1 - self.y0

    @property
    def angle(self) -> float:
        """Angle of the top edge in degrees (0 = horizontal; positive = rising to the right)."""
        (x0, y0), (x1, y1) = self.quad[0], self.quad[1]
        return float(np.degrees(np.arctan2(-(y1 - y0), x1 - x0)))

    def to_json(self) -> dict:
        return {"text": self.text, "score": round(self.score, 3), "box": [round(self.x0, 1), round(self.y0, 1),
                round(self.x1, 1), round(self.y1, 1)], "value": self.value, "role": self.role}


def engine():
    global _engine
    with _lock:
        if _engine is None:
            try:
                import onnxruntime as ort

                ort.set_default_logger_severity(3)
                from rapidocr import RapidOCR
            except Exception as e:  # pragma: no cover - depends on the install
                raise ModelError(f"OCR is not available ({type(e).__name__}: {e})",
                                 "install the 'rapidocr' package (3.x) beside onnxruntime-gpu, or use --no-ocr") from None
            logging.getLogger("RapidOCR").setLevel(logging.ERROR)
            _engine = RapidOCR(params={"Global.log_level": "error", "Global.use_cls": False})
        return _engine


def clean_text(t: str) -> str:
    t = t.replace("\u2212", "-").replace("\u2013", "-").replace("\u2014", "-").strip()
    # a capital I ending a lower-case word, or just before its last letters, is the recogniser's l ('LidI' ->
    # 'Lidl', 'AppIe' -> 'Apple', 'WorId' -> 'World'); a word glued to the next ('UrbanImports') keeps its capital
    t = re.sub(r"(?<=[a-z])I(?=[a-z]{0,2}\b)", "l", t)
    t = re.sub(r"(?<=\d)[oO](?=\d)", "0", t)   # '20o4' -> '2004'
    return re.sub(r"\s+", " ", t)


def strip_bullet(t: str) -> str:
    """'• United States' -> 'United States': a marker dot or dash read as part of a label is not its name."""
    return re.sub(r"^[\u2022\u00b7\-\u2013*\s]+", "", t) or t


def _is_texty(t: str) -> bool:
    return bool(re.search(r"[0-9A-Za-z]", t))


_MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}


_PAIR = re.compile(r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?|q[1-4]|h[12])\s*'?\d{2,4}\*?\s*",
                   re.I)


def _split_merged(tb: TextBox) -> list[TextBox]:
    """Neighbouring tick labels read as one box ('2017 2018 2019'): split it by character position."""
    toks = tb.text.split(" ")
    if len(toks) < 2 or tb.role == "vertical" or abs(tb.angle) > 10:
        return [tb]
    # month or quarter with its year ("May '20 Jun '20", "Q1 2019 Q2 2019"): one label per pair
    pairs = _PAIR.findall(tb.text)
    if len(pairs) >= 2 and "".join(pairs).replace(" ", "") == tb.text.replace(" ", ""):
        toks = [p.strip() for p in pairs]
    elif not (all(parse_number(t) is not None for t in toks) or all(t[:3].lower() in _MONTHS for t in toks)):
        return [tb]
    n = sum(len(t) for t in toks)  # labels are evenly spaced: share the width by length, gaps included
    out = []
    pos = 0
    for t in toks:
        a, b = pos / n, (pos + len(t)) / n
        x0 = tb.x0 + a * tb.w
        x1 = tb.x0 + b * tb.w
        out.append(TextBox(t, tb.score, np.array([[x0, tb.y0], [x1, tb.y0], [x1, tb.y1], [x0, tb.y1]]), None, tb.role))
        pos += len(t)
    return out


_SHORT = {"a", "an", "as", "at", "be", "by", "in", "is", "it", "of", "on", "or", "to", "the", "and", "for"}


def rejoin_words(text: str) -> str:
    """'Num be r of pe ople' -> 'Number of people': the recogniser puts spaces inside words of small or rotated
    text. Two or three pieces are joined when together they are a known word of >= 5 letters and they are not
    all short function words."""
    toks = text.split(" ")
    if len(toks) < 2:
        return text
    vocab = english_words()
    if not vocab:
        return text
    out: list[str] = []
    i = 0
    while i < len(toks):
        for k in (3, 2):
            piece = toks[i:i + k]
            if len(piece) < k or not all(t.isalpha() for t in piece):
                continue
            word = "".join(piece)
            if len(word) >= 5 and word.lower() in vocab and not all(t.lower() in _SHORT for t in piece):
                out.append(word)
                i += k
                break
        else:
            out.append(toks[i])
            i += 1
    return " ".join(out)


def join_digit_groups(texts: list[TextBox]) -> list[TextBox]:
    """'11' + '950' printed as '11,950' or '11 950' (a thousands separator the recogniser reads as a space, or two
    boxes): one number again. Joined only when the right part is exactly three digits that touch the left part on
    the same line; tick labels ('2017', '2018') and spaced ticks never touch."""
    out: list[TextBox] = []
    left = re.compile(r"[-+]?[$€£]?\d{1,3}([ ,.]\d{3})*")
    right = re.compile(r"\d{3}([.,]\d+)?%?")
    for t in texts:
        k = None
        if right.fullmatch(t.text) and not t.role:
            for i, prev in enumerate(out):
                if (left.fullmatch(prev.text) and not prev.role and abs(t.cy - prev.cy) < 0.3 * max(t.h, prev.h)
                        and -2 <= t.x0 - prev.x1 <= 0.35 * max(t.h, prev.h)):
                    k = i
                    break
        if k is None:
            out.append(t)
            continue
        prev = out[k]
        q = np.array([[prev.x0, min(prev.y0, t.y0)], [t.x1, min(prev.y0, t.y0)], [t.x1, max(prev.y1, t.y1)],
                      [prev.x0, max(prev.y1, t.y1)]], float)
        joined = TextBox(prev.text.rstrip(",. ") + "," + t.text, min(prev.score, t.score), q)
        joined.value = parse_number(joined.text)
        out[k] = joined
    for t in out:
        if " " in t.text and t.value is None:
            t.text = rejoin_words(t.text)
    return out


_cache: dict = {}
_CACHE_MAX = 256


def read_text(rgb: np.ndarray, min_score: float = MIN_SCORE) -> list[TextBox]:
    """All text boxes (score >= min_score) in image coordinates; vertical labels are merged and re-read rotated.
    Results are cached per image content (re-reading the same picture, e.g. after a calibration, skips OCR)."""
    import copy
    import hashlib

    key = (hashlib.sha1(np.ascontiguousarray(rgb).tobytes()).hexdigest(), rgb.shape, min_score)
    with _lock:
        hit = _cache.get(key)
    if hit is not None:
        return copy.deepcopy(hit)
    out = _read_text(rgb, min_score)
    with _lock:
        if len(_cache) >= _CACHE_MAX:
            _cache.pop(next(iter(_cache)))
        _cache[key] = copy.deepcopy(out)
    return out


def _read_text(rgb: np.ndarray, min_score: float) -> list[TextBox]:
    eng = engine()
    h, w = rgb.shape[:2]
    scale = 1.0
    img = rgb
    if max(h, w) < 500:  # small pictures: upscale so glyphs are big enough for the recogniser
        import cv2

        scale = 2.0
        img = cv2.resize(rgb, (w * 2, h * 2), interpolation=cv2.INTER_CUBIC)
    bgr = np.ascontiguousarray(img[:, :, ::-1])
    res = eng(bgr, use_det=True, use_cls=False, use_rec=True)
    found = list(res.txts) if res is not None and getattr(res, "boxes", None) is not None else []
    n_found = len(found)
    n_num = sum(parse_number(clean_text(str(t))) is not None for t in found)
    if scale == 1.0 and (n_found < 8 or n_num < 3) and max(h, w) <= 1000:
        # few texts or numbers found: small tick labels the detector missed at this size (grey 8 px digits on a
        # tinted background); a second look at twice the size keeps whichever finds more
        import cv2

        big = cv2.resize(rgb, (w * 2, h * 2), interpolation=cv2.INTER_CUBIC)
        res2 = eng(np.ascontiguousarray(big[:, :, ::-1]), use_det=True, use_cls=False, use_rec=True)
        if res2 is not None and getattr(res2, "boxes", None) is not None and (
                len(res2.boxes) > n_found
                or sum(parse_number(clean_text(str(t))) is not None for t in res2.txts) > n_num):
            res, scale, bgr = res2, 2.0, np.ascontiguousarray(big[:, :, ::-1])
    out: list[TextBox] = []
    if res is None or getattr(res, "boxes", None) is None:
        return out
    boxes: list[TextBox] = []
    for quad, txt, sc in zip(res.boxes, res.txts, res.scores):
        quad = np.asarray(quad, dtype=np.float64) / scale
        boxes.append(TextBox(clean_text(str(txt)), float(sc), quad))
    # vertical text (a y-axis title) often comes in pieces: merge pieces in one column, then re-read rotated
    vert = [b for b in boxes if b.h > 1.5 * b.w and b.h > 15]
    rest = [b for b in boxes if b not in vert]
    merged: list[list[TextBox]] = []
    for b in sorted(vert, key=lambda b: b.cx):
        if merged and abs(merged[-1][0].cx - b.cx) < 8:
            merged[-1].append(b)
        else:
            merged.append([b])
    for grp in merged:
        x0, x1 = min(b.x0 for b in grp), max(b.x1 for b in grp)
        y0, y1 = min(b.y0 for b in grp), max(b.y1 for b in grp)
        tb = TextBox(" ".join(b.text for b in sorted(grp, key=lambda b: -b.cy)), min(b.score for b in grp),
                     np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], dtype=np.float64))
        xa, xb = max(0, int(x0) - 2), min(w, int(np.ceil(x1)) + 2)
        ya, yb = max(0, int(y0) - 2), min(h, int(np.ceil(y1)) + 2)
        crop = np.rot90(bgr[int(ya * scale):int(yb * scale), int(xa * scale):int(xb * scale)], k=-1)
        try:
            r2 = eng(np.ascontiguousarray(crop), use_det=False, use_cls=False, use_rec=True)
            if r2 is not None and r2.txts and float(r2.scores[0]) >= 0.5:
                tb.text, tb.score = clean_text(str(r2.txts[0])), float(r2.scores[0])
        except Exception:  # pragma: no cover - best effort
            pass
        tb.role = "vertical"
        rest.append(tb)
    rest = [piece for tb in rest for piece in _split_merged(tb)]
    for tb in rest:
        if tb.score < min_score or not _is_texty(tb.text):
            continue
        tb.text = re.sub(r"^0(?=[a-z]{2})", "O", tb.text)  # '0ct' -> 'Oct'
        tb.text = re.sub(r"(?<=\d)\s*[-_]$", "", tb.text)  # a tick mark touching its label: '8.0 -' -> '8.0'
        _drop_icon_prefix(tb)
        tb.value = parse_number(tb.text)
        out.append(tb)
    _shared_units(out)
    return [piece for tb in out for piece in _split_at_icons_and_gaps(rgb, tb)]


_NUM_UNIT = re.compile(r"^([$€£]?[-+]?\d[\d,]*(?:\.\d+)?)\s*([A-Za-z][A-Za-z.]*(?: [A-Za-z]+)?)$")


def _shared_units(boxes: list) -> None:
    """A number with a unit word that three or more labels share is a number: Our World in Data prints its ticks
    and value labels as '0.2 GPI', '11.8 years', '$20 million'. A unit only one or two labels carry ('2 years'
    among categories) stays text."""
    groups: dict = {}
    for tb in boxes:
        m = _NUM_UNIT.match(tb.text) if tb.value is None else None
        if m:
            groups.setdefault(m.group(2).lower(), []).append((tb, m.group(1)))
    for members in groups.values():
        if len(members) >= 3 and len({n for _, n in members}) >= 2:
            for tb, n in members:
                tb.value = parse_number(n)


# a legend icon read into its name: a line with a symbol on it ('-O-Retail', '-ORetail', '--o-- Sales', '-◆- Men');
# the symbol glyph is followed by a capital, a space or a digit, never by a lower-case letter ('O-ring' stays;
# '-Other' loses its dash only)
_ICON_PREFIX = re.compile(r"^(?:[-~=_]+\s*[oO0●○◆◇■□▲△•*+x]?\s*[-~=_]*|[oO0●○◆◇■□▲△•]\s*[-~=_]+)\s*(?=[A-Z0-9(])")


def _drop_icon_prefix(tb: TextBox) -> None:
    """'-ORetail' -> 'Retail', its box starting where the name starts (the icon left of it, where the legend
    reader looks for a series' colour). Numbers ('-5') are not touched."""
    m = _ICON_PREFIX.match(tb.text)
    if not m or parse_number(tb.text) is not None or len(tb.text) - m.end() < 2:
        return
    cut = m.end() / len(tb.text)
    left = tb.quad[0] + cut * (tb.quad[1] - tb.quad[0])  # along the top and bottom edges
    left_b = tb.quad[3] + cut * (tb.quad[2] - tb.quad[3])
    tb.quad = np.array([left, tb.quad[1], tb.quad[2], left_b], dtype=np.float64)
    tb.text = tb.text[m.end():]


def _split_at_icons_and_gaps(rgb: np.ndarray, tb: TextBox) -> list[TextBox]:
    """One box over several names: a legend row read as one ('RevenueActualRural', its coloured icons between the
    names dropped) or a row of category labels ('Kenya France Canada'). Split where coloured ink stands between
    grey or black letters, or where the letters leave a gap wider than the text is tall, and read each piece
    again; the box stays whole when any piece cannot be read."""
    if tb.role == "vertical" or abs(tb.angle) > 10 or tb.value is not None or tb.w < 3 * tb.h or tb.h < 6:
        return [tb]
    H, W = rgb.shape[:2]
    x0, y0, x1, y1 = max(0, int(tb.x0)), max(0, int(tb.y0)), min(W, int(np.ceil(tb.x1))), min(H, int(np.ceil(tb.y1)))
    crop = rgb[y0:y1, x0:x1].astype(np.int16)
    if crop.size == 0:
        return [tb]
    border = np.concatenate([crop[0], crop[-1]])
    bg = np.median(border, 0)
    mx, mn = crop.max(2), crop.min(2)
    sat = ((mx - mn) >= 40) & (mx >= 50)
    letters = (np.abs(crop - bg).sum(2) > 150) & ((mx - mn) < 25)  # grey or black ink, not an icon's blended edge
    if letters.sum() < 20:  # coloured text: its own letters would look like icons
        return [tb]
    # an icon's columns hold coloured ink and no letter ink (letters with coloured subpixel fringes stay letters)
    letter_col = letters.any(0)
    icon_col = (sat.sum(0) >= 2) & ~letter_col
    h = tb.h
    pieces, start, last, gap_blank, gap_icon = [], None, None, 0, 0
    for x in range(len(letter_col)):
        if letter_col[x]:
            if start is not None and (gap_blank > 1.2 * h or gap_icon >= 0.4 * h):
                pieces.append((start, last))
                start = None
            if start is None:
                start = x
            last, gap_blank, gap_icon = x, 0, 0
        elif start is not None:
            gap_blank += 1
            gap_icon += int(icon_col[x])
    if start is not None:
        pieces.append((start, last))
    if len(pieces) < 2:
        return [tb]
    out = []
    for a, b in pieces:
        txt = read_crop(rgb, (x0 + a - 3, y0, x0 + b + 4, y1))
        if not txt or not _is_texty(txt):
            return [tb]
        quad = np.array([[x0 + a, y0], [x0 + b + 1, y0], [x0 + b + 1, y1], [x0 + a, y1]], dtype=np.float64)
        piece = TextBox(txt, tb.score, quad, None, tb.role)
        piece.value = parse_number(txt)
        out.append(piece)
    return out


def read_crop(rgb: np.ndarray, box: tuple) -> str:
    """Recognise the text in one region (x0, y0, x1, y1) without detection ('' when nothing readable)."""
    h, w = rgb.shape[:2]
    x0, y0, x1, y1 = (int(v) for v in box)
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 - x0 < 4 or y1 - y0 < 4:
        return ""
    crop = np.ascontiguousarray(rgb[y0:y1, x0:x1, ::-1])
    gray = crop.mean(2)
    cols = np.nonzero((gray < 160).any(0))[0]
    if len(cols) == 0:
        return ""
    crop = np.ascontiguousarray(crop[:, max(0, cols[0] - 3):cols[-1] + 4])
    res = engine()(crop, use_det=False, use_cls=False, use_rec=True)
    if res is None or not res.txts or float(res.scores[0]) < 0.5:
        return ""
    return clean_text(str(res.txts[0]))


def read_rotated(rgb: np.ndarray, box: tuple) -> str:
    """Recognise text written bottom-to-top (a y-axis title the detector missed) in one region (x0, y0, x1, y1):
    the dark band is cut out, turned upright and read ('' when nothing readable)."""
    h, w = rgb.shape[:2]
    x0, y0, x1, y1 = (int(v) for v in box)
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 - x0 < 4 or y1 - y0 < 20:
        return ""
    crop = rgb[y0:y1, x0:x1]
    dark = crop.mean(2) < 150
    rows = np.nonzero(dark.any(1))[0]
    cols = np.nonzero(dark.any(0))[0]
    if len(rows) < 20 or len(cols) < 4:
        return ""
    crop = crop[max(0, rows[0] - 3):rows[-1] + 4, max(0, cols[0] - 3):cols[-1] + 4]
    up = np.ascontiguousarray(np.rot90(crop, k=-1)[:, :, ::-1])
    if up.shape[0] < 24:  # small glyphs: upscale for the recogniser
        import cv2

        f = 32.0 / up.shape[0]
        up = cv2.resize(up, (int(up.shape[1] * f), 32), interpolation=cv2.INTER_CUBIC)
    res = engine()(up, use_det=False, use_cls=False, use_rec=True)
    if res is None or not res.txts or float(res.scores[0]) < 0.6:
        return ""
    return clean_text(str(res.txts[0]))
