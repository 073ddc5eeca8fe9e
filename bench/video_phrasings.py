"""RTime-Binary per caption template: every template of a held-out pool on every test clip.

The split file holds one forward and one reverse caption per clip, drawn at random from the held-out
templates, so `mmwb video eval`'s Binary accuracy mixes templates unevenly. This bench fills in every
template of a pool for every clip (both directions) and reports text->video Binary accuracy per
template, per family and over the pool:

    python bench/video_phrasings.py                         # data/video/test-s777-n700, both pools
    python bench/video_phrasings.py --test DIR --models video-temporal --pools fresh

Pools (inference/video/captions.py; named as `mmwb video synth --held-out-pool` names them): `original` = the
original held-out templates, `fresh` = the second held-out pool, written blind and never used to choose a
model or a setting (`train` = the training pool). Held-out templates that
share most of their words with some training template (word Jaccard >= --near, e.g. "starts on the
left and ends up on the right" vs "starts on the left and ends on the right") are also reported apart.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from inference.video.captions import HELD_OUT_POOLS, normalise, templates  # noqa: E402
from inference.video.decode import read_clip  # noqa: E402
from inference.video.metrics import template_binary  # noqa: E402
from inference.video.model import VideoTextModel  # noqa: E402
from inference.video.synth import template_queries  # noqa: E402


def load_frames(folder: Path, ids: list[str], n_frames: int, size: int) -> np.ndarray:
    cache = folder / f"test_frames_{n_frames}_{size}.npy"   # written by training.video.train
    if cache.exists():
        fr = np.load(cache)
        if len(fr) == len(ids):
            return fr
    return np.stack([read_clip(str(folder / f"{i}.mp4"), n_frames, size) for i in ids])


def overlap(family: str, direction: str, tpl: str) -> float:
    """Largest word Jaccard between a template and the training templates of its family/direction."""
    w = set(normalise(tpl).split())
    return max(len(w & set(normalise(t).split())) / len(w | set(normalise(t).split()))
               for t in templates(family, direction, "train"))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--test", default=str(REPO / "data" / "video" / "test-s777-n700"),
                    help="a test split made by `mmwb video synth --split test` (test.json + clips)")
    ap.add_argument("--models", nargs="+", default=["video-temporal", "video-meanpool"])
    ap.add_argument("--pools", nargs="+", default=["original", "fresh"], choices=["train", *HELD_OUT_POOLS])
    ap.add_argument("--near", type=float, default=0.8, help="word-Jaccard threshold for 'near a training template'")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args(argv)
    folder = Path(args.test)
    ann = json.loads((folder / "test.json").read_text())
    ids = sorted(ann)
    out = {}
    for name in args.models:
        t0 = time.time()
        m = VideoTextModel(name)
        fr = load_frames(folder, ids, m.n_frames, m.size)
        v, vr = m.encode_video(fr), m.encode_video(np.ascontiguousarray(fr[:, ::-1]))
        out[name] = {}
        for pool in args.pools:
            caps, meta = template_queries(ann, ids, HELD_OUT_POOLS.get(pool, pool))
            r = template_binary(m.encode_text(caps), meta, v, vr)
            far = [a for a, f, d, t in r["per_template"] if overlap(f, d, t) < args.near]
            r["far_from_training"] = {"templates": len(far), "t2v_acc": float(np.mean(far)) if far else float("nan")}
            out[name][pool] = r
        out[name]["seconds"] = round(time.time() - t0, 1)
    if args.json:
        print(json.dumps(out))
        return 0
    print(f"{len(ids)} clips from {folder}")
    for name, res in out.items():
        for pool in args.pools:
            r = res[pool]
            f = r["far_from_training"]
            print(f"{name:16s} pool={pool:8s} templates={r['templates']:3d}  Binary t2v per template: {r['t2v_acc']:.3f}"
                  f"  (the {f['templates']} with word Jaccard < {args.near} to every training template: {f['t2v_acc']:.3f})")
            print("    per family: " + ", ".join(f"{f} {a:.2f}" for f, a in r["per_family"].items()))
            if name == args.models[0]:
                print("    worst: " + "; ".join(f"{a:.2f} {t!r}" for a, f, d, t in r["worst"][:6]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
