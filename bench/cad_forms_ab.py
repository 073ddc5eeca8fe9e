"""The text models with and without the shipped word forms (resources/models/cad-text.forms.txt), on the same
datasets, 3 candidates: ACC_cmd, ACC_param (%) and invalid (%) for each.

    for s in 9301 9302 9303 9313; do mmwb cad synth data/cad_fresh_$s --n 100 --seed $s --fresh --descriptions 1; done
    python bench/cad_forms_ab.py data/cad_fresh_9301 data/cad_fresh_9302 data/cad_fresh_9303 data/cad_fresh_9313

"Without" reads every unknown word as <unk>, as the models did before the forms were shipped.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main(argv: list[str]) -> int:
    from inference.cad import tokens as T
    from inference.cad.evaluate import evaluate
    if not argv:
        print(__doc__)
        return 2
    with_forms = T.TextVocab.word_id

    def without_forms(self, w):
        return self.stoi.get(w, 1)
    try:
        for ds in argv:
            for m in ("cad-text", "cad-text-plain"):
                row = []
                for fn in (without_forms, with_forms):
                    T.TextVocab.word_id = fn
                    r = evaluate(ds, model=m, candidates=3)
                    row.append(f"{r['acc_cmd'] * 100:6.2f} / {r['acc_param'] * 100:6.2f}, invalid "
                               f"{r['invalid_ratio'] * 100:4.1f}%")
                print(f"{ds:28s} {m:15s} without {row[0]}   with {row[1]}", flush=True)
    finally:
        T.TextVocab.word_id = with_forms
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
