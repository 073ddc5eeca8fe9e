"""The parts trained on top of a frozen CLIP, and the two graphs exported to ONNX.

- `TemporalHead`: over the frozen per-frame CLIP image embeddings (unit vectors, T of them) — each frame with
  its change from the previous one, learned frame-position embeddings, a 2-layer pre-norm transformer, a
  class token — it adds a learned, order-aware vector to the frames' mean. Its last layer starts at zero, so
  before training the model is plain CLIP with frames averaged (order-blind).
- `TextAdapter`: a residual MLP on the frozen CLIP text embedding (last layer zero at the start), so that a
  caption and its reverse caption ("opens" / "closes"), which CLIP puts close together, can move apart.
- `VideoGraph` (frames float32 (batch, T, S, S, 3) RGB 0..255 → unit embedding: CLIP's mean/std applied in the
  graph, the image tower per frame, the head) and `TextGraph` (input_ids, attention_mask → unit embedding):
  what is exported.
- `info_nce`: the shipped models' symmetric InfoNCE (training/video/model.py), same-meaning pairs masked.
"""
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from .model import info_nce  # noqa: F401 - the one loss, shared with the shipped models


class _Block(nn.Module):
    """Pre-norm self-attention + MLP, written out in plain ops (exports to ONNX as is)."""

    def __init__(self, width: int, heads: int):
        super().__init__()
        self.heads = heads
        self.ln1, self.ln2 = nn.LayerNorm(width), nn.LayerNorm(width)
        self.qkv, self.out = nn.Linear(width, 3 * width), nn.Linear(width, width)
        self.mlp = nn.Sequential(nn.Linear(width, 2 * width), nn.GELU(), nn.Linear(2 * width, width))

    def forward(self, x):
        b, n, w = x.shape
        q, k, v = self.qkv(self.ln1(x)).reshape(b, n, 3, self.heads, w // self.heads).permute(2, 0, 3, 1, 4)
        att = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(w // self.heads), dim=-1)
        x = x + self.out((att @ v).transpose(1, 2).reshape(b, n, w))
        return x + self.mlp(self.ln2(x))


class TemporalHead(nn.Module):
    def __init__(self, dim: int, n_frames: int, width: int = 256, heads: int = 4, layers: int = 2):
        super().__init__()
        # the training frames' mean and spread per dimension (set by `standardise`): CLIP's embeddings share one
        # large common direction, which the head should not have to learn around
        self.register_buffer("mu", torch.zeros(dim))
        self.register_buffer("sigma", torch.ones(dim))
        self.inp = nn.Linear(2 * dim, width)
        self.pos = nn.Parameter(torch.randn(n_frames + 1, width) * 0.02)
        self.cls = nn.Parameter(torch.zeros(width))
        self.blocks = nn.ModuleList(_Block(width, heads) for _ in range(layers))
        self.ln = nn.LayerNorm(width)
        self.proj = nn.Linear(width, dim)
        nn.init.zeros_(self.proj.weight)
        nn.init.zeros_(self.proj.bias)

    def forward(self, f):
        """f: (batch, T, dim) unit per-frame embeddings -> (batch, dim) unit clip embedding."""
        z = (f - self.mu) / self.sigma
        diff = torch.cat([torch.zeros_like(z[:, :1]), z[:, 1:] - z[:, :-1]], dim=1)
        x = self.inp(torch.cat([z, diff], dim=-1))
        x = torch.cat([x[:, :1] * 0 + self.cls, x], dim=1) + self.pos
        for blk in self.blocks:
            x = blk(x)
        return F.normalize(F.normalize(f.mean(1), dim=-1) + self.proj(self.ln(x[:, 0])), dim=-1)


class TextAdapter(nn.Module):
    def __init__(self, dim: int, hidden: int = 512):
        super().__init__()
        self.register_buffer("mu", torch.zeros(dim))      # the training captions' mean and spread (`standardise`)
        self.register_buffer("sigma", torch.ones(dim))
        self.mlp = nn.Sequential(nn.Linear(dim, hidden), nn.GELU(), nn.Linear(hidden, hidden), nn.GELU(),
                                 nn.Linear(hidden, dim))
        nn.init.zeros_(self.mlp[-1].weight)
        nn.init.zeros_(self.mlp[-1].bias)

    def forward(self, e):
        """e: (batch, dim) unit CLIP text embeddings -> (batch, dim) unit embeddings."""
        return F.normalize(e + self.mlp((e - self.mu) / self.sigma), dim=-1)


def standardise(module, feats: torch.Tensor) -> None:
    """Set a head's or adapter's input statistics from training features (..., dim)."""
    x = feats.reshape(-1, feats.shape[-1]).float()
    module.mu.copy_(x.mean(0))
    module.sigma.copy_(x.std(0).clamp(min=1e-4))


class FrameEncoder(nn.Module):
    """frames (N, S, S, 3) RGB 0..255 -> (N, dim) unit CLIP image embeddings."""

    def __init__(self, clip, mean, std):
        super().__init__()
        self.vision, self.proj = clip.vision_model, clip.visual_projection
        self.register_buffer("mean", torch.tensor(mean, dtype=torch.float32).reshape(1, 3, 1, 1) * 255.0)
        self.register_buffer("std", torch.tensor(std, dtype=torch.float32).reshape(1, 3, 1, 1) * 255.0)

    def forward(self, x):
        x = (x.permute(0, 3, 1, 2) - self.mean) / self.std
        return F.normalize(self.proj(self.vision(pixel_values=x).pooler_output), dim=-1)


class CaptionEncoder(nn.Module):
    """(input_ids, attention_mask) -> (batch, dim) unit CLIP text embeddings (pooled at end-of-text)."""

    def __init__(self, clip):
        super().__init__()
        self.text, self.proj = clip.text_model, clip.text_projection

    def forward(self, ids, mask):
        return F.normalize(self.proj(self.text(input_ids=ids, attention_mask=mask).pooler_output), dim=-1)


class VideoGraph(nn.Module):
    def __init__(self, frames: FrameEncoder, head: TemporalHead):
        super().__init__()
        self.frames, self.head = frames, head

    def forward(self, x):
        b, t, s = x.shape[0], x.shape[1], x.shape[2]
        f = self.frames(x.reshape(b * t, s, s, 3))
        return self.head(f.reshape(b, t, -1))


class TextGraph(nn.Module):
    def __init__(self, captions: CaptionEncoder, adapter: TextAdapter):
        super().__init__()
        self.captions, self.adapter = captions, adapter

    def forward(self, ids, mask):
        return self.adapter(self.captions(ids, mask))


