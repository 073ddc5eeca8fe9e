"""inference/video/api.py without Qt: the job functions' contracts and the pure functions that turn results
into what the panel shows; inference/video/io.py: file kinds, annotation files, CSV."""
from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

from inference.runtime.errors import InputError
from inference.video import api, io

from .conftest import REPO, needs_models


def _result(model, n=14, per_family=True, t2v=0.9):
    x = {"R@1": 0.5, "R@5": 0.75, "R@10": 1.0, "MdR": 1.5, "MnR": 2.25}
    r = {"model": model, "n_clips": n, "origin": {"t2v": x, "v2t": x}, "hard": {"t2v": x, "v2t": x},
         "binary": {"t2v_acc": t2v, "v2t_acc": 0.5}}
    if per_family:
        r["binary_per_family"] = {"size": {"t2v_acc": 1.0, "v2t_acc": 1.0, "n": 2},
                                  "door": {"t2v_acc": 0.5, "v2t_acc": 0.5, "n": 2}}
    return r


def test_file_kinds_are_the_readers_extensions_and_io_is_light():
    assert io.FILE_KINDS["folder"] == ()
    assert {".mp4", ".mkv", ".mov", ".ts", ".mts"} <= set(io.FILE_KINDS["video"])
    assert set(io.FILE_KINDS["video"]) == io.VIDEO_EXTS
    from inference import panels
    assert panels.get("video").file_kinds() == io.FILE_KINDS
    assert panels.kind_of("clip.MTS") == "video"
    code = "import sys, inference.video.io; print(sorted(m for m in ('numpy', 'cv2', 'onnxruntime') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_annotations_and_videos(tmp_path):
    with pytest.raises(InputError, match="not found"):
        io.load_annotations(tmp_path / "none.json")
    (tmp_path / "bad.json").write_text("{")
    with pytest.raises(InputError, match="not valid JSON"):
        io.load_annotations(tmp_path / "bad.json")
    (tmp_path / "x.json").write_text(json.dumps({"1": {"reverse_captions": ["b"]}}))
    with pytest.raises(InputError, match="no forward_captions"):
        io.load_annotations(tmp_path / "x.json")
    (tmp_path / "ok.json").write_text(json.dumps({"1": {"forward_captions": ["a"]}, "2": {"forward_captions": ["b"]}}))
    assert set(io.load_annotations(tmp_path / "ok.json")) == {"1", "2"}
    (tmp_path / "1.MKV").write_bytes(b"")
    (tmp_path / "2.txt").write_bytes(b"")
    assert io.find_videos(tmp_path, ["1", "2", "3"]) == {"1": tmp_path / "1.MKV"}
    with pytest.raises(InputError):
        io.find_videos(tmp_path / "nope", ["1"])


def test_hits_csv(tmp_path):
    hits = [{"path": "/v/a.mp4", "start": 0.0, "end": 4.0, "score": 0.5, "score_reversed": 0.1}]
    assert io.write_hits_csv(hits, str(tmp_path / "h.csv")) == 1
    rows = list(csv.reader((tmp_path / "h.csv").open()))
    assert rows == [["rank", "path", "start_s", "end_s", "score", "score_reversed"], ["1", "/v/a.mp4", "0.0", "4.0", "0.5", "0.1"]]
    with pytest.raises(InputError, match="cannot write"):
        io.write_hits_csv(hits, str(tmp_path / "no" / "dir" / "h.csv"))


def test_job_functions_refuse_bad_input_and_read_an_empty_library(tmp_path):
    with pytest.raises(InputError, match="no folder"):
        api.index_folders(str(tmp_path / "lib.db"), [])
    with pytest.raises(InputError, match="no index yet"):
        api.search_library(str(tmp_path / "lib.db"), "a red ball")
    st = api.library_stats(str(tmp_path / "none.db"))
    assert st["files"] == 0 and api.library_summary(st) == ""
    with pytest.raises(InputError, match="cannot be opened"):
        api.preview_frames(str(tmp_path / "missing.mp4"), 0.0, 1.0)


@needs_models
def test_job_functions_can_be_cancelled(tmp_path, synth_dir):
    from inference.runtime.errors import Cancelled
    db = str(tmp_path / "lib.db")
    with pytest.raises(Cancelled):
        api.index_folders(db, [str(synth_dir)], is_cancelled=lambda: True)
    assert api.library_stats(db)["files"] == 0
    calls = []
    with pytest.raises(Cancelled):  # cancelled once it has started decoding
        api.evaluate_models(str(synth_dir / "test.json"), str(synth_dir), ["video-temporal", "video-meanpool"],
                            progress=lambda f, m: calls.append(f), is_cancelled=lambda: bool(calls))
    assert calls and max(calls) < 0.5


