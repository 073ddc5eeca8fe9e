"""Screenshots of the chart panel inside the main window:

- docs/screenshots/chart_first_run.png: the empty panel (its one line on what it does, "Try a sample");
- docs/screenshots/chart_sample.png: after "Try a sample" (the shipped resources/samples/chart/bars.png read);
- docs/screenshots/chart.png: a held-out synthetic chart read, its overlay, the table and an answered question
  (evidence highlighted).

- with --real PNG [--question Q] [--out FILE]: only that chart (e.g. a real ChartQA dev chart) read and asked,
  saved to FILE (default docs/screenshots/chart_real.png): the amber "uncertain" badges show when its confidence is
  below inference.chart.confidence.THRESHOLD.

Run under a real X server (QT_QPA_PLATFORM=offscreen works too: the panel draws no OpenGL):

    Xvfb :99 -screen 0 1600x1000x24 &  DISPLAY=:99 python bench/chart_screenshot.py
"""
from __future__ import annotations

import json
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> int:
    import argparse

    ap = argparse.ArgumentParser(description="screenshots of the chart panel")
    ap.add_argument("--real", default="", help="read this chart only (e.g. a real ChartQA dev chart)")
    ap.add_argument("--question", default="")
    ap.add_argument("--out", default="")
    args = ap.parse_args()
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow
    from app.settings import Settings
    from inference.chart.synth import synthesize

    app = QApplication.instance() or QApplication(sys.argv)
    tmp = Path(tempfile.mkdtemp())
    synthesize(tmp, 4, seed=4242, split="test", types=["grouped_bar"])
    pngs = sorted((tmp / "test" / "png").glob("*.png"))
    anns = [json.loads((tmp / "test" / "annotations" / f"{p.stem}.json").read_text()) for p in pngs]
    pick = next((p for p, a in zip(pngs, anns) if a["value_labels"]), pngs[0])
    win = MainWindow(Settings(tmp / "gui.ini"), check_models=False)
    win.resize(1600, 1000)
    win.show()
    host = next(h for h in win.hosts if h.spec.panel_id == "chart")
    win.tabs.setCurrentWidget(host)
    panel = host.ensure()
    shots = ROOT / "docs" / "screenshots"
    shots.mkdir(parents=True, exist_ok=True)

    def settle(n=50):
        for _ in range(n):
            app.processEvents()
            time.sleep(0.02)

    def wait_read():
        t0 = time.time()
        while (panel.reading is None or panel.is_busy) and not panel.last_error and time.time() - t0 < 120:
            app.processEvents()
            time.sleep(0.02)
        settle()
        return panel.reading is not None

    settle()
    if args.real:
        panel.open_file(args.real)
        settle(5)
        early = panel.view.has_image()  # the picture shows before the reading ends
        if not wait_read():
            out = Path(args.out) if args.out else shots / "chart_real_failed.png"
            win.grab().save(str(out))   # how the panel shows the failure
            print(f"reading failed (screenshot {out}):", panel.last_error)
            return 1
        if args.question:
            panel.question.setText(args.question)
            panel.ask()
            settle()
        out = Path(args.out) if args.out else shots / "chart_real.png"
        win.grab().save(str(out))
        c = panel.conf
        print(f"saved {out}; picture shown before the reading ended: {early}; table confidence {c.value:.2f} "
              f"({'uncertain: ' + c.why() if c.uncertain else 'certain'}); answer: "
              f"{panel.last_answer.text if panel.last_answer else None}; {panel.status.text()}")
        win.confirm_close = False
        win.close()
        return 0
    win.grab().save(str(shots / "chart_first_run.png"))
    panel.sample_button.click()
    if not wait_read():
        print("reading the sample failed:", panel.last_error)
        return 1
    win.grab().save(str(shots / "chart_sample.png"))
    print(f"saved {shots / 'chart_first_run.png'} and {shots / 'chart_sample.png'}; {panel.status.text()}")
    panel.reading = None
    panel.open_file(str(pick))
    if not wait_read():
        print("reading failed:", panel.last_error)
        return 1
    ser = panel.table.series[0]
    cat_kind = panel.table.header[0].lower() if panel.table.header[0] != "Characteristic" else "category"
    panel.question.setText(f"Which {cat_kind} has the highest {ser}?")
    panel.ask()
    settle()
    out = shots / "chart.png"
    win.grab().save(str(out))
    print(f"saved {out}; answer: {panel.last_answer.text if panel.last_answer else None}; "
          f"{panel.status.text()}")
    win.confirm_close = False
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
