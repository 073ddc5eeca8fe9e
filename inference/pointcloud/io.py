"""Read and write point clouds: PLY (ASCII, binary LE/BE), PCD (ascii, binary, binary_compressed), XYZ text.

Colours, normals and any other per-point scalar fields are kept. Every malformed file raises
``InputError`` with what is wrong and what to do. Points with NaN/inf coordinates (organized scans mark
missing returns so) are dropped, and the cloud's `notes` say how many; coordinates beyond ±MAX_COORD (a
corrupt file) are refused unless ``drop_invalid``.
"""
from __future__ import annotations

import re
import struct
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from inference.runtime.errors import InputError
from inference.runtime.media import IMAGE_SUFFIXES

SUFFIXES = (".ply", ".pcd", ".xyz", ".asc", ".pts", ".txt", ".bin")
MAX_COORD = 1e9        # a coordinate beyond ±1e9 is no scan's (a corrupt file): refused like NaN
MAX_PCD_COUNT = 100_000  # values per PCD field (PCL's largest descriptors hold a few thousand)
# what this panel opens (inference.panels reads it for drop routing and file dialogs); "image" is the view
FILE_KINDS = {"pointcloud": SUFFIXES, "image": IMAGE_SUFFIXES}


@dataclass
class PointCloud:
    xyz: np.ndarray                                   # (N, 3) float64
    colors: np.ndarray | None = None                  # (N, 3) uint8
    normals: np.ndarray | None = None                 # (N, 3) float32
    scalars: dict[str, np.ndarray] = field(default_factory=dict)  # name -> (N,) float32
    notes: list[str] = field(default_factory=list)    # what the reader did (e.g. "dropped 52,744 … NaN")

    def __post_init__(self):
        self.xyz = np.asarray(self.xyz, dtype=np.float64).reshape(-1, 3)

    def __len__(self) -> int:
        return len(self.xyz)

    def subset(self, idx: np.ndarray) -> "PointCloud":
        return PointCloud(self.xyz[idx], None if self.colors is None else self.colors[idx],
                          None if self.normals is None else self.normals[idx],
                          {k: v[idx] for k, v in self.scalars.items()})


# ------------------------------------------------------------------------------------ PLY
_PLY_TYPES = {
    "char": "i1", "int8": "i1", "uchar": "u1", "uint8": "u1", "short": "i2", "int16": "i2",
    "ushort": "u2", "uint16": "u2", "int": "i4", "int32": "i4", "uint": "u4", "uint32": "u4",
    "float": "f4", "float32": "f4", "double": "f8", "float64": "f8",
}


def _bad(path: Path, what: str, hint: str = "re-export the file, or open it in a viewer to check it") -> InputError:
    return InputError(f"{path.name}: {what}", hint)


