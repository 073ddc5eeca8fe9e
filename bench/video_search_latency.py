"""Search latency on a 100,000-vector index: exact (numpy) vs approximate (usearch HNSW), p50/p99.

    .venv/bin/python bench/video_search_latency.py [--n 100000] [--queries 300]

The library is synthetic at the vector level: 100,000 segment vectors drawn around 2,000 cluster
centres (unit-normalised, 256-d, the model's dimension), written through the same SQLite schema the
indexer uses; each query is a stored vector slightly perturbed (a query has real neighbours). The
text encoding of a real caption by the shipped text tower is timed separately. Reported: the
vector search itself (`search_vector`), the text encoding of a query, recall@10 of the approximate
search against exact, and the one-off approximate-index build time.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from inference.video.index import VideoIndex  # noqa: E402

QUERIES = ["a red ball moves from left to right", "a blue square shrinks", "a door opens", "a glass fills with water",
           "two stars move apart", "a triangle spins clockwise", "the scene gets darker", "dots disappear one by one"]


def fill(idx: VideoIndex, n: int, dim: int, rng) -> None:
    centres = rng.normal(size=(2000, dim)).astype(np.float32)
    vecs = centres[rng.integers(0, 2000, n)] + 0.35 * rng.normal(size=(n, dim)).astype(np.float32)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    c = idx.conn
    c.execute("BEGIN")
    per_file = 100
    for f in range(n // per_file):
        c.execute("INSERT INTO files(path, size, mtime, sha256, status, model, n_segments) VALUES(?,?,?,?,?,?,?)",
                  (f"/bench/video_{f:05d}.mp4", 1, 0.0, f"{f:064x}", "ok", idx.model.name, per_file))
        fid = c.execute("SELECT last_insert_rowid()").fetchone()[0]
        rows = [(fid, 4.0 * j, 4.0 * j + 4, vecs[f * per_file + j].tobytes(), vecs[f * per_file + j][::-1].copy().tobytes(), None)
                for j in range(per_file)]
        c.executemany('INSERT INTO segments(file_id, start, "end", vec, vec_rev, thumb) VALUES(?,?,?,?,?,?)', rows)
    idx._set_meta("model", idx.model.name)
    idx._set_meta("dim", dim)
    idx._bump()
    c.execute("COMMIT")


def pct(xs, q):
    return float(np.percentile(np.array(xs) * 1000, q))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp:
        idx = VideoIndex(Path(tmp) / "lat.db")
        dim = idx.model.dim
        t = time.perf_counter()
        fill(idx, args.n, dim, rng)
        t_fill = time.perf_counter() - t
        t = time.perf_counter()
        q_text = idx.model.encode_text(QUERIES)
        t_enc = []
        for qq in QUERIES * 5:
            t0 = time.perf_counter()
            idx.model.encode_text([qq])
            t_enc.append(time.perf_counter() - t0)
        # queries near the library (a perturbed stored vector), as a real query is near its matches;
        # a random direction (e.g. a text vector against random vectors) has no neighbourhood to find
        t = time.perf_counter()
        ids, vecs, _ = idx._vectors()  # loads the vectors from SQLite (cached afterwards)
        t_load = time.perf_counter() - t
        picks = vecs[rng.integers(0, len(vecs), args.queries)]
        qs = [p + 0.02 * rng.normal(size=dim).astype(np.float32) for p in picks]
        qs = [q / np.linalg.norm(q) for q in qs]
        idx.search_vector(qs[0], k=10, mode="exact")
        t = time.perf_counter()
        idx.search_vector(qs[0], k=10, mode="approx")  # builds + saves the usearch index
        t_build = time.perf_counter() - t
        lat = {"exact": [], "approx": []}
        recall = []
        for q in qs:
            for mode in ("exact", "approx"):
                t0 = time.perf_counter()
                hits = idx.search_vector(q, k=10, mode=mode)
                lat[mode].append(time.perf_counter() - t0)
                if mode == "exact":
                    ex = {h.segment_id for h in hits}
                else:
                    recall.append(len(ex & {h.segment_id for h in hits}) / 10)
        idx.close()
    res = {"n_vectors": args.n, "dim": dim, "queries": args.queries,
           "exact_p50_ms": pct(lat["exact"], 50), "exact_p99_ms": pct(lat["exact"], 99),
           "approx_p50_ms": pct(lat["approx"], 50), "approx_p99_ms": pct(lat["approx"], 99),
           "approx_recall_at_10": float(np.mean(recall)), "approx_build_s": t_build, "vector_load_s": t_load,
           "text_encode_p50_ms": pct(t_enc, 50), "fill_s": t_fill}
    if args.json:
        print(json.dumps(res))
    else:
        print(f"{args.n} vectors x {dim}-d, {args.queries} queries, k=10 (search only; a query's text encoding "
              f"adds p50 {res['text_encode_p50_ms']:.1f} ms)")
        print(f"exact  (numpy):   p50 {res['exact_p50_ms']:6.2f} ms   p99 {res['exact_p99_ms']:6.2f} ms")
        print(f"approx (usearch): p50 {res['approx_p50_ms']:6.2f} ms   p99 {res['approx_p99_ms']:6.2f} ms   "
              f"recall@10 vs exact {res['approx_recall_at_10']:.3f}")
        print(f"one-off: vectors loaded from SQLite in {t_load:.2f} s, HNSW built + saved in {t_build:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
