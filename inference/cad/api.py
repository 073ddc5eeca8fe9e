"""The functions the CAD panel runs as jobs (plain Python, no Qt): each takes `progress` and `is_cancelled` and
returns a plain result the panel only draws."""
from __future__ import annotations

import math
from pathlib import Path

import numpy as np

from inference.runtime.cancel import check, sub_progress
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


class Generated(list):
    """generate_job's result: the candidate dicts, most likely first, and `.reader`, the plain reader's verdict
    (read_description) for a description (None for a picture)."""
    reader: dict | None = None


def read_description(text: str) -> dict:
    """The plain reader's verdict on a description: {"status": "read" | "missing" | "partial", "message": one line
    for the GUI/CLI, "units": the units read (or None), "family", "reading": plain.Reading or None}. Text that
    describes no part at all is an InputError (plain.NotAPart)."""
    from . import plain
    try:
        r = plain.read(text)
    except plain.NotAPart:
        raise
    except plain.MissingDimension as e:
        return {"status": "missing", "message": e.one_line(), "units": None, "family": None, "reading": None}
    except InputError as e:  # read, but the part cannot be made as described (a hole outside the part…)
        return {"status": "partial", "message": "the description was read but " + e.one_line(), "units": None,
                "family": None, "reading": None}
    if not r.understood:
        return {"status": "partial", "message": r.verdict(), "units": r.units, "family": r.family, "reading": r}
    return {"status": "read", "message": r.verdict(), "units": r.units, "family": r.family, "reading": r}


def _reader_candidate(reading):
    from .model import Candidate
    return Candidate(tokens=[], logprob=math.log(reading.confidence), min_margin=1.0, seq=reading.seq,
                     notes=list(reading.notes))


def candidates(text=None, image=None, size_mm=50.0, model=None, n_candidates=3, progress=None,
               is_cancelled=None) -> tuple:
    """(the reader's verdict or None for a picture, [(source "reader" | "model", Candidate, guess)]): a description
    the plain reader understands gives the first candidate, the model the rest (n_candidates in all); when the
    reader cannot read it, every candidate is the model's guess."""
    from .model import image_to_candidates, text_to_candidates
    check(is_cancelled)
    if text is None:
        cands = image_to_candidates(image, size_mm=size_mm, model=model, n_candidates=n_candidates,
                                    progress=progress, is_cancelled=is_cancelled)
        return None, [("model", c, False) for c in cands]
    verdict = read_description(text)
    pairs = [("reader", _reader_candidate(verdict["reading"]), False)] if verdict["status"] == "read" else []
    if n_candidates > len(pairs):
        cands = text_to_candidates(text, model=model, n_candidates=n_candidates - len(pairs),
                                   progress=progress, is_cancelled=is_cancelled)
        pairs += [("model", c, not pairs) for c in cands]
    return verdict, pairs


def generate_job(text=None, image=None, size_mm=50.0, model=None, n_candidates=3, progress=None,
                 is_cancelled=None):
    """A description (`text`) or a picture (`image`) → Generated([{"cand": Candidate, "built": solid_result or
    None, "error": why it is invalid or None, "source": "reader" | "model", "guess": whether the reader could not
    read the description}]), most likely first (see `candidates`); `.reader` is the reader's verdict, whose
    "message" names a missing dimension."""
    p = progress or (lambda f, m="": None)
    verdict, pairs = candidates(text, image, size_mm, model, n_candidates, sub_progress(p, 0, 0.8), is_cancelled)
    out = Generated()
    out.reader = verdict
    for i, (source, c, guess) in enumerate(pairs):
        p(0.8 + 0.2 * i / max(len(pairs), 1), f"building candidate {i + 1}")
        built, err = None, c.error
        if c.seq is not None:
            try:
                built = solid_result(c.seq)
                if not built[0].valid:
                    err, built = built[0].why_invalid(), None
            except InputError as e:
                err = e.one_line()
        out.append({"cand": c, "built": built, "error": err, "source": source, "guess": guess})
    return out


def candidate_label(i: int, result: dict) -> str:
    """One line for the candidate list: its rank, where it came from (read from the description, the model's
    probability, a guess) and whether its solid is valid."""
    ok = "valid" if result["built"] is not None else "INVALID"
    if result.get("source") == "reader":
        return f"{i + 1}. read from the description  {ok}"
    guess = "guess, " if result.get("guess") else ""
    return f"{i + 1}. {guess}p={math.exp(result['cand'].logprob):.3f}  {ok}"


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
