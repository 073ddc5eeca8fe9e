"""Screenshot of the video panel with real results (both tabs, stacked) -> docs/screenshots/video.png

    Xvfb :57 -screen 0 1600x1000x24 &  DISPLAY=:57 .venv/bin/python bench/video_screenshot.py
    DISPLAY=:57 .venv/bin/python bench/video_screenshot.py --first-run   # docs/screenshots/video_first_run.png
    DISPLAY=:57 .venv/bin/python bench/video_screenshot.py --sample      # docs/screenshots/video_sample.png

--first-run: the main window on the empty video panel (its intro line and "Try a sample" button), as a new
user sees it; --sample: that button pressed (the sample indexed, its first caption searched, the top hit
selected). Both use a fresh settings and data folder.

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


def wait(app, cond, limit: float) -> bool:
    """Process events until cond() holds or limit seconds have passed; whether it holds."""
    t = time.time()
    while not cond() and time.time() - t < limit:
        app.processEvents()
        time.sleep(0.01)
    return bool(cond())


def settle(app, seconds: float = 1.0) -> None:
    """Let the window draw (and a preview play) for a moment before the grab."""
    wait(app, lambda: False, seconds)


def first_run(sample: bool, out: str) -> int:
    tmp = Path(tempfile.mkdtemp(prefix="mmwb-video-first-"))
    os.environ["MMWB_CONFIG_DIR"] = str(tmp / "config")
    os.environ["MMWB_DATA_DIR"] = str(tmp / "data")
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow
    from app.settings import Settings

    app = QApplication.instance() or QApplication([])
    w = MainWindow(Settings(tmp / "gui.ini"), check_models=False)
    w.resize(1600, 1000)
    w.show()
    idx = next(i for i, h in enumerate(w.hosts) if h.spec.panel_id == "video")
    w.tabs.setCurrentIndex(idx)
    panel = w.hosts[idx].ensure()

    done = {}
    panel.search_done.connect(lambda r: done.update(search=r))
    if sample:
        panel.sample_button.click()
        if not wait(app, lambda: "search" in done and not w.jobs.jobs, 300):
            raise SystemExit("timed out")
        wait(app, lambda: panel.preview.pixmap() is not None and not panel.preview.pixmap().isNull(), 60)
    settle(app)
    Path(out).parent.mkdir(parents=True, exist_ok=True)
    ok = w.grab().save(out)
    w.jobs.shutdown(5000)
    print(f"saved {out}: {ok}" + (f"; {len(done['search'])} hits for '{panel.query.text()}'" if sample else ""))
    shutil.rmtree(tmp, ignore_errors=True)
    return 0 if ok else 1


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clips", type=int, default=140)
    ap.add_argument("--eval-clips", type=int, default=700)
    ap.add_argument("--query", default="a red circle moves from right to left")
    ap.add_argument("--out", help="default docs/screenshots/video[_first_run|_sample].png")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--first-run", action="store_true", help="the empty panel, as a new user sees it")
    mode.add_argument("--sample", action="store_true", help='"Try a sample" pressed')
    args = ap.parse_args()
    suffix = "_first_run" if args.first_run else "_sample" if args.sample else ""
    args.out = args.out or str(ROOT / "docs" / "screenshots" / f"video{suffix}.png")
    if args.first_run or args.sample:
        return first_run(args.sample, args.out)
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

    done = {}
    panel.index_done.connect(lambda r: done.update(index=r))
    panel.search_done.connect(lambda r: done.update(search=r))
    panel.eval_done.connect(lambda r: done.update(eval=r))
    panel.add_folder(str(lib))
    wait(app, lambda: "index" in done, 900)
    wait(app, lambda: not jobs.jobs, 900)
    panel.query.setText(args.query)
    panel.run_search()
    wait(app, lambda: "search" in done, 900)
    wait(app, lambda: panel.preview.pixmap() is not None and not panel.preview.pixmap().isNull(), 60)
    settle(app)
    shot1 = panel.grab()
    panel.tabs.setCurrentIndex(1)
    panel.ann_edit.setText(str(test / "test.json"))
    panel.vid_edit.setText(str(test))
    panel.limit_box.setValue(args.eval_clips if args.eval_clips < 700 else 0)
    panel.run_eval()
    wait(app, lambda: "eval" in done, 1800)
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
