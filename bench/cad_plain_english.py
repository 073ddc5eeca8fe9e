"""Blind plain-English text-to-part bench: 80 descriptions of simple parts written the way people ask for them.

Each description in bench/data/cad_plain_english.json (written blind: without looking at the training or
synthesis phrasings) goes through the app's own path, ``inference.cad.api.generate_job(text=..., n_candidates=3)``;
the first candidate whose solid builds is kept (as the GUI and `mmwb cad generate` do). A description counts as

  * right size    when the three extents of its axis-aligned bounding box, sorted (orientation-free), are each
                  within 1% or 0.5 mm of the truth,
  * right volume  when the volume is within 1% of the truth,

and as right when both hold. A description the app refuses (an InputError such as "the description lacks a
dimension") or whose candidates all fail to build is a miss, its message recorded.

    python bench/cad_plain_english.py                 # table + totals
    python bench/cad_plain_english.py --limit 5       # the first 5 only
    python bench/cad_plain_english.py --json          # one JSON object
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import OrderedDict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "bench" / "data" / "cad_plain_english.json"
SIZE_REL, SIZE_ABS, VOL_REL = 0.01, 0.5, 0.01


def size_ok(got, want) -> bool:
    return all(abs(g - w) <= max(SIZE_REL * w, SIZE_ABS) for g, w in zip(sorted(got), sorted(want)))


def volume_ok(got, want) -> bool:
    return abs(got - want) <= VOL_REL * abs(want)


def run_one(item: dict, model: str | None = None) -> dict:
    """One description through generate_job → {"id", "family", "units", "ok_size", "ok_volume", "ok",
    "bbox_mm" (sorted, or None), "volume_mm3" (or None), "error", "candidate", "shown_as" ("read" | "guess",
    how the app presents the part it built), "seconds"}."""
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    from inference.cad.api import generate_job
    from inference.runtime.errors import WorkbenchError

    rec = {"id": item["id"], "family": item["family"], "units": item["units"], "ok_size": False,
           "ok_volume": False, "ok": False, "bbox_mm": None, "volume_mm3": None, "error": None, "candidate": None,
           "truth_bbox_mm": item["bbox_mm"], "truth_volume_mm3": item["volume_mm3"]}
    t0 = time.perf_counter()
    try:
        results = generate_job(text=item["text"], model=model, n_candidates=3)
    except WorkbenchError as e:  # InputError ("the description lacks a dimension"…) or a model problem
        one = getattr(e, "one_line", None)
        rec["error"] = f"{type(e).__name__}: {one() if callable(one) else e}"
        rec["seconds"] = time.perf_counter() - t0
        return rec
    rec["seconds"] = time.perf_counter() - t0
    k = next((i for i, r in enumerate(results) if r.get("built") is not None), None)
    if k is None:
        errs = [r.get("error") for r in results if r.get("error")]
        rec["error"] = "no candidate builds" + (f": {errs[0]}" if errs else "")
        return rec
    # how the app shows it: read from the description, or flagged as the model's guess (GUI badge, --json "guess")
    rec["shown_as"] = "guess" if results[k].get("guess") or results[k].get("source") != "reader" else "read"
    solid = results[k]["built"][0]
    (x0, y0, z0), (x1, y1, z1) = solid.bbox
    bb = sorted([x1 - x0, y1 - y0, z1 - z0])
    rec.update(candidate=k, bbox_mm=[round(v, 4) for v in bb], volume_mm3=round(float(solid.volume), 4))
    rec["ok_size"] = size_ok(bb, item["bbox_mm"])
    rec["ok_volume"] = volume_ok(solid.volume, item["volume_mm3"])
    rec["ok"] = rec["ok_size"] and rec["ok_volume"]
    return rec


def summarise(recs: list) -> dict:
    def frac(rs, key):
        return sum(r[key] for r in rs) / len(rs) if rs else 0.0

    fams: "OrderedDict[str, list]" = OrderedDict()
    units: "OrderedDict[str, list]" = OrderedDict()
    for r in recs:
        fams.setdefault(r["family"], []).append(r)
        units.setdefault(r["units"], []).append(r)

    def block(rs):
        return {"n": len(rs), "ok": frac(rs, "ok"), "ok_size": frac(rs, "ok_size"), "ok_volume": frac(rs, "ok_volume"),
                "refused_or_invalid": sum(r["bbox_mm"] is None for r in rs) / len(rs) if rs else 0.0}

    shown = {k: {"n": sum(r.get("shown_as") == k for r in recs),
                 "right": sum(r.get("shown_as") == k and r["ok"] for r in recs)} for k in ("read", "guess")}
    return {"total": block(recs), "per_family": {f: block(rs) for f, rs in fams.items()},
            "per_units": {u: block(rs) for u, rs in units.items()}, "shown_as": shown}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--data", "--pool", dest="data", default=str(DATA),
                    help="the descriptions and their truths (JSON list); bench/data/cad_plain_english_b.json is the second blind pool")
    ap.add_argument("--limit", type=int, default=None, help="run only the first N descriptions")
    ap.add_argument("--model", default=None, help="text model name (default: the app's, cad-text)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = ap.parse_args(argv)

    items = json.loads(Path(args.data).read_text(encoding="utf-8"))
    if args.limit is not None:
        items = items[: max(args.limit, 0)]
    t0 = time.perf_counter()
    recs = []
    for it in items:
        try:
            recs.append(run_one(it, args.model))
        except Exception as e:  # noqa: BLE001 — a crash on one description is a miss, not the end of the bench
            recs.append({"id": it["id"], "family": it["family"], "units": it["units"], "ok_size": False,
                         "ok_volume": False, "ok": False, "bbox_mm": None, "volume_mm3": None,
                         "error": f"crash {type(e).__name__}: {e}", "candidate": None,
                         "truth_bbox_mm": it["bbox_mm"], "truth_volume_mm3": it["volume_mm3"], "seconds": 0.0})
        if not args.json:
            r = recs[-1]
            got = (f"bbox {r['bbox_mm']} vol {r['volume_mm3']:.1f}" if r["bbox_mm"] is not None
                   else f"ERROR {r['error']}")
            print(f"{r['id']:4s} {r['family']:11s} {r['units']:4s} size={'Y' if r['ok_size'] else '.'} "
                  f"vol={'Y' if r['ok_volume'] else '.'}  {got}   (truth bbox "
                  f"{[round(v, 2) for v in r['truth_bbox_mm']]} vol {r['truth_volume_mm3']:.1f})", flush=True)
    summ = summarise(recs)
    summ["seconds"] = round(time.perf_counter() - t0, 1)
    summ["tolerances"] = {"size": f"each sorted extent within {SIZE_REL:.0%} or {SIZE_ABS} mm",
                          "volume": f"within {VOL_REL:.0%}"}
    if args.json:
        print(json.dumps({**summ, "items": recs}, indent=1))
        return 0
    if not recs:
        print("no descriptions")
        return 0
    print()
    print(f"{'group':14s} {'n':>3s} {'size+vol':>9s} {'size':>6s} {'volume':>7s} {'no part':>8s}")
    rows = [("TOTAL", summ["total"])] + list(summ["per_family"].items()) + \
        [(f"units={u}", b) for u, b in summ["per_units"].items()]
    for name, b in rows:
        print(f"{name:14s} {b['n']:3d} {b['ok']:9.1%} {b['ok_size']:6.1%} {b['ok_volume']:7.1%} "
              f"{b['refused_or_invalid']:8.1%}")
    sh = summ["shown_as"]
    print(f"shown as read from the description: {sh['read']['n']} ({sh['read']['right']} right); "
          f"shown as the model's guess: {sh['guess']['n']} ({sh['guess']['right']} right); "
          f"refused or no valid part: {len(recs) - sh['read']['n'] - sh['guess']['n']}")
    print(f"({summ['seconds']} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
