"""Chart panel: drop a chart -> overlay of what was read (plot area, ticks with values, marks with values),
the editable table (edits update the answers), a manual calibration override (click two points per axis,
save/load to copy it to other images), questions whose answers highlight their evidence, the summary, export."""
from __future__ import annotations

import json
import logging
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout, QGroupBox,
                               QHBoxLayout, QLabel, QLineEdit, QPushButton, QSplitter, QTableWidget,
                               QTableWidgetItem, QTextEdit, QVBoxLayout, QWidget)

from app.panels.base import BasePanel
from app.widgets.image_overlay import ImageOverlay
from inference.chart.axes import AxisCalibration, Calibration
from inference.chart.io import load_image
from inference.chart.qa import answer
from inference.chart.reader import read_chart
from inference.chart.summary import summarize
from inference.chart.table import format_number, parse_number
from inference.runtime.errors import WorkbenchError

log = logging.getLogger(__name__)
IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.bmp *.webp *.tif *.tiff)"
SERIES_COLORS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#008080"]


def _hex(rgb) -> str:
    r, g, b = (int(max(0, min(255, v))) for v in rgb)
    return f"#{r:02x}{g:02x}{b:02x}"


def _load_and_read(path: str, use_ocr: bool = True, calibration=None, progress=None, is_cancelled=None):
    """The job: decode the picture (bounded) and read it; returns (rgb, reading)."""
    rgb = load_image(path)
    reading = read_chart(rgb, use_ocr=use_ocr, calibration=calibration, progress=progress,
                         is_cancelled=is_cancelled)
    return rgb, reading


