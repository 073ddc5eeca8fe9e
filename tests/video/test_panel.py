"""The video panel through qtbot: index a folder with bad files, search, preview, export, evaluate."""
from __future__ import annotations

import csv
import math
import time

import pytest

pytest.importorskip("PySide6")

from app.context import AppContext  # noqa: E402
from app.jobs import JobManager  # noqa: E402
from app.settings import Settings  # noqa: E402

from .conftest import needs_models  # noqa: E402

pytestmark = [pytest.mark.gui, needs_models]


@pytest.fixture
def panel(qtbot, tmp_path):
    from app.panels.video import Panel
    jobs = JobManager()
    failures = []
    jobs.job_failed.connect(lambda j, f: failures.append(f))
    settings = Settings(tmp_path / "gui.ini")
    settings.set_value("video/db", str(tmp_path / "lib.db"))
    p = Panel(AppContext(settings, jobs))
    p.failures = failures
    qtbot.addWidget(p)
    p.resize(1300, 800)
    yield p
    jobs.shutdown(10000)


def _idle(qtbot, panel, timeout=120000):
    qtbot.waitUntil(lambda: not panel.ctx.jobs.jobs, timeout=timeout)


def test_index_search_preview_export(qtbot, panel, mixed_folder, tmp_path):
    with qtbot.waitSignal(panel.index_done, timeout=120000) as sig:
        panel.open_file(str(mixed_folder))
    res = sig.args[0]
    assert len(res["report"]["indexed"]) == 3
    assert panel.skipped_list.count() == 4
    assert any("empty" in panel.skipped_list.item(i).text() for i in range(4))
    _idle(qtbot, panel)
    panel.query.setText("a shape moves to the right")
    with qtbot.waitSignal(panel.search_done, timeout=60000):
        panel.search_btn.click()
    assert panel.grid.count() == 3
    assert "score" in panel.grid.item(0).text()
    assert panel.direction.fwd.format() != ""
    qtbot.waitUntil(lambda: panel.preview.pixmap() is not None and not panel.preview.pixmap().isNull(), timeout=30000)
    # threshold hides weak hits; CSV export writes what is shown
    t = math.floor(max(h["score"] for h in panel.hits) * 100) / 100
    panel.threshold.setValue(t)
    expected = sum(h["score"] >= t for h in panel.hits)
    assert panel.grid.count() == expected >= 1
    panel.threshold.setValue(1.0)
    assert panel.grid.count() == 0
    panel.threshold.setValue(t)
    out = tmp_path / "hits.csv"
    assert panel.export_csv(str(out)) == expected
    rows = list(csv.reader(out.open()))
    assert rows[0][:4] == ["rank", "path", "start_s", "end_s"] and len(rows) == expected + 1
    assert not panel.failures


def test_pause_resume_cancel(qtbot, panel, synth_dir):
    panel.add_folder(str(synth_dir), index=False)
    panel.start_indexing()
    panel.pause_btn.setChecked(True)
    assert panel.index_status.text() == "paused"
    time.sleep(0.3)
    panel.pause_btn.setChecked(False)
    panel.cancel_indexing()
    _idle(qtbot, panel)
    assert panel.index_btn.isEnabled() and not panel.cancel_btn.isEnabled()


def test_evaluation_tab_shows_table_and_plot(qtbot, panel, synth_dir):
    panel.ann_edit.setText(str(synth_dir / "test.json"))
    panel.vid_edit.setText(str(synth_dir))
    panel.limit_box.setValue(14)
    with qtbot.waitSignal(panel.eval_done, timeout=120000) as sig:
        panel.eval_btn.click()
    res = sig.args[0]
    assert set(res) == {"video-temporal", "video-meanpool"}
    assert res["video-meanpool"]["binary"]["t2v_acc"] == 0.5
    assert panel.eval_table.rowCount() == 10
    assert len(panel.plot.getPlotItem().items) >= 2


def test_bad_eval_input_is_reported(qtbot, panel, tmp_path):
    panel.ann_edit.setText(str(tmp_path / "missing.json"))
    panel.vid_edit.setText(str(tmp_path))
    panel.eval_btn.click()
    _idle(qtbot, panel)
    assert "not found" in panel.last_error and panel.failures
