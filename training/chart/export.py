"""Export the chart-type classifier to ONNX, check it against torch, and write its manifest."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import torch
from torch import nn

from inference.chart.model import CLASSES, THUMB_H, THUMB_W


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
