"""Words around a part description that do not change its geometry, removed before the reader sees the text.

Used by :func:`inference.cad.plain._normalise` on lower-cased text (symbols already spelled out: "ø" → "dia").

Conventions (what an engineer reads):
- Decimal commas: "12,5" is 12.5 when the comma sits between digits with one or two digits after it and no space
  ("12,5 x 40", "Ø22,5"); "1,000" (three digits) is a thousands separator; "10, 15" (with a space) is a list.
  Inside "(x,y)" a comma always separates the coordinates.
- Quantities are how many parts to make, never a size: "qty 4", "quantity: 20", "20 pcs", "2 pieces of",
  "make 10 of these", "2x aluminium blocks", "cut 1 off", "flange, 1 off", "10 off." / "8-off" at the end of a
  clause. "N off" / "N no." / "N-off" *followed by* a hole ("4-off Ø11", "6 no. holes Ø9") is a hole count.
- Drawing abbreviations: "PL 6 x 120 x 80" is a plate (thickness first: see plain.py), "FLG" a flange, "SQ" square.
- Labels and references: "job 4471", "fig. 3", "exercise 1", "part no. 12", "drawing 7" are ignored, and so are
  material grades ("6061", "6061-t6", "s275", "304 stainless", "en8", "petg"), finishes ("anodised black",
  "zinc plate") and purposes after "for a/an/the …" handled in plain.py.
- Paperwork (``_paperwork``): item / part / PO / exercise numbers, table bars, dates, packaging ("box of 100"),
  grades after a material or as known numbers ("Aluminium 6061", "C45", "18-8 SS", "AL 5052-H32") unless a size
  word or "x" follows, fits after a bore ("ID 25 H7"), tolerances ("±0.1", "-0/+0.01"), RAL colours, what the part
  will hold, "no holes or chamfers"; shorthand "w/", "&", "EQ SP", "3.00 B.C.", "(8) 3/4\" holes", key stock.
- Shorthand: "RD Ø32 x 18 LG" a round bar, "PLT" plate, "TRI" triangular, "CTR" centre, "DP" deep, "OD60".
- "Extrude it 15 mm" gives the height of the sketched profile. Four holes "on the corners of a 31 mm square",
  "on a 60 x 60 square/rectangle" sit on those centres (centred on the part).
- "Key size 36" (spanner size) is across the flats; a "triangular wedge" is the triangular prism; "two
  diameters" / "3 coaxial diameters in order" count the steps of a stepped part and are no size.
- Spoken repetition ("twelve inches long. Yep, twelve.", "so 14 it is") repeats a size already given.
- "Running the full 40 width" is a cut across the width, "the full 12 cm length" along the length; "centred on
  the 90 length" places the feature and sizes nothing; "hole centres 10 from the edges" is the holes' inset; two
  holes "each 1 in in from a short end" are one at each end, that far from the ends. A collar's, ring's or
  spacer's "width" is its axial length (plain.py).
- Hole spacing "40 in the long direction and 30 in the short direction" is a 40 x 30 pitch; "centres 25 apart
  in both directions" a 25 pitch both ways.
- Stepped parts: "turned down to Ø12 for the remaining 18 mm" is a Ø12 x 18 section; "OAL 48" equal to the sum
  of the sections is a check and adds nothing (a different OAL stays and is flagged).
- Spoken text without punctuation: a size named before its number in words ("outside diameter twenty inside diameter ten")
  ends at the number, so the next role word starts the next size.
- "Square inside corner", "treat the inside corner as sharp" describe the corner the reader builds; they do not
  make an angle's legs inside sizes (an angle "2 x 2 x 1/4" is measured over the outside).
- Negations remove what they deny: "no holes", "plain (no features)", "no thread, no hole", "no gusset",
  "without any holes", "no other features", "solid, no bore" — the part is built without them.
- A number after "the" that names a dimension the part already has ("the 80 x 50 face", "the full 40 width",
  "the 60 mm length", "each 40 mm end", "in the 60 direction", "through the 12 thickness") refers to that size and
  adds none: it is dropped, leaving "the top face", "the width" ….
"""
from __future__ import annotations

