"""A deterministic reader of plain-English part descriptions: words → a part specification → a DeepCAD sequence.

    read("A cylinder with a diameter of 30 mm and a height of 12 mm")  → Reading(family="cylinder", ...)

It reads numbers in any place and form (digits, words such as "twenty five", fractions "1/2" and "1 1/2",
"1.5in", "Ø20", "dia 20", "r = 5", "R5", "M6"), units (mm, cm, m, inches, feet; a number without a unit takes
the unit the description uses elsewhere, mm when it names none), roles (diameter vs radius, length, width,
height/thickness, depth, wall, across the flats/corners, bolt circle/PCD, pitch, inset from the edges) and
counts ("six 4 mm holes"). Families: boxes (plates, blocks, bars, cubes, sheets), cylinders (discs, rods),
tubes (rings, washers, pipes), hex and triangular prisms, L-brackets, stacked cylinders (a boss on a disc, a
stepped shaft), plates/blocks/discs with through or blind holes (centred, at (x, y) positions, in the corners, in
a row, N on a bolt circle), flanges, rectangular pockets and slots, open boxes with walls.

Choices (what a mechanical engineer reads):
- A round part's "wide" is its diameter ("a disc 50 mm wide"), except for rings, collars, washers, spacers, whose
  width is along their axis. Context that does not change the geometry (quantities, materials, finishes, labels,
  purposes, negated features, decimal commas, drawing shorthand) is read by :mod:`inference.cad.plain_context`,
  whose docstring lists those conventions.
- "M6 holes" are 6 mm holes (the thread's nominal diameter; the note says so). "M6 clearance holes", "holes for M6
  bolts/screws" are ISO 273 *medium* series clearance holes (M3 3.4, M4 4.5, M5 5.5, M6 6.6, M8 9, M10 11, M12 13.5,
  M16 17.5, M20 22 …; the fine series would be M6 6.4): the note names the series. Tapped/tapping, countersunk
  ("counter-sunk") and counterbored holes are not built: understood=False.
- Counts: "six", "6x", "6 x", "6 off", "a 6-hole flange"; "2 rows of 3" / "a 3 x 3 grid" is a grid (rows along Y,
  columns along X; "an a x b grid" is written like the part's "L x W": a holes along X, b along Y) on the pitch given ("on 25 mm centres", "at 25 mm pitch"; two pitches "on 30 x 20 centres").
  Four holes "on 75 mm centres" (no row/line/centreline words) sit on a square; "in a row"/"along the centreline"
  with a pitch is a row on the centreline. "A hole at each end, 15 mm from the ends" is two holes on the centreline.
- A slot is round-ended (obround, its length overall), as machined and as a "keyway" in a block; a "rectangular"
  or "square" slot, and a slot/groove/channel running the full length or "across the width", is square-ended.
  A pocket has square corners unless a corner radius is given ("5 mm corner radius", "R6 corners"); "rounded
  corners" without a radius is not understood (never a guessed radius). "Leaving a 5 mm floor" / "floor thickness
  5" set the depth from the part's thickness. A keyway in a round part (cut in its side) is not understood.
- Flanges: OD/ID/bore/"centre hole"/"through bore" (through the hub too), a hub/boss/spigot/"raised face" with its
  height on top, bolt holes on a "bolt circle"/"BCD"/"PCD"/"pitch circle diameter" or "on a radius of"; a "square
  flange a x b x t" is a plate with the same features. Positions "(x, y)" are from the part's lower-left corner when every one is
non-negative, otherwise from its centre. Boxes lie with their length along X, width along Y, height/thickness
along Z; round and prismatic parts stand on XY with their length/height along Z; an L-bracket's base runs along
X, its upright along Z, its width along Y. The sequence is always in millimetres; ``Reading.units`` says which
units the description used.

More wording: decimals in words ("one point five"); "one" before a word is a determiner ("make one square bar",
"from one long side to the other"), not the number 1; "a six-sided prism" is hexagonal; "each side 10 mm long"
is a side (a regular hexagon's side s gives AF = s·√3); "on a bolt circle of 65 mm diameter" is the bolt
circle; "centred on the plate" places features (no second part); a slot "from one long side to the other" runs
across the width, "from one end to the other" along the length; a part named and then described ("an adapter
flange … It's a disc, 80 mm …") is one part (a flange keeps its name); a purpose word before the part or after
"for a" ("a motor mount", "a plate for a motor") is ignored, not an unknown feature; an "ID" after sized holes
("12 holes Ø6.5 on PCD 140, OD 170, ID 100") is the part's bore.

Also read: a feature named again ("the slot is centred", "slot width 10", "first hole 25 from the left end" — a
row then starts there) is the one already read, never a second one; a size of the part said again ("through the
whole 25 mm thickness") is not an unused number; purposes before the part ("I'm building a bookend…", "for a
printer Z-rod") are context; a count after sizes ("BORE Ø35 CTR 4x Ø9 …") starts the next feature; "@ X15 Y20"
positions; holes "at 20, 100 and 180 from one end"; a hole "50 from one of the edges, midway between the two 160 mm
edges"; bodies named head/shank/stem/base with "Ø x length" pairs, "+" between bodies; a collar placed along a shaft
("in the middle of the length", "near face 30 from one end") is built around it; rebates (a rebate, or a step
cut/removed along a top edge) run the full length (or width) on the +Y (+X) edge; trays/open boxes from walls and a
floor; L-brackets: "the base is 60 deep", "each leg 5 cm", a base plate with an upright "rising 60 above the top of
the base" (one thickness only), holes in a leg measured from the outside of the corner (or from its end), "the L
kind"; sizes as multiples ("length twice its width", "height equals its diameter") once the other is a number; stock
a part is finished from ("turn from 1-1/2" bar, finish Ø1.250"); material thickness ("a strip of 3 mm
aluminium"); "an inch and a half", "a hundred", "outside's a hundred and sixty", "a round one"; fraction words
("three-eighths", "an eighth", "2 and 3/8"); "cut to 4-1/2 in" (a length); a square-section rod with "12 mm sides"; "need
10" (a quantity); "Ø13 (M12 clearance, no thread)" (a remark on a size given); "one leg 1.5" and the other 1" (both
outside)"; a single centred hole in a block "along the whole length" / "centred on the end face" (drilled along X
through the end faces); a right-angled wedge "200 along the floor, 50 high at the back, 80 wide".

It never invents a size: a missing dimension is a :class:`MissingDimension` that names it, text that describes no
part is a :class:`NotAPart`. A description with words it cannot place (a chamfer, a thread, a number it did not
use) comes back with ``understood=False`` and the words in ``unknown`` — the caller must not show it as the part.
"""
from __future__ import annotations

import difflib
import functools
import math
import re
from dataclasses import dataclass, field

from inference.runtime.errors import InputError
from inference.runtime.words import english_words

from .plain_build import _build, _family_name  # noqa: F401  (geometry, split out)
from .plain_context import strip_context
from .seq import Arc, CADSequence, Circle, Line  # noqa: F401  (names kept for callers: plain.Circle)
from .synth import YZ, ext, rect


class MissingDimension(InputError):
    """The description names a part but not one of the sizes it needs."""


class NotAPart(InputError):
    """The text does not describe a part."""


@dataclass
class Reading:
    family: str  # e.g. "cylinder", "plate with holes", "flange"
    seq: CADSequence | None
    units: list  # the units the description used ("mm", "cm", "m", "in", "ft"), "mm (assumed)" when none
    spec: dict = field(default_factory=dict)  # the dimensions read, in mm
    understood: bool = True
    confidence: float = 1.0
    unknown: list = field(default_factory=list)  # words or numbers it could not place
    notes: list = field(default_factory=list)

    def verdict(self) -> str:
        """One line: what was read, in which units (or what was not understood)."""
        u = ", ".join(self.units)
        if not self.understood:
            return (f"read as a {self.family} ({u}) but not understood: " + ", ".join(f"{w}" for w in self.unknown))
        dims = ", ".join(f"{k} {_fmt(v)}" for k, v in self.spec.items() if isinstance(v, (int, float)))
        return f"read from the description: {self.family} ({dims} mm; units read: {u})"


def _fmt(v: float) -> str:
    return f"{v:.4g}"


# ----------------------------------------------------------------------------- vocabulary
UNITS = {"mm": 1.0, "millimetre": 1.0, "millimetres": 1.0, "millimeter": 1.0, "millimeters": 1.0, "mms": 1.0,
         "cm": 10.0, "centimetre": 10.0, "centimetres": 10.0, "centimeter": 10.0, "centimeters": 10.0, "cms": 10.0,
         "m": 1000.0, "metre": 1000.0, "metres": 1000.0, "meter": 1000.0, "meters": 1000.0,
         "in": 25.4, "inch": 25.4, "inches": 25.4, "ft": 304.8, "foot": 304.8, "feet": 304.8}
UNIT_NAMES = {1.0: "mm", 10.0: "cm", 1000.0: "m", 25.4: "in", 304.8: "ft"}
ONES = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                   "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
TENS = {w: 10 * (i + 2) for i, w in enumerate("twenty thirty forty fifty sixty seventy eighty ninety".split())}
FRACTION_WORDS = {"half": 0.5, "quarter": 0.25, "quarters": 0.25, "third": 1 / 3, "thirds": 1 / 3}
COUNT_WORDS = {"single": 1, "pair": 2, "couple": 2, "dozen": 12, "twin": 2, "double": 2, "triple": 3}

# base families: noun → family
FAMILY_NOUNS = {
    "cube": "cube", "box": "box", "block": "box", "plate": "box", "sheet": "box", "slab": "box", "bar": "box",
    "brick": "box", "cuboid": "box", "tile": "box", "panel": "box", "strip": "box", "beam": "box", "base": "box",
    "baseplate": "box", "board": "box", "prism": "box", "post": "box", "rectangle": "box", "square": "box",
    "plank": "box", "spacer": "box", "tray": "box", "shim": "box", "billet": "box", "blank": "box",
    "cylinder": "cylinder", "disc": "cylinder", "disk": "cylinder", "rod": "cylinder", "puck": "cylinder",
    "dowel": "cylinder", "pin": "cylinder", "shaft": "cylinder", "column": "cylinder", "coin": "cylinder",
    "round": "cylinder", "circle": "cylinder", "pillar": "cylinder", "peg": "cylinder", "axle": "cylinder",
    "slug": "cylinder", "spindle": "cylinder", "standoff": "cylinder", "knob": "cylinder", "roller": "cylinder",
    "head": "cylinder", "shank": "cylinder", "stem": "cylinder",
    "cylinders": "cylinder", "discs": "cylinder", "disks": "cylinder",
    "tube": "tube", "pipe": "tube", "ring": "tube", "washer": "tube", "bushing": "tube", "bush": "tube",
    "sleeve": "tube", "collar": "tube", "annulus": "tube", "cylindrical shell": "tube",
    "hex": "hex", "hexagon": "hex", "hexagonal": "hex",
    "triangle": "tri", "triangular": "tri",
    "lbracket": "lbracket", "angle": "lbracket",
    "flange": "flange",
}
for _n in ("spacer", "washer", "bush", "bushing", "sleeve", "collar", "ring", "plate", "block", "bar", "tube", "pipe",
           "rod", "pin", "shim", "bracket", "flange", "cube", "puck", "dowel", "tile", "blank", "roller"):
    if _n in FAMILY_NOUNS:  # "spacers, qty 20": the part, however many are made
        FAMILY_NOUNS.setdefault(_n + ("es" if _n.endswith(("sh", "ch")) else "s"), FAMILY_NOUNS[_n])
FEATURE_NOUNS = {"hole": "hole", "holes": "hole", "bore": "bore", "bores": "bore", "through-hole": "hole",
                 "pocket": "pocket", "pockets": "pocket", "recess": "pocket", "cavity": "pocket",
                 "cutout": "pocket", "depression": "pocket",
                 "slot": "slot", "slots": "slot", "groove": "slot", "channel": "slot", "keyway": "slot",
                 "grooves": "slot", "channels": "slot", "keyways": "slot",
                 "boss": "boss", "hub": "boss", "stud": "boss", "spigot": "boss",
                 "rebate": "rebate", "rebates": "rebate", "rabbet": "rebate", "rabbets": "rebate"}
# features this reader knows by name and does not build: a description that asks for one is not understood
UNSUPPORTED = {"chamfer", "chamfered", "chamfers", "fillet", "filleted", "fillets", "rounded", "radiused",
               "countersunk", "countersink", "counterbore", "counterbored", "counterbores", "thread", "threaded",
               "threads", "tapped", "tap", "tapping", "keyed", "key", "gear", "teeth", "tooth", "toothed", "spline",
               "splined", "knurled", "knurl", "notch", "notched", "rib", "ribs", "ribbed", "gusset", "taper",
               "tapered", "cone", "conical", "sphere", "spherical", "ball", "dome", "domed", "hemisphere", "torus",
               "spring", "helix", "helical", "bevel", "bevelled", "beveled", "angled", "tilted", "slanted",
               "inclined", "star", "pentagon", "pentagonal", "octagon", "octagonal", "ellipse", "elliptical",
               "oval", "curved", "bent", "text", "logo", "lattice", "mesh", "wedge", "pyramid", "cross", "tee",
               "t-bracket", "u", "channel-section", "hook", "handle", "lip", "flanged", "shoulder", "radius-corner", "corners-rounded", "saddle", "cutaway", "hollow", "shell", "z",
               "draft", "embossed", "engraved", "fins", "fin", "spoke", "spokes", "arm", "arms", "leg", "tab",
               "tabs", "ear", "ears", "lug", "lugs", "clip", "snap", "louver", "vent", "vents", "perforated"}
FILLER = set("""a an the of with and having has have is are be it its it's which that this these those their
to in on at by for from as into onto over each every all both one same its, there made make create model design
draw build give me i need want would like please can you could generate produce part piece object component
thing simple plain solid small large big little standard basic regular flat thin thick long short tall high deep
wide narrow round rectangular circular cylindrical square-ish overall total measuring measures measured size
sized dimension dimensions about approximately approx exactly roughly nominal straight cut cuts drilled drill
drilling bored through thru throughout go goes going passing passes pass right metal steel aluminium aluminum
plastic wood wooden brass copper printed 3d mounting mount mounted bolt bolts bolted fixing fastening screw
screws clearance evenly equally uniformly regularly spaced spacing space distributed arranged placed located
positioned set sits sitting standing stands resting rests sticking protruding rising rises raised extending
extends extruded stacked sitting topped capped centre center centred centered central centrally middle
midpoint concentric coaxial axis axial along around round about circle top upper bottom lower face faces
surface side sides end ends both main another second first other then followed plus also one-piece crosswise
lengthwise across full entire whole way per apart between centres centers spaced-out corner corners edge
edges from inset in-from away off out up down inside outside outer inner external internal so such than
radially radial equal equally identical same-size all-around pattern arrangement array row line lined
linear x y z""".split())
FILLER |= {"u", "ur", "pls", "plz", "thx", "thanks", "cheers", "hi", "hey", "hello"}  # chat spelling


# ----------------------------------------------------------------------------- tokens
@dataclass
class Tok:
    kind: str  # "w" word, "n" number, "p" punctuation
    text: str
    value: float = 0.0
    unit: float | None = None  # mm per unit, when a unit follows the number
    tag: str = ""  # "metric" (M6), "count", "radius" (R5), "dia" (Ø20)
    group: int = -1  # index of the "a x b x c" list it belongs to
    pos: int = 0  # index among the numbers of the list
    used: bool = False
    y: float = 0.0  # a coordinate pair "(x, y)": kind "c", value = x
    assumed: bool = False  # its unit was not written: the description's (or mm)
    clearance: bool = False  # "M6 clearance", "for an M6 bolt": value is the ISO 273 clearance diameter


_SPELL_MIN = 5  # shorter words are too easily another word


def _stem(w: str) -> str:
    for suffix in ("ing", "ed", "es", "er", "s", "d", "e"):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            return w[:-len(suffix)]
    return w


@functools.lru_cache(maxsize=1)
def _keywords() -> tuple:
    return tuple(sorted(w for w in set(FAMILY_NOUNS) | set(FEATURE_NOUNS) | set(ROLE_AFTER) | set(ROLE_BEFORE)
                        | set(UNITS) if w.isalpha() and len(w) >= _SPELL_MIN))


def _mend_spelling(t: str) -> str:
    """A misspelt keyword ("cylindar", "radious", "lenght") → the keyword, when the word is no English word the
    packaged vocabulary knows and one keyword is close to it."""
    english = english_words()
    if not english:
        return t
    keys = _keywords()

    def fix(m):
        w = m[0]
        if w in KNOWN or w in english or w.rstrip("s") in KNOWN:
            return w
        # a typo keeps the first letter ("fillet" is no "billet"); an inflection is no typo ("pocketed", "extrude")
        near = [k for k in difflib.get_close_matches(w, keys, n=3, cutoff=0.8)
                if k[0] == w[0] and _stem(k) != _stem(w) and not k.startswith(w) and not w.startswith(k)][:2]
        if len(near) == 2 and difflib.SequenceMatcher(None, w, near[0]).ratio() \
                == difflib.SequenceMatcher(None, w, near[1]).ratio():
            return w  # two keywords as close: leave it
        return near[0] if near else w
    return re.sub(r"[a-z]{%d,}" % _SPELL_MIN, fix, t)


_FIX_KEYS = {"thick": "T", "thickness": "T", "thk": "T", "long": "L", "length": "L", "lg": "L", "wide": "W",
             "width": "W", "diameter": "D", "dia": "D", "high": "H", "tall": "H", "height": "H", "deep": "P",
             "depth": "P", "hole": "O", "holes": "O", "bore": "B", "od": "OD", "id": "ID", "wall": "WL"}
_FIX_NUM = (r"(?<![\w./])(?:\d+(?:\.\d+)?(?:\s+\d+/\d+)?|\d+/\d+|\.\d+|one|two|three|four|five|six|seven|eight|nine|ten|"
            r"eleven|twelve|half|quarter)(?![\w/]|\.\d)")
_FIX_MARK = re.compile(r"(?:\s*[-,.;:]+\s*|\s+)\b(?:sorry|actually|correction|oops|wait|scratch\s+that|hmm|i\s+mean)\b"
                       r"|[.;]\s*,?\s*(?=make\s+(?:that|it)\b)")  # "…. make that a 1.25 in hole"


def _keys_near(t: str, m) -> list:
    """The size words next to a number: after it (past a unit), then just before it."""
    keys = []
    after = re.match(r"\s*-?\s*(?:mm|cm|m|inch|in|\"|'')?\s*-?\s*([a-z]+)", t[m.end():])
    if after and after[1] in _FIX_KEYS:
        keys.append(_FIX_KEYS[after[1]])
    before = re.search(r"([a-z]+)\s*(?:is|of|=|:)?\s*$", t[:m.start()])
    if before and before[1] in _FIX_KEYS:
        keys.append(_FIX_KEYS[before[1]])
    return keys


