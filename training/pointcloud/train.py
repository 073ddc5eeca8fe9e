"""Train the multimodal reconstructor and its points-only ablation side by side on the same batches.

    python -m training.pointcloud.train --out runs/pc --steps 160 --batch 4 --lr 5e-4 --seed 0   # full run (resumes)
    python -m training.pointcloud.train --smoke --out /tmp/pc_smoke                 # seconds, for CI

Both models start from the same seed and see identical data (generated on the fly from the
training shape families with a per-step seed, so a resumed run continues the same stream).
Checkpoints (``last.pt``) are written every --ckpt-every seconds and at the end; ``export.py``
turns them into ONNX files + manifests.
"""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import numpy as np
import torch
from scipy.spatial import cKDTree

from inference.pointcloud import ops
from inference.pointcloud.prepare import image_input, prepare
from inference.pointcloud.shapes import TRAIN_FAMILIES, make_shape
from inference.pointcloud.synth import GT_POINTS, LEVELS, degrade, render

from .model import Reconstructor

LEVEL_P = {"clean": 0.2, "noisy": 0.3, "outliers": 0.25, "sparse": 0.25}
VARIANTS = ("multimodal", "points_only")
SOR = dict(nb=16, std_ratio=2.0)


def make_batch(step: int, seed: int, batch: int, target: int = GT_POINTS, gt_points: int = GT_POINTS,
               render_points: int = 30000) -> dict:
    """One batch, all at one input level; deterministic in (seed, step)."""
    rng = np.random.default_rng([seed, step])
    level = rng.choice(list(LEVEL_P), p=list(LEVEL_P.values()))
    fams = list(TRAIN_FAMILIES)
    xs, gts, ims = [], [], []
    for _ in range(batch):
        shape = make_shape(fams[int(rng.integers(len(fams)))], rng)
        gt, _ = shape.sample(gt_points, rng)
        dense, dn = shape.sample(render_points, rng)
        img = image_input(render(dense, dn))
        x = degrade(dense[rng.permutation(len(dense))[:8192]], level, rng).astype(np.float64)
        x = x[ops.statistical_outlier_removal(x, **SOR)]
        xn, c, s = ops.normalize(x)
        xs.append(xn)
        gts.append((gt - c) / s)
        ims.append(img)
    n = min(len(x) for x in xs)
    preps = [prepare(x[ops.random_subsample(x, n, rng)], target) for x in xs]
    out = {k: torch.from_numpy(np.concatenate([p[k] for p in preps])) for k in preps[0] if k != "seeds"}
    out["seeds"] = torch.from_numpy(preps[0]["seeds"])
    out["image"] = torch.from_numpy(np.concatenate(ims))
    out["gt"] = torch.from_numpy(np.stack(gts).astype(np.float32))
    out["level"] = str(level)
    return out


def model_inputs(b: dict, multimodal: bool) -> list:
    args = [b["points"], b["frames"], b["centers_idx"], b["group_idx"], b["local_idx"], b["interp_idx"], b["interp_w"], b["seeds"]]
    if multimodal:
        args.append(b["image"])
    return args


@torch.no_grad()
def _nearest(src: torch.Tensor, dst: torch.Tensor) -> torch.Tensor:
    """Index of the nearest dst point for each src point, per batch element, without grad (k-d tree)."""
    s, d = src.numpy(), dst.numpy()
    idx = [cKDTree(d[b]).query(s[b], k=1)[1] for b in range(len(s))]
    return torch.from_numpy(np.stack(idx).astype(np.int64))


def chamfer_l1(pred: torch.Tensor, gt: torch.Tensor, n_sample: int, gen: torch.Generator) -> torch.Tensor:
    """Sampled L1 Chamfer: ½(mean_p d(p,GT) + mean_q d(q,P)), nearest found without grad."""
    B, M, _ = pred.shape
    ps = torch.randint(0, M, (B, min(n_sample, M)), generator=gen)
    qs = torch.randint(0, gt.shape[1], (B, min(n_sample, gt.shape[1])), generator=gen)
    p = torch.gather(pred, 1, ps.unsqueeze(-1).expand(-1, -1, 3))
    q = torch.gather(gt, 1, qs.unsqueeze(-1).expand(-1, -1, 3))
    ip = _nearest(p.detach(), gt)
    iq = _nearest(q, pred.detach())
    dp = p - torch.gather(gt, 1, ip.unsqueeze(-1).expand(-1, -1, 3))
    dq = q - torch.gather(pred, 1, iq.unsqueeze(-1).expand(-1, -1, 3))
    return 0.5 * (torch.sqrt((dp * dp).sum(-1) + 1e-8).mean() + torch.sqrt((dq * dq).sum(-1) + 1e-8).mean())


