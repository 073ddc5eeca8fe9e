"""Screenshot the real main window (run under Xvfb): docs/screenshots/window.png.

    xvfb-run -a -s "-screen 0 1600x1000x24" .venv/bin/python scripts/screenshot_window.py [--tab N] [--out PATH]
"""
from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("MMWB_NO_ERROR_DIALOG", "1")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tab", type=int, default=0)
    ap.add_argument("--out", default=str(REPO / "docs" / "screenshots" / "window.png"))
    ap.add_argument("--wait", type=float, default=3.0)
    ap.add_argument("--open", nargs="*", default=[], help="files to open in the shown panel before the shot")
    args = ap.parse_args()
    from PySide6.QtWidgets import QApplication

    from app.main_window import MainWindow

    app = QApplication([])
    win = MainWindow()
    win.confirm_close = False
    win.resize(1400, 900)
    win.show()
    win.tabs.setCurrentIndex(args.tab)
    for path in args.open:  # straight to the shown panel (an image would otherwise ask which panel)
        win.hosts[args.tab].ensure().open_file(path)
    t_end = time.time() + args.wait
    while time.time() < t_end:
        app.processEvents()
        time.sleep(0.02)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    shot = win.screen().grabWindow(win.winId()) if os.environ.get("DISPLAY") else win.grab()
    if shot.isNull():
        shot = win.grab()
    shot.save(args.out)
    print(f"saved {args.out} ({shot.width()}x{shot.height()})")
    win.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
