"""Direction on real imagery: RTime-Binary of a video model on camera events (pan, tilt, zoom, fade, focus,
a picture entering the frame) drawn over real photographs and real footage that no training clip showed.

    python bench/video_real_direction.py [--model video-temporal] [--n 240] [--seed 31337] [--json OUT]

Two kinds of source, each its own row:
- photos:  the held-out photograph pool (inference/video/imagery.py: TEST_PHOTOS; training draws only TRAIN_PHOTOS);
- footage: moving segments of the real videos in ../shared/data/videos (16 consecutive frames at 8 fps; the
           camera event is applied on top of the footage's own motion). Never used in training.
Each clip is scored against its own time-reversed copy (RTime-Binary, both ways), captioned from both
held-out caption pools (`original`, `fresh`; written blind, never trained on). Target: >= 0.85 both ways.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inference.video.captions import HELD_OUT_POOLS  # noqa: E402
from inference.video.evaluate import evaluate  # noqa: E402
from inference.video.synth import FPS, REAL_FAMILIES, make_item, render_clip, write_mp4  # noqa: E402

VIDEOS = ROOT.parent / "shared" / "data" / "videos"


def footage_segments(folder: Path, n_frames: int = 16, fps: float = FPS) -> list[list[np.ndarray]]:
    """Every 16-frame, 8-fps run of consecutive frames of each video in folder (one start per second)."""
    import cv2
    from inference.video.imagery import SHORT_SIDE
    segs = []
    for path in sorted(folder.glob("*.mp4")):
        cap = cv2.VideoCapture(str(path))
        src_fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
        frames = []
        while True:
            ok, f = cap.read()
            if not ok:
                break
            h, w = f.shape[:2]
            s = SHORT_SIDE / min(h, w)
            f = cv2.resize(f, (max(SHORT_SIDE, round(w * s)), max(SHORT_SIDE, round(h * s))), interpolation=cv2.INTER_AREA)
            frames.append(np.ascontiguousarray(f[..., ::-1]).astype(np.float32))
        cap.release()
        step = src_fps / fps
        span = int(np.ceil(step * (n_frames - 1))) + 1
        for start in range(0, max(0, len(frames) - span) + 1, max(1, int(round(src_fps)))):
            segs.append([frames[start + int(round(k * step))] for k in range(n_frames)])
    return segs


def make_set(out: Path, kind: str, n: int, seed: int, segments=None) -> dict[str, dict]:
    """Render n clips (families balanced) into out; returns {pool: RTime test.json annotations}."""
    out.mkdir(parents=True, exist_ok=True)
    ann = {pool: {} for pool in HELD_OUT_POOLS}
    for i in range(n):
        rng = np.random.default_rng([seed, i])
        family = REAL_FAMILIES[i % len(REAL_FAMILIES)]
        direction = "A" if (i // len(REAL_FAMILIES)) % 2 == 0 else "B"
        source = None if kind == "photos" else segments[int(rng.integers(len(segments)))]
        frames = render_clip(family, direction, rng, "square", "red", "blue", imagery="test", source=source)
        cid = f"{kind}{i:05d}"
        write_mp4(out / f"{cid}.mp4", frames)
        for label, pool in HELD_OUT_POOLS.items():
            ann[label][cid] = make_item(family, direction, pool, np.random.default_rng([seed, i, 7]),
                                        "square", "red", "blue")
    for label in ann:
        (out / f"test-{label}.json").write_text(json.dumps(ann[label], indent=1), encoding="utf-8")
    return ann


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--model", default=None, help="video model (default: the default one)")
    ap.add_argument("--n", type=int, default=240, help="clips per source kind (families balanced)")
    ap.add_argument("--seed", type=int, default=31337)
    ap.add_argument("--videos", default=str(VIDEOS), help="folder of real videos for the footage row")
    ap.add_argument("--json", default=None, help="write every figure here")
    args = ap.parse_args(argv)
    kinds = ["photos"]
    segs = footage_segments(Path(args.videos)) if Path(args.videos).is_dir() else []
    if segs:
        kinds.append("footage")
    else:
        print(f"no videos in {args.videos}: footage row skipped")
    rows, report = [], {"n_per_kind": args.n, "seed": args.seed, "results": {}}
    with tempfile.TemporaryDirectory() as tmp:
        for kind in kinds:
            d = Path(tmp) / kind
            make_set(d, kind, args.n, args.seed, segs)
            for label in HELD_OUT_POOLS:
                res = evaluate(d / f"test-{label}.json", d, model=args.model)
                b = res["binary"]
                report["model"] = res["model"]
                report["results"][f"{kind}/{label}"] = {"binary": b, "per_family": res.get("binary_per_family")}
                rows.append((kind, label, b["t2v_acc"], b["v2t_acc"], res.get("binary_per_family") or {}))
    print(f"model {report.get('model')}: {args.n} clips per source, each against its reversed copy")
    print(f"{'source':<9}{'pool':<10}{'t2v':>7}{'v2t':>7}   per family (t2v/v2t)")
    ok = True
    for kind, label, t2v, v2t, per in rows:
        fam = "  ".join(f"{f} {100 * p['t2v_acc']:.0f}/{100 * p['v2t_acc']:.0f}" for f, p in per.items())
        print(f"{kind:<9}{label:<10}{100 * t2v:>6.1f}%{100 * v2t:>6.1f}%   {fam}")
        ok &= min(t2v, v2t) >= 0.85
    print("target: Binary >= 85% both ways on every row:", "met" if ok else "NOT met")
    report["target_met"] = ok
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