@needs_models
def test_index_search_and_stats_through_the_api(tmp_path, mixed_folder):
    db = str(tmp_path / "lib.db")
    seen = []
    res = api.index_folders(db, [str(mixed_folder)], progress=lambda f, m: seen.append(f))
    assert len(res["report"]["indexed"]) == 3 and len(res["skipped"]) == 4 and seen[-1] == 1.0
    assert api.index_summary(res).startswith("3 indexed, 0 unchanged, 0 copies, 4 skipped, 0 removed")
    assert api.library_summary(api.library_stats(db)) == "library: 3 videos, 3 segments (video-temporal)"
    hits = api.search_library(db, "a shape moves", k=2)
    assert len(hits) == 2 and hits[0]["score"] >= hits[1]["score"]
    frames = api.preview_frames(hits[0]["path"], hits[0]["start"], hits[0]["end"], width=64)
    assert frames and frames[0].shape[1] == 64 and frames[0].dtype.name == "uint8"
    api.close_all()


def test_what_the_panel_shows():
    assert api.format_time(75.25) == "1:15.2" and api.format_time(-3) == "0:00.0"
    hits = [{"path": "/v/a.mp4", "start": 4.0, "end": 8.0, "score": s, "score_reversed": 0.0} for s in (0.5, 0.2, -0.1)]
    assert [h["score"] for h in api.hits_above(hits, 0.2)] == [0.5, 0.2]
    assert api.hit_caption(hits[0]) == "a.mp4\n0:04.0–0:08.0\nscore +0.500"
    d = api.direction_of(0.6, -1.0)
    assert d["forward"] == 0.8 and d["reversed"] == 0.0 and not d["backwards"] and "as it plays" in d["verdict"]
    assert api.direction_of(0.1, 0.5)["backwards"] and "BACKWARDS" in api.direction_of(0.1, 0.5)["verdict"]
    assert "does not matter" in api.direction_of(0.5, 0.49)["verdict"]
    assert api.direction_of(2.0, 0.0)["forward"] == 1.0


def test_evaluation_rows_summary_and_bars():
    res = {"video-temporal": _result("video-temporal"), "video-meanpool": _result("video-meanpool", t2v=0.5)}
    rows = api.eval_rows(res)
    assert len(rows) == 10
    assert rows[0] == ["video-temporal", "origin t2v", "50.0", "75.0", "100.0", "1.5", "2.2"]
    assert rows[4] == ["video-temporal", "binary", "t2v 90.0%", "v2t 50.0%", "", "", ""]
    assert api.eval_summary(res) == ("14 clips. video-temporal: Binary t2v 90.0% / v2t 50.0%, Hard t2v R@1 50.0%; "
                                     "video-meanpool: Binary t2v 50.0% / v2t 50.0%, Hard t2v R@1 50.0%")
    chart = api.binary_bars(res)
    assert chart["ticks"] == [(0, "door"), (1, "size")] and chart["chance"] == 0.5
    a, b = chart["bars"]
    assert a["model"] == "video-temporal" and a["height"] == [0.5, 1.0] and a["width"] == 0.4
    assert a["x"] == pytest.approx([-0.2, 0.8]) and b["x"] == pytest.approx([0.2, 1.2])
    plain = api.binary_bars({"m1": _result("m1", per_family=False), "m2": _result("m2", per_family=False, t2v=0.7)})
    assert plain["chance"] is None and plain["ticks"] == [(0, "m1"), (1, "m2")]
    assert plain["bars"] == [{"model": None, "x": [0, 1], "width": 0.6, "height": [0.9, 0.7]}]


def test_spelling_variants_of_a_direction_word_become_one_before_tokenising():
    """"counter-clockwise" splits into word pieces ("counter", "-", "clock", "##wise") that sit next to
    "clockwise"; every spelling of it is read as "counterclockwise" (and "clock wise" as "clockwise")."""
    from inference.video.text import canonical_spelling, tokenize
    for t in ("counter-clockwise", "counter clockwise", "anti-clockwise", "Anti clockwise", "anticlockwise",
              "counterclockwise", "Counter-Clockwise"):
        assert canonical_spelling(f"a red star turns {t} slowly") == "a red star turns counterclockwise slowly", t
    assert canonical_spelling("it spins clock-wise") == "it spins clockwise"
    assert canonical_spelling("a kitchen counter with a clock") == "a kitchen counter with a clock"

    class Tok:  # records what reaches the tokenizer
        seen: list = []

        def encode_batch(self, texts):
            Tok.seen = texts
            return [type("E", (), {"ids": [1, 2], "attention_mask": [1, 1]})() for _ in texts]
    tokenize(Tok(), ["a  blue square goes round anti-clockwise "])
    assert Tok.seen == ["a blue square goes round counterclockwise"]
