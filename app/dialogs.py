"""Settings, About and Models dialogs."""
from __future__ import annotations

import html
import platform
from importlib import metadata

from PySide6.QtWidgets import (QAbstractItemView, QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel,
                               QMessageBox, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem, QTextBrowser,
                               QVBoxLayout, QWidget)
from PySide6.QtCore import Qt

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


def _lookup(raw: dict, path):
    """A figure of a card: a dotted path into the manifest ("metrics.binary.t2v_acc") is read from it (so the
    card shows the measured value, whatever it is now); anything else is shown as written."""
    if not isinstance(path, str) or "." not in path or " " in path:
        return path
    cur = raw
    for part in path.split("."):
        if not isinstance(cur, dict) or part not in cur:
            return path
        cur = cur[part]
    return cur


def _fmt(v) -> str:
    if isinstance(v, float):
        return f"{100 * v:.1f}%" if 0.0 <= v <= 1.0 else f"{v:.3g}"
    return html.escape(str(v))


def card_html(raw: dict) -> str:
    """A model card from a manifest's "card" object (any panel's): summary, what it knows, what it does not,
    its measured figures, and its calibration when it has one; "" when the manifest has no card."""
    card = raw.get("card")
    if not isinstance(card, dict):
        return ""
    esc = html.escape
    out = [f"<h3>{esc(str(raw.get('name', '')))}</h3>"]
    if card.get("summary") or raw.get("description"):
        out.append(f"<p>{esc(str(card.get('summary') or raw.get('description')))}</p>")
    for key, title in (("knows", "What it knows"), ("does_not_know", "What it does not know")):
        items = card.get(key) or []
        if items:
            out.append(f"<p><b>{title}</b></p><ul>" + "".join(f"<li>{esc(str(x))}</li>" for x in items) + "</ul>")
    if card.get("direction"):
        out.append(f"<p><b>Direction of time:</b> {esc(str(card['direction']))}</p>")
    figs = card.get("figures") or {}
    if figs:
        on = _lookup(raw, card.get("figures_on")) if card.get("figures_on") else ""
        out.append("<p><b>Measured</b>" + (f" on {_fmt(on)}" if on else "") + "</p><table>"
                   + "".join(f"<tr><td>{esc(k)}</td><td align=right>&nbsp;{_fmt(_lookup(raw, v))}</td></tr>"
                             for k, v in figs.items()) + "</table>")
    cal = raw.get("calibration")
    if isinstance(cal, dict) and "strong" in cal and "weak" in cal:
        out.append(f"<p><b>Match strength</b> (fitted on {esc(str(cal.get('fitted_on', 'held-out data')))}): "
                   f"strong at score ≥ {cal['strong']:.3f}, weak at ≥ {cal['weak']:.3f}, none below."
                   + (f" Direction too close to call within {cal['direction_margin']:.3g}."
                      if cal.get("direction_margin") is not None else "") + "</p>")
    for key, title in (("trained_by", "Trained by"), ("evaluated_by", "Evaluated by"), ("calibrated_by", "Calibrated by")):
        if raw.get(key):
            out.append(f"<p><small>{title}: <code>{esc(str(raw[key]))}</code></small></p>")
    return "".join(out)


def _manifests_for(rows: list[dict]) -> dict:
    """{name: raw manifest} of the rows' models, from the registry (missing ones left out)."""
    try:
        from inference.runtime.registry import get_registry
        reg = get_registry()
    except Exception:  # noqa: BLE001 - the table still shows
        return {}
    out = {}
    for r in rows:
        try:
            out[r["name"]] = reg.get(r["name"]).raw
        except Exception:  # noqa: BLE001 - a broken model has no card
            pass
    return out


class ModelsDialog(QDialog):
    """The doctor's model table: every model, whether it loads, and why not; below it the selected model's
    card (what it knows, what it does not, its measured figures) for manifests that have a "card"."""

    def __init__(self, rows: list[dict], parent: QWidget | None = None, manifests: dict | None = None):
        super().__init__(parent)
        self.setWindowTitle("Models")
        self.resize(900, 640)
        self.manifests = _manifests_for(rows) if manifests is None else manifests
        self.rows = rows
        lay = QVBoxLayout(self)
        split = QSplitter(Qt.Orientation.Vertical)
        t = self.table = QTableWidget(len(rows), 6)
        t.setHorizontalHeaderLabels(["Model", "Task", "Status", "Load (s)", "Provider", "Card"])
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        t.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for i, r in enumerate(rows):
            prov = ", ".join(sorted({p["provider"] for p in r.get("parts", {}).values()})) or "—"
            has_card = bool(card_html(self.manifests.get(r["name"], {})))
            vals = [r["name"], r["task"], "OK" if r["ok"] else f"FAILED: {r['error']}",
                    f"{r['load_s']:.3f}" if r.get("load_s") is not None else "—", prov, "yes" if has_card else "—"]
            for j, v in enumerate(vals):
                item = QTableWidgetItem(v)
                item.setToolTip(v)
                t.setItem(i, j, item)
        t.resizeColumnsToContents()
        split.addWidget(t)
        self.card = QTextBrowser()
        self.card.setOpenExternalLinks(False)
        split.addWidget(self.card)
        split.setSizes([260, 380])
        lay.addWidget(split, 1)
        if not rows:
            lay.addWidget(QLabel("No models are installed."))
        t.currentCellChanged.connect(lambda row, *_: self.show_card(row))
        first = next((i for i, r in enumerate(rows) if card_html(self.manifests.get(r["name"], {}))), 0)
        if rows:
            t.setCurrentCell(first, 0)
        self.show_card(first)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay.addWidget(buttons)

    def show_card(self, row: int) -> None:
        if not (0 <= row < len(self.rows)):
            self.card.setHtml("")
            return
        name = self.rows[row]["name"]
        text = card_html(self.manifests.get(name, {}))
        self.card.setHtml(text or f"<p><b>{html.escape(name)}</b> has no model card (its manifest has no "
                                  f"\"card\" object).</p>")