def lr_at(step: int, steps: int, base: float, warmup: int | None = None) -> float:
    warmup = min(100, max(1, steps // 10)) if warmup is None else warmup
    if step < warmup:
        return base * (step + 1) / warmup
    t = (step - warmup) / max(1, steps - warmup)
    return base * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(t, 1.0))))


def build(variant: str, seed: int) -> Reconstructor:
    torch.manual_seed(seed)
    return Reconstructor(multimodal=(variant == "multimodal"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="runs/pc")
    ap.add_argument("--steps", type=int, default=160)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--loss-samples", type=int, default=2048)
    ap.add_argument("--ckpt-every", type=float, default=300.0, help="seconds between checkpoints")
    ap.add_argument("--smoke", action="store_true", help="a few tiny steps (CI)")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    gt_points, target, render_points = GT_POINTS, GT_POINTS, 30000
    if a.smoke:
        a.steps, a.batch, gt_points, target, render_points = 2, 2, 2048, 4096, 4000
    models = {v: build(v, a.seed) for v in VARIANTS}
    opts = {v: torch.optim.AdamW(m.parameters(), lr=a.lr, weight_decay=1e-4) for v, m in models.items()}
    start, elapsed_before, history = 0, 0.0, []
    ck = out / "last.pt"
    if ck.exists() and not a.smoke:
        state = torch.load(ck, weights_only=False)
        for v in VARIANTS:
            models[v].load_state_dict(state["models"][v])
            opts[v].load_state_dict(state["opts"][v])
        start, elapsed_before, history = state["step"], state["elapsed"], state["history"]
        print(f"resumed from {ck} at step {start}", flush=True)
    t0 = time.time()
    last_ck = time.time()

    def save(step: int) -> None:
        state = {"models": {v: m.state_dict() for v, m in models.items()},
                 "opts": {v: o.state_dict() for v, o in opts.items()}, "step": step,
                 "elapsed": elapsed_before + time.time() - t0, "history": history,
                 "args": vars(a)}
        torch.save(state, out / "last.tmp")
        (out / "last.tmp").replace(ck)
        (out / "history.json").write_text(json.dumps({"step": step, "elapsed_s": state["elapsed"],
                                                      "args": vars(a), "history": history[-200:]}))

    run = {v: 0.0 for v in VARIANTS}
    for step in range(start, a.steps):
        b = make_batch(step, a.seed, a.batch, target, gt_points, render_points)
        gen = torch.Generator().manual_seed(a.seed * 1000003 + step)
        losses = {}
        for v, m in models.items():
            for g in opts[v].param_groups:
                g["lr"] = lr_at(step, a.steps, a.lr)
            moved, added = m(*model_inputs(b, v == "multimodal"))
            pred = torch.cat([moved, added.reshape(moved.shape[0], -1, 3)], 1)
            loss = chamfer_l1(pred, b["gt"], a.loss_samples, gen)
            opts[v].zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
            opts[v].step()
            losses[v] = float(loss.detach()) * 1e3
            run[v] = losses[v] if step == start else 0.98 * run[v] + 0.02 * losses[v]
        history.append({"step": step, "level": b["level"], **{v: round(l, 3) for v, l in losses.items()}})
        if step % 10 == 0 or step == a.steps - 1:
            el = elapsed_before + time.time() - t0
            print(f"step {step} {b['level']:8s} " + " ".join(f"{v} {losses[v]:.2f} (avg {run[v]:.2f})" for v in VARIANTS)
                  + f" lr {lr_at(step, a.steps, a.lr):.2e} {el / 60:.1f} min", flush=True)
        if time.time() - last_ck > a.ckpt_every:
            save(step + 1)
            last_ck = time.time()
    save(a.steps)
    print(f"done: {a.steps} steps, {(elapsed_before + time.time() - t0) / 60:.1f} min; checkpoint {ck}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
