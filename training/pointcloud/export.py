"""Export trained checkpoints to ONNX (dynamic batch / point / token / seed counts) + manifests.

    python -m training.pointcloud.export --ckpt runs/pc/last.pt --out resources/models

Writes pc-multimodal.{onnx,json} and pc-points-only.{onnx,json}; checks onnxruntime against torch at
input sizes other than the export example.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np
import torch

from inference.pointcloud.prepare import GROUP_K, IMG_SIZE, LOCAL_K, MLS_K, PIXEL_IMG_SIZE, image_input, prepare
from inference.runtime.manifest import write_manifest

from .model import Reconstructor
from .data import VARIANTS
from .train import build

NAMES = {"multimodal": "pc-multimodal", "points_only": "pc-points-only"}
IN_NAMES = ["points", "frames", "centers_idx", "group_idx", "local_idx", "interp_idx", "interp_w", "seeds", "mls"]


def _example(n: int, seed: int = 0, image_size: int = IMG_SIZE) -> dict:
    from inference.pointcloud.shapes import make_shape
    from inference.pointcloud.synth import render
    rng = np.random.default_rng(seed)
    shape = make_shape("torus", rng)
    x, _ = shape.sample(n, rng)
    f = prepare(x)
    f["image"] = image_input(render(*shape.sample(20000, rng)), image_size)
    return f


def input_names(model: Reconstructor) -> list[str]:
    return IN_NAMES + (["image"] if model.multimodal else []) + (["pix"] if model.pixel else [])


def image_size(model: Reconstructor) -> int:
    return PIXEL_IMG_SIZE if model.pixel else IMG_SIZE


def export_one(model: Reconstructor, path: Path, multimodal: bool) -> None:
    model.eval()
    ex = _example(1000, image_size=image_size(model))
    names = input_names(model)
    args = tuple(torch.from_numpy(ex[k]) for k in names)
    B, N, G, K, k, R = (torch.export.Dim("batch", max=64), torch.export.Dim("n", min=8, max=200000),
                        torch.export.Dim("g", min=2, max=4096), torch.export.Dim("k", min=2, max=64),
                        torch.export.Dim("kl", min=2, max=64), torch.export.Dim("r", min=1, max=128))
    dyn = {"points": {0: B, 1: N}, "frames": {0: B, 1: N}, "centers_idx": {0: B, 1: G}, "group_idx": {0: B, 1: G, 2: K},
           "local_idx": {0: B, 1: N, 2: k}, "interp_idx": {0: B, 1: N}, "interp_w": {0: B, 1: N},
           "seeds": {0: R}, "mls": {0: B, 1: N}}
    if multimodal:
        dyn["image"] = {0: B}
    if model.pixel:
        dyn["pix"] = {0: B, 1: N}
    torch.onnx.export(model, args, str(path), input_names=names, output_names=["moved", "added"],
                      dynamic_shapes=dyn, dynamo=True, opset_version=18, external_data=False, verbose=False)


def store_weights_fp16(path: Path, min_size: int = 256) -> None:
    """Store large float32 weights as float16 with a Cast back to float32 (halves the file; compute stays fp32)."""
    import onnx
    from onnx import helper, numpy_helper
    m = onnx.load(str(path))
    g = m.graph
    casts = []
    for init in list(g.initializer):
        if init.data_type != onnx.TensorProto.FLOAT:
            continue
        arr = numpy_helper.to_array(init)
        if arr.size < min_size:
            continue
        name = init.name
        half = numpy_helper.from_array(arr.astype(np.float16), name + "__fp16")
        g.initializer.remove(init)
        g.initializer.append(half)
        casts.append(helper.make_node("Cast", [half.name], [name], to=onnx.TensorProto.FLOAT, name=name + "__cast"))
    for i, c in enumerate(casts):
        g.node.insert(i, c)
    onnx.checker.check_model(m)
    onnx.save(m, str(path))


def check_one(model: Reconstructor, path: Path, multimodal: bool) -> float:
    import onnxruntime as ort
    ort.set_default_logger_severity(3)
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    worst = 0.0
    for n in (512, 2048, 3001):
        ex = _example(n, seed=n, image_size=image_size(model))
        names = input_names(model)
        with torch.no_grad():
            tm, ta = model(*[torch.from_numpy(ex[k]) for k in names])
        om, oa = sess.run(["moved", "added"], {k: ex[k] for k in names})
        worst = max(worst, float(np.abs(om - tm.numpy()).max()), float(np.abs(oa - ta.numpy()).max()))
    return worst


def train_command(args: dict) -> str:
    """The one command that reproduces the checkpoint (from its saved arguments)."""
    a = {"out": "runs/pc2", "steps": 100000, "batch": 4, "lr": 1e-3, "seed": 0, "threads": 2, "time_budget": 0,
         **(args or {})}
    budget = f" --time-budget {a['time_budget']:g}" if a.get("time_budget") else ""
    budget += " --pixel" if a.get("pixel") else ""
    return (f"python -m training.pointcloud.train --out {a['out']} --steps {a['steps']}{budget} --batch {a['batch']} "
            f"--lr {a['lr']:g} --seed {a['seed']} --threads {a['threads']}")


OUTPUT_NOTE = ("the input points themselves when the input looks noise-free (noise level < 0.03 spacings), the "
               "moved points otherwise; edge midpoints of neighbouring points (a second round along the edges of "
               "the points and those midpoints, except in the tiles of a large scan) and the added points projected "
               "onto sheet-aware quadric patches (16 neighbours; steep ones dropped); blue-noise selection (sample "
               "elimination: input points kept, midpoints before added points) down to the target count "
               "(inference/pointcloud/model.py)")


def manifest(name: str, multimodal: bool, onnx_file: str, metrics: dict, trained: dict, pixel: bool = False) -> dict:
    size = PIXEL_IMG_SIZE if pixel else IMG_SIZE
    inputs = [
        {"name": "points", "shape": ["batch", "n", 3], "dtype": "float32"},
        {"name": "frames", "shape": ["batch", "n", 3, 3], "dtype": "float32"},
        {"name": "centers_idx", "shape": ["batch", "g"], "dtype": "int64"},
        {"name": "group_idx", "shape": ["batch", "g", "k"], "dtype": "int64"},
        {"name": "local_idx", "shape": ["batch", "n", "kl"], "dtype": "int64"},
        {"name": "interp_idx", "shape": ["batch", "n", 3], "dtype": "int64"},
        {"name": "interp_w", "shape": ["batch", "n", 3], "dtype": "float32"},
        {"name": "seeds", "shape": ["r", 2], "dtype": "float32"},
        {"name": "mls", "shape": ["batch", "n", len(MLS_K), 3], "dtype": "float32"},
    ]
    if multimodal:
        inputs.append({"name": "image", "shape": ["batch", 1, size, size], "dtype": "float32"})
    if pixel:
        inputs.append({"name": "pix", "shape": ["batch", "n", 2], "dtype": "float32"})
    return {
        "name": name, "task": "pointcloud-reconstruction", "default": multimodal,
        "description": ("Dense point-cloud reconstruction from a sparse/noisy cloud" +
                        (" and a rendered view (image tokens cross-attended by point tokens" +
                         ("; pixel-aligned CNN features sampled where each point falls in the view)" if pixel else ")")
                         if multimodal
                         else " alone (ablation: no image branch)") +
                        ". FPS+KNN patch tokens → transformer → per-point head that moves each input point onto the "
                        "surface (a learned per-point blend of staying put and three MLS quadric estimates, plus a "
                        "residual in the point's PCA frame) and places r new points on a tangent disc around it; the "
                        "pipeline then keeps a noise-free input's own points, adds midpoints of neighbouring points, "
                        "projects the new points onto sheet-aware quadric patches and keeps an evenly spread subset "
                        "of the requested size."),
        "file": onnx_file, "inputs": inputs,
        "outputs": [{"name": "moved", "shape": ["batch", "n", 3], "dtype": "float32"},
                    {"name": "added", "shape": ["batch", "n", "r", 3], "dtype": "float32"}],
        "preprocessing": {
            "frame": "centroid at 0, max radius 1 (after statistical outlier removal: 16 neighbours, std ratio 2.0)",
            "centers": "farthest point sampling, start index 0, g = clip(n // 16, 16, 256)",
            "group_k": GROUP_K, "local_k": LOCAL_K,
            "frames": "per point: PCA of its local_k neighbours, rows t1, t2, normal; t1 and normal signed away from the centroid",
            "interp": "3 nearest centres, inverse-distance weights",
            "seeds": "sunflower disc, r = clip(ceil(2.5 * target / n) - 1, 1, 64)",
            "mls": "per point, its move onto the Gaussian-weighted quadric fitted to its k nearest neighbours in their "
                   "PCA frame, k = " + ", ".join(map(str, MLS_K)),
            "pix": ("each point's place in the view: (q·right, −q·up) / 1.1 with the view basis of synth.view_basis, "
                    "grid_sample coordinates (align_corners=False)") if pixel else None,
            "image": f"grayscale {size}x{size} in [0, 1], INTER_AREA resize; view along "
                     "(1.0, 0.8, 1.2) orthographic, extent ±1.1 of the normalised frame" if multimodal else None,
            "output": OUTPUT_NOTE,
        },
        "metrics": metrics, "trained": trained,
        "trained_by": train_command(trained.get("args", {})),
        "evaluated_by": "mmwb pc synth data/pc_test2718 --n 24 --seed 2718 && mmwb pc eval data/pc_test2718 "
                        "--methods model,points_only,poisson,ball_pivoting,oracle,classical --out data/pc_eval_2718.json",
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", default="runs/pc/last.pt")
    ap.add_argument("--out", default="resources/models")
    ap.add_argument("--metrics", help="JSON from `mmwb pc eval --out` to copy into the manifests")
    ap.add_argument("--manifests-only", action="store_true", help="keep the .onnx files, rewrite the manifests")
    a = ap.parse_args(argv)
    state = torch.load(a.ckpt, weights_only=False, map_location="cpu")
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    ev = json.loads(Path(a.metrics).read_text()) if a.metrics else None
    trained = {"steps": state["step"], "wall_time_min": round(state["elapsed"] / 60, 1),
               "machine": "2 shared CPU cores (torch CPU, 2 threads)", "args": state.get("args", {}),
               "objective": "point-to-plane L1 to the true surface + 0.1 × movement along it",
               "final_point_to_plane_e3": {v: float(np.mean([h[v] for h in state["history"][-200:]]))
                                           for v in ("input",) + VARIANTS} if state["history"] else {}}
    common = trained
    for v in VARIANTS:
        trained = dict(common)  # each manifest records only its own model's export check
        m = build(v, 0, bool(state.get("args", {}).get("pixel")))
        m.load_state_dict(state["models"][v])
        m.eval()
        name = NAMES[v]
        path = out / f"{name}.onnx"
        old_man = out / f"{name}.json"
        if a.manifests_only and old_man.exists():
            prev = json.loads(old_man.read_text()).get("trained", {})
            if name in prev.get("onnx_max_abs_diff_vs_torch", {}):
                trained["onnx_max_abs_diff_vs_torch"] = {name: prev["onnx_max_abs_diff_vs_torch"][name]}
        if not a.manifests_only:
            t0 = time.time()
            export_one(m, path, v == "multimodal")
            store_weights_fp16(path)
            err = check_one(m, path, v == "multimodal")
            print(f"{name}: exported in {time.time() - t0:.1f} s, {path.stat().st_size / 1e6:.2f} MB, "
                  f"max |onnxruntime - torch| {err:.2e}")
            if err > 2e-2:
                raise SystemExit(f"{name}: onnxruntime disagrees with torch ({err})")
            trained.setdefault("onnx_max_abs_diff_vs_torch", {})[name] = err
        metrics = {}
        if ev:
            key = "model" if v == "multimodal" else "points_only"
            metrics = {"eval_dataset": ev["dataset"], "eval_seed": ev["seed"], "eval_shapes": ev["samples"]}
            for r in ev["rows"]:
                if r["method"] == key:
                    metrics[r["level"]] = {k: round(r[k], 4) for k in ("cd_l1", "cd_l2", "fscore", "seconds")}
            for r in ev["rows"]:  # what the row is read against (same dataset, same evaluator)
                if r["method"] != key and r["level"] in metrics:
                    metrics[r["level"]].setdefault("others", {})[r["method"]] = {
                        k: round(r[k], 4) for k in ("cd_l1", "cd_l2", "fscore")}
        write_manifest(out / f"{name}.json", manifest(name, v == "multimodal", path.name, metrics, trained, m.pixel))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
