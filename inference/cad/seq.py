"""DeepCAD construction sequences: data model, 17-column vectors, validation (DeepCAD JSON files are read and
written in :mod:`inference.cad.io`).

No Qt, no torch, no OpenCascade here (the kernel lives in :mod:`inference.cad.kernel`).

Geometry is kept in millimetres. A sketch is drawn in the 2D frame of its sketch plane
(origin + orientation θ, φ, γ); curves store only their end point, so every line/arc loop is
closed by construction (a loop starts where its last curve ends), as in DeepCAD.

Vectors: rows ``[cmd, x, y, α, f, r, θ, φ, γ, px, py, pz, s, e1, e2, b, u]`` with 8-bit
parameters (0..255) and −1 for unused ones. A vector is normalised with ``scale_mm``: one
normalised unit is ``scale_mm`` millimetres (default 64, so the quantum is 0.5 mm and a part
up to ±64 mm fits).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Union

import numpy as np

from inference.runtime.errors import InputError

LINE, ARC, CIRCLE, EOS, SOL, EXT = 0, 1, 2, 3, 4, 5
CMD_NAMES = ["Line", "Arc", "Circle", "EOS", "SOL", "Ext"]
OPS = ["NewBody", "Join", "Cut", "Intersect"]
EXT_TYPES = ["OneSide", "Symmetric", "TwoSides"]
N_ARGS = 16
N_LEVELS = 256
MAX_EXT, MAX_LOOPS, MAX_CURVES, MAX_ROWS = 10, 6, 15, 60
MAX_COORD_MM = 1e6  # |coordinate| and extent bound: beyond it OpenCascade fails or crashes (1e300 segfaults)
DEFAULT_SCALE_MM = 64.0
# which parameter columns (1..16) each command uses
CMD_ARGS = {
    LINE: [1, 2], ARC: [1, 2, 3, 4], CIRCLE: [1, 2, 5], EOS: [], SOL: [],
    EXT: [6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16],
}
COL_NAMES = ["cmd", "x", "y", "alpha", "f", "r", "theta", "phi", "gamma", "px", "py", "pz", "s",
             "e1", "e2", "b", "u"]
CATEGORICAL_COLS = (4, 15, 16)


# ----------------------------------------------------------------------------- data model
@dataclass
class Line:
    x: float
    y: float


@dataclass
class Arc:
    x: float
    y: float
    sweep: float  # radians, (0, 2π)
    ccw: bool


@dataclass
class Circle:
    x: float  # centre
    y: float
    r: float


Curve = Union[Line, Arc, Circle]


@dataclass
class Extrude:
    loops: list  # list[list[Curve]]
    theta: float = 0.0
    phi: float = 0.0
    gamma: float = 0.0
    origin: tuple = (0.0, 0.0, 0.0)  # mm
    e1: float = 10.0  # mm
    e2: float = 0.0
    op: int = 0  # index in OPS
    etype: int = 0  # index in EXT_TYPES
    s: float = 1.0  # sketch scale (kept for the DeepCAD format; sketch mm are multiplied by it)
    # DeepCAD profiles: lists of loop indices, each list one face (an outer loop and its holes). None: the
    # kernel finds which loops are holes by nesting (vectors carry no grouping)
    faces: list | None = None

    def frame(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return plane_frame(self.theta, self.phi, self.gamma)


@dataclass
class CADSequence:
    extrudes: list = field(default_factory=list)

    def n_rows(self) -> int:
        n = 1  # EOS
        for e in self.extrudes:
            n += 1 + sum(1 + len(lp) for lp in e.loops)
        return n


def extent_range(e: Extrude) -> tuple[float, float]:
    """The interval (lo, hi) along the plane normal that an extrusion fills, as DeepCAD builds it: one side
    0..e1; symmetric −|e1|..|e1|; two sides 0..e1 joined with 0..−e2. Negative distances go against the normal."""
    if e.etype == 1:
        return -abs(e.e1), abs(e.e1)
    ends = (0.0, e.e1, -e.e2) if e.etype == 2 else (0.0, e.e1)
    return min(ends), max(ends)


# ----------------------------------------------------------------------------- plane angles
def plane_frame(theta: float, phi: float, gamma: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Normal, x axis and y axis of a sketch plane from DeepCAD's angles."""
    st, ct, sp, cp = math.sin(theta), math.cos(theta), math.sin(phi), math.cos(phi)
    n = np.array([st * cp, st * sp, ct])
    ref_x = np.array([ct * cp, ct * sp, -st])
    ref_y = np.cross(n, ref_x)
    x = math.cos(gamma) * ref_x + math.sin(gamma) * ref_y
    y = np.cross(n, x)
    return n, x, y


