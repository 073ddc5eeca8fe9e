"""`mmwb models import-clip`: a CLIP checkpoint becomes a video-text model of the workbench.

A tiny randomly initialised CLIP is built here (nothing is downloaded) and saved in both layouts: a Hugging Face
folder (config.json, model.safetensors, tokenizer.json — a byte-level BPE trained here on RTime-synth training
captions, adding CLIP's start/end-of-text tokens) and an OpenCLIP state dict (OpenCLIP's key names, written
independently of the importer's mapping, with an open_clip_config.json beside it).

Sizes: a random text tower at width 32 embeds captions in 32 dimensions, where "left" and "right" are not
separable (measured: a probe on its embeddings finds the event and direction of unseen captions no better than
chance); at width 128 with 256-dimensional embeddings they are. The image tower reads 64 px frames (8 px patches).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")
pytest.importorskip("transformers")

from .conftest import REPO  # noqa: E402

HIDDEN, DIM, IMAGE = 128, 256, 64


def build_tokenizer(path: Path):
    from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

    from inference.video.captions import family_names, templates
    from inference.video.synth import COLOURS, SHAPES

    texts = []
    for fam in family_names():
        for d in "AB":
            for t in templates(fam, d, "train"):
                for k, c in enumerate(COLOURS):
                    noun = list(SHAPES.values())[k % len(SHAPES)][0]
                    texts.append(t.format(c=c, c2=list(COLOURS)[(k + 3) % len(COLOURS)], o=noun))
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.Lowercase()
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=700, special_tokens=["<|startoftext|>", "<|endoftext|>"],
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(texts, trainer)
    bos, eos = tok.token_to_id("<|startoftext|>"), tok.token_to_id("<|endoftext|>")
    tok.post_processor = processors.TemplateProcessing(
        single="<|startoftext|> $A <|endoftext|>", special_tokens=[("<|startoftext|>", bos), ("<|endoftext|>", eos)])
    tok.save(str(path))
    return tok


def tiny_config(vocab: int, eos: int, bos: int, hidden: int = 32, image: int = 32, patch: int = 8, dim: int = 32):
    from transformers import CLIPConfig
    return CLIPConfig(
        text_config=dict(vocab_size=vocab, hidden_size=hidden, intermediate_size=2 * hidden, num_hidden_layers=2,
                         num_attention_heads=2, max_position_embeddings=77, hidden_act="quick_gelu",
                         eos_token_id=eos, bos_token_id=bos, pad_token_id=eos),
        vision_config=dict(image_size=image, patch_size=patch, hidden_size=hidden, intermediate_size=2 * hidden,
                           num_hidden_layers=2, num_attention_heads=2, hidden_act="quick_gelu"),
        projection_dim=dim)


def to_openclip(hf_sd: dict) -> dict:
    """Hugging Face CLIP key names -> OpenCLIP's (the inverse of what the importer does, written independently
    here: q/k/v stacked into in_proj, projections transposed)."""
    import torch
    oc = {"text_projection": hf_sd["text_projection.weight"].T.contiguous(),
          "visual.proj": hf_sd["visual_projection.weight"].T.contiguous(),
          "token_embedding.weight": hf_sd["text_model.embeddings.token_embedding.weight"],
          "positional_embedding": hf_sd["text_model.embeddings.position_embedding.weight"],
          "ln_final.weight": hf_sd["text_model.final_layer_norm.weight"],
          "ln_final.bias": hf_sd["text_model.final_layer_norm.bias"],
          "visual.class_embedding": hf_sd["vision_model.embeddings.class_embedding"],
          "visual.conv1.weight": hf_sd["vision_model.embeddings.patch_embedding.weight"],
          "visual.positional_embedding": hf_sd["vision_model.embeddings.position_embedding.weight"],
          "visual.ln_pre.weight": hf_sd["vision_model.pre_layrnorm.weight"],
          "visual.ln_pre.bias": hf_sd["vision_model.pre_layrnorm.bias"],
          "visual.ln_post.weight": hf_sd["vision_model.post_layernorm.weight"],
          "visual.ln_post.bias": hf_sd["vision_model.post_layernorm.bias"],
          "logit_scale": hf_sd["logit_scale"]}
    for hf_pre, oc_pre in (("vision_model.encoder.layers.", "visual.transformer.resblocks."),
                           ("text_model.encoder.layers.", "transformer.resblocks.")):
        n = len({k[len(hf_pre):].split(".")[0] for k in hf_sd if k.startswith(hf_pre)})
        for i in range(n):
            h, o = f"{hf_pre}{i}.", f"{oc_pre}{i}."
            for w in ("weight", "bias"):
                oc[f"{o}ln_1.{w}"] = hf_sd[f"{h}layer_norm1.{w}"]
                oc[f"{o}ln_2.{w}"] = hf_sd[f"{h}layer_norm2.{w}"]
                oc[f"{o}attn.out_proj.{w}"] = hf_sd[f"{h}self_attn.out_proj.{w}"]
                oc[f"{o}mlp.c_fc.{w}"] = hf_sd[f"{h}mlp.fc1.{w}"]
                oc[f"{o}mlp.c_proj.{w}"] = hf_sd[f"{h}mlp.fc2.{w}"]
                oc[f"{o}attn.in_proj_{w}"] = torch.cat([hf_sd[f"{h}self_attn.{p}_proj.{w}"] for p in "qkv"])
    oc["attn_mask"] = torch.full((77, 77), float("-inf")).triu(1)  # OpenCLIP keeps its causal mask in old files
    return {k: v.contiguous() for k, v in oc.items()}


def build_tiny_clip(root: Path, seed: int = 0, hidden: int = HIDDEN, dim: int = DIM, image: int = IMAGE) -> dict:
    """root/hf (Hugging Face folder), root/openclip/open_clip_model.safetensors, root/tokenizer.json."""
    import torch
    from safetensors.torch import save_file
    from transformers import CLIPModel

    root.mkdir(parents=True, exist_ok=True)
    hf_dir, oc_dir = root / "hf", root / "openclip"
    hf_dir.mkdir(exist_ok=True)
    oc_dir.mkdir(exist_ok=True)
    tok = build_tokenizer(hf_dir / "tokenizer.json")
    tok.save(str(root / "tokenizer.json"))
    cfg = tiny_config(tok.get_vocab_size(), tok.token_to_id("<|endoftext|>"), tok.token_to_id("<|startoftext|>"),
                      hidden=hidden, dim=dim, image=image)
    torch.manual_seed(seed)
    model = CLIPModel(cfg).eval()
    model.save_pretrained(str(hf_dir))
    sd = {k: v.detach().clone() for k, v in model.state_dict().items()}
    save_file(to_openclip(sd), str(oc_dir / "open_clip_model.safetensors"))
    # what OpenCLIP writes beside its weights on the Hugging Face hub: the one fact the shapes do not tell
    (oc_dir / "open_clip_config.json").write_text(json.dumps({"model_cfg": {"quick_gelu": True, "embed_dim": dim}}))
    return {"hf": hf_dir, "openclip": oc_dir / "open_clip_model.safetensors", "tokenizer": root / "tokenizer.json",
            "model": model, "tokenizer_obj": tok}


# ----------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> dict:
    return build_tiny_clip(tmp_path_factory.mktemp("tiny_clip"))


def mmwb(*args, env_extra=None, timeout=600):
    env = dict(os.environ, **(env_extra or {}))
    return subprocess.run([sys.executable, "-m", "app.launcher", *args], cwd=REPO, env=env, capture_output=True,
                          text=True, timeout=timeout)


def import_clip(argv):
    from training.video.clip_import import main
    return main([str(a) for a in argv])


def check_manifest(out: Path, name: str) -> dict:
    """The manifest as the registry expects it: its files beside it with their sha256, not the default."""
    from inference.runtime.manifest import sha256_of
    man = json.loads((out / f"{name}.json").read_text())
    assert man["task"] == "video-text-retrieval" and man["default"] is False
    assert man["trained_by"].startswith("mmwb models import-clip ")
    for part in ("text", "video"):
        comp = man["components"][part]
        assert comp["sha256"] == sha256_of(out / comp["file"])
    assert (out / man["assets"]["tokenizer"]).is_file()
    diff = man["training"]["onnx_max_abs_diff_vs_torch"]
    assert 0 <= diff["text"] <= 1e-4 and 0 <= diff["video"] <= 1e-4
    pre = man["preprocessing"]
    assert pre["size"] == IMAGE and pre["max_tokens"] == 77 and pre["pad_token"] == "<|endoftext|>"
    assert man["components"]["video"]["inputs"][0]["shape"] == ["batch", pre["frames"], IMAGE, IMAGE, 3]
    assert man["metrics"]["binary"]["n"] > 0 and man["evaluated_by"].startswith("mmwb video eval")
    return man


# ----------------------------------------------------------------------------- loading
@torch.no_grad()
def test_openclip_state_dict_maps_onto_the_same_clip(tiny):
    """The OpenCLIP file (other key names, q/k/v stacked, projections transposed) loads as the same CLIP: its
    frame and caption embeddings equal the Hugging Face folder's."""
    import torch

    from training.video.clip_head import CaptionEncoder, FrameEncoder
    from training.video.clip_load import load_checkpoint
    hf, tok, info = load_checkpoint(tiny["hf"])
    oc, tok2, info2 = load_checkpoint(tiny["openclip"], tokenizer=tiny["tokenizer"])
    assert info["layout"] == "huggingface" and info2["layout"] == "openclip"
    assert info2["activation"] == "quick_gelu" and info2["heads"] == {"vision": 2, "text": 2}
    assert oc.config.vision_config.image_size == IMAGE and oc.config.projection_dim == DIM
    frames = torch.rand(5, IMAGE, IMAGE, 3) * 255
    a = FrameEncoder(hf, info["mean"], info["std"])(frames)
    b = FrameEncoder(oc, info2["mean"], info2["std"])(frames)
    assert float((a - b).abs().max()) < 1e-5
    caps = ["a red circle moving left", "the blue square grows", "a door opening slowly on a green wall"]
    tok.enable_padding(pad_id=tok.padding["pad_id"], pad_token=tok.padding["pad_token"])
    enc = tok.encode_batch(caps)
    ids = torch.tensor([e.ids for e in enc])
    mask = torch.tensor([e.attention_mask for e in enc])
    assert mask.min() == 0  # padded: the end-of-text token, not the last position, is where CLIP pools
    ta, tb = CaptionEncoder(hf)(ids, mask), CaptionEncoder(oc)(ids, mask)
    assert float((ta - tb).abs().max()) < 1e-5
    # the activation is a fact the shapes do not tell: the wrong one gives another model
    oc_gelu, _, _ = load_checkpoint(tiny["openclip"], tokenizer=tiny["tokenizer"], activation="gelu")
    assert float((CaptionEncoder(oc_gelu)(ids, mask) - ta).abs().max()) > 1e-4


