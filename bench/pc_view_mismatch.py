"""What a view that does not match the cloud does to pc-multimodal, against pc-points-only.

    python bench/pc_view_mismatch.py data/pc_test2718 [--levels noisy,sparse]

Per level, mean CD-L1 ×10³ / F@1% over the dataset with: the matching view, the view of another shape of the
set, a blank view, the view mirrored left-right, and no view (pc-points-only). Prints one JSON object.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset")
    ap.add_argument("--levels", default="noisy,sparse")
    a = ap.parse_args()
    from inference.pointcloud.metrics import score
    from inference.pointcloud.model import reconstruct
    from inference.pointcloud.synth import load_dataset
    index, get = load_dataset(Path(a.dataset))
    samples = [get(i) for i in range(len(index["samples"]))]
    n = len(samples)
    out = {"dataset": a.dataset, "shapes": n, "levels": {}}
    for lv in a.levels.split(","):
        res: dict[str, list] = {}
        for i, s in enumerate(samples):
            x = s[f"in_{lv}"].astype(np.float64)
            cases = [("matching view", s["image"], "pc-multimodal"),
                     ("view of another shape", samples[(i + 7) % n]["image"], "pc-multimodal"),
                     ("blank view", np.zeros_like(s["image"]), "pc-multimodal"),
                     ("mirrored view", s["image"][:, ::-1].copy(), "pc-multimodal"),
                     ("no view (pc-points-only)", None, "pc-points-only")]
            for name, img, model in cases:
                sc = score(reconstruct(x, img, model=model).xyz, s["gt"])
                res.setdefault(name, []).append((sc.cd_l1, sc.fscore))
        out["levels"][lv] = {k: {"cd_l1": round(float(np.mean([v[0] for v in r])), 3),
                                 "fscore": round(float(np.mean([v[1] for v in r])), 4)} for k, r in res.items()}
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
