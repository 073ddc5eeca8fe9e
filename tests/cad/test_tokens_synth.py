"""Tokenisers, grammar, the procedural generator, descriptions, rendering and the metrics."""
from __future__ import annotations

import json
import re

import numpy as np
import pytest

from inference.cad import kernel, synth
from inference.cad import tokens as T
from inference.cad.io import read_deepcad_json
from inference.cad.metrics import acc_counts, chamfer, normalise_points
from inference.cad.model import dimension_numbers, prepare_text
from inference.cad.seq import to_vec
from inference.runtime.errors import InputError


@pytest.fixture(scope="module")
def parts():
    return synth.sample_parts(len(synth.FAMILIES) * 3, seed=11)


def test_every_family_builds_valid_solids(parts):
    assert {p.family for p in parts} == set(synth.FAMILIES)
    for p in parts:
        s = kernel.build(p.seq)
        assert s.valid and s.volume > 0, p.family


@pytest.mark.parametrize("scheme", T.SCHEMES)
def test_tokens_roundtrip_and_grammar_accepts(parts, scheme):
    for p in parts:
        v = to_vec(p.seq)
        toks = T.encode(v, scheme)
        assert (T.decode(toks, scheme) == v).all()
        g = T.Grammar(scheme)
        for t in toks[1:]:
            assert g.accepts(t), (p.family, t)
            g.push(t)
        assert g.done


def test_spatial_unfolding_is_shorter(parts):
    for p in parts:
        v = to_vec(p.seq)
        sp, pl = T.encode(v, "spatial"), T.encode(v, "plain")
        n_ext = int((v[:, 0] == 5).sum())
        n_curves = int(np.isin(v[:, 0], [0, 1, 2]).sum())
        # one token instead of two per sketch point, one instead of six per plane pose
        assert len(pl) - len(sp) == n_curves + 4 * n_ext


def test_position_and_angle_tokens_are_single_ids():
    v = to_vec(synth.make_part("side_boss", np.random.default_rng(0)).seq)
    toks = T.encode(v, "spatial")
    pos = [t for t in toks if t >= T.POS0]
    ang = [t for t in toks if T.ANG0 <= t < T.F0]
    assert len(pos) == 2 and len(ang) == 2
    row = v[v[:, 0] == 5][1]
    assert pos[1] - T.POS0 == (row[9] * 256 + row[10]) * 256 + row[11]


def test_grammar_rejects_malformed_sequences():
    g = T.Grammar("spatial")
    assert not g.accepts(T.EOS)  # no extrusion yet
    assert not g.accepts(T.LINE)  # a curve before SOL
    g.push(T.SOL)
    g.push(T.LINE)
    assert not g.accepts(T.VAL0 + 3)  # a line wants a point token
    with pytest.raises(InputError):
        T.decode([T.BOS, T.SOL, T.EXT], "spatial")


def test_angles_on_real_files_and_between_bins(shared_data):
    """Every real file that fits the vector encoding is encoded; one that does not is refused naming the limit."""
    n_between = n_angles = n_files = 0
    for f in sorted((shared_data / "deepcad").rglob("*.json")):
        seq = read_deepcad_json(f)
        scale = max(400.0, float(np.abs(kernel.build(seq).bbox).max()) / 0.75)  # the part fits the value range
        try:
            v = to_vec(seq, scale)
        except InputError as e:
            assert re.search(r"MAX_(EXT|LOOPS|CURVES|ROWS)", e.message), (f.name, e.message)
            continue
        n_files += 1
        n_between += T.angles_between_bins(v)
        n_angles += 3 * int((v[:, 0] == 5).sum())
    assert n_files >= 8 and n_angles > 0 and n_between <= n_angles


def test_descriptions_use_disjoint_templates(parts):
    rng = np.random.default_rng(0)
    for p in parts:
        train = {synth.describe_part(p, rng, "train") for _ in range(20)}
        test = {synth.describe_part(p, rng, "held_out") for _ in range(20)}
        assert not train & test
        for text in train | test:
            # every length of the part appears in mm
            assert dimension_numbers(text), text


def test_units_prepare_text():
    t, f, notes = prepare_text("a 40 x 20 x 5 mm plate with 4 holes of 6 mm")
    assert f == 1.0 and t == "a 40 x 20 x 5 mm plate with 4 holes of 6 mm"
    assert [v for _, _, v in dimension_numbers(t)] == [40, 20, 5, 6]
    t, f, notes = prepare_text("a 400 x 200 x 10 mm plate")
    assert f == pytest.approx(4.0) and t == "a 100 x 50 x 2.5 mm plate" and notes
    with pytest.raises(InputError):
        prepare_text("   ")


