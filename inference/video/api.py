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
    """The top-k hits as dicts (with the JPEG "thumb"); with decode_thumbs, also "thumb_rgb": the thumbnail
    decoded here, in the worker, as (h, w, 3) RGB uint8 (None when missing)."""
    with _search_lock:
        idx = _index_for(db)
        check(is_cancelled)
        hits = idx.search(query, k=k, threshold=threshold, mode=mode, with_thumbs=True)
    out = [h.to_dict(with_thumb=True) for h in hits]
    if decode_thumbs:
        from .decode import decode_thumb
        for h in out:
            check(is_cancelled)
            h["thumb_rgb"] = decode_thumb(h["thumb"])
    return out


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
    """The text under a hit's thumbnail."""
    return f"{Path(h['path']).name}\n{format_time(h['start'])}–{format_time(h['end'])}\nscore {h['score']:+.3f}"


def direction_of(forward: float, reversed_: float) -> dict:
    """How a query fits a segment played forward vs reversed: each cosine as a 0..1 bar fill, and a verdict;
    "backwards" is True when the reversed segment fits better."""
    def fill(v: float) -> float:
        return max(0.0, min(1.0, (v + 1) / 2))

    d = forward - reversed_
    if abs(d) < 0.02:
        verdict = "Direction does not matter for this match (forward ≈ reversed)."
    elif d > 0:
        verdict = f"The query fits this segment as it plays (by {d:+.3f}), not reversed."
    else:
        verdict = f"The query fits this segment better played BACKWARDS (by {-d:+.3f})."
    return {"forward": fill(forward), "reversed": fill(reversed_), "verdict": verdict, "backwards": d < 0}


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