def test_the_tokenizer_pads_with_its_own_end_token(tiny, tmp_path):
    from inference.video.text import load_tokenizer, tokenize
    from training.video.clip_load import load_clip_tokenizer
    tok = load_clip_tokenizer(tiny["tokenizer"])
    tok.save(str(tmp_path / "t.json"))
    ids, mask = tokenize(load_tokenizer(str(tmp_path / "t.json"), 77), ["a red circle", "a red circle moving to the left"])
    eos = tok.token_to_id("<|endoftext|>")
    assert ids[0, -1] == eos and mask[0, -1] == 0 and ids[1, int(mask[1].sum()) - 1] == eos
    long_ids, _ = tokenize(load_tokenizer(str(tmp_path / "t.json"), 77), ["circle " * 200])
    assert long_ids.shape[1] == 77 and long_ids[0, -1] == eos  # truncated to CLIP's context, still ended
    shipped = REPO / "resources" / "models" / "video-tokenizer.json"
    if shipped.exists():  # the shipped models still pad with BERT's [PAD] (id 0) at their 32 tokens
        ids, mask = tokenize(load_tokenizer(str(shipped), 32), ["a", "a red circle moving to the left"])
        assert ids[0, -1] == 0 and mask[0, -1] == 0


def write_resnet(path: Path) -> None:
    from safetensors.torch import save_file
    save_file({"visual.conv1.weight": torch.zeros(8, 3, 3, 3), "visual.layer1.0.conv1.weight": torch.zeros(8, 8, 1, 1),
               "visual.attnpool.positional_embedding": torch.zeros(5, 8), "token_embedding.weight": torch.zeros(10, 8)},
              str(path))


