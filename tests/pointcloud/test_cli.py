"""`mmwb pc …` end to end through inference.cli.main."""
from __future__ import annotations

import json

import numpy as np
import pytest

from inference.cli import main
from inference.pointcloud.io import PointCloud, read_cloud, write_cloud

from .conftest import needs_models


def test_pc_synth_and_eval_baselines(tmp_path, capsys):
    assert main(["pc", "synth", str(tmp_path / "ds"), "--n", "1", "--seed", "99", "--quiet"]) == 0
    assert (tmp_path / "ds" / "index.json").exists()
    capsys.readouterr()
    rc = main(["pc", "eval", str(tmp_path / "ds"), "--json", "--methods", "ball_pivoting,oracle",
               "--levels", "clean,sparse"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    rows = {(r["method"], r["level"]): r for r in out["rows"]}
    assert set(rows) == {("ball_pivoting", "clean"), ("oracle", "clean"), ("ball_pivoting", "sparse"), ("oracle", "sparse")}
    for r in out["rows"]:
        assert {"method", "level", "n", "cd_l1", "cd_l2", "fscore"} <= set(r)
    # the oracle is the ceiling
    assert rows[("oracle", "clean")]["cd_l1"] < rows[("ball_pivoting", "clean")]["cd_l1"]


def test_pc_compare_writes_distance_field(tmp_path, capsys, sphere_cloud):
    write_cloud(tmp_path / "a.ply", PointCloud(sphere_cloud * 1.02))
    write_cloud(tmp_path / "b.pcd", PointCloud(sphere_cloud))
    assert main(["pc", "compare", str(tmp_path / "a.ply"), str(tmp_path / "b.pcd"), "-o", str(tmp_path / "d.pcd"),
                 "--json"]) == 0
    rep = json.loads(capsys.readouterr().out)
    assert abs(rep["hausdorff"] - 0.02) < 1e-4 and rep["fscore"] == 0.0
    d = read_cloud(tmp_path / "d.pcd").scalars["distance"]
    assert np.allclose(d, 0.02, atol=1e-4)


@pytest.mark.parametrize("content,needle", [
    (b"", "empty"),
    (b"ply\nformat ascii 1.0\nelement vertex 5\nproperty float x\nproperty float y\nproperty float z\nend_header\n1 2 3\n", "truncated"),
    (b"ply\nformat binary_little_endian 1.0\nelement vertex 9\nproperty float x\nproperty float y\nproperty float z\nend_header\n\0\0", "truncated"),
    (b"ply\nformat ascii 1.0\nelement vertex 1\nproperty float x\nproperty float y\nproperty float z\nend_header\nnan 0 0\n", "NaN"),
    (b"ply\nformat ascii 1.0\nelement vertex 1\nproperty foo x\nend_header\n1\n", "malformed property"),
])
def test_bad_input_exits_2_with_error_and_hint(tmp_path, capsys, content, needle):
    p = tmp_path / "bad.ply"
    p.write_bytes(content)
    rc = main(["pc", "reconstruct", str(p), "-o", str(tmp_path / "o.ply")])
    err = capsys.readouterr().err
    assert rc == 2
    assert "error:" in err and needle in err and "hint:" in err
    rc = main(["pc", "compare", str(p), str(p)])
    assert rc == 2


def test_bad_pcd_header(tmp_path, capsys):
    p = tmp_path / "bad.pcd"
    p.write_bytes(b"VERSION 0.7\nFIELDS x y z\nSIZE 4 4 4\nTYPE F F\nCOUNT 1 1 1\nPOINTS 1\nDATA ascii\n1 2 3\n")
    assert main(["pc", "compare", str(p), str(p)]) == 2
    assert "FIELDS" in capsys.readouterr().err


@needs_models
def test_pc_reconstruct_end_to_end(tmp_path, capsys):
    from inference.pointcloud.synth import make_sample
    import cv2
    s = make_sample("torus", np.random.default_rng(4), levels=("noisy",), oracle=False)
    write_cloud(tmp_path / "in.ply", PointCloud(s.inputs["noisy"] * 50 + 3))  # user units
    cv2.imwrite(str(tmp_path / "view.png"), s.image)
    rc = main(["pc", "reconstruct", str(tmp_path / "in.ply"), "--image", str(tmp_path / "view.png"),
               "-o", str(tmp_path / "out.pcd"), "--points", "8192", "--json"])
    assert rc == 0
    rep = json.loads(capsys.readouterr().out)
    assert rep["model"] == "pc-multimodal" and rep["n_output"] == 8192
    out = read_cloud(tmp_path / "out.pcd")
    assert len(out) == 8192
    # back in the user's units: same place and size as the input
    assert np.allclose(out.xyz.mean(0), s.inputs["noisy"].mean(0) * 50 + 3, atol=2.5)


def test_synth_json_quiet_and_progress(tmp_path, capsys):
    assert main(["pc", "synth", str(tmp_path / "ds"), "--n", "2", "--seed", "5", "--json"]) == 0
    cap = capsys.readouterr()
    rep = json.loads(cap.out)
    assert rep["samples"] == 2 and rep["seed"] == 5 and len(rep["families"]) == 2
    assert "%]" not in cap.err  # --json: no progress line
    assert main(["pointcloud", "synth", str(tmp_path / "ds2"), "--n", "1", "--quiet"]) == 0  # the alias
    cap = capsys.readouterr()
    assert cap.err == "" and cap.out.startswith("wrote 1 samples")
    assert main(["pc", "synth", str(tmp_path / "ds3"), "--n", "1"]) == 0
    cap = capsys.readouterr()
    assert "[100.0%]" in cap.err and cap.err.endswith("\n")  # the progress line, ended before the result


def test_compare_text_and_quiet(tmp_path, capsys, sphere_cloud):
    write_cloud(tmp_path / "a.xyz", PointCloud(sphere_cloud))
    assert main(["pc", "compare", str(tmp_path / "a.xyz"), str(tmp_path / "a.xyz"), "--quiet"]) == 0
    cap = capsys.readouterr()
    assert "Chamfer L1 0 " in cap.out and "F-score@1% " in cap.out and cap.err == ""


def test_eval_exit_codes(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main(["pc", "eval", str(tmp_path / "empty"), "--json"]) == 2
    assert "error:" in capsys.readouterr().err
    assert main(["pc", "synth", str(tmp_path / "ds"), "--n", "1", "--quiet"]) == 0
    capsys.readouterr()
    assert main(["pc", "eval", str(tmp_path / "ds"), "--limit", "0", "--quiet"]) == 2
    cap = capsys.readouterr()
    assert "error: nothing was processed" in cap.err and cap.out == ""
    assert main(["pc", "eval", str(tmp_path / "ds"), "--methods", "nope"]) == 2
    assert "unknown method 'nope'" in capsys.readouterr().err
