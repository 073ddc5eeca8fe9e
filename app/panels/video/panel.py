"""Video retrieval panel: index folders, search by text, see where and in which direction a hit matches;
evaluate models on RTime.

Every action starts one job calling `inference.video.api`; what is shown (summaries, bars, table rows) comes
from `api` too, so this module only builds widgets and draws results.
"""
from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QIcon, QImage, QPixmap
from PySide6.QtWidgets import (QAbstractItemView, QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout,
                               QGroupBox, QHBoxLayout, QHeaderView, QLabel, QLineEdit, QListWidget, QListWidgetItem,
                               QProgressBar, QPushButton, QSpinBox, QSplitter, QTableWidget, QTableWidgetItem,
                               QTabWidget, QVBoxLayout, QWidget)

from inference.runtime.errors import WorkbenchError
from inference.video import api
from inference.video import io as video_io

from ..base import BasePanel

MODELS = ("video-temporal", "video-meanpool")


def _qimage(rgb: np.ndarray) -> QImage:
    rgb = np.ascontiguousarray(rgb)
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


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
        self.verdict.setToolTip("Forward vs reversed: how well the query fits the segment as it plays and played "
                                "backwards. A difference within the model's calibrated margin is too close to call.")
        lay.addRow("played forward", self.fwd)
        lay.addRow("played reversed", self.rev)
        lay.addRow(self.verdict)

    def show_scores(self, fwd: float, rev: float, cal: dict | None = None, match: str | None = None) -> None:
        view = api.direction_of(fwd, rev, cal, match)
        for bar, fill, v in ((self.fwd, view["forward"], fwd), (self.rev, view["reversed"], rev)):
            bar.setValue(round(fill * bar.maximum()))
            bar.setFormat(f"{v:+.3f}")
        self.verdict.setText(view["verdict"])


