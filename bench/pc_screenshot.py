"""Screenshots of the point-cloud panel in the main window.

    Xvfb :99 -screen 0 1600x1000x24 &  DISPLAY=:99 python bench/pc_screenshot.py [--out docs/screenshots/pointcloud.png]
    DISPLAY=:99 python bench/pc_screenshot.py --first-run   # docs/screenshots/pointcloud_first_run.png
    DISPLAY=:99 python bench/pc_screenshot.py --sample      # docs/screenshots/pointcloud_sample.png

Default: loads a held-out shape (a gear: a family never used in training) at the `noisy` level with its
rendered view, reconstructs it with the default pipeline, colours the output by distance to the ground truth.
--first-run: the empty panel with its intro line and "Try a sample" button. --sample: that button pressed
(the shipped Stanford bunny scan), then Reconstruct (no view: the points-only model).
--file PATH: a real cloud as a user opens it (e.g. ../shared/data/pointclouds/000008.bin, a KITTI frame),
Reconstruct with the panel's defaults (a large input: ×4, tile by tile). --size 1280x800: the window size
(default 1600x1000); the name gets the size appended when --out is not given.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", help="default docs/screenshots/pointcloud[_first_run|_sample].png")
    mode = ap.add_mutually_exclusive_group()
    mode.add_argument("--first-run", action="store_true", help="the empty panel, as a new user sees it")
    mode.add_argument("--sample", action="store_true", help='"Try a sample", then Reconstruct')
    mode.add_argument("--file", help="a real cloud: open it, Reconstruct with the defaults")
    ap.add_argument("--size", default="1600x1000", help="window size WxH")
    ap.add_argument("--family", default="gear")
    ap.add_argument("--level", default="noisy")
    ap.add_argument("--seed", type=int, default=1234)
    a = ap.parse_args()
    suffix = "_first_run" if a.first_run else "_sample" if a.sample else f"_{Path(a.file).stem}" if a.file else ""
    if a.size != "1600x1000":
        suffix += f"_{a.size}"
    width, height = (int(v) for v in a.size.split("x"))
    a.out = a.out or str(ROOT / "docs" / "screenshots" / f"pointcloud{suffix}.png")
    import cv2
    import numpy as np
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow
    from app.settings import Settings
    from inference.pointcloud.io import PointCloud, write_cloud
    from inference.pointcloud.synth import make_sample

    app = QApplication.instance() or QApplication(sys.argv)
    tmp = Path(tempfile.mkdtemp(prefix="pc_shot_"))
    s = make_sample(a.family, np.random.default_rng(a.seed), levels=(a.level,), oracle=False)
    write_cloud(tmp / f"{a.family}_{a.level}.ply", PointCloud(s.inputs[a.level]))
    write_cloud(tmp / f"{a.family}_truth.ply", PointCloud(s.gt))
    cv2.imwrite(str(tmp / f"{a.family}_view.png"), s.image)

    w = MainWindow(Settings(tmp / "gui.ini"), check_models=False)
    w.resize(width, height)
    w.show()
    idx = next(i for i, h in enumerate(w.hosts) if h.spec.panel_id == "pointcloud")
    w.tabs.setCurrentIndex(idx)
    panel = w.hosts[idx].ensure()

    def wait(cond, ms=120000):
        import time
        t = time.time()
        while not cond():
            app.processEvents()
            time.sleep(0.02)
            if (time.time() - t) * 1000 > ms:
                raise SystemExit("timed out")

    if a.file:
        panel.open_file(str(Path(a.file).resolve()))
        wait(lambda: not w.jobs.jobs and panel.cloud is not None)
        panel.run_btn.click()
        wait(lambda: not w.jobs.jobs and panel.result is not None, 300000)
    elif a.sample:
        panel.sample_button.click()
        wait(lambda: not w.jobs.jobs and panel.cloud is not None)
        panel.run_btn.click()
        wait(lambda: not w.jobs.jobs and panel.result is not None)
    elif not a.first_run:
        panel.open_file(str(tmp / f"{a.family}_{a.level}.ply"))
        wait(lambda: not w.jobs.jobs and panel.cloud is not None)
        panel.open_file(str(tmp / f"{a.family}_view.png"))
        panel.compare_with(str(tmp / f"{a.family}_truth.ply"))
        wait(lambda: not w.jobs.jobs and panel.reference is not None)
        panel.run_btn.click()
        wait(lambda: not w.jobs.jobs and panel.result is not None)
        panel.thresh_spin.setValue(0.02)  # 2% of the radius: the ramp shows the spread below it
        wait(lambda: not panel._recolour_timer.isActive())  # threshold changes recolour after a short pause
    for _ in range(30):
        app.processEvents()
    panel.view_in.view.orbit(-20, 5)
    for _ in range(30):
        app.processEvents()
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    ok = w.grab().save(a.out)
    print(f"saved {a.out}: {ok}; {panel.stats.text() or panel.status.text()}")
    w.jobs.shutdown(3000)
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
