"""Where the pipeline's P2F comes from on PU-GAN's protocol (×4, the 11 test meshes in ../shared/data): the
mean point-to-surface distance of the output's *input-derived* points and of its *new* points, as shipped (an
input that looks noise-free keeps its points, `model._keep_clean_input`), with every input point moved by the
learned stage (the pipeline before the noise-level check), and with every input point left where it is.

    python bench/pc_p2f_parts.py [--meshes DIR] [--seed 0]

A diagnosis for issue #15 item 4, not a tuning run: it changes nothing in the pipeline. Same sampling and units as bench/pc_pugan.py (P2F ×10⁻³, unit sphere).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import pc_pugan  # noqa: E402
from inference.pointcloud import model as M, ops  # noqa: E402


def run(xn: np.ndarray, moved: np.ndarray, added: np.ndarray, points: int) -> tuple[np.ndarray, np.ndarray]:
    """The pipeline's surface and selection steps (as model._reconstruct_one, smooth off) → (points, is_input)."""
    moved, added, pri = M._surface(moved, added, int(points * M.OVERSAMPLE), smooth=False)
    allp = np.concatenate([moved, added])
    sel = ops.blue_noise_select(allp, points, protect=len(moved),
                                priority=np.concatenate([np.zeros(len(moved), np.int64), pri]))
    return allp[sel], sel < len(moved)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--meshes", default=str(pc_pugan.DEFAULT_MESHES))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--model", default="pc-points-only")
    a = ap.parse_args(argv)
    meshes = sorted(Path(a.meshes).glob("*.off"))
    if not meshes:
        print(f"no .off meshes in {a.meshes}")
        return 2
    rows = {"as shipped": [], "learned moves": [], "inputs not moved": []}
    print(f"{'mesh':<12} {'variant':<18} {'P2F':>7} {'inputs':>7} {'new':>7}   (×10⁻³)")
    for mp in meshes:
        mesh = pc_pugan.load_mesh(mp)
        x = pc_pugan.poisson_disk(mesh, pc_pugan.N_INPUT, a.seed)
        points = 4 * len(x)
        xn, c, s = ops.normalize(x)
        moved, added, _ = M.learned_stage(xn, None, a.model, int(points * M.OVERSAMPLE))
        shipped = M._keep_clean_input(xn, moved)[0]
        for name, base in (("as shipped", shipped), ("learned moves", moved), ("inputs not moved", xn.copy())):
            out, is_in = run(xn, base, added.copy(), points)
            d = pc_pugan.p2f(ops.denormalize(out, c, s), mesh)
            rows[name].append(d)
            print(f"{mp.stem[:12]:<12} {name:<18} {1e3 * d.mean():7.2f} {1e3 * d[is_in].mean():7.2f} "
                  f"{1e3 * d[~is_in].mean():7.2f}", flush=True)
    for name, ds in rows.items():
        print(f"mean over all points, {name}: P2F {1e3 * np.concatenate(ds).mean():.2f}×10⁻³")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