def _read_ply(path: Path, data: bytes) -> dict[str, np.ndarray]:
    end = data.find(b"end_header")
    if not data.startswith(b"ply") or end < 0:
        raise _bad(path, "not a PLY file (it must start with 'ply' and have an 'end_header' line)")
    nl = data.find(b"\n", end)
    body_start = nl + 1 if nl >= 0 else len(data)
    try:
        header = data[:end].decode("ascii")
    except UnicodeDecodeError:
        raise _bad(path, "PLY header contains non-ASCII bytes") from None
    fmt = None
    elements: list[list] = []  # [name, count, [(prop, dtype) or (prop, ('list', cnt_t, item_t))]]
    for ln, line in enumerate(header.splitlines()[1:], 2):
        tok = line.split()
        if not tok or tok[0] in ("comment", "obj_info"):
            continue
        if tok[0] == "format":
            if len(tok) < 2 or tok[1] not in ("ascii", "binary_little_endian", "binary_big_endian"):
                raise _bad(path, f"unknown PLY format on header line {ln}: '{line.strip()}'")
            fmt = tok[1]
        elif tok[0] == "element":
            if len(tok) != 3 or not tok[2].isdigit():
                raise _bad(path, f"malformed element line {ln}: '{line.strip()}'")
            elements.append([tok[1], int(tok[2]), []])
        elif tok[0] == "property":
            if not elements:
                raise _bad(path, f"property before any element on header line {ln}")
            if len(tok) == 5 and tok[1] == "list":
                if tok[2] not in _PLY_TYPES or tok[3] not in _PLY_TYPES:
                    raise _bad(path, f"unknown list type on header line {ln}: '{line.strip()}'")
                elements[-1][2].append((tok[4], ("list", _PLY_TYPES[tok[2]], _PLY_TYPES[tok[3]])))
            elif len(tok) == 3 and tok[1] in _PLY_TYPES:
                elements[-1][2].append((tok[2], _PLY_TYPES[tok[1]]))
            else:
                raise _bad(path, f"malformed property on header line {ln}: '{line.strip()}'")
            if [p for p, _ in elements[-1][2]].count(elements[-1][2][-1][0]) > 1:
                raise _bad(path, f"property '{elements[-1][2][-1][0]}' of element '{elements[-1][0]}' is declared "
                                 f"twice (header line {ln})")
        else:
            raise _bad(path, f"unexpected PLY header line {ln}: '{line.strip()}'")
    if fmt is None:
        raise _bad(path, "PLY header has no 'format' line")
    vert = [e for e in elements if e[0] == "vertex"]
    if not vert:
        raise _bad(path, "PLY file has no 'vertex' element", "this reader needs per-vertex x, y, z")
    names = [p[0] for p in vert[0][2]]
    for c in "xyz":
        if c not in names:
            raise _bad(path, f"PLY vertex element has no '{c}' property")
    body = data[body_start:]
    if fmt == "ascii":
        return _ply_ascii(path, body, elements)
    return _ply_binary(path, body, elements, "<" if fmt == "binary_little_endian" else ">")


def _ply_ascii(path: Path, body: bytes, elements) -> dict[str, np.ndarray]:
    lines = body.decode("ascii", errors="replace").splitlines()
    pos = 0
    for name, count, props in elements:
        if name != "vertex":
            pos += count
            continue
        if any(isinstance(t, tuple) for _, t in props):
            raise _bad(path, "list properties in the vertex element are not supported")
        rows = [ln for ln in lines[pos:pos + count]]
        if len(rows) < count:
            raise _bad(path, f"the header declares {count} vertices but the body has only {len(rows)} lines",
                       "the file is truncated; re-export it")
        try:
            arr = np.array([r.split()[:len(props)] for r in rows], dtype=np.float64)
        except ValueError:
            raise _bad(path, "a vertex line has missing or non-numeric values") from None
        if arr.ndim != 2 or arr.shape[1] != len(props):
            raise _bad(path, f"vertex lines must have {len(props)} values each")
        return {p: arr[:, i] for i, (p, _) in enumerate(props)}
    raise AssertionError


def _ply_binary(path: Path, body: bytes, elements, endian: str) -> dict[str, np.ndarray]:
    off = 0
    for name, count, props in elements:
        has_list = any(isinstance(t, tuple) for _, t in props)
        if name == "vertex":
            if has_list:
                raise _bad(path, "list properties in the vertex element are not supported")
            dt = np.dtype([(p, endian + t) for p, t in props])
            need = dt.itemsize * count
            if len(body) - off < need:
                raise _bad(path, f"binary body is truncated: {count} vertices need {need} bytes, "
                                 f"{max(len(body) - off, 0)} are there", "the file was cut short; re-export it")
            arr = np.frombuffer(body, dtype=dt, count=count, offset=off)
            return {p: arr[p].astype(np.float64) for p, _ in props}
        # skip an element that comes before the vertices
        if not has_list:
            off += np.dtype([(p, endian + t) for p, t in props]).itemsize * count
            continue
        for _ in range(count):
            for _, t in props:
                if isinstance(t, tuple):
                    ct = np.dtype(endian + t[1])
                    if off + ct.itemsize > len(body):
                        raise _bad(path, "binary body is truncated", "re-export the file")
                    n = int(np.frombuffer(body, ct, 1, off)[0])
                    if n < 0:
                        raise _bad(path, f"a list of element '{name}' has a negative length ({n})",
                                   "re-export the file")
                    off += ct.itemsize + n * np.dtype(t[2]).itemsize
                else:
                    off += np.dtype(t).itemsize
    raise AssertionError