def plane_angles(normal, x_axis) -> tuple[float, float, float]:
    """Inverse of :func:`plane_frame`."""
    n = np.asarray(normal, float)
    n = n / np.linalg.norm(n)
    x = np.asarray(x_axis, float)
    x = x - n * np.dot(x, n)
    x = x / np.linalg.norm(x)
    theta = math.acos(max(-1.0, min(1.0, n[2])))
    if abs(math.sin(theta)) < 1e-9:
        phi = 0.0
    else:
        phi = math.atan2(n[1], n[0])
    _, ref_x, ref_y = plane_frame(theta, phi, 0.0)
    gamma = math.atan2(float(np.dot(x, ref_y)), float(np.dot(x, ref_x)))
    return theta, phi, gamma


# ----------------------------------------------------------------------------- quantisation
def q_coord(v: float) -> int:
    return int(np.clip(round((v + 1.0) / 2.0 * N_LEVELS), 0, N_LEVELS - 1))


def dq_coord(q: int) -> float:
    return q / (N_LEVELS / 2) - 1.0


def q_pos(v: float) -> int:  # radius, sketch scale: (0, 2)
    return int(np.clip(round(v / 2.0 * N_LEVELS), 0, N_LEVELS - 1))


def dq_pos(q: int) -> float:
    return q / (N_LEVELS / 2)


def q_angle(a: float) -> int:
    a = (a + math.pi) % (2 * math.pi) - math.pi if abs(a) > math.pi + 1e-9 else a
    return int(np.clip(round((a / math.pi + 1.0) / 2.0 * N_LEVELS), 0, N_LEVELS - 1))


def dq_angle(q: int) -> float:
    return (q / (N_LEVELS / 2) - 1.0) * math.pi


def q_sweep(a: float) -> int:
    return int(np.clip(round(a / (2 * math.pi) * N_LEVELS), 1, N_LEVELS - 1))


def dq_sweep(q: int) -> float:
    return q / N_LEVELS * 2 * math.pi


# ----------------------------------------------------------------------------- vectors
def to_vec(seq: CADSequence, scale_mm: float = DEFAULT_SCALE_MM) -> np.ndarray:
    """Sequence (mm) → (rows, 17) int vector. Raises InputError when a value or the sequence's size does not fit
    the encoding (check_vector_limits)."""
    check_vector_limits(seq)
    rows: list[list[int]] = []

    def fit(v: float, what: str) -> float:
        if not -1.0 <= v < 1.0:
            raise InputError(f"{what} = {v * scale_mm:.2f} mm lies outside the ±{scale_mm:g} mm range",
                             "use a larger scale_mm or a smaller part")
        return v

    for i, e in enumerate(seq.extrudes):
        k = scale_mm * e.s
        for lp in e.loops:
            rows.append([SOL] + [-1] * N_ARGS)
            for c in lp:
                r = [-1] * (N_ARGS + 1)
                if isinstance(c, Circle):
                    r[0] = CIRCLE
                    r[1] = q_coord(fit(c.x / k, "circle centre x"))
                    r[2] = q_coord(fit(c.y / k, "circle centre y"))
                    r[5] = q_pos(fit(c.r / k, "circle radius"))
                elif isinstance(c, Arc):
                    r[0] = ARC
                    r[1] = q_coord(fit(c.x / k, "arc end x"))
                    r[2] = q_coord(fit(c.y / k, "arc end y"))
                    r[3] = q_sweep(c.sweep)
                    r[4] = 1 if c.ccw else 0
                else:
                    r[0] = LINE
                    r[1] = q_coord(fit(c.x / k, "line end x"))
                    r[2] = q_coord(fit(c.y / k, "line end y"))
                rows.append(r)
        o = [fit(v / scale_mm, "plane origin") for v in e.origin]
        rows.append([EXT, -1, -1, -1, -1, -1, q_angle(e.theta), q_angle(e.phi), q_angle(e.gamma),
                     q_coord(o[0]), q_coord(o[1]), q_coord(o[2]), q_pos(e.s),
                     q_coord(fit(e.e1 / scale_mm, "extent 1")), q_coord(fit(e.e2 / scale_mm, "extent 2")),
                     int(e.op), int(e.etype)])
    rows.append([EOS] + [-1] * N_ARGS)
    return np.asarray(rows, dtype=np.int64)


