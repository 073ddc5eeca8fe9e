"""CAD files in and out: which files the panel opens (FILE_KINDS), DeepCAD JSON (read/write), 17-column vectors
(.vec text, .npy), and the solid's STEP/STL files (OpenCascade is imported only when one is written or read)."""
from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from inference.runtime.errors import InputError
from inference.runtime.media import IMAGE_SUFFIXES

from .seq import (Arc, CADSequence, Circle, Extrude, Line, arc_center, check_numbers, face_groups, from_vec,
                  plane_angles)

if TYPE_CHECKING:  # the kernel (OpenCascade) is imported only when a solid is written or read
    from .kernel import Solid

# what this panel opens (inference.panels reads it for drop routing and file dialogs); "image" is a picture
# of a part to generate from
FILE_KINDS = {"cad-json": (".json",), "cad-vec": (".vec", ".npy"), "image": IMAGE_SUFFIXES}


# ----------------------------------------------------------------------------- any sequence file
def load_sequence(path, unit_mm: float = 1000.0):
    """A DeepCAD JSON file, or 17-column vectors (.vec: whitespace-separated integers, .npy)."""
    p = Path(path)
    if p.suffix.lower() in (".vec", ".npy"):
        if not p.exists():
            raise InputError(f"{p} does not exist", "check the path")
        try:
            vec = np.load(p) if p.suffix.lower() == ".npy" else np.loadtxt(p, dtype=np.int64, ndmin=2)
        except (OSError, ValueError) as e:
            raise InputError(f"cannot read vectors from {p.name} ({str(e)[:120]})",
                             "a .vec file holds rows of 17 integers") from None
        return from_vec(vec)
    return read_deepcad_json(p, unit_mm=unit_mm)


# ----------------------------------------------------------------------------- DeepCAD JSON
def _pt(d: dict) -> np.ndarray:
    return np.array([float(d["x"]), float(d["y"]), float(d.get("z", 0.0))])


def read_deepcad_json(path_or_obj, unit_mm: float = 1000.0) -> CADSequence:
    """Read a DeepCAD ``cad_json`` file (Fusion 360 units: ``unit_mm`` mm per file unit)."""
    if isinstance(path_or_obj, (str, Path)):
        p = Path(path_or_obj)
        try:
            text = p.read_text(encoding="utf-8")
        except OSError as e:
            raise InputError(f"cannot read {p.name} ({e.strerror})", "check the path") from None
        except UnicodeDecodeError:
            raise InputError(f"{p.name} is not a text file", "open a DeepCAD .json file") from None
        try:
            obj = json.loads(text)
        except json.JSONDecodeError as e:
            raise InputError(f"{p.name} is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})",
                             "fix the file or open another DeepCAD .json file") from None
        except RecursionError:
            raise InputError(f"{p.name} is nested too deeply to be a DeepCAD sequence",
                             "open a DeepCAD .json file") from None
        except ValueError as e:  # e.g. an integer of thousands of digits
            raise InputError(f"{p.name} holds a number that cannot be read ({str(e)[:80]})",
                             "fix the file's numbers") from None
    else:
        obj = path_or_obj
    try:
        seq = _parse_deepcad(obj, unit_mm)
    except InputError:
        raise
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, OverflowError) as e:
        raise InputError(f"the JSON is not a DeepCAD sequence (missing or wrong field: {_shown(str(e))})",
                         "a DeepCAD file has 'entities' and 'sequence' with Sketch and ExtrudeFeature "
                         "entries") from None
    check_numbers(seq)  # NaN, infinities and absurd sizes never reach the quantiser or the kernel
    return seq


_OP_MAP = {"NewBodyFeatureOperation": 0, "NewComponentFeatureOperation": 0, "JoinFeatureOperation": 1,
           "CutFeatureOperation": 2, "IntersectFeatureOperation": 3}
_ET_MAP = {"OneSideFeatureExtentType": 0, "SymmetricFeatureExtentType": 1, "TwoSidesFeatureExtentType": 2}


