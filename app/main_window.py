"""The main window: four panels, the Jobs and Log docks, menus, status bar, drag-and-drop routing."""
from __future__ import annotations

import importlib
import logging
import os
import traceback
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (QDockWidget, QFileDialog, QInputDialog, QLabel, QMainWindow, QMessageBox,
                               QStackedLayout, QTabWidget, QWidget)

from inference import panels
from inference.runtime.errors import WorkbenchError

from .context import AppContext
from .dialogs import ModelsDialog, SettingsDialog, show_about
from .drop import DropMixin, KINDS, kind_of
from .errors import ExceptHook, dialogs_enabled, show_error
from .jobs import JobFailure, JobManager
from .panels.base import BasePanel, PlaceholderPanel
from .settings import Settings
from .widgets.jobs_dock import JobsWidget
from .widgets.log_dock import LogView

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class PanelSpec:
    """A panel of the registry (inference.panels), as the window hosts it."""
    info: panels.PanelInfo

    @property
    def panel_id(self) -> str:
        return self.info.name

    @property
    def module(self) -> str:
        return self.info.app_module

    @property
    def title(self) -> str:
        return self.info.title

    @property
    def kinds(self) -> tuple[str, ...]:
        return tuple(self.info.file_kinds())

    @property
    def about(self) -> str:
        return self.info.about


PANELS = tuple(PanelSpec(info) for info in panels.PANELS)