def _from_fields(path: Path, f: dict[str, np.ndarray]) -> PointCloud:
    xyz = np.stack([f["x"], f["y"], f["z"]], 1)
    used = {"x", "y", "z"}
    colors = normals = None
    for r, g, b in (("red", "green", "blue"), ("r", "g", "b"), ("diffuse_red", "diffuse_green", "diffuse_blue")):
        if r in f and g in f and b in f:
            c = np.stack([f[r], f[g], f[b]], 1)
            if c.max(initial=0) <= 1.0 and c.dtype.kind == "f" and not (c > 1).any() and (c % 1 != 0).any():
                c = c * 255
            colors = np.clip(np.round(c), 0, 255).astype(np.uint8)
            used |= {r, g, b}
            break
    if all(k in f for k in ("nx", "ny", "nz")):
        normals = np.stack([f["nx"], f["ny"], f["nz"]], 1).astype(np.float32)
        used |= {"nx", "ny", "nz"}
    used |= {"alpha"}
    scalars = {k: v.astype(np.float32) for k, v in f.items() if k not in used}
    return PointCloud(xyz, colors, normals, scalars)


def _write_ply(path: Path, pc: PointCloud, ascii: bool = False) -> None:
    cols: list[tuple[str, str, np.ndarray]] = [("x", "f4", pc.xyz[:, 0]), ("y", "f4", pc.xyz[:, 1]), ("z", "f4", pc.xyz[:, 2])]
    if _needs_double(pc.xyz):
        cols = [(n, "f8", v) for n, _, v in cols]
    if pc.normals is not None:
        cols += [(n, "f4", pc.normals[:, i]) for i, n in enumerate(("nx", "ny", "nz"))]
    if pc.colors is not None:
        cols += [(n, "u1", pc.colors[:, i]) for i, n in enumerate(("red", "green", "blue"))]
    for k, v in pc.scalars.items():
        cols.append((_clean_name(k), "f4", v))
    tname = {"f4": "float", "f8": "double", "u1": "uchar"}
    head = ["ply", f"format {'ascii' if ascii else 'binary_little_endian'} 1.0", "comment written by Multimodal Workbench",
            f"element vertex {len(pc)}"] + [f"property {tname[t]} {n}" for n, t, _ in cols] + ["end_header"]
    with open(path, "wb") as fh:
        fh.write(("\n".join(head) + "\n").encode("ascii"))
        if ascii:
            fmt = " ".join("%d" if t == "u1" else "%.9g" for _, t, _ in cols)
            np.savetxt(fh, np.stack([v.astype(np.float64) for _, _, v in cols], 1), fmt=fmt)
        else:
            arr = np.empty(len(pc), dtype=[(n, "<" + t) for n, t, _ in cols])
            for n, _, v in cols:
                arr[n] = v
            fh.write(arr.tobytes())


def _needs_double(xyz: np.ndarray) -> bool:
    return bool(len(xyz)) and float(np.abs(xyz).max()) > 1e5


def _clean_name(k: str) -> str:
    k = re.sub(r"[^A-Za-z0-9_]", "_", k.strip()) or "scalar"
    return k


# ------------------------------------------------------------------------------------ PCD
def _lzf_decompress(src: bytes, out_len: int) -> bytes:
    out = bytearray()
    i, n = 0, len(src)
    while i < n:
        ctrl = src[i]
        i += 1
        if ctrl < 32:
            ln = ctrl + 1
            if i + ln > n:
                raise ValueError("literal run past end")
            out += src[i:i + ln]
            i += ln
        else:
            ln = ctrl >> 5
            if ln == 7:
                if i >= n:
                    raise ValueError("truncated")
                ln += src[i]
                i += 1
            if i >= n:
                raise ValueError("truncated")
            ref = len(out) - ((ctrl & 0x1F) << 8) - src[i] - 1
            i += 1
            if ref < 0:
                raise ValueError("back reference before start")
            for _ in range(ln + 2):
                out.append(out[ref])
                ref += 1
    if len(out) != out_len:
        raise ValueError(f"decompressed {len(out)} bytes, expected {out_len}")
    return bytes(out)


_PCD_KEYS = ("VERSION", "FIELDS", "SIZE", "TYPE", "COUNT", "WIDTH", "HEIGHT", "VIEWPOINT", "POINTS", "DATA")