def _parse_deepcad(obj: dict, unit_mm: float) -> CADSequence:
    if not isinstance(obj, dict) or "entities" not in obj or "sequence" not in obj:
        raise InputError("the JSON is not a DeepCAD sequence (no 'entities'/'sequence')",
                         "open a DeepCAD cad_json file or one saved by this program")
    ents = obj["entities"]
    # files this program wrote (properties.units) give a clockwise arc as normal z = -1 in sketch coordinates;
    # DeepCAD's own files give normals in world coordinates that do not tell the arc's direction
    own = "units" in (obj.get("properties") or {})
    seq = CADSequence()
    for step in obj["sequence"]:
        if step.get("type") != "ExtrudeFeature":
            continue
        ext = ents[step["entity"]]
        no = len(seq.extrudes) + 1
        et = _ET_MAP.get(ext.get("extent_type", "OneSideFeatureExtentType"))
        if et is None:
            raise InputError(f"unknown extent type {_shown(ext.get('extent_type'))}",
                             "use OneSide, Symmetric or TwoSides")
        op = _OP_MAP.get(ext.get("operation"))
        if op is None:
            raise InputError(f"unknown extrude operation {_shown(ext.get('operation'))}",
                             "use NewBody/Join/Cut/Intersect")
        start = (ext.get("start_extent") or {}).get("type", "ProfilePlaneStartDefinition")
        if start != "ProfilePlaneStartDefinition":
            raise InputError(f"extrusion {no} starts at a {_shown(start)}, not at its sketch plane",
                             "DeepCAD extrusions start at the profile plane")
        e1 = _distance(ext["extent_one"], no) * unit_mm
        e2 = _distance(ext["extent_two"], no) * unit_mm if et == 2 else 0.0
        # the profiles, grouped by sketch plane: each profile is one face (its outer loop and its holes; the
        # files' is_outer flags are unreliable, so which loop is outer is left to the kernel)
        planes: list = []  # [(origin, x, z, mirrored), loops, faces]
        for pref in ext["profiles"]:
            sk = ents[pref["sketch"]]
            plane = _sketch_plane(sk["transform"], no)
            loops = [_read_loop(lp["profile_curves"], unit_mm, no, own)
                     for lp in sk["profiles"][pref["profile"]]["loops"]]
            if not loops:
                raise InputError(f"extrusion {no}: a profile has no loops", "the file is incomplete")
            if plane[3]:  # a left-handed sketch frame: mirror the sketch so that y = z × x
                loops = [[_mirrored(c) for c in lp] for lp in loops]
            group = next((g for g in planes if all(np.allclose(u, v, rtol=0, atol=1e-12)
                                                   for u, v in zip(g[0][:3], plane[:3]))), None)
            if group is None:
                group = [plane, [], []]
                planes.append(group)
            group[2].append(list(range(len(group[1]), len(group[1]) + len(loops))))
            group[1].extend(loops)
        if not planes:
            raise InputError(f"extrusion {no} has no profile", "the file is incomplete")
        if len(planes) > 1 and op == 3:
            raise InputError(f"extrusion {no} intersects with profiles on {len(planes)} different sketch planes",
                             "one intersect extrusion per sketch plane")
        for k, ((origin, xa, za, _), loops, faces) in enumerate(planes):
            theta, phi, gamma = plane_angles(za, xa)
            seq.extrudes.append(Extrude(loops=loops, theta=theta, phi=phi, gamma=gamma,
                                        origin=tuple(float(v) * unit_mm for v in origin),
                                        e1=e1, e2=e2, op=1 if (k and op == 0) else op, etype=et, faces=faces))
    if not seq.extrudes:
        raise InputError("the DeepCAD file has no extrusion", "open a file with at least one ExtrudeFeature")
    return seq


def _shown(v, limit: int = 60) -> str:
    """A value from the file as an error message shows it: one line, at most ``limit`` characters."""
    t = " ".join(str(v).split())
    return t if len(t) <= limit else t[:limit - 1] + "…"


