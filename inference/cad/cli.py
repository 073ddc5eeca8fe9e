"""`mmwb cad …`: synth, generate, show, eval. Every command prints through `inference.console` (a progress line
on stderr, `--json` for one JSON object on stdout, `--quiet`); a file or argument it cannot use is an InputError
(one `error:` line, exit 2)."""
from __future__ import annotations

import math
from pathlib import Path

from inference.console import Console, add_output_flags
from inference.runtime.errors import InputError

MODEL_NAMES = ("cad-text", "cad-image", "cad-text-plain")


def register(subparsers, info) -> None:
    p = subparsers.add_parser(info.cli, aliases=list(info.aliases),
                              help="CAD construction sequences: text or image → editable solid")
    sub = p.add_subparsers(dest="cad_command", metavar="ACTION", required=True)

    s = sub.add_parser("synth", help="make procedural parts with sequences, descriptions and images")
    s.add_argument("out", help="output folder")
    s.add_argument("--n", type=int, default=100, help="number of parts")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--descriptions", type=int, default=3, help="descriptions per part")
    pool = s.add_mutually_exclusive_group()
    pool.add_argument("--held-out", action="store_true",
                      help="describe with the held-out templates (for a test set)")
    pool.add_argument("--fresh", action="store_true",
                      help="describe with the fresh templates (never used in training or development)")
    s.add_argument("--no-images", action="store_true", help="skip building and rendering the views")
    s.add_argument("--size", type=int, default=160, help="rendered image size in pixels")
    add_output_flags(s)
    s.set_defaults(func=cmd_synth)

    g = sub.add_parser("generate", help="make a part from a description or a picture")
    src = g.add_mutually_exclusive_group(required=True)
    src.add_argument("--text", help="description, e.g. \"a 40 x 20 x 5 mm plate with a 6 mm hole\"")
    src.add_argument("--image", help="PNG/JPEG picture of the part")
    g.add_argument("--size", type=float, default=50.0, help="largest side in mm for a part from a picture")
    g.add_argument("--model", choices=MODEL_NAMES, help="default: the installed default (cad-text-plain for text, cad-image for pictures)")
    g.add_argument("-o", "--output", help="STEP file to write")
    g.add_argument("--stl", help="STL file to write")
    g.add_argument("--save-json", metavar="PATH", help="DeepCAD JSON file to write (the editable sequence)")
    g.add_argument("--candidates", type=int, default=3,
                   help="decode this many alternatives and return the most likely one whose solid builds (as the GUI does)")
    add_output_flags(g, "print the result (candidates, the chosen sequence as DeepCAD JSON, the solid's size) as "
                        "one JSON object on stdout")
    g.set_defaults(func=cmd_generate)

    sh = sub.add_parser("show", help="print a DeepCAD JSON sequence and its solid's volume, bbox, validity")
    sh.add_argument("file", help="DeepCAD .json file, or 17-column vectors (.vec text, .npy)")
    sh.add_argument("--unit-mm", type=float, default=1000.0, help="millimetres per file unit (DeepCAD: metres)")
    sh.add_argument("--vec", action="store_true", help="also print the 17-column vectors")
    add_output_flags(sh)
    sh.set_defaults(func=cmd_show)

    e = sub.add_parser("eval", help="ACC_cmd, ACC_param, Chamfer distance and invalidity on a dataset")
    e.add_argument("dataset", help="folder made by `mmwb cad synth`")
    e.add_argument("--model", choices=MODEL_NAMES)
    e.add_argument("--input", choices=("text", "image"))
    e.add_argument("--limit", type=int, help="only the first N samples")
    e.add_argument("--per-sample", help="write per-sample results (JSON) here")
    e.add_argument("--candidates", type=int, default=1,
                   help="1 (default): score the most likely sequence; k>1: the most likely of k candidates "
                        "whose solid is valid, as `generate` does")
    add_output_flags(e)
    e.set_defaults(func=cmd_eval)


