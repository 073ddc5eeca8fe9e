"""Video retrieval panel: index folders, search by text, see where and in which direction a hit matches;
evaluate models on RTime.

Everything long runs as a job calling `inference.video.library`; this module only shows results.
"""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDoubleSpinBox, QFileDialog, QFormLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QProgressBar, QPushButton, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from inference.video import library

from ..base import BasePanel

MODELS = ("video-temporal", "video-meanpool")


def _qimage(rgb: np.ndarray) -> QImage:
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


def _fmt_t(t: float) -> str:
    m, s = divmod(max(0.0, t), 60)
    return f"{int(m)}:{s:04.1f}"


class DirectionView(QWidget):
    """Score of a hit played forward vs reversed, as two bars."""

    def __init__(self, parent=None):
        super().__init__(parent)
        lay = QFormLayout(self)
        self.fwd = QProgressBar()
        self.rev = QProgressBar()
        for b in (self.fwd, self.rev):
            b.setRange(0, 1000)
            b.setTextVisible(True)
        self.fwd.setStyleSheet("QProgressBar::chunk { background: #2e7d32; }")
        self.rev.setStyleSheet("QProgressBar::chunk { background: #c62828; }")
        self.verdict = QLabel("select a hit")
        self.verdict.setWordWrap(True)
        lay.addRow("played forward", self.fwd)
        lay.addRow("played reversed", self.rev)
        lay.addRow(self.verdict)

    def show_scores(self, fwd: float, rev: float) -> None:
        for bar, v in ((self.fwd, fwd), (self.rev, rev)):
            bar.setValue(int(round(max(0.0, min(1.0, (v + 1) / 2)) * 1000)))
            bar.setFormat(f"{v:+.3f}")
        d = fwd - rev
        if abs(d) < 0.02:
            self.verdict.setText("Direction does not matter for this match (forward ≈ reversed).")
        elif d > 0:
            self.verdict.setText(f"The query fits this segment as it plays (by {d:+.3f}), not reversed.")
        else:
            self.verdict.setText(f"The query fits this segment better played BACKWARDS (by {-d:+.3f}).")


