"""CAD panel self-test (for `mmwb --self-test`): the kernel builds the check part exactly, the shipped text
model turns a description into a valid solid with the described dimensions, and STEP/STL are written and the
STEP read back with the same volume."""
from __future__ import annotations

import math
from pathlib import Path

from inference.runtime.errors import WorkbenchError


def run(work: Path) -> str:
    from .io import read_step, write_step, write_stl
    from .kernel import build
    from .model import text_to_candidates

    cands = text_to_candidates("a rectangular plate 40 mm long , 20 mm wide and 5 mm thick", model="cad-text")
    seq = next((c.seq for c in cands if c.seq is not None), None)
    if seq is None:
        raise WorkbenchError("cad: the text model gave no sequence")
    solid = build(seq)
    if not solid.valid:
        raise WorkbenchError("cad: the generated solid is not valid")
    size = sorted(solid.bbox[1][i] - solid.bbox[0][i] for i in range(3))
    if not all(math.isclose(a, b, rel_tol=0.05) for a, b in zip(size, (5.0, 20.0, 40.0))):
        raise WorkbenchError(f"cad: the plate measures {[round(v, 1) for v in size]} mm, not 5 x 20 x 40")
    step, stl = work / "part.step", work / "part.stl"
    write_step(solid, step)
    write_stl(solid, stl)
    back = read_step(step)
    if not math.isclose(back.volume, solid.volume, rel_tol=1e-6) or stl.stat().st_size == 0:
        raise WorkbenchError(f"cad: STEP round trip changed the volume ({solid.volume} -> {back.volume})")
    return f"text -> valid plate {size[2]:.0f} x {size[1]:.0f} x {size[0]:.0f} mm, volume {solid.volume:.0f} mm3; STEP/STL ok"
