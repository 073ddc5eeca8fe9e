"""The one typed wrapper around QSettings (ini file in the user's config folder)."""
from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings

from inference.runtime.paths import config_dir
from inference.runtime.settings import RuntimeSettings

MAX_RECENT = 10


class Settings:
    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else config_dir() / "gui.ini"
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.q = QSettings(str(self.path), QSettings.Format.IniFormat)

    # ----- recent files -----
    def recent_files(self) -> list[str]:
        v = self.q.value("recent/files", [])
        if isinstance(v, str):
            v = [v]
        return [str(p) for p in (v or [])]

    def add_recent(self, path: str) -> list[str]:
        path = os.path.abspath(path)
        files = [p for p in self.recent_files() if p != path]
        files.insert(0, path)
        files = files[:MAX_RECENT]
        self.q.setValue("recent/files", files)
        self.q.sync()
        return files

    def clear_recent(self) -> None:
        self.q.setValue("recent/files", [])
        self.q.sync()

    # ----- plain values -----
    def value(self, key: str, default=None, type_=None):
        v = self.q.value(key, default)
        if type_ is not None and v is not None:
            try:
                if type_ is bool and isinstance(v, str):
                    return v.lower() in ("1", "true", "yes")
                return type_(v)
            except (TypeError, ValueError):
                return default
        return v

    def set_value(self, key: str, value) -> None:
        self.q.setValue(key, value)
        self.q.sync()

    def last_dir(self) -> str:
        return str(self.value("files/last_dir", str(Path.home())))

    def set_last_dir(self, path: str) -> None:
        self.set_value("files/last_dir", str(Path(path).parent if Path(path).is_file() else path))

    def geometry(self) -> QByteArray | None:
        v = self.q.value("window/geometry")
        return v if isinstance(v, QByteArray) else None

    def set_geometry(self, geometry: QByteArray, state: QByteArray) -> None:
        self.q.setValue("window/geometry", geometry)
        self.q.setValue("window/state", state)
        self.q.sync()

    def window_state(self) -> QByteArray | None:
        v = self.q.value("window/state")
        return v if isinstance(v, QByteArray) else None

    # ----- runtime (shared with the CLI through inference.runtime.settings) -----
    def runtime(self) -> RuntimeSettings:
        return RuntimeSettings.load()

    def set_runtime(self, provider: str, threads: int) -> RuntimeSettings:
        rs = RuntimeSettings(provider=provider, threads=int(threads))
        rs.save()
        return RuntimeSettings.load()
