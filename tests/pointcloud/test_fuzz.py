"""Property-based fuzz tests of every point-cloud reader (issue #15): PLY (ascii, binary little and big endian),
PCD (ascii, binary, binary_compressed), XYZ text (.xyz .txt .pts .asc) and raw KITTI .bin frames.

Two properties per format:

* **valid clouds round-trip**: a random cloud (1–40 points, float32 coordinates up to ±1e8, with or without
  colours, normals and named scalar fields) written with the project's writer (``write_cloud``; big-endian PLY,
  compressed PCD and KITTI .bin are written here) reads back equal — coordinates, and the colours, normals and
  scalars that the format keeps;
* **malformed files are refused cleanly**: such a file with its header mutated (counts 0, −1, 10⁹, 20 digits;
  properties or fields duplicated, deleted, swapped; unknown types and sizes; another DATA mode or format) and
  its body mutated (truncated, bytes replaced, NaN/inf/1e308 written into values, garbage appended) is read or
  refused with one clear ``InputError`` line — never another exception — and what is read has only finite
  coordinates within ±MAX_COORD, colours, normals and scalars of one row per point, and as many points as its
  header declares less those dropped with a note (with and without ``drop_invalid``).

``bench/fuzz_readers.py`` runs the same properties with thousands of cases per format.
"""
from __future__ import annotations

import re
import struct
import tempfile
import traceback
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from inference.pointcloud.io import MAX_COORD, PointCloud, read_cloud, write_cloud
from inference.runtime.errors import InputError

FUZZ = dict(deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck))

# format → (file suffix, what it keeps besides x y z)
FORMATS = {
    "ply-ascii": (".ply", {"colors", "normals", "scalars"}),
    "ply-binary-le": (".ply", {"colors", "normals", "scalars"}),
    "ply-binary-be": (".ply", {"colors", "normals", "scalars"}),
    "pcd-ascii": (".pcd", {"colors", "normals", "scalars"}),
    "pcd-binary": (".pcd", {"colors", "normals", "scalars"}),
    "pcd-binary-compressed": (".pcd", {"colors", "normals", "scalars"}),
    "xyz": (".xyz", {"colors", "normals", "scalars"}),
    "txt": (".txt", {"colors", "normals", "scalars"}),
    "pts": (".pts", {"colors", "normals", "scalars"}),
    "asc": (".asc", {"colors", "normals", "scalars"}),
    "kitti-bin": (".bin", {"intensity"}),
}
SCALAR_NAMES = ["intensity", "curvature", "label", "time"]


# ----------------------------------------------------------------------------- valid clouds
def _floats32(lo, hi):
    return st.floats(lo, hi, width=32, allow_nan=False, allow_infinity=False, allow_subnormal=False)


@st.composite
def clouds(draw, fmt: str) -> PointCloud:
    n = draw(st.integers(1, 40))
    big = draw(st.sampled_from([1e4, 1e4, 1e8]))  # beyond 1e5 the PLY/PCD writers store doubles
    xyz = draw(arrays(np.float32, (n, 3), elements=_floats32(-big, big))).astype(np.float64)
    if fmt == "kitti-bin":
        return PointCloud(xyz, scalars={"intensity": draw(arrays(np.float32, n, elements=_floats32(0, 1)))})
    colors = draw(st.none() | arrays(np.uint8, (n, 3)))
    normals = draw(st.none() | arrays(np.float32, (n, 3), elements=_floats32(-1, 1)))
    names = draw(st.lists(st.sampled_from(SCALAR_NAMES), max_size=2, unique=True))
    scalars = {k: draw(arrays(np.float32, n, elements=_floats32(-1e6, 1e6))) for k in names}
    return PointCloud(xyz, colors, normals, scalars)


def _lzf_literals(raw: bytes) -> bytes:
    """LZF 'compression' with literal runs only (valid input for any LZF decoder)."""
    return b"".join(bytes([len(raw[i:i + 32]) - 1]) + raw[i:i + 32] for i in range(0, len(raw), 32))


