"""Decoding (real files, bad files, isolation) and the incremental SQLite index."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from inference.runtime.errors import InputError
from inference.video.decode import DecodeWorker, iter_segments, read_clip

from .conftest import REPO, needs_models


def test_real_h264_files_are_cut_into_timed_segments(shared_data):
    bikes = shared_data / "videos" / "bikes.mp4"  # H.264, 640x272, 10 s
    segs = list(iter_segments(str(bikes), n_frames=16, size=64, segment_s=4.0, thumbs=True))
    assert [(s.start, round(s.end, 2)) for s in segs] == [(0.0, 4.0), (4.0, 8.0), (8.0, 10.0)]
    assert all(s.frames.shape == (16, 64, 64, 3) and s.frames.dtype == np.uint8 for s in segs)
    assert all(s.thumb and s.thumb[:2] == b"\xff\xd8" for s in segs)  # JPEG thumbnails
    clip = read_clip(str(shared_data / "videos" / "carphone_pristine.mp4"))
    assert clip.shape == (16, 64, 64, 3) and clip.std() > 5


@pytest.mark.parametrize("name,content", [("empty.mp4", b""), ("text.mp4", b"not a video\n" * 50)])
def test_bad_files_raise_input_error(tmp_path, name, content):
    p = tmp_path / name
    p.write_bytes(content)
    with pytest.raises(InputError) as e:
        list(iter_segments(str(p)))
    assert e.value.hint


def test_worker_survives_bad_files_and_times_out(tmp_path, shared_data):
    bad = tmp_path / "bad.mp4"
    bad.write_bytes(b"\x00" * 1000)
    with DecodeWorker(timeout_s=30) as w:
        with pytest.raises(InputError):
            list(w.segments(str(bad)))
        segs = list(w.segments(str(shared_data / "videos" / "carphone_pristine.mp4")))
        assert len(segs) == 1 and w.last_info.frames_read == 120
    # a decoder that hangs (injected: the child process sleeps before decoding) is killed at the limit,
    # and the worker restarts for the next file
    os.environ["MMWB_FAULT_DECODE_HANG_S"] = "60"
    try:
        w = DecodeWorker(timeout_s=1.0, per_mb_s=0.0).__enter__()
        with pytest.raises(InputError, match="longer than"):
            list(w.segments(str(shared_data / "videos" / "bikes.mp4")))
    finally:
        del os.environ["MMWB_FAULT_DECODE_HANG_S"]
    with w:
        w.timeout_s = 30
        assert len(list(w.segments(str(shared_data / "videos" / "carphone_pristine.mp4")))) == 1


@needs_models
def test_index_mixed_folder_then_incremental(tmp_path, mixed_folder):
    from inference.video.index import VideoIndex
    db = tmp_path / "lib.db"
    with VideoIndex(db) as idx:
        rep = idx.index([mixed_folder])
        assert len(rep.indexed) == 3
        reasons = {Path(s["path"]).name: s["reason"] for s in rep.skipped}
        assert set(reasons) == {"empty.mp4", "notavideo.mp4", "truncated.mp4", "notes.txt"}
        assert "empty" in reasons["empty.mp4"] and "not a video" in reasons["notes.txt"]
        st = idx.stats()
        assert st["files"] == 3 and st["skipped"] == 4 and st["segments"] == 3
        # second run: nothing unchanged is re-read
        rep2 = idx.index([mixed_folder])
        assert rep2.indexed == [] and rep2.unchanged == 7 and rep2.frames_decoded == 0
        assert len(rep2.skipped) == 4  # still listed, with their reasons
        # touched file (same content): re-hashed, not decoded; a copy reuses the vectors
        f = sorted(mixed_folder.glob("0*.mp4"))[0]
        os.utime(f, (time.time() + 5, time.time() + 5))
        shutil.copy(f, mixed_folder / "copy.mp4")
        rep3 = idx.index([mixed_folder])
        assert rep3.indexed == [] and rep3.rehashed_same == 1 and len(rep3.copied) == 1
        # a deleted file leaves the index
        (mixed_folder / "copy.mp4").unlink()
        assert idx.index([mixed_folder]).removed == 1


@needs_models
def test_search_finds_the_clip_and_where(tmp_path, synth_dir):
    from inference.video.index import VideoIndex
    ann = json.loads((synth_dir / "test.json").read_text())
    with VideoIndex(tmp_path / "s.db") as idx:
        idx.index([synth_dir])
        cid = sorted(ann)[0]
        hits = idx.search(ann[cid]["forward_captions"][0], k=5)
        assert len(hits) == 5 and hits[0].score >= hits[-1].score
        assert all(h.end > h.start for h in hits)
        exact = idx.search_vector(idx.model.encode_text(["a red ball"])[0], k=5, mode="exact")
        approx = idx.search_vector(idx.model.encode_text(["a red ball"])[0], k=5, mode="approx")
        assert exact[0].segment_id == approx[0].segment_id
        assert Path(str(tmp_path / "s.db") + ".usearch").exists()
        none = idx.search("a red ball", k=5, threshold=1.01)
        assert none == []
        with pytest.raises(InputError):
            idx.search("   ", k=3)


KILL_SCRIPT = r"""
import sys, time
from inference.video.index import VideoIndex
def slow(path, outcome):
    print("done", path, outcome, flush=True)
    time.sleep(1.0)
VideoIndex(sys.argv[1]).index([sys.argv[2]], on_file=slow)
"""


@needs_models
def test_kill_mid_run_loses_no_finished_file(tmp_path, synth_dir):
    from inference.video.index import VideoIndex
    db = tmp_path / "k.db"
    proc = subprocess.Popen([sys.executable, "-c", KILL_SCRIPT, str(db), str(synth_dir)], cwd=REPO,
                            stdout=subprocess.PIPE, text=True)
    done = []
    for line in proc.stdout:
        if line.startswith("done") and line.split()[-1] == "indexed":
            done.append(line.split()[1])
        if len(done) == 3:
            proc.kill()
            break
    proc.wait(10)
    with VideoIndex(db) as idx:
        kept = {p for (p,) in idx.conn.execute("SELECT path FROM files WHERE status='ok'")}
        assert set(done) <= kept
        rep = idx.index([synth_dir])
        assert not set(rep.indexed) & set(done)  # finished files were not read again
        assert idx.stats()["files"] == len(list(synth_dir.glob("*.mp4")))
