"""The chart panel through qtbot: first run (intro, "Try a sample"), open a chart, see overlay + table, ask, edit,
calibrate, export, bad files."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("PySide6")

from PySide6.QtCore import Qt  # noqa: E402


from .conftest import needs_type_model  # noqa: E402

from tests.conftest import wait_idle  # noqa: E402

pytestmark = pytest.mark.gui


@pytest.fixture
def panel(make_panel):
    from app.panels.chart import ChartPanel

    return make_panel(ChartPanel, (1300, 800))

def _first(charts, ctype):
    for a in sorted((charts / "annotations").glob("*.json")):
        if json.loads(a.read_text())["chart_type"] == ctype:
            return charts / "png" / f"{a.stem}.png"
    raise AssertionError(ctype)


@needs_type_model
def test_open_ask_edit_export(qtbot, panel, charts, tmp_path):
    png = _first(charts, "v_bar")
    panel.open_file(str(png))
    wait_idle(qtbot, panel, 90000)
    assert panel.reading is not None, panel.last_error
    n = len(panel.table.categories)
    assert panel.table_w.rowCount() == n and panel.table_w.columnCount() == 2
    assert any(t.startswith("mark:") for t in panel.view.tags()) and "plot" in panel.view.tags()
    assert panel.summary.toPlainText().strip()
    # a question: answer shown and its evidence highlighted on the image
    panel.question.setText("Which category has the highest value?")
    panel.ask()
    a = panel.last_answer
    assert a is not None and a.kind == "argmax"
    best = max(range(n), key=lambda r: panel.table.values[r][0])
    assert a.text == panel.table.categories[best]
    assert panel.view.highlight({f"mark:{best}:0"}) == 1
    # editing a cell updates the answer
    low = min(range(n), key=lambda r: panel.table.values[r][0])
    panel.table_w.item(low, 1).setText("1e9")
    assert panel.last_answer.text == panel.table.categories[low]
    # export
    panel.export_csv(str(tmp_path / "t.csv"))
    panel.export_json(str(tmp_path / "t.json"))
    assert "1000000000" in (tmp_path / "t.csv").read_text()
    d = json.loads((tmp_path / "t.json").read_text())
    assert d["question"]["answer"] == panel.table.categories[low] and d["marks"]


@needs_type_model
def test_manual_calibration_from_clicks(qtbot, panel, charts):
    png = _first(charts, "v_bar")
    panel.open_file(str(png))
    wait_idle(qtbot, panel, 90000)
    c = panel.reading.calibration["y"]
    before = [m.pixel_value for m in panel.reading.marks]
    panel.cal_axis.setCurrentText("y")
    panel._start_pick()
    assert panel.view.pick_mode()
    panel.view.point_picked.emit(10.0, c.p1)
    panel.view.point_picked.emit(10.0, c.p2)
    assert not panel.view.pick_mode()
    panel.cal_v1.setText(str(2 * c.v1))
    panel.cal_v2.setText(str(2 * c.v2))
    panel.cal_log.setChecked(c.log)
    panel.apply_calibration()
    wait_idle(qtbot, panel, 90000)
    assert panel.reading.calibration["y"].source == "manual"
    after = [m.pixel_value for m in panel.reading.marks]
    assert after == pytest.approx([2 * v for v in before], rel=0.03, abs=0.05)


def test_tiny_image_shows_a_clear_error(qtbot, panel, tmp_path):
    from PIL import Image

    Image.new("RGB", (1, 1), "white").save(tmp_path / "one.png")
    panel.open_file(str(tmp_path / "one.png"))
    wait_idle(qtbot, panel, 90000)
    assert "too small" in panel.last_error
    assert not panel.error_label.isHidden() and panel.error_label.text().startswith("error: image too small")
    assert panel.reading is None and panel.table_w.rowCount() == 0
    assert panel.read_btn.isEnabled()  # idle again: the file can be read again
    assert [f.message for f in panel.failures] == [panel.last_error]  # the manager reported it once


@needs_type_model
def test_intro_and_try_a_sample(qtbot, panel):
    """The empty panel says what it does; "Try a sample" opens the shipped chart and its table appears."""
    intro = panel.intro_widget()
    assert not intro.isHidden() and panel.reading is None
    assert "chart" in panel.intro_hint().lower()
    qtbot.mouseClick(panel.sample_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, panel, 90000)
    assert panel.reading is not None, panel.last_error
    assert intro.isHidden()
    assert panel.path.endswith("bars.png")
    cells = [[panel.table_w.item(r, c).text() for c in range(2)] for r in range(panel.table_w.rowCount())]
    assert cells == [["Jan", "8616"], ["Feb", "8282"], ["Mar", "2385"], ["Apr", "3660"], ["May", "8799"]]
    assert panel.read_btn.isEnabled() and panel.csv_btn.isEnabled() and panel.json_btn.isEnabled()
    assert "May" in panel.summary.toPlainText()


@needs_type_model
def test_a_bad_cell_edit_is_refused_and_shown(qtbot, panel):
    panel.open_file(str(panel.panel_info.sample_path()))
    wait_idle(qtbot, panel, 90000)
    before = [list(r) for r in panel.table.values]
    panel.table_w.item(0, 1).setText("lots")
    assert panel.table.values == before and panel.table_w.item(0, 1).text() == "8616"
    assert "not a number" in panel.last_error and not panel.error_label.isHidden()
    panel.table_w.item(0, 1).setText("9000")
    assert panel.table.values[0][0] == 9000 and panel.last_error == ""


def test_overlay_widget_pick_and_highlight(qtbot):
    import numpy as np
    from PySide6.QtCore import QPoint, Qt

    from app.widgets.image_overlay import ImageOverlay

    v = ImageOverlay()
    qtbot.addWidget(v)
    v.resize(400, 300)
    v.show()
    v.set_image(np.full((100, 200, 3), 255, np.uint8))
    v.add_box(10, 10, 50, 50, "#ff0000", "12", tag="a")
    v.add_point(100, 50, "#00ff00", "p", tag="b")
    assert v.tags() == {"a", "b"}
    assert v.highlight({"a"}) == 1
    z = v.zoom
    v.zoom_by(2.0)
    assert v.zoom == pytest.approx(2 * z)
    v.fit()
    v.set_pick_mode(True)
    got = []
    v.point_picked.connect(lambda x, y: got.append((x, y)))
    centre = v.mapFromScene(100.0, 50.0)
    qtbot.mouseClick(v.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(centre.x(), centre.y()))
    assert got and abs(got[0][0] - 100) < 3 and abs(got[0][1] - 50) < 3
    v.clear_overlays()
    assert not v.tags()


def test_dialogs_start_in_home_or_the_last_folder_with_the_panels_filters(panel, monkeypatch, tmp_path):
    from pathlib import Path

    from PySide6.QtWidgets import QFileDialog

    seen = []
    monkeypatch.setattr(QFileDialog, "getOpenFileName",
                        staticmethod(lambda parent, caption, start, flt: (seen.append((start, flt)), ("", ""))[1]))
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda parent, caption, start, flt: (seen.append((start, flt)), ("", ""))[1]))
    panel._choose_file()
    panel._load_calibration()
    panel._export_csv()
    repo = Path(__file__).resolve().parents[2]
    assert seen[0] == (str(Path.home()), panel.file_filter("image", "Images")) and "*.png" in seen[0][1]
    assert seen[1][0] == str(Path.home()) and seen[2] == (str(Path.home() / "chart.csv"), "CSV (*.csv)")
    assert all(not s.startswith(str(repo)) for s, _ in seen)  # never the install folder


@needs_type_model
def test_picture_first_then_overlay_and_uncertain_badges(qtbot, panel, charts):
    """The picture shows the moment the chart is opened; the overlay follows; an uncertain reading gets the amber
    badges with a tooltip saying why."""
    png = _first(charts, "line")
    panel.open_file(str(png))
    # the picture arrives from its own quick job, long before the reading (OCR) ends
    qtbot.waitUntil(lambda: panel.view.has_image(), timeout=20000)
    assert panel.reading is None and not any(t.startswith("mark:") for t in panel.view.tags())
    wait_idle(qtbot, panel, 90000)
    assert panel.reading is not None and panel.conf is not None
    assert any(t.startswith("mark:") for t in panel.view.tags())
    assert panel.table_badge.isVisibleTo(panel) == panel.conf.uncertain
    assert f"{panel.conf.value:.2f}" in panel.table_conf_label.text()
    # force doubt: a reading whose confidence is low shows the badges and says why
    from inference.chart.confidence import Confidence

    panel.conf = Confidence(0.2, ["only 2 y-axis tick labels"], 0.3, {})
    panel._show_table_confidence()
    panel._update_summary()
    panel.question.setText("What is the highest value?")
    panel.ask()
    for b in (panel.table_badge, panel.summary_badge, panel.answer_badge):
        assert b.isVisibleTo(panel) and "uncertain" in b.toolTip() and "tick labels" in b.toolTip()
    # a question whose answer would be a header word is refused in words
    panel.table.categories[:] = ["Year"] * len(panel.table.categories)
    panel.question.setText("Which year has the highest value?")
    panel.ask()
    assert panel.answer_label.text().startswith("<b>I can't answer this from what I read")


def test_a_file_that_cannot_be_opened_loses_nothing(qtbot, panel, charts, tmp_path):
    """A broken file: the previous chart, its table and exports stay, and the panel says which chart is shown."""
    good = _first(charts, "v_bar")
    panel.open_file(str(good))
    wait_idle(qtbot, panel, 90000)
    rows, reading = panel.table_w.rowCount(), panel.reading
    assert reading is not None and rows > 0 and panel.csv_btn.isEnabled()
    bad = tmp_path / "broken.png"
    bad.write_bytes(b"not a picture")
    panel.open_file(str(bad))
    wait_idle(qtbot, panel, 90000)
    assert "not a readable image" in panel.last_error
    assert panel.reading is reading and panel.table_w.rowCount() == rows and panel.csv_btn.isEnabled()
    assert panel.path == str(good) and panel.status.text() == f"broken.png was not opened; still showing {good.name}"


@needs_type_model
def test_a_picture_that_is_no_chart_leaves_nothing_of_the_previous_chart(qtbot, panel, charts, tmp_path):
    """The new picture is shown, so the old table, summary and exports go; the error says it is no chart."""
    import numpy as np
    from PIL import Image

    panel.open_file(str(_first(charts, "v_bar")))
    wait_idle(qtbot, panel, 90000)
    noise = tmp_path / "noise.png"
    Image.fromarray((np.random.default_rng(0).random((300, 400, 3)) * 255).astype("uint8")).save(noise)
    panel.open_file(str(noise))
    wait_idle(qtbot, panel, 90000)
    assert "does not look like a chart" in panel.last_error
    assert panel.reading is None and panel.table is None and panel.table_w.rowCount() == 0
    assert panel.summary.toPlainText() == "" and not panel.csv_btn.isEnabled() and not panel.json_btn.isEnabled()