def write_format(folder: Path, fmt: str, pc: PointCloud) -> Path:
    """Write ``pc`` in one of FORMATS: the project's writer where it writes that format, else written here."""
    suffix = FORMATS[fmt][0]
    path = folder / f"cloud{suffix}"
    if fmt == "kitti-bin":
        rec = np.concatenate([pc.xyz, pc.scalars["intensity"][:, None]], 1).astype("<f4")
        path.write_bytes(rec.tobytes())
        return path
    write_cloud(path, pc, ascii=fmt.endswith("ascii"))
    data = path.read_bytes()
    if fmt == "ply-binary-be":
        end = data.index(b"end_header\n") + len(b"end_header\n")
        head = data[:end].decode()
        props = re.findall(r"property (\w+) (\w+)", head)
        t = {"float": "f4", "double": "f8", "uchar": "u1"}
        le = np.frombuffer(data[end:], dtype=[(nm, "<" + t[ty]) for ty, nm in props])
        be = le.astype([(nm, ">" + t[ty]) for ty, nm in props])
        path.write_bytes(head.replace("binary_little_endian", "binary_big_endian").encode() + be.tobytes())
    elif fmt == "pcd-binary-compressed":
        end = data.index(b"DATA binary\n") + len(b"DATA binary\n")
        head = data[:end].decode()
        hdr = {ln.split()[0]: ln.split()[1:] for ln in head.splitlines() if ln and not ln.startswith("#")}
        dt = np.dtype([(f, f"<{'u' if t == 'U' else 'f'}{s}") for f, s, t in zip(hdr["FIELDS"], hdr["SIZE"],
                                                                                  hdr["TYPE"])])
        arr = np.frombuffer(data[end:], dtype=dt)
        raw = b"".join(arr[f].tobytes() for f in hdr["FIELDS"])  # PCL stores compressed data field by field
        comp = _lzf_literals(raw)
        path.write_bytes(head.replace("DATA binary\n", "DATA binary_compressed\n").encode()
                         + struct.pack("<II", len(comp), len(raw)) + comp)
    return path


def same_cloud(want: PointCloud, got: PointCloud, keeps: set) -> str:
    """'' when ``got`` (read back) equals ``want`` in what the format keeps, else what differs."""
    if len(got) != len(want):
        return f"{len(want)} points became {len(got)}"
    if not np.array_equal(got.xyz.astype(np.float32), want.xyz.astype(np.float32)):
        return f"coordinates differ: {want.xyz[:3].tolist()} became {got.xyz[:3].tolist()}"
    if "colors" in keeps:
        if (want.colors is None) != (got.colors is None) or (
                want.colors is not None and not np.array_equal(want.colors, got.colors)):
            return f"colours differ: {want.colors} became {got.colors}"
        if (want.normals is None) != (got.normals is None) or (
                want.normals is not None and not np.array_equal(want.normals.astype(np.float32),
                                                                got.normals.astype(np.float32))):
            return f"normals differ: {want.normals} became {got.normals}"
    wanted = want.scalars if "scalars" in keeps else {k: v for k, v in want.scalars.items() if k in keeps}
    if sorted(wanted) != sorted(got.scalars):
        return f"scalar fields {sorted(wanted)} became {sorted(got.scalars)}"
    for k, v in wanted.items():
        if not np.array_equal(np.asarray(v, np.float32), got.scalars[k].astype(np.float32)):
            return f"scalar field {k} differs"
    return ""


def roundtrip_outcome(fmt: str, pc: PointCloud, folder: Path) -> tuple[str, str]:
    """("valid" | "failure", detail) of one cloud written in ``fmt`` and read back."""
    try:
        path = write_format(folder, fmt, pc)
        got = read_cloud(path)
    except Exception:  # noqa: BLE001 - InputError included: a valid file must be read
        return "failure", traceback.format_exc()
    diff = same_cloud(pc, got, FORMATS[fmt][1])
    return ("failure", f"read(write(x)) != x: {diff}") if diff else ("valid", "")


def run_property(strategy, outcome, max_examples, ok):
    """Draw from `strategy`, classify each case with `outcome(case) -> (kind, detail)`, require `ok(kind)`."""
    @settings(max_examples=max_examples, **FUZZ)
    @given(strategy)
    def prop(case):
        kind, detail = outcome(case)
        assert ok(kind), detail

    prop()


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_valid_clouds_round_trip(fmt, tmp_path):
    run_property(clouds(fmt), lambda pc: roundtrip_outcome(fmt, pc, tmp_path), 60, lambda k: k == "valid")


# ----------------------------------------------------------------------------- malformed files
HEADER_TOKENS = ["0", "-1", "1", "2", "3", "4", "8", "16", "1000000000", "99999999999999999999", "1e9", "abc", "",
                 "x", "y", "z", "rgb", "_", "float", "double", "uchar", "float128", "list", "char", "F", "U", "I",
                 "X", "ascii", "binary", "binary_compressed", "binary_big_endian", "binary_little_endian", "nan"]
HEADER_LINES = [b"property float x", b"property double z", b"property list uchar int x", b"element vertex 5",
                b"element face 3", b"FIELDS x x y z", b"COUNT 0 1 1", b"COUNT 1000000000 1 1", b"SIZE 4 4 4 8",
                b"TYPE F F F F", b"POINTS -1", b"POINTS 1000000000", b"DATA ascii", b"DATA binary_compressed",
                b"format binary_big_endian 1.0", b"comment \xff\xfe", b"end_header", b"x y z x",
                b"element face 2\nproperty list char int vertex_indices", b"FIELDS x y z rgb\nSIZE 4 4 4 1"]
