"""The evaluator on a folder in the real ChartQA layout (made here): sources told by file name, human / augmented
questions, tables optional, failures by reason, confidence above / below the threshold, --sources / --limit /
--every / --json through the CLI. The reader is replaced by one that returns the gold table (or fails), so the
test checks the evaluator, not the reader."""
from __future__ import annotations

import json

import pytest

from inference.chart import reader as reader_mod
from inference.chart.evaluate import evaluate_dir, failure_reason, parse_sources, source_of
from inference.chart.reading import ChartReading, Mark
from inference.chart.table import Table
from inference.cli import main
from inference.runtime.errors import InputError

CHARTS = {  # name -> (table csv, questions [(kind, query, label)])
    "two_col_101": ("Year,Sales\n2018,10\n2019,30\n2020,25\n",
                    [("human", "Which year has the highest Sales?", "2019"),
                     ("augmented", "What was the Sales in 2020?", "25")]),
    "multi_col_7": (None, [("augmented", "What is the value of Men in 2019?", "4")]),
    "1234": ("Answer,Share\nYes,60\nNo,40\n", [("human", "What is the difference between Yes and No?", "20")]),
    "12345678901234": ("Year,GDP\n2000,1\n2010,2\n", [("human", "What was the GDP in 2010?", "2")]),
    "OECD_POP_FIN_000001": (None, [("human", "What was the value in 2000?", "5")]),
}
GOLD_READ = {"multi_col_7": "Year,Men,Women\n2018,3,5\n2019,4,6\n"}
FAILS = {"12345678901234": "no axis found: the y-axis tick labels could not be read",
         "OECD_POP_FIN_000001": "this image does not look like a chart (type model: not a chart, p=0.90)"}


@pytest.fixture
def folder(tmp_path):
    from PIL import Image

    d = tmp_path / "dev"
    (d / "png").mkdir(parents=True)
    (d / "tables").mkdir()
    qs = {"human": [], "augmented": []}
    for name, (csv, questions) in CHARTS.items():
        Image.new("RGB", (40, 30), "white").save(d / "png" / f"{name}.png")
        if csv:
            (d / "tables" / f"{name}.csv").write_text(csv)
        for kind, q, label in questions:
            qs[kind].append({"imgname": f"{name}.png", "query": q, "label": label})
    for kind, lst in qs.items():
        (d / f"dev_{kind}.json").write_text(json.dumps(lst))
    return tmp_path


def fake_read(path, **_kw):
    name = path.stem
    if name in FAILS:
        raise InputError(FAILS[name], "")
    t = Table.from_csv_text(GOLD_READ.get(name) or CHARTS[name][0])
    marks = [Mark(s, r, v, (0, 0, 1, 1), "label", v, str(v)) for r, row in enumerate(t.values)
             for s, v in enumerate(row)]
    return ChartReading((40, 30), "v_bar", 0.95, t, marks=marks, timings={"ocr_s": 0.5, "rest_s": 0.1})


def test_sources_by_file_name():
    assert [source_of(n) for n in ("two_col_1.png", "multi_col_2", "OECD_X_000001", "12345678901234", "1234",
                                   "chart_0001")] == ["Statista", "Statista", "OECD", "OWID", "Pew", "other"]
    assert parse_sources("statista, PEW") == ["Statista", "Pew"]
    with pytest.raises(InputError):
        parse_sources("plotly")
    assert failure_reason(FAILS["OECD_POP_FIN_000001"]) == "not a chart"
    assert failure_reason(FAILS["12345678901234"]) == "no axis found"
    assert failure_reason("this may not be a chart: the type model was unsure (v_bar, p=0.61) and reading it "
                          "failed (no axis found: the y-axis tick labels could not be read)") == "no axis found"


def test_real_layout_per_source_and_kind(folder):
    res = evaluate_dir(folder / "dev", read=fake_read)  # the split prefix 'dev' is found from dev_human.json
    assert res["split"] == "dev" and res["n"] == 5 and res["n_tables"] == 3 and res["n_questions"] == 6
    assert res["failures"] == {"no axis found": 1, "not a chart": 1}
    bs = res["by_source"]
    assert set(bs) == {"Statista", "Pew", "OWID", "OECD"}
    assert bs["Statista"]["charts"] == 2 and bs["Statista"]["tables"] == 1 and bs["Statista"]["questions"] == 3
    assert bs["Statista"]["relaxed_accuracy"] == 1.0 and bs["Statista"]["rms_f1"] == pytest.approx(1.0)
    assert bs["OWID"]["read"] == 0 and bs["OWID"]["rms_f1"] == 0.0 and bs["OWID"]["relaxed_accuracy"] == 0.0
    assert res["by_kind"]["human"]["questions"] == 4 and res["by_kind"]["augmented"]["questions"] == 2
    # QA-only scoring where no table: multi_col_7 and OECD have questions but no gold table
    assert res["relaxed_accuracy"] == pytest.approx(4 / 6)
    assert res["mean_ocr_s"] == pytest.approx(0.5)
    cc = res["confidence_check"]
    assert cc["above"]["charts"] + cc["below"]["charts"] == 3  # the charts read
    assert all(0.0 <= r["confidence"] <= 1.0 for r in res["charts"])
    assert res["by_source"]["OECD"]["charts"] == 1 and res["charts"][0]["name"] == "1234"


def test_cli_eval_sources_limit_json_and_text(folder, monkeypatch, capsys):
    monkeypatch.setattr(reader_mod, "read_chart", fake_read)
    assert main(["chart", "eval", str(folder), "--sources", "statista", "--json", "--quiet"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert res["n"] == 2 and set(res["by_source"]) == {"Statista"}
    assert main(["chart", "eval", str(folder / "dev"), "--limit", "2", "--json", "--quiet"]) == 0
    assert json.loads(capsys.readouterr().out)["n"] == 2
    assert main(["chart", "eval", str(folder / "dev"), "--quiet"]) == 0
    out = capsys.readouterr().out
    assert "Statista" in out and "Pew" in out and "human" in out and "not read: no axis found (1)" in out
    assert "OCR 0.50 s per chart" in out and "confidence >=" in out
    assert main(["chart", "eval", str(folder), "--sources", "nope"]) == 2
