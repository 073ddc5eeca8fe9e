"""Load a CLIP checkpoint a user already has on disk, as a Hugging Face `CLIPModel` plus its tokenizer.

Two layouts:

- Hugging Face: a folder with ``config.json`` (``model_type: clip``), the weights (``model.safetensors`` or
  ``pytorch_model.bin``) and the tokenizer (``tokenizer.json``, or ``vocab.json`` + ``merges.txt``).
- OpenCLIP: one state-dict file (``.pt``/``.pth``/``.bin``/``.safetensors``, or OpenAI's original TorchScript
  ``.pt``) with OpenCLIP's key names (``visual.conv1.weight``, ``visual.transformer.resblocks.N.…``,
  ``transformer.resblocks.N.…``, ``token_embedding.weight``, ``positional_embedding``, ``text_projection``,
  ``visual.proj``, ``ln_final.…``). The sizes are read from the tensors' shapes; the two things the shapes do
  not tell (attention heads, GELU or QuickGELU) come from an ``open_clip_config.json`` beside the file, else
  from flags, else from OpenCLIP's defaults (64-wide heads; QuickGELU for OpenAI's weights). The tokenizer
  comes from ``--tokenizer`` (a ``tokenizer.json`` or a Hugging Face tokenizer folder). ViT towers only.

Every failure is a `CheckpointError` with a one-line message (the command prints it and exits 2).
"""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import torch

WEIGHT_SUFFIXES = (".pt", ".pth", ".bin", ".safetensors")
CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073]
CLIP_STD = [0.26862954, 0.26130258, 0.27577711]
IGNORED_KEYS = {"logit_scale", "logit_bias", "attn_mask", "input_resolution", "context_length", "vocab_size"}
# OpenCLIP models whose heads are not 64 wide (vision width -> heads): ViT-H/14, ViT-g/14, ViT-bigG/14
WIDE_HEADS = {1280: 16, 1408: 16, 1664: 16}


class CheckpointError(Exception):
    """A checkpoint (or its tokenizer) that cannot be imported; the message is one line for the user."""


def load_checkpoint(path, tokenizer=None, vision_heads: int = 0, text_heads: int = 0, activation: str = "auto"):
    """(model, tokenizer, info): an eval-mode `CLIPModel` (eager attention, exportable), a `tokenizers.Tokenizer`
    that pads and ends every text as the model expects, and {"layout", "source", "mean", "std", …}."""
    p = Path(path).expanduser()
    if not p.exists():
        raise CheckpointError(f"{p} does not exist")
    if p.is_dir() and (p / "config.json").is_file():
        model, info = _load_hf(p)
        tok = load_clip_tokenizer(Path(tokenizer) if tokenizer else p)
    else:
        f = _weights_file(p)
        sd = read_state_dict(f)
        check_openclip(sd)
        cfg_file = f.parent / "open_clip_config.json"
        oc = json.loads(cfg_file.read_text()).get("model_cfg", {}) if cfg_file.is_file() else {}
        tok_src = Path(tokenizer) if tokenizer else _tokenizer_beside(f)
        if tok_src is None:
            raise CheckpointError(f"{f.name} is an OpenCLIP state dict, which holds no tokenizer: give one with "
                                  "--tokenizer PATH (a tokenizer.json or a Hugging Face tokenizer folder)")
        tok = load_clip_tokenizer(tok_src)
        model, info = openclip_to_hf(sd, eos_id=end_token(tok)[1], vision_heads=vision_heads,
                                     text_heads=text_heads, activation=_activation(activation, oc, f))
        info["source"] = str(f)
    info["eos_id"] = end_token(tok)[1]
    vocab = model.config.text_config.vocab_size
    if tok.get_vocab_size() > vocab:
        raise CheckpointError(f"the tokenizer knows {tok.get_vocab_size()} tokens but the text tower only "
                              f"{vocab}: they do not belong together")
    return model.eval(), tok, info