def _read_pcd(path: Path, data: bytes) -> dict[str, np.ndarray]:
    hdr: dict[str, list[str]] = {}
    pos = 0
    while True:
        nl = data.find(b"\n", pos)
        if nl < 0:
            raise _bad(path, "PCD header ends before its DATA line")
        line = data[pos:nl].decode("ascii", errors="replace").strip()
        pos = nl + 1
        if not line or line.startswith("#"):
            continue
        tok = line.split()
        if tok[0] not in _PCD_KEYS:
            raise _bad(path, f"unexpected PCD header line '{line[:60]}'", "is this really a .pcd file?")
        hdr[tok[0]] = tok[1:]
        if tok[0] == "DATA":
            break
    for k in ("FIELDS", "SIZE", "TYPE", "DATA"):
        if k not in hdr:
            raise _bad(path, f"PCD header has no {k} line")
    fields = hdr["FIELDS"]
    if "POINTS" not in hdr and "WIDTH" not in hdr:
        raise _bad(path, "PCD header has neither a POINTS nor a WIDTH line",
                   "the header says how many points follow")
    try:
        sizes = [int(s) for s in hdr["SIZE"]]
        counts = [int(c) for c in hdr.get("COUNT", ["1"] * len(fields))]
        if "POINTS" in hdr:
            dims = [int(hdr["POINTS"][0])]
        else:
            dims = [int(hdr["WIDTH"][0]), int(hdr.get("HEIGHT", ["1"])[0])]
    except (ValueError, IndexError):
        raise _bad(path, "PCD header has a non-numeric SIZE, COUNT, WIDTH, HEIGHT or POINTS") from None
    if min(dims) < 0:
        raise _bad(path, f"PCD header declares a negative number of points ({min(dims)})")
    npts = int(np.prod(dims, dtype=object))
    types = hdr["TYPE"]
    if not (len(fields) == len(sizes) == len(types) == len(counts)):
        raise _bad(path, f"PCD header lists {len(fields)} FIELDS but {len(sizes)} SIZE, {len(types)} TYPE, "
                         f"{len(counts)} COUNT entries")
    for c in "xyz":
        if c not in fields:
            raise _bad(path, f"PCD file has no '{c}' field")
        if counts[fields.index(c)] != 1:
            raise _bad(path, f"PCD field '{c}' has COUNT {counts[fields.index(c)]}; a coordinate has exactly 1 value")
    for f, c in zip(fields, counts):
        if fields.count(f) > 1:
            raise _bad(path, f"PCD field '{f}' is listed twice in FIELDS")
        if not 1 <= c <= MAX_PCD_COUNT:
            raise _bad(path, f"PCD field '{f}' has COUNT {c}; it must be between 1 and {MAX_PCD_COUNT:,}")
    for f, s, c in zip(fields, sizes, counts):
        if f in ("rgb", "rgba") and (s != 4 or c != 1):
            raise _bad(path, f"PCD field '{f}' has SIZE {s} and COUNT {c}; a packed colour is one 4-byte value")
    np_t = []
    for f, s, t, c in zip(fields, sizes, types, counts):
        if t not in ("F", "I", "U") or s not in (1, 2, 4, 8) or (t == "F" and s not in (4, 8)):
            raise _bad(path, f"PCD field '{f}' has an unsupported TYPE/SIZE {t}{s}")
        np_t.append(("<" + {"F": "f", "I": "i", "U": "u"}[t] + str(s), c))
    mode = hdr["DATA"][0] if hdr["DATA"] else ""
    body = data[pos:]
    cols: dict[str, np.ndarray] = {}
    if mode == "ascii":
        rows = body.decode("ascii", errors="replace").split("\n")
        rows = [r for r in rows if r.strip()]
        if len(rows) < npts:
            raise _bad(path, f"the header declares {npts} points but the body has {len(rows)} lines",
                       "the file is truncated; re-export it")
        width = sum(counts)
        try:
            arr = np.array([r.split()[:width] for r in rows[:npts]], dtype=np.float64)
        except ValueError:
            raise _bad(path, "a data line has missing or non-numeric values") from None
        if npts and (arr.ndim != 2 or arr.shape[1] != width):
            raise _bad(path, f"data lines must have {width} values each")
        j = 0
        for f, (t, c) in zip(fields, np_t):
            col = arr[:, j:j + c] if npts else np.zeros((0, c))
            if f in ("rgb", "rgba"):
                # packed colour: a float32 whose bits are 0x00RRGGBB, or a plain unsigned integer
                v = col[:, 0]
                cols[f] = v.astype(np.float32).view(np.uint32) if t == "<f4" else v.astype(np.uint32)
            else:
                cols[f] = col[:, 0] if c == 1 else col
            j += c
    elif mode == "binary":
        dt = np.dtype([(f, t, (c,)) if c > 1 else (f, t) for f, (t, c) in zip(fields, np_t)])
        need = dt.itemsize * npts
        if len(body) < need:
            raise _bad(path, f"binary body is truncated: {npts} points need {need} bytes, {len(body)} are there",
                       "the file was cut short; re-export it")
        arr = np.frombuffer(body, dtype=dt, count=npts)
        cols = {f: (arr[f].view(np.uint32) if f in ("rgb", "rgba") else arr[f]) for f in fields}
    elif mode == "binary_compressed":
        if len(body) < 8:
            raise _bad(path, "compressed body is truncated")
        csize, usize = struct.unpack("<II", body[:8])
        if len(body) - 8 < csize:
            raise _bad(path, f"compressed body is truncated ({len(body) - 8} of {csize} bytes)", "re-export the file")
        try:
            raw = _lzf_decompress(body[8:8 + csize], usize)
        except ValueError as e:
            raise _bad(path, f"compressed body is corrupt ({e})", "re-export the file") from None
        off = 0
        for f, (t, c) in zip(fields, np_t):
            n = np.dtype(t).itemsize * c * npts
            if off + n > len(raw):
                raise _bad(path, "compressed body is shorter than the header says")
            col = np.frombuffer(raw, dtype=t, count=c * npts, offset=off)
            col = col.reshape(npts, c) if c > 1 else col
            cols[f] = col.view(np.uint32) if f in ("rgb", "rgba") else col
            off += n
    else:
        raise _bad(path, f"unknown PCD DATA mode '{mode}'", "ascii, binary and binary_compressed are supported")
    out: dict[str, np.ndarray] = {}
    for f, v in cols.items():
        if f in ("rgb", "rgba"):
            v = v.astype(np.uint32)
            out["red"], out["green"], out["blue"] = ((v >> 16) & 255).astype(np.float64), ((v >> 8) & 255).astype(np.float64), (v & 255).astype(np.float64)
        elif f == "_":
            continue
        elif v.ndim == 2:
            for i in range(v.shape[1]):
                out[f"{f}_{i}"] = v[:, i].astype(np.float64)
        else:
            out[f] = v.astype(np.float64)
    for a, b in (("normal_x", "nx"), ("normal_y", "ny"), ("normal_z", "nz")):
        if a in out:
            out[b] = out.pop(a)
    return out


