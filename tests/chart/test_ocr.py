"""OCR: rapidocr 3.x runs on the installed onnxruntime-gpu (no plain onnxruntime pulled in) and reads a chart."""
from __future__ import annotations

from importlib import metadata

import numpy as np
import pytest

from inference.chart.ocr import read_text


def test_rapidocr_does_not_pull_plain_onnxruntime():
    reqs = [r.split(";")[0].strip().lower() for r in (metadata.requires("rapidocr") or [])]
    names = {r.split(">")[0].split("<")[0].split("=")[0].split("!")[0].strip() for r in reqs}
    assert "onnxruntime" not in names and "rapidocr-onnxruntime" not in names
    try:
        metadata.version("onnxruntime")
        plain = True
    except metadata.PackageNotFoundError:
        plain = False
    if plain and _has("onnxruntime-gpu"):
        pytest.fail("both onnxruntime and onnxruntime-gpu are installed: they share one module")


def _has(dist):
    try:
        metadata.version(dist)
        return True
    except metadata.PackageNotFoundError:
        return False


def test_reads_numbers_minus_signs_and_vertical_titles(tmp_path):
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from inference.chart.io import load_image

    fig, ax = plt.subplots(figsize=(6.4, 4.8), dpi=100)
    ax.bar(["Apr", "May", "Jun"], [1200, -900, 2310], color="#1f77b4")
    ax.set_ylabel("Revenue in USD")
    ax.set_title("Sales by month")
    fig.savefig(tmp_path / "c.png")
    plt.close(fig)
    boxes = read_text(load_image(tmp_path / "c.png"))
    texts = {b.text for b in boxes}
    assert {"Apr", "May", "Jun", "Sales by month"} <= texts
    assert any(b.value is not None and b.value < 0 for b in boxes)  # '−500' read as -500
    assert any(b.role == "vertical" and "Revenue" in b.text for b in boxes)
    assert all(np.isfinite(b.cx) for b in boxes)
