"""One error dialog (message up front, traceback behind "Show Details…") and the excepthooks."""
from __future__ import annotations

import logging
import os
import sys
import threading
import traceback

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from inference.runtime.errors import WorkbenchError

log = logging.getLogger(__name__)


def dialogs_enabled() -> bool:
    return os.environ.get("MMWB_NO_ERROR_DIALOG") != "1"


def make_error_box(parent: QWidget | None, title: str, message: str, details: str = "",
                   hint: str = "") -> QMessageBox:
    box = QMessageBox(parent)
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(title)
    box.setText(message)
    if hint:
        box.setInformativeText(hint)
    if details:
        box.setDetailedText(details)
    box.setStandardButtons(QMessageBox.StandardButton.Ok)
    return box


def show_error(parent: QWidget | None, title: str, exc_or_message, details: str = "") -> QMessageBox | None:
    """Show an error. A WorkbenchError shows its message and hint; anything else also its traceback."""
    if isinstance(exc_or_message, WorkbenchError):
        message, hint = exc_or_message.message, exc_or_message.hint
    elif isinstance(exc_or_message, BaseException):
        message, hint = f"{type(exc_or_message).__name__}: {exc_or_message}", "This is a bug; the details help to report it."
    else:
        message, hint = str(exc_or_message), ""
    log.error("%s: %s %s", title, message, hint)
    if not dialogs_enabled():
        return None
    box = make_error_box(parent, title, message, details, hint)
    box.open()
    return box


class ExceptHook(QObject):
    """Routes uncaught exceptions (any thread) to the GUI thread as a signal."""

    caught = Signal(object, str)  # the exception (a user-facing WorkbenchError where possible), traceback

    def install(self) -> None:
        self._old = sys.excepthook, threading.excepthook
        sys.excepthook = self._hook
        threading.excepthook = lambda a: self._hook(a.exc_type, a.exc_value, a.exc_traceback)

    def uninstall(self) -> None:
        if hasattr(self, "_old"):
            sys.excepthook, threading.excepthook = self._old

    def _hook(self, etype, value, tb) -> None:
        text = "".join(traceback.format_exception(etype, value, tb))
        log.error("uncaught exception:\n%s", text)
        if isinstance(value, KeyboardInterrupt):
            return
        self.caught.emit(as_user_error(value), text)


def as_user_error(exc: BaseException) -> BaseException:
    """A file-system error in a slot (an unwritable export path, a vanished file) is the user's to fix, not a
    bug: say what and where, without a traceback."""
    if isinstance(exc, OSError) and not isinstance(exc, WorkbenchError):
        where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
        return WorkbenchError(f"{exc.strerror or exc}{where}", "check the path, the disk space and the permissions")
    return exc
