"""Train the multimodal reconstructor and its points-only ablation side by side on the same batches.

    python -m training.pointcloud.train --out runs/pc2 --steps 100000 --time-budget 4200 --pixel --batch 4 \
        --lr 0.001 --seed 0 --threads 2          # the shipped models: 70 min on 2 cores (resumes)
    python -m training.pointcloud.train --smoke --out /tmp/pc_smoke                 # seconds, for CI

The objective is the learned stage's job in the pipeline: move every input point onto the true
surface. Per point, the target is the tangent plane of the nearest point of a dense, exact sample of the
surface (point-to-plane L1), plus a small penalty on moving along the surface (points must not bunch
up). The new points are placed by the pipeline's classical stages (quadric patches of the moved points,
then blue-noise selection), so their residual layers stay at their zero initialisation.

Both models start from the same seed and see identical data (generated on the fly from the
training shape families with a per-step seed by ``data.make_batch``, so a resumed run continues the
same stream).
Checkpoints (``last.pt``) are written every --ckpt-every seconds and at the end; ``export.py``
turns them into ONNX files + manifests.
"""
from __future__ import annotations

import argparse
import json
import math
import time
from pathlib import Path

import torch

from inference.pointcloud.prepare import IMG_SIZE, PIXEL_IMG_SIZE

from .data import VARIANTS, make_batch, model_inputs
from .model import Reconstructor

TANGENT_W = 0.1  # weight of the along-the-surface movement penalty


def surface_loss(moved: torch.Tensor, points: torch.Tensor, target: torch.Tensor, target_n: torch.Tensor
                 ) -> tuple[torch.Tensor, torch.Tensor]:
    """(loss, mean point-to-plane distance): |(moved − target)·n| + TANGENT_W·|tangential part of the move|."""
    plane = ((moved - target) * target_n).sum(-1).abs()
    mv = moved - points
    tang = mv - (mv * target_n).sum(-1, keepdim=True) * target_n
    return plane.mean() + TANGENT_W * torch.sqrt((tang * tang).sum(-1) + 1e-10).mean(), plane.mean().detach()


def lr_at(step: int, steps: int, base: float, warmup: int | None = None, frac: float | None = None) -> float:
    """Warm-up, then cosine decay to 5% over the run; `frac` (the share of the time budget spent) takes
    over from the step count when it is further along."""
    warmup = min(100, max(1, steps // 10)) if warmup is None else warmup
    if step < warmup:
        return base * (step + 1) / warmup
    t = (step - warmup) / max(1, steps - warmup)
    if frac is not None:
        t = max(t, frac)
    return base * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * min(t, 1.0))))


def build(variant: str, seed: int, pixel: bool = False) -> Reconstructor:
    torch.manual_seed(seed)
    return Reconstructor(multimodal=(variant == "multimodal"), pixel=pixel)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", default="runs/pc")
    ap.add_argument("--steps", type=int, default=160)
    ap.add_argument("--batch", type=int, default=4)
    ap.add_argument("--lr", type=float, default=5e-4)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--pixel", action="store_true",
                    help="the multimodal model also samples pixel-aligned image features at each point (128-px view)")
    ap.add_argument("--time-budget", type=float, default=0.0,
                    help="stop after this many seconds of training (0: no limit); the LR schedule follows it")
    ap.add_argument("--ckpt-every", type=float, default=300.0, help="seconds between checkpoints")
    ap.add_argument("--smoke", action="store_true", help="a few tiny steps (CI)")
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    render_points = 30000
    if a.smoke:
        a.steps, a.batch, render_points = 2, 2, 4000
    models = {v: build(v, a.seed, a.pixel) for v in VARIANTS}
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
    step = start
    while step < a.steps:
        spent = elapsed_before + time.time() - t0
        if a.time_budget and spent >= a.time_budget:
            break
        frac = spent / a.time_budget if a.time_budget else None
        lr = lr_at(step, a.steps, a.lr, frac=frac)
        b = make_batch(step, a.seed, a.batch, render_points=render_points,
                       image_size=PIXEL_IMG_SIZE if a.pixel else IMG_SIZE)
        losses, dists = {}, {}
        for v, m in models.items():
            for g in opts[v].param_groups:
                g["lr"] = lr
            moved, _ = m(*model_inputs(b, v == "multimodal", a.pixel))
            loss, dist = surface_loss(moved, b["points"], b["target"], b["target_n"])
            opts[v].zero_grad()
            loss.backward()
            torch.nn.utils.clip_grad_norm_(m.parameters(), 1.0)
            opts[v].step()
            losses[v] = float(loss.detach()) * 1e3
            dists[v] = float(dist) * 1e3
            run[v] = dists[v] if step == start else 0.98 * run[v] + 0.02 * dists[v]
        # the point-to-plane distance before the model (the input's own noise), for reading the figures
        raw = float(((b["points"] - b["target"]) * b["target_n"]).sum(-1).abs().mean()) * 1e3
        history.append({"step": step, "level": b["level"], "input": round(raw, 3),
                        **{v: round(d, 3) for v, d in dists.items()}})
        if step % 20 == 0 or step == a.steps - 1:
            el = elapsed_before + time.time() - t0
            print(f"step {step} {b['level']:8s} input {raw:.2f} " + " ".join(
                f"{v} {dists[v]:.2f} (avg {run[v]:.2f})" for v in VARIANTS)
                + f" (×10³ point-to-plane) lr {lr:.2e} {el / 60:.1f} min", flush=True)
        step += 1
        if time.time() - last_ck > a.ckpt_every:
            save(step)
            last_ck = time.time()
    save(step)
    print(f"done: {step} steps, {(elapsed_before + time.time() - t0) / 60:.1f} min; checkpoint {ck}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