def _corrections(t: str) -> str:
    """A size corrected later ("8 thick - sorry, make it 10 thick", "Actually scratch that, 220 long", "the bolt holes
    should be Ø9", "make the plate 5\" long instead of 4"): the earlier size takes the new value and the
    correction is dropped; left as written when the size it corrects cannot be found."""
    for _ in range(3):
        m = _FIX_MARK.search(t)
        if m is None:
            return t
        end = re.search(r"\.(?!\d)|;|$", t[m.end():])
        fix = t[m.start():m.end() + end.start()]
        before, rest = t[:m.start()], t[m.end() + end.start():]
        new = re.search(_FIX_NUM, fix[m.end() - m.start():])
        if new is None:
            return t
        value = new[0]
        old_said = re.search(r"\binstead\s+of\s+(" + _FIX_NUM + ")", fix)
        target = None
        if old_said:  # "… 5 inch long instead of 4": the number said
            target = next((c for c in re.finditer(r"(?<![\w./])" + re.escape(old_said[1]) + r"(?![\w/]|\.\d)", before)),
                          None)
        else:
            fm = re.compile(_FIX_NUM)
            nm = fm.search(fix, m.end() - m.start())
            near = _keys_near(fix, nm) if nm else []
            key = near[0] if near else None
            if key is None:
                key = next((_FIX_KEYS[w] for w in re.findall(r"[a-z]+", fix) if w in _FIX_KEYS), None)
            if key is None:
                return t
            cands = [c for c in fm.finditer(before) if key in _keys_near(before, c)]
            subject = [w for w in re.findall(r"[a-z]+", fix[:nm.start()]) if len(w) > 3 and w in before
                       and w not in _FIX_KEYS and w not in ("sorry", "actually", "correction", "make", "should", "that",
                                                            "wait", "scratch", "measured", "wrong")]
            if subject:
                at = before.rfind(subject[0])
                later = [c for c in cands if c.start() > at]
                cands = later or cands
            target = cands[0] if subject and cands else (cands[-1] if cands else None)
        if target is None:
            return t
        t = before[:target.start()] + value + before[target.end():] + " " + rest
    return t


def _normalise(text: str) -> str:
    t = re.sub(r"\s*[\r\n]+\s*", " ; ", text.strip())  # a spec typed as lines: one line, one clause
    t = _mend_spelling(t.lower())
    # "6 in. long x 4 in. wide": the abbreviation's full stop ends no sentence
    t = re.sub(r"(\d\s*)in\.(?=\s*(?:x\b|by\b|long|wide|thick|thk|dia|diameter|high|tall|deep|square|od\b|id\b|bore|"
               r"holes?\b|rod\b|bar\b|plate\b|length|,|\d))", r"\1inch ", t)
    for a, b in (("×", " x "), ("ø", " dia "), ("⌀", " dia "), ("∅", " dia "), ("½", " 1/2"), ("¼", " 1/4"),
                 ("¾", " 3/4"), ("″", " in "), ("”", " in "), ("′", " ft "), ("–", "-"), ("—", "-"),
                 ("’", "'"), ("“", " "), ("millimetre", "millimetre")):
        t = t.replace(a, b)
    t = t.replace("+", " plus ")
    t = re.sub(r"\b3\s*-?\s*d(?=\s*-?\s*(?:print|printed|printing|printer|model)\b)", " ", t)  # "3D printed"
    t = _corrections(t)  # before the context goes: "actually", "sorry" mark what they correct
    t = strip_context(t)
    # "Ø13 (M12 clearance, no thread)": a bracketed remark on a size already given says what it is for
    t = re.sub(r"(\d(?:\s*(?:mm|in|\"))?\s*)\(\s*(?:for\s+)?(?:an?\s+)?m\s*\d+(?:\.\d+)?\s+(?:clearance|bolts?|screws?)\b[^()]*\)",
               r"\1 ", t)
    # "need 10", "need 10 of them" at the end of a clause: how many to make, not a size
    t = re.sub(r"\b(?:i\s+)?need\s+\d+\s*(?:off|pcs|pieces|of\s+(?:them|these|those))?\s*(?=[.,;!]|$)", " ", t)
    # fraction words: "three-eighths", "five sixteenths", "an eighth" → 3/8, 5/16, 1/8
    t = re.sub(r"\b(an?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
               r"\d+)\s*-?\s*(eighths?|sixteenths?|thirty\s*-?\s*seconds?|sixty\s*-?\s*fourths?)\b",
               lambda m: " %d/%d " % (int(m[1]) if m[1].isdigit() else ONES.get(m[1], 1),
                                      {"e": 8, "s": 16, "t": 32}[m[2][0]] if not m[2].startswith("sixty") else 64), t)
    t = re.sub(r"\b(\d+)\s+and\s+(\d+/\d+)\b", r"\1 \2", t)  # "4 and 3/8 in" (after the words above)
    t = re.sub(r"\bcut\s+to\s+(?:a\s+length\s+of\s+|length\s*,?\s*)?(?=\d)", " length ", t)  # "cut to 4-1/2 in"
    if re.search(r"\bfinish(?:ed)?\b", t):  # "turn from 1-1/2" round bar. finish 1.250" dia x 3" long"
        t = re.sub(r"\b(?:from|out\s+of)\s+[\d\s./\"'-]+(?:in|mm|cm|inch|inches)?\s*(?:dia\s+|diameter\s+)?"
                   r"(?:round|square|hex|flat|bright|black)?\s*(?:bar|stock|rod|billet|material)\b", " ", t)
    # "hole centres at x = 40, 80, 120, 160 and y = 25, 75": every (x, y) of the two lists
    t = re.sub(r"\bx\s*=\s*(\d+(?:\.\d+)?(?:\s*(?:,|and)\s*\d+(?:\.\d+)?)*)\s*(?:,|;|and)?\s*"
               r"y\s*=\s*(\d+(?:\.\d+)?(?:\s*(?:,|and)\s*\d+(?:\.\d+)?)*)",
               lambda m: " " + " ".join(f"({x}, {y})" for y in re.findall(r"\d+(?:\.\d+)?", m[2])
                                        for x in re.findall(r"\d+(?:\.\d+)?", m[1])) + " "
               if len(re.findall(r"\d+(?:\.\d+)?", m[1] + " " + m[2])) > 2 else m[0], t)
    t = re.sub(r"\bx\s*=?\s*(-?\d+(?:\.\d+)?)\s*,?\s*y\s*=?\s*(-?\d+(?:\.\d+)?)\b", r" (\1, \2) ", t)  # "@ X15 Y20"
    t = _drop_asides(t)
    t = re.sub(r"\b(outside|inside)\s*(?:'s|is|of|:)?\s*(?=(?:a\s+)?(?:\d+(?:\.\d+)?|(?:%s)(?:\s+(?:and\s+an?\s+half|%s))*)\s*"
               r"(?:mm|cm|in|inch|inches)?\s*(?:,|;|\.|and|$))" % (_WORDS, _WORDS),
               lambda m: " od " if m[1] == "outside" else " id ", t)  # washer: outside 24 mm, inside 13 mm
    t = re.sub(r"(\d)\s*(\"|'')", r"\1 inch ", t)  # 'inch', not 'in': "3/4\" dia" is no "30 mm in diameter"
    t = re.sub(r"(\d)\s*'", r"\1 ft ", t)
    t = re.sub(r"(\d)\s*-\s*(\d+/\d+)", r"\1 \2", t)  # 1-1/2 → 1 1/2
    # "one leg 1.5 in and the other 1 in": the two legs
    t = re.sub(r"\bone\s+(leg|arm|side|flange)\s+(?:is\s+)?(\d+(?:\.\d+)?(?:\s+\d+/\d+)?\s*(?:mm|cm|in|inch|inches)?)\s*,?\s*"
               r"(?:and\s+)?the\s+other\s+(?:\1\s+|one\s+)?(?:is\s+)?(?=\d)", r"\1s \2 and ", t)
    # "legs 40 and 25 (both outside)": both sizes to the outside, said once for the two
    t = re.sub(r"\(\s*both\s+(?:measured\s+)?(?:on\s+the\s+|to\s+the\s+|over\s+the\s+)?(outside|inside)"
               r"(?:\s+(?:sizes?|dimensions?|faces?))?\s*\)", r" (\1) ", t)
    # a rod of square section is a square bar; "12 mm sides" of a square section is its side
    t = re.sub(r"\b(square|rectangular)\s*-?\s*(?:section|sectioned|profile)?\s+(rod|shaft|pin|dowel|stock)\b",
               r"\1 bar", t)
    if re.search(r"\bsquare\b", t) and not re.search(r"\b(hex\w*|triang\w*|six|sided|lbracket)\b", t):
        t = re.sub(r"(\d+(?:\.\d+)?(?:\s+\d+/\d+)?\s*(?:mm|cm|in|inch|inches)?)\s+sides\b", r"\1 square", t)
    t = re.sub(r"\b(90\s*(degrees?|deg|°)|right[\s-]*angled?)\s+(bracket|angle)\b", r"lbracket \3", t)
    t = re.sub(r"\bbracket\s+(shaped\s+like|in\s+the\s+shape\s+of)\s+an?\s+l\b", "lbracket bracket", t)
    t = re.sub(r"\bl\s*-?\s*(shaped|brackets?|section|profile|angle|piece|part)\b", r"lbracket \1", t)
    t = re.sub(r"\b(steel|aluminium|aluminum|equal|unequal)\s+angle\b", r"\1 lbracket", t)
    t = re.sub(r"\bright[\s-]*(angled?|angle)\s+(?:(?:isosceles|scalene)\s+)?(triangular|triangle)\b", r"rightangle \2", t)
    t = re.sub(r"\bright\s*-?\s*(triangular|triangle)\b", r"rightangle \1", t)
    if re.search(r"\b(triang\w*|wedge|gusset)\b", t):
        t = re.sub(r"\bwith\s+a\s+right\s+angle\b", " rightangle ", t)  # "triangular wedge with a right angle"
        # "the two sides at the right angle are 50 and 30": its legs
        t = re.sub(r"\b(?:the\s+)?(?:two\s+)?(?:sides|edges)\s+(?:at|forming|meeting\s+at|adjacent\s+to|next\s+to)\s+the\s+"
                   r"right\s+angle\s+(?:are\s+|measure\s+)?", " legs ", t)
    # "(90 deg corner between those two)", "with a 90° corner between them": a triangle's right angle said again
    if re.search(r"\b(triang\w*|wedge)\b", t):
        t = re.sub(r"\(\s*(?:with\s+)?(?:an?\s+|the\s+)?(?:90|ninety)\s*(?:deg|degrees?|°)?\s*(?:corner|angle)\b[^()]*\)"
                   r"|,?\s*\bwith\s+(?:an?|the)\s+(?:90|ninety)\s*(?:deg|degrees?|°)?\s*(?:corner|angle)\s+between\s+"
                   r"(?:them|the\s+two|those\s+two|these\s+two)\b", " rightangle ", t)
    t = re.sub(r"\b(triangular|triangle)(\s+\w+)?\s*,?\s+right[\s-]*angled?\b", r"\1\2 rightangle", t)
    t = re.sub(r"\bhollow\s+(cylinder|rod|shaft|round\s+bar|circular\s+bar)\b", "tube", t)
    t = re.sub(r"\bcylindrical\s+shell\b", "tube", t)
    t = re.sub(r"\b(round|circular)\s+(base|plate|blank|sheet|slab|piece|part|block)\b", "disc", t)
    # "Ø50 x 12 base + Ø30 x 20 spigot": a base with a diameter is a disc
    t = re.sub(r"\b(dia\s*\d+(?:\.\d+)?\s*(?:mm)?\s*x\s*\d+(?:\.\d+)?\s*(?:mm)?)\s+base\b", r"disc \1", t)
    t = re.sub(r"\b(?:for\s+)?(?:so\s+as\s+)?to\s+(?:form|make|give|get|create|produce)\s+(?:a|an|the|one)\s+([a-z]+\s+[a-z]+)"
               r"(?=\s*(?:$|[.,;]))", lambda m: " " if not set(m[1].split()) & set(FAMILY_NOUNS) else m[0], t)
    t = re.sub(r"\b(?:so\s+as\s+)?to\s+(?:form|make|give|get|create|produce|end\s+up\s+with)\s+(?:a|an|the|one)\s+"
               r"(?:solid\s+|single\s+|plain\s+)?[a-z]+(?=\s*(?:$|[.,;]))", " ", t)
    # a step cut / removed along an edge of a block is a rebate
    t = re.sub(r"[^.]*", lambda m: re.sub(r"\bstep\b", "rebate", m[0]) if re.search(r"\bedge", m[0]) and re.search(
        r"\b(cut|remove[ds]?|removing|mill(ed)?|machine[ds]?)\b", m[0]) else m[0], t, count=0) \
        if re.search(r"\bstep\b", t) else t
    # "3 holes on PCD 60 at 120 deg spacing", "90° apart": holes evenly spaced round the circle
    t = re.sub(r"\b(?:at\s+|every\s+)?\d+(?:\.\d+)?\s*(?:°|deg\b|degs\b|degrees?\b)\s*(?:spacing|apart|intervals?|pitch|"
               r"increments?|between\s+(?:them|holes|each(?:\s+hole)?))\b", " evenly spaced ", t)
    if re.search(r"\b(shaft|diameters|steps?|stepped|sections)\b", t):  # "1.25\" for 2\", 1\" for 3\"": D x L
        t = re.sub(r"(\d+(?:\.\d+)?\s*(?:\"|inch|mm|cm)?)\s+for\s+(?:the\s+)?(?:first\s+|next\s+|another\s+|a\s+further\s+|"
                   r"remaining\s+|last\s+|other\s+)?(?=\d)", r"\1 x ", t)
    t = _relations(t)
    t = re.sub(r",?\s*\bnot\s+(?:\d+|%s)\s*(?=[,.;]|$)" % "|".join(list(ONES)[1:] + list(TENS)), " ", t)  # "five, not six"
    # numbers that are no sizes: times, money, percentages ("I've been at this for 2 hours")
    t = re.sub(r"(?:[$£€]\s*\d+(?:\.\d+)?|\b\d+(?:\.\d+)?\s*(?:hours?|hrs?|minutes?|mins|days?|weeks?|months?|years?|yrs?|"
               r"seconds?|secs|percent|quid|dollars|bucks|euros|pounds|kg|grams?|lbs?|rpm|volts?|watts?)\b"
               r"|\b\d+(?:\.\d+)?\s*%)", " ", t)
    # "an inch and a half", "2 inches and a half": a unit and a half
    t = re.sub(r"\b(a|an|one|\d+)\s+(inch|inches|foot|feet|mm|millimetres?|millimeters?|cm|centimetres?|centimeters?)"
               r"\s+and\s+a\s+half\b", lambda m: f"{(1 if not m[1].isdigit() else int(m[1])) + 0.5:g} {m[2]}", t)
    # features the asker will make themselves ("I'll drill my own screw holes"): not part of the model
    t = re.sub(r"\b(?:i'?ll|i\s+will|we'?ll|we\s+will|i\s+can|i'?d\s+rather)\s+(?:drill|cut|add|tap|machine|make|put)\s+"
               r"(?:in\s+)?(?:my|our|the)\s+own\b[^.;]*", " ", t)
    t = re.sub(r"\babove\s+(?:the\s+)?(?:top|upper\s+(?:face|surface))\s+of\s+the\s+base\b", " abovebase ", t)
    t = re.sub(r"\b(l)\s+(kind|type|style|sort)\b", r"lbracket \2", t)  # "the old-fashioned L kind"
    t = re.sub(r"\bwall\s+thickness\b", "wall", t)
    t = re.sub(r"\bfloor\s+thickness\b", "floor", t)
    t = re.sub(r"\btopped\s+(by|off\s+with)\b", "topped with", t)
    t = re.sub(r"\bon\s+an?\s+(\d+(?:\.\d+)?\s*(?:mm|cm|in)?\s*(?:x|by)\s*\d+(?:\.\d+)?\s*(?:mm|cm|in)?)\s+rectangle\b",
               r"on \1 centres", t)  # "4 holes on a 150 x 60 mm rectangle"
    t = re.sub(r"\b(no|without\s+an?)\s+(centre|center|central|middle)\s+(hole|bore)\b", " ", t)
    t = re.sub(r"\b(bolt|pitch)\s+circle\s+diameter\b", "pcd", t)
    t = re.sub(r"\b(b\.c\.d\.?|p\.c\.d\.?|bcd|b\.\s*c\.(?=\s|$|[,;]))", "pcd", t)
    t = re.sub(r"\bcounter\s*-?\s*(sunk|sink|bored?)\b", r"counter\1", t)
    # a raised face / spigot named first and sized later: one boss, not two
    if len(re.findall(r"\braised\s+face\b", t)) > 1:
        t = re.sub(r"\b(with\s+)?an?\s+raised\s+face\b", " ", t, count=1)
    t = re.sub(r"\braised\s+face\b", "boss", t)
    # rounded pocket corners: "5 mm corner radius", "corner radius 5", "R5 corners", "rounded corners, R6"
    t = re.sub(r"(\d+(?:\.\d+)?)\s*(mm|in|cm)?\s*(corner\s+radi(?:us|i)|radius\s+corners|radiused\s+corners)\b",
               r" cornerradius \1 \2 ", t)
    t = re.sub(r"\bcorner\s+radi(?:us|i)\b", " cornerradius ", t)
    t = re.sub(r"\brounded\s+corners\s*(?:,|of|with)?\s*(?:r|radius)\s*(?=\d)", " cornerradius ", t)
    t = re.sub(r"\br\s*(\d+(?:\.\d+)?)\s*(mm)?\s*(rounded\s+)?corners\b", r" cornerradius \1 \2 ", t)
    # an N-hole flange: the count of its holes
    t = re.sub(r"\b(\d+)\s*-?\s*hole\s+(?=(?:\w+\s+)?(flange|disc|plate|ring))",
               lambda m: " nholes" + _letters(int(m[1])) + " ", t)
    # grids: "2 rows of 3", "two rows of four", "a 3 x 3 grid", "a grid of 2 x 4"; "4 off" is a count
    t = re.sub(r"\b(?:bent|formed|folded|pressed)\s+(?=(?:steel\s+|aluminium\s+)?(?:angle|lbracket|bracket)\b)", " ", t)  # a bent angle is an angle
    t = re.sub(r"\b(\d+)\s+off\b", r"\1 timesx ", t)
    t = re.sub(r"\b(\d+|%s)\s+rows?\s+of\s+(\d+|%s)\b" % (_SMALL, _SMALL),
               lambda m: " grid" + _letters(_small(m[1])) + _letters(_small(m[2])) + " ", t)
    # "a 4 x 2 grid" is written like the part's own "L x W": 4 along X (the length), 2 along Y
    t = re.sub(r"\b(\d+)\s*(?:x|by)\s*(\d+)\s+(?:grid|array|pattern|matrix)\b",
               lambda m: " grid" + _letters(int(m[2])) + _letters(int(m[1])) + " ", t)
    t = re.sub(r"\b(?:grid|array|pattern|matrix)\s+of\s+(\d+)\s*(?:x|by)\s*(\d+)\b",
               lambda m: " grid" + _letters(int(m[2])) + _letters(int(m[1])) + " ", t)
    t = re.sub(r"\b(side|edge)\s+length\b", r"\1", t)
    t = re.sub(r"\ba\s*/\s*f\b", " af ", t)
    t = re.sub(r"\ba\s*/\s*c\b", " ac ", t)
    t = re.sub(r"\bflat\s*-?\s*to\s*-?\s*flat\b", "across flats", t)
    t = re.sub(r"\b(corner|point)\s*-?\s*to\s*-?\s*(corner|point)\b", "across corners", t)
    t = re.sub(r"\bdia\s*(\d+(?:\.\d+)?)\s*/\s*(?:dia\s*)?(\d+(?:\.\d+)?)(\s*x\s*(?=\d))?",
               lambda m: f" od {m[1]} id {m[2]} " + (", length " if m[3] else ""), t)  # Ø40/Ø32 x 80
    t = re.sub(r"\b(\d+)\s*x\s*(?=\d+(?:\.\d+)?\s*(?:mm|cm|in|inch|inches)?\s*(?:dia\w*\s+)?(?:bolt\s+|through\s+|"
               r"mounting\s+|fixing\s+|clearance\s+|screw\s+|tapped\s+)?(?:holes|slots)\b)", r"\1 timesx ", t)  # 4 x 6 mm holes
    t = re.sub(r"\bangle\s+bracket\b", "lbracket bracket", t)
    t = re.sub(r"\bcross\s*-?\s*sections?\b", "crosssection", t)
    t = re.sub(r"\b(?:six|6)\s*-?\s*sided\b", " hexagonal ", t)  # "a six-sided prism"
    t = re.sub(r"\b(?:three|3)\s*-?\s*sided\b", " triangular ", t)
    # a slot "from one long side to the other" crosses the width; "from one end / short side to the other" runs
    # along the length
    t = re.sub(r"\bfrom\s+(?:one|a|the\s+one)\s+long\s+(?:side|edge|face)\s+to\s+the\s+other(?:\s+(?:long\s+)?"
               r"(?:side|edge|face))?", " across the width ", t)
    t = re.sub(r"\bfrom\s+(?:one|a|the\s+one)\s+(?:end|short\s+(?:side|edge|face))\s+to\s+the\s+other(?:\s+"
               r"(?:short\s+)?(?:end|side|edge|face))?", " along the length ", t)
    # "centred on the plate": where the features sit, not a part stacked on another
    t = re.sub(r"\b(centred|centered|concentric)\s+(on|with|in)\s+(the|this|that)\s+(plate|part|disc|disk|block|"
               r"flange|base|body|piece|bar|face|blank|ring)\b", r"\1", t)
    t = re.sub(r"\bthrough\s*-\s*holes?\b", "through hole", t)
    t = re.sub(r"\b(\d+)\s*x\s*(?=m\s*\d|dia\b)", r"\1 timesx ", t)  # 6 x M4, 4x Ø5: a count
    t = re.sub(r"\b(od|id|af|ac|pcd|dia|r|d|h|l|w|t)\s*=\s*", r"\1 ", t)
    t = re.sub(r"(?<=[a-z0-9.])-(?=\d)", " ", t)  # 10-20 is two numbers; (-10, 5) keeps its sign
    t = re.sub(r"-(?!\d)", " ", t)
    return t


