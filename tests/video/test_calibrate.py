"""Scores a user can trust (#16 item 3): the calibration fit, match strengths, "too close to call", and real
footage from ../shared/data/videos reported as "none"/"weak" in `--json` and in the panel."""
from __future__ import annotations

import json
import shutil

import numpy as np
import pytest

from inference.cli import main
from inference.video import api
from inference.video.calibrate import (DIRECTION_ACCURACY, direction_call, direction_margin, fit_calibration, judge,
                                       pair_scores, stored_calibration, write_calibration)

from .conftest import MODELS, needs_models

CAL = {"strong": 0.7, "weak": 0.55, "direction_margin": 0.032, "logistic": {"a": 20.0, "b": -11.0, "prior": 0.5},
       "held_out": {"direction_called": 0.95}}
NOTHING_KNOWN = ("a cartoon rabbit", "fire", "a person riding a bike")


def _distributions(seed=0):
    rng = np.random.default_rng(seed)
    matching = rng.normal(0.8, 0.08, 400)
    nonmatching = rng.normal(0.0, 0.2, 20000)
    right = rng.normal(0.3, 0.1, 760)              # clear direction calls, all right
    noisy = rng.normal(0.0, 0.01, 200)             # small differences, half of them wrong
    return matching, nonmatching, np.concatenate([np.abs(right), noisy])


def test_fit_calibration_thresholds_and_margin():
    m, n, d = _distributions()
    cal = fit_calibration(m, n, d)
    assert cal["weak"] == pytest.approx(np.quantile(m, 0.02), abs=1e-4)
    assert cal["strong"] == pytest.approx(max(np.quantile(n, 0.995), cal["weak"]), abs=1e-4)
    ho = cal["held_out"]
    assert ho["matching_none"] == pytest.approx(0.02, abs=0.005) and ho["nonmatching_strong"] <= 0.0051
    assert 0.005 < cal["direction_margin"] < 0.05  # the noisy differences fall within it, the clear calls beyond
    assert ho["direction_called_right"] >= DIRECTION_ACCURACY
    a, b = cal["logistic"]["a"], cal["logistic"]["b"]
    assert a > 0 and 1 / (1 + np.exp(-(a * 0.8 + b))) > 0.9 and 1 / (1 + np.exp(-(a * 0.0 + b))) < 0.1


def test_order_blind_model_never_calls_a_direction():
    m, n, _ = _distributions()
    cal = fit_calibration(m, n, np.full(800, 1e-7))  # a clip and its reversal score alike
    assert cal["held_out"]["direction_called"] == 0.0 and direction_margin(np.full(10, 1e-7)) >= 1e-5
    assert direction_call(0.5, 0.5 - 1e-7, cal) == "too close"
    assert "order-blind" in api.direction_of(0.5, 0.5, cal)["verdict"]


def test_pair_scores_shapes():
    rng = np.random.default_rng(1)
    unit = lambda x: x / np.linalg.norm(x, axis=1, keepdims=True)  # noqa: E731
    t, r, v, vr = (unit(rng.normal(size=(5, 8))) for _ in range(4))
    ps = pair_scores(t, r, v, vr)
    assert ps["matching"].shape == (5,) and ps["nonmatching"].shape == (20,) and ps["direction"].shape == (10,)
    assert ps["matching"][2] == pytest.approx(float(t[2] @ v[2]))


