"""Chart-to-text: a short summary that names the real extremes and the trend, computed from the table."""
from __future__ import annotations

from inference.runtime.errors import InputError

from .table import Table, format_number

TIME_HEADS = ("year", "month", "date", "quarter", "week", "day")
MONTHS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"}


def _is_time(table: Table) -> bool:
    if table.header and table.header[0].strip().lower() in TIME_HEADS:
        return True
    cats = [c.strip().lower() for c in table.categories]
    if cats and all(c.isdigit() and 1800 <= int(c) <= 2200 for c in cats):
        return True
    return bool(cats) and all(c[:3] in MONTHS for c in cats)


def summarize(table: Table, chart_type: str = "") -> str:
    if table is None or table.is_empty():
        raise InputError("there is no table to summarise", "read a chart first")
    col = [(r, v) for r, v in enumerate(table.column(0)) if v is not None]
    if not col:
        raise InputError("the table has no values", "read the chart again or fill the table in")
    cats = table.categories
    s = table.series[0]
    rmax, vmax = max(col, key=lambda t: t[1])
    rmin, vmin = min(col, key=lambda t: t[1])
    head = table.header[0].strip().lower() if table.header and table.header[0] not in ("Characteristic", "X") else ""
    kind = head or "point"
    parts = []
    if table.title:
        parts.append(f"{table.title}.")
    parts.append(f"The chart shows {s} for {len(col)} {kind}s.")
    parts.append(f"{cats[rmax]} has the highest value at {format_number(round(vmax, 2))}, while {cats[rmin]} has the "
                 f"lowest at {format_number(round(vmin, 2))}.")
    if _is_time(table) and len(col) >= 2 and chart_type != "pie":
        (r0, v0), (r1, v1) = col[0], col[-1]
        word = "increased" if v1 > v0 else "decreased"
        parts.append(f"From {cats[r0]} to {cats[r1]}, {s} {word} from {format_number(round(v0, 2))} to "
                     f"{format_number(round(v1, 2))}.")
    if len(table.series) > 1:
        others = ", ".join(table.series[1:])
        parts.append(f"It also shows {others}.")
    return " ".join(parts)
