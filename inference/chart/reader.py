"""Chart image -> data table: chart type (ONNX CNN), OCR text, axes and tick calibration, colour-mask marks,
legend -> series, value labels. Classical geometry everywhere except the chart type.

`read_chart(path_or_array, use_ocr=True, calibration=None, ...)` returns a `ChartReading` (reading.py). The steps
live by concern: pixels.py (pixel helpers, the shared ReadContext), ticks.py (tick labels, plot area, log axes),
legend.py (legend, title, value labels), marks.py (bars, lines, points), pie.py.
"""
from __future__ import annotations

import time

import numpy as np

from inference.runtime.cancel import check
from inference.runtime.errors import InputError

from .axes import AxisCalibration, Calibration, fit_axis
from .datapoints import data_positions
from .io import load_image
from .labelled import read_labelled_bars
from .legend import find_legend, find_title, mark_notes
from .marks import read_bars, read_lines, read_scatter
from .ocr import TextBox, strip_bullet
from .pie import read_pie
from .pixels import ReadContext, dominant_colors, invert_lightness, on_light_background, text_colour
from .reading import ChartReading, Series
from .table import Table, parse_number
from .ticks import (find_edges, join_wrapped, log_from_minor_ticks, maybe_log, snap_ticks, tick_group_horizontal,
                    tick_group_vertical)

__all__ = ["ChartReading", "Series", "read_chart"]


