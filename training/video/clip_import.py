"""`mmwb models import-clip PATH`: a CLIP checkpoint the user has becomes a video-text model of the workbench.

    python -m training.video.clip_import PATH [--tokenizer T] [--name N] [--out DIR] [--frames 8] …

1. Load the checkpoint (Hugging Face folder or OpenCLIP state dict, `clip_load.py`), ViT towers only.
2. Render RTime-synth (train split, and held-out test and calibration splits, fixed seeds) into --data.
3. Run the frozen CLIP once: per-frame image embeddings of every training clip (a reversed clip's are the
   same sequence flipped) and the text embedding of every distinct training caption.
4. Train the temporal head and the text adapter (`clip_head.py`) with RTime's recipe: symmetric InfoNCE where
   each batch holds clips AND their time-reversed copies, each reversed copy paired with the reverse caption
   (the hard negatives); pairs of the same meaning are masked, not negatives.
5. Export the text graph and the video graph (CLIP's normalisation and the image tower per frame inside it) to
   ONNX, check them against torch (max |difference| of the unit embeddings, at most 1e-4), write the manifest
   (+ the tokenizer) into the user's models folder (or --out), then measure it with the shipped evaluator on
   the held-out split and fit its score calibration, both stored in the manifest.

Exit status: 0 done; 2 a checkpoint, tokenizer or flag that cannot be used (one `error:` line); 1 a failure
of the export itself (e.g. ONNX differs from torch).
"""
from __future__ import annotations

import argparse
import json
import logging
import math
import re
import sys
import time
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from inference.video.decode import read_clip
from inference.video.text import load_tokenizer, tokenize

from .clip_head import (CaptionEncoder, FrameEncoder, TemporalHead, TextAdapter, TextGraph, VideoGraph, info_nce,
                        standardise)
from .clip_load import CheckpointError, load_checkpoint
from .data import ensure_data, meaning_keys

log = logging.getLogger("training.video.clip_import")
OPSET = 17
PARITY_ATOL = 1e-4
SMOKE = {"n_train": 56, "n_test": 28, "steps": 40, "batch": 16}


def default_name(path: str) -> str:
    p = Path(path).expanduser()
    stem = p.name if p.is_dir() else p.stem
    slug = re.sub(r"[^a-z0-9]+", "-", stem.lower()).strip("-") or "model"
    return slug if slug.startswith("clip") else f"clip-{slug}"


# ----------------------------------------------------------------------------- frozen CLIP features
@torch.no_grad()
def frame_features(enc: FrameEncoder, folder: Path, ids: list, n_frames: int, size: int, dev, chunk: int = 32):
    """(N, T, dim) unit CLIP image embeddings of each clip's frames, decoded as the app decodes them."""
    out = []
    for k in range(0, len(ids), chunk):
        clips = np.stack([read_clip(str(folder / f"{i}.mp4"), n_frames, size) for i in ids[k:k + chunk]])
        x = torch.from_numpy(clips).to(dev).float()
        out.append(enc(x.reshape(-1, size, size, 3)).reshape(len(clips), n_frames, -1).cpu())
    return torch.cat(out)


@torch.no_grad()
def text_features(enc: CaptionEncoder, tok, texts: list, dev, chunk: int = 256):
    out = []
    for k in range(0, len(texts), chunk):
        ids, mask = tokenize(tok, texts[k:k + chunk])
        out.append(enc(torch.from_numpy(ids).to(dev), torch.from_numpy(mask).to(dev)).cpu())
    return torch.cat(out)


# ----------------------------------------------------------------------------- training
def event_ids(items: list) -> torch.Tensor:
    """Per clip, an id of its event as played: (family, direction); its reversed copy's is id ^ 1."""
    fams = {f: k for k, f in enumerate(sorted({a["family"] for a in items}))}
    return torch.tensor([2 * fams[a["family"]] + (a["direction"] != "A") for a in items])