def cmd_synth(a) -> int:
    from .synth import synth_dataset
    con = Console.from_args(a)
    if a.n < 1:
        raise InputError(f"--n must be at least 1 (got {a.n})", "ask for one or more parts")
    if a.descriptions < 1:
        raise InputError("--descriptions must be at least 1", "ask for one or more")
    idx = synth_dataset(a.out, n=a.n, seed=a.seed, n_desc=a.descriptions,
                        pool="fresh" if a.fresh else "held_out" if a.held_out else "train",
                        views=() if a.no_images else ("iso", "iso2", "iso3"), image_size=a.size,
                        progress=con.progress)
    fams: dict = {}
    for s in idx["samples"]:
        fams[s["family"]] = fams.get(s["family"], 0) + 1
    templates = "fresh" if a.fresh else "held-out" if a.held_out else "training"
    if a.json:
        con.emit_json({"out": str(a.out), "n": len(idx["samples"]), "seed": a.seed, "templates": templates,
                       "families": dict(sorted(fams.items()))})
        return 0
    con.out(f"wrote {len(idx['samples'])} parts to {a.out} (seed {a.seed}, {templates} templates): "
            + ", ".join(f"{k} {v}" for k, v in sorted(fams.items())))
    return 0


def cmd_generate(a) -> int:
    from . import kernel
    from .api import candidates
    from .io import write_deepcad_json, write_step, write_stl
    from .seq import describe
    con = Console.from_args(a)
    if a.candidates < 1 or a.candidates > 10:
        raise InputError(f"--candidates {a.candidates} is out of range", "use 1 to 10")
    if not (a.output or a.stl or a.save_json or a.json):
        raise InputError("no output file given",
                         "add -o part.step, --stl part.stl or --save-json part.json (or --json to print it)")
    verdict, pairs = candidates(a.text, a.image, size_mm=a.size, model=a.model, n_candidates=a.candidates,
                                progress=con.progress)
    if verdict is not None and verdict["status"] == "read" and not a.json:
        con.note(verdict["message"])
    cands = [c for _, c, _ in pairs]
    chosen, solid = None, None
    rows = []
    for i, (source, c, guess) in enumerate(pairs):
        status = "invalid"
        if c.seq is not None:
            try:
                s = kernel.build(c.seq)
                status = "valid" if s.valid else f"invalid ({s.why_invalid()})"
                if s.valid and chosen is None:
                    chosen, solid = c, s
            except InputError as e:
                status = f"invalid ({e.message})"
        else:
            status = f"invalid ({c.error})"
        rows.append({"logprob": c.logprob, "status": status, "source": source, "guess": guess})
        if len(pairs) > 1 and not a.json:
            what = "read from the description" if source == "reader" else \
                f"{'guess, ' if guess else ''}log-probability {c.logprob:.2f}"
            con.out(f"candidate {i + 1}: {what}, {status}")
    best = cands[0]
    if chosen is None:
        why = best.error or "its solid does not build"
        if verdict is not None and verdict["status"] != "read":
            raise InputError(f"the reader: {verdict['message']}; and the model's sequence is invalid: {why}",
                             "add what is missing to the description")
        raise InputError(f"the model's sequence is invalid: {why}",
                         "rephrase the description, try --candidates 5, or edit the sequence in the GUI")
    notes = list(chosen.notes)
    if chosen is not best:
        notes.insert(0, f"the most likely sequence is invalid; using candidate {cands.index(chosen) + 1}")
    summ = solid.summary()
    written = []
    for path, writer in ((a.output, write_step), (a.stl, write_stl), (a.save_json, write_deepcad_json)):
        if path:
            writer(chosen.seq if writer is write_deepcad_json else solid, path)
            written.append(str(path))
    source = pairs[cands.index(chosen)][0]
    if verdict is not None and verdict["status"] != "read":
        notes.insert(0, f"the reader: {verdict['message']}; this part is the model's guess")
    if a.json:
        con.emit_json({"candidates": rows, "chosen": cands.index(chosen) + 1, "notes": notes, "source": source,
                       "units": verdict["units"] if verdict else None,
                       "reader": None if verdict is None else {k: verdict[k] for k in ("status", "message", "family")},
                       "solid": summ, "written": written, "sequence": write_deepcad_json(chosen.seq)})
        return 0
    for n in notes:
        con.note(f"note: {n}")
    con.out(describe(chosen.seq))
    con.out(f"solid: valid, volume {summ['volume_mm3']:.2f} mm³, size "
            f"{summ['size_mm'][0]:.2f} × {summ['size_mm'][1]:.2f} × {summ['size_mm'][2]:.2f} mm")
    for path in written:
        con.out(f"wrote {path}")
    return 0