_DIMS = r"(length|width|height|thickness|diameter|depth)"
_FACTORS = {"twice": 2.0, "double": 2.0, "half": 0.5, "three times": 3.0, "four times": 4.0, "a third of": 1 / 3,
            "a quarter of": 0.25, "": 1.0}


_ADJ = {"length": "long", "width": "wide", "height": "high|tall", "thickness": "thick", "diameter": "dia|across",
        "depth": "deep"}


def _relations(t: str) -> str:
    """A size given as a multiple of another ("whose length is twice its width", "height equals its diameter", "half
    its width") becomes that size when the other is given as a number ("the width is 30 mm"); left as written (and
    then named as missing) when it is not."""
    rel = re.compile(r"\b(?:its|the|whose|with\s+a|with)\s+" + _DIMS + r"\s+(?:is\s+equal\s+to|equal\s+to|equals|is\s+the"
                     r"\s+same\s+as|the\s+same\s+as|is|=)\s+(?:(twice|double|half|three\s+times|four\s+times|a\s+third\s+of|"
                     r"a\s+quarter\s+of|(\d+(?:\.\d+)?)\s*(?:x|times))\s+)?(?:its|the)\s+" + _DIMS + r"\b")

    def value(dim: str):
        m = re.search(r"\b(?:the|its|a)\s+" + dim + r"\s+(?:is\s+|of\s+|=\s*|:\s*)?(\d+(?:\.\d+)?)\s*(mm|cm|m|in|inch|inches)?\b"
                      r"|\b(\d+(?:\.\d+)?)\s*(mm|cm|m|in|inch|inches)?\s+(?:in\s+)?(?:" + dim + "|" + _ADJ[dim] + r")\b", t)
        if m is None:
            return None
        return (float(m[1]), m[2] or "") if m[1] else (float(m[3]), m[4] or "")

    def sub(m):
        got = value(m[4])
        if got is None or m[1] == m[4]:
            return m[0]
        f = float(m[3]) if m[3] else _FACTORS[re.sub(r"\s+", " ", m[2] or "")]
        return f" , {m[1]} {got[0] * f:g} {got[1]} , "
    return rel.sub(sub, t)


_WORDS = "|".join(list(ONES)[1:] + list(TENS) + ["hundred"])
_NUMBERISH = re.compile(r"\d|\b(?:%s)\b" % "|".join(
    list(ONES) + list(TENS) + ["hundred", "half", "quarter"]))


def _drop_asides(t: str) -> str:
    """A sentence after the sizes that has no number and names another object ("Basically a fat washer to use as a
    bearing spacer.") is an aside — a comparison or a purpose — and is dropped unless it asks for a feature or for
    something this reader does not build."""
    parts = re.split(r"(?<=[.?!])\s+", t)
    out, sized, named = [], False, False
    for p in parts:
        words = set(re.findall(r"[a-z]+", p))
        if (sized and named and not _NUMBERISH.search(p) and words & set(FAMILY_NOUNS)
                and not words & (set(FEATURE_NOUNS) | UNSUPPORTED)):
            continue  # (a part not named yet is named here: "thk 3 / width 45 / length 200. shim plate")
        sized = sized or bool(_NUMBERISH.search(p))
        named = named or bool(words & (set(FAMILY_NOUNS) | {"lbracket"}))
        out.append(p)
    return " ".join(out)


_SMALL = "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"


def _small(w: str) -> int:
    return int(w) if w.isdigit() else _SMALL.split("|").index(w) + 1


def _letters(n: int) -> str:
    """A small count as one letter inside a word ('grid' + 'b' + 'c' = 2 rows of 3): a-z = 0-25."""
    return chr(ord("a") + max(0, min(25, n)))


def _grid(words) -> tuple | None:
    """(rows, columns) from a 'grid..' word, or None."""
    for w in words:
        if len(w) == 6 and w.startswith("grid") and w[4:].isalpha():
            return ord(w[4]) - ord("a"), ord(w[5]) - ord("a")
    return None


def _nholes(words) -> int | None:
    for w in words:
        if len(w) == 7 and w.startswith("nholes"):
            return ord(w[6]) - ord("a")
    return None


# ISO 273 clearance holes, medium series (the usual "normal fit"): M6 → 6.6 mm
CLEARANCE = {1.6: 1.8, 2: 2.4, 2.5: 2.9, 3: 3.4, 4: 4.5, 5: 5.5, 6: 6.6, 8: 9.0, 10: 11.0, 12: 13.5, 14: 15.5,
             16: 17.5, 18: 20.0, 20: 22.0, 22: 24.0, 24: 26.0, 27: 30.0, 30: 33.0, 36: 39.0}


_TOKEN_RE = re.compile(r"-?\d+(?:\.\d+)?/\d+(?:\.\d+)?|-?\d*\.\d+|-?\d+|[a-z]+|[(),;:.=/]")


_SPOKEN_ROLE = {"across", "diameter", "dia", "long", "wide", "thick", "high", "tall", "deep", "pitch", "pcd", "od",
                "id", "bore", "mm", "millimetres", "millimeters", "millimetre", "millimeter", "x", "by", "outside",
                "overall", "length", "width", "height", "centres", "centers", "bolt", "circle"}


def _spoken_hundreds(words: list, j: int) -> bool:
    """Whether 'one' + the tens word at words[j] (+ a unit word) is a spoken hundred ('one sixty across' = 160):
    when a size word follows it, not a feature noun ('one twenty mm hole' stays one 20 mm hole)."""
    k = j + 1
    if words[j] in TENS and k < len(words) and words[k] in ONES and ONES[words[k]] < 10:
        k += 1
    return k < len(words) and words[k] in _SPOKEN_ROLE - {"mm", "millimetres", "millimeters", "millimetre",
                                                          "millimeter"}


def _words_to_number(words: list, i: int) -> tuple[float | None, int]:
    """Read a number spelled in words at words[i]: 'twenty five', 'one hundred and twenty', 'one and a half',
    'a half', 'three quarters'. Returns (value, tokens used) or (None, 0)."""
    total, cur, j, seen = 0.0, 0.0, i, False
    last = None  # what the previous word was: "ones", "teens", "tens", "hundred", "and"
    if words[i] == "a" and i + 1 < len(words) and words[i + 1] in ("hundred", "thousand"):
        cur, j, seen = 1.0, i + 1, True  # "a hundred tall", "a hundred and twenty"
    while j < len(words):
        w = words[j]
        if w in ONES:
            if last == "ones" and 0 < cur < 10 and ONES[w] >= 10 and _spoken_hundreds(words, j):
                cur = cur * 100 + ONES[w]  # "a one ten pitch circle": 110
                last = "teens"
                j += 1
                continue
            if not (last in (None, "hundred", "thousand", "and") or (last == "tens" and ONES[w] < 10)):
                break  # "four eighteen holes": two numbers
            cur += ONES[w]
            last = "ones" if ONES[w] < 10 else "teens"
        elif w in TENS:
            if last == "ones" and 0 < cur < 10 and _spoken_hundreds(words, j):
                cur = cur * 100 + TENS[w]  # "one sixty across", "a one twenty pitch circle": 160, 120
                last = "tens"
                seen = True
                j += 1
                continue
            if last not in (None, "hundred", "thousand", "and"):
                break
            cur += TENS[w]
            last = "tens"
        elif w == "hundred" and (seen or j == i):
            cur = (cur or 1) * 100
            last = "hundred"
        elif w == "thousand" and seen:
            total += (cur or 1) * 1000
            cur = 0
            last = "thousand"
        elif (w == "and" and seen and j + 2 < len(words) and words[j + 1] in ONES and 1 < ONES[words[j + 1]] < 10
              and words[j + 2] in ("quarter", "quarters", "third", "thirds")):
            cur += ONES[words[j + 1]] * FRACTION_WORDS[words[j + 2]]  # "one and three quarter inches"
            j += 3
            seen = True
            continue
        elif w == "and" and seen and j + 1 < len(words) and (words[j + 1] in ONES or words[j + 1] in TENS) \
                and words[j - 1] in ("hundred", "thousand"):
            last = "and"  # "one hundred and twenty"; "twenty five and forty five" is two numbers
        elif (w == "and" and seen and j + 2 < len(words) and words[j + 1] in ("a", "one")
              and words[j + 2] in ("half", "quarter")):
            cur += FRACTION_WORDS[words[j + 2]]
            j += 3
            seen = True
            continue
        elif (w == "point" and seen and j + 1 < len(words) and words[j + 1] in ONES and ONES[words[j + 1]] < 10
              and cur == int(cur)):
            # "one point five", "two point two five": digits after the point
            k, frac, scale = j + 1, 0.0, 0.1
            while k < len(words) and words[k] in ONES and ONES[words[k]] < 10:
                frac += ONES[words[k]] * scale
                scale /= 10
                k += 1
            cur += frac
            j = k
            break
        elif w in ("quarter", "quarters", "third", "thirds", "half") and seen and cur >= 1:
            cur = cur * FRACTION_WORDS[w]
            j += 1
            break
        else:
            break
        seen = True
        j += 1
    if not seen:
        if words[i] in ("half", "quarter") or (words[i] == "a" and i + 1 < len(words)
                                               and words[i + 1] in ("half", "quarter")):
            k = i + (words[i] == "a")
            return FRACTION_WORDS[words[k]], k - i + 1
        return None, 0
    return total + cur, j - i


_ONE_AFTER = {"the", "each", "this", "that", "other", "top", "bottom", "upper", "lower", "smaller", "larger",
              "bigger", "small", "big", "first", "second", "last", "which"}
# "a flange, round one.": after an adjective and before a stop, 'one' stands for the part
_ONE_PRONOUN_AFTER = {"round", "square", "solid", "flat", "plain", "simple", "thick", "thin", "long", "short",
                      "hollow", "new", "old", "same", "similar", "circular", "rectangular", "another", "wide",
                      "narrow", "tall"}


def tokenize(text: str) -> list:
    raw = _TOKEN_RE.findall(_normalise(text))
    toks: list = []
    i = 0
    while i < len(raw):
        w = raw[i]
        if re.fullmatch(r"\d+(?:\.\d+)?/\d+(?:\.\d+)?", w):
            a, b = (float(x) for x in w.split("/"))
            if b == 0:
                raise InputError(f"'{w}' divides by zero", "write the fraction as e.g. 1/2")
            if toks and toks[-1].kind == "n" and toks[-1].value == int(toks[-1].value) and toks[-1].unit is None \
                    and toks[-1].tag != "word":  # "1 1/2" is one number, "two 1/4 in holes" two
                toks[-1].value += a / b
                toks[-1].text += " " + w
            else:
                toks.append(Tok("n", w, a / b))
        elif re.fullmatch(r"\d*\.\d+|\d+", w):
            toks.append(Tok("n", w, float(w)))
        elif w.isalpha():
            v, n = _words_to_number(raw, i)
            one_word = w == "one" and ((i + 1 < len(raw) and (raw[i + 1] in ("in", "of", "end", "side", "other", "flange",
                                                                                 "leg", "arm")
                                                              or raw[i + 1][0].isdigit()))
                                       or (i > 0 and raw[i - 1] in _ONE_AFTER)
                                       or (i > 0 and raw[i - 1] in _ONE_PRONOUN_AFTER
                                           and (i + 1 >= len(raw) or raw[i + 1] in (",", ".", ";", ":", ")")))
                                       # "make one square bar", "from one long side to the other": a determiner
                                       or (n == 1 and i + 1 < len(raw) and raw[i + 1].isalpha()
                                           and raw[i + 1] not in UNITS and raw[i + 1] not in ("x", "by", "and")))
            if v is not None and not one_word:
                toks.append(Tok("n", " ".join(raw[i:i + n]), v, tag="word"))
                i += n
                continue
            toks.append(Tok("w", w))
        else:
            toks.append(Tok("p", w))
        i += 1
    return toks


_IN_NOT_UNIT = {"diameter", "length", "width", "height", "thickness", "depth", "the", "a", "an", "each", "from",
                "radius", "dia", "total", "overall", "size", "section", "crosssection", "its", "both", "from"}


def _attach_units(toks: list) -> list:
    """Numbers take the unit word after them; 'M6', 'R5', 'dia 20' become tagged numbers; 'a x b x c' lists are
    grouped (a unit at the end applies to the whole list)."""
    out: list = []
    i = 0
    while i < len(toks):
        t = toks[i]
        nxt = toks[i + 1] if i + 1 < len(toks) else None
        if t.kind == "w" and t.text in ("m", "r") and nxt is not None and nxt.kind == "n" and nxt.tag != "word" \
                and (t.text == "m" or not (out and out[-1].kind == "n")):
            nxt.tag = "metric" if t.text == "m" else "radius"
            out.append(Tok("w", "_" + t.text))
            i += 1
            continue
        if t.kind == "n" and nxt is not None and nxt.kind == "w" and nxt.text in UNITS:
            after = toks[i + 2].text if i + 2 < len(toks) else ""
            m_thread = nxt.text == "m" and i + 2 < len(toks) and toks[i + 2].kind == "n"  # "4 M6 holes"
            if not (nxt.text == "in" and after in _IN_NOT_UNIT) and not m_thread:
                t.unit = UNITS[nxt.text]
                out.append(t)
                i += 2
                continue
        out.append(t)
        i += 1
    # lists: n [unit] (x|by) n [unit] ...
    group = 0
    i = 0
    while i < len(out):
        if out[i].kind == "n" and out[i].tag not in ("metric", "radius"):
            members = [i]
            j = i
            while (j + 2 < len(out) and out[j + 1].kind == "w" and out[j + 1].text in ("x", "by", "times")
                   and out[j + 2].kind == "n" and out[j + 2].tag not in ("metric", "radius")):
                members.append(j + 2)
                j += 2
            if len(members) > 1:
                unit = out[members[-1]].unit
                for k, m in enumerate(members):
                    out[m].group, out[m].pos = group, k
                    if out[m].unit is None:
                        out[m].unit = unit
                group += 1
                i = j + 1
                continue
        i += 1
    # coordinates: "(x, y)" or "(x, y) mm"
    i = 0
    while i + 4 < len(out):
        a = out[i:i + 5]
        if a[0].text == "(" and a[1].kind == "n" and a[2].text == "," and a[3].kind == "n" and a[4].text == ")":
            unit = a[3].unit or a[1].unit
            if i + 5 < len(out) and out[i + 5].kind == "w" and out[i + 5].text in UNITS:
                unit = UNITS[out[i + 5].text]
                del out[i + 5]
            sign = -1 if (i > 0 and out[i - 1].text == "minus") else 1
            out[i:i + 5] = [Tok("c", "(" + a[1].text + ", " + a[3].text + ")", sign * a[1].value, unit, y=a[3].value)]
        i += 1
    return out


# ----------------------------------------------------------------------------- roles
ROLE_AFTER = {  # a word right after a number (and its unit) → the number's role
    "diameter": "dia", "dia": "dia", "diam": "dia", "across": "dia", "round": "dia", "radius": "radius",
    "rad": "radius", "long": "length", "length": "length", "lengthwise": "length", "wide": "width",
    "width": "width", "breadth": "width", "thick": "thick", "thickness": "thick", "tall": "height", "high": "height",
    "height": "height", "deep": "depth", "depth": "depth", "wall": "wall", "walls": "wall", "side": "side",
    "sides": "side", "edge": "side", "edges": "side", "square": "square", "cube": "side", "pcd": "pcd",
    "circle": "pcd", "apart": "pitch", "pitch": "pitch", "centres": "pitch", "centers": "pitch", "spacing": "pitch",
    "bore": "bore", "od": "od", "id": "id", "af": "af", "ac": "ac", "from": "from", "inset": "from",
    "in": "from", "away": "from", "hole": "holedia", "holes": "holedia", "legs": "leg", "leg": "leg",
    "flats": "af", "corners": "ac", "base": "base", "bolt": "pcd", "pitch-circle": "pcd",
    "thk": "thick", "thck": "thick", "floor": "floor", "lg": "length", "lng": "length", "upright": "upright",
    "bottom": "floor",
}
MATERIALS = {"aluminium", "aluminum", "steel", "stainless", "brass", "copper", "acrylic", "perspex", "plywood", "ply",
             "mdf", "polycarbonate", "abs", "petg", "pla", "nylon", "delrin", "acetal", "hdpe", "titanium", "bronze"}
