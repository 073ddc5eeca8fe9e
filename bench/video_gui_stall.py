"""Longest GUI event-loop stall while the video panel indexes a library (target ≤ 100 ms).

    .venv/bin/python bench/video_gui_stall.py [--copies 8] [--clips 120]

Builds the video panel (offscreen unless DISPLAY is set), adds a library folder (real H.264 files
with unique trailers + RTime-synth clips), starts indexing through the panel's button path and runs
a search at the end, while a 5 ms QTimer in the GUI thread records the gaps between its ticks.
A stall is a gap minus the timer period.
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("MMWB_NO_ERROR_DIALOG", "1")
if not os.environ.get("DISPLAY"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=8)
    ap.add_argument("--clips", type=int, default=120)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    import numpy as np
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from app.context import AppContext
    from app.jobs import JobManager
    from app.panels.video import VideoPanel
    from app.settings import Settings
    from inference.video.synth import generate
    from video_common import make_library

    # what the main window has done by the time a user indexes: heavy modules imported, models loaded
    # (a first `import onnxruntime` holds the GIL while its shared library loads)
    import cv2  # noqa: F401
    from inference.video.model import VideoTextModel
    VideoTextModel().encode_text(["warm up"])
    tmp = Path(tempfile.mkdtemp(prefix="mmwb-video-stall-"))
    lib = tmp / "lib"
    make_library(lib, args.copies)
    generate(lib / "synth", n=args.clips, seed=4242, split="test")
    app = QApplication.instance() or QApplication([])
    jobs = JobManager()
    settings = Settings(tmp / "gui.ini")
    settings.set_value("video/db", str(tmp / "lib.db"))
    panel = VideoPanel(AppContext(settings, jobs))
    panel.resize(1300, 800)
    panel.show()
    gaps = []
    last = [time.perf_counter()]

    phase = ["start"]
    where = []

    def tick():
        now = time.perf_counter()
        gaps.append(now - last[0])
        where.append(phase[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    state = {"indexed": None, "hits": None}
    panel.index_done.connect(lambda r: state.update(indexed=r))
    panel.search_done.connect(lambda h: state.update(hits=h))
    t0 = time.perf_counter()
    timer.start()
    phase[0] = "index"
    panel.add_folder(str(lib))  # starts indexing, like a drop or "Add folder…"
    while state["indexed"] is None and time.perf_counter() - t0 < 900:
        app.processEvents()
        time.sleep(0.001)
    t_index = time.perf_counter() - t0
    phase[0] = "search"
    panel.query.setText("a red ball moves from left to right")
    panel.run_search()
    while state["hits"] is None and time.perf_counter() - t0 < 960:
        app.processEvents()
        time.sleep(0.001)
    phase[0] = "preview"
    t_end = time.perf_counter() + 1.0  # let the preview load and play a little
    while time.perf_counter() < t_end:
        app.processEvents()
        time.sleep(0.001)
    timer.stop()
    jobs.shutdown(10000)
    stalls = np.maximum(np.array(gaps[1:]) - 0.005, 0) * 1000
    worst = {ph: float(max([st for st, w in zip(stalls, where[1:]) if w == ph] or [0])) for ph in dict.fromkeys(where)}
    rep = state["indexed"]["report"] if state["indexed"] else {}
    res = {"index_s": t_index, "files_indexed": len(rep.get("indexed", [])), "frames": rep.get("frames_decoded"),
           "ticks": len(gaps), "max_stall_ms": float(stalls.max()), "p99_stall_ms": float(np.percentile(stalls, 99)),
           "stalls_over_100ms": int((stalls > 100).sum()), "hits": len(state["hits"] or []),
           "max_stall_ms_by_phase": worst}
    shutil.rmtree(tmp, ignore_errors=True)
    if args.json:
        print(json.dumps(res))
    else:
        print(f"indexed {res['files_indexed']} files ({res['frames']} frames) in {t_index:.1f} s through the panel, "
              f"then searched ({res['hits']} hits) and previewed")
        print(f"GUI event loop: {res['ticks']} ticks, longest stall {res['max_stall_ms']:.1f} ms, "
              f"p99 {res['p99_stall_ms']:.1f} ms, {res['stalls_over_100ms']} stalls > 100 ms")
        print("longest stall by phase (ms): " + ", ".join(f"{k} {v:.1f}" for k, v in worst.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
