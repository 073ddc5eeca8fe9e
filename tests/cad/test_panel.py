"""The CAD panel through qtbot (offscreen: View3D falls back to its flat view)."""
from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

pytest.importorskip("PySide6")

from inference.cad.io import read_deepcad_json, read_step, write_deepcad_json  # noqa: E402
from inference.cad.seq import CADSequence, Circle, Extrude, Line  # noqa: E402

from tests.conftest import wait_idle  # noqa: E402

pytestmark = pytest.mark.gui
MODELS = Path(__file__).resolve().parents[2] / "resources" / "models"


@pytest.fixture
def panel(make_panel):
    from app.panels.cad import CadPanel

    return make_panel(CadPanel, (1400, 800))

def check_part_file(tmp_path) -> str:
    plate = Extrude(loops=[[Line(10, -5), Line(10, 5), Line(-10, 5), Line(-10, -5)], [Circle(0, 0, 3)]], e1=5)
    pin = Extrude(loops=[[Circle(6, 0, 2)]], origin=(0, 0, 5), e1=8, op=1)
    p = tmp_path / "check.json"
    write_deepcad_json(CADSequence([plate, pin]), p)
    return str(p)


def _row_of(panel, label: str) -> int:
    for r in range(panel.table.rowCount()):
        if panel.table.item(r, 0).text() == label:
            return r
    raise AssertionError(label)


def test_open_edit_rebuild_and_export(qtbot, panel, tmp_path):
    panel.open_file(check_part_file(tmp_path))
    wait_idle(qtbot, panel)
    assert panel.solid is not None and panel.solid.volume == pytest.approx(1000 - 13 * math.pi)
    assert panel.table.rowCount() == 12
    assert panel.btn_step.isEnabled()
    # edit: the pin gets taller → rebuilt at once
    r = _row_of(panel, "Ext 2")
    panel.edit_cell(r, 12, "10")
    wait_idle(qtbot, panel)  # the rebuild runs as a job, off the GUI thread
    assert panel.solid.volume == pytest.approx(1000 - 45 * math.pi + 40 * math.pi)
    assert "Rebuilt" in panel.status.text() and not panel.last_error
    # a breaking edit: the hole grows beyond the plate → rejected, last good solid kept
    good = panel.solid.volume
    hole_row = [i for i in range(panel.table.rowCount()) if panel.table.item(i, 0).text() == "Circle"][0]
    panel.edit_cell(hole_row, 5, "0")
    wait_idle(qtbot, panel)
    assert panel.solid.volume == pytest.approx(good)
    assert "Edit rejected" in panel.last_error and "radius" in panel.last_error
    assert panel.error_label.isVisibleTo(panel) and "Edit rejected" in panel.error_label.text()
    assert panel.table.item(hole_row, 5).text() == "3"
    panel.edit_cell(hole_row, 1, "abc")
    assert "not a number" in panel.last_error
    # a self-intersecting profile
    panel.edit_cell(2, 1, "-30")  # second corner of the plate moves across → crossing edges
    wait_idle(qtbot, panel)
    assert "intersects itself" in panel.last_error
    assert panel.solid.volume == pytest.approx(good)
    panel._export_step(str(tmp_path / "p.step"))
    panel._export_stl(str(tmp_path / "p.stl"))
    panel._save_json(str(tmp_path / "p.json"))
    wait_idle(qtbot, panel)  # the files are written in jobs
    from inference.cad import kernel
    assert read_step(tmp_path / "p.step").volume == pytest.approx(good, rel=1e-7)
    assert kernel.build(read_deepcad_json(tmp_path / "p.json")).volume == pytest.approx(good)
    assert (tmp_path / "p.stl").stat().st_size > 84


@pytest.mark.parametrize("content,needle", [
    ('{"entities": ', "not valid JSON"),
    ('{"foo": 1}', "not a DeepCAD sequence"),
])
def test_bad_files_show_a_clear_error(qtbot, panel, tmp_path, content, needle):
    p = tmp_path / "bad.json"
    p.write_text(content)
    panel.open_file(str(p))
    wait_idle(qtbot, panel)
    assert needle in panel.last_error
    assert panel.failures and needle in panel.failures[0].message


def test_open_loop_file_shows_error(qtbot, panel, tmp_path, shared_data):
    obj = json.loads((shared_data / "deepcad" / "00000016.json").read_text())
    for ent in obj["entities"].values():
        if ent.get("type") == "Sketch":
            for prof in ent["profiles"].values():
                prof["loops"][0]["profile_curves"].pop(0)  # a missing edge: the loop no longer closes
    p = tmp_path / "open.json"
    p.write_text(json.dumps(obj))
    panel.open_file(str(p))
    wait_idle(qtbot, panel)
    assert "open" in panel.last_error


