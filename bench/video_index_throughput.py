"""Indexing throughput (frames/s) against a decode-only pass over the same files.

    .venv/bin/python bench/video_index_throughput.py [--copies 12]

decode-only = the indexer's own decoding work (sequential grab, keep ≤8 frames/s, resize, sample
16 per 4 s segment) in one process, nothing else; grab-only = FFmpeg decoding with no pixel
conversion at all (the hard floor). index = the full `VideoIndex.index` run on a fresh database
(hash, isolated decoder process, ONNX video encoder forward + reversed, thumbnails, SQLite commits).
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from video_common import make_library  # noqa: E402
from inference.video.decode import decode_only, iter_segments  # noqa: E402
from inference.video.index import VideoIndex  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--copies", type=int, default=12)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        files = make_library(Path(tmp) / "lib", args.copies)
        # warm the page cache and the decoder once
        for f in files[:2]:
            decode_only(str(f))
        t = time.perf_counter()
        grabbed = sum(decode_only(str(f)) for f in files)
        t_grab = time.perf_counter() - t
        t = time.perf_counter()
        frames = 0
        from inference.video.decode import DecodeInfo
        for f in files:
            info = DecodeInfo(str(f))
            for _ in iter_segments(str(f), n_frames=16, size=64, segment_s=4.0, keep_fps=8.0, thumbs=True, info=info):
                pass
            frames += info.frames_read
        t_dec = time.perf_counter() - t
        with VideoIndex(Path(tmp) / "bench.db") as idx:
            idx.model.encode_text(["warm up"])  # load the model outside the timing
            t = time.perf_counter()
            rep = idx.index([Path(tmp) / "lib"])
            t_idx = time.perf_counter() - t
            t = time.perf_counter()
            rep2 = idx.index([Path(tmp) / "lib"])
            t_again = time.perf_counter() - t
        res = {"files": len(files), "frames": frames,
               "grab_only_fps": grabbed / t_grab, "decode_only_fps": frames / t_dec,
               "index_fps": rep.frames_decoded / t_idx, "index_vs_decode_only": (rep.frames_decoded / t_idx) / (frames / t_dec),
               "segments": rep.segments_added, "second_run_s": t_again, "second_run_unchanged": rep2.unchanged,
               "second_run_frames_decoded": rep2.frames_decoded}
    if args.json:
        print(json.dumps(res))
    else:
        print(f"{res['files']} files, {res['frames']} frames ({res['segments']} segments)")
        print(f"grab only (no pixels):  {res['grab_only_fps']:8.0f} frames/s")
        print(f"decode-only pass:       {res['decode_only_fps']:8.0f} frames/s")
        print(f"index (full pipeline):  {res['index_fps']:8.0f} frames/s = {100 * res['index_vs_decode_only']:.0f}% of decode-only")
        print(f"second run: {res['second_run_unchanged']} unchanged, {res['second_run_frames_decoded']} frames decoded, {res['second_run_s']:.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