def test_judge_and_direction_too_close_to_call():
    assert judge(0.8, CAL)["match"] == "strong" and judge(0.6, CAL)["match"] == "weak"
    assert judge(0.3, CAL) == {"match": "none", "p_match": pytest.approx(1 / (1 + np.exp(5)), abs=1e-4)}
    assert judge(0.3, None) == {"match": None, "p_match": None}
    # the old verdict "better played BACKWARDS (by +0.031)" on noise: now within the margin
    view = api.direction_of(0.60, 0.631, CAL, "weak")
    assert view["call"] == "too close" and not view["backwards"]
    assert view["verdict"].startswith("Too close to call: forward and reversed differ by 0.031")
    weak = api.direction_of(0.60, 0.70, CAL, "weak")   # beyond the margin, but a weak match: no call
    assert not weak["backwards"] and weak["call"] == "too close" and weak["verdict"].startswith("Weak match")
    assert api.direction_of(0.60, 0.75, CAL, "strong")["backwards"]
    assert "as it plays" in api.direction_of(0.80, 0.50, CAL, "strong")["verdict"]
    none = api.direction_of(0.20, 0.40, CAL, "none")
    assert not none["backwards"] and none["verdict"].startswith("No match")


def test_judged_hits_captions_and_styles():
    man = {"name": "m", "calibration": CAL}
    hits = api.judge_hits([{"path": "/v/a.mp4", "start": 0.0, "end": 4.0, "score": s, "score_reversed": r}
                           for s, r in ((0.8, 0.2), (0.6, 0.7), (0.2, 0.5))], man)
    assert [h["match"] for h in hits] == ["strong", "weak", "none"]
    # only a strong match gets a direction call: which way a weak or non-match fits better is noise
    assert [h["direction"] for h in hits] == ["forward", "too close", "too close"]
    assert api.hit_caption(hits[2]).endswith("score +0.200 · no match")
    assert [api.hit_style(h) for h in hits] == [{"grey": False, "faded": False, "red": False},
                                                {"grey": False, "faded": True, "red": False},
                                                {"grey": True, "faded": False, "red": False}]
    assert "better played backwards" not in api.hit_tooltip(hits[1]) and "no match" in api.hit_tooltip(hits[2])
    rgb = np.zeros((4, 4, 3), np.uint8)
    rgb[..., 0] = 200
    grey = api.shown_thumb(rgb, hits[2])
    assert grey[0, 0, 0] == grey[0, 0, 1] == grey[0, 0, 2] and api.shown_thumb(rgb, hits[0]) is rgb
    assert not api.nothing_matches(hits) and api.nothing_matches(hits[1:]) and not api.nothing_matches([])
    assert api.search_summary(hits, 3) == "3 of 3 hits shown — 1 strong, 1 weak, 1 none"
    # a calibration fitted for other weights is not used
    stale = {"name": "m", "components": {"video": {"sha256": "new"}},
             "calibration": dict(CAL, model_sha256={"video": "old"})}
    assert stored_calibration(stale) is None and api.judge_hits([dict(hits[0])], stale)[0]["match"] is None


