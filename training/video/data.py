"""Training data for the video-text encoders: RTime-synth splits rendered and decoded once (cached as .npy),
training captions drawn fresh from the training phrasings, and the meaning keys that tell which captions and
clips are interchangeable (so they are not used as each other's negatives).

Shared by the training loop and the text refinement stage (train.py).
"""
from __future__ import annotations

import json
import logging
import time
from pathlib import Path

import numpy as np
import torch

from inference.video.captions import opposite
from inference.video.decode import read_clip
from inference.video.synth import generate, meaning, nouns

log = logging.getLogger("training.video")
MIRROR_SWAPS = {"horizontal", "rotation", "pan"}   # families whose direction a left-right mirror reverses


def _read(args):
    return read_clip(*args)


def load_split(folder: Path, split: str, n_frames: int, size: int, cache: bool = True, workers: int = 1):
    """(ids, frames uint8 [N,T,size,size,3], annotations) for train.json / test.json in folder."""
    ann = json.loads((folder / f"{split}.json").read_text())
    ids = sorted(ann)
    cache_f = folder / f"{split}_frames_{n_frames}_{size}.npy"
    if cache and cache_f.exists():
        frames = np.load(cache_f)
        if len(frames) == len(ids):
            return ids, frames, ann
    jobs = [(str(folder / f"{i}.mp4"), n_frames, size) for i in ids]
    if workers > 1:
        import multiprocessing as mp
        with mp.get_context("spawn").Pool(workers) as pool:
            frames = np.stack(pool.map(_read, jobs, chunksize=32))
    else:
        frames = np.stack([_read(j) for j in jobs])
    if cache:
        np.save(cache_f, frames)
    return ids, frames, ann


def ensure_data(folder: Path, n: int, seed: int, split: str, workers: int = 1, held_out_pool: str = "original") -> None:
    if (folder / f"{split}.json").exists():
        ann = json.loads((folder / f"{split}.json").read_text())
        if len(ann) == n:
            return
    t = time.time()
    generate(folder, n=n, seed=seed, split=split, workers=workers, held_out_pool=held_out_pool)
    log.info("rendered %d %s clips (seed %d) in %.0f s", n, split, seed, time.time() - t)


def fill_caption(template: str, item: dict, rng: np.random.Generator) -> str:
    """A caption template filled in for one clip: its colours and one of its nouns, drawn with rng."""
    c1, c2 = item["colours"]
    return template.format(c=c1, c2=c2, o=str(rng.choice(nouns(item["family"], item["shape"]))))


def meaning_keys(items: list[dict]) -> tuple[torch.Tensor, torch.Tensor]:
    """(forward, reverse): per clip, an id of what its own caption and its reverse caption mean; equal ids
    are interchangeable (e.g. the same event drawn twice)."""
    key_f, key_r = [], []
    for a in items:
        c1, c2 = a["colours"]
        key_f.append(meaning(a["family"], a["direction"], a["shape"], c1, c2))
        key_r.append(meaning(a["family"], opposite(a["direction"]), a["shape"], c1, c2))
    key_ids = {k: n for n, k in enumerate(sorted(set(key_f + key_r), key=str))}
    return torch.tensor([key_ids[k] for k in key_f]), torch.tensor([key_ids[k] for k in key_r])
