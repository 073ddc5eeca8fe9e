"""The functions the video panel runs as jobs (plain functions: progress / is_cancelled, no Qt)."""
from __future__ import annotations

import csv
import threading
from pathlib import Path
from typing import Optional

import numpy as np

from inference.runtime.cancel import check, sub_progress
from inference.runtime.errors import InputError

from .index import VideoIndex

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


def export_csv(hits: list[dict], path: str) -> int:
    try:
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["rank", "path", "start_s", "end_s", "score", "score_reversed"])
            for r, h in enumerate(hits, 1):
                w.writerow([r, h["path"], h["start"], h["end"], h["score"], h["score_reversed"]])
    except OSError as e:
        raise InputError(f"cannot write {path} ({e.strerror})", "choose another file") from None
    return len(hits)


def evaluate_models(annotations: str, videos: str, models: list[str], limit: int = 0, progress=None,
                    is_cancelled=None) -> dict:
    """Run the RTime evaluator for each model; {model: result}."""
    from .evaluate import evaluate
    out = {}
    for k, m in enumerate(models):
        p = sub_progress(progress, k / len(models), (k + 1) / len(models))
        out[m] = evaluate(annotations, videos, model=m, limit=limit, progress=p, is_cancelled=is_cancelled)
    return out
