"""The shape every panel shares."""
from __future__ import annotations

from typing import Any, Callable

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..context import AppContext
from ..jobs import Job


class BasePanel(QWidget):
    panel_id: str = "base"
    title: str = "Panel"
    file_kinds: tuple[str, ...] = ()
    tooltip: str = ""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx

    def open_file(self, path: str) -> None:
        """Open a file routed to this panel (drop, File ▸ Open, recent files)."""
        raise NotImplementedError

    def start_job(self, title: str, fn: Callable, *args: Any, on_result: Callable | None = None,
                  on_error: Callable | None = None, on_progress: Callable | None = None,
                  replace: bool = True, **kwargs: Any) -> Job:
        """Run fn(*args, progress=…, is_cancelled=…, **kwargs) in the pool; newest job of this panel wins
        unless replace=False."""
        return self.ctx.jobs.start(title, fn, *args, on_result=on_result, on_error=on_error,
                                   on_progress=on_progress, owner=self.panel_id if replace else None,
                                   replace=replace, **kwargs)

    def add_recent(self, path: str) -> None:
        self.ctx.add_recent(path)


class PlaceholderPanel(BasePanel):
    """Shown while a panel is not installed yet: says what is coming, shows no fake result."""

    def __init__(self, ctx: AppContext, panel_id: str, title: str, coming: str, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.panel_id, self.title = panel_id, title
        lay = QVBoxLayout(self)
        label = QLabel(f"<h2>{title}</h2><p>This panel is not available in this build yet.</p><p>{coming}</p>")
        label.setWordWrap(True)
        lay.addWidget(label)
        lay.addStretch(1)

    def open_file(self, path: str) -> None:
        self.ctx.show_status(f"{self.title} is not available in this build yet; cannot open {path}")
