"""Settings, About and Models dialogs."""
from __future__ import annotations

import platform
from importlib import metadata

from PySide6.QtWidgets import (QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QMessageBox,
                               QSpinBox, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from inference.runtime.paths import user_models_dir
from inference.runtime.settings import PROVIDERS

from .settings import Settings


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Settings")
        self.settings = settings
        rs = settings.runtime()
        form = QFormLayout(self)
        self.provider = QComboBox()
        self.provider.addItems(list(PROVIDERS))
        self.provider.setCurrentText(rs.provider)
        self.provider.setToolTip("auto: CUDA when it really works, CPU otherwise. The status bar says which is used.")
        self.threads = QSpinBox()
        self.threads.setRange(0, 256)
        self.threads.setValue(rs.threads)
        self.threads.setSpecialValueText("automatic")
        self.threads.setToolTip("Threads per model session (0 = let onnxruntime choose)")
        form.addRow("Execution provider", self.provider)
        form.addRow("Inference threads", self.threads)
        models = QLabel(f"<small>Add your own models: put a manifest (.json) and its .onnx in<br>"
                        f"<code>{user_models_dir()}</code></small>")
        models.setWordWrap(True)
        form.addRow(models)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def apply(self):
        return self.settings.set_runtime(self.provider.currentText(), self.threads.value())


def versions_text() -> str:
    rows = [f"Multimodal Workbench {_version('mm-workbench')}", f"Python {platform.python_version()}"]
    for pkg in ("PySide6-Essentials", "onnxruntime-gpu", "onnxruntime", "numpy", "pyqtgraph",
                "opencv-python-headless", "open3d-cpu"):
        v = _version(pkg)
        if v != "?":
            rows.append(f"{pkg} {v}")
    return "\n".join(rows)


def _version(pkg: str) -> str:
    try:
        return metadata.version(pkg)
    except metadata.PackageNotFoundError:
        return "?"


def show_about(parent: QWidget | None, provider_text: str) -> None:
    QMessageBox.about(parent, "About Multimodal Workbench",
                      "<b>Multimodal Workbench</b><br>Run multimodal models locally on your own files.<br><br>"
                      + versions_text().replace("\n", "<br>") + f"<br><br>Execution provider: {provider_text}")


class ModelsDialog(QDialog):
    """The doctor's model table: every model, whether it loads, and why not."""

    def __init__(self, rows: list[dict], parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Models")
        self.resize(820, 360)
        lay = QVBoxLayout(self)
        t = QTableWidget(len(rows), 5)
        t.setHorizontalHeaderLabels(["Model", "Task", "Status", "Load (s)", "Provider"])
        for i, r in enumerate(rows):
            prov = ", ".join(sorted({p["provider"] for p in r.get("parts", {}).values()})) or "—"
            vals = [r["name"], r["task"], "OK" if r["ok"] else f"FAILED: {r['error']}",
                    f"{r['load_s']:.3f}" if r.get("load_s") is not None else "—", prov]
            for j, v in enumerate(vals):
                item = QTableWidgetItem(v)
                item.setToolTip(v)
                t.setItem(i, j, item)
        t.resizeColumnsToContents()
        lay.addWidget(t)
        if not rows:
            lay.addWidget(QLabel("No models are installed."))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)
