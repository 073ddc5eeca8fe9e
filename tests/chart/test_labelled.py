"""Reading real charts' habits: bars valued from their printed labels with no value axis (vertical, stacked),
credits and source lines never taken for titles, thousands split by the recogniser joined again, words split by it
rejoined, and a real Statista chart with no value axis (../shared) read end to end."""
from __future__ import annotations

import numpy as np
import pytest

from inference.chart.labelled import read_labelled_bars
from inference.chart.legend import mark_notes
from inference.chart.ocr import TextBox, join_digit_groups, rejoin_words
from inference.chart.pixels import ReadContext
from inference.chart.table import parse_number

BLUE = (40, 110, 217)
ORANGE = (240, 140, 30)


def box(text, x0, y0, x1, y1, score=0.99):
    t = TextBox(text, score, np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1]], float))
    t.value = parse_number(text)
    return t


def test_credits_sources_and_logos_are_notes():
    texts = [box(s, 0, 0, 10, 10) for s in ("© Statista 2021", "Source: World Bank", "Our World", "in Data",
                                            "Additional Information", "Show source", "CC BY", "Sales in 2019",
                                            "Note: no answer not shown", "Revenue", "Collapse statistic")]
    assert mark_notes(texts) == 9   # Statista's 'Collapse statistic' button is page furniture too
    assert [t.role for t in texts][-4:] == ["", "note", "", "note"]


def test_thousands_split_by_the_recogniser_are_one_number_again():
    texts = [box("11", 632, 45, 652, 66), box("950", 652, 45, 682, 66),  # '11,950' read as two boxes
             box("2017", 100, 300, 135, 316), box("2018", 150, 300, 185, 316),  # tick labels: never joined
             box("100", 100, 400, 125, 416), box("200", 190, 400, 215, 416)]  # spaced ticks: never joined
    out = join_digit_groups(texts)
    assert [t.text for t in out] == ["11,950", "2017", "2018", "100", "200"]
    assert out[0].value == 11950 and out[0].x0 == 632 and out[0].x1 == 682


def test_words_split_by_the_recogniser_are_rejoined():
    assert rejoin_words("Num be r of pe ople") == "Number of people"
    assert rejoin_words("Ave rage annual re venue in GBP") == "Average annual revenue in GBP"
    assert rejoin_words("log in to the site") == "log in to the site"  # function words stay apart
    assert rejoin_words("Share of respondents") == "Share of respondents"


def _canvas(w=640, h=420):
    return np.full((h, w, 3), 255, np.uint8)


def test_vertical_bars_with_printed_values_and_no_axis():
    img = _canvas()
    base = 350
    values = [12.5, 30.0, 22.0, 8.0, 18.0]
    texts = []
    for i, v in enumerate(values):
        x0 = 80 + i * 100
        top = int(round(base - v * 8))
        img[top:base, x0:x0 + 50] = BLUE
        if i != 3:  # the fourth bar's label is unreadable: valued from its length
            texts.append(box(f"{v:g}", x0 + 10, top - 20, x0 + 40, top - 5))
        texts.append(box(str(2016 + i), x0 + 8, base + 6, x0 + 42, base + 22))
    ctx = ReadContext(img, texts, "v_bar")
    r = read_labelled_bars(ctx, "v_bar")
    assert r is not None and r.chart_type == "v_bar"
    assert r.table.categories == ["2016", "2017", "2018", "2019", "2020"]
    got = [row[0] for row in r.table.values]
    assert got[:3] == [12.5, 30.0, 22.0] and got[4] == 18.0
    assert got[3] == pytest.approx(8.0, rel=0.05)
    assert [m.source for m in r.marks] == ["label", "label", "label", "pixels", "label"]
    assert r.calibration["y"].source == "labels"
    assert any("no readable value label" in w for w in r.warnings)


