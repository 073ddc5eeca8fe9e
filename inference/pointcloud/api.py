"""The functions the point-cloud panel runs as jobs (plain Python, no Qt): each takes `progress=` and
`is_cancelled=` and returns a plain result the panel draws.

- `load_cloud_job` / `load_view_image_job`: read a cloud / decode a view image (and its thumbnail);
- `reconstruct_and_compare`: the pipeline (`model.reconstruct`), then each output point's distance to a
  reference (the input by default);
- `compare_to`: distances of an existing cloud to a reference, no reconstruction;
- `save_cloud_job`: write a cloud with its per-point distances as a scalar field;
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from inference.runtime.cancel import check, sub_progress
from inference.runtime.media import fit_thumbnail, read_image

from . import ops
from .heatmap import auto_threshold
from .io import PointCloud, read_cloud, write_cloud
from .metrics import compare_clouds
from .model import VIEW_IMAGE_HINT, ReconResult, reconstruct


@dataclass
class ViewResult:
    """What the GUI shows after a reconstruction: the output, and its distance to a reference cloud."""
    recon: ReconResult | None
    xyz: np.ndarray                 # the cloud the distances belong to
    distances: np.ndarray           # per point of xyz, to the reference
    report: dict                    # compare_clouds report
    reference_name: str
    auto_threshold: float = 0.0     # heatmap.auto_threshold of the distances (the panel's starting threshold)

    def cloud(self) -> PointCloud:
        """The output with the input's colours, normals and fields (when reconstructed) and its distances."""
        pc = self.recon.cloud() if self.recon is not None else PointCloud(self.xyz)
        pc.scalars["distance"] = np.asarray(self.distances, np.float32)
        return pc


def reconstruct_and_compare(cloud, image=None, reference: np.ndarray | None = None, reference_name: str = "input",
                            *, progress=None, is_cancelled=None, **kw) -> ViewResult:
    """Reconstruct (a PointCloud keeps its colours, normals and fields), then measure each output point's
    distance to `reference` (the input when None)."""
    xyz = cloud.xyz if isinstance(cloud, PointCloud) else np.asarray(cloud)
    res = reconstruct(cloud, image, progress=sub_progress(progress, 0, 0.9), is_cancelled=is_cancelled, **kw)
    check(is_cancelled)
    if progress:
        progress(0.92, "measuring distances")
    ref = ops.check_points(xyz if reference is None else reference, "reference cloud")
    rep, d = compare_clouds(res.xyz, ref)
    if progress:
        progress(1.0, "done")
    return ViewResult(res, res.xyz, d, rep, reference_name, auto_threshold(d))


def compare_to(xyz: np.ndarray, reference: np.ndarray, reference_name: str = "reference", *, progress=None,
               is_cancelled=None) -> ViewResult:
    """Distances of an existing cloud to a reference (no reconstruction)."""
    check(is_cancelled)
    rep, d = compare_clouds(xyz, reference)
    if progress:
        progress(1.0, "done")
    return ViewResult(None, np.asarray(xyz), d, rep, reference_name, auto_threshold(d))


def load_cloud_job(path: str, drop_invalid: bool = False, *, progress=None, is_cancelled=None) -> PointCloud:
    """Read a cloud; NaN/inf points are dropped and `notes` says how many."""
    check(is_cancelled)
    pc = read_cloud(path, drop_invalid=drop_invalid)
    if progress:
        progress(1.0, f"{len(pc)} points")
    return pc


def save_cloud_job(path: str, xyz, distances: np.ndarray | None = None, *, progress=None,
                   is_cancelled=None) -> str:
    """Write a cloud (an array, or a PointCloud with its colours, normals and fields) with its distances."""
    pc = PointCloud(xyz.xyz, xyz.colors, xyz.normals, dict(xyz.scalars)) if isinstance(xyz, PointCloud) else PointCloud(xyz)
    if distances is not None:
        pc.scalars["distance"] = np.asarray(distances, np.float32)
    write_cloud(path, pc)
    return str(path)


def load_view_image_job(path: str, thumb_size: int = 128, *, progress=None,
                        is_cancelled=None) -> tuple[np.ndarray, np.ndarray]:
    """Decode a view image in the worker: (grayscale image, its thumbnail fitting thumb_size²), both uint8."""
    check(is_cancelled)
    im = read_image(path, "gray", hint=VIEW_IMAGE_HINT)
    return im, fit_thumbnail(im, thumb_size)
