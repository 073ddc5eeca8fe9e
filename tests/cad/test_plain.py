"""The plain-English reader (inference/cad/plain.py): development phrasings → family, size, volume, hole counts;
missing dimensions named; text that is no part refused; half-understood text flagged (never a simpler part)."""
from __future__ import annotations

import math

import pytest

from inference.cad import kernel, plain

pi = math.pi
def cyl(d, h): return pi * d * d / 4 * h
def hexa(af, h): return math.sqrt(3) / 2 * af * af * h
# (text, family substring, size xyz, volume)
CASES = [
 ("A cylinder with a diameter of 30 mm and a height of 12 mm", "cylinder", (30, 30, 12), cyl(30, 12)),
 ("a washer with an outer diameter of 20 mm, an inner diameter of 10 mm and a thickness of 3 mm", "tube", (20, 20, 3), cyl(20, 3) - cyl(10, 3)),
 ("Make a cube with 25 mm sides", "cube", (25, 25, 25), 25 ** 3),
 ("A ring with outer radius 40 mm, inner radius 30 mm and 10 mm thick", "tube", (80, 80, 10), cyl(80, 10) - cyl(60, 10)),
 ("A 2 inch cube", "cube", (50.8,) * 3, 50.8 ** 3),
 ("A plate 4 cm by 3 cm by 5 mm", "plate", (40, 30, 5), 6000),
 ("A 100 mm long bar with a 10 mm square cross-section", "bar", (100, 10, 10), 10000),
 ("A 40 mm cube with a 20 mm diameter hole through it", "cube with 1 hole", (40, 40, 40), 40 ** 3 - cyl(20, 40)),
 ("a 40 mm disc, 5 mm thick, with six 4 mm holes evenly spaced on a 30 mm circle", "6 holes", (40, 40, 5), cyl(40, 5) - 6 * cyl(4, 5)),
 ("a 40 mm cube", "cube", (40, 40, 40), 64000),
 ("cube, twenty five millimetres on each side", "cube", (25, 25, 25), 15625),
 ("a cube of side 1.5in", "cube", (38.1,) * 3, 38.1 ** 3),
 ("a 1/2 in thick plate, 4 in by 3 in", "plate", (101.6, 76.2, 12.7), 101.6 * 76.2 * 12.7),
 ("rectangular block 60 x 40 x 20 mm", "block", (60, 40, 20), 48000),
 ("60x40x20mm block", "block", (60, 40, 20), 48000),
 ("a sheet 200 mm long, 100 mm wide and 2 mm thick", "sheet", (200, 100, 2), 40000),
 ("a box 50 mm long, 30 mm wide, 20 mm high", "box", (50, 30, 20), 30000),
 ("a 40 mm square plate 5 mm thick", "plate", (40, 40, 5), 8000),
 ("a steel bar 20 x 10 mm in section and 150 mm long", "bar", (150, 20, 10), 30000),
 ("a slab of 1 m by 50 cm by 10 cm", "slab", (1000, 500, 100), 5e7),
 ("a block: length 80, width 50, height 30 (mm)", "block", (80, 50, 30), 120000),
 ("a plate measuring two by three inches and a quarter inch thick", "plate", (50.8, 76.2, 6.35), 50.8 * 76.2 * 6.35),
 ("a disc 60 mm across and 8 mm thick", "cylinder", (60, 60, 8), cyl(60, 8)),
 ("rod, Ø12, 100 long", "cylinder", (12, 12, 100), cyl(12, 100)),
 ("a rod dia 20 mm, length 50 mm", "cylinder", (20, 20, 50), cyl(20, 50)),
 ("a cylinder r = 5 mm, h = 20 mm", "cylinder", (10, 10, 20), cyl(10, 20)),
 ("cylinder R5 x 20 tall", "cylinder", (10, 10, 20), cyl(10, 20)),
 ("a cylinder of radius 15 mm and height 40 mm", "cylinder", (30, 30, 40), cyl(30, 40)),
 ("a 3 inch diameter disc, 1/4 inch thick", "cylinder", (76.2, 76.2, 6.35), cyl(76.2, 6.35)),
 ("a puck 2 cm high with a diameter of 7.5 cm", "cylinder", (75, 75, 20), cyl(75, 20)),
 ("a pipe 50 mm OD, 3 mm wall, 200 mm long", "tube", (50, 50, 200), cyl(50, 200) - cyl(44, 200)),
 ("a tube with an outside diameter of 1 inch and an inside diameter of 3/4 inch, 6 inches long", "tube", (25.4, 25.4, 152.4), cyl(25.4, 152.4) - cyl(19.05, 152.4)),
 ("a ring, 30 mm outer diameter, 20 mm inner diameter, 5 mm thick", "tube", (30, 30, 5), cyl(30, 5) - cyl(20, 5)),
 ("a bushing 20 mm OD 12 mm ID 15 mm long", "tube", (20, 20, 15), cyl(20, 15) - cyl(12, 15)),
 ("a washer 24 mm across with a 13 mm hole, 2.5 mm thick", "cylinder with 1 hole", (24, 24, 2.5), cyl(24, 2.5) - cyl(13, 2.5)),
 ("a sleeve with an outer diameter of 40 mm, wall 2 mm, length 60 mm", "tube", (40, 40, 60), cyl(40, 60) - cyl(36, 60)),
 ("a hexagonal prism 20 mm across the flats and 30 mm long", "hex", (40 / math.sqrt(3), 20, 30), hexa(20, 30)),
 ("hex bar 17 mm AF, 50 mm long", "hex", (34 / math.sqrt(3), 17, 50), hexa(17, 50)),
 ("a hex prism 23 mm across corners, 10 mm high", "hex", (23, 23 * math.sqrt(3) / 2, 10), hexa(23 * math.sqrt(3) / 2, 10)),
 ("a triangular prism: an equilateral triangle with 30 mm sides, 10 mm thick", "triangular", (30, 15 * math.sqrt(3), 10), math.sqrt(3) / 4 * 900 * 10),
 ("an L-bracket with legs of 50 mm and 30 mm, 5 mm thick and 20 mm wide", "L-bracket", (50, 20, 30), (50 * 5 + 25 * 5) * 20),
 ("an L shaped bracket, base 60 mm, height 40 mm, thickness 4 mm, width 25 mm", "L-bracket", (60, 25, 40), (60 * 4 + 36 * 4) * 25),
 ("a 60 mm diameter disc 10 mm thick with a 20 mm diameter boss 15 mm tall on top", "boss", (60, 60, 25), cyl(60, 10) + cyl(20, 15)),
 ("a cylinder 20 mm in diameter and 30 mm tall on top of a disc 50 mm in diameter and 5 mm thick", "boss", (50, 50, 35), cyl(50, 5) + cyl(20, 30)),
 ("a stepped shaft: 30 mm diameter for 20 mm, then 20 mm diameter for 40 mm", "stepped", (30, 30, 60), cyl(30, 20) + cyl(20, 40)),
 ("a plate 80 x 60 x 10 mm with a 20 mm hole in the centre", "1 hole", (80, 60, 10), 48000 - cyl(20, 10)),
 ("plate 100 by 50 by 6 mm with four 6 mm holes, 10 mm from each edge", "4 holes", (100, 50, 6), 30000 - 4 * cyl(6, 6)),
 ("a 60 x 40 x 5 mm plate with a hole in each corner, 4 mm in diameter, 6 mm from the edges", "4 holes", (60, 40, 5), 12000 - 4 * cyl(4, 5)),
 ("a 100 x 30 x 5 mm bar with 3 holes of 8 mm in a row, 30 mm apart", "3 holes", (100, 30, 5), 15000 - 3 * cyl(8, 5)),
 ("a 50 x 50 x 10 mm block with two 5 mm holes at (10, 10) and (40, 40)", "2 holes", (50, 50, 10), 25000 - 2 * cyl(5, 10)),
 ("a 100 mm square plate, 8 mm thick, with 4 M6 holes on a 70 mm bolt circle", "4 holes", (100, 100, 8), 80000 - 4 * cyl(6, 8)),
 ("a flange 100 mm in diameter, 10 mm thick, with a 30 mm centre bore and six 8 mm bolt holes on a 75 mm PCD", "flange", (100, 100, 10), cyl(100, 10) - cyl(30, 10) - 6 * cyl(8, 10)),
 ("circular flange, OD 120, thickness 12, bore 40, 8 holes Ø10 on PCD 90", "flange", (120, 120, 12), cyl(120, 12) - cyl(40, 12) - 8 * cyl(10, 12)),
 ("a flange of 80 mm diameter and 6 mm thickness with a 20 mm bore and 4 holes of 6 mm at a radius of 30 mm", "flange", (80, 80, 6), cyl(80, 6) - cyl(20, 6) - 4 * cyl(6, 6)),
 ("a 60 x 40 x 20 mm block with a rectangular pocket 30 x 20 mm, 10 mm deep", "pocket", (60, 40, 20), 48000 - 6000),
 ("a block 80 by 50 by 25 with a 40 by 20 mm recess 5 mm deep in the top", "pocket", (80, 50, 25), 100000 - 4000),
 ("a 100 x 40 x 10 mm plate with a 50 mm long, 8 mm wide slot through the centre", "slot", (100, 40, 10), 40000 - (42 * 8 + 16 * pi) * 10),
 ("a 100 x 40 x 10 mm plate with a rectangular slot 50 x 8 mm, cut through", "slot", (100, 40, 10), 40000 - 4000),
 ("washer plate 40 x 16 x 9 mm, 8 mm bore through the center", "1 hole", (40, 16, 9), 40 * 16 * 9 - cyl(8, 9)),
 ("a 100 x 40 x 20 mm block with a 10 mm wide slot 5 mm deep along its length", "slot", (100, 40, 20), 80000 - 5000),
 ("a 50 mm cube with a 30 mm diameter pocket 10 mm deep", "pocket", (50, 50, 50), 125000 - cyl(30, 10)),
 ("a 40 x 40 x 10 mm block with a 10 mm blind hole 5 mm deep", "1 hole", (40, 40, 10), 16000 - cyl(10, 5)),
 ("thirty by twenty by ten millimetre block", "block", (30, 20, 10), 6000),
 ("a 10 cm long rod with a diameter of 8 mm", "cylinder", (8, 8, 100), cyl(8, 100)),
 ("Please make me a simple aluminium plate 120 mm x 80 mm x 3 mm.", "plate", (120, 80, 3), 28800),
 ("a 20 mm cylinder, 10 mm long", "cylinder", (20, 20, 10), cyl(20, 10)),
 ("disc with a radius of 25 mm, 4 mm thick, with a centred 10 mm hole", "1 hole", (50, 50, 4), cyl(50, 4) - cyl(10, 4)),
]
MISSING = [
 ("a cylinder 30 mm in diameter", "height"),
 ("a plate 60 x 40 mm", "thickness"),
 ("a washer with an outer diameter of 20 mm, 2 mm thick", "inner diameter"),
 ("a cube", "side"),
 ("a 60 x 40 x 20 mm block with a 30 x 20 mm pocket", "depth"),
 ("a 60 x 40 x 5 mm plate with four 5 mm holes", "where"),
 ("a 60 x 40 x 5 mm plate with a hole in each corner, 5 mm in diameter", "edges"),
 ("hex bar 50 mm long", "across the flats"),
 ("a disc 40 mm across", "thickness"),
 ("an L-bracket with legs of 50 and 30 mm, 20 mm wide", "thickness"),
]
NOT_PART = ["hello, how are you today?", "what is the weather in Paris", "", "   "]
PARTIAL = ["a 40 mm cube with 2 mm chamfers on every edge", "a 20 mm threaded rod 100 mm long",
           "a 60 x 40 x 5 mm plate with a dovetail", "a 40 x 40 x 10 mm block with a 5 mm fillet"]


