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


def test_deepcad_files_match_their_bounding_boxes(shared_data):
    files = sorted((shared_data / "deepcad").glob("*.json"))
    assert files
    for f in files:
        seq = read_deepcad_json(f)
        s = kernel.build(seq)
        assert s.valid, f.name
        bb = json.loads(f.read_text())["properties"]["bounding_box"]
        lo = [bb["min_point"][k] * 1000 for k in "xyz"]
        hi = [bb["max_point"][k] * 1000 for k in "xyz"]
        assert np.allclose(s.bbox[0], lo, atol=0.05), (f.name, s.bbox, lo)
        assert np.allclose(s.bbox[1], hi, atol=0.05), (f.name, s.bbox, hi)


def test_json_write_read_roundtrip(tmp_path, shared_data):
    for f in sorted((shared_data / "deepcad").glob("*.json")) + [None]:
        seq = read_deepcad_json(f) if f else check_part()
        write_deepcad_json(seq, tmp_path / "x.json")
        back = read_deepcad_json(tmp_path / "x.json")
        a, b = kernel.build(seq), kernel.build(back)
        assert b.volume == pytest.approx(a.volume, rel=1e-9)
        assert np.allclose(a.bbox, b.bbox, atol=1e-6)


def test_arcs_roundtrip_through_json(tmp_path):
    slot = [Line(10, -3), Arc(10, 3, math.pi, True), Line(-10, 3), Arc(-10, -3, math.pi, True)]
    seq = CADSequence([Extrude(loops=[slot], e1=4)])
    s = kernel.build(seq)
    assert s.volume == pytest.approx((20 * 6 + math.pi * 9) * 4, rel=1e-9)
    write_deepcad_json(seq, tmp_path / "s.json")
    assert kernel.build(read_deepcad_json(tmp_path / "s.json")).volume == pytest.approx(s.volume, rel=1e-9)


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
