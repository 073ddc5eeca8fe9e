"""The chart-type classifier's data: synthetic charts rendered by inference.chart.synth, thumbnails made by the
same pre-processing as inference (inference.chart.model.preprocess), non-chart negatives ("other"), and the
training-time augmentation."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch

from inference.chart.model import CLASSES, THUMB_H, THUMB_W, preprocess


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
