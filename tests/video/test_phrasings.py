"""Caption pools: data files read by one cached loader; training and held-out templates stay disjoint; the
fresh pool only changes captions."""
import json

import numpy as np
import pytest

from inference.video import captions
from inference.video.captions import POOLS, families, normalise, templates
from inference.video.metrics import template_binary
from inference.video.synth import REAL_FAMILIES, nouns


def _all(pool):
    return {normalise(t) for f in families().values() for d in "AB" for t in f[d][pool]}


def test_training_templates_never_equal_a_held_out_one():
    train = _all("train")
    assert not train & _all("held_out_original")
    assert not train & _all("held_out_fresh")


def test_the_loader_is_cached_and_its_pools_cannot_be_changed():
    a = families()
    assert families() is a  # read once
    assert set(captions.HELD_OUT_POOLS.values()) | {"train"} == set(POOLS)
    for f in a.values():
        for d in "AB":
            assert set(f[d]) == set(POOLS) and all(isinstance(f[d][p], tuple) for p in POOLS)
    with pytest.raises(AttributeError):
        templates("door", "A", "train").append("a {c} {o} is painted")


def test_hand_written_training_templates_avoid_held_out_words():
    """templates.json's training phrasings (the bulk pool, written blind, is not checked here) never use the
    held-out templates' distinctive words, and each is in the merged training pool, not in a held-out one."""
    held_out = ["anticlockwise", "anti-clockwise", "pivots", "whirls", "ajar", "latched", "sealed", "opaque",
                "transparent", "revealed", "illuminated", "gloomier", "dimmed", "night falls", "nearer", "gap"]
    hand = json.loads((captions.PHRASINGS_DIR / "templates.json").read_text(encoding="utf-8"))
    assert list(hand) == list(families())
    n = 0
    for fam, spec in hand.items():
        for d in ("A", "B"):
            for t in spec.get(d, {}).get("train", []):
                n += 1
                assert t in templates(fam, d, "train")
                assert t not in templates(fam, d, "held_out_original")
                assert not any(w in t for w in held_out), t
    assert n >= 300


def test_pools_are_loaded_and_every_template_fills_in():
    for fam, dirs in families().items():
        for d in "AB":
            assert len(templates(fam, d, "train")) >= 30, (fam, d)       # the bulk pool is merged in
            assert len(templates(fam, d, "held_out_fresh")) >= 3, (fam, d)
            for split in POOLS:
                for t in templates(fam, d, split):
                    s = t.format(c="red", c2="blue", o="box")
                    assert "{" not in s and not t.endswith(".")
                    if fam in REAL_FAMILIES:  # camera events over photographs: no colour to name
                        assert "{c" not in t, (fam, t)
                    else:
                        assert "{c}" in t and ("{c2}" in t) == (fam == "colour"), (fam, t)


def test_colour_reverse_templates_swap_the_colours():
    for split in POOLS:
        a, b = templates("colour", "A", split), templates("colour", "B", split)
        assert len(a) == len(b)
        assert all(x.replace("{c2}", "#").replace("{c}", "{c2}").replace("#", "{c}") == y for x, y in zip(a, b))


def test_fresh_pool_changes_captions_not_pixels(tmp_path):
    from inference.video.synth import generate
    generate(tmp_path / "orig", n=3, seed=5, split="test")
    generate(tmp_path / "fresh", n=3, seed=5, split="test", held_out_pool="fresh")
    a = json.loads((tmp_path / "orig" / "test.json").read_text())
    b = json.loads((tmp_path / "fresh" / "test.json").read_text())
    assert a.keys() == b.keys()
    for k in a:
        assert (tmp_path / "orig" / f"{k}.mp4").read_bytes() == (tmp_path / "fresh" / f"{k}.mp4").read_bytes()
        it = b[k]
        c1, c2 = it["colours"]
        filled = {t.format(c=c1, c2=c2, o=o) for t in templates(it["family"], it["direction"], "held_out_fresh")
                  for o in nouns(it["family"], it["shape"])}
        assert it["forward_captions"][0] in filled
        assert a[k]["forward_captions"][0] not in filled or a[k]["forward_captions"][0] == it["forward_captions"][0]
    from inference.runtime.errors import InputError
    with pytest.raises(InputError):
        generate(tmp_path / "x", n=1, held_out_pool="nope")


def test_template_binary_is_half_for_an_order_blind_model_and_one_for_an_oracle():
    rng = np.random.default_rng(0)
    v = rng.normal(size=(4, 8))
    meta = [(n, own, "f", "A", f"t{k}") for n in range(4) for own in (True, False) for k in range(2)]
    text = np.stack([v[n] for n, *_ in meta])
    assert template_binary(text, meta, v, v)["t2v_acc"] == 0.5          # reversed copy == original: ties
    vr = -v
    oracle = np.stack([v[n] if own else vr[n] for n, own, *_ in meta])
    r = template_binary(oracle, meta, v, vr)
    assert r["t2v_acc"] == 1.0 and r["templates"] == 2