class Panel(BasePanel):
    panel_id = "chart"
    title = "Chart reading"
    file_kinds = ("image",)
    tooltip = "A chart image → its data table, answers and a summary, using the chart's own text"

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.path: str | None = None
        self.reading = None
        self.table = None
        self.last_answer = None
        self.last_error = ""
        self.calibration = Calibration()
        self._picks: list[float] = []
        self._filling = False

        # ---- left: image with overlay
        self.view = ImageOverlay()
        self.open_btn = QPushButton("Open chart…")
        self.read_btn = QPushButton("Read again")
        self.read_btn.setEnabled(False)
        self.ocr_box = QCheckBox("Use the chart's text (OCR)")
        self.ocr_box.setChecked(True)
        self.ocr_box.setToolTip("Off = visual-only reading (the AskChart ablation): values are then relative "
                                "unless you set a calibration")
        self.texts_box = QCheckBox("Show text boxes")
        self.fit_btn = QPushButton("Fit")
        top = QHBoxLayout()
        for w in (self.open_btn, self.read_btn, self.ocr_box, self.texts_box, self.fit_btn):
            top.addWidget(w)
        top.addStretch(1)
        self.status = QLabel("Drop a chart image here or open one.")
        self.status.setWordWrap(True)
        left = QWidget()
        ll = QVBoxLayout(left)
        ll.addLayout(top)
        ll.addWidget(self.view, 1)
        ll.addWidget(self.status)

        # ---- right: table, calibration, question, summary, export
        self.table_w = QTableWidget()
        self.table_w.setMinimumHeight(160)
        tbox = QGroupBox("Data table (editable: edits update answers and summary)")
        QVBoxLayout(tbox).addWidget(self.table_w)

        self.cal_axis = QComboBox()
        self.cal_axis.addItems(["y", "x"])
        self.cal_pick_btn = QPushButton("Pick 2 points")
        self.cal_p1 = QDoubleSpinBox()
        self.cal_p2 = QDoubleSpinBox()
        for s in (self.cal_p1, self.cal_p2):
            s.setRange(-1e5, 1e5)
            s.setDecimals(1)
            s.setSuffix(" px")
        self.cal_v1 = QLineEdit()
        self.cal_v2 = QLineEdit()
        self.cal_v1.setPlaceholderText("value at point 1")
        self.cal_v2.setPlaceholderText("value at point 2")
        self.cal_log = QCheckBox("log axis")
        self.cal_apply_btn = QPushButton("Apply")
        self.cal_clear_btn = QPushButton("Clear")
        self.cal_save_btn = QPushButton("Save…")
        self.cal_load_btn = QPushButton("Load…")
        self.cal_label = QLabel("automatic (from tick labels)")
        cbox = QGroupBox("Axis calibration (manual override)")
        cf = QFormLayout(cbox)
        row = QHBoxLayout()
        row.addWidget(self.cal_axis)
        row.addWidget(self.cal_pick_btn)
        row.addWidget(self.cal_log)
        cf.addRow("axis", row)
        r1 = QHBoxLayout()
        r1.addWidget(self.cal_p1)
        r1.addWidget(self.cal_v1)
        cf.addRow("point 1", r1)
        r2 = QHBoxLayout()
        r2.addWidget(self.cal_p2)
        r2.addWidget(self.cal_v2)
        cf.addRow("point 2", r2)
        r3 = QHBoxLayout()
        for w in (self.cal_apply_btn, self.cal_clear_btn, self.cal_save_btn, self.cal_load_btn):
            r3.addWidget(w)
        cf.addRow(r3)
        cf.addRow("now", self.cal_label)

        self.question = QLineEdit()
        self.question.setPlaceholderText("Ask about the chart, e.g. Which year has the highest value?")
        self.ask_btn = QPushButton("Ask")
        self.answer_label = QLabel("")
        self.answer_label.setWordWrap(True)
        self.answer_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        qbox = QGroupBox("Question")
        ql = QVBoxLayout(qbox)
        qr = QHBoxLayout()
        qr.addWidget(self.question, 1)
        qr.addWidget(self.ask_btn)
        ql.addLayout(qr)
        ql.addWidget(self.answer_label)

        self.summary = QTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setMaximumHeight(90)
        sbox = QGroupBox("Summary")
        QVBoxLayout(sbox).addWidget(self.summary)

        self.csv_btn = QPushButton("Export CSV…")
        self.json_btn = QPushButton("Export JSON…")
        self.csv_btn.setEnabled(False)
        self.json_btn.setEnabled(False)
        er = QHBoxLayout()
        er.addWidget(self.csv_btn)
        er.addWidget(self.json_btn)
        er.addStretch(1)

        right = QWidget()
        rl = QVBoxLayout(right)
        rl.addWidget(tbox, 3)
        rl.addWidget(qbox)
        rl.addWidget(sbox)
        rl.addWidget(cbox)
        rl.addLayout(er)

        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(split)

        # ---- signals
        self.open_btn.clicked.connect(self._choose_file)
        self.read_btn.clicked.connect(self.read_again)
        self.fit_btn.clicked.connect(self.view.fit)
        self.texts_box.toggled.connect(lambda _on: self._draw())
        self.ask_btn.clicked.connect(self.ask)
        self.question.returnPressed.connect(self.ask)
        self.table_w.cellChanged.connect(self._cell_edited)
        self.cal_pick_btn.clicked.connect(self._start_pick)
        self.view.point_picked.connect(self._picked)
        self.cal_apply_btn.clicked.connect(self.apply_calibration)
        self.cal_clear_btn.clicked.connect(self.clear_calibration)
        self.cal_save_btn.clicked.connect(self._save_calibration)
        self.cal_load_btn.clicked.connect(self._load_calibration)
        self.csv_btn.clicked.connect(self._export_csv)
        self.json_btn.clicked.connect(self._export_json)

    # ---- files ---------------------------------------------------------------------------------
    def _choose_file(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Open a chart image", "", IMAGE_FILTER)
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> None:
        self.path = str(path)
        self.add_recent(self.path)
        self.read_again()

    def read_again(self) -> None:
        if not self.path:
            return
        cal = self.calibration if (self.calibration.x or self.calibration.y) else None
        self.status.setText(f"Reading {Path(self.path).name}…")
        self.read_btn.setEnabled(False)
        self.start_job(f"Reading chart {Path(self.path).name}", _load_and_read, self.path,
                       use_ocr=self.ocr_box.isChecked(), calibration=cal, on_result=self._show,
                       on_error=self._failed)

    def _failed(self, failure) -> None:
        self.last_error = failure.message
        self.status.setText(f"error: {failure.message}")
        self.read_btn.setEnabled(bool(self.path))

    # ---- results -------------------------------------------------------------------------------
    def _show(self, result) -> None:
        rgb, reading = result
        self.reading = reading
        self.table = reading.table.copy()
        self.last_error = ""
        self.view.set_image(rgb)
        self._draw()
        self._fill_table()
        self._update_summary()
        self.read_btn.setEnabled(True)
        self.csv_btn.setEnabled(True)
        self.json_btn.setEnabled(True)
        t = reading.timings
        n_label = sum(1 for m in reading.marks if m.source == "label")
        warn = ("  ⚠ " + "; ".join(reading.warnings)) if reading.warnings else ""
        self.status.setText(
            f"{reading.chart_type} (p={reading.type_confidence:.2f}), {len(reading.marks)} marks "
            f"({n_label} from printed value labels), {len(reading.texts)} texts; "
            f"OCR {t.get('ocr_s', 0):.2f} s + rest {t.get('rest_s', 0):.2f} s{warn}")
        cals = [f"{k}: {'log' if c.log else 'linear'} ({c.source}, {len(c.ticks) or 2} points)"
                for k, c in reading.calibration.items()]
        self.cal_label.setText(", ".join(cals) or "—")
        if self.question.text().strip():
            self.ask()

    def _draw(self) -> None:
        r = self.reading
        if r is None or not self.view.has_image():
            return
        v = self.view
        v.clear_overlays()
        if r.plot_area and r.chart_type != "pie":
            x0, y0, x1, y1 = r.plot_area
            v.add_box(x0, y0, x1, y1, "#00a0ff", "", width=1.2, tag="plot", dashed=True)
        if r.pie:
            cx, cy = r.pie["center"]
            rad = r.pie["radius"]
            v.add_box(cx - rad, cy - rad, cx + rad, cy + rad, "#00a0ff", "", width=1.0, tag="plot", dashed=True)
        for axis, c in r.calibration.items():
            for p, val in (c.ticks or [[c.p1, c.v1], [c.p2, c.v2]]):
                if axis == "y":
                    x = r.plot_area[0] if r.plot_area else 0
                    v.add_line(x - 10, p, x + 6, p, "#00c000", 2.0, tag=f"tick:{axis}")
                    v.add_label(max(0.0, x - 60), p - 16, f"{format_number(round(val, 6))}", "#008000", tag=f"tick:{axis}")
                else:
                    y = r.plot_area[3] if r.plot_area else 0
                    v.add_line(p, y - 6, p, y + 10, "#00c000", 2.0, tag=f"tick:{axis}")
                    v.add_label(p + 2, y + 10, f"{format_number(round(val, 6))}", "#008000", tag=f"tick:{axis}")
        for m in r.marks:
            col = SERIES_COLORS[m.series % len(SERIES_COLORS)]
            x0, y0, x1, y1 = m.box
            val = self.table.values[m.category][m.series] if self.table and m.category < len(self.table.values) else m.value
            lbl = format_number(val) if val is not None else "?"
            v.add_box(x0, y0, x1, y1, col, lbl + ("*" if m.source == "label" else ""), width=1.5,
                      tag=f"mark:{m.category}:{m.series}")
        if self.texts_box.isChecked():
            for t in r.texts:
                v.add_box(t.x0, t.y0, t.x1, t.y1, "#999999", "", width=0.8, tag="text", dashed=True)

    def _fill_table(self) -> None:
        t = self.table
        self._filling = True
        try:
            self.table_w.clear()
            self.table_w.setColumnCount(len(t.header))
            self.table_w.setRowCount(len(t.categories))
            self.table_w.setHorizontalHeaderLabels(t.header)
            for i, (cat, row) in enumerate(zip(t.categories, t.values)):
                self.table_w.setItem(i, 0, QTableWidgetItem(cat))
                for j, val in enumerate(row):
                    self.table_w.setItem(i, j + 1, QTableWidgetItem(format_number(val) if val is not None else ""))
            self.table_w.resizeColumnsToContents()
        finally:
            self._filling = False

    def _cell_edited(self, row: int, col: int) -> None:
        if self._filling or self.table is None:
            return
        text = self.table_w.item(row, col).text() if self.table_w.item(row, col) else ""
        if col == 0:
            self.table.categories[row] = text.strip()
        else:
            v = parse_number(text)
            if text.strip() and v is None:
                self.status.setText(f"'{text}' is not a number; the cell keeps its old value")
                self._fill_table()
                return
            self.table.values[row][col - 1] = v
        self._draw()
        self._update_summary()
        if self.question.text().strip():
            self.ask()

    def _update_summary(self) -> None:
        try:
            self.summary.setPlainText(summarize(self.table, self.reading.chart_type if self.reading else ""))
        except WorkbenchError as e:
            self.summary.setPlainText(f"({e.message})")

    # ---- questions -----------------------------------------------------------------------------
    def ask(self) -> None:
        q = self.question.text().strip()
        if not q:
            return
        if self.table is None:
            self.answer_label.setText("Open a chart first.")
            return
        try:
            a = answer(self.table, q)
        except WorkbenchError as e:
            self.last_answer = None
            self.answer_label.setText(f"<b>Cannot answer:</b> {e.message}<br><i>{e.hint}</i>")
            self.view.highlight(())
            return
        self.last_answer = a
        self.answer_label.setText(f"<b>{a.text}</b> &nbsp; <i>({a.kind}: {a.explanation})</i>")
        tags = {f"mark:{r}:{c - 1}" for r, c in a.evidence}
        self.view.highlight(tags)

    # ---- calibration ---------------------------------------------------------------------------
    def _start_pick(self) -> None:
        if not self.view.has_image():
            return
        self._picks = []
        self.view.set_pick_mode(True)
        self.status.setText(f"Click two points on the {self.cal_axis.currentText()} axis whose values you know.")

    def _picked(self, x: float, y: float) -> None:
        p = y if self.cal_axis.currentText() == "y" else x
        self._picks.append(p)
        self.view.add_point(x, y, "#ff00ff", f"P{len(self._picks)}", tag="calpick")
        if len(self._picks) == 1:
            self.cal_p1.setValue(p)
        else:
            self.cal_p2.setValue(p)
            self.view.set_pick_mode(False)
            self.status.setText("Type the two values, then Apply.")

    def set_manual_calibration(self, axis: str, p1: float, v1: float, p2: float, v2: float, log: bool = False):
        c = Calibration.from_clicks(axis, p1, v1, p2, v2, log)
        setattr(self.calibration, axis, c)
        return c

    def apply_calibration(self) -> None:
        v1, v2 = parse_number(self.cal_v1.text()), parse_number(self.cal_v2.text())
        if v1 is None or v2 is None:
            self.status.setText("Type a number for both calibration values.")
            return
        try:
            self.set_manual_calibration(self.cal_axis.currentText(), self.cal_p1.value(), v1, self.cal_p2.value(), v2,
                                        self.cal_log.isChecked())
        except WorkbenchError as e:
            self.status.setText(f"error: {e.one_line()}")
            return
        self.read_again()

    def clear_calibration(self) -> None:
        self.calibration = Calibration()
        self.view.clear_overlays("calpick")
        self.read_again()

    def _save_calibration(self) -> None:
        if not (self.calibration.x or self.calibration.y):
            self.status.setText("No manual calibration to save.")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Save calibration", "calibration.json", "JSON (*.json)")
        if path:
            self.calibration.save(Path(path))

    def _load_calibration(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, "Load calibration", "", "JSON (*.json)")
        if path:
            self.load_calibration(path)

    def load_calibration(self, path: str) -> None:
        try:
            self.calibration = Calibration.load(Path(path))
        except WorkbenchError as e:
            self.status.setText(f"error: {e.one_line()}")
            return
        self.read_again()

    # ---- export --------------------------------------------------------------------------------
    def _export_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export table", "chart.csv", "CSV (*.csv)")
        if path:
            self.export_csv(path)

    def export_csv(self, path: str) -> None:
        self.table.write_csv(Path(path))

    def _export_json(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export reading", "chart.json", "JSON (*.json)")
        if path:
            self.export_json(path)

    def export_json(self, path: str) -> None:
        d = self.reading.to_json()
        d["table"] = self.table.to_json()
        if self.last_answer is not None:
            d["question"] = {"text": self.question.text(), **self.last_answer.to_json()}
        d["summary"] = self.summary.toPlainText()
        Path(path).write_text(json.dumps(d, indent=1), encoding="utf-8")
