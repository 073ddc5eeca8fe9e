"""Train the chart-type classifier from scratch on synthetic charts and export it to ONNX (export.py).

    python -m training.chart.train                 # full run (writes resources/models/chart-type.{onnx,json})
    python -m training.chart.train --smoke --out /tmp/x   # seconds, for CI

Training uses the *train* style pool only; the reported accuracy is on held-out styles (another seed).
"""
from __future__ import annotations

import argparse
import json
import math
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import torch
from torch import nn

from inference.chart.model import CLASSES
from inference.chart.synth import PRODUCERS, synthesize

from .data import add_negatives, augment, load_split
from .export import export
from .model import ChartTypeNet

ROOT = Path(__file__).resolve().parents[2]


def predict(model: nn.Module, x: np.ndarray) -> np.ndarray:
    model.eval()
    with torch.no_grad():
        pred = []
        for i in range(0, len(x), 128):
            pred.append(model(torch.from_numpy(x[i:i + 128]).float() / 255).argmax(1).numpy())
    return np.concatenate(pred)


def evaluate(model: nn.Module, x: np.ndarray, y: np.ndarray) -> float:
    return float((predict(model, x) == y).mean())


def confusion(model: nn.Module, x: np.ndarray, y: np.ndarray) -> dict:
    p = predict(model, x)
    return {CLASSES[t]: {CLASSES[q]: int(((y == t) & (p == q)).sum()) for q in range(len(CLASSES))
                         if ((y == t) & (p == q)).any()} for t in range(len(CLASSES))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--smoke", action="store_true", help="tiny data, one epoch (CI)")
    ap.add_argument("--out", type=Path, default=ROOT / "resources" / "models", help="where the ONNX + manifest go")
    ap.add_argument("--data", type=Path, default=ROOT / "data" / "chart_train")
    ap.add_argument("--n-train", type=int, default=2400)
    ap.add_argument("--n-test", type=int, default=300)
    ap.add_argument("--epochs", type=int, default=14)
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reuse-data", action="store_true", help="skip rendering when the charts are already there")
    ap.add_argument("--producers", default="matplotlib,echarts",
                    help="plotting libraries that draw the training and held-out charts, in equal shares "
                         "(echarts needs Node.js; Vega-Lite is reserved for evaluation and is not offered)")
    args = ap.parse_args(argv)
    t0 = time.time()
    torch.manual_seed(args.seed)
    torch.set_num_threads(max(1, min(args.threads, 2)))
    if args.smoke:
        args.n_train, args.n_test, args.epochs = 24, 12, 1
        args.data = args.out / "_smoke_data"
    producers = [p for p in args.producers.split(",") if p]
    bad = [p for p in producers if p not in PRODUCERS]
    if bad or not producers:
        ap.error(f"unknown producer(s) {bad}: use some of {list(PRODUCERS)}")
    share = lambda n, k: n // len(producers) + (1 if k < n % len(producers) else 0)  # noqa: E731
    have = lambda p, split, n: len(list((args.data / p / split / "png").glob("*.png"))) == n  # noqa: E731
    if args.reuse_data and all(have(p, "train", share(args.n_train, k)) and have(p, "heldout", share(args.n_test, k))
                               for k, p in enumerate(producers)):
        print(f"reusing the charts already rendered in {args.data} (same seed = same charts)", flush=True)
    else:
        if args.data.exists():
            shutil.rmtree(args.data)
        for k, p in enumerate(producers):
            print(f"rendering {share(args.n_train, k)} training charts drawn by {p} (train styles) ...", flush=True)
            synthesize(args.data / p, share(args.n_train, k), args.seed + 100 * k, split="train", styles="train",
                       questions_per_chart=0, producer=p)
            synthesize(args.data / p, share(args.n_test, k), args.seed + 7777 + 100 * k, split="heldout",
                       styles="heldout", questions_per_chart=0, producer=p)
    parts = [load_split(args.data / p / "train") for p in producers]
    xtr, ytr = np.concatenate([x for x, _ in parts]), np.concatenate([y for _, y in parts])
    xtr, ytr = add_negatives(xtr, ytr, max(4, args.n_train // 7), args.seed + 1)
    parts = [load_split(args.data / p / "heldout") for p in producers]
    xte, yte = np.concatenate([x for x, _ in parts]), np.concatenate([y for _, y in parts])
    xte, yte = add_negatives(xte, yte, max(2, args.n_test // 7), args.seed + 99)
    t_data = time.time() - t0
    print(f"data ready in {t_data:.0f}s: train {len(xtr)}, held-out {len(xte)}", flush=True)

    model = ChartTypeNet()
    opt = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    steps = args.epochs * math.ceil(len(xtr) / 64)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=max(steps, 1))
    gen = torch.Generator().manual_seed(args.seed)
    lossf = nn.CrossEntropyLoss()
    for ep in range(args.epochs):
        model.train()
        perm = torch.randperm(len(xtr), generator=gen).numpy()
        tot = 0.0
        for i in range(0, len(perm), 64):
            idx = perm[i:i + 64]
            xb = augment(torch.from_numpy(xtr[idx]).float() / 255, gen)
            yb = torch.from_numpy(ytr[idx])
            loss = lossf(model(xb), yb)
            opt.zero_grad()
            loss.backward()
            opt.step()
            sched.step()
            tot += float(loss) * len(idx)
        print(f"epoch {ep + 1}/{args.epochs} loss {tot / len(xtr):.4f} held-out acc {evaluate(model, xte, yte):.3f}"
              f" ({time.time() - t0:.0f}s)", flush=True)
    acc = evaluate(model, xte, yte)
    conf = confusion(model, xte, yte)
    print("held-out confusion (true -> predicted counts):", json.dumps(conf), flush=True)
    # vertical bars, single or grouped, are read by the same code: report that accuracy too
    p = predict(model, xte)
    vb = {CLASSES.index("v_bar"), CLASSES.index("grouped_bar")}
    merged = float(np.mean([(a == b) or (a in vb and b in vb) for a, b in zip(p, yte)]))
    wall = time.time() - t0
    metrics = {"heldout_style_accuracy": round(acc, 4), "heldout_style_accuracy_vbars_merged": round(merged, 4), "n_heldout": int(len(xte)), "n_train": int(len(xtr)),
               "epochs": args.epochs, "train_wall_s": round(wall, 1), "data_s": round(t_data, 1),
               "reused_data": bool(args.reuse_data), "threads": torch.get_num_threads(),
               "seed": args.seed, "smoke": bool(args.smoke), "producers": producers}
    cmd = "python -m training.chart.train" + (" --smoke" if args.smoke else "")
    p = export(model, args.out, metrics, cmd)
    if args.smoke:
        shutil.rmtree(args.data, ignore_errors=True)
    print(json.dumps(metrics), flush=True)
    print(f"wrote {p} ({p.stat().st_size / 1e6:.2f} MB)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
