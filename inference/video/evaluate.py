"""The RTime evaluator: RTime-Origin, RTime-Hard and RTime-Binary on an RTime split file.

Reads RTime's own ``test.json`` (``{clip_id: {forward_captions, reverse_captions, …}}``) and the
user's videos named by clip id (any common video extension) in a folder. Scoring uses the human
captions only (``forward_captions`` / ``reverse_captions``), as RTime does; the reversed copies are
made on the fly by reversing the decoded frames.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path
from typing import Optional

import numpy as np

from inference.runtime.cancel import check, sub_progress
from inference.runtime.errors import InputError

from .decode import DecodeWorker
from .io import find_videos, load_annotations
from .metrics import all_metrics, binary

log = logging.getLogger(__name__)


def evaluate(annotations, videos, model: Optional[str] = None, limit: int = 0, registry=None,
             progress=None, is_cancelled=None) -> dict:
    """Run the three RTime tasks; returns the `--json` object of `mmwb video eval`."""
    from .model import VideoTextModel
    t0 = time.time()
    ann = load_annotations(annotations)
    ids = sorted(ann)
    found = find_videos(videos, ids)
    missing = [i for i in ids if i not in found]
    ids = [i for i in ids if i in found]
    if limit:
        ids = ids[:limit]
    if not ids:
        raise InputError(f"none of the {len(ann)} clips of {Path(annotations).name} is in {videos}",
                         "RTime ships URLs only: download the clips and name each <clip id>.mp4")
    m = VideoTextModel(model, registry=registry)
    clips, used, skipped = decode_clips(found, ids, m, sub_progress(progress, 0.0, 0.85), is_cancelled)
    check(is_cancelled)
    frames = np.stack(clips)
    if progress:
        progress(0.87, "encoding clips and their reversed copies")
    vid = m.encode_video(frames)
    vid_rev = m.encode_video(frames[:, ::-1])
    check(is_cancelled)
    has_rev = [bool(ann[i].get("reverse_captions")) for i in used]
    tf = m.encode_text([ann[i]["forward_captions"][0] for i in used])
    res = {"model": m.name, "n_clips": len(used), "missing_videos": len(missing), "skipped": skipped}
    from .metrics import origin, hard
    res["origin"] = origin(tf, vid)
    sel = np.array(has_rev)
    if sel.any():
        tr = m.encode_text([ann[i]["reverse_captions"][0] for i, h in zip(used, has_rev) if h])
        res["hard"] = hard(tf[sel], tr, vid[sel], vid_rev[sel], per_query=True)
        res["binary"] = binary(tf[sel], tr, vid[sel], vid_rev[sel])
        fams = sorted({ann[i].get("family") for i in used if ann[i].get("family")})
        if fams:
            per, per_hard = {}, {}
            ids_sel = [i for i, h in zip(used, has_rev) if h]
            fam_of = np.array([ann[i].get("family") for i in ids_sel] * 2)  # Hard queries: forward, then reverse
            for fam in fams:
                f = np.array([ann[i].get("family") == fam for i in ids_sel])
                if f.any():
                    b = binary(tf[sel][f], tr[f], vid[sel][f], vid_rev[sel][f])
                    per[fam] = {"t2v_acc": b["t2v_acc"], "v2t_acc": b["v2t_acc"], "n": b["n"]}
                    q = fam_of == fam  # Hard t2v over the whole gallery, the queries of this family only
                    per_hard[fam] = {"R@1": float(res["hard"]["t2v_first"][q].mean()),
                                     "R@1_random_ties": float(res["hard"]["t2v_random"][q].mean()), "n": int(q.sum())}
            res["binary_per_family"] = per
            res["hard_per_family"] = per_hard
        res["hard"].pop("t2v_first", None)
        res["hard"].pop("t2v_random", None)
    else:
        res["hard"] = None
        res["binary"] = None
    res["seconds"] = round(time.time() - t0, 1)
    res["tie_rule"] = "Binary: a tie (|difference| < 1e-5) counts 0.5. Ranks: ties count against the query."
    if progress:
        progress(1.0, "done")
    return res


def decode_clips(found: dict, ids: list, m, progress=None, is_cancelled=None) -> tuple[list, list, list]:
    """Each clip's frames as the model sees them (its first segment, the whole clip): (frames per clip,
    the ids decoded, [{"id", "reason"}] of those skipped)."""
    clips, used, skipped = [], [], []
    with DecodeWorker(timeout_s=60) as worker:
        for k, i in enumerate(ids):
            check(is_cancelled)
            try:
                segs = list(worker.segments(str(found[i]), is_cancelled=is_cancelled, n_frames=m.n_frames,
                                            size=m.size, segment_s=1e9))
            except InputError as e:
                skipped.append({"id": i, "reason": e.message})
                continue
            if not segs:
                skipped.append({"id": i, "reason": "no frames"})
                continue
            clips.append(segs[0].frames)
            used.append(i)
            if k % 20 == 0 and progress:
                progress((k + 1) / len(ids), f"decoded {k + 1}/{len(ids)} clips")
    if not used:
        raise InputError("no clip could be decoded", "check the video files")
    return clips, used, skipped


def format_table(res: dict) -> str:
    lines = [f"model {res['model']}: {res['n_clips']} clips"
             + (f" ({res['missing_videos']} missing videos)" if res.get("missing_videos") else "")
             + (f", {len(res['skipped'])} skipped" if res.get("skipped") else "")]
    hdr = f"{'task':<14}{'R@1':>7}{'R@5':>7}{'R@10':>7}{'MdR':>7}{'MnR':>8}"
    lines.append(hdr)
    for task in ("origin", "hard"):
        if not res.get(task):
            continue
        for d in ("t2v", "v2t"):
            r = res[task][d]
            lines.append(f"{task + ' ' + d:<14}{100 * r['R@1']:>7.1f}{100 * r['R@5']:>7.1f}{100 * r['R@10']:>7.1f}"
                         f"{r['MdR']:>7.1f}{r['MnR']:>8.1f}")
    if res.get("binary"):
        b = res["binary"]
        lines.append(f"binary        t2v {100 * b['t2v_acc']:.1f}%   v2t {100 * b['v2t_acc']:.1f}%   (chance 50%)")
    for fam, b in (res.get("binary_per_family") or {}).items():
        lines.append(f"  {fam:<12} t2v {100 * b['t2v_acc']:5.1f}%  v2t {100 * b['v2t_acc']:5.1f}%  (n={b['n']})")
    return "\n".join(lines)