def _distance(extent: dict, no: int) -> float:
    """A DeepCAD extent's signed distance (file units); other extent kinds and tapers are refused."""
    kind = extent.get("type", "DistanceExtentDefinition")
    if kind != "DistanceExtentDefinition":
        raise InputError(f"extrusion {no} has a {_shown(kind)}, not a distance",
                         "DeepCAD extrusions go a given distance")
    taper = float((extent.get("taper_angle") or {}).get("value", 0.0))
    if abs(taper) > 1e-12:
        raise InputError(f"extrusion {no} is tapered ({math.degrees(taper):.3g}°)", "only straight extrusions build")
    return float(extent["distance"]["value"])


def _sketch_plane(tr: dict, no: int) -> tuple:
    """(origin, x axis, z axis, mirrored) of a sketch's transform; ``mirrored`` when its y axis is −(z × x)."""
    origin, xa, ya, za = (_pt(tr[k]) for k in ("origin", "x_axis", "y_axis", "z_axis"))
    unit = {}
    for name, axis in (("x", xa), ("z", za), ("y", ya)):
        norm = float(np.linalg.norm(axis))
        if not math.isfinite(norm) or norm < 1e-9:
            raise InputError(f"extrusion {no}: the sketch plane's {name} axis has no "
                             "direction (zero length)", "give the sketch plane unit x and z axes")
        unit[name] = axis / norm
    handed = float(np.dot(np.cross(unit["z"], unit["x"]), unit["y"]))
    if abs(float(np.dot(unit["x"], unit["z"]))) > 1e-6 or abs(abs(handed) - 1.0) > 1e-6:
        raise InputError(f"extrusion {no}: the sketch plane's axes are not perpendicular",
                         "give the sketch plane perpendicular x, y and z axes")
    return origin, xa, za, handed < 0


def _mirrored(c):
    """A sketch curve mirrored in the sketch's x axis (y → −y; arcs turn the other way)."""
    if isinstance(c, Circle):
        return Circle(c.x, -c.y, c.r)
    if isinstance(c, Arc):
        return Arc(c.x, -c.y, c.sweep, not c.ccw)
    return Line(c.x, -c.y)


def _read_loop(curves: list, unit_mm: float, ext_no: int, own: bool = False) -> list:
    if not curves:
        raise InputError(f"extrusion {ext_no}: a loop has no curves", "the file is incomplete")
    items = []
    for c in curves:
        t = c["type"]
        if t == "Circle3D":
            if len(curves) != 1:
                raise InputError(f"extrusion {ext_no}: a circle shares a loop with other curves",
                                 "a circle is a loop on its own")
            ctr = _pt(c["center_point"]) * unit_mm
            return [Circle(float(ctr[0]), float(ctr[1]), float(c["radius"]) * unit_mm)]
        a, b = _pt(c["start_point"]) * unit_mm, _pt(c["end_point"]) * unit_mm
        if t == "Line3D":
            items.append(["L", a[:2], b[:2], None])
        elif t == "Arc3D":
            ctr = _pt(c["center_point"]) * unit_mm
            a0, a1 = float(c["start_angle"]), float(c["end_angle"])
            sweep = abs(a1 - a0)
            ref = _pt(c["reference_vector"])
            rad = float(c["radius"]) * unit_mm
            ref_ang = math.atan2(ref[1], ref[0])

            def at(ang):
                return ctr[:2] + rad * np.array([math.cos(ref_ang + ang), math.sin(ref_ang + ang)])

            if own:
                turn = 1 if float(c.get("normal", {"z": 1.0}).get("z", 1.0)) >= 0 else -1
            else:
                # DeepCAD: the arc turns counter-clockwise (in sketch coordinates) from the reference vector, as
                # DeepCAD's own reader has it, whatever the normal says; clockwise only where that is what lands
                # on the file's end points
                def miss(s):
                    p, q = at(s * a0), at(s * a1)
                    return min(np.linalg.norm(p - a[:2]) + np.linalg.norm(q - b[:2]),
                               np.linalg.norm(p - b[:2]) + np.linalg.norm(q - a[:2]))
                turn = -1 if miss(-1) < miss(1) - 1e-6 * max(rad, 1e-9) else 1
            mid = at(turn * (a0 + a1) / 2)
            items.append(["A", a[:2], b[:2], (sweep, mid)])
        else:
            raise InputError(f"extrusion {ext_no}: unsupported curve type {_shown(t)}", "use Line3D, Arc3D or Circle3D")
    # chain the curves end to start, flipping where needed
    tol = 1e-4 * max(1.0, max(float(np.abs(np.concatenate([it[1], it[2]])).max()) for it in items))
    chain = [items.pop(0)]
    while items:
        end = chain[-1][2]
        for k, it in enumerate(items):
            if np.linalg.norm(it[1] - end) < tol:
                chain.append(items.pop(k))
                break
            if np.linalg.norm(it[2] - end) < tol:
                it = items.pop(k)
                chain.append([it[0], it[2], it[1], it[3]])
                break
        else:
            raise InputError(f"extrusion {ext_no}: the sketch loop is open (a curve ends at "
                             f"({end[0]:.3g}, {end[1]:.3g}) where no other curve starts)",
                             "close the loop so each curve starts where the previous one ends")
    if np.linalg.norm(chain[-1][2] - chain[0][1]) > tol:
        raise InputError(f"extrusion {ext_no}: the sketch loop is open (its last curve does not end where "
                         "the first starts)", "close the loop")
    out = []
    for kind, a, b, extra in chain:
        if kind == "L":
            out.append(Line(float(b[0]), float(b[1])))
        else:
            sweep, mid = extra
            cross = (mid[0] - a[0]) * (b[1] - mid[1]) - (mid[1] - a[1]) * (b[0] - mid[0])
            out.append(Arc(float(b[0]), float(b[1]), float(sweep), bool(cross > 0)))
    return out


