"""A reusable 3D view: points and meshes in a pyqtgraph GLViewWidget, with camera linking.

API (kept stable for the panels that reuse it)::

    v = View3D(title="input")
    v.set_points(xyz, colors=None, size=3.0)     # colors: (N,3|4) uint8 or float in [0,1], or one colour
    v.set_mesh(vertices, faces, color=None, face_colors=None)  # faces (M,3) int; face_colors (M,3|4)
    v.clear()
    v.link_camera(other_view)                    # both ways; orbit/zoom/pan one, the other follows
    v.reset_camera()

OpenGL needs a real display; on the `offscreen` Qt platform (tests, headless) View3D falls back to a
flat orthographic scatter (pyqtgraph PlotWidget) with the same API, and `has_gl` is False.
"""
from __future__ import annotations

import numpy as np
from PySide6.QtCore import Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QSizePolicy, QVBoxLayout, QWidget

import pyqtgraph as pg


def _rgba(colors, n: int, default=(0.85, 0.85, 0.9, 1.0)) -> np.ndarray:
    """Any colour spec → (n, 4) float32 in [0, 1]."""
    if colors is None:
        return np.tile(np.asarray(default, np.float32), (n, 1))
    c = np.asarray(colors)
    if c.ndim == 1:
        c = np.tile(c, (n, 1))
    if c.dtype == np.uint8:  # always 0…255, even when every value happens to be 0 or 1
        c = c.astype(np.float32) * np.float32(1 / 255)
    else:
        c = c.astype(np.float32)
        if c.max(initial=0) > 1.0:
            c = c / 255.0
    if c.shape[1] == 3:
        c = np.concatenate([c, np.ones((len(c), 1), np.float32)], 1)
    return np.ascontiguousarray(c[:, :4])


def gl_available() -> bool:
    app = QGuiApplication.instance()
    return app is not None and app.platformName() not in ("offscreen", "minimal")


class _GLView:
    """Lazy import so that importing this module never needs OpenGL."""

    @staticmethod
    def make(owner: "View3D"):
        import pyqtgraph.opengl as gl

        class LinkedGL(gl.GLViewWidget):
            def __init__(self):
                super().__init__()
                self.owner = owner

            def _moved(self):
                self.owner._camera_moved()

            def orbit(self, *a, **k):
                super().orbit(*a, **k)
                self._moved()

            def pan(self, *a, **k):
                super().pan(*a, **k)
                self._moved()

            def wheelEvent(self, ev):  # noqa: N802
                super().wheelEvent(ev)
                self._moved()

            def mouseMoveEvent(self, ev):  # noqa: N802
                super().mouseMoveEvent(ev)
                self._moved()

        return gl, LinkedGL()


