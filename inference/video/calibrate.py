"""Scores a user can trust: a model's cosine score turned into a match strength ("strong" / "weak" / "none"),
a probability, and a direction margin, fitted on held-out (query, clip) pairs and stored in the model's
manifest under ``"calibration"`` (the command that fitted it under ``"calibrated_by"``).

The fit (`fit_calibration`) reads three distributions measured on a held-out RTime-synth split
(`mmwb video synth OUT --split test --seed S` on a seed no model was trained or evaluated on):

- matching pairs: each clip with its own forward caption;
- non-matching pairs: each caption with every other clip;
- direction margins: for each matching pair, score(caption, clip) − score(caption, reversed clip), and for
  its reverse caption score(reverse caption, reversed clip) − score(reverse caption, clip) (positive = right).

Rules (the quantiles are stored with the thresholds, so the numbers can be re-derived):

- ``strong``: a score above all but ``STRONG_FPR`` of the non-matching pairs (and at least ``weak``);
- ``weak``: the ``WEAK_QUANTILE`` quantile of the matching pairs: nearly every real match scores at least this;
  below it, "none";
- ``p_match``: a logistic fit score → P(match) with matching and non-matching pairs weighted equally
  (a 50:50 prior, not a library's prior);
- ``direction_margin``: |forward − reversed| up to which a direction call is "too close to call": the smallest
  margin beyond which at least ``DIRECTION_ACCURACY`` of the held-out calls were right (ties count as wrong),
  at least `TIE_EPS`; an order-blind model never gets there (its margin is above every difference it makes).

`judge` / `direction_call` apply a stored calibration (no Qt, no model run); the panel and `mmwb video search`
show what they return.
"""
from __future__ import annotations

import json
import math
import time
from pathlib import Path
from typing import Optional

import numpy as np

from inference.runtime.cancel import check, sub_progress
from inference.runtime.errors import InputError

from .metrics import TIE_EPS

STRONG_FPR = 0.005       # strong: at most 0.5% of non-matching held-out pairs score this high
WEAK_QUANTILE = 0.02     # weak: 98% of matching held-out pairs score at least this
DIRECTION_ACCURACY = 0.95  # direction calls beyond the margin were right this often on held-out pairs
MIN_CALLED = 20           # … counted over at least this many pairs
MATCHES = ("strong", "weak", "none")


def pair_scores(text_fwd: np.ndarray, text_rev: Optional[np.ndarray], vid: np.ndarray,
                vid_rev: np.ndarray) -> dict:
    """Unit vectors of N forward captions, their N reverse captions (or None), N clips and the N clips
    reversed → {"matching": (N,), "nonmatching": (N·(N−1),), "direction": margins (positive = right call)}."""
    sim = np.asarray(text_fwd, np.float64) @ np.asarray(vid, np.float64).T
    n = len(sim)
    matching = np.diag(sim).copy()
    nonmatching = sim[~np.eye(n, dtype=bool)]
    rev = np.einsum("ij,ij->i", np.asarray(text_fwd, np.float64), np.asarray(vid_rev, np.float64))
    direction = [matching - rev]
    if text_rev is not None:
        tr = np.asarray(text_rev, np.float64)
        direction.append(np.einsum("ij,ij->i", tr, vid_rev) - np.einsum("ij,ij->i", tr, vid))
    return {"matching": matching, "nonmatching": nonmatching, "direction": np.concatenate(direction)}


def _logistic(pos: np.ndarray, neg: np.ndarray, iters: int = 50) -> tuple[float, float]:
    """P(match | score) = 1 / (1 + exp(−(a·score + b))) by Newton's method, the two classes weighted equally."""
    x = np.concatenate([pos, neg]).astype(np.float64)
    y = np.concatenate([np.ones(len(pos)), np.zeros(len(neg))])
    w = np.concatenate([np.full(len(pos), 0.5 / len(pos)), np.full(len(neg), 0.5 / len(neg))])
    a, b = 0.0, 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-(a * x + b)))
        g = np.array([np.sum(w * (p - y) * x), np.sum(w * (p - y))])
        r = w * p * (1 - p)
        h = np.array([[np.sum(r * x * x), np.sum(r * x)], [np.sum(r * x), np.sum(r)]]) + 1e-9 * np.eye(2)
        step = np.linalg.solve(h, g)
        a, b = a - step[0], b - step[1]
        if np.abs(step).max() < 1e-9:
            break
    return float(a), float(b)


