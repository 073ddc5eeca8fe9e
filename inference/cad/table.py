"""The sequence as an editable table (no Qt): one row per SOL, curve, Ext and the final EOS, in millimetres and
degrees; an edited cell gives a new sequence or an InputError that says why the edit is refused. The panel only
draws these rows and sends edits here; whether the edited solid builds is the kernel's check (api.rebuild_job).
"""
from __future__ import annotations

import copy
import math

from inference.runtime.errors import InputError

from .seq import EXT_TYPES, OPS, Arc, CADSequence, Circle

COLS = ["command", "x", "y", "sweep °", "ccw", "r", "θ °", "φ °", "γ °", "px", "py", "pz", "e1", "e2",
        "operation", "extent"]
COL_OPERATION, COL_EXTENT = 14, 15

# a row's key: (kind, extrusion, loop, curve) with kind "sol", "curve", "ext" or "eos"
RowKey = tuple


def rows(seq: CADSequence | None) -> list[tuple[RowKey, dict[int, object]]]:
    """The table's rows: (key, {column: value}); a column not in the dict is not used by the row's command."""
    if seq is None:
        return []
    out: list = []
    for ei, e in enumerate(seq.extrudes):
        for li, lp in enumerate(e.loops):
            out.append((("sol", ei, li, None), {0: f"SOL (extrusion {ei + 1}, loop {li + 1})"}))
            for ci, c in enumerate(lp):
                if isinstance(c, Circle):
                    out.append((("curve", ei, li, ci), {0: "Circle", 1: c.x, 2: c.y, 5: c.r}))
                elif isinstance(c, Arc):
                    out.append((("curve", ei, li, ci), {0: "Arc", 1: c.x, 2: c.y, 3: math.degrees(c.sweep),
                                                        4: int(c.ccw)}))
                else:
                    out.append((("curve", ei, li, ci), {0: "Line", 1: c.x, 2: c.y}))
        out.append((("ext", ei, None, None), {
            0: f"Ext {ei + 1}", 6: math.degrees(e.theta), 7: math.degrees(e.phi), 8: math.degrees(e.gamma),
            9: e.origin[0], 10: e.origin[1], 11: e.origin[2], 12: e.e1, 13: e.e2,
            COL_OPERATION: OPS[e.op], COL_EXTENT: EXT_TYPES[e.etype]}))
    out.append((("eos", None, None, None), {0: "EOS"}))
    return out


def cell_text(value) -> str:
    """How a cell shows its value ("" for an unused cell)."""
    return "" if value is None else (f"{value:.4g}" if isinstance(value, float) else str(value))


def apply_edit(seq: CADSequence, key: RowKey, col: int, text: str) -> CADSequence:
    """A copy of `seq` with the cell (row `key`, column `col`) set to `text`; an InputError when the text is not
    a value that cell takes (the sequence itself is never changed)."""
    kind, ei, li, ci = key
    s = copy.deepcopy(seq)
    txt = text.strip()
    if kind == "ext" and col in (COL_OPERATION, COL_EXTENT):
        names = OPS if col == COL_OPERATION else EXT_TYPES
        match = [i for i, n in enumerate(names) if n.lower() == txt.lower()]
        if not match and txt.isdigit() and int(txt) < len(names):
            match = [int(txt)]
        if not match:
            raise InputError(f"'{txt}' is not one of {', '.join(names)}", "type one of the names")
        setattr(s.extrudes[ei], "op" if col == COL_OPERATION else "etype", match[0])
        return s
    try:
        val = float(txt)
    except ValueError:
        raise InputError(f"'{txt}' is not a number", "type a number (mm or degrees)") from None
    if not math.isfinite(val):
        raise InputError(f"'{txt}' is not a finite number", "type a number")
    if kind == "curve":
        c = s.extrudes[ei].loops[li][ci]
        if col == 1:
            c.x = val
        elif col == 2:
            c.y = val
        elif col == 3 and isinstance(c, Arc):
            c.sweep = math.radians(val)
        elif col == 4 and isinstance(c, Arc):
            c.ccw = bool(round(val))
        elif col == 5 and isinstance(c, Circle):
            c.r = val
        else:
            raise InputError("this cell is not used by the command", "edit a white cell")
    elif kind == "ext":
        e = s.extrudes[ei]
        if col in (6, 7, 8):
            setattr(e, {6: "theta", 7: "phi", 8: "gamma"}[col], math.radians(val))
        elif col in (9, 10, 11):
            o = list(e.origin)
            o[col - 9] = val
            e.origin = tuple(o)
        elif col == 12:
            e.e1 = val
        elif col == 13:
            e.e2 = val
        else:
            raise InputError("this cell is not used by the command", "edit a white cell")
    else:
        raise InputError("this row has no numbers", "edit a curve or an Ext row")
    return s
