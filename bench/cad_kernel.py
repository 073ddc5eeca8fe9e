"""CAD kernel figures: the check part, STEP round trip, the DeepCAD files against their bounding boxes,
build/mesh/export speed, and how often plane angles fall between the 45° bins of the spatial tokens.

    .venv/bin/python bench/cad_kernel.py
"""
from __future__ import annotations

import json
import math
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inference.cad import io as cad_io, kernel, synth, tokens as T  # noqa: E402
from inference.cad.io import read_deepcad_json  # noqa: E402
from inference.cad.seq import CADSequence, Circle, Extrude, Line, to_vec  # noqa: E402
from inference.runtime.errors import InputError  # noqa: E402


def main() -> int:
    plate = Extrude(loops=[[Line(10, -5), Line(10, 5), Line(-10, 5), Line(-10, -5)], [Circle(0, 0, 3)]], e1=5)
    pin = Extrude(loops=[[Circle(6, 0, 2)]], origin=(0, 0, 5), e1=8, op=1)
    s = kernel.build(CADSequence([plate, pin]))
    exact = 1000 - 13 * math.pi
    with tempfile.TemporaryDirectory() as d:
        cad_io.write_step(s, Path(d) / "c.step")
        back = cad_io.read_step(Path(d) / "c.step")
    print(f"check part: volume {s.volume:.10f} mm³, exact 1000−13π = {exact:.10f}, |Δ| = {abs(s.volume - exact):.2e}; "
          f"valid {s.valid}; STEP round trip {back.volume:.10f} (|Δ| = {abs(back.volume - exact):.2e})")
    shared = ROOT.parent / "shared" / "data" / "deepcad"
    n_between = n_ang = 0
    print(f"{'DeepCAD file':30s} {'valid':5s} {'bbox |Δ| mm':>11s} {'of size':>8s} {'volume mm³':>12s}  vectors")
    for f in sorted(shared.rglob("*.json")):
        seq = read_deepcad_json(f)
        sol = kernel.build(seq)
        bb = json.loads(f.read_text())["properties"]["bounding_box"]
        lo = np.array([bb["min_point"][k] for k in "xyz"]) * 1000
        hi = np.array([bb["max_point"][k] for k in "xyz"]) * 1000
        err = max(np.abs(np.array(sol.bbox[0]) - lo).max(), np.abs(np.array(sol.bbox[1]) - hi).max())
        try:  # the vector encoding has limits the file format has not
            v = to_vec(seq, max(400.0, float(np.abs(sol.bbox).max()) / 0.75))
            n_between += T.angles_between_bins(v)
            n_ang += 3 * int((v[:, 0] == 5).sum())
            enc = f"{len(v)} rows"
        except InputError as e:
            enc = e.message
        print(f"{str(f.relative_to(shared)):30s} {str(sol.valid):5s} {err:11.2e} {err / (hi - lo).max():8.1e} "
              f"{sol.volume:12.1f}  {enc}")
    print(f"DeepCAD files: {n_between}/{n_ang} plane angles fall between the 45° bins")
    parts = synth.sample_parts(140, seed=4242)
    tb = tm = 0.0
    nb = 0
    for p in parts:
        t0 = time.perf_counter()
        sol = kernel.build(p.seq)
        t1 = time.perf_counter()
        kernel.mesh(sol)
        tm += time.perf_counter() - t1
        tb += t1 - t0
        nb += T.angles_between_bins(to_vec(p.seq))
        assert sol.valid
    print(f"synthetic parts: {len(parts)} built, all valid; build {tb / len(parts) * 1e3:.1f} ms, "
          f"mesh {tm / len(parts) * 1e3:.1f} ms per part; {nb} plane angles between bins")
    lens = {sc: [len(T.encode(to_vec(p.seq), sc)) for p in parts] for sc in T.SCHEMES}
    print("tokens per part: " + ", ".join(f"{sc} mean {np.mean(v):.1f} max {max(v)}" for sc, v in lens.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
