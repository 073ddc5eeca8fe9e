"""Drag-and-drop routing: a file goes to the panel that reads it; an image asks which panel."""
from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent

import pytest

from app.drop import kind_of
from app.main_window import MainWindow
from app.settings import Settings


@pytest.fixture
def window(qtbot, tmp_path):
    w = MainWindow(Settings(tmp_path / "gui.ini"), check_models=False)
    w.confirm_close = False
    qtbot.addWidget(w)
    yield w
    w.close()


def test_kind_of(tmp_path):
    assert kind_of("a/b/clip.MP4") == "video"
    assert kind_of("scan.ply") == "pointcloud" and kind_of("scan.pcd") == "pointcloud"
    assert kind_of("part.json") == "cad-json"
    assert kind_of("chart.png") == "image"
    assert kind_of("scan.txt") == "pointcloud"  # XYZ text, which the point-cloud reader accepts
    assert kind_of("clip.ts") == "video" and kind_of("clip.MTS") == "video"
    assert kind_of("notes.doc") is None
    assert kind_of(tmp_path) == "folder"


def test_routing_candidates(window):
    ids = lambda path: [h.spec.panel_id for h in window.candidates(path)]  # noqa: E731
    assert ids("x.mp4") == ["video"]
    assert ids("x.ply") == ["pointcloud"]
    assert ids("x.json") == ["cad"]
    assert set(ids("x.png")) == {"cad", "pointcloud", "chart"}
    assert ids("x.txt") == ["pointcloud"]
    assert ids("x.ts") == ["video"]
    assert ids("x.doc") == []


def drop(window, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    ev = QDropEvent(QPointF(10, 10), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                    Qt.KeyboardModifier.NoModifier)
    window.dropEvent(ev)
    return ev


def test_drop_routes_by_type_and_asks_for_images(window, tmp_path, monkeypatch):
    opened = []
    for h in window.hosts:
        panel = h.ensure()
        monkeypatch.setattr(panel, "open_file", lambda p, pid=h.spec.panel_id: opened.append((pid, p)))
    asked = []

    def choose(path, hosts):
        asked.append([h.spec.panel_id for h in hosts])
        return next(h for h in hosts if h.spec.panel_id == "chart")

    monkeypatch.setattr(window, "choose_panel", choose)
    video, img, cloud = tmp_path / "a.mp4", tmp_path / "c.png", tmp_path / "s.ply"
    for f in (video, img, cloud):
        f.write_bytes(b"x")
    ev = drop(window, [video, img, cloud])
    assert ev.isAccepted()
    assert opened == [("video", str(video)), ("chart", str(img)), ("pointcloud", str(cloud))]
    assert asked == [["cad", "pointcloud", "chart"]]
    assert window.tabs.currentWidget().spec.panel_id == "pointcloud"
    assert window.settings.recent_files()[0] == str(cloud)


def test_drop_of_unknown_file_is_refused(window, tmp_path):
    f = tmp_path / "notes.doc"
    f.write_text("hello")
    ev = drop(window, [f])
    assert not ev.isAccepted()
    assert window.route(str(f)) is None  # a clear error (logged; dialogs are off in tests), no crash


def test_recent_files_are_kept_in_order(window, tmp_path):
    for i in range(12):
        window.settings.add_recent(str(tmp_path / f"f{i}.png"))
    files = window.settings.recent_files()
    assert len(files) == 10 and files[0].endswith("f11.png")
