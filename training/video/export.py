"""Export the trained encoders to ONNX, quantise the text tower, evaluate with the shipped evaluator,
write both manifests.

    python -m training.video.export --ckpt data/video/runs/seed0/checkpoint.pt

Files (in --out, default resources/models/):
    video-text.onnx              the fine-tuned MiniLM text tower, int8 (shared by both models)
    video-tokenizer.json         its tokenizer
    video-temporal-video.onnx    temporal video encoder (default model)
    video-meanpool-video.onnx    mean-pooled, order-blind baseline
    video-temporal.json, video-meanpool.json   manifests (metrics measured here)
"""
from __future__ import annotations

import argparse
import json
import logging
import os
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch

from .model import EMBED_DIM, MEAN, STD, MeanPoolVideoEncoder, TemporalVideoEncoder, TextTower, minilm_dir

log = logging.getLogger("training.video.export")
ROOT = Path(__file__).resolve().parents[2]
OPSET = 17


def load_models(ckpt_path: Path, minilm: Path | None = None):
    ck = torch.load(ckpt_path, map_location="cpu", weights_only=False)
    text = TextTower()
    text.load_pretrained(minilm)
    text_trained = torch.load(Path(ckpt_path).parent / "text_trained.pt", map_location="cpu")
    missing = text.load_state_dict(text_trained, strict=False)
    assert not missing.unexpected_keys, missing.unexpected_keys
    temporal = TemporalVideoEncoder(n_frames=ck["n_frames"], size=ck["size"], moments=bool(ck.get("moments", False)))
    temporal.load_state_dict(ck["temporal"])
    meanpool = MeanPoolVideoEncoder(n_frames=ck["n_frames"], size=ck["size"])
    meanpool.load_state_dict(ck["meanpool"])
    for m in (text, temporal, meanpool):
        m.eval()
    return ck, text, temporal, meanpool


def _export(model, args, path: Path, input_names, dynamic_axes) -> None:
    torch.onnx.export(model, args, str(path), input_names=input_names, output_names=["embedding"],
                      dynamic_axes=dynamic_axes, opset_version=OPSET, dynamo=False)


def _check(model, path: Path, feeds_list: list[dict], atol: float) -> float:
    import onnxruntime as ort
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    worst = 0.0
    for feeds in feeds_list:
        with torch.no_grad():
            ref = model(*[torch.from_numpy(v) for v in feeds.values()]).numpy()
        got = sess.run(["embedding"], feeds)[0]
        worst = max(worst, float(np.abs(ref - got).max()))
    if worst > atol:
        raise RuntimeError(f"{path.name}: ONNX differs from torch by {worst:.2e} (> {atol})")
    return worst


def quantise(src: Path, dst: Path) -> None:
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from onnxruntime.quantization.shape_inference import quant_pre_process
    pre = dst.with_suffix(".pre.onnx")
    try:
        quant_pre_process(str(src), str(pre), skip_symbolic_shape=True)
        quantize_dynamic(str(pre), str(dst), weight_type=QuantType.QInt8, per_channel=True,
                         op_types_to_quantize=["MatMul", "Gather"])
    finally:
        if pre.exists():
            pre.unlink()


# what each shipped model knows and does not (Help ▸ Models; the search's "nothing matches" note)
KNOWS = [
    "a shape moving left/right (horizontal)", "a shape moving up/down (vertical)", "growing/shrinking (size)",
    "a container filling/emptying (fill)", "fading in/out (opacity)", "rotating clockwise/anticlockwise (rotation)",
    "blocks stacked/unstacked (stack)", "a colour change from one colour to another (colour)",
    "two shapes approaching/separating (approach)", "the scene brightening/darkening (brightness)",
    "an outline drawn/erased (draw)", "a shape breaking apart/coming together (scatter)",
    "a door-like shape opening/closing (door)", "dots appearing/disappearing one by one (dots)",
    "the colours and simple shapes of those events (circle, square, triangle, star, …)",
    "camera moves over real pictures: panning left/right (pan), tilting up/down (tilt), zooming in/out (zoom)",
    "a shot fading in from / out to black (fade), coming into / going out of focus (focus)",
    "a picture moving into / out of the frame (enter)",
]
DOES_NOT_KNOW = [
    "object categories such as people, animals, vehicles, buildings, food",
    "scenes, places, actions of people (riding, cooking, talking), fire, water, weather",
    "cuts, text on screen, speech or sound",
    "what a real video shows: on real footage it can tell a camera move, a fade or a change of focus and its "
    "direction, but a search for things or actions finds nothing (every hit \"none\" or \"weak\")",
]
FIGURES = {
    "Origin text→video R@1": "metrics.origin.t2v.R@1", "Origin text→video R@5": "metrics.origin.t2v.R@5",
    "Hard text→video R@1": "metrics.hard.t2v.R@1", "Binary text→video": "metrics.binary.t2v_acc",
    "Binary video→text": "metrics.binary.v2t_acc",
    "Binary text→video, fresh caption pool": "metrics_fresh_pool.binary.t2v_acc",
}


