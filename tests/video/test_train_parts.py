"""Training-side shortcuts must be exact, not approximations."""
import pytest

torch = pytest.importorskip("torch")


def test_forward_with_reversed_equals_encoding_the_reversed_clips():
    from training.video.model import MeanPoolVideoEncoder, TemporalVideoEncoder
    torch.manual_seed(0)
    x = torch.rand(3, 16, 64, 64, 3) * 255
    for enc in (TemporalVideoEncoder(), MeanPoolVideoEncoder()):
        for m in enc.modules():          # dropout off; BatchNorm stays in training mode (batch statistics)
            if isinstance(m, torch.nn.Dropout):
                m.p = 0.0
        for train in (False, True):
            enc.train(train)
            a = enc.forward_with_reversed(x)
            b = enc(torch.cat([x, x.flip(1)], 0))
            assert a.shape == (6, 256)
            assert torch.allclose(a, b, atol=1e-5), (type(enc).__name__, train, (a - b).abs().max())


def test_new_training_phrasings_avoid_held_out_words():
    from inference.video.captions import EXTRA_TRAIN_2, FAMILIES
    held_out = ["anticlockwise", "anti-clockwise", "pivots", "whirls", "ajar", "latched", "sealed", "opaque",
                "transparent", "revealed", "illuminated", "gloomier", "dimmed", "night falls", "nearer", "gap"]
    for fam, dirs in EXTRA_TRAIN_2.items():
        for d, tpls in dirs.items():
            for t in tpls:
                assert t in FAMILIES[fam][d]["train"]
                assert t not in FAMILIES[fam][d]["test"]
                assert not any(w in t for w in held_out), t
