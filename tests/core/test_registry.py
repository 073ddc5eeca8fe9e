"""The registry on tiny ONNX models built here: a good one, a wrong signature, a corrupt file, a missing file."""
from __future__ import annotations

import json
import threading
import time

import numpy as np
import pytest

from inference.runtime.cancel import CancelToken
from inference.runtime.errors import Cancelled, ModelError, ModelNotFound
from inference.runtime.manifest import sha256_of, write_manifest
from inference.runtime.registry import Registry
from inference.runtime.settings import RuntimeSettings

from .onnx_factory import manifest, scale_model, slow_model


@pytest.fixture
def models_dir(tmp_path):
    d = tmp_path / "models"
    d.mkdir()
    return d


def registry(d, user=None):
    dirs = [(d, "shipped")] + ([(user, "user")] if user else [])
    return Registry(dirs, RuntimeSettings(provider="cpu"))


def test_good_model_loads_and_runs(models_dir):
    scale_model(models_dir / "good.onnx")
    manifest(models_dir / "good.json", "good", "good.onnx")
    reg = registry(models_dir)
    assert reg.names() == ["good"]
    m = reg.session("good")
    assert m.provider == "CPUExecutionProvider"
    out = m.run({"x": np.ones((3, 4), np.float32)})
    np.testing.assert_allclose(out["y"], 2.0)
    assert reg.session("good") is m  # cached
    row = reg.check_all()[0]
    assert row["ok"] and row["error"] is None and row["load_s"] >= 0


def test_sha256_is_checked(models_dir):
    scale_model(models_dir / "good.onnx")
    data = json.loads(manifest(models_dir / "good.json", "good", "good.onnx").read_text())
    write_manifest(models_dir / "good.json", data)
    assert json.loads((models_dir / "good.json").read_text())["sha256"] == sha256_of(models_dir / "good.onnx")
    registry(models_dir).session("good")
    data["sha256"] = "0" * 64
    (models_dir / "good.json").write_text(json.dumps(data))
    with pytest.raises(ModelError, match="sha256"):
        registry(models_dir).session("good")


def test_wrong_signature_is_a_clear_error(models_dir):
    scale_model(models_dir / "m.onnx", in_name="pixels")
    manifest(models_dir / "m.json", "wrongsig", "m.onnx", in_name="x")
    with pytest.raises(ModelError) as e:
        registry(models_dir).session("wrongsig")
    msg = e.value.one_line()
    assert "inputs are ['pixels']" in msg and "declares ['x']" in msg and "\n" not in msg


def test_wrong_fixed_dim_is_a_clear_error(models_dir):
    scale_model(models_dir / "m.onnx", dim=4)
    manifest(models_dir / "m.json", "wrongdim", "m.onnx", dim=8)
    with pytest.raises(ModelError, match="dim 1 is 4 but the manifest says 8"):
        registry(models_dir).session("wrongdim")


def test_corrupt_onnx_is_a_clear_error(models_dir):
    (models_dir / "bad.onnx").write_bytes(b"this is not an onnx file at all" * 10)
    manifest(models_dir / "bad.json", "corrupt", "bad.onnx")
    with pytest.raises(ModelError) as e:
        registry(models_dir).session("corrupt")
    assert "not a valid ONNX model" in e.value.message
    assert "\n" not in e.value.one_line()


def test_missing_file_and_broken_manifest(models_dir):
    manifest(models_dir / "ghost.json", "ghost", "ghost.onnx")
    (models_dir / "junk.json").write_text("{not json")
    reg = registry(models_dir)
    with pytest.raises(ModelError, match="ghost.onnx is missing"):
        reg.session("ghost")
    rows = {r["name"]: r for r in reg.check_all()}
    assert not rows["ghost"]["ok"] and "missing" in rows["ghost"]["error"]
    assert not rows["junk"]["ok"] and "not valid JSON" in rows["junk"]["error"]
    with pytest.raises(ModelNotFound, match="no model named 'nope'"):
        reg.get("nope")


