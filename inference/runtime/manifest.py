"""Model manifests: one JSON file per model, beside its .onnx file(s).

A single-file manifest::

    {"name": "cad-text", "task": "cad-text-to-sequence", "file": "cad-text.onnx",
     "sha256": "…", "inputs": [{"name": "tokens", "shape": ["batch", 64], "dtype": "int64"}],
     "outputs": [...], "preprocessing": {...}, "metrics": {...},
     "trained_by": "python -m training.cad.train …", "evaluated_by": "mmwb cad eval …"}

A model made of several graphs (e.g. a dual encoder) lists them under ``components``::

    {"name": "video-temporal", "task": "video-text-retrieval",
     "components": {"text": {"file": …, "sha256": …, "inputs": …, "outputs": …},
                    "video": {…}}, …}

``assets`` names extra files (a tokenizer, a vocabulary) relative to the manifest.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ModelError

DTYPES = {"float32", "float16", "float64", "int64", "int32", "int8", "uint8", "bool"}
MAIN = "main"


@dataclass
class TensorSpec:
    name: str
    shape: list  # ints for fixed dims, strings (or null) for dynamic ones
    dtype: str

    @classmethod
    def parse(cls, d: Any, where: str) -> "TensorSpec":
        if not isinstance(d, dict) or "name" not in d:
            raise ModelError(f"{where}: each input/output needs a 'name'", "fix the manifest")
        dtype = str(d.get("dtype", "float32"))
        if dtype not in DTYPES:
            raise ModelError(f"{where}: unknown dtype '{dtype}' for '{d['name']}'",
                             f"use one of {sorted(DTYPES)}")
        shape = d.get("shape", [])
        if not isinstance(shape, list):
            raise ModelError(f"{where}: shape of '{d['name']}' must be a list", "fix the manifest")
        return cls(str(d["name"]), shape, dtype)

    def to_dict(self) -> dict:
        return {"name": self.name, "shape": self.shape, "dtype": self.dtype}


@dataclass
class Component:
    file: Path
    sha256: str | None
    inputs: list[TensorSpec]
    outputs: list[TensorSpec]


@dataclass
class ModelManifest:
    name: str
    task: str
    path: Path  # the manifest file
    components: dict[str, Component]
    description: str = ""
    preprocessing: dict = field(default_factory=dict)
    metrics: dict = field(default_factory=dict)
    trained_by: str = ""
    evaluated_by: str = ""
    assets: dict[str, Path] = field(default_factory=dict)
    default: bool = False
    source: str = "shipped"  # or "user"
    raw: dict = field(default_factory=dict)

    def component(self, name: str | None = None) -> Component:
        if name is None:
            if len(self.components) == 1:
                return next(iter(self.components.values()))
            raise ModelError(f"model '{self.name}' has several parts ({', '.join(self.components)})",
                             "name the part to load")
        if name not in self.components:
            raise ModelError(f"model '{self.name}' has no part '{name}'",
                             f"its parts are: {', '.join(self.components)}")
        return self.components[name]

    def asset(self, key: str) -> Path:
        if key not in self.assets:
            raise ModelError(f"model '{self.name}' declares no asset '{key}'", "fix the manifest")
        p = self.assets[key]
        if not p.exists():
            raise ModelError(f"model '{self.name}': asset file {p.name} is missing",
                             f"put it beside {self.path.name} or reinstall the model")
        return p

    def summary(self) -> dict:
        return {
            "name": self.name, "task": self.task, "source": self.source,
            "manifest": str(self.path), "default": self.default,
            "files": {k: c.file.name for k, c in self.components.items()},
            "metrics": self.metrics,
        }


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(chunk), b""):
            h.update(block)
    return h.hexdigest()


def _component(d: dict, base: Path, where: str) -> Component:
    if "file" not in d:
        raise ModelError(f"{where}: no 'file' given", "name the .onnx file in the manifest")
    return Component(
        file=(base / d["file"]).resolve(),
        sha256=d.get("sha256"),
        inputs=[TensorSpec.parse(x, where) for x in d.get("inputs", [])],
        outputs=[TensorSpec.parse(x, where) for x in d.get("outputs", [])],
    )


def load_manifest(path: Path, source: str = "shipped") -> ModelManifest:
    """Parse a manifest; raises ModelError with a one-line reason when it is unusable."""
    path = Path(path)
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as e:
        raise ModelError(f"manifest {path.name} is not valid JSON (line {e.lineno}: {e.msg})",
                         "fix or remove the file") from None
    except OSError as e:
        raise ModelError(f"manifest {path.name} cannot be read ({e.strerror})", "check its permissions") from None
    if not isinstance(raw, dict):
        raise ModelError(f"manifest {path.name} must hold a JSON object", "fix or remove the file")
    for key in ("name", "task"):
        if not raw.get(key):
            raise ModelError(f"manifest {path.name} has no '{key}'", "add it to the manifest")
    where = f"manifest {path.name}"
    base = path.parent
    if "components" in raw:
        comps = raw["components"]
        if not isinstance(comps, dict) or not comps:
            raise ModelError(f"{where}: 'components' must be a non-empty object", "fix the manifest")
        components = {k: _component(v, base, f"{where} [{k}]") for k, v in comps.items()}
    else:
        components = {MAIN: _component(raw, base, where)}
    assets = {k: (base / v).resolve() for k, v in (raw.get("assets") or {}).items()}
    return ModelManifest(
        name=str(raw["name"]), task=str(raw["task"]), path=path, components=components,
        description=str(raw.get("description", "")), preprocessing=dict(raw.get("preprocessing") or {}),
        metrics=dict(raw.get("metrics") or {}), trained_by=str(raw.get("trained_by", "")),
        evaluated_by=str(raw.get("evaluated_by", "")), assets=assets,
        default=bool(raw.get("default", False)), source=source, raw=raw,
    )


def write_manifest(path: Path, data: dict, compute_hashes: bool = True) -> dict:
    """Write a manifest, filling in sha256 of each referenced .onnx file (used by training/export)."""
    path = Path(path)
    data = json.loads(json.dumps(data))
    if compute_hashes:
        parts = data["components"].values() if "components" in data else [data]
        for part in parts:
            f = path.parent / part["file"]
            if f.exists():
                part["sha256"] = sha256_of(f)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    return data
