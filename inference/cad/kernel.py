"""Execute a construction sequence on OpenCascade (OCP, from cadquery-ocp-novtk).

Each loop becomes a wire on its sketch plane, loops nested in another become holes, each face is
extruded along the plane normal and fused/cut/intersected into the body. The result is checked
with BRepCheck_Analyzer; volume, bounding box, STEP/STL export and a triangle mesh come from here.
"""
from __future__ import annotations

import contextlib
import ctypes
import math
import os
import sys
import threading
from dataclasses import dataclass

import numpy as np

from inference.runtime.errors import InputError

from .seq import Arc, CADSequence, Circle, arc_center, extent_range, face_groups, signed_area, validate_seq

_FD_LOCK = threading.Lock()  # fd 1 is process-wide: one silenced translator call at a time


def _flush_c_stdout() -> None:
    """Flush the C library's output buffers (OpenCascade writes through std::cout, synced with C stdio)."""
    try:
        ctypes.CDLL(None).fflush(None)
    except (OSError, AttributeError, TypeError):  # no C library to reach this way (Windows): nothing to flush
        pass


@contextlib.contextmanager
def _quiet_stdout():
    """OpenCascade's STEP translator prints its banner and statistics ("Statistics on Transfer (Write)") on
    fd 1, below Python's sys.stdout; send fd 1 to os.devnull for the call so a CLI's --json output stays clean.
    fd 1 is restored in ``finally``; other threads' writes to stdout during the call are dropped too."""
    with _FD_LOCK:
        try:
            sys.stdout.flush()
        except (AttributeError, OSError, ValueError):  # no sys.stdout (pythonw) or a closed one
            pass
        _flush_c_stdout()  # earlier C-level output still goes where it was meant to
        try:
            saved = os.dup(1)
        except OSError:  # no fd 1 (a windowed app without a console): nothing to keep clean
            yield
            return
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(devnull, 1)
            finally:
                os.close(devnull)
            yield
        finally:
            _flush_c_stdout()  # what the library buffered goes to devnull, not to the restored fd 1
            os.dup2(saved, 1)
            os.close(saved)


class BuildError(InputError):
    """The sequence is well formed but its solid cannot be built (reported as invalid)."""


@dataclass
class Solid:
    shape: object  # TopoDS_Shape
    volume: float  # mm³
    bbox: tuple  # ((xmin, ymin, zmin), (xmax, ymax, zmax)) mm
    valid: bool
    problems: tuple = ()  # which checks an invalid solid fails, in words (check_problems)

    def summary(self) -> dict:
        return {"valid": self.valid, "volume_mm3": self.volume,
                "bbox_min": list(self.bbox[0]), "bbox_max": list(self.bbox[1]),
                "size_mm": [self.bbox[1][i] - self.bbox[0][i] for i in range(3)], "problems": list(self.problems)}

    def why_invalid(self) -> str:
        """One phrase naming the failed checks ("" for a valid solid)."""
        if self.valid:
            return ""
        return "the kernel's check failed: " + ", ".join(self.problems or ("an unnamed check",))


def _gp():
    from OCP.gp import gp_Ax2, gp_Circ, gp_Dir, gp_Pnt, gp_Vec
    return gp_Pnt, gp_Dir, gp_Vec, gp_Ax2, gp_Circ