def _write_pcd(path: Path, pc: PointCloud, ascii: bool = False) -> None:
    cols: list[tuple[str, np.ndarray, str, int]] = [("x", pc.xyz[:, 0], "F", 4), ("y", pc.xyz[:, 1], "F", 4),
                                                     ("z", pc.xyz[:, 2], "F", 4)]
    if _needs_double(pc.xyz):
        cols = [(n, v, "F", 8) for n, v, _, _ in cols]
    if pc.colors is not None:
        c = pc.colors.astype(np.uint32)
        cols.append(("rgb", ((c[:, 0] << 16) | (c[:, 1] << 8) | c[:, 2]).astype(np.uint32), "U", 4))
    if pc.normals is not None:
        cols += [(n, pc.normals[:, i], "F", 4) for i, n in enumerate(("normal_x", "normal_y", "normal_z"))]
    for k, v in pc.scalars.items():
        cols.append((_clean_name(k), v, "F", 4))
    n = len(pc)
    head = ["# .PCD v0.7 - written by Multimodal Workbench", "VERSION 0.7",
            "FIELDS " + " ".join(c[0] for c in cols), "SIZE " + " ".join(str(c[3]) for c in cols),
            "TYPE " + " ".join(c[2] for c in cols), "COUNT " + " ".join("1" for _ in cols),
            f"WIDTH {n}", "HEIGHT 1", "VIEWPOINT 0 0 0 1 0 0 0", f"POINTS {n}", f"DATA {'ascii' if ascii else 'binary'}"]
    dt = np.dtype([(c[0], ("<u" if c[2] == "U" else "<f") + str(c[3])) for c in cols])
    arr = np.empty(n, dtype=dt)
    for name, v, _, _ in cols:
        arr[name] = v
    with open(path, "wb") as fh:
        fh.write(("\n".join(head) + "\n").encode("ascii"))
        if ascii:
            fmt = " ".join("%d" if c[2] == "U" else "%.9g" for c in cols)
            np.savetxt(fh, np.stack([arr[c[0]].astype(np.float64) for c in cols], 1) if n else np.zeros((0, len(cols))), fmt=fmt)
        else:
            fh.write(arr.tobytes())


