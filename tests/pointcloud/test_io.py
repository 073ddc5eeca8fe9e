"""Readers and writers: real files from elsewhere, round trips, and every kind of bad input."""
from __future__ import annotations

import struct

import numpy as np
import pytest

from inference.pointcloud.io import PointCloud, _lzf_decompress, read_cloud, write_cloud
from inference.runtime.errors import InputError


def test_real_pcd_ascii_with_normals(shared_data):
    pc = read_cloud(shared_data / "pointclouds" / "bun0.pcd")
    assert len(pc) == 397
    assert pc.normals is not None and np.allclose(np.linalg.norm(pc.normals, axis=1), 1, atol=1e-3)
    assert "curvature" in pc.scalars
    assert np.allclose(pc.xyz[0], [0.0054216, 0.11349, 0.040749])


def test_real_pcd_binary_with_packed_rgb(shared_data):
    pc = read_cloud(shared_data / "pointclouds" / "colored_cloud.pcd")
    assert len(pc) == 1000
    assert pc.colors is not None and pc.colors.dtype == np.uint8
    assert pc.colors.std() > 0  # real colours, not a constant
    assert pc.normals is not None


def test_real_ply_ascii_with_faces(shared_data):
    pc = read_cloud(shared_data / "pointclouds" / "bun_zipper_res4.ply")
    assert len(pc) == 453
    assert np.isfinite(pc.xyz).all()
    # the Stanford bunny is ~0.15 m across
    assert 0.1 < np.ptp(pc.xyz[:, 0]) < 0.2


@pytest.mark.parametrize("suffix", [".ply", ".pcd", ".xyz"])
@pytest.mark.parametrize("ascii_", [False, True])
def test_round_trip_keeps_colours_normals_fields(tmp_path, suffix, ascii_):
    rng = np.random.default_rng(1)
    n = 300
    nrm = rng.normal(size=(n, 3))
    pc = PointCloud(rng.normal(size=(n, 3)) * 10, rng.integers(0, 256, (n, 3)).astype(np.uint8),
                    (nrm / np.linalg.norm(nrm, axis=1, keepdims=True)).astype(np.float32),
                    {"distance": rng.uniform(size=n).astype(np.float32), "intensity": rng.uniform(size=n).astype(np.float32)})
    p = write_cloud(tmp_path / f"c{suffix}", pc, ascii=ascii_)
    q = read_cloud(p)
    assert np.allclose(q.xyz, pc.xyz, atol=1e-4)
    assert (q.colors == pc.colors).all()
    assert np.allclose(q.normals, pc.normals, atol=1e-5)
    assert set(q.scalars) == {"distance", "intensity"}
    assert np.allclose(q.scalars["distance"], pc.scalars["distance"], atol=1e-6)


def test_open3d_reads_what_we_write(tmp_path, shared_data):
    o3d = pytest.importorskip("open3d")
    pc = read_cloud(shared_data / "pointclouds" / "colored_cloud.pcd")
    for suf in (".ply", ".pcd"):
        write_cloud(tmp_path / f"o{suf}", pc)
        o = o3d.io.read_point_cloud(str(tmp_path / f"o{suf}"))
        assert len(o.points) == len(pc)
        assert np.allclose(np.asarray(o.colors)[:5] * 255, pc.colors[:5], atol=0.6)


def test_big_endian_ply(tmp_path):
    xyz = np.arange(12, dtype=">f4").reshape(4, 3)
    head = b"ply\nformat binary_big_endian 1.0\nelement vertex 4\nproperty float x\nproperty float y\nproperty float z\nend_header\n"
    (tmp_path / "be.ply").write_bytes(head + xyz.tobytes())
    assert np.allclose(read_cloud(tmp_path / "be.ply").xyz, xyz.astype(np.float64))


def test_ply_with_an_element_before_vertices(tmp_path):
    head = (b"ply\nformat binary_little_endian 1.0\nelement camera 1\nproperty float fx\nproperty list uchar int ids\n"
            b"element vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\n")
    cam = struct.pack("<fBii", 1.0, 2, 7, 8)
    pts = np.array([[1, 2, 3], [4, 5, 6]], "<f4")
    (tmp_path / "e.ply").write_bytes(head + cam + pts.tobytes())
    assert np.allclose(read_cloud(tmp_path / "e.ply").xyz, pts)


def test_pcd_binary_compressed(tmp_path):
    xs = np.array([1.0, 2.0, 3.0], "<f4")
    ys = np.array([4.0, 5.0, 6.0], "<f4")
    zs = np.array([7.0, 8.0, 9.0], "<f4")
    raw = xs.tobytes() + ys.tobytes() + zs.tobytes()  # PCL stores compressed data field by field
    comp = b"".join(bytes([len(raw[i:i + 32]) - 1]) + raw[i:i + 32] for i in range(0, len(raw), 32))  # LZF literal runs
    head = ("VERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH 3\nHEIGHT 1\n"
            "VIEWPOINT 0 0 0 1 0 0 0\nPOINTS 3\nDATA binary_compressed\n").encode()
    (tmp_path / "c.pcd").write_bytes(head + struct.pack("<II", len(comp), len(raw)) + comp)
    pc = read_cloud(tmp_path / "c.pcd")
    assert np.allclose(pc.xyz, np.stack([xs, ys, zs], 1))


def test_lzf_back_reference():
    # literal "abc" then a back-reference of length 3+2... copies "abcab"
    src = bytes([2]) + b"abc" + bytes([(3 << 5) | 0, 2])
    assert _lzf_decompress(src, 8) == b"abcabcab"


