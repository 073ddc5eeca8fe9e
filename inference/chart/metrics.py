"""The papers' metrics (pure functions over strings and tables of strings; no I/O).

* relaxed accuracy (ChartQA / Pix2Struct ``relaxed_correctness``, 5 %): both sides parsed as floats (a trailing
  '%' is dropped — we compare the printed numbers, as ChartQA's gold answers for percentages are printed
  numbers); target != 0 -> correct if |p - t| / |t| <= 0.05; else exact case-insensitive string match.
  We use this *plain* variant (no word-to-digit normalisation), so figures are comparable with ChartQA's.
* RNSS (DePlot ``table_number_accuracy``): numbers of both tables, cost min(1, |t-p|/|t|), Hungarian matching,
  1 - sum / max(N, M).
* RMS precision / recall / F1 (DePlot ``table_datapoints_precision_recall``): cells keyed "row-header column-header",
  keys matched by Hungarian on 1 - ANLS (ANLS 0 below 0.5); a pair scores ANLS(keys) x (1 - rel. error, 0 at >= 10 %)
  for numbers or ANLS(keys) x ANLS(values) for text; P = sum / |pred|, R = sum / |gold|; the better of the table and
  its transpose (by F1). The table title is not a data point.
* BLEU: sacrebleu ``corpus_bleu(predictions, [references])``.
"""
from __future__ import annotations

import numpy as np

from .table import parse_number


# ---- relaxed accuracy ---------------------------------------------------------------------------
def _to_float(s) -> float | None:
    if s is None:
        return None
    t = str(s).strip()
    if t.endswith("%"):
        t = t[:-1]
    try:
        return float(t)
    except ValueError:
        return None


def relaxed_correctness(target, prediction, max_rel: float = 0.05) -> bool:
    p, t = _to_float(prediction), _to_float(target)
    if p is not None and t is not None and t != 0:
        return abs(p - t) / abs(t) <= max_rel
    return str(prediction).strip().lower() == str(target).strip().lower()


def relaxed_accuracy(targets: list, predictions: list) -> float:
    """Mean over questions of max over gold answers (a target may be a list of answers)."""
    if not targets:
        return 0.0
    s = 0.0
    for t, p in zip(targets, predictions):
        golds = t if isinstance(t, list) else [t]
        s += max(float(relaxed_correctness(g, p)) for g in golds)
    return s / len(targets)


# ---- table metrics ------------------------------------------------------------------------------
def _hungarian(cost: np.ndarray):
    from scipy.optimize import linear_sum_assignment

    return linear_sum_assignment(cost)


def _numbers(rows: list[list[str]]) -> list[float]:
    out = []
    for r in rows:
        for c in r:
            v = parse_number(c)
            if v is not None:
                out.append(v)
    return out


def rnss(gold_rows: list[list[str]], pred_rows: list[list[str]]) -> float:
    t = _numbers(gold_rows)
    p = _numbers(pred_rows)
    if not t and not p:
        return 1.0
    if not t or not p:
        return 0.0
    T = np.array(t)[:, None]
    P = np.array(p)[None, :]
    with np.errstate(divide="ignore", invalid="ignore"):
        D = np.where(T != 0, np.minimum(1.0, np.abs(T - P) / np.abs(T)), np.where(P == 0, 0.0, 1.0))
    r, c = _hungarian(D)
    return float(1 - D[r, c].sum() / max(len(t), len(p)))


def _levenshtein(a: str, b: str) -> int:
    if a == b:
        return 0
    if len(a) < len(b):
        a, b = b, a
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def anls(a: str, b: str, threshold: float = 0.5) -> float:
    a, b = str(a).strip().lower(), str(b).strip().lower()
    if not a and not b:
        return 1.0
    s = 1 - _levenshtein(a, b) / max(len(a), len(b))
    return s if s >= threshold else 0.0


def _datapoints(rows: list[list[str]]) -> list[tuple[str, str]]:
    if len(rows) < 2:
        return []
    header = rows[0]
    out = []
    for r in rows[1:]:
        for j in range(1, min(len(r), len(header))):
            out.append((f"{r[0]} {header[j]}".strip(), r[j]))
    return out


def _transpose(rows: list[list[str]]) -> list[list[str]]:
    n = max(len(r) for r in rows)
    full = [list(r) + [""] * (n - len(r)) for r in rows]
    return [list(c) for c in zip(*full)]


def _rms_one(gold: list[tuple[str, str]], pred: list[tuple[str, str]]) -> tuple[float, float, float]:
    if not gold or not pred:
        return 0.0, 0.0, 0.0
    K = np.array([[anls(g[0], p[0]) for p in pred] for g in gold])
    r, c = _hungarian(1 - K)
    total = 0.0
    for i, j in zip(r, c):
        kv = K[i, j]
        if kv <= 0:
            continue
        gv, pv = parse_number(gold[i][1]), parse_number(pred[j][1])
        if gv is not None and pv is not None:
            if gv == 0:
                err = 0.0 if pv == 0 else 1.0
            else:
                err = abs(pv - gv) / abs(gv)
            total += kv * max(0.0, 1 - err / 0.1)
        else:
            total += kv * anls(gold[i][1], pred[j][1])
    p = total / len(pred)
    rr = total / len(gold)
    f = 2 * p * rr / (p + rr) if p + rr > 0 else 0.0
    return p, rr, f


def rms(gold_rows: list[list[str]], pred_rows: list[list[str]]) -> dict:
    g = _datapoints(gold_rows)
    best = (0.0, 0.0, 0.0)
    if pred_rows and len(pred_rows) >= 2:
        for cand in (pred_rows, _transpose(pred_rows)):
            res = _rms_one(g, _datapoints(cand))
            if res[2] > best[2]:
                best = res
    return {"precision": best[0], "recall": best[1], "f1": best[2]}


def bleu(predictions: list[str], references: list[str]) -> float:
    if not predictions:
        return 0.0
    import sacrebleu

    return float(sacrebleu.corpus_bleu(predictions, [references]).score)