def test_synth_dataset_layout(tmp_path):
    idx = synth.synth_dataset(tmp_path / "ds", n=3, seed=5, n_desc=2, pool="held_out", views=("iso",),
                              image_size=64)
    assert len(idx["samples"]) == 3
    index = json.loads((tmp_path / "ds" / "index.json").read_text())
    assert index["held_out_templates"] is True and index["inputs"] == ["text", "image"]
    s = index["samples"][0]
    assert len(s["texts"]) == 2 and (tmp_path / "ds" / s["images"][0]).exists()
    seq = read_deepcad_json(tmp_path / "ds" / s["json"])
    assert kernel.build(seq).valid


def test_render_shows_the_part():
    p = synth.make_part("plate_hole", np.random.default_rng(1))
    v, f = kernel.mesh(kernel.build(p.seq))
    img = synth.render(v, f, 64, "iso")
    assert img.shape == (64, 64) and img.dtype == np.uint8
    assert 0.02 < (img > 0).mean() < 0.9


def test_metrics_on_identical_and_different_vectors():
    v = to_vec(synth.make_part("boss", np.random.default_rng(2)).seq)
    c_ok, n, p_ok, p_n = acc_counts(v, v)
    assert c_ok == n and p_ok == p_n > 0
    w = v.copy()
    w[1, 1] += 3  # off by 3 levels: wrong
    w[2, 1] += 2  # off by 2: right
    c2, _, p2, _ = acc_counts(v, w)
    assert c2 == n and p2 == p_n - 1
    assert acc_counts(v, None)[0] == 0
    a = np.random.default_rng(0).random((500, 3))
    assert chamfer(a, a) == 0.0
    assert chamfer(normalise_points(a), normalise_points(a * 3)) == pytest.approx(0.0, abs=1e-12)


def test_text_vocab_reads_other_forms_of_known_words_never_counts():
    """Shipped word forms (training/cad/forms.py, MiniLM): 'pitched' reads as 'pitch', a plural as its
    singular; a word the model never saw and that is no form of a known one stays <unk>; counts are never
    turned into another count."""
    from inference.cad.model import CadModel
    v = CadModel("cad-text").vocab
    ids = lambda t: [int(i) for i in v.encode(t)]   # noqa: E731
    assert ids("pitched corners centered") == ids("pitch corner centred")
    assert ids("diameters") == ids("diameter")
    assert ids("pierced") == [1]
    assert all(w not in v.forms or v.forms[w] not in ("one", "four") for w in ("three", "six", "fourth", "two"))
    assert ids("three") == [1] and ids("thin") == [1] and ids("boss") == ids("boss")


def test_the_grammar_forbids_a_curve_that_ends_where_it_starts():
    """A line or arc may not end at the previous curve's end (zero length) nor, from the loop's second curve on, at
    the first curve's end (closing there would give the first curve zero length): plain tokens mask the end's y,
    spatial tokens take the next point."""
    import numpy as np
    from inference.cad import tokens as T
    from inference.cad.model import CadModel
    g = T.Grammar("plain")
    for t in (T.SOL, T.LINE, T.VAL0 + 10, T.VAL0 + 20, T.LINE, T.VAL0 + 10):
        g.push(t)
    m = g.main_mask()
    assert not m[T.VAL0 + 20] and m[T.VAL0 + 21]          # (10, 20) again would be a zero-length line
    g.push(T.VAL0 + 40)
    assert g.loop_ends == [(10, 20), (10, 40)] and g.forbidden_ends() == []
    g.push(T.LINE)
    assert set(g.forbidden_ends()) == {(10, 40), (10, 20)}
    g.push(T.VAL0 + 10)
    assert not g.main_mask()[T.VAL0 + 20] and not g.main_mask()[T.VAL0 + 40]
    g.push(T.VAL0 + 60)
    g.push(T.SOL)
    assert g.loop_ends == []                               # a new loop starts free

    s = T.Grammar("spatial")
    for t in (T.SOL, T.LINE, T.PT0 + 5 * 256 + 7, T.LINE):
        s.push(t)
    axis = [np.full(256, -5.0, np.float32) for _ in range(5)]
    axis[0][5], axis[1][7], axis[1][9] = 5.0, 5.0, 4.0     # the model's best point is (5, 7), where the pen is
    tok, _, _ = CadModel._choose(None, s, np.zeros(T.MAIN, np.float32), axis, 0)
    assert tok == T.PT0 + 5 * 256 + 9