# ------------------------------------------------------------------------------------ XYZ
def _read_xyz(path: Path, data: bytes) -> dict[str, np.ndarray]:
    text = data.decode("utf-8", errors="replace")
    lines = [r for r in text.splitlines() if r.strip()]
    names = None
    if lines and lines[0].lstrip().startswith(("#", "//")):
        cand = re.split(r"[\s,;]+", lines[0].strip().lstrip("#/").strip())
        if len(cand) >= 3 and all(re.fullmatch(r"[A-Za-z_]\w*", c) for c in cand):
            names = [c.lower() for c in cand]
    rows = [r for r in lines if not r.lstrip().startswith(("#", "//"))]
    if not rows:
        return {"x": np.zeros(0), "y": np.zeros(0), "z": np.zeros(0)}
    first = re.split(r"[\s,;]+", rows[0].strip())
    try:
        [float(v) for v in first]
    except ValueError:
        names = [re.sub(r"\W", "_", v).lower() or f"f{i}" for i, v in enumerate(first)]
        rows = rows[1:]
    if names is not None and not {"x", "y", "z"} <= set(names):
        names = None
    if names is not None and len(set(names)) < len(names):
        dup = next(n for n in names if names.count(n) > 1)
        raise _bad(path, f"the header names column '{dup}' twice", "give each column its own name")
    if not rows:
        return {"x": np.zeros(0), "y": np.zeros(0), "z": np.zeros(0)}
    try:
        arr = np.array([[float(v) for v in re.split(r"[\s,;]+", r.strip())] for r in rows], dtype=np.float64)
    except ValueError:
        raise _bad(path, "a line has non-numeric values", "XYZ files hold x y z [more columns] per line") from None
    if arr.ndim != 2:
        raise _bad(path, "lines have different numbers of columns", "each line must have the same columns")
    if arr.shape[1] < 3:
        raise _bad(path, f"lines have {arr.shape[1]} columns; x y z need 3")
    if names is None or len(names) != arr.shape[1]:
        names = ["x", "y", "z"] + (["nx", "ny", "nz"] if arr.shape[1] == 6 and _unitish(arr[:, 3:6]) else
                                   ["red", "green", "blue"] if arr.shape[1] == 6 and _byteish(arr[:, 3:6]) else
                                   [f"field{i}" for i in range(3, arr.shape[1])])
        names = names[:arr.shape[1]] + [f"field{i}" for i in range(len(names), arr.shape[1])]
    return {n: arr[:, i] for i, n in enumerate(names)}


def _unitish(a):
    return len(a) > 0 and bool(np.allclose(np.linalg.norm(a, axis=1), 1, atol=1e-2))


def _byteish(a):
    return len(a) > 0 and bool(((a >= 0) & (a <= 255) & (a % 1 == 0)).all())


def _write_xyz(path: Path, pc: PointCloud) -> None:
    names = ["x", "y", "z"]
    cols = [pc.xyz]
    if pc.normals is not None:
        names += ["nx", "ny", "nz"]
        cols.append(pc.normals.astype(np.float64))
    if pc.colors is not None:
        names += ["red", "green", "blue"]
        cols.append(pc.colors.astype(np.float64))
    for k, v in pc.scalars.items():
        names.append(_clean_name(k))
        cols.append(v.astype(np.float64)[:, None])
    np.savetxt(path, np.concatenate(cols, 1), fmt="%.9g", header=" ".join(names), comments="//")


