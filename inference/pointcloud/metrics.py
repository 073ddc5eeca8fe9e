"""Cloud-to-cloud metrics: Chamfer (L1, L2), F-Score@τ, Hausdorff, per-point distances (no Qt/torch)."""
from __future__ import annotations

from dataclasses import dataclass, asdict

import numpy as np
from scipy.spatial import cKDTree

from .ops import check_points


def nn_distance(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Distance from each point of src to its nearest point of dst."""
    d, _ = cKDTree(dst).query(src, k=1, workers=1)
    return d


@dataclass
class Scores:
    cd_l1: float      # ×10³
    cd_l2: float      # ×10³
    fscore: float
    precision: float
    recall: float
    hausdorff: float
    n_pred: int
    n_gt: int

    def as_dict(self) -> dict:
        return asdict(self)


def score(pred: np.ndarray, gt: np.ndarray, tau: float = 0.01) -> Scores:
    """CD-L1 = ½(mean d(p,Q) + mean d(q,P)), CD-L2 = mean d² + mean d² (both ×10³), F@tau."""
    pred = check_points(pred, "prediction")
    gt = check_points(gt, "reference cloud")
    dp = nn_distance(pred, gt)
    dq = nn_distance(gt, pred)
    prec = float((dp < tau).mean())
    rec = float((dq < tau).mean())
    f = 2 * prec * rec / (prec + rec) if prec + rec > 0 else 0.0
    return Scores(cd_l1=float(0.5 * (dp.mean() + dq.mean()) * 1e3), cd_l2=float(((dp ** 2).mean() + (dq ** 2).mean()) * 1e3),
                  fscore=f, precision=prec, recall=rec, hausdorff=float(max(dp.max(), dq.max())),
                  n_pred=len(pred), n_gt=len(gt))


def compare_clouds(a: np.ndarray, b: np.ndarray, tau_rel: float = 0.01) -> tuple[dict, np.ndarray]:
    """Compare cloud A against reference B in B's units.

    τ for the F-score is `tau_rel` × B's radius (max distance from its centroid); CD figures are given
    both in file units and in B's normalised frame (×10³, comparable with the evaluator).
    Returns (report dict, per-point distance of each A point to B).
    """
    a = check_points(a, "cloud A")
    b = check_points(b, "cloud B")
    radius = float(np.linalg.norm(b - b.mean(0), axis=1).max()) or 1.0
    tau = tau_rel * radius
    da = nn_distance(a, b)
    db = nn_distance(b, a)
    prec, rec = float((da < tau).mean()), float((db < tau).mean())
    f = 2 * prec * rec / (prec + rec) if prec + rec > 0 else 0.0
    rep = {
        "n_a": len(a), "n_b": len(b), "radius_b": radius, "tau": tau, "tau_rel": tau_rel,
        "cd_l1": float(0.5 * (da.mean() + db.mean())), "cd_l2": float((da ** 2).mean() + (db ** 2).mean()),
        "cd_l1_norm_e3": float(0.5 * (da.mean() + db.mean()) / radius * 1e3),
        "cd_l2_norm_e3": float(((da ** 2).mean() + (db ** 2).mean()) / radius ** 2 * 1e3),
        "fscore": f, "precision": prec, "recall": rec,
        "hausdorff": float(max(da.max(), db.max())), "hausdorff_a_to_b": float(da.max()),
        "hausdorff_b_to_a": float(db.max()), "mean_a_to_b": float(da.mean()), "mean_b_to_a": float(db.mean()),
    }
    return rep, da
