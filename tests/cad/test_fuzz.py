"""Property-based fuzz tests of the DeepCAD JSON reader and the kernel (issue #14).

Two properties:

* **valid sequences round-trip**: a random sequence of sketch-and-extrude steps (circles, polygons, rectangles,
  polygons with arcs; holes; one or two profiles per sketch; any sketch plane; every extent type and operation)
  written by ``write_deepcad_json`` reads back equal (``read(write(x)) == x`` up to float rounding), and the
  kernel builds it or raises ``InputError`` (``BuildError``) — never another exception;
* **malformed files are refused cleanly**: a real DeepCAD file (``../shared/data/deepcad``, else sequences this
  test writes) with keys deleted, types swapped, NaN/inf/1e300/huge ints/negative and zero sizes inserted,
  values nested deeply, the text truncated or its bytes replaced, is read to a sequence or refused with
  ``InputError``; a sequence that is read has only finite numbers within ±MAX_COORD_MM and its listing, its
  vectors (``to_vec``) and its checks (``validate_seq``) give a result or ``InputError``.

OpenCascade can crash the process (a circle centre at 1e300 once segfaulted it), so the mutated files that the
reader accepts are built in a child process (``build_batch``): it must end with exit status 0, no signal,
each build ending in a solid or ``InputError``. ``bench/fuzz_readers.py`` runs the same properties with
thousands of cases.
"""
from __future__ import annotations

import copy
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import traceback
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from inference.cad.io import read_deepcad_json, write_deepcad_json
from inference.cad.seq import (MAX_COORD_MM, Arc, CADSequence, Circle, Extrude, Line, describe, to_vec,
                               validate_seq)
from inference.runtime.errors import InputError

REPO = Path(__file__).resolve().parents[2]
DEEPCAD = REPO.parent / "shared" / "data" / "deepcad"

# CI is reproducible: the same cases on every run, no example database, no deadline on a loaded 2-core machine
FUZZ = dict(deadline=None, derandomize=True, database=None, phases=[Phase.explicit, Phase.generate, Phase.shrink],
            suppress_health_check=list(HealthCheck))


# ----------------------------------------------------------------------------- valid sequences
def _f(lo, hi):
    return st.floats(lo, hi, allow_nan=False, allow_infinity=False)


@st.composite
def outer_loop(draw, cx: float, cy: float):
    """(loop, inradius): a closed, non-self-intersecting loop around (cx, cy) and the radius of a circle around
    (cx, cy) that it contains (for a hole)."""
    kind = draw(st.sampled_from(["circle", "polygon", "rectangle", "arcs"]))
    size = draw(_f(0.5, 40.0))
    if kind == "circle":
        return [Circle(cx, cy, size)], size
    if kind == "rectangle":
        w, h = size, draw(_f(0.5, 40.0))
        a = draw(_f(-math.pi, math.pi))
        ca, sa = math.cos(a), math.sin(a)
        corners = [(w / 2, h / 2), (-w / 2, h / 2), (-w / 2, -h / 2), (w / 2, -h / 2)]
        pts = [(cx + x * ca - y * sa, cy + x * sa + y * ca) for x, y in corners]
        if draw(st.booleans()):
            pts = pts[::-1]  # clockwise: the kernel orients loops whichever way a file draws them
        return [Line(x, y) for x, y in pts], min(w, h) / 2
    n = draw(st.integers(3, 8) if kind == "polygon" else st.integers(4, 8))
    a0 = draw(_f(-math.pi, math.pi))
    ccw = draw(st.booleans())
    angles = [a0 + (2 * math.pi * k / n) * (1 if ccw else -1) for k in range(n)]
    pts = [(cx + size * math.cos(a), cy + size * math.sin(a)) for a in angles]
    if kind == "polygon":
        return [Line(x, y) for x, y in pts], size * math.cos(math.pi / n)
    loop = []
    for x, y in pts:  # some edges bulge outwards (an arc turning the polygon's way)
        if draw(st.booleans()):
            loop.append(Arc(x, y, draw(_f(0.05, 1.2)), ccw))
        else:
            loop.append(Line(x, y))
    return loop, size * math.cos(math.pi / n)