def from_vec(vec, scale_mm: float = DEFAULT_SCALE_MM) -> CADSequence:
    """(rows, 17) int vector → sequence in mm. Validates structure and ranges first."""
    vec = validate_vec(vec)
    seq = CADSequence()
    loops: list = []
    cur: list | None = None
    for row in vec:
        cmd = int(row[0])
        if cmd == SOL:
            cur = []
            loops.append(cur)
        elif cmd in (LINE, ARC, CIRCLE):
            cur.append(row)  # type: ignore[union-attr]
        elif cmd == EXT:
            s = dq_pos(int(row[12]))
            k = scale_mm * s
            out_loops = []
            for lp in loops:
                cl = []
                for r in lp:
                    c = int(r[0])
                    if c == LINE:
                        cl.append(Line(dq_coord(int(r[1])) * k, dq_coord(int(r[2])) * k))
                    elif c == ARC:
                        cl.append(Arc(dq_coord(int(r[1])) * k, dq_coord(int(r[2])) * k,
                                      dq_sweep(int(r[3])), bool(int(r[4]))))
                    else:
                        cl.append(Circle(dq_coord(int(r[1])) * k, dq_coord(int(r[2])) * k,
                                         dq_pos(int(r[5])) * k))
                out_loops.append(cl)
            seq.extrudes.append(Extrude(
                loops=out_loops, theta=dq_angle(int(row[6])), phi=dq_angle(int(row[7])),
                gamma=dq_angle(int(row[8])),
                origin=tuple(dq_coord(int(row[j])) * scale_mm for j in (9, 10, 11)),
                e1=dq_coord(int(row[13])) * scale_mm, e2=dq_coord(int(row[14])) * scale_mm,
                op=int(row[15]), etype=int(row[16]), s=s))
            loops = []
        elif cmd == EOS:
            break
    validate_seq(seq)
    return seq


