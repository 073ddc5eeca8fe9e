"""What the video panel asks of `inference/`: the functions it runs as jobs (plain Python, `progress=` and
`is_cancelled=`, cancellable, no Qt), and the pure functions that turn their results into what it shows
(summaries, table rows, bar heights), so the panel itself never computes."""
from __future__ import annotations

import threading
from pathlib import Path
from typing import Optional

import numpy as np

from inference.runtime.cancel import check, sub_progress
from inference.runtime.errors import InputError

from .index import VideoIndex
from .io import load_annotations

_search_lock = threading.Lock()
_open: dict = {}


def default_db() -> Path:
    from inference.runtime.paths import data_dir
    return data_dir() / "video" / "library.db"


def index_folders(db: str, folders: list[str], model: Optional[str] = None, progress=None, is_cancelled=None,
                  is_paused=None) -> dict:
    """Index (incrementally) the folders; returns {"report", "stats", "skipped"}."""
    if not folders:
        raise InputError("no folder to index", "add a folder of videos first")
    with VideoIndex(db, model_name=model) as idx:
        rep = idx.index(list(folders), progress=progress, is_cancelled=is_cancelled, is_paused=is_paused)
        return {"report": rep.to_dict(), "stats": idx.stats(), "skipped": idx.skipped()}


def library_stats(db: str, progress=None, is_cancelled=None) -> dict:
    if not Path(db).exists():
        return {"db": db, "files": 0, "skipped": 0, "segments": 0, "model": None, "skipped_list": []}
    with VideoIndex(db) as idx:
        st = idx.stats()
        st["skipped_list"] = idx.skipped()
        return st


def _index_for(db: str) -> VideoIndex:
    """One open index per db for searching (keeps its vector cache between queries)."""
    key = str(Path(db).expanduser().resolve())
    idx = _open.get(key)
    if idx is None:
        if not Path(key).exists():
            raise InputError("the library has no index yet", "add a folder and let it index first")
        idx = _open[key] = VideoIndex(key)
    return idx


def close_all() -> None:
    """Close every index opened for searching (on quit)."""
    with _search_lock:
        for idx in _open.values():
            idx.close()
        _open.clear()


def search_library(db: str, query: str, k: int = 24, threshold: Optional[float] = None, mode: str = "auto",
                   decode_thumbs: bool = False, progress=None, is_cancelled=None) -> list[dict]:
    """The top-k hits as dicts (with the JPEG "thumb"), each judged by the index model's calibration
    (`judge_hits`: "model", "match", "p_match", "direction"); with decode_thumbs, also "thumb_rgb": the
    thumbnail decoded here, in the worker, as (h, w, 3) RGB uint8 (None when missing)."""
    with _search_lock:
        idx = _index_for(db)
        check(is_cancelled)
        hits = idx.search(query, k=k, threshold=threshold, mode=mode, with_thumbs=True)
        manifest = manifest_of(idx)
    out = judge_hits([h.to_dict(with_thumb=True) for h in hits], manifest)
    if decode_thumbs:
        from .decode import decode_thumb
        for h in out:
            check(is_cancelled)
            h["thumb_rgb"] = decode_thumb(h["thumb"])
    return out


def manifest_of(idx) -> Optional[dict]:
    """The raw manifest of the model an index was built with (None when it cannot be loaded)."""
    try:
        return idx.model.manifest.raw
    except Exception:  # noqa: BLE001 - an index without a usable model gets no calibration
        return None


def judge_hits(hits: list[dict], manifest: Optional[dict]) -> list[dict]:
    """Each hit gains "model", "match" ("strong" | "weak" | "none"; None when the model has no calibration),
    "p_match" (the calibrated probability, or None) and "direction" ("forward" | "backwards" | "too close"; always "too close" for a hit that is not a strong match)."""
    from .calibrate import direction_call, judge, stored_calibration
    manifest = manifest or {}
    cal = stored_calibration(manifest)
    for h in hits:
        h["model"] = manifest.get("name")
        h.update(judge(h["score"], cal))
        h["direction"] = direction_call(h["score"], h["score_reversed"], cal)
        if h.get("match") in ("weak", "none"):  # which way a non-match fits better is noise: not called
            h["direction"] = "too close"
    return hits


def model_card(model: Optional[str]) -> dict:
    """The "card" of a model's manifest ({} when it has none, or the model is unknown)."""
    if not model:
        return {}
    try:
        from inference.runtime.registry import get_registry
        card = get_registry().get(model).raw.get("card")
    except Exception:  # noqa: BLE001 - no card for a model that is gone
        return {}
    return card if isinstance(card, dict) else {}


