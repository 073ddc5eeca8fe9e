"""CAD synthesis panel: description or picture → construction sequence → editable, valid solid."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (QDoubleSpinBox, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView, QLabel,
                               QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QSpinBox, QSplitter,
                               QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from inference.cad import io as cad_io
from inference.cad import table
from inference.cad.api import (candidate_label, first_valid, generate_job, load_job, load_picture_job, rebuild_job,
                               write_job)
from inference.runtime.errors import InputError

from ..base import BasePanel


# ---------------------------------------------------------------------------- widgets
class ImageDrop(QLabel):
    """Drop a picture here (or click Open picture…)."""
    dropped = Signal(str)

    def __init__(self):
        super().__init__("Drop a picture of a part here")
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMinimumSize(160, 120)
        self.setAcceptDrops(True)
        self.setStyleSheet("QLabel { border: 2px dashed #888; border-radius: 6px; color: #666; }")
        self.path: str | None = None
        self.image: np.ndarray | None = None  # decoded in a job (load_picture_job), never on the GUI thread

    def dragEnterEvent(self, e):  # noqa: N802
        if e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e):  # noqa: N802
        urls = e.mimeData().urls()
        if urls:
            self.dropped.emit(urls[0].toLocalFile())

    def show_picture(self, path: str, image: np.ndarray, thumb: np.ndarray) -> None:
        """Show a picture decoded by load_picture_job: its preview (gray, RGB or RGBA uint8) is only wrapped."""
        fmt = {2: QImage.Format.Format_Grayscale8, 3: QImage.Format.Format_RGB888,
               4: QImage.Format.Format_RGBA8888}[1 if thumb.ndim == 2 else thumb.shape[2]]
        qimg = QImage(thumb.data, thumb.shape[1], thumb.shape[0], thumb.strides[0], fmt)
        self.path, self.image = path, image
        self.setPixmap(QPixmap.fromImage(qimg.copy()))


class CadPanel(BasePanel):
    """Description or picture → candidates → the chosen sequence as an editable table → its solid in 3D; files in
    and out (DeepCAD JSON, vectors, STEP, STL). Every step runs an `inference.cad.api` function as a job."""
    panel_id = "cad"

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.seq = None  # the current (last good) CADSequence
        self.solid = None
        self.candidates: list = []
        self._filling = False
        self._rows: list = []  # the table's row keys (inference.cad.table.rows)
        self._picture_seq = 0  # a late result from an older picture is ignored
        self._picture_loading = False

        # ---- inputs (left)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Describe the part, e.g. “a 60 x 40 x 6 mm plate with four 5 mm holes, "
                                     "8 mm from each edge”")
        self.text.setMaximumHeight(90)
        self.reader_line = QLabel("")  # the plain reader's verdict: family and units read, or what is missing
        self.reader_line.setWordWrap(True)
        self.reader_line.hide()
        self.btn_text = QPushButton("Generate from text")
        self.btn_text.clicked.connect(self.generate_from_text)
        self.drop = ImageDrop()
        self.drop.dropped.connect(self._image_dropped)
        self.btn_pick = QPushButton("Open picture…")
        self.btn_pick.clicked.connect(self._pick_image)
        self.size = QDoubleSpinBox()
        self.size.setRange(1, 5000)
        self.size.setValue(50)
        self.size.setSuffix(" mm")
        self.size.setToolTip("Largest side of a part made from a picture (a picture carries no scale)")
        self.btn_image = QPushButton("Generate from picture")
        self.btn_image.clicked.connect(self.generate_from_image)
        self.n_cand = QSpinBox()
        self.n_cand.setRange(1, 8)
        self.n_cand.setValue(3)
        self.cand_list = QListWidget()
        self.cand_list.currentRowChanged.connect(self._pick_candidate)

        left = QVBoxLayout()
        g1 = QGroupBox("Description")
        l1 = QVBoxLayout(g1)
        l1.addWidget(self.text)
        l1.addWidget(self.btn_text)
        l1.addWidget(self.reader_line)
        g2 = QGroupBox("Picture")
        l2 = QVBoxLayout(g2)
        l2.addWidget(self.drop)
        row = QHBoxLayout()
        row.addWidget(self.btn_pick)
        row.addWidget(QLabel("size"))
        row.addWidget(self.size)
        l2.addLayout(row)
        l2.addWidget(self.btn_image)
        g3 = QGroupBox("Candidates")
        l3 = QVBoxLayout(g3)
        f3 = QFormLayout()
        f3.addRow("how many", self.n_cand)
        l3.addLayout(f3)
        l3.addWidget(self.cand_list)
        files = QGroupBox("Files")
        lf = QVBoxLayout(files)
        self.btn_open = QPushButton("Open DeepCAD JSON…")
        self.btn_save = QPushButton("Save DeepCAD JSON…")
        self.btn_step = QPushButton("Export STEP…")
        self.btn_stl = QPushButton("Export STL…")
        for b, fn in ((self.btn_open, self._open_dialog), (self.btn_save, self._save_json),
                      (self.btn_step, self._export_step), (self.btn_stl, self._export_stl)):
            b.clicked.connect(fn)
            lf.addWidget(b)
        for w in (g1, g2, g3, files):
            left.addWidget(w)
        left_w = QWidget()
        left_w.setLayout(left)
        left_w.setMaximumWidth(340)

        # ---- sequence table (middle)
        self.table = QTableWidget(0, len(table.COLS))
        self.table.setHorizontalHeaderLabels(table.COLS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._cell_edited)
        self.status = QLabel("Generate a part, or open a DeepCAD JSON file.")
        self.status.setWordWrap(True)
        mid = QVBoxLayout()
        mid.addWidget(QLabel("<b>Construction sequence</b> (mm and degrees; edit a number to rebuild)"))
        mid.addWidget(self.table, 1)
        mid.addWidget(self.status)
        mid.addWidget(self.error_label)
        mid_w = QWidget()
        mid_w.setLayout(mid)

        # ---- 3D view (right)
        from app.widgets.view3d import View3D
        self.view = View3D(title="solid")
        self.view.setMinimumSize(320, 300)
        self.info = QLabel("")
        self.info.setWordWrap(True)
        self.btn_fit = QPushButton("Fit view")
        self.btn_fit.setToolTip("Fit the whole part in the view (F)")
        self.btn_fit.clicked.connect(self.fit_view)
        # F fits the view; a text box or cell being typed in keeps its letter (it takes the key first)
        QShortcut(QKeySequence(Qt.Key.Key_F), self, self.fit_view,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        under = QHBoxLayout()
        under.addWidget(self.info, 1)
        under.addWidget(self.btn_fit)
        right = QVBoxLayout()
        right.addWidget(self.view, 1)
        right.addLayout(under)
        right_w = QWidget()
        right_w.setLayout(right)

        split = QSplitter()
        split.addWidget(left_w)
        split.addWidget(mid_w)
        split.addWidget(right_w)
        split.setStretchFactor(1, 2)
        split.setStretchFactor(2, 2)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.intro_widget())
        lay.addWidget(split, 1)
        self._update_buttons()

    def intro_hint(self) -> str:
        return ("Type a description and press Generate, drop a picture of a part, or open a DeepCAD .json "
                "(or .vec/.npy) sequence.")

    # ------------------------------------------------------------------ files
    def open_file(self, path: str) -> None:
        if Path(path).suffix.lower() in cad_io.FILE_KINDS["image"]:
            self._image_dropped(path)
            return
        self.start_job(f"Opening {Path(path).name}", load_job, path, on_result=self._loaded)
        self.add_recent(path)

    def _open_dialog(self):
        path = self.ask_open_file("Open a construction sequence",
                                  self.file_filter("cad-json", "DeepCAD JSON") + ";;"
                                  + self.file_filter("cad-vec", "Vectors"))
        if path:
            self.open_file(path)

    def _loaded(self, res: dict) -> None:
        self.hide_intro()
        self._show_reader(None)
        self.text.clear()  # the description of an earlier part does not describe the file
        self.candidates = []
        self.cand_list.clear()
        self._set_seq(res["seq"], res["built"], res["error"])

    def _save_json(self, path: str | None = None):
        self._write("Save DeepCAD JSON", "part.json", self.file_filter("cad-json", "DeepCAD JSON"),
                    cad_io.write_deepcad_json, self.seq, "Nothing to save yet", path)

    def _export_step(self, path: str | None = None):
        self._write("Export STEP", "part.step", "STEP (*.step *.stp)", cad_io.write_step, self.solid,
                    "No valid solid to export", path)

    def _export_stl(self, path: str | None = None):
        self._write("Export STL", "part.stl", "STL (*.stl)", cad_io.write_stl, self.solid,
                    "No valid solid to export", path)

    def _write(self, title, default_name, filters, writer, obj, nothing, path=None):
        """Ask for a path (unless given) and write `obj` with `writer` in a job, off the GUI thread."""
        if obj is None:
            return self.show_error(nothing)
        if not path:
            path = self.ask_save_file(title, default_name, filters)
        if path:
            self.start_job(title, write_job, writer, obj, path, replace=False,
                           on_result=lambda p: self._note(f"Wrote {p}"))

    # ------------------------------------------------------------------ generation
    def generate_from_text(self):
        text = self.text.toPlainText().strip()
        if not text:
            return self.show_error("Type a description first, e.g. “a 40 x 20 x 5 mm plate with a 6 mm hole”")
        self._note("Generating…")
        return self.start_job("Generating a part from text", generate_job, text=text,
                              n_candidates=self.n_cand.value(), on_result=self._generated)

    def _image_dropped(self, path: str):
        """Decode the picture in a job (it does not cancel the panel's other jobs); generation starts when it is
        in. A bad file is shown in the error line (no dialog) and the previous picture stays."""
        self._picture_seq += 1
        seq = self._picture_seq
        self._picture_loading = True
        self._note(f"Reading {Path(path).name}…")
        job = self.start_job(f"Read {Path(path).name}", load_picture_job, str(path), replace=False, dialog=False,
                             on_result=lambda r, p=str(path), n=seq: self._picture_loaded(n, p, *r),
                             on_error=lambda f, n=seq: self._picture_failed(n, f))
        job.signals.cancelled.connect(lambda n=seq: self._picture_failed(n, None))

    def _picture_loaded(self, seq: int, path: str, image: np.ndarray, thumb: np.ndarray) -> None:
        if seq != self._picture_seq:
            return
        self._picture_loading = False
        self.hide_intro()
        self.drop.show_picture(path, image, thumb)
        self.add_recent(path)
        self.generate_from_image()

    def _picture_failed(self, seq: int, failure) -> None:
        """Panel-specific cleanup only: the base panel has already shown a failure in the error line."""
        if seq != self._picture_seq:
            return
        self._picture_loading = False
        if failure is None:  # cancelled
            self._note("Reading the picture was cancelled")

    def _pick_image(self):
        path = self.ask_open_file("Open a picture", self.file_filter("image", "Images"))
        if path:
            self._image_dropped(path)

    def generate_from_image(self):
        if self._picture_loading:  # generation starts as soon as the picture is in
            return self._note("Reading the picture…")
        if self.drop.image is None:
            return self.show_error("Drop or open a picture first")
        self._note("Generating…")
        return self.start_job("Generating a part from a picture", generate_job, image=self.drop.image,
                              size_mm=self.size.value(), n_candidates=self.n_cand.value(),
                              on_result=self._generated)

    def _show_reader(self, verdict: dict | None) -> None:
        """The plain reader's verdict under the description: what it read (family, units) in green, what is
        missing or not understood in amber (the candidates are then the model's guesses)."""
        if verdict is None:
            self.reader_line.hide()
            return
        ok = verdict["status"] == "read"
        text = verdict["message"] if ok else f"Reader: {verdict['message']}. The candidates are the model's guesses."
        self.reader_line.setText(text)
        self.reader_line.setToolTip(text)
        self.reader_line.setStyleSheet("color: #1b5e20;" if ok else "color: #a15c00;")
        self.reader_line.show()

    def _generated(self, results: list) -> None:
        self.hide_intro()
        self._show_reader(getattr(results, "reader", None))
        self.candidates = results
        self._filling = True
        self.cand_list.clear()
        for i, r in enumerate(results):
            it = QListWidgetItem(candidate_label(i, r))
            it.setToolTip(r["error"] or "valid solid")
            if r["built"] is None:
                it.setForeground(QColor("#b00020"))
            self.cand_list.addItem(it)
        self._filling = False
        best = first_valid(results)
        self.cand_list.setCurrentRow(best)
        self._pick_candidate(best)

    def _pick_candidate(self, i: int) -> None:
        if self._filling or not 0 <= i < len(self.candidates):
            return
        r = self.candidates[i]
        c = r["cand"]
        verdict = getattr(self.candidates, "reader", None)
        lead = []
        if r.get("source") == "reader":
            lead = [f"read from the description, units: {', '.join(verdict['units'])}"] if verdict else []
        elif r.get("guess") and verdict:
            lead = [f"the model's guess — {verdict['message']}"]
        notes = "; ".join(lead + list(c.notes))
        if c.seq is None:
            self._show_table(None)
            self.view.clear()
            self.solid = None
            return self.show_error(f"Candidate {i + 1} is invalid: {r['error']}")
        self._set_seq(c.seq, r["built"], r["error"], extra=notes)

    # ------------------------------------------------------------------ display
    def _set_seq(self, seq, built, error, extra: str = "") -> None:
        self.seq = seq
        self._show_table(seq)
        if built is None:
            self.solid = None
            self.view.clear()
            self.info.setText("")
            self.status.clear()
            self.show_error(f"The sequence is invalid: {error}")
        else:
            self._show_solid(*built)
            self.fit_view()  # a new part, whatever its size: an edited one keeps the camera where it is
            if error:  # it builds, but the kernel's check fails: shown, and said plainly
                self.status.clear()
                self.show_error(f"The solid is invalid: {error}")
            else:
                self._note("Valid solid." + (f" ({extra})" if extra else ""))
        self._update_buttons()

    def fit_view(self) -> None:
        """Frame the whole part in the 3D view (the Fit view button, the F key, and every new part)."""
        self.view.reset_camera()

    def _show_solid(self, solid, v, f, face_colors) -> None:
        self.solid = solid
        # lit per face by a fixed light (kernel.face_shading, computed in the worker): the default shader
        # leaves flat CAD faces nearly black
        self.view.set_mesh(v, f, face_colors=face_colors)
        s = solid.summary()
        self.info.setText(f"volume {s['volume_mm3']:.1f} mm³ · size {s['size_mm'][0]:.2f} × {s['size_mm'][1]:.2f}"
                          f" × {s['size_mm'][2]:.2f} mm · {'valid' if s['valid'] else 'INVALID'}")

    def _note(self, text: str) -> None:
        """A progress or success line under the table; it replaces an earlier error."""
        self.clear_error()
        self.status.setStyleSheet("color: #1b5e20;")
        self.status.setText(text)

    def _update_buttons(self) -> None:
        has = self.solid is not None
        self.btn_step.setEnabled(has)
        self.btn_stl.setEnabled(has)
        self.btn_save.setEnabled(self.seq is not None)

    # ------------------------------------------------------------------ editable table
    def _show_table(self, seq) -> None:
        """Draw inference.cad.table.rows(seq); cells the row's command does not use are gray and read-only."""
        self._filling = True
        self.table.setRowCount(0)
        rows = table.rows(seq)
        self._rows = [key for key, _ in rows]
        self.table.setRowCount(len(rows))
        for r, (_, vals) in enumerate(rows):
            for col in range(len(table.COLS)):
                v = vals.get(col)
                it = QTableWidgetItem(table.cell_text(v))
                if col == 0 or v is None:
                    it.setFlags(it.flags() & ~Qt.ItemFlag.ItemIsEditable)
                    if v is None:
                        it.setBackground(QColor(235, 235, 235))
                self.table.setItem(r, col, it)
        self._filling = False

    def _cell_edited(self, item: QTableWidgetItem) -> None:
        if self._filling or self.seq is None:
            return
        r, col = item.row(), item.column()
        try:
            new = table.apply_edit(self.seq, self._rows[r], col, item.text())
        except InputError as e:
            self._edit_rejected(e.one_line())
            return
        self._note("Rebuilding…")
        self.start_job("Rebuilding the solid", rebuild_job, new, dialog=False,
                       on_result=lambda built, new=new: self._edit_built(new, built),
                       on_error=lambda failure: self._edit_rejected(failure.message))

    def _edit_rejected(self, why: str) -> None:
        self._show_table(self.seq)  # back to the last good values
        self.status.clear()
        self.show_error(f"Edit rejected: {why}. Kept the last valid solid.")

    def _edit_built(self, new, built) -> None:
        self.seq = new
        self._show_solid(*built)
        self._show_table(new)
        self._note("Rebuilt.")
        self._update_buttons()

    # for tests and scripts
    def edit_cell(self, row: int, col: int, text: str) -> None:
        self.table.item(row, col).setText(text)
