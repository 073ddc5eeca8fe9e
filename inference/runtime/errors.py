"""User-facing errors. Every error the GUI or CLI shows says what was wrong and what to do."""
from __future__ import annotations


class WorkbenchError(Exception):
    """An error with a one-line message and a hint on what to do about it."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint

    def one_line(self) -> str:
        return f"{self.message} — {self.hint}" if self.hint else self.message

    def __str__(self) -> str:  # pragma: no cover - trivial
        return self.one_line()


class InputError(WorkbenchError):
    """A user's file or argument is unusable (corrupt, wrong type, out of range)."""


class ModelError(WorkbenchError):
    """A model or its manifest is missing, corrupt, or does not match its declared signature."""


class ModelNotFound(ModelError):
    pass


class Cancelled(WorkbenchError):
    """Raised inside a job when the user cancelled it."""

    def __init__(self, message: str = "Cancelled by the user", hint: str = ""):
        super().__init__(message, hint)
