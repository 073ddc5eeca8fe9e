"""What the chart panel asks of `inference/`: plain Python, no Qt. The long one (`load_and_read`) runs as a job
and takes `progress` / `is_cancelled`; the others are instant functions on a reading or its table (what the
panel shows is computed here, the panel only draws it)."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from inference.runtime.errors import InputError, WorkbenchError

from .axes import AxisCalibration, Calibration
from .confidence import Confidence, assess_answer, assess_reading, assess_summary, with_edit
from .io import load_image, write_text
from .reader import ChartReading, read_chart
from .table import Table, format_number, parse_number


def load_and_read(path: str, use_ocr: bool = True, calibration: Calibration | None = None, progress=None,
                  is_cancelled=None) -> tuple[np.ndarray, ChartReading]:
    """The job: decode the picture (bounded) and read it; returns (rgb, reading)."""
    rgb = load_image(path)
    reading = read_chart(rgb, use_ocr=use_ocr, calibration=calibration, progress=progress,
                         is_cancelled=is_cancelled)
    return rgb, reading


def preview(path: str, progress=None, is_cancelled=None) -> np.ndarray | None:
    """The picture alone (decoded and bounded as the reader will see it), shown before the reading job ends;
    None when it cannot be read (the reading job says why: one error, not two)."""
    try:
        return load_image(path)
    except WorkbenchError:
        return None


# ---- confidence: the table's, an answer's, the summary's ---------------------------------------------
def table_confidence(reading: ChartReading, table: Table | None = None) -> Confidence:
    return assess_reading(reading, table)


def ask(reading: ChartReading, table: Table, question: str, table_conf: Confidence | None = None):
    """Answer QUESTION over TABLE (the reading's, possibly edited) -> (Answer with its confidence set, Confidence)."""
    from .qa import answer

    tc = table_conf or assess_reading(reading, table)
    a = answer(table, question, colors=reading.colors() if reading is not None else None)
    conf = assess_answer(tc, a)
    a.confidence = conf.to_json()
    return a, conf


def summary_of(reading: ChartReading, table: Table, table_conf: Confidence | None = None) -> tuple[str, Confidence]:
    from .summary import summarize

    tc = table_conf or assess_reading(reading, table)
    return summarize(table, reading.chart_type), assess_summary(tc)


def confirm_cell(conf: Confidence, row: int, col: int) -> Confidence:
    """After the user typed cell (row, col) (col counted from 1, as in the panel's table): that cell is certain."""
    return with_edit(conf, row, col - 1) if col >= 1 else conf


def uncertain_tooltip(what: str, conf: Confidence) -> str:
    """The panel's badge tooltip: why the result is uncertain."""
    return f"This {what} is uncertain (confidence {conf.value:.2f}): {conf.why()}."


# ---- what the panel shows of a reading ---------------------------------------------------------------
def describe_reading(reading: ChartReading) -> str:
    """One status line: type and confidence, marks (how many from printed labels), texts, timings, warnings."""
    t = reading.timings
    n_label = sum(1 for m in reading.marks if m.source == "label")
    warn = ("  ⚠ " + "; ".join(reading.warnings)) if reading.warnings else ""
    return (f"{reading.chart_type} (p={reading.type_confidence:.2f}), {len(reading.marks)} marks "
            f"({n_label} from printed value labels), {len(reading.texts)} texts; "
            f"OCR {t.get('ocr_s', 0):.2f} s + rest {t.get('rest_s', 0):.2f} s{warn}")


def describe_calibration(reading: ChartReading) -> str:
    """How each axis was calibrated, e.g. "y: linear (ticks, 5 points)"; "—" when none."""
    cals = [f"{k}: {'log' if c.log else 'linear'} ({c.source}, {len(c.ticks) or 2} points)"
            for k, c in reading.calibration.items()]
    return ", ".join(cals) or "—"


@dataclass(frozen=True)
class Shape:
    """One overlay item in image pixels. kind: "box", "line" or "label"; role says what it shows ("plot",
    "tick", "tick_label", "mark", "text") and picks its look in the panel; series: the mark's series."""
    kind: str
    role: str
    coords: tuple
    tag: str
    label: str = ""
    series: int = 0


def overlay_shapes(reading: ChartReading, table: Table | None, show_texts: bool = False) -> list[Shape]:
    """What the panel draws over the chart: the plot area (or the pie's box), each axis's ticks with their
    values, every mark with its value from the (possibly edited) table, and optionally the text boxes."""
    r = reading
    out: list[Shape] = []
    if r.plot_area and r.chart_type != "pie":
        out.append(Shape("box", "plot", tuple(r.plot_area), "plot"))
    if r.pie:
        cx, cy = r.pie["center"]
        rad = r.pie["radius"]
        out.append(Shape("box", "plot", (cx - rad, cy - rad, cx + rad, cy + rad), "plot"))
    for axis, c in r.calibration.items():
        tag = f"tick:{axis}"
        for p, val in (c.ticks or [[c.p1, c.v1], [c.p2, c.v2]]):
            text = f"{format_number(round(val, 6))}"
            if axis == "y":
                x = r.plot_area[0] if r.plot_area else 0
                out.append(Shape("line", "tick", (x - 10, p, x + 6, p), tag))
                out.append(Shape("label", "tick_label", (max(0.0, x - 60), p - 16), tag, text))
            else:
                y = r.plot_area[3] if r.plot_area else 0
                out.append(Shape("line", "tick", (p, y - 6, p, y + 10), tag))
                out.append(Shape("label", "tick_label", (p + 2, y + 10), tag, text))
    for m in r.marks:
        val = table.values[m.category][m.series] if table and m.category < len(table.values) else m.value
        lbl = format_number(val) if val is not None else "?"
        out.append(Shape("box", "mark", tuple(m.box), f"mark:{m.category}:{m.series}",
                         lbl + ("*" if m.source == "label" else ""), m.series))
    if show_texts:
        for t in r.texts:
            out.append(Shape("box", "text", (t.x0, t.y0, t.x1, t.y1), "text"))
    return out


def evidence_tags(answer) -> set[str]:
    """The overlay tags of the marks an answer used (its evidence cells: row, column counted from 1)."""
    return {f"mark:{r}:{c - 1}" for r, c in answer.evidence}


# ---- edits ----------------------------------------------------------------------------------------------
def edit_cell(table: Table, row: int, col: int, text: str) -> None:
    """Set one cell from what the user typed: column 0 is the category name, the others numbers (empty = no
    value). A cell that is not a number raises InputError and leaves the table as it was."""
    if col == 0:
        table.categories[row] = text.strip()
        return
    v = parse_number(text)
    if text.strip() and v is None:
        raise InputError(f"'{text}' is not a number; the cell keeps its old value", "type a number, e.g. 12.5")
    table.set_value(row, col - 1, v)


def manual_axis(axis: str, p1: float, v1_text: str, p2: float, v2_text: str, log: bool = False) -> AxisCalibration:
    """A manual axis calibration from two picked pixel positions and the two values the user typed."""
    v1, v2 = parse_number(v1_text), parse_number(v2_text)
    if v1 is None or v2 is None:
        raise InputError("type a number for both calibration values", "e.g. 0 and 100")
    return Calibration.from_clicks(axis, p1, v1, p2, v2, log)


# ---- export -------------------------------------------------------------------------------------------
def reading_json(reading: ChartReading, table: Table, summary: str, question: str = "", answer=None) -> dict:
    """The reading as exported: what was read, the (edited) table, the last question and answer, the summary."""
    d = reading.to_json()
    d["table"] = {**table.to_json(), **assess_reading(reading, table).to_json()}
    if answer is not None:
        d["question"] = {"text": question, **answer.to_json()}
    d["summary"] = summary
    return d


def write_reading_json(path: str | Path, reading: ChartReading, table: Table, summary: str, question: str = "",
                       answer=None) -> None:
    write_text(path, json.dumps(reading_json(reading, table, summary, question, answer), indent=1))


def write_table_csv(path: str | Path, table: Table) -> None:
    write_text(path, table.to_csv())
