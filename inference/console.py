"""The one console helper every panel's commands use (no Qt).

- `Console.progress(fraction, message)` draws one `\\r` progress line on stderr (throttled); any other
  message first ends that line, so an `error:` never lands on the same line as a progress bar.
- `--json` (a flag: the result as one JSON object on stdout) and `--quiet` (no progress, no notes) come from
  `add_output_flags(parser)`; `--debug` is the top-level flag of `mmwb`.
- Without `--debug`, library warnings (numpy, PIL, …) and native libraries' log lines (libav, OpenCV) are
  kept off the user's stderr: `quiet_libraries()`.

A command gets its console from `Console.from_args(args)`; `inference.cli.main` ends the active progress
line before it prints an error.
"""
from __future__ import annotations

import json
import logging
import os
import sys
import time
import warnings
from typing import Any, TextIO

_active: "Console | None" = None


def add_output_flags(parser, json_help: str = "print the result as one JSON object on stdout") -> None:
    """`--json` and `--quiet`, the same for every panel command."""
    parser.add_argument("--json", action="store_true", help=json_help)
    parser.add_argument("--quiet", "-q", action="store_true", help="no progress line and no notes on stderr")


class Console:
    INTERVAL = 0.1  # seconds between progress redraws

    def __init__(self, json_out: bool = False, quiet: bool = False, stream: TextIO | None = None):
        global _active
        self.json = json_out
        self.quiet = quiet
        self.stream = stream if stream is not None else sys.stderr
        self._open = False  # a progress line is on screen without its newline
        self._last = 0.0
        _active = self

    @classmethod
    def from_args(cls, args) -> "Console":
        return cls(json_out=bool(getattr(args, "json", False)), quiet=bool(getattr(args, "quiet", False)))

    # progress ------------------------------------------------------------------------------------------
    def progress(self, fraction: float, message: str = "") -> None:
        """A callable for inference functions' `progress=`; silent with --quiet or --json."""
        if self.quiet or self.json:
            return
        now = time.monotonic()
        if now - self._last < self.INTERVAL and fraction < 1.0:
            return
        self._last = now
        width = 60
        text = f"\r[{max(0.0, min(1.0, float(fraction))) * 100:5.1f}%] {str(message)[:width]:{width}s}"
        self.stream.write(text)
        self.stream.flush()
        self._open = True

    def end_progress(self) -> None:
        """Finish the progress line (a newline), if one is open."""
        if self._open:
            self.stream.write("\n")
            self.stream.flush()
            self._open = False

    # messages ------------------------------------------------------------------------------------------
    def note(self, message: str) -> None:
        """A line for the user on stderr (not with --quiet)."""
        if self.quiet:
            return
        self.end_progress()
        print(message, file=self.stream, flush=True)

    def warn(self, message: str) -> None:
        """A warning is shown even with --quiet: the user must know."""
        self.end_progress()
        print(f"warning: {message}", file=self.stream, flush=True)

    def error(self, message: str, hint: str = "") -> None:
        self.end_progress()
        print(f"error: {message}", file=self.stream, flush=True)
        if hint:
            print(f"hint: {hint}", file=self.stream, flush=True)

    def out(self, text: str = "") -> None:
        """A line of the command's result on stdout."""
        self.end_progress()
        print(text, flush=True)

    def emit_json(self, obj: Any, **dumps_kwargs: Any) -> None:
        """The command's result as one JSON object on stdout."""
        self.end_progress()
        dumps_kwargs.setdefault("indent", 2)
        print(json.dumps(obj, **dumps_kwargs), flush=True)


def active() -> Console | None:
    """The console of the command that is running (for `inference.cli.main` to end its progress line)."""
    return _active


def end_active_progress() -> None:
    if _active is not None:
        _active.end_progress()


def quiet_libraries(debug: bool) -> None:
    """Keep numpy/PIL/other library warnings and native libraries' log lines off stderr unless --debug."""
    if debug:
        return
    warnings.simplefilter("ignore")
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    os.environ.setdefault("OPENCV_FFMPEG_LOGLEVEL", "-8")  # libav's own lines (AV_LOG_QUIET); decoders inherit it
    for name in ("PIL", "matplotlib", "numba", "rapidocr", "RapidOCR", "onnxruntime", "open3d"):
        logging.getLogger(name).setLevel(logging.ERROR)


def nothing_processed(console: Console, what: str, hint: str = "") -> int:
    """The exit status of a command that could process none of its inputs: an error line and 2."""
    console.error(f"nothing was processed: {what}", hint)
    return 2