class VideoPanel(BasePanel):
    panel_id = "video"

    index_done = Signal(object)
    search_done = Signal(object)
    eval_done = Signal(object)

    def __init__(self, ctx, parent=None):
        super().__init__(ctx, parent)
        self.hits: list[dict] = []
        self.index_job = None
        self._indexing = False  # the busy job is an indexing run (pause/cancel apply)
        self._sample_query: str | None = None  # searched once the sample is indexed
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
        self.db_path = str(s.value("video/db", str(api.default_db())))
        folders = s.value("video/folders", [], list) or []
        if isinstance(folders, str):
            folders = [folders]

        self.tabs = QTabWidget()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(4, 4, 4, 4)
        lay.addWidget(self.intro_widget())
        lay.addWidget(self.tabs, 1)
        lay.addWidget(self.error_label)
        self.tabs.addTab(self._build_library(folders), "Library && search")
        self.tabs.addTab(self._build_eval(), "Evaluation (RTime)")
        if folders:
            self.hide_intro()
        self._refresh_stats()

    def intro_hint(self) -> str:
        return "Drop a folder of videos here (or Add folder…), let it index, then describe what happens."

    def on_busy(self, busy: bool) -> None:
        """Busy while indexing or evaluating (one at a time); Pause and Cancel act on an indexing run."""
        self.index_btn.setEnabled(not busy)
        self.eval_btn.setEnabled(not busy)
        self.pause_btn.setEnabled(busy and self._indexing)
        self.cancel_btn.setEnabled(busy and self._indexing)
        if not busy:
            self._indexing = False
            self.index_job = None
            self.pause_btn.setChecked(False)

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
        top = QWidget()
        tl = QVBoxLayout(top)
        tl.setContentsMargins(0, 0, 0, 0)
        self.no_match = QLabel("")
        self.no_match.setWordWrap(True)
        self.no_match.setStyleSheet("background: #fff3e0; color: #5d4037; padding: 6px; border: 1px solid #ffb74d;")
        self.no_match.hide()
        tl.addWidget(self.no_match)
        tl.addWidget(self.grid, 1)
        self.legend = QLabel(api.hits_legend(self.model_box.currentText()))
        self.legend.setWordWrap(True)
        self.legend.setStyleSheet("color: #555; font-size: 11px;")
        self.legend.setToolTip("Match strength comes from score thresholds fitted on held-out clips (Help ▸ Models "
                               "shows what each model knows). Red caption: the segment fits the query better "
                               "played backwards than as it plays.")
        tl.addWidget(self.legend)
        vsplit.addWidget(top)
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
        self.search_status.setWordWrap(True)
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
        self.hide_intro()
        p = str(Path(path).expanduser().resolve())
        if p not in self.folders():
            self.folder_list.addItem(p)
            self._save_folders()
        if index:
            self.start_indexing()

    def _choose_folder(self) -> None:
        d = self.ask_directory("Add a folder of videos")
        if d:
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

    def open_sample(self) -> None:
        """Index the sample's clips, fill the Evaluation tab with its annotations, then search for its first
        caption (the sample: resources/samples/video/, see its README)."""
        root = self.panel_info.sample_path()
        if not root.exists():
            super().open_sample()  # says it is missing
            return
        try:
            sample = api.sample_parts(str(root))
        except WorkbenchError as e:
            self.show_error(e)
            return
        self.ann_edit.setText(sample["annotations"])
        self.vid_edit.setText(sample["clips"])
        self._sample_query = sample["query"]
        self.open_file(sample["clips"])

    # ------------------------------------------------------------------ indexing
    def start_indexing(self) -> None:
        if self.is_busy:
            return  # one indexing or evaluation run at a time; the folder is indexed by the next run
        folders = self.folders()
        if not folders:
            self.show_error("add a folder of videos first")
            return
        self._pause.clear()
        self.pause_btn.setChecked(False)
        self.index_status.setText("indexing…")
        self._indexing = True
        self.index_job = self.start_job("Indexing videos", api.index_folders, self.db_path, folders,
                                        self.model_box.currentText(), is_paused=self._pause.is_set,
                                        on_result=self._indexed, on_error=lambda f: self.index_status.clear(),
                                        on_progress=self._index_progress, replace=False, dialog=False)
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
        self.index_status.setText(api.index_summary(res))
        self._show_skipped(res["skipped"])
        self._thumbs.clear()  # a re-indexed file may have new thumbnails and segments
        self._preview_key = self._playing_key = None
        self.index_done.emit(res)
        if self._sample_query:  # "Try a sample": show what the sample is for
            self.query.setText(self._sample_query)
            self._sample_query = None
            self.run_search()

    def _show_skipped(self, skipped: list[dict]) -> None:
        self.skipped_list.clear()
        for s in skipped:
            it = QListWidgetItem(f"{Path(s['path']).name}: {s['reason']}")
            it.setToolTip(s["path"])
            self.skipped_list.addItem(it)

    def _refresh_stats(self) -> None:
        if Path(self.db_path).exists():
            self.start_job("Reading library", api.library_stats, self.db_path, on_result=self._stats, replace=False,
                           busy=False, dialog=False)

    def _stats(self, st: dict) -> None:
        summary = api.library_summary(st)
        if summary:
            self.index_status.setText(summary)
        self._show_skipped(st.get("skipped_list", []))

    # ------------------------------------------------------------------ search
    def run_search(self) -> None:
        text = self.query.text().strip()
        if not text:
            self.show_error("type a description of what happens in the video")
            return
        self.clear_error()
        self.search_status.setText("searching…")
        self.start_job("Searching videos", api.search_library, self.db_path, text, self.k_box.value(),
                       None, decode_thumbs=True, on_result=self._show_hits,
                       on_error=lambda f: self.search_status.clear(), busy=False, dialog=False, slot="search")

    def _show_hits(self, hits: list[dict]) -> None:
        self.hits = hits
        # one icon per (file, segment start), from the thumbnails the search job decoded; kept for hits
        # that come back, so a threshold change (or a repeated hit) only re-filters the grid
        old, self._thumbs = self._thumbs, {}
        for h in hits:
            key = (h["path"], h["start"], h.get("match"))  # greyed for a non-match: another icon
            icon = old.get(key)
            if icon is None and h.get("thumb_rgb") is not None:
                icon = QIcon(QPixmap.fromImage(_qimage(api.shown_thumb(h["thumb_rgb"], h))))
            if icon is not None:
                self._thumbs[key] = icon
        model = hits[0].get("model") if hits else None
        if model:
            self.legend.setText(api.hits_legend(model))
        self.no_match.setText(api.no_match_message(model) if api.nothing_matches(hits) else "")
        self.no_match.setVisible(api.nothing_matches(hits))
        self._apply_threshold()
        self.search_done.emit(hits)

    def visible_hits(self) -> list[dict]:
        return api.hits_above(self.hits, self.threshold.value())

    def _apply_threshold(self) -> None:
        """Fill the grid with the hits above the threshold: icons come from the cache (nothing is decoded), and
        the first hit's preview is reloaded only when it is another segment."""
        shown = self.visible_hits()
        self.grid.blockSignals(True)  # clearing moves the current row through stale rows: no previews for those
        self.grid.clear()
        for h in shown:
            it = QListWidgetItem(api.hit_caption(h))
            icon = self._thumbs.get((h["path"], h["start"], h.get("match")))
            if icon is not None:
                it.setIcon(icon)
            it.setToolTip(api.hit_tooltip(h))
            style = api.hit_style(h)
            if style["grey"]:
                it.setForeground(QColor("#9e9e9e"))
            elif style["red"]:
                it.setForeground(QColor("#c62828"))
            self.grid.addItem(it)
        self.grid.blockSignals(False)
        self.export_btn.setEnabled(bool(shown))
        self.search_status.setText(api.search_summary(self.hits, len(shown)))
        if shown:
            self.grid.setCurrentRow(0)

    def _select_hit(self, row: int) -> None:
        shown = self.visible_hits()
        if row < 0 or row >= len(shown):
            return
        h = shown[row]
        self.hit_label.setText(f"<b>{Path(h['path']).name}</b><br>{h['path']}<br>"
                               f"segment {api.format_time(h['start'])} – {api.format_time(h['end'])}")
        self.direction.show_scores(h["score"], h["score_reversed"], api.calibration_for(h.get("model")),
                                   h.get("match"))
        key = (h["path"], h["start"])
        if key == self._preview_key:
            return  # this segment is already loading or playing (e.g. still shown after a threshold change)
        self._preview_key = key
        self._timer.stop()
        self.start_job("Loading preview", api.preview_frames, h["path"], h["start"], h["end"],
                       on_result=lambda frames, k=key: self._play(frames, k), replace=True, busy=False,
                       dialog=False, slot="preview", on_finished=lambda k=key: self._preview_ended(k))

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
        path = self.ask_save_file("Export results", "results.csv", "CSV (*.csv)")
        if path:
            try:
                self.export_csv(path)
            except WorkbenchError as e:
                self.show_error(e)

    def export_csv(self, path: str) -> int:
        n = video_io.write_hits_csv(self.visible_hits(), path)
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
            p = self.ask_open_file("RTime annotations", "RTime annotations (*.json)")
        else:
            p = self.ask_directory("Folder of clips")
        if p:
            edit.setText(p)
            if is_file and not self.vid_edit.text():
                self.vid_edit.setText(str(Path(p).parent))

    def run_eval(self) -> None:
        models = [m for m, cb in self.eval_models.items() if cb.isChecked()]
        if not models:
            self.show_error("tick at least one model")
            return
        if self.is_busy:
            return  # the button is disabled while indexing or evaluating
        self.eval_status.setText("evaluating…")
        self.start_job("RTime evaluation", api.evaluate_models, self.ann_edit.text(), self.vid_edit.text(),
                       models, self.limit_box.value(), on_result=self._show_eval,
                       on_error=lambda f: self.eval_status.clear(),
                       on_progress=lambda f, m: self.eval_bar.setValue(int(f * 1000)), replace=False, dialog=False)

    def _show_eval(self, results: dict) -> None:
        import pyqtgraph as pg
        self.eval_result = results
        rows = api.eval_rows(results)
        self.eval_table.setRowCount(len(rows))
        for i, row in enumerate(rows):
            for j, v in enumerate(row):
                self.eval_table.setItem(i, j, QTableWidgetItem(v))
        self.plot.clear()
        colours = ["#1565c0", "#ef6c00", "#2e7d32"]
        chart = api.binary_bars(results)
        for k, b in enumerate(chart["bars"]):
            named = {"name": b["model"]} if b["model"] else {}
            self.plot.addItem(pg.BarGraphItem(x=b["x"], height=b["height"], width=b["width"], brush=colours[k % 3],
                                              **named))
        if chart["chance"] is not None:
            self.plot.addItem(pg.InfiniteLine(pos=chart["chance"], angle=0, pen=pg.mkPen("k", style=Qt.PenStyle.DashLine)))
        self.plot.getAxis("bottom").setTicks([chart["ticks"]])
        self.eval_status.setText(api.eval_summary(results))
        self.eval_done.emit(results)

    # ------------------------------------------------------------------ misc
    def on_shutdown(self) -> None:
        """On quit: stop the preview and close the open library indexes."""
        self._timer.stop()
        api.close_all()

    def closeEvent(self, e):  # noqa: N802
        self._timer.stop()
        super().closeEvent(e)
