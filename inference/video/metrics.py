"""RTime metrics from embedding matrices (numpy only; CLIP4Clip's metric conventions).

rank = 0-based position of the correct item; R@K = fraction of queries with rank < K;
MdR = median(rank) + 1; MnR = mean(rank) + 1.  Ties in a ranking count against the query
(the correct item is placed after every item with an equal score).  In RTime-Binary a tie counts
as half a success, so an order-blind model scores exactly 0.5.
"""
from __future__ import annotations

import numpy as np

TIE_EPS = 1e-5  # cosine differences below this are ties (float summation order is not exact)


def ranks(sim: np.ndarray, correct: np.ndarray) -> np.ndarray:
    """sim: [queries, items]; correct[q] = index of q's correct item (or a boolean matrix of
    correct items, the best-ranked one counts). Returns 0-based ranks."""
    sim = np.asarray(sim, np.float64)
    if correct.ndim == 1:
        pos = sim[np.arange(len(sim)), correct]
        others = sim.copy()
        others[np.arange(len(sim)), correct] = -np.inf
    else:
        pos = np.where(correct, sim, -np.inf).max(1)
        others = np.where(correct, -np.inf, sim)
    return (others >= pos[:, None] - TIE_EPS).sum(1)


def tie_split(sim: np.ndarray, correct: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(items scoring strictly higher than the correct one, items tied with it) per query."""
    sim = np.asarray(sim, np.float64)
    idx = np.arange(len(sim))
    pos = sim[idx, correct]
    others = sim.copy()
    others[idx, correct] = np.nan
    higher = (others > pos[:, None] + TIE_EPS).sum(1)
    tied = (np.abs(others - pos[:, None]) <= TIE_EPS).sum(1)
    return higher, tied


def retrieval(r: np.ndarray, sim: np.ndarray | None = None, correct: np.ndarray | None = None) -> dict:
    r = np.asarray(r)
    out = {"R@1": float((r < 1).mean()), "R@5": float((r < 5).mean()), "R@10": float((r < 10).mean()),
           "MdR": float(np.median(r) + 1), "MnR": float(r.mean() + 1), "n": int(len(r))}
    if sim is not None:
        # the expected R@1 if ties were broken at random (an order-blind model ties a clip with its reversal)
        higher, tied = tie_split(sim, correct)
        out["R@1_random_ties"] = float(np.where(higher == 0, 1.0 / (1 + tied), 0.0).mean())
    return out


def origin(text_f: np.ndarray, vid: np.ndarray) -> dict:
    """RTime-Origin: forward captions vs original clips (caption i belongs to clip i)."""
    sim = text_f @ vid.T
    idx = np.arange(len(vid))
    return {"t2v": retrieval(ranks(sim, idx)), "v2t": retrieval(ranks(sim.T, idx))}


def hard(text_f, text_r, vid, vid_rev, per_query: bool = False) -> dict:
    """RTime-Hard: the gallery holds each original and its reversed copy; a reversed copy is paired
    with its reverse caption. per_query: also "t2v_first" (per query, 1.0 when its item ranks first) and
    "t2v_random" (its R@1 with ties broken at random), queries in order forward captions, then reverse."""
    T = np.concatenate([text_f, text_r])
    V = np.concatenate([vid, vid_rev])
    sim = T @ V.T
    idx = np.arange(len(V))
    r = ranks(sim, idx)
    out = {"t2v": retrieval(r, sim, idx), "v2t": retrieval(ranks(sim.T, idx), sim.T, idx)}
    if per_query:
        higher, tied = tie_split(sim, idx)
        out["t2v_first"] = (r < 1).astype(np.float64)
        out["t2v_random"] = np.where(higher == 0, 1.0 / (1 + tied), 0.0)
    return out


def _win(pos: np.ndarray, neg: np.ndarray) -> np.ndarray:
    d = pos - neg
    return np.where(np.abs(d) < TIE_EPS, 0.5, (d > 0).astype(float))


def binary(text_f, text_r, vid, vid_rev) -> dict:
    """RTime-Binary over both the original and the reversed clips, each with its own caption.
    t2v: a caption chooses between the clip and its reversed copy; v2t: a clip chooses between its
    forward and reverse caption. Ties count 0.5."""
    s_ff = (text_f * vid).sum(1)      # forward caption, original clip (correct)
    s_fr = (text_f * vid_rev).sum(1)  # forward caption, reversed clip
    s_rr = (text_r * vid_rev).sum(1)  # reverse caption, reversed clip (correct)
    s_rf = (text_r * vid).sum(1)      # reverse caption, original clip
    t2v = np.concatenate([_win(s_ff, s_fr), _win(s_rr, s_rf)])
    v2t = np.concatenate([_win(s_ff, s_rf), _win(s_rr, s_fr)])
    return {"t2v_acc": float(t2v.mean()), "v2t_acc": float(v2t.mean()), "n": int(len(vid)),
            "ties_t2v": int((np.abs(s_ff - s_fr) < TIE_EPS).sum() + (np.abs(s_rr - s_rf) < TIE_EPS).sum())}


def all_metrics(text_f, text_r, vid, vid_rev) -> dict:
    return {"origin": origin(text_f, vid), "hard": hard(text_f, text_r, vid, vid_rev),
            "binary": binary(text_f, text_r, vid, vid_rev)}


def template_binary(text: np.ndarray, meta: list[tuple], vid: np.ndarray, vid_rev: np.ndarray) -> dict:
    """RTime-Binary text->video accuracy per caption template (see synth.template_queries): each
    caption chooses between its clip and the reversed copy; a tie counts 0.5. Returns the mean over
    templates, per family, and the worst templates."""
    from collections import defaultdict
    per = defaultdict(list)
    idx = np.array([m[0] for m in meta], dtype=int)
    own = np.array([m[1] for m in meta], dtype=bool)
    s_fwd, s_rev = (text * vid[idx]).sum(1), (text * vid_rev[idx]).sum(1)
    wins = _win(np.where(own, s_fwd, s_rev), np.where(own, s_rev, s_fwd))
    for (_, _, fam, d, tpl), w in zip(meta, wins):
        per[(fam, d, tpl)].append(float(w))
    acc = {k: float(np.mean(v)) for k, v in per.items()}
    fams = defaultdict(list)
    for (fam, _, _), a in acc.items():
        fams[fam].append(a)
    return {"t2v_acc": float(np.mean(list(acc.values()))) if acc else float("nan"), "templates": len(acc),
            "per_family": {f: round(float(np.mean(v)), 3) for f, v in sorted(fams.items())},
            "worst": [[round(a, 3), f, d, t] for (f, d, t), a in sorted(acc.items(), key=lambda kv: kv[1])[:12]],
            "per_template": [[round(a, 4), f, d, t] for (f, d, t), a in acc.items()]}
