"""The functions the CAD panel runs as jobs (plain Python, no Qt): each takes `progress` and `is_cancelled` and
returns a plain result the panel only draws."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from inference.runtime.cancel import sub_progress
from inference.runtime.errors import InputError

from . import kernel
from .io import load_sequence

THUMB_W, THUMB_H = 200, 150  # the picture's preview box


def solid_result(seq):
    """Build + mesh + shade in the worker; returns (solid, vertices, faces, face colours) or raises InputError."""
    solid = kernel.build(seq)
    v, f = kernel.mesh(solid)
    return solid, v, f, kernel.face_shading(v, f)


def write_job(writer, obj, path, progress=None, is_cancelled=None):
    """Write a sequence or solid to a file in the worker (io.write_step, io.write_stl, io.write_deepcad_json)."""
    writer(obj, path)
    return path


def rebuild_job(seq, progress=None, is_cancelled=None):
    """An edited sequence → (solid, vertices, faces, face colours), in the worker; an invalid solid is an
    InputError."""
    built = solid_result(seq)
    if not built[0].valid:  # the reason names the failed checks (self-intersection, open loop, zero volume…)
        raise InputError(built[0].why_invalid(), "undo the change or try another value")
    return built


def generate_job(text=None, image=None, size_mm=50.0, model=None, n_candidates=3, progress=None,
                 is_cancelled=None):
    """A description (`text`) or a picture (`image`) → [{"cand": Candidate, "built": solid_result or None,
    "error": why it is invalid or None}], most likely first."""
    from .model import image_to_candidates, text_to_candidates
    p = progress or (lambda f, m="": None)
    if text is not None:
        cands = text_to_candidates(text, model=model or "cad-text", n_candidates=n_candidates,
                                   progress=sub_progress(p, 0, 0.8), is_cancelled=is_cancelled)
    else:
        cands = image_to_candidates(image, size_mm=size_mm, model=model or "cad-image",
                                    n_candidates=n_candidates, progress=sub_progress(p, 0, 0.8),
                                    is_cancelled=is_cancelled)
    out = []
    for i, c in enumerate(cands):
        p(0.8 + 0.2 * i / max(len(cands), 1), f"building candidate {i + 1}")
        built, err = None, c.error
        if c.seq is not None:
            try:
                built = solid_result(c.seq)
                if not built[0].valid:
                    err, built = built[0].why_invalid(), None
            except InputError as e:
                err = e.one_line()
        out.append({"cand": c, "built": built, "error": err})
    return out


def candidate_label(i: int, result: dict) -> str:
    """One line for the candidate list: its rank, probability and whether its solid is valid."""
    ok = result["built"] is not None
    return f"{i + 1}. p={math.exp(result['cand'].logprob):.3f}  " + ("valid" if ok else "INVALID")


def first_valid(results: list) -> int:
    """The index of the most likely candidate whose solid is valid (0 when none is)."""
    return next((i for i, r in enumerate(results) if r["built"] is not None), 0)


def load_picture_job(path, width=THUMB_W, height=THUMB_H, progress=None, is_cancelled=None):
    """Decode a dropped picture in the worker → (the picture as image_to_candidates takes it: gray, BGR or BGRA
    uint8; its preview fitting width × height: gray, RGB or RGBA uint8). A bad file is an InputError."""
    from inference.runtime.media import fit_thumbnail

    from .imageprep import read_picture
    img = read_picture(path)
    thumb = fit_thumbnail(img, width, height)
    if thumb.ndim == 3:  # OpenCV's BGR(A) → RGB(A) for QImage
        thumb = np.ascontiguousarray(thumb[:, :, [2, 1, 0, 3][:thumb.shape[2]]])
    return img, thumb


def load_job(path, progress=None, is_cancelled=None):
    """A sequence file (DeepCAD JSON, .vec, .npy) → {"seq", "built" (solid_result or None), "error", "path"}; an
    unreadable file is an InputError, a sequence whose solid does not build is reported in "error"."""
    p = Path(path)
    seq = load_sequence(p)
    try:
        built = solid_result(seq)
        err = built[0].why_invalid() or None
    except InputError as e:
        built, err = None, e.one_line()
    return {"seq": seq, "built": built, "error": err, "path": str(p)}