import re

_NUM = r"\d+(?:\.\d+)?(?:\s*/\s*\d+)?"
_UNIT = r"(?:\s*(?:mm|cm|in|inch|inches|\"|m))?"

_NEGATED = (r"holes?|bores?|threads?|features?|cut\s*outs?|cutouts?|gussets?|chamfers?|fillets?|slots?|pockets?|"
            r"counterbores?|countersinks?|tapped\s+holes?|machining|details?|radii|radius|rounds?")


def _decimal_commas(t: str) -> str:
    out, depth = [], 0
    i = 0
    while i < len(t):
        c = t[i]
        if c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        if (c == "," and depth == 0 and i > 0 and t[i - 1].isdigit()
                and re.match(r"\d{1,2}(?!\d)", t[i + 1:i + 4])):
            out.append(".")
        elif c == "," and i > 0 and t[i - 1].isdigit() and re.match(r"\d{3}(?!\d)", t[i + 1:i + 5]) \
                and depth == 0 and re.search(r"\d{1,3}$", t[:i]) and not re.search(r"\d{4,}$", t[:i]):
            pass  # 1,000 → 1000
        else:
            out.append(c)
        i += 1
    return "".join(out)


# after a number: it is a size ("1000 long", "304 x 200"), so no grade
_SIZE_AFTER = r"(?!\s*(?:mm|cm|in\b|inch|thk|thick|x\b|by\b|long|wide|dia|high|tall|deep))"
# (a grade number right after "x" / "by" or before a size word is a size: "plate 200 x 304 x 5")
_MATERIAL = (r"(?<![x×]\s)(?<![x×])(?<!by\s)\b(?:\d{4}(?:\s*-?\s*t\d+)?(?=\s+(?:alu\w*|plate|bar|sheet|stock|rod|round|flat))|"
             r"[1-7]0[0-9]{2}\s*-\s*t\d+|s[23][0-9]{2}(?:jr|j0|j2)?|en\s?\d+[a-z]?|30[34]l?|316l?|"
             r"petg|pla|abs|nylon|delrin|acetal|hdpe|uhmw|ptfe|pom)\b" + _SIZE_AFTER)
_WORDNUM = (r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
            r"sixty|seventy|eighty|ninety|hundred)")
_SIZE = r"(?:" + _NUM + r"|" + _WORDNUM + r"(?:[\s-]+(?:and\s+)?" + _WORDNUM + r")*)"
_HOLE_AFTER = r"(?=\s*(?:dia\b|holes?\b|m\s*\d|\d|through\b|thru\b|clearance\b|tapped\b|bolt\b|mounting\b|fixing\b))"




