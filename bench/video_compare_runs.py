"""Compare exported video-model runs on a validation split (how the shipped run was chosen).

    python bench/video_compare_runs.py SPLIT.json RUN_MODELS_DIR [RUN_MODELS_DIR ...]

Each RUN_MODELS_DIR holds a run's exported video-temporal / video-meanpool (training.video.train --out).
The split should be one no run trained on and not the test split, e.g. clips captioned with training
phrasings: `mmwb video synth data/video/val-s555-n700 --n 700 --seed 555 --split train` (its train.json).
Prints Binary, Hard t2v R@1 and its ratio to the order-blind baseline's (ties split at random).
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inference.runtime.registry import Registry  # noqa: E402
from inference.video.evaluate import evaluate  # noqa: E402


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) < 2:
        print(__doc__)
        return 2
    split = Path(argv[0])
    for run in argv[1:]:
        reg = Registry(dirs=[(Path(run), "shipped")])
        r = {n: evaluate(split, split.parent, model=f"video-{n}", registry=reg) for n in ("temporal", "meanpool")}
        t, m = r["temporal"], r["meanpool"]
        rt = m["hard"]["t2v"]["R@1_random_ties"]
        print(f"{run}: Binary t2v/v2t {100 * t['binary']['t2v_acc']:.1f}/{100 * t['binary']['v2t_acc']:.1f}%, "
              f"Hard t2v R@1 {100 * t['hard']['t2v']['R@1']:.1f}% vs order-blind {100 * rt:.1f}% = "
              f"{t['hard']['t2v']['R@1'] / rt:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
