"""The evaluator over ChartQA's layout: read every chart of a folder, score its table, questions and summary
with the papers' metrics (`metrics.py`: relaxed accuracy, RNSS, RMS precision/recall/F1, BLEU)."""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from inference.runtime.cancel import check
from inference.runtime.errors import InputError, WorkbenchError

from .metrics import bleu, relaxed_accuracy, relaxed_correctness, rms, rnss
from .table import Table


# ---- the evaluator -----------------------------------------------------------------------------
def _load_questions(split_dir: Path, split: str) -> list[dict]:
    qs = []
    for kind in ("augmented", "human"):
        p = split_dir / f"{split}_{kind}.json"
        if p.exists():
            try:
                data = json.loads(p.read_text(encoding="utf-8"))
            except json.JSONDecodeError as e:
                raise InputError(f"{p.name} is not valid JSON ({e.msg}, line {e.lineno})", "regenerate it") from None
            for q in data:
                q = dict(q)
                q["source"] = kind
                qs.append(q)
    return qs


def evaluate_dir(root: Path, split: str = "test", use_ocr: bool = True, limit: int | None = None,
                 use_value_labels: bool = True, progress=None, is_cancelled=None) -> dict:
    """Read every chart of ROOT/<split>/png that has a table; score tables, questions and summaries."""
    from .qa import answer
    from .reader import read_chart
    from .summary import summarize

    root = Path(root)
    split_dir = root / split if (root / split).is_dir() else root
    png = split_dir / "png"
    if not png.is_dir():
        raise InputError(f"no png/ folder in {split_dir}", "point at a ChartQA-style folder (png/, tables/, "
                         f"{split}_augmented.json); make one with `mmwb chart synth`")
    names = sorted(p.stem for p in png.glob("*.png"))
    if limit:
        names = names[:limit]
    if not names:
        raise InputError(f"no .png charts in {png}", "make some with `mmwb chart synth`")
    qs = _load_questions(split_dir, split)
    by_img: dict[str, list[dict]] = {}
    for q in qs:
        by_img.setdefault(Path(q["imgname"]).stem, []).append(q)
    summaries = {}
    sp = split_dir / f"{split}_summaries.json"
    if sp.exists():
        summaries = {Path(d["imgname"]).stem: d["summary"] for d in json.loads(sp.read_text(encoding="utf-8"))}
    n_tab = 0
    rn, rp, rr, rf = [], [], [], []
    targets, preds, qrecs = [], [], []
    s_pred, s_ref = [], []
    failures: dict[str, int] = {}
    per_type: dict[str, list] = {}
    times = {"ocr_s": [], "rest_s": []}
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
        try:
            reading = read_chart(png / f"{name}.png", use_ocr=use_ocr, use_value_labels=use_value_labels)
            pred_table = reading.table
            times["ocr_s"].append(reading.timings["ocr_s"])
            times["rest_s"].append(reading.timings["rest_s"])
        except WorkbenchError as e:
            if isinstance(e, type(e)) and e.__class__.__name__ == "Cancelled":
                raise
            reading, pred_table = None, None
            key = e.message.split(":")[0][:60]
            failures[key] = failures.get(key, 0) + 1
        if gold is not None:
            n_tab += 1
            pr = pred_table.to_rows() if pred_table is not None else []
            m = rms(gold.to_rows(), pr)
            rn.append(rnss(gold.to_rows(), pr) if pr else 0.0)
            rp.append(m["precision"])
            rr.append(m["recall"])
            rf.append(m["f1"])
            per_type.setdefault(ctype or "unknown", []).append(m["f1"])
        for q in by_img.get(name, []):
            if pred_table is not None:
                try:
                    a = answer(pred_table, q["query"]).text
                except WorkbenchError:
                    a = ""
            else:
                a = ""
            targets.append(q["label"])
            preds.append(a)
            qrecs.append((q.get("template", q.get("source", "")), relaxed_correctness(q["label"], a)))
        if name in summaries:
            s_ref.append(summaries[name])
            s_pred.append(summarize(pred_table) if pred_table is not None else "")
    prog(1.0, "done")
    by_tmpl: dict[str, list] = {}
    for k, ok in qrecs:
        by_tmpl.setdefault(k, []).append(ok)
    res = {
        "n": len(names), "n_tables": n_tab, "n_questions": len(targets),
        "relaxed_accuracy": relaxed_accuracy(targets, preds) if targets else None,
        "rnss": float(np.mean(rn)) if rn else None,
        "rms_precision": float(np.mean(rp)) if rp else None,
        "rms_recall": float(np.mean(rr)) if rr else None,
        "rms_f1": float(np.mean(rf)) if rf else None,
        "bleu": bleu(s_pred, s_ref) if s_ref else None,
        "use_ocr": use_ocr,
        "use_value_labels": use_value_labels,
        "failures": failures,
        "rms_f1_by_type": {k: float(np.mean(v)) for k, v in sorted(per_type.items())},
        "accuracy_by_question": {k: float(np.mean(v)) for k, v in sorted(by_tmpl.items())},
        "mean_ocr_s": float(np.mean(times["ocr_s"])) if times["ocr_s"] else None,
        "mean_rest_s": float(np.mean(times["rest_s"])) if times["rest_s"] else None,
    }
    return res
