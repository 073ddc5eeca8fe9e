"""The main window: four panels, Jobs and Log docks, the provider in the status bar, bad models reported."""
from __future__ import annotations

import json
import logging

import pytest

from app.main_window import PANELS, MainWindow
from app.settings import Settings

from .onnx_factory import manifest, scale_model


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(Settings(tmp_path / "gui.ini"))
    w.confirm_close = False
    qtbot.addWidget(w)
    yield w
    w.close()


def test_window_has_panels_docks_and_provider(qtbot, window):
    window.show()
    qtbot.waitExposed(window)
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == [p.title for p in PANELS]
    assert window.jobs_dock.windowTitle() == "Jobs" and window.log_dock.windowTitle() == "Log"
    qtbot.waitUntil(lambda: window.provider_label.text() != "Provider: detecting…", timeout=20000)
    assert window.provider_label.text() in ("Provider: CPU", "Provider: CUDA")
    assert window.provider_label.toolTip()
    for i in range(window.tabs.count()):
        window.tabs.setCurrentIndex(i)
        qtbot.waitUntil(lambda i=i: window.hosts[i].panel is not None, timeout=20000)
        assert window.hosts[i].error is None, window.hosts[i].error
    qtbot.waitUntil(lambda: not window.jobs.jobs, timeout=60000)


def test_broken_user_models_are_reported_and_the_app_keeps_running(qtbot, tmp_path, monkeypatch, caplog):
    d = tmp_path / "um"
    d.mkdir()
    (d / "c.onnx").write_bytes(b"garbage")
    manifest(d / "c.json", "corrupt-model", "c.onnx")
    manifest(d / "m.json", "missing-file", "nothere.onnx")
    scale_model(d / "s.onnx", in_name="pixels")
    manifest(d / "s.json", "wrong-inputs", "s.onnx")
    monkeypatch.setenv("MMWB_USER_MODELS", str(d))
    w = MainWindow(Settings(tmp_path / "g.ini"))
    w.confirm_close = False
    qtbot.addWidget(w)
    with caplog.at_level(logging.ERROR):
        w.show()
        qtbot.waitUntil(lambda: "unusable" in w.statusBar().currentMessage(), timeout=60000)
    errs = "\n".join(r.getMessage() for r in caplog.records)
    assert "corrupt-model" in errs and "not a valid ONNX model" in errs
    assert "nothere.onnx is missing" in errs
    assert "inputs are ['pixels']" in errs
    assert w.isVisible()
    w.close()


def test_a_job_shows_in_the_jobs_dock_and_can_be_cancelled(qtbot, window):
    import time

    def slow(progress=None, is_cancelled=None):
        while not is_cancelled():
            time.sleep(0.01)
            progress(0.5, "working")

    window._check_models = False
    job = window.jobs.start("Slow job", slow)
    qtbot.waitUntil(lambda: job.id in window.jobs_widget.rows, timeout=2000)
    row = window.jobs_widget.rows[job.id]
    qtbot.waitUntil(lambda: row.bar.value() == 500, timeout=3000)
    row.cancel_btn.click()
    qtbot.waitUntil(lambda: job.id not in window.jobs_widget.rows, timeout=1000)
    assert job.state == "cancelled"
    assert window.jobs_label.text() in ("No jobs", "1 job(s) running")


def test_errors_raised_in_slots_are_shown_clearly(qtbot, window, monkeypatch):
    import app.main_window as mw
    from app.errors import as_user_error
    from inference.runtime.errors import InputError, WorkbenchError

    shown = []
    monkeypatch.setattr(mw, "show_error", lambda parent, title, exc, details="": shown.append((title, exc, details)))
    window._uncaught(InputError("part.json is not valid JSON", "fix the file"), "tb")
    window._uncaught(as_user_error(PermissionError(13, "Permission denied", "/ro/out.step")), "tb")
    window._uncaught(ZeroDivisionError("bug"), "Traceback …")
    assert shown[0] == ("Error", shown[0][1], "") and shown[0][1].message == "part.json is not valid JSON"
    assert isinstance(shown[1][1], WorkbenchError) and "/ro/out.step" in shown[1][1].message
    assert shown[2][0] == "Unexpected error" and shown[2][2] == "Traceback …"