def _quantiles(x: np.ndarray) -> dict:
    return {f"q{int(round(q * 1000)) / 10:g}": round(float(np.quantile(x, q)), 4)
            for q in (0.005, 0.02, 0.05, 0.25, 0.5, 0.75, 0.95, 0.98, 0.995)} | {"n": int(len(x))}


def fit_calibration(matching: np.ndarray, nonmatching: np.ndarray, direction: np.ndarray) -> dict:
    """The manifest's "calibration" object from the three held-out distributions (see the module doc)."""
    matching, nonmatching, direction = (np.asarray(v, np.float64) for v in (matching, nonmatching, direction))
    if len(matching) < 2 or len(nonmatching) < 2:
        raise InputError("too few held-out pairs to calibrate", "use a held-out split of at least a few clips")
    weak = float(np.quantile(matching, WEAK_QUANTILE))
    strong = max(float(np.quantile(nonmatching, 1 - STRONG_FPR)), weak)
    a, b = _logistic(matching, nonmatching)
    margin = direction_margin(direction)
    wrong = direction <= TIE_EPS
    called = np.abs(direction) > margin
    return {
        "score": "cosine similarity of the query and the segment vector",
        "strong": round(strong, 4),
        "weak": round(weak, 4),
        "direction_margin": margin,
        "logistic": {"a": round(a, 4), "b": round(b, 4), "prior": 0.5},
        "rule": (f"strong: above {100 * (1 - STRONG_FPR):g}% of non-matching held-out (caption, clip) pairs; "
                 f"weak: at least the {100 * WEAK_QUANTILE:g}th percentile of matching pairs; none: below; "
                 f"p_match: logistic fit, matching and non-matching pairs weighted equally; direction_margin: "
                 f"beyond it, at least {100 * DIRECTION_ACCURACY:g}% of held-out direction calls were right"),
        "held_out": {
            "matching": _quantiles(matching),
            "nonmatching": _quantiles(nonmatching),
            "matching_strong": round(float(np.mean(matching >= strong)), 4),
            "matching_none": round(float(np.mean(matching < weak)), 4),
            "nonmatching_strong": round(float(np.mean(nonmatching >= strong)), 4),
            "nonmatching_none": round(float(np.mean(nonmatching < weak)), 4),
            "direction_pairs": int(len(direction)),
            "direction_right": round(float(np.mean(~wrong)), 4),
            "direction_called": round(float(np.mean(called)), 4),
            "direction_called_right": round(float((direction[called] > TIE_EPS).sum() / max(1, called.sum())), 4),
        },
    }


def direction_margin(direction: np.ndarray) -> float:
    """The smallest |forward − reversed| beyond which at least DIRECTION_ACCURACY of the held-out calls (over at
    least MIN_CALLED pairs) were right; above every difference when no margin gets there (an order-blind model)."""
    d = np.asarray(direction, np.float64)
    a = np.abs(d)
    order = np.argsort(-a)                       # largest margins first
    right = np.cumsum(d[order] > TIE_EPS)        # right calls among the k+1 largest
    k = np.arange(1, len(d) + 1)
    ok = (right / k >= DIRECTION_ACCURACY) & (k >= min(MIN_CALLED, len(d)))
    floor = TIE_EPS
    if not ok.any():
        return math.ceil(max(float(a.max(initial=0.0)) * 1.01, floor) * 1e5) / 1e5
    last = int(np.nonzero(ok)[0].max())          # call as many pairs as keep the accuracy
    margin = float(a[order][last + 1]) if last + 1 < len(d) else 0.0
    return math.ceil(max(margin, floor) * 1e5) / 1e5  # rounded up: the pairs called stay the ones counted


