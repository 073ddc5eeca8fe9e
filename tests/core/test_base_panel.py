"""The one panel contract (app/panels/base.py): busy state, errors, the intro and its sample, file dialogs."""
from __future__ import annotations

import time
from pathlib import Path

import pytest
from PySide6.QtWidgets import QFileDialog, QVBoxLayout

from app.panels.base import BasePanel
from inference.runtime.errors import InputError


class TinyPanel(BasePanel):
    panel_id = "chart"
    title = "Tiny"

    def __init__(self, ctx):
        super().__init__(ctx)
        self.opened, self.busy_calls = [], []
        lay = QVBoxLayout(self)
        lay.addWidget(self.intro_widget())
        lay.addWidget(self.error_label)

    def open_file(self, path):
        self.opened.append(path)

    def on_busy(self, busy):
        self.busy_calls.append(busy)


def sleeper(seconds, progress=None, is_cancelled=None):
    t0 = time.monotonic()
    while time.monotonic() - t0 < seconds:
        if is_cancelled():
            return "cancelled"
        time.sleep(0.01)
    return "done"


def bad_file(progress=None, is_cancelled=None):
    raise InputError("scan.ply is not a point cloud", "open a .ply file")


def test_busy_follows_the_panels_jobs(make_panel, qtbot):
    panel = make_panel(TinyPanel)
    changes = []
    panel.busy_changed.connect(changes.append)
    a = panel.start_job("a", sleeper, 0.3, replace=False)
    b = panel.start_job("b", sleeper, 0.05, replace=False)
    c = panel.start_job("c", sleeper, 0.0, replace=False, busy=False)
    assert panel.is_busy
    qtbot.waitUntil(lambda: b.state == "done" and c.state == "done", timeout=20000)
    assert panel.is_busy  # `a` still runs
    qtbot.waitUntil(lambda: not panel.is_busy, timeout=20000)
    assert a.state == "done"
    assert changes == [True, False] and panel.busy_calls == [True, False]


def test_an_error_is_shown_once_and_cleared_by_the_next_job(make_panel, qtbot):
    panel = make_panel(TinyPanel)
    seen = []
    panel.start_job("read", bad_file, on_error=lambda f: seen.append((panel.last_error, f.message)))
    qtbot.waitUntil(lambda: bool(seen) and bool(panel.failures), timeout=20000)
    msg = "scan.ply is not a point cloud — open a .ply file"
    assert seen == [(msg, msg)]  # shown before the panel's own on_error runs
    assert panel.error_label.isVisibleTo(panel) and panel.error_label.text() == f"error: {msg}"
    assert [f.message for f in panel.failures] == [msg]  # the manager emitted job_failed once
    panel.start_job("again", sleeper, 0.0)
    assert panel.last_error == "" and not panel.error_label.isVisibleTo(panel)
    qtbot.waitUntil(lambda: not panel.is_busy, timeout=20000)


def test_intro_says_what_the_panel_does_and_opens_the_sample(make_panel, qtbot, monkeypatch, tmp_path):
    (tmp_path / "samples" / "chart").mkdir(parents=True)
    (tmp_path / "samples" / "chart" / "bars.png").write_bytes(b"x")
    monkeypatch.setenv("MMWB_RESOURCES", str(tmp_path))
    panel = make_panel(TinyPanel)
    intro = panel.intro_widget()
    assert panel.panel_info.about.split("(")[0].strip() in intro.findChildren(type(panel.error_label))[0].text()
    panel.sample_button.click()
    assert panel.opened == [str(panel.panel_info.sample_path())]
    panel.hide_intro()
    assert not intro.isVisibleTo(panel)


def test_missing_sample_is_a_clear_error(make_panel, monkeypatch, tmp_path):
    panel = make_panel(TinyPanel)
    monkeypatch.setenv("MMWB_RESOURCES", str(tmp_path / "nowhere"))
    panel.open_sample()
    assert panel.opened == [] and "missing" in panel.last_error


def test_file_dialogs_start_in_the_last_folder_or_home(make_panel, monkeypatch, tmp_path):
    panel = make_panel(TinyPanel)
    starts = []

    def fake_open(parent, caption, start, flt):
        starts.append(start)
        return str(tmp_path / "pick" / "chart.png"), flt

    (tmp_path / "pick").mkdir()
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_open))
    assert panel.ask_open_file("Open", panel.file_filter("image", "Images")).endswith("chart.png")
    assert starts[0] == str(Path.home()) or Path(starts[0]).is_dir()
    assert Path(starts[0]).resolve() != Path(__file__).resolve().parents[2]  # never the install folder
    panel.ask_open_file("Open again")
    assert starts[1] == str(tmp_path / "pick")  # remembered
    assert panel.file_filter("image", "Images").startswith("Images (*.png")


@pytest.mark.parametrize("kind", ["image"])
def test_file_kinds_come_from_the_panels_io(make_panel, kind):
    from inference.chart import io

    panel = make_panel(TinyPanel)
    assert panel.file_kinds == tuple(io.FILE_KINDS)


def test_shutdown_cancels_the_panels_jobs(make_panel, qtbot):
    panel = make_panel(TinyPanel)
    job = panel.start_job("long", sleeper, 30.0)
    panel.shutdown()
    qtbot.waitUntil(lambda: job.state in ("cancelled", "done"), timeout=20000)
    assert job.is_cancelled()


def test_jobs_that_end_at_once_never_leave_the_panel_busy(make_panel, qtbot):
    """A job can end before start_job returns; its end must still be heard (connected before it runs)."""
    panel = make_panel(TinyPanel)
    ended = []
    for i in range(60):
        panel.start_job(f"instant {i}", sleeper, 0.0, replace=False, on_finished=lambda i=i: ended.append(i))
    qtbot.waitUntil(lambda: len(ended) == 60, timeout=30000)
    qtbot.waitUntil(lambda: not panel.is_busy, timeout=30000)
    assert panel.busy_calls[-1] is False and not panel._jobs
