"""`mmwb chart …`: synth, table, ask, summary, eval. Every command takes `--json` and `--quiet`
(inference.console); an unreadable chart is an `error:` line and exit 2 (inference.cli), and so is an
evaluation in which no chart could be read."""
from __future__ import annotations

from pathlib import Path

from inference.console import Console, add_output_flags, nothing_processed

from .synth import CHART_TYPES, PRODUCERS


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
                     templates=args.templates, types=types, progress=console.progress,
                     producer=args.producer)
    if args.json:
        console.emit_json(rep)
    else:
        console.out(f"wrote {rep['charts']} charts and {rep['questions']} questions to {rep['dir']} "
                    f"(drawn by {rep['producer']}; styles: {rep['styles']}, question templates: {rep['templates']})")
    return 0


def _note_confidence(console: Console, what: str, conf) -> None:
    """The CLI's word on doubt (stderr, so stdout stays the table / answer / summary)."""
    if conf.uncertain:
        console.note(f"uncertain {what} (confidence {conf.value:.2f}): {conf.why()}")
    else:
        console.note(f"{what} confidence {conf.value:.2f}")


def cmd_table(args) -> int:
    from .confidence import assess_reading

    console = Console.from_args(args)
    r = _read(args, console)
    conf = assess_reading(r)
    if args.csv:
        r.table.write_csv(Path(args.csv))
    if args.json:
        console.emit_json({**r.to_json(), **conf.to_json()}, indent=1)
        return 0
    if args.format == "chartqa":
        console.out(r.table.to_text())
    else:
        console.out(r.table.to_csv().rstrip("\n"))
    _note_confidence(console, "table", conf)
    return 0


def cmd_ask(args) -> int:
    from .api import ask

    console = Console.from_args(args)
    r = _read(args, console)
    a, conf = ask(r, r.table, args.question)
    if args.json:
        console.emit_json(a.to_json())
        return 0
    console.out(a.text)
    if not a.refused:
        _note_confidence(console, "answer", conf)
    if args.verbose:
        console.note(f"({a.kind}: {a.explanation})")
    return 0


def cmd_summary(args) -> int:
    from .api import summary_of

    console = Console.from_args(args)
    r = _read(args, console)
    text, conf = summary_of(r, r.table)
    if args.json:
        console.emit_json({"chart_type": r.chart_type, "summary": text, **conf.to_json()})
        return 0
    console.out(text)
    _note_confidence(console, "summary", conf)
    return 0


def eval_report(res: dict) -> list[str]:
    """The evaluator's text report: overall, per source and question kind, failures, confidence check, time."""
    pct = lambda v: "  n/a" if v is None else f"{100 * v:5.1f}"  # noqa: E731
    out = [f"charts: {res['n']} (gold tables: {res['n_tables']}, questions: {res['n_questions']}) from "
           f"{res['folder']}, OCR: {'on' if res['use_ocr'] else 'off (visual only)'}",
           f"relaxed accuracy: {pct(res['relaxed_accuracy']).strip()}% (human {pct(res['relaxed_accuracy_human']).strip()}"
           f"%, augmented {pct(res['relaxed_accuracy_augmented']).strip()}%; {res['refused']} refused)",
           f"RNSS: {pct(res['rnss']).strip()}%   RMS P/R/F1: {pct(res['rms_precision']).strip()} / "
           f"{pct(res['rms_recall']).strip()} / {pct(res['rms_f1']).strip()}%",
           "",
           f"{'source':<9} {'charts':>6} {'read':>5} {'tables':>6} {'RMS-F1':>6} {'RNSS':>5} {'qs':>4} "
           f"{'RA':>5} {'human':>5} {'augm.':>5}"]
    for src, g in res["by_source"].items():
        out.append(f"{src:<9} {g['charts']:>6} {g['read']:>5} {g['tables']:>6} {pct(g['rms_f1']):>6} {pct(g['rnss'])} "
                   f"{g['questions']:>4} {pct(g['relaxed_accuracy'])} {pct(g['relaxed_accuracy_human'])} "
                   f"{pct(g['relaxed_accuracy_augmented'])}")
    out.append("")
    if res["bleu"] is not None:
        out.append(f"BLEU: {round(res['bleu'], 1)}")
    if res["failures"]:
        out.append("not read: " + ", ".join(f"{k} ({v})" for k, v in res["failures"].items()))
    cc = res["confidence_check"]
    for side in ("above", "below"):
        c = cc[side]
        out.append(f"confidence {'>=' if side == 'above' else '< '} {cc['threshold']}: {c['charts']} charts read, "
                   f"RMS-F1 {pct(c['rms_f1']).strip()}% over {c['tables']} tables, relaxed accuracy "
                   f"{pct(c['relaxed_accuracy']).strip()}% over {c['questions']} questions answered")
    if res["mean_ocr_s"] is not None:
        out.append(f"OCR {res['mean_ocr_s']:.2f} s per chart, the rest {res['mean_rest_s']:.2f} s")
    return out


def cmd_eval(args) -> int:
    from .evaluate import evaluate_dir, parse_sources

    console = Console.from_args(args)
    res = evaluate_dir(Path(args.dir), split=args.split, use_ocr=not args.no_ocr, limit=args.limit,
                       use_value_labels=not args.no_value_labels, every=args.every, start=args.start,
                       sources=parse_sources(args.sources), progress=console.progress)
    console.end_progress()
    if args.json:
        console.emit_json(res)
    else:
        for line in eval_report(res):
            console.out(line)
    if res["n"] and sum(res["failures"].values()) >= res["n"]:
        return nothing_processed(console, f"none of the {res['n']} charts could be read",
                                 "check the pictures (see 'not read' above) or try without --no-ocr")
    return 0


def register(subparsers, info) -> None:
    p = subparsers.add_parser(info.cli, aliases=list(info.aliases),
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
    s.add_argument("--producer", choices=list(PRODUCERS), default="matplotlib",
                   help="the plotting library that draws the charts (echarts needs Node.js and cairosvg)")
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
    e.add_argument("--split", default=None,
                   help="subfolder / question-file prefix (found from <prefix>_human.json etc. when not given)")
    e.add_argument("--no-ocr", action="store_true", help="visual-only ablation")
    e.add_argument("--no-value-labels", action="store_true",
                   help="ablation: keep OCR for axes/legend/categories but read every value from the pixels")
    e.add_argument("--limit", type=int, default=None, help="only the first N charts (after --every, --sources)")
    e.add_argument("--every", type=int, default=1, help="every K-th chart by name (a subset spread over sources)")
    e.add_argument("--start", type=int, default=0,
                   help="with --every: begin at the J-th chart (another subset of the same size)")
    e.add_argument("--sources", default="", help="comma-separated: Statista, Pew, OWID, OECD, other")
    add_output_flags(e, "print every figure as one JSON object")
    e.set_defaults(func=cmd_eval)
