"""`mmwb cad …` end to end (in-process), including its clear errors."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from inference.cli import main

MODELS = Path(__file__).resolve().parents[2] / "resources" / "models"


def test_synth_then_show(tmp_path, capsys):
    out = tmp_path / "ds"
    assert main(["cad", "synth", str(out), "--n", "4", "--seed", "3", "--size", "64"]) == 0
    index = json.loads((out / "index.json").read_text())
    assert len(index["samples"]) == 4 and all(len(s["images"]) == 3 for s in index["samples"])
    capsys.readouterr()
    assert main(["cad", "show", str(out / index["samples"][0]["json"]), "--json", "--vec"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["valid"] and res["volume_mm3"] > 0 and len(res["vec"][0]) == 17


def test_show_check_part(tmp_path, capsys):
    from inference.cad.io import write_deepcad_json
    from inference.cad.seq import CADSequence, Circle, Extrude, Line
    plate = Extrude(loops=[[Line(10, -5), Line(10, 5), Line(-10, 5), Line(-10, -5)], [Circle(0, 0, 3)]], e1=5)
    pin = Extrude(loops=[[Circle(6, 0, 2)]], origin=(0, 0, 5), e1=8, op=1)
    write_deepcad_json(CADSequence([plate, pin]), tmp_path / "c.json")
    assert main(["cad", "show", str(tmp_path / "c.json")]) == 0
    out = capsys.readouterr().out
    assert f"volume {1000 - 13 * math.pi:.3f} mm³" in out


@pytest.mark.parametrize("content,needle", [
    ('{"entities": {', "not valid JSON"),
    ('[1, 2]', "not a DeepCAD sequence"),
])
def test_show_bad_json(tmp_path, capsys, content, needle):
    p = tmp_path / "b.json"
    p.write_text(content)
    assert main(["cad", "show", str(p)]) == 2
    err = capsys.readouterr().err
    assert needle in err and "hint:" in err


def test_show_self_intersecting_profile(tmp_path, capsys):
    from inference.cad.io import write_deepcad_json
    from inference.cad.seq import CADSequence, Extrude, Line
    write_deepcad_json(CADSequence([Extrude(loops=[[Line(10, 10), Line(10, 0), Line(0, 10), Line(0, 0)]], e1=3)]),
                       tmp_path / "bow.json")
    assert main(["cad", "show", str(tmp_path / "bow.json"), "--json"]) == 1
    res = json.loads(capsys.readouterr().out)
    assert res["valid"] is False and "intersects itself" in res["error"]


def test_generate_needs_an_output(capsys):
    assert main(["cad", "generate", "--text", "a plate"]) == 2
    assert "no output file" in capsys.readouterr().err


def test_eval_on_missing_dataset(tmp_path, capsys):
    assert main(["cad", "eval", str(tmp_path)]) == 2
    assert "not a CAD dataset" in capsys.readouterr().err


@pytest.mark.skipif(not (MODELS / "cad-text.json").exists(), reason="cad-text model not trained yet")
def test_generate_from_text_has_the_described_size(tmp_path, capfd):
    from inference.cad import io as cad_io, kernel
    step = tmp_path / "p.step"
    rc = main(["cad", "generate", "--text", "a rectangular plate 60 mm long , 40 mm wide and 8 mm thick",
               "-o", str(step), "--save-json", str(tmp_path / "p.json"), "--stl", str(tmp_path / "p.stl")])
    kernel._flush_c_stdout()
    out = capfd.readouterr().out  # fd 1: OpenCascade's STEP banner must not be in it
    assert rc == 0, out
    assert "Statistics on Transfer" not in out and "*****" not in out, out
    assert f"wrote {step}" in out
    s = cad_io.read_step(step)
    size = [b - a for a, b in zip(*s.bbox)]
    assert size == pytest.approx([60, 40, 8], abs=0.01)


@pytest.mark.skipif(not (MODELS / "cad-image.json").exists(), reason="cad-image model not trained yet")
def test_generate_from_image_has_the_set_size(tmp_path, capsys):
    from inference.cad import io as cad_io
    out = tmp_path / "ds"
    assert main(["cad", "synth", str(out), "--n", "1", "--seed", "77", "--held-out"]) == 0
    img = out / json.loads((out / "index.json").read_text())["samples"][0]["images"][0]
    rc = main(["cad", "generate", "--image", str(img), "--size", "42", "-o", str(tmp_path / "p.step"),
               "--candidates", "3"])
    out_text = capsys.readouterr().out
    if rc != 0:
        pytest.fail(out_text)
    s = cad_io.read_step(tmp_path / "p.step")
    assert max(b - a for a, b in zip(*s.bbox)) == pytest.approx(42, abs=0.01)


@pytest.mark.skipif(not (MODELS / "cad-text.json").exists(), reason="cad-text model not trained yet")
def test_eval_json_keys(tmp_path, capsys):
    out = tmp_path / "ds"
    assert main(["cad", "synth", str(out), "--n", "3", "--seed", "78", "--held-out", "--no-images"]) == 0
    capsys.readouterr()
    assert main(["cad", "eval", str(out), "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert set(res) == {"model", "n", "acc_cmd", "acc_param", "cd_mean", "cd_median", "invalid_ratio"}
    assert res["n"] == 3 and 0 <= res["acc_cmd"] <= 1 and 0 <= res["invalid_ratio"] <= 1
    assert main(["cad", "eval", str(out), "--input", "image"]) == 2
    assert "no 'image' inputs" in capsys.readouterr().err


def _check_vec():
    from inference.cad.seq import CADSequence, Circle, Extrude, Line, to_vec
    plate = Extrude(loops=[[Line(10, -5), Line(10, 5), Line(-10, 5), Line(-10, -5)], [Circle(0, 0, 3)]], e1=5)
    return to_vec(CADSequence([plate]))


def test_show_out_of_range_vectors(tmp_path, capsys):
    import numpy as np
    v = _check_vec()
    v[1, 2] = 300
    np.savetxt(tmp_path / "p.vec", v, fmt="%d")
    assert main(["cad", "show", str(tmp_path / "p.vec")]) == 2
    err = capsys.readouterr().err
    assert "out of range 0..255" in err and "hint:" in err


def test_show_open_loop(tmp_path, capsys):
    import numpy as np
    v = np.delete(_check_vec(), [2, 3, 4], axis=0)  # one line left: the loop cannot close
    np.save(tmp_path / "p.npy", v)
    assert main(["cad", "show", str(tmp_path / "p.npy")]) == 2
    assert "open" in capsys.readouterr().err
    obj = json.loads((Path(__file__).resolve().parents[3] / "shared" / "data" / "deepcad" / "00000016.json")
                     .read_text()) if (Path(__file__).resolve().parents[3] / "shared" / "data").exists() else None
    if obj is None:
        return
    for ent in obj["entities"].values():
        if ent.get("type") == "Sketch":
            for prof in ent["profiles"].values():
                prof["loops"][0]["profile_curves"].pop(0)
    (tmp_path / "open.json").write_text(json.dumps(obj))
    assert main(["cad", "show", str(tmp_path / "open.json")]) == 2
    assert "sketch loop is open" in capsys.readouterr().err


def test_synth_json_quiet_and_progress(tmp_path, capsys):
    assert main(["cad", "synth", str(tmp_path / "a"), "--n", "2", "--seed", "5", "--no-images"]) == 0
    cap = capsys.readouterr()
    assert "[100.0%]" in cap.err and cap.out.startswith("wrote 2 parts")  # progress on stderr, result on stdout
    assert main(["cad", "synth", str(tmp_path / "b"), "--n", "2", "--seed", "5", "--no-images", "--quiet"]) == 0
    cap = capsys.readouterr()
    assert cap.err == "" and cap.out.startswith("wrote 2 parts")
    assert main(["cad", "synth", str(tmp_path / "c"), "--n", "2", "--seed", "5", "--no-images", "--json"]) == 0
    cap = capsys.readouterr()
    res = json.loads(cap.out)
    assert res["n"] == 2 and res["seed"] == 5 and res["templates"] == "training" and sum(res["families"].values()) == 2
    assert cap.err == ""  # --json: no progress line either
    assert main(["cad", "synth", str(tmp_path / "d"), "--n", "0"]) == 2
    err = capsys.readouterr().err
    assert err.count("error:") == 1 and "--n must be at least 1" in err


def test_show_exit_codes_and_quiet(tmp_path, capsys):
    from inference.cad.io import write_deepcad_json
    from inference.cad.seq import CADSequence, Extrude, Line
    sample = Path(__file__).resolve().parents[2] / "resources" / "samples" / "cad" / "flange.json"
    assert main(["cad", "show", str(sample), "--quiet"]) == 0
    cap = capsys.readouterr()
    assert "solid: valid, volume 68348.490 mm³" in cap.out and cap.err == ""
    write_deepcad_json(CADSequence([Extrude(loops=[[Line(10, 10), Line(10, 0), Line(0, 10), Line(0, 0)]], e1=3)]),
                       tmp_path / "bow.json")
    assert main(["cad", "show", str(tmp_path / "bow.json")]) == 1  # read, but its solid is invalid
    assert "solid: INVALID" in capsys.readouterr().out
    assert main(["cad", "show", str(tmp_path / "missing.json")]) == 2  # nothing could be read
    cap = capsys.readouterr()
    assert cap.out == "" and cap.err.count("error:") == 1 and "Traceback" not in cap.err


def test_generate_json_is_a_flag(tmp_path, capsys):
    with pytest.raises(SystemExit):  # --json takes no path any more
        main(["cad", "generate", "--text", "a plate", "--json", str(tmp_path / "p.json")])
    capsys.readouterr()
    assert main(["cad", "generate", "--text", "a plate", "--candidates", "11", "--json"]) == 2
    assert "out of range" in capsys.readouterr().err


@pytest.mark.skipif(not (MODELS / "cad-text.json").exists(), reason="cad-text model not trained yet")
def test_generate_json_prints_the_result_and_save_json_writes_the_sequence(tmp_path, capsys):
    from inference.cad import kernel
    from inference.cad.io import read_deepcad_json
    rc = main(["cad", "generate", "--text", "a rectangular plate 60 mm long , 40 mm wide and 8 mm thick", "--json",
               "--save-json", str(tmp_path / "p.json"), "--candidates", "2"])
    cap = capsys.readouterr()
    assert rc == 0, cap.err
    res = json.loads(cap.out)  # stdout holds the one JSON object and nothing else
    assert res["solid"]["valid"] and res["solid"]["size_mm"] == pytest.approx([60, 40, 8], abs=0.01)
    assert res["written"] == [str(tmp_path / "p.json")] and len(res["candidates"]) == 2
    saved = kernel.build(read_deepcad_json(tmp_path / "p.json"))
    assert saved.volume == pytest.approx(res["solid"]["volume_mm3"])
    assert kernel.build(read_deepcad_json(res["sequence"])).volume == pytest.approx(saved.volume)


def test_generate_reads_a_plain_description_first(tmp_path, capsys):
    rc = main(["cad", "generate", "--text", "A plate 4 cm by 3 cm by 5 mm with a 10 mm hole in the middle", "--json",
               "--candidates", "1"])
    cap = capsys.readouterr()
    assert rc == 0, cap.err
    res = json.loads(cap.out)
    assert res["source"] == "reader" and res["units"] == ["mm", "cm"] and res["reader"]["status"] == "read"
    assert res["candidates"][0]["source"] == "reader"
    assert res["solid"]["size_mm"] == pytest.approx([40, 30, 5])
    assert res["solid"]["volume_mm3"] == pytest.approx(6000 - 25 * math.pi * 5)
    rc = main(["cad", "generate", "--text", "A 2 inch cube", "--candidates", "1", "--stl", str(tmp_path / "c.stl")])
    cap = capsys.readouterr()
    assert rc == 0 and "units read: in" in cap.err and "50.80 × 50.80 × 50.80 mm" in cap.out


def test_generate_says_when_text_is_no_part(capsys):
    assert main(["cad", "generate", "--text", "good morning to you", "--json"]) == 2
    err = capsys.readouterr().err
    assert err.count("error:") == 1 and "not read as a description of a part" in err


@pytest.mark.skipif(not (MODELS / "cad-text.json").exists(), reason="cad-text model not trained yet")
def test_generate_names_a_missing_dimension_and_marks_the_guesses(capsys):
    rc = main(["cad", "generate", "--text", "a cylinder 30 mm in diameter", "--json", "--candidates", "2"])
    cap = capsys.readouterr()
    assert rc == 0, cap.err
    res = json.loads(cap.out)
    assert res["source"] == "model" and res["reader"]["status"] == "missing"
    assert "no height for the cylinder" in res["reader"]["message"] and "no height" in res["notes"][0]
    assert all(c["guess"] for c in res["candidates"])
