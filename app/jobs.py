"""The one worker adapter: a QRunnable on a QThreadPool, talking to the GUI only through signals.

A job runs a plain function from `inference/` as ``fn(*args, progress=..., is_cancelled=..., **kwargs)``.
`is_cancelled` is an `inference.runtime.cancel.CancelToken` (callable), so ONNX runs can be terminated too.
"""
from __future__ import annotations

import gc
import itertools
import logging
import os
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from typing import Any, Callable

from PySide6.QtCore import QCoreApplication, QObject, QRunnable, QThreadPool, QTimer, Signal

from inference.runtime.cancel import CancelToken
from inference.runtime.errors import Cancelled, WorkbenchError

log = logging.getLogger(__name__)
_ids = itertools.count(1)


@dataclass
class JobFailure:
    title: str
    exception: BaseException
    traceback: str

    @property
    def message(self) -> str:
        e = self.exception
        if isinstance(e, WorkbenchError):
            return e.one_line()
        if isinstance(e, OSError):
            where = f" ({e.filename})" if getattr(e, "filename", None) else ""
            return f"{e.strerror or e}{where} — check the path, the disk space and the permissions"
        return f"{type(e).__name__}: {e}"

    @property
    def expected(self) -> bool:
        """A WorkbenchError or a file-system error is the user's to fix; anything else is a bug worth a
        traceback."""
        return isinstance(self.exception, (WorkbenchError, OSError))


def _lower_thread_priority(niceness: int = 5) -> None:
    """On Linux, make this worker thread nicer than the GUI thread so heavy jobs never starve the event loop."""
    if hasattr(os, "setpriority") and sys.platform.startswith("linux"):
        try:
            tid = threading.get_native_id()
            if os.getpriority(os.PRIO_PROCESS, tid) < niceness:
                os.setpriority(os.PRIO_PROCESS, tid, niceness)
        except OSError:
            pass


class JobSignals(QObject):
    started = Signal()
    progress = Signal(float, str)
    result = Signal(object)
    error = Signal(object)  # JobFailure
    cancelled = Signal()
    finished = Signal()


class Job(QRunnable):
    PROGRESS_INTERVAL = 0.05  # seconds between progress signals (keeps the event loop free)

    def __init__(self, title: str, fn: Callable, *args: Any, owner: str | None = None, dialog: bool = True,
                 **kwargs: Any):
        super().__init__()
        self.setAutoDelete(False)
        self.id = next(_ids)
        self.title = title
        self.owner = owner
        self.dialog = dialog  # False: the panel shows this job's expected errors itself (no error dialog)
        self.fn, self.args, self.kwargs = fn, args, kwargs
        self.token = CancelToken()
        self.signals = JobSignals()
        self.state = "queued"  # queued, running, done, failed, cancelled
        self.fraction = 0.0
        self.message = ""
        self._last_emit = 0.0

    def cancel(self) -> None:
        self.token.cancel()

    def is_cancelled(self) -> bool:
        return self.token.is_cancelled()

    def _progress(self, fraction: float, message: str = "") -> None:
        now = time.monotonic()
        self.fraction, self.message = float(fraction), message
        if now - self._last_emit >= self.PROGRESS_INTERVAL or fraction >= 1.0:
            self._last_emit = now
            self.signals.progress.emit(float(fraction), str(message))

    def run(self) -> None:  # worker thread: emit signals only
        _lower_thread_priority()
        self.state = "running"
        self.signals.started.emit()
        try:
            if self.token.is_cancelled():
                raise Cancelled()
            result = self.fn(*self.args, progress=self._progress, is_cancelled=self.token, **self.kwargs)
            if self.token.is_cancelled():
                raise Cancelled()
            self.state = "done"
            self.signals.result.emit(result)
        except Cancelled:
            self.state = "cancelled"
            self.signals.cancelled.emit()
        except BaseException as e:  # noqa: BLE001 - every failure must reach the GUI
            self.state = "failed"
            self.signals.error.emit(JobFailure(self.title, e, traceback.format_exc()))
        finally:
            self.signals.finished.emit()