def test_bad_inputs_give_one_error_line(tiny, tmp_path, capsys):
    bert = tmp_path / "bert"
    bert.mkdir()
    (bert / "config.json").write_text(json.dumps({"model_type": "bert"}))
    no_tok = tmp_path / "no_tok"
    shutil.copytree(tiny["hf"], no_tok)
    (no_tok / "tokenizer.json").unlink()
    lone = tmp_path / "lone"
    lone.mkdir()
    shutil.copy(tiny["openclip"], lone / "model.safetensors")
    write_resnet(tmp_path / "rn50.safetensors")
    (tmp_path / "notes.txt").write_text("hello")
    (tmp_path / "junk.pt").write_bytes(b"\x00garbage" * 100)
    cases = {tmp_path / "nowhere": "does not exist",
             bert: "not a CLIP checkpoint",
             no_tok: "no tokenizer",
             lone / "model.safetensors": "--tokenizer",
             tmp_path / "rn50.safetensors": "ResNet",
             tmp_path / "notes.txt": "not a checkpoint",
             tmp_path / "junk.pt": "cannot be read"}
    for path, words in cases.items():
        assert import_clip([path, "--out", tmp_path / "models", "--data", tmp_path / "data"]) == 2, path
        err = capsys.readouterr().err.strip().splitlines()
        assert len(err) == 1 and err[0].startswith("error: ") and words in err[0], (path, err)
    assert not (tmp_path / "models").exists() and not (tmp_path / "data").exists()  # nothing written