BAD = {
    "empty.ply": b"",
    "noheader.ply": b"hello world\n1 2 3\n",
    "noend.ply": b"ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\n",
    "badformat.ply": b"ply\nformat weird 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 3\n",
    "nox.ply": b"ply\nformat ascii 1.0\nelement vertex 1\nproperty float y\nproperty float z\nend_header\n1 2\n",
    "badprop.ply": b"ply\nformat ascii 1.0\nelement vertex 1\nproperty floaty x\nend_header\n1\n",
    "short.ply": b"ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 3\n",
    "allnan.ply": b"ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\nend_header\ninf 2 3\nnan 2 3\n",
    "zero.ply": b"ply\nformat ascii 1.0\nelement vertex 0\nproperty float x\nproperty float y\nproperty float z\nend_header\n",
    "trunc.ply": b"ply\nformat binary_little_endian 1.0\nelement vertex 100\nproperty float x\nproperty float y\nproperty float z\nend_header\n" + b"\0" * 50,
    "trunc.pcd": b"VERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH 10\nHEIGHT 1\nPOINTS 10\nDATA binary\n" + b"\0" * 20,
    "mismatch.pcd": b"VERSION 0.7\nFIELDS x y z\nSIZE 4 4\nTYPE F F F\nCOUNT 1 1 1\nWIDTH 1\nHEIGHT 1\nPOINTS 1\nDATA ascii\n1 2 3\n",
    "nodata.pcd": b"VERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\n",
    "garbage.pcd": b"\x89PNG\r\n\x1a\n....\n",
    "text.xyz": b"1 2 3\n4 five 6\n",
    "twocol.xyz": b"1 2\n3 4\n",
    "cloud.las": b"LASF",
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_files_give_clear_errors(tmp_path, name):
    p = tmp_path / name
    p.write_bytes(BAD[name])
    with pytest.raises(InputError) as ei:
        read_cloud(p)
    e = ei.value
    assert name in e.message or "empty" in e.message or "format" in e.message
    assert e.hint  # every error says what to do


NAN_PLY = (b"ply\nformat ascii 1.0\nelement vertex 2\nproperty float x\nproperty float y\nproperty float z\n"
           b"end_header\n1 2 3\nnan 2 3\n")


def test_nan_points_are_dropped_by_default_with_a_note(tmp_path):
    p = tmp_path / "nan.ply"
    p.write_bytes(NAN_PLY)
    pc = read_cloud(p)
    assert len(pc) == 1 and pc.notes == ["dropped 1 of 2 points with NaN/infinite coordinates "
                                         "(missing returns of an organized scan)"]
    p.write_bytes(NAN_PLY.replace(b"1 2 3\n", b"inf 2 3\n"))
    with pytest.raises(InputError, match="every point has NaN"):
        read_cloud(p)


def test_organized_pcl_scan_opens_by_default(shared_data):
    pc = read_cloud(shared_data / "pointclouds" / "office1.pcd")
    assert len(pc) == 307_200 - 52_744 and np.isfinite(pc.xyz).all() and pc.colors is not None
    assert pc.notes and "52,744 of 307,200" in pc.notes[0]


def test_missing_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_cloud(tmp_path / "nope.ply")


def test_kitti_bin(tmp_path):
    a = np.arange(40, dtype="<f4").reshape(10, 4)
    (tmp_path / "f.bin").write_bytes(a.tobytes())
    pc = read_cloud(tmp_path / "f.bin")
    assert np.allclose(pc.xyz, a[:, :3]) and np.allclose(pc.scalars["intensity"], a[:, 3])
    (tmp_path / "g.bin").write_bytes(a.tobytes()[:-3])
    with pytest.raises(InputError, match="float32"):
        read_cloud(tmp_path / "g.bin")


@pytest.mark.parametrize("name,needle", [
    ("pc_dup_x.ply", "property 'x' of element 'vertex' is declared twice"),
    ("pc_count0.pcd", "field 'x' has COUNT 0"),
    ("pc_count1e9.pcd", "field 'x' has COUNT 1000000000"),
    ("pc_huge_coord.xyz", "1 of 101 points have coordinates beyond"),
])
def test_malformed_files_refused_by_compare_with_one_error_line(shared_data, capsys, name, needle):
    from inference.cli import main
    bad = shared_data / "malformed" / name
    good = shared_data / "pointclouds" / "bun0.pcd"
    for a, b in ((bad, good), (good, bad)):
        assert main(["pc", "compare", str(a), str(b)]) == 2
        cap = capsys.readouterr()
        errors = [ln for ln in cap.err.splitlines() if ln.startswith("error:")]
        assert len(errors) == 1 and needle in errors[0] and "Traceback" not in cap.err and cap.out == ""


def test_pcd_counts_and_duplicate_fields_refused(tmp_path):
    head = "VERSION 0.7\nFIELDS x y z {f}\nSIZE 4 4 4 4\nTYPE F F F F\nCOUNT 1 1 1 {c}\nPOINTS 1\nDATA ascii\n1 2 3 4\n"
    for f, c, needle in (("h", "2000000", "field 'h' has COUNT 2000000"), ("h", "0", "field 'h' has COUNT 0"),
                         ("x", "1", "'x' is listed twice")):
        p = tmp_path / "c.pcd"
        p.write_text(head.format(f=f, c=c))
        with pytest.raises(InputError, match=needle):
            read_cloud(p)


def test_absurd_coordinates_dropped_on_request(tmp_path):
    p = tmp_path / "h.xyz"
    p.write_text("1 2 3\n4 5 6\n2e9 0 0\n")
    with pytest.raises(InputError, match="beyond"):
        read_cloud(p)
    assert np.allclose(read_cloud(p, drop_invalid=True).xyz, [[1, 2, 3], [4, 5, 6]])
