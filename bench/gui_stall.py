"""Longest stall of the GUI event loop while CPU-heavy jobs run in the pool (target ≤ 50 ms).

    python bench/gui_stall.py [--seconds 5]

Shows the main window, starts two CPU-heavy jobs (one pure-Python loop that holds the GIL between
bytecodes, one numpy matrix job), and measures the gaps between ticks of a 5 ms QTimer in the GUI thread.
A stall is a gap minus the timer period.
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("MMWB_NO_ERROR_DIALOG", "1")
os.environ.setdefault("MMWB_CONFIG_DIR", tempfile.mkdtemp(prefix="mmwb-bench-"))
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def python_heavy(seconds, progress=None, is_cancelled=None):
    t_end = time.perf_counter() + seconds
    n, primes = 2, 0
    while time.perf_counter() < t_end and not is_cancelled():
        if all(n % d for d in range(2, int(n ** 0.5) + 1)):
            primes += 1
        n += 1
        if n % 2000 == 0:
            progress(1 - (t_end - time.perf_counter()) / seconds, f"{primes} primes")
    return primes


def numpy_heavy(seconds, progress=None, is_cancelled=None):
    import numpy as np

    a = np.random.default_rng(0).standard_normal((600, 600))
    t_end = time.perf_counter() + seconds
    i = 0
    while time.perf_counter() < t_end and not is_cancelled():
        a = np.tanh(a @ a.T / 600)
        i += 1
        progress(1 - (t_end - time.perf_counter()) / seconds, f"{i} products")
    return i


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5.0)
    args = ap.parse_args()
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow

    sys.setswitchinterval(0.002)  # as app.launcher.run_gui does
    app = QApplication([])
    win = MainWindow(check_models=False)
    win.confirm_close = False
    win.show()
    period = 5
    ticks: list[float] = []
    timer = QTimer()
    timer.setInterval(period)
    timer.timeout.connect(lambda: ticks.append(time.perf_counter()))
    done = []

    def start():
        ticks.clear()
        timer.start()
        for fn in (python_heavy, numpy_heavy):
            win.jobs.start(fn.__name__, fn, args.seconds, on_result=lambda r: done.append(r))

    QTimer.singleShot(500, start)  # let the window settle (first panel build, provider detection)
    deadline = time.perf_counter() + args.seconds + 10
    while len(done) < 2 and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    gaps = [(b - a) * 1000 for a, b in zip(ticks, ticks[1:])]
    stall = max(gaps) - period if gaps else float("nan")
    gaps.sort()
    p99 = gaps[int(0.99 * (len(gaps) - 1))] - period if gaps else float("nan")
    print(f"GUI event loop while 2 CPU-heavy jobs ran {args.seconds:.0f} s: {len(gaps)} ticks of {period} ms, "
          f"longest stall {stall:.1f} ms, p99 stall {p99:.1f} ms (target <= 50 ms: {'OK' if stall <= 50 else 'MISSED'})")
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
