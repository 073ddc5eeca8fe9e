"""The evaluator over ChartQA's layout as it comes: read every chart of a folder, score its table (where a gold
table exists: RNSS, RMS precision/recall/F1), its questions (relaxed accuracy, ChartQA's variant: `metrics.py`) and
its summary (BLEU, where summaries exist), and break the figures down by source (Statista / Pew / OWID / OECD, told
by the file name), by question kind (human / augmented), by failure reason and by confidence (above / below
`confidence.THRESHOLD`).

A folder is `png/` + `<split>_human.json` and/or `<split>_augmented.json` (lists of {imgname, query, label}) +
optional `tables/<name>.csv`, optional `annotations/<name>.json`, optional `<split>_summaries.json`; the split
prefix is found from the question files when not given. Charts without a gold table are scored on questions only.
"""
from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np

from inference.runtime.cancel import check
from inference.runtime.errors import Cancelled, InputError, WorkbenchError

from .metrics import bleu, relaxed_correctness, rms, rnss
from .table import Table


# ---- sources and folders -------------------------------------------------------------------------------
SOURCES = ("Statista", "Pew", "OWID", "OECD", "other")
QUESTION_KINDS = ("human", "augmented")


def source_of(name: str) -> str:
    """ChartQA's source from a chart's file name: two_col_* / multi_col_* = Statista, OECD_* = OECD, a 14-digit
    number = Our World in Data, a short number = Pew Research; anything else (e.g. synthetic charts) = other."""
    stem = Path(name).stem
    if stem.startswith(("two_col_", "multi_col_")):
        return "Statista"
    if stem.startswith("OECD_"):
        return "OECD"
    if re.fullmatch(r"\d{14}", stem):
        return "OWID"
    if re.fullmatch(r"\d{1,7}", stem):
        return "Pew"
    return "other"


def parse_sources(text: str | None) -> list[str] | None:
    """'statista,pew' -> ['Statista', 'Pew']; an unknown name is an InputError naming the known ones."""
    if not text:
        return None
    out = []
    for w in text.split(","):
        w = w.strip().lower()
        hit = [s for s in SOURCES if s.lower() == w]
        if not hit:
            raise InputError(f"unknown source '{w}'", f"use some of: {', '.join(SOURCES)}")
        out.append(hit[0])
    return out


def _split_dir(root: Path, split: str | None) -> tuple[Path, str | None]:
    """The folder holding png/ and the question-file prefix (`dev` for dev_human.json), found when not given."""
    if split and (root / split / "png").is_dir():
        d = root / split
    elif (root / "png").is_dir():
        d = root
    else:
        subs = sorted(p.parent for p in root.glob("*/png") if p.is_dir())
        if split is None and len(subs) == 1:
            d = subs[0]
        else:
            raise InputError(f"no png/ folder in {root}" + (f" or {root / split}" if split else ""),
                             "point at a ChartQA-style folder (png/, <split>_human.json / <split>_augmented.json, "
                             "optional tables/); make one with `mmwb chart synth`")
    if split and any((d / f"{split}_{k}.json").exists() for k in QUESTION_KINDS):
        return d, split
    prefixes = sorted({p.name.rsplit("_", 1)[0] for k in QUESTION_KINDS for p in d.glob(f"*_{k}.json")})
    if len(prefixes) > 1 and d.name in prefixes:
        return d, d.name
    return d, (prefixes[0] if prefixes else split)


def _load_questions(split_dir: Path, split: str | None) -> list[dict]:
    qs = []
    if not split:
        return qs
    for kind in ("augmented", "human"):
        p = split_dir / f"{split}_{kind}.json"
        if not p.exists():
            continue
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except json.JSONDecodeError as e:
            raise InputError(f"{p.name} is not valid JSON ({e.msg}, line {e.lineno})", "regenerate it") from None
        if not isinstance(data, list):
            raise InputError(f"{p.name} is not a list of questions", 'ChartQA\'s form: [{"imgname", "query", "label"}]')
        for q in data:
            if not isinstance(q, dict) or not {"imgname", "query", "label"} <= set(q):
                raise InputError(f"{p.name} has an entry without imgname / query / label", "fix or regenerate it")
            q = dict(q)
            q["source"] = kind
            qs.append(q)
    return qs


def failure_reason(message: str) -> str:
    """A reader's error message -> its reason ("no axis found", "not a chart", …) for the failure counts."""
    m = message.lower()
    if "not look like a chart" in m:
        return "not a chart"
    if "reading it failed (" in message:   # 'this may not be a chart: … reading it failed (no axis found: …)'
        return failure_reason(message.split("reading it failed (", 1)[1])
    return message.split(":")[0].split("(")[0].strip()[:60]