def test_empty_description_is_refused(qtbot, panel):
    panel.generate_from_text()
    assert "Type a description" in panel.last_error


@pytest.mark.skipif(not (MODELS / "cad-text.json").exists(), reason="cad-text model not trained yet")
def test_generate_from_text_gives_candidates(qtbot, panel):
    generate(qtbot, panel, "a 60 x 40 x 8 mm plate with a 10 mm hole in the centre", 3)
    assert panel.cand_list.count() >= 1
    assert panel.seq is not None
    assert panel.solid is not None, panel.status.text()
    size = panel.solid.summary()["size_mm"]
    assert size[0] == pytest.approx(60, abs=1.0) and size[1] == pytest.approx(40, abs=1.0)


def test_out_of_range_vectors_show_error(qtbot, panel, tmp_path):
    import numpy as np
    from inference.cad.seq import to_vec
    plate = Extrude(loops=[[Line(10, -5), Line(10, 5), Line(-10, 5), Line(-10, -5)]], e1=5)
    v = to_vec(CADSequence([plate]))
    v[5, 13] = 999
    np.savetxt(tmp_path / "p.vec", v, fmt="%d")
    panel.open_file(str(tmp_path / "p.vec"))
    wait_idle(qtbot, panel)
    assert "out of range" in panel.last_error


def test_export_to_an_unwritable_place_is_a_clear_error(qtbot, panel, tmp_path):
    panel.open_file(check_part_file(tmp_path))
    wait_idle(qtbot, panel)
    panel._export_stl(str(tmp_path / "no" / "such" / "dir" / "p.stl"))
    wait_idle(qtbot, panel)
    assert panel.failures and panel.failures[-1].expected
    assert "p.stl" in panel.failures[-1].message or "dir" in panel.failures[-1].message


def _part_picture(path, size=(90, 160)):
    import cv2
    import numpy as np
    im = np.full((*size, 3), 255, np.uint8)
    cv2.rectangle(im, (40, 20), (120, 70), (40, 60, 200), -1)  # a reddish plate on white (BGR)
    cv2.imwrite(str(path), im)
    return im


def test_dropped_picture_is_decoded_in_a_job(qtbot, panel, tmp_path, monkeypatch):
    import numpy as np
    im = _part_picture(tmp_path / "part.png")
    started = []
    monkeypatch.setattr(panel, "generate_from_image", lambda: started.append(panel.drop.image))
    panel.open_file(str(tmp_path / "part.png"))
    assert panel.drop.image is None and panel.drop.pixmap().isNull()  # nothing decoded on the GUI thread
    wait_idle(qtbot, panel)
    assert panel.drop.path == str(tmp_path / "part.png")
    assert np.array_equal(panel.drop.image, im)  # OpenCV's BGR layout, as image_to_candidates takes it
    pm = panel.drop.pixmap()
    assert (pm.width(), pm.height()) == (200, 112)  # fits the 200 × 150 preview box
    assert pm.toImage().pixelColor(100, 50).red() > 150  # the preview is in RGB order
    assert len(started) == 1 and started[0] is panel.drop.image  # generation starts when the picture is in


def test_bad_picture_shows_a_clear_error_and_keeps_the_last_one(qtbot, panel, tmp_path, monkeypatch):
    monkeypatch.setattr(panel, "generate_from_image", lambda: None)
    failed_jobs = []
    panel.ctx.jobs.job_failed.connect(lambda job, failure: failed_jobs.append(job))
    _part_picture(tmp_path / "good.png")
    panel.open_file(str(tmp_path / "good.png"))
    wait_idle(qtbot, panel)
    (tmp_path / "bad.png").write_bytes(b"not a png")
    panel.open_file(str(tmp_path / "bad.png"))
    wait_idle(qtbot, panel)
    assert "bad.png is not a readable image" in panel.last_error
    # in the panel's error line; the job manager reports it, but asks the window for no dialog
    assert len(failed_jobs) == 1 and failed_jobs[0].dialog is False
    assert panel.error_label.isVisibleTo(panel) and "bad.png" in panel.error_label.text()
    (tmp_path / "empty.jpg").write_bytes(b"")
    panel.open_file(str(tmp_path / "empty.jpg"))
    wait_idle(qtbot, panel)
    assert "empty" in panel.last_error
    assert panel.drop.path == str(tmp_path / "good.png") and not panel.drop.pixmap().isNull()


