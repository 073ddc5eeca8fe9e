"""DeepCAD's metrics (definitions in :mod:`inference.cad.evaluate`): ACC_cmd / ACC_param counts on 17-column
vectors, and the Chamfer distance between two normalised point clouds."""
from __future__ import annotations

import numpy as np

from . import seq as S

TOL = 3


def acc_counts(gt: np.ndarray, pred: np.ndarray | None) -> tuple[int, int, int, int]:
    """(commands right, GT rows, parameters right, parameters counted)."""
    n_rows = len(gt)
    if pred is None:
        return 0, n_rows, 0, sum(len(S.CMD_ARGS[int(r[0])]) for r in gt)
    cmd_ok = par_ok = par_n = 0
    for i, g in enumerate(gt):
        cmd = int(g[0])
        used = S.CMD_ARGS[cmd]
        if i < len(pred) and int(pred[i][0]) == cmd:
            cmd_ok += 1
            for j in used:
                par_n += 1
                if j in S.CATEGORICAL_COLS:
                    par_ok += int(pred[i][j] == g[j])
                else:
                    par_ok += int(abs(int(pred[i][j]) - int(g[j])) < TOL)
    return cmd_ok, n_rows, par_ok, par_n


def normalise_points(p: np.ndarray) -> np.ndarray:
    return p / max(float(np.abs(p).max()), 1e-12)


def chamfer(a: np.ndarray, b: np.ndarray) -> float:
    from scipy.spatial import cKDTree
    da, _ = cKDTree(b).query(a)
    db, _ = cKDTree(a).query(b)
    return float(np.mean(da ** 2) + np.mean(db ** 2))
