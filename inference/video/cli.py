"""`mmwb video …`: synth, eval, index, search (no Qt imported). Output through `inference.console`."""
from __future__ import annotations

from pathlib import Path

from inference.console import Console, add_output_flags, nothing_processed
from inference.runtime.errors import InputError

from .io import VIDEO_EXTS


def cmd_synth(args) -> int:
    from .synth import generate
    con = Console.from_args(args)
    res = generate(args.out, n=args.n, seed=args.seed, split=args.split, workers=args.workers,
                   progress=con.progress, held_out_pool=args.held_out_pool)
    if args.json:
        con.emit_json(res, indent=None)
    else:
        con.out(f"wrote {res.get('train', 0)} train + {res.get('test', 0)} test clips to {res['dir']} "
                f"(train.json / test.json)")
    return 0


def cmd_eval(args) -> int:
    from .evaluate import evaluate, format_table
    con = Console.from_args(args)
    res = evaluate(args.annotations, args.videos, model=args.model, limit=args.limit, progress=con.progress)
    if args.json:
        con.emit_json(res, indent=None)
    else:
        con.out(format_table(res))
    return 0


def cmd_calibrate(args) -> int:
    from .calibrate import calibrate, write_calibration
    con = Console.from_args(args)
    res = calibrate(args.annotations, args.videos, model=args.model, limit=args.limit, progress=con.progress)
    cal = res["calibration"]
    if args.write_manifest:
        command = calibrated_by_command(args, res["model"])
        res["manifest"] = str(write_calibration(res["model"], cal, command))
        res["calibrated_by"] = command
    if args.json:
        con.emit_json(res, indent=None)
        return 0
    ho = cal["held_out"]
    con.out(f"model {res['model']}: {res['n_clips']} held-out clips ({cal['fitted_on']})")
    con.out(f"  strong  score >= {cal['strong']:+.3f}   ({100 * ho['matching_strong']:.1f}% of matching pairs, "
            f"{100 * ho['nonmatching_strong']:.2f}% of non-matching)")
    con.out(f"  weak    score >= {cal['weak']:+.3f}   (below: none; {100 * ho['matching_none']:.1f}% of matching pairs, "
            f"{100 * ho['nonmatching_none']:.1f}% of non-matching)")
    con.out(f"  p_match = 1 / (1 + exp(-({cal['logistic']['a']:.2f} * score {cal['logistic']['b']:+.2f})))  (50:50 prior)")
    if ho["direction_called"]:
        con.out(f"  direction: too close to call when |forward - reversed| <= {cal['direction_margin']:.3g} "
                f"({100 * ho['direction_called']:.1f}% of held-out pairs called, "
                f"{100 * ho['direction_called_right']:.1f}% of those right)")
    else:
        con.out("  direction: never called (the model is order-blind on the held-out pairs)")
    if args.write_manifest:
        con.out(f"written to {res['manifest']}")
    return 0


def calibrated_by_command(args, model: str) -> str:
    """The `calibrated_by` line: the command, with the data folder written as DATA like `evaluated_by`."""
    from pathlib import Path

    from inference.runtime.paths import data_dir

    def short(p: str) -> str:
        p = Path(p).expanduser().resolve()
        for root in (data_dir() / "video", Path.cwd() / "data" / "video"):
            try:
                return "DATA/" + p.relative_to(root.resolve()).as_posix()
            except ValueError:
                pass
        return str(p)
    return (f"mmwb video calibrate --annotations {short(args.annotations)} --videos {short(args.videos)} "
            f"--model {model}" + (f" --limit {args.limit}" if args.limit else "") + " --write-manifest")


def cmd_index(args) -> int:
    from .index import VideoIndex
    missing = [d for d in args.dirs if not Path(d).exists()]
    if missing:  # before the index file is opened: a failed command leaves no empty database behind
        raise InputError(f"no such file or folder: {', '.join(missing)}", "check the path")
    con = Console.from_args(args)
    with VideoIndex(args.db, model_name=args.model) as idx:
        rep = idx.index(args.dirs, progress=con.progress, decode_timeout_s=args.timeout)
        st = idx.stats()
    if args.json:
        con.emit_json({"report": rep.to_dict(), "stats": st}, indent=None)
    else:
        fps = rep.frames_decoded / rep.seconds if rep.seconds else 0.0
        con.out(f"{rep.scanned} files: {len(rep.indexed)} indexed, {len(rep.copied)} copied (same content), "
                f"{rep.unchanged} unchanged, {len(rep.skipped)} skipped, {rep.removed} removed; "
                f"{rep.segments_added} segments, {rep.frames_decoded} frames in {rep.seconds:.1f} s ({fps:.0f} frames/s)")
        for s in rep.skipped:
            con.out(f"  skipped {s['path']}: {s['reason']}")
        con.out(f"index {st['db']}: {st['files']} files, {st['segments']} segments (model {st['model']})")
    if len(rep.skipped) >= rep.scanned:  # every file skipped (this run or, unchanged, an earlier one), or none
        videos = sum(1 for s in rep.skipped if Path(s["path"]).suffix.lower() in VIDEO_EXTS)
        if videos:
            return nothing_processed(con, f"all {videos} video files were skipped",
                                     "see the reasons above; re-encode or remove the files")
        return nothing_processed(con, f"no video files under {', '.join(args.dirs)}",
                                 "pass folders that hold videos (" + " ".join(sorted(VIDEO_EXTS)) + ")")
    return 0