class View3D(QWidget):
    camera_changed = Signal(dict)

    def __init__(self, title: str = "", parent: QWidget | None = None, use_gl: bool | None = None):
        super().__init__(parent)
        self.has_gl = gl_available() if use_gl is None else use_gl
        self.points: np.ndarray | None = None
        self.colors: np.ndarray | None = None
        self.mesh: tuple[np.ndarray, np.ndarray] | None = None
        self._linked: list[View3D] = []
        self._syncing = False
        self._items: list = []
        self._nudge = 1.0   # see link_camera
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.setSpacing(2)
        self.title = QLabel(title)
        self.title.setVisible(bool(title))
        lay.addWidget(self.title)
        if self.has_gl:
            self._gl, self.view = _GLView.make(self)
            self.view.setBackgroundColor((24, 24, 28))
            self.view.setCameraPosition(distance=3.0, elevation=25, azimuth=45)
        else:
            self._gl = None
            self.view = pg.PlotWidget()
            self.view.setAspectLocked(True)
            self.view.hideAxis("left")
            self.view.hideAxis("bottom")
            self.view.setBackground((24, 24, 28))
            self._scatter = pg.ScatterPlotItem(pxMode=True, size=2, pen=None)
            self.view.addItem(self._scatter)
        self.view.setMinimumSize(200, 200)
        self.view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        lay.addWidget(self.view, 1)

    # ----------------------------------------------------------------- content
    def clear(self) -> None:
        self.points = self.colors = None
        self.mesh = None
        if self.has_gl:
            for it in self._items:
                self.view.removeItem(it)
        else:
            self._scatter.clear()
            for it in self._items:
                self.view.removeItem(it)
        self._items = []

    def set_points(self, xyz: np.ndarray, colors=None, size: float = 3.0, frame: bool | None = None) -> None:
        """Show a cloud (replaces earlier content). Frames the camera on the first content unless frame=False."""
        xyz = np.ascontiguousarray(np.asarray(xyz, np.float32).reshape(-1, 3))
        first = self.points is None and self.mesh is None
        self.clear()
        self.points = xyz
        self.colors = _rgba(colors, len(xyz))
        if self.has_gl:
            item = self._gl.GLScatterPlotItem(pos=xyz, color=self.colors, size=size, pxMode=True)
            item.setGLOptions("opaque")
            self.view.addItem(item)
            self._items.append(item)
        else:
            b = _flat_basis()
            uv = xyz @ b.T
            order = np.argsort(uv[:, 2])  # far first
            brushes = [pg.mkBrush(*(c * 255).astype(int)) for c in self.colors[order]] if colors is not None else pg.mkBrush(215, 215, 230)
            self._scatter.setData(x=uv[order, 0], y=uv[order, 1], brush=brushes, size=max(1.0, size - 1))
        if frame or (frame is None and first):
            self.reset_camera()

    def set_mesh(self, vertices: np.ndarray, faces: np.ndarray, color=None, face_colors=None) -> None:
        """Show a triangle mesh (replaces earlier content). With `face_colors` ((M,3|4), computed beforehand,
        e.g. pre-lit shading) the faces are drawn in those colours, unlit; otherwise in `color` with the
        default shader."""
        v = np.asarray(vertices, np.float32).reshape(-1, 3)
        f = np.asarray(faces, np.int32).reshape(-1, 3)
        if len(f) and (f.min() < 0 or f.max() >= len(v)):
            raise ValueError("face indices out of range")
        if face_colors is not None and len(face_colors) != len(f):
            raise ValueError("one colour per face is needed")
        first = self.points is None and self.mesh is None
        self.clear()
        self.mesh = (v, f)
        col = tuple(_rgba(color, 1, (0.7, 0.75, 0.85, 1.0))[0]) if color is not None else (0.7, 0.75, 0.85, 1.0)
        if self.has_gl:
            if face_colors is not None and len(f):
                item = self._gl.GLMeshItem(vertexes=v, faces=f, faceColors=_rgba(face_colors, len(f)), smooth=False,
                                           drawEdges=False)
            else:
                item = self._gl.GLMeshItem(vertexes=v, faces=f, color=col, shader="shaded", smooth=False,
                                           drawEdges=False)
            self.view.addItem(item)
            self._items.append(item)
        else:
            b = _flat_basis()
            uv = v @ b.T
            self._scatter.setData(x=uv[:, 0], y=uv[:, 1], brush=pg.mkBrush(*(np.array(col) * 255).astype(int)), size=2)
        if first:
            self.reset_camera()

    def bounds(self) -> tuple[np.ndarray, float]:
        pts = self.points if self.points is not None else (self.mesh[0] if self.mesh is not None else None)
        if pts is None or len(pts) == 0:
            return np.zeros(3), 1.0
        cols = np.ascontiguousarray(pts.T)  # x, y, z rows: reductions along (N, 3) columns are ~30× slower
        c = (cols.min(1) + cols.max(1)) / 2
        r2 = np.zeros(len(pts), cols.dtype)
        for k in range(3):
            dk = cols[k] - c[k]
            r2 += dk * dk
        return c, float(np.sqrt(r2.max())) or 1.0

    # ----------------------------------------------------------------- camera
    def _scene_frame(self) -> tuple[np.ndarray, float] | None:
        """For a flat scene (a LiDAR frame, a floor scan: height under a fifth of its width) the centre and
        radius of the box that holds most of it (2.5th–97.5th percentiles on each axis), so a few far
        returns do not shrink the view; else None."""
        pts = self.points
        if pts is None or len(pts) < 1000:
            return None
        ext = pts.max(0) - pts.min(0)
        if ext[2] >= 0.2 * max(ext[0], ext[1]):
            return None
        sub = pts[:: max(1, len(pts) // 20000)]
        lo, hi = np.percentile(sub, [2.5, 97.5], axis=0)
        return (lo + hi) / 2, float(np.linalg.norm(hi - lo) / 2) or 1.0

    def reset_camera(self) -> None:
        c, r = self.bounds()
        scene = self._scene_frame()
        if self.has_gl:
            from PySide6.QtGui import QVector3D
            elevation = 25
            if scene is not None:   # look down on a flat scene, framed on where its points are
                (c, r), elevation = scene, 55
            self.view.opts["center"] = QVector3D(float(c[0]), float(c[1]), float(c[2]))
            self.view.setCameraPosition(distance=2.8 * r * self._nudge, elevation=elevation, azimuth=45)
            self._camera_moved()
        else:
            self.view.autoRange()

    def camera(self) -> dict:
        if not self.has_gl:
            return {}
        o = self.view.opts
        c = o["center"]
        return {"center": (c.x(), c.y(), c.z()), "distance": o["distance"] / self._nudge, "elevation": o["elevation"],
                "azimuth": o["azimuth"], "fov": o["fov"]}

    def set_camera(self, cam: dict) -> None:
        if not self.has_gl or not cam:
            return
        from PySide6.QtGui import QVector3D
        self._syncing = True
        try:
            self.view.opts["center"] = QVector3D(*cam["center"])
            self.view.opts["fov"] = cam["fov"]
            self.view.setCameraPosition(distance=cam["distance"] * self._nudge, elevation=cam["elevation"],
                                        azimuth=cam["azimuth"])
        finally:
            self._syncing = False

    def link_camera(self, other: "View3D") -> None:
        """Link both ways: moving either camera moves the other."""
        if other is self or other in self._linked:
            return
        self._linked.append(other)
        other._linked.append(self)
        # Linked views stand a hair apart (one part in a million of the distance; camera() reports the same
        # one): with software OpenGL (Mesa llvmpipe, as in VMs without a GPU) a second view drawn in the same
        # frame with exactly the first one's matrices kept its old picture, so a linked view never followed.
        while any(o is not other and o._nudge == other._nudge for o in other._linked):
            other._nudge += 1e-6
        other.set_camera(self.camera())

    def _camera_moved(self) -> None:
        if self._syncing:
            return
        cam = self.camera()
        self.camera_changed.emit(cam)
        for o in self._linked:
            if not o._syncing:
                o.set_camera(cam)

    def grab_image(self):
        """The rendered view as a QImage (GL framebuffer when available)."""
        if self.has_gl:
            return self.view.grabFramebuffer()
        return self.view.grab().toImage()


def _flat_basis() -> np.ndarray:
    """Rows: screen-right, screen-up, towards-viewer for the fallback's fixed oblique view."""
    z = np.array([1.0, 1.0, 0.8])
    z /= np.linalg.norm(z)
    x = np.cross([0.0, 0.0, 1.0], z)
    x /= np.linalg.norm(x)
    y = np.cross(z, x)
    return np.stack([x, y, z])
