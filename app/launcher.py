"""`mmwb`: with a command, runs it headless (no Qt imported); with none, opens the window."""
from __future__ import annotations

import logging
import logging.handlers
import os
import sys
import time

_T0 = time.perf_counter()


def setup_logging(debug: bool = False) -> None:
    from inference.runtime.paths import log_dir

    root = logging.getLogger()
    root.setLevel(logging.DEBUG if debug else logging.INFO)
    try:
        d = log_dir()
        d.mkdir(parents=True, exist_ok=True)
        fh = logging.handlers.RotatingFileHandler(d / "mmwb.log", maxBytes=2_000_000, backupCount=3)
        fh.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
        root.addHandler(fh)
    except OSError:
        pass
    sh = logging.StreamHandler()
    sh.setLevel(logging.DEBUG if debug else logging.WARNING)
    root.addHandler(sh)


def run_gui(argv: list[str]) -> int:
    debug = "--debug" in argv
    setup_logging(debug)
    from PySide6.QtCore import Qt, QTimer
    from PySide6.QtWidgets import QApplication

    from .main_window import MainWindow

    sys.setswitchinterval(0.002)  # hand the GIL back to the GUI thread sooner while workers compute
    # one OpenGL share group for every 3D view: pyqtgraph compiles its point shader once, in whichever
    # context draws first, and a view in an unshared context could not use it (glUseProgram: invalid value)
    QApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
    app = QApplication.instance() or QApplication([sys.argv[0]])
    app.setApplicationName("Multimodal Workbench")
    app.setOrganizationName("mm-workbench")
    from PySide6.QtGui import QIcon

    from inference.runtime.paths import resources_dir

    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "mmwb.png")))
    win = MainWindow()
    win.show()
    if os.environ.get("MMWB_STARTUP_PROBE") == "1":
        # bench/startup.py: say when the window is really on screen (first paint), then quit
        def report():
            print(f"MMWB_WINDOW_SHOWN {time.time():.6f} {time.perf_counter() - _T0:.6f}", flush=True)
            win.confirm_close = False
            win.close()

        QTimer.singleShot(0, report)
    files = [a for a in argv if not a.startswith("-")]
    if files:
        QTimer.singleShot(0, lambda: win.open_paths(files))
    return app.exec()


def self_test(argv: list[str]) -> int:
    """Headless: every shipped model, one real inference per panel, then the window built offscreen."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["MMWB_NO_ERROR_DIALOG"] = "1"
    logging.basicConfig(level=logging.DEBUG if "--debug" in argv else logging.WARNING)
    from inference.selftest import run_all

    ok = run_all(verbose="--debug" in argv)
    try:
        from PySide6.QtWidgets import QApplication

        from .main_window import MainWindow

        app = QApplication.instance() or QApplication([sys.argv[0]])
        win = MainWindow(check_models=False)
        win.show()
        app.processEvents()
        broken = []
        for host in win.hosts:
            host.ensure()
            app.processEvents()
            if host.error or type(host.panel).__name__ == "PlaceholderPanel":
                broken.append(host.spec.panel_id)
        win.confirm_close = False
        win.close()
        if broken:
            ok = False
            print(f"FAIL gui: panels not available: {', '.join(broken)}")
        else:
            print(f"ok   gui: main window with {len(win.hosts)} panels built ({app.platformName()})")
    except Exception as e:  # noqa: BLE001
        ok = False
        print(f"FAIL gui: {type(e).__name__}: {e}")
    print("self-test: PASSED" if ok else "self-test: FAILED")
    return 0 if ok else 1


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # the video decoder's spawned child processes, in a frozen bundle
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--self-test" in argv:
        return self_test(argv)
    from inference.panels import cli_names

    commands = {"doctor", "models", *cli_names()}
    first = next((a for a in argv if not a.startswith("-")), None)
    if first in commands or "-h" in argv or "--help" in argv or (first is not None and not os.path.exists(first)):
        from inference.cli import main as cli_main

        return cli_main(argv)
    return run_gui(argv)


if __name__ == "__main__":
    sys.exit(main())
