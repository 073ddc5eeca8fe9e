"""Fixtures for the video panel: a small RTime-synth set, a folder mixing good and bad files, the panel."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
MODELS = REPO / "resources" / "models"


def have_models() -> bool:
    return all((MODELS / f).exists() for f in ("video-temporal.json", "video-meanpool.json", "video-text.onnx"))


needs_models = pytest.mark.skipif(not have_models(), reason="shipped video models are not built")


@pytest.fixture(scope="session")
def synth_dir(tmp_path_factory) -> Path:
    from inference.video.synth import generate
    d = tmp_path_factory.mktemp("rtime_synth")
    generate(d, n=28, seed=5, split="test")
    return d


@pytest.fixture
def mixed_folder(tmp_path, synth_dir) -> Path:
    """Three good clips, plus: empty .mp4, a text file named .mp4, a truncated mp4, a .txt note."""
    d = tmp_path / "library"
    d.mkdir()
    good = sorted(synth_dir.glob("*.mp4"))[:3]
    for g in good:
        shutil.copy(g, d / g.name)
    (d / "empty.mp4").write_bytes(b"")
    (d / "notavideo.mp4").write_text("this is plain text, not a video\n" * 20)
    data = good[0].read_bytes()
    (d / "truncated.mp4").write_bytes(data[: len(data) // 3])
    (d / "notes.txt").write_text("hello")
    return d


@pytest.fixture
def video_panel(make_panel):
    """The video panel on its own job manager; its library database is under the test's data folder."""
    pytest.importorskip("PySide6")
    from app.panels.video import VideoPanel
    return make_panel(VideoPanel, (1300, 800))
