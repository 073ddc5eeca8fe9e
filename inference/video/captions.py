"""Caption templates for RTime-synth: one forward (A) and one reverse (B) direction per event family.

The phrasings are data, in `phrasings/` (its README says who wrote which file and how):

- `templates.json`: the hand-written templates: per family its noun rule and, per direction, the
  `train` templates and the `held_out_original` ones (the original held-out pool);
- `train_pool.json`, `train_pool_2.json`, `train_pool_3.json`: bulk pools of more training phrasings, written blind;
- `fresh_test.json`: a second held-out pool, written blind, never trained on and never edited.

`families()` reads them once (cached) into three pools per direction, named for what they are for:

- `train`: what training and the train split draw from (hand-written + bulk pool);
- `held_out_original`, `held_out_fresh`: the two pools the test split can be captioned with
  (`mmwb video synth --held-out-pool original|fresh`), so an evaluation measures whether a model learned
  the meaning of a direction and not the wording of the training captions.

Slots: ``{c}`` colour, ``{o}`` object noun, ``{c2}`` second colour (colour-change family, whose B
direction is its A direction with the two colours exchanged).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

PHRASINGS_DIR = Path(__file__).with_name("phrasings")
POOLS = ("train", "held_out_original", "held_out_fresh")
HELD_OUT_POOLS = {"original": "held_out_original", "fresh": "held_out_fresh"}  # --held-out-pool → pool
BULK_FILES = ("train_pool.json", "train_pool_2.json", "train_pool_3.json")  # training phrasings written blind (phrasings/README.md)


def normalise(t: str) -> str:
    """The comparison key of a template: lower case, no punctuation or hyphens, single spaces."""
    t = t.lower().replace("-", " ")
    for ch in ".,;:!?\"'":
        t = t.replace(ch, " ")
    return " ".join(t.split())


def swap_colours(t: str) -> str:
    """A colour-family template of direction A as direction B: the two colours trade places."""
    return t.replace("{c}", "{TMP}").replace("{c2}", "{c}").replace("{TMP}", "{c2}")


def _tidy(t: str) -> str:
    """House style: no final full stop, lower-case first letter (captions are lower-cased anyway)."""
    t = " ".join(t.strip().split()).rstrip(".")
    return t[0].lower() + t[1:] if t and not t.startswith("{") else t


def _directions(fam: str, dirs: dict) -> dict[str, list[str]]:
    """{"A": [...], "B": [...]} of one family in one file, tidied; colour's B is its A with colours swapped."""
    a = [_tidy(t) for t in dirs.get("A", [])]
    b = [_tidy(t) for t in dirs.get("B", [])] if fam != "colour" else [swap_colours(t) for t in a]
    return {"A": a, "B": b}


def _read(name: str) -> dict:
    return json.loads((PHRASINGS_DIR / name).read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def families() -> dict[str, dict]:
    """family → {"A": {pool: (templates…)}, "B": {…}, and "nouns" or "nouns_exclude" where the family has
    them}, in the families' fixed order. Read once from `phrasings/`; the result is never changed.

    How the files are merged, comparing templates up to case, punctuation and hyphens: a fresh-pool template
    equal to a hand-written training one is dropped from the fresh pool; a bulk-pool phrasing equal to any
    held-out template (either pool), or already in training, is not added to training."""
    hand = _read("templates.json")
    fresh = _read("fresh_test.json")
    bulk: dict = {}
    for name in BULK_FILES:  # the blind writers' training pools, merged in order
        for fam, dirs in _read(name).items():
            for d, tpls in dirs.items():
                bulk.setdefault(fam, {}).setdefault(d, []).extend(tpls)
    out: dict[str, dict] = {}
    for fam, spec in hand.items():
        out[fam] = {k: tuple(v) for k, v in spec.items() if k in ("nouns", "nouns_exclude")}
        pools = {p: _directions(fam, {d: spec.get(d, {}).get(p, []) for d in "AB"})
                 for p in ("train", "held_out_original")}
        for d in "AB":
            out[fam][d] = {p: list(pools[p][d]) for p in pools}
    hand_train = {normalise(t) for f in out.values() for d in "AB" for t in f[d]["train"]}
    held = {normalise(t) for f in out.values() for d in "AB" for t in f[d]["held_out_original"]}
    for fam in out:
        for d, tpls in _directions(fam, fresh.get(fam, {})).items():
            keep = list(dict.fromkeys(t for t in tpls if normalise(t) not in hand_train))
            out[fam][d]["held_out_fresh"] = keep
            held |= {normalise(t) for t in keep}
    for fam in out:
        for d, tpls in _directions(fam, bulk.get(fam, {})).items():
            train = out[fam][d]["train"]
            have = {normalise(t) for t in train}
            for t in tpls:
                k = normalise(t)
                if k not in held and k not in have:
                    train.append(t)
                    have.add(k)
    for f in out.values():
        for d in "AB":
            f[d] = MappingProxyType({p: tuple(f[d][p]) for p in POOLS})
    return MappingProxyType({fam: MappingProxyType(f) for fam, f in out.items()})  # read-only: it is cached


def family_names() -> tuple[str, ...]:
    return tuple(families())


def templates(family: str, direction: str, pool: str) -> tuple[str, ...]:
    """The templates of one family and direction in one pool: "train", "held_out_original" or
    "held_out_fresh"."""
    return families()[family][direction][pool]


def opposite(direction: str) -> str:
    return "B" if direction == "A" else "A"
