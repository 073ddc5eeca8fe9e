"""Table I/O and the papers' metrics on hand-made cases."""
from __future__ import annotations

import pytest

from inference.chart.metrics import anls, bleu, relaxed_accuracy, relaxed_correctness, rms, rnss
from inference.chart.table import Table, parse_number
from inference.runtime.errors import InputError


@pytest.mark.parametrize("text,value", [("1,234.5", 1234.5), ("\u2212350", -350), ("12%", 12.0), ("$3.2", 3.2),
                                        ("0", 0.0), ("2,310", 2310), ("Apr", None), ("1,2,3", None), ("", None)])
def test_parse_number(text, value):
    assert parse_number(text) == value


def test_csv_roundtrip_and_text():
    t = Table(["Year", "Sales", "Profit"], ["2019", "2020"], [[1.5, 2.0], [3.0, None]], "T")
    back = Table.from_csv_text(t.to_csv())
    assert back.header == t.header and back.categories == t.categories and back.values == t.values
    assert t.to_text() == "TITLE | T <0x0A> Year | Sales | Profit <0x0A> 2019 | 1.5 | 2 <0x0A> 2020 | 3 | "
    with pytest.raises(InputError):
        Table.from_csv_text("only,a header\n")


def test_relaxed_accuracy():
    assert relaxed_correctness("100", "104.9")
    assert not relaxed_correctness("100", "105.1")
    assert relaxed_correctness("Yes", "yes")
    assert relaxed_correctness("0", "0")
    assert relaxed_correctness("12%", "12")
    assert relaxed_accuracy(["10", ["a", "b"]], ["10.2", "B"]) == 1.0


def test_rnss_and_rms():
    gold = [["Year", "A", "B"], ["2019", "10", "20"], ["2020", "30", "40"]]
    assert rnss(gold, gold) == 1.0
    assert rms(gold, gold)["f1"] == pytest.approx(1.0)
    transposed = [["Year", "2019", "2020"], ["A", "10", "30"], ["B", "20", "40"]]
    assert rms(gold, transposed)["f1"] == pytest.approx(1.0)
    off5 = [["Year", "A", "B"], ["2019", "10.5", "21"], ["2020", "31.5", "42"]]  # 5 % off -> half credit
    assert rms(gold, off5)["f1"] == pytest.approx(0.5)
    assert rnss(gold, off5) == pytest.approx(1 - 4 * 0.05 / 6)  # the years count as numbers too
    half = [["Year", "A"], ["2019", "10"]]
    m = rms(gold, half)
    assert m["precision"] == pytest.approx(1.0) and m["recall"] == pytest.approx(0.25)
    assert rms(gold, [])["f1"] == 0.0
    assert anls("Germany", "Gemany") > 0.8 and anls("abc", "xyz") == 0.0


def test_bleu():
    assert bleu(["the cat sat on the mat"], ["the cat sat on the mat"]) == pytest.approx(100.0)
    assert bleu(["a b c d"], ["w x y z"]) < 5


def test_binary_calibration_file_is_a_clear_error(tmp_path):
    import pytest

    from inference.chart.axes import Calibration
    from inference.runtime.errors import InputError

    f = tmp_path / "cal.json"
    f.write_bytes(b"\xff\xfe\x00 not text")
    with pytest.raises(InputError, match="cannot read calibration"):
        Calibration.load(f)