# ---- the evaluator -----------------------------------------------------------------------------
def _mean(v):
    return float(np.mean(v)) if v else None


def _group(recs: list[dict]) -> dict:
    """The figures of a group of chart records."""
    qs = [q for r in recs for q in r["questions"]]
    tabs = [r for r in recs if r.get("rms_f1") is not None]
    out = {"charts": len(recs), "read": sum(1 for r in recs if r["error"] is None), "tables": len(tabs),
           "questions": len(qs), "relaxed_accuracy": _mean([q["correct"] for q in qs]),
           "refused": sum(1 for q in qs if q["refused"])}
    for k in QUESTION_KINDS:
        out[f"relaxed_accuracy_{k}"] = _mean([q["correct"] for q in qs if q["kind"] == k])
        out[f"questions_{k}"] = sum(1 for q in qs if q["kind"] == k)
    out["rms_f1"] = _mean([r["rms_f1"] for r in tabs])
    out["rnss"] = _mean([r["rnss"] for r in tabs])
    return out


def _confidence_check(recs: list[dict], threshold: float) -> dict:
    """Is the confidence informative? The figures of the results above vs below the threshold, over the charts
    that were read and the questions that were answered (an unread chart, an unanswered question has confidence 0
    and scores 0: counting them would flatter the check)."""
    recs = [r for r in recs if r["error"] is None]
    qs = [q for r in recs for q in r["questions"] if q["answered"]]
    tabs = [r for r in recs if r.get("rms_f1") is not None]
    out = {"threshold": threshold, "over": "charts read, questions answered"}
    for side, test in (("above", lambda c: c >= threshold), ("below", lambda c: c < threshold)):
        qa = [q["correct"] for q in qs if test(q["confidence"])]
        tb = [r for r in tabs if test(r["confidence"])]
        out[side] = {"questions": len(qa), "relaxed_accuracy": _mean(qa), "tables": len(tb),
                     "rms_f1": _mean([r["rms_f1"] for r in tb]), "rnss": _mean([r["rnss"] for r in tb]),
                     "charts": sum(1 for r in recs if test(r["confidence"]))}
    return out


