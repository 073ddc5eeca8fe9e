"""Point-cloud panel: open a cloud (+ a view), reconstruct, see input and output side by side,
colour the output by its distance to the input (or a reference), threshold it, export it."""
from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (QCheckBox, QComboBox, QDoubleSpinBox, QFormLayout, QFrame, QGroupBox,
                               QHBoxLayout, QLabel, QPushButton, QScrollArea, QSpinBox, QSplitter,
                               QStackedWidget, QVBoxLayout, QWidget)

import pyqtgraph as pg

from app.drop import kind_of
from app.panels.base import BasePanel
from app.widgets.view3d import View3D
from inference.pointcloud import api, heatmap
from inference.pointcloud.io import PointCloud
from inference.pointcloud.heatmap import AUTO_PERCENTILE
from inference.pointcloud.model import DEFAULT_POINTS, DEFAULT_UPSAMPLE, MAX_INPUT, MODELS, VIEW_CONTRACT

log = logging.getLogger(__name__)
EXPORT_FILTER = "PLY (*.ply);;PCD (*.pcd);;XYZ (*.xyz)"
SIZE_MODES = ("automatic", "× input points", "exact count", "spacing")
NO_VIEW_TEXT = "no view image:\nthe points-only model is used"
SIDE_WIDTH = 270  # the controls' column; it scrolls (never squashes) when the window is short
RECOLOUR_DELAY_MS = 40  # threshold changes are coalesced: dragging or key repeat recolours once per pause


