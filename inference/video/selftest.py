"""Video panel self-test (for `mmwb --self-test`): render four directional clips, index them with the
shipped default model, search by text, and check that each clip scores higher with its own caption than
with its reverse caption (the direction of time)."""
from __future__ import annotations

import json
from pathlib import Path

from inference.runtime.errors import WorkbenchError


def run(work: Path) -> str:
    from .decode import read_clip
    from .api import index_folders, search_library
    from .model import VideoTextModel
    from .synth import generate

    clips = work / "clips"
    generate(clips, n=4, seed=4242, split="train")
    ann = json.loads((clips / "train.json").read_text())
    res = index_folders(str(work / "lib.db"), [str(clips)])
    if res["stats"].get("files", 0) != 4:
        raise WorkbenchError(f"video: expected 4 indexed files, got {res['stats']}")
    hits = search_library(str(work / "lib.db"), next(iter(ann.values()))["forward_captions"][0], k=4)
    if len(hits) < 1:
        raise WorkbenchError("video: search returned nothing")
    model = VideoTextModel()
    right = 0
    for cid, item in ann.items():
        v = model.encode_video(read_clip(str(clips / f"{cid}.mp4"), model.n_frames, model.size)[None])[0]
        t = model.encode_text([item["forward_captions"][0], item["reverse_captions"][0]])
        right += int(float(t[0] @ v) > float(t[1] @ v))
    if right < 3:
        raise WorkbenchError(f"video: the direction of time was right on only {right}/4 clips")
    return f"indexed 4 clips, searched, direction right on {right}/4 ({model.name}, {model.provider})"
