"""inference.chart.api without Qt: what the panel runs as a job and what it shows, computed outside the panel."""
from __future__ import annotations

import json

import pytest

from inference import panels
from inference.chart import api, io
from inference.chart.axes import Calibration
from inference.chart.qa import answer
from inference.chart.table import Table
from inference.runtime.errors import InputError

from .conftest import needs_type_model

SAMPLE = panels.get("chart").sample_path()


def test_file_kinds_route_images_to_the_chart_panel():
    assert set(io.FILE_KINDS) == {"image"}
    assert {".png", ".jpg", ".jpeg"} <= set(io.FILE_KINDS["image"])
    assert panels.get("chart") in panels.panels_for("some/chart.PNG")
    assert panels.get("chart") not in panels.panels_for("some/clip.mp4")


@pytest.fixture(scope="module")
def sample_read():
    """(rgb, reading) of the shipped sample, read once for the module."""
    return api.load_and_read(str(SAMPLE))


@needs_type_model
def test_load_and_read_the_sample_reports_progress_and_reads_the_table(sample_read):
    seen = []
    rgb, reading = api.load_and_read(str(SAMPLE), progress=lambda f, m="": seen.append(f))
    assert rgb.ndim == 3 and rgb.shape[2] == 3 and reading.chart_type == "v_bar"
    assert reading.table.categories == ["Jan", "Feb", "Mar", "Apr", "May"]
    assert [r[0] for r in reading.table.values] == [8616, 8282, 2385, 3660, 8799]
    assert seen and seen[-1] == 1.0
    text = api.describe_reading(reading)
    assert text.startswith("v_bar (p=") and "5 marks (5 from printed value labels)" in text
    assert api.describe_calibration(reading).startswith("y: linear (ocr, ")


def test_load_and_read_is_cancellable():
    from inference.runtime.errors import Cancelled

    with pytest.raises(Cancelled):
        api.load_and_read(str(SAMPLE), is_cancelled=lambda: True)


@needs_type_model
def test_overlay_shapes_follow_the_edited_table(sample_read):
    _rgb, reading = sample_read
    table = reading.table.copy()
    shapes = api.overlay_shapes(reading, table)
    roles = {s.role for s in shapes}
    assert roles == {"plot", "tick", "tick_label", "mark"}  # text boxes only when asked for
    marks = {s.tag: s for s in shapes if s.role == "mark"}
    assert set(marks) == {f"mark:{r}:0" for r in range(5)}
    assert marks["mark:0:0"].label == "8616*"  # '*': read from the printed label
    api.edit_cell(table, 0, 1, "1,000")
    assert {s.tag: s for s in api.overlay_shapes(reading, table)}["mark:0:0"].label == "1000*"
    x0, y0, x1, y1 = reading.plot_area
    tick = next(s for s in shapes if s.role == "tick")
    assert tick.kind == "line" and tick.coords[0] == x0 - 10 and tick.coords[2] == x0 + 6
    assert len([s for s in api.overlay_shapes(reading, table, show_texts=True) if s.role == "text"]) == \
        len(reading.texts) > 0
    a = answer(table, "Which month has the lowest value?")
    assert a.text == "Jan"  # 1000 now: the lowest
    assert api.evidence_tags(a) == {"mark:0:0"}


def test_edit_cell_and_manual_axis():
    t = Table(["Year", "Sales"], ["2019", "2020"], [[1.0], [2.0]])
    api.edit_cell(t, 1, 1, "3.5")
    api.edit_cell(t, 0, 0, "  2018 ")
    api.edit_cell(t, 0, 1, "")
    assert t.categories == ["2018", "2020"] and t.values == [[None], [3.5]]
    with pytest.raises(InputError, match="not a number"):
        api.edit_cell(t, 1, 1, "lots")
    assert t.values == [[None], [3.5]]
    c = api.manual_axis("y", 400, "0", 100, "1,000")
    assert c.source == "manual" and c.value(250) == pytest.approx(500)
    with pytest.raises(InputError, match="number for both"):
        api.manual_axis("y", 400, "zero", 100, "10")
    with pytest.raises(InputError, match="same pixel"):
        api.manual_axis("y", 100, "0", 100, "10")
    assert isinstance(Calibration(y=c).to_json()["y"], dict)


@needs_type_model
def test_exports_write_the_edited_table_and_the_answer(sample_read, tmp_path):
    _rgb, reading = sample_read
    table = reading.table.copy()
    api.edit_cell(table, 2, 1, "1e9")
    a = answer(table, "Which month has the highest value?")
    api.write_table_csv(tmp_path / "t.csv", table)
    api.write_reading_json(tmp_path / "r.json", reading, table, "a summary", "Which month…?", a)
    assert "Mar,1000000000" in (tmp_path / "t.csv").read_text()
    d = json.loads((tmp_path / "r.json").read_text())
    assert a.text == "Mar" and d["question"]["text"] == "Which month…?"
    assert d["question"]["answer"] == "Mar" and d["question"]["evidence"] == [[2, 1]]
    assert d["summary"] == "a summary" and d["table"]["values"][2] == [1e9] and len(d["marks"]) == 5
    assert "question" not in api.reading_json(reading, table, "s")
    with pytest.raises(InputError, match="cannot write"):
        api.write_table_csv(tmp_path / "no" / "such" / "dir" / "t.csv", table)
