"""`mmwb doctor` and `mmwb models list`, on this CPU-only machine and with broken models."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .onnx_factory import manifest, scale_model

REPO = Path(__file__).resolve().parents[2]


def mmwb(*args, env_extra=None, timeout=240):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "app.launcher", *args], cwd=REPO, env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_doctor_json_on_shipped_models():
    r = mmwb("doctor", "--json")
    rep = json.loads(r.stdout)
    for key in ("provider_used", "cuda_usable", "cuda_reason", "models"):
        assert key in rep
    for m in rep["models"]:
        assert set(m) >= {"name", "task", "ok", "error", "load_s"}
    assert rep["cuda_reason"]
    if not rep["cuda_usable"]:
        assert rep["provider_used"] == "CPUExecutionProvider"
    assert r.returncode == (0 if all(m["ok"] for m in rep["models"]) else 1), r.stderr


def test_doctor_text_says_cpu_and_why():
    r = mmwb("doctor")
    assert "Models run on:" in r.stdout and "CUDA usable:" in r.stdout
    if "CUDA usable: no" in r.stdout:
        assert "Models run on: CPU —" in r.stdout


@pytest.fixture
def broken_user_models(tmp_path):
    d = tmp_path / "usermodels"
    d.mkdir()
    (d / "corrupt.onnx").write_bytes(b"\x00garbage" * 64)
    manifest(d / "corrupt.json", "corrupt-model", "corrupt.onnx")
    manifest(d / "missing.json", "missing-file", "nowhere.onnx")
    scale_model(d / "sig.onnx", in_name="pixels")
    manifest(d / "sig.json", "wrong-inputs", "sig.onnx", in_name="x")
    scale_model(d / "fine.onnx")
    manifest(d / "fine.json", "fine-model", "fine.onnx")
    return d


def test_doctor_reports_each_broken_model_in_one_line(broken_user_models):
    env = {"MMWB_USER_MODELS": str(broken_user_models)}
    r = mmwb("doctor", env_extra=env)
    assert r.returncode == 1
    lines = r.stdout.splitlines()
    fails = {n: [ln for ln in lines if ln.strip().startswith("FAIL") and n in ln]
             for n in ("corrupt-model", "missing-file", "wrong-inputs")}
    assert "not a valid ONNX model" in fails["corrupt-model"][0]
    assert "nowhere.onnx is missing" in fails["missing-file"][0]
    assert "inputs are ['pixels']" in fails["wrong-inputs"][0]
    assert any(ln.strip().startswith("OK") and "fine-model" in ln for ln in lines)
    rj = json.loads(mmwb("doctor", "--json", env_extra=env).stdout)
    by = {m["name"]: m for m in rj["models"]}
    assert by["fine-model"]["ok"] and not by["corrupt-model"]["ok"] and not by["wrong-inputs"]["ok"]


def test_models_list(broken_user_models):
    r = mmwb("models", "list", "--json", env_extra={"MMWB_USER_MODELS": str(broken_user_models)})
    assert r.returncode == 0
    names = {m["name"] for m in json.loads(r.stdout)["models"]}
    assert {"fine-model", "corrupt-model", "wrong-inputs", "missing-file"} <= names


def test_unknown_command_is_refused():
    r = mmwb("frobnicate")
    assert r.returncode != 0
    from inference.panels import cli_names

    for name in ("doctor", "models", *cli_names()):  # a typo is answered with every command there is
        assert f"'{name}'" in r.stderr, r.stderr