@st.composite
def extrusion(draw, first: bool):
    loops, faces = [], []
    n_profiles = draw(st.integers(1, 2))
    for k in range(n_profiles):
        cx, cy = draw(_f(-30, 30)) + 100.0 * k, draw(_f(-30, 30))  # a second profile lies apart from the first
        outer, inner_r = draw(outer_loop(cx, cy))
        face = [len(loops)]
        loops.append(outer)
        if draw(st.booleans()):
            face.append(len(loops))
            loops.append([Circle(cx, cy, inner_r * draw(_f(0.1, 0.8)))])
        faces.append(face)
    etype = draw(st.integers(0, 2))
    e1 = draw(_f(0.5, 50.0)) * draw(st.sampled_from([1.0, -1.0]))
    e2 = draw(_f(0.5, 50.0)) if etype == 2 else 0.0
    return Extrude(loops=loops, theta=draw(_f(0.0, math.pi)), phi=draw(_f(-math.pi, math.pi)),
                   gamma=draw(_f(-math.pi, math.pi)), origin=tuple(draw(_f(-50, 50)) for _ in range(3)),
                   e1=e1, e2=e2, op=draw(st.integers(0, 1) if first else st.integers(0, 3)), etype=etype, faces=faces)


@st.composite
def sequences(draw, max_extrudes: int = 3):
    n = draw(st.integers(1, max_extrudes))
    return CADSequence([draw(extrusion(i == 0)) for i in range(n)])


def _close(a, b, scale=1.0) -> bool:
    return abs(a - b) <= 1e-9 * max(1.0, scale, abs(a), abs(b))


def same_sequence(a: CADSequence, b: CADSequence) -> str:
    """'' when b is a (read back) equal to a up to float rounding, else what differs."""
    if len(a.extrudes) != len(b.extrudes):
        return f"{len(a.extrudes)} extrusions became {len(b.extrudes)}"
    for i, (x, y) in enumerate(zip(a.extrudes, b.extrudes)):
        w = f"extrusion {i + 1}"
        if (x.op, x.etype) != (y.op, y.etype):
            return f"{w}: op/etype {(x.op, x.etype)} became {(y.op, y.etype)}"
        if not (_close(x.e1, y.e1) and _close(x.e2 if x.etype == 2 else 0.0, y.e2)):
            return f"{w}: extents {(x.e1, x.e2)} became {(y.e1, y.e2)}"
        if not all(_close(u, v, 100) for u, v in zip(x.origin, y.origin)):
            return f"{w}: origin {x.origin} became {y.origin}"
        if not all(np.allclose(u, v, rtol=0, atol=1e-9) for u, v in zip(x.frame(), y.frame())):
            return f"{w}: sketch frame {x.frame()} became {y.frame()}"
        if [list(f) for f in x.faces] != [list(f) for f in y.faces]:
            return f"{w}: profiles {x.faces} became {y.faces}"
        if len(x.loops) != len(y.loops):
            return f"{w}: {len(x.loops)} loops became {len(y.loops)}"
        for j, (lx, ly) in enumerate(zip(x.loops, y.loops)):
            if [type(c) for c in lx] != [type(c) for c in ly]:
                return f"{w}, loop {j + 1}: curves {lx} became {ly}"
            for cx, cy in zip(lx, ly):
                ok = _close(cx.x * x.s, cy.x * y.s, 100) and _close(cx.y * x.s, cy.y * y.s, 100)
                if isinstance(cx, Circle):
                    ok = ok and _close(cx.r * x.s, cy.r * y.s, 100)
                if isinstance(cx, Arc):
                    ok = ok and _close(cx.sweep, cy.sweep) and cx.ccw == cy.ccw
                if not ok:
                    return f"{w}, loop {j + 1}: {cx} became {cy}"
    return ""


def roundtrip_outcome(seq: CADSequence, build: bool = True) -> tuple[str, str]:
    """("valid" | "refused" | "failure", detail) of one generated sequence: written, read back, compared,
    checked and (``build``) built in this process (its numbers are bounded: the kernel is safe with them)."""
    try:
        obj = write_deepcad_json(seq)
        text = json.dumps(obj)
        back = read_deepcad_json(json.loads(text))
    except InputError as e:
        return "failure", f"a valid sequence was refused when read back: {e}\n{describe(seq)}"
    except Exception:  # noqa: BLE001 - any other exception is what the property looks for
        return "failure", traceback.format_exc()
    diff = same_sequence(seq, back)
    if diff:
        return "failure", f"read(write(x)) != x: {diff}\n{describe(seq)}"
    if not build:
        return "valid", ""
    from inference.cad import kernel
    try:
        solid = kernel.build(back)
    except InputError as e:
        return "refused", e.one_line()
    except Exception:  # noqa: BLE001
        return "failure", "the kernel raised another exception:\n" + traceback.format_exc() + describe(seq)
    if not all(math.isfinite(v) for c in solid.bbox for v in c) or not math.isfinite(solid.volume):
        return "failure", f"the solid has a non-finite size: {solid.summary()}"
    return "valid", ""


