"""Text / image → construction sequence with the shipped ONNX models, decoding in numpy.

Decoding is constrained by :class:`inference.cad.tokens.Grammar`, so every output is a well-formed
sequence; whether its solid builds is checked afterwards and reported, never hidden.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from inference.runtime.cancel import check, sub_progress
from inference.runtime.errors import InputError

from . import tokens as T
from .seq import CADSequence, from_vec

MAX_DIM_MM = 110.0  # the generator's parts fit in this; larger descriptions are scaled for the model


@dataclass
class Candidate:
    tokens: list
    logprob: float
    min_margin: float  # smallest gap between the chosen and the runner-up probability at any step
    vec: np.ndarray | None = None
    seq: CADSequence | None = None
    error: str | None = None  # why the tokens do not give a sequence (should not happen: grammar)
    notes: list = field(default_factory=list)


def _log_softmax(x: np.ndarray) -> np.ndarray:
    m = x.max()
    return x - m - math.log(np.exp(x - m).sum())


class CadModel:
    """One of cad-text, cad-text-plain, cad-image, loaded through the platform registry."""

    def __init__(self, name: str = "cad-text", registry=None):
        from inference.runtime.registry import get_registry
        reg = registry or get_registry()
        self.name = name
        self.manifest = reg.get(name)
        pre = self.manifest.preprocessing
        self.scheme = pre.get("scheme", "spatial")
        self.input = pre.get("input", "text")
        self.scale_mm = float(pre.get("scale_mm", 64.0))
        self.max_tokens = int(pre.get("max_tokens", 127))
        self.image_size = int(pre.get("image_size", 96))
        self.enc = reg.session(name, "encoder")
        self.dec = reg.session(name, "decoder")
        self.vocab = None
        if self.input == "text":
            self.vocab = T.TextVocab.from_text(self.manifest.asset("vocab").read_text(encoding="utf-8"))
            if "forms" in self.manifest.assets:   # optional: other forms of the known words (training/cad/forms.py)
                self.vocab = T.TextVocab(self.vocab.itos, T.TextVocab.forms_from_text(
                    self.manifest.asset("forms").read_text(encoding="utf-8")))

    # ------------------------------------------------------------------ encoders
    def encode_text(self, text: str, cancel=None) -> np.ndarray:
        if self.vocab is None:
            raise InputError(f"model {self.name} reads images, not text", "use cad-text or pass an image")
        ids = self.vocab.encode(text, 64)
        if len(ids) == 0:
            raise InputError("the description is empty", "describe the part, e.g. 'a 40 x 20 x 5 mm plate'")
        return self.enc.run({"words": ids[None]}, cancel=cancel)["memory"]

    def encode_image(self, img: np.ndarray, cancel=None) -> np.ndarray:
        if self.input != "image":
            raise InputError(f"model {self.name} reads text, not images", "use cad-image or pass --text")
        x = img.astype(np.float32)[None, None] / 255.0
        return self.enc.run({"image": x}, cancel=cancel)["memory"]

    # ------------------------------------------------------------------ decoding
    def _step(self, memory, prefix, cancel):
        out = self.dec.run({"memory": memory, "tokens": np.asarray(prefix, np.int64)[None]}, cancel=cancel)
        return out["main_logits"][0], out["axis_logits"][0]

    def _choose(self, g: T.Grammar, main, axis, rank: int):
        """The token of the given rank (0 best, 1 runner-up) allowed by the grammar, its logprob, and
        the margin between the best two probabilities."""
        kind = g.expect()[0]
        if kind in (T.K_PT, T.K_POS):
            axes = (0, 1) if kind == T.K_PT else (2, 3, 4)
            lps = [_log_softmax(axis[a]) for a in axes]
            best = [int(np.argmax(lp)) for lp in lps]
            # runner-up: change the least certain axis to its second value
            seconds = []
            for k, lp in enumerate(lps):
                o = np.argsort(lp)[::-1]
                seconds.append((lp[o[0]] - lp[o[1]], k, int(o[1])))
            gap, k_axis, alt = min(seconds)
            choice = list(best)
            if rank == 1:
                choice[k_axis] = alt
            if kind == T.K_PT and tuple(choice) in g.forbidden_ends():
                # a curve may not end where it starts: the next choice, changing one axis at a time
                for _, k2, alt2 in sorted(seconds):
                    c2 = list(best)
                    c2[k2] = alt2
                    if tuple(c2) not in g.forbidden_ends() and c2 != choice:
                        choice, k_axis, alt = c2, k2, alt2
                        break
            lp = float(sum(lps[k][c] for k, c in enumerate(choice)))
            margin = float(math.exp(lps[k_axis][best[k_axis]]) - math.exp(lps[k_axis][alt]))
            if kind == T.K_PT:
                tok = T.PT0 + choice[0] * 256 + choice[1]
            else:
                tok = T.POS0 + (choice[0] * 256 + choice[1]) * 256 + choice[2]
            return tok, lp, margin
        mask = g.main_mask()
        logits = np.where(mask, main, -np.inf)
        lp = _log_softmax(logits)
        order = np.argsort(lp)[::-1]
        n_ok = int(mask.sum())
        r = min(rank, n_ok - 1)
        tok = int(order[r])
        margin = float(math.exp(lp[order[0]]) - (math.exp(lp[order[1]]) if n_ok > 1 else 0.0))
        return tok, float(lp[tok]), margin

    def _greedy(self, memory, prefix_tokens, g, lp0, cancel, is_cancelled, margins):
        toks = list(prefix_tokens)
        lp = lp0
        while not g.done and len(toks) < self.max_tokens:
            check(is_cancelled)
            main, axis = self._step(memory, toks, cancel)
            tok, l, m = self._choose(g, main, axis, 0)
            margins.append((m, len(toks)))
            g.push(tok)
            toks.append(tok)
            lp += l
        if not g.done:  # out of room: close what is open so the sequence stays well formed
            toks, lp = self._force_close(memory, toks, g, lp, cancel)
        return toks, lp

    def _force_close(self, memory, toks, g, lp, cancel):
        for _ in range(64):
            if g.done:
                break
            main, axis = self._step(memory, toks, cancel)
            if g.expect()[0] == "cmd":
                allowed = g.cmd_allowed()
                pref = [t for t in (T.EOS, T.EXT) if t in allowed] or allowed
                tok, l = pref[0], 0.0
            else:
                tok, l, _ = self._choose(g, main, axis, 0)
            g.push(tok)
            toks.append(tok)
            lp += l
        return toks, lp

    def decode(self, memory, n_candidates: int = 1, cancel=None, is_cancelled=None, progress=None) -> list:
        """Greedy decoding, then up to n−1 alternatives branching at the least certain steps."""
        progress = progress or (lambda f, m="": None)
        g = T.Grammar(self.scheme, max_tokens=self.max_tokens)
        margins: list = []
        toks, lp = self._greedy(memory, [T.BOS], g, 0.0, cancel, is_cancelled, margins)
        cands = [self._finish(toks, lp, min((m for m, _ in margins), default=1.0))]
        progress(1.0 / max(n_candidates, 1), "decoded the best sequence")
        branch_at = [pos for m, pos in sorted(margins)[: max(0, n_candidates - 1) * 2]]
        seen = {tuple(toks)}
        for pos in branch_at:
            if len(cands) >= n_candidates:
                break
            check(is_cancelled)
            g2 = T.Grammar(self.scheme, max_tokens=self.max_tokens)
            lp2 = 0.0
            # replay the greedy prefix up to the branch point (its logprobs are re-used below)
            for t in toks[1:pos]:
                g2.push(t)
            prefix = toks[:pos]
            main, axis = self._step(memory, prefix, cancel)
            tok, l, _ = self._choose(g2, main, axis, 1)
            if tok == toks[pos]:
                continue
            g2.push(tok)
            prefix_lp = self._prefix_logprob(memory, prefix, cancel)
            ms: list = []
            new, lp2 = self._greedy(memory, prefix + [tok], g2, prefix_lp + l, cancel, is_cancelled, ms)
            if tuple(new) in seen:
                continue
            seen.add(tuple(new))
            cands.append(self._finish(new, lp2, min((m for m, _ in ms), default=1.0)))
            progress(len(cands) / n_candidates, f"decoded candidate {len(cands)}")
        cands.sort(key=lambda c: -c.logprob)
        return cands

    def _prefix_logprob(self, memory, prefix, cancel) -> float:
        g = T.Grammar(self.scheme, max_tokens=self.max_tokens)
        lp = 0.0
        for i in range(1, len(prefix)):
            main, axis = self._step(memory, prefix[:i], cancel)
            kind = g.expect()[0]
            t = prefix[i]
            if kind == T.K_PT:
                p = t - T.PT0
                lp += float(_log_softmax(axis[0])[p // 256] + _log_softmax(axis[1])[p % 256])
            elif kind == T.K_POS:
                q = t - T.POS0
                lp += float(_log_softmax(axis[2])[q // 65536] + _log_softmax(axis[3])[(q // 256) % 256]
                            + _log_softmax(axis[4])[q % 256])
            else:
                lp += float(_log_softmax(np.where(g.main_mask(), main, -np.inf))[t])
            g.push(t)
        return lp

    def _finish(self, toks, lp, margin) -> Candidate:
        c = Candidate(tokens=toks, logprob=lp, min_margin=margin)
        try:
            c.vec = T.decode(toks, self.scheme)
            c.seq = from_vec(c.vec, self.scale_mm)
        except InputError as e:
            c.error = e.one_line()
        return c


# ---------------------------------------------------------------------------- units
_NUM = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)(?![\w.])")


def dimension_numbers(text: str) -> list:
    """(start, end, value) of the numbers in a description that are lengths in mm
    ("40 x 20 x 5 mm", "diameter 6 mm"), not counts ("4 holes") or angles."""
    out = []
    for m in _NUM.finditer(text):
        rest = text[m.end():].lower()
        j = re.match(r"^(?:\s*(?:x|by|×|and|,)?\s*\d+(?:\.\d+)?)*\s*(mm|millimet)", rest)
        if j:
            out.append((m.start(), m.end(), float(m.group(1))))
    return out


def prepare_text(text: str) -> tuple[str, float, list]:
    """Bring the description's dimensions into the model's range. Returns (text for the model, factor
    to multiply the model's millimetres by, notes for the user)."""
    if not text or not text.strip():
        raise InputError("the description is empty", "describe the part, e.g. 'a 40 x 20 x 5 mm plate'")
    dims = dimension_numbers(text)
    notes = []
    if not dims:
        notes.append("no dimension in mm found in the description: the model picks the sizes")
        return text, 1.0, notes
    big = max(v for _, _, v in dims)
    if big <= 0:
        raise InputError("the description gives a zero dimension", "give positive sizes in mm")
    factor = 1.0
    if big > MAX_DIM_MM:
        factor = big / 100.0
        notes.append(f"dimensions scaled by 1/{factor:.3g} for the model (trained on parts up to "
                     f"{MAX_DIM_MM:g} mm) and the part scaled back")
    out, pos = [], 0
    for s, e, v in dims:
        w = round(v / factor * 2) / 2
        if abs(w - v / factor) > 1e-9 and factor == 1.0:
            notes.append(f"{v:g} mm read as {w:g} mm (the model works on a 0.5 mm grid)")
        out.append(text[pos:s])
        out.append(f"{w:g}")
        pos = e
    out.append(text[pos:])
    return "".join(out), factor, notes


def scale_seq(seq: CADSequence, factor: float) -> CADSequence:
    import copy
    from .seq import Circle
    s = copy.deepcopy(seq)
    for e in s.extrudes:
        e.origin = tuple(v * factor for v in e.origin)
        e.e1 *= factor
        e.e2 *= factor
        for lp in e.loops:
            for c in lp:
                c.x *= factor
                c.y *= factor
                if isinstance(c, Circle):
                    c.r *= factor
    return s


def seq_extent(seq: CADSequence) -> float:
    """Largest side of the part's bounding box (built with the kernel)."""
    from . import kernel
    s = kernel.build(seq, check=False)
    return max(b - a for a, b in zip(*s.bbox))


# ---------------------------------------------------------------------------- entry points
_MODELS: dict = {}


def default_model(input: str = "text", registry=None) -> str:
    """The installed model flagged ``"default": true`` for text or images (its manifest says so; the first one of
    that task otherwise). For text it is ``cad-text-plain`` (plain tokens): ahead of the spatial-token
    ``cad-text`` on command accuracy on every new fresh-pool seed measured (README, CAD section)."""
    from inference.runtime.registry import get_registry
    return (registry or get_registry()).default_for(f"cad-{input}-to-sequence").name


def get_model(name: str) -> CadModel:
    if name not in _MODELS:
        _MODELS[name] = CadModel(name)
    return _MODELS[name]


def text_to_candidates(text: str, model: str | None = None, n_candidates: int = 1,
                       progress: Callable | None = None, is_cancelled: Callable | None = None) -> list:
    """Description → candidates (best first), each with .seq in the description's millimetres."""
    progress = progress or (lambda f, m="": None)
    t2, factor, notes = prepare_text(text)
    m = get_model(model or default_model("text"))
    progress(0.02, "encoding the description")
    mem = m.encode_text(t2)
    cands = m.decode(mem, n_candidates, is_cancelled=is_cancelled, progress=sub_progress(progress, 0.05, 1.0))
    for c in cands:
        c.notes = list(notes)
        if c.seq is not None and factor != 1.0:
            c.seq = scale_seq(c.seq, factor)
    return cands


def image_to_candidates(image, size_mm: float = 50.0, model: str | None = None, n_candidates: int = 1,
                        progress: Callable | None = None, is_cancelled: Callable | None = None) -> list:
    """Picture (a path, or an array as ``imageprep.read_picture`` gives it: gray, BGR or BGRA) → candidates whose
    largest side is ``size_mm``."""
    from .imageprep import prepare_image, read_picture
    progress = progress or (lambda f, m="": None)
    if not size_mm or size_mm <= 0 or size_mm > 10000:
        raise InputError(f"overall size {size_mm} mm is out of range", "give a size between 0 and 10000 mm")
    img = read_picture(image) if isinstance(image, (str, bytes)) or hasattr(image, "__fspath__") else image
    m = get_model(model or default_model("image"))
    x = prepare_image(img, m.image_size)
    progress(0.02, "encoding the picture")
    mem = m.encode_image(x)
    cands = m.decode(mem, n_candidates, is_cancelled=is_cancelled, progress=sub_progress(progress, 0.05, 0.9))
    for c in cands:
        if c.seq is None:
            continue
        try:
            ext = seq_extent(c.seq)
        except InputError:
            continue
        if ext > 0:
            c.seq = scale_seq(c.seq, size_mm / ext)
            c.notes.append(f"scaled so the largest side is {size_mm:g} mm")
    return cands
