"""The ceiling of RTime-Hard t2v R@1 on an RTime-synth test split, for a perfect temporal model and a
perfect order-blind one.

Synthetic captions name only the event, its direction, a colour and (where it matters) a shape, so
several clips of a split can fit one caption equally well; a perfect model ties them and, ties broken
at random, scores E[1/k] (k = gallery items with the query's meaning). An order-blind model also ties
each item with those of the opposite direction. The ratio of the two ceilings bounds the "Hard R@1 vs
the baseline" ratio a real pair of models can reach.

    python bench/video_hard_ceiling.py [data/video/test-s777-n700/test.json]
"""
from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from inference.video.captions import opposite  # noqa: E402
from inference.video.synth import meaning  # noqa: E402


def ceilings(ann: dict) -> tuple[float, float]:
    ids = sorted(ann)
    n = len(ids)
    keys, blind = [], []
    for k in range(2 * n):              # the originals, then their reversed copies
        a = ann[ids[k % n]]
        d = a["direction"] if k < n else opposite(a["direction"])
        keys.append(meaning(a["family"], d, a["shape"], *a["colours"]))
        blind.append(("colour", a["shape"], frozenset(a["colours"])) if a["family"] == "colour"
                     else meaning(a["family"], "A", a["shape"], *a["colours"]))
    c, cb = Counter(keys), Counter(blind)
    return (sum(1 / c[k] for k in keys) / (2 * n), sum(1 / cb[k] for k in blind) / (2 * n))


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    path = Path(argv[0]) if argv else REPO / "data" / "video" / "test-s777-n700" / "test.json"
    t, b = ceilings(json.loads(path.read_text()))
    print(f"{path}: Hard t2v R@1 ceiling (ties at random): perfect temporal {100 * t:.1f}%, "
          f"perfect order-blind {100 * b:.1f}%, ratio {t / b:.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