@settings(max_examples=150, **FUZZ)
@given(sequences())
def test_valid_sequences_round_trip_and_build(seq):
    outcome, detail = roundtrip_outcome(seq)
    assert outcome != "failure", detail


# ----------------------------------------------------------------------------- malformed files
NASTY_VALUES = [None, True, False, "", "x", "NaN", "1e999", [], {}, [1, 2], {"x": 1}, 0, -1, 1, 0.0, -0.0,
                1e-300, 1e300, -1e300, 1e6, 1e9, 2 ** 63, -(2 ** 63), 10 ** 30, float("nan"), float("inf"),
                float("-inf")]
SCALES = [0.0, -1.0, 1e-12, 1e3, 1e6, 1e12, 1e300, float("nan"), float("inf")]
SNIPPETS = [b"[" * 100_000, b"{\"a\":" * 50_000, b"9" * 5000, b"NaN", b"-Infinity", b"1e400", b"\x00", b"\xff\xfe",
            b"\"", b"{", b"}", b"]", b",", b"null", b"\xed\xa0\x80"]


def default_bases() -> list[tuple[str, bytes]]:
    """Sequences this test writes (the bases when ../shared/data/deepcad is not there)."""
    seqs = [CADSequence([Extrude(loops=[[Line(10, 0), Line(10, 8), Line(0, 8), Line(0, 0)], [Circle(5, 4, 2)]],
                                 e1=5, faces=[[0, 1]])]),
            CADSequence([Extrude(loops=[[Circle(0, 0, 10)]], theta=0.3, phi=1.0, gamma=0.5, origin=(1, 2, 3),
                                 e1=4, e2=2, etype=2),
                         Extrude(loops=[[Line(3, -2), Arc(3, 2, 1.0, True), Line(-3, 2), Line(-3, -2)]], e1=20,
                                 op=2, etype=1)])]
    return [(f"written{i}.json", json.dumps(write_deepcad_json(s), indent=1).encode()) for i, s in enumerate(seqs)]


def bases(deepcad_dir: Path | None = DEEPCAD) -> list[tuple[str, bytes]]:
    real = sorted(deepcad_dir.rglob("*.json")) if deepcad_dir is not None and deepcad_dir.is_dir() else []
    return [(str(p.relative_to(deepcad_dir)), p.read_bytes()) for p in real] or default_bases()


def _paths(obj, prefix=()):
    """Every node's path in a JSON object (the root excluded)."""
    out = []
    items = obj.items() if isinstance(obj, dict) else enumerate(obj) if isinstance(obj, list) else ()
    for k, v in items:
        out.append(prefix + (k,))
        out += _paths(v, prefix + (k,))
    return out


def _get(obj, path):
    for k in path:
        obj = obj[k]
    return obj


@st.composite
def mutated_json(draw, base_list) -> bytes:
    """The bytes of a mutated DeepCAD file: structural mutations of the parsed JSON, then text mutations."""
    _, raw = draw(st.sampled_from(base_list))
    obj = json.loads(raw)
    for _ in range(draw(st.integers(0, 4))):
        paths = _paths(obj)
        if not paths:
            break
        path = paths[draw(st.integers(0, len(paths) - 1))]
        parent, key = _get(obj, path[:-1]), path[-1]
        op = draw(st.sampled_from(["delete", "replace", "scale", "duplicate", "nest", "zero_vector", "sweep"]))
        if op == "sweep":  # an arc almost straight or almost closed (OpenCascade cannot make it)
            sweeps = [p for p in paths if p[-1] == "end_angle"]
            if sweeps:
                path = sweeps[draw(st.integers(0, len(sweeps) - 1))]
                parent, key = _get(obj, path[:-1]), path[-1]
                parent[key] = draw(st.sampled_from([1e-12, 1e-9, 1e-7, 2 * math.pi - 1e-12, 2 * math.pi, 7.0]))
            continue
        if op == "delete":
            del parent[key]
        elif op == "replace":
            parent[key] = copy.deepcopy(draw(st.sampled_from(NASTY_VALUES)))
        elif op == "scale":
            v = parent[key]
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                parent[key] = v * draw(st.sampled_from(SCALES))
            else:
                parent[key] = copy.deepcopy(draw(st.sampled_from(NASTY_VALUES)))
        elif op == "duplicate":
            if isinstance(parent, list):
                parent.insert(key, json.loads(json.dumps(parent[key])))
            else:
                parent[key + "_"] = parent[key]
        elif op == "nest":
            v = parent[key]
            for _ in range(draw(st.integers(1, 30))):
                v = [v]
            parent[key] = v
        else:  # a point or axis with every coordinate set to one value (0: no direction; 1e300; NaN)
            v = parent[key]
            if isinstance(v, dict) and {"x", "y"} <= set(v):
                fill = draw(st.sampled_from([0.0, 1e-12, 1e300, -1e300, float("nan")]))
                parent[key] = {k: fill for k in v}
    text = json.dumps(obj).encode()
    for _ in range(draw(st.integers(0, 2))):
        op = draw(st.sampled_from(["truncate", "byte", "insert", "huge_int", "number"]))
        pos = draw(st.integers(0, len(text)))
        if op == "truncate":
            text = text[:pos]
        elif op == "byte":
            text = text[:pos] + bytes([draw(st.integers(0, 255))]) + text[pos + 1:]
        elif op == "insert":
            text = text[:pos] + draw(st.sampled_from(SNIPPETS)) + text[pos:]
        else:  # a number in the text replaced: by an integer of 5000 digits, or by another literal
            nums = list(re.finditer(rb"-?\d+(\.\d+)?([eE][-+]?\d+)?", text))
            if nums:
                m = nums[draw(st.integers(0, len(nums) - 1))]
                new = b"9" * 5000 if op == "huge_int" else draw(st.sampled_from(
                    [b"NaN", b"Infinity", b"-Infinity", b"1e308", b"-1e308", b"1e-320", b"0", b"-0.0", b"1e6"]))
                text = text[:m.start()] + new + text[m.end():]
    return text


