"""Hit thumbnails: decoded in the search job, cached per (file, segment start) in the panel, so a threshold
change only re-filters the grid (no decoding, no preview reload). No models needed."""
from __future__ import annotations

import numpy as np
import pytest

from inference.video.decode import _thumb, decode_thumb

from tests.conftest import wait_idle


def _frame(h=120, w=200) -> np.ndarray:
    f = np.zeros((h, w, 3), np.uint8)  # BGR, as OpenCV decodes
    f[..., 2] = 220  # red
    f[:, w // 2:, 0] = 200  # blue on the right half
    return f


def test_decode_thumb_gives_rgb_uint8():
    rgb = decode_thumb(_thumb(_frame()))
    assert rgb.shape == (96, 160, 3) and rgb.dtype == np.uint8 and rgb.flags.c_contiguous
    assert rgb[10, 10, 0] > 180 and rgb[10, 10, 2] < 60  # left: red in the R channel (RGB order)
    assert rgb[10, 150, 2] > 150  # right: blue channel set
    assert decode_thumb(None) is None and decode_thumb(b"") is None
    assert decode_thumb(b"not a jpeg") is None


def test_search_library_decodes_thumbs_in_the_job(monkeypatch):
    from inference.video import api
    from inference.video.index import Hit

    class FakeIndex:
        def search(self, *a, **k):
            return [Hit(1, "/v/a.mp4", 0.0, 4.0, 0.5, 0.1, _thumb(_frame())), Hit(2, "/v/b.mp4", 4.0, 8.0, 0.4, 0.2)]

    monkeypatch.setattr(api, "_index_for", lambda db: FakeIndex())
    plain = api.search_library("x.db", "q")
    assert "thumb_rgb" not in plain[0] and plain[0]["thumb"][:2] == b"\xff\xd8"
    hits = api.search_library("x.db", "q", decode_thumbs=True)
    assert hits[0]["thumb_rgb"].shape == (96, 160, 3) and hits[1]["thumb_rgb"] is None


@pytest.fixture
def panel(video_panel, monkeypatch):
    from inference.video import api
    p = video_panel
    p.preview_calls = []

    def fake_preview(path, start, end, progress=None, is_cancelled=None):
        p.preview_calls.append((path, start))
        return [np.zeros((90, 160, 3), np.uint8)]

    monkeypatch.setattr(api, "preview_frames", fake_preview)
    return p


def _hits(n=6):
    thumb = decode_thumb(_thumb(_frame()))
    return [{"segment_id": i, "path": f"/videos/clip{i % 3}.mp4", "start": 4.0 * i, "end": 4.0 * i + 4,
             "score": 0.9 - 0.1 * i, "score_reversed": 0.0, "thumb": b"",
             "thumb_rgb": thumb if i != 2 else None} for i in range(n)]


@pytest.mark.gui
def test_threshold_only_refilters_the_grid(qtbot, panel, monkeypatch):
    import app.panels.video.panel as vp
    hits = _hits()
    panel._show_hits(hits)  # what the search job hands back
    assert panel.grid.count() == 6 and len(panel._thumbs) == 5
    assert panel.grid.item(0).icon().cacheKey() == panel._thumbs[("/videos/clip0.mp4", 0.0, None)].cacheKey()
    assert panel.grid.item(2).icon().isNull()  # no thumbnail stored for that segment
    wait_idle(qtbot, panel)
    assert panel.preview_calls == [("/videos/clip0.mp4", 0.0)]
    qtbot.waitUntil(lambda: panel.preview.pixmap() is not None and not panel.preview.pixmap().isNull())

    made = []
    icons = {k: v.cacheKey() for k, v in panel._thumbs.items()}
    with monkeypatch.context() as m:
        m.setattr(vp, "_qimage", lambda a: made.append(a) or vp.QImage())
        for t, n in ((0.55, 4), (0.85, 1), (1.0, 0), (-1.0, 6)):
            panel.threshold.setValue(t)
            assert panel.grid.count() == n
            assert panel.search_status.text() == f"{n} of 6 hits shown"
        # the same hits again (a repeated search): icons reused
        panel._show_hits(_hits())
    assert not made  # nothing decoded or converted
    assert {k: v.cacheKey() for k, v in panel._thumbs.items()} == icons
    assert panel.grid.item(1).icon().cacheKey() == icons[("/videos/clip1.mp4", 4.0, None)]
    wait_idle(qtbot, panel)
    assert panel.preview_calls == [("/videos/clip0.mp4", 0.0)]  # the top hit's preview kept playing
    # another hit selected → its preview is loaded
    panel.grid.setCurrentRow(3)
    wait_idle(qtbot, panel)
    assert panel.preview_calls[-1] == ("/videos/clip0.mp4", 12.0)
