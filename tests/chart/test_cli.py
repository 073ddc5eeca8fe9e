"""`mmwb chart …` end to end through inference.cli.main (no Qt)."""
from __future__ import annotations

import json

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


def test_every_command_takes_json_and_quiet(tmp_path, capsys):
    """--json is a flag on every command (one JSON object on stdout); --quiet leaves stderr empty."""
    assert main(["chart", "synth", str(tmp_path / "ds"), "--n", "1", "--seed", "3", "--types", "v_bar",
                 "--json", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["charts"] == 1 and err == ""
    png = str(sorted((tmp_path / "ds" / "test" / "png").glob("*.png"))[0])
    assert main(["chart", "table", png, "--type", "v_bar", "--json", "--quiet"]) == 0
    out, err = capsys.readouterr()
    assert json.loads(out)["chart_type"] == "v_bar" and err == ""
    assert main(["chart", "summary", png, "--type", "v_bar", "--json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert d["chart_type"] == "v_bar" and "highest" in d["summary"]
    assert main(["chart", "ask", png, "--type", "v_bar", "How many bars are there?", "--quiet", "-v"]) == 0
    out, err = capsys.readouterr()
    assert float(out.strip()) >= 1 and err == ""  # --quiet also silences -v's note
    assert main(["chart", "ask", png, "--type", "v_bar", "How many bars are there?", "-v"]) == 0
    assert capsys.readouterr().err.splitlines()[-1].startswith("(count: ")  # after the ended progress line


def test_progress_goes_to_stderr_unless_quiet(tmp_path, capsys):
    assert main(["chart", "synth", str(tmp_path / "ds"), "--n", "2", "--seed", "3", "--types", "pie"]) == 0
    out, err = capsys.readouterr()
    assert out.startswith("wrote 2 charts") and "[100.0%]" in err


def test_eval_exits_2_when_no_chart_could_be_read(tmp_path, capsys):
    from PIL import Image

    assert main(["chart", "synth", str(tmp_path / "ds"), "--n", "2", "--seed", "4", "--types", "pie"]) == 0
    for p in (tmp_path / "ds" / "test" / "png").glob("*.png"):
        Image.new("RGB", (4, 4), "white").save(p)  # too small to be a chart
    capsys.readouterr()
    assert main(["chart", "eval", str(tmp_path / "ds"), "--json", "--quiet"]) == 2
    out, err = capsys.readouterr()
    res = json.loads(out)
    assert res["n"] == 2 and res["failures"] == {"image too small": 2}
    assert "error: nothing was processed: none of the 2 charts could be read" in err


def test_eval_of_a_folder_without_charts_is_an_error(tmp_path, capsys):
    (tmp_path / "empty" / "png").mkdir(parents=True)
    assert main(["chart", "eval", str(tmp_path / "empty")]) == 2
    assert "error: no .png charts" in capsys.readouterr().err
