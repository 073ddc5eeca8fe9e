"""The model registry: finds manifests, loads and validates ONNX sessions, caches them.

Shipped models live in `resources/models/`; a user adds one by dropping a manifest + `.onnx` into
`user_models_dir()` (a user model with the same name as a shipped one replaces it).
"""
from __future__ import annotations

import json
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import numpy as np

from .cancel import CancelToken
from .errors import Cancelled, ModelError, ModelNotFound
from .manifest import MAIN, Component, ModelManifest, TensorSpec, load_manifest, sha256_of
from .paths import shipped_models_dir, user_models_dir
from .providers import CPU, choose_providers, import_ort
from .settings import RuntimeSettings

log = logging.getLogger(__name__)

_ORT_TYPES = {
    "tensor(float)": "float32", "tensor(float16)": "float16", "tensor(double)": "float64",
    "tensor(int64)": "int64", "tensor(int32)": "int32", "tensor(int8)": "int8",
    "tensor(uint8)": "uint8", "tensor(bool)": "bool",
}


@dataclass
class BrokenManifest:
    """A manifest that could not be parsed; listed so the user sees why a model is missing."""
    path: Path
    error: str
    source: str

    @property
    def name(self) -> str:
        return self.path.stem


MANIFEST_KEYS = {"name", "task", "file", "components"}