class GuiThreadGC(QObject):
    """Python's cycle collector runs in whichever thread happens to allocate when a threshold is crossed.
    In a worker it may free Qt wrappers created on the GUI thread and run their C++ destructors there,
    which crashes Qt (seen as a segfault "Garbage-collecting" inside a worker). So automatic collection is
    switched off and the same generational thresholds are checked on the GUI thread by a timer."""

    def __init__(self, parent: QObject, interval_ms: int = 250):
        super().__init__(parent)
        self.threshold = gc.get_threshold()
        gc.disable()
        self.timer = QTimer(self)
        self.timer.timeout.connect(self.check)
        self.timer.start(interval_ms)

    def check(self) -> None:
        c0, c1, c2 = gc.get_count()
        if c0 > self.threshold[0]:
            gen = 2 if c2 > self.threshold[2] else 1 if c1 > self.threshold[1] else 0
            gc.collect(gen)


_gui_gc: GuiThreadGC | None = None


def install_gui_thread_gc() -> None:
    """Once per process, from the GUI thread (JobManager does it: workers only exist through it)."""
    global _gui_gc
    app = QCoreApplication.instance()
    if _gui_gc is None and app is not None:
        _gui_gc = GuiThreadGC(app)


class JobManager(QObject):
    """Starts jobs on its pool, keeps the list of live ones, and reports failures."""

    job_added = Signal(object)
    job_removed = Signal(object)
    job_failed = Signal(object, object)  # job, JobFailure
    count_changed = Signal(int)

    def __init__(self, parent: QObject | None = None, max_threads: int | None = None):
        super().__init__(parent)
        install_gui_thread_gc()
        self.pool = QThreadPool(self)
        if max_threads:
            self.pool.setMaxThreadCount(max_threads)
        self.jobs: list[Job] = []

    def start(self, title: str, fn: Callable, *args: Any, on_result: Callable | None = None,
              on_error: Callable | None = None, on_progress: Callable | None = None,
              owner: str | None = None, replace: bool = False, dialog: bool = True,
              on_finished: Callable | None = None, **kwargs: Any) -> Job:
        """Run fn in the pool. With `owner` and `replace=True`, an older job of the same owner is
        cancelled and its result ignored (newest wins). A failure calls `on_error` (if given) and then
        always emits `job_failed` (the Jobs dock, the log and the main window's error dialog listen to it;
        with `dialog=False` the window shows no dialog for an expected error)."""
        if owner and replace:
            for old in list(self.jobs):
                if old.owner == owner:
                    # a superseded job's result and failure no longer concern anyone: only the log hears them
                    for sig in (old.signals.result, old.signals.error):
                        try:
                            sig.disconnect()
                        except (RuntimeError, TypeError):
                            pass
                    old.signals.error.connect(
                        lambda f, j=old: log.info("superseded job %d failed: %s", j.id, f.message))
                    old.cancel()
        job = Job(title, fn, *args, owner=owner, dialog=dialog, **kwargs)
        if on_result:
            job.signals.result.connect(on_result)
        if on_progress:
            job.signals.progress.connect(on_progress)
        if on_error:
            job.signals.error.connect(on_error)
        job.signals.error.connect(lambda f, j=job: self.job_failed.emit(j, f))
        job.signals.finished.connect(lambda j=job: self._finished(j))
        if on_finished:  # connected before the job can run: a fast job cannot end unheard
            job.signals.finished.connect(lambda j=job: on_finished(j))
        self.jobs.append(job)
        self.job_added.emit(job)
        self.count_changed.emit(len(self.jobs))
        log.info("job %d started: %s", job.id, title)
        self.pool.start(job)
        return job

    def _finished(self, job: Job) -> None:
        if job in self.jobs:
            self.jobs.remove(job)
        log.info("job %d %s: %s", job.id, job.state, job.title)
        self.job_removed.emit(job)
        self.count_changed.emit(len(self.jobs))

    def cancel_all(self) -> None:
        for j in list(self.jobs):
            j.cancel()

    def shutdown(self, timeout_ms: int = 3000) -> bool:
        """Cancel everything and wait for the pool; True when every thread has ended."""
        self.cancel_all()
        return self.pool.waitForDone(timeout_ms)
