"""Is the chart reader's confidence informative? Evaluate a fixed subset of real ChartQA charts (every K-th of a
folder by name) with `inference.chart.evaluate` and print the evaluator's report, then the figures of the results
in confidence bins and at a few thresholds (what `confidence.THRESHOLD` should be).

Readings are cached (pickles, one per chart) so the confidence and the answerer can be tuned without reading the
charts again; the cache is keyed by chart name only: delete it after changing the reader.

    python bench/chart_confidence.py ../shared/data/charts/chartqa_real/dev --every 10 --cache /tmp/chart_cache
"""
from __future__ import annotations

import argparse
import pickle
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def cached_reader(cache: Path | None):
    from inference.chart.reader import read_chart
    from inference.runtime.errors import InputError, WorkbenchError

    def read(path: Path):
        f = cache / f"{path.stem}.pkl" if cache else None
        if f is not None and f.exists():
            d = pickle.loads(f.read_bytes())
        else:
            try:
                d = {"reading": read_chart(path), "error": None}
            except WorkbenchError as e:
                d = {"reading": None, "error": e.message}
            if f is not None:
                f.write_bytes(pickle.dumps(d))
        if d["error"]:
            raise InputError(d["error"], "")
        return d["reading"]

    return read


def bins(recs: list[dict]) -> list[str]:
    import numpy as np

    recs = [r for r in recs if r["error"] is None]  # an unread chart is trivially uncertain
    qs = [q for r in recs for q in r["questions"] if q["answered"]]
    tabs = [r for r in recs if r.get("rms_f1") is not None]
    out = ["over the charts read and the questions answered:", f"{'confidence':<12} {'questions':>9} {'RA':>6} {'tables':>6} {'RMS-F1':>7}"]
    edges = [0.0, 0.2, 0.35, 0.5, 0.65, 0.8, 1.01]
    for lo, hi in zip(edges, edges[1:]):
        q = [x["correct"] for x in qs if lo <= x["confidence"] < hi]
        t = [r["rms_f1"] for r in tabs if lo <= r["confidence"] < hi]
        out.append(f"[{lo:.2f}, {min(hi, 1):.2f}) {len(q):>9} {100 * np.mean(q) if q else float('nan'):6.1f} "
                   f"{len(t):>6} {np.mean(t) if t else float('nan'):7.3f}")
    out.append("")
    out.append(f"{'threshold':<10} {'q above':>7} {'RA above':>8} {'RA below':>8} {'t above':>7} "
               f"{'F1 above':>8} {'F1 below':>8}")
    for thr in (0.3, 0.4, 0.5, 0.6, 0.7):
        qa = [x["correct"] for x in qs if x["confidence"] >= thr]
        qb = [x["correct"] for x in qs if x["confidence"] < thr]
        ta = [r["rms_f1"] for r in tabs if r["confidence"] >= thr]
        tb = [r["rms_f1"] for r in tabs if r["confidence"] < thr]
        f = lambda v, s=1: f"{s * np.mean(v):.3f}" if v else "n/a"  # noqa: E731
        out.append(f"{thr:<10} {len(qa):>7} {f(qa):>8} {f(qb):>8} {len(ta):>7} {f(ta):>8} {f(tb):>8}")
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder")
    ap.add_argument("--every", type=int, default=10)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--sources", default="")
    ap.add_argument("--show", action="store_true", help="also list every answered question with its confidence")
    ap.add_argument("--cache", default="", help="folder for the cached readings (none: read every time)")
    args = ap.parse_args()
    from inference.chart.cli import eval_report
    from inference.chart.evaluate import evaluate_dir, parse_sources

    cache = Path(args.cache) if args.cache else None
    if cache:
        cache.mkdir(parents=True, exist_ok=True)
    res = evaluate_dir(Path(args.folder), every=args.every, limit=args.limit, sources=parse_sources(args.sources),
                       read=cached_reader(cache))
    print("\n".join(eval_report(res)))
    print()
    print("\n".join(bins(res["charts"])))
    if args.show:
        for r in res["charts"]:
            for q in r["questions"]:
                if q["answered"]:
                    print(f"{q['confidence']:.2f} {'OK ' if q['correct'] else 'BAD'} {r['name']} [{r['confidence']:.2f}] "
                          f"{q['query']!r} -> {q['answer']!r} (gold {q['label']!r})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
