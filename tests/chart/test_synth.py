"""The generator writes ChartQA's layout, with disjoint train / held-out / fresh styles."""
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


def test_fresh_pool_is_disjoint_and_renders(tmp_path):
    import matplotlib.font_manager as fm

    fresh = STYLE_POOLS["fresh"]
    for other in ("train", "heldout"):
        for key in ("fonts", "sizes", "dpi", "fontsize"):
            assert not set(map(str, fresh[key])) & set(map(str, STYLE_POOLS[other][key])), (other, key)
        assert not {tuple(p) for p in fresh["palettes"]} & {tuple(p) for p in STYLE_POOLS[other]["palettes"]}
        assert not {c for p in fresh["palettes"] for c in p} & {c for p in STYLE_POOLS[other]["palettes"] for c in p}
    # themes shared with other pools only ever meet new sizes / dpi / font sizes (checked above); one is new
    assert set(fresh["themes"]) - set(STYLE_POOLS["train"]["themes"]) - set(STYLE_POOLS["heldout"]["themes"])
    for font in fresh["fonts"]:  # a real face, not matplotlib's silent fallback to DejaVu Sans
        path = fm.findfont(fm.FontProperties(family=font), fallback_to_default=False)
        assert "DejaVuSans.ttf" not in path, font
    rep = synthesize(tmp_path, 2, seed=3, split="test", styles="fresh", types=["h_bar", "v_bar"])
    assert rep["styles"] == "fresh" and rep["templates"] == "heldout" and rep["questions"] > 0
    for p in sorted((tmp_path / "test" / "annotations").glob("*.json")):
        ann = json.loads(p.read_text())
        assert ann["style"]["font"] in fresh["fonts"] and ann["style"]["dpi"] in fresh["dpi"]
        assert (tmp_path / "test" / "png" / f"{p.stem}.png").stat().st_size > 1000