def calibrate(annotations, videos, model: Optional[str] = None, limit: int = 0, registry=None,
              progress=None, is_cancelled=None) -> dict:
    """Decode and encode a held-out split (an RTime test.json + its clips) and fit the calibration;
    returns {"model", "n_clips", "skipped", "calibration", "seconds"}."""
    from .evaluate import decode_clips
    from .io import find_videos, load_annotations
    from .model import VideoTextModel
    t0 = time.time()
    ann = load_annotations(annotations)
    found = find_videos(videos, sorted(ann))
    ids = [i for i in sorted(ann) if i in found][: limit or None]
    if len(ids) < 2:
        raise InputError(f"fewer than 2 clips of {Path(annotations).name} are in {videos}",
                         "make a held-out split with `mmwb video synth OUT --split test --seed S`")
    m = VideoTextModel(model, registry=registry)
    clips, used, skipped = decode_clips(found, ids, m, sub_progress(progress, 0.0, 0.85), is_cancelled)
    check(is_cancelled)
    if progress:
        progress(0.87, "encoding clips, their reversed copies and the captions")
    frames = np.stack(clips)
    vid, vid_rev = m.encode_video(frames), m.encode_video(frames[:, ::-1])
    tf = m.encode_text([ann[i]["forward_captions"][0] for i in used])
    has_rev = all(ann[i].get("reverse_captions") for i in used)
    tr = m.encode_text([ann[i]["reverse_captions"][0] for i in used]) if has_rev else None
    check(is_cancelled)
    cal = fit_calibration(**pair_scores(tf, tr, vid, vid_rev))
    cal["fitted_on"] = f"{Path(annotations).parent.name}: {len(used)} held-out clips"
    if progress:
        progress(1.0, "done")
    return {"model": m.name, "n_clips": len(used), "skipped": skipped, "calibration": cal,
            "seconds": round(time.time() - t0, 1)}


def write_calibration(model: str, calibration: dict, command: str, registry=None) -> Path:
    """Store the calibration (and the command that fitted it, as "calibrated_by") in the model's manifest;
    only those two keys change. Returns the manifest's path."""
    from inference.runtime.manifest import write_manifest
    if registry is None:
        from inference.runtime.registry import get_registry
        registry = get_registry()
    man = registry.get(model)
    raw = json.loads(Path(man.path).read_text(encoding="utf-8"))
    calibration = dict(calibration)
    old = raw.get("calibration") if isinstance(raw.get("calibration"), dict) else {}
    if old.get("split_made_by"):  # the command that made the held-out split (written by hand) is kept
        calibration["split_made_by"] = old["split_made_by"]
    calibration["model_sha256"] = _shas(raw)
    raw["calibration"] = calibration
    raw["calibrated_by"] = command
    write_manifest(man.path, raw, compute_hashes=False)
    man.raw.update(calibration=calibration, calibrated_by=command)
    return Path(man.path)


def _shas(raw: dict) -> dict:
    """{part: sha256} of a manifest's ONNX files (what a calibration was fitted for)."""
    parts = raw.get("components") or {"main": raw}
    return {k: v.get("sha256") for k, v in parts.items() if isinstance(v, dict)}


# ----------------------------------------------------------------------------- applying a calibration
def stored_calibration(raw: Optional[dict]) -> Optional[dict]:
    """A manifest's calibration, or None when it has none or it was fitted for other weights (the model was
    retrained since: its thresholds would mislead)."""
    cal = (raw or {}).get("calibration")
    if not (isinstance(cal, dict) and "strong" in cal and "weak" in cal):
        return None
    if cal.get("model_sha256") and cal["model_sha256"] != _shas(raw):
        return None
    return cal


def calibration_of(model: str, registry=None) -> Optional[dict]:
    """The model's stored calibration, or None (an uncalibrated or since-retrained model)."""
    if registry is None:
        from inference.runtime.registry import get_registry
        registry = get_registry()
    try:
        return stored_calibration(registry.get(model).raw)
    except Exception:  # noqa: BLE001 - an unknown/broken model simply has no calibration
        return None


def judge(score: float, cal: Optional[dict]) -> dict:
    """{"match": "strong" | "weak" | "none" (None without a calibration), "p_match": 0..1 or None}."""
    if not cal:
        return {"match": None, "p_match": None}
    match = "strong" if score >= cal["strong"] else "weak" if score >= cal["weak"] else "none"
    lg = cal.get("logistic")
    p = None
    if lg:
        z = lg["a"] * score + lg["b"]
        p = round(1 / (1 + math.exp(-z)) if z > -700 else 0.0, 4)
    return {"match": match, "p_match": p}


def direction_call(forward: float, reversed_: float, cal: Optional[dict]) -> str:
    """"forward" | "backwards" | "too close" (|difference| within the calibrated margin; without a
    calibration the old fixed 0.02)."""
    margin = float((cal or {}).get("direction_margin", 0.02))
    d = forward - reversed_
    if abs(d) <= max(margin, TIE_EPS):
        return "too close"
    return "forward" if d > 0 else "backwards"