def _looks_like_manifest(path: Path) -> bool:
    """A JSON object with at least one manifest key (unparseable files count, so their error is shown)."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return True
    return not isinstance(raw, dict) or bool(MANIFEST_KEYS & set(raw))


def _check_signature(kind: str, declared: list[TensorSpec], actual, where: str) -> None:
    got = {a.name: a for a in actual}
    want = {d.name: d for d in declared}
    if set(got) != set(want):
        raise ModelError(
            f"{where}: {kind}s are {sorted(got)} but the manifest declares {sorted(want)}",
            "the .onnx file does not match its manifest: re-export the model or fix the manifest")
    for name, spec in want.items():
        a = got[name]
        dtype = _ORT_TYPES.get(a.type, a.type)
        if dtype != spec.dtype:
            raise ModelError(f"{where}: {kind} '{name}' is {dtype} but the manifest says {spec.dtype}",
                             "re-export the model or fix the manifest")
        shape = list(a.shape)
        if spec.shape and len(shape) != len(spec.shape):
            raise ModelError(f"{where}: {kind} '{name}' has rank {len(shape)} but the manifest says {len(spec.shape)}",
                             "re-export the model or fix the manifest")
        for i, (s_act, s_decl) in enumerate(zip(shape, spec.shape)):
            if isinstance(s_decl, int) and isinstance(s_act, int) and s_act != s_decl:
                raise ModelError(f"{where}: {kind} '{name}' dim {i} is {s_act} but the manifest says {s_decl}",
                                 "re-export the model or fix the manifest")


class LoadedModel:
    """One validated onnxruntime session for one part of a model."""

    def __init__(self, manifest: ModelManifest, part: str, session, provider: str, provider_reason: str,
                 load_s: float):
        self.manifest = manifest
        self.part = part
        self.session = session
        self.provider = provider
        self.provider_reason = provider_reason
        self.load_s = load_s
        self.spec: Component = manifest.components[part]

    @property
    def name(self) -> str:
        return self.manifest.name if self.part == MAIN else f"{self.manifest.name}/{self.part}"

    def run(self, feeds: dict, cancel: CancelToken | None = None, outputs: Iterable[str] | None = None) -> dict:
        """Run the model; returns {output name: array}. Raises Cancelled if `cancel` fires mid-run."""
        ort = import_ort()
        want = {s.name: s for s in self.spec.inputs}
        missing = [n for n in want if n not in feeds]
        if missing:
            raise ModelError(f"{self.name}: missing input(s) {missing}", "this is a bug in the caller")
        arrays = {}
        for n, spec in want.items():
            arr = np.asarray(feeds[n])
            if str(arr.dtype) != spec.dtype:
                arr = arr.astype(spec.dtype)
            arrays[n] = arr
        names = list(outputs) if outputs else [o.name for o in self.spec.outputs]
        ro = ort.RunOptions()
        if cancel is not None:
            if cancel.is_cancelled():
                raise Cancelled()
            cancel.register(ro)
        try:
            res = self.session.run(names, arrays, ro)
        except Exception as e:
            if cancel is not None and cancel.is_cancelled():
                raise Cancelled() from None
            raise ModelError(f"{self.name}: inference failed: {str(e).splitlines()[0][:300]}",
                             "check that the input matches the model (see `mmwb models list`)") from e
        finally:
            if cancel is not None:
                cancel.unregister(ro)
        return dict(zip(names, res))


class Registry:
    def __init__(self, dirs: list[tuple[Path, str]] | None = None, settings: RuntimeSettings | None = None):
        self.dirs = dirs if dirs is not None else [(shipped_models_dir(), "shipped"), (user_models_dir(), "user")]
        self.settings = settings or RuntimeSettings.load()
        self._lock = threading.RLock()
        self._sessions: dict[tuple, LoadedModel] = {}
        self._manifests: dict[str, ModelManifest] | None = None
        self._broken: list[BrokenManifest] = []

    # ----- discovery -----
    def refresh(self) -> None:
        with self._lock:
            found: dict[str, ModelManifest] = {}
            broken: list[BrokenManifest] = []
            for d, source in self.dirs:
                if not Path(d).is_dir():
                    continue
                here: list[ModelManifest] = []
                failed: list[BrokenManifest] = []
                for p in sorted(Path(d).glob("*.json")):
                    if not _looks_like_manifest(p):
                        continue  # e.g. a tokenizer or vocabulary that a manifest uses as an asset
                    try:
                        here.append(load_manifest(p, source))
                    except ModelError as e:
                        failed.append(BrokenManifest(p, e.one_line(), source))
                assets = {a.resolve() for m in here for a in m.assets.values()}
                broken += [b for b in failed if b.path.resolve() not in assets]
                for m in here:
                    found[m.name] = m  # later dirs (user) override earlier (shipped)
            self._manifests, self._broken = found, broken
            self._sessions.clear()

    def manifests(self) -> list[ModelManifest]:
        if self._manifests is None:
            self.refresh()
        return sorted(self._manifests.values(), key=lambda m: (m.task, m.name))

    def broken(self) -> list[BrokenManifest]:
        if self._manifests is None:
            self.refresh()
        return list(self._broken)

    def names(self, task: str | None = None) -> list[str]:
        return [m.name for m in self.manifests() if task is None or m.task == task]

    def get(self, name: str) -> ModelManifest:
        if self._manifests is None:
            self.refresh()
        if name not in self._manifests:
            bad = [b for b in self._broken if b.name == name]
            if bad:
                raise ModelNotFound(f"model '{name}' is unusable: {bad[0].error}")
            known = ", ".join(sorted(self._manifests)) or "none"
            raise ModelNotFound(f"no model named '{name}'", f"known models: {known} (see `mmwb models list`)")
        return self._manifests[name]

    def default_for(self, task: str) -> ModelManifest:
        cands = [m for m in self.manifests() if m.task == task]
        if not cands:
            raise ModelNotFound(f"no model for task '{task}' is installed",
                                "reinstall the app or add a model to the user models folder")
        return next((m for m in cands if m.default), cands[0])

    # ----- sessions -----
    def session(self, name: str, part: str | None = None) -> LoadedModel:
        m = self.get(name)
        comp_name = part or (MAIN if MAIN in m.components else None)
        comp = m.component(comp_name)
        comp_name = comp_name or next(k for k, v in m.components.items() if v is comp)
        key = (name, comp_name, self.settings.provider, self.settings.threads)
        with self._lock:
            if key not in self._sessions:
                self._sessions[key] = self._load(m, comp_name)
            return self._sessions[key]

    def _load(self, m: ModelManifest, part: str) -> LoadedModel:
        comp = m.components[part]
        where = f"model '{m.name}'" + ("" if part == MAIN else f" part '{part}'")
        if not comp.file.exists():
            raise ModelError(f"{where}: file {comp.file.name} is missing",
                             f"put it beside {m.path.name} or reinstall the model")
        if comp.sha256:
            actual = sha256_of(comp.file)
            if actual != comp.sha256:
                raise ModelError(f"{where}: {comp.file.name} does not match the manifest's sha256",
                                 "the file is damaged or was replaced: reinstall or re-export it")
        ort = import_ort()
        providers, reason = choose_providers(self.settings.provider)
        so = ort.SessionOptions()
        if self.settings.threads:
            so.intra_op_num_threads = self.settings.threads
        so.log_severity_level = 3
        if not self.settings.spin:
            so.add_session_config_entry("session.intra_op.allow_spinning", "0")
        t0 = time.perf_counter()
        try:
            sess = ort.InferenceSession(str(comp.file), sess_options=so, providers=providers)
        except Exception as e:
            first = str(e).splitlines()[0] if str(e) else type(e).__name__
            if "protobuf" in first.lower() or "invalid" in first.lower() or "load model" in first.lower():
                msg = f"{where}: {comp.file.name} is not a valid ONNX model"
            else:
                msg = f"{where}: {comp.file.name} could not be loaded"
            raise ModelError(f"{msg} ({first[:160]})", "re-export it or reinstall the model") from None
        load_s = time.perf_counter() - t0
        _check_signature("input", comp.inputs, sess.get_inputs(), where)
        _check_signature("output", comp.outputs, sess.get_outputs(), where)
        used = sess.get_providers()[0] if sess.get_providers() else CPU
        log.info("loaded %s on %s in %.3fs", where, used, load_s)
        return LoadedModel(m, part, sess, used, reason, load_s)

    def check_all(self) -> list[dict]:
        """Load every model (every part) once; a report row per model for `mmwb doctor`."""
        rows = []
        for b in self.broken():
            rows.append({"name": b.name, "task": "?", "ok": False, "error": b.error, "load_s": None,
                         "source": b.source, "parts": {}})
        for m in self.manifests():
            row = {"name": m.name, "task": m.task, "ok": True, "error": None, "load_s": 0.0,
                   "source": m.source, "parts": {}}
            for part in m.components:
                try:
                    lm = self.session(m.name, part)
                except ModelError as e:
                    row.update(ok=False, error=e.one_line(), load_s=None)
                    break
                row["load_s"] += lm.load_s
                row["parts"][part] = {
                    "provider": lm.provider,
                    "inputs": [s.to_dict() for s in lm.spec.inputs],
                    "outputs": [s.to_dict() for s in lm.spec.outputs],
                }
            rows.append(row)
        return rows

    def clear_sessions(self) -> None:
        with self._lock:
            self._sessions.clear()


_registry: Registry | None = None
_reg_lock = threading.Lock()


def get_registry() -> Registry:
    global _registry
    with _reg_lock:
        if _registry is None:
            _registry = Registry()
        return _registry


def reset_registry(registry: Registry | None = None) -> None:
    """Replace the process-wide registry (after a settings change, or in tests)."""
    global _registry
    with _reg_lock:
        _registry = registry