def validate_vec(vec) -> np.ndarray:
    """Check a 17-column vector's grammar and parameter ranges; raises InputError saying which row."""
    try:
        v = np.asarray(vec, dtype=np.int64)
    except (TypeError, ValueError, OverflowError):
        raise InputError("the sequence is not a table of integers", "each row needs 17 integer columns") from None
    if v.ndim != 2 or v.shape[1] != N_ARGS + 1:
        raise InputError(f"the sequence has shape {tuple(v.shape)}, expected (rows, 17)",
                         "each row is [cmd, x, y, α, f, r, θ, φ, γ, px, py, pz, s, e1, e2, b, u]")
    if len(v) == 0:
        raise InputError("the sequence is empty", "add at least one sketch and one extrusion")
    if len(v) > MAX_ROWS:
        raise InputError(f"the sequence has {len(v)} rows, more than the limit of {MAX_ROWS}",
                         "use fewer curves or extrusions")
    state = "start"
    n_ext = n_loops = n_curves = 0
    loop_kinds: list = []
    for i, row in enumerate(v):
        cmd = int(row[0])
        where = f"row {i + 1} ({CMD_NAMES[cmd] if 0 <= cmd < 6 else cmd})"
        if not 0 <= cmd <= 5:
            raise InputError(f"row {i + 1}: unknown command {cmd}",
                             "commands are Line=0, Arc=1, Circle=2, EOS=3, SOL=4, Ext=5")
        used = CMD_ARGS[cmd]
        for j in range(1, N_ARGS + 1):
            p = int(row[j])
            if j in used:
                hi = {4: 1, 15: len(OPS) - 1, 16: len(EXT_TYPES) - 1}.get(j, N_LEVELS - 1)
                if not 0 <= p <= hi:
                    raise InputError(f"{where}: parameter {COL_NAMES[j]} = {p} is out of range 0..{hi}",
                                     "8-bit parameters lie in 0..255")
            elif p != -1:
                raise InputError(f"{where}: parameter {COL_NAMES[j]} = {p} is set but unused by this command",
                                 "unused parameters must be −1")
        if cmd == EOS:
            if state not in ("after_ext",):
                raise InputError(f"{where}: the sequence ends before its last sketch is extruded",
                                 "finish each sketch with an Ext row")
            return v[: i + 1]
        if cmd == SOL:
            if state == "in_loop":
                _check_loop_kinds(loop_kinds, i)
            if state == "after_ext" or state == "start":
                n_loops = 0
            n_loops += 1
            if n_loops > MAX_LOOPS:
                raise InputError(f"{where}: more than {MAX_LOOPS} loops in one sketch", "split the sketch")
            state, n_curves, loop_kinds = "in_loop", 0, []
        elif cmd in (LINE, ARC, CIRCLE):
            if state != "in_loop":
                raise InputError(f"{where}: a curve outside a loop", "start each loop with an SOL row")
            n_curves += 1
            if n_curves > MAX_CURVES:
                raise InputError(f"{where}: more than {MAX_CURVES} curves in one loop", "simplify the loop")
            loop_kinds.append(cmd)
        elif cmd == EXT:
            if state != "in_loop":
                raise InputError(f"{where}: an extrusion with no sketch before it", "draw a loop first")
            _check_loop_kinds(loop_kinds, i)
            n_ext += 1
            if n_ext > MAX_EXT:
                raise InputError(f"{where}: more than {MAX_EXT} extrusions", "use fewer extrusions")
            state = "after_ext"
    raise InputError("the sequence has no EOS row", "end it with an EOS row (cmd 3)")


def _check_loop_kinds(kinds: list, i: int) -> None:
    if not kinds:
        raise InputError(f"row {i}: an empty loop (SOL with no curves)", "add curves or remove the SOL row")
    if CIRCLE in kinds and len(kinds) > 1:
        raise InputError(f"row {i}: a circle shares a loop with other curves",
                         "a circle is a loop on its own; start a new loop with SOL")
    if kinds[0] != CIRCLE and len(kinds) < 2:
        raise InputError(f"row {i}: the sketch loop is open (a single {CMD_NAMES[kinds[0]]} cannot close)",
                         "a closed loop needs at least two curves, or one circle")
    if all(k == LINE for k in kinds) and len(kinds) < 3:
        raise InputError(f"row {i}: the sketch loop is open (two lines cannot enclose an area)",
                         "a closed polygon needs at least three lines")


# ----------------------------------------------------------------------------- geometry checks
def loop_points(loop: list, n_arc: int = 16) -> np.ndarray:
    """Polyline (closed, last point == first) of a line/arc loop, or the circle sampled."""
    if len(loop) == 1 and isinstance(loop[0], Circle):
        c = loop[0]
        t = np.linspace(0, 2 * math.pi, 4 * n_arc + 1)
        return np.stack([c.x + c.r * np.cos(t), c.y + c.r * np.sin(t)], 1)
    start = np.array([loop[-1].x, loop[-1].y], float)
    pts = [start]
    cur = start
    for c in loop:
        end = np.array([c.x, c.y], float)
        if isinstance(c, Arc):
            ctr, rad = arc_center(cur, end, c.sweep, c.ccw)
            a0 = math.atan2(cur[1] - ctr[1], cur[0] - ctr[0])
            sgn = 1.0 if c.ccw else -1.0
            for t in np.linspace(0, 1, n_arc + 1)[1:-1]:
                a = a0 + sgn * c.sweep * t
                pts.append(ctr + rad * np.array([math.cos(a), math.sin(a)]))
        pts.append(end)
        cur = end
    return np.array(pts)