def write_deepcad_json(seq: CADSequence, path=None, unit_mm: float = 1000.0) -> dict:
    """Write a sequence as a DeepCAD ``cad_json`` object (and file when ``path`` is given)."""
    ents: dict = {}
    order: list = []
    for i, e in enumerate(seq.extrudes):
        n, xa, ya = e.frame()
        sk_id, ex_id, pr_id = f"sketch{i + 1}", f"extrude{i + 1}", f"profile{i + 1}"
        loops = []
        outer = {g[0] for g in face_groups(e)}
        for lp in e.loops:
            curves = []
            if isinstance(lp[0], Circle):
                c = lp[0]
                curves.append({"type": "Circle3D", "center_point": _xyz(c.x * e.s, c.y * e.s),
                               "radius": c.r * e.s / unit_mm, "normal": {"x": 0.0, "y": 0.0, "z": 1.0}})
            else:
                prev = np.array([lp[-1].x, lp[-1].y]) * e.s
                for c in lp:
                    end = np.array([c.x, c.y]) * e.s
                    if isinstance(c, Arc):
                        ctr, rad = arc_center(prev, end, c.sweep, c.ccw)
                        a0 = math.atan2(prev[1] - ctr[1], prev[0] - ctr[0])
                        refv = (prev - ctr) / rad
                        nz = 1.0 if c.ccw else -1.0
                        curves.append({"type": "Arc3D", "start_point": _xyz(*prev), "end_point": _xyz(*end),
                                       "center_point": _xyz(*ctr), "radius": rad / unit_mm,
                                       "normal": {"x": 0.0, "y": 0.0, "z": nz}, "start_angle": 0.0,
                                       "end_angle": c.sweep,
                                       "reference_vector": {"x": float(refv[0]), "y": float(refv[1]), "z": 0.0}})
                        del a0
                    else:
                        curves.append({"type": "Line3D", "start_point": _xyz(*prev), "end_point": _xyz(*end)})
                    prev = end
            for c in curves:
                for k in ("start_point", "end_point", "center_point"):
                    if k in c:
                        c[k] = {kk: vv / unit_mm for kk, vv in c[k].items()}
            loops.append({"is_outer": len(loops) in outer, "profile_curves": curves})
        # one profile per face (all loops in one when the faces are not known; is_outer is not relied on)
        faces = e.faces if e.faces is not None else [range(len(loops))]
        profiles = {(pr_id if len(faces) == 1 else f"{pr_id}_{k + 1}"): {"loops": [loops[j] for j in face]}
                    for k, face in enumerate(faces)}
        ents[sk_id] = {"type": "Sketch", "name": f"Sketch {i + 1}", "profiles": profiles,
                       "transform": {"origin": _xyz(*(np.array(e.origin) / unit_mm)), "x_axis": _xyz(*xa),
                                     "y_axis": _xyz(*ya), "z_axis": _xyz(*n)}, "reference_plane": {}}
        e1 = e.e1  # symmetric: extent_one is the distance on each side (checked on DeepCAD files)
        ents[ex_id] = {"type": "ExtrudeFeature", "name": f"Extrude {i + 1}",
                       "profiles": [{"profile": k, "sketch": sk_id} for k in profiles],
                       "operation": [k for k, v in _OP_MAP.items() if v == e.op and "Component" not in k][0],
                       "extent_type": [k for k, v in _ET_MAP.items() if v == e.etype][0],
                       "extent_one": {"type": "DistanceExtentDefinition",
                                      "distance": {"type": "ModelParameter", "value": e1 / unit_mm}},
                       "extent_two": {"type": "DistanceExtentDefinition",
                                      "distance": {"type": "ModelParameter", "value": e.e2 / unit_mm}},
                       "start_extent": {"type": "ProfilePlaneStartDefinition"}}
        order += [{"index": 2 * i, "type": "Sketch", "entity": sk_id},
                  {"index": 2 * i + 1, "type": "ExtrudeFeature", "entity": ex_id}]
    obj = {"entities": ents, "sequence": order, "properties": {"units": f"{unit_mm:g} mm per unit"}}
    if path is not None:
        Path(path).write_text(json.dumps(obj, indent=1), encoding="utf-8")
    return obj


