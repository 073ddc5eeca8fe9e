"""Video decoding with OpenCV: sequential `grab()` (no seeking), frames kept at a capped rate, cut
into fixed-length segments, each sampled to the model's frame count.

Untrusted files are decoded in a child process (:class:`DecodeWorker`) with a time limit, so a file
that hangs or crashes the decoder costs one skipped entry, never the run.
"""
from __future__ import annotations

import logging
import multiprocessing as mp
import os
import queue
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator, Optional

import numpy as np

from inference.runtime.errors import InputError

log = logging.getLogger(__name__)


@dataclass
class Segment:
    start: float                 # seconds
    end: float                   # seconds
    frames: np.ndarray           # (T, size, size, 3) uint8 RGB, in time order
    thumb: Optional[bytes] = None  # JPEG of the middle frame (for the GUI)


@dataclass
class DecodeInfo:
    path: str
    fps: float = 0.0
    duration: float = 0.0
    frames_read: int = 0         # frames decoded (grabbed), the unit of throughput
    width: int = 0
    height: int = 0
    rotation: int = 0
    segments: list = field(default_factory=list)


def _resize(frame_bgr: np.ndarray, size: int) -> np.ndarray:
    import cv2
    h, w = frame_bgr.shape[:2]
    # centre crop to a square, then resize (the model sees square frames)
    s = min(h, w)
    y0, x0 = (h - s) // 2, (w - s) // 2
    crop = frame_bgr[y0:y0 + s, x0:x0 + s]
    small = cv2.resize(crop, (size, size), interpolation=cv2.INTER_AREA)
    return small[..., ::-1]  # BGR -> RGB


def _thumb(frame_bgr: np.ndarray, width: int = 160) -> bytes:
    import cv2
    h, w = frame_bgr.shape[:2]
    scale = width / max(w, 1)
    small = cv2.resize(frame_bgr, (width, max(1, int(round(h * scale)))), interpolation=cv2.INTER_AREA)
    ok, buf = cv2.imencode(".jpg", small, [cv2.IMWRITE_JPEG_QUALITY, 80])
    return buf.tobytes() if ok else b""


def decode_thumb(jpeg: Optional[bytes]) -> Optional[np.ndarray]:
    """A stored JPEG thumbnail (see `_thumb`) → (h, w, 3) RGB uint8, C-contiguous; None when missing or
    unreadable."""
    if not jpeg:
        return None
    import cv2
    im = cv2.imdecode(np.frombuffer(jpeg, np.uint8), cv2.IMREAD_COLOR)
    return None if im is None else np.ascontiguousarray(im[..., ::-1])


def sample_indices(n_have: int, n_want: int) -> np.ndarray:
    """n_want indices spread uniformly over n_have items (repeats when there are fewer)."""
    if n_have <= 0:
        return np.zeros(0, int)
    return np.minimum((np.arange(n_want) + 0.5) * n_have / n_want, n_have - 1).astype(int)


