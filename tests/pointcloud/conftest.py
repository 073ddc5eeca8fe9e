"""Shared helpers for the point-cloud tests."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "resources" / "models"


def have_models() -> bool:
    return all((MODELS / f"{n}.json").exists() and (MODELS / f"{n}.onnx").exists()
               for n in ("pc-multimodal", "pc-points-only"))


needs_models = pytest.mark.skipif(not have_models(), reason="pc-* models are not exported yet")


@pytest.fixture
def sphere_cloud():
    rng = np.random.default_rng(0)
    d = rng.normal(size=(2048, 3))
    return d / np.linalg.norm(d, axis=1, keepdims=True)
