"""Distance heat map of a cloud, for the GUI: viridis colours 0…threshold, red above, and a histogram.

Pure numpy (no Qt); vectorised so that 500k points take a few milliseconds.
"""
from __future__ import annotations

import numpy as np

# viridis (matplotlib's, CC0), 256 entries, RGB uint8
_VIRIDIS_HEX = (
    "44015444025645045745055946075a46085c460a5d460b5e470d60470e61471063471164471365481467481668481769"
    "48186a481a6c481b6d481c6e481d6f481f70482071482173482374482475482576482677482878482979472a7a472c7a"
    "472d7b472e7c472f7d46307e46327e46337f463480453581453781453882443983443a83443b84433d84433e85423f85"
    "4240864241864142874144874045884046883f47883f48893e49893e4a893e4c8a3d4d8a3d4e8a3c4f8a3c508b3b518b"
    "3b528b3a538b3a548c39558c39568c38588c38598c375a8c375b8d365c8d365d8d355e8d355f8d34608d34618d33628d"
    "33638d32648e32658e31668e31678e31688e30698e306a8e2f6b8e2f6c8e2e6d8e2e6e8e2e6f8e2d708e2d718e2c718e"
    "2c728e2c738e2b748e2b758e2a768e2a778e2a788e29798e297a8e297b8e287c8e287d8e277e8e277f8e27808e26818e"
    "26828e26828e25838e25848e25858e24868e24878e23888e23898e238a8d228b8d228c8d228d8d218e8d218f8d21908d"
    "21918c20928c20928c20938c1f948c1f958b1f968b1f978b1f988b1f998a1f9a8a1e9b8a1e9c891e9d891f9e891f9f88"
    "1fa0881fa1881fa1871fa28720a38620a48621a58521a68522a78522a88423a98324aa8325ab8225ac8226ad8127ad81"
    "28ae8029af7f2ab07f2cb17e2db27d2eb37c2fb47c31b57b32b67a34b67935b77937b87838b9773aba763bbb753dbc74"
    "3fbc7340bd7242be7144bf7046c06f48c16e4ac16d4cc26c4ec36b50c46a52c56954c56856c66758c7655ac8645cc863"
    "5ec96260ca6063cb5f65cb5e67cc5c69cd5b6ccd5a6ece5870cf5773d05675d05477d1537ad1517cd2507fd34e81d34d"
    "84d44b86d54989d5488bd6468ed64590d74393d74195d84098d83e9bd93c9dd93ba0da39a2da37a5db36a8db34aadc32"
    "addc30b0dd2fb2dd2db5de2bb8de29bade28bddf26c0df25c2df23c5e021c8e020cae11fcde11dd0e11cd2e21bd5e21a"
    "d8e219dae319dde318dfe318e2e418e5e419e7e419eae51aece51befe51cf1e51df4e61ef6e620f8e621fbe723fde725"
)
VIRIDIS = np.frombuffer(bytes.fromhex("".join(_VIRIDIS_HEX)), np.uint8).reshape(256, 3)
_LUT = np.concatenate([VIRIDIS, np.full((256, 1), 255, np.uint8)], 1)  # RGBA
ABOVE_RGBA = (230, 64, 51, 255)  # points farther than the threshold
_ABOVE_U32 = np.array([ABOVE_RGBA], np.uint8).view(np.uint32)[0, 0]
HIST_BINS = 60


def colormap(values, vmin: float, vmax: float) -> np.ndarray:
    """Scalar values → (N, 4) uint8 RGBA through viridis; vmin and below → first colour, vmax and above → last
    (NaN → first)."""
    span = max(float(vmax) - float(vmin), 1e-12)
    x = np.subtract(np.asarray(values).reshape(-1), vmin, dtype=np.float32)
    x *= np.float32(255.0 / span)
    np.fmax(x, 0, out=x)  # fmax/fmin also turn NaN into the bound
    np.fmin(x, 255, out=x)
    np.rint(x, out=x)
    return _LUT[x.astype(np.uint8)]


def threshold_colours(distances, threshold: float) -> tuple[np.ndarray, int]:
    """Per-point colours for a distance threshold: viridis over 0…threshold, ABOVE_RGBA above it.

    Returns ((N, 4) uint8 RGBA, number of points above the threshold)."""
    d = np.asarray(distances).reshape(-1)
    t = max(float(threshold), 1e-12)
    cols = colormap(d, 0.0, t)
    above = d > t
    np.putmask(cols.view(np.uint32), above[:, None], _ABOVE_U32)  # one 4-byte write per point
    return cols, int(np.count_nonzero(above))


def distance_histogram(distances, threshold: float, bins: int = HIST_BINS) -> tuple[np.ndarray, np.ndarray]:
    """Histogram of distances over 0 … 1.05 · max(99th percentile, threshold); the last bin also holds the
    tail beyond. Returns (edges (bins+1,) float64, counts (bins,) int64)."""
    d = np.asarray(distances).reshape(-1)
    hi = float(np.quantile(d, 0.99)) if len(d) else 1.0
    top = max(hi, float(threshold)) * 1.05 or 1.0
    counts, edges = np.histogram(np.minimum(d, top), bins=bins, range=(0.0, top))
    return edges, counts


AUTO_PERCENTILE = 95.0  # the automatic threshold: this percentile of the distances


def auto_threshold(distances, percentile: float = AUTO_PERCENTILE) -> float:
    """The distance threshold the panel starts from: a high percentile of the distances, so that only the
    farthest few percent are painted red (a fixed fraction of the radius can lie below almost every
    distance of a scan). 0 for an empty or all-zero array."""
    d = np.asarray(distances, np.float64).reshape(-1)
    d = d[np.isfinite(d)]
    return float(np.percentile(d, percentile)) if len(d) else 0.0