ROLE_BEFORE = {  # a word before a number (within a few filler words) → the number's role
    "diameter": "dia", "dia": "dia", "diam": "dia", "d": "dia", "radius": "radius", "_r": "radius", "r": "radius",
    "length": "length", "l": "length", "width": "width", "w": "width", "breadth": "width", "thickness": "thick",
    "t": "thick", "height": "height", "h": "height", "depth": "depth", "wall": "wall", "walls": "wall",
    "side": "side", "sides": "side", "edge": "side", "edges": "side", "od": "od", "id": "id", "af": "af",
    "ac": "ac", "pcd": "pcd", "circle": "pcd", "pitch": "pitch", "spacing": "pitch", "bore": "bore", "square": "square",
    "legs": "leg", "leg": "leg", "base": "base", "flats": "af", "extruded": "height", "corners": "ac", "inset": "from", "every": "pitch",
    "measuring": "dims", "size": "dims", "dimensions": "dims", "thick": "thick", "tall": "height",
    "high": "height", "long": "length", "wide": "width", "deep": "depth", "for": "length",
    "thk": "thick", "thck": "thick", "upright": "upright", "cornerradius": "cornerr", "floor": "floor",
    "bottom": "floor",
}
SKIP_BETWEEN = {"of", "is", "a", "an", "the", "=", ":", "about", "exactly", "approximately", "approx", "thickness",
                "measuring", "measures", "and", "its", "which", "it", "be", "by", "should", "must", "equal", "to",
                "with", "in", "mm", "diameter"}
OUTER = {"outer", "outside", "external", "exterior", "overall", "od", "major"}
INNER = {"inner", "inside", "internal", "interior", "id", "minor"}


@dataclass
class Qty:
    mm: float
    role: str  # dia, radius, length, width, thick, height, depth, wall, side, square, pcd, pcr (radius of the
    #            bolt circle), pitch, od, id, af, ac, from, holedia, leg, base, dims, "" (none)
    tok: Tok
    qual: str = ""  # "outer" / "inner"
    group: int = -1
    pos: int = 0
    ctx: tuple = ()  # the words of its clause just before and after it


IMMEDIATE = {"od", "id", "af", "ac", "pcd", "thk", "thck", "length", "width", "height", "thickness", "depth",
             "radius", "diameter", "bore", "wall", "h", "l", "w", "t", "cornerradius"}
HEIGHT_VERBS = {"protruding", "projecting", "rising", "rises", "extending", "extends", "sticking", "extruded",
                "extrude", "extrusion", "stands", "standing", "protrudes", "projects", "sticks", "raised"}


def _role_of(toks: list, i: int) -> tuple[str, str]:
    """The role of the number at toks[i] from the words around it, and an outer/inner qualifier."""
    prev = [toks[k] for k in range(max(0, i - 3), i)]
    pw = [x.text for x in prev]
    role, qual = "", ""
    # "disc 60 dia 10 thick": 'dia' names the 60 before it, not the 10; "OD 30 ID 24": 'ID' names the 24
    first = next((k for k in range(i + 1) if toks[k].kind == "n"), i)
    prefix_style = first > 0 and toks[first - 1].text in IMMEDIATE | {"dia"}
    suffix = len(prev) > 1 and prev[-2].kind == "n" and not prefix_style
    if pw and pw[-1] in ("up", "out", "by") and len(pw) > 1 and pw[-2] in HEIGHT_VERBS or pw and pw[-1] in HEIGHT_VERBS:
        role = "height"
    elif pw and pw[-1] in IMMEDIATE and not suffix:
        # a callout: "OD 30 ID 24 length 100", "thk 5": the word right before the number names it
        role = ROLE_BEFORE[pw[-1]]
        qual = _role_of0(toks, i)[1]
        if len(pw) > 1 and pw[-2] in ("circle", "pcd", "bolt") and role in ("dia", "radius"):
            role = "pcd" if role == "dia" else "pcr"
    elif pw and pw[-1] == "dia" and not suffix:
        # "Ø9" is a diameter whatever follows ("4 holes Ø6 inset 8 mm"); "on Ø70", "PCD Ø70": a bolt circle
        # ("6 bolt holes Ø10": 'bolt' names the holes, not a circle)
        lead = pw[:-1]
        lead = lead[max((k + 1 for k, w in enumerate(lead) if w in FEATURE_NOUNS), default=0):]
        role = "pcd" if any(w in ("on", "pcd", "circle", "bolt") for w in lead) else "dia"
        nxt_w = toks[i + 1].text if i + 1 < len(toks) and toks[i + 1].kind == "w" else ""
        if len(pw) > 1 and pw[-2] in ("od", "outer", "outside") or nxt_w in ("od", "outer", "outside", "external"):
            qual = "outer"  # "Ø16 OD"
        elif nxt_w in ("id", "inner", "inside", "internal", "bore"):
            qual = "inner"  # "Ø10 ID"
    else:
        role, qual = _role_of0(toks, i)
        after = [toks[k].text for k in range(i + 1, min(len(toks), i + 3)) if toks[k].kind == "w"]
        a0 = after[0] if after else ""
        if "on" in pw[-2:] and a0 in ("diameter", "dia", "circle", "pcd"):
            role = "pcd"
        elif "on" in pw[-2:] and a0 == "radius":
            role = "pcr"
        elif "on" in pw[-2:] and a0 == "square" and not (len(after) > 1 and after[1] in ("plate", "block")):
            role = "holesquare"  # "four holes on a 70 mm square"
        elif a0 == "per" and len(after) > 1 and after[1] in ("side", "edge"):
            role = "side"
        elif role == "length" and [w for w in [toks[k].text for k in range(max(0, i - 7), i) if toks[k].kind == "w"]
                                   if w not in SKIP_BETWEEN | {"are", "all", "each", "every", "hexagon", "hex",
                                                               "triangle", "square", "of"}][-1:] in (
                ["side"], ["sides"], ["edge"], ["edges"]):
            role = "side"  # "each side 10 mm long", "with sides that are 10 mm long"
        elif role in ("dia", "radius") and len(pw) > 1 and pw[-1] == "of" and pw[-2] in ("circle", "pcd"):
            role = "pcd" if role == "dia" else "pcr"  # "on a bolt circle of 65 mm diameter"
    if role == "" and toks[i].group >= 0:  # "on 60 x 30 mm centres": the list's last number names it
        last = max((k for k in range(i, len(toks)) if toks[k].kind == "n" and toks[k].group == toks[i].group),
                   default=i)
        if last != i and _role_of0(toks, last)[0] == "pitch":
            role = "pitch"
    if role == "od":
        qual = "outer"
    elif role == "id":
        qual = "inner"
    nxt = next((toks[k].text for k in range(i + 1, len(toks)) if toks[k].kind == "w"), "")
    if role == "" and qual in ("outer", "inner") and nxt in OUTER | INNER:
        role = "dia"  # "50 mm outside, 40 mm inside"
    return role, qual


def _role_of0(toks: list, i: int) -> tuple[str, str]:
    t = toks[i]
    qual = ""
    before = [toks[k].text for k in range(max(0, i - 4), i) if toks[k].kind == "w"]
    if "overall" in before and before.index("overall") > 0 and before[before.index("overall") - 1] in ROLE_AFTER:
        before = [b for b in before if b != "overall"]  # "60 long overall by 10 wide": 'overall' is the 60's
    if any(b in OUTER for b in before[-3:]):
        qual = "outer"
    if any(b in INNER for b in before[-3:]):
        qual = "inner"
    if t.tag == "radius":
        return "radius", qual
    if t.tag == "metric":
        return "holedia", qual
    # after: skip a closing word such as "in" ("30 mm in diameter") or an adjective ("10 mm square cross-section")
    j = i + 1
    after = []
    while j < len(toks) and len(after) < 4 and toks[j].kind == "w":
        after.append(toks[j].text)
        j += 1
    a0 = after[0] if after else ""
    a1 = after[1] if len(after) > 1 else ""
    if a0 in ("outer", "outside", "external", "od"):
        qual = "outer"
    if a0 in ("inner", "inside", "internal", "id"):
        qual = "inner"
    if a0 in ("diameter", "dia", "diam") and a1 == "circle":
        return "pcd", qual
    if a0 in ("radius",) and a1 in ("circle", "bolt", "pitch", "pcd"):
        return "pcr", qual
    if a0 == "across":
        if a1 in ("flats", "the", "flat", "af") and "flats" in after[:3] or a1 in ("flats", "flat"):
            return "af", qual
        if "corners" in after[:3] or "points" in after[:3]:
            return "ac", qual
        return "dia", qual
    if a0 in ("on", "per") and a1 in ("a", "each") and len(after) > 2 and after[2] in ("side", "edge"):
        return "side", qual
    if a0 in ("in", "on") and a1 in ("diameter", "dia", "radius") and "circle" in before[-2:]:
        return ("pcr" if a1 == "radius" else "pcd"), qual  # "evenly spaced on a circle 11 cm in diameter"
    if a0 in ("in", "on") and a1 in ROLE_AFTER and a1 not in ("from",):
        if a1 in ("diameter", "length", "width", "height", "thickness", "depth", "radius", "dia"):
            return ROLE_AFTER[a1], qual
    if a0 in ("outer", "outside", "inner", "inside", "external", "internal") and a1 in ("diameter", "dia", "radius"):
        return ("radius" if a1 == "radius" else "dia"), qual
    if a0 in ("from", "in", "inset", "away") and (a0 != "in" or a1 == "from"):
        rest = after[1:4] if after[1:3] != ["one", "of"] else after[1:5] + [toks[k].text for k in range(j, min(
            len(toks), j + 2)) if toks[k].kind == "w"]  # "50 from one of the edges"
        if any(w in ("edge", "edges", "side", "sides", "end", "ends", "corner", "corners", "border", "perimeter")
               for w in rest) or a0 == "inset":
            return "from", qual
        if a0 == "from" and rest[:1] in (["it"], ["that"], ["this"]):
            return "pitch", qual  # "the centre hole in the middle, the other two 30 mm from it"
        if a0 == "from" and any(w in ("centre", "center", "middle", "axis") for w in rest):
            return "pcr", qual
        return "", qual
    if a0 in ("bolt", "pitch") and a1 in ("circle", "diameter", "pcd"):
        return "pcd", qual
    if a0 in ("square",):
        return "square", qual
    if a0 in ("mounting", "bolt", "through", "clearance", "fixing", "screw", "blind", "drilled",
              "round", "plain", "diameter", "dia", "countersunk", "tapped") and a1 in ("hole", "holes"):
        return "holedia", qual
    if a0 == "overall" and a1 in ("length", "long", "width", "wide", "height", "high", "diameter", "dia"):
        return ROLE_AFTER[a1], ""  # "30 mm overall length" (a slot's overall length is its length)
    if a0 == "into" and set(after[1:4]) & {"top", "face", "surface", "part", "block", "plate"} \
            or before[-1:] in (["sunk"], ["recessed"], ["sunken"]):
        return "depth", qual  # "a pocket 180 x 100 sunk 20 mm into the top"
    if a0 in ("thick", "thickness", "thk", "thck") and before[-1:] in (["wall"], ["walls"], ["floor"], ["bottom"]):
        return ("floor" if before[-1] in ("floor", "bottom") else "wall"), qual  # "walls 5 mm thick"
    if a0 in ROLE_AFTER and a0 not in ("from", "in"):
        return ROLE_AFTER[a0], qual
    if a0 in MATERIALS and t.unit is not None:
        return "material", qual  # "a strip of 3 mm aluminium": stock thickness
    if a0 in FAMILY_NOUNS or a0 in ("hexagonal", "hex", "triangular", "round", "circular", "rectangular"):
        return "size:" + a0, qual
    if a0 in FEATURE_NOUNS or (a0 in ("centre", "center", "central", "round", "circular") and a1 in FEATURE_NOUNS):
        return "size:" + (a0 if a0 in FEATURE_NOUNS else a1), qual
    if t.tag == "dia":
        return "dia", qual
    if i >= 2 and toks[i - 1].text in ("and", "by", "x") and toks[i - 2].kind == "n" and toks[i - 1].kind == "w":
        return _role_of0(toks, i - 2)
    # before
    k = i - 1
    seen = 0
    while k >= 0 and seen < 5:
        tk = toks[k]
        if tk.kind == "n":
            break
        if tk.kind == "w":
            w = tk.text
            if w in ROLE_BEFORE:
                role = ROLE_BEFORE[w]
                if role in ("dia", "radius") and k >= 1 and toks[k - 1].text in ("circle", "pcd", "bolt"):
                    role = "pcd" if role == "dia" else "pcr"
                if role in ("dia", "radius") and k >= 2 and toks[k - 2].text == "circle":
                    role = "pcd" if role == "dia" else "pcr"
                if w == "radius" and k >= 1 and toks[k - 1].text in ("a", "at") and _near(toks, k, ("hole", "holes")):
                    role = "pcr"
                return role, qual
            if w == "dia":
                return "dia", qual
            if (w in FEATURE_NOUNS or w in ("hexagon", "hex", "triangle", "square", "section", "crosssection",
                                            "profile")) and k >= 1 and toks[k - 1].text in ("of", "the"):
                seen += 1  # "total length of slot 50", "the depth of the pocket 6"
                k -= 1
                continue
            if w not in SKIP_BETWEEN and w not in OUTER and w not in INNER:
                break
        elif tk.text not in ("=", ":", "(", ","):
            break
        seen += 1
        k -= 1
    return "", qual


def _near(toks, k, words, span=8) -> bool:
    return any(toks[j].kind == "w" and toks[j].text in words for j in range(max(0, k - span), k))


# ----------------------------------------------------------------------------- clauses and objects
@dataclass
class Obj:
    kind: str  # "base" or a feature: hole, bore, pocket, slot, boss, body (a second body: stacked)
    noun: str = ""
    family: str = ""
    qtys: list = field(default_factory=list)
    count: int | None = None
    words: set = field(default_factory=set)
    below: bool = False  # the body is under the one before it ("X on top of Y": Y is below)
    coords: list = field(default_factory=list)  # (x, y) positions in mm
    said: list = field(default_factory=list)  # its clauses' words in order


SEPARATORS = {",", ";", ".", "with", "having", "and", "plus", "featuring", "containing", "has", "carrying",
              "then", ":", "while", "where"}
ON_TOP = ("on top of", "on", "sitting on", "standing on", "mounted on", "stacked on", "above", "atop", "on to",
          "onto", "resting on", "sits on")
COUNT_ADJ = {"equally", "evenly", "spaced", "bolt", "mounting", "through", "corner", "small", "round", "circular",
             "identical", "blind", "clearance", "fixing", "screw", "plain", "drilled", "holes", "hole", "more",
             "rectangular", "square", "same", "similar", "centre", "center", "uniformly", "regularly",
             "radial", "additional", "extra", "countersunk", "m", "_m", "timesx", "x", "tapped", "threaded",
             "counterbored", "cylindrical", "diameter", "dia", "of", "symmetrically", "placed", "located",
             "stacked", "coaxial", "concentric"}


_SHAPE_PLURALS = {"legs", "sides", "edges", "ends", "faces", "arms", "flanges", "corners", "long", "short"}


def _holes_follow(toks: list, j: int) -> bool:
    """Whether 'holes' comes at toks[j], past a unit and adjectives ("mm through holes")."""
    while j < len(toks) and toks[j].kind == "w" and (toks[j].text in UNITS or toks[j].text in COUNT_ADJ) \
            and toks[j].text not in ("holes", "hole"):
        j += 1
    return j < len(toks) and toks[j].text in ("holes", "hole")


def _counts(toks: list) -> None:
    """Bare numbers that count features ("six 4 mm holes", "4 x M5 holes", "four holes") are tagged "count"."""
    sized = set()  # "four eighteen holes": four holes of 18, the second number a size
    for i, t in enumerate(toks):
        if i in sized:
            continue
        if t.kind == "n" and t.tag == "word" and t.unit is None and t.group < 0 and i + 2 < len(toks) \
                and toks[i + 1].kind == "n" and toks[i + 1].tag == "word" and toks[i + 1].unit is None \
                and toks[i + 2].text in ("holes", "hole", "slots", "bores") and t.value == int(t.value) and t.value > 1:
            t.tag = "count"
            sized.add(i + 1)
            continue
        if t.kind == "n" and t.tag == "word" and t.unit is None and t.group < 0 and i > 0 \
                and toks[i - 1].text in ("the", "both", "all", "its", "their") and t.value == int(t.value) and (
                (i + 1 < len(toks) and toks[i + 1].text in _SHAPE_PLURALS)
                or (i + 2 < len(toks) and toks[i + 1].kind == "n" and toks[i + 2].text in _SHAPE_PLURALS)):
            t.tag, t.used = "shapecount", True  # "the two legs at the right angle", "the two 160 mm edges"
            continue
        if t.kind == "n" and t.tag == "word" and t.unit is None and t.group < 0 and t.value == int(t.value) \
                and i + 2 < len(toks) and toks[i + 1].text in ("equal", "identical", "same") \
                and toks[i + 2].text in _SHAPE_PLURALS:
            t.tag, t.used = "shapecount", True  # "two equal legs of 50 mm"
            continue
        if t.kind == "n" and t.tag == "word" and t.unit is None and i > 0 and toks[i - 1].text == "other" \
                and t.value == int(t.value) and any(x.tag == "count" for x in toks[:i]):
            t.tag, t.used = "shapecount", True  # "three holes …, the other two 30 mm from it": the rest of them
            continue
        if t.kind != "n" or t.unit is not None or t.tag in ("metric", "radius") or t.group >= 0:
            continue
        if t.value != int(t.value) or t.value < 1 or (i > 0 and toks[i - 1].text in ("dia", "_m", "_r", "diameter")):
            continue
        if i + 1 < len(toks) and toks[i + 1].text == "timesx":
            t.tag = "count"
            continue
        if i > 0 and toks[i - 1].text in ("radius", "r", "rad", "od", "id", "pcd", "bore"):
            continue  # "a radius 5 hole"
        if i + 2 < len(toks) and toks[i + 1].text in ("dia", "diameter", "radius", "od", "bore") \
                and not (toks[i + 2].kind == "n" and _holes_follow(toks, i + 3)):
            continue  # "a 50 dia boss", "120 dia 12 thick"; "4 dia 6 holes", "six Ø8 through holes" stay counts
        j = i + 1
        while j < len(toks) and toks[j].kind == "w" and toks[j].text in COUNT_ADJ \
                and toks[j].text not in ("holes", "hole"):
            j += 1
        if j < len(toks) and toks[j].kind == "w" and toks[j].text in ("hole", "bore", "slot", "pocket", "boss",
                                                                     "hub", "spigot", "groove", "channel") \
                and t.value != 1:
            continue  # "a 25 through bore": a size, the noun is singular
        if j < len(toks) and toks[j].kind == "w" and (toks[j].text in FEATURE_NOUNS or toks[j].text in
                                                       ("holes", "hole", "cylinders", "sections", "steps", "step",
                                                        "tiers", "stages", "discs", "disks", "slots", "pins",
                                                        "bosses", "pockets")):
            t.tag = "count"
        elif j < len(toks) and toks[j].kind == "n" and (toks[j].unit is not None or toks[j].tag == "metric"
                                                         or toks[j].group >= 0 or toks[j - 1].text == "dia"
                                                         or t.tag == "word" and _holes_follow(toks, j + 1)) \
                and j <= i + 3:
            rest = {x.text for x in toks[j + 1:j + 6] if x.kind == "w"}
            if rest & {"holes", "hole", "slots", "bores", "pins", "bosses", "pockets"}:
                t.tag = "count"


