"""Runtime settings shared by the GUI and the CLI (a small JSON file; no Qt).

Environment variables override the file: MMWB_PROVIDER (auto|cpu|cuda), MMWB_THREADS (0 = onnxruntime's default),
MMWB_SPIN (1 = let onnxruntime's idle threads spin-wait).
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from .paths import config_dir

PROVIDERS = ("auto", "cpu", "cuda")


@dataclass
class RuntimeSettings:
    provider: str = "auto"
    threads: int = 0  # intra-op threads per session; 0 = onnxruntime chooses
    # onnxruntime's intra-op threads spin-wait for work after each run by default. In this app a model
    # runs beside other CPU work (the video decoder process, the GUI), which the spinning starves:
    # indexing ran at 71% of decode-only speed with spinning, 78-84% without (bench/video_index_throughput.py);
    # a single small model call costs ~0.1 ms more without it (bench/time_models.py).
    spin: bool = False

    @classmethod
    def path(cls) -> Path:
        return config_dir() / "runtime.json"

    @classmethod
    def load(cls) -> "RuntimeSettings":
        s = cls()
        try:
            raw = json.loads(cls.path().read_text(encoding="utf-8"))
            s.provider = str(raw.get("provider", s.provider))
            s.threads = int(raw.get("threads", s.threads))
            s.spin = bool(raw.get("spin", s.spin))
        except (OSError, ValueError, TypeError, AttributeError):
            pass
        if os.environ.get("MMWB_PROVIDER"):
            s.provider = os.environ["MMWB_PROVIDER"]
        if os.environ.get("MMWB_THREADS"):
            try:
                s.threads = int(os.environ["MMWB_THREADS"])
            except ValueError:
                pass
        if os.environ.get("MMWB_SPIN"):
            s.spin = os.environ["MMWB_SPIN"] not in ("0", "false", "no")
        if s.provider not in PROVIDERS:
            s.provider = "auto"
        s.threads = max(0, min(s.threads, 256))
        return s

    def save(self) -> None:
        p = self.path()
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
