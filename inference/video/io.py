"""The video panel's files in and out: which files it opens, RTime annotation files, the folder of clips an
annotation file names, and search results written as CSV. (Decoding the videos themselves is decode.py.)

Imports nothing heavy at module level: `inference.panels` reads `FILE_KINDS` to route drops.
"""
from __future__ import annotations

import csv
import json
from pathlib import Path

from inference.runtime.errors import InputError

VIDEO_EXTS = {".mp4", ".m4v", ".mov", ".mkv", ".webm", ".avi", ".mpg", ".mpeg", ".wmv", ".flv", ".3gp", ".ts", ".mts"}

# what this panel opens (inference.panels reads it for drop routing and file dialogs)
FILE_KINDS = {"video": tuple(sorted(VIDEO_EXTS)), "folder": ()}


def load_annotations(path) -> dict:
    """An RTime split file (`test.json`: {clip id: {forward_captions, reverse_captions, …}})."""
    p = Path(path)
    if not p.is_file():
        raise InputError(f"annotation file {p} not found", "pass RTime's test.json (or one made by `mmwb video synth`)")
    try:
        ann = json.loads(p.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as e:
        raise InputError(f"{p.name} is not valid JSON ({e})", "pass RTime's test.json") from None
    if not isinstance(ann, dict) or not ann:
        raise InputError(f"{p.name} holds no clips", "RTime split files are objects keyed by clip id")
    bad = [k for k, v in ann.items() if not isinstance(v, dict) or not v.get("forward_captions")]
    if bad:
        raise InputError(f"{p.name}: {len(bad)} entries have no forward_captions (e.g. '{bad[0]}')",
                         "this is not an RTime split file")
    return ann


def find_videos(folder, ids) -> dict:
    """clip id → its video file in folder (named <clip id>.<any video extension>), for the ids that have one."""
    d = Path(folder)
    if not d.is_dir():
        raise InputError(f"video folder {d} not found", "pass the folder holding the clips named <clip id>.<ext>")
    by_stem = {}
    for f in d.iterdir():
        if f.suffix.lower() in VIDEO_EXTS:
            by_stem.setdefault(f.stem, f)
    return {i: by_stem[i] for i in ids if i in by_stem}


def write_hits_csv(hits: list[dict], path: str) -> int:
    """Search hits as CSV (rank, path, start, end, both scores); returns how many rows were written."""
    try:
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["rank", "path", "start_s", "end_s", "score", "score_reversed"])
            for r, h in enumerate(hits, 1):
                w.writerow([r, h["path"], h["start"], h["end"], h["score"], h["score_reversed"]])
    except OSError as e:
        raise InputError(f"cannot write {path} ({e.strerror})", "choose another file") from None
    return len(hits)