def iter_segments(path: str, n_frames: int = 16, size: int = 64, segment_s: float = 4.0,
                  keep_fps: float = 8.0, thumbs: bool = False, info: Optional[DecodeInfo] = None,
                  should_stop=None) -> Iterator[Segment]:
    """Decode `path` sequentially and yield segments of `segment_s` seconds (a video shorter than
    1.5 segments is one segment). Raises InputError when the file cannot be decoded at all."""
    import cv2
    p = Path(path)
    if not p.is_file():
        raise InputError(f"{p.name}: no such file", "check the path")
    if p.stat().st_size == 0:
        raise InputError(f"{p.name}: empty file (0 bytes)", "the file holds no video")
    cap = cv2.VideoCapture(str(p), cv2.CAP_FFMPEG)
    if not cap.isOpened():
        raise InputError(f"{p.name}: not a readable video (unknown format, corrupt header or unsupported codec)",
                         "re-encode it (e.g. to H.264 MP4) or remove it")
    try:
        fps = cap.get(cv2.CAP_PROP_FPS)
        if not (fps and 1.0 <= fps <= 1000.0):
            fps = 25.0
        count = cap.get(cv2.CAP_PROP_FRAME_COUNT)
        duration_hint = count / fps if count and count > 0 else 0.0
        try:
            rotation = int(cap.get(cv2.CAP_PROP_ORIENTATION_META) or 0)
        except Exception:  # pragma: no cover - older OpenCV
            rotation = 0
        if info is not None:
            info.fps, info.rotation = fps, rotation
            info.width = int(cap.get(cv2.CAP_PROP_FRAME_WIDTH))
            info.height = int(cap.get(cv2.CAP_PROP_FRAME_HEIGHT))
        # a short video (by its header) is sampled over all its frames; a long one is cut into windows
        single = 0 < duration_hint < 1.5 * segment_s
        keep_dt = 0.0 if single else 1.0 / keep_fps
        kept: list[np.ndarray] = []
        kept_t: list[float] = []
        mid_thumb: Optional[bytes] = None
        first_thumb: Optional[bytes] = None
        seg_start = 0.0
        i = 0
        last_keep = -1e9
        t = 0.0
        while True:
            if should_stop is not None and i % 32 == 0 and should_stop():
                return
            if not cap.grab():
                break
            t = i / fps
            i += 1
            if t - last_keep + 1e-9 >= keep_dt:
                ok, frame = cap.retrieve()
                if not ok or frame is None:
                    continue
                if frame.ndim == 2:
                    frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
                last_keep = t
                kept.append(_resize(frame, size))
                kept_t.append(t)
                if thumbs and mid_thumb is None and t >= seg_start + segment_s / 2 - 1e-9:
                    mid_thumb = _thumb(frame)
                if thumbs and first_thumb is None:
                    first_thumb = _thumb(frame)
            if not single and t >= seg_start + segment_s - 1e-9 and kept:
                # the window [seg_start, seg_start + segment_s) is complete (t is its first frame past it)
                inside = [k for k, tt in enumerate(kept_t) if tt < seg_start + segment_s - 1e-9]
                if inside:
                    idx = sample_indices(len(inside), n_frames)
                    frames = np.stack([kept[inside[j]] for j in idx])
                    yield Segment(seg_start, seg_start + segment_s, frames,
                                  (mid_thumb or first_thumb) if thumbs else None)
                n_in = len(inside)
                kept, kept_t = kept[n_in:], kept_t[n_in:]
                seg_start += segment_s
                mid_thumb = first_thumb = None
        if info is not None:
            info.frames_read = i
            info.duration = i / fps
        if i == 0:
            raise InputError(f"{p.name}: no frame could be decoded (corrupt, truncated or unsupported codec)",
                             "re-encode it or remove it")
        end = i / fps
        # the tail: a whole short video, or a last partial window of at least a quarter segment
        if kept and (single or seg_start == 0.0 or (end - seg_start) >= 0.25 * segment_s):
            idx = sample_indices(len(kept), n_frames)
            yield Segment(seg_start, end, np.stack([kept[j] for j in idx]),
                          (mid_thumb or first_thumb) if thumbs else None)
    finally:
        cap.release()


def read_clip(path: str, n_frames: int = 16, size: int = 64) -> np.ndarray:
    """The whole video as one clip of n_frames (T, size, size, 3) uint8 RGB, sampled uniformly.
    Used for clip-level evaluation (RTime clips are short)."""
    segs = list(iter_segments(path, n_frames=n_frames, size=size, segment_s=1e9))
    if not segs:
        raise InputError(f"{Path(path).name}: no frame could be decoded", "re-encode it or remove it")
    return segs[0].frames


def decode_only(path: str) -> int:
    """A decode-only pass (sequential grab, no retrieve): the throughput limit for indexing."""
    import cv2
    cap = cv2.VideoCapture(str(path), cv2.CAP_FFMPEG)
    n = 0
    try:
        while cap.grab():
            n += 1
    finally:
        cap.release()
    return n


# ----------------------------------------------------------------------------- isolated decoding
def _worker_main(req_q, res_q) -> None:  # pragma: no cover - runs in the child process
    os.environ.setdefault("OPENCV_LOG_LEVEL", "ERROR")
    try:
        os.nice(5)  # decoding yields the CPU to the user's interface
    except (AttributeError, OSError):
        pass
    try:
        import cv2
        cv2.setNumThreads(1)
    except Exception:
        pass
    parent = os.getppid()
    while True:
        try:
            req = req_q.get(timeout=1.0)
        except queue.Empty:
            if os.getppid() != parent:  # the indexer was killed: do not linger as an orphan (and do not
                os._exit(0)             # wait at exit to flush results nobody will read)
            continue
        if req is None:
            return
        job_id, path, kw = req
        info = DecodeInfo(path)
        hang = float(os.environ.get("MMWB_FAULT_DECODE_HANG_S", "0") or 0)
        if hang > 0:  # fault injection for the tests: a decoder that hangs on every file
            time.sleep(hang)
        try:
            for seg in iter_segments(path, info=info, **kw):
                res_q.put((job_id, "segment", seg))
            res_q.put((job_id, "done", info))
        except InputError as e:
            res_q.put((job_id, "error", (e.message, e.hint)))
        except Exception as e:  # a decoder bug must not kill the worker silently
            res_q.put((job_id, "error", (f"{Path(path).name}: decoder failed ({type(e).__name__}: {e})",
                                         "re-encode it or remove it")))


