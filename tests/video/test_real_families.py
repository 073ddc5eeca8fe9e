"""The camera families drawn over real photographs: each direction shows what its captions say, training and
test photographs never overlap, and a clip of the train split is never drawn over a test photograph."""
from __future__ import annotations

import numpy as np
import pytest

from inference.video import imagery, synth
from inference.video.captions import families, templates
from inference.video.synth import REAL_FAMILIES, meaning, render_clip


def _clip(family: str, direction: str, seed: int = 0, imagery_pool: str = "train") -> np.ndarray:
    return render_clip(family, direction, np.random.default_rng(seed), "square", "red", "blue",
                       imagery=imagery_pool).astype(np.float32)


def _shift(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(dx, dy) by which the content of frame a moved to reach frame b (phase correlation)."""
    import cv2
    ga, gb = (cv2.cvtColor(f, cv2.COLOR_RGB2GRAY) for f in (a, b))
    (dx, dy), _ = cv2.phaseCorrelate(ga.astype(np.float64), gb.astype(np.float64))
    return dx, dy


def _sharpness(f: np.ndarray) -> float:
    import cv2
    return float(cv2.Laplacian(cv2.cvtColor(f, cv2.COLOR_RGB2GRAY), cv2.CV_32F).var())


def test_every_camera_family_has_captions_in_every_pool():
    for fam in REAL_FAMILIES:
        assert fam in families()
        for d in "AB":
            for pool in ("train", "held_out_original", "held_out_fresh"):
                assert templates(fam, d, pool), (fam, d, pool)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_pan_and_tilt_move_the_picture_the_way_the_captions_say(seed):
    a, b = _clip("pan", "A", seed), _clip("pan", "B", seed)
    # A: the camera pans right, so the picture slides left between neighbouring frames
    assert sum(_shift(a[k], a[k + 1])[0] for k in range(15)) < -3
    assert sum(_shift(b[k], b[k + 1])[0] for k in range(15)) > 3
    up, down = _clip("tilt", "A", seed), _clip("tilt", "B", seed)
    # A: the camera tilts up, so the picture slides down (image y grows downwards)
    assert sum(_shift(up[k], up[k + 1])[1] for k in range(15)) > 3
    assert sum(_shift(down[k], down[k + 1])[1] for k in range(15)) < -3


@pytest.mark.parametrize("seed", [0, 1])
def test_fade_and_focus_directions(seed):
    fade_in = _clip("fade", "A", seed)
    assert fade_in[-1].mean() > 4 * fade_in[0].mean()
    fade_out = _clip("fade", "B", seed)
    assert fade_out[0].mean() > 4 * fade_out[-1].mean()
    sharp_end = _clip("focus", "A", seed)
    assert _sharpness(sharp_end[-1]) > 1.3 * _sharpness(sharp_end[0])  # frame noise sharpens both
    blur_end = _clip("focus", "B", seed)
    assert _sharpness(blur_end[0]) > 1.3 * _sharpness(blur_end[-1])


def test_zoom_in_magnifies():
    z = _clip("zoom", "A", 3)
    # zooming in makes fine detail coarser: less high-frequency energy at the end than at the start
    assert _sharpness(z[0]) > _sharpness(z[-1])


def test_enter_brings_something_into_the_frame_and_leaving_is_its_reverse():
    a = _clip("enter", "A", 4)
    b = _clip("enter", "B", 4)
    # the last frame of "enter" differs from its first (something arrived); "leave" ends as "enter" starts
    assert np.abs(a[-1] - a[0]).mean() > 2
    assert np.abs(b[0] - b[-1]).mean() > 2


def test_train_and_test_photographs_never_overlap():
    train, test = set(imagery.photo_names("train")), set(imagery.photo_names("test"))
    assert train and test
    assert not train & test
    assert not {n for _, n in imagery.TRAIN_PHOTOS} & {n for _, n in imagery.TEST_PHOTOS}


def test_train_clips_are_drawn_over_train_photographs_only(monkeypatch, tmp_path):
    asked = []
    real = imagery.photos

    def spy(pool):
        asked.append(pool)
        return real(pool)
    monkeypatch.setattr(imagery, "photos", spy)
    n = len(families())
    synth.generate(tmp_path / "tr", n=n, seed=5, split="train")
    assert asked and set(asked) == {"train"}
    asked.clear()
    synth.generate(tmp_path / "te", n=n, seed=5, split="test")
    assert asked and set(asked) == {"test"}


def test_camera_clips_share_one_meaning_per_direction():
    assert meaning("pan", "A", "circle", "red", "blue") == meaning("pan", "A", "star", "green", "pink")
    assert meaning("pan", "A", "circle", "red", "blue") != meaning("pan", "B", "circle", "red", "blue")


def test_unknown_pool_is_a_clear_error():
    from inference.runtime.errors import InputError
    with pytest.raises(InputError):
        imagery.photos("nope")
