"""DeepCAD sequences, vectors, JSON files and the OpenCascade kernel."""
from __future__ import annotations

import json
import math

import numpy as np
import pytest

from inference.cad import io as cad_io
from inference.cad import kernel
from inference.cad.io import read_deepcad_json, write_deepcad_json
from inference.cad.seq import (ARC, CIRCLE, EOS, EXT, LINE, SOL, Arc, CADSequence, Circle, Extrude, Line,
                               from_vec, plane_angles, plane_frame, to_vec, validate_vec)
from inference.runtime.errors import InputError


def check_part() -> CADSequence:
    """20×10 plate with an r=3 through-hole, extruded 5, plus an r=2 cylinder of height 8 on top."""
    plate = Extrude(loops=[[Line(10, -5), Line(10, 5), Line(-10, 5), Line(-10, -5)], [Circle(0, 0, 3)]], e1=5)
    pin = Extrude(loops=[[Circle(6, 0, 2)]], origin=(0, 0, 5), e1=8, op=1)
    return CADSequence([plate, pin])


def test_check_part_volume_and_step_roundtrip(tmp_path):
    s = kernel.build(check_part())
    assert s.valid
    assert s.volume == pytest.approx(1000 - 13 * math.pi, rel=1e-9)
    cad_io.write_step(s, tmp_path / "p.step")
    back = cad_io.read_step(tmp_path / "p.step")
    assert back.volume == pytest.approx(1000 - 13 * math.pi, rel=1e-7)
    assert np.allclose(back.bbox, s.bbox, atol=1e-6)
    assert np.allclose(s.bbox, ((-10, -5, 0), (10, 5, 13)), atol=1e-6)