def _xyz(x, y, z=0.0) -> dict:
    return {"x": float(x), "y": float(y), "z": float(z)}


# ----------------------------------------------------------------------------- the solid: STEP, STL
def write_step(solid: Solid, path) -> None:
    from OCP.IFSelect import IFSelect_RetDone
    from OCP.Interface import Interface_Static
    from OCP.STEPControl import STEPControl_AsIs, STEPControl_Writer
    from .kernel import _quiet_stdout
    Interface_Static.SetCVal_s("write.step.unit", "MM")
    with _quiet_stdout():
        w = STEPControl_Writer()
        w.Transfer(solid.shape, STEPControl_AsIs)
        ok = w.Write(str(path)) == IFSelect_RetDone
    if not ok:
        raise InputError(f"cannot write STEP file {path}", "check the folder exists and is writable")


def read_step(path) -> Solid:
    from OCP.IFSelect import IFSelect_RetDone
    from OCP.STEPControl import STEPControl_Reader
    from .kernel import _quiet_stdout, measure
    with _quiet_stdout():
        r = STEPControl_Reader()
        ok = r.ReadFile(str(path)) == IFSelect_RetDone
        if ok:
            r.TransferRoots()
    if not ok:
        raise InputError(f"cannot read STEP file {path}", "is it a STEP (.step/.stp) file?")
    return measure(r.OneShape())


def write_stl(solid: Solid, path) -> None:
    from .kernel import BuildError, mesh
    v, f = mesh(solid)
    if len(f) == 0:
        raise BuildError("the solid has no surface to write", "build a valid part first")
    tri = v[f]
    nrm = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    nrm /= np.maximum(np.linalg.norm(nrm, axis=1, keepdims=True), 1e-12)
    rec = np.zeros(len(f), dtype=[("n", "<f4", 3), ("v", "<f4", (3, 3)), ("a", "<u2")])
    rec["n"], rec["v"] = nrm, tri
    with open(path, "wb") as fh:
        fh.write(b"mmwb cad STL (mm)".ljust(80, b" "))
        fh.write(np.uint32(len(f)).tobytes())
        fh.write(rec.tobytes())


def step_roundtrip_volume(solid: Solid) -> float:
    fd, p = tempfile.mkstemp(suffix=".step")
    os.close(fd)
    try:
        write_step(solid, p)
        return read_step(p).volume
    finally:
        Path(p).unlink(missing_ok=True)