class PointCloudPanel(BasePanel):
    panel_id = "pointcloud"

    def __init__(self, ctx, parent: QWidget | None = None):
        super().__init__(ctx, parent)
        self.cloud: PointCloud | None = None
        self.cloud_path: str | None = None
        self.image: np.ndarray | None = None
        self.image_path: str | None = None
        self.reference: np.ndarray | None = None
        self.reference_name = "input"
        self.result = None          # api.ViewResult
        self.above_count = 0
        self._job = None
        self._image_seq = 0            # the newest view-image read; older reads that finish later are ignored
        self._image_loading = False
        self._run_after_image = False  # Reconstruct was asked for while the view image was being read
        self._thresh_auto = True       # the threshold follows the distances until the user sets one
        self._said_points_only = False  # "no view image: points-only model" is said once
        self._recolour_timer = QTimer(self)
        self._recolour_timer.setSingleShot(True)
        self._recolour_timer.setInterval(RECOLOUR_DELAY_MS)
        self._recolour_timer.timeout.connect(self._recolour)

        # ---- controls
        self.open_btn = QPushButton("Open cloud…")
        self.image_btn = QPushButton("Open view image…")
        self.image_btn.setToolTip(VIEW_CONTRACT)
        self.run_btn = QPushButton("Reconstruct")
        self.ref_btn = QPushButton("Compare with reference…")
        self.export_btn = QPushButton("Export…")
        self.cancel_btn = QPushButton("Cancel")
        self.run_btn.setEnabled(False)
        self.ref_btn.setEnabled(False)
        self.export_btn.setEnabled(False)
        self.cancel_btn.setEnabled(False)
        self.model_box = QComboBox()
        self.model_box.addItems(list(MODELS))
        self.model_box.setCurrentText("pc-points-only")  # a scan has no view; opening a view selects pc-multimodal
        self.size_box = QComboBox()
        self.size_box.addItems(list(SIZE_MODES))
        self.size_box.setToolTip(f"automatic: {DEFAULT_POINTS:,} points for an object-sized cloud, "
                                 f"×{DEFAULT_UPSAMPLE:g} its points for one above {MAX_INPUT:,} (densified tile by tile)")
        self.ratio_spin = QDoubleSpinBox()
        self.ratio_spin.setRange(1.0, 64.0)
        self.ratio_spin.setDecimals(1)
        self.ratio_spin.setValue(DEFAULT_UPSAMPLE)
        self.ratio_spin.setPrefix("×")
        self.points_spin = QSpinBox()
        self.points_spin.setRange(256, 50_000_000)
        self.points_spin.setSingleStep(4096)
        self.points_spin.setValue(DEFAULT_POINTS)
        self.points_spin.setGroupSeparatorShown(True)
        self.spacing_spin = QDoubleSpinBox()
        self.spacing_spin.setDecimals(4)
        self.spacing_spin.setRange(1e-4, 1e6)
        self.spacing_spin.setValue(0.01)
        self.spacing_spin.setToolTip("output points about this far apart, in the cloud's units")
        self.size_stack = QStackedWidget()
        auto = QLabel(f"{DEFAULT_POINTS:,}, or ×{DEFAULT_UPSAMPLE:g} above {MAX_INPUT:,}")
        auto.setToolTip(self.size_box.toolTip())
        auto.setWordWrap(True)
        for w in (auto, self.ratio_spin, self.points_spin, self.spacing_spin):
            self.size_stack.addWidget(w)
        self.size_box.currentIndexChanged.connect(self._size_mode_changed)
        self.fewer_box = QCheckBox("Allow fewer points than the input")
        self.fewer_box.setToolTip("a large scan is never made smaller unless you allow it here")
        self.fewer_box.setEnabled(False)
        self.denoise_box = QCheckBox("Remove outliers")
        self.denoise_box.setChecked(True)
        self.sor_spin = QDoubleSpinBox()
        self.sor_spin.setRange(0.5, 10.0)
        self.sor_spin.setSingleStep(0.25)
        self.sor_spin.setValue(2.0)
        self.sor_spin.setToolTip("statistical outlier removal: points whose mean neighbour distance is above "
                                 "mean + k·std are removed (smaller k removes more)")
        self.smooth_box = QCheckBox("Extra smoothing")
        self.smooth_box.setChecked(False)
        self.smooth_box.setToolTip("one more moving-least-squares pass over the denoised points (24 neighbours): "
                                   "for scans noisier than the model was trained on; it flattens fine detail")
        self.thresh_spin = QDoubleSpinBox()
        self.thresh_spin.setDecimals(5)
        self.thresh_spin.setRange(0.0, 1e9)
        self.thresh_spin.setSingleStep(0.001)
        self.auto_btn = QPushButton("Auto")
        self.auto_btn.setToolTip(f"the {AUTO_PERCENTILE:g}th percentile of the distances")
        self.thresh_note = QLabel("")
        self.thresh_note.setWordWrap(True)
        self.image_label = QLabel(NO_VIEW_TEXT)
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.image_label.setWordWrap(True)
        self.image_label.setFixedHeight(128)
        self.image_label.setMinimumWidth(128)
        self.image_label.setStyleSheet("border: 1px solid #555;")
        self.status = QLabel("")  # the intro line says what to open
        self.status.setWordWrap(True)
        self.stats = QLabel("")
        self.stats.setWordWrap(True)
        self.stats.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # ---- views
        self.view_in = View3D("Input")
        self.view_out = View3D("Output — distance to input")
        self.view_in.link_camera(self.view_out)
        self.hist = pg.PlotWidget()
        self.hist.setMinimumHeight(120)
        self.hist.setLabel("bottom", "distance to reference")
        self.hist.setLabel("left", "points")
        self.hist_curve = pg.PlotDataItem(stepMode="center", fillLevel=0, brush=(90, 140, 220, 160))
        self.hist.addItem(self.hist_curve)
        self.thresh_line = pg.InfiniteLine(angle=90, movable=True, pen=pg.mkPen((230, 80, 60), width=2))
        self.hist.addItem(self.thresh_line)

        # ---- layout
        side = QVBoxLayout()
        for b in (self.open_btn, self.image_btn):
            side.addWidget(b)
        side.addWidget(self.image_label)
        box = QGroupBox("Reconstruction")
        form = QFormLayout(box)
        form.addRow("Model", self.model_box)
        form.addRow("Output size", self.size_box)
        form.addRow("", self.size_stack)
        form.addRow(self.fewer_box)
        form.addRow(self.denoise_box)
        form.addRow("Outlier std ratio", self.sor_spin)
        form.addRow(self.smooth_box)
        side.addWidget(box)
        row = QHBoxLayout()
        row.addWidget(self.run_btn)
        row.addWidget(self.cancel_btn)
        side.addLayout(row)
        side.addWidget(self.ref_btn)
        tbox = QGroupBox("Distance threshold")
        tl = QFormLayout(tbox)
        trow = QHBoxLayout()
        trow.addWidget(self.thresh_spin, 1)
        trow.addWidget(self.auto_btn)
        tl.addRow(trow)
        side.addWidget(tbox)
        side.addWidget(self.thresh_note)
        side.addWidget(self.export_btn)
        side.addWidget(self.stats)
        side.addStretch(1)
        inner = QWidget()
        inner.setLayout(side)
        inner.setFixedWidth(SIDE_WIDTH)
        # the column scrolls instead of squashing its controls when the window is short or the text is long
        left = QScrollArea()
        left.setWidget(inner)
        left.setWidgetResizable(True)
        left.setFrameShape(QFrame.Shape.NoFrame)
        left.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left.setFixedWidth(SIDE_WIDTH + left.verticalScrollBar().sizeHint().width() + 2)

        views = QSplitter(Qt.Orientation.Horizontal)
        views.addWidget(self.view_in)
        views.addWidget(self.view_out)
        views.setStretchFactor(0, 1)
        views.setStretchFactor(1, 1)
        right = QSplitter(Qt.Orientation.Vertical)
        right.addWidget(views)
        right.addWidget(self.hist)
        right.setStretchFactor(0, 4)
        right.setStretchFactor(1, 1)
        main = QHBoxLayout()
        main.addWidget(left)
        main.addWidget(right, 1)
        outer = QVBoxLayout(self)
        outer.addWidget(self.intro_widget())
        outer.addLayout(main, 1)
        outer.addWidget(self.error_label)
        outer.addWidget(self.status)

        # ---- signals
        self.open_btn.clicked.connect(self._ask_cloud)
        self.image_btn.clicked.connect(self._ask_image)
        self.run_btn.clicked.connect(self.reconstruct)
        self.cancel_btn.clicked.connect(self.cancel)
        self.ref_btn.clicked.connect(self._ask_reference)
        self.export_btn.clicked.connect(self._ask_export)
        self.thresh_spin.valueChanged.connect(self._threshold_changed)
        self.thresh_line.sigPositionChangeFinished.connect(lambda l: self.thresh_spin.setValue(float(l.value())))
        self.auto_btn.clicked.connect(self._auto_threshold)

    def intro_hint(self) -> str:
        return ("Open or drop a .ply / .pcd / .xyz cloud or a LiDAR .bin frame (and optionally its view image), "
                "then press Reconstruct.")

    # ------------------------------------------------------------------ files
    def open_file(self, path: str) -> None:
        if kind_of(path) == "image":
            self.open_image(path)
        else:
            self.open_cloud(path)

    def open_cloud(self, path: str) -> None:
        """Read a cloud; the panel starts fresh once it is in. A file that cannot be read loses nothing: the
        previous cloud and result stay, and the error line says what was wrong."""
        self.status.setText(f"Reading {Path(path).name}…")
        self._job = self.start_job(f"Read {Path(path).name}", api.load_cloud_job, str(path),
                                   on_result=lambda pc, p=path: self._cloud_loaded(p, pc), on_progress=self._progress,
                                   on_error=lambda _f, p=path: self._cloud_failed(p))

    def _cloud_failed(self, path: str) -> None:
        kept = f"; still showing {Path(self.cloud_path).name}" if self.cloud_path else ""
        self.status.setText(f"{Path(path).name} was not opened{kept}")

    def _fresh_state(self) -> None:
        """A new file starts clean: no previous cloud, result, reference, text, error or threshold."""
        self.clear_error()
        self.cloud = self.cloud_path = None
        self.result = None
        self.reference, self.reference_name = None, "input"
        self.view_in.clear()
        self.view_out.clear()
        self.view_out.title.setText("Output — distance to input")
        self.hist_curve.setData([], [])
        self.stats.clear()
        self.stats.setToolTip("")
        self.thresh_note.clear()
        self._thresh_auto = True
        self.run_btn.setEnabled(False)
        self.ref_btn.setEnabled(False)
        self.export_btn.setEnabled(False)

    def _cloud_loaded(self, path: str, pc: PointCloud) -> None:
        self._fresh_state()
        self.hide_intro()
        self.cloud, self.cloud_path = pc, path
        self.view_in.set_points(pc.xyz, pc.colors, size=4.0, frame=True)
        self.add_recent(path)
        self.run_btn.setEnabled(not self.is_busy)
        self.ref_btn.setEnabled(True)
        self.status.setText(f"{Path(path).name}: {len(pc):,} points"
                            + (", colours" if pc.colors is not None else "")
                            + (", normals" if pc.normals is not None else "")
                            + (f", fields {', '.join(pc.scalars)}" if pc.scalars else "")
                            + "".join(f" — {n}" for n in pc.notes))

    def open_image(self, path: str) -> None:
        """Decode the view image (and its 128 px thumbnail) in a worker; it does not replace the panel's other
        jobs (a reconstruction keeps running)."""
        self._image_seq += 1
        seq = self._image_seq
        self._image_loading = True
        self.start_job(f"Read {Path(path).name}", api.load_view_image_job, str(path), 128, replace=False,
                       busy=False, dialog=False, on_result=lambda r, p=path, n=seq: self._image_loaded(n, p, *r),
                       on_error=lambda f, n=seq: self._image_failed(n))

    def _image_loaded(self, seq: int, path: str, im: np.ndarray, thumb: np.ndarray) -> None:
        if seq != self._image_seq:
            return
        self.image, self.image_path = im, path
        qimg = QImage(thumb.data, thumb.shape[1], thumb.shape[0], thumb.strides[0], QImage.Format.Format_Grayscale8)
        self.image_label.setPixmap(QPixmap.fromImage(qimg.copy()))
        self.image_label.setToolTip(VIEW_CONTRACT)
        self.model_box.setCurrentText("pc-multimodal")
        self.status.setText(f"view image {Path(path).name} ({im.shape[1]}×{im.shape[0]})")
        self.add_recent(path)
        self._image_done()

    def _image_failed(self, seq: int) -> None:
        if seq == self._image_seq:  # the base showed the error; the previous image stays
            self._image_done()

    def _image_done(self) -> None:
        self._image_loading = False
        if self._run_after_image:
            self._run_after_image = False
            self.reconstruct()

    # ------------------------------------------------------------------ work
    def reconstruct(self) -> None:
        if self.cloud is None:
            self.show_error("open a point cloud first")
            return
        if self._image_loading:  # starts as soon as the view image is in
            self._run_after_image = True
            self.status.setText("reading the view image…")
            return
        model = self.model_box.currentText()
        self.clear_error()
        msg = f"Reconstructing with {model}…"
        if self.image is None and not self._said_points_only:
            self._said_points_only = True
            msg = ("no view image: using the points-only model (open a view of the object for pc-multimodal). "
                   + msg)
        self.status.setText(msg)
        mode = self.size_box.currentIndex()
        size = ({} if mode == 0 else {"upsample": self.ratio_spin.value()} if mode == 1 else
                {"points": self.points_spin.value()} if mode == 2 else {"spacing": self.spacing_spin.value()})
        self._job = self.start_job(
            "Reconstruct point cloud", api.reconstruct_and_compare, self.cloud, self.image,
            self.reference, self.reference_name, model=model, allow_fewer=self.fewer_box.isChecked(),
            denoise=self.denoise_box.isChecked(), sor_std=self.sor_spin.value(), smooth=self.smooth_box.isChecked(),
            on_result=self._show_result, on_progress=self._progress, **size)

    def compare_with(self, path: str) -> None:
        self.status.setText(f"Reading reference {Path(path).name}…")

        def loaded(pc: PointCloud) -> None:
            self.reference, self.reference_name = pc.xyz, Path(path).name
            if self.result is not None:
                self.status.setText("Measuring distances…")
                self.start_job("Compare clouds", api.compare_to, self.result.xyz, pc.xyz,
                               self.reference_name, on_result=self._show_result, slot="reference")
            else:
                self.status.setText(f"reference {self.reference_name} loaded; distances are measured to it")

        # its own slot: reading a reference never cancels a reconstruction (nor does Cancel stop it)
        self.start_job(f"Read {Path(path).name}", api.load_cloud_job, str(path), on_result=loaded, slot="reference")

    def export(self, path: str) -> None:
        if self.result is None:
            self.show_error("nothing to export yet: reconstruct first")
            return
        self.status.setText(f"Writing {Path(path).name}…")
        self._job = self.start_job("Export cloud", api.save_cloud_job, str(path), self.result.cloud(),
                                   on_result=self._exported)

    def cancel(self) -> None:
        self._run_after_image = False
        if self._job is not None:
            self._job.cancel()
        self.status.setText("cancelled")

    def on_shutdown(self) -> None:
        self._recolour_timer.stop()

    # ------------------------------------------------------------------ results
    def _show_result(self, vr) -> None:
        prev = self.result
        self.result = vr
        if vr.recon is None and prev is not None:
            vr.recon = prev.recon
        if self._thresh_auto or self.thresh_spin.value() <= 0:
            self._set_threshold(vr.auto_threshold)
        edges, counts = heatmap.distance_histogram(vr.distances, self.thresh_spin.value())
        self.hist_curve.setData(edges, counts)
        self.thresh_line.setValue(self.thresh_spin.value())
        self.view_out.title.setText(f"Output — distance to {vr.reference_name} (viridis 0…threshold, red above)")
        self._recolour(frame=prev is None)
        self.export_btn.setEnabled(True)
        r = vr.report
        rec = vr.recon
        lines = []
        if rec is not None:
            lines.append(f"<b>{rec.model}</b> on {rec.provider}: {rec.n_input:,} → {len(rec.xyz):,} points "
                         f"in {rec.seconds.get('total', 0):.2f} s")
            lines += [f"note: {n}" for n in rec.notes]
        lines.append(f"vs {vr.reference_name}: Chamfer-L1 {r['cd_l1']:.4g}, F@1% {r['fscore']:.3f}, "
                     f"Hausdorff {r['hausdorff']:.4g}")
        self.stats.setText("<br>".join(lines))
        self.status.setText("done")

    def _recolour(self, frame: bool = False) -> None:
        """Paint the output by distance: viridis 0…threshold, red above (heatmap.threshold_colours: a few ms
        for 500k points, so it runs here, at most once per RECOLOUR_DELAY_MS pause of the threshold)."""
        self._recolour_timer.stop()
        if self.result is None:
            return
        t = max(self.thresh_spin.value(), 1e-12)
        cols, self.above_count = heatmap.threshold_colours(self.result.distances, t)
        self.view_out.set_points(self.result.xyz, cols, size=2.5, frame=frame)
        self.stats.setToolTip(f"{self.above_count} of {len(cols)} points are farther than {t:.4g}")
        if self._thresh_auto:
            self.thresh_note.setText(f"auto: {AUTO_PERCENTILE:g}th percentile of the distances "
                                     f"({self.above_count:,} of {len(cols):,} points above)")

    def _set_threshold(self, v: float) -> None:
        self.thresh_spin.blockSignals(True)
        self.thresh_spin.setValue(float(v))
        self.thresh_spin.blockSignals(False)
        self.thresh_line.setValue(self.thresh_spin.value())
        self._thresh_auto = True
        self.thresh_note.setText(f"auto: {AUTO_PERCENTILE:g}th percentile of the distances ({v:.4g})")

    def _auto_threshold(self) -> None:
        if self.result is not None:
            self._set_threshold(self.result.auto_threshold)
            self._recolour()

    def _size_mode_changed(self, i: int) -> None:
        self.size_stack.setCurrentIndex(i)
        self.fewer_box.setEnabled(i in (2, 3))  # exact count or spacing

    def _threshold_changed(self, v: float) -> None:
        self._thresh_auto = False
        self.thresh_note.setText("set by hand (Auto: back to the percentile)")
        self.thresh_line.setValue(v)
        self._recolour_timer.start()  # (re)starts the wait: a burst of changes recolours once, at its end

    def _exported(self, path: str) -> None:
        self.status.setText(f"wrote {path} (with scalar field 'distance')")

    # ------------------------------------------------------------------ plumbing
    def _progress(self, f: float, msg: str) -> None:
        self.status.setText(f"{msg} ({f * 100:.0f}%)")

    def on_busy(self, busy: bool) -> None:
        self.run_btn.setEnabled(not busy and self.cloud is not None)
        self.cancel_btn.setEnabled(busy)

    def _ask_cloud(self) -> None:
        p = self.ask_open_file("Open point cloud", self.file_filter("pointcloud", "Point clouds"))
        if p:
            self.open_cloud(p)

    def _ask_image(self) -> None:
        p = self.ask_open_file("Open view image", self.file_filter("image", "Images"))
        if p:
            self.open_image(p)

    def _ask_reference(self) -> None:
        p = self.ask_open_file("Reference cloud", self.file_filter("pointcloud", "Point clouds"))
        if p:
            self.compare_with(p)

    def _ask_export(self) -> None:
        p = self.ask_save_file("Export cloud", "reconstruction.ply", EXPORT_FILTER)
        if p:
            self.export(p)