def test_stacked_horizontal_bars_one_series_per_colour():
    img = _canvas()
    rows = [("Democrat", 42, 58), ("Republican", 65, 35), ("Independent", 50, 50)]
    texts = []
    for i, (name, a, b) in enumerate(rows):
        y0 = 60 + i * 90
        x = 200
        img[y0:y0 + 40, x:x + a * 4] = BLUE
        texts.append(box(str(a), x + a * 2 - 10, y0 + 12, x + a * 2 + 10, y0 + 28))
        img[y0:y0 + 40, x + a * 4:x + (a + b) * 4] = ORANGE
        texts.append(box(str(b), x + a * 4 + b * 2 - 10, y0 + 12, x + a * 4 + b * 2 + 10, y0 + 28))
        texts.append(box(name, 60, y0 + 12, 190, y0 + 28))
    ctx = ReadContext(img, texts, "h_bar")
    r = read_labelled_bars(ctx, "h_bar")
    assert r is not None and r.chart_type == "h_bar" and len(r.series) == 2
    assert r.table.categories == ["Democrat", "Republican", "Independent"]
    assert r.table.values == [[42.0, 58.0], [65.0, 35.0], [50.0, 50.0]]


def test_too_few_labels_is_not_a_labelled_chart():
    img = _canvas()
    for i in range(4):
        img[200:350, 80 + i * 100:130 + i * 100] = BLUE
    assert read_labelled_bars(ReadContext(img, [box("12", 85, 180, 110, 195)], "v_bar"), "v_bar") is None


def test_real_statista_chart_without_a_value_axis(shared_data):
    pytest.importorskip("rapidocr")
    from inference.chart.reader import read_chart

    png = shared_data / "charts" / "chartqa_real" / "dev" / "png" / "two_col_104757.png"
    if not png.exists():
        pytest.skip("ChartQA dev charts are not present")
    r = read_chart(png)  # used to fail: 'no axis found: the y-axis tick labels could not be read'
    table = dict(zip(r.table.categories, (row[0] for row in r.table.values)))
    assert table["2011"] == 12546 and table["2010"] == 10163
    assert r.table.header[1] == "Units sold"


def test_horizontal_bars_with_category_labels_wrapped_over_two_lines():
    img = _canvas()
    rows = [("Bridgestone", "(Japan)", 27.23), ("Michelin", "(France)", 26.55), ("Goodyear", "(U.S.)", 14.75)]
    texts = []
    for i, (a, b, v) in enumerate(rows):
        y0 = 60 + i * 100
        img[y0:y0 + 40, 150:150 + int(v * 15)] = BLUE
        texts.append(box(a, 40, y0 + 2, 140, y0 + 18))
        texts.append(box(b, 70, y0 + 20, 140, y0 + 36))
        texts.append(box(f"{v:g}", 160 + int(v * 15), y0 + 12, 200 + int(v * 15), y0 + 28))
    r = read_labelled_bars(ReadContext(img, texts, "h_bar"), "h_bar")
    assert r is not None and r.chart_type == "h_bar"
    assert r.table.categories == ["Bridgestone (Japan)", "Michelin (France)", "Goodyear (U.S.)"]
    assert [row[0] for row in r.table.values] == [27.23, 26.55, 14.75]


