"""Compositional training descriptions for the text → CAD models.

The fixed training templates bind each number to a role by its *position* (the 3rd number of
"a {L} x {W} x {T} mm plate with a {D} mm hole" is the thickness). A model that learns only that
breaks on any other wording. This generator says the same facts as clauses in a random order, each
clause carrying its own role word ("{T} mm thick", "thickness {T} mm", "{D} mm across"), so the
model has to bind numbers by their role words. Built only from words of the *training* templates
(tests/cad/test_augment.py checks that no word that only the held-out templates use appears here,
and that no generated sentence shape is a held-out template); head nouns always come first, never
after a dimension adjective.
"""
from __future__ import annotations

import numpy as np

from inference.cad.synth import Part, fmt_mm


def _pick(rng, options):
    return options[int(rng.integers(len(options)))]


def _shuffled(rng, clauses):
    clauses = list(clauses)
    rng.shuffle(clauses)
    return clauses


_PLATE_NOUNS = ["plate", "rectangular plate", "flat plate", "block", "base plate", "rectangular block"]


def _lwt(rng, f, thick_word="thick") -> tuple[str, list]:
    """(dimension text right after the noun, extra clauses to shuffle with the features)."""
    L, W, T = f["L"], f["W"], f["T"]
    k = int(rng.integers(5))
    if k == 0:
        return _pick(rng, [f"{L} x {W} x {T} mm", f"of {L} x {W} x {T} mm", f"of {L} by {W} by {T} mm"]), []
    if k == 1:
        parts = [_pick(rng, [f"{L} mm long", f"length {L} mm"]), _pick(rng, [f"{W} mm wide", f"width {W} mm"]),
                 _pick(rng, [f"{T} mm {thick_word}", f"thickness {T} mm"])]
        return " , ".join(_shuffled(rng, parts)), []
    if k == 2:
        return _pick(rng, [f"{L} by {W} mm", f"{L} x {W} mm", f"of {L} by {W} mm"]), \
            [_pick(rng, [f"{T} mm {thick_word}", f"thickness {T} mm", f"with a height of {T} mm"])]
    if k == 3:
        return "", [_pick(rng, [f"{L} mm long", f"length {L} mm"]), _pick(rng, [f"{W} mm wide", f"width {W} mm"]),
                    _pick(rng, [f"{T} mm {thick_word}", f"thickness {T} mm"])]
    return _pick(rng, [f"{L} mm by {W} mm", f"measuring {L} by {W} mm"]), [_pick(rng, [f"{T} mm {thick_word}", f"thickness {T} mm"])]


