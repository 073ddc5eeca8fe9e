"""Axis calibration: pixels <-> values, fitted from OCR'd tick labels or given by hand (two points per axis).

Pixel coordinates are continuous: pixel column i covers [i, i+1), so its centre is i + 0.5.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from inference.runtime.errors import InputError


@dataclass
class AxisCalibration:
    axis: str  # "x" or "y"
    p1: float
    v1: float
    p2: float
    v2: float
    log: bool = False
    source: str = "ocr"  # "ocr" (fitted from tick labels) or "manual"
    ticks: list = field(default_factory=list)  # [(pixel, value)] used for the fit
    residual: float = 0.0  # max |fit - tick| as a fraction of the tick range

    def __post_init__(self):
        if not all(math.isfinite(float(v)) for v in (self.p1, self.v1, self.p2, self.v2)):
            raise InputError(f"{self.axis} calibration has a non-finite number", "enter finite pixel positions and values")
        if abs(self.p2 - self.p1) < 1e-6:
            raise InputError(f"the two {self.axis}-axis calibration points are at the same pixel",
                             "pick two points far apart on the axis")
        if self.v1 == self.v2:
            raise InputError(f"the two {self.axis}-axis calibration values are equal", "type two different values")
        if self.log and (self.v1 <= 0 or self.v2 <= 0):
            raise InputError(f"a log {self.axis} axis needs positive values", "use values > 0 or a linear axis")

    def _f(self, v: float) -> float:
        return math.log10(v) if self.log else v

    def value(self, p: float) -> float:
        a = (self._f(self.v2) - self._f(self.v1)) / (self.p2 - self.p1)
        f = self._f(self.v1) + (p - self.p1) * a
        return 10 ** f if self.log else f

    def pixel(self, v: float) -> float | None:
        if self.log and v <= 0:
            return None
        a = (self._f(self.v2) - self._f(self.v1)) / (self.p2 - self.p1)
        return self.p1 + (self._f(v) - self._f(self.v1)) / a

    def units_per_px(self, p: float) -> float:
        return abs(self.value(p + 0.5) - self.value(p - 0.5))

    def to_json(self) -> dict:
        return {"p1": self.p1, "v1": self.v1, "p2": self.p2, "v2": self.v2, "log": self.log, "source": self.source}

    @classmethod
    def from_json(cls, axis: str, d: dict) -> "AxisCalibration":
        try:
            return cls(axis, float(d["p1"]), float(d["v1"]), float(d["p2"]), float(d["v2"]), bool(d.get("log", False)),
                       "manual")
        except (KeyError, TypeError, ValueError):
            raise InputError(f"the {axis} calibration needs p1, v1, p2, v2 (and optional log)",
                             'e.g. {"y": {"p1": 400, "v1": 0, "p2": 100, "v2": 1000, "log": false}}') from None


def fit_axis(axis: str, pix: list[float], vals: list[float]) -> AxisCalibration | None:
    """Least-squares fit of value(pixel), linear or log10; drops one outlier (a misread label) if that helps."""
    pts = [(float(p), float(v)) for p, v in zip(pix, vals)]
    if len(pts) < 2:
        return None
    best = None
    for log in (False, True):
        cand_sets = [pts]
        if len(pts) >= 4:
            cand_sets += [pts[:i] + pts[i + 1:] for i in range(len(pts))]
        for cs in cand_sets:
            P = np.array([c[0] for c in cs])
            V = np.array([c[1] for c in cs])
            if log:
                if (V <= 0).any():
                    continue
                F = np.log10(V)
            else:
                F = V
            if np.ptp(P) < 5 or np.ptp(F) <= 0:
                continue
            if len(set(np.round(F, 9))) < len(F):
                continue  # repeated tick values: not an axis
            A = np.c_[P, np.ones_like(P)]
            coef, *_ = np.linalg.lstsq(A, F, rcond=None)
            if abs(coef[0]) < 1e-12:
                continue
            res = np.abs(A @ coef - F).max() / max(np.ptp(F), 1e-12)
            # penalise dropping a point, prefer linear when equally good
            score = res + 0.02 * (len(pts) - len(cs)) + (0.005 if log else 0.0)
            if best is None or score < best[0]:
                best = (score, log, coef, cs, res)
    if best is None or best[4] > 0.03:
        return None
    _, log, coef, cs, res = best
    pmin, pmax = min(c[0] for c in cs), max(c[0] for c in cs)
    f1, f2 = coef[0] * pmin + coef[1], coef[0] * pmax + coef[1]
    v1, v2 = (10 ** f1, 10 ** f2) if log else (f1, f2)
    return AxisCalibration(axis, pmin, float(v1), pmax, float(v2), log, "ocr", [list(c) for c in cs], float(res))


@dataclass
class Calibration:
    """A manual override: either axis may be given; the other stays automatic."""
    x: AxisCalibration | None = None
    y: AxisCalibration | None = None

    def to_json(self) -> dict:
        return {k: getattr(self, k).to_json() for k in ("x", "y") if getattr(self, k) is not None}

    @classmethod
    def from_json(cls, d: dict) -> "Calibration":
        if not isinstance(d, dict) or not (set(d) & {"x", "y"}):
            raise InputError("a calibration must be a JSON object with an 'x' and/or 'y' axis",
                             'e.g. {"y": {"p1": 400, "v1": 0, "p2": 100, "v2": 1000}}')
        return cls(AxisCalibration.from_json("x", d["x"]) if d.get("x") else None,
                   AxisCalibration.from_json("y", d["y"]) if d.get("y") else None)

    @classmethod
    def load(cls, path: Path) -> "Calibration":
        try:
            return cls.from_json(json.loads(Path(path).read_text(encoding="utf-8")))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, KeyError, TypeError, AttributeError, ValueError) as e:
            raise InputError(f"cannot read calibration {Path(path).name} ({type(e).__name__}: {e})",
                             "give a JSON file saved by the panel") from None

    def save(self, path: Path) -> None:
        Path(path).write_text(json.dumps(self.to_json(), indent=2), encoding="utf-8")

    @classmethod
    def from_clicks(cls, axis: str, p1: float, v1: float, p2: float, v2: float, log: bool = False) -> AxisCalibration:
        """A digitiser's calibration: two clicked pixel positions along an axis and their typed values."""
        return AxisCalibration(axis, float(p1), float(v1), float(p2), float(v2), bool(log), "manual")
