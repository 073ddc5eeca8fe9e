from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MODEL = REPO / "resources" / "models" / "chart-type.onnx"
needs_type_model = pytest.mark.skipif(not MODEL.exists(), reason="chart-type model not trained yet "
                                      "(python -m training.chart.train)")


@pytest.fixture(scope="session")
def charts(tmp_path_factory):
    """One synthetic chart of each type (train styles, fixed seed) in ChartQA's layout."""
    from inference.chart.synth import CHART_TYPES, synthesize

    out = tmp_path_factory.mktemp("charts")
    synthesize(out, len(CHART_TYPES), seed=11, split="val", styles="train")
    return out / "val"
