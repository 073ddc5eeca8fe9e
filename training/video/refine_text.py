"""Second stage on its own: refine the text tower against the (frozen) trained video encoder, on CPU.

    python -m training.video.refine_text --ckpt data/video/runs/gpu-b/checkpoint.pt

What it does is `train.refine_text_tower` (the same stage `python -m training.video.train --refine-steps N`
runs after training); this is its command line. Writes a new run folder (checkpoint.pt + text_trained.pt)
for training.video.export.
"""
from __future__ import annotations

import argparse
import logging
import sys
from pathlib import Path

from .train import refine_text_tower

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
    refine_text_tower(args.ckpt, args.data, args.run_dir, steps=args.steps, batch=args.batch, text_lr=args.text_lr,
                      seed=args.seed, threads=args.threads, time_budget=args.time_budget, smoke=args.smoke)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
