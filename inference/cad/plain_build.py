"""Geometry for the plain-English reader: a read part (base dict + feature dicts, all in mm) → a DeepCAD sequence.

Split out of :mod:`inference.cad.plain`; the conventions (axes, origins, hole checks) are documented there.
"""
from __future__ import annotations

import math

from inference.runtime.errors import InputError

from .seq import Arc, CADSequence, Circle, Line
from .synth import XZ, ext, rect, stadium


def _family_name(base: dict, features: list) -> str:
    name = base["family"]
    holes = sum(f["n"] for f in features if f["kind"] == "hole")
    parts = []
    if holes and name != "flange":
        parts.append(f"{holes} hole" + ("s" if holes > 1 else ""))
    for kind in ("pocket", "slot"):
        if any(f["kind"] == kind for f in features):
            parts.append(f"a {kind}")
    bodies = sum(f["kind"] == "body" for f in features)
    if bodies and name != "stepped shaft":
        parts.append("a boss on top" if bodies == 1 else f"{bodies} stacked bodies")
    return name + (" with " + " and ".join(parts) if parts else "")


# ----------------------------------------------------------------------------- building
def _outline(base: dict) -> list:
    fam = base["family"]
    if fam in ("cylinder", "flange", "stepped shaft"):
        return [[Circle(0.0, 0.0, base["D"] / 2)]]
    if fam == "tube":
        return [[Circle(0.0, 0.0, base["D"] / 2)], [Circle(0.0, 0.0, base["d"] / 2)]]
    if fam == "hex prism":
        r = base["AF"] / math.sqrt(3)
        pts = [(r * math.cos(math.pi / 3 * k), r * math.sin(math.pi / 3 * k)) for k in range(1, 7)]
        return [[Line(x, y) for x, y in pts]]
    if fam == "triangular prism":
        ys = [p[1] for p in base["pts"]]
        dy = (max(ys) + min(ys)) / 2
        return [[Line(x, y - dy) for x, y in base["pts"][1:] + base["pts"][:1]]]
    return [rect(0.0, 0.0, base["L"], base["W"])]


def _inside(base: dict, x: float, y: float, r: float) -> bool:
    fam = base["family"]
    if "L" in base:
        return abs(x) + r < base["L"] / 2 - 1e-6 and abs(y) + r < base["W"] / 2 - 1e-6
    if fam == "hex prism":
        af = base["AF"] / 2
        return all(abs(x * math.cos(a) + y * math.sin(a)) + r < af - 1e-6
                   for a in (math.pi / 2, math.pi / 6, -math.pi / 6))
    if "D" in base:
        d = math.hypot(x, y)
        return d + r < base["D"] / 2 - 1e-6 and ("d" not in base or d - r > base["d"] / 2 + 1e-6)
    return True


def _check_holes(base: dict, features: list) -> None:
    circles = []
    for f in features:
        if f["kind"] != "hole":
            continue
        for k, (x, y) in enumerate(f["pos"]):
            r = f["D"] / 2
            where = f"hole {len(circles) + 1} (Ø{f['D']:g} mm at {x:.4g}, {y:.4g} mm from the centre)"
            if not _inside(base, x, y, r):
                raise InputError(f"{where} does not fit inside the {base['family']}",
                                 "use a smaller hole, bolt circle or inset")
            for (x2, y2, r2) in circles:
                if math.hypot(x - x2, y - y2) < r + r2 + 1e-6:
                    raise InputError(f"{where} overlaps another hole", "space the holes further apart")
            circles.append((x, y, r))


def _rounded_rect(L: float, W: float, r: float) -> list:
    """A centred L x W rectangle with corner radius r, counter-clockwise (lines and quarter arcs)."""
    x0, x1, y0, y1 = -L / 2, L / 2, -W / 2, W / 2
    q = math.pi / 2
    loop = [Line(x1 - r, y0), Arc(x1, y0 + r, q, True), Line(x1, y1 - r), Arc(x1 - r, y1, q, True),
            Line(x0 + r, y1), Arc(x0, y1 - r, q, True), Line(x0, y0 + r), Arc(x0 + r, y0, q, True)]
    return loop