# ------------------------------------------------------------------------------------ LiDAR .bin
def _read_lidar_bin(path: Path, data: bytes) -> dict[str, np.ndarray]:
    """Raw float32 LiDAR frames: KITTI (x y z intensity) or nuScenes (x y z intensity ring)."""
    if len(data) % 16 == 0:
        cols = ["x", "y", "z", "intensity"]
    elif len(data) % 20 == 0:
        cols = ["x", "y", "z", "intensity", "ring"]
    else:
        raise _bad(path, f"{len(data)} bytes is not a whole number of float32 records of 4 (KITTI) or 5 (nuScenes) values",
                   "the .bin file is truncated or is not a raw LiDAR frame")
    arr = np.frombuffer(data, "<f4").reshape(-1, len(cols)).astype(np.float64)
    return {c: arr[:, i] for i, c in enumerate(cols)}


# ------------------------------------------------------------------------------------ API
def read_cloud(path, drop_invalid: bool = False) -> PointCloud:
    """Read a .ply / .pcd / .xyz (.asc .pts .txt) / raw LiDAR .bin file. Raises InputError on any problem.
    NaN/inf points are dropped (noted in `notes`); absurd coordinates only with `drop_invalid`."""
    path = Path(path)
    suf = path.suffix.lower()
    if suf not in SUFFIXES:
        raise InputError(f"{path.name}: unsupported point-cloud format '{suf or '(none)'}'",
                         "open a .ply, .pcd, .xyz or KITTI/nuScenes .bin file")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file", "check the path") from None
    except OSError as e:
        raise InputError(f"{path.name}: cannot be read ({e.strerror})", "check its permissions") from None
    if not data.strip():
        raise InputError(f"{path.name} is empty (0 bytes)", "open a file that contains points")
    if suf == ".ply":
        f = _read_ply(path, data)
    elif suf == ".pcd":
        f = _read_pcd(path, data)
    elif suf == ".bin":
        f = _read_lidar_bin(path, data)
    else:
        f = _read_xyz(path, data)
    pc = _from_fields(path, f)
    if len(pc) == 0:
        raise InputError(f"{path.name} contains no points", "open a file that contains points")
    bad = ~np.isfinite(pc.xyz).all(1)
    with np.errstate(invalid="ignore"):
        huge = ~bad & (np.abs(pc.xyz) > MAX_COORD).any(1)
    if huge.any() and not drop_invalid:
        raise InputError(f"{path.name}: {int(huge.sum())} of {len(pc)} points have coordinates beyond "
                         f"±{MAX_COORD:g} (largest {np.abs(pc.xyz[huge]).max():.3g})",
                         "the file is corrupt or not in the units you expect; drop them with --drop-invalid")
    if bad.any() or huge.any():
        n = len(pc)
        pc = pc.subset(np.nonzero(~(bad | huge))[0])
        if len(pc) == 0:
            raise InputError(f"{path.name}: every point has NaN or infinite coordinates", "the file holds no valid point")
        if bad.any():
            pc.notes.append(f"dropped {int(bad.sum()):,} of {n:,} points with NaN/infinite coordinates "
                            "(missing returns of an organized scan)")
        if huge.any():
            pc.notes.append(f"dropped {int(huge.sum()):,} of {n:,} points with coordinates beyond ±{MAX_COORD:g}")
    return pc


def write_cloud(path, pc: PointCloud, ascii: bool = False) -> Path:
    """Write by suffix (.ply binary unless ascii, .pcd binary unless ascii, .xyz text)."""
    path = Path(path)
    suf = path.suffix.lower()
    if suf not in (".ply", ".pcd", ".xyz", ".txt", ".asc", ".pts"):
        raise InputError(f"cannot write '{suf or '(none)'}' files", "save as .ply, .pcd or .xyz")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if suf == ".ply":
            _write_ply(path, pc, ascii)
        elif suf == ".pcd":
            _write_pcd(path, pc, ascii)
        else:
            _write_xyz(path, pc)
    except OSError as e:
        raise InputError(f"cannot write {path} ({e.strerror})", "choose a folder you can write to") from None
    return path