class DecodeTimeout(InputError):
    pass


class DecodeWorker:
    """A child process that decodes one file at a time; killed and restarted when a file takes
    longer than the time limit or crashes it. Use as a context manager."""

    def __init__(self, timeout_s: float = 60.0, per_mb_s: float = 2.0):
        self.timeout_s = timeout_s
        self.per_mb_s = per_mb_s
        self._ctx = mp.get_context("spawn")
        self._proc = None
        self._req = None
        self._res = None
        self._job = 0
        self._pending: dict = {}

    def _start(self) -> None:
        self._req = self._ctx.Queue()
        self._res = self._ctx.Queue(maxsize=64)
        self._proc = self._ctx.Process(target=_worker_main, args=(self._req, self._res), daemon=True)
        self._proc.start()

    def _kill(self) -> None:
        if self._proc is not None:
            try:
                self._proc.kill()
                self._proc.join(5)
            except Exception:  # pragma: no cover
                pass
        for q in (self._req, self._res):
            if q is not None:
                try:
                    q.cancel_join_thread()
                    q.close()
                except Exception:  # pragma: no cover
                    pass
        self._proc = self._req = self._res = None
        self._pending = {}

    def close(self) -> None:
        if self._proc is not None and self._proc.is_alive():
            try:
                self._req.put(None)
                self._proc.join(2)
            except Exception:  # pragma: no cover
                pass
        self._kill()

    def __enter__(self) -> "DecodeWorker":
        return self

    def start(self) -> None:
        """Start the child now (its start-up then overlaps with the caller's own work)."""
        if self._proc is None or not self._proc.is_alive():
            self._start()

    def __exit__(self, *exc) -> None:
        self.close()

    def prefetch(self, path: str, **kw) -> None:
        """Queue `path` for decoding now, so the child works while the caller embeds the previous file."""
        if self._proc is None or not self._proc.is_alive():
            self._kill()
            self._start()
        path = str(path)
        if path in self._pending:
            return
        self._job += 1
        self._pending[path] = self._job
        self._req.put((self._job, path, kw))

    def segments(self, path: str, is_cancelled=None, **kw) -> Iterator[Segment]:
        """Yield the segments of `path`; raises InputError (bad file), DecodeTimeout (hung decoder)."""
        path = str(path)
        if path not in self._pending or self._proc is None or not self._proc.is_alive():
            self._pending.pop(path, None)
            self.prefetch(path, **kw)
        job = self._pending.pop(path)
        try:
            size_mb = Path(path).stat().st_size / 1e6
        except OSError:
            size_mb = 0.0
        limit = self.timeout_s + self.per_mb_s * size_mb
        t0 = time.monotonic()
        self.last_info: Optional[DecodeInfo] = None
        while True:
            if is_cancelled is not None and is_cancelled():
                self._kill()  # stop decoding now; the next file restarts the worker
                from inference.runtime.errors import Cancelled
                raise Cancelled()
            try:
                jid, kind, payload = self._res.get(timeout=0.2)
            except queue.Empty:
                if not self._proc.is_alive():
                    self._kill()
                    raise InputError(f"{Path(path).name}: the decoder crashed on this file",
                                     "the file is probably corrupt; re-encode it or remove it")
                if time.monotonic() - t0 > limit:
                    self._kill()
                    raise DecodeTimeout(f"{Path(path).name}: decoding took longer than {limit:.0f} s and was stopped",
                                        "the file may be damaged; re-encode it or remove it")
                continue
            if jid != job:
                continue  # a prefetched file that was not needed after all, or a killed job
            t0 = time.monotonic()  # the limit applies to silence, not to a long file that keeps producing
            if kind == "segment":
                yield payload
            elif kind == "done":
                self.last_info = payload
                return
            else:
                raise InputError(*payload)