def test_diverging_bars_with_column_headers_and_wrapped_category_labels():
    """Pew's habit: each row's 'Disapprove' runs left of the common edge, 'Approve' right of it, both printed as
    magnitudes; the series are named by headers over the columns (no legend); categories wrap ('Sep' / '2015')."""
    img = _canvas()
    mid = 300
    rows = [("Sep", "2015", 49, 21), ("Jul", "2015", 45, 33)]
    texts = [box("Disapprove", 200, 40, 290, 56), box("Approve", 310, 40, 380, 56)]
    for i, (m, y, a, b) in enumerate(rows):
        y0 = 70 + i * 90
        img[y0:y0 + 40, mid - a * 4:mid] = ORANGE
        img[y0:y0 + 40, mid:mid + b * 4] = BLUE
        texts.append(box(str(a), mid - a * 2 - 10, y0 + 12, mid - a * 2 + 10, y0 + 28))
        texts.append(box(str(b), mid + b * 2 - 10, y0 + 12, mid + b * 2 + 10, y0 + 28))
        texts += [box(m, 20, y0 + 2, 50, y0 + 18), box(y, 16, y0 + 20, 54, y0 + 36)]
    r = read_labelled_bars(ReadContext(img, texts, "h_bar"), "h_bar")
    assert r is not None and r.table.categories == ["Sep 2015", "Jul 2015"]
    got = {s: [row[k] for row in r.table.values] for k, s in enumerate(r.table.series)}
    assert got == {"Disapprove": [49.0, 45.0], "Approve": [21.0, 33.0]}


def test_pie_slices_named_and_valued_by_their_printed_labels():
    """Statista's pies print '• United States 23.7%' beside each slice (a tiny slice may not show as a wedge)."""
    import cv2

    from inference.chart.pie import read_pie

    img = _canvas(640, 480)
    shares = [("United States", 50.0, (40, 110, 217)), ("Italy", 30.0, (240, 140, 30)),
              ("Denmark", 0.5, (200, 40, 200)), ("Other", 19.5, (120, 180, 90))]
    start = -90.0
    texts = []
    for name, v, col in shares:
        sweep = v * 3.6
        cv2.ellipse(img, (320, 240), (150, 150), 0, start, start + sweep, col, -1)
        mid = np.radians(start + sweep / 2)
        x, y = 320 + 185 * np.cos(mid), 240 + 185 * np.sin(mid)
        texts.append(box(f"\u2022 {name} {v:g}%", x - 60, y - 8, x + 60, y + 8))
        start += sweep
    r = read_pie(ReadContext(img, texts, "pie"))
    table = dict(zip(r.table.categories, (row[0] for row in r.table.values)))
    assert table == {"United States": 50.0, "Italy": 30.0, "Denmark": 0.5, "Other": 19.5}
    assert all(m.source == "label" for m in r.marks)
    assert r.colors()["Italy"] == (240.0, 140.0, 30.0)  # a slice may be named by its colour


def test_pie_of_shares_that_do_not_sum_to_100_is_read_from_its_labels():
    """The leading chains' market shares (24.7% + 8.6% + … = 53%) drawn as parts of what is shown, labels pushed
    aside by their neighbours so that the nearest wedge in angle is not always their own; 'LidI' is the
    recogniser's 'Lidl'."""
    import cv2

    from inference.chart.ocr import clean_text
    from inference.chart.pie import read_pie

    img = _canvas(640, 480)
    shares = [("Mercadona", 24.7, (221, 118, 40)), ("Carrefour", 8.6, (62, 40, 15)), ("LidI", 6.3, (186, 186, 186)),
              ("Grupo Dia", 5.5, (11, 11, 166)), ("Grupo Eroski", 4.8, (36, 188, 135)), ("Auchan", 3.3, (35, 181, 235))]
    total = sum(v for _, v, _ in shares)
    start = -90.0
    texts = []
    for k, (name, v, col) in enumerate(shares):
        sweep = v / total * 360
        cv2.ellipse(img, (320, 240), (150, 150), 0, start, start + sweep, col, -1)
        mid = np.radians(start + sweep / 2 - (14 if k == len(shares) - 1 else 0))   # the last label pushed aside
        x, y = 320 + 200 * np.cos(mid), 240 + 200 * np.sin(mid)
        texts.append(box(clean_text(f"\u2022 {name} {v:g}%"), x - 60, y - 8, x + 60, y + 8))
        start += sweep
    r = read_pie(ReadContext(img, texts, "pie"))
    table = dict(zip(r.table.categories, (row[0] for row in r.table.values)))
    assert table == {"Mercadona": 24.7, "Carrefour": 8.6, "Lidl": 6.3, "Grupo Dia": 5.5, "Grupo Eroski": 4.8,
                     "Auchan": 3.3}
    assert r.colors()["Auchan"] == (35.0, 181.0, 235.0)