FEATURE_ROLES = {
    "hole": {"dia", "radius", "holedia", "pcd", "pcr", "from", "pitch", "depth", "", "dims", "bore", "id", "holesquare",
             "side"},
    "bore": {"dia", "radius", "holedia", "depth", "", "bore", "id"},
    "pocket": {"dia", "radius", "dims", "length", "width", "depth", "square", "side", "", "floor", "cornerr"},
    "slot": {"dia", "radius", "dims", "length", "width", "depth", "square", "side", "", "floor"},
}


def _segment(toks: list) -> list:
    """Split into clauses (token lists) at separators; 'on top of' splits too and is kept as a marker."""
    clauses: list = [[]]
    i = 0
    while i < len(toks):
        t = toks[i]
        txt = t.text
        if t.kind == "w" and txt in ("through", "thru", "into", "in") and i + 1 < len(toks) \
                and toks[i + 1].text in ("a", "an") and any(x.kind == "w" and x.text in FEATURE_NOUNS
                                                           for x in clauses[-1]):
            nxt = next((x for x in toks[i + 2:i + 10] if x.kind != "n" and x.text not in ("x", "by")
                        and x.text not in UNITS), None)
            if nxt is not None and nxt.text in FAMILY_NOUNS:
                clauses.append([])  # the part the feature is cut in starts its own clause
                i += 1
                continue
        if t.kind == "w" and txt in ("on", "sitting", "standing", "mounted", "stacked", "resting", "sits", "atop",
                                     "above", "onto"):
            # "on top of", "sitting on", "on" + article + family noun: a body below
            words = [x.text for x in toks[i:i + 5]]
            span = 0
            if words[:3] == ["on", "top", "of"]:
                span = 3
            elif txt in ("sitting", "standing", "mounted", "stacked", "resting", "sits") and len(words) > 1 \
                    and words[1] in ("on", "upon", "atop"):
                span = 2 + (len(words) > 3 and words[2:4] == ["top", "of"]) * 2
            elif txt in ("atop", "above", "onto"):
                span = 1
            elif txt == "on" and len(words) > 2 and any(w in FAMILY_NOUNS for w in words[1:5]) \
                    and not any(w in ("circle", "pcd", "radius", "square", "centres", "centers") for w in words[1:5]):
                span = 1
            if span:
                clauses.append([Tok("p", "ONTOP")])
                i += span
                continue
        if txt == ":" and i > 0 and toks[i - 1].kind == "w" and toks[i - 1].text in ROLE_BEFORE \
                and i + 1 < len(toks) and toks[i + 1].kind == "n":
            clauses[-1].append(t)  # "outer diameter: 24": a label and its value, one clause
            i += 1
            continue
        if (t.kind in ("w", "p") and txt in SEPARATORS) and not (txt == "." and False):
            # "and" between two numbers of one role ("legs of 50 and 30 mm") does not split
            if txt == "and" and i > 0 and toks[i - 1].kind == "n" and i + 1 < len(toks) and toks[i + 1].kind == "n" \
                    and toks[i + 1].tag != "count":
                clauses[-1].append(Tok("w", "and"))
                i += 1
                continue
            cl = clauses[-1]
            if txt in (",", "and") and cl and (cl[0].text in ("a", "an") or cl[0].tag == "count") \
                    and not any(x.text in FEATURE_NOUNS or x.text in FAMILY_NOUNS for x in cl) \
                    and _noun_follows(toks, i + 1):
                i += 1  # "a 50 mm long, 8 mm wide slot": one object's adjectives
                continue
            clauses.append([])
            i += 1
            continue
        if txt in ("a", "an") and t.kind == "w" and any(x.kind == "n" and x.tag != "count" for x in clauses[-1]) \
                and any(x.kind == "w" and (x.text in FEATURE_NOUNS or x.text in FAMILY_NOUNS) for x in clauses[-1]):
            nxt = next((x for x in toks[i + 1:i + 6] if x.kind == "w" and x.text not in UNITS
                        and x.text not in COUNT_ADJ), None)
            if nxt is not None and nxt.text in FEATURE_NOUNS:
                clauses.append([])  # "a hub 80 across going up 30 a 50 bore right through": the next feature
        if t.tag == "count" and any(x.kind in ("n", "c") and x.tag != "count" for x in clauses[-1]) \
                and (any(x.kind == "w" and x.text in FEATURE_NOUNS for x in clauses[-1])
                     or (i + 1 < len(toks) and toks[i + 1].text == "timesx")):
            clauses.append([])  # "bore Ø35 centre 4x Ø9 through …": the count starts the next feature
        clauses[-1].append(t)
        i += 1
    return [c for c in clauses if c]


SHAPE_WORDS = {"hex", "hexagonal", "hexagon", "hexagons", "triangular", "triangle", "lbracket", "angle", "square", "round",
               "circle"}


def _noun_follows(toks: list, i: int) -> bool:
    """Whether a feature noun comes after toks[i] before the next separator or article."""
    for t in toks[i:i + 8]:
        if t.kind == "w" and (t.text in FEATURE_NOUNS or t.text in FAMILY_NOUNS):
            return True
        if t.text in SEPARATORS - {",", "and"} or t.text in ("a", "an"):
            return False
    return False


def _objects(toks: list) -> tuple[list, list]:
    """Clauses → objects (the base part, its features, stacked bodies) with their quantities. Returns (objects,
    words nobody could place)."""
    objs: list = []
    unknown: list = []
    cur: Obj | None = None
    pending_below = False
    position = {id(t): k for k, t in enumerate(toks)}
    for clause in _segment(toks):
        if clause[0].text == "ONTOP":
            pending_below = not (len(clause) > 1 and clause[1].text in ("it", "this", "that", "them"))
            clause = clause[1:] if pending_below else clause[2:]  # "sitting on top of it a stem": the stem is above
            if not clause:
                continue
            named = [t.text for t in clause if t.kind == "w" and t.text in FAMILY_NOUNS]
            if pending_below and (clause[0].text in _DEFINITE or clause[0].text in FAMILY_NOUNS) and len(named) == 1 \
                    and not any(t.kind in ("n", "c") for t in clause) \
                    and any(o.kind in ("base", "body") and (o.noun == named[0] or named[0] in o.words) for o in objs):
                pending_below = False  # "hub Ø50 x 20 high on top of the plate": the plate already described
                continue
        nouns = [(k, t.text) for k, t in enumerate(clause) if t.kind == "w"
                 and (t.text in FEATURE_NOUNS or t.text in FAMILY_NOUNS)]
        # "washer plate", "disc spacer": of two family nouns in a row the last names the part
        nouns = [(k, n) for k, n in nouns if not (n in FAMILY_NOUNS and (k + 1, clause[k + 1].text if k + 1 < len(
            clause) else "") in nouns and clause[k + 1].text in FAMILY_NOUNS and n not in SHAPE_WORDS
            and n != "flange")]
        # "a hole strip", "a slot plate": the feature word names the kind of part, the part is the last noun
        nouns = [(k, n) for k, n in nouns if not (n in FEATURE_NOUNS and k + 1 < len(clause)
                                                  and clause[k + 1].text in FAMILY_NOUNS and clause[k + 1].kind == "w")]
        base_obj = next((o for o in objs if o.kind == "base"), None)
        if base_obj is not None and base_obj.family == "lbracket":  # its flanges, arms, sides are its legs
            nouns = [(k, n) for k, n in nouns if n not in ("flange", "plate", "sheet", "base", "strip", "bar")]
        if base_obj is None or not base_obj.family:  # "a prism whose cross-section is a triangle": the shape
            shaped = [(k, n) for k, n in nouns if FAMILY_NOUNS.get(n) in ("hex", "tri", "lbracket")]
            nouns = shaped + [x for x in nouns if x not in shaped]
        new = None
        clause_nums = any(t.kind == "n" and t.tag not in ("count", "shapecount") for t in clause)
        for k, noun in nouns:
            again = next((o for o in objs if o.noun == noun and not o.qtys and not o.coords), None)
            if again is not None:  # "a disc with a boss on top: disc 60 dia 10 thick, boss …": the same object
                cur = again
                break
            ref = _referred(clause, k, noun, objs)
            if ref is not None:  # "the slot is centred", "slot width 10", "first hole 25 from the end": the same one
                cur = ref
                break
            if (noun in FAMILY_NOUNS and base_obj is not None and base_obj.family and not pending_below
                    and not clause_nums and (k == 0 or clause[k - 1].text in _DEFINITE | {"and", "through", "thru"})):
                continue  # "a bore right through boss and plate": the part named again, not a second body
            if (noun in FAMILY_NOUNS and base_obj is not None and noun == base_obj.noun and not pending_below
                    and k > 0 and clause[k - 1].text in _DEFINITE):
                continue  # "one every 12.5 mm along the middle of the strip": the same part
            if base_obj is not None and not base_obj.family and noun in FAMILY_NOUNS and not pending_below \
                    and _is_family_use(clause, k, noun, objs[:0]):
                base_obj.family, base_obj.noun = FAMILY_NOUNS[noun], noun  # "a 50 mm diameter, 8 mm thick disc"
                cur = base_obj
                break
            if noun in ("base", "square", "round", "circle", "angle", "prism", "rectangle", "post", "spacer") \
                    and not _is_family_use(clause, k, noun, objs):
                continue
            if (noun in FAMILY_NOUNS and base_obj is not None and base_obj.family == "flange"
                    and noun in ("disc", "disk", "plate", "round")
                    and (FAMILY_NOUNS[noun] == "cylinder" or any(t.text in ("dia", "diameter")
                                                                 for t in clause[k + 1:k + 3]))):
                # "Flange: Ø90 disc 10 thick, …", "a round flange … The main disc is 90 across … through the disc":
                # the flange's own body
                if not base_obj.qtys:
                    cur = base_obj
                break
            if (noun in FAMILY_NOUNS and cur is not None and cur.kind == "base" and not cur.qtys and not cur.coords
                    and any(t.text in ("it", "its", "which") for t in clause[:k])):
                # "an adapter flange … It's a disc, 80 mm …": the part named again, now with its shape
                if not (cur.family == "flange" and FAMILY_NOUNS[noun] in ("cylinder", "tube")):
                    cur.family, cur.noun = FAMILY_NOUNS[noun], noun
                break
            if noun in FEATURE_NOUNS and objs:
                new = Obj(FEATURE_NOUNS[noun], noun)
            elif noun in FEATURE_NOUNS and noun in ("boss", "hub", "stud", "spigot"):
                continue
            elif noun in FEATURE_NOUNS:
                # a hole before any part ("a hole through a 40 mm cube"): a feature of the part to come
                new = Obj(FEATURE_NOUNS[noun], noun)
            elif not any(o.kind in ("base", "body") for o in objs) or pending_below:
                new = Obj("base" if not any(o.kind in ("base", "body") for o in objs) else "body", noun,
                          FAMILY_NOUNS[noun])
            elif cur is not None and cur.kind in ("base", "body") and (FAMILY_NOUNS[noun] == cur.family
                                                                        and not (cur.qtys and clause_nums)
                                                                        or cur.noun in ("hex", "hexagonal",
                                                                                        "triangular", "lbracket")
                                                                        or noun in ("prism", "bar", "plate")):
                cur.noun = cur.noun if cur.family not in ("box",) or FAMILY_NOUNS[noun] == "box" else noun
                if cur.family == "box" and FAMILY_NOUNS[noun] != "box":
                    cur.family = FAMILY_NOUNS[noun]
                continue
            elif cur is not None and cur.kind in ("base", "body") and not cur.qtys and FAMILY_NOUNS[noun] != "box" \
                    and cur.family == "box":
                cur.family, cur.noun = FAMILY_NOUNS[noun], noun  # "a block, cylindrical…" rare: refine
                continue
            else:
                new = Obj("body", noun, FAMILY_NOUNS[noun])
            break
        if new is None and not nouns and any(t.tag == "count" for t in clause) and objs \
                and not (cur is not None and cur.kind == "hole" and not cur.qtys and cur.count is None) \
                and not any(t.text in ("sections", "steps", "step", "tiers", "stages") for t in clause) \
                and any(t.kind in ("n", "c") and t.tag not in ("count", "shapecount") for t in clause):
            # (a count alone, "angle bracket, 1 off:", is no hole)
            new = Obj("hole", "holes")  # "6x Ø9 on PCD 75": holes
        if new is None and not nouns and cur is not None and cur.kind in ("boss", "body") and not cur.qtys \
                and not cur.coords and base_obj is not None and base_obj.family and not base_obj.qtys:
            k0 = position.get(id(clause[0]), 0)
            if k0 > 0 and toks[k0 - 1].text == ".":
                cur = base_obj  # "Flange w/ hub. OD 6\", thk 0.75\". Hub 3\" OD …": the sizes after the title are the flange's
        if new is not None:
            if pending_below and new.kind in ("base", "body"):
                new.below = True
                pending_below = False
            objs.append(new)
            cur = new
        if cur is None:
            cur = Obj("base")
            objs.append(cur)
        cur.words |= {t.text for t in clause if t.kind == "w"}
        cur.said += [t.text for t in clause if t.kind == "w"]
        for k, t in enumerate(clause):
            if t.kind == "n" and t.tag == "shapecount":
                continue  # "the two legs": how many, of the shape's own sides
            if t.kind == "n":
                if t.tag == "count":
                    cur.count = int(t.value)
                    t.used = True
                    continue
                role, qual = _role_of(clause, k)
                ctx = tuple(x.text for x in clause[max(0, k - 4):k + 4] if x.kind == "w")
                q = Qty(t.value * (t.unit or 0.0), role, t, qual, t.group, t.pos, ctx)
                owner = cur
                if cur.kind in FEATURE_ROLES and (role not in FEATURE_ROLES[cur.kind] or qual == "outer") \
                        and not role.startswith("size:"):
                    # "a washer 24 mm across with a 13 mm hole, 2.5 mm thick": the thickness is the part's
                    owner = next((o for o in objs if o.kind == "base"), cur)
                elif cur.kind == "hole" and role in ("id", "bore") and any(
                        x.role in ("dia", "holedia", "radius") for x in cur.qtys):
                    # "12 holes Ø6.5 on PCD 140, OD 170, ID 100": the sized holes are done; the ID is the part's
                    owner = next((o for o in objs if o.kind == "base"), cur)
                owner.qtys.append(q)
            elif t.kind == "c":
                cur.coords.append((t.value * (t.unit or 0.0), t.y * (t.unit or 0.0)))
                t.used = True
    return objs, unknown


_DEFINITE = {"the", "that", "this", "its", "their", "each", "all", "same", "said"}
_REF_ADJ = {"first", "last", "middle", "centre", "center", "end", "outer", "inner", "other", "two", "both", "whole",
            "round", "rounded", "ended", "square", "rectangular"}


def _referred(clause, k, noun, objs):
    """A feature named again ("the slot", "the holes", "first hole", "slot width 10" at the head of a clause, "the
    group of holes") is the one already read, not a second one: the latest object of that kind, else None. An
    indefinite or counted noun ("a 5 mm hole", "four holes") is always a new one."""
    if noun not in FEATURE_NOUNS:
        return None
    kind = FEATURE_NOUNS[noun]
    prev = next((o for o in reversed(objs) if o.kind == kind and (o.qtys or o.coords or o.count)), None)
    if prev is None:
        return None
    if any(t.tag == "count" for t in clause):
        if (prev.count is None and prev.noun.endswith("s") and noun.endswith("s")
                and not any(t.kind in ("n", "c") and t.tag != "count" for t in clause)):
            return prev  # "holes 4.2 mm … one every 12.5 mm … so that makes fifteen holes": their count
        return None
    j = k - 1
    while j >= 0 and clause[j].kind == "w" and clause[j].text in _REF_ADJ:
        j -= 1
    before = clause[j].text if j >= 0 else ""
    if j >= 0 and clause[j].kind == "n":
        return None  # "a 5 mm hole"
    if before in _DEFINITE or before == "of" or (j < 0 and (k > 0 or not any(t.kind == "n" for t in clause))):
        return prev
    if j < 0 and k == 0 and len(clause) > 1 and clause[1].kind == "w" and clause[1].text in ROLE_AFTER:
        return prev  # "slot width 10", "hole depth 6"
    return None


def _is_family_use(clause, k, noun, objs) -> bool:
    """'base', 'square', 'round'… are families only when used as nouns ("a square 40 mm", "on a base")."""
    nxt = clause[k + 1].text if k + 1 < len(clause) else ""
    prev = clause[k - 1].text if k > 0 else ""
    if noun in ("square", "round", "circle"):
        return False
    if noun == "base":
        return nxt not in FAMILY_NOUNS and prev in ("a", "the", "an") and not objs
    if noun in ("prism", "angle", "rectangle", "post", "spacer"):
        return nxt not in FAMILY_NOUNS
    return True


# ----------------------------------------------------------------------------- specification
class _Q:
    """An object's quantities, taken by role once each."""

    def __init__(self, obj: Obj):
        self.obj = obj
        self.qs = obj.qtys

    def take(self, *roles, qual=None) -> float | None:
        for q in self.qs:
            if not q.tok.used and q.role in roles and (qual is None or q.qual == qual):
                q.tok.used = True
                return q.mm
        return None

    def dims(self) -> list:
        """The first unused 'a x b [x c]' list."""
        groups: dict = {}
        for q in self.qs:
            if q.group >= 0 and not q.tok.used:
                groups.setdefault(q.group, []).append(q)
        if not groups:
            return []
        g = groups[min(groups)]
        for q in g:
            q.tok.used = True
        return [q.mm for q in sorted(g, key=lambda q: q.pos)]

    def bare(self) -> float | None:
        return self.take("", "dims", "size:" + self.obj.noun) if self.obj.noun else self.take("", "dims")

    def size(self) -> float | None:
        """'a 40 mm cube', 'a 30 mm disc', 'a 4 mm hole': the number before the noun."""
        for q in self.qs:
            if not q.tok.used and q.role.startswith("size:"):
                q.tok.used = True
                return q.mm
        return None

    def dia(self, qual=None) -> float | None:
        d = self.take("dia", "od" if qual != "inner" else "id", "holedia", qual=qual)
        if d is None:
            r = self.take("radius", qual=qual)
            d = None if r is None else 2 * r
        return d

    def has(self, *words) -> bool:
        return any(w in self.obj.words for w in words)


def _need(value, what: str, family: str, example: str):
    if value is None or value <= 0:
        if value is not None:
            raise InputError(f"the {what} of the {family} is {value:g} mm", "give a positive size")
        raise MissingDimension(f"the description gives no {what} for the {family}", f"add e.g. '{example}'")
    return value


_FLAT_NOUNS = {"plate", "sheet", "shim", "slab", "tile", "panel", "board", "baseplate", "strip"}