def test_user_model_is_added_and_overrides(models_dir, tmp_path):
    user = tmp_path / "user"
    user.mkdir()
    scale_model(models_dir / "a.onnx")
    manifest(models_dir / "a.json", "a", "a.onnx")
    scale_model(user / "mine.onnx")
    manifest(user / "mine.json", "mine", "mine.onnx")
    manifest(user / "a.json", "a", "../models/a.onnx", description="user copy")
    reg = registry(models_dir, user)
    assert reg.names() == ["a", "mine"]
    assert reg.get("a").source == "user" and reg.get("mine").source == "user"
    assert reg.session("mine").run({"x": np.zeros((1, 4), np.float32)})["y"].shape == (1, 4)


def test_multi_part_manifest(models_dir):
    scale_model(models_dir / "t.onnx")
    scale_model(models_dir / "v.onnx", in_name="frames")
    spec = lambda n: [{"name": n, "shape": ["batch", 4], "dtype": "float32"}]  # noqa: E731
    (models_dir / "dual.json").write_text(json.dumps({
        "name": "dual", "task": "retrieval", "assets": {"tokenizer": "tok.json"},
        "components": {"text": {"file": "t.onnx", "inputs": spec("x"), "outputs": spec("y")},
                       "video": {"file": "v.onnx", "inputs": spec("frames"), "outputs": spec("y")}}}))
    reg = registry(models_dir)
    assert reg.session("dual", "video").run({"frames": np.ones((2, 4))})["y"][0, 0] == 2.0
    with pytest.raises(ModelError, match="several parts"):
        reg.session("dual")
    with pytest.raises(ModelError, match="asset file tok.json is missing"):
        reg.get("dual").asset("tokenizer")
    assert reg.check_all()[0]["ok"]


def test_cancel_terminates_a_run_in_flight(models_dir):
    slow_model(models_dir / "slow.onnx", n=256, loops=200000)
    (models_dir / "slow.json").write_text(json.dumps({
        "name": "slow", "task": "t", "file": "slow.onnx",
        "inputs": [{"name": "x", "shape": [256, 256], "dtype": "float32"}],
        "outputs": [{"name": "y", "shape": [256, 256], "dtype": "float32"}]}))
    m = registry(models_dir).session("slow")
    token = CancelToken()
    threading.Timer(0.3, token.cancel).start()
    t0 = time.perf_counter()
    with pytest.raises(Cancelled):
        m.run({"x": np.full((256, 256), 0.01, np.float32)}, cancel=token)
    assert time.perf_counter() - t0 < 5.0


def test_asset_json_files_are_not_taken_for_manifests(models_dir):
    scale_model(models_dir / "m.onnx")
    manifest(models_dir / "m.json", "m", "m.onnx", assets={"tokenizer": "m-tokenizer.json"})
    (models_dir / "m-tokenizer.json").write_text(json.dumps({"version": "1.0", "model": {"vocab": {}}}))
    reg = registry(models_dir)
    assert reg.names() == ["m"] and reg.broken() == []
    assert reg.get("m").asset("tokenizer").name == "m-tokenizer.json"


def test_sessions_do_not_spin_unless_asked(models_dir, monkeypatch):
    scale_model(models_dir / "good.onnx")
    manifest(models_dir / "good.json", "good", "good.onnx")
    sess = registry(models_dir).session("good").session
    assert sess.get_session_options().get_session_config_entry("session.intra_op.allow_spinning") == "0"
    monkeypatch.setenv("MMWB_SPIN", "1")
    spin = Registry([(models_dir, "shipped")], RuntimeSettings.load())
    assert RuntimeSettings.load().spin
    opts = spin.session("good").session.get_session_options()
    with pytest.raises(Exception):   # no entry: onnxruntime's default (spinning)
        opts.get_session_config_entry("session.intra_op.allow_spinning")
