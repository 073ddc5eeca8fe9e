"""A persistent, incremental video library index in SQLite, with exact and approximate search.

- Incremental: a file whose size and mtime are unchanged is not opened; a changed one is hashed
  (sha256) and re-read only when its content changed (a copy of an indexed file reuses its vectors).
- Kill-safe: each file is committed in one transaction (WAL journal): killing the run loses at most
  the file being read; the next run resumes where it stopped.
- Segment-level vectors (default 4 s windows) with start/end times, plus the vector of the reversed
  segment (for the GUI's "direction" view: how well a query fits the clip forward vs played backwards).
- Bad files (empty, corrupt, truncated, not a video, unreadable codec, a hanging decoder) are recorded
  as skipped with the reason; decoding runs in a child process with a time limit.
- Search: exact (numpy) for small libraries, usearch HNSW for large ones (`mode="auto"`).
"""
from __future__ import annotations

import json
import logging
import os
import sqlite3
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Optional

import numpy as np

from inference.runtime.cancel import check
from inference.runtime.errors import Cancelled, InputError
from inference.runtime.manifest import sha256_of

from .decode import DecodeWorker
from .io import VIDEO_EXTS

log = logging.getLogger(__name__)

APPROX_THRESHOLD = 50_000  # segments; above this `auto` search uses the approximate index

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta(key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS files(
    id INTEGER PRIMARY KEY, path TEXT UNIQUE NOT NULL, size INTEGER, mtime REAL, sha256 TEXT,
    status TEXT NOT NULL, reason TEXT, model TEXT, duration REAL, frames INTEGER, n_segments INTEGER,
    indexed_at REAL);
CREATE TABLE IF NOT EXISTS segments(
    id INTEGER PRIMARY KEY, file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    start REAL NOT NULL, "end" REAL NOT NULL, vec BLOB NOT NULL, vec_rev BLOB NOT NULL, thumb BLOB);
CREATE INDEX IF NOT EXISTS seg_file ON segments(file_id);
CREATE INDEX IF NOT EXISTS file_sha ON files(sha256);
"""


@dataclass
class IndexReport:
    db: str
    model: str
    scanned: int = 0
    indexed: list = field(default_factory=list)     # paths decoded and embedded this run
    copied: list = field(default_factory=list)      # same content as an indexed file: vectors reused
    unchanged: int = 0                               # not opened (size + mtime) or same hash
    rehashed_same: int = 0                           # mtime changed, content the same
    skipped: list = field(default_factory=list)     # {"path", "reason"}
    removed: int = 0                                 # vanished from disk, dropped from the index
    segments_added: int = 0
    frames_decoded: int = 0
    seconds: float = 0.0
    cancelled: bool = False

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Hit:
    segment_id: int
    path: str
    start: float
    end: float
    score: float
    score_reversed: float
    thumb: Optional[bytes] = None

    def to_dict(self, with_thumb: bool = False) -> dict:
        d = {"segment_id": self.segment_id, "path": self.path, "start": round(self.start, 3),
             "end": round(self.end, 3), "score": round(self.score, 5), "score_reversed": round(self.score_reversed, 5)}
        if with_thumb:
            d["thumb"] = self.thumb
        return d


def _walk(roots: Iterable) -> list[Path]:
    out = []
    for r in roots:
        r = Path(r).expanduser()
        if r.is_file():
            out.append(r.resolve())
            continue
        if not r.is_dir():
            raise InputError(f"folder {r} not found", "pick an existing folder of videos")
        for dirpath, dirnames, filenames in os.walk(r):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for fn in sorted(filenames):
                if fn.startswith("."):
                    continue
                out.append((Path(dirpath) / fn).resolve())
    return out


class VideoIndex:
    def __init__(self, db_path, model_name: Optional[str] = None, registry=None):
        self.db_path = Path(db_path).expanduser()
        try:
            self.db_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            raise InputError(f"cannot create {self.db_path.parent} ({e.strerror})", "choose a writable place for the index")
        self._registry = registry
        self._model_name = model_name
        self._model = None
        self._lock = threading.RLock()
        self._cache = None  # (generation, ids, vecs, vecs_rev)
        self._ann = None    # (generation, usearch index)
        try:
            self.conn = sqlite3.connect(str(self.db_path), check_same_thread=False, timeout=30)
            self.conn.execute("PRAGMA journal_mode=WAL")
            self.conn.execute("PRAGMA synchronous=NORMAL")  # WAL + NORMAL: a killed process loses no commit
            self.conn.execute("PRAGMA foreign_keys=ON")
            self.conn.executescript(SCHEMA)
            self.conn.commit()
        except sqlite3.DatabaseError as e:
            raise InputError(f"{self.db_path.name} is not a usable index database ({e})",
                             "choose another --db path or delete the damaged file") from None

    # ----------------------------------------------------------------- helpers
    @property
    def model(self):
        if self._model is None:
            from .model import VideoTextModel
            name = self._model_name or self.meta("model")
            self._model = VideoTextModel(name, registry=self._registry)
        return self._model

    def meta(self, key: str, default=None):
        row = self.conn.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def _set_meta(self, key: str, value) -> None:
        self.conn.execute("INSERT OR REPLACE INTO meta(key, value) VALUES(?, ?)", (key, str(value)))

    def _bump(self) -> None:
        self._set_meta("generation", int(self.meta("generation", 0)) + 1)

    def close(self) -> None:
        try:
            self.conn.close()
        except Exception:  # pragma: no cover
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def stats(self) -> dict:
        c = self.conn
        n_ok = c.execute("SELECT COUNT(*) FROM files WHERE status='ok'").fetchone()[0]
        n_skip = c.execute("SELECT COUNT(*) FROM files WHERE status='skipped'").fetchone()[0]
        n_seg = c.execute("SELECT COUNT(*) FROM segments").fetchone()[0]
        return {"db": str(self.db_path), "model": self.meta("model"), "files": n_ok, "skipped": n_skip,
                "segments": n_seg, "generation": int(self.meta("generation", 0))}

    def skipped(self) -> list[dict]:
        return [{"path": p, "reason": r} for p, r in
                self.conn.execute("SELECT path, reason FROM files WHERE status='skipped' ORDER BY path")]

    # ----------------------------------------------------------------- indexing
    def index(self, roots, progress: Optional[Callable] = None, is_cancelled: Optional[Callable] = None,
              is_paused: Optional[Callable] = None, decode_timeout_s: float = 60.0,
              on_file: Optional[Callable] = None) -> IndexReport:
        """Index every file under `roots` (folders or files). See the module docstring."""
        t0 = time.time()
        model = self.model
        stored = self.meta("model")
        if stored and stored != model.name:
            log.info("index %s was built with %s; files are re-embedded with %s", self.db_path, stored, model.name)
        with self._lock:
            self._set_meta("model", model.name)
            self._set_meta("dim", model.dim)
            self.conn.commit()
        files = _walk(roots if isinstance(roots, (list, tuple)) else [roots])
        rep = IndexReport(db=str(self.db_path), model=model.name, scanned=len(files))
        kw = dict(n_frames=model.n_frames, size=model.size, segment_s=model.segment_s,
                  keep_fps=float(model.manifest.preprocessing.get("keep_fps", 8.0)), thumbs=True)
        n = max(1, len(files))
        try:
            with DecodeWorker(timeout_s=decode_timeout_s) as worker:
                if any(self._looks_changed(f) for f in files):
                    worker.start()  # its start-up overlaps with hashing the first file
                self._files, self._kw = files, kw
                for k, path in enumerate(files):
                    self._k = k
                    self._wait_if_paused(is_paused, is_cancelled)
                    check(is_cancelled)
                    if progress:
                        progress(k / n, f"{k}/{len(files)} files: {path.name}")
                    outcome = self._index_one(path, worker, kw, rep, is_cancelled)
                    if on_file:
                        on_file(str(path), outcome)
                rep.removed = self._prune(files, roots)
        except Cancelled:
            rep.cancelled = True
            if progress:
                progress(1.0, "cancelled: finished files are kept")
            raise
        finally:
            rep.seconds = round(time.time() - t0, 3)
        if progress:
            progress(1.0, f"indexed {len(rep.indexed)}, unchanged {rep.unchanged}, skipped {len(rep.skipped)}")
        return rep

    def _wait_if_paused(self, is_paused, is_cancelled) -> None:
        while is_paused is not None and is_paused():
            check(is_cancelled)
            time.sleep(0.05)

    def _row(self, path: Path):
        return self.conn.execute(
            "SELECT id, size, mtime, sha256, status, model FROM files WHERE path=?", (str(path),)).fetchone()

    def _skip(self, path: Path, size, mtime, sha, reason: str, rep: IndexReport) -> str:
        with self._lock:
            self.conn.execute("DELETE FROM segments WHERE file_id IN (SELECT id FROM files WHERE path=?)", (str(path),))
            self.conn.execute(
                "INSERT INTO files(path, size, mtime, sha256, status, reason, model, indexed_at) VALUES(?,?,?,?,?,?,?,?) "
                "ON CONFLICT(path) DO UPDATE SET size=excluded.size, mtime=excluded.mtime, sha256=excluded.sha256, "
                "status='skipped', reason=excluded.reason, model=excluded.model, indexed_at=excluded.indexed_at, n_segments=0",
                (str(path), size, mtime, sha, "skipped", reason, self.model.name, time.time()))
            self._bump()
            self.conn.commit()
        rep.skipped.append({"path": str(path), "reason": reason})
        return "skipped"

    def _index_one(self, path: Path, worker: DecodeWorker, kw: dict, rep: IndexReport, is_cancelled) -> str:
        model = self.model
        try:
            st = path.stat()
        except OSError as e:
            rep.skipped.append({"path": str(path), "reason": f"cannot read ({e.strerror})"})
            return "skipped"
        size, mtime = st.st_size, st.st_mtime
        row = self._row(path)
        if row and row[1] == size and row[2] == mtime and row[5] == model.name:
            rep.unchanged += 1
            if row[4] == "skipped":  # still listed with its reason
                reason = self.conn.execute("SELECT reason FROM files WHERE id=?", (row[0],)).fetchone()[0]
                rep.skipped.append({"path": str(path), "reason": reason, "unchanged": True})
            return "unchanged"
        if path.suffix.lower() not in VIDEO_EXTS:
            return self._skip(path, size, mtime, None, f"not a video file (extension '{path.suffix or 'none'}')", rep)
        if size == 0:
            return self._skip(path, size, mtime, None, "empty file (0 bytes)", rep)
        try:
            sha = sha256_of(path)
        except OSError as e:
            return self._skip(path, size, mtime, None, f"cannot read ({e.strerror})", rep)
        if row and row[3] == sha and row[5] == model.name:
            with self._lock:  # touched, same content: nothing to decode
                self.conn.execute("UPDATE files SET size=?, mtime=? WHERE id=?", (size, mtime, row[0]))
                self.conn.commit()
            rep.unchanged += 1
            rep.rehashed_same += 1
            return "unchanged"
        twin = self.conn.execute(
            "SELECT id, duration, frames FROM files WHERE sha256=? AND status='ok' AND model=? AND path<>? LIMIT 1",
            (sha, model.name, str(path))).fetchone()
        if twin:
            segs = self.conn.execute('SELECT start, "end", vec, vec_rev, thumb FROM segments WHERE file_id=?', (twin[0],)).fetchall()
            self._store(path, size, mtime, sha, twin[1], twin[2], segs)
            rep.copied.append(str(path))
            return "copied"
        # decode + embed (the next file that looks changed is queued first, so decoding overlaps embedding)
        nxt = self._files[self._k + 1] if self._k + 1 < len(self._files) else None
        if nxt is not None and self._looks_changed(nxt):
            worker.prefetch(str(path), **kw)
            worker.prefetch(str(nxt), **kw)
        starts, ends, frames, thumbs = [], [], [], []
        try:
            for seg in worker.segments(str(path), is_cancelled=is_cancelled, **kw):
                starts.append(seg.start)
                ends.append(seg.end)
                frames.append(seg.frames)
                thumbs.append(seg.thumb)
        except Cancelled:
            raise
        except InputError as e:
            return self._skip(path, size, mtime, sha, e.message, rep)
        info = worker.last_info
        if not frames:
            return self._skip(path, size, mtime, sha, "no frame could be decoded", rep)
        clips = np.stack(frames)
        both = model.encode_video(np.concatenate([clips, clips[:, ::-1]]))   # one call: forward + reversed
        vec, vec_rev = both[:len(clips)], both[len(clips):]
        segs = [(s, e, v.astype(np.float32).tobytes(), r.astype(np.float32).tobytes(), t)
                for s, e, v, r, t in zip(starts, ends, vec, vec_rev, thumbs)]
        self._store(path, size, mtime, sha, info.duration if info else None, info.frames_read if info else None, segs)
        rep.indexed.append(str(path))
        rep.segments_added += len(segs)
        rep.frames_decoded += info.frames_read if info else 0
        return "indexed"

    def _looks_changed(self, path: Path) -> bool:
        if path.suffix.lower() not in VIDEO_EXTS:
            return False
        try:
            st = path.stat()
        except OSError:
            return False
        if st.st_size == 0:
            return False
        row = self._row(path)
        return not (row and row[1] == st.st_size and row[2] == st.st_mtime and row[5] == self.model.name)

    def _store(self, path, size, mtime, sha, duration, frames, segs) -> None:
        with self._lock:
            c = self.conn
            c.execute("BEGIN")
            try:
                c.execute(
                    "INSERT INTO files(path, size, mtime, sha256, status, reason, model, duration, frames, n_segments, indexed_at) "
                    "VALUES(?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(path) DO UPDATE SET size=excluded.size, mtime=excluded.mtime, "
                    "sha256=excluded.sha256, status='ok', reason=NULL, model=excluded.model, duration=excluded.duration, "
                    "frames=excluded.frames, n_segments=excluded.n_segments, indexed_at=excluded.indexed_at",
                    (str(path), size, mtime, sha, "ok", None, self.model.name, duration, frames, len(segs), time.time()))
                fid = c.execute("SELECT id FROM files WHERE path=?", (str(path),)).fetchone()[0]
                c.execute("DELETE FROM segments WHERE file_id=?", (fid,))
                c.executemany('INSERT INTO segments(file_id, start, "end", vec, vec_rev, thumb) VALUES(?,?,?,?,?,?)',
                              [(fid, *s) for s in segs])
                self._bump()
                c.execute("COMMIT")
            except BaseException:
                c.execute("ROLLBACK")
                raise

    def _prune(self, seen: list[Path], roots) -> int:
        """Drop files under the scanned folders that are gone from disk."""
        seen_set = {str(p) for p in seen}
        dirs = [str(Path(r).expanduser().resolve()) for r in (roots if isinstance(roots, (list, tuple)) else [roots])
                if Path(r).expanduser().is_dir()]
        gone = []
        for fid, p in self.conn.execute("SELECT id, path FROM files"):
            if p not in seen_set and any(p.startswith(d.rstrip(os.sep) + os.sep) for d in dirs) and not Path(p).exists():
                gone.append(fid)
        if gone:
            with self._lock:
                self.conn.executemany("DELETE FROM files WHERE id=?", [(g,) for g in gone])
                self._bump()
                self.conn.commit()
        return len(gone)

    # ----------------------------------------------------------------- search
    def _vectors(self):
        gen = int(self.meta("generation", 0))
        if self._cache is None or self._cache[0] != gen:
            rows = self.conn.execute("SELECT id, vec, vec_rev FROM segments ORDER BY id").fetchall()
            dim = int(self.meta("dim", 256) or 256)
            ids = np.array([r[0] for r in rows], dtype=np.int64)
            vecs = np.frombuffer(b"".join(r[1] for r in rows), np.float32).reshape(-1, dim) if rows else np.zeros((0, dim), np.float32)
            rev = np.frombuffer(b"".join(r[2] for r in rows), np.float32).reshape(-1, dim) if rows else np.zeros((0, dim), np.float32)
            self._cache = (gen, ids, vecs, rev)
        return self._cache[1:]

    def _approx_index(self, ids, vecs):
        """The usearch index for the current generation, built (and saved beside the db) when stale."""
        from usearch.index import Index
        gen = int(self.meta("generation", 0))
        if self._ann is not None and self._ann[0] == gen:
            return self._ann[1]
        idx = self._load_or_build_ann(Index, gen, ids, vecs)
        self._ann = (gen, idx)
        return idx

    def _load_or_build_ann(self, Index, gen, ids, vecs):
        f = Path(str(self.db_path) + ".usearch")
        stamp = Path(str(self.db_path) + ".usearch.json")
        if f.exists() and stamp.exists():
            try:
                if json.loads(stamp.read_text()).get("generation") == gen:
                    idx = Index.restore(str(f), view=False)
                    if idx is not None and len(idx) == len(ids):
                        return idx
            except Exception:
                pass
        idx = Index(ndim=vecs.shape[1], metric="ip", dtype="f32", connectivity=16, expansion_add=128,
                    expansion_search=128)
        if len(ids):
            idx.add(ids, vecs, threads=os.cpu_count() or 1)
        try:
            idx.save(str(f))
            stamp.write_text(json.dumps({"generation": gen, "n": int(len(ids))}))
        except OSError:
            pass
        return idx

    def search(self, query: str, k: int = 10, threshold: Optional[float] = None, mode: str = "auto",
               with_thumbs: bool = False) -> list[Hit]:
        if mode not in ("auto", "exact", "approx"):
            raise InputError(f"unknown search mode '{mode}'", "use auto, exact or approx")
        if k < 1:
            raise InputError("k must be at least 1", "ask for one or more results")
        if not self.meta("model"):
            raise InputError(f"{self.db_path.name} holds no index yet", "run `mmwb video index DIR --db PATH` first")
        q = self.model.encode_text([query])[0]
        return self.search_vector(q, k, threshold, mode, with_thumbs)

    def search_vector(self, q: np.ndarray, k: int = 10, threshold: Optional[float] = None, mode: str = "auto",
                      with_thumbs: bool = False) -> list[Hit]:
        ids, vecs, rev = self._vectors()
        if len(ids) == 0:
            return []
        use_approx = mode == "approx" or (mode == "auto" and len(ids) >= APPROX_THRESHOLD)
        kk = min(k, len(ids))
        if use_approx:
            idx = self._approx_index(ids, vecs)
            m = idx.search(q.astype(np.float32), kk)
            keys = np.asarray(m.keys, dtype=np.int64)
            pos = np.searchsorted(ids, keys)
        else:
            s = vecs @ q
            pos = np.argpartition(-s, kk - 1)[:kk] if kk < len(s) else np.arange(len(s))
            pos = pos[np.argsort(-s[pos], kind="stable")]
        scores = vecs[pos] @ q
        scores_rev = rev[pos] @ q
        hits = []
        for p, sc, sr in zip(pos, scores, scores_rev):
            if threshold is not None and sc < threshold:
                continue
            hits.append((int(ids[p]), float(sc), float(sr)))
        return self._hydrate(hits, with_thumbs)

    def _hydrate(self, hits, with_thumbs) -> list[Hit]:
        out = []
        for sid, sc, sr in hits:
            row = self.conn.execute(
                'SELECT f.path, s.start, s."end", ' + ("s.thumb" if with_thumbs else "NULL") +
                " FROM segments s JOIN files f ON f.id = s.file_id WHERE s.id=?", (sid,)).fetchone()
            if row:
                out.append(Hit(sid, row[0], row[1], row[2], sc, sr, row[3]))
        return out

    def thumb(self, segment_id: int) -> Optional[bytes]:
        row = self.conn.execute("SELECT thumb FROM segments WHERE id=?", (segment_id,)).fetchone()
        return row[0] if row else None