def evaluate_dir(root: Path, split: str | None = None, use_ocr: bool = True, limit: int | None = None,
                 use_value_labels: bool = True, every: int = 1, sources=None, progress=None, is_cancelled=None,
                 read=None, start: int = 0) -> dict:
    """Read the charts of a ChartQA-style folder (every EVERY-th by name from the START-th, of SOURCES, the first
    LIMIT) and score them. READ(path) -> ChartReading replaces the reader (a cache in the benches)."""
    from .confidence import THRESHOLD, assess_answer, assess_reading
    from .qa import answer
    from .reader import read_chart
    from .summary import summarize

    root = Path(root)
    split_dir, prefix = _split_dir(root, split)
    png = split_dir / "png"
    sources = parse_sources(sources) if isinstance(sources, str) else sources
    names = sorted(p.stem for p in png.glob("*.png"))[max(0, int(start))::max(1, int(every))]
    if sources:
        names = [n for n in names if source_of(n) in sources]
    if limit:
        names = names[:limit]
    if not names:
        raise InputError(f"no .png charts in {png}" + (f" from {', '.join(sources)}" if sources else ""),
                         "check the folder and --sources; make charts with `mmwb chart synth`")
    by_img: dict[str, list[dict]] = {}
    for q in _load_questions(split_dir, prefix):
        by_img.setdefault(Path(q["imgname"]).stem, []).append(q)
    summaries = {}
    sp = split_dir / f"{prefix}_summaries.json"
    if prefix and sp.exists():
        summaries = {Path(d["imgname"]).stem: d["summary"] for d in json.loads(sp.read_text(encoding="utf-8"))}
    reader = read or (lambda p: read_chart(p, use_ocr=use_ocr, use_value_labels=use_value_labels))
    recs: list[dict] = []
    targets, preds, by_tmpl = [], [], {}
    rp, rr = [], []
    s_pred, s_ref = [], []
    per_type: dict[str, list] = {}
    prog = progress or (lambda f, m="": None)
    for i, name in enumerate(names):
        check(is_cancelled)
        prog(i / len(names), f"chart {i + 1}/{len(names)}")
        tab_p = split_dir / "tables" / f"{name}.csv"
        gold = Table.read_csv(tab_p) if tab_p.exists() else None
        ctype = None
        ann_p = split_dir / "annotations" / f"{name}.json"
        if ann_p.exists():
            try:
                ctype = json.loads(ann_p.read_text(encoding="utf-8")).get("chart_type")
            except json.JSONDecodeError:
                ctype = None
        rec = {"name": name, "source": source_of(name), "error": None, "ocr_s": None, "confidence": 0.0,
               "uncertain": True, "why": [], "questions": []}
        try:
            reading = reader(png / f"{name}.png")
            pred_table = reading.table
            conf = assess_reading(reading)
            rec.update(chart_type=reading.chart_type, ocr_s=reading.timings.get("ocr_s"),
                       rest_s=reading.timings.get("rest_s"), **conf.to_json())
        except Cancelled:
            raise
        except WorkbenchError as e:
            reading, pred_table, conf = None, None, None
            rec["error"] = failure_reason(e.message)
            rec["why"] = [e.message]
        if gold is not None:
            pr = pred_table.to_rows() if pred_table is not None else []
            m = rms(gold.to_rows(), pr)
            rec["rnss"] = rnss(gold.to_rows(), pr) if pr else 0.0
            rec["rms_f1"] = m["f1"]
            rp.append(m["precision"])
            rr.append(m["recall"])
            per_type.setdefault(ctype or "unknown", []).append(m["f1"])
        for q in by_img.get(name, []):
            a, qc, refused, answered = "", 0.0, False, False
            if pred_table is not None:
                try:
                    ans = answer(pred_table, q["query"], colors=reading.colors())
                    a, refused, answered = ("" if ans.refused else ans.text), ans.refused, not ans.refused
                    qc = assess_answer(conf, ans).value
                except WorkbenchError:
                    a = ""
            ok = relaxed_correctness(q["label"], a)
            targets.append(q["label"])
            preds.append(a)
            by_tmpl.setdefault(q.get("template", q["source"]), []).append(ok)
            rec["questions"].append({"query": q["query"], "label": q["label"], "answer": a, "kind": q["source"],
                                     "correct": bool(ok), "answered": answered, "refused": refused,
                                     "confidence": round(qc, 3)})
        if name in summaries:
            s_ref.append(summaries[name])
            try:
                s_pred.append(summarize(pred_table) if pred_table is not None else "")
            except WorkbenchError:  # a table with no values has no summary: scored as an empty one
                s_pred.append("")
        recs.append(rec)
    prog(1.0, "done")
    failures: dict[str, int] = {}
    for r in recs:
        if r["error"]:
            failures[r["error"]] = failures.get(r["error"], 0) + 1
    overall = _group(recs)
    ocr = [r["ocr_s"] for r in recs if r["ocr_s"] is not None]
    res = {
        "n": len(names), "n_tables": overall["tables"], "n_questions": overall["questions"],
        "folder": str(split_dir), "split": prefix,
        "relaxed_accuracy": overall["relaxed_accuracy"],
        "relaxed_accuracy_human": overall["relaxed_accuracy_human"],
        "relaxed_accuracy_augmented": overall["relaxed_accuracy_augmented"],
        "refused": overall["refused"],
        "rnss": overall["rnss"],
        "rms_precision": _mean(rp), "rms_recall": _mean(rr), "rms_f1": overall["rms_f1"],
        "bleu": bleu(s_pred, s_ref) if s_ref else None,
        "use_ocr": use_ocr, "use_value_labels": use_value_labels,
        "failures": dict(sorted(failures.items(), key=lambda kv: -kv[1])),
        "by_source": {s: _group([r for r in recs if r["source"] == s]) for s in SOURCES
                      if any(r["source"] == s for r in recs)},
        "by_kind": {k: {"questions": overall[f"questions_{k}"], "relaxed_accuracy": overall[f"relaxed_accuracy_{k}"]}
                    for k in QUESTION_KINDS if overall[f"questions_{k}"]},
        "confidence_check": _confidence_check(recs, THRESHOLD),
        "rms_f1_by_type": {k: float(np.mean(v)) for k, v in sorted(per_type.items())},
        "accuracy_by_question": {k: float(np.mean(v)) for k, v in sorted(by_tmpl.items())},
        "mean_ocr_s": _mean(ocr),
        "mean_rest_s": _mean([r["rest_s"] for r in recs if r.get("rest_s") is not None]),
        "charts": recs,
    }
    return res
