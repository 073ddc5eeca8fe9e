"""Pre-processing of the learned stage, shared by inference and training (numpy only).

The tokenizer's index work (farthest point sampling of patch centres, k-nearest-neighbour groups,
each point's local neighbourhood, each point's three nearest centres) is done here, outside the
ONNX graph; the graph receives the indices and gathers.
"""
from __future__ import annotations

import math

import numpy as np
from scipy.spatial import cKDTree

from .ops import fps, quadric_patches, sunflower_seeds

GROUP_K = 32      # points per patch token
LOCAL_K = 16      # neighbours of each point for its local feature
IMG_SIZE = 64     # the model's image input (grayscale)
PIXEL_IMG_SIZE = 128  # the image input of a model with pixel-aligned features (its ViT sees it pooled to 64)
VIEW_EXTENT = 1.1     # the view covers ±VIEW_EXTENT of the normalised frame (synth.render)
MLS_K = (12, 24, 48)  # neighbourhood sizes of the classical surface estimates handed to the model


def num_centres(n: int) -> int:
    return int(np.clip(n // 16, 16, 256))


def num_new_per_point(n: int, target: int) -> int:
    """How many points each input point emits so that n·(r+1) ≥ target."""
    return int(np.clip(math.ceil(target / max(n, 1)) - 1, 1, 64))


def prepare(xyz_n: np.ndarray, target: int = 16384) -> dict:
    """Index tensors for one normalised cloud (N, 3) → dict of arrays with a leading batch dim of 1."""
    n = len(xyz_n)
    x = xyz_n.astype(np.float32)
    g = num_centres(n)
    cidx = fps(x, g)
    tree = cKDTree(x)
    _, grp = tree.query(x[cidx], k=min(GROUP_K, n))
    _, loc = tree.query(x, k=min(LOCAL_K, n))
    ctree = cKDTree(x[cidx])
    cd, cn = ctree.query(x, k=3)
    w = 1.0 / np.maximum(cd, 1e-6)
    w = w / w.sum(1, keepdims=True)
    r = num_new_per_point(n, target)
    return {
        "frames": local_frames(x, loc)[None],
        "points": x[None],
        "centers_idx": cidx[None].astype(np.int64),
        "group_idx": grp[None].astype(np.int64),
        "local_idx": loc[None].astype(np.int64),
        "interp_idx": cn[None].astype(np.int64),
        "interp_w": w[None].astype(np.float32),
        "seeds": sunflower_seeds(r),
        "mls": mls_offsets(x)[None],
        "pix": pixel_coords(x)[None],
    }


def pixel_coords(x: np.ndarray) -> np.ndarray:
    """Where each point of the normalised frame falls in the view (orthographic along synth.VIEW_DIR), as
    grid_sample coordinates in [-1, 1] (x right, y down; align_corners=False): (N, 2) float32."""
    from .synth import view_basis
    q = x.astype(np.float64) @ view_basis().T
    return np.stack([q[:, 0] / VIEW_EXTENT, -q[:, 1] / VIEW_EXTENT], 1).astype(np.float32)


def mls_offsets(x: np.ndarray) -> np.ndarray:
    """Per point, its move onto the moving-least-squares quadric of its k nearest neighbours, for each
    k in MLS_K: (N, len(MLS_K), 3). Small k keeps detail (clean input), large k averages noise away;
    the model chooses per point."""
    out = np.zeros((len(x), len(MLS_K), 3), np.float32)
    if len(x) <= 6:
        return out
    x = x.astype(np.float64)
    nbrs = cKDTree(x).query(x, k=min(max(MLS_K), len(x)))  # one query serves every k
    for i, k in enumerate(MLS_K):
        fr, coef = quadric_patches(x, k, nbrs)
        out[:, i] = coef[:, :1] * fr[:, 2]
    return out


def local_frames(x: np.ndarray, nbr_idx: np.ndarray) -> np.ndarray:
    """Per point, the PCA frame of its neighbourhood: rows t1 (largest spread), t2, n (normal). (N, 3, 3)."""
    nb = x[nbr_idx].astype(np.float64)
    p = nb - nb.mean(1, keepdims=True)
    cov = np.einsum("nki,nkj->nij", p, p, optimize=True)
    _, v = np.linalg.eigh(cov)                      # ascending eigenvalues, vectors in columns
    fr = np.stack([v[:, :, 2], v[:, :, 1], v[:, :, 0]], 1)
    # a deterministic sign: t1 and n point away from the cloud's centroid where they can
    c = x.mean(0)
    for row in (0, 2):
        flip = np.einsum("ni,ni->n", fr[:, row], x - c) < 0
        fr[flip, row] *= -1
    fr[:, 1] = np.cross(fr[:, 2], fr[:, 0])          # right-handed
    return fr.astype(np.float32)


def image_input(image: np.ndarray | None, size: int = IMG_SIZE) -> np.ndarray:
    """A view (H, W[, C]) uint8/float → (1, 1, size, size) float32 in [0, 1]; zeros when no image."""
    if image is None:
        return np.zeros((1, 1, size, size), np.float32)
    import cv2
    im = np.asarray(image)
    if im.ndim == 3:
        im = cv2.cvtColor(im[..., :3].astype(np.uint8), cv2.COLOR_RGB2GRAY) if im.shape[2] >= 3 else im[..., 0]
    im = im.astype(np.float32)
    if im.max() > 1.5:
        im = im / 255.0
    if im.shape != (size, size):
        im = cv2.resize(im, (size, size), interpolation=cv2.INTER_AREA)
    return im[None, None].astype(np.float32)
