"""First run: the empty video panel says what it does, and "Try a sample" opens the shipped sample and shows a
real result (its clips indexed, a search in which each clip beats its own time-reversed copy)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from inference import panels

from .conftest import needs_models

SAMPLE = panels.get("video").sample_path()


def test_the_sample_is_small_and_what_its_generator_writes(tmp_path):
    from inference.video.synth import write_clip_pairs
    files = sorted(p for p in SAMPLE.rglob("*") if p.is_file())
    assert sum(p.stat().st_size for p in files) < 300_000
    assert (SAMPLE / "README.md").is_file()
    ann = json.loads((SAMPLE / "test.json").read_text())
    clips = sorted(p.name for p in (SAMPLE / "clips").iterdir())
    assert clips == sorted([f"{i}.mp4" for i in ann] + [f"{i}_reversed.mp4" for i in ann]) and len(ann) == 4
    write_clip_pairs(tmp_path, n=4, seed=7)  # the command in the sample's README
    for name in clips:
        assert (tmp_path / name).read_bytes() == (SAMPLE / "clips" / name).read_bytes(), name
    assert json.loads((tmp_path / "test.json").read_text()) == ann


def test_sample_parts():
    from inference.video.api import sample_parts
    s = sample_parts(str(SAMPLE))
    assert Path(s["clips"]) == SAMPLE / "clips" and Path(s["annotations"]) == SAMPLE / "test.json"
    assert s["query"] == "a pink diamond drifts over to the left-hand side"


@pytest.mark.gui
def test_empty_panel_shows_the_intro(video_panel):
    intro = video_panel.intro_widget()
    assert intro.isVisibleTo(video_panel)
    text = " ".join(w.text() for w in intro.findChildren(type(video_panel.error_label)))
    assert panels.get("video").about in text and "folder of videos" in text
    assert video_panel.sample_button.text() == "Try a sample"


@pytest.mark.gui
@needs_models
def test_try_a_sample_indexes_it_and_searches(qtbot, video_panel):
    panel = video_panel
    with qtbot.waitSignal(panel.search_done, timeout=120000) as sig:
        panel.sample_button.click()
    assert not panel.intro_widget().isVisibleTo(panel)
    assert panel.folders() == [str((SAMPLE / "clips").resolve())]
    assert panel.index_status.text().startswith("8 indexed") and panel.skipped_list.count() == 0
    assert panel.query.text() == "a pink diamond drifts over to the left-hand side"
    hits = sig.args[0]
    assert len(hits) == 8 and panel.grid.count() == 8
    score = {Path(h["path"]).name: h["score"] for h in hits}
    assert Path(hits[0]["path"]).name == "0007000000.mp4"  # the clip the query describes comes first,
    assert score["0007000000_reversed.mp4"] < score["0007000000.mp4"] - 0.2  # its time-reversed copy well below,
    assert hits[0]["score_reversed"] == pytest.approx(score["0007000000_reversed.mp4"], abs=0.03)  # as the index says
    assert panel.direction.verdict.text().startswith("The query fits this segment as it plays")
    assert panel.ann_edit.text().endswith("test.json") and panel.vid_edit.text().endswith("clips")
    assert not panel.failures and not panel.last_error


@pytest.mark.gui
def test_dialogs_start_at_home_then_in_the_last_folder(video_panel, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    panel = video_panel
    calls = []
    chosen = tmp_path / "my videos"
    chosen.mkdir()

    def fake_dir(parent, caption, start):
        calls.append(("dir", caption, start))
        return str(chosen)

    def fake_open(parent, caption, start, filt):
        calls.append(("open", caption, start, filt))
        return "", ""

    def fake_save(parent, caption, start, filt):
        calls.append(("save", caption, start, filt))
        return "", ""

    monkeypatch.setattr(QFileDialog, "getExistingDirectory", staticmethod(fake_dir))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_open))
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(fake_save))
    monkeypatch.setattr(panel, "start_indexing", lambda: None)
    panel.add_btn.click()
    assert calls[0] == ("dir", "Add a folder of videos", str(Path.home()))
    assert panel.folders() == [str(chosen.resolve())] and not panel.intro_widget().isVisibleTo(panel)
    panel._pick(panel.ann_edit, True)
    assert calls[1] == ("open", "RTime annotations", str(chosen), "RTime annotations (*.json)")
    panel._choose_csv()
    assert calls[2] == ("save", "Export results", str(chosen / "results.csv"), "CSV (*.csv)")