def train_head(feats, cap_feats, fwd_caps, rev_caps, kf, kr, events, dim, n_frames, args, dev):
    """The temporal head and the text adapter, trained over frozen features; returns (head, adapter, log).

    Loss: InfoNCE over the batch of clips + reversed copies (`info_nce`), plus `--event-weight` times an event
    loss: one learned prototype per (family, direction), which both a clip's and a caption's embedding must
    pick out among all prototypes (the reversed copy and the reverse caption have the opposite direction's)."""
    torch.manual_seed(args.seed)
    rng = np.random.default_rng(args.seed)
    head = TemporalHead(dim, n_frames, width=args.width).to(dev)
    adapter = TextAdapter(dim, hidden=2 * args.width).to(dev)
    standardise(head, feats.to(dev))
    standardise(adapter, cap_feats.to(dev))
    scale = torch.nn.Parameter(torch.tensor(math.log(1 / 0.07), device=dev))
    protos = torch.nn.Parameter(torch.randn(int(events.max()) // 2 * 2 + 2, dim, device=dev) * 0.1)
    params = list(head.parameters()) + list(adapter.parameters()) + [protos]
    opt = torch.optim.AdamW([{"params": params, "weight_decay": 0.05}, {"params": [scale], "weight_decay": 0.0}],
                            lr=args.lr)
    feats, cap_feats = feats.to(dev), cap_feats.to(dev)
    N, B = len(feats), min(args.batch, len(feats))
    warm = max(1, min(100, args.steps // 10))
    t0, hist, step = time.time(), [], 0
    for step in range(args.steps):
        done = step / args.steps
        if args.time_budget:
            done = max(done, (time.time() - t0) / args.time_budget)
            if done >= 1.0:
                log.info("time budget of %.0f s reached after %d steps", args.time_budget, step)
                break
        for g in opt.param_groups:
            g["lr"] = args.lr * min(1.0, (step + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(1.0, done)))
        idx = rng.choice(N, size=B, replace=False)
        f = feats[idx]
        v = head(torch.cat([f, f.flip(1)]))                      # clips, then their reversed copies
        cf = [fwd_caps[i][rng.integers(len(fwd_caps[i]))] for i in idx]
        cr = [rev_caps[i][rng.integers(len(rev_caps[i]))] for i in idx]
        t = adapter(cap_feats[torch.tensor(cf + cr, device=dev)])
        keys = torch.cat([kf[idx], kr[idx]]).to(dev)
        loss = info_nce(v, t, scale.exp().clamp(max=100), keys[:, None] == keys[None, :])
        if args.event_weight:
            ev = torch.cat([events[idx], events[idx] ^ 1]).to(dev)
            p = F.normalize(protos, dim=-1)
            loss = loss + args.event_weight * 0.5 * (F.cross_entropy(scale.exp().clamp(max=100) * v @ p.T, ev)
                                                     + F.cross_entropy(scale.exp().clamp(max=100) * t @ p.T, ev))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            s = (t * v).sum(-1)                                   # caption i with its own clip
            s_x = torch.cat([(t[:B] * v[B:]).sum(-1), (t[B:] * v[:B]).sum(-1)])  # ... with the clip reversed
            hist.append((loss.item(), (s > s_x).float().mean().item()))
        if step % 50 == 0 or step == args.steps - 1:
            h = np.array(hist[-50:])
            log.info("step %d/%d loss %.3f batch-binary %.3f (%.1f s)", step + 1, args.steps, h[:, 0].mean(),
                     h[:, 1].mean(), time.time() - t0)
    h = np.array(hist[-50:]) if hist else np.zeros((1, 2))
    return head.eval(), adapter.eval(), {"steps_run": len(hist), "train_wall_s": round(time.time() - t0, 1),
                                         "final_loss": float(h[:, 0].mean()), "final_batch_binary": float(h[:, 1].mean())}


# ----------------------------------------------------------------------------- export
def _export(model, inputs, path: Path, names, dynamic) -> None:
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, inputs, str(path), input_names=names, output_names=["embedding"],
                          dynamic_axes=dynamic, opset_version=OPSET, dynamo=False)


def parity(model, path: Path, feeds_list: list) -> float:
    """max |ONNX - torch| over the feeds (unit embeddings, both)."""
    import onnxruntime as ort
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    worst = 0.0
    for feeds in feeds_list:
        with torch.no_grad():
            ref = model(*[torch.from_numpy(v) for v in feeds.values()]).numpy()
        worst = max(worst, float(np.abs(sess.run(["embedding"], feeds)[0] - ref).max()))
    return worst


def export(text_graph, video_graph, tok, out: Path, name: str, n_frames: int, size: int, sample_caps: list):
    """Write NAME-text.onnx and NAME-video.onnx; returns {"text": max diff, "video": max diff}."""
    text_graph, video_graph = text_graph.cpu().eval(), video_graph.cpu().eval()
    ids, mask = tokenize(tok, sample_caps[:2])
    _export(text_graph, (torch.from_numpy(ids), torch.from_numpy(mask)), out / f"{name}-text.onnx",
            ["input_ids", "attention_mask"], {"input_ids": {0: "batch", 1: "tokens"},
                                              "attention_mask": {0: "batch", 1: "tokens"}, "embedding": {0: "batch"}})
    _export(video_graph, (torch.rand(2, n_frames, size, size, 3) * 255,), out / f"{name}-video.onnx", ["frames"],
            {"frames": {0: "batch"}, "embedding": {0: "batch"}})
    rng = np.random.default_rng(0)
    text_feeds = []
    for k in (1, 3, 7):  # batches of captions of different lengths: padding and end-of-text positions vary
        i, m = tokenize(tok, [sample_caps[j % len(sample_caps)] for j in range(k * 5, k * 6)])
        text_feeds.append({"input_ids": i, "attention_mask": m})
    video_feeds = [{"frames": (rng.random((b, n_frames, size, size, 3)) * 255).astype(np.float32)} for b in (1, 3)]
    err = {"text": parity(text_graph, out / f"{name}-text.onnx", text_feeds),
           "video": parity(video_graph, out / f"{name}-video.onnx", video_feeds)}
    log.info("ONNX vs torch, max |difference| of the unit embeddings: text %.1e, video %.1e", err["text"], err["video"])
    if max(err.values()) > PARITY_ATOL:
        raise RuntimeError(f"the exported ONNX differs from torch by {max(err.values()):.2e} (> {PARITY_ATOL})")
    return err


def manifest(name, info, clip, n_frames, size, max_tokens, pad, sizes, err, train_log, args, cmd) -> dict:
    dim = clip.config.projection_dim
    text_spec = {"file": f"{name}-text.onnx",
                 "inputs": [{"name": "input_ids", "shape": ["batch", "tokens"], "dtype": "int64"},
                            {"name": "attention_mask", "shape": ["batch", "tokens"], "dtype": "int64"}],
                 "outputs": [{"name": "embedding", "shape": ["batch", dim], "dtype": "float32"}]}
    video_spec = {"file": f"{name}-video.onnx",
                  "inputs": [{"name": "frames", "shape": ["batch", n_frames, size, size, 3], "dtype": "float32"}],
                  "outputs": [{"name": "embedding", "shape": ["batch", dim], "dtype": "float32"}]}
    src = Path(info["source"]).name
    return {
        "name": name, "task": "video-text-retrieval", "default": False,
        "description": f"Imported CLIP ({src}, {info['layout']} layout): the frozen CLIP image tower on each "
                       f"frame and a temporal head over the frames, the frozen CLIP text tower with a residual "
                       f"adapter; the head and adapter trained on RTime-synth with reversed clips and reverse "
                       f"captions as hard negatives.",
        "components": {"text": text_spec, "video": video_spec},
        "assets": {"tokenizer": f"{name}-tokenizer.json"},
        "preprocessing": {"frames": n_frames, "size": size,
                          "layout": "frames: float32 (batch, T, H, W, 3) RGB 0..255, centre-cropped square",
                          "mean": info["mean"], "std": info["std"], "normalised_in_graph": True,
                          "max_tokens": max_tokens, "pad_token": pad[0], "pad_id": pad[1], "dim": dim,
                          "segment_seconds": 4.0, "keep_fps": 8.0,
                          "text_pooling": "CLIP end-of-text token, text projection, residual adapter, L2 norm"},
        "trained_by": cmd,
        "evaluated_by": "",
        "training": {"source": {"layout": info["layout"], "path": info["source"], "activation": info.get("activation"),
                                "heads": info.get("heads")},
                     "clip": {"image_size": size, "patch": clip.config.vision_config.patch_size,
                              "vision_width": clip.config.vision_config.hidden_size,
                              "vision_layers": clip.config.vision_config.num_hidden_layers,
                              "text_width": clip.config.text_config.hidden_size,
                              "text_layers": clip.config.text_config.num_hidden_layers, "dim": dim},
                     "frozen": "the CLIP image and text towers; trained: the temporal head and the text adapter",
                     **train_log, "args": {k: v for k, v in vars(args).items()},
                     "torch": torch.__version__, "onnx_max_abs_diff_vs_torch": err},
        "sizes_bytes": sizes,
        "metrics": {},
        "card": {
            "summary": f"CLIP ({src}) on each frame, with a temporal head trained on RTime-synth: searches footage "
                       "by what CLIP sees in single frames, and tells an event from its reversal where the head learned it.",
            "knows": ["what the imported CLIP knows about single images (objects, scenes, …), frames averaged",
                      "the direction of the RTime-synth events (moving left/right, growing/shrinking, filling, …)"],
            "does_not_know": ["the direction of events unlike RTime-synth's (the head saw only those)",
                              "speech or sound, text longer than CLIP's 77 tokens"],
            "direction": "trained with reversed clips and reverse captions as hard negatives (RTime's recipe)",
            "figures": {"Origin text→video R@1": "metrics.origin.t2v.R@1", "Hard text→video R@1": "metrics.hard.t2v.R@1",
                        "Binary text→video": "metrics.binary.t2v_acc", "Binary video→text": "metrics.binary.v2t_acc"},
            "figures_on": "metrics.dataset"},
    }


# ----------------------------------------------------------------------------- the command
def run(args, argv) -> dict:
    from inference.runtime.manifest import write_manifest
    from inference.runtime.paths import data_dir, user_models_dir
    t_start = time.time()
    if args.smoke:
        for k, v in SMOKE.items():
            setattr(args, k, min(getattr(args, k), v))
    if args.frames < 2 or args.steps < 1 or args.n_train < 4 or args.n_test < 2:
        raise CheckpointError("--frames must be at least 2, --steps 1, --n-train 4 and --n-test 2")
    if args.threads:
        torch.set_num_threads(args.threads)
    dev = torch.device("cuda" if args.device == "auto" and torch.cuda.is_available() else
                       "cpu" if args.device == "auto" else args.device)
    clip, tok, info = load_checkpoint(args.path, args.tokenizer, args.vision_heads, args.text_heads, args.activation)
    name = args.name or default_name(args.path)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*", name):
        raise CheckpointError(f"'{name}' is not a usable model name (letters, digits, '.', '_' and '-')")
    out = Path(args.out).expanduser() if args.out else user_models_dir()
    out.mkdir(parents=True, exist_ok=True)
    size, n_frames, dim = clip.config.vision_config.image_size, args.frames, clip.config.projection_dim
    max_tokens = min(77, clip.config.text_config.max_position_embeddings)
    log.info("%s: CLIP %s layout, image %d px, embedding %d; %d frames per clip; on %s", info["source"],
             info["layout"], size, dim, n_frames, dev)
    tok_file = out / f"{name}-tokenizer.json"
    tok.save(str(tok_file))
    load_tokenizer.cache_clear()  # the file may have been written by an earlier import of the same name
    ltok = load_tokenizer(str(tok_file), max_tokens)
    pad = (ltok.padding["pad_token"], ltok.padding["pad_id"])

    data = Path(args.data).expanduser() if args.data else data_dir() / "video"
    train_dir = data / f"train-s{args.seed}-n{args.n_train}"
    test_dir = data / f"test-s{args.test_seed}-n{args.n_test}"
    calib_dir = data / f"calib-s{args.calib_seed}-n{args.n_test}"
    ensure_data(train_dir, args.n_train, args.seed, "train", args.workers)
    ensure_data(test_dir, args.n_test, args.test_seed, "test", args.workers)
    if not args.no_calibrate:
        ensure_data(calib_dir, args.n_test, args.calib_seed, "test", args.workers)
    ann = json.loads((train_dir / "train.json").read_text())
    ids = sorted(ann)

    clip = clip.to(dev)
    frames_enc = FrameEncoder(clip, info["mean"], info["std"]).to(dev).eval()
    caps_enc = CaptionEncoder(clip).to(dev).eval()
    t = time.time()
    feats = frame_features(frames_enc, train_dir, ids, n_frames, size, dev)
    log.info("frozen CLIP features of %d clips x %d frames in %.0f s", len(ids), n_frames, time.time() - t)
    items = [ann[i] for i in ids]
    fwd = [a["forward_captions"] + a.get("forward_rewrites", []) for a in items]
    rev = [a["reverse_captions"] + a.get("reverse_rewrites", []) for a in items]
    texts = sorted({c for caps in fwd + rev for c in caps})
    row = {c: k for k, c in enumerate(texts)}
    t = time.time()
    cap_feats = text_features(caps_enc, ltok, texts, dev)
    log.info("frozen CLIP text features of %d distinct captions in %.0f s", len(texts), time.time() - t)
    kf, kr = meaning_keys(items)
    head, adapter, train_log = train_head(feats, cap_feats, [[row[c] for c in cs] for cs in fwd],
                                          [[row[c] for c in cs] for cs in rev], kf, kr, event_ids(items), dim,
                                          n_frames, args, dev)

    clip = clip.cpu()
    text_graph = TextGraph(CaptionEncoder(clip), adapter.cpu())
    video_graph = VideoGraph(FrameEncoder(clip, info["mean"], info["std"]), head.cpu())
    err = export(text_graph, video_graph, ltok, out, name, n_frames, size, texts)
    files = [out / f"{name}-text.onnx", out / f"{name}-video.onnx", tok_file]
    sizes = {f.name: f.stat().st_size for f in files}
    cmd = "mmwb models import-clip " + " ".join(argv)
    man = manifest(name, info, clip, n_frames, size, max_tokens, pad, sizes, err, train_log, args, cmd)
    man_file = out / f"{name}.json"
    man = write_manifest(man_file, man)

    from inference.runtime.registry import Registry
    from inference.video.evaluate import evaluate, format_table
    reg = Registry(dirs=[(out, "user")])
    t = time.time()
    res = evaluate(test_dir / "test.json", test_dir, model=name, registry=reg)
    log.info("%s on the held-out split %s (%.0f s):\n%s", name, test_dir.name, time.time() - t, format_table(res))
    man["metrics"] = {"dataset": f"RTime-synth test split, seed {test_dir.name}, held-out caption templates, "
                                 f"{res['n_clips']} clips",
                      **{k: res.get(k) for k in ("origin", "hard", "binary", "binary_per_family", "tie_rule")}}
    man["evaluated_by"] = (f"mmwb video eval --annotations DATA/{test_dir.name}/test.json --videos DATA/{test_dir.name} "
                           f"--model {name} --json")
    write_manifest(man_file, man)
    if not args.no_calibrate:
        from inference.video.calibrate import calibrate, write_calibration
        reg.refresh()
        cal = calibrate(calib_dir / "test.json", calib_dir, model=name, registry=reg)["calibration"]
        write_calibration(name, cal, f"mmwb video calibrate --annotations DATA/{calib_dir.name}/test.json "
                                     f"--videos DATA/{calib_dir.name} --model {name} --write-manifest", registry=reg)
    log.info("wrote %s (+ %s) in %.0f s in all", man_file, ", ".join(sizes), time.time() - t_start)
    return {"manifest": str(man_file), "name": name, "onnx_max_abs_diff_vs_torch": err, "metrics": res,
            "training": train_log}


def main(argv=None) -> int:
    from inference.cli import import_clip_arguments
    argv = list(sys.argv[1:] if argv is None else argv)
    ap = argparse.ArgumentParser(prog="mmwb models import-clip", description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    import_clip_arguments(ap)
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(message)s", stream=sys.stdout)
    from transformers.utils import logging as hf_logging
    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    try:
        res = run(args, argv)
    except CheckpointError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    b = res["metrics"].get("binary") or {}
    print(f"imported '{res['name']}': {res['manifest']}")
    print(f"ONNX vs torch max |difference|: text {res['onnx_max_abs_diff_vs_torch']['text']:.1e}, "
          f"video {res['onnx_max_abs_diff_vs_torch']['video']:.1e}")
    if b:
        print(f"held-out RTime-synth: Binary t2v {100 * b['t2v_acc']:.1f}%, v2t {100 * b['v2t_acc']:.1f}%; "
              f"Origin t2v R@1 {100 * res['metrics']['origin']['t2v']['R@1']:.1f}%")
    print(f"use it: mmwb video index FOLDER --model {res['name']}   (see `mmwb models list`)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