class PanelHost(QWidget):
    """Holds a panel and builds it on first use, so the window appears before heavy panels import."""

    def __init__(self, spec: PanelSpec, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.spec, self.ctx = spec, ctx
        self.panel: BasePanel | None = None
        self.error: str | None = None
        self._layout = QStackedLayout(self)
        self._layout.addWidget(QLabel(f"Loading {spec.title}…", alignment=Qt.AlignmentFlag.AlignCenter))

    def ensure(self) -> BasePanel:
        if self.panel is not None:
            return self.panel
        spec = self.spec
        try:
            mod = importlib.import_module(spec.module)
            panel = getattr(mod, spec.info.app_class)(self.ctx)
        except ModuleNotFoundError as e:
            if e.name and spec.module.startswith(e.name):
                panel = PlaceholderPanel(self.ctx, spec.panel_id, spec.title, spec.about)
            else:
                panel = self._broken(e)
        except Exception as e:  # a broken panel must not take the app down
            panel = self._broken(e)
        self.panel = panel
        self._layout.addWidget(panel)
        self._layout.setCurrentWidget(panel)
        return panel

    def _broken(self, e: Exception) -> BasePanel:
        self.error = "".join(traceback.format_exception(e))
        log.error("panel %s failed to load:\n%s", self.spec.panel_id, self.error)
        return PlaceholderPanel(self.ctx, self.spec.panel_id, self.spec.title,
                                f"This panel failed to load: {type(e).__name__}: {e}. See the Log dock.")


class MainWindow(DropMixin, QMainWindow):
    files_dropped = Signal(list)
    provider_known = Signal(str, str)  # short name, reason

    def __init__(self, settings: Settings | None = None, check_models: bool = True):
        super().__init__()
        self.setWindowTitle("Multimodal Workbench")
        self.setAcceptDrops(True)
        self.settings = settings or Settings()
        self.jobs = JobManager(self)
        self.ctx = AppContext(self.settings, self.jobs, add_recent=self.add_recent,
                              show_status=lambda t: self.statusBar().showMessage(t, 8000))
        self.provider_text = "detecting…"
        self.confirm_close = dialogs_enabled()

        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.hosts: list[PanelHost] = []
        for spec in PANELS:
            host = PanelHost(spec, self.ctx)
            self.hosts.append(host)
            i = self.tabs.addTab(host, spec.title)
            self.tabs.setTabToolTip(i, spec.about)
        self.tabs.currentChanged.connect(lambda i: QTimer.singleShot(0, self.hosts[i].ensure))
        self.setCentralWidget(self.tabs)

        self.jobs_widget = JobsWidget(self.jobs)
        self.jobs_dock = self._dock("Jobs", self.jobs_widget, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.log_view = LogView()
        self.log_view.attach()
        self.log_dock = self._dock("Log", self.log_view, Qt.DockWidgetArea.BottomDockWidgetArea)
        self.tabifyDockWidget(self.jobs_dock, self.log_dock)
        self.jobs_dock.raise_()
        self.resizeDocks([self.jobs_dock], [150], Qt.Orientation.Vertical)

        self.provider_label = QLabel("Provider: detecting…")
        self.jobs_label = QLabel("No jobs")
        self.statusBar().addPermanentWidget(self.jobs_label)
        self.statusBar().addPermanentWidget(self.provider_label)
        self.jobs.count_changed.connect(lambda n: self.jobs_label.setText(f"{n} job(s) running" if n else "No jobs"))
        self.jobs.job_failed.connect(self._job_failed)
        self.files_dropped.connect(self.open_paths)
        self.provider_known.connect(self._set_provider)

        self.excepthook = ExceptHook(self)
        self.excepthook.caught.connect(self._uncaught)
        self._build_menus()
        self.resize(1400, 900)
        if self.settings.geometry() is not None:
            self.restoreGeometry(self.settings.geometry())
        self._check_models = check_models
        self._started = False

    # ----- construction helpers -----
    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        d = QDockWidget(title, self)
        d.setObjectName(f"dock_{title.lower()}")
        d.setWidget(widget)
        self.addDockWidget(area, d)
        return d

    def _action(self, menu, text: str, slot, shortcut=None, tip: str = "") -> QAction:
        a = QAction(text, self)
        if shortcut:
            a.setShortcut(QKeySequence(shortcut))
        if tip:
            a.setStatusTip(tip)
            a.setToolTip(tip)
        a.triggered.connect(slot)
        menu.addAction(a)
        return a

    def _build_menus(self) -> None:
        mb = self.menuBar()
        f = mb.addMenu("&File")
        self._action(f, "&Open…", self.open_dialog, QKeySequence.StandardKey.Open,
                     "Open a file; it goes to the panel that reads it")
        self.recent_menu = f.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        f.addSeparator()
        self._action(f, "&Settings…", self.open_settings, "Ctrl+,", "Execution provider and threads")
        f.addSeparator()
        self._action(f, "&Quit", self.close, QKeySequence.StandardKey.Quit)
        v = mb.addMenu("&View")
        for i, spec in enumerate(PANELS):
            self._action(v, spec.title, lambda _=False, i=i: self.tabs.setCurrentIndex(i), f"Ctrl+{i + 1}")
        v.addSeparator()
        ja = self.jobs_dock.toggleViewAction()
        ja.setShortcut(QKeySequence("Ctrl+J"))
        v.addAction(ja)
        la = self.log_dock.toggleViewAction()
        la.setShortcut(QKeySequence("Ctrl+L"))
        v.addAction(la)
        j = mb.addMenu("&Jobs")
        self._action(j, "Cancel &all jobs", self.jobs.cancel_all, "Ctrl+Shift+X")
        h = mb.addMenu("&Help")
        self._action(h, "&Models…", self.check_models, tip="Load every model and show its status")
        self._action(h, "&About", lambda: show_about(self, self.provider_text), "F1")

    # ----- start-up work (after the window is shown) -----
    def showEvent(self, e) -> None:  # noqa: N802
        super().showEvent(e)
        if not self._started:
            self._started = True
            self.excepthook.install()
            QTimer.singleShot(0, self.hosts[self.tabs.currentIndex()].ensure)
            QTimer.singleShot(0, self._detect_provider)

    def _detect_provider(self) -> None:
        def detect(progress, is_cancelled):
            from inference.runtime.providers import choose_providers, short_name
            from inference.runtime.settings import RuntimeSettings

            providers, reason = choose_providers(RuntimeSettings.load().provider)
            return short_name(providers[0]), reason

        def done(res):
            self.provider_known.emit(*res)
            if self._check_models:
                self.check_models(quiet=True)

        self.jobs.start("Detecting execution provider", detect, on_result=done)

    def _set_provider(self, name: str, reason: str) -> None:
        self.provider_text = f"{name} ({reason})"
        self.provider_label.setText(f"Provider: {name}")
        self.provider_label.setToolTip(reason)
        log.info("execution provider: %s — %s", name, reason)

    def check_models(self, quiet: bool = False) -> None:
        def run(progress, is_cancelled):
            from inference.runtime.registry import get_registry

            return get_registry().check_all()

        def done(rows):
            bad = [r for r in rows if not r["ok"]]
            for r in bad:
                log.error("model %s: %s", r["name"], r["error"])
            if quiet and not bad:
                self.statusBar().showMessage(f"{len(rows)} model(s) loaded fine", 5000)
                return
            if quiet and bad:
                self.statusBar().showMessage(f"{len(bad)} model(s) unusable — Help ▸ Models… for details", 15000)
                if dialogs_enabled():
                    QMessageBox.warning(self, "Some models cannot be used",
                                        "\n".join(f"{r['name']}: {r['error']}" for r in bad)
                                        + "\n\nThe rest of the app works; panels that need these models will say so.")
                return
            if dialogs_enabled():
                ModelsDialog(rows, self).open()

        self.jobs.start("Checking models", run, on_result=done)

    # ----- files -----
    def panel_kinds(self) -> set[str]:
        return {k for spec in PANELS for k in spec.kinds}

    def can_open(self, path: str) -> bool:
        return kind_of(path) in self.panel_kinds()

    def candidates(self, path: str) -> list[PanelHost]:
        kind = kind_of(path)
        return [h for h in self.hosts if kind in h.spec.kinds]

    def choose_panel(self, path: str, hosts: list[PanelHost]) -> PanelHost | None:
        """Ask which panel should open a file that fits several (e.g. an image)."""
        titles = [h.spec.title for h in hosts]
        item, ok = QInputDialog.getItem(self, "Open with…", f"Which panel should open {Path(path).name}?",
                                        titles, 0, False)
        return hosts[titles.index(item)] if ok else None

    def route(self, path: str) -> PanelHost | None:
        hosts = self.candidates(path)
        if not hosts:
            kind_list = ", ".join(sorted({e for k in self.panel_kinds() for e in KINDS.get(k, ())}))
            show_error(self, "Cannot open file", WorkbenchError(
                f"{Path(path).name}: no panel opens this type of file", f"supported: {kind_list}, or a folder of videos"))
            return None
        return hosts[0] if len(hosts) == 1 else self.choose_panel(path, hosts)

    def open_paths(self, paths: list[str]) -> None:
        for path in paths:
            host = self.route(path)
            if host is None:
                continue
            self.tabs.setCurrentWidget(host)
            panel = host.ensure()
            try:
                panel.open_file(path)
                self.add_recent(path)
            except WorkbenchError as e:
                show_error(self, "Cannot open file", e)
            except Exception as e:  # noqa: BLE001
                show_error(self, "Cannot open file", e, traceback.format_exc())

    def open_dialog(self) -> None:
        exts = " ".join(f"*{e}" for k in sorted(self.panel_kinds()) for e in KINDS.get(k, ()))
        paths, _ = QFileDialog.getOpenFileNames(self, "Open", self.settings.last_dir(),
                                                f"Supported files ({exts});;All files (*)")
        if paths:
            self.settings.set_last_dir(paths[0])
            self.open_paths(paths)

    def add_recent(self, path: str) -> None:
        self.settings.add_recent(path)

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.settings.recent_files()
        if not files:
            a = self.recent_menu.addAction("(none)")
            a.setEnabled(False)
            return
        for i, p in enumerate(files):
            a = self.recent_menu.addAction(f"&{(i + 1) % 10} {Path(p).name}")
            a.setToolTip(p)
            a.setEnabled(os.path.exists(p))
            a.triggered.connect(lambda _=False, p=p: self.open_paths([p]))
        self.recent_menu.addSeparator()
        self.recent_menu.addAction("Clear list", self.settings.clear_recent)

    # ----- settings, errors, closing -----
    def open_settings(self) -> None:
        dlg = SettingsDialog(self.settings, self)
        if dlg.exec():
            rs = dlg.apply()
            from inference.runtime.registry import reset_registry

            reset_registry()
            log.info("settings saved: provider=%s threads=%s", rs.provider, rs.threads)
            self._detect_provider()

    def _uncaught(self, exc: BaseException, tb: str) -> None:
        if isinstance(exc, WorkbenchError):  # a clear error raised in a slot: message and hint, no traceback
            show_error(self, "Error", exc)
        else:
            show_error(self, "Unexpected error", exc, tb)

    def _job_failed(self, job, failure: JobFailure) -> None:
        log.error("job '%s' failed: %s", failure.title, failure.message)
        if job is not None and not getattr(job, "dialog", True) and failure.expected:
            return  # the panel shows it in its own error line
        exc = failure.exception
        if failure.expected and not isinstance(exc, WorkbenchError):
            exc = WorkbenchError(failure.message)
        show_error(self, f"{failure.title} failed", exc, "" if failure.expected else failure.traceback)

    def closeEvent(self, e: QCloseEvent) -> None:  # noqa: N802
        if self.jobs.jobs and self.confirm_close:
            ans = QMessageBox.question(self, "Quit?", f"{len(self.jobs.jobs)} job(s) are still running. "
                                       "Cancel them and quit?")
            if ans != QMessageBox.StandardButton.Yes:
                e.ignore()
                return
        self.settings.set_geometry(self.saveGeometry(), self.saveState())
        for h in self.hosts:
            if h.panel is not None and hasattr(h.panel, "shutdown"):
                h.panel.shutdown()
        if not self.jobs.shutdown(5000):  # a job that cannot stop between steps (one long kernel call)
            log.warning("some jobs did not stop within 5 s; waiting for them before closing")
            self.hide()
            self.jobs.pool.waitForDone()
        self.excepthook.uninstall()
        self.log_view.detach()
        super().closeEvent(e)
