"""The functions the CAD panel runs as jobs (inference/cad/api.py) and the sequence table (inference/cad/table.py),
without Qt."""
from __future__ import annotations

import copy
import math
from pathlib import Path

import numpy as np
import pytest

from inference.cad import api, table
from inference.cad.io import read_deepcad_json, read_step, write_deepcad_json, write_step
from inference.cad.seq import CADSequence, Circle, Extrude, Line
from inference.runtime.errors import Cancelled, InputError

MODELS = Path(__file__).resolve().parents[2] / "resources" / "models"


def check_part() -> CADSequence:
    plate = Extrude(loops=[[Line(10, -5), Line(10, 5), Line(-10, 5), Line(-10, -5)], [Circle(0, 0, 3)]], e1=5)
    pin = Extrude(loops=[[Circle(6, 0, 2)]], origin=(0, 0, 5), e1=8, op=1)
    return CADSequence([plate, pin])


# ------------------------------------------------------------------------------------------- api
def test_load_job_builds_the_solid_it_reads(tmp_path):
    write_deepcad_json(check_part(), tmp_path / "c.json")
    res = api.load_job(tmp_path / "c.json")
    assert res["error"] is None and res["path"] == str(tmp_path / "c.json")
    solid, v, f, cols = res["built"]
    assert solid.valid and solid.volume == pytest.approx(1000 - 13 * math.pi)
    assert len(f) > 0 and cols.shape == (len(f), 4)


def test_load_job_reports_a_sequence_that_does_not_build_and_refuses_a_bad_file(tmp_path):
    bow = CADSequence([Extrude(loops=[[Line(10, 10), Line(10, 0), Line(0, 10), Line(0, 0)]], e1=3)])
    write_deepcad_json(bow, tmp_path / "bow.json")
    res = api.load_job(tmp_path / "bow.json")
    assert res["seq"] is not None and res["built"] is None and "intersects itself" in res["error"]
    (tmp_path / "bad.json").write_text('{"entities": ')
    with pytest.raises(InputError, match="not valid JSON"):
        api.load_job(tmp_path / "bad.json")


def test_rebuild_job_refuses_an_edit_that_breaks_the_solid():
    seq = check_part()
    assert api.rebuild_job(seq)[0].volume == pytest.approx(1000 - 13 * math.pi)
    broken = table.apply_edit(seq, ("curve", 0, 1, 0), 5, "0")  # the hole's radius → 0
    with pytest.raises(InputError, match="radius"):
        api.rebuild_job(broken)


def test_write_job_writes_with_the_writer_it_is_given(tmp_path):
    solid = api.solid_result(check_part())[0]
    assert api.write_job(write_step, solid, tmp_path / "p.step") == tmp_path / "p.step"
    assert read_step(tmp_path / "p.step").volume == pytest.approx(solid.volume, rel=1e-7)
    api.write_job(write_deepcad_json, check_part(), tmp_path / "p.json")
    assert read_deepcad_json(tmp_path / "p.json").extrudes[1].e1 == pytest.approx(8)


def test_load_picture_job_gives_the_bgr_picture_and_an_rgb_preview(tmp_path):
    import cv2
    im = np.full((90, 160, 3), 255, np.uint8)
    im[20:70, 40:120] = (40, 60, 200)  # reddish in BGR
    cv2.imwrite(str(tmp_path / "p.png"), im)
    img, thumb = api.load_picture_job(str(tmp_path / "p.png"))
    assert np.array_equal(img, im)
    assert thumb.shape == (112, 200, 3) and tuple(thumb[56, 100]) == (200, 60, 40)  # RGB
    (tmp_path / "bad.png").write_bytes(b"not a png")
    with pytest.raises(InputError, match="not a readable image"):
        api.load_picture_job(str(tmp_path / "bad.png"))


def test_candidate_label_and_first_valid():
    class C:
        logprob = math.log(0.25)
    results = [{"cand": C(), "built": None, "error": "x"}, {"cand": C(), "built": ("solid",), "error": None}]
    assert api.candidate_label(0, results[0]) == "1. p=0.250  INVALID"
    assert api.candidate_label(1, results[1]) == "2. p=0.250  valid"
    assert api.first_valid(results) == 1 and api.first_valid(results[:1]) == 0