def _box(obj: Obj) -> dict:
    q = _Q(obj)
    noun = obj.noun or "block"
    long_part = noun in ("bar", "beam", "strip", "post", "rod", "plank") or q.has("crosssection", "section")
    d = q.dims()
    L = W = H = None
    sq = q.take("square")
    side = q.take("side") if obj.family == "cube" or noun == "cube" else None
    size = q.size()
    if noun == "cube" and len(d) < 2:
        s = side or size or (d[0] if d else None) or q.take("length", "width", "height", "")
        s = _need(s, "side length", "cube", "a 40 mm cube")
        return {"family": "cube", "L": s, "W": s, "H": s}
    if len(d) == 3:
        L, W, H = d
        if noun in _FLAT_NOUNS and d[0] < min(d[1], d[2]):  # "PL 6 x 120 x 80": thickness written first
            L, W, H = d[1], d[2], d[0]
    elif len(d) == 2:
        if long_part and not sq and q.has("square") and d[-1] > d[0] \
                and not any(x.role == "length" and x.group < 0 for x in q.qs):
            W = H = min(d)  # "BAR, SQ, .750 X 6.00 LG": the square's side x the length
            L = max(d)
        elif long_part and not sq:
            W, H = d
        else:
            L, W = d
    elif len(d) == 1:
        size = size or d[0]
    if sq is not None:
        if long_part:
            W = W or sq
            H = H or sq
        else:
            L = L or sq
            W = W or sq
    if side is not None:
        L, W, H = L or side, W or side, H or side
    L = L or q.take("length")
    if long_part and W is None and H is None and L is not None and q.has("square"):
        s = q.take("", "side")  # "square bar 15 mm, L = 80 mm": the section's side
        W = H = s
    W = W or q.take("width")
    H = H or q.take("thick", "height") or q.take("material")
    if H is None and L is not None and W is not None and noun in _FLAT_NOUNS and size is not None \
            and size < min(L, W):
        H, size = size, None  # "1/2 inch plate, 4 x 3 in": the plate's thickness
    if L is None and W is not None and H is not None and not long_part:
        L = q.take("height")  # "8 mm thick plate, 160 wide x 90 tall": a plate standing on its edge
    dep = q.take("depth")
    if dep is not None:
        if H is None:
            H = dep
        elif W is None:
            W = dep
        elif L is None:
            L, W = max(W, dep), min(W, dep)  # "150 wide and 100 deep, 40 high"
    if size is not None:  # "a 100 mm bar", "a 60 mm plate"
        if long_part and L is None:
            L = size
        elif L is None:
            L = size
    if L is None and W is not None and long_part is False and noun in ("square",):
        L = W
    if L is None and W is None and q.has("square") and not long_part:
        s = q.take("", "length", "side")  # "a square plate 50 mm, 5 mm thick": 50 x 50
        L = W = s
    fam = noun if noun in ("plate", "block", "bar", "sheet", "slab", "box", "beam", "strip") else "block"
    _need(L, "length", fam, f"{fam} 60 mm long")
    _need(W, "width", fam, f"40 mm wide" if not long_part else "with a 10 mm square cross-section")
    _need(H, "thickness" if fam in ("plate", "sheet", "slab", "strip") else "height", fam,
          "5 mm thick" if fam in ("plate", "sheet", "slab", "strip") else "20 mm high")
    return {"family": fam, "L": L, "W": W, "H": H}


_AXIAL_WIDTH = ("ring", "washer", "collar", "band", "bushing", "bush", "sleeve", "spacer", "pulley", "wheel")


def _round(obj: Obj) -> dict:
    q = _Q(obj)
    noun = obj.noun or "cylinder"
    pd, ph = _first_pair(q) if any(x.group >= 0 and x.pos == 0 and x.role in ("dia", "radius") for x in q.qs) \
        else (None, None)
    d = [] if pd is not None else q.dims()
    D = pd or q.dia() or q.size()
    H = ph or q.take("height", "length", "thick", "depth")
    if H is None and D is not None:  # "a 40 dia x 20 cylinder": the number after the 'x' is its height
        H = next((x.mm for x in q.qs if not x.tok.used and x.role.startswith("size:") and "x" in x.ctx
                  and not setattr(x.tok, "used", True)), None)
    if d:
        D = D or d[0]
        H = H or (d[1] if len(d) > 1 else None)
    if H is None and noun in _AXIAL_WIDTH:
        H = q.take("width")  # "a collar … width 12": its width is along its axis
    if D is None and noun not in _AXIAL_WIDTH and H is not None:
        D = q.take("width")  # "a disc 50 mm wide and 12 mm thick": a round part's width is its diameter
    D = D or q.take("") or q.take("material")
    H = H or q.take("")
    _need(D, "diameter", noun, f"{noun} 30 mm in diameter")
    flat = noun in ("disc", "disk", "coin", "puck", "flange")
    _need(H, "thickness" if flat else "height", noun, "5 mm thick" if flat else "10 mm tall")
    return {"family": "cylinder", "D": D, "H": H}


def _tube(obj: Obj) -> dict:
    q = _Q(obj)
    noun = obj.noun or "tube"
    d = q.dims()
    OD = q.dia("outer")
    ID = q.dia("inner") or q.take("bore", "id")
    wall = q.take("wall")
    un = q.dia() or q.size()
    if OD is None:
        OD, un = un, None
    if ID is None and un is not None:
        ID, un = un, None
    H = q.take("height", "length", "thick", "depth")
    if H is None and noun in _AXIAL_WIDTH:
        H = q.take("width")  # "a ring … 8 mm wide": its width is along its axis
    if d:
        OD = OD or d[0]
        if len(d) == 3:
            ID, H = ID or d[1], H or d[2]
        elif len(d) == 2:
            H = H or d[1]
    if ID is None and wall is not None and OD is not None:
        ID = OD - 2 * wall
    if OD is None and wall is not None and ID is not None:
        OD = ID + 2 * wall
    H = H or q.take("")
    _need(OD, "outer diameter", noun, f"an outer diameter of 40 mm")
    _need(ID, "inner diameter (or wall thickness)", noun, "an inner diameter of 30 mm' or 'a 2 mm wall")
    _need(H, "height" if noun in ("tube", "pipe", "sleeve", "bushing", "bush") else "thickness", noun,
          "50 mm long" if noun in ("tube", "pipe", "sleeve") else "3 mm thick")
    if ID >= OD:
        raise InputError(f"the {noun}'s inner diameter ({ID:g} mm) is not smaller than its outer one ({OD:g} mm)",
                         "check the sizes (radius vs diameter?)")
    return {"family": "tube", "D": OD, "d": ID, "H": H}


def _hex(obj: Obj) -> dict:
    q = _Q(obj)
    af = q.take("af")
    ac = q.take("ac") or q.take("dia")
    side = q.take("side")
    size = q.size()
    H = q.take("height", "length", "thick", "depth")
    if af is None and ac is None:
        if side is not None:
            ac = 2 * side
        else:
            af = size or q.take("width")
    if af is None and ac is not None:
        af = ac * math.sqrt(3) / 2
    H = H or q.take("")
    _need(af, "size across the flats", "hexagonal prism", "20 mm across the flats")
    _need(H, "length", "hexagonal prism", "30 mm long")
    return {"family": "hex prism", "AF": af, "H": H}


def _tri(obj: Obj) -> dict:
    q = _Q(obj)
    if q.has("rightangle"):  # a right triangle: its two legs (along X and Y), then the prism's length
        d = q.dims()
        legs = d[:2] if len(d) >= 2 else []
        hl = d[2] if len(d) > 2 else None
        roles = [x.role for x in q.qs if not x.tok.used]
        across = [r for r in roles if r in ("width", "thick", "depth")]
        if not legs and "height" in roles and len(across) <= 1 and ("length" in roles or "" in roles
                                                                   or "base" in roles):
            # a wedge: "60 along the floor, 40 tall at the back, 20 wide": the legs are its length and height,
            # and the prism is as long as it is wide (or thick)
            legs = [q.take("length", "base", ""), q.take("height")]
            hl = _need(q.take("width", "thick", "depth"), "width (thickness) of the wedge", "triangular prism",
                       "20 mm wide")
        while len(legs) < 2:
            v = q.take("leg", "base", "side", "width", "")
            if v is None:
                v = q.take("height") if legs else None
            if v is None:
                break
            legs.append(v)
        hl = hl or q.take("thick", "length", "depth", "height", "")
        _need(legs[0] if legs else None, "legs of the right triangle", "triangular prism", "legs 30 and 40 mm")
        _need(legs[1] if len(legs) > 1 else None, "second leg of the right triangle", "triangular prism",
              "legs 30 and 40 mm")
        _need(hl, "length", "triangular prism", "10 mm thick")
        a, b = legs
        return {"family": "triangular prism", "side": a, "H": hl, "pts": [(-a / 2, 0.0), (a / 2, 0.0), (-a / 2, b)]}
    side = q.take("side") or q.size()
    base = q.take("base")
    hl = q.take("length", "thick", "depth")
    th = q.take("height")
    if hl is None and base is None and th is not None:
        hl, th = th, None
    if side is None and base is None:
        side = q.take("width")
    hl = hl or q.take("")
    if base is not None:
        _need(th, "height of the triangle", "triangular prism", "a triangle 20 mm high")
        pts = [(-base / 2, 0.0), (base / 2, 0.0), (0.0, th)]
        w = base
    else:
        _need(side, "side length", "triangular prism", "an equilateral triangle with 30 mm sides")
        pts = [(-side / 2, 0.0), (side / 2, 0.0), (0.0, side * math.sqrt(3) / 2)]
        w = side
    _need(hl, "length", "triangular prism", "40 mm long")
    return {"family": "triangular prism", "side": w, "H": hl, "pts": pts}


LEG_WORDS = {"leg", "legs", "arm", "arms", "flange", "flanges", "side", "sides", "upright", "vertical", "horizontal",
             "base", "other", "one"}
THICK_WORDS = {"thick", "thickness", "thk", "thck", "material", "plate", "sheet", "gauge", "stock", "wall"}


def _lbracket(obj: Obj) -> dict:
    """Legs (base leg along X, upright along Z; outside sizes unless called inside), thickness, width (along Y).
    Legs: 'legs of 50 and 30', '50 x 40', 'a 60 mm base and a 40 mm upright', 'one flange 80, the other 50',
    'each leg 60', 'equal legs of 40'; steel-angle style '50 x 50 x 5' is leg x leg x thickness."""
    q = _Q(obj)
    free = [x for x in q.qs if not x.tok.used]
    t = W = A = B = None
    tq = [x for x in free if x.role in ("thick", "wall", "material")
          or x.role.startswith("size:") and x.role[5:] in THICK_WORDS
          or (x.role == "" and set(x.ctx[-3:]) & {"material", "gauge", "stock"})]
    if tq:
        t = tq[0].mm
        tq[0].tok.used = True
    wq = [x for x in free if x.role in ("width", "depth") and not x.tok.used
          and not (x.role == "depth" and set(x.ctx) & {"base", "upright", "leg", "arm", "horizontal", "vertical"})]
    if wq:
        W = wq[0].mm
        wq[0].tok.used = True
    groups: dict = {}
    for x in free:
        if x.group >= 0 and not x.tok.used:
            groups.setdefault(x.group, []).append(x)
    legs: list = []  # (value, "A"/"B"/"")
    for x in free:
        if x.tok.used or x.group >= 0:
            continue
        c = set(x.ctx)
        if x.role in ("base",) or "horizontal" in c or ("base" in c and x.role in ("", "leg", "size:base")):
            legs.append((x, "A"))
        elif x.role == "depth" and c & {"base", "horizontal"}:
            legs.append((x, "A"))  # "the base is 60 deep": how far the base leg reaches
        elif x.role in ("upright", "height") or c & {"vertical", "upright"}:
            legs.append((x, "B"))
        elif x.role in ("leg", "", "length") or (x.role == "side" and (c & LEG_WORDS or c & {"each", "both"})):
            legs.append((x, ""))  # "each side 40 mm outside": an L's sides are its legs
    if sum(1 for x, s in legs if s == "" and x.role == "leg") >= 2:  # "120 long, legs 45 & 70": the length last
        legs = sorted(legs, key=lambda xs: xs[0].role == "length")
    both = [x for x, s in legs if s == "" and x.role in ("leg", "", "side") and set(x.ctx) & {"each", "both", "equal"}]
    if len(both) == 1 and not any(s for _, s in legs) and not groups:  # "each leg 50 on the outside": both legs
        A = B = both[0].mm
        both[0].tok.used = True
        legs = [(x, s) for x, s in legs if x is not both[0]]
    lens = [x for x, _ in legs if x.role == "length"]
    g0 = sorted(groups[min(groups)], key=lambda x: x.pos) if groups else []
    up = [x for x in free if not x.tok.used and x.group < 0 and x.role in ("height", "upright")]
    if len(g0) == 3 and any("base" in x.ctx or x.role == "base" for x in g0) and up:
        # "a base 100 x 50 x 10 with an upright 10 thick rising 60 above the top of the base": the base plate's
        # length x width x thickness, and the upright's height (over the base's top when said so)
        A, Wb, tb = (x.mm for x in g0)
        B = up[0].mm + (tb if "abovebase" in up[0].ctx else 0.0)
        for x in g0 + [up[0]]:
            x.tok.used = True
        if (t is not None and abs(t - tb) > 1e-9) or (W is not None and abs(W - Wb) > 1e-9):
            raise InputError("an upright of another thickness or width than its base is not built",
                             "describe an L-bracket of one thickness and width")
        t, W, groups = tb, Wb, {}
        legs = [(x, s) for x, s in legs if not x.tok.used]
    if groups:
        g = sorted(groups[min(groups)], key=lambda x: x.pos)
        vals = [x.mm for x in g]
        for x in g:
            x.tok.used = True
        if len(vals) == 4:  # 50 x 30 x 20 x 3: the thickness is the smallest
            tv = min(vals[2:])
            rest = [v for v in vals[2:] if v != tv] or [tv]
            A, B, t, W = vals[0], vals[1], t or tv, W or rest[0]
        elif len(vals) == 3:
            A, B = vals[0], vals[1]
            other = W is not None or any(x.role in ("length", "") for x, _ in legs)
            if t is None and vals[2] < min(A, B) and (other or W is None and not legs):
                t = vals[2]
            elif t is not None and abs(vals[2] - t) < 1e-9:
                pass  # "2 x 2 x 1/4 angle … 1/4 wall": the thickness said twice
            else:
                W = W or vals[2]
        elif len(vals) == 2:
            A, B = vals
        if lens and W is None:  # "L-profile 30 x 20 x 3, length 200": the length is along the bracket
            W = lens[0].mm
            lens[0].tok.used = True
        legs = [(x, s) for x, s in legs if not x.tok.used]
    for x, side in legs:
        if x.tok.used:
            continue
        if side == "A" and A is None:
            A = x.mm
        elif side == "B" and B is None:
            B = x.mm
        elif side == "B" and A is None and x.role == "height" and not set(x.ctx) & {"vertical", "upright"} \
                and not any(s == "A" for _, s in legs):
            A = x.mm  # "one part is 6 in tall and the other sticks out 4 in": the second leg is the base
        elif side == "" and x.role == "length" and A is not None and B is not None and W is None:
            W = x.mm
        elif side == "":
            if A is None:
                A = x.mm
            elif B is None:
                B = x.mm
            else:
                continue
        else:
            continue
        x.tok.used = True
    if W is None:
        W = q.take("length", "")
    if B is None and A is not None and q.has("equal", "each", "both", "legs", "sides", "arms", "flanges"):
        B = A  # "equal legs of 40", "each leg 60 mm"
    _need(A, "length of the base leg", "L-bracket", "legs 50 mm and 30 mm")
    _need(B, "height of the upright leg", "L-bracket", "legs 50 mm and 30 mm")
    _need(t, "thickness", "L-bracket", "5 mm thick")
    _need(W, "width", "L-bracket", "20 mm wide")
    if q.has("inside", "inner", "internal", "interior"):  # inside sizes: the legs are longer by the thickness
        A, B = A + t, B + t
    if t >= min(A, B):
        raise InputError(f"the L-bracket's thickness ({t:g} mm) is not smaller than its legs", "check the sizes")
    return {"family": "L-bracket", "A": A, "B": B, "T": t, "W": W}


BASE_READERS = {"cube": _box, "box": _box, "cylinder": _round, "tube": _tube, "hex": _hex, "tri": _tri,
                "lbracket": _lbracket, "flange": _round}


def _stepped(obj: Obj) -> list | None:
    """A cylinder with several (diameter, length) pairs → sections from the bottom, or None."""
    groups: dict = {}
    for q in obj.qtys:
        if q.group >= 0:
            groups.setdefault(q.group, []).append(q)
    pairs = [sorted(g, key=lambda q: q.pos) for g in groups.values()]
    loose = [q for q in obj.qtys if q.group < 0 and q.role in ("dia", "radius", "length", "height", "thick", "")]
    loose_d = [q for q in loose if q.role in ("dia", "radius")]
    loose_l = [q for q in loose if q.role in ("length", "height", "thick")]
    if (pairs and all(len(g) == 2 for g in pairs) and loose_d and len(loose_d) > len(loose_l)
            and obj.words & {"stepped", "step", "steps", "then", "sections"}):
        raise MissingDimension(f"the description gives no length (height) for the Ø{loose_d[-1].mm:g} mm section "
                               "of the stepped shaft", f"add e.g. 'Ø{loose_d[-1].mm:g} x 20'")
    if len(pairs) >= 2 and all(len(g) == 2 for g in pairs) and not loose:
        secs = []
        for a, b in pairs:  # "Ø20 x 30": diameter x length
            a.tok.used = b.tok.used = True
            secs.append({"D": a.mm * (2 if a.role == "radius" else 1), "H": b.mm})
        return secs
    dias = [q for q in obj.qtys if q.role in ("dia", "radius", "od") or q.role.startswith("size:")]
    lens = [q for q in obj.qtys if q.role in ("length", "height", "thick", "long")]
    if len(dias) < 2 or len(dias) != len(lens):
        return None
    secs = []
    for a, b in zip(dias, lens):
        a.tok.used = b.tok.used = True
        secs.append({"D": a.mm * (2 if a.role == "radius" else 1), "H": b.mm})
    return secs