# ----------------------------------------------------------------------------- Hugging Face layout
def _load_hf(folder: Path):
    from transformers import CLIPModel
    try:
        cfg = json.loads((folder / "config.json").read_text())
    except (OSError, ValueError) as e:
        raise CheckpointError(f"{folder / 'config.json'} cannot be read ({e})") from None
    if cfg.get("model_type") != "clip":
        raise CheckpointError(f"{folder.name} is not a CLIP checkpoint (its config.json says model_type "
                              f"'{cfg.get('model_type')}'; only 'clip' with ViT towers can be imported)")
    try:
        model = CLIPModel.from_pretrained(str(folder), attn_implementation="eager")
    except Exception as e:  # noqa: BLE001 - transformers raises many kinds; one line for the user
        raise CheckpointError(f"{folder.name}: the CLIP weights cannot be loaded ({_first_line(e)})") from None
    mean, std = CLIP_MEAN, CLIP_STD
    pre = folder / "preprocessor_config.json"
    if pre.is_file():
        try:
            pc = json.loads(pre.read_text())
            mean, std = list(pc.get("image_mean", mean)), list(pc.get("image_std", std))
        except ValueError:
            pass
    return model, {"layout": "huggingface", "source": str(folder), "mean": mean, "std": std,
                   "activation": model.config.vision_config.hidden_act}


# ----------------------------------------------------------------------------- OpenCLIP layout
def _weights_file(p: Path) -> Path:
    if p.is_file():
        if p.suffix.lower() not in WEIGHT_SUFFIXES:
            raise CheckpointError(f"{p.name} is not a checkpoint (expected a Hugging Face folder with config.json, "
                                  f"or an OpenCLIP state dict: {', '.join(WEIGHT_SUFFIXES)})")
        return p
    cands = sorted(f for f in p.iterdir() if f.suffix.lower() in WEIGHT_SUFFIXES and "open_clip" in f.name) \
        or sorted(f for f in p.iterdir() if f.suffix.lower() in WEIGHT_SUFFIXES)
    if len(cands) != 1:
        raise CheckpointError(f"{p} is neither a Hugging Face CLIP folder (no config.json) nor holds exactly one "
                              f"OpenCLIP weights file (found {len(cands)}): name the file")
    return cands[0]


def _tokenizer_beside(f: Path):
    for c in (f.parent / "tokenizer.json", f.parent / "vocab.json"):
        if c.is_file():
            return f.parent
    return None


def read_state_dict(f: Path) -> dict:
    """The tensors of a .safetensors, a pickled state dict, or a TorchScript archive (OpenAI's own files)."""
    try:
        if f.suffix.lower() == ".safetensors":
            from safetensors.torch import load_file
            sd = load_file(str(f))
        elif zipfile.is_zipfile(f) and any(n.endswith("constants.pkl") for n in zipfile.ZipFile(f).namelist()):
            sd = torch.jit.load(str(f), map_location="cpu").state_dict()
        else:
            sd = torch.load(str(f), map_location="cpu", weights_only=True)
    except Exception as e:  # noqa: BLE001
        raise CheckpointError(f"{f.name} cannot be read as a checkpoint ({_first_line(e)})") from None
    if isinstance(sd, dict) and isinstance(sd.get("state_dict"), dict):
        sd = sd["state_dict"]
    if not isinstance(sd, dict) or not sd or not all(isinstance(v, torch.Tensor) for v in sd.values()):
        raise CheckpointError(f"{f.name} holds no state dict of tensors")
    return {re.sub(r"^(module\.)", "", k): v for k, v in sd.items()}


def _activation(choice: str, oc: dict, f: Path) -> str:
    if choice != "auto":
        return choice
    if "quick_gelu" in oc:
        return "quick_gelu" if oc["quick_gelu"] else "gelu"
    name = f.name.lower()
    return "quick_gelu" if ("openai" in name or "quickgelu" in name or zipfile.is_zipfile(f)
                            and f.suffix == ".pt" and "laion" not in name) else "gelu"


def _layers(sd: dict, prefix: str) -> int:
    ids = {int(m.group(1)) for k in sd for m in [re.match(re.escape(prefix) + r"(\d+)\.", k)] if m}
    return max(ids) + 1 if ids else 0


def check_openclip(sd: dict) -> list:
    """Refuse what is not a plain OpenCLIP ViT state dict (before anything else is asked for); returns the
    required keys."""
    if any(k.startswith(("visual.layer1.", "visual.attnpool.")) for k in sd):
        raise CheckpointError("this is a ResNet CLIP (modified ResNet image tower): only ViT towers can be imported")
    if any(k.startswith(("visual.trunk.", "text.")) for k in sd):
        raise CheckpointError("this OpenCLIP model has a timm or Hugging Face tower inside, not CLIP's own ViT and "
                              "text transformer: it cannot be imported")
    need = ["visual.conv1.weight", "visual.class_embedding", "visual.positional_embedding", "visual.proj",
            "token_embedding.weight", "positional_embedding", "text_projection", "ln_final.weight"]
    missing = [k for k in need if k not in sd]
    if missing:
        raise CheckpointError(f"not a CLIP checkpoint in OpenCLIP layout (no {', '.join(missing[:3])})")
    return need