class Panel(BasePanel):
    panel_id = "video"
    title = "Video retrieval"
    file_kinds = ("video", "folder")
    tooltip = "Search your videos by text; measure whether a model knows the direction of time (RTime)"

    index_done = Signal(object)
    search_done = Signal(object)
    eval_done = Signal(object)

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.hits: list[dict] = []
        self.last_error = ""
        self.index_job = None
        self.eval_result: dict | None = None
        self._pause = threading.Event()
        self._frames: list[QPixmap] = []
        self._thumbs: dict[tuple[str, float], QIcon] = {}  # (file, segment start) → icon of the current hits
        self._preview_key: tuple[str, float] | None = None  # the hit whose segment is loading or playing
        self._playing_key: tuple[str, float] | None = None  # the hit whose frames arrived last
        self._frame_i = 0
        self._timer = QTimer(self)
        self._timer.setInterval(125)
        self._timer.timeout.connect(self._next_frame)
        s = ctx.settings
        self.db_path = str(s.value("video/db", str(library.default_db())))
        folders = s.value("video/folders", [], list) or []
        if isinstance(folders, str):
            folders = [folders]

        self.tabs = QTabWidget()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.tabs)
        self.tabs.addTab(self._build_library(folders), "Library && search")
        self.tabs.addTab(self._build_eval(), "Evaluation (RTime)")
        self.setAcceptDrops(True)
        self._refresh_stats()

    # ------------------------------------------------------------------ library tab
    def _build_library(self, folders) -> QWidget:
        w = QWidget()
        split = QSplitter(Qt.Orientation.Horizontal, w)
        QVBoxLayout(w).addWidget(split)
        # left: folders + indexing
        left = QWidget()
        ll = QVBoxLayout(left)
        g = QGroupBox("Folders")
        gl = QVBoxLayout(g)
        self.folder_list = QListWidget()
        self.folder_list.addItems([str(f) for f in folders])
        gl.addWidget(self.folder_list)
        row = QHBoxLayout()
        self.add_btn = QPushButton("Add folder…")
        self.add_btn.clicked.connect(self._choose_folder)
        self.remove_btn = QPushButton("Remove")
        self.remove_btn.clicked.connect(self._remove_folder)
        row.addWidget(self.add_btn)
        row.addWidget(self.remove_btn)
        gl.addLayout(row)
        ll.addWidget(g)
        g2 = QGroupBox("Index")
        fl = QFormLayout(g2)
        self.model_box = QComboBox()
        self.model_box.addItems(MODELS)
        fl.addRow("model", self.model_box)
        self.db_label = QLabel(self.db_path)
        self.db_label.setWordWrap(True)
        self.db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        fl.addRow("database", self.db_label)
        row2 = QHBoxLayout()
        self.index_btn = QPushButton("Index now")
        self.index_btn.clicked.connect(self.start_indexing)
        self.pause_btn = QPushButton("Pause")
        self.pause_btn.setCheckable(True)
        self.pause_btn.setEnabled(False)
        self.pause_btn.toggled.connect(self._toggle_pause)
        self.cancel_btn = QPushButton("Cancel")
        self.cancel_btn.setEnabled(False)
        self.cancel_btn.clicked.connect(self.cancel_indexing)
        for b in (self.index_btn, self.pause_btn, self.cancel_btn):
            row2.addWidget(b)
        fl.addRow(row2)
        self.index_bar = QProgressBar()
        self.index_bar.setRange(0, 1000)
        fl.addRow(self.index_bar)
        self.index_status = QLabel("")
        self.index_status.setWordWrap(True)
        fl.addRow(self.index_status)
        ll.addWidget(g2)
        g3 = QGroupBox("Skipped files")
        l3 = QVBoxLayout(g3)
        self.skipped_list = QListWidget()
        l3.addWidget(self.skipped_list)
        ll.addWidget(g3)
        split.addWidget(left)
        # right: query + hits + preview
        right = QWidget()
        rl = QVBoxLayout(right)
        q = QHBoxLayout()
        self.query = QLineEdit()
        self.query.setPlaceholderText("describe what happens, e.g. “a red ball moves from right to left”")
        self.query.returnPressed.connect(self.run_search)
        self.search_btn = QPushButton("Search")
        self.search_btn.clicked.connect(self.run_search)
        self.k_box = QSpinBox()
        self.k_box.setRange(1, 500)
        self.k_box.setValue(24)
        self.k_box.setPrefix("top ")
        self.threshold = QDoubleSpinBox()
        self.threshold.setRange(-1.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        self.threshold.setValue(-1.0)
        self.threshold.setPrefix("score ≥ ")
        self.threshold.valueChanged.connect(self._apply_threshold)
        self.export_btn = QPushButton("Export CSV…")
        self.export_btn.setEnabled(False)
        self.export_btn.clicked.connect(self._choose_csv)
        for wdg in (self.query, self.search_btn, self.k_box, self.threshold, self.export_btn):
            q.addWidget(wdg)
        q.setStretch(0, 1)
        rl.addLayout(q)
        vsplit = QSplitter(Qt.Orientation.Vertical)
        self.grid = QListWidget()
        self.grid.setViewMode(QListWidget.ViewMode.IconMode)
        self.grid.setIconSize(QSize(160, 120))
        self.grid.setGridSize(QSize(190, 190))
        self.grid.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.grid.setMovement(QListWidget.Movement.Static)
        self.grid.setWordWrap(True)
        self.grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.grid.currentRowChanged.connect(self._select_hit)
        vsplit.addWidget(self.grid)
        bottom = QWidget()
        bl = QHBoxLayout(bottom)
        self.preview = QLabel("preview")
        self.preview.setMinimumSize(320, 180)
        self.preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview.setStyleSheet("background: #111; color: #aaa;")
        bl.addWidget(self.preview, 1)
        side = QVBoxLayout()
        self.hit_label = QLabel("")
        self.hit_label.setWordWrap(True)
        side.addWidget(self.hit_label)
        self.direction = DirectionView()
        side.addWidget(self.direction)
        side.addStretch(1)
        bl.addLayout(side, 1)
        vsplit.addWidget(bottom)
        vsplit.setSizes([420, 260])
        rl.addWidget(vsplit)
        self.search_status = QLabel("")
        rl.addWidget(self.search_status)
        split.addWidget(right)
        split.setStretchFactor(0, 0)
        split.setStretchFactor(1, 1)
        split.setSizes([330, 900])
        return w

    def _save_folders(self) -> None:
        self.ctx.settings.set_value("video/folders", self.folders())

    def folders(self) -> list[str]:
        return [self.folder_list.item(i).text() for i in range(self.folder_list.count())]

    def add_folder(self, path: str, index: bool = True) -> None:
        p = str(Path(path).expanduser().resolve())
        if p not in self.folders():
            self.folder_list.addItem(p)
            self._save_folders()
        if index:
            self.start_indexing()

    def _choose_folder(self) -> None:
        d = QFileDialog.getExistingDirectory(self, "Add a folder of videos", self.ctx.settings.last_dir())
        if d:
            self.ctx.settings.set_last_dir(d)
            self.add_folder(d)

    def _remove_folder(self) -> None:
        for it in self.folder_list.selectedItems():
            self.folder_list.takeItem(self.folder_list.row(it))
        self._save_folders()

    def open_file(self, path: str) -> None:
        """A dropped/opened folder is added to the library; a video file adds its own folder."""
        p = Path(path)
        self.tabs.setCurrentIndex(0)
        self.add_recent(str(p))
        self.add_folder(str(p if p.is_dir() else p.parent))

    def dragEnterEvent(self, e):  # noqa: N802
        if e.mimeData() is not None and e.mimeData().hasUrls():
            e.acceptProposedAction()

    def dropEvent(self, e):  # noqa: N802
        for u in e.mimeData().urls():
            if u.isLocalFile():
                self.open_file(u.toLocalFile())

    # ------------------------------------------------------------------ indexing
    def start_indexing(self) -> None:
        if self.index_job is not None:
            return  # one indexing run at a time
        folders = self.folders()
        if not folders:
            self._error("add a folder of videos first")
            return
        self._pause.clear()
        self.pause_btn.setChecked(False)
        self.index_btn.setEnabled(False)
        self.pause_btn.setEnabled(True)
        self.cancel_btn.setEnabled(True)
        self.index_status.setText("indexing…")
        self.index_job = self.start_job("Indexing videos", library.index_folders, self.db_path, folders,
                                        self.model_box.currentText(), is_paused=self._pause.is_set,
                                        on_result=self._indexed, on_error=self._index_failed,
                                        on_progress=self._index_progress, replace=False)
        self.index_job.signals.finished.connect(self._index_finished)
        self.index_job.signals.cancelled.connect(lambda: self.index_status.setText("cancelled (finished files kept)"))

    def _index_progress(self, f: float, msg: str) -> None:
        self.index_bar.setValue(int(f * 1000))
        if not self._pause.is_set():
            self.index_status.setText(msg)

    def _toggle_pause(self, on: bool) -> None:
        if on:
            self._pause.set()
            self.pause_btn.setText("Resume")
            self.index_status.setText("paused")
        else:
            self._pause.clear()
            self.pause_btn.setText("Pause")

    def cancel_indexing(self) -> None:
        if self.index_job is not None:
            self._pause.clear()
            self.index_job.cancel()

    def _indexed(self, res: dict) -> None:
        rep, st = res["report"], res["stats"]
        fps = rep["frames_decoded"] / rep["seconds"] if rep["seconds"] else 0
        self.index_status.setText(
            f"{len(rep['indexed'])} indexed, {rep['unchanged']} unchanged, {len(rep['copied'])} copies, "
            f"{len(rep['skipped'])} skipped, {rep['removed']} removed — {rep['frames_decoded']} frames in "
            f"{rep['seconds']:.1f} s ({fps:.0f}/s). Library: {st['files']} videos, {st['segments']} segments.")
        self._show_skipped(res["skipped"])
        self._thumbs.clear()  # a re-indexed file may have new thumbnails and segments
        self._preview_key = self._playing_key = None
        self.index_done.emit(res)

    def _index_failed(self, failure) -> None:
        self._error(failure.message)
        self.ctx.jobs.job_failed.emit(self.index_job, failure)

    def _index_finished(self) -> None:
        self.index_job = None
        self.index_btn.setEnabled(True)
        self.pause_btn.setEnabled(False)
        self.pause_btn.setChecked(False)
        self.cancel_btn.setEnabled(False)

    def _show_skipped(self, skipped: list[dict]) -> None:
        self.skipped_list.clear()
        for s in skipped:
            it = QListWidgetItem(f"{Path(s['path']).name}: {s['reason']}")
            it.setToolTip(s["path"])
            self.skipped_list.addItem(it)

    def _refresh_stats(self) -> None:
        if Path(self.db_path).exists():
            self.start_job("Reading library", library.library_stats, self.db_path, on_result=self._stats, replace=False)

    def _stats(self, st: dict) -> None:
        if st.get("files"):
            self.index_status.setText(f"library: {st['files']} videos, {st['segments']} segments ({st.get('model')})")
        self._show_skipped(st.get("skipped_list", []))

    # ------------------------------------------------------------------ search
    def run_search(self) -> None:
        text = self.query.text().strip()
        if not text:
            self._error("type a description of what happens in the video")
            return
        self.search_status.setText("searching…")
        self.start_job("Searching videos", library.search_library, self.db_path, text, self.k_box.value(),
                       None, decode_thumbs=True, on_result=self._show_hits, on_error=self._search_failed)

    def _search_failed(self, failure) -> None:
        self._error(failure.message)
        self.ctx.jobs.job_failed.emit(None, failure)

    def _show_hits(self, hits: list[dict]) -> None:
        self.hits = hits
        # one icon per (file, segment start), from the thumbnails the search job decoded; kept for hits
        # that come back, so a threshold change (or a repeated hit) only re-filters the grid
        old, self._thumbs = self._thumbs, {}
        for h in hits:
            key = (h["path"], h["start"])
            icon = old.get(key)
            if icon is None and h.get("thumb_rgb") is not None:
                icon = QIcon(QPixmap.fromImage(_qimage(h["thumb_rgb"])))
            if icon is not None:
                self._thumbs[key] = icon
        self._apply_threshold()
        self.search_done.emit(hits)

    def visible_hits(self) -> list[dict]:
        t = self.threshold.value()
        return [h for h in self.hits if h["score"] >= t]

    def _apply_threshold(self) -> None:
        """Fill the grid with the hits above the threshold: icons come from the cache (nothing is decoded), and
        the first hit's preview is reloaded only when it is another segment."""
        shown = self.visible_hits()
        self.grid.blockSignals(True)  # clearing moves the current row through stale rows: no previews for those
        self.grid.clear()
        for h in shown:
            it = QListWidgetItem(f"{Path(h['path']).name}\n{_fmt_t(h['start'])}–{_fmt_t(h['end'])}\nscore {h['score']:+.3f}")
            icon = self._thumbs.get((h["path"], h["start"]))
            if icon is not None:
                it.setIcon(icon)
            it.setToolTip(h["path"])
            if h["score"] < h["score_reversed"]:
                it.setForeground(QColor("#c62828"))
            self.grid.addItem(it)
        self.grid.blockSignals(False)
        self.export_btn.setEnabled(bool(shown))
        self.search_status.setText(f"{len(shown)} of {len(self.hits)} hits shown" if self.hits else "no hits")
        if shown:
            self.grid.setCurrentRow(0)

    def _select_hit(self, row: int) -> None:
        shown = self.visible_hits()
        if row < 0 or row >= len(shown):
            return
        h = shown[row]
        self.hit_label.setText(f"<b>{Path(h['path']).name}</b><br>{h['path']}<br>"
                               f"segment {_fmt_t(h['start'])} – {_fmt_t(h['end'])}")
        self.direction.show_scores(h["score"], h["score_reversed"])
        key = (h["path"], h["start"])
        if key == self._preview_key:
            return  # this segment is already loading or playing (e.g. still shown after a threshold change)
        self._preview_key = key
        self._timer.stop()
        job = self.start_job("Loading preview", library.preview_frames, h["path"], h["start"], h["end"],
                             on_result=lambda frames, k=key: self._play(frames, k), replace=True)
        job.signals.finished.connect(lambda k=key: self._preview_ended(k))

    def _preview_ended(self, key) -> None:
        if self._preview_key == key and self._playing_key != key:  # failed or cancelled: selecting it retries
            self._preview_key = None

    def _play(self, frames: list, key=None) -> None:
        self._playing_key = key
        self._frames = list(frames)  # converted to a pixmap one at a time, as shown
        self._frame_i = 0
        if self._frames:
            self._timer.start()
            self._next_frame()

    def _next_frame(self) -> None:
        if not self._frames:
            self._timer.stop()
            return
        pm = QPixmap.fromImage(_qimage(self._frames[self._frame_i % len(self._frames)]))
        self.preview.setPixmap(pm.scaled(self.preview.size(), Qt.AspectRatioMode.KeepAspectRatio,
                                         Qt.TransformationMode.SmoothTransformation))
        self._frame_i += 1

    def _choose_csv(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export results", str(Path(self.ctx.settings.last_dir()) / "results.csv"),
                                              "CSV (*.csv)")
        if path:
            self.export_csv(path)

    def export_csv(self, path: str) -> int:
        n = library.export_csv(self.visible_hits(), path)
        self.search_status.setText(f"exported {n} hits to {path}")
        return n

    # ------------------------------------------------------------------ evaluation tab
    def _build_eval(self) -> QWidget:
        w = QWidget()
        lay = QVBoxLayout(w)
        form = QFormLayout()
        self.ann_edit = self._path_row(form, "annotations", "RTime test.json (or one made by `mmwb video synth`)", True)
        self.vid_edit = self._path_row(form, "videos", "folder with <clip id>.mp4 files", False)
        r3 = QHBoxLayout()
        self.eval_models = {m: QCheckBox(m) for m in MODELS}
        for cb in self.eval_models.values():
            cb.setChecked(True)
            r3.addWidget(cb)
        self.limit_box = QSpinBox()
        self.limit_box.setRange(0, 1_000_000)
        self.limit_box.setSpecialValueText("all clips")
        r3.addWidget(QLabel("limit"))
        r3.addWidget(self.limit_box)
        self.eval_btn = QPushButton("Run evaluation")
        self.eval_btn.clicked.connect(self.run_eval)
        r3.addWidget(self.eval_btn)
        r3.addStretch(1)
        form.addRow("models", r3)
        lay.addLayout(form)
        self.eval_bar = QProgressBar()
        self.eval_bar.setRange(0, 1000)
        lay.addWidget(self.eval_bar)
        split = QSplitter(Qt.Orientation.Horizontal)
        self.eval_table = QTableWidget(0, 7)
        self.eval_table.setHorizontalHeaderLabels(["model", "task", "R@1", "R@5", "R@10", "MdR", "MnR"])
        self.eval_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.eval_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        split.addWidget(self.eval_table)
        import pyqtgraph as pg
        self.plot = pg.PlotWidget(title="RTime-Binary accuracy per event family (text→video)")
        self.plot.setBackground("w")
        self.plot.setYRange(0, 1)
        self.plot.addLegend()
        self.plot.showGrid(y=True, alpha=0.3)
        self.plot.setMinimumWidth(420)
        split.addWidget(self.plot)
        split.setSizes([520, 600])
        lay.addWidget(split, 1)
        self.eval_status = QLabel("")
        self.eval_status.setWordWrap(True)
        lay.addWidget(self.eval_status)
        return w

    def _path_row(self, form: QFormLayout, label: str, placeholder: str, is_file: bool) -> QLineEdit:
        """A path box with a "…" browse button, added to form; returns the box."""
        edit = QLineEdit()
        edit.setPlaceholderText(placeholder)
        browse = QPushButton("…")
        browse.clicked.connect(lambda: self._pick(edit, is_file))
        row = QHBoxLayout()
        row.addWidget(edit)
        row.addWidget(browse)
        form.addRow(label, row)
        return edit

    def _pick(self, edit: QLineEdit, is_file: bool) -> None:
        if is_file:
            p, _ = QFileDialog.getOpenFileName(self, "RTime annotations", self.ctx.settings.last_dir(), "JSON (*.json)")
        else:
            p = QFileDialog.getExistingDirectory(self, "Folder of clips", self.ctx.settings.last_dir())
        if p:
            edit.setText(p)
            if is_file and not self.vid_edit.text():
                self.vid_edit.setText(str(Path(p).parent))

    def run_eval(self) -> None:
        models = [m for m, cb in self.eval_models.items() if cb.isChecked()]
        if not models:
            self._error("tick at least one model")
            return
        self.eval_btn.setEnabled(False)
        self.eval_status.setText("evaluating…")
        job = self.start_job("RTime evaluation", library.evaluate_models, self.ann_edit.text(), self.vid_edit.text(),
                             models, self.limit_box.value(), on_result=self._show_eval, on_error=self._eval_failed,
                             on_progress=lambda f, m: self.eval_bar.setValue(int(f * 1000)), replace=False)
        job.signals.finished.connect(lambda: self.eval_btn.setEnabled(True))

    def _eval_failed(self, failure) -> None:
        self._error(failure.message)
        self.eval_status.setText("error: " + failure.message)
        self.ctx.jobs.job_failed.emit(None, failure)

    def _show_eval(self, results: dict) -> None:
        import pyqtgraph as pg
        self.eval_result = results
        rows = []
        for m, r in results.items():
            for task in ("origin", "hard"):
                if r.get(task):
                    for d in ("t2v", "v2t"):
                        x = r[task][d]
                        rows.append([m, f"{task} {d}", f"{100 * x['R@1']:.1f}", f"{100 * x['R@5']:.1f}",
                                     f"{100 * x['R@10']:.1f}", f"{x['MdR']:.1f}", f"{x['MnR']:.1f}"])
            if r.get("binary"):
                b = r["binary"]
                rows.append([m, "binary", f"t2v {100 * b['t2v_acc']:.1f}%", f"v2t {100 * b['v2t_acc']:.1f}%", "", "", ""])
        self.eval_table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                self.eval_table.setItem(i, j, QTableWidgetItem(v))
        self.plot.clear()
        colours = ["#1565c0", "#ef6c00", "#2e7d32"]
        fams = sorted({f for r in results.values() for f in (r.get("binary_per_family") or {})})
        if fams:
            n = len(results)
            width = 0.8 / n
            for k, (m, r) in enumerate(results.items()):
                per = r.get("binary_per_family") or {}
                ys = [per.get(f, {}).get("t2v_acc", 0) for f in fams]
                xs = np.arange(len(fams)) + (k - (n - 1) / 2) * width
                self.plot.addItem(pg.BarGraphItem(x=xs, height=ys, width=width, brush=colours[k % 3], name=m))
            self.plot.addItem(pg.InfiniteLine(pos=0.5, angle=0, pen=pg.mkPen("k", style=Qt.PenStyle.DashLine)))
            self.plot.getAxis("bottom").setTicks([[(i, f[:6]) for i, f in enumerate(fams)]])
        else:  # no families (real RTime): overall binary accuracy per model
            ms = list(results)
            ys = [(results[m].get("binary") or {}).get("t2v_acc", 0) for m in ms]
            self.plot.addItem(pg.BarGraphItem(x=np.arange(len(ms)), height=ys, width=0.6, brush=colours[0]))
            self.plot.getAxis("bottom").setTicks([[(i, m) for i, m in enumerate(ms)]])
        summary = "; ".join(f"{m}: Binary t2v {100 * r['binary']['t2v_acc']:.1f}% / v2t {100 * r['binary']['v2t_acc']:.1f}%, "
                            f"Hard t2v R@1 {100 * r['hard']['t2v']['R@1']:.1f}%"
                            for m, r in results.items() if r.get("binary"))
        self.eval_status.setText(f"{next(iter(results.values()))['n_clips']} clips. {summary}")
        self.eval_done.emit(results)

    # ------------------------------------------------------------------ misc
    def _error(self, msg: str) -> None:
        self.last_error = msg
        self.ctx.show_status(f"error: {msg}")

    def shutdown(self) -> None:
        """Called by the main window on quit: stop the preview and close the open library indexes."""
        self._timer.stop()
        library.close_all()

    def closeEvent(self, e):  # noqa: N802
        self._timer.stop()
        super().closeEvent(e)
