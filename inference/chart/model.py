"""The learned part: a small CNN that tells the chart type (and "not a chart") from a thumbnail.

Pre-processing is shared with `training/chart/` so the two never drift apart.
"""
from __future__ import annotations

import numpy as np


MODEL_NAME = "chart-type"
CLASSES = ("v_bar", "h_bar", "grouped_bar", "line", "scatter", "pie", "other")
THUMB_W, THUMB_H = 128, 96


def preprocess(rgb: np.ndarray) -> np.ndarray:
    """HxWx3 uint8 RGB -> 1x3x96x128 float32 in [0,1] (area-resampled)."""
    import cv2

    th = cv2.resize(rgb, (THUMB_W, THUMB_H), interpolation=cv2.INTER_AREA)
    x = th.astype(np.float32).transpose(2, 0, 1) / 255.0
    return x[None]


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=-1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=-1, keepdims=True)


def classify(rgb: np.ndarray, cancel=None) -> dict:
    """{"type": name, "confidence": p, "probs": {name: p}} from the shipped `chart-type` model."""
    from inference.runtime.registry import get_registry

    sess = get_registry().session(MODEL_NAME)
    out = sess.run({"image": preprocess(rgb)}, cancel=cancel)
    logits = np.asarray(out["logits"], dtype=np.float64)[0]
    p = _softmax(logits)
    k = int(p.argmax())
    return {"type": CLASSES[k], "confidence": float(p[k]),
            "probs": {c: float(v) for c, v in zip(CLASSES, p)}, "provider": sess.provider}