def _hole(obj: Obj, base: dict) -> dict:
    q = _Q(obj)
    D = q.dia() or q.size() or q.take("bore")
    pcd = q.take("pcd")
    pcr = q.take("pcr")
    if pcd is None and pcr is not None:
        pcd = 2 * pcr
    frm = q.take("from")
    pitch = q.take("pitch")
    depth = q.take("depth")
    if D is None:
        D = q.take("")
    plural = obj.noun.endswith("s")
    n = obj.count if obj.count is not None else (None if plural else 1)
    if obj.count is None and obj.coords:
        n = len(obj.coords)  # "holes Ø5 at (10,10), (50,10), …": one per position
    sq = q.take("holesquare")
    grid = None
    if sq is not None:
        grid = (sq, sq)  # "four holes on a 70 mm square"
    elif pitch is not None and n == 4:
        p2 = q.take("pitch")
        if p2 is not None:
            grid = (pitch, p2)  # "four holes on 60 x 30 mm centres"
    rc = _grid(obj.words)
    if rc is not None:  # "2 rows of 3", "a 3 x 3 grid": rows along Y, columns along X
        if n is None or not obj.count:
            n = rc[0] * rc[1]
        elif n != rc[0] * rc[1]:
            raise InputError(f"{n} holes but a grid of {rc[0]} x {rc[1]}", "make the count match the grid")
    if obj.count is None and plural and base.get("nholes"):
        n = base["nholes"]  # "a 6-hole flange … 10 mm holes on a 90 BCD"
    ends = q.has("end", "ends") and q.has("each", "both", "either") and not q.has("corner", "corners")
    if ends and (n is None or (n == 1 and not obj.count)):
        n = 2  # "a hole at each end"
    if (pitch is not None and grid is None and n == 4 and rc is None and q.has("centres", "centers")
            and not q.has("row", "line", "along", "centreline", "centerline")):
        grid = (pitch, pitch)  # "four holes on 75 mm centres": a square
    corners = q.has("corner", "corners")
    if corners and (n is None or (n == 1 and not obj.count and q.has("each", "every", "all"))):
        n = 4
    what = "bore" if obj.kind == "bore" else "hole" + ("s" if (n or 2) > 1 else "")
    _need(D, "diameter", what, "a 6 mm hole" if not plural else "4 mm holes")
    if n is None:
        raise MissingDimension("the description does not say how many holes", "add e.g. 'four 5 mm holes'")
    pos: list
    along = [x for x in q.qs if x.group < 0 and (x.role == "from" or x.role == "" and not x.tok.used)]
    if (not obj.coords and n is not None and n > 1 and len(along) == n and "L" in base and pcd is None
            and pitch is None and q.has("end", "ends", "left", "right") and not q.has("corner", "corners")):
        # "3 holes on the centreline at 20, 100 and 180 from one end": each measured along the length
        for x in along:
            x.tok.used = True
        right = q.has("right")
        obj.coords = [((base["L"] / 2 - x.mm) if right else (-base["L"] / 2 + x.mm), 0.0) for x in along]
        pos = list(obj.coords)
        return {"kind": "hole", "D": D, "n": n, "pos": pos, "depth": depth, "pcd": pcd}
    if obj.coords:
        if len(obj.coords) != n and obj.count is not None:
            raise InputError(f"{n} holes but {len(obj.coords)} positions", "give one (x, y) per hole")
        pos = list(obj.coords)
        if base.get("L") and all(x >= 0 and y >= 0 for x, y in pos):
            pos = [(x - base["L"] / 2, y - base["W"] / 2) for x, y in pos]
        n = len(pos)
    elif rc is not None:
        _need(pitch, "spacing (pitch) of the hole grid", "holes", "on 20 mm centres")
        p2 = q.take("pitch") or pitch
        pos = [(-(rc[1] - 1) * pitch / 2 + c * pitch, -(rc[0] - 1) * p2 / 2 + r * p2)
               for r in range(rc[0]) for c in range(rc[1])]
    elif ends and n == 2 and pcd is None:
        if "L" not in base:
            raise InputError("holes at each end need a long part", "describe a plate or bar")
        m = _need(frm, "distance of the end holes from the ends", "holes", "10 mm from the ends")
        pos = [(-(base["L"] / 2 - m), 0.0), (base["L"] / 2 - m, 0.0)]
    elif grid is not None:
        if n != 4:
            raise InputError(f"{n} holes cannot go on the corners of a rectangle", "a rectangle has four corners")
        pos = [(sx * grid[0] / 2, sy * grid[1] / 2) for sx in (-1, 1) for sy in (-1, 1)]
    elif pcd is not None:
        pos = [(pcd / 2 * math.cos(2 * math.pi * k / n), pcd / 2 * math.sin(2 * math.pi * k / n)) for k in range(n)]
    elif corners or (frm is not None and n == 4 and not (pitch is not None and q.has(
            "row", "line", "along", "centreline", "centerline"))):
        if "L" not in base:
            raise InputError("corner holes need a rectangular part", "describe a plate or block")
        m = _need(frm, "distance of the corner holes from the edges", "holes", "8 mm from each edge")
        pos = [(sx * (base["L"] / 2 - m), sy * (base["W"] / 2 - m)) for sx in (-1, 1) for sy in (-1, 1)]
        if n != 4:
            raise InputError(f"{n} holes cannot go one in each corner", "a rectangle has four corners")
    elif n > 1 and (pitch is not None or q.has("row", "line", "along")):
        if pitch is None:
            if "L" in base and q.has("evenly", "equally"):
                pitch = base["L"] / n
            else:
                raise MissingDimension("the description does not give the spacing of the holes",
                                       "add e.g. '15 mm apart'")
        x0 = -(n - 1) * pitch / 2
        if frm is not None and "L" in base and q.has("end", "ends", "left", "right", "edge"):
            # "first hole 15 from the left end": the row starts there (from the right end: it ends there)
            x0 = base["L"] / 2 - frm - (n - 1) * pitch if q.has("right") else -base["L"] / 2 + frm
        pos = [(x0 + k * pitch, 0.0) for k in range(n)]
    elif n == 1 and frm is not None and "L" in base:  # "25 mm from the left edge (on the centreline)"
        side = next((w for w in ("left", "right", "front", "back") if q.has(w)), None)
        mid = next((x for x in q.qs if not x.tok.used and x.role == "side"
                    and any(abs(x.mm - base[k]) < 1e-6 for k in ("L", "W"))), None) \
            if q.has("midway", "halfway", "between", "centred", "centered") else None
        if side is None and mid is not None:  # "50 from one of the edges, midway between the two 160 mm edges"
            mid.tok.used = True
            side = "left" if abs(mid.mm - base["L"]) < 1e-6 else "front"
        if side is None:
            raise MissingDimension("the description does not say which edge the hole is measured from",
                                   "add e.g. '25 mm from the left edge, on the centreline'")
        x = {"left": -base["L"] / 2 + frm, "right": base["L"] / 2 - frm}.get(side, 0.0)
        y = {"front": -base["W"] / 2 + frm, "back": base["W"] / 2 - frm}.get(side, 0.0)
        pos = [(x, y)]
    elif n == 1:
        pos = [(0.0, 0.0)]
    else:
        raise MissingDimension(f"the description does not say where the {n} holes go",
                               "add e.g. 'on a 40 mm bolt circle', 'one in each corner, 8 mm from the edges' "
                               "or '15 mm apart in a row'")
    return {"kind": "hole", "D": D, "n": n, "pos": pos, "depth": depth, "pcd": pcd}


def _end_hole(obj: Obj, h: dict, base: dict, fam: str, secs) -> bool:
    """Whether a single centred through hole in a block runs along its length, in through an end face ("drilled
    through the end along the whole length", "a lengthwise hole centred on the end face")."""
    w = obj.words
    if fam not in ("box", "cube") or secs or "L" not in base or h["n"] != 1 or h["depth"] is not None \
            or h["pos"] != [(0.0, 0.0)] or obj.count not in (None, 1) or obj.noun.endswith("s"):
        return False
    if not (("along" in w and "length" in w) or "lengthwise" in w or ("end" in w and "face" in w)
            or ("ends" in w and "through" in w)):
        return False
    if h["D"] >= min(base["W"], base["H"]):
        raise InputError(f"a {h['D']:g} mm hole along the length does not fit the {base['W']:g} x {base['H']:g} "
                         f"end face", "check the sizes")
    return True


def _pocket(obj: Obj, base: dict) -> dict:
    q = _Q(obj)
    d = q.dims()
    D = q.dia()
    L = W = None
    if len(d) >= 2:
        L, W = d[0], d[1]
        if len(d) == 3:
            q.qs and None
            depth = d[2]
        else:
            depth = None
    else:
        depth = None
    sq = q.take("square", "side")
    if sq is None and L is None and q.has("square") and not q.has("through", "thru") or (sq is None and L is None
                                                                                         and q.has("square")):
        sq = q.take("", "size:pocket", "size:" + obj.noun)  # "a square pocket 40 mm, 10 mm deep"
    floor = q.take("floor")
    corner_r = q.take("cornerr")
    L = L or sq or q.take("length")
    W = W or sq or q.take("width")
    depth = depth or q.take("depth")
    if depth is None and floor is not None and base.get("H"):
        depth = base["H"] - floor  # "leaving a 5 mm floor"
    through = q.has("through", "thru")
    slot = obj.kind == "slot"
    if slot and L is None and q.has("across", "along", "full", "entire", "whole") and "L" in base:
        across_w = q.has("width", "widthwise") and not q.has("along", "length", "lengthwise")
        L = base["W"] if across_w else base["L"]
        full = "y" if across_w else "x"
    else:
        full = ""
    if slot and W is None:
        W = q.take("") if L is not None else None
        if L is None:
            L = q.take("")
            W = q.take("")
    name = "slot" if slot else "pocket"
    if D is None:
        _need(L, "length", name, f"a 20 x 10 mm {name}")
        _need(W, "width", name, f"a 20 x 10 mm {name}")
    if depth is None and not through:
        if slot:
            through = True
        else:
            raise MissingDimension(f"the description gives no depth for the {name}", "add e.g. '5 mm deep'")
    # a slot has round ends (its length overall), as machined and as this project's templates draw it, unless it
    # is called rectangular/square or runs right across the part
    rounded = slot and D is None and not q.has("rectangular", "square", "straight")
    if corner_r is not None and (D is not None or corner_r * 2 > min(L, W) + 1e-9):
        raise InputError(f"a {corner_r:g} mm corner radius does not fit a {L:g} x {W:g} mm {name}",
                         "give a radius under half the width")
    return {"kind": name, "L": L, "W": W, "D": D, "depth": depth, "through": through, "full": full,
            "rounded": rounded, "corner_r": corner_r}


def _rebate(obj: Obj, base: dict) -> dict:
    """A rebate (a step cut along a top edge of a block, its full length): its width (across the edge) and depth.
    It runs along the length unless said to run along/across the width ("along the full 40 width")."""
    if "L" not in base:
        raise InputError("a rebate needs a rectangular part", "describe a block or plate")
    q = _Q(obj)
    sizes = [base.get(k) for k in ("L", "W")]  # the block's length or width said again ("along one 100 mm edge")
    free = [x for x in q.qs if not x.tok.used and not any(abs(x.mm - v) < 1e-6 for v in sizes if v)]
    free = [x for x in free if not (x.role in ("height", "thick") and abs(x.mm - base["H"]) < 1e-6)]
    def pick(*roles):
        x = next((x for x in free if x.role in roles and not x.tok.used), None)
        if x is not None:
            x.tok.used = True
        return None if x is None else x.mm
    depth = pick("depth", "height", "thick")
    w = pick("width") or pick("length", "")
    depth = depth or pick("")
    _need(w, "width", "rebate", "a rebate 15 mm wide")
    _need(depth, "depth", "rebate", "8 mm deep")
    run = "x" if q.has("length", "lengthwise") or not q.has("width", "widthwise") else "y"
    if w >= (base["W"] if run == "x" else base["L"]) or depth >= base["H"]:
        raise InputError(f"a {w:g} x {depth:g} mm rebate does not fit the {base['family']}", "check the sizes")
    return {"kind": "rebate", "w": w, "depth": depth, "run": run}


def _lbracket_holes(obj: Obj, base: dict) -> list:
    """Holes in an L-bracket's legs ("two 6 mm holes through the long leg, at 15 and 40 from the outside face of the
    short leg", "one hole in each leg, 22 from the outside corner", "a hole in the vertical leg, its centre 30 up from
    the underside"): centred across the width, each measured along its leg from the outside of the corner (or from
    the leg's end when said so). Returns [{"leg": "A" (base, along X) / "B" (upright, along Z), "at", "D"}]."""
    A, B, t, W = base["A"], base["B"], base["T"], base["W"]
    q = _Q(obj)
    D = q.dia() or q.size()
    if D is None:
        D = q.take("")
    _need(D, "diameter", "holes" if obj.noun.endswith("s") else "hole", "a 6 mm hole")
    said = obj.said
    legs = None
    if q.has("each", "both") and (q.has("leg", "legs", "arm", "arms", "flange", "flanges", "side", "sides")):
        legs = ["A", "B"]
    else:
        for k, w in enumerate(said):
            if w in ("base", "horizontal", "bottom", "lower"):
                legs = ["A"]
            elif w in ("upright", "vertical", "upper"):
                legs = ["B"]
            elif w in ("long", "longer", "longest") and said[k + 1:k + 2] and said[k + 1] in LEG_WORDS:
                legs = ["A" if A >= B else "B"]
            elif w in ("short", "shorter", "shortest") and said[k + 1:k + 2] and said[k + 1] in LEG_WORDS:
                legs = ["B" if A >= B else "A"]
            if legs:
                break
    if legs is None:
        raise MissingDimension("the description does not say which leg of the L-bracket the holes go in",
                               "add e.g. 'in the base leg' or 'one in each leg'")
    per_leg = obj.count if obj.count is not None and len(legs) == 1 else (obj.count or 1)
    if obj.count is None and obj.noun.endswith("s") and len(legs) == 1:
        per_leg = None
    for x in q.qs:  # "centred on its 30 mm depth": the bracket's width said again
        if abs(x.mm - W) < 1e-6 and x.role in ("depth", "width"):
            x.tok.used = True
    dists = [x for x in q.qs if not x.tok.used and x.role in ("from", "", "pitch") and x.group < 0]
    if per_leg is None:
        per_leg = len(dists) or None
    if not dists or (len(dists) != per_leg and len(dists) != 1):
        raise MissingDimension("the description does not say where along the leg the holes go",
                               "add e.g. '20 mm from the outside corner'")
    if len(dists) == 1 and per_leg != 1:
        raise MissingDimension("the description does not say where along the leg each hole goes",
                               "add e.g. 'at 15 and 40 mm from the outside corner'")
    for x in dists:
        x.tok.used = True
    from_end = q.has("end", "tip", "free") and not q.has("corner", "face", "underside", "outside", "bend", "heel")
    out = []
    for leg in legs:
        n = A if leg == "A" else B
        for x in dists:
            at = (n - x.mm) if from_end else x.mm  # along the leg from the outside of the corner
            if at - D / 2 < t - 1e-9 or at + D / 2 > n + 1e-9 or D >= W:
                raise InputError(f"a Ø{D:g} mm hole {x.mm:g} mm along the {n:g} mm leg does not fit beside the "
                                 f"{t:g} mm thick corner", "move it further along the leg or make it smaller")
            out.append({"leg": leg, "at": -A / 2 + at if leg == "A" else at, "D": D})
    return out


_COLLAR_NOUNS = {"collar", "collars", "ring", "band"}


def _collar(obj: Obj, base: dict, take: bool = False) -> dict | None:
    """A collar placed along a shaft ("a Ø28 collar 8 wide whose near face is 30 from one end", "a collar … in the
    middle of the length"): {"kind": "collar", D, H (its thickness along the shaft), z (its lower face)}; None when
    the description gives it no place along the shaft (it then sits on the end, as a boss)."""
    frm = next((x for x in obj.qtys if x.role == "from" and not x.tok.used), None)
    words = obj.words
    middle = bool(words & {"middle", "midway", "halfway"}) or (bool(words & {"centre", "center"})
                                                              and bool(words & {"length", "shaft", "along"}))
    if frm is None and not middle:
        return None
    if not take:
        return {}
    q = _Q(obj)
    if frm is not None:
        frm.tok.used = True
    D = q.dia() or q.size()
    t = q.take("height", "length", "thick", "width", "depth")
    D = D or q.take("")
    t = t or q.take("")
    _need(D, "diameter", "collar", "a 30 mm diameter collar")
    _need(t, "thickness", "collar", "8 mm thick")
    z = frm.mm if frm is not None else (base["H"] - t) / 2
    if D <= base["D"] or z + t > base["H"] + 1e-9:
        raise InputError(f"a Ø{D:g} x {t:g} mm collar {z:g} mm along does not fit the Ø{base['D']:g} x "
                         f"{base['H']:g} mm shaft", "check the sizes")
    return {"kind": "collar", "D": D, "H": t, "z": z}


def _first_pair(q: "_Q") -> tuple[float | None, float | None]:
    """The first unused 'Ø35 x 15' group of a round body: (diameter, length), by the members' roles where
    they have them (a radius doubled), else in the order written; (None, None) when there is none."""
    groups: dict = {}
    for x in q.qs:
        if x.group >= 0 and not x.tok.used:
            groups.setdefault(x.group, []).append(x)
    g = sorted(groups[min(groups)], key=lambda x: x.pos) if groups else []
    if len(g) != 2:
        return None, None
    for x in g:
        x.tok.used = True
    dia = next((x for x in g if x.role in ("dia", "radius")), None)
    if dia is None:
        return g[0].mm, g[1].mm
    other = g[1] if dia is g[0] else g[0]
    return dia.mm * (2 if dia.role == "radius" else 1), other.mm


def _bosses(obj: Obj) -> list:
    """One body, or several when the clause lists more 'Ø x length' pairs ("a Ø35 x 15 collar, then Ø25 x 30"):
    each pair a body stacked on the one before, so that no section is dropped."""
    out = [_boss(obj)]
    while obj.family not in ("box", "cube") and out[0].get("family") != "box":
        q = _Q(obj)
        D, H = _first_pair(q)
        if D is None:
            break
        out.append({"kind": "body", "family": "cylinder", "D": D, "H": H, "d": None})
    return out


def _boss(obj: Obj) -> dict:
    q = _Q(obj)
    roles = {x.role for x in obj.qtys}
    if obj.family == "box" and roles & {"dia", "radius"} and not roles & {"width", "square", "side"} \
            and not any(x.group >= 0 for x in obj.qtys):
        obj.family = "cylinder"  # "a 20 mm diameter post 80 tall": a round one
    if obj.family in ("box", "cube"):
        return {"kind": "body", **_box(obj)}
    pd, ph = _first_pair(q)  # "a Ø35 x 15 long collar": the pair written with the body is its size
    d = [] if pd is not None else q.dims()
    D = pd or q.dia() or q.size() or (d[0] if d else None)
    H = ph or q.take("height", "length", "thick") or (d[1] if len(d) > 1 else None)
    D = D or q.take("")
    H = H or q.take("") or q.size()
    D = D or q.take("width")  # "a smaller 16mm wide cylinder, 18mm high": a round body's width is its diameter
    inner = q.take("bore", "id") or (q.dia("inner"))
    _need(D, "diameter", obj.noun or "boss", "a 20 mm diameter boss")
    _need(H, "height", obj.noun or "boss", "10 mm tall")
    return {"kind": "body", "family": "tube" if inner else "cylinder", "D": D, "H": H, "d": inner}


