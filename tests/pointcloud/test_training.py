"""The training command's --smoke mode (what CI runs); skipped without torch."""
from __future__ import annotations

import json

import pytest

torch = pytest.importorskip("torch")


def test_train_smoke(tmp_path):
    from training.pointcloud.train import main
    assert main(["--smoke", "--out", str(tmp_path / "run"), "--threads", "1"]) == 0
    state = torch.load(tmp_path / "run" / "last.pt", weights_only=False)
    assert state["step"] == 2 and set(state["models"]) == {"multimodal", "points_only"}
    h = json.loads((tmp_path / "run" / "history.json").read_text())
    assert all(v > 0 for v in (h["history"][-1]["multimodal"], h["history"][-1]["points_only"]))


def test_models_share_everything_but_the_image_branch():
    from training.pointcloud.train import build
    mm, po = build("multimodal", 0), build("points_only", 0)
    mm_keys = {k for k in mm.state_dict() if not k.startswith(("image.", "cross."))}
    assert mm_keys == set(po.state_dict())
    assert any(k.startswith("cross.") for k in mm.state_dict())