@pytest.mark.skipif(not (MODELS / "cad-text.json").exists(), reason="cad-text model not shipped")
def test_generate_job_builds_the_candidates_and_can_be_cancelled():
    seen = []
    res = api.generate_job(text="a 40 x 20 x 5 mm plate", n_candidates=2, progress=lambda f, m="": seen.append(f))
    assert 1 <= len(res) <= 2 and res[0]["built"] is not None, res[0]["error"]
    size = sorted(b - a for a, b in zip(*res[0]["built"][0].bbox))
    assert size == pytest.approx([5, 20, 40], abs=0.5)
    assert seen and max(seen) <= 1.0
    with pytest.raises(Cancelled):
        api.generate_job(text="a 40 x 20 x 5 mm plate", is_cancelled=lambda: True)


@pytest.mark.skipif(not (MODELS / "cad-text-plain.json").exists(), reason="cad-text-plain model not shipped")
def test_the_default_text_model_is_the_one_its_manifest_flags(monkeypatch):
    from inference.cad import model as M
    assert M.default_model("text") == "cad-text-plain" and M.default_model("image") == "cad-image"
    used = []
    real = M.get_model
    monkeypatch.setattr(M, "get_model", lambda name: used.append(name) or real(name))
    M.text_to_candidates("a 40 x 20 x 5 mm plate with a 6 mm hole in the centre", n_candidates=1)
    assert used == ["cad-text-plain"]


# ------------------------------------------------------------------------------------------- table
def test_table_rows_show_the_sequence_in_mm_and_degrees():
    rows = table.rows(check_part())
    labels = [vals[0] for _, vals in rows]
    assert labels == ["SOL (extrusion 1, loop 1)", "Line", "Line", "Line", "Line", "SOL (extrusion 1, loop 2)",
                      "Circle", "Ext 1", "SOL (extrusion 2, loop 1)", "Circle", "Ext 2", "EOS"]
    key, ext2 = rows[10]
    assert key == ("ext", 1, None, None)
    assert ext2[11] == 5 and ext2[12] == 8 and ext2[14] == "Join" and ext2[15] == "OneSide"
    assert rows[6][1] == {0: "Circle", 1: 0, 2: 0, 5: 3}
    assert table.rows(None) == []
    assert table.cell_text(None) == "" and table.cell_text(2.0 / 3) == "0.6667" and table.cell_text(1) == "1"


def test_table_edits_give_a_new_sequence_and_never_change_the_old_one():
    seq = check_part()
    before = copy.deepcopy(seq)
    new = table.apply_edit(seq, ("ext", 1, None, None), 12, " 10 ")
    assert new.extrudes[1].e1 == 10 and seq.extrudes[1].e1 == 8
    assert table.apply_edit(seq, ("ext", 0, None, None), 7, "90").extrudes[0].phi == pytest.approx(math.pi / 2)
    assert table.apply_edit(seq, ("ext", 0, None, None), 10, "4").extrudes[0].origin == (0, 4, 0)
    assert table.apply_edit(seq, ("ext", 1, None, None), 14, "cut").extrudes[1].op == 2
    assert table.apply_edit(seq, ("ext", 1, None, None), 15, "1").extrudes[1].etype == 1
    assert table.apply_edit(seq, ("curve", 0, 0, 0), 1, "12").extrudes[0].loops[0][0].x == 12
    assert seq == before


@pytest.mark.parametrize("key,col,text,needle", [
    (("curve", 0, 0, 0), 1, "abc", "not a number"),
    (("curve", 0, 0, 0), 1, "inf", "not a finite number"),
    (("curve", 0, 0, 0), 5, "3", "not used by the command"),  # a line has no radius
    (("ext", 0, None, None), 3, "3", "not used by the command"),
    (("ext", 0, None, None), 14, "Glue", "not one of NewBody, Join, Cut, Intersect"),
    (("sol", 0, 0, None), 1, "3", "no numbers"),
])
def test_table_refuses_what_a_cell_does_not_take(key, col, text, needle):
    with pytest.raises(InputError, match=needle):
        table.apply_edit(check_part(), key, col, text)