def read_outcome(text: bytes, tmp: Path) -> tuple[str, object]:
    """("refused", message) | ("read", sequence) | ("failure", detail) of reading one file's bytes (no kernel)."""
    path = tmp / "case.json"
    path.write_bytes(text)
    try:
        seq = read_deepcad_json(path)
    except InputError as e:
        msg = e.one_line()
        if not msg.strip() or "\n" in e.message or len(e.message) > 400:
            return "failure", f"an unclear error message ({len(msg)} characters): {msg[:300]!r}"
        return "refused", msg
    except RecursionError:
        return "failure", "RecursionError"  # no traceback: it would be as deep as the nesting
    except Exception:  # noqa: BLE001
        return "failure", traceback.format_exc()
    try:
        for e in seq.extrudes:
            lengths = [*e.origin, e.e1, e.e2, e.s]
            lengths += [v for lp in e.loops for c in lp for v in (c.x, c.y, getattr(c, "r", 0.0))]
            angles = [e.theta, e.phi, e.gamma] + [c.sweep for lp in e.loops for c in lp if isinstance(c, Arc)]
            bad = [v for v in lengths if not (math.isfinite(v) and abs(v) <= MAX_COORD_MM)]
            bad += [v for v in angles if not math.isfinite(v)]
            if bad:
                return "failure", f"a sequence was read with numbers {bad[:3]}"
        describe(seq)
        for check in (validate_seq, to_vec):
            try:
                check(seq)
            except InputError:
                pass
    except Exception:  # noqa: BLE001
        return "failure", "reading passed but a later step failed:\n" + traceback.format_exc()
    return "read", seq


# the child process that builds files: "start i" before each build, then "ok i" / "refused i" / "failure i …"
BUILD_WORKER = r"""
import json, sys, traceback
from pathlib import Path
from inference.cad.io import read_deepcad_json
from inference.cad import kernel
from inference.runtime.errors import InputError
files = sorted(Path(sys.argv[1]).glob("*.json"))
start = int(sys.argv[2]) if len(sys.argv) > 2 else 0
for i, p in enumerate(files):
    if i < start:
        continue
    print("start", i, flush=True)
    try:
        seq = read_deepcad_json(p)
        solid = kernel.build(seq)
        print("ok", i, flush=True)
    except InputError as e:
        print("refused", i, flush=True)
    except Exception as e:
        print("failure", i, json.dumps(traceback.format_exc()), flush=True)
"""