def cmd_show(a) -> int:
    from . import kernel
    from .io import load_sequence
    from .seq import describe, to_vec
    con = Console.from_args(a)
    seq = load_sequence(a.file, unit_mm=a.unit_mm)
    out: dict = {"file": str(a.file), "extrusions": len(seq.extrudes)}
    try:
        solid = kernel.build(seq)
        out.update(solid.summary())
        out["error"] = None
    except InputError as e:
        out.update(valid=False, error=e.one_line())
    vec = None
    if a.vec:
        ext = 0.0
        if out.get("bbox_max"):
            ext = max(max(abs(v) for v in out["bbox_min"]), max(abs(v) for v in out["bbox_max"]))
        scale = 64.0 if ext <= 63 else math.ceil(ext / 0.75)
        vec = to_vec(seq, scale)
        out["vec_scale_mm"] = scale
        out["vec"] = vec.tolist()
    if a.json:
        con.emit_json(out)
        return 0 if out.get("valid") else 1
    con.out(describe(seq))
    if out.get("error"):
        con.out(f"solid: INVALID — {out['error']}")
    else:
        why = "" if out["valid"] else f" ({'; '.join(out['problems']) or 'kernel check failed'})"
        con.out(f"solid: {'valid' if out['valid'] else 'INVALID'}{why}, "
                f"volume {out['volume_mm3']:.3f} mm³")
        con.out("bbox: min ({:.3f}, {:.3f}, {:.3f}) max ({:.3f}, {:.3f}, {:.3f}) mm".format(
            *out["bbox_min"], *out["bbox_max"]))
    if vec is not None:
        con.out(f"vectors (scale {out['vec_scale_mm']:g} mm per unit):")
        for row in vec:
            con.out(" ".join(f"{int(v):4d}" for v in row))
    return 0 if out.get("valid") else 1


def cmd_eval(a) -> int:
    import json

    from .evaluate import evaluate
    con = Console.from_args(a)
    if not 1 <= a.candidates <= 10:
        raise InputError(f"--candidates {a.candidates} is out of range", "use 1 to 10")
    res = evaluate(a.dataset, model=a.model, input=a.input, limit=a.limit, candidates=a.candidates,
                   progress=con.progress)
    if a.per_sample:
        Path(a.per_sample).write_text(json.dumps(res["samples"], indent=1), encoding="utf-8")
    keys = ["model", "n", "acc_cmd", "acc_param", "cd_mean", "cd_median", "invalid_ratio"]
    if a.json:
        con.emit_json({k: res[k] for k in keys})
        return 0
    cd = (f"{res['cd_mean']:.3f} / {res['cd_median']:.3f}" if res["cd_mean"] is not None else "n/a")
    con.out(f"model {res['model']} on {res['n']} parts ({res['input']} input, "
            f"{'top-1' if res['candidates'] == 1 else 'best valid of %d candidates' % res['candidates']}), "
            f"{res['seconds']} s")
    con.out(f"  ACC_cmd   {res['acc_cmd'] * 100:.2f} %")
    con.out(f"  ACC_param {res['acc_param'] * 100:.2f} %")
    con.out(f"  CD ×10³   mean / median {cd}")
    con.out(f"  invalid   {res['invalid_ratio'] * 100:.2f} %")
    return 0