def _wire(loop, origin, xa, ya, n, s):
    from OCP.BRepBuilderAPI import BRepBuilderAPI_MakeEdge, BRepBuilderAPI_MakeWire
    from OCP.GC import GC_MakeArcOfCircle, GC_MakeSegment
    gp_Pnt, gp_Dir, gp_Vec, gp_Ax2, gp_Circ = _gp()

    def to3(p):
        q = origin + xa * (p[0] * s) + ya * (p[1] * s)
        return gp_Pnt(float(q[0]), float(q[1]), float(q[2]))

    mw = BRepBuilderAPI_MakeWire()
    if isinstance(loop[0], Circle):
        c = loop[0]
        ctr = origin + xa * (c.x * s) + ya * (c.y * s)
        ax = gp_Ax2(gp_Pnt(*map(float, ctr)), gp_Dir(*map(float, n)), gp_Dir(*map(float, xa)))
        mw.Add(BRepBuilderAPI_MakeEdge(gp_Circ(ax, float(c.r * s))).Edge())
    else:
        prev = np.array([loop[-1].x, loop[-1].y], float)
        for c in loop:
            end = np.array([c.x, c.y], float)
            if isinstance(c, Arc):
                ctr, rad = arc_center(prev, end, c.sweep, c.ccw)
                a0 = math.atan2(prev[1] - ctr[1], prev[0] - ctr[0]) + (1 if c.ccw else -1) * c.sweep / 2
                mid = ctr + rad * np.array([math.cos(a0), math.sin(a0)])
                geom = GC_MakeArcOfCircle(to3(prev), to3(mid), to3(end)).Value()
            else:
                geom = GC_MakeSegment(to3(prev), to3(end)).Value()
            mw.Add(BRepBuilderAPI_MakeEdge(geom).Edge())
            prev = end
    if not mw.IsDone():
        raise BuildError("a sketch loop does not form a closed wire", "check that its curves connect")
    return mw.Wire()


def _faces(e):
    """Faces of one sketch (seq.face_groups: each outer loop with its holes)."""
    from OCP.BRepBuilderAPI import BRepBuilderAPI_MakeFace
    from OCP.ShapeFix import ShapeFix_Face
    n, xa, ya = e.frame()
    origin = np.asarray(e.origin, float)

    def wire(i, hole):
        """The loop's wire, counter-clockwise about n for an outer loop and clockwise for a hole, whichever way
        the file draws it (a hole drawn the outer loop's way fails BRepCheck: BadOrientationOfSubshape)."""
        w = _wire(e.loops[i], origin, xa, ya, n, e.s)
        if (signed_area(e.loops[i]) > 0) == hole:
            w.Reverse()
        return w

    faces = []
    for outer, holes in face_groups(e):
        mf = BRepBuilderAPI_MakeFace(wire(outer, False), True)
        for h in holes:
            mf.Add(wire(h, True))
        if not mf.IsDone():
            raise BuildError("a sketch profile cannot be turned into a face", "check the loops")
        fix = ShapeFix_Face(mf.Face())
        fix.Perform()
        faces.append(fix.Face())
    return faces


def build(seq: CADSequence, check: bool = True) -> Solid:
    """Build the solid; raises InputError (bad sequence) or BuildError (kernel failure)."""
    validate_seq(seq)
    from OCP.BRepAlgoAPI import BRepAlgoAPI_Common, BRepAlgoAPI_Cut, BRepAlgoAPI_Fuse
    from OCP.BRepPrimAPI import BRepPrimAPI_MakePrism
    gp_Pnt, gp_Dir, gp_Vec, gp_Ax2, gp_Circ = _gp()
    body = None
    tools: list = []  # each extrusion's own solid, to say where an invalid or empty result comes from
    for i, e in enumerate(seq.extrudes):
        n = e.frame()[0]
        start, end = extent_range(e)
        length = end - start
        parts = []
        for f in _faces(e):
            if abs(start) > 0:
                from OCP.BRepBuilderAPI import BRepBuilderAPI_Transform
                from OCP.gp import gp_Trsf
                t = gp_Trsf()
                t.SetTranslation(gp_Vec(*map(float, n * start)))
                f = BRepBuilderAPI_Transform(f, t, True).Shape()
            pr = BRepPrimAPI_MakePrism(f, gp_Vec(*map(float, n * length)))
            if not pr.IsDone():
                raise BuildError(f"extrusion {i + 1} failed in the kernel", "check its profile")
            parts.append(pr.Shape())
        tool = parts[0]
        for p in parts[1:]:
            tool = BRepAlgoAPI_Fuse(tool, p).Shape()
        tools.append(tool)
        if body is None:
            if e.op in (2, 3):
                raise BuildError(f"extrusion {i + 1} is a cut/intersect with no body yet",
                                 "make the first extrusion a new body")
            body = tool
            continue
        op = {0: BRepAlgoAPI_Fuse, 1: BRepAlgoAPI_Fuse, 2: BRepAlgoAPI_Cut, 3: BRepAlgoAPI_Common}[e.op]
        b = op(body, tool)
        if not b.IsDone():
            raise BuildError(f"the boolean of extrusion {i + 1} failed", "move or resize that feature")
        body = b.Shape()
    try:
        solid = measure(body, check=check)
    except BuildError:
        why = _tool_problems(tools) if check else []
        if why:  # not a cut that removed everything: an extrusion that was broken before any boolean
            raise BuildError(f"the kernel's check failed: {'; '.join(why)}",
                             "change that extrusion's sketch so that its loops do not cross") from None
        raise
    if solid.valid:
        return solid
    solid = _repaired(solid)
    if not solid.valid:
        why = _tool_problems(tools)
        solid.problems = tuple(why) + tuple(p for p in solid.problems if not any(w.endswith(p) for w in why))
    return solid


