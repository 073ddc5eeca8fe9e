"""Write the point-cloud models' evaluation figures into their manifests from one `mmwb pc eval --out` file.

    mmwb pc synth data/pc_test2718 --n 24 --seed 2718
    mmwb pc eval data/pc_test2718 --methods model,points_only,poisson,ball_pivoting,oracle,classical --out data/pc_eval_2718.json
    python bench/pc_write_manifests.py data/pc_eval_2718.json

Each manifest's `metrics` gets, per level, its own method's CD-L1 (×10³), CD-L2 (×10³), F@1% and seconds per
cloud, and the other methods' figures under `others` (the pc-multimodal manifest is the `model` row, the
pc-points-only manifest the `points_only` row).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OWN = {"pc-multimodal": "model", "pc-points-only": "points_only"}


def metrics_for(ev: dict, own: str) -> dict:
    out = {"eval_dataset": ev["dataset"], "eval_seed": ev["seed"], "eval_shapes": ev["samples"]}
    for level in dict.fromkeys(r["level"] for r in ev["rows"]):
        rows = {r["method"]: r for r in ev["rows"] if r["level"] == level}
        r = rows[own]
        out[level] = {"cd_l1": round(r["cd_l1"], 4), "cd_l2": round(r["cd_l2"], 4), "fscore": round(r["fscore"], 4),
                      "seconds": round(r["seconds"], 4),
                      "others": {m: {k: round(o[k], 4) for k in ("cd_l1", "cd_l2", "fscore")}
                                 for m, o in rows.items() if m != own}}
    return out


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__)
        return 2
    ev = json.loads(Path(argv[0]).read_text())
    for name, own in OWN.items():
        p = ROOT / "resources" / "models" / f"{name}.json"
        man = json.loads(p.read_text())
        man["metrics"] = metrics_for(ev, own)
        p.write_text(json.dumps(man, indent=2) + "\n")
        m = man["metrics"]
        print(name, {lv: (m[lv]["cd_l1"], m[lv]["fscore"]) for lv in m if isinstance(m[lv], dict)})
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