BODY_VALUES = [b"nan", b"inf", b"-inf", b"1e308", b"-1e308", b"1e400", b"-0", b"1e-400", b"abc", b"", b"1,2",
               b"99999999999999999999999999"]
BINARY_VALUES = [struct.pack("<f", float("nan")), struct.pack("<f", float("inf")), struct.pack(">f", float("inf")),
                 struct.pack("<d", 1e308), struct.pack(">d", -1e308), struct.pack("<f", 3.4e38),
                 struct.pack("<d", float("nan")), b"\xff\xff\xff\xff", b"\x00\x00\x00\x00"]


def _split_header(fmt: str, data: bytes) -> tuple[bytes, bytes]:
    if fmt.startswith("ply"):
        end = data.find(b"end_header\n")
        return (data[:end + 11], data[end + 11:]) if end >= 0 else (b"", data)
    if fmt.startswith("pcd"):
        m = re.search(rb"DATA \w+\n", data)
        return (data[:m.end()], data[m.end():]) if m else (b"", data)
    return b"", data


@st.composite
def mutated_cloud(draw, fmt: str) -> bytes:
    """The bytes of a valid file in ``fmt`` with its header and body mutated."""
    pc = draw(clouds(fmt))
    with tempfile.TemporaryDirectory() as tmp:
        data = write_format(Path(tmp), fmt, pc).read_bytes()
    head, body = _split_header(fmt, data)
    lines = head.split(b"\n")[:-1] if head else []
    for _ in range(draw(st.integers(0, 3)) if lines else 0):
        i = draw(st.integers(0, len(lines) - 1))
        op = draw(st.sampled_from(["token", "token", "duplicate", "delete", "swap", "insert"]))
        if op == "token":
            tok = lines[i].split(b" ")
            tok[draw(st.integers(0, len(tok) - 1))] = draw(st.sampled_from(HEADER_TOKENS)).encode()
            lines[i] = b" ".join(tok)
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "insert":
            lines.insert(i, draw(st.sampled_from(HEADER_LINES)))
    head = b"".join(ln + b"\n" for ln in lines)
    ascii_body = fmt.endswith("ascii") or not (fmt.startswith(("ply", "pcd")) or fmt == "kitti-bin")
    for _ in range(draw(st.integers(0, 3))):
        op = draw(st.sampled_from(["truncate", "bytes", "value", "value", "append"]))
        pos = draw(st.integers(0, len(body)))
        if op == "truncate":
            body = body[:pos]
        elif op == "bytes":
            body = body[:pos] + draw(st.binary(min_size=1, max_size=8)) + body[pos + 8:]
        elif op == "append":
            body = body + draw(st.binary(max_size=64))
        elif ascii_body:
            nums = list(re.finditer(rb"[-+0-9.eE]+|nan|inf", body))
            if nums:
                m = nums[draw(st.integers(0, len(nums) - 1))]
                body = body[:m.start()] + draw(st.sampled_from(BODY_VALUES)) + body[m.end():]
        else:
            v = draw(st.sampled_from(BINARY_VALUES))
            pos -= pos % 4
            body = body[:pos] + v + body[pos + len(v):]
    if draw(st.integers(0, 19)) == 0:  # now and then: random bytes after the format's magic
        return data[:3] + draw(st.binary(max_size=200))
    return head + body


def check_read(path: Path, drop_invalid: bool = False) -> tuple[str, str]:
    """("refused" | "read" | "failure", detail) of reading one file."""
    try:
        pc = read_cloud(path, drop_invalid=drop_invalid)
    except InputError as e:
        msg = e.one_line()
        if not e.message.strip() or "\n" in msg or len(msg) > 400:
            return "failure", f"an unclear error message ({len(msg)} characters): {msg[:300]!r}"
        return "refused", msg
    except Exception:  # noqa: BLE001 - any other exception is what the property looks for
        return "failure", traceback.format_exc()
    n = len(pc)
    problems = []
    if pc.xyz.shape != (n, 3) or n == 0:
        problems.append(f"coordinates of shape {pc.xyz.shape}")
    elif not np.isfinite(pc.xyz).all():
        problems.append("non-finite coordinates")
    elif np.abs(pc.xyz).max() > MAX_COORD:
        problems.append(f"a coordinate of {np.abs(pc.xyz).max():.3g}")
    if pc.colors is not None and (pc.colors.shape != (n, 3) or pc.colors.dtype != np.uint8):
        problems.append(f"colours of shape {pc.colors.shape} {pc.colors.dtype}")
    if pc.normals is not None and pc.normals.shape != (n, 3):
        problems.append(f"normals of shape {pc.normals.shape}")
    problems += [f"scalar {k} of shape {v.shape}" for k, v in pc.scalars.items() if v.shape != (n,)]
    return ("failure", "read with " + ", ".join(problems)) if problems else ("read", "")


