"""The clause-shuffled training descriptions (training/cad/augment.py) keep the held-out test honest:
no word that only the held-out templates use, no sentence shape of a held-out template, and every
fact of the part stated."""
import re

import numpy as np

from inference.cad import synth
from inference.cad.tokens import words
from training.cad.augment import describe_augmented


def _shape(text: str) -> str:
    """A description with its numbers (or a template with its {fields}) replaced by '#'."""
    text = text.replace("{", " {").replace("}", "} ")
    return " ".join("#" if re.fullmatch(r"[\d.]+|\{\w+\}", w) else w for w in text.split())


def _pool_templates(*pools: str) -> list:
    return [t for pool in pools for temps in synth.template_pools()[pool].values() for t in temps]


def _template_words(*pools: str) -> set:
    """Words of the templates of these pools."""
    return {w for t in _pool_templates(*pools) for w in words(re.sub(r"\{\w+\}", " ", t))}


def test_augmented_descriptions_avoid_held_out_wording_and_state_every_fact():
    held_only = _template_words("held_out", "fresh") - _template_words("train")
    held_shapes = {_shape(t) for t in _pool_templates("held_out", "fresh")}
    assert {"washer", "tray", "pierced", "stud"} <= held_only  # the check has teeth (held-out and fresh words)
    rng = np.random.default_rng(0)
    parts = synth.sample_parts(600, 3)
    assert {p.family for p in parts} == set(synth.FAMILIES)
    for p in parts:
        text = describe_augmented(p, rng)
        assert not set(words(text)) & held_only, text
        assert _shape(text) not in held_shapes, text
        assert ", ," not in text and not text.endswith(",") and "  " not in text, text
        numbers = re.findall(r"(?<![\w.])\d+(?:\.\d+)?(?![\w.])", text)
        facts = [synth.fmt_mm(v) for k, v in p.facts.items() if not isinstance(v, list)]
        if p.family == "stepped_shaft":
            facts = [synth.fmt_mm(v) for v in p.facts["ds"] + p.facts["hs"]]
        if p.family == "hole_pattern":  # its N=4 may be said as "four" or "each corner"
            assert "4" in numbers or "four" in text or "each corner" in text, text
            facts = [synth.fmt_mm(v) for k, v in p.facts.items() if k != "N"]
        for f in facts:  # every fact is said
            assert f in numbers, (f, text)


def test_fresh_template_pool_is_separate_and_used_by_synth(tmp_path):
    for fam in synth.FAMILIES:
        fresh = synth.templates(fam, "fresh")
        others = synth.templates(fam, "train") + synth.templates(fam, "held_out")
        assert len(fresh) >= 2 and not set(fresh) & set(others), fam
    rng = np.random.default_rng(1)
    p = synth.sample_parts(1, 0)[0]
    fresh_shapes = {_shape(t) for t in synth.templates(p.family, "fresh")}
    if p.family != "stepped_shaft":
        assert _shape(synth.describe_part(p, rng, "fresh")) in fresh_shapes
    idx = synth.synth_dataset(tmp_path, n=2, seed=5, n_desc=1, pool="fresh", views=())
    assert idx["held_out_templates"] == "fresh" and len(idx["samples"]) == 2