def read_chart(src, use_ocr: bool = True, calibration: Calibration | None = None, chart_type: str | None = None,
               use_value_labels: bool = True, progress=None, is_cancelled=None) -> ChartReading:
    """Read a chart. use_ocr=False is the visual-only ablation; use_value_labels=False keeps OCR for axes, legend
    and categories but takes every value from the pixels (the printed value labels are ignored)."""
    t_start = time.perf_counter()
    c_start = time.process_time()
    prog = progress or (lambda f, m="": None)
    img, dark = on_light_background(load_image(src))
    H, W = img.shape[:2]
    check(is_cancelled)
    prog(0.05, "classifying the chart type")
    t0 = time.perf_counter()
    if chart_type is None:
        from .model import classify

        cls = classify(img)
        ranked = sorted(cls["probs"].items(), key=lambda kv: -kv[1])
        ctype, conf = ranked[0]
        # the runner-up is tried when the first reading fails (a bounded second chance, never a third)
        fallback = [(k, p) for k, p in ranked[1:2] if p >= 0.1 and k != "other"]
    else:
        ctype, conf = chart_type, 1.0
        fallback = []
    t_type = time.perf_counter() - t0
    not_a_chart = InputError(f"this image does not look like a chart (type model: not a chart, p={conf:.2f})",
                             "give a bar, line, scatter or pie chart; photos and documents are not read")
    if ctype == "other" and not (use_ocr and use_value_labels):
        raise not_a_chart
    check(is_cancelled)
    prog(0.15, "reading the text (OCR)")
    t0 = time.perf_counter()
    c0 = time.process_time()
    texts: list[TextBox] = []
    if use_ocr:
        from .ocr import join_digit_groups, read_text

        texts = join_digit_groups(read_text(img))
    t_ocr = time.perf_counter() - t0
    c_ocr = time.process_time() - c0
    check(is_cancelled)
    prog(0.7, "finding axes and marks")
    first_error = None
    mark_notes(texts)  # credits, sources and notes are never data, titles or series names
    orig_roles = [t.role for t in texts]

    def labelled(hint):
        """The value-label reader on a fresh attempt: (its context, its reading or None); roles restored on None."""
        before = [t.role for t in texts]
        n_before = len(texts)
        del texts[len(orig_roles):]
        for t, role in zip(texts, orig_roles):
            t.role = role
        lctx = ReadContext(img, texts, hint, use_value_labels)
        got = read_labelled_bars(lctx, hint) if (use_ocr and use_value_labels and calibration is None) else None
        if got is None:
            for t, role in zip(texts, before):
                t.role = role
            del texts[n_before:]
        return lctx, got

    if ctype == "other":
        # the type model knows this project's charts; real bar charts with printed values it may call 'not a chart':
        # such a picture is read only when at least three bars with printed values stand on one baseline
        ctx, reading = labelled(None)
        how = "labelled bars"
        if reading is None or sum(m.source == "label" for m in reading.marks) < 3:
            # or when the runner-up type reads as a proper axis chart: a value axis of >= 3 tick labels on one
            # line, >= 3 categories, a mark for most of them (Statista's plain bar charts the model doubts)
            ctx, reading = _axis_chart_or_none(img, texts, orig_roles, fallback, use_value_labels)
            how = f"a {reading.chart_type} chart (the model's second guess)" if reading is not None else ""
        if reading is None:
            raise not_a_chart
        conf = max(0.05, 1.0 - conf)
        ctx.warnings.append(f"the chart-type model did not recognise this picture as a chart; read as {how}")
    else:
        for kind, p in [(ctype, conf)] + fallback:
            del texts[len(orig_roles):]  # texts a previous attempt read from crops
            for t, role in zip(texts, orig_roles):
                t.role = role
            ctx = ReadContext(img, texts, kind, use_value_labels)
            try:
                reading = read_pie(ctx) if kind == "pie" else _read_axes_chart(ctx, calibration, use_ocr)
                saved, roles_now = list(texts), [t.role for t in texts]
                if kind in _BARS:
                    # the printed values may tell more than the axis: stacked or grouped bars, bars in several
                    # colours with no legend; there the reading that confirms more cells by printed labels wins
                    lctx, alt = labelled(kind)
                    if alt is not None and (
                            (_label_score(alt) > _label_score(reading)
                             and (len(alt.series) > 1 or _empty_share(reading) > 0.25))
                            or _empty_share(alt) < _empty_share(reading) - 0.25
                            # every cell printed and read, where the axis reading left one empty (a bar in a
                            # highlight colour of its own: Statista's grey 'Regional average')
                            or (_empty_share(alt) == 0 < _empty_share(reading) and len(alt.series) == len(reading.series)
                                and _label_score(alt)[0] >= _label_score(reading)[0]
                                and alt.table.categories == reading.table.categories)):
                        ctx, reading = lctx, alt
                    elif alt is not None:  # the axis reading stays: its texts and their roles too
                        texts[:] = saved
                        for t, role in zip(texts, roles_now):
                            t.role = role
                conf = p
                break
            except InputError as e:
                if kind in _BARS:  # no value axis: printed values are all there is
                    lctx, alt = labelled(kind)
                    if alt is not None:
                        ctx, reading, conf = lctx, alt, p
                        break
                first_error = first_error or e
                check(is_cancelled)
        else:
            # the type model's guesses failed (a tall bar chart called a scatter): bars with printed values on
            # one baseline are still read, marked as a doubtful type
            ctx, reading = labelled(None)
            if reading is None or sum(m.source == "label" for m in reading.marks) < 3:
                # or a pie the model did not rank (Pew's brown pie called a bar chart): a true disc of wedges
                pie = None
                if all(k != "pie" for k, _ in [(ctype, conf)] + fallback):
                    del texts[len(orig_roles):]
                    for t, role in zip(texts, orig_roles):
                        t.role = role
                    pctx = ReadContext(img, texts, "pie", use_value_labels)
                    try:
                        pie = pctx, read_pie(pctx, strict=True)
                    except InputError:
                        pie = None
                if pie is None:
                    if chart_type is None and conf < 0.75:   # the type model was unsure too: say so first
                        raise InputError(f"this may not be a chart: the type model was unsure ({ctype}, p={conf:.2f}) "
                                         f"and reading it failed ({first_error.message})",
                                         "give a bar, line, scatter or pie chart; if this is one, "
                                         + (first_error.hint or "crop the picture to the chart"))
                    raise first_error
                ctx, reading = pie
                how = "a pie"
            else:
                how = "labelled bars"
            conf = min(conf, 0.3)
            ctx.warnings.append(f"read as {how} after the type model's guess ({ctype}) failed")
    if reading.chart_type in ("v_bar", "grouped_bar"):  # one reader for both: the legend decides
        reading.chart_type = "grouped_bar" if len(reading.series) > 1 else "v_bar"
    reading.type_confidence = conf
    reading.used_ocr = use_ocr
    if dark:
        reading.inverted = True
        for s_ in reading.series:  # colours as drawn (hue kept, lightness turned back)
            s_.color = invert_lightness(s_.color)
        for m in reading.marks:
            if m.color is not None:
                m.color = invert_lightness(m.color)
    reading.texts = texts
    reading.warnings = ctx.warnings + reading.warnings
    total = time.perf_counter() - t_start
    reading.timings = {"type_s": round(t_type, 4), "ocr_s": round(t_ocr, 4),
                       "rest_s": round(total - t_ocr, 4), "total_s": round(total, 4),
                       "ocr_cpu_s": round(c_ocr, 4), "total_cpu_s": round(time.process_time() - c_start, 4)}
    prog(1.0, "done")
    return reading


