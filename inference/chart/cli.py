"""`mmwb chart …`: synth, table, ask, summary, eval. Every command takes `--json` and `--quiet`
(inference.console); an unreadable chart is an `error:` line and exit 2 (inference.cli), and so is an
evaluation in which no chart could be read."""
from __future__ import annotations

from pathlib import Path

from inference.console import Console, add_output_flags, nothing_processed

CHART_TYPES = ["v_bar", "h_bar", "grouped_bar", "line", "scatter", "pie"]


def _cal(args):
    if getattr(args, "calibration", None):
        from .axes import Calibration

        return Calibration.load(Path(args.calibration))
    return None


def _read(args, console: Console):
    from .reader import read_chart

    reading = read_chart(Path(args.image), use_ocr=not args.no_ocr, calibration=_cal(args),
                         chart_type=getattr(args, "type", None), progress=console.progress)
    console.end_progress()
    for w in reading.warnings:
        console.warn(w)
    return reading


def cmd_synth(args) -> int:
    from .synth import synthesize

    console = Console.from_args(args)
    types = args.types.split(",") if args.types else None
    rep = synthesize(Path(args.out), args.n, args.seed, split=args.split, styles=args.styles,
                     templates=args.templates, types=types, progress=console.progress)
    if args.json:
        console.emit_json(rep)
    else:
        console.out(f"wrote {rep['charts']} charts and {rep['questions']} questions to {rep['dir']} "
                    f"(styles: {rep['styles']}, question templates: {rep['templates']})")
    return 0


def cmd_table(args) -> int:
    console = Console.from_args(args)
    r = _read(args, console)
    if args.csv:
        r.table.write_csv(Path(args.csv))
    if args.json:
        console.emit_json(r.to_json(), indent=1)
    elif args.format == "chartqa":
        console.out(r.table.to_text())
    else:
        console.out(r.table.to_csv().rstrip("\n"))
    return 0


def cmd_ask(args) -> int:
    from .qa import answer

    console = Console.from_args(args)
    r = _read(args, console)
    a = answer(r.table, args.question)
    if args.json:
        console.emit_json(a.to_json())
    else:
        console.out(a.text)
        if args.verbose:
            console.note(f"({a.kind}: {a.explanation})")
    return 0


def cmd_summary(args) -> int:
    from .summary import summarize

    console = Console.from_args(args)
    r = _read(args, console)
    text = summarize(r.table, r.chart_type)
    if args.json:
        console.emit_json({"chart_type": r.chart_type, "summary": text})
    else:
        console.out(text)
    return 0


def cmd_eval(args) -> int:
    from .evaluate import evaluate_dir

    console = Console.from_args(args)
    res = evaluate_dir(Path(args.dir), split=args.split, use_ocr=not args.no_ocr, limit=args.limit,
                       use_value_labels=not args.no_value_labels, progress=console.progress)
    if args.json:
        console.emit_json(res)
    else:
        pct = lambda v: "n/a" if v is None else f"{100 * v:.1f}%"  # noqa: E731
        console.out(f"charts: {res['n']} (tables: {res['n_tables']}, questions: {res['n_questions']}), OCR: "
                    f"{'on' if res['use_ocr'] else 'off (visual only)'}")
        console.out(f"relaxed accuracy: {pct(res['relaxed_accuracy'])}")
        console.out(f"RNSS: {pct(res['rnss'])}   RMS P/R/F1: {pct(res['rms_precision'])} / "
                    f"{pct(res['rms_recall'])} / {pct(res['rms_f1'])}")
        console.out(f"BLEU: {'n/a' if res['bleu'] is None else round(res['bleu'], 1)}")
        if res["failures"]:
            console.out("not read: " + ", ".join(f"{k} ({v})" for k, v in res["failures"].items()))
    if res["n"] and sum(res["failures"].values()) >= res["n"]:
        return nothing_processed(console, f"none of the {res['n']} charts could be read",
                                 "check the pictures (see 'not read' above) or try without --no-ocr")
    return 0


def register(subparsers, info=None) -> None:
    name = info.cli if info is not None else "chart"
    aliases = list(info.aliases) if info is not None else []
    p = subparsers.add_parser(name, aliases=aliases,
                              help="chart reading: image -> table, answers, summary (AskChart)")
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
    s.add_argument("--types", default="", help="comma-separated chart types (" + ",".join(CHART_TYPES) + ")")
    add_output_flags(s, "print the report as one JSON object on stdout")
    s.set_defaults(func=cmd_synth)

    def common(sp):
        sp.add_argument("image")
        sp.add_argument("--no-ocr", action="store_true", help="visual only (no text read from the chart)")
        sp.add_argument("--calibration", help="JSON with manual axis calibration (two points per axis)")
        sp.add_argument("--type", choices=CHART_TYPES, help="skip the type model and use this chart type")

    t = sub.add_parser("table", help="extract the data table")
    common(t)
    t.add_argument("--csv", help="also write the table to this CSV file")
    t.add_argument("--format", choices=["csv", "chartqa"], default="csv")
    add_output_flags(t, "print the full reading (marks, ticks, texts) as one JSON object")
    t.set_defaults(func=cmd_table)

    a = sub.add_parser("ask", help="answer a question about the chart")
    common(a)
    a.add_argument("question")
    a.add_argument("-v", "--verbose", action="store_true", help="also say how the answer was found (stderr)")
    add_output_flags(a, "print the answer, its kind and evidence cells as one JSON object")
    a.set_defaults(func=cmd_ask)

    m = sub.add_parser("summary", help="a short summary of the chart")
    common(m)
    add_output_flags(m, "print the chart type and the summary as one JSON object")
    m.set_defaults(func=cmd_summary)

    e = sub.add_parser("eval", help="score tables, answers and summaries on a ChartQA-style folder")
    e.add_argument("dir")
    e.add_argument("--split", default="test")
    e.add_argument("--no-ocr", action="store_true", help="visual-only ablation")
    e.add_argument("--no-value-labels", action="store_true",
                   help="ablation: keep OCR for axes/legend/categories but read every value from the pixels")
    e.add_argument("--limit", type=int, default=None, help="only the first N charts")
    add_output_flags(e, "print every figure as one JSON object")
    e.set_defaults(func=cmd_eval)