@pytest.mark.parametrize("text,family,size,volume", CASES, ids=[c[0][:50] for c in CASES])
def test_reads_the_part_at_its_size_and_volume(text, family, size, volume):
    r = plain.read(text)
    assert r.understood, r.unknown
    assert family in r.family
    s = kernel.build(r.seq)
    assert s.valid
    assert s.summary()["size_mm"] == pytest.approx(list(size), abs=0.01)
    assert s.volume == pytest.approx(volume, rel=1e-4)


@pytest.mark.parametrize("text,what", MISSING, ids=[c[0][:50] for c in MISSING])
def test_a_missing_dimension_is_named(text, what):
    with pytest.raises(plain.MissingDimension) as e:
        plain.read(text)
    assert what in e.value.message and "add e.g." in e.value.hint


@pytest.mark.parametrize("text", NOT_PART)
def test_text_that_is_no_part_is_refused(text):
    with pytest.raises(plain.NotAPart):
        plain.read(text)


@pytest.mark.parametrize("text", PARTIAL)
def test_half_understood_text_is_flagged_not_simplified(text):
    r = plain.read(text)
    assert not r.understood and r.seq is None and r.unknown and r.confidence < 0.5


@pytest.mark.parametrize("text,n", [
    ("a 40 mm disc, 5 mm thick, with six 4 mm holes evenly spaced on a 30 mm circle", 6),
    ("a flange 100 mm in diameter, 10 mm thick, with a 30 mm centre bore and six 8 mm bolt holes on a 75 mm PCD", 7),
    ("a 100 mm square plate, 8 mm thick, with 4 M6 holes on a 70 mm bolt circle", 4),
    ("plate 100 by 50 by 6 mm with four 6 mm holes, 10 mm from each edge", 4),
    ("a 150 x 30 x 5 mm bar with five 6 mm holes in a line, 25 mm apart", 5),
    ("a disc 80 mm across, 6 mm thick, with 12 x Ø5 holes on a 64 mm circle", 12),
])
def test_the_part_has_the_number_of_holes_asked_all_inside(text, n):
    r = plain.read(text)
    circles = [c for e in r.seq.extrudes for lp in e.loops for c in lp if isinstance(c, plain.Circle)]
    outer = r.spec.get("D")
    holes = [c for c in circles if not (outer and c.r == pytest.approx(outer / 2) and c.x == c.y == 0)]
    assert len(holes) == n
    if outer:
        assert all(math.hypot(c.x, c.y) + c.r < outer / 2 for c in holes)
    else:
        assert all(abs(c.x) + c.r < r.spec["L"] / 2 and abs(c.y) + c.r < r.spec["W"] / 2 for c in holes)