def declared_points(fmt: str, data: bytes) -> int | None:
    """How many points a PLY or PCD header declares (as the reader takes it: the first vertex element, the last
    POINTS line, else WIDTH × HEIGHT); None when the header does not say."""
    head = _split_header(fmt, data)[0].decode("ascii", errors="replace")
    try:
        if fmt.startswith("ply"):
            m = re.search(r"^element vertex (\S+)\s*$", head, re.M)
            return int(m.group(1)) if m else None
        if fmt.startswith("pcd"):
            hdr = {ln.split()[0]: ln.split()[1:] for ln in head.splitlines() if ln.split()}
            if "POINTS" in hdr:
                return int(hdr["POINTS"][0])
            return int(hdr["WIDTH"][0]) * int(hdr.get("HEIGHT", ["1"])[0])
    except (ValueError, IndexError, KeyError):
        return None
    return None


def mutated_outcome(fmt: str, data: bytes, folder: Path) -> tuple[str, str]:
    """Both reads of one mutated file (with and without drop_invalid): the first failure, else the plain read's
    outcome. A file read without drop_invalid has as many points as its header declares."""
    path = folder / f"case{FORMATS[fmt][0]}"
    path.write_bytes(data)
    first = check_read(path)
    if first[0] == "read":  # as many points as declared, less those dropped with a note (NaN/inf coordinates)
        pc, declared = read_cloud(path), declared_points(fmt, data)
        if declared is not None and (len(pc) > declared or (len(pc) < declared and not getattr(pc, "notes", []))):
            return "failure", f"read {len(pc)} points where the header declares {declared}"
    second = check_read(path, drop_invalid=True)
    if second[0] == "failure":
        return "failure", "with drop_invalid: " + second[1]
    return first


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_malformed_clouds_are_refused_cleanly(fmt, tmp_path):
    run_property(mutated_cloud(fmt), lambda data: mutated_outcome(fmt, data, tmp_path), 120,
                 lambda k: k != "failure")


# ----------------------------------------------------------------------------- what the fuzzing found
def _pcd(fields, size, typ, count, n, mode, body: bytes) -> bytes:
    return (f"VERSION 0.7\nFIELDS {fields}\nSIZE {size}\nTYPE {typ}\nCOUNT {count}\nWIDTH {n}\nHEIGHT 1\n"
            f"POINTS {n}\nDATA {mode}\n").encode() + body


_XYZ3 = np.arange(9, dtype="<f4").reshape(3, 3)
FOUND = {  # file → what the error says; each once raised another exception or read a wrong cloud
    "negative_points.pcd": (_pcd("x y z", "4 4 4", "F F F", "1 1 1", -1, "binary", _XYZ3.tobytes()),
                            "negative number of points"),
    "negative_points_ascii.pcd": (_pcd("x y z", "4 4 4", "F F F", "1 1 1", -1, "ascii", b"0 1 2\n3 4 5\n6 7 8\n"),
                                  "negative number of points"),
    "no_points_no_width.pcd": (b"VERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F F\nDATA binary\n" + _XYZ3.tobytes(),
                               "neither a POINTS nor a WIDTH"),
    "rgb_size1.pcd": (_pcd("x y z rgb", "4 4 4 1", "F F F U", "1 1 1 1", 3, "binary",
                           b"".join(r.tobytes() + b"\x05" for r in _XYZ3)), "packed colour is one 4-byte value"),
    "rgb_size8.pcd": (_pcd("x y z rgb", "4 4 4 8", "F F F F", "1 1 1 1", 3, "binary",
                           b"".join(r.tobytes() + bytes(8) for r in _XYZ3)), "packed colour is one 4-byte value"),
    "rgb_count2.pcd": (_pcd("x y z rgb", "4 4 4 4", "F F F U", "1 1 1 2", 3, "binary",
                            b"".join(r.tobytes() + bytes(8) for r in _XYZ3)), "packed colour is one 4-byte value"),
    "negative_list.ply": (b"ply\nformat binary_little_endian 1.0\nelement face 3\nproperty list char int v\n"
                          b"element vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\n"
                          + b"\xff" + bytes(20), "negative length"),
    "duplicate_column.xyz": (b"# x y z x\n1 2 3 4\n", "names column 'x' twice"),
    "header_only.xyz": (b"x y z\n", "contains no points"),
}


@pytest.mark.parametrize("name", sorted(FOUND))
def test_files_the_fuzzing_found_are_refused(tmp_path, name):
    data, needle = FOUND[name]
    (tmp_path / name).write_bytes(data)
    for drop in (False, True):
        with pytest.raises(InputError, match=re.escape(needle)):
            read_cloud(tmp_path / name, drop_invalid=drop)