def test_step_export_writes_nothing_to_stdout(tmp_path, capfd):
    """OpenCascade's STEP translator prints a banner on fd 1: it is silenced there (a CLI's --json output stays
    clean), fd 1 is restored afterwards, and concurrent exports do not leave it redirected."""
    import os
    import threading

    s = kernel.build(check_part())
    print("before", flush=True)
    cad_io.write_step(s, tmp_path / "p.step")
    cad_io.read_step(tmp_path / "p.step")
    threads = [threading.Thread(target=cad_io.write_step, args=(s, tmp_path / f"t{i}.step")) for i in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print("after", flush=True)
    os.write(1, b"fd1\n")  # fd 1 itself is back
    kernel._flush_c_stdout()  # anything OpenCascade left in the C library's buffer would show now
    out = capfd.readouterr().out
    assert out == "before\nafter\nfd1\n", out
    assert all((tmp_path / f"t{i}.step").stat().st_size > 1000 for i in range(3))


def test_check_part_vector_roundtrip_is_exact():
    v = to_vec(check_part())
    assert v.shape == (12, 17)
    assert list(v[:, 0]) == [SOL, LINE, LINE, LINE, LINE, SOL, CIRCLE, EXT, SOL, CIRCLE, EXT, EOS]
    assert ((v == -1) | ((v >= 0) & (v <= 255))).all()
    s = kernel.build(from_vec(v))
    assert s.volume == pytest.approx(1000 - 13 * math.pi, rel=1e-9)


def test_stl_and_mesh(tmp_path):
    s = kernel.build(check_part())
    v, f = kernel.mesh(s)
    assert len(v) > 20 and len(f) > 20 and f.max() < len(v)
    cad_io.write_stl(s, tmp_path / "p.stl")
    data = (tmp_path / "p.stl").read_bytes()
    n = int(np.frombuffer(data[80:84], np.uint32)[0])
    assert len(data) == 84 + 50 * n and n == len(f)
    # mesh volume (divergence theorem) agrees with the exact B-rep volume
    tri = v[f].astype(np.float64)
    vol = np.einsum("ij,ij->i", tri[:, 0], np.cross(tri[:, 1], tri[:, 2])).sum() / 6
    assert vol == pytest.approx(s.volume, rel=0.02)


def deepcad_files(shared_data) -> list:
    """Every DeepCAD file in ../shared/data/deepcad, subfolders included."""
    files = sorted((shared_data / "deepcad").rglob("*.json"))
    assert len(files) >= 11
    return files


def bbox_error(path, solid) -> tuple[float, float]:
    """(largest corner difference from the file's properties.bounding_box, the part's largest side), in mm."""
    bb = json.loads(path.read_text())["properties"]["bounding_box"]
    lo = np.array([bb["min_point"][k] * 1000 for k in "xyz"])
    hi = np.array([bb["max_point"][k] * 1000 for k in "xyz"])
    err = max(np.abs(np.array(solid.bbox[0]) - lo).max(), np.abs(np.array(solid.bbox[1]) - hi).max())
    return float(err), float((hi - lo).max())


def test_deepcad_files_match_their_bounding_boxes(shared_data):
    """Every real file rebuilds valid, within 0.1% of the part's size (and 0.05 mm) of its stored bounding box:
    no vector-encoding limit applies to reading or building."""
    for f in deepcad_files(shared_data):
        s = kernel.build(read_deepcad_json(f))
        assert s.valid, (f.name, s.problems)
        err, size = bbox_error(f, s)
        assert err <= min(0.05, 1e-3 * size), (f.name, err, size, s.bbox)


def test_show_reports_every_deepcad_file_valid(shared_data, capsys):
    from inference.cli import main
    for f in deepcad_files(shared_data):
        assert main(["cad", "show", str(f)]) == 0, f.name
        out = capsys.readouterr().out
        assert "solid: valid" in out, (f.name, out)


def test_json_write_read_roundtrip(tmp_path, shared_data):
    for f in deepcad_files(shared_data) + [None]:
        seq = read_deepcad_json(f) if f else check_part()
        write_deepcad_json(seq, tmp_path / "x.json")
        back = read_deepcad_json(tmp_path / "x.json")
        a, b = kernel.build(seq), kernel.build(back)
        assert b.valid == a.valid
        assert b.volume == pytest.approx(a.volume, rel=1e-9)
        assert np.allclose(a.bbox, b.bbox, atol=1e-6)


def test_vector_limits_apply_only_when_encoding(shared_data):
    """Loops per sketch, curves per loop, extrusions and rows bound the 17-column vectors, not the file: the part
    builds, and turning it into vectors says which limit it hit."""
    for name, limit in (("00000352.json", "MAX_LOOPS"), ("00561068_flash.json", "MAX_CURVES")):
        seq = read_deepcad_json(shared_data / "deepcad" / name)
        assert kernel.build(seq).valid
        with pytest.raises(InputError, match=limit):
            to_vec(seq, 400.0)
    stack = CADSequence([Extrude(loops=[[Circle(0, 0, 3)]], origin=(0, 0, k), e1=1, op=1 if k else 0)
                         for k in range(11)])
    assert kernel.build(stack).volume == pytest.approx(11 * 9 * math.pi)
    with pytest.raises(InputError, match="MAX_EXT"):
        to_vec(stack)
    squares = [[Line(x + 1, 0), Line(x + 1, 1), Line(x, 1), Line(x, 0)] for x in range(0, 12, 2)]
    many = CADSequence([Extrude(loops=squares, e1=1), Extrude(loops=squares, origin=(0, 0, 1), e1=1, op=1)])
    assert kernel.build(many).volume == pytest.approx(12)
    with pytest.raises(InputError, match="MAX_ROWS"):
        to_vec(many)


@pytest.mark.parametrize("etype,e1,e2,z", [
    (0, 5, 0, (0, 5)), (0, -5, 0, (-5, 0)),                    # one side, either way along the normal
    (1, 3, 0, (-3, 3)), (1, -3, 0, (-3, 3)),                   # symmetric: e1 on each side
    (2, 4, 2, (-2, 4)), (2, -1, 3, (-3, 0)), (2, 4, -1, (0, 4)),  # two sides: 0..e1 joined with 0..−e2
])
def test_extents(etype, e1, e2, z):
    s = kernel.build(CADSequence([Extrude(loops=[[Circle(0, 0, 2)]], e1=e1, e2=e2, etype=etype)]))
    assert s.valid
    assert s.bbox[0][2] == pytest.approx(z[0], abs=1e-9) and s.bbox[1][2] == pytest.approx(z[1], abs=1e-9)
    assert s.volume == pytest.approx(4 * math.pi * (z[1] - z[0]), rel=1e-9)


def test_every_operation_and_several_bodies():
    box = [Line(5, -5), Line(5, 5), Line(-5, 5), Line(-5, -5)]

    def part(op, **kw):
        return CADSequence([Extrude(loops=[box], e1=10), Extrude(loops=[[Circle(5, 0, 2)]], e1=20, op=op, **kw)])

    assert kernel.build(part(0)).volume == pytest.approx(1000 + 60 * math.pi)  # new body: their union
    assert kernel.build(part(1)).volume == pytest.approx(1000 + 60 * math.pi)  # join
    assert kernel.build(part(2)).volume == pytest.approx(1000 - 20 * math.pi)  # cut
    assert kernel.build(part(3)).volume == pytest.approx(20 * math.pi)  # intersect
    apart = kernel.build(part(0, origin=(0, 0, 30)))  # a second body not touching the first
    assert apart.valid and apart.volume == pytest.approx(1000 + 80 * math.pi)
    assert apart.bbox[1][2] == pytest.approx(50)


def _one_sketch_file(loops, transform, extent=5.0, extent_type="OneSideFeatureExtentType", profiles=None):
    """A DeepCAD object: one sketch (loops of (x, y) points in metres, drawn as lines) extruded once."""
    def line(a, b):
        return {"type": "Line3D", "start_point": dict(zip("xyz", (*a, 0.0))),
                "end_point": dict(zip("xyz", (*b, 0.0)))}
    all_loops = [{"is_outer": True, "profile_curves": [line(lp[k - 1], lp[k]) for k in range(len(lp))]}
                 for lp in loops]
    groups = profiles or [list(range(len(loops)))]
    prof = {f"p{k}": {"loops": [all_loops[j] for j in g]} for k, g in enumerate(groups)}
    tr = {k: dict(zip("xyz", map(float, v))) for k, v in transform.items()}
    dist = {"type": "DistanceExtentDefinition", "distance": {"type": "ModelParameter", "value": extent / 1000}}
    return {"entities": {
        "s": {"type": "Sketch", "profiles": prof, "transform": tr},
        "e": {"type": "ExtrudeFeature", "profiles": [{"sketch": "s", "profile": k} for k in prof],
              "operation": "NewBodyFeatureOperation", "extent_type": extent_type, "extent_one": dist,
              "extent_two": dist, "start_extent": {"type": "ProfilePlaneStartDefinition"}}},
        "sequence": [{"type": "Sketch", "entity": "s"}, {"type": "ExtrudeFeature", "entity": "e"}]}


SQUARE = [(0, 0), (0.01, 0), (0.01, 0.02), (0, 0.02)]  # 10 × 20 mm, counter-clockwise


@pytest.mark.parametrize("y_axis,v_sign", [((0, 0, 1), 1), ((0, 0, -1), -1)])
def test_sketch_plane_transform(y_axis, v_sign):
    """A sketch point (u, v) lies at origin + u·x_axis + v·y_axis, whatever the frame's handedness; the profile
    goes along z_axis."""
    tr = {"origin": (0.001, 0.002, 0.003), "x_axis": (0, 1, 0), "y_axis": y_axis, "z_axis": (1, 0, 0)}
    s = kernel.build(read_deepcad_json(_one_sketch_file([SQUARE], tr, extent=-4.0)))
    assert s.valid and s.volume == pytest.approx(800)
    z = (3, 23) if v_sign > 0 else (-17, 3)
    assert np.allclose(s.bbox, ((1 - 4, 2, z[0]), (1, 12, z[1])), atol=1e-9), s.bbox


def test_skewed_sketch_axes_are_refused():
    tr = {"origin": (0, 0, 0), "x_axis": (1, 0, 0), "y_axis": (1, 1, 0), "z_axis": (0, 0, 1)}
    with pytest.raises(InputError, match="not perpendicular"):
        read_deepcad_json(_one_sketch_file([SQUARE], tr))


FLAT = {"origin": (0, 0, 0), "x_axis": (1, 0, 0), "y_axis": (0, 1, 0), "z_axis": (0, 0, 1)}


def test_holes_drawn_either_way_and_adjacent_profiles():
    """DeepCAD files mark every loop is_outer and draw holes either way round: a hole is a hole, and two
    profiles that share an edge are two faces extruded together."""
    hole_ccw = [(0.004, 0.004), (0.006, 0.004), (0.006, 0.006), (0.004, 0.006)]
    for hole in (hole_ccw, hole_ccw[::-1]):
        s = kernel.build(read_deepcad_json(_one_sketch_file([SQUARE, hole], FLAT)))
        assert s.valid and s.volume == pytest.approx((200 - 4) * 5), s.problems
    right = [(0.01, 0), (0.02, 0), (0.02, 0.02), (0.01, 0.02)]
    seq = read_deepcad_json(_one_sketch_file([SQUARE, right[::-1]], FLAT, profiles=[[0], [1]]))
    assert seq.extrudes[0].faces == [[0], [1]]
    s = kernel.build(seq)
    assert s.valid and s.volume == pytest.approx(400 * 5)
    assert np.allclose(s.bbox, ((0, 0, 0), (20, 20, 5)), atol=1e-9)


def test_invalid_solids_say_which_check_failed():
    from OCP.BRepBuilderAPI import BRepBuilderAPI_MakeFace
    from OCP.gp import gp_Pln
    plate = Extrude(loops=[[Line(10, -5), Line(10, 5), Line(-10, 5), Line(-10, -5)], [Circle(9, 0, 3)]], e1=5)
    s = kernel.build(CADSequence([plate]))  # the hole crosses the plate's edge: not repaired, not valid
    assert not s.valid and any("self-intersection" in p for p in s.problems), s.problems
    assert "self-intersection" in s.why_invalid()
    flat = kernel.measure(BRepBuilderAPI_MakeFace(gp_Pln(), 0.0, 1.0, 0.0, 1.0).Face())
    assert not flat.valid and "zero volume" in flat.problems


def test_arcs_roundtrip_through_json(tmp_path):
    slot = [Line(10, -3), Arc(10, 3, math.pi, True), Line(-10, 3), Arc(-10, -3, math.pi, True)]
    seq = CADSequence([Extrude(loops=[slot], e1=4)])
    s = kernel.build(seq)
    assert s.volume == pytest.approx((20 * 6 + math.pi * 9) * 4, rel=1e-9)
    write_deepcad_json(seq, tmp_path / "s.json")
    assert kernel.build(read_deepcad_json(tmp_path / "s.json")).volume == pytest.approx(s.volume, rel=1e-9)


def test_clockwise_arcs_roundtrip_through_json(tmp_path):
    """This program's own files mark a clockwise arc with normal z = -1 (in sketch coordinates)."""
    slot = [Line(10, -3), Arc(10, 3, math.pi, True), Line(-10, 3), Arc(-10, -3, math.pi, True)]
    notch = [Line(10, -3), Arc(10, 3, math.pi, False), Line(-10, 3), Arc(-10, -3, 2.0, False)]
    for loop in (slot, notch):
        seq = CADSequence([Extrude(loops=[loop], e1=4)])
        s = kernel.build(seq)
        write_deepcad_json(seq, tmp_path / "s.json")
        back = kernel.build(read_deepcad_json(tmp_path / "s.json"))
        assert back.volume == pytest.approx(s.volume, rel=1e-9)
        assert np.allclose(back.bbox, s.bbox, atol=1e-9)


@pytest.mark.parametrize("normal", [(0, 0, -1), (0, 0, 1)])
def test_deepcad_arc_turns_counter_clockwise_from_its_reference_vector(normal):
    """Real DeepCAD files (e.g. 00000330) give an arc's normal in world coordinates, on sketch planes whose z axis
    may be -z: the arc turns counter-clockwise in sketch coordinates from reference_vector, whatever the normal
    (as DeepCAD's own reader has it). A D shape: lines to (13, ±3) and an arc about (9, 0), r = 5, bulging out to
    x = 14 (not back to x = 4)."""
    pt = lambda x, y: {"x": x / 1000, "y": y / 1000, "z": 0.0}
    ln = lambda a, b: {"type": "Line3D", "start_point": pt(*a), "end_point": pt(*b)}
    arc = {"type": "Arc3D", "center_point": pt(9, 0), "radius": 0.005, "start_angle": 0.0,
           "end_angle": 2 * math.atan2(3, 4), "reference_vector": {"x": 0.8, "y": -0.6, "z": 0.0},
           "start_point": pt(13, -3), "end_point": pt(13, 3), "normal": dict(zip("xyz", map(float, normal)))}
    curves = [ln((0, -3), (13, -3)), arc, ln((13, 3), (0, 3)), ln((0, 3), (0, -3))]
    tr = {"origin": (0, 0, 0), "x_axis": (1, 0, 0), "y_axis": (0, -1, 0), "z_axis": (0, 0, -1)}
    obj = _one_sketch_file([SQUARE], tr)
    obj["entities"]["s"]["profiles"] = {"p0": {"loops": [{"is_outer": True, "profile_curves": curves}]}}
    s = kernel.build(read_deepcad_json(obj))
    assert s.valid
    assert np.allclose(s.bbox, ((0, -3, -5), (14, 3, 0)), atol=1e-9), s.bbox


@pytest.mark.parametrize("theta,phi,gamma", [(0, 0, 0), (math.pi / 2, -math.pi / 2, math.pi / 2),
                                             (math.pi / 4, 0, -math.pi / 4), (2.0, 1.0, -2.5)])
def test_plane_angles_roundtrip(theta, phi, gamma):
    n, x, y = plane_frame(theta, phi, gamma)
    assert np.allclose(np.cross(n, x), y)
    t2, p2, g2 = plane_angles(n, x)
    n2, x2, _ = plane_frame(t2, p2, g2)
    assert np.allclose(n, n2) and np.allclose(x, x2)


# ---------------------------------------------------------------------------- clear errors
def test_malformed_json(tmp_path):
    p = tmp_path / "bad.json"
    p.write_text('{"entities": {', encoding="utf-8")
    with pytest.raises(InputError, match="not valid JSON"):
        read_deepcad_json(p)
    p.write_text('{"hello": 1}', encoding="utf-8")
    with pytest.raises(InputError, match="not a DeepCAD sequence"):
        read_deepcad_json(p)


def test_out_of_range_parameter():
    v = to_vec(check_part())
    v[1, 1] = 300
    with pytest.raises(InputError, match="out of range 0..255"):
        validate_vec(v)
    v = to_vec(check_part())
    v[7, 15] = 7
    with pytest.raises(InputError, match="out of range"):
        validate_vec(v)
    with pytest.raises(InputError, match="outside"):
        to_vec(CADSequence([Extrude(loops=[[Circle(0, 0, 3)]], e1=500)]))


def test_open_loop(shared_data, tmp_path):
    obj = json.loads((shared_data / "deepcad" / "00000016.json").read_text())
    # move one line's end point so the loop no longer closes
    for ent in obj["entities"].values():
        if ent.get("type") == "Sketch":
            for prof in ent["profiles"].values():
                for lp in prof["loops"]:
                    for c in lp["profile_curves"]:
                        if c["type"] == "Line3D":
                            c["end_point"]["x"] += 0.01
                            break
                    break
    p = tmp_path / "open.json"
    p.write_text(json.dumps(obj))
    with pytest.raises(InputError, match="open"):
        read_deepcad_json(p)
    v = to_vec(check_part())
    v = np.delete(v, [2, 3, 4], axis=0)  # a loop with a single line
    with pytest.raises(InputError, match="open"):
        from_vec(v)


def test_self_intersecting_profile():
    bowtie = [Line(10, 10), Line(10, 0), Line(0, 10), Line(0, 0)]
    with pytest.raises(InputError, match="intersects itself"):
        kernel.build(CADSequence([Extrude(loops=[bowtie], e1=3)]))


def test_first_extrusion_cannot_cut():
    with pytest.raises(InputError, match="first extrusion"):
        kernel.build(CADSequence([Extrude(loops=[[Circle(0, 0, 3)]], e1=3, op=2)]))


def test_bad_vectors():
    with pytest.raises(InputError, match="shape"):
        validate_vec(np.zeros((3, 5)))
    with pytest.raises(InputError, match="no EOS"):
        validate_vec(to_vec(check_part())[:-1])
    v = to_vec(check_part())
    v[0, 0] = 9
    with pytest.raises(InputError, match="unknown command"):
        validate_vec(v)


def test_a_sound_solid_that_fails_only_on_tolerances_is_repaired():
    """A vertex 0.1 µm off its edges with a tighter tolerance fails BRepCheck, yet the solid is sound: ShapeFix
    widens the tolerance, and volume and bounding box stay as they were."""
    from OCP.BRep import BRep_Builder, BRep_Tool
    from OCP.BRepPrimAPI import BRepPrimAPI_MakeBox
    from OCP.gp import gp_Pnt
    from OCP.TopAbs import TopAbs_VERTEX
    from OCP.TopExp import TopExp_Explorer
    from OCP.TopoDS import TopoDS
    box = BRepPrimAPI_MakeBox(10, 20, 30).Shape()
    v = TopoDS.Vertex(TopExp_Explorer(box, TopAbs_VERTEX).Current())
    p = BRep_Tool.Pnt_s(v)
    BRep_Builder().UpdateVertex(v, gp_Pnt(p.X() + 1e-4, p.Y(), p.Z()), 1e-7)
    bad = kernel.measure(box)
    assert not bad.valid and "an edge or vertex out of tolerance" in bad.problems
    fixed = kernel._repaired(bad)
    assert fixed.valid and fixed.volume == pytest.approx(6000, rel=1e-12)
    assert np.allclose(fixed.bbox, ((0, 0, 0), (10, 20, 30)), atol=1e-9)
