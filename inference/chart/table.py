"""A chart's data table: categories (rows) x series (columns), with CSV and ChartQA/DePlot text forms."""
from __future__ import annotations

import csv
import io
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

from inference.runtime.errors import InputError

_NUM_RE = re.compile(r"^[-+]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?(e[-+]?\d+)?$", re.I)


# units printed after a number on ticks and value labels ('175.09 g', '6,172.55 m³', '40 TWh'); not 'years' or
# 'Q1', which make a label a category
_UNIT_RE = re.compile(r"^(.*\d)\s*(?:g|kg|t|mt|tonnes|tons|m|km|mm|cm|m³|m²|m3|m2|l|kwh|mwh|gwh|twh|kw|mw|gw|kcal|"
                      r"°c|°f|ha|pp|usd|eur|gbp|int-\$)$", re.I)


def parse_number(text) -> float | None:
    """'1,234.5' -> 1234.5, '−350' -> -350, '12%' -> 12.0, '$3.2' -> 3.2, '175.09 g' -> 175.09; None if not a
    number."""
    if text is None:
        return None
    if isinstance(text, (int, float)):
        return float(text)
    m = _UNIT_RE.match(str(text).strip())
    s = (m.group(1) if m else str(text)).strip().replace("\u2212", "-").replace("\u2013", "-").replace(" ", "")
    s = s.strip("$€£%*")
    if s.endswith("%"):
        s = s[:-1]
    if not s or s in {"-", "+", ".", ","}:
        return None
    if not _NUM_RE.match(s):
        return None
    try:
        v = float(s.replace(",", ""))
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def format_number(v: float) -> str:
    """A compact, exact-enough rendering: integers without '.0', else up to 4 significant decimals."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return ""
    if abs(v - round(v)) < 1e-9 and abs(v) < 1e15:
        return str(int(round(v)))
    s = f"{v:.4f}".rstrip("0").rstrip(".")
    return s


@dataclass
class Table:
    """header[0] names the category column; header[1:] are the series; rows hold (category, values...)."""

    header: list[str]
    categories: list[str]
    values: list[list[float | None]]  # values[row][series]
    title: str = ""
    meta: dict = field(default_factory=dict)

    @property
    def series(self) -> list[str]:
        return list(self.header[1:])

    def column(self, j: int) -> list[float | None]:
        return [row[j] for row in self.values]

    def is_empty(self) -> bool:
        return not self.categories or not self.series

    def copy(self) -> "Table":
        return Table(list(self.header), list(self.categories), [list(r) for r in self.values],
                     self.title, dict(self.meta))

    # ---- CSV -------------------------------------------------------------------------------
    def to_csv(self) -> str:
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(self.header)
        for cat, row in zip(self.categories, self.values):
            w.writerow([cat] + [format_number(v) if v is not None else "" for v in row])
        return buf.getvalue()

    def write_csv(self, path: Path) -> None:
        Path(path).write_text(self.to_csv(), encoding="utf-8")

    @classmethod
    def from_csv_text(cls, text: str, title: str = "") -> "Table":
        rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
        if len(rows) < 2 or len(rows[0]) < 2:
            raise InputError("the table needs a header row and at least one data row with two columns",
                             "first column = category, one column per series")
        header = [c.strip() for c in rows[0]]
        cats, vals = [], []
        for r in rows[1:]:
            r = list(r) + [""] * (len(header) - len(r))
            cats.append(r[0].strip())
            vals.append([parse_number(c) for c in r[1:len(header)]])
        return cls(header, cats, vals, title)

    @classmethod
    def read_csv(cls, path: Path) -> "Table":
        p = Path(path)
        try:
            text = p.read_text(encoding="utf-8-sig")
        except OSError as e:
            raise InputError(f"cannot read table {p.name} ({e.strerror})", "check the path") from None
        return cls.from_csv_text(text)

    # ---- DePlot / ChartQA linearised form ---------------------------------------------------
    def to_text(self) -> str:
        """'TITLE | t <0x0A> h1 | h2 <0x0A> c | v' (DePlot's chart-to-table target format)."""
        lines = []
        if self.title:
            lines.append(f"TITLE | {self.title}")
        lines.append(" | ".join(self.header))
        for cat, row in zip(self.categories, self.values):
            lines.append(" | ".join([cat] + [format_number(v) if v is not None else "" for v in row]))
        return " <0x0A> ".join(lines)

    def to_rows(self) -> list[list[str]]:
        """Header + rows of strings (what the metrics consume)."""
        out = [list(self.header)]
        for cat, row in zip(self.categories, self.values):
            out.append([cat] + [format_number(v) if v is not None else "" for v in row])
        return out

    def to_json(self) -> dict:
        return {"title": self.title, "header": self.header, "categories": self.categories,
                "values": self.values}

    def set_value(self, row: int, col: int, value: float | None) -> None:
        self.values[row][col] = value
