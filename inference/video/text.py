"""Tokenisation for the text tower (the `tokenizers` package; no torch, no transformers)."""
from __future__ import annotations

import functools
import re
from pathlib import Path

import numpy as np

from inference.runtime.errors import InputError, ModelError

MAX_TOKENS = 32  # the shipped models; a manifest's preprocessing.max_tokens overrides it (77 for CLIP)


@functools.lru_cache(maxsize=4)
def load_tokenizer(path: str, max_tokens: int = MAX_TOKENS):
    from tokenizers import Tokenizer
    try:
        tok = Tokenizer.from_file(str(path))
    except Exception as e:
        raise ModelError(f"tokenizer {Path(path).name} cannot be read ({e})", "reinstall the model") from None
    # the packaged file pads/truncates at 128: set both explicitly. The pad token is the file's own where it
    # names one (an imported CLIP's tokenizer pads with its end-of-text token), else BERT's "[PAD]" (id 0).
    pad = tok.padding or {}
    tok.enable_truncation(max_length=max_tokens)
    tok.enable_padding(pad_id=int(pad.get("pad_id", 0)), pad_token=str(pad.get("pad_token", "[PAD]")))  # to the longest
    return tok


# Spelling variants of one word that a word-piece tokenizer splits into pieces meaning the opposite:
# "counter-clockwise" becomes "counter", "-", "clock", "##wise" and so sits next to "clockwise" (measured:
# training templates spelt "counter-clockwise" scored 2% Binary while "counterclockwise" scored ~100%).
# One spelling each, before tokenising, in training and at search alike.
_SPELLINGS = (
    (re.compile(r"\b(?:counter|anti)[\s-]*clock[\s-]*wise\b", re.I), "counterclockwise"),
    (re.compile(r"\bclock[\s-]+wise\b", re.I), "clockwise"),
)


def canonical_spelling(text: str) -> str:
    """One spelling per word that is written several ways ("anti-clockwise", "counter clockwise" ->
    "counterclockwise")."""
    for pat, rep in _SPELLINGS:
        text = pat.sub(rep, text)
    return text


def tokenize(tokenizer, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """(input_ids, attention_mask), both int64 [batch, seq]."""
    if isinstance(texts, str):
        texts = [texts]
    clean = []
    for t in texts:
        if not isinstance(t, str) or not t.strip():
            raise InputError("empty query text", "type a description of the video you are looking for")
        clean.append(canonical_spelling(" ".join(t.strip().split())))
    enc = tokenizer.encode_batch(clean)
    ids = np.array([e.ids for e in enc], dtype=np.int64)
    mask = np.array([e.attention_mask for e in enc], dtype=np.int64)
    return ids, mask
