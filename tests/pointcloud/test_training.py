"""The training command's --smoke mode (what CI runs); skipped without torch."""
from __future__ import annotations

import json

import pytest

torch = pytest.importorskip("torch")


@pytest.mark.slow
def test_train_smoke(tmp_path):
    from training.pointcloud.train import main
    # the shipped models are trained with --pixel (pixel-aligned image features in the multimodal one)
    assert main(["--smoke", "--pixel", "--out", str(tmp_path / "run"), "--threads", "1"]) == 0
    state = torch.load(tmp_path / "run" / "last.pt", weights_only=False)
    assert state["step"] == 2 and set(state["models"]) == {"multimodal", "points_only"}
    h = json.loads((tmp_path / "run" / "history.json").read_text())
    assert all(v > 0 for v in (h["history"][-1]["multimodal"], h["history"][-1]["points_only"]))
    assert state["args"]["pixel"] is True


@pytest.mark.parametrize("pixel", [False, True])
def test_models_share_everything_but_the_image_branch(pixel):
    from training.pointcloud.train import build
    mm, po = build("multimodal", 0, pixel), build("points_only", 0, pixel)
    mm_keys = {k for k in mm.state_dict() if not k.startswith(("image.", "cross."))}
    assert mm_keys == set(po.state_dict())
    assert any(k.startswith("cross.") for k in mm.state_dict())
    assert any(k.startswith("image.pixel.") for k in mm.state_dict()) == pixel
    assert not po.pixel


def test_surface_loss_is_zero_on_the_surface_and_counts_only_off_surface_error():
    from training.pointcloud.train import surface_loss
    pts = torch.zeros(1, 4, 3)
    n = torch.tensor([0.0, 0.0, 1.0]).expand(1, 4, 3)
    loss, dist = surface_loss(pts, pts, pts, n)
    assert float(loss) == pytest.approx(0, abs=1e-4) and float(dist) == 0
    lifted = pts + torch.tensor([0.0, 0.0, 0.01])
    loss, dist = surface_loss(lifted, lifted, pts, n)   # 1 cm above the plane, not moved
    assert float(dist) == pytest.approx(0.01)
    slid = pts + torch.tensor([0.02, 0.0, 0.0])
    loss, dist = surface_loss(slid, pts, pts, n)        # moved along the plane: only the small penalty
    assert float(dist) == 0 and float(loss) == pytest.approx(0.1 * 0.02, rel=1e-3)


def test_batches_are_deterministic_in_seed_and_step():
    from training.pointcloud.data import make_batch
    a, b = (make_batch(3, 7, 1, render_points=3000) for _ in range(2))
    c = make_batch(4, 7, 1, render_points=3000)
    assert a["level"] == b["level"] and torch.equal(a["points"], b["points"]) and torch.equal(a["target"], b["target"])
    assert a["points"].shape[0] == 1 and a["target"].shape == a["points"].shape
    assert not (a["points"].shape == c["points"].shape and torch.equal(a["points"], c["points"]))