def _tool_problems(tools: list) -> list:
    """The failed checks of each extrusion's own solid, named by extrusion ("extrusion 1: self-intersection…")."""
    return [f"extrusion {i + 1}: {p}" for i, t in enumerate(tools) for p in check_problems(t)]


def measure(shape, check: bool = True) -> Solid:
    from OCP.Bnd import Bnd_Box
    from OCP.BRepBndLib import BRepBndLib
    from OCP.BRepCheck import BRepCheck_Analyzer
    from OCP.BRepGProp import BRepGProp
    from OCP.GProp import GProp_GProps
    props = GProp_GProps()
    BRepGProp.VolumeProperties_s(shape, props)
    vol = float(props.Mass())
    box = Bnd_Box()
    BRepBndLib.AddOptimal_s(shape, box, False, False)
    if box.IsVoid():
        raise BuildError("the solid is empty", "a cut or intersection removed everything")
    c0, c1 = box.CornerMin(), box.CornerMax()
    x0, y0, z0, x1, y1, z1 = c0.X(), c0.Y(), c0.Z(), c1.X(), c1.Y(), c1.Z()
    problems = check_problems(shape) if check else []
    if vol <= 1e-6:
        problems.append("zero volume")
    return Solid(shape, vol, ((x0, y0, z0), (x1, y1, z1)), not problems, tuple(problems))


def _repaired(solid: Solid) -> Solid:
    """A solid that fails the check only through tolerances or split faces is sound: ShapeFix_Shape (tolerances,
    orientations) or ShapeUpgrade_UnifySameDomain (coplanar faces and collinear edges merged) makes it pass.
    Accepted only when the check then passes and volume and bounding box are unchanged (relative 1e-6); else
    the solid stays invalid with its problems."""
    from OCP.ShapeFix import ShapeFix_Shape
    from OCP.ShapeUpgrade import ShapeUpgrade_UnifySameDomain
    if solid.volume <= 1e-6:
        return solid
    size = max(max(b - a for a, b in zip(*solid.bbox)), 1e-9)

    def fixed_tolerances(shape):
        fix = ShapeFix_Shape(shape)
        fix.Perform()
        return fix.Shape()

    def unified(shape):
        uni = ShapeUpgrade_UnifySameDomain(shape, True, True, True)
        uni.Build()
        return uni.Shape()

    for repair in (fixed_tolerances, unified, lambda sh: unified(fixed_tolerances(sh))):
        try:
            cand = measure(repair(solid.shape))
        except (BuildError, RuntimeError):
            continue
        same = (abs(cand.volume - solid.volume) <= 1e-6 * solid.volume
                and np.allclose(cand.bbox, solid.bbox, rtol=0, atol=1e-6 * size))
        if cand.valid and same:
            return cand
    return solid


