"""Train the video-text dual encoders on RTime-synth, export them to ONNX, evaluate, write manifests.

One command, from scratch, fixed seed:

    python -m training.video.train --n-train 18000 --moments --hflip 0.5 --text-layers 3 \
        --family-groups 8 --steps 100000 --time-budget 1500 --threads 2 --workers 2
                                                   # the shipped models (~29 min on 2 CPU cores, +5 min
                                                   # to render the clips the first time)
    python -m training.video.train --smoke         # seconds: tiny data, a few steps (into /tmp unless --out/--data)

What made the shipped model work (each measured on the held-out pools, see the README):
--moments (flow moments per frame pair; without them rotation stayed at chance, in training too),
the bulk training phrasings in inference/video/phrasings/, --hflip (mirroring; left/right and
clockwise/counter-clockwise swap with it), more clips (--n-train 18000 for 20 families) and --family-groups
(in-batch negatives of the same event that differ in colour or shape).

Both video encoders (temporal = default, mean-pooled = order-blind baseline) train in the same run
against ONE text tower (the packaged MiniLM, top layers + projection fine-tuned), so the two
shipped models share one text-tower file. The text tower learns from the temporal model's loss
only (the baseline sees it detached): an order-blind video side would otherwise teach the text
side to ignore direction. Loss: symmetric InfoNCE over each batch of clips plus their reversed
copies, each reversed copy paired with its reverse caption (the hard negatives); pairs with the
same meaning (e.g. the same event drawn twice) are masked, not treated as negatives.

With --refine-steps a second stage follows (`refine_text_tower`, also `python -m training.video.refine_text`):
the text tower alone continues against the frozen temporal video encoder.

Module layout: data.py (clips, captions, meaning keys), model.py (encoders, loss, cached text forward),
train.py (the two training stages; this file), export.py (ONNX + manifests).
"""
from __future__ import annotations

import argparse
import json
import logging
import math
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import torch

from inference.video.captions import HELD_OUT_POOLS, opposite, templates
from inference.video.text import load_tokenizer, tokenize

from .data import MIRROR_SWAPS, ensure_data, fill_caption, load_split, meaning_keys
from .model import (FlowMoments, MeanPoolVideoEncoder, TemporalVideoEncoder, TextTower, count_params,
                    encode_text_cached, info_nce, minilm_dir)

log = logging.getLogger("training.video")
ROOT = Path(__file__).resolve().parents[2]
SMOKE_DIR = Path(tempfile.gettempdir()) / "mmwb_video_smoke"  # --smoke writes here unless --data/--out say


def lr_schedule(steps: int, time_budget: float, warm: int):
    """Yield (step, LR factor): linear warm-up, then cosine over the step count or the time budget, whichever
    runs out first; stops when the time budget is spent."""
    t0 = time.time()
    for step in range(steps):
        done = step / steps
        if time_budget:
            done = max(done, (time.time() - t0) / time_budget)
            if done >= 1.0:
                log.info("time budget of %.0f s reached after %d steps", time_budget, step)
                return
        yield step, min(1.0, (step + 1) / warm) * 0.5 * (1 + math.cos(math.pi * min(1.0, done)))


@torch.no_grad()
def quick_eval(text, temporal, meanpool, tok, test_dir: Path, n_frames, size, dev, workers=1) -> dict:
    """RTime metrics of the torch models on the held-out test split (the ONNX evaluation is the
    one reported; this one is for the training log)."""
    from inference.video.metrics import all_metrics, binary, template_binary
    from inference.video.synth import template_queries
    ids, frames, ann = load_split(test_dir, "test", n_frames, size, cache=False, workers=workers)
    for m in (text, temporal, meanpool):
        m.eval()

    def enc_text(caps):
        out = []
        for k in range(0, len(caps), 128):
            a, b = tokenize(tok, caps[k:k + 128])
            out.append(text(torch.from_numpy(a).to(dev), torch.from_numpy(b).to(dev)).cpu().numpy())
        return np.concatenate(out)

    def enc_vid(model, rev):
        out = []
        for k in range(0, len(frames), 64):
            x = torch.from_numpy(frames[k:k + 64]).to(dev).float()
            out.append(model(x.flip(1) if rev else x).cpu().numpy())
        return np.concatenate(out)

    tf = enc_text([ann[i]["forward_captions"][0] for i in ids])
    tr = enc_text([ann[i]["reverse_captions"][0] for i in ids])
    res = {}
    for name, model in (("temporal", temporal), ("meanpool", meanpool)):
        v, vr = enc_vid(model, False), enc_vid(model, True)
        r = all_metrics(tf, tr, v, vr)
        fams = {}
        for fam in sorted({ann[i]["family"] for i in ids}):
            sel = np.array([ann[i]["family"] == fam for i in ids])
            b = binary(tf[sel], tr[sel], v[sel], vr[sel])
            fams[fam] = [round(b["t2v_acc"], 3), round(b["v2t_acc"], 3)]
        res[name] = {"binary": r["binary"], "hard_t2v_R@1": r["hard"]["t2v"]["R@1"],
                     "origin_t2v_R@1": r["origin"]["t2v"]["R@1"], "per_family_binary": fams}
        if name == "temporal":  # every template of each held-out pool on every clip (lower variance)
            for label, pool in HELD_OUT_POOLS.items():
                caps, meta = template_queries(ann, ids, pool)
                res[name][f"templates_{label}"] = template_binary(enc_text(caps), meta, v, vr)
    for m in (text, temporal, meanpool):
        m.train()
    return res


