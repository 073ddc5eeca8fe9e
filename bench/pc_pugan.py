"""PU-GAN's upsampling benchmark on the 11 PU-GAN test meshes in ../shared/data (issue #15, item 3).

    python bench/pc_pugan.py                          # ×4, ×16 and noisy ×4; pipeline, Poisson, ball pivoting
    python bench/pc_pugan.py --limit 2 --settings x4  # a quick look
    python bench/pc_pugan.py --json > out.json
    python bench/pc_pugan.py --from-json out.json     # reprint a saved run's report

Measured (seed 0, all 11 meshes, ~2 min on the 2-core machine), means ×10⁻³ — CD / HD / P2F / CD-L1:
    ×4     pipeline 0.549 / 8.54 / 1.843 / 9.21    Poisson 3.760 / 36.22 / 17.76 / 19.38   BPA 0.753 / 14.90 / 2.153 / 11.01
    ×16    pipeline 0.440 / 8.73 / 2.133 / 5.43    Poisson 3.551 / 36.41 / 17.96 / 15.67   BPA 0.555 / 15.04 / 2.189 / 6.84
    noisy  pipeline 0.558 / 8.82 / 5.424 / 11.05   Poisson 3.888 / 40.43 / 20.87 / 21.04   BPA 1.298 / 17.60 / 6.953 / 13.89
(×4 P2F per mesh 0.90–2.97 except chair 6.08: its Poisson-disk input reads as noisy (noise level 0.038 ≥ 0.03), so
the learned stage moves its points; before the noise-level check and the midpoints, ×4 was 0.668 / 11.02 / 4.655 /
10.74 with casting 16.0 and chair 9.0; with one round of midpoints 0.516 / 8.49 / 1.879 / 9.21, ×16 0.457 / 8.89 /
2.256 / 5.54.)

Protocol (as PU-GAN's and its successors' code does it; the sources are in PROTOCOL_NOTES below):

* mesh: read with Open3D and put in the unit sphere: centre = the **centroid** (mean) of the mesh vertices, scale =
  the largest vertex distance from it (PU-GAN's `normalize_point_cloud` uses the mean of the points, not the
  bounding-box centre). The PU-GAN test meshes are already stored that way (vertex mean 0, max radius 1), so
  this changes nothing on them.
* input 2,048 and ground truth 8,192 (×4) or 32,768 (×16) points, each by Open3D `sample_points_poisson_disk`
  from the mesh (as Grad-PU's `prepare_pugan.py`), here with Open3D's generator seeded (`--seed`).
* noisy row: Gaussian noise σ = 0.01 added to the 2,048 inputs in their own unit-sphere frame, clamped to
  ±0.03 (Grad-PU's `add_noise(sigma=0.01, clamp=0.03)`), ground truth clean.
* methods: `pipeline` = `inference.pointcloud.model.reconstruct(x, upsample=R)` exactly as
  `mmwb pc reconstruct IN --upsample R` runs it (no view image, so pc-points-only; outlier removal on);
  `poisson` / `ball_pivoting` = `inference.pointcloud.baselines` with the same output count.
* metrics, ×10⁻³ like the papers (PU-GAN's / PU-GCN's `evaluate.py`):
  - CD  = mean_p min_q |p−q|² + mean_q min_p |q−p|²  — the **sum** of the two mean *squared* nearest-neighbour
    distances, after each cloud (prediction, ground truth) is normalised by its own centroid and largest radius;
  - HD  = max_p min_q |p−q|² + max_q min_p |q−p|²  — what PU-GAN's code calls "hausdorff": the sum of the two
    directed maxima of *squared* distances, same normalisation. The textbook Hausdorff distance
    (max of the two directed maxima, not squared) is given as `hd_euclid` in --json;
  - P2F = mean over every output point of its distance to the mesh surface (PU-GAN used CGAL's AABB tree;
    here Open3D `RaycastingScene.compute_distance`, unsigned, in the mesh's unit-sphere frame); the mean over
    meshes pools all points (PU-GAN's `np.nanmean` of the concatenated distances: every mesh has the same count);
  - CD-L1 = ½(mean_p min_q |p−q| + mean_q min_p |q−p|) in the mesh's unit-sphere frame (this project's
    measure, the one the issue's "better than both classical baselines" refers to).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_MESHES = ROOT.parent / "shared" / "data" / "pointclouds" / "pugan_test"
N_INPUT = 2048
NOISE_SIGMA = 0.01
NOISE_CLAMP = 0.03
SETTINGS = {  # name: (upsampling ratio, noisy input)
    "x4": (4, False),
    "x16": (16, False),
    "x4_noise0.01": (4, True),
}
METHODS = ("pipeline", "poisson", "ball_pivoting")

PROTOCOL_NOTES = {
    "normalisation": "PU-GAN Common/ops.py normalize_point_cloud: centroid = mean of the points, scale = furthest "
                     "point; evaluate.py normalises prediction and ground truth each by its own (liruihui/PU-GAN, "
                     "guochengqian/PU-GCN evaluate.py)",
    "cd": "evaluate.py: CD = mean(cd_forward) + mean(cd_backward), tf_nndistance returns squared distances",
    "hd": "evaluate.py: hausdorff = max(cd_forward) + max(cd_backward), squared distances",
    "p2f": "evaluation_code/evaluation.cpp: CGAL AABB-tree distance of each predicted point to the .off mesh "
           "(mesh not rescaled); evaluate.py averages all points of all meshes (nanmean)",
    "sampling": "Grad-PU prepare_pugan.py: open3d sample_points_poisson_disk(2048) input and (8192 | 32768) gt "
                "from each test mesh; noise: add_noise(sigma=0.01, clamp=0.03) in the input's unit-sphere frame",
}

# Figures the papers publish for PU-GAN's test set (27 meshes, 2,048 → 8,192 for ×4), ×10⁻³, each as found in
# the source named beside it. None = not found in the sources this bench could read.
# Their protocol: 27 test meshes (these 11 are among them), 2,048 Poisson-disk inputs, CD/HD/P2F as above, the
# prediction from a network trained on PU-GAN's 120 training meshes (patches), ×4 unless the setting says otherwise.
PUBLISHED = [
    # (method, setting, CD, HD, P2F, source, note)
    ("PU-GAN", "x4", None, None, None,
     "PU-GAN, ICCV 2019 (arXiv 1907.10844)", "table not readable in the sources searched"),
    ("PU-GCN", "x4", None, None, None,
     "PU-GCN, CVPR 2021 (arXiv 1912.03264)", "table not readable in the sources searched"),
    ("Grad-PU", "x4", None, None, None,
     "Grad-PU, CVPR 2023 (arXiv 2204.12684), own table", "not readable in the sources searched"),
    ("Grad-PU", "x4", 0.260, 2.462, 1.949,
     "PU-Gaussian (arXiv 2509.20207) table, as quoted by a blog summary",
     "Grad-PU re-measured by PU-Gaussian's authors, secondary source"),
    ("Grad-PU", "x16", 0.132, 2.421, 2.190,
     "PU-Gaussian (arXiv 2509.20207) table, as quoted by a blog summary",
     "2,048 → 32,768; Grad-PU re-measured by PU-Gaussian's authors, secondary source"),
]


# ------------------------------------------------------------------------------------------- data
def _o3d():
    import open3d as o3d
    o3d.utility.set_verbosity_level(o3d.utility.VerbosityLevel.Error)
    return o3d


def load_mesh(path):
    """An Open3D TriangleMesh put in the unit sphere (vertex centroid, largest vertex radius = 1)."""
    o3d = _o3d()
    mesh = o3d.io.read_triangle_mesh(str(path))
    v = np.asarray(mesh.vertices, dtype=np.float64)
    if len(v) == 0 or len(mesh.triangles) == 0:
        raise ValueError(f"{path}: no triangles")
    c = v.mean(0)
    s = float(np.linalg.norm(v - c, axis=1).max())
    mesh.vertices = o3d.utility.Vector3dVector((v - c) / s)
    return mesh


def poisson_disk(mesh, n: int, seed: int) -> np.ndarray:
    """n points by Open3D's Poisson-disk sample elimination (init_factor 5, its default), seeded."""
    o3d = _o3d()
    o3d.utility.random.seed(int(seed))
    return np.asarray(mesh.sample_points_poisson_disk(number_of_points=n).points, dtype=np.float64)