@needs_models
def test_calibrate_on_a_tiny_synthetic_set(tmp_path, synth_dir, capsys):
    from inference.runtime.registry import Registry
    assert main(["video", "calibrate", "--annotations", str(synth_dir / "test.json"), "--videos", str(synth_dir),
                 "--quiet", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    cal = res["calibration"]
    assert res["model"] == "video-temporal" and res["n_clips"] == 28 and cal["strong"] >= cal["weak"]
    assert cal["held_out"]["matching"]["n"] == 28 and cal["held_out"]["nonmatching"]["n"] == 28 * 27
    # --write-manifest's writer: only "calibration" and "calibrated_by" change (on a copy of the manifest)
    shutil.copy(MODELS / "video-temporal.json", tmp_path / "video-temporal.json")
    before = json.loads((tmp_path / "video-temporal.json").read_text())
    reg = Registry(dirs=[(tmp_path, "user")])
    write_calibration("video-temporal", cal, "mmwb video calibrate …", registry=reg)
    after = json.loads((tmp_path / "video-temporal.json").read_text())
    assert {k: v for k, v in after.items() if k not in ("calibration", "calibrated_by")} == \
        {k: v for k, v in before.items() if k not in ("calibration", "calibrated_by")}
    assert after["calibrated_by"] == "mmwb video calibrate …" and after["calibration"]["strong"] == cal["strong"]
    assert stored_calibration(after) is not None


@pytest.fixture(scope="module")
def shared_data_module():
    """../shared/data (the `shared_data` fixture, for module-scoped fixtures)."""
    from tests.conftest import SHARED_DATA
    if not SHARED_DATA.is_dir():
        pytest.skip("../shared/data is not present")
    return SHARED_DATA


@pytest.fixture(scope="module")
def real_library(tmp_path_factory, request):
    """An index of the real clips of ../shared/data/videos plus three synthetic clips."""
    shared = request.getfixturevalue("shared_data_module")
    synth = request.getfixturevalue("synth_dir")
    videos = shared / "videos"
    if not any(videos.glob("*.mp4")):
        pytest.skip("no real clips in ../shared/data/videos")
    d = tmp_path_factory.mktemp("real_lib")
    db = d / "lib.db"
    ann = json.loads((synth / "test.json").read_text())
    ids = sorted(ann)[:3]
    syn = d / "synth"
    syn.mkdir()
    for i in ids:
        shutil.copy(synth / f"{i}.mp4", syn / f"{i}.mp4")
    assert main(["video", "index", str(videos), str(syn), "--db", str(db), "--quiet"]) == 0
    return {"db": db, "videos": videos, "captions": {i: ann[i]["forward_captions"][0] for i in ids}}


def _search(db, query, capsys, k=8):
    assert main(["video", "search", query, "--db", str(db), "-k", str(k), "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@needs_models
@pytest.mark.parametrize("query", NOTHING_KNOWN)
def test_real_clips_match_nothing_the_model_knows(real_library, query, capsys):
    res = _search(real_library["db"], query, capsys)
    real = [h for h in res["hits"] if h["path"].startswith(str(real_library["videos"]))]
    assert real and all(h["match"] in ("none", "weak") for h in real)
    assert all(h["match"] in ("none", "weak") for h in res["hits"])
    assert res["model"] == "video-temporal" and all(0 <= h["p_match"] <= 1 for h in res["hits"])


@needs_models
def test_plain_text_search_says_nothing_matches(real_library, capsys):
    db = real_library["db"].parent / "real_only.db"
    assert main(["video", "index", str(real_library["videos"]), "--db", str(db), "--quiet"]) == 0
    capsys.readouterr()
    res = _search(db, "a cartoon rabbit", capsys)
    assert res["nothing_matches"] and "Nothing in the library matches" in res["message"]
    assert "people, animals, vehicles" in res["message"]  # what the model does not know, from its card
    assert main(["video", "search", "a cartoon rabbit", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Nothing in the library matches") and "no match" in out and "BACKWARDS" not in out


@needs_models
def test_a_synthetic_matching_query_is_strong(real_library, capsys):
    found = []
    for clip_id, caption in real_library["captions"].items():
        res = _search(real_library["db"], caption, capsys, k=3)
        own = next(h for h in res["hits"] if clip_id in h["path"])
        found.append(own["match"])
    assert "strong" in found and "none" not in found


@pytest.mark.gui
@needs_models
def test_panel_tags_real_clips(qtbot, video_panel, real_library):
    panel = video_panel
    panel.db_path = str(real_library["db"])
    panel.query.setText("a cartoon rabbit")
    with qtbot.waitSignal(panel.search_done, timeout=60000) as sig:
        panel.run_search()
    hits = sig.args[0]
    real = [i for i, h in enumerate(hits) if h["path"].startswith(str(real_library["videos"]))]
    assert real
    for i in real:
        text = panel.grid.item(i).text()
        assert text.endswith("no match") or text.endswith("weak match")
        assert ("no match" in panel.grid.item(i).toolTip()) or ("weak match" in panel.grid.item(i).toolTip())
    assert "Red caption" in panel.legend.text() and "strong match" in panel.legend.text()
    if all(h["match"] == "none" for h in hits):
        assert panel.no_match.isVisibleTo(panel) and "Nothing in the library matches" in panel.no_match.text()
    first = hits[0]
    if first["match"] == "none":
        assert panel.direction.verdict.text().startswith("No match")
