"""`mmwb chart …` end to end through inference.cli.main (no Qt)."""
from __future__ import annotations

import json

import pytest

from inference.cli import main

from .conftest import needs_type_model


def test_synth_and_table_csv(tmp_path, capsys):
    assert main(["chart", "synth", str(tmp_path / "ds"), "--n", "2", "--seed", "3", "--types", "v_bar,line"]) == 0
    png = sorted((tmp_path / "ds" / "test" / "png").glob("*.png"))[0]
    capsys.readouterr()
    assert main(["chart", "table", str(png), "--type", "v_bar", "--csv", str(tmp_path / "t.csv")]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].count(",") >= 1 and (tmp_path / "t.csv").read_text() == out
    assert main(["chart", "ask", str(png), "--type", "v_bar", "How many bars are there?", "--json"]) == 0
    a = json.loads(capsys.readouterr().out)
    assert a["kind"] == "count" and float(a["answer"]) >= 1
    assert main(["chart", "summary", str(png), "--type", "v_bar"]) == 0
    assert "highest" in capsys.readouterr().out


def test_synth_fresh_styles(tmp_path, capsys):
    assert main(["chart", "synth", str(tmp_path / "ds"), "--n", "1", "--seed", "3", "--styles", "fresh",
                 "--types", "pie", "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["styles"] == "fresh" and rep["templates"] == "heldout" and rep["charts"] == 1
    assert len(list((tmp_path / "ds" / "test" / "png").glob("*.png"))) == 1


def test_bad_image_exits_2_with_message(tmp_path, capsys):
    from PIL import Image

    Image.new("RGB", (1, 1)).save(tmp_path / "one.png")
    assert main(["chart", "table", str(tmp_path / "one.png")]) == 2
    err = capsys.readouterr().err
    assert "error: image too small" in err and "hint:" in err


@needs_type_model
def test_eval_json_keys(tmp_path, capsys):
    assert main(["chart", "synth", str(tmp_path / "ds"), "--n", "2", "--seed", "4", "--types", "v_bar,pie"]) == 0
    capsys.readouterr()
    assert main(["chart", "eval", str(tmp_path / "ds"), "--split", "test", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    for k in ("n", "relaxed_accuracy", "rnss", "rms_precision", "rms_recall", "rms_f1", "bleu"):
        assert k in res
    assert res["n"] == 2 and 0 <= res["rms_f1"] <= 1 and 0 <= res["bleu"] <= 100


def test_training_smoke(tmp_path):
    pytest.importorskip("torch")
    from training.chart.train import main as train_main

    assert train_main(["--smoke", "--out", str(tmp_path)]) == 0
    man = json.loads((tmp_path / "chart-type.json").read_text())
    assert man["name"] == "chart-type" and len(man["sha256"]) == 64
    assert (tmp_path / "chart-type.onnx").stat().st_size < 5_000_000
