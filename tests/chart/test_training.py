"""Training the chart-type classifier: its data module, and a smoke run (marked slow: torch and rendering)."""
from __future__ import annotations

import json

import numpy as np
import pytest

@pytest.mark.slow
def test_training_smoke(tmp_path):
    pytest.importorskip("torch")
    from training.chart.train import main as train_main

    assert train_main(["--smoke", "--out", str(tmp_path)]) == 0
    man = json.loads((tmp_path / "chart-type.json").read_text())
    assert man["name"] == "chart-type" and len(man["sha256"]) == 64
    assert man["trained_by"] == "python -m training.chart.train --smoke" and man["metrics"]["smoke"] is True
    assert (tmp_path / "chart-type.onnx").stat().st_size < 5_000_000
    assert not (tmp_path / "_smoke_data").exists()  # the rendered charts are removed


def test_data_thumbnails_match_inference_preprocessing(tmp_path):
    """training.chart.data makes its thumbnails with inference's own preprocess (no drift between the two)."""
    pytest.importorskip("torch")
    from inference.chart.model import CLASSES, THUMB_H, THUMB_W, preprocess
    from inference.chart.synth import synthesize
    from training.chart.data import add_negatives, load_split

    synthesize(tmp_path, 2, seed=5, split="train", styles="train", types=["pie", "line"], questions_per_chart=0)
    x, y = load_split(tmp_path / "train")
    assert x.shape == (2, 3, THUMB_H, THUMB_W) and x.dtype == np.uint8
    assert sorted(CLASSES[i] for i in y) == ["line", "pie"]
    x2, y2 = add_negatives(x, y, 3, seed=1)
    assert len(x2) == 5 and list(y2[2:]) == [CLASSES.index("other")] * 3
    import cv2

    first = sorted((tmp_path / "train" / "png").glob("*.png"))[0]
    rgb = cv2.cvtColor(cv2.imread(str(first)), cv2.COLOR_BGR2RGB)
    assert np.array_equal(x[0], (preprocess(rgb)[0] * 255).astype(np.uint8))
