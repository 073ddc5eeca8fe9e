"""Help ▸ Models: the model table and, for manifests with a "card", the model card."""
from __future__ import annotations

import json

import pytest

from tests.conftest import REPO

MAN = {"name": "toy", "task": "t", "description": "a toy model",
       "metrics": {"acc": 0.875, "dataset": "toy set"},
       "card": {"knows": ["red squares"], "does_not_know": ["people, animals, vehicles"],
                "figures": {"accuracy": "metrics.acc", "size": "12 MB"}, "figures_on": "metrics.dataset"},
       "calibration": {"strong": 0.7, "weak": 0.5, "direction_margin": 0.03, "fitted_on": "held-out toys"},
       "calibrated_by": "mmwb toy calibrate"}
ROWS = [{"name": "toy", "task": "t", "ok": True, "error": None, "load_s": 0.01, "parts": {}},
        {"name": "plain", "task": "t", "ok": True, "error": None, "load_s": 0.02, "parts": {}}]


def test_card_html_reads_figures_from_the_manifest():
    from app.dialogs import card_html
    text = card_html(MAN)
    assert "red squares" in text and "people, animals, vehicles" in text and "87.5%" in text and "12 MB" in text
    assert "toy set" in text and "strong at score ≥ 0.700" in text and "mmwb toy calibrate" in text
    assert card_html({"name": "plain"}) == ""


@pytest.mark.gui
def test_models_dialog_shows_the_selected_models_card(qtbot):
    from app.dialogs import ModelsDialog
    d = ModelsDialog(ROWS, manifests={"toy": MAN, "plain": {"name": "plain"}})
    qtbot.addWidget(d)
    assert d.table.item(0, 5).text() == "yes" and d.table.item(1, 5).text() == "—"
    assert "red squares" in d.card.toPlainText()
    d.table.setCurrentCell(1, 0)
    assert "has no model card" in d.card.toPlainText()


@pytest.mark.gui
def test_video_models_have_cards(qtbot):
    from app.dialogs import ModelsDialog
    raw = {n: json.loads((REPO / "resources" / "models" / f"{n}.json").read_text())
           for n in ("video-temporal", "video-meanpool")}
    rows = [{"name": n, "task": "video-text-retrieval", "ok": True, "error": None, "load_s": 0.1, "parts": {}}
            for n in raw]
    d = ModelsDialog(rows, manifests=raw)
    qtbot.addWidget(d)
    text = d.card.toPlainText()
    assert "video-temporal" in text and "people, animals, vehicles" in text and "Binary text→video" in text
    binary = raw["video-temporal"]["metrics"]["binary"]["t2v_acc"]
    assert f"{100 * binary:.1f}%" in text  # the measured figure, read from the manifest's metrics
    assert "Match strength" in text and "calibrate" in text
    d.table.setCurrentCell(1, 0)
    assert "order-blind" in d.card.toPlainText()
