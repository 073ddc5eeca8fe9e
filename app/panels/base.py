"""The one panel contract. A panel says only what is its own: its widgets, which `inference/<panel>/api.py`
function each action runs, and how a result is drawn. The base owns the rest:

- jobs: `start_job(...)` runs an `inference/` function in the pool (newest job of the panel wins unless
  `replace=False`); the panel is *busy* while any of its `busy=True` jobs runs: `busy_changed(bool)` is
  emitted and `on_busy(busy)` is called on every change (enable/disable buttons there).
- errors: a failed job's message goes to `show_error()` (the panel's red error line `self.error_label`, the
  status bar, `self.last_error`), then to the job's `on_error` if given; the job manager always emits
  `job_failed` too (the Jobs dock, the log, and the window's error dialog unless `dialog=False`).
  `clear_error()` hides it; starting a busy job clears it.
- first run: `intro_widget()` says what the panel does in one line, with a "Try a sample" button that opens
  the panel's sample from `resources/samples/` through `open_file`; `hide_intro()` once something is open.
- files: `ask_open_file` / `ask_open_files` / `ask_directory` / `ask_save_file` start in the user's last
  folder (home at first), never the install folder, and remember where the user went; `file_filter(kind)`
  builds a dialog filter from the panel's own `io.FILE_KINDS`.
- shutdown: `shutdown()` cancels the panel's jobs and calls `on_shutdown()`.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QFileDialog, QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from inference import panels

from ..context import AppContext
from ..jobs import Job, JobFailure

ERROR_STYLE = "color: #e06050;"


class BasePanel(QWidget):
    panel_id: str = "base"  # the registry's name; title, about line, sample and file kinds come from there

    busy_changed = Signal(bool)
    error_changed = Signal(str)  # "" when cleared

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.last_error = ""
        self._jobs: list[Job] = []       # this panel's live jobs
        self._busy_jobs: list[Job] = []  # those that make it busy
        self._intro: QWidget | None = None
        self.error_label = QLabel()
        self.error_label.setObjectName("panelError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(ERROR_STYLE)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.error_label.hide()

    # ---- registry ------------------------------------------------------------------------------
    @property
    def panel_info(self) -> panels.PanelInfo:
        return panels.get(self.panel_id)

    @property
    def title(self) -> str:
        return self.panel_info.title

    @property
    def file_kinds(self) -> tuple[str, ...]:
        return tuple(self.panel_info.file_kinds())

    # ---- files in --------------------------------------------------------------------------------
    def open_file(self, path: str) -> None:
        """Open a file routed to this panel (drop, File ▸ Open, recent files, the sample)."""
        raise NotImplementedError

    def add_recent(self, path: str) -> None:
        self.ctx.add_recent(path)

    # ---- jobs ------------------------------------------------------------------------------------
    def start_job(self, title: str, fn: Callable, *args: Any, on_result: Callable | None = None,
                  on_error: Callable | None = None, on_progress: Callable | None = None,
                  replace: bool = True, busy: bool = True, dialog: bool = True, slot: str = "main",
                  on_finished: Callable | None = None, **kwargs: Any) -> Job:
        """Run fn(*args, progress=…, is_cancelled=…, **kwargs) in the pool. Newest wins per `slot`: a new job
        cancels the panel's older job of the same slot (a search does not cancel an indexing run, say) unless
        replace=False. With busy=True the panel is busy until the job ends. With dialog=False an expected
        error is shown only in the panel's error line (no dialog). `on_finished()` runs when the job ends,
        however it ends."""
        job = self.ctx.jobs.start(title, fn, *args, on_result=on_result,
                                  on_error=lambda f: self._job_error(f, on_error),
                                  on_progress=on_progress, owner=f"{self.panel_id}:{slot}" if replace else None,
                                  replace=replace, dialog=dialog,
                                  on_finished=lambda j: self._job_done(j, on_finished), **kwargs)
        # the job's `finished` reaches _job_done through the event loop, so after these lines have run
        self._jobs.append(job)
        if busy:
            self.clear_error()
            self._busy_jobs.append(job)
            if len(self._busy_jobs) == 1:
                self._set_busy(True)
        return job

    def _job_error(self, failure: JobFailure, on_error: Callable | None) -> None:
        self.show_error(failure)
        if on_error is not None:
            on_error(failure)

    def _job_done(self, job: Job, on_finished: Callable | None = None) -> None:
        """Every job's end (done, failed or cancelled): the caller's `on_finished`, then the panel's bookkeeping."""
        if on_finished is not None:
            on_finished()
        if job in self._jobs:
            self._jobs.remove(job)
        if job in self._busy_jobs:
            self._busy_jobs.remove(job)
            if not self._busy_jobs:
                self._set_busy(False)

    @property
    def is_busy(self) -> bool:
        return bool(self._busy_jobs)

    def _set_busy(self, busy: bool) -> None:
        self.on_busy(busy)
        self.busy_changed.emit(busy)

    def on_busy(self, busy: bool) -> None:
        """Override: enable/disable the panel's own controls."""

    def cancel_jobs(self) -> None:
        for job in list(self._jobs):
            job.cancel()

    # ---- errors ----------------------------------------------------------------------------------
    def show_error(self, error: JobFailure | BaseException | str) -> None:
        """Show an error in the panel's error line and the status bar; remember it in `last_error`."""
        if isinstance(error, JobFailure):
            text = error.message
        elif isinstance(error, BaseException):
            text = error.one_line() if hasattr(error, "one_line") else f"{type(error).__name__}: {error}"
        else:
            text = str(error)
        self.last_error = text
        self.error_label.setText(f"error: {text}")
        self.error_label.setToolTip(text)
        self.error_label.show()
        self.ctx.show_status(f"{self.title}: {text}")
        self.error_changed.emit(text)

    def clear_error(self) -> None:
        if self.last_error or self.error_label.isVisible():
            self.last_error = ""
            self.error_label.clear()
            self.error_label.hide()
            self.error_changed.emit("")

    # ---- first run -------------------------------------------------------------------------------
    def intro_widget(self) -> QWidget:
        """One line on what the panel does and a "Try a sample" button (the panel places it)."""
        if self._intro is None:
            box = QFrame()
            box.setObjectName("panelIntro")
            box.setFrameShape(QFrame.Shape.StyledPanel)
            lay = QHBoxLayout(box)
            text = QLabel(self.panel_info.about + " " + self.intro_hint())
            text.setWordWrap(True)
            lay.addWidget(text, 1)
            self.sample_button = QPushButton("Try a sample")
            self.sample_button.setToolTip(f"Open {self.panel_info.sample_path().name}, a small sample shipped with the app")
            self.sample_button.clicked.connect(self.open_sample)
            lay.addWidget(self.sample_button)
            self._intro = box
        return self._intro

    def intro_hint(self) -> str:
        """Override: what to drop or open to start."""
        return ""

    def hide_intro(self) -> None:
        if self._intro is not None:
            self._intro.hide()

    def open_sample(self) -> None:
        path = self.panel_info.sample_path()
        if not path.exists():
            self.show_error(f"the sample {path} is missing from this installation — reinstall the app")
            return
        self.open_file(str(path))

    # ---- file dialogs ------------------------------------------------------------------------------
    def file_filter(self, kind: str, label: str) -> str:
        """A dialog filter for one of this panel's file kinds, e.g. "Point clouds (*.ply *.pcd …)"."""
        suffixes = self.panel_info.file_kinds().get(kind, ())
        return f"{label} ({' '.join('*' + s for s in suffixes)})"

    def _start_dir(self) -> str:
        d = self.ctx.settings.last_dir() if self.ctx.settings is not None else ""
        return d if d and Path(d).is_dir() else str(Path.home())

    def _remember(self, path: str) -> str:
        """Remember the folder of a chosen file (which need not exist yet: a save dialog) or a chosen folder."""
        if path:
            self.ctx.settings.set_last_dir(path if Path(path).is_dir() else str(Path(path).parent))
        return path

    def ask_open_file(self, caption: str, file_filter: str = "") -> str:
        path, _ = QFileDialog.getOpenFileName(self, caption, self._start_dir(), file_filter)
        return self._remember(path)

    def ask_open_files(self, caption: str, file_filter: str = "") -> list[str]:
        paths, _ = QFileDialog.getOpenFileNames(self, caption, self._start_dir(), file_filter)
        if paths:
            self._remember(paths[0])
        return paths

    def ask_directory(self, caption: str) -> str:
        return self._remember(QFileDialog.getExistingDirectory(self, caption, self._start_dir()))

    def ask_save_file(self, caption: str, default_name: str, file_filter: str = "") -> str:
        path, _ = QFileDialog.getSaveFileName(self, caption, str(Path(self._start_dir()) / default_name),
                                              file_filter)
        return self._remember(path)

    # ---- shutdown ---------------------------------------------------------------------------------
    def shutdown(self) -> None:
        """Cancel this panel's jobs (the window waits for the pool) and let the panel release its own."""
        self.cancel_jobs()
        self.on_shutdown()

    def on_shutdown(self) -> None:
        """Override: release what the panel holds (timers, caches)."""


class PlaceholderPanel(BasePanel):
    """Shown while a panel is not installed or failed to load: says what is wrong, shows no fake result."""

    def __init__(self, ctx: AppContext, panel_id: str, title: str, message: str, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.panel_id = panel_id
        lay = QVBoxLayout(self)
        label = QLabel(f"<h2>{title}</h2><p>This panel is not available in this build yet.</p><p>{message}</p>")
        label.setWordWrap(True)
        lay.addWidget(label)
        lay.addStretch(1)

    def open_file(self, path: str) -> None:
        self.ctx.show_status(f"{self.title} is not available in this build yet; cannot open {path}")
