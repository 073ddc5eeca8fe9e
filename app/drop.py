"""File-type routing (which panel opens which file) and the drag-and-drop mixin."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent

from inference import panels


KINDS = panels.all_file_kinds()  # kind -> suffixes, from every panel's inference/<panel>/io.py


def kind_of(path: str | Path) -> str | None:
    return panels.kind_of(path)


def local_paths(mime) -> list[str]:
    if mime is None or not mime.hasUrls():
        return []
    return [u.toLocalFile() for u in mime.urls() if u.isLocalFile() and u.toLocalFile()]


class DropMixin:
    """Mix into a QWidget that defines `files_dropped = Signal(list)` and `can_open(path) -> bool`."""

    def _acceptable(self, mime) -> bool:
        return any(self.can_open(p) for p in local_paths(mime))

    def dragEnterEvent(self, e: QDragEnterEvent) -> None:  # noqa: N802 (Qt name)
        if self._acceptable(e.mimeData()):
            e.acceptProposedAction()
        else:
            e.ignore()

    def dragMoveEvent(self, e: QDragMoveEvent) -> None:  # noqa: N802
        if self._acceptable(e.mimeData()):
            e.acceptProposedAction()
        else:
            e.ignore()

    def dropEvent(self, e: QDropEvent) -> None:  # noqa: N802
        paths = [p for p in local_paths(e.mimeData()) if self.can_open(p)]
        if not paths:
            e.ignore()
            return
        e.acceptProposedAction()
        self.files_dropped.emit(paths)


__all__ = ["KINDS", "kind_of", "local_paths", "DropMixin"]