def card(name: str) -> dict:
    """The model card of video-temporal / video-meanpool."""
    temporal = name == "temporal"
    return {"summary": "Retrieval of short clips by what happens in them and in which direction time runs (trained on "
                       "RTime-synth: synthetic shapes and camera moves over real photographs, 16 frames at 64×64)."
                       if temporal else "The order-blind baseline: the same events, frames averaged.",
            "knows": KNOWS,
            "does_not_know": DOES_NOT_KNOW + ([] if temporal else ["the direction of time (by construction)"]),
            "direction": "knows the direction of time (trained with reversed clips as hard negatives)" if temporal
            else "cannot tell a clip from its reversal",
            "figures": FIGURES, "figures_on": "metrics.dataset"}


def export_all(ckpt: Path, out: Path, minilm: Path | None = None, test_dir: Path | None = None,
               trained_by: str = "", train_s: float | None = None, smoke: bool = False, threads: int = 2,
               quantize_text: bool = True) -> dict:
    from inference.runtime.manifest import write_manifest
    out.mkdir(parents=True, exist_ok=True)
    ck, text, temporal, meanpool = load_models(ckpt, minilm)
    n_frames, size = ck["n_frames"], ck["size"]
    rng = np.random.default_rng(0)
    # --- text tower
    ids = torch.randint(1000, 2000, (2, 9))
    mask = torch.ones_like(ids)
    fp32 = out / "video-text.fp32.onnx"
    _export(text, (ids, mask), fp32, ["input_ids", "attention_mask"],
            {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}, "embedding": {0: "batch"}})
    feeds = []
    for b, L in ((1, 5), (3, 17), (7, 32)):
        i = rng.integers(1000, 20000, (b, L)).astype(np.int64)
        m = np.ones((b, L), np.int64)
        m[0, L // 2:] = 0
        feeds.append({"input_ids": i, "attention_mask": m})
    err_text = _check(text, fp32, feeds, 1e-4)
    text_file = out / "video-text.onnx"
    if quantize_text:
        quantise(fp32, text_file)
        fp32.unlink()
    else:
        fp32.replace(text_file)
    # --- video encoders
    errs = {}
    for name, model in (("temporal", temporal), ("meanpool", meanpool)):
        f = out / f"video-{name}-video.onnx"
        x = torch.rand(2, n_frames, size, size, 3) * 255
        _export(model, (x,), f, ["frames"], {"frames": {0: "batch"}, "embedding": {0: "batch"}})
        feeds = [{"frames": (rng.random((b, n_frames, size, size, 3)) * 255).astype(np.float32)} for b in (1, 5)]
        errs[name] = _check(model, f, feeds, 1e-4)
    tok = out / "video-tokenizer.json"
    src_tok = (Path(minilm) if minilm else minilm_dir()) / "tokenizer.json"
    shutil.copyfile(src_tok, tok)
    log.info("exported; max |onnx - torch|: text fp32 %.1e, temporal %.1e, meanpool %.1e", err_text,
             errs["temporal"], errs["meanpool"])
    # --- manifests (metrics filled after evaluation)
    sizes = {p.name: p.stat().st_size for p in (text_file, out / "video-temporal-video.onnx", out / "video-meanpool-video.onnx", tok)}
    pre = {"frames": n_frames, "size": size, "layout": "frames: float32 (batch, T, H, W, 3) RGB 0..255, centre-cropped square",
           "mean": MEAN, "std": STD, "max_tokens": 32, "dim": EMBED_DIM, "segment_seconds": 4.0,
           "keep_fps": 8.0, "text_pooling": "masked mean, linear projection, L2 norm"}
    text_spec = {"file": text_file.name,
                 "inputs": [{"name": "input_ids", "shape": ["batch", "tokens"], "dtype": "int64"},
                            {"name": "attention_mask", "shape": ["batch", "tokens"], "dtype": "int64"}],
                 "outputs": [{"name": "embedding", "shape": ["batch", EMBED_DIM], "dtype": "float32"}]}
    ev_cmd = f"mmwb video eval --annotations DATA/test-s777-n700/test.json --videos DATA/test-s777-n700 --model NAME --json"
    manifests = {}
    for name, desc, default in (
            ("temporal", "Text-to-video retrieval that knows the direction of time: per-frame CNN + temporal "
                         "transformer with frame-position embeddings; MiniLM text tower fine-tuned with reversed "
                         "clips and reverse captions as hard negatives.", True),
            ("meanpool", "Order-blind baseline: the same per-frame CNN, frames averaged (cannot tell a clip from "
                         "its reversal by construction); shares the text tower of video-temporal.", False)):
        manifests[name] = {
            "name": f"video-{name}", "task": "video-text-retrieval", "description": desc, "default": default,
            "components": {"text": dict(text_spec),
                           "video": {"file": f"video-{name}-video.onnx",
                                     "inputs": [{"name": "frames", "shape": ["batch", n_frames, size, size, 3], "dtype": "float32"}],
                                     "outputs": [{"name": "embedding", "shape": ["batch", EMBED_DIM], "dtype": "float32"}]}},
            "assets": {"tokenizer": tok.name},
            "preprocessing": pre,
            "trained_by": trained_by,
            "evaluated_by": ev_cmd.replace("NAME", f"video-{name}"),
            "training": {"steps_run": ck.get("steps_run"), "args": ck.get("args"), "train_wall_s": round(ck.get("train_s", 0), 1),
                         "device": ck.get("device"), "torch": ck.get("torch"),
                         "onnx_max_abs_diff_vs_torch": {"text_fp32": err_text, "video": errs[name]},
                         "text_quantisation": "dynamic int8 (per-channel MatMul + Gather)" if quantize_text else "none"},
            "sizes_bytes": sizes,
            "card": card(name),
            "metrics": {},
        }
        write_manifest(out / f"video-{name}.json", manifests[name])
    results = {}
    if test_dir is not None:
        from inference.runtime.registry import Registry
        from inference.video.evaluate import evaluate, format_table
        reg = Registry(dirs=[(out, "shipped")])
        for name in ("temporal", "meanpool"):
            t = time.time()
            r = evaluate(Path(test_dir) / "test.json", test_dir, model=f"video-{name}", registry=reg)
            log.info("video-%s on %s (%.0f s):\n%s", name, test_dir, time.time() - t, format_table(r))
            results[name] = r
        for name in ("temporal", "meanpool"):
            r = results[name]
            manifests[name]["metrics"] = {
                "dataset": f"RTime-synth test split, seed {Path(test_dir).name}, held-out caption templates, "
                           f"{r['n_clips']} clips",
                "origin": r["origin"], "hard": r["hard"], "binary": r["binary"],
                "binary_per_family": r.get("binary_per_family"),
                "tie_rule": r["tie_rule"],
            }
            if name == "temporal":
                mp = results["meanpool"]["hard"]["t2v"]
                manifests[name]["metrics"]["hard_t2v_R@1_vs_meanpool"] = {
                    "temporal": r["hard"]["t2v"]["R@1"], "meanpool": mp["R@1"],
                    "meanpool_random_ties": mp.get("R@1_random_ties"),
                    "ratio_vs_random_ties": (r["hard"]["t2v"]["R@1"] / mp["R@1_random_ties"]) if mp.get("R@1_random_ties") else None}
            write_manifest(out / f"video-{name}.json", manifests[name])
        # the same clips captioned from the second held-out pool (`mmwb video synth --held-out-pool fresh`)
        fresh_dir = Path(str(test_dir) + "-fresh")
        if (fresh_dir / "test.json").exists():
            for name in ("temporal", "meanpool"):
                r = evaluate(fresh_dir / "test.json", fresh_dir, model=f"video-{name}", registry=reg)
                log.info("video-%s on %s:\n%s", name, fresh_dir, format_table(r))
                results[name + "_fresh"] = r
                manifests[name]["metrics_fresh_pool"] = {
                    "dataset": f"the same clips, captions from the fresh held-out pool ({fresh_dir.name})",
                    "evaluated_by": ev_cmd.replace("test-s777-n700", fresh_dir.name).replace("NAME", f"video-{name}"),
                    "origin": r["origin"], "hard": r["hard"], "binary": r["binary"],
                    "binary_per_family": r.get("binary_per_family")}
                write_manifest(out / f"video-{name}.json", manifests[name])
    return results


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--out", default=str(ROOT / "resources" / "models"))
    ap.add_argument("--minilm", default=None)
    ap.add_argument("--test-dir", default=None, help="RTime-synth test folder to evaluate on (test.json + clips)")
    ap.add_argument("--trained-by", default="python -m training.video.train")
    ap.add_argument("--no-quantize", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout)
    export_all(Path(args.ckpt), Path(args.out), Path(args.minilm) if args.minilm else None,
               Path(args.test_dir) if args.test_dir else None, trained_by=args.trained_by,
               quantize_text=not args.no_quantize)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
