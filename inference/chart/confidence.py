"""How much to trust a reading: a confidence in [0, 1] for the table, for each of its cells, for an answer and for
the summary, computed from what the reader actually knows, with the reasons that lowered it.

The table's confidence is the product of independent factors, each 1.0 when nothing is in doubt:

| factor | from | lowered when |
|---|---|---|
| type | the chart-type model's probability | p < 0.8 |
| axis | the value axis' calibration: how many tick labels, how well they fit a line (`residual`), their OCR scores; with no axis, the line fitted through the printed value labels against the bars' lengths (labelled.py) | 2-3 ticks, residual > 1 %, low OCR scores, no axis at all (relative heights) |
| categories | the category labels | labels unread (`?`), repeated, empty, a label that is the axis title, one single category |
| complete | the table's empty cells | marks missing for some categories / series |
| cells | the mean cell confidence | few values confirmed by a printed label that agrees with the axis |

A cell's confidence: 1.0 when its printed value label was read (OCR score ≥ 0.9) and agrees with the axis reading
(the reader only takes a label within 12 % of the pixel reading), lower with the label's OCR score; a value read
from the pixels alone gets the axis factor times 0.8 (a pie wedge from its angle: 0.85). An answer's confidence is
the table's structure factors times its evidence cells' confidence times the answerer's own certainty (the
question named no series, a name matched fuzzily, …). The summary's is the table's.

`THRESHOLD` (below it a result is *uncertain*: `"uncertain": true` in `--json`, the CLI's note, the panel's amber
badge) is set here and only here; `bench/chart_confidence.py` checks on real charts that the charts above it
score better than those below it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

THRESHOLD = 0.6

# wording of each factor in the reasons (the panel's tooltip, the CLI's note, --json "why")
TIME_WORDS = ("year", "years", "month", "months", "date", "quarter", "week", "day", "time", "period")


@dataclass
class Confidence:
    value: float
    reasons: list[str] = field(default_factory=list)  # what lowered it, the strongest first
    base: float = 1.0  # the structure factors alone (type, axis, categories, completeness)
    cells: dict = field(default_factory=dict)  # (row, series) -> confidence of that cell

    @property
    def uncertain(self) -> bool:
        return self.value < THRESHOLD

    def why(self) -> str:
        return "; ".join(self.reasons) if self.reasons else "nothing in doubt"

    def to_json(self) -> dict:
        return {"confidence": round(float(self.value), 3), "uncertain": self.uncertain, "why": list(self.reasons)}


def _clip(v: float) -> float:
    return max(0.0, min(1.0, float(v)))


def _combine(factors: list[tuple[float, str]]) -> tuple[float, list[str]]:
    v = 1.0
    for f, _ in factors:
        v *= _clip(f)
    reasons = [why for f, why in sorted(factors, key=lambda t: t[0]) if f < 0.9 and why]
    return _clip(v), reasons


def _axis_factor(reading) -> tuple[float, str]:
    if reading.chart_type == "pie":
        return 1.0, ""
    if not reading.calibration:
        return 0.3, "no value axis was calibrated"
    worst = (1.0, "")
    for axis, c in reading.calibration.items():
        if c.source == "manual":
            continue
        if c.source == "relative":
            f = (0.15, f"no {axis}-axis values were read: values are relative heights")
        else:
            n = len(c.ticks)
            f_n = {0: 0.5, 1: 0.5, 2: 0.7, 3: 0.85}.get(n, 1.0)
            f_r = 1.0 - min(0.6, max(0.0, c.residual - 0.005) / 0.03)
            role = f"{axis}tick"
            scores = [t.score for t in reading.texts if t.role == role and t.value is not None]
            s = sum(scores) / len(scores) if scores else 0.9
            f_s = _clip(0.4 + 0.6 * (s - 0.6) / 0.35)
            f_v = f_n * f_r * f_s
            parts = []
            what = f"{axis}-axis tick" if c.source != "labels" else "printed value"
            if f_n < 0.9:
                parts.append(f"only {n} {what} labels")
            if f_r < 0.9:
                parts.append(f"the {what} labels fit the marks' sizes poorly ({100 * c.residual:.1f} % off)"
                             if c.source == "labels" else
                             f"the {axis}-axis tick values fit a line poorly ({100 * c.residual:.1f} % off)")
            if f_s < 0.9:
                parts.append(f"the {axis}-axis tick labels were hard to read (OCR {s:.2f})")
            f = (f_v, ", ".join(parts))
        if f[0] < worst[0]:
            worst = f
    return worst


def _category_factor(reading, table) -> tuple[float, str]:
    cats = [str(c).strip() for c in table.categories]
    if not cats:
        return 0.1, "no categories were read"
    bad = [c for c in cats if not c or c == "?"]
    low = [c.lower() for c in cats if c and c != "?"]
    dup = len(low) - len(set(low))
    titles = {str(table.header[0]).strip().lower()} if table.header else set()
    titles |= {t.text.strip().lower() for t in reading.texts if t.role in ("axis_title", "title")}
    titles |= {w for w in TIME_WORDS}
    header_like = [c for c in low if c in titles]
    f, why = 1.0, []
    if bad:
        f *= 1.0 - 0.8 * len(bad) / len(cats)
        why.append(f"{len(bad)} of {len(cats)} category labels unread")
    if dup:
        f *= 1.0 - 0.6 * dup / len(cats)
        why.append(f"{dup} repeated category labels")
    if header_like:
        f *= 0.3
        why.append(f"a category is an axis title or header word ('{header_like[0]}')")
    if len(cats) == 1 and reading.chart_type != "pie":
        f *= 0.4
        why.append("only one category was read")
    cat_scores = [t.score for t in reading.texts if t.role == "category"]
    if cat_scores:
        s = sum(cat_scores) / len(cat_scores)
        if s < 0.85:
            f *= _clip(0.5 + 0.5 * (s - 0.6) / 0.25)
            why.append(f"category labels hard to read (OCR {s:.2f})")
    return f, ", ".join(why)


def _label_scores(reading) -> dict:
    """value-label text -> its best OCR score (the reader records the label's text on the mark)."""
    out: dict = {}
    for t in reading.texts:
        if t.role == "value_label":
            out[t.text] = max(out.get(t.text, 0.0), float(t.score))
    return out


def assess_reading(reading, table=None) -> Confidence:
    """The table's confidence (and each cell's) from a `ChartReading`; `table` is the (possibly edited) table."""
    table = table if table is not None else reading.table
    f_axis, why_axis = _axis_factor(reading)
    p = float(reading.type_confidence)
    f_type = (1.0, "") if p >= 0.8 else (_clip(0.3 + 0.7 * p / 0.8), f"the chart type is a guess ({reading.chart_type}, p={p:.2f})")
    f_cat = _category_factor(reading, table)
    n_cells = sum(len(r) for r in table.values) or 1
    n_none = sum(1 for r in table.values for v in r if v is None)
    f_full = (1.0 - 0.7 * n_none / n_cells, f"{n_none} of {n_cells} cells have no value" if n_none else "")
    warn = (0.85 ** min(3, len(reading.warnings)), "; ".join(reading.warnings))
    base, _ = _combine([(f_axis, why_axis), f_type, f_cat, f_full, warn])
    labels = _label_scores(reading)
    cells: dict = {}
    for m in reading.marks:
        if m.source == "label" and m.label is not None:
            s = labels.get(m.label, 0.9)
            c = _clip(0.55 + 0.45 * (s - 0.6) / 0.3)
        elif reading.chart_type == "pie":
            c = 0.85
        else:
            c = 0.8 * f_axis
        cells[(m.category, m.series)] = c
    mean_cell = sum(cells.values()) / len(cells) if cells else 0.0
    n_label = sum(1 for m in reading.marks if m.source == "label")
    why_cells = "" if not cells else (
        "no value was confirmed by a printed label" if n_label == 0 else
        f"only {n_label} of {len(cells)} values confirmed by a printed label")
    value, reasons = _combine([(f_axis, why_axis), f_type, f_cat, f_full, warn,
                               (mean_cell if cells else 0.1, why_cells if cells else "no marks were read")])
    return Confidence(value, reasons, base, cells)


def with_edit(conf: Confidence, row: int, series: int) -> Confidence:
    """The user typed a cell: that cell is now certain (the reasons stay: they describe the reading)."""
    cells = dict(conf.cells)
    cells[(row, series)] = 1.0
    mean_cell = sum(cells.values()) / len(cells)
    return Confidence(_clip(conf.base * mean_cell), list(conf.reasons), conf.base, cells)


def assess_answer(conf: Confidence, ans) -> Confidence:
    """An answer's confidence: structure × its evidence cells × the answerer's own certainty."""
    if ans.kind == "cannot_answer":
        return Confidence(0.0, [ans.explanation or "the answer is not in what was read"], conf.base, {})
    ev = [conf.cells.get((r, c - 1), 0.8) for r, c in ans.evidence] or [0.8]
    # one wrong cell spoils a pairwise answer; an aggregate over many cells averages out a bit
    f_ev = min(ev) if len(ev) <= 2 else 0.5 * min(ev) + 0.5 * sum(ev) / len(ev)
    why_ev = "" if f_ev >= 0.9 else "the values it uses were read from the pixels, not printed labels"
    f_q = getattr(ans, "certainty", 1.0)
    why_q = "; ".join(getattr(ans, "doubts", []) or [])
    value, reasons = _combine([(conf.base, "; ".join(conf.reasons[:2])), (f_ev, why_ev), (f_q, why_q)])
    return Confidence(value, reasons, conf.base, {})


def assess_summary(conf: Confidence) -> Confidence:
    return Confidence(conf.value, list(conf.reasons), conf.base, {})
