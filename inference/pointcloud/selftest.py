"""Point-cloud panel self-test (for `mmwb --self-test`): make a torus with its rendered view, degrade it to
the `noisy` level, reconstruct 16,384 points with the shipped default pipeline (image + points), write and
read back a PLY, and check the output lies on the true surface about as well as the input does
(quality itself is measured by `mmwb pc eval`, not here)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from inference.runtime.errors import WorkbenchError


def run(work: Path) -> str:
    from .io import PointCloud, read_cloud, write_cloud
    from .metrics import score
    from .model import reconstruct
    from .synth import make_sample

    s = make_sample("torus", np.random.default_rng(4242), levels=("noisy",), oracle=False)
    noisy = s.inputs["noisy"]
    res = reconstruct(noisy, s.image, points=16384)
    if res.xyz.shape != (16384, 3) or not np.isfinite(res.xyz).all():
        raise WorkbenchError(f"pointcloud: bad output shape {res.xyz.shape}")
    before, after = score(noisy, s.gt).cd_l1, score(res.xyz, s.gt).cd_l1
    if not after < 1.5 * before:
        raise WorkbenchError(f"pointcloud: reconstruction CD-L1 {after:.1f} is far worse than the input's {before:.1f}")
    out = work / "out.ply"
    write_cloud(out, PointCloud(res.xyz))
    back = read_cloud(out)
    if len(back.xyz) != 16384:
        raise WorkbenchError("pointcloud: the PLY written could not be read back")
    return f"2,048 noisy points -> 16,384; CD-L1x1e3 {before:.1f} -> {after:.1f}; PLY round trip ok"
