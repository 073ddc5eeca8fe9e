"""The training command's --smoke mode: a few steps, ONNX export, manifest, decodable by inference/."""
from __future__ import annotations

import json

import pytest

pytest.importorskip("torch")


@pytest.mark.slow
@pytest.mark.timeout(600)
def test_smoke_training_exports_a_usable_model(tmp_path):
    from training.cad.train import main
    out = tmp_path / "models"
    assert main(["--model", "cad-text", "--smoke", "--out", str(out), "--threads", "1"]) == 0
    man = json.loads((out / "cad-text.json").read_text())
    assert set(man["components"]) == {"encoder", "decoder"}
    assert man["metrics"]["onnx_vs_torch_max_abs"] < 1e-3
    from inference.cad.model import CadModel
    from inference.runtime.registry import Registry
    from inference.runtime.settings import RuntimeSettings
    reg = Registry([(out, "shipped")], RuntimeSettings(provider="cpu"))
    m = CadModel("cad-text", registry=reg)
    assert man["assets"]["forms"] == "cad-text.forms.txt" and m.vocab.forms   # word forms from MiniLM
    cands = m.decode(m.encode_text("a 40 x 20 x 5 mm plate"), n_candidates=2)
    # an untrained model still gives well-formed sequences (grammar); their geometry may be invalid
    assert cands and all(c.vec is not None or c.error for c in cands)
    assert all(c.tokens[-1] == 2 or len(c.tokens) >= m.max_tokens for c in cands)
