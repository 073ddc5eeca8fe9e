"""The video-text dual encoder at run time: tokenise → text ONNX; frames → video ONNX.

Both shipped models (`video-temporal`, `video-meanpool`) are multi-part manifests with
``components: {"text": …, "video": …}`` and ``assets: {"tokenizer": …}``; they share one text-tower file.
"""
from __future__ import annotations

import threading
from typing import Optional

import numpy as np

from inference.runtime.errors import InputError, ModelError

DEFAULT_MODEL = "video-temporal"
TASK = "video-text-retrieval"


class VideoTextModel:
    def __init__(self, name: Optional[str] = None, registry=None):
        if registry is None:
            from inference.runtime.registry import get_registry
            registry = get_registry()
        self.registry = registry
        if name is None:
            name = registry.default_for(TASK).name
        self.manifest = registry.get(name)
        if "text" not in self.manifest.components or "video" not in self.manifest.components:
            raise ModelError(f"model '{name}' is not a video-text dual encoder (it needs 'text' and 'video' parts)",
                             "choose video-temporal or video-meanpool")
        self.name = self.manifest.name
        pre = self.manifest.preprocessing
        self.n_frames = int(pre.get("frames", 16))
        self.size = int(pre.get("size", 64))
        self.max_tokens = int(pre.get("max_tokens", 32))
        self.segment_s = float(pre.get("segment_seconds", 4.0))
        self.dim = int(pre.get("dim", 256))
        self._lock = threading.Lock()
        self._tok = None

    # lazily loaded so that constructing the object is cheap
    def _tokenizer(self):
        if self._tok is None:
            from .text import load_tokenizer
            self._tok = load_tokenizer(str(self.manifest.asset("tokenizer")), self.max_tokens)
        return self._tok

    def encode_text(self, texts: list[str], cancel=None, batch: int = 256) -> np.ndarray:
        from .text import tokenize
        if isinstance(texts, str):
            texts = [texts]
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        sess = self.registry.session(self.name, "text")
        out = []
        for k in range(0, len(texts), batch):
            ids, mask = tokenize(self._tokenizer(), texts[k:k + batch])
            res = sess.run({"input_ids": ids, "attention_mask": mask}, cancel=cancel)
            out.append(res["embedding"])
        return _l2(np.concatenate(out).astype(np.float32))

    def encode_video(self, frames: np.ndarray, cancel=None, batch: int = 64) -> np.ndarray:
        """frames: uint8 (N, T, size, size, 3) RGB -> (N, dim) unit vectors."""
        frames = np.asarray(frames)
        if frames.ndim != 5 or frames.shape[1:] != (self.n_frames, self.size, self.size, 3):
            raise InputError(f"video clips must be (N, {self.n_frames}, {self.size}, {self.size}, 3), got {frames.shape}",
                             "decode with inference.video.decode using the model's preprocessing")
        if len(frames) == 0:
            return np.zeros((0, self.dim), np.float32)
        sess = self.registry.session(self.name, "video")
        out = []
        for k in range(0, len(frames), batch):
            res = sess.run({"frames": frames[k:k + batch].astype(np.float32)}, cancel=cancel)
            out.append(res["embedding"])
        return _l2(np.concatenate(out).astype(np.float32))

    @property
    def provider(self) -> str:
        return self.registry.session(self.name, "video").provider


def _l2(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.maximum(n, 1e-12)


def video_models(registry=None) -> list[str]:
    if registry is None:
        from inference.runtime.registry import get_registry
        registry = get_registry()
    return registry.names(TASK)
