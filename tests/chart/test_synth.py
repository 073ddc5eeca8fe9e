"""The generator writes ChartQA's layout, with disjoint train / held-out styles."""
from __future__ import annotations

import json

from inference.chart.synth import STYLE_POOLS, synthesize
from inference.chart.table import Table


def test_layout(charts):
    pngs = sorted((charts / "png").glob("*.png"))
    assert len(pngs) == 6
    for p in pngs:
        assert (charts / "tables" / f"{p.stem}.csv").exists()
        ann = json.loads((charts / "annotations" / f"{p.stem}.json").read_text())
        assert ann["type"] in ("v_bar", "h_bar", "line", "pie", "scatter")
        assert {"models", "general_figure_info", "plot_bbox", "summary"} <= set(ann)
        t = Table.read_csv(charts / "tables" / f"{p.stem}.csv")
        assert len(t.categories) == len(ann["models"][0]["y"])
    qs = json.loads((charts / "val_augmented.json").read_text())
    assert all({"imgname", "query", "label"} <= set(q) for q in qs)
    assert (charts / "val_summaries.json").exists()


def test_styles_are_disjoint_and_deterministic(tmp_path):
    for key in ("fonts", "sizes", "dpi"):
        assert not set(map(str, STYLE_POOLS["train"][key])) & set(map(str, STYLE_POOLS["heldout"][key]))
    assert not {tuple(p) for p in STYLE_POOLS["train"]["palettes"]} & {tuple(p) for p in STYLE_POOLS["heldout"]["palettes"]}
    a = synthesize(tmp_path / "a", 2, seed=5, split="test")
    b = synthesize(tmp_path / "b", 2, seed=5, split="test")
    assert a["styles"] == "heldout"
    ta = (tmp_path / "a" / "test" / "tables").glob("*.csv")
    for p in ta:
        assert p.read_text() == (tmp_path / "b" / "test" / "tables" / p.name).read_text()
