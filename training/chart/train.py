"""Train the chart-type classifier from scratch on synthetic charts and export it to ONNX.

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

from inference.chart.model import CLASSES, THUMB_H, THUMB_W, preprocess
from inference.chart.synth import synthesize

from .model import ChartTypeNet

ROOT = Path(__file__).resolve().parents[2]


def non_chart_image(rng: np.random.Generator, h: int = 480, w: int = 640) -> np.ndarray:
    """Photo-like or random non-chart images: smooth colour fields + texture + blobs, or text-like noise."""
    import cv2

    kind = int(rng.integers(4))
    if kind == 0:  # smooth "photo": low-frequency colour noise plus fine texture
        small = rng.random((int(rng.integers(3, 9)), int(rng.integers(3, 9)), 3))
        img = cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)
        img = img + rng.normal(0, rng.uniform(0.01, 0.12), (h, w, 3))
    elif kind == 1:  # shapes
        img = np.ones((h, w, 3)) * rng.random(3)
        for _ in range(int(rng.integers(3, 30))):
            c = tuple(float(v) for v in rng.random(3))
            cx, cy = int(rng.integers(w)), int(rng.integers(h))
            if rng.random() < 0.5:
                cv2.circle(img, (cx, cy), int(rng.integers(5, 120)), c, -1)
            else:
                cv2.ellipse(img, (cx, cy), (int(rng.integers(5, 150)), int(rng.integers(5, 80))),
                            float(rng.uniform(0, 180)), 0, 360, c, -1)
        img = cv2.GaussianBlur(img, (0, 0), float(rng.uniform(0.5, 4)))
    elif kind == 2:  # text page
        img = np.ones((h, w, 3)) * rng.uniform(0.85, 1.0)
        y = 20
        while y < h - 10:
            x = int(rng.integers(10, 40))
            while x < w - 60:
                lw = int(rng.integers(10, 60))
                cv2.rectangle(img, (x, y), (x + lw, y + 8), (0.1, 0.1, 0.1), -1)
                x += lw + 8
            y += int(rng.integers(16, 26))
        img = cv2.GaussianBlur(img, (0, 0), 0.8)
    else:  # noise / gradient
        gx = np.linspace(0, 1, w)[None, :, None]
        gy = np.linspace(0, 1, h)[:, None, None]
        img = rng.random(3) * gx + rng.random(3) * gy + rng.normal(0, rng.uniform(0, 0.3), (h, w, 3))
    return (np.clip(img, 0, 1) * 255).astype(np.uint8)


def load_split(root: Path) -> tuple[np.ndarray, np.ndarray]:
    import cv2

    xs, ys = [], []
    for ann_p in sorted((root / "annotations").glob("*.json")):
        ann = json.loads(ann_p.read_text())
        img = cv2.cvtColor(cv2.imread(str(root / "png" / (ann_p.stem + ".png"))), cv2.COLOR_BGR2RGB)
        xs.append((preprocess(img)[0] * 255).astype(np.uint8))
        ys.append(CLASSES.index(ann["chart_type"]))
    return np.stack(xs), np.array(ys, dtype=np.int64)


def add_negatives(x: np.ndarray, y: np.ndarray, n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    neg = []
    for _ in range(n):
        h, w = int(rng.integers(200, 700)), int(rng.integers(200, 900))
        neg.append((preprocess(non_chart_image(rng, h, w))[0] * 255).astype(np.uint8))
    return np.concatenate([x, np.stack(neg)]), np.concatenate([y, np.full(n, CLASSES.index("other"))])


def augment(xb: torch.Tensor, gen: torch.Generator) -> torch.Tensor:
    """Random shift (pad + crop) and brightness/contrast jitter."""
    b = xb.shape[0]
    pad = 6
    xp = torch.nn.functional.pad(xb, (pad, pad, pad, pad), mode="replicate")
    out = torch.empty_like(xb)
    offs = torch.randint(0, 2 * pad + 1, (b, 2), generator=gen)
    for i in range(b):
        dy, dx = int(offs[i, 0]), int(offs[i, 1])
        out[i] = xp[i, :, dy:dy + THUMB_H, dx:dx + THUMB_W]
    # colour: permute channels (new palettes), tint the light background (grey panels), desaturate a little
    for i in range(b):
        if float(torch.rand(1, generator=gen)) < 0.6:
            out[i] = out[i, torch.randperm(3, generator=gen)]
    light = (out.min(dim=1, keepdim=True).values > 0.8).float()
    tint = 0.85 + 0.15 * torch.rand(b, 1, 1, 1, generator=gen)
    use = (torch.rand(b, 1, 1, 1, generator=gen) < 0.4).float()
    out = out * (1 - light * use) + out * tint * light * use
    gray = out.mean(dim=1, keepdim=True)
    mix = 0.4 * torch.rand(b, 1, 1, 1, generator=gen)
    out = out * (1 - mix) + gray * mix
    # scale: shrink the chart inside a white/tinted canvas (other figure sizes and margins)
    for i in range(b):
        if float(torch.rand(1, generator=gen)) < 0.3:
            f = 0.75 + 0.25 * float(torch.rand(1, generator=gen))
            hh, ww = int(THUMB_H * f), int(THUMB_W * (0.75 + 0.25 * float(torch.rand(1, generator=gen))))
            small = torch.nn.functional.interpolate(out[i:i + 1], size=(hh, ww), mode="area")
            canvas = torch.ones_like(out[i:i + 1]) * out[i:i + 1, :, :2, :2].mean(dim=(2, 3), keepdim=True)
            y0 = int(torch.randint(0, THUMB_H - hh + 1, (1,), generator=gen))
            x0 = int(torch.randint(0, THUMB_W - ww + 1, (1,), generator=gen))
            canvas[:, :, y0:y0 + hh, x0:x0 + ww] = small
            out[i] = canvas[0]
    a = 1 + 0.15 * (torch.rand(b, 1, 1, 1, generator=gen) - 0.5)
    c = 0.1 * (torch.rand(b, 1, 1, 1, generator=gen) - 0.5)
    return (out * a + c).clamp(0, 1)


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


def export(model: nn.Module, out_dir: Path, metrics: dict, trained_by: str) -> Path:
    from inference.runtime.manifest import write_manifest

    out_dir.mkdir(parents=True, exist_ok=True)
    onnx_path = out_dir / "chart-type.onnx"
    model.eval()
    dummy = torch.rand(2, 3, THUMB_H, THUMB_W)
    torch.onnx.export(model, (dummy,), str(onnx_path), input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}}, opset_version=17,
                      dynamo=False)
    # check the export against torch at other batch sizes
    import onnxruntime as ort

    sess = ort.InferenceSession(str(onnx_path), providers=["CPUExecutionProvider"])
    for b in (1, 5):
        xt = torch.rand(b, 3, THUMB_H, THUMB_W)
        with torch.no_grad():
            ref = model(xt).numpy()
        got = sess.run(["logits"], {"image": xt.numpy()})[0]
        err = float(np.abs(ref - got).max())
        if err > 1e-3:
            raise RuntimeError(f"ONNX export differs from torch by {err} at batch {b}")
    write_manifest(out_dir / "chart-type.json", {
        "name": "chart-type", "task": "chart-type-classification",
        "description": "Tiny CNN: chart thumbnail (3x96x128, RGB in [0,1], INTER_AREA resize) -> logits over "
                       + ", ".join(CLASSES),
        "file": "chart-type.onnx",
        "inputs": [{"name": "image", "shape": ["batch", 3, THUMB_H, THUMB_W], "dtype": "float32"}],
        "outputs": [{"name": "logits", "shape": ["batch", len(CLASSES)], "dtype": "float32"}],
        "preprocessing": {"size": [THUMB_W, THUMB_H], "resize": "cv2.INTER_AREA", "scale": "1/255",
                          "layout": "NCHW RGB", "classes": list(CLASSES)},
        "metrics": metrics, "trained_by": trained_by,
        "evaluated_by": "python -m training.chart.train (held-out-style accuracy); python bench/chart_eval.py (whole reader)",
        "default": True,
    })
    return onnx_path


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
    args = ap.parse_args(argv)
    t0 = time.time()
    torch.manual_seed(args.seed)
    torch.set_num_threads(max(1, min(args.threads, 2)))
    if args.smoke:
        args.n_train, args.n_test, args.epochs = 24, 12, 1
        args.data = args.out / "_smoke_data"
    have = lambda split, n: len(list((args.data / split / "png").glob("*.png"))) == n  # noqa: E731
    if args.reuse_data and have("train", args.n_train) and have("heldout", args.n_test):
        print(f"reusing the charts already rendered in {args.data} (same seed = same charts)", flush=True)
    else:
        if args.data.exists():
            shutil.rmtree(args.data)
        print(f"rendering {args.n_train} training charts (train styles) ...", flush=True)
        synthesize(args.data, args.n_train, args.seed, split="train", styles="train", questions_per_chart=0)
        synthesize(args.data, args.n_test, args.seed + 7777, split="heldout", styles="heldout",
                   questions_per_chart=0)
    xtr, ytr = load_split(args.data / "train")
    xtr, ytr = add_negatives(xtr, ytr, max(4, args.n_train // 7), args.seed + 1)
    xte, yte = load_split(args.data / "heldout")
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
               "seed": args.seed, "smoke": bool(args.smoke)}
    cmd = "python -m training.chart.train" + (" --smoke" if args.smoke else "")
    p = export(model, args.out, metrics, cmd)
    if args.smoke:
        shutil.rmtree(args.data, ignore_errors=True)
    print(json.dumps(metrics), flush=True)
    print(f"wrote {p} ({p.stat().st_size / 1e6:.2f} MB)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