# OpenCascade's check results in words: (what was checked, BRepCheck status) → the phrase a user reads
_CHECK_WORDS = {
    "SelfIntersectingWire": "self-intersection (a loop crosses itself)",
    "IntersectingWires": "self-intersection (two loops of a face cross)",
    "NotClosed": "open loop",
    "NotConnected": "open loop (its edges do not connect)",
    "EmptyWire": "empty loop",
    "InvalidImbricationOfWires": "a hole lies outside its face",
    "BadOrientationOfSubshape": "a loop or face turned the wrong way",
    "BadOrientation": "a loop or face turned the wrong way",
    "EmptyShell": "empty surface",
    "InvalidMultiConnexity": "non-manifold edge (shared by more than two faces)",
    "FreeEdge": "open surface (an edge bounds one face only)",
    "UnorientableShape": "unorientable surface",
    "InvalidImbricationOfShells": "overlapping shells",
    "EnclosedRegion": "a region enclosed inside the solid",
}
_SHELL_WORDS = {"NotClosed": "open surface (the solid has a gap)"}


def check_problems(shape) -> list:
    """Which of OpenCascade's checks (BRepCheck) a shape fails, in words: self-intersection, open loop, a loop
    turned the wrong way, open surface, out-of-tolerance edges…; empty when BRepCheck_Analyzer finds it valid."""
    from OCP.BRepCheck import BRepCheck_Analyzer, BRepCheck_Face, BRepCheck_NoError, BRepCheck_Shell, BRepCheck_Wire
    from OCP.Standard import Standard_Failure
    from OCP.TopAbs import TopAbs_EDGE, TopAbs_FACE, TopAbs_SHELL, TopAbs_VERTEX, TopAbs_WIRE
    from OCP.TopExp import TopExp_Explorer
    from OCP.TopoDS import TopoDS, TopoDS_Edge
    if BRepCheck_Analyzer(shape).IsValid():
        return []
    found: list = []

    def sub(of, kind):
        ex = TopExp_Explorer(of, kind)
        while ex.More():
            yield ex.Current()
            ex.Next()

    def note(checks, words=_CHECK_WORDS):
        for check in checks:
            try:
                st = check()
            except Standard_Failure:
                continue
            if st != BRepCheck_NoError:
                name = st.name.replace("BRepCheck_", "")
                text = words.get(name) or _CHECK_WORDS.get(name) or f"{name} (an edge or vertex out of tolerance)"
                if text not in found:
                    found.append(text)

    for f in sub(shape, TopAbs_FACE):
        if BRepCheck_Analyzer(f).IsValid():
            continue
        face = TopoDS.Face(f)
        bf = BRepCheck_Face(face)
        note((bf.IntersectWires, bf.ClassifyWires, bf.OrientationOfWires))
        for w in sub(face, TopAbs_WIRE):
            bw = BRepCheck_Wire(TopoDS.Wire(w))
            note((bw.Closed, lambda bw=bw: bw.SelfIntersect(face, TopoDS_Edge(), TopoDS_Edge())))
    for sh in sub(shape, TopAbs_SHELL):
        bs = BRepCheck_Shell(TopoDS.Shell(sh))
        note((bs.Closed, bs.Orientation), {**_CHECK_WORDS, **_SHELL_WORDS})
    if not found and any(not BRepCheck_Analyzer(x).IsValid()
                         for kind in (TopAbs_EDGE, TopAbs_VERTEX) for x in sub(shape, kind)):
        found.append("an edge or vertex out of tolerance")
    return found or ["the solid's topology (BRepCheck_Analyzer)"]


def require_valid(solid: Solid) -> Solid:
    if not solid.valid:
        raise BuildError(f"the solid is invalid (volume {solid.volume:.3g} mm³; {solid.why_invalid()})",
                         "change the parameters so that features overlap properly")
    return solid


