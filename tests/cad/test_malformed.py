"""Issue #14: malformed CAD files are refused with one `error:` line and exit 2 — no traceback, no crash in
OpenCascade (a centre at 1e300 used to segfault it, a zero sketch axis raised StdFail, NaN reached the quantiser).
The files and what they once did: ../shared/data/malformed/README.md."""
from __future__ import annotations

import re
import subprocess
import sys

import pytest

from inference.cad import api, table
from inference.cad.io import read_deepcad_json
from inference.cad.seq import CADSequence, Circle, Extrude, Line
from inference.cli import main
from inference.runtime.errors import InputError

CASES = {
    "cad_all_points_zero.json": "x axis has no direction",
    "cad_center_1e300_segv.json": "beyond ±1e+06 mm",
    "cad_deep_list.json": "nested too deeply",
    "cad_huge_int.json": "number that cannot be read",
    "cad_zero_axis_stdfail.json": "z axis has no direction",
}


def test_every_malformed_cad_file_has_a_case(shared_data):
    assert sorted(p.name for p in (shared_data / "malformed").glob("cad_*.json")) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_show_refuses_a_malformed_file(shared_data, capsys, name):
    path = shared_data / "malformed" / name
    assert main(["cad", "show", str(path), "--vec"]) == 2
    cap = capsys.readouterr()
    assert cap.out == "" and "Traceback" not in cap.err
    assert cap.err.count("error:") == 1 and CASES[name] in cap.err, cap.err
    with pytest.raises(InputError, match=re.escape(CASES[name])):  # the GUI's open job refuses it the same way
        api.load_job(path)


def test_the_segfaulting_file_is_refused_in_a_fresh_process(shared_data):
    """The crash was a segfault: only a child process shows that it no longer happens."""
    r = subprocess.run([sys.executable, "-m", "inference.cli", "cad", "show",
                        str(shared_data / "malformed" / "cad_center_1e300_segv.json")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 2 and r.stderr.count("error:") == 1, (r.returncode, r.stderr)


def test_an_edit_to_an_absurd_size_is_refused_before_the_kernel():
    seq = CADSequence([Extrude(loops=[[Circle(0, 0, 3)]], e1=5)])
    huge = table.apply_edit(seq, ("curve", 0, 0, 0), 1, "1e300")
    with pytest.raises(InputError, match="beyond"):
        api.rebuild_job(huge)
    with pytest.raises(InputError, match="not a finite number"):
        api.rebuild_job(CADSequence([Extrude(loops=[[Line(1, 0), Line(0, 1), Line(float("nan"), 0)]], e1=5)]))


def test_a_nan_in_a_file_is_refused_when_read(tmp_path):
    from inference.cad.io import write_deepcad_json
    obj = write_deepcad_json(CADSequence([Extrude(loops=[[Circle(0, 0, 3)]], e1=5)]))
    sketch = next(e for e in obj["entities"].values() if e["type"] == "Sketch")
    next(iter(sketch["profiles"].values()))["loops"][0]["profile_curves"][0]["radius"] = float("nan")
    with pytest.raises(InputError, match="not a finite number"):
        read_deepcad_json(obj)
