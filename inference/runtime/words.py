"""English words known to the packaged MiniLM word-piece vocabulary (resources/models/video-tokenizer.json), for
the readers that mend text: the chart reader rejoins words OCR split, the CAD reader mends misspelt keywords."""
from __future__ import annotations

import functools
import json

from inference.runtime.paths import resources_dir


@functools.lru_cache(maxsize=1)
def english_words() -> frozenset:
    """Whole English words (lower case) of the vocabulary; empty when the file is not there."""
    p = resources_dir() / "models" / "video-tokenizer.json"
    try:
        vocab = json.loads(p.read_text(encoding="utf-8"))["model"]["vocab"]
    except (OSError, ValueError, KeyError, TypeError):
        return frozenset()
    return frozenset(w for w in vocab if w.isalpha() and w.isascii())