def arc_center(p0, p1, sweep: float, ccw: bool) -> tuple[np.ndarray, float]:
    p0, p1 = np.asarray(p0, float), np.asarray(p1, float)
    chord = p1 - p0
    c = float(np.linalg.norm(chord))
    if c < 1e-9:
        raise InputError("an arc starts and ends at the same point", "move its end point")
    rad = c / (2 * math.sin(sweep / 2))
    d = rad * math.cos(sweep / 2)  # signed: negative when sweep > π
    left = np.array([-chord[1], chord[0]]) / c
    ctr = (p0 + p1) / 2 + (left if ccw else -left) * d
    return ctr, abs(rad)


def signed_area(loop: list) -> float:
    """The area a loop encloses in its sketch's units²; > 0 when it runs counter-clockwise (about the normal)."""
    p = loop_points(loop)
    return 0.5 * float(np.sum(p[:-1, 0] * p[1:, 1] - p[1:, 0] * p[:-1, 1]))


def face_groups(e: Extrude) -> list:
    """[(outer loop index, [hole indices])] of one sketch, profile by profile (``e.faces``; all loops form one
    profile when it is None): within a profile, loops by decreasing area, a loop inside an earlier one is a hole."""
    polys = [loop_points(lp) for lp in e.loops]
    groups: list = []
    for profile in (e.faces if e.faces is not None else [range(len(e.loops))]):
        found: list = []
        for i in sorted(profile, key=lambda i: -abs(signed_area(e.loops[i]))):
            c = e.loops[i][0]
            pt = np.array([c.x, c.y]) if isinstance(c, Circle) else polys[i][0]
            host = next((g for g in found if _inside(pt, polys[g[0]])
                         and not any(_inside(pt, polys[h]) for h in g[1])), None)
            if host is None:
                found.append((i, []))
            else:
                host[1].append(i)
        groups += found
    return groups


def _inside(pt, poly) -> bool:
    """Whether a point lies inside a closed polyline (even-odd rule)."""
    x, y = pt
    xs, ys = poly[:, 0], poly[:, 1]
    inside = False
    for i in range(len(poly) - 1):
        if (ys[i] > y) != (ys[i + 1] > y):
            xi = xs[i] + (y - ys[i]) * (xs[i + 1] - xs[i]) / (ys[i + 1] - ys[i])
            if x < xi:
                inside = not inside
    return inside


