"""Screenshot of the video panel with real results (both tabs, stacked) -> docs/screenshots/video.png

    Xvfb :57 -screen 0 1600x1000x24 &  DISPLAY=:57 .venv/bin/python bench/video_screenshot.py

Library: the RTime-synth held-out test clips (seed 777, first --clips) plus the two real H.264 videos
from ../shared/data/videos; a real query; the first hit selected (preview playing, direction view);
the evaluation tab after running the RTime evaluator on --eval-clips clips with both models.
"""
from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("MMWB_NO_ERROR_DIALOG", "1")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clips", type=int, default=140)
    ap.add_argument("--eval-clips", type=int, default=700)
    ap.add_argument("--query", default="a red circle moves from right to left")
    ap.add_argument("--out", default=str(ROOT / "docs" / "screenshots" / "video.png"))
    args = ap.parse_args()
    from PySide6.QtGui import QPainter, QPixmap
    from PySide6.QtWidgets import QApplication

    from app.context import AppContext
    from app.jobs import JobManager
    from app.panels.video import VideoPanel
    from app.settings import Settings
    from inference.video.synth import generate

    test = ROOT / "data" / "video" / "test-s777-n700"
    if not (test / "test.json").exists():
        generate(test, n=700, seed=777, split="test")
    tmp = Path(tempfile.mkdtemp(prefix="mmwb-video-shot-"))
    lib = tmp / "My videos"
    (lib / "rtime-synth").mkdir(parents=True)
    for f in sorted(test.glob("*.mp4"))[: args.clips]:
        shutil.copyfile(f, lib / "rtime-synth" / f.name)
    for f in sorted((ROOT.parent / "shared" / "data" / "videos").glob("*.mp4")):
        shutil.copyfile(f, lib / f.name)
    (lib / "broken.mp4").write_bytes(b"")
    (lib / "notes.txt").write_text("not a video")
    app = QApplication.instance() or QApplication([])
    settings = Settings(tmp / "gui.ini")
    settings.set_value("video/db", str(tmp / "library.db"))
    jobs = JobManager()
    panel = VideoPanel(AppContext(settings, jobs))
    panel.setWindowTitle("Multimodal Workbench — Video retrieval")
    panel.resize(1560, 940)
    panel.show()

    def wait(cond, limit=900):
        t = time.time()
        while not cond() and time.time() - t < limit:
            app.processEvents()
            time.sleep(0.01)

    done = {}
    panel.index_done.connect(lambda r: done.update(index=r))
    panel.search_done.connect(lambda r: done.update(search=r))
    panel.eval_done.connect(lambda r: done.update(eval=r))
    panel.add_folder(str(lib))
    wait(lambda: "index" in done)
    wait(lambda: not jobs.jobs)
    panel.query.setText(args.query)
    panel.run_search()
    wait(lambda: "search" in done)
    wait(lambda: panel.preview.pixmap() is not None and not panel.preview.pixmap().isNull(), 60)
    t = time.time()
    while time.time() - t < 1.0:
        app.processEvents()
        time.sleep(0.01)
    shot1 = panel.grab()
    panel.tabs.setCurrentIndex(1)
    panel.ann_edit.setText(str(test / "test.json"))
    panel.vid_edit.setText(str(test))
    panel.limit_box.setValue(args.eval_clips if args.eval_clips < 700 else 0)
    panel.run_eval()
    wait(lambda: "eval" in done, 1800)
    for _ in range(20):
        app.processEvents()
        time.sleep(0.02)
    shot2 = panel.grab()
    out = QPixmap(shot1.width(), shot1.height() + shot2.height())
    p = QPainter(out)
    p.drawPixmap(0, 0, shot1)
    p.drawPixmap(0, shot1.height(), shot2)
    p.end()
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    out.save(args.out)
    jobs.shutdown(10000)
    shutil.rmtree(tmp, ignore_errors=True)
    print(f"saved {args.out} ({out.width()}x{out.height()}); {len(done['search'])} hits for '{args.query}'")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
