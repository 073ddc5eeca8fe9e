"""Held-out evaluation of the three CAD models and the spatial-vs-plain ablation.

    .venv/bin/mmwb cad synth data/cad_test --n 210 --seed 9000 --held-out --descriptions 2
    .venv/bin/mmwb cad synth data/cad_fresh --n 210 --seed 9100 --fresh --descriptions 2   (the unseen pool)
    .venv/bin/python bench/cad_eval.py data/cad_test [--limit N] [--write-manifests]
    .venv/bin/python bench/cad_eval.py data/cad_fresh --models cad-text --reader   (the whole generate path)

Prints ACC_cmd, ACC_param, CD (mean/median ×10³) and the invalidity ratio per model (DeepCAD's
definitions, see inference/cad/evaluate.py), and with --write-manifests stores them in each model's
manifest under metrics.heldout. With --reader the text runs measure what `mmwb cad generate` does: the plain
reader (inference/cad/plain.py) first, its part as candidate 1 when it understands the description, the
model's candidates after it (the model's own figures: without --reader; --write-manifests is refused with it).
"""
from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from inference.cad.evaluate import evaluate  # noqa: E402
from inference.runtime.manifest import write_manifest  # noqa: E402

RUNS = [("cad-text", "text"), ("cad-text-plain", "text"), ("cad-image", "image")]


def use_reader() -> None:
    """Route evaluate()'s text_to_candidates through api.candidates (the reader first, as generate does); the
    reader's part gets its 17-column vector so that ACC_cmd/ACC_param compare it row by row like a model's."""
    from inference.cad import api
    from inference.cad import model as mod
    from inference.cad.seq import to_vec
    from inference.runtime.errors import InputError
    models_own = mod.text_to_candidates
    read_by = Counter()

    def text_to_candidates(text, model="cad-text", n_candidates=1, **kw):
        mod.text_to_candidates = models_own  # api.candidates calls the model's own function
        try:
            _, pairs = api.candidates(text=text, model=model, n_candidates=n_candidates, **kw)
        except InputError:  # the reader says it is no part: the model alone
            read_by["refused"] += 1
            return models_own(text, model=model, n_candidates=n_candidates, **kw)
        finally:
            mod.text_to_candidates = text_to_candidates
        read_by["reader" if pairs and pairs[0][0] == "reader" else "model"] += 1
        out = []
        for source, c, _ in pairs:
            if source == "reader":
                try:
                    c.vec = to_vec(c.seq)
                except InputError:
                    c.vec = None
            out.append(c)
        return out

    mod.text_to_candidates = text_to_candidates
    import atexit
    atexit.register(lambda: print(f"reader: first candidate for {read_by['reader']} descriptions, model only for "
                                  f"{read_by['model']}, refused as no part {read_by['refused']}"))


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("dataset", nargs="?", default=str(ROOT / "data" / "cad_test"))
    ap.add_argument("--limit", type=int)
    ap.add_argument("--models", default=",".join(m for m, _ in RUNS))
    ap.add_argument("--write-manifests", action="store_true")
    ap.add_argument("--candidates", type=int, default=1,
                    help="k>1: score the most likely of k candidates whose solid is valid (as `generate` does)")
    ap.add_argument("--reader", action="store_true",
                    help="text runs go through the whole generate path: the plain reader first, then the model")
    a = ap.parse_args()
    if a.reader:
        if a.write_manifests:
            ap.error("--write-manifests stores the models' own figures: run it without --reader")
        use_reader()
    index = json.loads((Path(a.dataset) / "index.json").read_text())
    print(f"dataset {a.dataset}: {len(index['samples'])} parts, seed {index['seed']}, "
          f"held-out templates: {index['held_out_templates']}")
    rows = []
    for model, inp in RUNS:
        if model not in a.models.split(","):
            continue
        r = evaluate(a.dataset, model=model, input=inp, limit=a.limit, candidates=a.candidates)
        rows.append(r)
        bad = Counter(s["family"] for s in r["samples"] if not s["valid"])
        wrong_cmd = Counter(s["family"] for s in r["samples"] if not s["cmd_ok"])
        cd = f"{r['cd_mean']:.3f} / {r['cd_median']:.3f}" if r["cd_mean"] is not None else "n/a"
        print(f"{model + ('+reader' if a.reader and inp == 'text' else ''):15s} {inp:5s} k={a.candidates} n={r['n']}  ACC_cmd {r['acc_cmd'] * 100:6.2f}%  ACC_param "
              f"{r['acc_param'] * 100:6.2f}%  CD×10³ mean/median {cd}  invalid {r['invalid_ratio'] * 100:5.2f}%"
              f"  ({r['seconds']} s)")
        if bad:
            print(f"    invalid by family: {dict(bad)}")
        if wrong_cmd:
            print(f"    parts with a wrong command by family: {dict(wrong_cmd)}")
        if a.write_manifests and not a.limit:
            mf = ROOT / "resources" / "models" / f"{model}.json"
            man = json.loads(mf.read_text())
            pool = "fresh" if index["held_out_templates"] == "fresh" else "heldout"
            key = pool if a.candidates == 1 else f"{pool}_best_valid_of_{a.candidates}"
            man.setdefault("metrics", {})[key] = {
                k: (round(r[k], 5) if isinstance(r[k], float) else r[k])
                for k in ("n", "acc_cmd", "acc_param", "cd_mean", "cd_median", "invalid_ratio")}
            man["metrics"][key]["dataset"] = (f"mmwb cad synth {a.dataset} --n {len(index['samples'])} "
                                                   f"--seed {index['seed']} --{pool.replace('heldout', 'held-out')} "
                                                   f"--descriptions 2")
            man["metrics"][key]["input"] = inp
            man["metrics"][key]["evaluated_by"] = (f"python bench/cad_eval.py {a.dataset} --write-manifests"
                                                   + (f" --candidates {a.candidates}" if a.candidates > 1 else ""))
            write_manifest(mf, man)
    by = {r["model"]: r for r in rows}
    if "cad-text" in by and "cad-text-plain" in by:
        s, p = by["cad-text"], by["cad-text-plain"]
        print("ablation (same data, same training budget), spatial vs plain tokens:")
        for k in ("acc_cmd", "acc_param", "cd_mean", "cd_median", "invalid_ratio"):
            print(f"    {k:13s} {s[k] if s[k] is not None else float('nan'):.4f}  vs  "
                  f"{p[k] if p[k] is not None else float('nan'):.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