def test_the_command_needs_the_training_extra(tiny, monkeypatch, capsys):
    import importlib.util

    from inference.cli import main
    assert main(["models", "import-clip", str(Path(tiny["hf"]) / "nowhere")]) == 2
    assert "does not exist" in capsys.readouterr().err
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "transformers" else real(name, *a))
    assert main(["models", "import-clip", str(tiny["hf"])]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "transformers" in err[0] and "pip install -e '.[train]'" in err[0]


def test_the_command_keeps_the_importers_exit_status(tmp_path):
    write_resnet(tmp_path / "rn50.safetensors")
    r = mmwb("models", "import-clip", str(tmp_path / "rn50.safetensors"), "--out", str(tmp_path / "m"))
    assert r.returncode == 2, r.stderr
    assert "Traceback" not in r.stderr and r.stderr.strip().splitlines()[-1].startswith("error: ")
    assert "ResNet" in r.stderr


# ----------------------------------------------------------------------------- importing
def test_import_openclip_layout_smoke(tiny, tmp_path, capsys):
    """The OpenCLIP state dict + --tokenizer, smoke-sized: ONNX files + manifest that the registry loads the way
    `mmwb doctor` does, and that the shipped evaluator measured."""
    from inference.runtime.registry import Registry
    out = tmp_path / "models"
    assert import_clip([tiny["openclip"], "--tokenizer", tiny["tokenizer"], "--smoke", "--no-calibrate", "--width", 32,
                        "--threads", 1, "--name", "tiny-oc", "--out", out, "--data", tmp_path / "data"]) == 0
    assert "imported 'tiny-oc'" in capsys.readouterr().out
    man = check_manifest(out, "tiny-oc")
    assert man["training"]["source"]["layout"] == "openclip" and "calibration" not in man
    rows = {r["name"]: r for r in Registry(dirs=[(out, "user")]).check_all()}
    assert rows["tiny-oc"]["ok"], rows["tiny-oc"]["error"]


@pytest.mark.slow
def test_import_hf_layout_end_to_end(tiny, tmp_path):
    """`mmwb models import-clip` on the Hugging Face folder, then the normal inference code on the result:
    doctor, models list, index + search, eval — and the temporal head learned direction: on held-out clips
    (captioned from the training phrasings: a random text tower knows no unseen words) RTime-Binary is clearly
    above chance (an order-blind model scores exactly 50%)."""
    from inference.video.synth import generate
    models, data = tmp_path / "models", tmp_path / "data"
    env = {"MMWB_USER_MODELS": str(models)}
    r = mmwb("models", "import-clip", str(tiny["hf"]), "--name", "tiny-hf", "--out", str(models), "--data", str(data),
             "--n-train", "1120", "--n-test", "112", "--steps", "1500", "--batch", "32", "--lr", "2e-3",
             "--width", "64", "--threads", "1", env_extra=env)
    assert r.returncode == 0, r.stdout[-2000:] + r.stderr[-2000:]
    assert "ONNX vs torch max |difference|" in r.stdout and "Traceback" not in r.stderr
    man = check_manifest(models, "tiny-hf")
    assert man["training"]["source"]["layout"] == "huggingface" and man["training"]["steps_run"] == 1500
    assert man["calibration"]["weak"] <= man["calibration"]["strong"]
    assert man["calibrated_by"].startswith("mmwb video calibrate")

    doc = json.loads(mmwb("doctor", "--json", env_extra=env).stdout)
    row = next(m for m in doc["models"] if m["name"] == "tiny-hf")
    assert row["ok"], row["error"]
    listed = json.loads(mmwb("models", "list", "--json", env_extra=env).stdout)["models"]
    assert any(m["name"] == "tiny-hf" and m["source"] == "user" and not m["default"] for m in listed)

    held = tmp_path / "held_out"
    generate(held, n=224, seed=55, split="train")  # clips no import saw, captions from the training phrasings
    lib = tmp_path / "library"
    lib.mkdir()
    for clip in sorted(held.glob("*.mp4"))[:6]:
        shutil.copy(clip, lib / clip.name)
    db = tmp_path / "lib.sqlite"
    r = mmwb("video", "index", str(lib), "--db", str(db), "--model", "tiny-hf", "--quiet", "--json", env_extra=env)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["stats"]["model"] == "tiny-hf"
    r = mmwb("video", "search", "a red circle moving to the left", "--db", str(db), "-k", "3", "--json", env_extra=env)
    hits = json.loads(r.stdout)["hits"]
    assert r.returncode == 0 and len(hits) == 3 and all(h["model"] == "tiny-hf" for h in hits)
    assert all(h["match"] in ("strong", "weak", "none") for h in hits)  # judged by the stored calibration

    r = mmwb("video", "eval", "--annotations", str(held / "train.json"), "--videos", str(held), "--model", "tiny-hf",
             "--json", "--quiet", env_extra=env)
    assert r.returncode == 0, r.stderr
    b = json.loads(r.stdout)["binary"]
    assert b["n"] == 224 and b["ties_t2v"] == 0
    assert (b["t2v_acc"] + b["v2t_acc"]) / 2 >= 0.6, b  # measured 0.66 / 0.66; chance's 99.9% bound is 0.60