# ----------------------------------------------------------------------------- the reader
_NUMBER_WORDS = set(ONES) | set(TENS) | {"hundred", "thousand", "half", "quarter", "quarters", "third", "thirds"}
KNOWN = (FILLER | set(FAMILY_NOUNS) | set(FEATURE_NOUNS) | set(UNITS) | set(ROLE_AFTER) | set(ROLE_BEFORE)
         | SKIP_BETWEEN | OUTER | INNER | COUNT_ADJ | _NUMBER_WORDS | set(COUNT_WORDS)
         | {"timesx", "_m", "_r", "crosssection", "section", "bracket", "shaped", "profile", "top", "flats",
            "flat", "points", "obround", "oblong", "stadium", "hexagonal", "triangular", "equilateral", "shape",
            "shaped", "sided", "tube", "upright", "vertical", "horizontal", "arm", "position", "positions",
            "x", "minus", "thru", "lbracket", "rightangle", "pcd", "od", "id", "af", "ac", "dia", "radius", "circles", "above",
            "stepped", "step", "steps", "sections", "section", "tiers", "tier", "stage", "stages", "bottom",
            "lower", "upper", "smaller", "larger", "bigger", "next", "last", "finally", "diameters", "lengths",
            "on", "onto", "atop", "upon", "sits", "rests", "hexagon", "cylinders", "discs", "disks", "rods",
            "rectangular", "open", "closed", "topped", "bolts", "counts", "left", "right", "front", "back",
            "origin", "relative", "measured", "coordinates", "coordinate", "cylindrical", "sectioned",
            "millimetres", "everything", "units", "dimensioned", "rim", "floor", "inch", "inches", "long",
            "body", "via", "leaving", "leaves", "left", "remaining", "hollowed", "hollowed-out", "ended",
            "shallow", "blind", "tall", "plate", "make", "may", "will", "me", "my", "we", "our", "us", "just",
            "only", "nothing", "else", "no", "not", "anything", "more", "very", "quite", "fairly", "nice",
            "new", "custom", "holes", "pair", "sized", "mm", "do", "does", "go", "come", "comes", "got", "get",
            "isosceles", "grid", "rows", "row", "columns", "cornerradius", "obround", "raised", "stock", "bolt",
            "bolts", "screw", "screws", "running", "runs", "run", "cap", "hole", "equally", "centreline",
            "centerline", "abovebase", "sharp", "old", "fully", "coming", "semicircular", "semi", "circular", "midway",
            "halfway"})
_PART_ROLES = {"mount", "bracket", "holder", "support", "adapter", "adaptor", "cover", "lid", "guard", "mounting"}
_ARTICLE = {"a", "an", "with", "and", "two", "three", "four", "some", "several"}


def _purpose(words: list, k: int) -> bool:
    """Whether words[k] names what the part is for ("a flange for a printer Z-rod", "a riser for a monitor arm"):
    within three words after 'for' (or 'under', 'behind') with no part or feature noun between."""
    for j in range(max(0, k - 3), k):
        if words[j] in ("for", "under", "behind", "holds", "holding") and not any(
                w in FAMILY_NOUNS or w in FEATURE_NOUNS for w in words[j + 1:k]):
            return True
    return False


def _unit_label(mm_per_unit: float) -> str:
    return UNIT_NAMES.get(mm_per_unit, f"{mm_per_unit:g} mm")


def read(text: str) -> Reading:
    """A plain-English description → Reading (family, sequence in mm, units read, understood flag). Raises
    MissingDimension when a size the part needs is not given, NotAPart when the text describes no part."""
    if not text or not text.strip():
        raise NotAPart("the description is empty", "describe the part, e.g. 'a 40 x 20 x 5 mm plate'")
    toks = _attach_units(tokenize(text))
    for i, t in enumerate(toks):  # "M6 clearance", "for an M6 bolt": ISO 273 medium clearance
        if t.tag != "metric" or t.value not in CLEARANCE:
            continue
        after = [x.text for x in toks[i + 1:i + 4]]
        before = [x.text for x in toks[max(0, i - 4):i]]
        if "clearance" in after or ("for" in before and set(after[:2]) & {"bolt", "bolts", "screw", "screws",
                                                                           "cap", "fastener", "fasteners"}):
            t.clearance, t.text, t.value = True, f"M{t.value:g} clearance", CLEARANCE[t.value]
    _counts(toks)
    units = [t.unit for t in toks if t.kind in ("n", "c") and t.unit is not None]
    if not units:  # "… x 25 long (mm).", "all dims in inches": the unit said once, on its own
        units = [UNITS[t.text] for t in toks if t.kind == "w" and t.text in UNITS and t.text not in ("in", "m")][:1]
    default = max(set(units), key=units.count) if units else 1.0
    for t in toks:
        if t.kind in ("n", "c") and t.unit is None and t.tag not in ("count", "shapecount"):
            t.unit = 1.0 if t.tag == "metric" else default
            t.assumed = True
    unit_names = sorted({_unit_label(u) for u in units}, key=["mm", "cm", "m", "in", "ft"].index) \
        if units else ["mm (assumed)"]
    objs, _ = _objects(toks)
    words = [t.text for t in toks if t.kind == "w"]
    has_family = any(o.family for o in objs)
    has_feature = any(o.kind not in ("base",) for o in objs)
    nums = [t for t in toks if t.kind in ("n", "c")]
    if not has_family and not has_feature:
        known = [w for w in words if w in KNOWN or w.rstrip("s") in KNOWN]
        if not nums or len(known) < len(words) / 2:
            raise NotAPart("this does not read as a description of a part",
                           "describe a part, e.g. 'a 60 x 40 x 5 mm plate with a 10 mm hole in the centre'")
    notes: list = []
    if not units and any(t.tag not in ("count", "shapecount") for t in nums):
        notes.append("no unit given: read as millimetres")
    # stacking order: a body 'on top of' another goes above it
    bodies = [o for o in objs if o.kind in ("base", "body")]
    feats = [o for o in objs if o.kind not in ("base", "body")]
    base_obj = bodies[0] if bodies else None
    for k, o in enumerate(bodies):
        if o.below and k > 0:  # "A on top of B": B is the base, A goes on it
            bodies[k - 1], bodies[k] = o, bodies[k - 1]
            base_obj = bodies[0]
    if base_obj is None or not base_obj.family:
        d3 = [q for q in (base_obj.qtys if base_obj else []) if q.group >= 0]
        if base_obj is not None and len(d3) == 3:
            base_obj.family, base_obj.noun = "box", "block"
            notes.append("no part named: read as a block")
        else:
            raise MissingDimension("the description does not say what kind of part to make",
                                   "name it, e.g. 'a 40 x 40 x 10 mm block with …' or 'a 30 mm disc, 5 mm thick …'")
    if len(bodies) > 2 and not base_obj.qtys and not base_obj.coords and all(o.qtys for o in bodies[1:]):
        bodies = bodies[1:]  # the first noun named the whole part
        base_obj = bodies[0]
    for o in bodies[1:]:
        feats.append(Obj("boss", o.noun, o.family, o.qtys, o.count, o.words))
    # a tube whose inner size is a separate 'bore'/'hole' clause: read it as a cylinder with a centred hole
    fam = base_obj.family
    centre_bore = [f for f in feats if f.kind in ("hole", "bore") and (f.count in (None, 1))
                   and not f.noun.endswith("s") and not any(q.role in ("pcd", "pcr") for q in f.qtys)]
    if fam == "tube" and centre_bore and not any(q.qual == "inner" or q.role in ("id", "wall", "bore")
                                                 for q in base_obj.qtys):
        fam = "cylinder"
    elif fam == "tube" and len(centre_bore) == 1 and any(q.role == "wall" for q in base_obj.qtys) \
            and not any(q.role in ("dia", "od", "id", "radius") for q in base_obj.qtys):
        # "a bushing with a 16 mm bore and a 4 mm wall": the bore is the tube's inside
        bq = [q for q in centre_bore[0].qtys if q.role in ("dia", "bore", "id", "holedia", "") or q.role.startswith("size:")]
        if len(bq) == 1:
            base_obj.qtys.append(Qty(bq[0].mm, "id", bq[0].tok, "inner"))
            feats.remove(centre_bore[0])
    roles = {q.role for q in base_obj.qtys}
    if fam == "box" and roles & {"dia", "od", "radius"} and not roles & {"width", "square"} \
            and not any(q.group >= 0 for q in base_obj.qtys):  # "a spacer with 10 mm OD": a round one
        fam = "tube" if roles & {"id", "bore", "wall"} else "cylinder"
    square_flange = fam == "flange" and (bool(base_obj.words & {"square", "rectangular"})
                                         or len([q for q in base_obj.qtys if q.group >= 0]) == 3)
    if square_flange:
        fam = "box"
    secs = _stepped(base_obj) if fam in ("cylinder",) and len(bodies) == 1 else None
    if secs:
        base = {"family": "stepped shaft", "D": secs[0]["D"], "H": secs[0]["H"]}
        extra_bodies = [{"kind": "body", "family": "cylinder", "D": s["D"], "H": s["H"]} for s in secs[1:]]
    else:
        base = BASE_READERS[fam](base_obj) if fam != "cube" else _box(Obj("base", "cube", "cube",
                                                                         base_obj.qtys, None, base_obj.words))
        extra_bodies = []
        if square_flange:
            base["family"] = "square flange"
        elif fam == "flange":
            base["family"] = "flange"
        if base_obj.family == "flange" and _nholes(base_obj.words):
            base["nholes"] = _nholes(base_obj.words)
        if fam in ("flange", "cylinder"):  # "flange, OD 200, ID 100": its inner diameter is a centre bore
            bq = _Q(base_obj)
            inner = bq.take("id", "bore") or bq.dia("inner")
            if inner is not None:
                feats.insert(0, Obj("bore", "bore", qtys=[Qty(inner, "dia", Tok("n", "", used=False))]))
    features: list = list(extra_bodies)
    lcuts: list = []
    xholes: list = []
    if fam == "lbracket" and feats and all(f.kind in ("hole", "bore") for f in feats):
        for f in feats:
            lcuts += _lbracket_holes(f, base)
        feats = []
    if fam == "box" and "L" in base and not secs:
        bq = _Q(base_obj)
        wall = bq.take("wall")
        if wall is not None:  # "a tray 150 x 100 x 30, leaving 5 mm walls all round and a 5 mm floor"
            floor = _need(bq.take("floor"), "floor thickness", base["family"], "a 5 mm floor")
            if 2 * wall >= min(base["L"], base["W"]) or floor >= base["H"]:
                raise InputError(f"{wall:g} mm walls and a {floor:g} mm floor leave no room inside the "
                                 f"{base['family']}", "check the sizes")
            features.append({"kind": "pocket", "L": base["L"] - 2 * wall, "W": base["W"] - 2 * wall, "D": None,
                             "depth": base["H"] - floor, "through": False, "full": "", "rounded": False,
                             "corner_r": None})
    for f in feats:
        if f.kind in ("hole", "bore") and not f.qtys and not f.coords and f.count in (None, 1) \
                and base.get("family") == "tube":
            continue  # "30 OD x 20 ID x 15 long, plain through bore": the bore is the tube's inside
        if f.kind == "boss" and not f.qtys and not f.coords and secs:
            continue  # "a round boss thing: the base is 60 dia, 20 high, on top a 40 dia, 30 high": the whole part
        if f.kind in ("hole", "bore"):
            h = _hole(f, base)
            if _end_hole(f, h, base, fam, secs):
                xholes.append(h)  # "drilled through the end along the whole length": along X, not down Z
                continue
            features.append(h)
        elif f.kind in ("pocket", "slot"):
            features.append(_pocket(f, base))
        elif f.kind == "rebate":
            features.append(_rebate(f, base))
        elif base.get("family") == "cylinder" and f.noun in _COLLAR_NOUNS and _collar(f, base) is not None:
            features.append(_collar(f, base, take=True))
        else:
            features.extend(_bosses(f))
    # a boss/body clause may carry the base's size ("… with a 10 mm boss, the disc 5 mm thick") — rare; not read
    # words and numbers not placed
    unknown: list = []
    counts = {o.count for o in objs if o.count}
    sizes = [v for k, v in base.items() if k in ("L", "W", "H", "D", "A", "B", "T", "AF")
             and isinstance(v, (int, float))]
    sizes += [v for f in features for k, v in f.items() if k in ("L", "W", "D", "depth")
              and isinstance(v, (int, float))]  # "a 100 mm long slot (obround, 100 overall)": said again
    for t in toks:
        if t.kind == "n" and not t.used and t.tag != "count" and any(
                abs(t.value * (t.unit or default) - v) <= 1e-6 * max(1.0, v) for v in sizes):
            continue  # "through the whole 25 mm thickness", "along the 120 mm edge": a size of the part, said again
        if t.kind == "n" and not t.used and t.assumed and t.value in counts:
            continue  # "five bolt holes … Five, not six": the count said again
        k = toks.index(t)
        if t.kind == "n" and not t.used and k + 1 < len(toks) and toks[k + 1].text == "radius" and any(
                abs(2 * t.value * (t.unit or default) - v) <= 1e-6 * max(1.0, v) for v in sizes):
            continue  # "a diameter of 6 cm (so a 3 cm radius)": the same size said as a radius
        if t.kind in ("n", "c") and not t.used:
            q_unit = _unit_label(t.unit or default)
            unknown.append(f"{t.text} {q_unit}" if t.tag != "count" else t.text)
    for k, w in enumerate(words):
        if fam == "lbracket" and w in LEG_WORDS | {"angle", "bracket"}:
            continue
        if fam == "tube" and w == "hollow":
            continue  # "hollow all the way through": what a tube is
        if fam == "tri" and w in ("wedge", "gusset"):
            continue  # a wedge, a gusset: what a triangular prism / plate is called
        if w in UNSUPPORTED and not (w in ("rounded", "radiused") and k + 1 < len(words)
                                     and set(words[k + 1:k + 3]) & {"slot", "slots", "ends", "end"}) \
                and not _purpose(words, k):
            unknown.append(w)
    if fam not in ("box", "cube") and any(f.noun in ("keyway", "keyways") for f in feats):
        unknown.append("keyway")  # a keyway on a round part is cut in its side: not built
    soft = [w for w in words if w not in KNOWN and w.rstrip("s") not in KNOWN and w not in UNSUPPORTED
            and not w.startswith("_") and _grid([w]) is None and _nholes([w]) is None]
    first_part = next((k for k, w in enumerate(words) if w in FAMILY_NOUNS or w in FEATURE_NOUNS), len(words))
    for k, w in enumerate(words):
        if w in soft and k < first_part:
            continue  # "I'm making a bookend: the core is a triangular block": what it is for, before the part
        if w in soft and k > 0 and words[k - 1] in _ARTICLE and w not in unknown:
            if k + 1 < len(words) and (words[k + 1] in FAMILY_NOUNS or words[k + 1] in _PART_ROLES):
                continue  # "an adapter flange", "a motor plate": what the part is for, not a feature
            nxt = next((j for j in range(k + 1, min(len(words), k + 4)) if words[j] in FAMILY_NOUNS), None)
            if nxt is not None and all(words[j] not in FEATURE_NOUNS or words[j + 1:j + 2] == [words[nxt]]
                                       for j in range(k + 1, nxt)):
                continue  # "a Meccano-ish hole strip": a word describing the part, before its noun
            if k > 1 and words[k - 2] in ("for", "on", "in", "into", "under", "behind", "inside"):
                continue  # "a plate for a motor", "fits in a housing": where it goes, not a feature
            unknown.append(w)  # "with a dovetail": a feature it does not know
    ignored = [w for w in soft if w not in unknown]
    seq = None
    understood = not unknown
    rebates = [f for f in features if f["kind"] == "rebate"]
    collars = [f for f in features if f["kind"] == "collar"]
    features = [f for f in features if f["kind"] not in ("rebate", "collar")]
    family = _family_name(base, features)
    extra = ["a rebate"] * bool(rebates) + ["a collar"] * bool(collars) + \
        [f"{len(lcuts)} hole" + "s" * (len(lcuts) > 1)] * bool(lcuts) + ["a hole along its length"] * bool(xholes)
    if extra:
        family += (" and " if " with " in family else " with ") + " and ".join(extra)
    if understood:
        seq = _build(base, features)
        for f in lcuts:  # holes in an L-bracket's legs: down through the base leg, across through the upright
            if f["leg"] == "A":
                seq.extrudes.append(ext([[Circle(f["at"], 0.0, f["D"] / 2)]], origin=(0, 0, -1.0), e1=base["T"] + 2,
                                        op=2))
            else:
                seq.extrudes.append(ext([[Circle(0.0, f["at"], f["D"] / 2)]], plane=YZ,
                                        origin=(-base["A"] / 2 - 1, 0, 0), e1=base["T"] + 2, op=2))
        for f in xholes:  # a hole along the length, centred on the end faces (W x H)
            seq.extrudes.append(ext([[Circle(0.0, base["H"] / 2, f["D"] / 2)]], plane=YZ,
                                    origin=(-base["L"] / 2 - 1, 0, 0), e1=base["L"] + 2, op=2))
        for f in rebates:  # cut along the +Y edge (running along X) or the +X edge (running along Y), its ends past
            L, W, H = base["L"], base["W"], base["H"]
            loop = rect(0.0, W / 2 - f["w"] / 2 + 0.5, L + 2, f["w"] + 1) if f["run"] == "x" else \
                rect(L / 2 - f["w"] / 2 + 0.5, 0.0, f["w"] + 1, W + 2)
            seq.extrudes.append(ext([loop], origin=(0, 0, H - f["depth"]), e1=f["depth"], op=2))
        through = [[Circle(x, y, f["D"] / 2)] for f in features if f["kind"] == "hole" and f["depth"] is None
                   for x, y in f["pos"]]
        for f in collars:  # a collar around the shaft, its lower face f["z"] up from the shaft's end
            seq.extrudes.append(ext([[Circle(0.0, 0.0, f["D"] / 2)]] + through, origin=(0, 0, f["z"]), e1=f["H"],
                                    op=1))
        if ignored:
            notes.append("ignored words: " + ", ".join(sorted(set(ignored))))
    m_clear = [t for t in toks if t.tag == "metric" and t.used and t.clearance]
    if m_clear:
        notes.append("%s read as a %g mm hole (ISO 273 medium series)" % (m_clear[0].text, m_clear[0].value))
    m_holes = [t for t in toks if t.tag == "metric" and t.used and not t.clearance]
    if m_holes:
        notes.append("M%g read as a %g mm hole (the thread's nominal size; a clearance hole would be about 10%% "
                     "larger)" % (m_holes[0].value, m_holes[0].value))
    # sizes with no unit of their own take the unit written elsewhere; where that is not mm, say so (a user who
    # meant "100 x 60 mm, 1/4 in thick" sees at once that 100 and 60 were read in inches)
    no_unit = [t.text for t in toks if t.kind in ("n", "c") and t.used and t.assumed
               and t.tag not in ("count", "shapecount", "metric")]
    if no_unit and default != 1.0:
        notes.append("%s had no unit written: read in %s, the unit written elsewhere"
                     % (", ".join(dict.fromkeys(no_unit)),
                        {"in": "inches", "ft": "feet"}.get(_unit_label(default), _unit_label(default))))
    spec = {k: v for k, v in base.items() if isinstance(v, (int, float))}
    for i, f in enumerate(features):
        for k in ("D", "n", "L", "W", "H", "depth", "pcd", "d"):
            if isinstance(f.get(k), (int, float)):
                spec[f"{f['kind']}{i + 1}_{k}"] = f[k]
    for i, f in enumerate(lcuts):
        spec[f"hole{i + 1}_D"] = f["D"]
    for i, f in enumerate(collars):
        spec[f"collar{i + 1}_D"], spec[f"collar{i + 1}_H"], spec[f"collar{i + 1}_z"] = f["D"], f["H"], f["z"]
    for i, f in enumerate(xholes):
        spec[f"lengthhole{i + 1}_D"] = f["D"]
    for i, f in enumerate(rebates):
        spec[f"rebate{i + 1}_W"], spec[f"rebate{i + 1}_depth"] = f["w"], f["depth"]
    conf = 1.0 if understood and not ignored else 0.9 if understood else 0.3
    return Reading(family=family, seq=seq, units=unit_names, spec=spec, understood=understood, confidence=conf,
                   unknown=unknown, notes=notes)
