"""Shared test setup: offscreen Qt, no error dialogs, and a fresh config/data folder for every test."""
from __future__ import annotations

import os
import threading
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ["MMWB_NO_ERROR_DIALOG"] = "1"
os.environ.setdefault("MMWB_ORT_VERBOSE", "0")

import pytest  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SHARED_DATA = REPO.parent / "shared" / "data"


def pytest_configure(config):
    # as app/launcher.py does: every 3D view in one OpenGL share group (pyqtgraph's point shader is compiled
    # once, in the first context that draws)
    from PySide6.QtCore import QCoreApplication, Qt
    if QCoreApplication.instance() is None:
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)


@pytest.fixture(autouse=True)
def fresh_user_dirs(tmp_path_factory, monkeypatch):
    """Tests never touch the user's settings, logs or models."""
    base = tmp_path_factory.mktemp("user")
    monkeypatch.setenv("MMWB_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("MMWB_DATA_DIR", str(base / "data"))
    monkeypatch.setenv("MMWB_USER_MODELS", str(base / "models"))
    from inference.runtime.registry import reset_registry

    reset_registry()
    yield base
    reset_registry()


@pytest.fixture
def no_thread_leak():
    """Fail a test that leaves Python threads behind."""
    before = set(threading.enumerate())
    yield
    import time

    deadline = time.time() + 2.0
    while time.time() < deadline:
        extra = [t for t in threading.enumerate() if t not in before and t.is_alive() and not t.daemon]
        if not extra:
            return
        time.sleep(0.05)
    raise AssertionError(f"threads left behind: {extra}")


@pytest.fixture
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("DISPLAY") or os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        skip = pytest.mark.skip(reason="needs a real X server: scripts/test.sh runs these under xvfb-run")
        for item in items:
            if "xvfb" in item.keywords:
                item.add_marker(skip)


@pytest.fixture
def make_panel(qtbot, tmp_path):
    """Build a panel on its own JobManager and settings; `panel.failures` collects the jobs' errors (what the
    main window would show in its error dialog). Every JobManager is shut down after the test."""
    from app.context import AppContext
    from app.jobs import JobManager
    from app.settings import Settings

    managers = []

    def make(panel_cls, size=(1200, 700)):
        jobs = JobManager()
        failures = []
        jobs.job_failed.connect(lambda job, failure: failures.append(failure))
        panel = panel_cls(AppContext(Settings(tmp_path / "gui.ini"), jobs))
        panel.failures = failures
        qtbot.addWidget(panel)
        panel.resize(*size)
        managers.append(jobs)
        return panel

    yield make
    for jobs in managers:
        jobs.shutdown(5000)


def write_png_header(path, w, h):
    """A PNG that has only its header (IHDR + IEND): readers must refuse its size before decoding pixels."""
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    Path(path).write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 2, 0, 0, 0))
                           + chunk(b"IEND", b""))


def wait_idle(qtbot, panel, timeout=60000):
    """Wait until the panel's jobs have all finished and the panel has seen them end (the manager and the
    panel hear a job's `finished` signal one after the other)."""
    qtbot.waitUntil(lambda: not panel.ctx.jobs.jobs and not getattr(panel, "is_busy", False), timeout=timeout)


# Qt, OpenGL, open3d and OCP objects still alive when the interpreter finalises can abort the process after
# every test has passed ("Fatal Python error: bool_dealloc … refcount error in a C extension", seen with the
# full main window built beside the other panels' C extensions). The results are final by then: leave with
# pytest's own exit status instead of running the interpreter's last garbage collection.
_exit_status = {"code": None}


def pytest_sessionfinish(session, exitstatus):
    _exit_status["code"] = int(exitstatus)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    if _exit_status["code"] is not None and os.environ.get("MMWB_PYTEST_HARD_EXIT", "1") == "1":
        import multiprocessing
        import sys

        for child in multiprocessing.active_children():  # e.g. a video decoder worker: os._exit skips atexit
            child.terminate()
            child.join(2)
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status["code"])