def _paperwork(t: str) -> str:
    """What order forms, BOM lines, chat and homework put around the sizes (grades, fits, tolerances, part and order
    numbers, dates, packaging, what the part is for, what is not wanted) and their shorthand (w/, &, EQ SP, B.C.,
    "(8) 3/4\" holes", key stock, flat stock, a plain L)."""
    # material grades are no sizes: "1018 CRS", "6061-T6", "304 stainless", "AISI 316"
    t = re.sub(r"\bmill\s+finish(?:ed)?\b", " ", t)
    t = re.sub(r"\b(?:in\s+)?\d{4}\s*-?\s*t\d+\b|\b(?:aisi|sae|astm|en)\s*-?\s*\d+\w*|\b\d{3,4}l?\s*(?=(?:crs|hrs|cold|hot|steel|"
               r"stainless|ss|aluminium|aluminum|alu|alloy)\b)", " ", t)
    # a grade after the material or its label ("Aluminium 6061 is fine", "Material C22.8", "steel S235JR")
    t = re.sub(r"\b(aluminium|aluminum|alu|steel|stainless|brass|bronze|titanium|material|grade|alloy)\s*:?\s*"
               r"(?:[a-z]{1,2}\d+(?:\.\d+)?[a-z0-9]*|\d{3,4}[a-z]?)(?:\s*-\s*[a-z]\d+)?\b" + _SIZE_AFTER, r"\1 ", t)
    # tolerances are no sizes: "±0.1", "+/- 0.05 mm", "-0/+0.01", "tolerance 0.1"
    t = re.sub(r"(?:±|(?:\+|\bplus)\s*/\s*-|\+-|\bplus\s*-)\s*\d*\.?\d+\s*(?:mm|in|inch)?"
               r"|(?:[-+]|\bplus\b|\bminus\b)\s*\d*\.?\d+\s*/\s*(?:[-+]|\bplus\b|\bminus\b)\s*\d*\.?\d+\s*(?:mm)?"
               r"|\btol(?:erance)?s?\s*:?\s*(?:of\s+)?\d*\.?\d+\s*(?:mm)?", " ", t)
    t = re.sub(r"\b(?:box|bag|pack|packet|lot|batch|set|carton)\s+of\s+\d+\b", " ", t)  # "box of 100": packaging
    t = re.sub(r"\b(?:round|circular)\s+(?:bar|stock|rod)\b", " rod ", t)  # a round bar is a cylinder
    t = re.sub(r"\bflat\s+(?:stock|bar|strip)\b", " flat bar ", t)
    # document furniture: item / part / order numbers, exercise numbers, table bars, dates
    t = t.replace("|", " , ")
    t = re.sub(r"^\s*\d+\s*,", " ", t)  # "3 | 2 off | …": a BOM line's item number
    t = re.sub(r"\b(?:item|pn|p/n|part\s*(?:no\.?|number|#)|po|rfq|ref|dwg|drawing)"
               r"\s*[.:#]?\s*\d[\w-]*\s*[.:]?(?=\s|,|$)", " , ", t)
    t = re.sub(r"\b(?:problem|question|exercise|ex|q|line)\s*#?\s*\d+[a-z]?\s*[.:](?=\s|$)", " , ", t)  # "Q2.", "line 2:"
    t = re.sub(r"\b\d{1,2}(?:st|nd|rd|th)\b(?:\s+of)?(?:\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*)?", " ", t)
    t = re.sub(r"\b(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\s+\d{1,2}(?:st|nd|rd|th)?\b", " ", t)
    # more grades, fits and finishes: "18-8 SS", "12L14", "C45", "EN8", "N6 finish", "2B finish", "H7", "TPU 95A"
    t = re.sub(r"\b18\s*-\s*8\b|\b12l14\b|\bc\d{2}(?:\.\d)?\b|\ben\s*\d+[a-z]?\b|\b[a-z]?\d{1,2}[a-z]?\s+finish\b"
               r"|\ba\d{2,3}\b", " ", t)
    t = re.sub(r"\b((?:id|bore|dia|diameter|hole)\s*\d+(?:\.\d+)?\s*(?:mm)?)\s*[hgfkpn][5-9]\b", r"\1 ", t)  # "ID 25 H7": the fit
    t = re.sub(r"\b(?:al|ss|tpu|pla|petg|abs|nylon|delrin|acetal|ms)\s+(?:\d{2,4}[a-z]?(?:\s*-\s*[a-z]\d+)?)\b"
               + _SIZE_AFTER, " ", t)
    t = re.sub(r"(?<![x×]\s)(?<![x×])(?<!by\s)\b(?:1018|1020|1045|1144|4140|4340|6061|6063|6082|7075|5052|2024|303|304|316)\b"
               + _SIZE_AFTER, " ", t)
    if not re.search(r"\b(pcd|circle|bolt|holes?)\b", t):  # "12 cm on 7 cm": by
        t = re.sub(r"(\d+(?:\.\d+)?\s*(?:mm|cm|m|in|inch)\b)\s+on\s+(?=\d+(?:\.\d+)?\s*(?:mm|cm|m|in|inch)\b)", r"\1 x ", t)
    # what is not wanted: "no flanges", "no shaft hole yet", "without any holes"
    _none = r"(?:\w+\s+)?(?:flanges?|holes?|bores?|slots?|pockets?|chamfers?|fillets?|threads?|radi[iu]s?)\b"
    t = re.sub(r"\b(?:no|without(?:\s+any)?)\s+" + _none + r"(?:\s*(?:,|or|and|/|nor)\s*" + _none + r")*(?:\s+yet)?", " ", t)
    # what it is for: "It will hold a desk lamp."
    t = re.sub(r"\b(?:it|this|that)\s+(?:will|'ll|is\s+to|is\s+going\s+to|should|has\s+to|must)\s+(?:hold|support|carry|"
               r"mount|sit|go|fit|be\s+used)\b[^.;]*", " ", t)
    t = re.sub(r"\b(?:grade|class|property\s+class)\s+\d+(?:\.\d+)?\b|\bral\s*\d{4}\b", " ", t)  # "Grade 8", "RAL 9005"
    t = re.sub(r"\bmaterial\s+(thickness|thk)\b", r"\1", t)
    t = re.sub(r"\b(?:cut|made|laser\s+cut|machined)\s+(?:out\s+)?(?:from|of)\s+(\d[\d./\s]*(?:mm|in|inch|cm)?)\s+(?:thick\s+)?"
               r"(?:plate|sheet|stock|material|board)\b", r" \1 thick ", t)
    t = re.sub(r"\b\d+\s+(?:lengths|pieces|pcs|bars|blanks)\s+of\b", " ", t)  # "12 lengths of flat bar"
    t = re.sub(r"\b(?:it'?s|this\s+is)\s+(?:a|an|for\s+a|for)\s+[a-z/ ]{2,30}?\s+thing\b", " ", t)  # what it is for
    t = re.sub(r"\b(?:(?:running|runs|going|goes|oriented)\s+(?:along|in)|along)\s+the\s+\d+(?:\.\d+)?\s*(?:mm|cm|inch|in)?\s+"
               r"(?:direction|dimension)\b", " along the length ", t)  # "running along the 80 direction"
    t = re.sub(r"\beq\.?\s*sp\.?(?=\s|,|$)", " equally spaced ", t)
    t = re.sub(r"(\d)\s*b\.?c\.?(?=\s|,|$)", r"\1 pcd ", t)
    t = re.sub(r"\bdia\.(?=\s)", "dia ", t)
    t = re.sub(r"\bprism\b(?=[^.]*\b(triang\w*)\b)", " triangular prism ", t) if "hex" not in t else t
    t = re.sub(r"\b(?:an?|plain|simple)\s+l\b(?!\s*[=.:])(?=\s+(?:like|shape|bracket|piece|profile|,|$))", " lbracket ", t)
    t = re.sub(r"\b(inside|outside|outer|inner)\s+(?:dimensions|dims|sizes)\s+(?=\d)", r"\1 legs ", t)
    t = re.sub(r"\b(?:part|section|step|stage)\s+(?:one|two|three|four|five|[1-5])\b(?![/.\d-])"
               r"(?=\s*(?::|,|is\b|dia|diameter|\())", " section ", t)  # "part two Ø 14 length 30"
    t = re.sub(r"\b(can|could|would|will|do|thank|are|r)\s+u\b", r"\1 you", t)  # "can u make"
    t = re.sub(r"\bw/o\b", " without ", t)
    t = re.sub(r"\bw/\s*", " with ", t)
    t = t.replace("&", " and ")
    t = re.sub(r"\(\s*(\d+)\s*\)\s*(?=[\d./\s\"-]*(?:in\b|inch|mm)?[^,;.]{0,20}\b(?:holes|dia|thru|through)\b)", r" \1 timesx ", t)  # "(8) 3/4\" holes"
    t = re.sub(r"\b(?:key\s*stock|keystock|key\s+steel)\b", " bar ", t)  # "1/2 in square key stock"
    return t


