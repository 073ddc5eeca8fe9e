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


def test_flow_moments_reverse_and_mirror_identities_and_rotation_sign():
    import numpy as np
    from inference.video.synth import render_clip
    from training.video.model import FlowMoments, TemporalVideoEncoder
    import cv2
    fm = FlowMoments()
    clips = []
    for k, d in enumerate("ABAB"):
        f = render_clip("rotation", d, np.random.default_rng([9, k]), ["square", "star", "triangle", "diamond"][k], "red", "blue")
        clips.append(np.stack([cv2.resize(x, (64, 64), interpolation=cv2.INTER_AREA) for x in f]))
    x = torch.from_numpy(np.stack(clips)).float()
    m = fm(x)
    assert m.shape == (4, 15, 4)
    assert torch.allclose(fm(x.flip(1)), FlowMoments.reverse(m), atol=1e-5)     # what forward_with_reversed uses
    assert torch.allclose(fm(x.flip(3)), FlowMoments.mirror(m), atol=1e-3)      # what the mirror augmentation uses
    turn = torch.sign(m[:, :, 2].sum(1))   # summed rotation moment: one sign for clockwise (A), the other for B
    assert turn[0] != 0 and (turn[0::2] == turn[0]).all() and (turn[1::2] == -turn[0]).all()
    enc = TemporalVideoEncoder(moments=True).eval()
    with torch.no_grad():
        assert torch.allclose(enc.forward_with_reversed(x), enc(torch.cat([x, x.flip(1)])), atol=1e-5)
        assert torch.allclose(enc.forward_with_reversed(x, m), enc(torch.cat([x, x.flip(1)])), atol=1e-5)
