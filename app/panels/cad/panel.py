"""CAD synthesis panel: description or picture → construction sequence → editable, valid solid."""
from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QImage, QPixmap
from PySide6.QtWidgets import (QDoubleSpinBox, QFileDialog, QFormLayout, QGroupBox, QHBoxLayout, QHeaderView,
                               QLabel, QListWidget, QListWidgetItem, QPlainTextEdit, QPushButton, QSpinBox,
                               QSplitter, QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from inference.runtime.errors import InputError
from inference.runtime.media import IMAGE_SUFFIXES

from ..base import BasePanel

COLS = ["command", "x", "y", "sweep °", "ccw", "r", "θ °", "φ °", "γ °", "px", "py", "pz", "e1", "e2",
        "operation", "extent"]
OPS = ["NewBody", "Join", "Cut", "Intersect"]
ETYPES = ["OneSide", "Symmetric", "TwoSides"]
THUMB_W, THUMB_H = 200, 150  # the picture's preview box


# ---------------------------------------------------------------------------- worker functions
def _solid_result(seq):
    """Build + mesh + shade in the worker; returns (solid, vertices, faces, face colours) or raises InputError."""
    from inference.cad import kernel
    solid = kernel.build(seq)
    v, f = kernel.mesh(solid)
    return solid, v, f, kernel.face_shading(v, f)


def write_job(writer, obj, path, progress=None, is_cancelled=None):
    """Write a sequence or solid to a file in the worker (STEP, STL, DeepCAD JSON)."""
    writer(obj, path)
    return path


def rebuild_job(seq, progress=None, is_cancelled=None):
    """An edited sequence → (solid, vertices, faces, face colours), in the worker; an invalid solid is an
    InputError."""
    built = _solid_result(seq)
    if not built[0].valid:
        raise InputError("the solid fails the kernel's validity check", "undo the change or try another value")
    return built


def generate_job(text=None, image=None, size_mm=50.0, model=None, n_candidates=3, progress=None,
                 is_cancelled=None):
    from inference.cad import infer
    from inference.runtime.cancel import sub_progress
    p = progress or (lambda f, m="": None)
    if text is not None:
        cands = infer.text_to_candidates(text, model=model or "cad-text", n_candidates=n_candidates,
                                         progress=sub_progress(p, 0, 0.8), is_cancelled=is_cancelled)
    else:
        cands = infer.image_to_candidates(image, size_mm=size_mm, model=model or "cad-image",
                                          n_candidates=n_candidates, progress=sub_progress(p, 0, 0.8),
                                          is_cancelled=is_cancelled)
    out = []
    for i, c in enumerate(cands):
        p(0.8 + 0.2 * i / max(len(cands), 1), f"building candidate {i + 1}")
        built, err = None, c.error
        if c.seq is not None:
            try:
                built = _solid_result(c.seq)
                if not built[0].valid:
                    err, built = "the kernel's validity check failed", None
            except InputError as e:
                err = e.one_line()
        out.append({"cand": c, "built": built, "error": err})
    return out


def load_picture_job(path, width=THUMB_W, height=THUMB_H, progress=None, is_cancelled=None):
    """Decode a dropped picture in the worker → (the picture as image_to_candidates takes it: gray, BGR or BGRA
    uint8; its preview fitting width × height: gray, RGB or RGBA uint8). A bad file is an InputError."""
    from inference.cad.imageprep import read_picture
    from inference.runtime.media import fit_thumbnail
    img = read_picture(path)
    thumb = fit_thumbnail(img, width, height)
    if thumb.ndim == 3:  # OpenCV's BGR(A) → RGB(A) for QImage
        thumb = np.ascontiguousarray(thumb[:, :, [2, 1, 0, 3][:thumb.shape[2]]])
    return img, thumb


def load_job(path, progress=None, is_cancelled=None):
    from inference.cad.cli import load_sequence
    p = Path(path)
    seq = load_sequence(p)
    try:
        built = _solid_result(seq)
        err = None if built[0].valid else "the kernel's validity check failed"
    except InputError as e:
        built, err = None, e.one_line()
    return {"seq": seq, "built": built, "error": err, "path": str(p)}


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


class Panel(BasePanel):
    panel_id = "cad"
    title = "CAD synthesis"
    file_kinds = ("cad-json", "cad-vec", "image")
    tooltip = "Text or a picture → sketch-and-extrude sequence → valid, editable solid (STEP/STL)"

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.seq = None  # the current (last good) CADSequence
        self.solid = None
        self.candidates: list = []
        self._filling = False
        self._rows: list = []
        self.last_error: str | None = None
        self._picture_seq = 0  # a late result from an older picture is ignored
        self._picture_loading = False

        # ---- inputs (left)
        self.text = QPlainTextEdit()
        self.text.setPlaceholderText("Describe the part, e.g. “a 60 x 40 x 6 mm plate with four 5 mm holes, "
                                     "8 mm from each edge”")
        self.text.setMaximumHeight(90)
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
        self.table = QTableWidget(0, len(COLS))
        self.table.setHorizontalHeaderLabels(COLS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.itemChanged.connect(self._cell_edited)
        self.status = QLabel("Generate a part, or open a DeepCAD JSON file.")
        self.status.setWordWrap(True)
        mid = QVBoxLayout()
        mid.addWidget(QLabel("<b>Construction sequence</b> (mm and degrees; edit a number to rebuild)"))
        mid.addWidget(self.table, 1)
        mid.addWidget(self.status)
        mid_w = QWidget()
        mid_w.setLayout(mid)

        # ---- 3D view (right)
        from app.widgets.view3d import View3D
        self.view = View3D(title="solid")
        self.view.setMinimumSize(320, 300)
        self.info = QLabel("")
        self.info.setWordWrap(True)
        right = QVBoxLayout()
        right.addWidget(self.view, 1)
        right.addWidget(self.info)
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
        lay.addWidget(split)
        self._update_buttons()
        ctx.jobs.job_failed.connect(self._job_failed)

    def _job_failed(self, job, failure) -> None:
        if getattr(job, "owner", None) == self.panel_id:
            self._say(f"error: {failure.message}", error=True)

    # ------------------------------------------------------------------ files
    def open_file(self, path: str) -> None:
        if Path(path).suffix.lower() in IMAGE_SUFFIXES:
            self._image_dropped(path)
            return
        self.start_job(f"Opening {Path(path).name}", load_job, path, on_result=self._loaded)
        self.add_recent(path)

    def _open_dialog(self):
        path, _ = QFileDialog.getOpenFileName(self, "Open a construction sequence", "",
                                              "DeepCAD JSON (*.json);;Vectors (*.vec *.npy)")
        if path:
            self.open_file(path)

    def _loaded(self, res: dict) -> None:
        self.candidates = []
        self.cand_list.clear()
        self._set_seq(res["seq"], res["built"], res["error"])

    def _save_json(self, path: str | None = None):
        from inference.cad.seq import write_deepcad_json
        self._write("Save DeepCAD JSON", "part.json", "DeepCAD JSON (*.json)", write_deepcad_json, self.seq,
                    "Nothing to save yet", path)

    def _export_step(self, path: str | None = None):
        from inference.cad import kernel
        self._write("Export STEP", "part.step", "STEP (*.step *.stp)", kernel.write_step, self.solid,
                    "No valid solid to export", path)

    def _export_stl(self, path: str | None = None):
        from inference.cad import kernel
        self._write("Export STL", "part.stl", "STL (*.stl)", kernel.write_stl, self.solid,
                    "No valid solid to export", path)

    def _write(self, title, default_name, filters, writer, obj, nothing, path=None):
        """Ask for a path (unless given) and write `obj` with `writer` in a job, off the GUI thread."""
        if obj is None:
            return self._say(nothing, error=True)
        if not path:
            path, _ = QFileDialog.getSaveFileName(self, title, default_name, filters)
        if path:
            self.start_job(title, write_job, writer, obj, path, replace=False,
                           on_result=lambda p: self._say(f"Wrote {p}"))

    # ------------------------------------------------------------------ generation
    def generate_from_text(self):
        text = self.text.toPlainText().strip()
        if not text:
            return self._say("Type a description first, e.g. “a 40 x 20 x 5 mm plate with a 6 mm hole”",
                             error=True)
        self._say("Generating…")
        return self.start_job("Generating a part from text", generate_job, text=text,
                              n_candidates=self.n_cand.value(), on_result=self._generated)

    def _image_dropped(self, path: str):
        """Decode the picture in a job (it does not cancel the panel's other jobs); generation starts when it is
        in. A bad file is shown in the status line and the previous picture stays."""
        self._picture_seq += 1
        seq = self._picture_seq
        self._picture_loading = True
        self._say(f"Reading {Path(path).name}…")
        job = self.start_job(f"Read {Path(path).name}", load_picture_job, str(path), replace=False,
                             on_result=lambda r, p=str(path), n=seq: self._picture_loaded(n, p, *r),
                             on_error=lambda f, n=seq: self._picture_failed(n, f))
        job.signals.cancelled.connect(lambda n=seq: self._picture_failed(n, None))

    def _picture_loaded(self, seq: int, path: str, image: np.ndarray, thumb: np.ndarray) -> None:
        if seq != self._picture_seq:
            return
        self._picture_loading = False
        self.drop.show_picture(path, image, thumb)
        self.add_recent(path)
        self.generate_from_image()

    def _picture_failed(self, seq: int, failure) -> None:
        if seq != self._picture_seq:
            return
        self._picture_loading = False
        if failure is None:  # cancelled
            self._say("Reading the picture was cancelled")
        else:
            self._say(failure.message, error=True)

    def _pick_image(self):
        path, _ = QFileDialog.getOpenFileName(self, "Open a picture", "",
                                              "Images (" + " ".join(f"*{s}" for s in IMAGE_SUFFIXES) + ")")
        if path:
            self._image_dropped(path)

    def generate_from_image(self):
        if self._picture_loading:  # generation starts as soon as the picture is in
            return self._say("Reading the picture…")
        if self.drop.image is None:
            return self._say("Drop or open a picture first", error=True)
        self._say("Generating…")
        return self.start_job("Generating a part from a picture", generate_job, image=self.drop.image,
                              size_mm=self.size.value(), n_candidates=self.n_cand.value(),
                              on_result=self._generated)

    def _generated(self, results: list) -> None:
        self.candidates = results
        self._filling = True
        self.cand_list.clear()
        for i, r in enumerate(results):
            c = r["cand"]
            ok = r["built"] is not None
            it = QListWidgetItem(f"{i + 1}. p={math.exp(c.logprob):.3f}  " + ("valid" if ok else "INVALID"))
            it.setToolTip(r["error"] or "valid solid")
            if not ok:
                it.setForeground(QColor("#b00020"))
            self.cand_list.addItem(it)
        self._filling = False
        best = next((i for i, r in enumerate(results) if r["built"] is not None), 0)
        self.cand_list.setCurrentRow(best)
        self._pick_candidate(best)

    def _pick_candidate(self, i: int) -> None:
        if self._filling or not 0 <= i < len(self.candidates):
            return
        r = self.candidates[i]
        c = r["cand"]
        notes = "; ".join(c.notes)
        if c.seq is None:
            self._show_table(None)
            self.view.clear()
            self.solid = None
            return self._say(f"Candidate {i + 1} is invalid: {r['error']}", error=True)
        self._set_seq(c.seq, r["built"], r["error"], extra=notes)

    # ------------------------------------------------------------------ display
    def _set_seq(self, seq, built, error, extra: str = "") -> None:
        self.seq = seq
        self._show_table(seq)
        if built is None:
            self.solid = None
            self.view.clear()
            self.info.setText("")
            self._say(f"The sequence is invalid: {error}", error=True)
        else:
            self._show_solid(*built)
            self._say("Valid solid." + (f" ({extra})" if extra else ""))
        self._update_buttons()

    def _show_solid(self, solid, v, f, face_colors) -> None:
        self.solid = solid
        # lit per face by a fixed light (kernel.face_shading, computed in the worker): the default shader
        # leaves flat CAD faces nearly black
        self.view.set_mesh(v, f, face_colors=face_colors)
        s = solid.summary()
        self.info.setText(f"volume {s['volume_mm3']:.1f} mm³ · size {s['size_mm'][0]:.2f} × {s['size_mm'][1]:.2f}"
                          f" × {s['size_mm'][2]:.2f} mm · {'valid' if s['valid'] else 'INVALID'}")

    def _say(self, text: str, error: bool = False) -> None:
        self.last_error = text if error else None
        self.status.setText(text)
        self.status.setStyleSheet("color: #b00020;" if error else "color: #1b5e20;")

    def _update_buttons(self) -> None:
        has = self.solid is not None
        self.btn_step.setEnabled(has)
        self.btn_stl.setEnabled(has)
        self.btn_save.setEnabled(self.seq is not None)

    # ------------------------------------------------------------------ editable table
    def _show_table(self, seq) -> None:
        from inference.cad.seq import Arc, Circle
        self._filling = True
        self.table.setRowCount(0)
        self._rows = []
        if seq is None:
            self._filling = False
            return
        rows = []
        for ei, e in enumerate(seq.extrudes):
            for li, lp in enumerate(e.loops):
                rows.append((("sol", ei, li, None), {0: f"SOL (extrusion {ei + 1}, loop {li + 1})"}))
                for ci, c in enumerate(lp):
                    if isinstance(c, Circle):
                        rows.append((("curve", ei, li, ci), {0: "Circle", 1: c.x, 2: c.y, 5: c.r}))
                    elif isinstance(c, Arc):
                        rows.append((("curve", ei, li, ci), {0: "Arc", 1: c.x, 2: c.y, 3: math.degrees(c.sweep),
                                                             4: int(c.ccw)}))
                    else:
                        rows.append((("curve", ei, li, ci), {0: "Line", 1: c.x, 2: c.y}))
            rows.append((("ext", ei, None, None), {
                0: f"Ext {ei + 1}", 6: math.degrees(e.theta), 7: math.degrees(e.phi), 8: math.degrees(e.gamma),
                9: e.origin[0], 10: e.origin[1], 11: e.origin[2], 12: e.e1, 13: e.e2,
                14: OPS[e.op], 15: ETYPES[e.etype]}))
        rows.append((("eos", None, None, None), {0: "EOS"}))
        self.table.setRowCount(len(rows))
        for r, (key, vals) in enumerate(rows):
            self._rows.append(key)
            for col in range(len(COLS)):
                v = vals.get(col)
                text = "" if v is None else (f"{v:.4g}" if isinstance(v, float) else str(v))
                it = QTableWidgetItem(text)
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
            new = self._apply_edit(self.seq, self._rows[r], col, item.text())
        except InputError as e:
            self._edit_rejected(e.one_line())
            return
        self._say("Rebuilding…")
        self.start_job("Rebuilding the solid", rebuild_job, new,
                       on_result=lambda built, new=new: self._edit_built(new, built),
                       on_error=lambda failure: self._edit_rejected(failure.message))

    def _edit_rejected(self, why: str) -> None:
        self._show_table(self.seq)  # back to the last good values
        self._say(f"Edit rejected: {why}. Kept the last valid solid.", error=True)

    def _edit_built(self, new, built) -> None:
        self.seq = new
        self._show_solid(*built)
        self._show_table(new)
        self._say("Rebuilt.")
        self._update_buttons()

    @staticmethod
    def _apply_edit(seq, key, col, text):
        from inference.cad.seq import Arc, Circle
        kind, ei, li, ci = key
        s = copy.deepcopy(seq)
        txt = text.strip()
        if kind == "ext" and col in (14, 15):
            names = OPS if col == 14 else ETYPES
            match = [i for i, n in enumerate(names) if n.lower() == txt.lower()]
            if not match and txt.isdigit() and int(txt) < len(names):
                match = [int(txt)]
            if not match:
                raise InputError(f"'{txt}' is not one of {', '.join(names)}", "type one of the names")
            setattr(s.extrudes[ei], "op" if col == 14 else "etype", match[0])
            return s
        try:
            val = float(txt)
        except ValueError:
            raise InputError(f"'{txt}' is not a number", "type a number (mm or degrees)") from None
        if not math.isfinite(val):
            raise InputError(f"'{txt}' is not a finite number", "type a number")
        if kind == "curve":
            c = s.extrudes[ei].loops[li][ci]
            if col == 1:
                c.x = val
            elif col == 2:
                c.y = val
            elif col == 3 and isinstance(c, Arc):
                c.sweep = math.radians(val)
            elif col == 4 and isinstance(c, Arc):
                c.ccw = bool(round(val))
            elif col == 5 and isinstance(c, Circle):
                c.r = val
            else:
                raise InputError("this cell is not used by the command", "edit a white cell")
        elif kind == "ext":
            e = s.extrudes[ei]
            if col in (6, 7, 8):
                setattr(e, {6: "theta", 7: "phi", 8: "gamma"}[col], math.radians(val))
            elif col in (9, 10, 11):
                o = list(e.origin)
                o[col - 9] = val
                e.origin = tuple(o)
            elif col == 12:
                e.e1 = val
            elif col == 13:
                e.e2 = val
            else:
                raise InputError("this cell is not used by the command", "edit a white cell")
        else:
            raise InputError("this row has no numbers", "edit a curve or an Ext row")
        return s

    # for tests and scripts
    def edit_cell(self, row: int, col: int, text: str) -> None:
        self.table.item(row, col).setText(text)
