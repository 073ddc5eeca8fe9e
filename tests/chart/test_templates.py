"""The chart panel's question and summary templates are data (`inference/chart/templates/*.json`), read by one
pure, cached loader: the same read-only object on every call, train and held-out pools disjoint, every kind in both."""
from __future__ import annotations

import string
from types import MappingProxyType

import pytest

from inference.chart import synth
from inference.chart.synth import QUESTION_KINDS, QUESTION_POOL_FILES, question_pool, template_pools
from inference.runtime.errors import InputError


def _slots(t: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(t) if f}


def _norm(t: str) -> str:
    return " ".join("".join(c if c.isalnum() or c in "{}" else " " for c in t.lower()).split())


def test_loader_is_pure_and_read_only():
    a, b = template_pools(), template_pools()
    assert a is b
    assert isinstance(a, MappingProxyType) and isinstance(a["questions"], MappingProxyType)
    assert isinstance(a["summaries"], tuple)
    for pool in a["questions"].values():
        assert isinstance(pool, MappingProxyType)
        assert all(isinstance(v, tuple) for v in pool.values())
    with pytest.raises(TypeError):
        a["questions"]["train"]["lookup"] = ("x",)  # type: ignore[index]


def test_every_file_is_a_pool_and_every_kind_is_in_every_pool():
    files = {p.name for p in synth.TEMPLATES_DIR.glob("*.json")}
    assert files == set(QUESTION_POOL_FILES.values()) | {"summaries.json"}
    pools = template_pools()["questions"]
    assert set(pools) == {"train", "held_out"}
    for name, pool in pools.items():
        assert tuple(pool) == QUESTION_KINDS, name  # the order the generator draws kinds in
        for kind, temps in pool.items():
            assert temps and len(set(temps)) == len(temps), (name, kind)
            for t in temps:
                assert _slots(t) <= {"s", "a", "b", "k", "v"}, t
                assert t.endswith(("?", ".")), t


def test_train_and_held_out_pools_are_disjoint():
    pools = template_pools()["questions"]
    train = {_norm(t) for temps in pools["train"].values() for t in temps}
    held = {_norm(t) for temps in pools["held_out"].values() for t in temps}
    assert not train & held


def test_summary_templates_fill_their_slots():
    summaries = template_pools()["summaries"]
    assert len(summaries) >= 2
    for t in summaries:
        assert {"title_sent", "s", "max_c", "max_v", "min_c", "min_v", "trend_sent"} <= _slots(t)
        assert _slots(t) <= {"title_sent", "s", "n", "k", "max_c", "max_v", "min_c", "min_v", "trend_sent"}


def test_cli_option_values_name_pools():
    assert question_pool("train") == "train"
    assert question_pool("heldout") == "held_out"  # the CLI's spelling keeps working
    with pytest.raises(InputError):
        question_pool("fresh")