def _build(base: dict, features: list) -> CADSequence:
    fam = base["family"]
    if fam == "L-bracket":
        if features:
            raise InputError("holes, pockets and bosses on an L-bracket are not read yet",
                             "describe the bracket alone, then edit the sequence")
        A, B, t, W = base["A"], base["B"], base["T"], base["W"]
        x0 = -A / 2
        prof = [Line(A / 2, 0), Line(A / 2, t), Line(x0 + t, t), Line(x0 + t, B), Line(x0, B), Line(x0, 0)]
        return CADSequence([ext([prof], plane=XZ, e1=W / 2, etype=1)])
    _check_holes(base, features)
    H = base["H"]
    bodies = [f for f in features if f["kind"] == "body"]
    through = [f for f in features if f["kind"] == "hole" and f["depth"] is None]
    loops = _outline(base)
    seq = CADSequence()
    if not bodies:  # through holes are holes of the base sketch
        loops += [[Circle(x, y, f["D"] / 2)] for f in through for x, y in f["pos"]]
    seq.extrudes.append(ext(loops, e1=H))
    z = H
    for b in bodies:
        if "L" in b:
            bl = [rect(0.0, 0.0, b["L"], b["W"])]
        else:
            bl = [[Circle(0.0, 0.0, b["D"] / 2)]] + ([[Circle(0.0, 0.0, b["d"] / 2)]] if b.get("d") else [])
        seq.extrudes.append(ext(bl, origin=(0, 0, z), e1=b["H"], op=1))
        z += b["H"]
    if bodies and through:
        seq.extrudes.append(ext([[Circle(x, y, f["D"] / 2)] for f in through for x, y in f["pos"]], e1=z, op=2))
    for f in features:
        if f["kind"] == "hole" and f["depth"] is not None:
            if f["depth"] >= H:
                raise InputError(f"the holes are {f['depth']:g} mm deep in a part {H:g} mm thick",
                                 "make them shallower, or say 'through'")
            seq.extrudes.append(ext([[Circle(x, y, f["D"] / 2)] for x, y in f["pos"]], origin=(0, 0, H - f["depth"]),
                                    e1=f["depth"], op=2))
        elif f["kind"] in ("pocket", "slot"):
            name = f["kind"]
            depth = H if f["through"] else f["depth"]
            if not f["through"] and depth >= H:
                raise InputError(f"the {name} is {depth:g} mm deep in a part {H:g} mm thick",
                                 "make it shallower, or say 'through'")
            if f["D"] is not None:
                loop = [Circle(0.0, 0.0, f["D"] / 2)]
                fits = _inside(base, 0, 0, f["D"] / 2)
            else:
                if f["L"] < f["W"] and "L" in base and base["L"] >= base["W"] and not f["full"]:
                    f["L"], f["W"] = f["W"], f["L"]
                loop = stadium(0.0, 0.0, f["L"], f["W"]) if f["rounded"] and f["L"] > f["W"] else \
                    _rounded_rect(f["L"], f["W"], f["corner_r"]) if f.get("corner_r") else \
                    rect(0.0, 0.0, f["L"], f["W"])
                fits = f["full"] or ("L" in base and f["L"] < base["L"] and f["W"] < base["W"]) or \
                    ("L" not in base and _inside(base, f["L"] / 2, f["W"] / 2, 0))
                if f["full"] == "y":  # a channel across the width: along Y, its ends past the part
                    loop = rect(0.0, 0.0, f["W"], f["L"] + 2)
                elif f["full"]:  # a channel right along: its ends run past the part
                    loop = rect(0.0, 0.0, f["L"] + 2, f["W"])
            if not fits:
                raise InputError(f"the {name} does not fit inside the {fam}", f"make the {name} smaller")
            seq.extrudes.append(ext([loop], origin=(0, 0, H - depth), e1=depth, op=2))
    return seq