def calibration_for(model: Optional[str]) -> Optional[dict]:
    """The stored calibration of a model (None when it has none, or none is named)."""
    if not model:
        return None
    from .calibrate import calibration_of
    return calibration_of(model)


def nothing_matches(hits: list[dict]) -> bool:
    """True when the model is calibrated and no hit is "strong": every hit is "weak" (a guess) or "none"."""
    judged = [h for h in hits if h.get("match")]
    return bool(judged) and len(judged) == len(hits) and all(h["match"] != "strong" for h in judged)


def no_match_message(model: Optional[str]) -> str:
    """What to tell the user when nothing in the library matches: plainly, and what the model does know."""
    card = model_card(model)
    knows = ", ".join(card.get("knows", [])) or "what it was trained on"
    not_known = "; ".join(card.get("does_not_know", []))
    return (f"Nothing in the library matches this query as far as {model or 'the model'} can tell: every hit is "
            f"below its calibrated \"strong\" score (\"weak\" hits are guesses, \"none\" are not matches), so the ranking "
            f"below means little. It knows: {knows}."
            + (f" It does not know: {not_known}." if not_known else ""))


def search_summary(hits: list[dict], shown: int) -> str:
    """The line under the hits: how many are shown, and how many of each match strength."""
    if not hits:
        return "no hits"
    text = f"{shown} of {len(hits)} hits shown"
    if hits[0].get("match"):
        counts = {m: sum(h.get("match") == m for h in hits) for m in ("strong", "weak", "none")}
        text += " — " + ", ".join(f"{n} {m}" for m, n in counts.items() if n)
    return text


MATCH_TAG = {"strong": "strong match", "weak": "weak match", "none": "no match"}


def hits_legend(model: Optional[str]) -> str:
    """The legend under the hit grid: what the tags, the grey and the red captions mean."""
    cal = None
    if model:
        from .calibrate import calibration_of
        cal = calibration_of(model)
    if not cal:
        return ("Red caption: the segment fits the query better played backwards. "
                "(This model has no calibration: scores are raw cosines.)")
    return (f"Tags: strong match (score ≥ {cal['strong']:.2f}), weak match (≥ {cal['weak']:.2f}), no match "
            f"(below, greyed) — thresholds fitted on held-out clips for {model}. Red caption: the segment fits "
            f"the query better played backwards (by more than {cal['direction_margin']:.3g}).")


def hit_tooltip(h: dict) -> str:
    """The tooltip of a hit: its file, and what its tag, probability and colour mean."""
    lines = [h["path"], f"score {h['score']:+.3f} (played reversed {h['score_reversed']:+.3f})"]
    m = h.get("match")
    if m:
        p = f", P(match) ≈ {h['p_match']:.2f} at even odds" if h.get("p_match") is not None else ""
        from .calibrate import STRONG_FPR, WEAK_QUANTILE
        lines.append({"strong": f"strong match: scores above all but {100 * STRONG_FPR:g}% of non-matching held-out pairs",
                      "weak": "weak match: in the range where matches and non-matches overlap on held-out clips",
                      "none": f"no match: below what {100 * (1 - WEAK_QUANTILE):g}% of true matches on held-out "
                              f"clips score (greyed)"}[m] + p)
    d = h.get("direction")
    if d == "backwards" and m != "none":
        lines.append("red: the query fits this segment better played backwards")
    elif d == "too close":
        lines.append("forward and reversed are too close to call")
    return "\n".join(lines)


def hit_style(h: dict) -> dict:
    """How a hit is drawn: {"grey": thumbnail and caption greyed (no match), "faded": weak,
    "red": caption red (fits better played backwards; not for a non-match)}."""
    m = h.get("match")
    backwards = h.get("direction", "backwards" if h["score_reversed"] > h["score"] + 0.02 else "forward") == "backwards"
    return {"grey": m == "none", "faded": m == "weak", "red": backwards and m != "none"}


def shown_thumb(rgb: Optional[np.ndarray], h: dict) -> Optional[np.ndarray]:
    """The thumbnail as drawn: greyscale and washed out for a non-match, washed out a little for a weak one."""
    if rgb is None:
        return None
    st = hit_style(h)
    if not (st["grey"] or st["faded"]):
        return rgb
    x = rgb.astype(np.float32)
    if st["grey"]:
        x = np.repeat(x @ np.array([[0.299], [0.587], [0.114]], np.float32), 3, axis=2)
    a = 0.55 if st["grey"] else 0.3
    return np.ascontiguousarray((x * (1 - a) + 235 * a).clip(0, 255).astype(np.uint8))


