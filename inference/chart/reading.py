"""What a chart reading returns: the series (legend entries), the marks (one per table cell, with its pixel box
and where its value came from) and the `ChartReading` itself (type, table, plot area, calibration, texts, …)."""
from __future__ import annotations

from dataclasses import dataclass, field

from .ocr import TextBox
from .table import Table


@dataclass
class Series:
    name: str
    color: tuple  # RGB 0..255
    legend_box: tuple | None = None

@dataclass
class Mark:
    series: int
    category: int
    value: float
    box: tuple  # x0, y0, x1, y1 in image pixels (a point mark has a small box around it)
    source: str = "pixels"  # "pixels" or "label" (the printed value label was read)
    pixel_value: float | None = None
    label: str | None = None
    color: tuple | None = None  # RGB of this mark when marks of one series differ (OWID's bars, a pie's slices)

    def to_json(self) -> dict:
        return {"series": self.series, "category": self.category, "value": self.value,
                "box": [round(float(b), 1) for b in self.box], "source": self.source,
                "pixel_value": self.pixel_value, "label": self.label}

@dataclass
class ChartReading:
    image_size: tuple
    chart_type: str
    type_confidence: float
    table: Table
    marks: list[Mark] = field(default_factory=list)
    series: list[Series] = field(default_factory=list)
    plot_area: tuple | None = None
    calibration: dict = field(default_factory=dict)  # axis -> AxisCalibration
    texts: list[TextBox] = field(default_factory=list)
    category_anchors: list = field(default_factory=list)  # pixel positions along the category axis
    pie: dict | None = None
    title: str = ""
    used_ocr: bool = True
    warnings: list[str] = field(default_factory=list)
    timings: dict = field(default_factory=dict)
    inverted: bool = False  # read with its lightness turned over (a dark background); boxes are unchanged

    def colors(self) -> dict:
        """{name: RGB} for what a question may name by colour ('the blue bar'): the series the table shows, and
        the categories when one series' marks are drawn in colours of their own (a pie's slices, OWID's bars)."""
        names = set(self.table.series)
        own = [m for m in self.marks if m.color is not None and m.category < len(self.table.categories)]
        if len(self.table.series) == 1 and len({tuple(m.color) for m in own}) >= 2:
            # one series drawn in many colours: the colours name categories (the series has no colour of its own)
            out: dict = {}
            for m in own:
                out.setdefault(self.table.categories[m.category], tuple(m.color))
            return out
        return {s.name: tuple(s.color) for s in self.series if s.name in names}

    def to_json(self) -> dict:
        return {
            "image_size": list(self.image_size), "chart_type": self.chart_type,
            "type_confidence": round(self.type_confidence, 4), "title": self.title,
            "plot_area": [round(float(v), 1) for v in self.plot_area] if self.plot_area else None,
            "calibration": {k: {**c.to_json(), "ticks": c.ticks, "residual": c.residual}
                            for k, c in self.calibration.items()},
            "series": [{"name": s.name, "color": list(s.color)} for s in self.series],
            "marks": [m.to_json() for m in self.marks], "texts": [t.to_json() for t in self.texts],
            "table": self.table.to_json(), "pie": self.pie, "used_ocr": self.used_ocr,
            "warnings": self.warnings, "timings": self.timings,
        }