def cmd_search(args) -> int:
    from . import api
    from .index import VideoIndex
    con = Console.from_args(args)
    if not Path(args.db).is_file():  # opening it would create an empty database
        raise InputError(f"no video index at {args.db}", "build one first: mmwb video index FOLDER… --db "
                         f"{args.db}")
    with VideoIndex(args.db, model_name=None) as idx:
        hits = idx.search(args.query, k=args.k, threshold=args.threshold, mode=args.mode)
        hits = api.judge_hits([h.to_dict() for h in hits], api.manifest_of(idx))
    model = hits[0]["model"] if hits else None
    verdict = api.no_match_message(model) if api.nothing_matches(hits) else None
    if args.json:
        con.emit_json({"query": args.query, "model": model, "nothing_matches": verdict is not None,
                       "message": verdict, "hits": hits}, indent=None)
        return 0
    if not hits:
        con.out("no results" + (f" above {args.threshold}" if args.threshold is not None else ""))
    if verdict:
        con.out(verdict)
    for r, h in enumerate(hits, 1):
        tag = f"{api.MATCH_TAG[h['match']]:<12}  " if h.get("match") else ""
        p = f"  P(match) {h['p_match']:.2f}" if h.get("p_match") is not None else ""
        direction = {"forward": "", "backwards": ", fits better BACKWARDS",
                     "too close": ", direction too close to call"}[h["direction"]] if h.get("match") != "none" else ""
        con.out(f"{r:3d}. {h['score']:+.3f}  {tag}{h['path']}  [{h['start']:.1f}-{h['end']:.1f} s]  "
                f"(reversed: {h['score_reversed']:+.3f}{direction}){p}")
    return 0


def register(subparsers, info) -> None:
    p = subparsers.add_parser(info.cli, aliases=list(info.aliases), help="temporal text-to-video retrieval (RTime)",
                              description="Search videos by text and measure the direction-of-time ability (RTime).")
    sub = p.add_subparsers(dest="video_cmd", metavar="{synth,eval,calibrate,index,search}")
    sub.required = True

    s = sub.add_parser("synth", help="render RTime-synth clips + train.json/test.json")
    s.add_argument("out", help="output folder")
    s.add_argument("--n", type=int, default=200, help="number of clips")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--split", choices=["both", "train", "test"], default="both",
                   help="both: 80/20 train/test; train or test: all clips in one split (test uses held-out captions)")
    s.add_argument("--held-out-pool", choices=["original", "fresh"], default="original",
                   help="which held-out caption templates the test clips get (fresh: a second pool no model was tuned on)")
    s.add_argument("--workers", type=int, default=1)
    add_output_flags(s)
    s.set_defaults(func=cmd_synth)

    e = sub.add_parser("eval", help="RTime-Origin / Hard / Binary on an RTime split file")
    e.add_argument("--annotations", required=True, help="RTime test.json (or one from `video synth`)")
    e.add_argument("--videos", required=True, help="folder with <clip id>.<ext> videos")
    e.add_argument("--model", default=None, help="video-temporal (default) or video-meanpool")
    e.add_argument("--limit", type=int, default=0, help="evaluate the first N clips only")
    add_output_flags(e)
    e.set_defaults(func=cmd_eval)

    c = sub.add_parser("calibrate", help="fit a model's match strengths and direction margin on a held-out split",
                       description="Fit the score thresholds (strong / weak / none), a score -> probability fit and "
                                   "the direction margin on a held-out split (make one with `mmwb video synth OUT "
                                   "--split test --seed S` on a seed no model saw); --write-manifest stores them in "
                                   "the model's manifest as \"calibration\" and \"calibrated_by\".")
    c.add_argument("--annotations", required=True, help="the held-out split's test.json")
    c.add_argument("--videos", required=True, help="folder with its <clip id>.mp4 clips")
    c.add_argument("--model", default=None, help="video-temporal (default) or video-meanpool")
    c.add_argument("--limit", type=int, default=0, help="use the first N clips only")
    c.add_argument("--write-manifest", action="store_true", help="store the fit in the model's manifest")
    add_output_flags(c)
    c.set_defaults(func=cmd_calibrate)

    i = sub.add_parser("index", help="index (incrementally) the videos under folders into a SQLite db",
                       description="Index the videos under folders; exits with 2 when no file could be indexed.")
    i.add_argument("dirs", nargs="+", help="folders (or files)")
    i.add_argument("--db", required=True, help="index database (created if missing)")
    i.add_argument("--model", default=None)
    i.add_argument("--timeout", type=float, default=60.0, help="seconds before a hanging file is skipped (+2 s/MB)")
    add_output_flags(i)
    i.set_defaults(func=cmd_index)

    q = sub.add_parser("search", help="search an index by text")
    q.add_argument("query")
    q.add_argument("--db", required=True)
    q.add_argument("-k", type=int, default=10)
    q.add_argument("--threshold", type=float, default=None, help="drop hits scoring below this cosine")
    q.add_argument("--mode", choices=["auto", "exact", "approx"], default="auto")
    add_output_flags(q)
    q.set_defaults(func=cmd_search)
