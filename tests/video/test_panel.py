"""The video panel through qtbot: index a folder with bad files, search, preview, export, evaluate; pause,
resume and cancel an indexing run."""
from __future__ import annotations

import csv
import math

import pytest

pytest.importorskip("PySide6")

from tests.conftest import wait_idle  # noqa: E402

from .conftest import needs_models  # noqa: E402

pytestmark = [pytest.mark.gui, needs_models]


def test_index_search_preview_export(qtbot, video_panel, mixed_folder, tmp_path):
    panel = video_panel
    with qtbot.waitSignal(panel.index_done, timeout=120000) as sig:
        panel.open_file(str(mixed_folder))
    res = sig.args[0]
    assert len(res["report"]["indexed"]) == 3
    assert panel.skipped_list.count() == 4
    assert any("empty" in panel.skipped_list.item(i).text() for i in range(4))
    assert panel.index_status.text().startswith("3 indexed")
    wait_idle(qtbot, panel, 120000)
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
    assert not panel.failures and not panel.last_error and not panel.error_label.isVisibleTo(panel)


def test_pause_resume_cancel(qtbot, video_panel, synth_dir):
    """Paused, the run makes no progress and stays alive; resumed, it goes on; cancelled while paused, it
    ends at once with the finished files kept and the buttons back."""
    panel = video_panel
    panel.add_folder(str(synth_dir), index=False)
    panel.start_indexing()
    panel.pause_btn.setChecked(True)  # before the first file: the worker waits at its next step
    assert panel.index_status.text() == "paused"
    assert panel.is_busy and panel.pause_btn.isEnabled() and panel.cancel_btn.isEnabled()
    assert not panel.index_btn.isEnabled() and not panel.eval_btn.isEnabled()
    seen = []
    panel.index_job.signals.progress.connect(lambda f, m: seen.append(f))
    qtbot.wait(300)  # a progress signal sent just before pausing has arrived by now
    before = list(seen)
    qtbot.wait(1500)
    assert seen == before, "progress while paused"
    assert panel.index_job is not None and panel.index_job.state == "running"
    panel.pause_btn.setChecked(False)
    qtbot.waitUntil(lambda: len(seen) > len(before) and seen[-1] > 0, timeout=60000)  # resumed: it goes on
    panel.pause_btn.setChecked(True)
    qtbot.wait(300)
    assert seen[-1] < 1.0, "the run finished before it could be cancelled"
    with qtbot.waitSignal(panel.index_job.signals.cancelled, timeout=30000):
        panel.cancel_indexing()
    wait_idle(qtbot, panel)
    assert panel.index_status.text() == "cancelled (finished files kept)"
    assert panel.index_btn.isEnabled() and not panel.cancel_btn.isEnabled() and not panel.pause_btn.isEnabled()
    assert not panel.is_busy and not panel.failures
    from inference.video.api import library_stats
    kept = library_stats(panel.db_path)["files"]
    assert 1 <= kept < len(list(synth_dir.glob("*.mp4")))


def test_evaluation_tab_shows_table_and_plot(qtbot, video_panel, synth_dir):
    panel = video_panel
    panel.ann_edit.setText(str(synth_dir / "test.json"))
    panel.vid_edit.setText(str(synth_dir))
    panel.limit_box.setValue(14)
    with qtbot.waitSignal(panel.eval_done, timeout=120000) as sig:
        panel.eval_btn.click()
        assert panel.is_busy and not panel.eval_btn.isEnabled() and not panel.index_btn.isEnabled()
    res = sig.args[0]
    assert set(res) == {"video-temporal", "video-meanpool"}
    assert res["video-meanpool"]["binary"]["t2v_acc"] == 0.5
    assert panel.eval_table.rowCount() == 10
    assert len(panel.plot.getPlotItem().items) >= 2
    assert panel.eval_status.text().startswith("14 clips.")
    wait_idle(qtbot, panel)
    assert panel.eval_btn.isEnabled()


def test_bad_eval_input_is_reported_in_the_panel(qtbot, video_panel, tmp_path):
    panel = video_panel
    panel.ann_edit.setText(str(tmp_path / "missing.json"))
    panel.vid_edit.setText(str(tmp_path))
    panel.eval_btn.click()
    wait_idle(qtbot, panel)
    assert "not found" in panel.last_error and panel.failures
    assert panel.error_label.isVisibleTo(panel) and "not found" in panel.error_label.text()
    assert panel.eval_status.text() == ""  # no stale "evaluating…"
    assert panel.eval_btn.isEnabled()
    # an expected error: shown in the panel's error line, no dialog (the job asks the window for none)
    assert panel.failures[0].expected


def test_input_mistakes_use_the_error_line(qtbot, video_panel):
    panel = video_panel
    panel.run_search()  # no query typed
    assert "type a description" in panel.last_error and panel.error_label.isVisibleTo(panel)
    panel.start_indexing()  # no folder yet
    assert "add a folder" in panel.last_error
    for cb in panel.eval_models.values():
        cb.setChecked(False)
    panel.run_eval()
    assert "tick at least one model" in panel.last_error
    assert not panel.ctx.jobs.jobs  # nothing was started