def preview_frames(path: str, start: float, end: float, max_frames: int = 64, width: int = 320,
                   progress=None, is_cancelled=None) -> list[np.ndarray]:
    """RGB frames of [start, end] (for playing a hit's segment), sequential decoding."""
    import cv2
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    if not cap.isOpened():
        raise InputError(f"{Path(path).name} cannot be opened for preview", "is the file still there?")
    try:
        fps = cap.get(cv2.CAP_PROP_FPS)
        fps = fps if fps and 1 <= fps <= 1000 else 25.0
        step = max(1, int(round((end - start) * fps / max_frames)))
        out, i = [], 0
        while True:
            if i % 16 == 0:
                check(is_cancelled)
            if not cap.grab():
                break
            t = i / fps
            i += 1
            if t < start - 1e-6 or (i - 1 - int(start * fps)) % step:
                continue
            if t > end + 1e-6:
                break
            ok, f = cap.retrieve()
            if not ok:
                continue
            h, w = f.shape[:2]
            f = cv2.resize(f, (width, max(1, int(h * width / w))), interpolation=cv2.INTER_AREA)
            out.append(np.ascontiguousarray(f[..., ::-1]))
        return out
    finally:
        cap.release()


def evaluate_models(annotations: str, videos: str, models: list[str], limit: int = 0, progress=None,
                    is_cancelled=None) -> dict:
    """Run the RTime evaluator for each model; {model: result}."""
    from .evaluate import evaluate
    out = {}
    for k, m in enumerate(models):
        p = sub_progress(progress, k / len(models), (k + 1) / len(models))
        out[m] = evaluate(annotations, videos, model=m, limit=limit, progress=p, is_cancelled=is_cancelled)
    return out


# ----------------------------------------------------------------------------- what the panel shows
def format_time(t: float) -> str:
    """Seconds as m:ss.s (a hit's segment bounds)."""
    m, s = divmod(max(0.0, t), 60)
    return f"{int(m)}:{s:04.1f}"


def index_summary(res: dict) -> str:
    """One line on an indexing run (the result of `index_folders`)."""
    rep, st = res["report"], res["stats"]
    fps = rep["frames_decoded"] / rep["seconds"] if rep["seconds"] else 0
    return (f"{len(rep['indexed'])} indexed, {rep['unchanged']} unchanged, {len(rep['copied'])} copies, "
            f"{len(rep['skipped'])} skipped, {rep['removed']} removed — {rep['frames_decoded']} frames in "
            f"{rep['seconds']:.1f} s ({fps:.0f}/s). Library: {st['files']} videos, {st['segments']} segments.")


def library_summary(st: dict) -> str:
    """One line on the library (the result of `library_stats`); "" when it is empty."""
    if not st.get("files"):
        return ""
    return f"library: {st['files']} videos, {st['segments']} segments ({st.get('model')})"


def hits_above(hits: list[dict], threshold: float) -> list[dict]:
    """The hits scoring at least threshold, in rank order."""
    return [h for h in hits if h["score"] >= threshold]


def hit_caption(h: dict) -> str:
    """The text under a hit's thumbnail (with its match tag when the model is calibrated)."""
    tag = f" · {MATCH_TAG[h['match']]}" if h.get("match") in MATCH_TAG else ""
    return (f"{Path(h['path']).name}\n{format_time(h['start'])}–{format_time(h['end'])}\n"
            f"score {h['score']:+.3f}{tag}")