_BARS = ("v_bar", "h_bar", "grouped_bar")


def _step_category(cats: list, back: bool):
    """The category one step before (BACK) or after the run CATS, when they form a sequence: evenly stepped whole
    numbers (years) or consecutive months written alike ('Aug', 'Sep' -> 'Jul'); else None."""
    nums = [parse_number(c) for c in cats]
    if all(v is not None and float(v).is_integer() for v in nums) and len(nums) >= 3:
        steps = {nums[i + 1] - nums[i] for i in range(len(nums) - 1)}
        if len(steps) == 1 and next(iter(steps)) != 0:
            st = next(iter(steps))
            return str(int(nums[0] - st if back else nums[-1] + st))
        return None
    from .mentions import MONTH_NAMES, MONTHS
    idx = [MONTHS.index(c.strip()[:3].lower()) if c.strip()[:3].lower() in MONTHS else None for c in cats]
    if None in idx or len(idx) < 3 or any((idx[i + 1] - idx[i]) % 12 != 1 for i in range(len(idx) - 1)):
        return None
    ref = cats[0] if back else cats[-1]
    m = (idx[0] - 1) % 12 if back else (idx[-1] + 1) % 12
    word = MONTH_NAMES[m] if len(ref.strip()) > 3 and ref.strip().lower() in MONTH_NAMES else MONTHS[m]
    return word.capitalize() if ref.strip()[:1].isupper() else word


def _edge_categories(categories: list, anchors: list, plot) -> tuple:
    """Evenly spaced category ticks with one step of room left before the plot's left edge or after its right one:
    a label the text detector missed there (a rotated 'Jul' where the y-axis meets the x-axis, a last year cut by
    the picture's edge) is named from the sequence. Returns (categories, anchors, indices added); the caller drops
    an added category where no line runs."""
    if len(categories) < 3 or len(anchors) != len(categories):
        return categories, anchors, set()
    d = np.diff(np.asarray(anchors, float))
    step = float(np.median(d))
    if step <= 4 or np.abs(d - step).max() > 0.15 * step:
        return categories, anchors, set()
    cats, anch, added = list(categories), list(anchors), set()
    if abs((anch[0] - plot[0]) - step) <= 0.2 * step:
        prev = _step_category(cats, back=True)
        if prev is not None:
            cats.insert(0, prev)
            anch.insert(0, anch[0] - step)
            added = {0}
    if abs((plot[2] - anch[-1]) - step) <= 0.2 * step:
        nxt = _step_category(cats, back=False)
        if nxt is not None:
            cats.append(nxt)
            anch.append(anch[-1] + step)
            added.add(len(cats) - 1)
    return cats, anch, added


def _end_labels(ctx: ReadContext, plot: tuple, x_from: float, palette: list) -> list[Series]:
    """Series named at their lines' right ends in the lines' own colours (Our World in Data, OECD): >= 2 coloured
    texts right of X_FROM, one per colour. A text's ink is lighter than its line (anti-aliasing): its colour is
    snapped to the nearest of the plot's own colours (PALETTE) when one is near."""
    out: list[Series] = []
    for t in sorted(ctx.texts, key=lambda t: t.cy):
        if not ctx.free(t) or t.value is not None or t.x0 < x_from or t.cy < plot[1] - 10 or t.cy > plot[3] + 10:
            continue
        c = text_colour(ctx, t)
        if c is None or float(c.max() - c.min()) < 25:  # grey or black text is a note, not a line's name
            continue
        c = _snap_to_palette(c, palette, ctx.bg)
        if any(float(np.abs(np.array(o.color) - c).sum()) < 40 for o in out):
            continue
        out.append(Series(strip_bullet(t.text), tuple(float(v) for v in c), (t.x0 - 2, t.y0 - 2, t.x1 + 2, t.y1 + 2)))
    if len(out) < 2:
        return []
    for t in ctx.texts:
        if any(s.legend_box == (t.x0 - 2, t.y0 - 2, t.x1 + 2, t.y1 + 2) for s in out):
            t.role = "legend"
    return out


def _snap_to_palette(c: np.ndarray, palette: list, bg: np.ndarray) -> np.ndarray:
    """The palette colour whose blend with the background gives C (text ink is its colour washed by
    anti-aliasing), else C itself."""
    best, best_res = c, 25.0
    d = np.asarray(c, float) - bg
    for p in palette:
        v = np.asarray(p, float) - bg
        n2 = float(v @ v)
        if n2 < 1:
            continue
        a = float(d @ v) / n2
        res = float(np.linalg.norm(d - a * v))
        if 0.5 <= a <= 1.2 and res < best_res:
            best, best_res = np.asarray(p, float), res
    return best