@pytest.mark.parametrize("text,units", [
    ("A 2 inch cube", ["in"]), ("A plate 4 cm by 3 cm by 5 mm", ["mm", "cm"]),
    ("a 40 x 20 x 5 plate", ["mm (assumed)"]), ("a 3 ft long bar with a 1 in square cross-section", ["in", "ft"]),
])
def test_the_units_read_are_reported(text, units):
    r = plain.read(text)
    assert r.units == units and ("units" in r.verdict())


def test_holes_that_do_not_fit_are_refused_not_moved():
    with pytest.raises(plain.InputError, match="does not fit"):
        plain.read("a 40 mm disc 5 mm thick with six 8 mm holes on a 40 mm bolt circle")
    with pytest.raises(plain.InputError, match="overlaps"):
        plain.read("a 40 mm disc 5 mm thick with twelve 8 mm holes on a 30 mm bolt circle")


def test_m6_is_read_as_its_nominal_diameter_and_said():
    r = plain.read("a 50 x 50 x 5 mm plate with an M6 hole in the middle")
    assert r.spec["hole1_D"] == 6 and any("M6" in n for n in r.notes)


def test_number_words_and_fractions():
    assert plain.read("a cube one and a half inches on a side").spec["L"] == pytest.approx(38.1)
    assert plain.read("a disc one hundred and twenty mm in diameter, 1 1/2 mm thick").spec == \
        pytest.approx({"D": 120, "H": 1.5})