def strip_context(t: str) -> str:
    """Remove quantities, labels, materials and negated features; read decimal commas (see the module doc)."""
    t = _decimal_commas(t)
    t = _paperwork(t)
    # drawing-office abbreviations
    t = re.sub(r"\bpl\b\.?(?=\s*\d)", "plate ", t)
    t = re.sub(r"\bflg\b\.?", "flange", t)
    t = re.sub(r"\bsq\b\.?", "square", t)
    for a, b in (("plt", "plate"), ("rd", "rod"), ("tri", "triangular"), ("equilat", "equilateral"),
                 ("ctr", "centre"), ("ctrs", "centres"), ("c/c", "centres"), ("coax", "coaxial"), ("dp", "deep"), ("btm", "bottom"), ("cnr", "corner"),
                 ("lh", "left"), ("rh", "right"), ("dims", "dimensions")):
        t = re.sub(r"\b%s\b\.?" % a, b, t)
    t = re.sub(r"\b(od|id|af|ac|pcd|dia)(?=\d)", r"\1 ", t)  # "OD60 ID48"
    t = re.sub(r"\b(id|bore)\s+(" + _NUM + _UNIT + r")\s*x\s*(?=\d)", r"\1 \2 , ", t)  # "ID48 x 8 THK": not a list
    t = re.sub(r"\bhollow\s+(?=tube|pipe|sleeve|bushing|bush|spacer)", "", t)
    # "extrude it 40 mm": the height of the sketched profile; the sketched circle / rectangle is the part
    if re.search(r"\bextrude", t):
        t = re.sub(r"\b(?:sketch|draw)\s+an?\s+circle\b", "a disc", t)
        t = re.sub(r"\b(?:sketch|draw)\s+an?\s+(?:rectangle|square)\b", "a block", t)
    t = re.sub(r"\bextrude(?:d)?\s+(?:it|this|that|the\s+\w+)?\s*(?:by|to|through)?\s*(" + _NUM + _UNIT + r")(?!\s*(?:x|by)\b)",
               r" \1 thick ", t)
    # bolt patterns on a square: "on the corners of a 31 mm square (pattern)", "on 60x60 sq", "on a 95 mm square pattern"
    t = re.sub(r"\bon\s+(?:the\s+corners\s+of\s+)?an?\s+(" + _NUM + _UNIT + r")\s+square(?:\s+pattern)?\b",
               r"on \1 centres", t)
    t = re.sub(r"\bon\s+(?:an?\s+)?(" + _NUM + _UNIT + r"\s*(?:x|by)\s*" + _NUM + _UNIT +
               r")\s+(?:square|rectangle|rectangular)(?:\s+pattern)?\b", r"on \1 centres", t)
    # hole counts written as "4-off Ø11", "6 no. holes", "4 nos holes", "holes x4 Ø13"
    t = re.sub(r"\b(\d+)\s*-?\s*(?:off|no\.?|nos\.?)(?=\s)" + _HOLE_AFTER, r" \1 off ", t)
    t = re.sub(r"\b(holes?)\s*,?\s*x\s*(\d+)\b", r"\2 off \1", t)
    # quantities of parts: never a size
    t = re.sub(r"\b(?:qty|quantity|qnty)\s*[:.=]?\s*\d+\s*(?:off|pcs|pieces|no\.?)?", " ", t)
    t = re.sub(r"\b\d+\s*(?:pcs|pc|pieces|parts|units|items)\b\.?(\s+of\b)?", " ", t)
    t = re.sub(r"\b(?:make|print|machine|saw|cut|need|quote|want)\s+(\d+)\s*x?\s+(?=of\s+(?:these|them|this|those)\b)",
               " ", t)
    t = re.sub(r"\bof\s+(?:these|them|this|those)\b", " ", t)
    t = re.sub(r"\b(machine|make|print|cut|saw|need|quote)\s+\d+\s*x\s+(?=[a-z])", r"\1 ", t)  # "machine 2x blocks"
    t = re.sub(r"\b(cut|saw|make)\s+\d+\s*-?\s*off\b", r"\1", t)
    t = re.sub(r"(^|[,;.:(])\s*\d+\s*-?\s*off\s*(?=$|[,;.)])", r"\1 ", t)  # "flange, 1 off." / ", 8-off"
    # labels, grades, finishes
    t = re.sub(r"\b(?:job|fig\.?|figure|exercise|ex\.|tutorial|lesson|task|question|drawing|dwg\.?|part\s+no\.?|ref\.?)\s*"
               r"(?:no\.?|number|#)?\s*[:.]?\s*\d+[a-z]?\b\.?", " ", t)
    t = re.sub(r"\b(?:(?:cut|made|machined|turned|printed)\s+)?(?:in|from|of|out\s+of)\s+(?=" + _MATERIAL + ")", " ", t)
    t = re.sub(_MATERIAL + r"(\s+(?:stainless|steel|aluminium|aluminum))?", " ", t)
    t = re.sub(r"\b(?:anodi[sz]ed|painted|powder\s*coated|zinc\s+plated?|plated|galvani[sz]ed|polished|"
               r"black|clear|natural|mild|stainless)\b", " ", t)
    t = re.sub(r"\bfinish\s*:\s*(?=[,.;]|$)", " ", t)
    # negated features
    t = re.sub(r"\b(?:no|without(?:\s+any)?|nothing\s+like)\s+(?:other\s+|additional\s+|extra\s+|further\s+)?"
               r"(?:" + _NEGATED + r")(?:\s+(?:needed|required|wanted|at\s+all))?\b", " ", t)
    t = re.sub(r"\b(?:do\s+not|don't|dont|ignore)\s+(?:add|put|include|drill|cut|make)?\s*(?:any|the|a|an)?\s*"
               r"(?:" + _NEGATED + r")(?:\s+for\s+now)?\b", " ", t)
    t = re.sub(r"\bno\s+(?:hub|boss|spigot|fancy\s+edges|fancy\s+\w+|rounded\s+(?:edges|corners)|rounding)\b", " ", t)
    t = re.sub(r"\bcorner\s+bracket\b", "lbracket bracket", t)
    t = re.sub(r"\bnothing\s+(?:fancy|else|clever)(?:\s+to\s+it)?\b", " ", t)
    t = re.sub(r"\bitem\s*:", " ", t)
    # "running the full 40 width", "along the full 12 cm length": a cut across / along the whole part
    t = re.sub(r"\b(?:running|runs|going|goes|extending|extends)?\s*(?:all\s+the\s+way\s+)?(?:across|along)?\s*the\s+"
               r"full\s+(?:" + _SIZE + _UNIT + r"\s+)?(width|length)\b",
               lambda m: " across the width " if m[1] == "width" else " along the length ", t)
    t = re.sub(r"\bhole\s+cent(?:re|er)s?\s+(?:are\s+|at\s+|is\s+)?(?=\d)", " ", t)  # "hole centres 10 from the edges"
    t = re.sub(r"\beach(?:\s+one)?\s+(" + _NUM + _UNIT + r")\s+(in\s+)?from\s+(?:a|one|the|its)\s+(?:nearer\s+|nearest\s+)?"
               r"(?:short\s+(?:end|edge)|end)\b",
               r"one at each end, \1 from the ends", t)
    t = re.sub(r"\b(?:centred|centered|(?:sits\s+|sitting\s+)?(?:in|at)\s+the\s+middle|midway)\s+(?:on|along|in|across|of)\s+"
               r"the\s+(?:" + _SIZE + _UNIT + r"\s+)(?:length|width)\b", " centred ", t)
    # hole spacing in two directions: "40 mm in the long direction and 30 mm in the short direction",
    # "centres 25 mm apart in both directions"
    t = re.sub(r"\b(?:the\s+)?(?:distance|spacing|pitch)\s+between\s+(?:the\s+)?holes\s+(?:is\s+)?", " ", t)
    t = re.sub(r"\b(" + _NUM + _UNIT + r")\s+(?:in|along)\s+(?:the\s+)?long\s+direction\s+and\s+(" + _NUM + _UNIT +
               r")\s+(?:in|along)\s+(?:the\s+)?short\s+direction\b", r" on \1 x \2 centres ", t)
    t = re.sub(r"\b(?:with\s+)?(?:(?:hole\s+)?cent(?:re|er)s\s+)?(" + _NUM + _UNIT + r")\s+apart\s+(?:in\s+)?both\s+"
               r"(?:directions|ways)\b", r" on \1 centres ", t)
    # a number naming a size the part already has
    t = re.sub(r"\b(the|each|one|its|both)\s+(full\s+)?" + _SIZE + _UNIT + r"(?:\s*(?:x|by)\s*" + _SIZE + _UNIT +
               r")?\s+(?=(?:top\s+|bottom\s+|front\s+|back\s+|side\s+|long\s+|short\s+|end\s+)?(?:face|side|length|"
               r"width|thickness|height|ends?|edges?|direction|lg|dimension|one)\b)", r"\1 \2", t)
    t = re.sub(r"\b(along|parallel\s+to|on)\s+the\s+" + _SIZE + _UNIT + r"\s*(?=$|[,.;)])", r"\1 the length ", t)
    # an explicit size wins over the bolt it is for: "M8 clearance (Ø9)", "M3 clearance holes (3.4mm)",
    # "an 8.4 mm hole (for M8 bolts)"
    t = re.sub(r"\bm\s*\d+(?:\.\d+)?\s+clearance(\s+holes?)?\s*\(\s*(?:dia\s*)?(" + _NUM + _UNIT + r")\s*\)",
               r" dia \2 \1", t)
    t = re.sub(r"(\d\s*(?:mm|in)?\s+(?:through\s+|thru\s+)?(?:holes?|bores?)\b[^()]{0,40})\(\s*for\s+[^)]*\)", r"\1", t)
    # spoken repetition and confirmation: "twelve inches long. Yep, twelve.", "so 14 it is", "20 is right, yes, 20"
    t = re.sub(r"\b(?:is\s+right\s*,?\s*)?(?:yes|yep|yeah|yup)\s*,?\s*" + _SIZE + r"(?:\s*(?:mm|in|inches|cm))?"
               r"(?=\s*(?:[.!,;]|$))", " ", t)
    t = re.sub(r"\bso\s+" + _SIZE + r"\s+it\s+is\b", " ", t)
    t = re.sub(r"\b(?:i\s+)?measured\s+(?:it|the\s+\w+)\s+twice\b", " ", t)
    # the stated side of a pocket or slot along a side of the part: orientation only
    t = re.sub(r"\b(?:with\s+(?:its|the)\s+)?" + _SIZE + _UNIT + r"\s+(?:dimension|side|length|dim)\s+"
               r"(?:along|parallel\s+to)\s+the\s+(?:" + _SIZE + _UNIT + r"\s+)?(?:side|length|edge|direction)\b",
               " along the length ", t)
    t = re.sub(r"\bof\s+an?\s+(inch|foot)\b", r"\1", t)
    t = re.sub(r"\bhalf\s+an?\s+(inch|foot|millimetre|millimeter|centimetre|centimeter)\b", r"0.5 \1", t)
    t = re.sub(r"\bacross\s+its\s+(flats|corners)\b", r"across the \1", t)
    t = re.sub(r"\b(in\s+)?from\s+(both|the|each)\s+adjacent\s+(edges|sides)\b", r"\1from the edges", t)
    if re.search(r"\bcorners?\b", t):
        t = re.sub(r"\bfrom\s+(both|the|each|all)\s+(?:adjacent\s+)?sides\b", r"from the edges", t)
    t = re.sub(r"\b(?:key|spanner|wrench)\s+size\b", " af ", t)
    if re.search(r"\btriang", t):
        t = re.sub(r"\b(?:like\s+)?an?\s+wedge\b|\bwedge\b", " ", t)  # a triangular wedge is the prism itself
    # "a step pin, two diameters", "3 coaxial diameters in order": how many steps, not a size
    t = re.sub(r"\b(?:with\s+)?(?:two|three|four|2|3|4)\s+(?:coaxial\s+)?(?:diameters?|steps|sections|tiers)"
               r"(?:\s+in\s+order)?\b", " ", t)
    t = re.sub(r"\b(?:honestly|basically|actually|really|weird|uh|um|erm|replacement)\b", " ", t)
    # a section's name in brackets: "Ø35 x 15 LG (COLLAR)" — a label, not another part
    t = re.sub(r"\(\s*(?:the\s+)?(?:collar|shoulder|head|shank|body|neck|journal|step|spigot)\s*\)", " ", t)
    # stepped parts: "then turned down to Ø12 for the remaining 18 mm" is a Ø12 x 18 section; an overall length
    # ("OAL 75", "75 overall") that equals the sum of the sections is a check, not another size
    t = re.sub(r"(\bdia\s*" + _NUM + r")\s*(?:mm)?\s+for\s+(?:the\s+)?(?:remaining|next|last|another|final)?\s*(?:length\s+of\s+)?"
               r"(" + _NUM + _UNIT + r")", r"\1 x \2 long", t)
    pairs = re.findall(r"\bdia\s*(\d+(?:\.\d+)?)\s*(?:mm)?\s*x\s*(\d+(?:\.\d+)?)", t)
    if len(pairs) >= 2:
        total = sum(float(b) for _, b in pairs)
        def _oal(m):
            return " " if abs(float(m[1]) - total) < 1e-6 else m[0]
        t = re.sub(r"\b(?:oal|overall\s+length|total\s+length|length\s+overall)\s*[:=]?\s*(\d+(?:\.\d+)?)\s*(?:mm)?\b", _oal, t)
    # spoken text without punctuation: "outside diameter twenty inside diameter ten length fifteen" — a size named
    # before its number ends at the number (otherwise "twenty inside diameter" would read as an inside diameter)
    t = re.sub(r"\b(diameter|length|width|height|thickness|depth)\s+(" + _WORDNUM + r"(?:[\s-]+(?:and\s+)?" + _WORDNUM +
               r")*)(\s*(?:mm|cm|in|inches|"
               r"millimetres|millimeters)\b)?(?=\s+(?:outside|inside|outer|inner|length|width|height|thickness|depth|"
               r"diameter|od|id|and\s+(?:a\s+)?(?:length|width|height|thickness|depth)|with)\b)", r"\1 \2\3 ,", t)
    # a sharp / square inside corner is what the reader builds anyway; it does not make the sizes inside ones
    t = re.sub(r"\b(?:(?:treat|make|leave|keep)\s+)?(?:the\s+)?(?:(?:square|sharp)\s+)?(?:inside|internal|inner)\s+"
               r"corners?(?:\s+(?:as\s+|is\s+|are\s+)?(?:sharp|square))?\b", " ", t)
    t = re.sub(r"\bsquare\s+inside\s+corners?\b", " ", t)
    # purposes: "for a hinge pin", "for the NEMA17 motor", "to suit a 608 bearing" (no size of this part)
    t = re.sub(r"\bnema\s*\d+", "motor", t)
    t = re.sub(r"\b(?:for|to\s+fit|to\s+suit)\s+(?:a|an|the|my|our|your)\s+(?:[a-z]+\s+){0,3}[a-z]+(?=\s*(?:[,.;:!?]|$))",
               " ", t)
    # "100 SQ x 12": a 100 x 100 square, 12 thick; "Ø40 x 10 deep", "15 wide x 8 deep": two sizes, not a list
    t = re.sub(r"\b(" + _NUM + r")\s*(mm|cm|in)?\s+square\s*(?:x|by)\s*(?=\d)", r"\1 \2 x \1 \2 x ", t)
    t = re.sub(r"(\b(?:dia|wide|long)\s+" + _NUM + _UNIT + r"|\b" + _NUM + _UNIT + r"\s+(?:wide|long|dia))\s*x\s*(?=" + _NUM +
               _UNIT + r"\s*(?:deep|depth)\b)", r"\1 , ", t)
    t = re.sub(r"\(\s*\)", " ", t)
    return t