def build_batch(folder: Path, timeout: float = 600) -> dict[int, tuple[str, str]]:
    """Build every .json file in ``folder`` in child processes: {index: (outcome, detail)} with outcome "ok",
    "refused", "failure" (another exception) or "crash" (the child died by a signal or another exit status;
    the batch goes on in a fresh child after the crashing file)."""
    n = len(list(folder.glob("*.json")))
    results: dict[int, tuple[str, str]] = {}
    start = 0
    env = dict(os.environ, PYTHONPATH=str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    while start < n:
        r = subprocess.run([sys.executable, "-c", BUILD_WORKER, str(folder), str(start)], capture_output=True,
                           text=True, timeout=timeout, cwd=REPO, env=env)
        current = None
        for line in r.stdout.splitlines():
            tok = line.split(" ", 2)
            if tok[0] == "start":
                current = int(tok[1])
            elif tok[0] in ("ok", "refused", "failure"):
                results[int(tok[1])] = (tok[0], json.loads(tok[2]) if len(tok) > 2 else "")
                current = None
        if r.returncode == 0 and current is None:
            break
        crashed = current if current is not None else (max(results) + 1 if results else start)
        results[crashed] = ("crash", f"exit status {r.returncode}; stderr: {r.stderr[-800:]}")
        start = crashed + 1
    return results


@pytest.fixture
def json_bases(request):
    """Real DeepCAD files (../shared/data/deepcad, through the shared_data fixture) when present, else files
    this test writes."""
    try:
        shared = request.getfixturevalue("shared_data")
    except pytest.skip.Exception:
        return default_bases()
    return bases(shared / "deepcad")


def test_malformed_json_is_refused_cleanly_and_what_is_read_builds_in_a_child(json_bases):
    accepted: list[bytes] = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)

        @settings(max_examples=200, **FUZZ)
        @given(mutated_json(json_bases))
        def reading_raises_only_input_error(text):
            outcome, detail = read_outcome(text, tmp)
            assert outcome != "failure", detail
            if outcome == "read":
                accepted.append(text)

        reading_raises_only_input_error()
        print(f"{len(accepted)} of the mutated files were read")
        # the accepted files (deduplicated, at most 60 to keep the suite quick) are built in a child process
        folder = tmp / "accepted"
        folder.mkdir()
        for i, text in enumerate(list(dict.fromkeys(accepted))[:60]):
            (folder / f"{i:04d}.json").write_bytes(text)
        results = build_batch(folder, timeout=300)
    bad = {i: r for i, r in results.items() if r[0] in ("failure", "crash")}
    assert not bad, bad
    assert len(results) == len(list(dict.fromkeys(accepted))[:60])


def test_the_build_batch_counts_a_crash(tmp_path, monkeypatch):
    """The child-process harness reports a native crash in one file and builds the files after it."""
    for i in range(3):
        (tmp_path / f"{i:04d}.json").write_bytes(default_bases()[0][1])
    worker = BUILD_WORKER.replace('print("start", i, flush=True)',
                                  'print("start", i, flush=True)\n    '
                                  'import os, signal\n    '
                                  'i == 1 and os.kill(os.getpid(), signal.SIGSEGV)')
    monkeypatch.setattr(sys.modules[__name__], "BUILD_WORKER", worker)
    results = build_batch(tmp_path, timeout=120)
    assert [results[i][0] for i in range(3)] == ["ok", "crash", "ok"], results


def test_an_error_quotes_at_most_a_short_piece_of_the_file():
    """Found by the fuzz test: a curve type of 5,000 characters was quoted whole in the error line."""
    obj = json.loads(default_bases()[0][1])
    sketch = next(e for e in obj["entities"].values() if e["type"] == "Sketch")
    next(iter(sketch["profiles"].values()))["loops"][0]["profile_curves"][0]["type"] = "Line" + "9" * 5000
    with pytest.raises(InputError, match="unsupported curve type Line9+…") as err:
        read_deepcad_json(obj)
    assert len(err.value.one_line()) < 200


@pytest.mark.parametrize("sweep", [1e-12, 1e-9, 1e-7, 2 * math.pi - 1e-12])
def test_an_almost_straight_or_almost_closed_arc_is_refused_before_the_kernel(sweep):
    """Found by the fuzz test: OpenCascade raised StdFail_NotDone (GC_MakeArcOfCircle) for such arcs."""
    from inference.cad import kernel
    seq = CADSequence([Extrude(loops=[[Line(10, 0), Arc(10, 8, sweep, True), Line(0, 8), Line(0, 0)]], e1=5)])
    with pytest.raises(InputError, match="arc's radius|almost straight"):
        kernel.build(seq)
    obj = write_deepcad_json(CADSequence([Extrude(loops=[[Line(10, 0), Arc(10, 8, 1.0, True), Line(0, 8),
                                                            Line(0, 0)]], e1=5)]))
    sketch = next(e for e in obj["entities"].values() if e["type"] == "Sketch")
    next(iter(sketch["profiles"].values()))["loops"][0]["profile_curves"][1]["end_angle"] = sweep
    with pytest.raises(InputError, match="arc's radius|almost straight"):
        kernel.build(read_deepcad_json(obj))
