"""Helpers shared by the video benches (not a bench itself)."""
from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_VIDEOS = REPO.parent / "shared" / "data" / "videos"


def make_library(folder: Path, copies: int = 12) -> list[Path]:
    """Distinct files made from the real H.264 test videos: each copy gets a unique trailer after the
    last MP4 box (decoders ignore it), so every file has its own hash and is really decoded."""
    folder.mkdir(parents=True, exist_ok=True)
    src = sorted(SHARED_VIDEOS.glob("*.mp4"))
    if not src:
        raise SystemExit(f"no videos in {SHARED_VIDEOS}")
    out = []
    for k in range(copies):
        for s in src:
            p = folder / f"{s.stem}_{k:03d}.mp4"
            if not p.exists():
                shutil.copyfile(s, p)
                with open(p, "ab") as f:
                    f.write(b"\0\0\0\x10free" + k.to_bytes(8, "big"))
            out.append(p)
    return out