def _seg_cross(a, b, c, d) -> bool:
    def orient(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    d1, d2, d3, d4 = orient(c, d, a), orient(c, d, b), orient(a, b, c), orient(a, b, d)
    return (d1 * d2 < 0) and (d3 * d4 < 0)


def polyline_self_intersects(pts: np.ndarray) -> bool:
    n = len(pts) - 1
    segs = [(pts[i], pts[i + 1]) for i in range(n)]
    lo = np.minimum(pts[:-1], pts[1:])
    hi = np.maximum(pts[:-1], pts[1:])
    for i in range(n):
        cand = np.where((lo[:, 0] <= hi[i, 0]) & (hi[:, 0] >= lo[i, 0]) &
                        (lo[:, 1] <= hi[i, 1]) & (hi[:, 1] >= lo[i, 1]))[0]
        for j in cand:
            if j <= i + 1 or (i == 0 and j == n - 1):
                continue
            if _seg_cross(*segs[i], *segs[j]):
                return True
    return False


def check_numbers(seq: CADSequence) -> None:
    """Every number is finite and every length within ±MAX_COORD_MM, before the kernel or the quantiser sees it."""
    for i, e in enumerate(seq.extrudes):
        where = f"extrusion {i + 1}"
        values = [("the plane origin", v) for v in e.origin] + [("an extent", e.e1), ("an extent", e.e2)]
        values += [("the sketch scale", e.s)]
        for c in (c for lp in e.loops for c in lp):
            values += [("a sketch point", c.x), ("a sketch point", c.y)]
            if isinstance(c, Circle):
                values.append(("a circle radius", c.r))
        for what, v in values:
            if not math.isfinite(v):
                raise InputError(f"{where}: {what} is not a finite number ({v})", "fix the file's numbers")
            if abs(v) > MAX_COORD_MM:
                raise InputError(f"{where}: {what} is {v:.3g} mm, beyond ±{MAX_COORD_MM:.0g} mm",
                                 "check the file's units and numbers")
        for what, v in (("an angle", e.theta), ("an angle", e.phi), ("an angle", e.gamma),
                        *(("an arc sweep", c.sweep) for lp in e.loops for c in lp if isinstance(c, Arc))):
            if not math.isfinite(v):
                raise InputError(f"{where}: {what} is not a finite number ({v})", "fix the file's numbers")


def check_buildable(seq: CADSequence) -> None:
    """What any sequence needs before the kernel sees it: an extrusion, a loop in every sketch, sane numbers."""
    if not seq.extrudes:
        raise InputError("the part has no extrusion", "add a sketch and extrude it")
    check_numbers(seq)
    for i, e in enumerate(seq.extrudes):
        if not e.loops:
            raise InputError(f"extrusion {i + 1} has an empty sketch", "draw at least one loop")


def check_vector_limits(seq: CADSequence) -> None:
    """The 17-column vector encoding's limits (MAX_EXT, MAX_LOOPS, MAX_CURVES, MAX_ROWS): they bound only what
    the models read and write; reading and building a sequence have none. The error names the limit hit."""
    check_buildable(seq)
    hint = "the part can still be opened, built and saved as DeepCAD JSON or STEP"
    if len(seq.extrudes) > MAX_EXT:
        raise InputError(f"the part has {len(seq.extrudes)} extrusions; the vector encoding allows at most "
                         f"{MAX_EXT} (MAX_EXT)", hint)
    for i, e in enumerate(seq.extrudes):
        if len(e.loops) > MAX_LOOPS:
            raise InputError(f"extrusion {i + 1} has {len(e.loops)} loops; the vector encoding allows at most "
                             f"{MAX_LOOPS} per sketch (MAX_LOOPS)", hint)
        for lp in e.loops:
            if len(lp) > MAX_CURVES:
                raise InputError(f"extrusion {i + 1}: a loop has {len(lp)} curves; the vector encoding allows at "
                                 f"most {MAX_CURVES} per loop (MAX_CURVES)", hint)
    if seq.n_rows() > MAX_ROWS:
        raise InputError(f"the part needs {seq.n_rows()} rows; the vector encoding allows at most {MAX_ROWS} "
                         "(MAX_ROWS)", hint)


def validate_seq(seq: CADSequence) -> None:
    """Geometric checks before building: closed, non-degenerate, non-self-intersecting loops (no size limits)."""
    check_buildable(seq)
    for i, e in enumerate(seq.extrudes):
        where = f"extrusion {i + 1}"
        if not 0 <= e.op < len(OPS) or not 0 <= e.etype < len(EXT_TYPES):
            raise InputError(f"{where}: unknown operation/extent type", "b is 0..3 and u is 0..2")
        if i == 0 and e.op in (2, 3):
            raise InputError(f"{where}: the first extrusion is a {OPS[e.op]}, but there is nothing to "
                             f"{OPS[e.op].lower()} yet", "make the first extrusion a NewBody or Join")
        lo, hi = extent_range(e)
        depth = hi - lo
        if depth <= 1e-6:
            raise InputError(f"{where}: extrusion depth is {depth:.3g} mm", "give it a positive extent")
        if e.faces is not None and (any(not f for f in e.faces) or
                                    sorted(j for f in e.faces for j in f) != list(range(len(e.loops)))):
            raise InputError(f"{where}: its profiles do not name each of its {len(e.loops)} loops once",
                             "each loop belongs to exactly one profile")
        for j, lp in enumerate(e.loops):
            lw = f"{where}, loop {j + 1}"
            kinds = [LINE if isinstance(c, Line) else ARC if isinstance(c, Arc) else CIRCLE for c in lp]
            try:
                _check_loop_kinds(kinds, 0)
            except InputError as err:
                raise InputError(f"{lw}: " + err.message.split(": ", 1)[1], err.hint) from None
            if kinds[0] == CIRCLE:
                if lp[0].r <= 1e-6:
                    raise InputError(f"{lw}: circle radius is {lp[0].r:.3g} mm", "give it a positive radius")
                continue
            prev = np.array([lp[-1].x, lp[-1].y])
            for k, c in enumerate(lp):
                cur = np.array([c.x, c.y])
                if np.linalg.norm(cur - prev) < 1e-6:
                    raise InputError(f"{lw}, curve {k + 1}: zero length (ends where it starts)",
                                     "remove the curve or move its end point")
                if isinstance(c, Arc) and not 0 < c.sweep < 2 * math.pi:
                    raise InputError(f"{lw}, curve {k + 1}: arc sweep {math.degrees(c.sweep):.1f}° out of range",
                                     "sweep lies between 0 and 360°")
                if isinstance(c, Arc):  # OpenCascade cannot make an arc that is almost straight (StdFail_NotDone)
                    _, rad = arc_center(prev, cur, c.sweep, c.ccw)
                    sagitta = 2 * rad * math.sin(c.sweep / 4) ** 2
                    if rad > MAX_COORD_MM:
                        raise InputError(f"{lw}, curve {k + 1}: the arc's radius is {rad:.3g} mm (sweep "
                                         f"{math.degrees(c.sweep):.4g}°), beyond ±{MAX_COORD_MM:.0g} mm",
                                         "check the arc's end points and sweep")
                    if sagitta < 1e-6:
                        raise InputError(f"{lw}, curve {k + 1}: the arc is almost straight (sweep "
                                         f"{math.degrees(c.sweep):.3g}°, radius {rad:.3g} mm)",
                                         "draw a line instead, or give the arc a larger sweep")
                prev = cur
            pts = loop_points(lp)
            if polyline_self_intersects(pts):
                raise InputError(f"{lw}: the profile intersects itself",
                                 "move the points so that the loop's edges do not cross")
            area = 0.5 * float(np.sum(pts[:-1, 0] * pts[1:, 1] - pts[1:, 0] * pts[:-1, 1]))
            if abs(area) < 1e-6:
                raise InputError(f"{lw}: the loop encloses no area", "move its points apart")


def describe(seq: CADSequence) -> str:
    """Human-readable listing of a sequence."""
    lines = []
    for i, e in enumerate(seq.extrudes):
        lines.append(f"Extrusion {i + 1}: {OPS[e.op]} {EXT_TYPES[e.etype]} e1={e.e1:.2f} e2={e.e2:.2f} mm, "
                     f"plane origin ({e.origin[0]:.2f}, {e.origin[1]:.2f}, {e.origin[2]:.2f}) mm, "
                     f"θφγ=({math.degrees(e.theta):.0f}°, {math.degrees(e.phi):.0f}°, {math.degrees(e.gamma):.0f}°)")
        for j, lp in enumerate(e.loops):
            parts = []
            for c in lp:
                if isinstance(c, Circle):
                    parts.append(f"Circle(c=({c.x:.2f}, {c.y:.2f}), r={c.r:.2f})")
                elif isinstance(c, Arc):
                    parts.append(f"Arc(→({c.x:.2f}, {c.y:.2f}), {math.degrees(c.sweep):.0f}°, "
                                 f"{'ccw' if c.ccw else 'cw'})")
                else:
                    parts.append(f"Line(→({c.x:.2f}, {c.y:.2f}))")
            lines.append(f"  loop {j + 1}: " + ", ".join(parts))
    return "\n".join(lines)