def direction_of(forward: float, reversed_: float, cal: Optional[dict] = None, match: Optional[str] = None) -> dict:
    """How a query fits a segment played forward vs reversed: each cosine as a 0..1 bar fill, and a verdict;
    "backwards" is True when the reversed segment fits better by more than the margin. With a calibration
    (the model's manifest "calibration"), a difference within its direction margin is "too close to call", and
    an order-blind model says so; with match "none" the verdict says the direction means nothing here, and with
    match "weak" it makes no call (only a strong match gets one, as in the hit list)."""
    from .calibrate import direction_call

    def fill(v: float) -> float:
        return max(0.0, min(1.0, (v + 1) / 2))

    d = forward - reversed_
    call = direction_call(forward, reversed_, cal)
    order_blind = bool(cal) and (cal.get("held_out") or {}).get("direction_called") == 0
    if call == "too close" and order_blind:
        verdict = ("This model is order-blind: it scores a segment and its reversal alike, so it cannot tell "
                   "which way the segment plays.")
    elif call == "too close" and cal:
        verdict = (f"Too close to call: forward and reversed differ by {abs(d):.3f}, within this model's margin "
                   f"of {cal['direction_margin']:.3g} (beyond it, 95% of direction calls on held-out clips were "
                   f"right).")
    elif call == "too close":
        verdict = "Direction does not matter for this match (forward ≈ reversed)."
    elif call == "forward":
        verdict = f"The query fits this segment as it plays (by {d:+.3f}), not reversed."
    else:
        verdict = f"The query fits this segment better played BACKWARDS (by {-d:+.3f})."
    if match == "none":
        verdict = ("No match: the query does not fit this segment either way (score below the model's \"weak\" "
                   f"threshold), so forward vs reversed ({d:+.3f}) means nothing here.")
    elif match == "weak" and call in ("forward", "backwards"):
        # as in the hit list (judge_hits): only a strong match gets a direction call
        verdict = (f"Weak match (a guess): played {'forward' if d > 0 else 'reversed'} it fits a little better "
                   f"({d:+.3f}), but which way a guess fits better is no evidence of direction; no call.")
        call = "too close"
    return {"forward": fill(forward), "reversed": fill(reversed_), "verdict": verdict,
            "backwards": call == "backwards" and match != "none", "call": call}


def eval_rows(results: dict) -> list[list[str]]:
    """{model: evaluate() result} → the evaluation table's rows: model, task, R@1, R@5, R@10, MdR, MnR."""
    rows = []
    for m, r in results.items():
        for task in ("origin", "hard"):
            if r.get(task):
                for d in ("t2v", "v2t"):
                    x = r[task][d]
                    rows.append([m, f"{task} {d}", f"{100 * x['R@1']:.1f}", f"{100 * x['R@5']:.1f}",
                                 f"{100 * x['R@10']:.1f}", f"{x['MdR']:.1f}", f"{x['MnR']:.1f}"])
        if r.get("binary"):
            b = r["binary"]
            rows.append([m, "binary", f"t2v {100 * b['t2v_acc']:.1f}%", f"v2t {100 * b['v2t_acc']:.1f}%", "", "", ""])
    return rows


def eval_summary(results: dict) -> str:
    """One line: clips evaluated, and per model Binary t2v / v2t and Hard t2v R@1."""
    summary = "; ".join(f"{m}: Binary t2v {100 * r['binary']['t2v_acc']:.1f}% / v2t {100 * r['binary']['v2t_acc']:.1f}%, "
                        f"Hard t2v R@1 {100 * r['hard']['t2v']['R@1']:.1f}%"
                        for m, r in results.items() if r.get("binary"))
    return f"{next(iter(results.values()))['n_clips']} clips. {summary}"


def binary_bars(results: dict) -> dict:
    """The evaluation plot as bars: RTime-Binary text→video accuracy per event family and model (side by side
    around each family's tick), or, without families (real RTime), overall per model.
    {"bars": [{"model", "x", "height", "width"}], "ticks": [(x, label)], "chance": 0.5 or None}."""
    fams = sorted({f for r in results.values() for f in (r.get("binary_per_family") or {})})
    if fams:
        n = len(results)
        width = 0.8 / n
        bars = []
        for k, (m, r) in enumerate(results.items()):
            per = r.get("binary_per_family") or {}
            bars.append({"model": m, "x": [i + (k - (n - 1) / 2) * width for i in range(len(fams))],
                         "height": [per.get(f, {}).get("t2v_acc", 0) for f in fams], "width": width})
        return {"bars": bars, "ticks": [(i, f[:6]) for i, f in enumerate(fams)], "chance": 0.5}
    ms = list(results)
    return {"bars": [{"model": None, "x": list(range(len(ms))), "width": 0.6,
                      "height": [(results[m].get("binary") or {}).get("t2v_acc", 0) for m in ms]}],
            "ticks": [(i, m) for i, m in enumerate(ms)], "chance": None}


def sample_parts(folder: str) -> dict:
    """The video sample (resources/samples/video/, see its README): {"clips": the folder of clips,
    "annotations": their RTime test.json, "query": its first clip's caption, which finds that clip}."""
    root = Path(folder)
    ann = load_annotations(root / "test.json")
    return {"clips": str(root / "clips"), "annotations": str(root / "test.json"),
            "query": ann[sorted(ann)[0]]["forward_captions"][0]}