def refine_text_tower(ckpt, data, run_dir, steps: int = 400, batch: int = 48, text_lr: float = 1e-5, seed: int = 1,
                      threads: int = 2, time_budget: float = 0.0, smoke: bool = False) -> Path:
    """Second stage: refine the text tower against the (frozen) trained video encoder, on CPU.

    The video encoders stay as trained; their embeddings of every training clip (in `data`, a train split)
    and of its reversed copy are computed once. The text tower's top layers then continue with the same
    InfoNCE + reversed-clip / reverse-caption hard negatives, with captions drawn fresh from the whole
    training pool instead of the 10 captions stored per clip. No test template and no test clip is used.
    Writes run_dir (checkpoint.pt + text_trained.pt + refine.json) for export.py; returns run_dir."""
    from .export import load_models
    ckpt, run = Path(ckpt), Path(run_dir)
    t_start = time.time()
    torch.manual_seed(seed)
    torch.set_num_threads(threads)
    rng = np.random.default_rng(seed)
    ck, text, temporal, _ = load_models(ckpt)
    n_layers = int(ck.get("text_layers", 2))
    ids, frames, ann = load_split(Path(data), "train", ck["n_frames"], ck["size"])
    if smoke:
        ids, frames = ids[:16], frames[:16]
        steps, batch = 2, 4
    with torch.no_grad():
        vf, vr = [], []
        for k in range(0, len(frames), 128):
            x = torch.from_numpy(frames[k:k + 128]).float()
            vf.append(temporal(x))
            vr.append(temporal(x.flip(1)))
        vf, vr = torch.cat(vf), torch.cat(vr)
    log.info("video embeddings of %d clips (+ reversed) in %.0f s", len(ids), time.time() - t_start)
    items = [ann[i] for i in ids]
    kf, kr = meaning_keys(items)

    def caption(a, direction):
        return fill_caption(str(rng.choice(templates(a["family"], direction, "train"))), a, rng)

    tok = load_tokenizer(str(minilm_dir() / "tokenizer.json"))
    text.train()
    text.freeze_below(n_layers)
    top = [p for n, p in text.named_parameters() if p.requires_grad and not n.startswith("proj")]
    scale = torch.nn.Parameter(torch.tensor(math.log(1 / 0.05)))
    groups = [{"params": top, "lr": text_lr, "weight_decay": 0.01},
              {"params": list(text.proj.parameters()), "lr": text_lr * 5, "weight_decay": 0.0},
              {"params": [scale], "lr": 1e-3, "weight_decay": 0.0}]
    base = [g["lr"] for g in groups]
    opt = torch.optim.AdamW(groups)
    cache: dict = {}
    n_frozen = len(text.encoder.layer) - n_layers
    t_loop = time.time()
    hist = []
    for step, f in lr_schedule(steps, time_budget, 20):
        for g, lr in zip(groups, base):
            g["lr"] = lr * f
        idx = rng.choice(len(ids), size=min(batch, len(ids)), replace=False)
        texts = [caption(items[i], items[i]["direction"]) for i in idx] + \
                [caption(items[i], opposite(items[i]["direction"])) for i in idx]
        v = torch.cat([vf[idx], vr[idx]])
        kk = torch.cat([kf[idx], kr[idx]])
        t = encode_text_cached(text, tok, texts, cache, n_frozen, n_layers, torch.device("cpu"))
        loss = info_nce(v, t, scale.exp().clamp(max=100), kk[:, None] == kk[None, :])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        with torch.no_grad():
            B = len(idx)
            s = t @ v.T
            a = torch.arange(B)
            acc = ((s[a, a] > s[a, a + B]).float().mean() + (s[a + B, a + B] > s[a + B, a]).float().mean()).item() / 2
        hist.append((loss.item(), acc))
        if step % 20 == 0 or step == steps - 1:
            h = np.array(hist[-20:])
            el = time.time() - t_loop
            log.info("step %d/%d loss %.3f batch-binary %.3f %.2f s/step eta %.0f s", step + 1, steps, h[:, 0].mean(),
                     h[:, 1].mean(), el / (step + 1), el / (step + 1) * (steps - step - 1))
    run.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(ckpt, run / "checkpoint.pt")
    sd = text.state_dict()
    prev = torch.load(ckpt.parent / "text_trained.pt", map_location="cpu")
    torch.save({k: sd[k].detach().clone() for k in prev}, run / "text_trained.pt")
    args = {"ckpt": str(ckpt), "data": str(data), "run_dir": str(run_dir), "steps": steps, "batch": batch,
            "text_lr": text_lr, "seed": seed, "threads": threads, "time_budget": time_budget, "smoke": smoke}
    meta = {"refined_from": str(ckpt), "args": args, "refine_s": round(time.time() - t_start, 1)}
    (run / "refine.json").write_text(json.dumps(meta, indent=1))
    log.info("refined in %.0f s -> %s", time.time() - t_start, run)
    return run


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", default=None, help="where RTime-synth data is rendered (default data/video; "
                    f"with --smoke {SMOKE_DIR / 'data'})")
    ap.add_argument("--out", default=None, help="where .onnx + manifests go (default resources/models; "
                    f"with --smoke {SMOKE_DIR / 'models'})")
    ap.add_argument("--n-train", type=int, default=4200)
    ap.add_argument("--n-test", type=int, default=700)
    ap.add_argument("--steps", type=int, default=2720)
    ap.add_argument("--batch", type=int, default=32, help="clips per batch (+ as many reversed copies)")
    ap.add_argument("--text-layers", type=int, default=2, help="top MiniLM layers fine-tuned")
    ap.add_argument("--text-lr", type=float, default=2e-5)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--test-seed", type=int, default=777)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--minilm", default=None, help="folder with MiniLM's model.safetensors + tokenizer.json")
    ap.add_argument("--no-export", action="store_true")
    ap.add_argument("--time-budget", type=float, default=0.0,
                    help="seconds for the training loop: the LR schedule follows max(step, time) and stops at the budget")
    ap.add_argument("--word-drop", type=float, default=0.0,
                    help="probability that a caption word (not a colour/object slot) is replaced by [MASK] in training")
    ap.add_argument("--refine-steps", type=int, default=0,
                    help="then refine the text tower for N steps against the frozen video encoder (refine_text.py)")
    ap.add_argument("--refine-budget", type=float, default=0.0, help="seconds for the text refinement (0: steps only)")
    ap.add_argument("--refine-batch", type=int, default=48)
    ap.add_argument("--hflip", type=float, default=0.0,
                    help="probability that a training clip is mirrored left-right (directions swapped where that reverses them)")
    ap.add_argument("--family-groups", type=int, default=0,
                    help="build each batch from batch/G event families, G clips of each (harder in-batch negatives: same event, other look)")
    ap.add_argument("--moments", action="store_true",
                    help="the temporal encoder also gets flow moments (mean motion, rotation, expansion) of each frame pair")
    ap.add_argument("--run-dir", default=None, help="where the checkpoint goes (default DATA/runs/seedS)")
    ap.add_argument("--workers", type=int, default=1, help="processes for rendering/decoding the data")
    ap.add_argument("--smoke", action="store_true",
                    help=f"tiny data and steps (for CI), into --data/--out or else under {SMOKE_DIR}")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout)
    if args.data is None:
        args.data = str(SMOKE_DIR / "data" if args.smoke else ROOT / "data" / "video")
    if args.out is None:
        args.out = str(SMOKE_DIR / "models" if args.smoke else ROOT / "resources" / "models")
    if args.smoke:
        args.n_train, args.n_test, args.steps, args.batch = 28, 14, 3, 6
    t_start = time.time()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    torch.set_num_threads(args.threads)
    dev = torch.device(args.device)
    n_frames, size = 16, 64
    data = Path(args.data)
    train_dir, test_dir = data / f"train-s{args.seed}-n{args.n_train}", data / f"test-s{args.test_seed}-n{args.n_test}"
    ensure_data(train_dir, args.n_train, args.seed, "train", args.workers)
    ensure_data(test_dir, args.n_test, args.test_seed, "test", args.workers)
    # the same clips captioned from the fresh held-out pool: export evaluates on both
    ensure_data(Path(str(test_dir) + "-fresh"), args.n_test, args.test_seed, "test", args.workers, "fresh")
    ids, frames, ann = load_split(train_dir, "train", n_frames, size, cache=not args.smoke, workers=args.workers)
    log.info("train clips: %d, frames %s (%.0f MB), data ready after %.0f s", len(ids), frames.shape,
             frames.nbytes / 1e6, time.time() - t_start)

    mdir = Path(args.minilm) if args.minilm else minilm_dir()
    tok = load_tokenizer(str(mdir / "tokenizer.json"))
    items = [ann[i] for i in ids]

    def caption(a, direction):
        """A fresh caption from ALL training templates (the whole "train" pool), not only the 10 stored
        per clip: more phrasings per direction, so the text tower learns the meaning."""
        tpl = templates(a["family"], direction, "train")
        t = str(tpl[rng.integers(len(tpl))])
        if args.word_drop > 0:  # words (not the colour/object slots) masked: no single cue word carries a caption
            t = " ".join(w if w.startswith("{") or rng.random() >= args.word_drop else "[MASK]" for w in t.split())
        return fill_caption(t, a, rng)
    kf, kr = meaning_keys(items)

    text = TextTower()
    text.load_pretrained(mdir)
    text.freeze_below(args.text_layers)
    temporal = TemporalVideoEncoder(n_frames=n_frames, size=size, moments=args.moments)
    meanpool = MeanPoolVideoEncoder(n_frames=n_frames, size=size)
    scale_t = torch.nn.Parameter(torch.tensor(math.log(1 / 0.07)))
    scale_m = torch.nn.Parameter(torch.tensor(math.log(1 / 0.07)))
    for m in (text, temporal, meanpool):
        m.to(dev)
    scale_t.data = scale_t.data.to(dev)
    scale_m.data = scale_m.data.to(dev)
    text_layers = [p for n, p in text.named_parameters() if p.requires_grad and not n.startswith("proj")]
    groups = [
        {"params": text_layers, "lr": args.text_lr, "weight_decay": 0.01},
        {"params": list(text.proj.parameters()), "lr": args.lr, "weight_decay": 0.0},
        {"params": list(temporal.parameters()) + [scale_t], "lr": args.lr, "weight_decay": 0.05},
        {"params": list(meanpool.parameters()) + [scale_m], "lr": args.lr, "weight_decay": 0.05},
    ]
    opt = torch.optim.AdamW(groups)
    base_lrs = [g["lr"] for g in groups]
    warm = max(1, min(100, args.steps // 10))
    log.info("params: text %d (trained %d), temporal video %d, meanpool video %d", count_params(text),
             count_params(text, True), count_params(temporal), count_params(meanpool))
    rng = np.random.default_rng(args.seed)
    N = len(ids)
    by_family = [np.array([k for k, a in enumerate(items) if a["family"] == f]) for f in sorted({a["family"] for a in items})]
    mom = None
    if args.moments:  # weight-free, so computed once for the whole training set
        t_m = time.time()
        with torch.no_grad():
            mom = torch.cat([temporal.moments(torch.from_numpy(frames[k:k + 256]).to(dev).float())
                             for k in range(0, N, 256)])
        log.info("flow moments of %d clips in %.0f s", N, time.time() - t_m)
    cache: dict = {}
    n_frozen = len(text.encoder.layer) - args.text_layers
    t_loop = time.time()
    hist = []
    for step, f in lr_schedule(args.steps, args.time_budget, warm):
        for g, lr in zip(groups, base_lrs):
            g["lr"] = lr * f
        if args.family_groups > 1:  # B/g families, g clips each: same-family clips that differ in look are negatives
            fams = rng.choice(len(by_family), size=min(len(by_family), max(1, args.batch // args.family_groups)), replace=False)
            idx = np.concatenate([rng.choice(by_family[f], size=min(args.family_groups, len(by_family[f])), replace=False)
                                  for f in fams])
        else:
            idx = rng.choice(N, size=min(args.batch, N), replace=False)
        clip = torch.from_numpy(frames[idx]).to(dev).float()
        # mirror augmentation: a left-right mirrored clip shows the same event, except that left<->right
        # and clockwise<->counter-clockwise swap (its captions and meaning keys swap with them)
        flip = rng.random(len(idx)) < args.hflip
        if flip.any():
            clip[torch.from_numpy(flip).to(dev)] = clip[torch.from_numpy(flip).to(dev)].flip(3)
        swap = np.array([f and items[i]["family"] in MIRROR_SWAPS for f, i in zip(flip, idx)])
        dirs = [opposite(items[i]["direction"]) if s else items[i]["direction"] for s, i in zip(swap, idx)]
        texts = [caption(items[i], d) for i, d in zip(idx, dirs)] + [caption(items[i], opposite(d)) for i, d in zip(idx, dirs)]
        sw = torch.from_numpy(swap)
        keys = torch.cat([torch.where(sw, kr[idx], kf[idx]), torch.where(sw, kf[idx], kr[idx])]).to(dev)
        same = keys[:, None] == keys[None, :]
        t_emb = encode_text_cached(text, tok, texts, cache, n_frozen, args.text_layers, dev)
        m_b = None
        if mom is not None:
            m_b = mom[idx].clone()
            if flip.any():
                m_b[torch.from_numpy(flip).to(dev)] = FlowMoments.mirror(m_b[torch.from_numpy(flip).to(dev)])
        v_t = temporal.forward_with_reversed(clip, m_b)        # originals, then their reversed copies
        v_m = meanpool.forward_with_reversed(clip)
        loss_t = info_nce(v_t, t_emb, scale_t.exp().clamp(max=100), same)
        loss_m = info_nce(v_m, t_emb.detach(), scale_m.exp().clamp(max=100), same)
        loss = loss_t + loss_m
        opt.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_([p for g in groups for p in g["params"]], 5.0)
        opt.step()
        with torch.no_grad():
            # training-batch binary accuracy of the temporal model: caption i vs clip i and its reverse
            B = len(idx)
            s = t_emb @ v_t.T
            acc = ((s[torch.arange(B), torch.arange(B)] > s[torch.arange(B), torch.arange(B) + B]).float().mean().item()
                   + (s[torch.arange(B) + B, torch.arange(B) + B] > s[torch.arange(B) + B, torch.arange(B)]).float().mean().item()) / 2
        hist.append((loss_t.item(), loss_m.item(), acc))
        if step % 25 == 0 or step == args.steps - 1:
            h = np.array(hist[-25:])
            el = time.time() - t_loop
            log.info("step %d/%d loss_t %.3f loss_m %.3f batch-binary %.3f  %.2f s/step, eta %.0f s", step + 1,
                     args.steps, h[:, 0].mean(), h[:, 1].mean(), h[:, 2].mean(), el / (step + 1),
                     el / (step + 1) * (args.steps - step - 1))
    train_s = time.time() - t_start
    run_dir = Path(args.run_dir) if args.run_dir else data / "runs" / ("smoke" if args.smoke else f"seed{args.seed}")
    run_dir.mkdir(parents=True, exist_ok=True)
    ckpt = run_dir / "checkpoint.pt"
    # only what training changed (the frozen MiniLM layers come from the package again at export)
    text_trained = {k: v.detach().cpu() for k, v in text.state_dict().items()
                    if k.startswith("proj") or any(k.startswith(f"encoder.layer.{j}.") for j in range(n_frozen, len(text.encoder.layer)))}
    torch.save({"text_layers": args.text_layers,
                "temporal": {k: v.cpu() for k, v in temporal.state_dict().items()},
                "meanpool": {k: v.cpu() for k, v in meanpool.state_dict().items()},
                "args": vars(args), "moments": args.moments, "train_s": train_s, "steps_run": len(hist), "n_frames": n_frames, "size": size,
                "device": str(dev), "torch": torch.__version__}, ckpt)
    torch.save(text_trained, run_dir / "text_trained.pt")
    log.info("trained in %.0f s; checkpoint %s", train_s, ckpt)
    q = quick_eval(text, temporal, meanpool, tok, test_dir, n_frames, size, dev, args.workers)
    (run_dir / "quick_eval.json").write_text(json.dumps(q, indent=1))
    log.info("torch eval on held-out test data: %s", json.dumps(q))
    if args.no_export:
        return 0
    if args.refine_steps:
        refined = run_dir.parent / (run_dir.name + "-refined")
        refine_text_tower(ckpt, train_dir, refined, steps=args.refine_steps, threads=args.threads,
                          time_budget=args.refine_budget, batch=args.refine_batch, smoke=args.smoke)
        ckpt = refined / "checkpoint.pt"
    from .export import export_all  # noqa: WPS433 (imported late: only needed here)
    cmd = "python -m training.video.train " + " ".join(argv if argv is not None else sys.argv[1:])
    export_all(ckpt, Path(args.out), mdir, test_dir=test_dir, trained_by=cmd, train_s=train_s,
               smoke=args.smoke, threads=args.threads)
    log.info("total wall time %.0f s", time.time() - t_start)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
