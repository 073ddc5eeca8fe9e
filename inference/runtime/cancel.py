"""Cooperative cancellation and progress reporting for long work (no Qt).

Long functions in `inference/` take two optional callables:
``progress(fraction: float, message: str)`` and ``is_cancelled() -> bool``.
They call :func:`check` between steps, which raises :class:`Cancelled`.
"""
from __future__ import annotations

import threading
from typing import Callable, Optional

from .errors import Cancelled

ProgressFn = Callable[[float, str], None]
CancelFn = Callable[[], bool]


def no_progress(fraction: float, message: str = "") -> None:
    return None


def never_cancelled() -> bool:
    return False


def check(is_cancelled: Optional[CancelFn]) -> None:
    if is_cancelled is not None and is_cancelled():
        raise Cancelled()


def sub_progress(progress: Optional[ProgressFn], start: float, end: float) -> ProgressFn:
    """Map a sub-step's 0..1 onto start..end of the caller's bar."""
    if progress is None:
        return no_progress

    def _p(fraction: float, message: str = "") -> None:
        f = min(max(float(fraction), 0.0), 1.0)
        progress(start + (end - start) * f, message)

    return _p


class CancelToken:
    """A thread-safe flag; also terminates onnxruntime runs registered with it."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._run_options: list = []

    def cancel(self) -> None:
        self._event.set()
        with self._lock:
            for ro in self._run_options:
                try:
                    ro.terminate = True
                except Exception:  # pragma: no cover - best effort
                    pass

    def is_cancelled(self) -> bool:
        return self._event.is_set()

    __call__ = is_cancelled

    def register(self, run_options) -> None:
        with self._lock:
            self._run_options.append(run_options)
            if self._event.is_set():
                run_options.terminate = True

    def unregister(self, run_options) -> None:
        with self._lock:
            if run_options in self._run_options:
                self._run_options.remove(run_options)


def as_token(is_cancelled) -> CancelToken | None:
    """The CancelToken behind an `is_cancelled` callable, if it is one (lets ONNX runs be terminated)."""
    return is_cancelled if isinstance(is_cancelled, CancelToken) else None