def openclip_to_hf(sd: dict, eos_id: int, vision_heads: int = 0, text_heads: int = 0, activation: str = "gelu"):
    """An OpenCLIP ViT state dict as a Hugging Face CLIPModel (sizes from the tensors' shapes)."""
    from transformers import CLIPConfig, CLIPModel
    need = check_openclip(sd)
    v_width, _, patch, _ = sd["visual.conv1.weight"].shape
    grid = int(round((sd["visual.positional_embedding"].shape[0] - 1) ** 0.5))
    t_width = sd["token_embedding.weight"].shape[1]
    embed = sd["visual.proj"].shape[1]
    if sd["text_projection"].shape[1] != embed:
        raise CheckpointError("the image and text projections have different widths: not a CLIP checkpoint")
    v_layers, t_layers = _layers(sd, "visual.transformer.resblocks."), _layers(sd, "transformer.resblocks.")
    vh = vision_heads or WIDE_HEADS.get(v_width, max(1, v_width // 64))
    th = text_heads or max(1, t_width // 64)
    for what, width, heads in (("image", v_width, vh), ("text", t_width, th)):
        if width % heads:
            raise CheckpointError(f"the {what} tower is {width} wide, which {heads} heads do not divide: "
                                  f"give --{'vision' if what == 'image' else 'text'}-heads")
    cfg = CLIPConfig(
        text_config=dict(vocab_size=sd["token_embedding.weight"].shape[0], hidden_size=t_width,
                         intermediate_size=sd["transformer.resblocks.0.mlp.c_fc.weight"].shape[0],
                         num_hidden_layers=t_layers, num_attention_heads=th,
                         max_position_embeddings=sd["positional_embedding"].shape[0], hidden_act=activation,
                         eos_token_id=eos_id, bos_token_id=0, pad_token_id=0),
        vision_config=dict(hidden_size=v_width, image_size=grid * patch, patch_size=patch,
                           intermediate_size=sd["visual.transformer.resblocks.0.mlp.c_fc.weight"].shape[0],
                           num_hidden_layers=v_layers, num_attention_heads=vh, hidden_act=activation),
        projection_dim=embed)
    hf = {"text_projection.weight": sd["text_projection"].T, "visual_projection.weight": sd["visual.proj"].T,
          "text_model.embeddings.token_embedding.weight": sd["token_embedding.weight"],
          "text_model.embeddings.position_embedding.weight": sd["positional_embedding"],
          "text_model.final_layer_norm.weight": sd["ln_final.weight"],
          "text_model.final_layer_norm.bias": sd["ln_final.bias"],
          "vision_model.embeddings.class_embedding": sd["visual.class_embedding"],
          "vision_model.embeddings.patch_embedding.weight": sd["visual.conv1.weight"],
          "vision_model.embeddings.position_embedding.weight": sd["visual.positional_embedding"],
          "vision_model.pre_layrnorm.weight": sd["visual.ln_pre.weight"],
          "vision_model.pre_layrnorm.bias": sd["visual.ln_pre.bias"],
          "vision_model.post_layernorm.weight": sd["visual.ln_post.weight"],
          "vision_model.post_layernorm.bias": sd["visual.ln_post.bias"]}
    if "logit_scale" in sd:
        hf["logit_scale"] = sd["logit_scale"].reshape(())
    used = set(need) | {"ln_final.bias", "visual.ln_pre.weight", "visual.ln_pre.bias", "visual.ln_post.weight",
                        "visual.ln_post.bias"}
    for src, dst, n in (("visual.transformer.resblocks.", "vision_model.encoder.layers.", v_layers),
                        ("transformer.resblocks.", "text_model.encoder.layers.", t_layers)):
        for i in range(n):
            s, d = f"{src}{i}.", f"{dst}{i}."
            names = {"ln_1": "layer_norm1", "ln_2": "layer_norm2", "attn.out_proj": "self_attn.out_proj",
                     "mlp.c_fc": "mlp.fc1", "mlp.c_proj": "mlp.fc2"}
            for a, b in names.items():
                for w in ("weight", "bias"):
                    hf[f"{d}{b}.{w}"] = sd[f"{s}{a}.{w}"]
                    used.add(f"{s}{a}.{w}")
            for w in ("weight", "bias"):
                q, k, v = sd[f"{s}attn.in_proj_{w}"].chunk(3, dim=0)
                hf[f"{d}self_attn.q_proj.{w}"], hf[f"{d}self_attn.k_proj.{w}"], hf[f"{d}self_attn.v_proj.{w}"] = q, k, v
                used.add(f"{s}attn.in_proj_{w}")
    left = sorted(k for k in sd if k not in used and k not in IGNORED_KEYS)
    if left:
        raise CheckpointError(f"the checkpoint has weights this importer does not know ({', '.join(left[:3])}"
                              f"{', …' if len(left) > 3 else ''}): not a plain CLIP ViT")
    model = CLIPModel._from_config(cfg, attn_implementation="eager")
    res = model.load_state_dict({k: v.float().contiguous() for k, v in hf.items()}, strict=False)
    missing = [k for k in res.missing_keys if not k.endswith("position_ids")]
    if missing or res.unexpected_keys:
        raise CheckpointError(f"the OpenCLIP weights do not fill the model (missing {missing[:3]}, "
                              f"unexpected {res.unexpected_keys[:3]})")
    return model, {"layout": "openclip", "mean": CLIP_MEAN, "std": CLIP_STD, "activation": activation,
                   "heads": {"vision": vh, "text": th}}


# ----------------------------------------------------------------------------- tokenizer
def load_clip_tokenizer(src: Path):
    """A `tokenizers.Tokenizer` from a tokenizer.json or a Hugging Face tokenizer folder, set to pad with its own
    pad token (else its end-of-text token) and saved that way with the model."""
    from tokenizers import Tokenizer
    src = Path(src).expanduser()
    file = src if src.is_file() else src / "tokenizer.json"
    if file.is_file():
        try:
            tok = Tokenizer.from_file(str(file))
        except Exception as e:  # noqa: BLE001
            raise CheckpointError(f"{file.name} is not a tokenizer file ({_first_line(e)})") from None
    elif src.is_dir() and (src / "vocab.json").is_file() and (src / "merges.txt").is_file():
        try:
            from transformers import AutoTokenizer
            tok = AutoTokenizer.from_pretrained(str(src), use_fast=True).backend_tokenizer
        except Exception as e:  # noqa: BLE001
            raise CheckpointError(f"the tokenizer in {src.name} cannot be loaded ({_first_line(e)})") from None
    else:
        raise CheckpointError(f"no tokenizer in {src} (expected tokenizer.json, or vocab.json + merges.txt): "
                              "give one with --tokenizer PATH")
    eos_tok, eos_id = end_token(tok)
    pad_tok, pad_id = eos_tok, eos_id
    if tok.padding:
        pad_tok, pad_id = tok.padding["pad_token"], tok.padding["pad_id"]
    else:
        named = _special_token(src if src.is_dir() else src.parent, "pad_token")
        if named is not None and tok.token_to_id(named) is not None:
            pad_tok, pad_id = named, tok.token_to_id(named)
    tok.no_truncation()
    tok.enable_padding(pad_id=pad_id, pad_token=pad_tok)
    return tok


def end_token(tok) -> tuple[str, int]:
    """The end-of-text token the tokenizer appends (CLIP's text tower pools there)."""
    ids = tok.encode("a").ids
    short = tok.encode("a", add_special_tokens=False).ids
    if len(ids) <= len(short):
        raise CheckpointError("the tokenizer adds no start/end-of-text tokens, so it is not a CLIP tokenizer "
                              "(CLIP's text tower reads its end-of-text token)")
    return tok.id_to_token(ids[-1]), ids[-1]


def _special_token(folder: Path, key: str):
    for name in ("special_tokens_map.json", "tokenizer_config.json"):
        f = folder / name
        if f.is_file():
            try:
                v = json.loads(f.read_text()).get(key)
            except ValueError:
                continue
            if isinstance(v, dict):
                v = v.get("content")
            if isinstance(v, str):
                return v
    return None


def _first_line(e: Exception) -> str:
    s = str(e).strip().splitlines()
    return (s[0] if s else type(e).__name__)[:200]
