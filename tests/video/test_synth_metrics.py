"""RTime-synth data set and the RTime metrics."""
from __future__ import annotations

import json

import numpy as np
import pytest

from inference.runtime.errors import InputError
from inference.video import metrics
from inference.video.captions import family_names, templates
from inference.video.synth import generate, render_clip, sample_spec

RTIME_KEYS = {"temporal", "reverse", "forward_captions", "reverse_captions", "forward_rewrites", "reverse_rewrites", "url"}


def test_at_least_12_families_each_with_two_directions():
    assert len(family_names()) >= 12
    for fam in family_names():
        for d in ("A", "B"):
            assert len(templates(fam, d, "train")) >= 5 and len(templates(fam, d, "held_out_original")) >= 3


def test_test_templates_never_used_for_training():
    for fam in family_names():
        train = set(templates(fam, "A", "train")) | set(templates(fam, "B", "train"))
        test = set(templates(fam, "A", "held_out_original")) | set(templates(fam, "B", "held_out_original"))
        assert not train & test, fam


def test_synth_writes_rtime_format(synth_dir):
    ann = json.loads((synth_dir / "test.json").read_text())
    assert len(ann) == 28
    for cid, item in ann.items():
        assert cid.isdigit() and (synth_dir / f"{cid}.mp4").stat().st_size > 0
        assert RTIME_KEYS <= set(item)
        assert len(item["forward_captions"]) == 1 and len(item["forward_rewrites"]) == 9
        assert item["forward_captions"][0] != item["reverse_captions"][0]
    fams = {v["family"] for v in ann.values()}
    assert fams == set(family_names())  # 28 clips = every family twice


def test_synth_both_split_and_bad_args(tmp_path):
    res = generate(tmp_path / "s", n=10, seed=1)
    assert res["train"] + res["test"] == 10 and res["test"] == 2
    with pytest.raises(InputError):
        generate(tmp_path / "x", n=0)


def test_reverse_direction_is_time_reversal():
    """Direction B renders progress 1 - p: a clip of A played backwards shows B's event."""
    rng = np.random.default_rng(3)
    spec = sample_spec(rng, "horizontal")
    clip = render_clip("horizontal", "A", np.random.default_rng(1), *spec[2:])
    # the object's centroid (brightest-difference mass) moves right in A
    diff = np.abs(clip.astype(int) - np.median(clip, axis=0)).sum(-1)
    xs = [np.average(np.arange(diff.shape[2]), weights=d.sum(0) + 1e-6) for d in diff]
    assert xs[-1] > xs[0] + 20


def test_metrics_conventions():
    sim = np.array([[0.9, 0.1, 0.2], [0.5, 0.4, 0.6], [0.1, 0.2, 0.3]])
    r = metrics.ranks(sim, np.arange(3))
    assert r.tolist() == [0, 2, 0]
    m = metrics.retrieval(r)
    assert m["R@1"] == pytest.approx(2 / 3) and m["MdR"] == 1.0 and m["MnR"] == pytest.approx(1 + 2 / 3)


def test_binary_ties_count_half_and_order_blind_scores_exactly_half():
    rng = np.random.default_rng(0)
    t_f, t_r = rng.normal(size=(20, 8)), rng.normal(size=(20, 8))
    v = rng.normal(size=(20, 8))
    b = metrics.binary(t_f, t_r, v, v.copy())  # an order-blind model: reversed clip == clip
    assert b["t2v_acc"] == 0.5
    # v2t is not a tie for an order-blind model, but over (clip, reversed clip) pairs it is exactly 50%
    assert b["v2t_acc"] == 0.5
    perfect = metrics.binary(v, -v, v, -v)
    assert perfect["t2v_acc"] == 1.0 and perfect["v2t_acc"] == 1.0


def test_hard_per_query_figures_add_up_to_the_totals():
    """The per-query Hard figures (used for Hard per family) average to the whole split's R@1 and its
    random-ties R@1; an order-blind model (a clip = its reversal) ties each query with the reversed copy."""
    rng = np.random.default_rng(3)
    unit = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)  # noqa: E731
    tf, tr, v, vr = (unit(rng.normal(size=(12, 8))) for _ in range(4))
    h = metrics.hard(tf, tr, v, vr, per_query=True)
    assert h["t2v_first"].shape == (24,) and h["t2v_first"].mean() == pytest.approx(h["t2v"]["R@1"])
    assert h["t2v_random"].mean() == pytest.approx(h["t2v"]["R@1_random_ties"])
    blind = metrics.hard(v, v, v, v, per_query=True)  # each caption = its clip, clip = reversed copy
    assert blind["t2v_first"].sum() == 0 and blind["t2v_random"] == pytest.approx(np.full(24, 0.5))
    assert "t2v_first" not in metrics.hard(tf, tr, v, vr)