def add_noise(x: np.ndarray, sigma: float, seed: int, clamp: float = NOISE_CLAMP) -> np.ndarray:
    """Gaussian noise σ in the cloud's own unit-sphere frame, clamped to ±clamp (Grad-PU's add_noise)."""
    c = x.mean(0)
    s = float(np.linalg.norm(x - c, axis=1).max())
    rng = np.random.default_rng(seed)
    return x + np.clip(sigma * rng.standard_normal(x.shape), -clamp, clamp) * s


# ---------------------------------------------------------------------------------------- metrics
def normalize_pc(x: np.ndarray) -> np.ndarray:
    """PU-GAN's normalize_point_cloud: centroid (mean) to the origin, furthest point at radius 1."""
    x = np.asarray(x, dtype=np.float64)
    c = x.mean(0)
    s = float(np.linalg.norm(x - c, axis=1).max())
    return (x - c) / (s if s > 0 else 1.0)


def nn_dist(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance from each point of a to its nearest point of b."""
    from scipy.spatial import cKDTree
    return cKDTree(b).query(a, k=1)[0]


def pugan_cd_hd(pred: np.ndarray, gt: np.ndarray) -> tuple[float, float, float]:
    """PU-GAN's CD and "hausdorff" (both on squared distances, each cloud normalised by itself) and the
    textbook Hausdorff distance on the same normalised clouds. Raw values (multiply by 10³ to report)."""
    p, q = normalize_pc(pred), normalize_pc(gt)
    fwd = nn_dist(p, q) ** 2
    bwd = nn_dist(q, p) ** 2
    cd = float(fwd.mean() + bwd.mean())
    hd = float(fwd.max() + bwd.max())
    hd_euclid = float(np.sqrt(max(fwd.max(), bwd.max())))
    return cd, hd, hd_euclid


def cd_l1(pred: np.ndarray, gt: np.ndarray) -> float:
    """½(mean d(p,Q) + mean d(q,P)) in the frame the clouds are given in (raw)."""
    return float(0.5 * (nn_dist(pred, gt).mean() + nn_dist(gt, pred).mean()))


def p2f(points: np.ndarray, mesh) -> np.ndarray:
    """Each point's unsigned distance to the mesh surface (Open3D RaycastingScene)."""
    o3d = _o3d()
    scene = o3d.t.geometry.RaycastingScene()
    scene.add_triangles(o3d.t.geometry.TriangleMesh.from_legacy(mesh))
    q = o3d.core.Tensor(np.asarray(points, dtype=np.float32))
    return scene.compute_distance(q).numpy().astype(np.float64)


# ---------------------------------------------------------------------------------------- methods
def run_method(method: str, x: np.ndarray, ratio: int) -> np.ndarray:
    n_out = int(ratio * len(x))
    if method == "pipeline":
        from inference.pointcloud.model import reconstruct
        return reconstruct(x, None, upsample=float(ratio)).xyz  # what `mmwb pc reconstruct --upsample R` runs
    from inference.pointcloud.baselines import run_baseline
    return run_baseline(method, x, n_out)


# ------------------------------------------------------------------------------------------ bench
def evaluate(meshes: list[Path], settings: list[str], methods: list[str], seed: int, log=None) -> dict:
    log = log or (lambda m: None)
    per = []
    for mi, path in enumerate(meshes):
        mesh = load_mesh(path)
        base_seed = seed + 1000 * mi
        x_clean = poisson_disk(mesh, N_INPUT, base_seed)
        gts = {}
        for st in settings:
            ratio, noisy = SETTINGS[st]
            if ratio not in gts:
                gts[ratio] = poisson_disk(mesh, N_INPUT * ratio, base_seed + ratio)
            gt = gts[ratio]
            x = add_noise(x_clean, NOISE_SIGMA, base_seed + 7) if noisy else x_clean
            for m in methods:
                t0 = time.perf_counter()
                out = run_method(m, x, ratio)
                dt = time.perf_counter() - t0
                cd, hd, hde = pugan_cd_hd(out, gt)
                d = p2f(out, mesh)
                row = {"mesh": path.stem, "setting": st, "method": m, "n_out": len(out),
                       "cd": cd * 1e3, "hd": hd * 1e3, "hd_euclid": hde * 1e3, "p2f": float(d.mean()) * 1e3,
                       "p2f_std": float(d.std()) * 1e3, "p2f_sum": float(d.sum()), "p2f_n": len(d),
                       "cd_l1": cd_l1(out, gt) * 1e3, "seconds": dt}
                per.append(row)
                log(f"{path.stem:10s} {st:13s} {m:14s} CD {row['cd']:.3f} HD {row['hd']:.3f} "
                    f"P2F {row['p2f']:.3f} CD-L1 {row['cd_l1']:.2f} ({dt:.1f} s)")
    means = []
    for st in settings:
        for m in methods:
            r = [a for a in per if a["setting"] == st and a["method"] == m]
            if not r:
                continue
            means.append({"setting": st, "method": m, "n": len(r),
                          "cd": float(np.mean([a["cd"] for a in r])), "hd": float(np.mean([a["hd"] for a in r])),
                          "hd_euclid": float(np.mean([a["hd_euclid"] for a in r])),
                          "p2f": float(sum(a["p2f_sum"] for a in r) / sum(a["p2f_n"] for a in r)) * 1e3,
                          "cd_l1": float(np.mean([a["cd_l1"] for a in r])),
                          "seconds": float(np.mean([a["seconds"] for a in r]))})
    return {"meshes": [p.stem for p in meshes], "seed": seed, "n_input": N_INPUT, "settings": settings,
            "methods": methods, "per_mesh": per, "means": means, "protocol": PROTOCOL_NOTES,
            "published": [dict(zip(("method", "setting", "cd", "hd", "p2f", "source", "note"), p)) for p in PUBLISHED]}


def _f(v) -> str:
    return "not found" if v is None else f"{v:.3f}"


def format_report(res: dict) -> str:
    L = [f"PU-GAN protocol on {len(res['meshes'])} meshes (seed {res['seed']}): {res['n_input']} Poisson-disk "
         f"input points; CD, HD, P2F ×10⁻³ (PU-GAN's definitions, see the module docstring); CD-L1 ×10⁻³"]
    for st in res["settings"]:
        L.append("")
        L.append(f"== {st} ==")
        L.append(f"{'mesh':10s} " + " ".join(f"{m:>32s}" for m in res["methods"]))
        L.append(f"{'':10s} " + " ".join(f"{'CD    HD    P2F   CD-L1':>32s}" for _ in res["methods"]))
        rows = [a for a in res["per_mesh"] if a["setting"] == st]
        for name in res["meshes"]:
            cells = []
            for m in res["methods"]:
                a = next((r for r in rows if r["mesh"] == name and r["method"] == m), None)
                cells.append(f"{'':>8s}{'—':>24s}" if a is None else
                             f"{a['cd']:8.3f}{a['hd']:8.3f}{a['p2f']:8.3f}{a['cd_l1']:8.2f}")
            if any(r["mesh"] == name for r in rows):
                L.append(f"{name:10s} " + " ".join(cells))
        cells = []
        for m in res["methods"]:
            a = next((r for r in res["means"] if r["setting"] == st and r["method"] == m), None)
            cells.append(f"{'':>32s}" if a is None else f"{a['cd']:8.3f}{a['hd']:8.3f}{a['p2f']:8.3f}{a['cd_l1']:8.2f}")
        L.append(f"{'MEAN':10s} " + " ".join(cells))
        secs = "  ".join(f"{a['method']} {a['seconds']:.1f} s" for a in res["means"] if a["setting"] == st)
        L.append(f"{'s/cloud':10s} {secs}")
    L.append("")
    L.append("Published, PU-GAN test set (27 meshes), ×10⁻³ — other meshes (27 vs these 11), other samplings:")
    L.append(f"{'method':10s} {'setting':8s} {'CD':>9s} {'HD':>9s} {'P2F':>9s}  source")
    for p in res["published"]:
        L.append(f"{p['method']:10s} {p['setting']:8s} {_f(p['cd']):>9s} {_f(p['hd']):>9s} {_f(p['p2f']):>9s}  "
                 f"{p['source']}" + (f" — {p['note']}" if p["note"] else ""))
    return "\n".join(L)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--meshes", type=Path, default=DEFAULT_MESHES, help="folder of .off meshes")
    ap.add_argument("--limit", type=int, help="only the first N meshes (sorted by name)")
    ap.add_argument("--methods", default=",".join(METHODS), help="comma-separated: " + ", ".join(METHODS))
    ap.add_argument("--settings", default=",".join(SETTINGS), help="comma-separated: " + ", ".join(SETTINGS))
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--json", action="store_true", help="print the result as one JSON object")
    ap.add_argument("--quiet", action="store_true", help="no per-cloud progress lines on stderr")
    ap.add_argument("--from-json", type=Path, metavar="FILE",
                    help="print the report of an earlier --json run (no measuring; current published figures)")
    a = ap.parse_args(argv)
    if a.from_json:
        res = json.loads(Path(a.from_json).read_text())
        res["published"] = [dict(zip(("method", "setting", "cd", "hd", "p2f", "source", "note"), p)) for p in PUBLISHED]
        print(json.dumps(res, indent=1) if a.json else format_report(res))
        return 0
    methods = [m for m in a.methods.split(",") if m]
    settings = [s for s in a.settings.split(",") if s]
    for m in methods:
        if m not in METHODS:
            ap.error(f"unknown method {m!r} (use {', '.join(METHODS)})")
    for s in settings:
        if s not in SETTINGS:
            ap.error(f"unknown setting {s!r} (use {', '.join(SETTINGS)})")
    meshes = sorted(Path(a.meshes).glob("*.off"))
    if a.limit:
        meshes = meshes[: a.limit]
    if not meshes:
        ap.error(f"no .off meshes in {a.meshes}")
    log = None if a.quiet else (lambda m: print(m, file=sys.stderr, flush=True))
    res = evaluate(meshes, settings, methods, a.seed, log)
    print(json.dumps(res, indent=1) if a.json else format_report(res))
    return 0


if __name__ == "__main__":
    sys.exit(main())
