"""`mmwb chart …`: synth, table, ask, summary, eval, read."""
from __future__ import annotations

import json
import sys
from pathlib import Path

from inference.runtime.errors import InputError


def _cal(args):
    if getattr(args, "calibration", None):
        from .axes import Calibration

        return Calibration.load(Path(args.calibration))
    return None


def _read(args):
    from .reader import read_chart

    return read_chart(Path(args.image), use_ocr=not args.no_ocr, calibration=_cal(args),
                      chart_type=getattr(args, "type", None))


def cmd_synth(args) -> int:
    from .synth import synthesize

    types = args.types.split(",") if args.types else None
    rep = synthesize(Path(args.out), args.n, args.seed, split=args.split, styles=args.styles,
                     templates=args.templates, types=types)
    print(json.dumps(rep) if args.json else f"wrote {rep['charts']} charts and {rep['questions']} questions to "
          f"{rep['dir']} (styles: {rep['styles']}, question templates: {rep['templates']})")
    return 0


def cmd_table(args) -> int:
    r = _read(args)
    if args.csv:
        r.table.write_csv(Path(args.csv))
    if args.json:
        print(json.dumps(r.to_json(), indent=1))
    elif args.format == "chartqa":
        print(r.table.to_text())
    else:
        sys.stdout.write(r.table.to_csv())
    for w in r.warnings:
        print(f"warning: {w}", file=sys.stderr)
    return 0


def cmd_ask(args) -> int:
    from .qa import answer

    r = _read(args)
    a = answer(r.table, args.question)
    if args.json:
        print(json.dumps(a.to_json()))
    else:
        print(a.text)
        if args.verbose:
            print(f"({a.kind}: {a.explanation})", file=sys.stderr)
    return 0


def cmd_summary(args) -> int:
    from .summary import summarize

    r = _read(args)
    print(summarize(r.table, r.chart_type))
    return 0


def cmd_eval(args) -> int:
    from .evaluate import evaluate_dir

    def prog(f, m=""):
        if not args.json and sys.stderr.isatty():
            print(f"\r{m} ", end="", file=sys.stderr)

    res = evaluate_dir(Path(args.dir), split=args.split, use_ocr=not args.no_ocr, limit=args.limit,
                       use_value_labels=not args.no_value_labels, progress=prog)
    if args.json:
        print(json.dumps(res))
        return 0
    pct = lambda v: "n/a" if v is None else f"{100 * v:.1f}%"  # noqa: E731
    print(f"charts: {res['n']} (tables: {res['n_tables']}, questions: {res['n_questions']}), OCR: "
          f"{'on' if res['use_ocr'] else 'off (visual only)'}")
    print(f"relaxed accuracy: {pct(res['relaxed_accuracy'])}")
    print(f"RNSS: {pct(res['rnss'])}   RMS P/R/F1: {pct(res['rms_precision'])} / {pct(res['rms_recall'])} / "
          f"{pct(res['rms_f1'])}")
    print(f"BLEU: {'n/a' if res['bleu'] is None else round(res['bleu'], 1)}")
    if res["failures"]:
        print("not read: " + ", ".join(f"{k} ({v})" for k, v in res["failures"].items()))
    return 0


def register(subparsers, info=None) -> None:
    p = subparsers.add_parser("chart", help="chart reading: image -> table, answers, summary (AskChart)")
    sub = p.add_subparsers(dest="chart_cmd", metavar="SUBCOMMAND")
    sub.required = True

    s = sub.add_parser("synth", help="render synthetic charts in ChartQA's layout")
    s.add_argument("out")
    s.add_argument("--n", type=int, default=100)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--split", default="test", help="folder name (train/val/test); test uses held-out styles")
    s.add_argument("--styles", choices=["train", "heldout", "fresh"], default=None,
                   help="style pool (default: heldout for test, train otherwise; fresh: never used in development)")
    s.add_argument("--templates", choices=["train", "heldout"], default=None,
                   help="question templates (default: train for train styles, heldout otherwise)")
    s.add_argument("--types", default="", help="comma-separated chart types (v_bar,h_bar,grouped_bar,line,scatter,pie)")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_synth)

    def common(sp):
        sp.add_argument("image")
        sp.add_argument("--no-ocr", action="store_true", help="visual only (no text read from the chart)")
        sp.add_argument("--calibration", help="JSON with manual axis calibration (two points per axis)")
        sp.add_argument("--type", choices=["v_bar", "h_bar", "grouped_bar", "line", "scatter", "pie"],
                        help="skip the type model and use this chart type")

    t = sub.add_parser("table", help="extract the data table")
    common(t)
    t.add_argument("--csv", help="also write the table to this CSV file")
    t.add_argument("--format", choices=["csv", "chartqa"], default="csv")
    t.add_argument("--json", action="store_true", help="print the full reading (marks, ticks, texts)")
    t.set_defaults(func=cmd_table)

    a = sub.add_parser("ask", help="answer a question about the chart")
    common(a)
    a.add_argument("question")
    a.add_argument("--json", action="store_true")
    a.add_argument("-v", "--verbose", action="store_true")
    a.set_defaults(func=cmd_ask)

    m = sub.add_parser("summary", help="a short summary of the chart")
    common(m)
    m.set_defaults(func=cmd_summary)

    e = sub.add_parser("eval", help="score tables, answers and summaries on a ChartQA-style folder")
    e.add_argument("dir")
    e.add_argument("--split", default="test")
    e.add_argument("--no-ocr", action="store_true", help="visual-only ablation")
    e.add_argument("--no-value-labels", action="store_true",
                   help="ablation: keep OCR for axes/legend/categories but read every value from the pixels")
    e.add_argument("--limit", type=int, default=None, help="only the first N charts")
    e.add_argument("--json", action="store_true")
    e.set_defaults(func=cmd_eval)