def mesh(solid: Solid, tol: float | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Triangulate: (vertices (N,3) float32, faces (M,3) int32), normals outward."""
    from OCP.BRep import BRep_Tool
    from OCP.BRepMesh import BRepMesh_IncrementalMesh
    from OCP.TopAbs import TopAbs_FACE, TopAbs_REVERSED
    from OCP.TopExp import TopExp_Explorer
    from OCP.TopLoc import TopLoc_Location
    from OCP.TopoDS import TopoDS
    if tol is None:
        ext = max(b - a for a, b in zip(*solid.bbox))
        tol = max(ext * 2e-3, 1e-3)
    BRepMesh_IncrementalMesh(solid.shape, tol, False, 0.3, True)
    verts, faces, off = [], [], 0
    exp = TopExp_Explorer(solid.shape, TopAbs_FACE)
    while exp.More():
        face = TopoDS.Face(exp.Current())
        loc = TopLoc_Location()
        tri = BRep_Tool.Triangulation_s(face, loc)
        if tri is not None:
            trsf = loc.Transformation()
            nv = tri.NbNodes()
            v = np.empty((nv, 3))
            for k in range(nv):
                p = tri.Node(k + 1).Transformed(trsf)
                v[k] = (p.X(), p.Y(), p.Z())
            f = np.empty((tri.NbTriangles(), 3), np.int64)
            for k in range(tri.NbTriangles()):
                a, b, c = tri.Triangle(k + 1).Get()
                f[k] = (a - 1, b - 1, c - 1)
            if face.Orientation() == TopAbs_REVERSED:
                f = f[:, [0, 2, 1]]
            verts.append(v)
            faces.append(f + off)
            off += nv
        exp.Next()
    if not verts:
        return np.zeros((0, 3), np.float32), np.zeros((0, 3), np.int32)
    return np.concatenate(verts).astype(np.float32), np.concatenate(faces).astype(np.int32)


def face_shading(vertices: np.ndarray, faces: np.ndarray, base=(0.72, 0.78, 0.90),
                 light=(0.35, -0.45, 0.82)) -> np.ndarray:
    """Per-face colours of a mesh lit by one fixed directional light (flat CAD faces under a default GL
    shader come out nearly black): (M, 4) float32 RGBA in [0, 1], alpha 1. Faces turned away from the
    light keep an ambient 0.35 plus a little back light, so every face stays readable."""
    v = np.asarray(vertices, np.float64).reshape(-1, 3)
    f = np.asarray(faces, np.int64).reshape(-1, 3)
    tri = v[f]
    n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    n /= np.maximum(np.linalg.norm(n, axis=1, keepdims=True), 1e-12)
    lv = np.asarray(light, np.float64)
    lv = lv / np.linalg.norm(lv)
    cos = n @ lv
    k = 0.35 + 0.65 * np.clip(cos, 0, 1) + 0.15 * np.clip(-cos, 0, 1)
    out = np.ones((len(f), 4), np.float32)
    out[:, :3] = np.clip(k[:, None] * np.asarray(base, np.float64), 0, 1)
    return out


def sample_surface(solid: Solid, n: int = 2000, seed: int = 0) -> np.ndarray:
    """n points uniformly on the surface (area-weighted over the triangle mesh)."""
    v, f = mesh(solid)
    if len(f) == 0:
        raise BuildError("the solid has no surface to sample", "build a valid part first")
    tri = v[f].astype(np.float64)
    area = 0.5 * np.linalg.norm(np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0]), axis=1)
    rng = np.random.default_rng(seed)
    idx = rng.choice(len(f), size=n, p=area / area.sum())
    u, w = rng.random(n), rng.random(n)
    flip = u + w > 1
    u[flip], w[flip] = 1 - u[flip], 1 - w[flip]
    t = tri[idx]
    return t[:, 0] + u[:, None] * (t[:, 1] - t[:, 0]) + w[:, None] * (t[:, 2] - t[:, 0])