def test_a_late_picture_result_is_ignored(qtbot, panel, tmp_path, monkeypatch):
    import numpy as np
    monkeypatch.setattr(panel, "generate_from_image", lambda: None)
    _part_picture(tmp_path / "a.png", (400, 600))
    _part_picture(tmp_path / "b.png")
    panel.open_file(str(tmp_path / "a.png"))
    panel.open_file(str(tmp_path / "b.png"))
    wait_idle(qtbot, panel)
    assert panel.drop.path == str(tmp_path / "b.png")
    panel._picture_loaded(panel._picture_seq - 1, str(tmp_path / "a.png"), np.zeros((4, 4), np.uint8),
                          np.zeros((4, 4), np.uint8))
    assert panel.drop.path == str(tmp_path / "b.png") and panel.drop.image.shape == (90, 160, 3)


@pytest.mark.skipif(not (MODELS / "cad-image.json").exists(), reason="cad-image model not trained yet")
def test_generate_from_a_dropped_picture(qtbot, panel, tmp_path):
    panel.n_cand.setValue(1)
    panel.generate_from_image()
    assert "Drop or open a picture first" in panel.last_error
    _part_picture(tmp_path / "part.png")
    panel.open_file(str(tmp_path / "part.png"))
    wait_idle(qtbot, panel, 120000)  # read, then generate
    assert panel.cand_list.count() == 1, panel.status.text()


def test_first_run_intro_and_the_sample_opens_a_real_solid(qtbot, panel):
    from PySide6.QtCore import Qt
    intro = panel.intro_widget()
    assert intro.isVisibleTo(panel)
    assert panel.panel_info.about in intro.findChild(type(panel.status)).text()
    assert panel.seq is None and panel.table.rowCount() == 0 and panel.view.mesh is None
    qtbot.mouseClick(panel.sample_button, Qt.MouseButton.LeftButton)
    wait_idle(qtbot, panel)
    assert not intro.isVisibleTo(panel)  # hidden once something is open
    assert panel.solid is not None and panel.solid.valid, panel.last_error
    assert panel.solid.volume == pytest.approx(68348.49, rel=1e-6)  # resources/samples/cad/README.md
    assert panel.view.mesh is not None and len(panel.view.mesh[1]) > 0  # the solid is drawn
    assert [panel.table.item(r, 0).text() for r in range(panel.table.rowCount())].count("Circle") == 7
    assert panel.btn_step.isEnabled() and panel.btn_save.isEnabled()


def test_file_dialogs_start_in_the_last_folder_or_home(qtbot, panel, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog
    seen = []

    def fake_open(parent, caption, start, filters):
        seen.append((start, filters))
        return str(tmp_path / "x.json"), ""

    (tmp_path / "x.json").write_text("{}")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_open))
    monkeypatch.setattr(panel, "open_file", lambda p: None)
    panel._open_dialog()
    assert seen[0][0] == str(Path.home())
    assert "*.json" in seen[0][1] and "*.vec" in seen[0][1] and "*.npy" in seen[0][1]
    panel._pick_image()  # the next dialog starts where the user went
    assert seen[1][0] == str(tmp_path) and "*.png" in seen[1][1]


def test_the_panel_does_not_listen_to_the_managers_failures(qtbot, panel):
    """Its own jobs' errors reach it through start_job; it never filters every failure of the manager."""
    from types import SimpleNamespace

    from app.jobs import JobFailure
    panel.ctx.jobs.job_failed.emit(SimpleNamespace(owner="cad", dialog=True),
                                   JobFailure("other", RuntimeError("not ours"), ""))
    assert not panel.last_error and not panel.error_label.isVisibleTo(panel)


def _count_fits(panel, monkeypatch) -> list:
    """The radius the view frames at each fit (View3D.reset_camera), recorded as it happens."""
    fits: list = []
    reset = panel.view.reset_camera
    monkeypatch.setattr(panel.view, "reset_camera", lambda: (fits.append(panel.view.bounds()[1]), reset()))
    return fits