def _features(rng, fam: str, f: dict) -> list:
    """The family's own clauses (each a string), in a random order where the order is free."""
    def size(*opts):
        return _pick(rng, list(opts))
    if fam == "plate":
        return []
    if fam == "plate_hole":
        return [size(f"with a {f['D']} mm hole in the centre", f"with a central through hole of diameter {f['D']} mm",
                     f"having one centred hole , diameter {f['D']} mm", f"drilled through the middle with a {f['D']} mm hole",
                     f"with a through hole of diameter {f['D']} mm in the middle")]
    if fam == "hole_pattern":
        a = size(f"with four {f['D']} mm holes", f"with a {f['D']} mm hole in each corner",
                 f"with 4 corner holes of diameter {f['D']} mm", f"with 4 holes , diameter {f['D']} mm")
        b = size(f"{f['M']} mm from each edge", f"{f['M']} mm in from the edges", f"inset {f['M']} mm",
                 f"placed {f['M']} mm from the sides")
        return [a, b]
    if fam == "hole_row":
        a = size(f"with a row of {f['N']} holes", f"with {f['N']} holes in a line along its length",
                 f"drilled with {f['N']} holes", f"with {f['N']} equally spaced holes")
        rest = _shuffled(rng, [size(f"of {f['D']} mm", f"diameter {f['D']} mm", f"( {f['D']} mm )"),
                               size(f"spaced {f['P']} mm apart", f"pitch {f['P']} mm", f"at {f['P']} mm centres",
                                    f"{f['P']} mm between centres")])
        return [a + " " + rest[0], rest[1]] if rng.random() < 0.5 else [a] + rest
    if fam == "boss":
        a = size("with a cylindrical boss", "with a round boss", "carrying a central cylinder", "and a boss")
        dims = _shuffled(rng, [size(f"of diameter {f['D']} mm", f"{f['D']} mm across", f"diameter {f['D']} mm"),
                               size(f"{f['H']} mm tall", f"{f['H']} mm high", f"height {f['H']} mm")])
        where = size("on top", "in the middle", "centred on the top face", "")
        return [" ".join([a] + dims[:1]), " ".join(dims[1:] + ([where] if where else []))]
    if fam == "slot":
        a = size("with a slot", "with a central through slot", "with an oblong slot", "with a rounded slot")
        if rng.random() < 0.5:
            dims = [size(f"{f['S']} mm by {f['SW']} mm", f"of {f['S']} x {f['SW']} mm")]
        else:
            dims = _shuffled(rng, [size(f"{f['S']} mm long", f"length {f['S']} mm"),
                                   size(f"{f['SW']} mm wide", f"width {f['SW']} mm")])
        where = size("through the centre", "cut through", "in the middle", "")
        return [" ".join([a, dims[0]])] + dims[1:] + ([where] if where else [])
    if fam == "pocket":
        a = size("with a rectangular pocket", "with a central pocket", "with a recess")
        return [a + " " + size(f"{f['PL']} x {f['PW']} mm", f"of {f['PL']} by {f['PW']} mm", f"measuring {f['PL']} x {f['PW']} mm"),
                size(f"{f['P']} mm deep", f"depth {f['P']} mm", f"and depth {f['P']} mm")]
    if fam == "rib":
        a = size("with a rib", "stiffened by a central rib", "with a lengthwise wall")
        dims = _shuffled(rng, [size(f"{f['RT']} mm thick", f"{f['RT']} mm wide", f"thickness {f['RT']} mm"),
                               size(f"{f['H']} mm high", f"{f['H']} mm tall", f"height {f['H']} mm")])
        where = size("along its length", "down the middle", "on top", "")
        return [a + " " + dims[0], dims[1]] + ([where] if where else [])
    if fam == "tilted_pin":
        a = size(f"with a {f['D']} mm pin", f"with a round peg of diameter {f['D']} mm",
                 f"and an inclined cylinder {f['D']} mm across")
        rest = _shuffled(rng, [size(f"{f['H']} mm long", f"sticking out {f['H']} mm"),
                               size(f"tilted {f['tilt']} degrees", f"at {f['tilt']} degrees")])
        return [a] + rest + ([size("from the top centre", "")] if rng.random() < 0.5 else [])
    if fam == "side_boss":
        a = size(f"with a {f['D']} mm boss", f"with a cylinder of diameter {f['D']} mm",
                 f"with a horizontal pin {f['D']} mm across")
        return [a, size(f"{f['H']} mm long", f"sticking out {f['H']} mm"), size("on its end face", "from the side", "on one end")]
    raise KeyError(fam)


def _bracket(rng, fam: str, f: dict) -> str:
    if fam == "l_bracket":
        noun = _pick(rng, ["an l bracket", "l shaped bracket", "angle bracket", "a right angle bracket"])
        a = _pick(rng, [f"a {f['A']} mm base", f"base {f['A']} mm", f"a horizontal leg of {f['A']} mm"])
        b = _pick(rng, [f"{f['B']} mm high", f"height {f['B']} mm", f"a vertical leg of {f['B']} mm"])
        w = _pick(rng, [f"{f['W']} mm wide", f"width {f['W']} mm", f"depth {f['W']} mm"])
    else:
        noun = _pick(rng, ["a t bracket", "t shaped profile", "tee section", "an inverted t bracket"])
        a = _pick(rng, [f"a {f['A']} mm base", f"base {f['A']} mm", f"flange {f['A']} mm", f"a {f['A']} mm wide base"])
        b = _pick(rng, [f"{f['B']} mm high", f"height {f['B']} mm", f"a {f['B']} mm tall web"])
        w = _pick(rng, [f"length {f['W']} mm", f"{f['W']} mm long", f"depth {f['W']} mm"])
    t = _pick(rng, [f"{f['T']} mm thick", f"thickness {f['T']} mm", f"wall {f['T']} mm", f"{f['T']} mm material"])
    sep = _pick(rng, [" , ", " with ", " : "])
    return noun + sep + " , ".join(_shuffled(rng, [a, b, t, w]))


