"""Second stage: refine the text tower against the (frozen) trained video encoder, on CPU.

    python -m training.video.refine_text --ckpt data/video/runs/gpu-b/checkpoint.pt

The video encoders stay as trained; their embeddings of every training clip and of its reversed copy
are computed once. The text tower's top layers then continue with the same InfoNCE + reversed-clip /
reverse-caption hard negatives, with captions drawn fresh from ALL training templates (including
captions.EXTRA_TRAIN) instead of the 10 captions stored per clip. No test template and no test clip
is used. Writes a new run folder (checkpoint.pt + text_trained.pt) for training.video.export.
"""
from __future__ import annotations

import argparse
import json
import logging
import math
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch

from inference.video.captions import opposite, templates
from inference.video.synth import _nouns, meaning
from inference.video.text import load_tokenizer

from .export import load_models
from .model import minilm_dir
from .train import encode_text_cached, info_nce, load_split, lr_schedule

log = logging.getLogger("training.video.refine")
ROOT = Path(__file__).resolve().parents[2]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--ckpt", required=True)
    ap.add_argument("--data", default=str(ROOT / "data" / "video" / "train-s0-n4200"))
    ap.add_argument("--run-dir", default=str(ROOT / "data" / "video" / "runs" / "refined"))
    ap.add_argument("--steps", type=int, default=400)
    ap.add_argument("--batch", type=int, default=48)
    ap.add_argument("--text-lr", type=float, default=1e-5)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--time-budget", type=float, default=0.0, help="seconds: the LR schedule follows max(step, time) and stops there")
    ap.add_argument("--smoke", action="store_true")
    args = ap.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", stream=sys.stdout)
    t_start = time.time()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    rng = np.random.default_rng(args.seed)
    ck, text, temporal, _ = load_models(Path(args.ckpt))
    n_layers = int(ck.get("text_layers", 2))
    ids, frames, ann = load_split(Path(args.data), "train", ck["n_frames"], ck["size"])
    if args.smoke:
        ids, frames = ids[:16], frames[:16]
        args.steps, args.batch = 2, 4
    with torch.no_grad():
        vf, vr = [], []
        for k in range(0, len(frames), 128):
            x = torch.from_numpy(frames[k:k + 128]).float()
            vf.append(temporal(x))
            vr.append(temporal(x.flip(1)))
        vf, vr = torch.cat(vf), torch.cat(vr)
    log.info("video embeddings of %d clips (+ reversed) in %.0f s", len(ids), time.time() - t_start)
    items = [ann[i] for i in ids]
    keys = {}
    kf, kr = [], []
    for a in items:
        c1, c2 = a["colours"]
        for lst, d in ((kf, a["direction"]), (kr, opposite(a["direction"]))):
            k = meaning(a["family"], d, a["shape"], c1, c2)
            lst.append(keys.setdefault(k, len(keys)))
    kf, kr = torch.tensor(kf), torch.tensor(kr)

    def caption(a, direction):
        c1, c2 = a["colours"]
        tpl = templates(a["family"], direction, "train")
        return str(rng.choice(tpl)).format(c=c1, c2=c2, o=str(rng.choice(_nouns(a["family"], a["shape"]))))

    tok = load_tokenizer(str(minilm_dir() / "tokenizer.json"))
    text.train()
    text.freeze_below(n_layers)
    top = [p for n, p in text.named_parameters() if p.requires_grad and not n.startswith("proj")]
    scale = torch.nn.Parameter(torch.tensor(math.log(1 / 0.05)))
    groups = [{"params": top, "lr": args.text_lr, "weight_decay": 0.01},
              {"params": list(text.proj.parameters()), "lr": args.text_lr * 5, "weight_decay": 0.0},
              {"params": [scale], "lr": 1e-3, "weight_decay": 0.0}]
    base = [g["lr"] for g in groups]
    opt = torch.optim.AdamW(groups)
    cache: dict = {}
    n_frozen = len(text.encoder.layer) - n_layers
    t_loop = time.time()
    hist = []
    for step, f in lr_schedule(args.steps, args.time_budget, 20):
        for g, lr in zip(groups, base):
            g["lr"] = lr * f
        idx = rng.choice(len(ids), size=min(args.batch, len(ids)), replace=False)
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
        if step % 20 == 0 or step == args.steps - 1:
            h = np.array(hist[-20:])
            el = time.time() - t_loop
            log.info("step %d/%d loss %.3f batch-binary %.3f %.2f s/step eta %.0f s", step + 1, args.steps, h[:, 0].mean(),
                     h[:, 1].mean(), el / (step + 1), el / (step + 1) * (args.steps - step - 1))
    run = Path(args.run_dir)
    run.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(args.ckpt, run / "checkpoint.pt")
    sd = text.state_dict()
    prev = torch.load(Path(args.ckpt).parent / "text_trained.pt", map_location="cpu")
    torch.save({k: sd[k].detach().clone() for k in prev}, run / "text_trained.pt")
    meta = {"refined_from": str(args.ckpt), "args": vars(args), "refine_s": round(time.time() - t_start, 1)}
    (run / "refine.json").write_text(json.dumps(meta, indent=1))
    log.info("refined in %.0f s -> %s", time.time() - t_start, run)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