def test_every_new_part_is_fitted_in_view(qtbot, panel, tmp_path, shared_data, monkeypatch):
    """Issue #14: a 254 mm part overflowed the view a 20 mm one had framed. Each new part is fitted; an edit
    keeps the camera; the Fit view button and the F key fit again (a letter typed in the description stays)."""
    from PySide6.QtCore import Qt
    fits = _count_fits(panel, monkeypatch)
    radii = []
    for path in (check_part_file(tmp_path), str(shared_data / "deepcad" / "00000016.json"), check_part_file(tmp_path)):
        n = len(fits)
        panel.open_file(path)
        wait_idle(qtbot, panel)
        assert len(fits) > n and fits[-1] == panel.view.bounds()[1]  # framed on the part now shown
        radii.append(fits[-1])
    assert radii[1] > 5 * radii[0] and radii[2] == pytest.approx(radii[0])  # 254 mm, then 20 mm again
    n = len(fits)
    panel.edit_cell(_row_of(panel, "Ext 2"), 12, "10")
    wait_idle(qtbot, panel)
    assert "Rebuilt" in panel.status.text() and len(fits) == n
    panel.btn_fit.click()
    assert len(fits) == n + 1
    panel.show()
    qtbot.waitExposed(panel)
    panel.activateWindow()
    qtbot.waitUntil(panel.isActiveWindow)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_F)
    assert len(fits) == n + 2
    panel.text.setFocus()
    qtbot.keyClicks(panel.text, "flange")
    assert panel.text.toPlainText() == "flange" and len(fits) == n + 2


def test_opening_a_file_clears_the_previous_description(qtbot, panel, tmp_path):
    panel.text.setPlainText("a 60 x 40 x 8 mm plate with a 10 mm hole in the centre")
    panel.open_file(check_part_file(tmp_path))
    wait_idle(qtbot, panel)
    assert panel.solid is not None and panel.text.toPlainText() == ""


def test_a_rejected_edit_says_which_check_failed(qtbot, panel, tmp_path):
    """The hole moved across the plate's edge builds, but fails the kernel's check: the error line says which
    (a self-intersection), not only that some check failed; the last valid solid stays."""
    panel.open_file(check_part_file(tmp_path))
    wait_idle(qtbot, panel)
    good = panel.solid.volume
    hole_row = [i for i in range(panel.table.rowCount()) if panel.table.item(i, 0).text() == "Circle"][0]
    panel.edit_cell(hole_row, 1, "9")
    wait_idle(qtbot, panel)
    assert "Edit rejected" in panel.last_error and "self-intersection" in panel.last_error, panel.last_error
    assert panel.solid.volume == pytest.approx(good) and panel.table.item(hole_row, 1).text() == "0"
    panel.edit_cell(_row_of(panel, "Ext 2"), 14, "Intersect")  # the pin only touches the plate: nothing is left
    wait_idle(qtbot, panel)
    assert "Edit rejected" in panel.last_error and "empty" in panel.last_error, panel.last_error
    assert panel.solid.volume == pytest.approx(good)


def generate(qtbot, panel, text: str, n: int) -> None:
    panel.text.setPlainText(text)
    panel.n_cand.setValue(n)
    panel.generate_from_text()
    wait_idle(qtbot, panel, 120000)


def test_a_description_the_reader_understands_is_the_first_candidate(qtbot, panel):
    generate(qtbot, panel, "A 2 inch cube with a 1/2 inch hole through it", 1)  # the reader's part only: no model
    assert panel.cand_list.count() == 1 and "read from the description" in panel.cand_list.item(0).text()
    assert panel.solid is not None
    assert panel.solid.summary()["size_mm"] == pytest.approx([50.8] * 3)
    assert "cube with 1 hole" in panel.reader_line.text() and "units read: in" in panel.reader_line.text()
    assert "units: in" in panel.status.text() and not panel.last_error


@pytest.mark.skipif(not (MODELS / "cad-text.json").exists(), reason="cad-text model not trained yet")
def test_a_missing_dimension_is_named_and_the_model_candidates_are_guesses(qtbot, panel):
    generate(qtbot, panel, "a cylinder 30 mm in diameter", 2)
    assert "no height for the cylinder" in panel.reader_line.text() and "guesses" in panel.reader_line.text()
    assert panel.cand_list.count() == 2 and all("guess" in panel.cand_list.item(i).text() for i in range(2))


def test_text_that_is_no_part_is_said_so(qtbot, panel):
    panel.text.setPlainText("what a lovely day")
    panel.generate_from_text()
    wait_idle(qtbot, panel)
    assert "not read as a description of a part" in panel.last_error


def test_a_solid_that_builds_but_fails_the_check_is_never_called_valid(qtbot, panel, monkeypatch):
    """load_job reports a built solid together with the kernel's reason when the check fails: the panel shows
    the reason as an error, not "Valid solid."."""
    from inference.cad import api

    real = api.solid_result

    def failing_check(seq):
        built = real(seq)
        monkeypatch.setattr(type(built[0]), "why_invalid", lambda self: "extrusion 1: self-intersection")
        return built

    monkeypatch.setattr(api, "solid_result", failing_check)
    panel.open_sample()
    wait_idle(qtbot, panel, 120000)
    assert panel.solid is not None  # shown, so the user can see what is wrong
    assert "self-intersection" in panel.last_error and "Valid solid" not in panel.status.text()