def test_a_grey_slice_is_a_slice_of_its_own():
    """A grey wedge (ggplot's palette, Pew's "Don't know") is not swallowed by its coloured neighbours."""
    import cv2

    from inference.chart.pie import read_pie

    img = _canvas(640, 480)
    start = -90.0
    for v, col in ((20.0, (226, 74, 51)), (20.0, (52, 138, 189)), (40.0, (152, 142, 213)), (20.0, (119, 119, 119))):
        cv2.ellipse(img, (320, 240), (150, 150), 0, start, start + v * 3.6, col, -1)
        start += v * 3.6
    r = read_pie(ReadContext(img, [], "pie"))
    assert sorted(row[0] for row in r.table.values) == pytest.approx([20, 20, 20, 40], abs=1.0)


def test_a_pie_the_type_model_did_not_name_must_be_a_true_disc_of_wedges():
    """The reader tries a pie after the type model's guesses fail (read_pie strict): a square block of colour or a
    disc of one colour is not taken for a pie; a disc of two wedges is."""
    import cv2

    from inference.chart.pie import read_pie
    from inference.runtime.errors import InputError

    block = _canvas(400, 400)
    block[100:300, 100:300] = (40, 110, 217)
    with pytest.raises(InputError):
        read_pie(ReadContext(block, [], "pie"), strict=True)
    disc = _canvas(400, 400)
    cv2.circle(disc, (200, 200), 120, (40, 110, 217), -1)
    with pytest.raises(InputError):
        read_pie(ReadContext(disc, [], "pie"), strict=True)
    cv2.ellipse(disc, (200, 200), (120, 120), 0, -90, 0, (240, 140, 30), -1)
    r = read_pie(ReadContext(disc, [], "pie"), strict=True)
    assert sorted(row[0] for row in r.table.values) == pytest.approx([25, 75], abs=2)


def test_a_series_named_by_a_header_wrapped_over_lines_in_its_colour():
    """Pew prints each series' name over its column in the bars' own colour, wrapped over several lines ('As
    Americans, we can always / find ways to solve our problems / and get what we want'): one name, all lines."""
    import cv2

    gold, tan = (150, 120, 40), (220, 200, 140)
    img = _canvas(700, 460)
    texts = []
    heads = [(["As Americans, we can", "always find ways", "to solve problems"], gold, 120),
             (["This country can't", "solve its problems"], tan, 400)]
    for lines, col, x in heads:
        for k, line in enumerate(lines):
            y = 40 + 26 * k
            cv2.putText(img, line, (x, y + 16), cv2.FONT_HERSHEY_SIMPLEX, 0.6, col, 2)
            texts.append(box(line, x, y, x + 230, y + 20))
    mid = 380
    for i, (name, a, b) in enumerate((("Total", 57, 41), ("Rep", 65, 32), ("Dem", 50, 48))):
        y0 = 160 + i * 90
        img[y0:y0 + 40, mid - a * 4:mid] = gold
        img[y0:y0 + 40, mid:mid + b * 4] = tan
        texts += [box(str(a), mid - a * 2 - 10, y0 + 12, mid - a * 2 + 10, y0 + 28),
                  box(str(b), mid + b * 2 - 10, y0 + 12, mid + b * 2 + 10, y0 + 28), box(name, 20, y0 + 12, 70, y0 + 28)]
    r = read_labelled_bars(ReadContext(img, texts, "h_bar"), "h_bar")
    assert r is not None
    assert sorted(r.table.series) == ["As Americans, we can always find ways to solve problems",
                                      "This country can't solve its problems"]
