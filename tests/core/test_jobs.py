"""The worker path: progress arrives, cancel stops a job within a second, errors reach the error signal,
no thread is left behind."""
from __future__ import annotations

import time

import pytest

from app.jobs import Job, JobFailure, JobManager
from inference.runtime.cancel import check
from inference.runtime.errors import InputError


def counting(n, delay=0.01, progress=None, is_cancelled=None):
    for i in range(n):
        check(is_cancelled)
        time.sleep(delay)
        progress((i + 1) / n, f"step {i + 1}")
    return n * 2


def failing(progress=None, is_cancelled=None):
    progress(0.5, "half")
    raise InputError("the file is corrupt", "pick another one")


def buggy(progress=None, is_cancelled=None):
    return 1 / 0


@pytest.fixture
def manager(qtbot, no_thread_leak):
    m = JobManager()
    yield m
    assert m.shutdown(3000)
    assert m.pool.activeThreadCount() == 0  # no pool thread is left running
    m.pool.clear()
    m.deleteLater()


def test_progress_and_result_arrive(qtbot, manager):
    got, fractions = [], []
    job = manager.start("count", counting, 20, on_result=got.append, on_progress=lambda f, m: fractions.append(f))
    with qtbot.waitSignal(job.signals.finished, timeout=5000):
        pass
    assert got == [40]
    assert fractions and fractions[-1] == 1.0 and fractions == sorted(fractions)
    assert job.state == "done"
    assert manager.jobs == []


def test_cancel_stops_within_a_second(qtbot, manager):
    job = manager.start("long", counting, 100000, 0.01)
    # the worker may emit `started` before a waitSignal could connect (a race seen once on a loaded machine):
    # wait on the state the worker sets instead
    qtbot.waitUntil(lambda: job.state == "running", timeout=3000)
    t0 = time.perf_counter()
    with qtbot.waitSignal(job.signals.cancelled, timeout=1000):
        job.cancel()
    assert time.perf_counter() - t0 < 1.0
    qtbot.waitUntil(lambda: job.state == "cancelled" and not manager.jobs, timeout=1000)


def test_user_error_reaches_error_signal(qtbot, manager):
    failures = []
    manager.job_failed.connect(lambda job, f: failures.append(f))
    job = manager.start("fail", failing)
    qtbot.waitUntil(lambda: job.state != "queued" and job not in manager.jobs, timeout=20000)
    assert len(failures) == 1
    f: JobFailure = failures[0]
    assert f.expected and f.message == "the file is corrupt — pick another one"
    assert job.state == "failed"


def test_job_failed_is_emitted_even_with_on_error(qtbot, manager):
    """One error path: the job's own on_error runs first, then the manager's job_failed (Jobs dock, log, dialog)."""
    order = []
    manager.job_failed.connect(lambda job, f: order.append(("manager", job.dialog, f.message)))
    job = manager.start("fail", failing, on_error=lambda f: order.append(("panel", None, f.message)), dialog=False)
    qtbot.waitUntil(lambda: len(order) == 2, timeout=20000)
    msg = "the file is corrupt — pick another one"
    assert order == [("panel", None, msg), ("manager", False, msg)]
    assert job.state == "failed"


def test_bug_reaches_error_signal_with_traceback(qtbot, manager):
    job = manager.start("bug", buggy, on_error=lambda f: None)
    with qtbot.waitSignal(job.signals.error, timeout=3000) as blocker:
        pass
    f = blocker.args[0]
    assert not f.expected and "ZeroDivisionError" in f.traceback


def test_newest_job_of_an_owner_wins(qtbot, manager):
    results = []
    first = manager.start("a", counting, 100000, 0.01, owner="panel", replace=True, on_result=results.append)
    second = manager.start("b", counting, 3, owner="panel", replace=True, on_result=results.append)
    with qtbot.waitSignal(second.signals.finished, timeout=3000):
        pass
    qtbot.waitUntil(lambda: first.state == "cancelled", timeout=2000)
    assert results == [6]


def test_job_direct_run_outside_pool():
    job = Job("direct", counting, 2, 0.0)
    out = []
    job.signals.result.connect(out.append)
    job.run()
    assert out == [4]


def test_cycles_are_collected_on_the_gui_thread_only(qtbot, manager):
    """Automatic GC is off once a JobManager exists (a worker must never run Qt destructors); the GUI
    thread's timer still collects reference cycles."""
    import gc
    import threading
    import weakref

    assert not gc.isenabled()
    seen = []

    class Node:
        def __del__(self):
            seen.append(threading.current_thread() is threading.main_thread())

    for _ in range(2000):  # enough cycles to pass the first generation's threshold
        a, b = Node(), Node()
        a.other, b.other = b, a
    probe = Node()
    probe.self = probe
    ref = weakref.ref(probe)
    del probe, a, b
    qtbot.waitUntil(lambda: ref() is None, timeout=5000)
    assert seen and all(seen)
