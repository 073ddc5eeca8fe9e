"""Chart panel: drop a chart -> overlay of what was read (plot area, ticks with values, marks with values),
the editable table (edits update the answers), a manual calibration override (click two points per axis,
save/load to copy it to other images), questions whose answers highlight their evidence, the summary, export."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QLabel,
                               QLineEdit, QPushButton, QSplitter, QTableWidget, QTableWidgetItem, QTextEdit,
                               QVBoxLayout, QWidget)

from app.panels.base import BasePanel
from app.widgets.image_overlay import ImageOverlay
from inference.chart import api
from inference.chart.axes import Calibration
from inference.chart.table import format_number
from inference.runtime.errors import WorkbenchError

SERIES_COLORS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#008080"]
# how each overlay role (inference.chart.api.Shape.role) is drawn: colour, line width, dashed
BADGE_STYLE = ("QLabel { background: #f0a000; color: black; border-radius: 6px; padding: 1px 6px; "
               "font-weight: bold; }")
LOOK = {"plot": ("#00a0ff", 1.2, True), "tick": ("#00c000", 2.0, False), "tick_label": ("#008000", 0, False),
        "mark": (None, 1.5, False), "text": ("#999999", 0.8, True)}


class ChartPanel(BasePanel):
    panel_id = "chart"

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.path: str | None = None
        self.reading = None
        self.table = None
        self.conf = None  # the table's Confidence (inference.chart.confidence)
        self.last_answer = None
        self.calibration = Calibration()
        self._picks: list[float] = []
        self._filling = False
        self._shown: str | None = None  # the path whose picture the view shows
        self._previous: str | None = None  # the chart shown when another was opened (kept if that one fails)

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
        self.status = QLabel("No chart open.")
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
        self.table_badge = self._badge()
        self.table_conf_label = QLabel("")
        tl = QVBoxLayout(tbox)
        th = QHBoxLayout()
        th.addWidget(self.table_conf_label)
        th.addWidget(self.table_badge)
        th.addStretch(1)
        tl.addLayout(th)
        tl.addWidget(self.table_w)

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
        self.answer_badge = self._badge()
        qbox = QGroupBox("Question")
        ql = QVBoxLayout(qbox)
        qr = QHBoxLayout()
        qr.addWidget(self.question, 1)
        qr.addWidget(self.ask_btn)
        ql.addLayout(qr)
        ar = QHBoxLayout()
        ar.addWidget(self.answer_label, 1)
        ar.addWidget(self.answer_badge, 0, Qt.AlignmentFlag.AlignTop)
        ql.addLayout(ar)

        self.summary = QTextEdit()
        self.summary.setReadOnly(True)
        self.summary.setMaximumHeight(90)
        self.summary_badge = self._badge()
        sbox = QGroupBox("Summary")
        sl = QHBoxLayout(sbox)
        sl.addWidget(self.summary, 1)
        sl.addWidget(self.summary_badge, 0, Qt.AlignmentFlag.AlignTop)

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
        lay.addWidget(self.intro_widget())
        lay.addWidget(split, 1)
        lay.addWidget(self.error_label)

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

    @staticmethod
    def _badge() -> QLabel:
        b = QLabel("uncertain")
        b.setStyleSheet(BADGE_STYLE)
        b.setVisible(False)
        return b

    def _set_badge(self, badge: QLabel, what: str, conf) -> None:
        """Show the amber badge when CONF is below the threshold, its tooltip saying why."""
        on = conf is not None and conf.uncertain
        badge.setVisible(on)
        badge.setToolTip(api.uncertain_tooltip(what, conf) if on else "")

    # ---- files ---------------------------------------------------------------------------------
    def intro_hint(self) -> str:
        return "Drop a chart image (PNG, JPEG, …) here or open one."

    def _choose_file(self) -> None:
        path = self.ask_open_file("Open a chart image", self.file_filter("image", "Images"))
        if path:
            self.open_file(path)

    def open_file(self, path: str) -> None:
        """Read a chart. The previous chart's reading goes as soon as the new picture is shown; a file whose
        picture cannot even be decoded loses nothing: the previous chart stays, and the error line says why."""
        self._previous = self.path if self._shown == self.path else None
        self.path = str(path)
        self.add_recent(self.path)
        self.hide_intro()
        self.view.clear_overlays()
        self.read_again()

    def _clear_reading(self) -> None:
        """A fresh state for a new chart: nothing of the previous chart's reading stays (nor can be exported)."""
        self.reading = self.table = self.conf = None
        self._filling = True
        try:
            self.table_w.clear()
            self.table_w.setRowCount(0)
            self.table_w.setColumnCount(0)
        finally:
            self._filling = False
        self.summary.clear()
        self.answer_label.clear()
        self.table_conf_label.clear()
        for badge in (self.table_badge, self.answer_badge, self.summary_badge):
            self._set_badge(badge, "", None)
        self.view.clear_overlays()
        self.on_busy(self.is_busy)

    def read_again(self) -> None:
        if not self.path:
            return
        cal = self.calibration if (self.calibration.x or self.calibration.y) else None
        self._show_picture()
        self.status.setText(f"Reading {Path(self.path).name}…")
        self.start_job(f"Reading chart {Path(self.path).name}", api.load_and_read, self.path,
                       use_ocr=self.ocr_box.isChecked(), calibration=cal, on_result=self._show,
                       on_error=lambda _f, p=self.path: self._read_failed(p),
                       dialog=False)

    def _show_picture(self) -> None:
        """The picture as soon as it is decoded (a quick job of its own: a large picture never blocks the
        window); the overlay of what was read follows when the reading job ends."""
        if self._shown == self.path and self.view.has_image():
            self.view.clear_overlays()
            return
        self.start_job(f"Opening {Path(self.path).name}", api.preview, self.path, busy=False, dialog=False,
                       slot="preview", on_result=lambda rgb, p=self.path: self._preview_ready(p, rgb))

    def _preview_ready(self, path: str, rgb) -> None:
        if rgb is not None and path == self.path and self._shown != path:  # not if the reading came first
            self._clear_reading()  # the new picture is on screen: nothing of the old chart's reading stays
            self.view.set_image(rgb)
            self._shown = path

    def _read_failed(self, path: str) -> None:
        if path != self.path:
            return
        if self._shown != path and self._previous:  # the new picture never showed: back to the previous chart
            self.path = self._previous
            self._draw()
            self.status.setText(f"{Path(path).name} was not opened; still showing {Path(self.path).name}")
        else:  # its picture is shown (e.g. not a chart): no reading of it, and none of the previous one
            self._clear_reading()
            self.status.setText(f"Could not read {Path(path).name}.")

    def on_busy(self, busy: bool) -> None:
        self.read_btn.setEnabled(not busy and bool(self.path))
        have = not busy and self.table is not None
        self.csv_btn.setEnabled(have)
        self.json_btn.setEnabled(have)

    # ---- results -------------------------------------------------------------------------------
    def _show(self, result) -> None:
        rgb, reading = result
        if self._shown != self.path:  # the reading came before its picture: the old chart's goes now
            self._clear_reading()
        self.reading = reading
        self.table = reading.table.copy()
        self.conf = api.table_confidence(reading, self.table)
        if self._shown != self.path or not self.view.has_image():
            self.view.set_image(rgb)
            self._shown = self.path
        self._draw()
        self._show_table_confidence()
        self._fill_table()
        self._update_summary()
        self.status.setText(api.describe_reading(reading))
        self.cal_label.setText(api.describe_calibration(reading))
        if self.question.text().strip():
            self.ask()

    def _show_table_confidence(self) -> None:
        c = self.conf
        self.table_conf_label.setText(f"confidence {c.value:.2f}" if c is not None else "")
        self._set_badge(self.table_badge, "table", c)

    def _draw(self) -> None:
        r = self.reading
        if r is None or not self.view.has_image():
            return
        v = self.view
        v.clear_overlays()
        for sh in api.overlay_shapes(r, self.table, self.texts_box.isChecked()):
            color, width, dashed = LOOK[sh.role]
            if sh.role == "mark":
                color = SERIES_COLORS[sh.series % len(SERIES_COLORS)]
            if sh.kind == "box":
                v.add_box(*sh.coords, color, sh.label, width=width, tag=sh.tag, dashed=dashed)
            elif sh.kind == "line":
                v.add_line(*sh.coords, color, width, tag=sh.tag)
            else:
                v.add_label(*sh.coords, sh.label, color, tag=sh.tag)

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
        try:
            api.edit_cell(self.table, row, col, text)
        except WorkbenchError as e:
            self.show_error(e)
            self._fill_table()
            return
        self.clear_error()
        if self.conf is not None:
            self.conf = api.confirm_cell(self.conf, row, col)
            self._show_table_confidence()
        self._draw()
        self._update_summary()
        if self.question.text().strip():
            self.ask()

    def _update_summary(self) -> None:
        if self.reading is None:
            return
        try:
            text, conf = api.summary_of(self.reading, self.table, self.conf)
        except WorkbenchError as e:
            self.summary.setPlainText(f"({e.message})")
            self._set_badge(self.summary_badge, "summary", None)
            return
        self.summary.setPlainText(text)
        self._set_badge(self.summary_badge, "summary", conf)

    # ---- questions -----------------------------------------------------------------------------
    def ask(self) -> None:
        q = self.question.text().strip()
        if not q:
            return
        if self.table is None or self.reading is None:
            self.answer_label.setText("Open a chart first.")
            return
        try:
            a, conf = api.ask(self.reading, self.table, q, self.conf)
        except WorkbenchError as e:
            self.last_answer = None
            self.answer_label.setText(f"<b>Cannot answer:</b> {e.message}<br><i>{e.hint}</i>")
            self._set_badge(self.answer_badge, "answer", None)
            self.view.highlight(())
            return
        self.last_answer = a
        if a.refused:
            self.answer_label.setText(f"<b>{a.text}</b>")
        else:
            self.answer_label.setText(f"<b>{a.text}</b> &nbsp; <i>({a.kind}: {a.explanation}; "
                                      f"confidence {conf.value:.2f})</i>")
        self._set_badge(self.answer_badge, "answer", conf)
        self.view.highlight(api.evidence_tags(a))

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

    def apply_calibration(self) -> None:
        axis = self.cal_axis.currentText()
        try:
            c = api.manual_axis(axis, self.cal_p1.value(), self.cal_v1.text(), self.cal_p2.value(),
                                self.cal_v2.text(), self.cal_log.isChecked())
        except WorkbenchError as e:
            self.show_error(e)
            return
        setattr(self.calibration, axis, c)
        self.read_again()

    def clear_calibration(self) -> None:
        self.calibration = Calibration()
        self.view.clear_overlays("calpick")
        self.read_again()

    def _save_calibration(self) -> None:
        if not (self.calibration.x or self.calibration.y):
            self.status.setText("No manual calibration to save.")
            return
        path = self.ask_save_file("Save calibration", "calibration.json", "JSON (*.json)")
        if path:
            try:
                self.calibration.save(Path(path))
            except OSError as e:
                self.show_error(e)

    def _load_calibration(self) -> None:
        path = self.ask_open_file("Load calibration", "JSON (*.json)")
        if path:
            self.load_calibration(path)

    def load_calibration(self, path: str) -> None:
        try:
            self.calibration = Calibration.load(Path(path))
        except WorkbenchError as e:
            self.show_error(e)
            return
        self.read_again()

    # ---- export --------------------------------------------------------------------------------
    def _export_csv(self) -> None:
        path = self.ask_save_file("Export table", "chart.csv", "CSV (*.csv)")
        if path:
            self.export_csv(path)

    def export_csv(self, path: str) -> None:
        try:
            api.write_table_csv(path, self.table)
        except WorkbenchError as e:
            self.show_error(e)

    def _export_json(self) -> None:
        path = self.ask_save_file("Export reading", "chart.json", "JSON (*.json)")
        if path:
            self.export_json(path)

    def export_json(self, path: str) -> None:
        try:
            api.write_reading_json(path, self.reading, self.table, self.summary.toPlainText(),
                                   self.question.text(), self.last_answer)
        except WorkbenchError as e:
            self.show_error(e)
