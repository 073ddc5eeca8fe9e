"""`mmwb pc …`: synth, reconstruct, compare, eval (headless, no Qt). Every command prints through
`inference.console` (progress line, `--json`, `--quiet`); errors are WorkbenchErrors (exit 2)."""
from __future__ import annotations

import json
from pathlib import Path

from inference.console import Console, add_output_flags, nothing_processed


def cmd_synth(a) -> int:
    from .synth import write_dataset
    con = Console.from_args(a)
    idx = write_dataset(Path(a.out), a.n, a.seed, a.split, a.ply, progress=con.progress)
    fams = sorted({s["family"] for s in idx["samples"]})
    if a.json:
        con.emit_json({"out": a.out, "samples": len(idx["samples"]), "seed": a.seed, "split": a.split,
                       "families": fams}, indent=1)
    else:
        con.out(f"wrote {len(idx['samples'])} samples to {a.out} (seed {a.seed}, split {a.split}; "
                f"families: {', '.join(fams)})")
    return 0


def cmd_reconstruct(a) -> int:
    from inference.runtime.media import read_image

    from .io import PointCloud, read_cloud, write_cloud
    from .model import VIEW_IMAGE_HINT, reconstruct
    con = Console.from_args(a)
    pc = read_cloud(a.input, drop_invalid=a.drop_invalid)
    for n in pc.notes:
        con.note(f"note: {Path(a.input).name}: {n}")
    img = read_image(a.image, "gray", hint=VIEW_IMAGE_HINT) if a.image else None
    res = reconstruct(pc, img, model=a.model, points=a.points, upsample=a.upsample, spacing=a.spacing,
                      allow_fewer=a.allow_fewer, denoise=not a.no_denoise, sor_std=a.sor_std, smooth=a.smooth,
                      progress=con.progress, is_cancelled=None)
    write_cloud(a.output, res.cloud(), ascii=a.ascii)
    rep = {"input": a.input, "output": a.output, "n_input": res.n_input, "n_used": res.n_used,
           "n_output": len(res.xyz), "model": res.model, "provider": res.provider, "tiles": res.tiles,
           "fields": (["colours"] if res.colors is not None else []) + (["normals"] if res.normals is not None else [])
           + list(res.scalars), "seconds": {k: round(v, 4) for k, v in res.seconds.items()},
           "notes": pc.notes + res.notes}
    if a.json:
        con.emit_json(rep, indent=1)
    else:
        con.out(f"{a.input}: {res.n_input} points → {a.output}: {len(res.xyz)} points "
                f"({res.model} on {res.provider}, {res.seconds['total']:.2f} s)")
        for n in res.notes:
            con.note(f"note: {n}")
    return 0


def cmd_compare(a) -> int:
    from .io import read_cloud, write_cloud
    from .metrics import compare_clouds
    con = Console.from_args(a)
    A = read_cloud(a.a, drop_invalid=a.drop_invalid)
    B = read_cloud(a.b, drop_invalid=a.drop_invalid)
    for name, c in ((a.a, A), (a.b, B)):
        for n in c.notes:
            con.note(f"note: {Path(name).name}: {n}")
    rep, dist = compare_clouds(A.xyz, B.xyz, a.tau)
    if a.output:
        A.scalars["distance"] = dist.astype("float32")
        write_cloud(a.output, A, ascii=a.ascii)
        rep["output"] = a.output
    if a.json:
        con.emit_json(rep, indent=1)
    else:
        out = con.out
        out(f"A = {a.a} ({rep['n_a']} points), B = {a.b} ({rep['n_b']} points, radius {rep['radius_b']:.4g})")
        out(f"Chamfer L1 {rep['cd_l1']:.5g}  L2 {rep['cd_l2']:.5g}  (normalised ×10³: {rep['cd_l1_norm_e3']:.2f} / "
            f"{rep['cd_l2_norm_e3']:.3f})")
        out(f"F-score@{a.tau * 100:g}% (τ = {rep['tau']:.4g}): {rep['fscore']:.3f} "
            f"(precision {rep['precision']:.3f}, recall {rep['recall']:.3f})")
        out(f"Hausdorff {rep['hausdorff']:.5g} (A→B {rep['hausdorff_a_to_b']:.5g}, B→A {rep['hausdorff_b_to_a']:.5g})")
        if a.output:
            out(f"wrote A with per-point distance to B as scalar field 'distance': {a.output}")
    return 0


def cmd_eval(a) -> int:
    from .evaluate import evaluate, format_table
    con = Console.from_args(a)
    if a.limit is not None and a.limit < 1:
        return nothing_processed(con, f"--limit {a.limit} selects no shapes", "pass --limit 1 or more")
    res = evaluate(Path(a.dataset), methods=a.methods.split(","), levels=a.levels.split(","), limit=a.limit,
                   n_out=a.points, use_cache=a.reuse_baselines, progress=con.progress)
    if a.out:
        Path(a.out).write_text(json.dumps(res, indent=1))
    if a.json:
        con.emit_json({"rows": res["rows"], "dataset": res["dataset"], "seed": res["seed"],
                       "samples": res["samples"], "points": res["points"]}, indent=1)
    else:
        con.out(format_table(res))
    return 0