def _axis_chart_or_none(img, texts, orig_roles, fallback, use_value_labels):
    """The runner-up type's axis reading of a picture the type model called 'not a chart', kept only when it is
    plainly a chart: (context, reading) or (None, None)."""
    for kind, p in fallback:
        if kind not in _BARS + ("line",) or p < 0.25:
            continue
        del texts[len(orig_roles):]
        for t, role in zip(texts, orig_roles):
            t.role = role
        ctx = ReadContext(img, texts, kind, use_value_labels)
        try:
            r = _read_axes_chart(ctx, None, True)
        except InputError:
            continue
        cal = next(iter(r.calibration.values()), None)
        cats = [c for c in r.table.categories if c not in ("", "?")]
        filled = sum(v is not None for row in r.table.values for v in row)
        if (cal is not None and len(cal.ticks or []) >= 3 and (cal.residual or 0) < 0.02 and len(cats) >= 3
                and filled >= 0.8 * len(r.table.categories)):
            return ctx, r
    for t, role in zip(texts, orig_roles):
        t.role = role
    return None, None


def _grey_line_colour(ctx: ReadContext, region: np.ndarray) -> list:
    """A line in a grey theme: dark non-background ink inside the plot that is no text and no long level line
    (gridlines, the axis)."""
    import cv2

    ink = (np.abs(ctx.img.astype(np.int16) - ctx.bg.astype(np.int16)).sum(2) > 150) & region
    for t in ctx.texts:
        ink[max(0, int(t.y0) - 1):int(t.y1) + 2, max(0, int(t.x0) - 1):int(t.x1) + 2] = False
    level = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_OPEN, np.ones((1, 40), np.uint8)).astype(bool)
    upright = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_OPEN, np.ones((40, 1), np.uint8)).astype(bool)
    ink &= ~level & ~upright
    if ink.sum() < 0.001 * region.sum():
        return []
    return dominant_colors(ctx.img, ink, min_frac=0.05, max_k=6)[:1]


def _grey_bar_colour(ctx: ReadContext, region: np.ndarray) -> list:
    """Bars in a grey or muted colour (a grey theme, a beige palette): what is left of the non-background ink after
    an opening that removes everything thinner than a bar (gridlines, axes, tick marks, text strokes)."""
    import cv2

    ink = (np.abs(ctx.img.astype(np.int16) - ctx.bg.astype(np.int16)).sum(2) > 45) & region
    solid = cv2.morphologyEx(ink.astype(np.uint8), cv2.MORPH_OPEN, np.ones((6, 6), np.uint8)).astype(bool)
    if solid.sum() < 0.004 * region.sum():
        return []
    return dominant_colors(ctx.img, solid, min_frac=0.05, max_k=6)[:1]


def _empty_share(reading: ChartReading) -> float:
    vals = [v for row in reading.table.values for v in row]
    return sum(v is None for v in vals) / len(vals) if vals else 1.0


def _label_score(reading: ChartReading) -> tuple:
    """(cells confirmed by a printed label, filled cells): the better-evidenced of two readings is larger."""
    vals = [v for row in reading.table.values for v in row]
    return (sum(m.source == "label" for m in reading.marks), sum(v is not None for v in vals))


def _whole_rotated_line(ctx: ReadContext, t: TextBox) -> str:
    """A rotated title the detector found only part of ('invested' of 'Millions of euros invested'): its column of
    ink followed up and down across small gaps, read again whole; the part when that reads worse."""
    from .ocr import read_rotated

    x0, x1 = max(0, int(t.x0) - 1), min(ctx.W, int(t.x1) + 2)
    ink = (ctx.gray[:, x0:x1] < 150).sum(1) > 0
    for t2 in ctx.texts:  # other text crossing the column is not the title
        if t2 is not t and t2.role != "vertical" and t2.x0 < x1 and t2.x1 > x0:
            ink[max(0, int(t2.y0)):int(t2.y1) + 1] = False
    top, bot = int(t.y0), int(t.y1)
    gap = 0
    while top > 0 and gap <= 12:
        top -= 1
        gap = 0 if ink[top] else gap + 1
    top += gap
    gap = 0
    while bot < ctx.H - 1 and gap <= 12:
        bot += 1
        gap = 0 if ink[bot] else gap + 1
    bot -= gap
    if bot - top <= (t.y1 - t.y0) + 8:
        return t.text
    txt = read_rotated(ctx.img, (x0 - 1, top - 2, x1 + 1, bot + 3))
    return txt if len(txt) > len(t.text) and t.text.lower().split()[-1][:4] in txt.lower() else t.text


