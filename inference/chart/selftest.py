"""Chart panel self-test (for `mmwb --self-test`): render a bar chart with value labels, read it with OCR and
the shipped chart-type model, check the table against the truth (RMS-F1), and answer a question."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from inference.runtime.errors import WorkbenchError


def run(work: Path) -> str:
    from .metrics import rms
    from .qa import answer
    from .reader import read_chart
    from .synth import random_spec, render

    spec = random_spec(np.random.default_rng(4242), "selftest", ctype="v_bar", styles="train")
    spec.value_labels = True
    png = work / "chart.png"
    render(spec, png)
    reading = read_chart(str(png))
    f1 = rms(spec.table().to_rows(), reading.table.to_rows())["f1"]
    if f1 < 0.8:
        raise WorkbenchError(f"chart: the table read back scores RMS-F1 {f1:.2f} against the truth")
    s = spec.series[0]
    ans = answer(reading.table, f"Which {spec.x_label or 'category'} has the highest {s}?")
    truth = spec.categories[int(np.argmax([row[0] for row in spec.values]))]
    if ans.text.strip().lower() != truth.strip().lower():
        raise WorkbenchError(f"chart: highest {s} answered '{ans.text}', truth '{truth}'")
    return (f"{reading.chart_type} read with OCR, {len(reading.table.categories)} rows, RMS-F1 {f1:.2f}; "
            f"'highest {s}' -> {ans.text}")
