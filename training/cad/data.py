"""Training arrays for the CAD models, made by the procedural generator (seeded).

``python -m training.cad.data --out data/cad_train`` writes ``text.npz`` (word ids + target token ids
for both tokenisers), ``image.npz`` (rendered views + spatial target ids) and ``words.txt`` (the word vocabulary).
Descriptions use the training templates (and, for every second one, training/cad/augment.py's
clause-shuffled wording built from the training templates' words); the held-out templates never appear here.
"""
from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

import numpy as np

from inference.cad import synth, tokens as T
from inference.cad.imageprep import prepare_image
from inference.cad.seq import to_vec

from .augment import describe_augmented

WORD_LEN, TGT_LEN = 64, 128
IMAGE_SIZE = 96
RENDER_SIZE = 160  # rendered larger, then cropped to the part and scaled (imageprep)


def _pad(seqs, n):
    out = np.zeros((len(seqs), n), np.int32)
    for i, s in enumerate(seqs):
        s = s[:n]
        out[i, : len(s)] = s
    return out


def build_text(n_parts: int, seed: int, n_desc: int = 2):
    rng = np.random.default_rng(seed + 1)
    parts = synth.sample_parts(n_parts, seed)
    texts, sp, pl, fam = [], [], [], []
    for p in parts:
        v = to_vec(p.seq)
        ts, tp = T.encode(v, "spatial"), T.encode(v, "plain")
        for k in range(n_desc):
            # the first description from a training template, the others with the facts as clauses
            # in a random order (augment.py), so numbers are bound by their role words
            texts.append(synth.describe_part(p, rng, "train") if k == 0 else describe_augmented(p, rng))
            sp.append(ts)
            pl.append(tp)
            fam.append(p.family)
    return texts, sp, pl, fam


def build_images(n_parts: int, seed: int, views=("iso", "iso2", "iso3"), per_part: int = 2, log=print):
    from inference.cad import kernel
    rng = np.random.default_rng(seed + 2)
    parts = synth.sample_parts(n_parts, seed)
    imgs, sp = [], []
    t0 = time.time()
    for i, p in enumerate(parts):
        try:
            solid = kernel.build(p.seq)
        except Exception:  # noqa: BLE001 - a generator part that fails to build is skipped
            continue
        v, f = kernel.mesh(solid)
        ts = T.encode(to_vec(p.seq), "spatial")
        for view in rng.choice(list(views), size=per_part, replace=False):
            imgs.append(prepare_image(synth.render(v, f, RENDER_SIZE, str(view))))
            sp.append(ts)
        if (i + 1) % 500 == 0:
            log(f"images: {i + 1}/{len(parts)} parts, {time.time() - t0:.0f} s")
    return np.stack(imgs), sp


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", default="data/cad_train")
    ap.add_argument("--n-text", type=int, default=24000)
    ap.add_argument("--n-image", type=int, default=12000)
    ap.add_argument("--seed", type=int, default=1000)
    ap.add_argument("--what", choices=["text", "image", "both"], default="both")
    a = ap.parse_args(argv)
    make(a.out, a.n_text, a.n_image, a.seed, a.what)
    return 0


def make(out, n_text=24000, n_image=12000, seed=1000, what="both", log=print):
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    t0 = time.time()
    if what in ("text", "both"):
        texts, sp, pl, fam = build_text(n_text, seed)
        vocab = T.TextVocab.build(texts)  # words of the training descriptions only
        words = _pad([vocab.encode(t, WORD_LEN) for t in texts], WORD_LEN)
        np.savez_compressed(out / "text.npz", words=words, spatial=_pad(sp, TGT_LEN), plain=_pad(pl, TGT_LEN),
                            family=np.array(fam))
        (out / "words.txt").write_text(vocab.to_text(), encoding="utf-8")
        log(f"text: {len(texts)} pairs, vocab {len(vocab.itos)}, {time.time() - t0:.0f} s")
    if what in ("image", "both"):
        # two seeded chunks (the shipped model's data: 4000 + 8000 parts, two views each)
        chunks = [(min(n_image, 4000), seed + 500)] + ([(n_image - 4000, seed + 2500)] if n_image > 4000 else [])
        imgs, sp = [], []
        for n_c, s_c in chunks:
            a, b = build_images(n_c, s_c, log=log)
            imgs.append(a)
            sp += b
        imgs = np.concatenate(imgs)
        np.savez_compressed(out / "image.npz", images=imgs, spatial=_pad(sp, TGT_LEN))
        log(f"image: {len(imgs)} views, {time.time() - t0:.0f} s")
    return out


if __name__ == "__main__":
    raise SystemExit(main())
