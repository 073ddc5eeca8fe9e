"""The CAD description templates (inference/cad/templates/*.json) and their one loader."""
import copy
from itertools import combinations

import numpy as np
import pytest

from inference.cad import synth
from inference.runtime.errors import InputError


def test_loader_is_pure_and_read_only(tmp_path):
    pools = synth.template_pools()
    before = copy.deepcopy({p: dict(fams) for p, fams in pools.items()})
    assert synth.template_pools() is pools  # read once, the same object every call
    with pytest.raises(TypeError):
        pools["train"] = {}
    with pytest.raises(TypeError):
        pools["train"]["plate"] = ()
    assert all(isinstance(t, tuple) for fams in pools.values() for t in fams.values())
    rng = np.random.default_rng(0)
    for p in synth.sample_parts(30, 1):  # describing and writing a dataset change nothing
        for pool in synth.POOLS:
            synth.describe_part(p, rng, pool)
    synth.synth_dataset(tmp_path, n=2, seed=3, n_desc=1, pool="fresh", views=())
    assert synth.template_pools() is pools
    assert {p: dict(fams) for p, fams in pools.items()} == before


def test_every_family_has_templates_in_every_pool():
    pools = synth.template_pools()
    assert tuple(pools) == synth.POOLS == ("train", "held_out", "fresh")
    for pool in synth.POOLS:
        assert set(pools[pool]) == set(synth.FAMILIES), pool
        for fam in synth.FAMILIES:
            temps = synth.templates(fam, pool)
            assert temps and len(set(temps)) == len(temps), (pool, fam)
            assert len(temps) >= (3 if pool == "train" else 2 if pool == "fresh" else 1), (pool, fam)


def test_pools_are_disjoint():
    everywhere = {p: {t for temps in synth.template_pools()[p].values() for t in temps} for p in synth.POOLS}
    for a, b in combinations(synth.POOLS, 2):
        assert not everywhere[a] & everywhere[b], (a, b)


def test_every_template_fills_from_its_familys_facts():
    parts = {p.family: p for p in synth.sample_parts(200, 4)}
    assert set(parts) == set(synth.FAMILIES)
    for pool in synth.POOLS:
        for fam, temps in synth.template_pools()[pool].items():
            facts = {k: "1" for k, v in parts[fam].facts.items() if not isinstance(v, list)}
            for t in temps:
                t.format(**facts, segs="1")  # a KeyError names a field the family does not have


def test_unknown_pool_is_refused(tmp_path):
    p = synth.sample_parts(1, 0)[0]
    with pytest.raises(InputError):
        synth.describe_part(p, np.random.default_rng(0), "test")
    with pytest.raises(InputError):
        synth.synth_dataset(tmp_path, n=1, pool=True, views=())
