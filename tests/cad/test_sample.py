"""The shipped sample ("Try a sample") and the panel's file kinds."""
from __future__ import annotations

import pytest

from inference import panels
from inference.cad import io as cad_io
from inference.cad import kernel


def test_the_sample_is_a_valid_flange():
    path = panels.get("cad").sample_path()
    assert path.name == "flange.json" and path.stat().st_size < 300_000
    seq = cad_io.load_sequence(path)
    solid = kernel.build(seq)
    assert solid.valid and solid.volume == pytest.approx(68348.49, rel=1e-6)
    assert [round(v, 6) for v in solid.bbox[0]] == [-50, -50, 0] and [round(v, 6) for v in solid.bbox[1]] == [50, 50, 15]
    assert sum(len(e.loops) for e in seq.extrudes) == 7  # plate, bore, three bolt holes; hub and its bore


def test_file_kinds_route_the_panels_files():
    assert cad_io.FILE_KINDS["cad-json"] == (".json",)
    assert set(cad_io.FILE_KINDS["cad-vec"]) == {".vec", ".npy"}
    assert ".png" in cad_io.FILE_KINDS["image"] and ".jpg" in cad_io.FILE_KINDS["image"]
    for name in ("part.json", "part.vec", "part.NPY", "part.png"):
        assert "cad" in [p.name for p in panels.panels_for(name)], name
    assert "cad" not in [p.name for p in panels.panels_for("clip.mp4")]
