"""Small seq2seq models: text (word transformer) or image (CNN) encoder + transformer decoder.

The decoder scores the next token with three heads: the main vocabulary (commands, 8-bit values,
angle tokens, flags), a 2×256 head for planar point tokens and a 3×256 head for 3D position tokens
(one token each; its distribution is factorised over the axes). Exported as two ONNX graphs:
``encoder`` and ``decoder`` (one step: the whole prefix in, scores of the next token out).
"""
from __future__ import annotations

import math

import torch
import torch.nn as nn
import torch.nn.functional as F

from inference.cad import tokens as T


# the shipped models: what each reads and how its sequence is tokenised
MODELS = {
    "cad-text": {"kind": "text", "scheme": "spatial"},
    "cad-text-plain": {"kind": "text", "scheme": "plain"},
    "cad-image": {"kind": "image", "scheme": "spatial"},
}
ARCH = {"d": 96, "heads": 4, "ff": 192, "enc_layers": 2, "dec_layers": 3}


class Attn(nn.Module):
    def __init__(self, d: int, heads: int):
        super().__init__()
        self.h = heads
        self.q = nn.Linear(d, d)
        self.kv = nn.Linear(d, 2 * d)
        self.o = nn.Linear(d, d)

    def forward(self, x, mem, causal: bool = False, key_pad=None):
        B, Tq, D = x.shape
        Tk = mem.shape[1]
        q = self.q(x).view(B, Tq, self.h, D // self.h).transpose(1, 2)
        k, v = self.kv(mem).chunk(2, dim=-1)
        k = k.reshape(B, Tk, self.h, D // self.h).transpose(1, 2)
        v = v.reshape(B, Tk, self.h, D // self.h).transpose(1, 2)
        att = (q @ k.transpose(-1, -2)) / math.sqrt(D // self.h)
        if causal:
            i = torch.arange(Tq, device=x.device)
            att = att.masked_fill(i[None, :] > i[:, None], float("-inf"))
        if key_pad is not None:
            att = att.masked_fill(key_pad[:, None, None, :], float("-inf"))
        y = torch.softmax(att, dim=-1) @ v
        return self.o(y.transpose(1, 2).reshape(B, Tq, D))


class Block(nn.Module):
    def __init__(self, d: int, heads: int, ff: int, cross: bool):
        super().__init__()
        self.n1 = nn.LayerNorm(d)
        self.sa = Attn(d, heads)
        self.cross = cross
        if cross:
            self.n2 = nn.LayerNorm(d)
            self.ca = Attn(d, heads)
        self.n3 = nn.LayerNorm(d)
        self.ff = nn.Sequential(nn.Linear(d, ff), nn.GELU(), nn.Linear(ff, d))

    def forward(self, x, mem=None, causal=False, pad=None, mem_pad=None):
        h = self.n1(x)
        x = x + self.sa(h, h, causal=causal, key_pad=pad)
        if self.cross:
            x = x + self.ca(self.n2(x), mem, key_pad=mem_pad)
        return x + self.ff(self.n3(x))


def number_features(itos: list) -> torch.Tensor:
    """Fixed features of each word's numeric value (zeros for words that are not numbers):
    [is_number, sin(v·f), cos(v·f) for 8 frequencies]. Lets the model relate "40" to "20"."""
    out = torch.zeros(len(itos), 17)
    freqs = [math.pi / 256 * 2 ** k for k in range(8)]
    for i, w in enumerate(itos):
        try:
            v = float(w)
        except ValueError:
            continue
        out[i, 0] = 1.0
        for k, f in enumerate(freqs):
            out[i, 1 + 2 * k] = math.sin(v * f)
            out[i, 2 + 2 * k] = math.cos(v * f)
    return out


class TextEncoder(nn.Module):
    def __init__(self, n_words: int, d: int, heads: int, ff: int, layers: int, max_len: int = 64,
                 itos: list | None = None):
        super().__init__()
        self.emb = nn.Embedding(n_words, d)
        feats = number_features(itos) if itos is not None else torch.zeros(n_words, 17)
        self.register_buffer("numfeat", feats)
        self.num_proj = nn.Linear(17, d)
        self.pos = nn.Parameter(torch.randn(max_len, d) * 0.02)
        self.blocks = nn.ModuleList([Block(d, heads, ff, False) for _ in range(layers)])
        self.norm = nn.LayerNorm(d)

    def forward(self, words):
        pad = words == 0
        x = self.emb(words) + self.num_proj(self.numfeat[words]) + self.pos[: words.shape[1]]
        for b in self.blocks:
            x = b(x, pad=pad)
        return self.norm(x), pad


class ImageEncoder(nn.Module):
    def __init__(self, d: int, heads: int, ff: int, layers: int, size: int = 96):
        super().__init__()
        c = [1, 16, 32, 48, d]
        convs = []
        for i in range(4):
            convs += [nn.Conv2d(c[i], c[i + 1], 3, stride=2, padding=1), nn.BatchNorm2d(c[i + 1]), nn.GELU(),
                      nn.Conv2d(c[i + 1], c[i + 1], 3, padding=1), nn.BatchNorm2d(c[i + 1]), nn.GELU()]
        self.cnn = nn.Sequential(*convs)
        g = size // 16
        self.pos = nn.Parameter(torch.randn(g * g, d) * 0.02)
        self.blocks = nn.ModuleList([Block(d, heads, ff, False) for _ in range(layers)])
        self.norm = nn.LayerNorm(d)

    def forward(self, img):  # (B, 1, H, W) float in [0, 1]
        f = self.cnn(img)
        x = f.flatten(2).transpose(1, 2) + self.pos
        for b in self.blocks:
            x = b(x)
        return self.norm(x), None


class Decoder(nn.Module):
    def __init__(self, d: int, heads: int, ff: int, layers: int, max_len: int = 128):
        super().__init__()
        self.main = nn.Embedding(T.MAIN, d)
        self.axis = nn.Embedding(5 * 256, d)  # pt x, pt y, pos x, pos y, pos z
        self.pos = nn.Parameter(torch.randn(max_len, d) * 0.02)
        self.blocks = nn.ModuleList([Block(d, heads, ff, True) for _ in range(layers)])
        self.norm = nn.LayerNorm(d)
        # output layers share their weights with the embeddings (keeps the model in its size budget)
        self.bias_main = nn.Parameter(torch.zeros(T.MAIN))
        self.bias_axis = nn.Parameter(torch.zeros(5 * 256))

    def embed(self, tok):
        is_pt = (tok >= T.PT0) & (tok < T.POS0)
        is_pos = tok >= T.POS0
        m = torch.where(is_pt | is_pos, torch.zeros_like(tok), tok)
        x = self.main(m)
        p = torch.clamp(tok - T.PT0, 0, 65535)
        px, py = p // 256, p % 256
        q = torch.clamp(tok - T.POS0, 0, 256 ** 3 - 1)
        qx, qy, qz = q // 65536, (q // 256) % 256, q % 256
        e_pt = self.axis(px) + self.axis(256 + py)
        e_pos = self.axis(512 + qx) + self.axis(768 + qy) + self.axis(1024 + qz)
        x = torch.where(is_pt[..., None], e_pt, x)
        x = torch.where(is_pos[..., None], e_pos, x)
        return x

    def hidden(self, tok, mem, mem_pad=None):
        x = self.embed(tok) + self.pos[: tok.shape[1]]
        for b in self.blocks:
            x = b(x, mem, causal=True, mem_pad=mem_pad)
        return self.norm(x)

    def heads(self, h):
        return F.linear(h, self.main.weight, self.bias_main), F.linear(h, self.axis.weight, self.bias_axis)

    def forward(self, tok, mem, mem_pad=None):
        return self.heads(self.hidden(tok, mem, mem_pad))


class Seq2Seq(nn.Module):
    def __init__(self, kind: str, n_words: int = 0, d: int = 96, heads: int = 4, ff: int = 256,
                 enc_layers: int = 2, dec_layers: int = 3, image_size: int = 96, itos: list | None = None):
        super().__init__()
        self.kind = kind
        if kind == "text":
            self.enc = TextEncoder(n_words, d, heads, ff, enc_layers, itos=itos)
        else:
            self.enc = ImageEncoder(d, heads, ff, enc_layers, image_size)
        self.dec = Decoder(d, heads, ff, dec_layers)

    def forward(self, src, tok):
        mem, pad = self.enc(src)
        return self.dec(tok, mem, pad)

    def loss(self, src, tok_in, target):
        """seq_loss without computing every head at every position (3-5x cheaper on a CPU)."""
        mem, pad = self.enc(src)
        h = self.dec.hidden(tok_in, mem, pad)
        return head_loss(self.dec, h, target)


def head_loss(dec: "Decoder", h, target):
    valid = target != T.PAD
    is_pt = (target >= T.PT0) & (target < T.POS0)
    is_pos = target >= T.POS0
    is_main = valid & ~is_pt & ~is_pos
    n = valid.sum().clamp(min=1)
    loss = h.new_zeros(())
    if is_main.any():
        lm = F.linear(h[is_main], dec.main.weight, dec.bias_main)
        loss = loss + F.cross_entropy(lm, target[is_main], reduction="sum")
    w = dec.axis.weight.view(5, 256, -1)
    bias = dec.bias_axis.view(5, 256)
    if is_pt.any():
        p = target[is_pt] - T.PT0
        hp = h[is_pt]
        loss = loss + F.cross_entropy(hp @ w[0].T + bias[0], p // 256, reduction="sum")
        loss = loss + F.cross_entropy(hp @ w[1].T + bias[1], p % 256, reduction="sum")
    if is_pos.any():
        q = target[is_pos] - T.POS0
        hq = h[is_pos]
        loss = loss + F.cross_entropy(hq @ w[2].T + bias[2], q // 65536, reduction="sum")
        loss = loss + F.cross_entropy(hq @ w[3].T + bias[3], (q // 256) % 256, reduction="sum")
        loss = loss + F.cross_entropy(hq @ w[4].T + bias[4], q % 256, reduction="sum")
    return loss / n


def seq_loss(main_logits, axis_logits, target):
    """Cross-entropy of the next token: main tokens on the main head, point/position tokens as the
    sum of their axes' cross-entropies. target: (B, T) ids with PAD=0 ignored."""
    B, Tn = target.shape
    valid = target != T.PAD
    is_pt = (target >= T.PT0) & (target < T.POS0)
    is_pos = target >= T.POS0
    is_main = valid & ~is_pt & ~is_pos
    loss = main_logits.new_zeros(())
    n = valid.sum().clamp(min=1)
    if is_main.any():
        loss = loss + F.cross_entropy(main_logits[is_main], target[is_main], reduction="sum")
    ax = axis_logits.view(B, Tn, 5, 256)
    if is_pt.any():
        p = target[is_pt] - T.PT0
        a = ax[is_pt]
        loss = loss + F.cross_entropy(a[:, 0], p // 256, reduction="sum") + F.cross_entropy(a[:, 1], p % 256, reduction="sum")
    if is_pos.any():
        q = target[is_pos] - T.POS0
        a = ax[is_pos]
        loss = loss + (F.cross_entropy(a[:, 2], q // 65536, reduction="sum")
                       + F.cross_entropy(a[:, 3], (q // 256) % 256, reduction="sum")
                       + F.cross_entropy(a[:, 4], q % 256, reduction="sum"))
    return loss / n


class EncoderGraph(nn.Module):
    def __init__(self, m: Seq2Seq):
        super().__init__()
        self.m = m

    def forward(self, src):
        mem, _ = self.m.enc(src)
        return mem


class DecoderStep(nn.Module):
    """Whole prefix in (batch 1), scores of the next token out."""

    def __init__(self, m: Seq2Seq):
        super().__init__()
        self.m = m

    def forward(self, memory, tokens):
        main, axis = self.m.dec(tokens, memory)
        return main[:, -1], axis[:, -1].reshape(-1, 5, 256)