def register(subparsers, info) -> None:
    from .evaluate import METHODS
    from .synth import LEVEL_NAMES
    p = subparsers.add_parser(info.cli, aliases=list(info.aliases), help="point clouds: make data, reconstruct, compare, evaluate",
                              description="Point-cloud reconstruction: a sparse or noisy cloud (+ a view) in, "
                                          "a dense clean cloud out.")
    sp = p.add_subparsers(dest="pc_command", metavar="{synth,reconstruct,compare,eval}")
    sp.required = True

    s = sp.add_parser("synth", help="make a synthetic dataset (truth, views, degraded inputs)")
    s.add_argument("out")
    s.add_argument("--n", type=int, default=24, help="number of shapes (default 24)")
    s.add_argument("--seed", type=int, default=1234)
    s.add_argument("--split", choices=["test", "train", "heldout"], default="test",
                   help="test: all families (unseen ones included); heldout: only families never used in training")
    s.add_argument("--ply", action="store_true", help="also write every cloud as .ply")
    add_output_flags(s)
    s.set_defaults(func=cmd_synth)

    r = sp.add_parser("reconstruct", help="densify and clean a cloud")
    r.add_argument("input", help=".ply / .pcd / .xyz")
    r.add_argument("--image", help="a view of the object (PNG/JPEG) for the multimodal model. "
                                   "It must be the fixed synthetic view: an orthographic render along (1, 0.8, 1.2) "
                                   "of the cloud normalised to the unit sphere, ±1.1 wide; for other photos use "
                                   "--model pc-points-only (a mismatched view is about 2%% worse on CD-L1 than no view)")
    r.add_argument("-o", "--output", required=True, help=".ply / .pcd / .xyz")
    size = r.add_mutually_exclusive_group()
    size.add_argument("--points", type=int, help="exactly this many output points (default: 16384 for an object-"
                                                 "sized input, ×4 for one above 8,192 points)")
    size.add_argument("--upsample", type=float, metavar="R", help="R times the input's points (e.g. 4)")
    size.add_argument("--spacing", type=float, metavar="S", help="output points about S apart (in the cloud's units)")
    r.add_argument("--allow-fewer", action="store_true",
                   help="allow an output smaller than a large input (it is then reduced by farthest point sampling)")
    r.add_argument("--model", default="pc-multimodal", help="pc-multimodal (default) or pc-points-only")
    r.add_argument("--no-denoise", action="store_true", help="skip statistical outlier removal")
    r.add_argument("--sor-std", type=float, default=2.0, help="outlier removal: std ratio (default 2.0)")
    r.add_argument("--smooth", action="store_true",
                   help="one more moving-least-squares pass over the denoised points (for scans noisier than "
                        "the model was trained on; flattens fine detail)")
    r.add_argument("--drop-invalid", action="store_true",
                   help="also drop points with coordinates beyond ±1e9 (NaN/inf points are always dropped, with a note)")
    r.add_argument("--ascii", action="store_true", help="write ASCII instead of binary")
    add_output_flags(r)
    r.set_defaults(func=cmd_reconstruct)

    c = sp.add_parser("compare", help="Chamfer, F-score, Hausdorff of A against reference B")
    c.add_argument("a")
    c.add_argument("b")
    c.add_argument("--tau", type=float, default=0.01, help="F-score threshold as a fraction of B's radius")
    c.add_argument("-o", "--output", help="write A with a 'distance' scalar field (.ply/.pcd/.xyz)")
    c.add_argument("--drop-invalid", action="store_true", help="also drop points with coordinates beyond ±1e9")
    c.add_argument("--ascii", action="store_true")
    add_output_flags(c)
    c.set_defaults(func=cmd_compare)

    e = sp.add_parser("eval", help="score every method at every input level on a dataset")
    e.add_argument("dataset")
    add_output_flags(e, json_help='print {"rows": [{method, level, n, cd_l1, cd_l2, fscore}, …]}')
    e.add_argument("--methods", default=",".join(METHODS),
                   help=f"comma-separated, from {', '.join(METHODS)}; also 'classical' (the pipeline without "
                        "its learned stage)")
    e.add_argument("--levels", default=",".join(LEVEL_NAMES))
    e.add_argument("--limit", type=int, help="only the first N shapes")
    e.add_argument("--points", type=int, default=16384)
    e.add_argument("--out", help="also write the full result (per family) as JSON")
    e.add_argument("--reuse-baselines", action="store_true",
                   help="reuse baseline/oracle scores measured by an earlier eval of this dataset (they do not depend on the models)")
    e.set_defaults(func=cmd_eval)
