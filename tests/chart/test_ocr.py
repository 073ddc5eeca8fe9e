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


def test_recogniser_slips_and_units_that_labels_share():
    """'LidI' is 'Lidl', '20o4' is '2004'; a number with a unit word that three or more labels share is a number
    (Our World in Data's '0.2 GPI', '11.8 years'), a unit only two labels carry stays text."""
    from inference.chart.ocr import TextBox, _shared_units, clean_text
    assert clean_text("LidI 6.3%") == "Lidl 6.3%" and clean_text("20o4") == "2004"
    assert clean_text("iPhone") == "iPhone" and clean_text("World War II") == "World War II"
    assert clean_text("AppIe") == "Apple" and clean_text("UrbanImports") == "UrbanImports"   # a glued word keeps it

    def tb(t):
        return TextBox(t, 0.9, np.array([[0, 0], [10, 0], [10, 5], [0, 5]], float), None)
    ticks = [tb(t) for t in ("0 GPI", "0.2 GPI", "0.4 GPI", "1 GPI", "2 years", "5 years")]
    _shared_units(ticks)
    assert [t.value for t in ticks] == [0.0, 0.2, 0.4, 1.0, None, None]
