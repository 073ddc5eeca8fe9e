"""Honest output: the confidence of a table, an answer and a summary, the threshold, refusals instead of header
words, and ChartQA's human question kinds over a table written here."""
from __future__ import annotations

import pytest

from inference.chart import api
from inference.chart.axes import AxisCalibration
from inference.chart.confidence import THRESHOLD, assess_answer, assess_reading, with_edit
from inference.chart.ocr import TextBox
from inference.chart.qa import CANNOT, answer
from inference.chart.reading import ChartReading, Mark
from inference.chart.table import Table


def _reading(table, source="label", ticks=5, residual=0.001, p=0.97, texts=()):
    marks = [Mark(s, r, v, (0, 0, 1, 1), source, v, str(v) if source == "label" else None)
             for r, row in enumerate(table.values) for s, v in enumerate(row) if v is not None]
    cal = {"y": AxisCalibration("y", 400, 0, 100, 100, False, "ocr", [[400 - 75 * k, 25 * k] for k in range(ticks)],
                                residual)} if ticks else {}
    return ChartReading((640, 480), "v_bar", p, table, marks=marks, calibration=cal, texts=list(texts))


T = Table(["Year", "Sales"], ["2018", "2019", "2020", "2021"], [[10.0], [30.0], [25.0], [40.0]])


def test_confident_reading_and_doubtful_ones():
    good = assess_reading(_reading(T))
    assert good.value >= 0.9 and not good.uncertain and good.to_json()["uncertain"] is False
    # values from the pixels only, two ticks that fit a line badly, an unsure type model: uncertain, with reasons
    bad = assess_reading(_reading(T, source="pixels", ticks=2, residual=0.025, p=0.45))
    assert bad.uncertain and bad.value < THRESHOLD
    assert any("tick" in r for r in bad.reasons) and any("type" in r for r in bad.reasons)
    # a category that is the axis title (the 'Year, 20280' table)
    hdr = assess_reading(_reading(Table(["Characteristic", "Value"], ["Year"], [[20280.0]])))
    assert hdr.uncertain and any("axis title" in r or "one category" in r for r in hdr.reasons)
    # unread category labels
    q = assess_reading(_reading(Table(["Year", "V"], ["?", "?", "2020"], [[1.0], [2.0], [3.0]])))
    assert q.value < good.value and any("unread" in r for r in q.reasons)


def test_ocr_scores_of_the_numbers_used_count():
    lab = lambda text, s: TextBox(text, s, [[0, 0], [1, 0], [1, 1], [0, 1]], float(text), "value_label")  # noqa: E731
    import numpy as np

    texts_hi = [TextBox(str(v[0]), 0.99, np.zeros((4, 2)), v[0], "value_label") for v in T.values]
    texts_lo = [TextBox(str(v[0]), 0.65, np.zeros((4, 2)), v[0], "value_label") for v in T.values]
    assert lab  # the helper documents the TextBox shape
    hi = assess_reading(_reading(T, texts=texts_hi)).value
    lo = assess_reading(_reading(T, texts=texts_lo)).value
    assert hi > lo


def test_answer_confidence_and_edit():
    r = _reading(T, source="pixels", ticks=3)
    tc = assess_reading(r)
    a, conf = api.ask(r, T, "What was the Sales in 2020?", tc)
    assert a.text == "25" and a.confidence["confidence"] == pytest.approx(conf.value, abs=1e-3)
    edited = with_edit(tc, 2, 0)
    assert assess_answer(edited, a).value > conf.value  # the user typed that cell
    text, sconf = api.summary_of(r, T, tc)
    assert "2021" in text and sconf.value == pytest.approx(tc.value)
    assert "uncertain" in api.uncertain_tooltip("answer", conf)


def test_refuses_header_words_and_non_years():
    one = Table(["Characteristic", "Value"], ["Year"], [[20280.0]])
    a = answer(one, "Which year has the highest banana production?")
    assert a.refused and a.text.startswith(CANNOT) and a.value is None
    r = _reading(one)
    a2, conf = api.ask(r, one, "Which year has the highest banana production?")
    assert conf.value == 0.0 and conf.uncertain and a2.to_json()["uncertain"] is True
    cats = Table(["Country", "GDP"], ["France", "Spain"], [[3.0], [2.0]])
    assert answer(cats, "Which year has the highest GDP?").refused
    assert answer(cats, "Which country has the highest GDP?").text == "France"


def test_unnamed_series_lowers_the_certainty():
    t = Table(["Year", "Men", "Women"], ["2019", "2020"], [[1.0, 2.0], [3.0, 5.0]])
    a = answer(t, "What was the value in 2020?")
    assert a.certainty < 1 and "names none" in a.doubts[0]
    assert answer(t, "What was the value of Women in 2020?").certainty == 1.0


H = Table(["Year", "Exports", "Imports"], ["2016", "2017", "2018", "2019", "2020"],
          [[10.0, 8.0], [12.5, 9.0], [11.0, 12.0], [15.0, 13.0], [9.0, 14.0]])


@pytest.mark.parametrize("q,gold", [
    ("How many Exports were there in 2018?", "11"),                                    # 'how many' + category
    ("What is the difference between the highest and lowest Exports?", "6"),           # max - min
    ("In what year did Exports decrease the most?", "2020"),                           # largest drop
    ("In which year did Imports increase the most?", "2018"),                          # largest rise
    ("In what year were Exports the highest?", "2019"),                                # in what year
    ("What is the difference between Exports and Imports in 2019?", "2"),              # two series, one year
    ("What is the average of Exports in 2016 and 2017?", "11.25"),                     # average of two
    ("How many years have Exports above 11?", "2"),                                    # count above
    ("Is the Exports in 2019 greater than in 2017?", "Yes"),                           # yes/no comparison
    ("What is the ratio of Exports in 2017 to 2016?", "1.25"),                         # ratio
    ("How many years does the chart show?", "5"),                                      # categories
])
def test_human_question_kinds(q, gold):
    assert answer(H, q).text == gold, answer(H, q)