def _rotated_title(ctx: ReadContext, ylab: list[TextBox], x_end: int | None = None, near: float = 1e9) -> str:
    """A y-axis title the text detector missed (small, rotated): the band of dark columns left of the tick labels
    (or left of X_END, within NEAR px of it: the first line of a title wrapped in two), turned upright and read."""
    from .ocr import read_rotated

    if x_end is None:
        x_end = int(min(t.x0 for t in ylab)) - 3
    y0 = max(0, int(min(t.y0 for t in ylab)) - 10)
    y1 = min(ctx.H, int(max(t.y1 for t in ylab)) + 10)
    if x_end < 8:
        return ""
    band = ctx.gray[y0:y1, :x_end] < 150
    for t in ctx.texts:  # other text there is not the title
        if t.x1 < x_end and t.role != "vertical":
            band[max(0, int(t.y0) - y0):max(0, int(t.y1) - y0), int(t.x0):int(t.x1) + 1] = False
    cols = np.nonzero(band.sum(0) >= 3)[0]
    if len(cols) == 0:
        return ""
    # the band nearest the tick labels: contiguous dark columns (gaps of <= 2 px)
    right = cols[-1]
    left = right
    for c in cols[::-1][1:]:
        if left - c > 3:
            break
        left = c
    if not 6 <= right - left + 1 <= 40 or x_end - right > near:
        return ""
    txt = read_rotated(ctx.img, (left - 2, y0, right + 3, y1))
    return txt if len(txt) >= 3 and any(ch.isalpha() for ch in txt) else ""


