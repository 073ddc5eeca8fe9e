"""A reusable image view with overlays: boxes, points, lines and labels; wheel zoom, drag to pan,
and a pick mode in which a click emits `point_picked(x, y)` in image pixel coordinates.

Every overlay item may carry a tag; `highlight(tags)` draws the tagged items thick and bright.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QImage, QPainter, QPen, QPixmap
from PySide6.QtWidgets import (QGraphicsEllipseItem, QGraphicsLineItem, QGraphicsPixmapItem, QGraphicsRectItem,
                               QGraphicsScene, QGraphicsSimpleTextItem, QGraphicsView)

HIGHLIGHT = "#ffcc00"


def rgb_to_qimage(rgb: np.ndarray) -> QImage:
    rgb = np.ascontiguousarray(rgb[:, :, :3].astype(np.uint8))
    h, w = rgb.shape[:2]
    return QImage(rgb.data, w, h, 3 * w, QImage.Format.Format_RGB888).copy()


class ImageOverlay(QGraphicsView):
    point_picked = Signal(float, float)
    zoom_changed = Signal(float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._scene = QGraphicsScene(self)
        self.setScene(self._scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.SmoothPixmapTransform)
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setBackgroundBrush(QBrush(QColor("#3a3a3a")))
        self.setMinimumSize(320, 240)
        self._pixmap: QGraphicsPixmapItem | None = None
        self._items: list = []  # (item, tag, base pen width, base color)
        self._pick = False
        self._zoom = 1.0
        self.image_size: tuple[int, int] | None = None

    # ---- image ---------------------------------------------------------------------------------
    def set_image(self, rgb: np.ndarray) -> None:
        self.clear_overlays()
        if self._pixmap is not None:
            self._scene.removeItem(self._pixmap)
        self._pixmap = self._scene.addPixmap(QPixmap.fromImage(rgb_to_qimage(rgb)))
        self._pixmap.setZValue(-1)
        h, w = rgb.shape[:2]
        self.image_size = (w, h)
        self._scene.setSceneRect(QRectF(0, 0, w, h))
        self.fit()

    def has_image(self) -> bool:
        return self._pixmap is not None

    def fit(self) -> None:
        if self._pixmap is None:
            return
        self.resetTransform()
        self.fitInView(self._scene.sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)
        self._zoom = self.transform().m11()
        self.zoom_changed.emit(self._zoom)

    def zoom_by(self, factor: float) -> None:
        new = self._zoom * factor
        if not 0.05 <= new <= 40:
            return
        self.scale(factor, factor)
        self._zoom = new
        self.zoom_changed.emit(self._zoom)

    @property
    def zoom(self) -> float:
        return self._zoom

    def wheelEvent(self, e):  # noqa: N802 (Qt name)
        self.zoom_by(1.25 if e.angleDelta().y() > 0 else 0.8)

    # ---- picking -------------------------------------------------------------------------------
    def set_pick_mode(self, on: bool) -> None:
        self._pick = bool(on)
        self.setDragMode(QGraphicsView.DragMode.NoDrag if on else QGraphicsView.DragMode.ScrollHandDrag)
        self.viewport().setCursor(Qt.CursorShape.CrossCursor if on else Qt.CursorShape.OpenHandCursor)

    def pick_mode(self) -> bool:
        return self._pick

    def mousePressEvent(self, e):  # noqa: N802
        if self._pick and e.button() == Qt.MouseButton.LeftButton and self._pixmap is not None:
            p = self.mapToScene(e.position().toPoint())
            self.point_picked.emit(float(p.x()), float(p.y()))
            e.accept()
            return
        super().mousePressEvent(e)

    # ---- overlays ------------------------------------------------------------------------------
    def clear_overlays(self, tag_prefix: str | None = None) -> None:
        keep = []
        for rec in self._items:
            if tag_prefix is None or rec[1].startswith(tag_prefix):
                self._scene.removeItem(rec[0])
            else:
                keep.append(rec)
        self._items = keep

    def _pen(self, color: str, width: float, dashed: bool = False) -> QPen:
        pen = QPen(QColor(color))
        pen.setWidthF(width)
        pen.setCosmetic(True)
        if dashed:
            pen.setStyle(Qt.PenStyle.DashLine)
        return pen

    def _add(self, item, tag: str, width: float, color: str):
        self._items.append((item, tag, width, color))
        return item

    def add_box(self, x0: float, y0: float, x1: float, y1: float, color: str = "#ff3030", label: str = "",
                width: float = 1.5, tag: str = "", dashed: bool = False, fill: str | None = None):
        r = QGraphicsRectItem(QRectF(QPointF(x0, y0), QPointF(x1, y1)))
        r.setPen(self._pen(color, width, dashed))
        if fill:
            c = QColor(fill)
            r.setBrush(QBrush(c))
        r.setZValue(1)
        r.setToolTip(label or tag)
        self._scene.addItem(r)
        self._add(r, tag, width, color)
        if label:
            self.add_label(x0, y0 - 14, label, color, tag=tag)
        return r

    def add_point(self, x: float, y: float, color: str = "#ff3030", label: str = "", radius: float = 4.0,
                  tag: str = ""):
        e = QGraphicsEllipseItem(x - radius, y - radius, 2 * radius, 2 * radius)
        e.setPen(self._pen(color, 1.5))
        e.setZValue(2)
        e.setToolTip(label or tag)
        self._scene.addItem(e)
        self._add(e, tag, 1.5, color)
        if label:
            self.add_label(x + radius + 2, y - 8, label, color, tag=tag)
        return e

    def add_line(self, x0: float, y0: float, x1: float, y1: float, color: str = "#30a0ff", width: float = 1.0,
                 tag: str = "", dashed: bool = False):
        ln = QGraphicsLineItem(x0, y0, x1, y1)
        ln.setPen(self._pen(color, width, dashed))
        ln.setZValue(1)
        self._scene.addItem(ln)
        return self._add(ln, tag, width, color)

    def add_label(self, x: float, y: float, text: str, color: str = "#ff3030", tag: str = "", size: int = 8):
        t = QGraphicsSimpleTextItem(text)
        f = QFont()
        f.setPointSize(size)
        f.setBold(True)
        t.setFont(f)
        t.setBrush(QBrush(QColor(color)))
        t.setPos(x, y)
        t.setZValue(3)
        bg = QGraphicsRectItem(t.boundingRect().translated(x, y).adjusted(-1, 0, 1, 0))
        bg.setBrush(QBrush(QColor(255, 255, 255, 200)))
        bg.setPen(QPen(Qt.PenStyle.NoPen))
        bg.setZValue(2.5)
        self._scene.addItem(bg)
        self._scene.addItem(t)
        self._add(bg, tag, 0, "")
        return self._add(t, tag, 0, color)

    def items_with_tag(self, tag: str) -> list:
        return [rec[0] for rec in self._items if rec[1] == tag]

    def tags(self) -> set[str]:
        return {rec[1] for rec in self._items if rec[1]}

    def highlight(self, tags) -> int:
        """Draw items whose tag is in `tags` thick and yellow; restore the others. Returns how many matched."""
        tags = set(tags or ())
        n = 0
        for item, tag, width, color in self._items:
            if isinstance(item, (QGraphicsRectItem, QGraphicsEllipseItem, QGraphicsLineItem)) and width > 0:
                on = tag in tags
                n += int(on)
                item.setPen(self._pen(HIGHLIGHT if on else color, width * 2.5 if on else width))
                item.setZValue(5 if on else 1)
        return n