def _flange(rng, f: dict) -> str:
    noun = _pick(rng, ["a round flange", "circular flange", "flange", "disc"])
    holes = _pick(rng, [f"{f['N']} bolt holes of {f['bd']} mm", f"{f['N']} holes of {f['bd']} mm", f"{f['N']} x {f['bd']} mm bolt holes"])
    rad = _pick(rng, [f"on a {f['R']} mm radius", f"at radius {f['R']} mm", f"bolt circle radius {f['R']} mm"])
    clauses = _shuffled(rng, [
        _pick(rng, [f"{f['D']} mm in diameter", f"diameter {f['D']} mm", f"{f['D']} mm across"]),
        _pick(rng, [f"{f['T']} mm thick", f"thickness {f['T']} mm"]),
        _pick(rng, [f"{f['d']} mm centre bore", f"bore {f['d']} mm", f"a {f['d']} mm central hole"]),
        holes + " " + rad if rng.random() < 0.6 else holes,
    ])
    if not any(rad in c for c in clauses):
        clauses.append(rad)
    text = noun + _pick(rng, [" , ", " : "]) + " , ".join(clauses)
    if "hd" in f:
        text += _pick(rng, [f" , with a {f['hd']} mm hub {f['hh']} mm high", f" , with a hub of diameter {f['hd']} mm , {f['hh']} mm high"])
    return text


def _shaft(rng, facts: dict) -> str:
    n = len(facts["ds"])
    head = _pick(rng, ["a stepped shaft", "stepped shaft", "shaft", "turned part"]) + " " + \
        _pick(rng, [f"with {n} sections", f"with {n} steps", f"made of {n} cylinders"])
    form = int(rng.integers(4))  # one phrasing for all segments of a description, the order of its facts varies
    segs = []
    for d, h in zip(facts["ds"], facts["hs"]):
        d, h = fmt_mm(d), fmt_mm(h)
        segs.append([f"diameter {d} mm and length {h} mm", f"length {h} mm and diameter {d} mm",
                     f"diameter {d} mm , length {h} mm", f"{d} mm diameter and {h} mm long"][form])
    return head + _pick(rng, [" : ", " , from the bottom : "]) + _pick(rng, [" , then ", " , "]).join(segs)


def describe_augmented(part: Part, rng: np.random.Generator) -> str:
    """A description of ``part`` with its facts as clauses in a random order (training only)."""
    fam = part.family
    f = {k: fmt_mm(v) for k, v in part.facts.items() if not isinstance(v, list)}
    if fam == "stepped_shaft":
        return _shaft(rng, part.facts)
    if fam in ("l_bracket", "t_bracket"):
        return _bracket(rng, fam, f)
    if fam == "flange":
        return _flange(rng, f)
    noun = _pick(rng, _PLATE_NOUNS)
    head = _pick(rng, ["a ", ""]) + noun
    dims, extra = _lwt(rng, f, "high" if fam == "side_boss" and rng.random() < 0.5 else "thick")
    feats = _features(rng, fam, f)
    # the base's own clauses (any order) come before the feature's, so that "length", "wide",
    # "thick" after the feature's noun always belong to the feature
    body = [c for c in _shuffled(rng, extra) + feats if c]
    text = head + (" " + dims if dims else "")
    if body:
        text += " , " + " , ".join(body)
    return " ".join(text.split())