def _read_axes_chart(ctx: ReadContext, calibration: Calibration | None, use_ocr: bool) -> ChartReading:
    ctype = ctx.ctype
    H, W = ctx.H, ctx.W
    horizontal = ctype == "h_bar"
    texts = ctx.texts
    # --- tick labels -------------------------------------------------------------------------
    if horizontal and texts:
        pre_x = tick_group_horizontal(ctx, numeric=True, below=0.3 * H)
        for t in pre_x:
            t.role = "xtick"
        ylab = tick_group_vertical(ctx, numeric=None)
        for t in pre_x:
            t.role = ""
    else:
        ylab = tick_group_vertical(ctx, numeric=True) if texts else []
        if not ylab and texts:  # a log axis may show a single labelled decade
            singles = sorted([t for t in texts if ctx.free(t) and t.role != "vertical" and t.value is not None
                              and t.x1 < 0.3 * W and 0.05 * H < t.cy < 0.9 * H], key=lambda t: t.x1)
            if len(singles) == 1 or (len(singles) > 1 and singles[0].x1 < singles[1].x0 - 20):
                ylab = singles[:1]
    for t in ylab:
        t.role = "category" if horizontal else "ytick"
    y_top_lab = min((t.cy for t in ylab), default=0.15 * H)
    y_bot_lab = max((t.cy for t in ylab), default=0.85 * H)
    left_guess = max((t.x1 for t in ylab), default=0.08 * W)
    if ctype in ("h_bar", "scatter"):
        xlab = tick_group_horizontal(ctx, numeric=True, below=y_top_lab) if texts else []
        xlab = [t for t in xlab if t.x0 > left_guess - 20]
        for t in xlab:
            t.role = "xtick"
    else:
        # category labels sit below the plot, hence below every y tick label's centre
        xlab = tick_group_horizontal(ctx, numeric=False, below=y_bot_lab if ylab else y_top_lab) if texts else []
        # (the first may sit partly under the y tick labels: OWID's '2011' at the axes' corner)
        xlab = [t for t in xlab if t.x1 > left_guess + 5]
        for t in xlab:
            t.role = "category"
    bottom_guess = min((t.y0 for t in xlab), default=0.9 * H) - 2
    # legend first (its texts must not be taken for titles, nor for the second line of a category label)
    series = find_legend(ctx) if texts else []
    if texts and not series and ctx.sat.mean() < 0.002:
        # a grey or muted theme (next to no saturated ink anywhere): its legend icons may be grey or pale
        series = find_legend(ctx, any_ink=True)
    if not horizontal and ctype not in ("scatter",):
        join_wrapped(ctx, xlab)
    # axis titles: vertical text at the far left, a lone row below the x labels
    vtitle = [t for t in texts if t.role == "vertical" or (ctx.free(t) and t.h > 2 * t.w and t.x1 < left_guess)]
    ytitle = min(vtitle, key=lambda t: t.x0).text if vtitle else ""
    if ytitle and use_ocr and not horizontal and len(ylab) >= 2:
        first = min(vtitle, key=lambda t: t.x0)
        ytitle = _whole_rotated_line(ctx, first)
        # a title wrapped in two rotated lines
        line1 = _rotated_title(ctx, ylab, x_end=int(first.x0) - 2, near=max(first.w, 8.0))
        if line1:
            ytitle = f"{line1} {ytitle}"
    if not ytitle and use_ocr and not horizontal and len(ylab) >= 2:
        ytitle = _rotated_title(ctx, ylab)
    for t in vtitle:
        t.role = "axis_title"
    if not ytitle and not horizontal and len(ylab) >= 2:
        # a value-axis name printed level, just above the top tick label (ECharts' default, spreadsheet charts):
        # short, starting near the axis' labels, within two and a half text heights of the top label
        top_lab = min(ylab, key=lambda t: t.cy)
        above = [t for t in texts if ctx.free(t) and t.value is None and t.y1 <= top_lab.y0 + 2
                 and top_lab.cy - t.cy <= 2.5 * max(t.h, top_lab.h) and t.x0 <= left_guess + 0.05 * W
                 and t.x1 < 0.45 * W and t.role != "vertical"]
        if above:  # the nearest (a title further up may be within reach too)
            near_t = max(above, key=lambda t: t.cy)
            near_t.role = "axis_title"
            ytitle = near_t.text
    xt_c = [t for t in texts if ctx.free(t) and t.y0 > (max((x.y1 for x in xlab), default=H) - 8)
            and t.cy > max((x.cy for x in xlab), default=H) and t.value is None]
    xtitle = ""
    if xt_c:
        t = min(xt_c, key=lambda t: t.y0)
        t.role = "axis_title"
        xtitle = t.text
    elif horizontal and xlab:
        # the value axis named at its right end, level with its tick labels (ECharts' default)
        last = max(xlab, key=lambda t: t.x1)
        at_end = [t for t in texts if ctx.free(t) and t.value is None and t.x0 >= last.cx
                  and abs(t.cy - last.cy) <= 1.5 * max(t.h, last.h)]
        if at_end:
            t = min(at_end, key=lambda t: t.x0)
            t.role = "axis_title"
            xtitle = t.text
    title = find_title(ctx, top_limit=y_top_lab - 4 if ylab else 0.12 * H)

    # --- plot area ---------------------------------------------------------------------------
    y_from = y_top_lab if len(ylab) >= 2 else 0.1 * H
    y_to = y_bot_lab if len(ylab) >= 2 else 0.85 * H
    left, right, top, bottom = find_edges(ctx, left_guess + 1, W * 0.95, y_from, y_to)
    if xlab:
        # the bottom edge is searched just above the x labels
        _, _, _, b2 = find_edges(ctx, (left or left_guess) + 5, (right or W) - 5, y_from, bottom_guess)
        bottom = b2 if b2 is not None else bottom
    title_bottom = max((t.y1 for t in texts if t.role == "title"), default=0.0)
    plot = (left if left is not None else left_guess + 8,
            top if top is not None else title_bottom + 4,
            right if right is not None else W - 4,
            bottom if bottom is not None else bottom_guess)
    if plot[2] - plot[0] < 10 or plot[3] - plot[1] < 10:
        raise InputError("no axis found: could not locate the plot area", "crop the picture to the chart, "
                         "or set the calibration by hand")
    # where marks may be: right of the value axis, above the x axis, below the title (marks may overshoot
    # the top/right grid lines when there is no spine there)
    x_first = min((t.cx for t in xlab), default=plot[0]) if not horizontal and ctype == "line" else plot[0]
    search = (min(plot[0], x_first - 4), title_bottom + 2, W - 2, plot[3])

    # --- calibration -------------------------------------------------------------------------
    cal: dict[str, AxisCalibration] = {}
    if horizontal:
        cat_lab, val_lab = ylab, xlab
        cat_axis, val_axis = "y", "x"
    else:
        cat_lab, val_lab = xlab, ylab
        cat_axis, val_axis = "x", "y"
    if ctype == "scatter":
        if ylab:
            c = fit_axis("y", snap_ticks(ctx, "y", ylab, plot[0], gridlines=True), [t.value for t in ylab])
            if c:
                cal["y"] = maybe_log(ctx, c, plot[0])
        if xlab:
            c = fit_axis("x", snap_ticks(ctx, "x", xlab, plot[3], gridlines=True), [t.value for t in xlab])
            if c:
                cal["x"] = c
    elif val_lab:
        edge = plot[0] if val_axis == "y" else plot[3]
        snapped = snap_ticks(ctx, val_axis, val_lab, edge, gridlines=True)
        c = fit_axis(val_axis, snapped, [t.value for t in val_lab])
        if c:
            cal[val_axis] = maybe_log(ctx, c, edge)
        else:
            c = log_from_minor_ticks(ctx, val_axis, snapped, [t.value for t in val_lab], edge)
            if c:
                cal[val_axis] = c
    if calibration is not None:
        for ax in ("x", "y"):
            c = getattr(calibration, ax)
            if c is not None:
                cal[ax] = c
    need = ("x", "y") if ctype == "scatter" else (val_axis,)
    missing = [a for a in need if a not in cal]
    if missing:
        if use_ocr:
            raise InputError(f"no axis found: the {' and '.join(missing)}-axis tick labels could not be read",
                             "the ticks may be unreadable or missing: set the calibration by hand "
                             "(click two known points per axis)")
        # visual-only reading: values in plot-area units (0 at the bottom/left edge, 1 at the top/right)
        for a in missing:
            if a == "y":
                cal[a] = AxisCalibration("y", float(plot[3]), 0.0, float(plot[1]), 1.0, False, "relative")
            else:
                cal[a] = AxisCalibration("x", float(plot[0]), 0.0, float(plot[2]), 1.0, False, "relative")
        ctx.warnings.append("no OCR and no calibration: values are relative plot-area heights (0..1)")

    # --- series ------------------------------------------------------------------------------
    region = np.zeros((H, W), bool)
    x_a, y_a, x_b, y_b = int(search[0]) + 1, int(search[1]) + 1, int(search[2]) - 1, int(search[3]) - 1
    region[max(0, y_a):max(0, y_b), max(0, x_a):max(0, x_b)] = True
    for s in series:
        if s.legend_box:
            bx0, by0, bx1, by1 = (int(v) for v in s.legend_box)
            region[max(0, by0):by1, max(0, bx0):bx1] = False
    # also drop legend patches without readable text (a no-OCR run): small isolated blobs beside text-less areas
    x_last = max((t.cx for t in xlab), default=plot[2])
    x_from = min(plot[2] - 0.1 * (plot[2] - plot[0]), x_last - 12)
    if series and ctype == "line" and texts and all(s_.legend_box and s_.legend_box[0] >= x_last - 25 for s_ in series):
        # a 'legend' right of the last category is lines named at their ends, some of whose labels a line's end or
        # a bullet made look like legend entries ('• Ecuador', 'Mongolia', with 'Mali' left out): read them all
        was = [(t, t.role) for t in texts if t.role == "legend" and any(
            b[0] <= t.cx <= b[2] and b[1] <= t.cy <= b[3] for b in (s_.legend_box for s_ in series))]
        for t, _ in was:
            t.role = ""
        ends = _end_labels(ctx, plot, x_from, dominant_colors(ctx.img, ctx.sat & region, min_frac=0.005, max_k=12))
        if len(ends) > len(series):
            series = ends
        else:
            for t, role in was:
                t.role = role
    if not series and ctype == "line" and texts:
        # the labels start at the lines' ends: at the last category (plot edges without a spine run to the border)
        series = _end_labels(ctx, plot, x_from,
                             dominant_colors(ctx.img, ctx.sat & region, min_frac=0.005, max_k=12))
        for s_ in series:  # the labels' own ink is no line (but the line's last point may touch the label)
            bx0, by0, bx1, by1 = (int(v) for v in s_.legend_box)
            bx0 = max(bx0, int(x_last) + 6)
            region[max(0, by0):by1, max(0, bx0):bx1] = False
    if ctype == "line":
        # a line of prose inside the plot's box (an OWID subtitle over the top gridline) is not a line's ink: its
        # dark letters passed for a slate-grey series' points
        for t in texts:
            if t.value is None and t.w > 4 * t.h and t.role not in ("category", "xtick", "legend"):
                region[max(0, int(t.y0)):int(np.ceil(t.y1)) + 1, max(0, int(t.x0)):int(np.ceil(t.x1)) + 1] = False
    mask = ctx.sat & region
    if not series:
        # without a legend there is one series: its colour is the dominant saturated colour
        cols = dominant_colors(ctx.img, mask, min_frac=0.05, max_k=6)[:1]
        if not cols:
            cols = _grey_line_colour(ctx, region) if ctype == "line" else _grey_bar_colour(ctx, region)
        if not cols:
            raise InputError("no marks found: no coloured bars, lines or points inside the plot area",
                             "this reader needs coloured marks; grey-only charts are not supported")
        if len(cols) == 1:
            # a one-entry legend in the marks' colour names the series (and its patch is no mark); else the axis
            # title; else the chart's title (Our World in Data charts)
            single = [s_ for s_ in (find_legend(ctx, min_entries=1) if texts else [])
                      if np.abs(np.array(s_.color) - np.array(cols[0])).sum() < 60 and any(ch.isalpha() for ch in s_.name)]
            name = (single[0].name if single else "") or (xtitle if horizontal else ytitle) or title or "Value"
            series = [Series(name, cols[0], single[0].legend_box if single else None)]
            if single:
                bx0, by0, bx1, by1 = (int(v) for v in single[0].legend_box)
                region[max(0, by0):by1, max(0, bx0):bx1] = False
        else:
            series = [Series(f"Series {i + 1}", c) for i, c in enumerate(cols)]

    # --- category anchors ----------------------------------------------------------------------
    def anchor(t: TextBox) -> float:
        if cat_axis == "x" and abs(t.angle) > 15:
            # rotated label, right-aligned at the tick: the upper end of the text
            return t.x1 - 4.0
        return t.cx if cat_axis == "x" else t.cy

    categories: list[str] = []
    anchors: list[float] = []
    if ctype != "scatter" and cat_lab:
        cat_lab = sorted(cat_lab, key=anchor)
        if cat_axis == "x":
            anchors = snap_ticks(ctx, "x", cat_lab, plot[3], anchor=anchor)
        else:
            anchors = snap_ticks(ctx, "y", cat_lab, plot[0], anchor=anchor)
        categories = [t.text for t in cat_lab]
    added: set = set()
    if ctype == "line" and cat_axis == "x":
        categories, anchors, added = _edge_categories(categories, anchors, plot)
        # years labelled every few steps over data at every step: the lines say where their points are
        at = data_positions(ctx, region, [s_.color for s_ in series], categories, anchors, plot) if series else None
        if at is not None:
            categories, anchors = at
            added = set()

    reading = ChartReading((W, H), ctype, 1.0, Table(["Characteristic"], [], []), series=series,
                           plot_area=tuple(float(v) for v in plot), calibration=cal, title=title)
    vcal = cal[val_axis] if ctype != "scatter" else None
    if ctype in ("v_bar", "grouped_bar", "h_bar"):
        found = read_bars(ctx, reading, region, vcal, horizontal, anchors, categories)
    elif ctype == "line":
        found = read_lines(ctx, reading, region, vcal, anchors, categories)
    else:
        found = read_scatter(ctx, reading, region, cal["x"], cal["y"])
    reading.marks = found.marks
    head = (ytitle if horizontal else xtitle) or "Characteristic"
    if ctype == "scatter":
        head = xtitle or "X"
    cats = list(found.categories)
    upper = [c[:1].isupper() for c in cats if c[:1].isalpha()]
    if upper and sum(upper) >= 0.6 * len(upper):  # OCR sometimes drops a capital ('sep' among 'Aug', 'Oct')
        cats = [c[:1].upper() + c[1:] if c[:1].isalpha() else c for c in cats]
    tab = Table([head] + [s.name for s in reading.series], cats, [], title)
    vals = [[None] * len(reading.series) for _ in tab.categories]
    for m in reading.marks:
        vals[m.category][m.series] = m.value
    tab.values = vals
    reading.table = tab
    reading.category_anchors = list(found.anchors)
    empty = [k for k in added if k < len(vals) and all(v is None for v in vals[k])]
    if empty:   # a category filled in at the plot's edge where no line runs: not part of the chart
        keep = [k for k in range(len(vals)) if k not in empty]
        renum = {k: i for i, k in enumerate(keep)}
        tab.categories = [tab.categories[k] for k in keep]
        tab.values = [vals[k] for k in keep]
        reading.category_anchors = [reading.category_anchors[k] for k in keep if k < len(reading.category_anchors)]
        reading.marks = [m for m in reading.marks if m.category in renum]
        for m in reading.marks:
            m.category = renum[m.category]
    elif added:
        reading.warnings.append("a category at the plot's edge had no readable label; named from its neighbours ("
                                + ", ".join(tab.categories[k] for k in sorted(added) if k < len(tab.categories)) + ")")
    if not reading.marks:
        raise InputError("no marks found inside the plot area", "check that the picture is a chart with coloured marks")
    return reading
