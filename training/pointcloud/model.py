"""The point-cloud reconstructor (torch): FPS+KNN patch tokens, optional image cross-attention,
transformer, and a per-point head that moves each input point and folds new points around it.

Inputs (indices and frames computed outside the graph by inference.pointcloud.prepare):
  points [B,N,3], frames [B,N,3,3] (per-point PCA frame: t1, t2, normal), centers_idx [B,G], group_idx [B,G,K], local_idx [B,N,k], interp_idx [B,N,3],
  interp_w [B,N,3], seeds [R,2], mls [B,N,M,3] (each point's move onto M classical MLS quadrics),
  image [B,1,S,S] (multimodal only; S = 64, or 128 with pixel-aligned features),
  pix [B,N,2] (pixel-aligned variant only: each point's place in the view, grid_sample coordinates)
Outputs: moved [B,N,3], added [B,N,R,3]  (in the normalised frame).
"""
from __future__ import annotations

import torch
from torch import nn


def gather(x: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
    """x [B,N,C], idx [B,...] int64 → [B,...,C]."""
    B, C = x.shape[0], x.shape[-1]
    flat = idx.reshape(B, -1, 1).expand(-1, -1, C)
    out = torch.gather(x, 1, flat)
    return out.reshape(*idx.shape, C)


def mlp(*dims: int, last_act: bool = False) -> nn.Sequential:
    layers: list[nn.Module] = []
    for i in range(len(dims) - 1):
        layers.append(nn.Linear(dims[i], dims[i + 1]))
        if i < len(dims) - 2 or last_act:
            layers.append(nn.GELU())
    return nn.Sequential(*layers)


class MiniPointNet(nn.Module):
    """Point-MAE style patch embedding: shared MLP → max-pool → concat global → MLP → max-pool."""

    def __init__(self, dim: int):
        super().__init__()
        self.first = mlp(3, 32, 64)
        self.second = mlp(128, 128, last_act=True)
        self.out = nn.Linear(128, dim)

    def forward(self, rel: torch.Tensor) -> torch.Tensor:  # rel [B,G,K,3]
        f = self.first(rel)
        g = f.max(dim=2, keepdim=True).values.expand_as(f)
        f = self.second(torch.cat([f, g], -1))
        return self.out(f.max(dim=2).values)


class Block(nn.Module):
    """Pre-norm transformer block; with `kv` given it is a cross-attention block."""

    def __init__(self, dim: int, heads: int, ff: int):
        super().__init__()
        self.n1 = nn.LayerNorm(dim)
        self.nkv = nn.LayerNorm(dim)
        self.attn = nn.MultiheadAttention(dim, heads, batch_first=True)
        self.n2 = nn.LayerNorm(dim)
        self.ff = mlp(dim, ff, dim)

    def forward(self, x: torch.Tensor, kv: torch.Tensor | None = None) -> torch.Tensor:
        q = self.n1(x)
        k = q if kv is None else self.nkv(kv)
        x = x + self.attn(q, k, k, need_weights=False)[0]
        return x + self.ff(self.n2(x))


PIX_DIM = 32


class ImageEncoder(nn.Module):
    """A small ViT: 8×8 patches of a 64×64 grayscale view → 64 tokens. With `pixel`, the view comes at
    128×128 (pooled to 64 for the ViT) and a small dilated CNN also gives every point the features of the
    pixel it falls on (pixel-aligned, as the view's camera is fixed in the normalised frame)."""

    def __init__(self, dim: int, depth: int = 2, heads: int = 4, patch: int = 8, size: int = 64,
                 pixel: bool = False):
        super().__init__()
        self.proj = nn.Conv2d(1, dim, patch, patch)
        self.pos = nn.Parameter(torch.zeros(1, (size // patch) ** 2, dim))
        nn.init.normal_(self.pos, std=0.02)
        self.blocks = nn.ModuleList([Block(dim, heads, dim * 2) for _ in range(depth)])
        self.has_pixel = pixel
        if pixel:
            c = PIX_DIM
            self.pixel = nn.Sequential(
                nn.Conv2d(1, 16, 3, padding=1), nn.GELU(), nn.Conv2d(16, c, 3, padding=1), nn.GELU(),
                nn.Conv2d(c, c, 3, padding=2, dilation=2), nn.GELU(), nn.Conv2d(c, c, 3, padding=4, dilation=4),
                nn.GELU(), nn.Conv2d(c, c, 1))

    def pixel_features(self, img: torch.Tensor, pix: torch.Tensor) -> torch.Tensor:
        """img [B,1,128,128], pix [B,N,2] → [B,N,PIX_DIM]."""
        f = self.pixel(img * 2 - 1)
        g = nn.functional.grid_sample(f, pix.unsqueeze(2), mode="bilinear", padding_mode="border",
                                      align_corners=False)                   # [B,C,N,1]
        return g.squeeze(-1).transpose(1, 2)

    def forward(self, img: torch.Tensor) -> torch.Tensor:
        if self.has_pixel:
            img = nn.functional.avg_pool2d(img, 2)
        t = self.proj(img * 2 - 1).flatten(2).transpose(1, 2) + self.pos
        for b in self.blocks:
            t = b(t)
        return t


class Reconstructor(nn.Module):
    def __init__(self, multimodal: bool = True, dim: int = 160, heads: int = 4, enc_depth: int = 3,
                 dec_depth: int = 2, local_dim: int = 48, head_dim: int = 96, fold_dim: int = 64, n_mls: int = 3,
                 pixel: bool = False):
        super().__init__()
        self.multimodal = multimodal
        self.pixel = multimodal and pixel
        self.patch = MiniPointNet(dim)
        self.pos = mlp(3, 128, dim)
        self.encoder = nn.ModuleList([Block(dim, heads, dim * 2) for _ in range(enc_depth)])
        if multimodal:
            self.image = ImageEncoder(dim, pixel=self.pixel)
            self.cross = Block(dim, heads, dim * 2)
        self.decoder = nn.ModuleList([Block(dim, heads, dim * 2) for _ in range(dec_depth)])
        self.norm = nn.LayerNorm(dim)
        self.local = mlp(4, 24, local_dim, last_act=True)
        self.point = mlp(local_dim + dim + 3 + 1 + 3 * n_mls + (PIX_DIM if self.pixel else 0), 128, head_dim,
                         last_act=True)
        self.gate = nn.Linear(head_dim, n_mls + 1)   # stay put, or one of the MLS estimates
        self.disp = mlp(head_dim, 48, 3)
        self.fold_h = nn.Linear(head_dim, fold_dim)
        self.fold_s = nn.Linear(2, fold_dim)
        self.fold = nn.Sequential(nn.GELU(), nn.Linear(fold_dim, 32), nn.GELU(), nn.Linear(32, 3))
        self.scale = nn.Linear(head_dim, 1)
        self.disc = 1.0  # seed disc radius in units of the mean neighbour distance (the prior)
        with torch.no_grad():
            for lin in (self.disp[-1], self.fold[-1], self.scale, self.gate):
                lin.weight.zero_()
                lin.bias.zero_()

    def forward(self, points, frames, centers_idx, group_idx, local_idx, interp_idx, interp_w, seeds, mls, image=None,
                pix=None):
        # local neighbourhood of every point, in its PCA frame (rows t1, t2, n) and in units of its spacing
        nb = gather(points, local_idx) - points.unsqueeze(2)                 # [B,N,k,3]
        nd = torch.sqrt((nb * nb).sum(-1, keepdim=True) + 1e-12)              # [B,N,k,1]
        spacing = nd[:, :, 1:, :].mean(2).clamp_min(1e-4)                     # [B,N,1] mean neighbour distance
        loc = torch.einsum("bnkc,bndc->bnkd", nb, frames)                     # [B,N,k,3] local coordinates
        loc_in = torch.cat([loc / spacing.unsqueeze(2), nd / spacing.unsqueeze(2)], -1)
        local = self.local(loc_in).max(dim=2).values                          # [B,N,L]
        # patch tokens
        centers = gather(points, centers_idx)                                  # [B,G,3]
        rel = gather(points, group_idx) - centers.unsqueeze(2)                 # [B,G,K,3]
        tok = self.patch(rel) + self.pos(centers)
        for blk in self.encoder:
            tok = blk(tok)
        if self.multimodal:
            tok = self.cross(tok, self.image(image))
        for blk in self.decoder:
            tok = blk(tok)
        tok = self.norm(tok)
        # back to points: inverse-distance interpolation of the 3 nearest tokens
        tf = (gather(tok, interp_idx) * interp_w.unsqueeze(-1)).sum(2)         # [B,N,D]
        c1 = gather(centers, interp_idx[:, :, 0])                              # [B,N,3]
        rel_c = torch.einsum("bnc,bndc->bnd", points - c1, frames)
        mls_loc = torch.einsum("bnmc,bndc->bnmd", mls, frames) / spacing.unsqueeze(2)   # [B,N,M,3]
        feats = [local, tf, rel_c, torch.log(spacing), mls_loc.flatten(2)]
        if self.pixel:
            feats.append(self.image.pixel_features(image, pix))
        h = self.point(torch.cat(feats, -1))
        # geometric prior + learned residuals (all residual layers start at zero):
        #   moved = the point + a learned blend of (no move, its MLS estimates) + spacing · Δ(local frame)
        #   added = moved + spacing · (s · disc seed in the tangent plane + δ(local frame))
        g = torch.softmax(self.gate(h), -1)                                   # [B,N,M+1]
        cand = torch.cat([torch.zeros_like(mls[:, :, :1]), mls], 2)           # [B,N,M+1,3]
        moved = points + (g.unsqueeze(-1) * cand).sum(2) + spacing * torch.einsum("bnd,bndc->bnc", self.disp(h), frames)
        scale = self.disc * torch.exp(self.scale(h))                          # [B,N,1]
        disc = torch.einsum("rd,bndc->bnrc", seeds, frames[:, :, :2, :])      # [B,N,R,3]
        hs = self.fold_h(h).unsqueeze(2) + self.fold_s(seeds).unsqueeze(0).unsqueeze(0)  # [B,N,R,F]
        resid = torch.einsum("bnrd,bndc->bnrc", self.fold(hs), frames)
        added = moved.unsqueeze(2) + spacing.unsqueeze(2) * (scale.unsqueeze(2) * disc + resid)
        return moved, added
