"""Screenshot of the CAD panel inside the main window with a part generated from a description.

    Xvfb :99 -screen 0 1600x1000x24 &  DISPLAY=:99 .venv/bin/python bench/cad_screenshot.py
Writes docs/screenshots/cad.png. With a DeepCAD JSON path instead: that file (cad_file.png); with --first-run: the
empty panel with its intro line (cad_first_run.png); with --sample: after clicking "Try a sample"
(cad_sample.png); with --text "DESCRIPTION": that description generated. `--out NAME.png` names the file.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

TEXT = "a 80 x 50 x 8 mm mounting plate with four 6 mm holes , 8 mm from each edge"


def main() -> int:
    import faulthandler
    faulthandler.dump_traceback_later(240, exit=True)  # never hang silently
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv)
    from app.main_window import MainWindow
    from app.settings import Settings
    import tempfile
    w = MainWindow(Settings(Path(tempfile.mkdtemp()) / "gui.ini"), check_models=False)
    w.resize(1600, 1000)
    w.show()
    idx = next(i for i, h in enumerate(w.hosts) if h.spec.panel_id == "cad")
    w.tabs.setCurrentIndex(idx)
    panel = w.hosts[idx].ensure()
    app.processEvents()
    argv = sys.argv[1:]
    out_name = None
    if "--out" in argv:
        i = argv.index("--out")
        out_name = argv[i + 1]
        del argv[i:i + 2]
    text_arg = None
    if "--text" in argv:
        i = argv.index("--text")
        text_arg = argv[i + 1]
        del argv[i:i + 2]
    arg = argv[0] if argv else None
    if arg == "--first-run":  # the empty panel as a new user sees it
        for _ in range(30):
            app.processEvents()
            time.sleep(0.03)
        out = ROOT / "docs" / "screenshots" / "cad_first_run.png"
        w.grab().save(str(out))
        print("wrote", out)
        w.close()
        return 0 if panel.intro_widget().isVisible() else 1
    if arg == "--sample":
        panel.sample_button.click()
        TEXT_ = None
    elif arg:  # a DeepCAD JSON instead of a generated part (layout checks)
        panel.open_file(arg)
        TEXT_ = None
    else:
        TEXT_ = text_arg or TEXT
    if TEXT_:
        panel.text.setPlainText(TEXT_)
        panel.n_cand.setValue(3)
        panel.generate_from_text()
    t0 = time.time()
    while (panel.ctx.jobs.jobs or panel.solid is None) and time.time() - t0 < 120:
        app.processEvents()
        time.sleep(0.02)
    for _ in range(30):
        app.processEvents()
        time.sleep(0.03)
    print("status:", panel.status.text(), "| info:", panel.info.text())
    out = ROOT / "docs" / "screenshots" / (out_name or ("cad.png" if TEXT_ else "cad_sample.png" if arg == "--sample"
                                                        else "cad_file.png"))
    out.parent.mkdir(parents=True, exist_ok=True)
    w.grab().save(str(out))
    print("wrote", out)
    w.close()
    return 0 if panel.solid is not None else 1


if __name__ == "__main__":
    raise SystemExit(main())
