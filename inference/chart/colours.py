"""Colours in questions: 'the dark blue bar' -> the series (or the slice) drawn in the colour nearest to dark blue,
and the everyday name of a drawn colour ('what colour is Ireland?')."""
from __future__ import annotations

import re

import numpy as np

COLOURS = {"red": (214, 39, 40), "orange": (245, 130, 30), "yellow": (235, 200, 40), "green": (50, 160, 60),
           "blue": (40, 100, 200), "purple": (128, 60, 160), "violet": (140, 90, 190), "pink": (230, 120, 180),
           "brown": (140, 90, 60), "grey": (128, 128, 128), "gray": (128, 128, 128), "black": (30, 30, 30),
           "teal": (0, 128, 128), "navy": (25, 40, 110), "olive": (128, 128, 0), "gold": (212, 175, 55),
           "beige": (225, 210, 170), "cyan": (40, 190, 210), "maroon": (120, 20, 30)}
COLOUR_RE = re.compile(r"\b(?:(light|dark|pale|deep|bright|navy)[\s-]+)?(" + "|".join(COLOURS) + r")\b")


def lab(rgb) -> np.ndarray:
    """sRGB 0..255 -> CIE L*a*b* (D65): distances there follow what people call 'the same colour'."""
    c = np.asarray(rgb, float) / 255.0
    c = np.where(c > 0.04045, ((c + 0.055) / 1.055) ** 2.4, c / 12.92)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ c
    xyz = xyz / np.array([0.9505, 1.0, 1.089])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def colour_mentions(ql: str, colors: dict | None, names: list[str]) -> list[tuple[int, int, int]]:
    """(position, series index, length) for each colour phrase of the question that one series' colour answers to
    clearly (nearest in L*a*b*, and clearly nearer than the next)."""
    if not colors:
        return []
    cand = [(i, lab(colors[n])) for i, n in enumerate(names) if n in colors]
    if not cand:
        return []
    out = []
    for m in COLOUR_RE.finditer(ql):
        base = np.array(COLOURS[m.group(2)], float)
        if m.group(1) in ("light", "pale"):
            base = base + (255 - base) * 0.5
        elif m.group(1) in ("dark", "deep", "navy"):
            base = base * 0.6
        target = lab(base)
        d = sorted((float(np.linalg.norm(c_lab - target)), i) for i, c_lab in cand)
        if d[0][0] < 60 and (len(d) == 1 or d[1][0] > 1.2 * d[0][0]):
            out.append((m.start(), d[0][1], m.end() - m.start()))
    return out


def colour_name(rgb) -> str:
    """The everyday name of a colour, by hue (what 'what colour is X?' answers): grey/black when it has little
    colour, brown for a dark orange or red."""
    import colorsys

    r, g, b = (float(v) / 255 for v in rgb)
    h, sat, v = colorsys.rgb_to_hsv(r, g, b)
    if v < 0.2:
        return "black"
    if sat < 0.3:
        return "grey"
    deg = h * 360
    if (deg < 12 or deg >= 345) and v < 0.55 or 12 <= deg < 45 and v < 0.65:
        return "brown"
    for top, name in ((12, "red"), (42, "orange"), (68, "yellow"), (175, "green"), (255, "blue"), (290, "purple"),
                      (345, "pink"), (361, "red")):
        if deg < top:
            return name
    return "red"
