"""Tokenisers for construction sequences, and the grammar that constrains decoding. numpy only.

Two tokenisers share one id space:

* ``spatial`` (CAD-GPT's spatial unfolding): a sketch point is ONE token on the 256×256 planar
  grid, a sketch plane's 3D origin is ONE token on the 256³ grid (m = ix·S² + iy·S + iz), and the
  plane's three angles are ONE token on the 8×8×8 angle grid (45° bins, k = iθ·A² + iφ·A + iγ).
* ``plain`` (the ablation): every parameter is its own 8-bit token, as in DeepCAD.

Ids: 0..MAIN-1 are the "main" tokens (specials, commands, 256 values, 512 angles, flags);
point tokens are ``PT0 + ix·256 + iy``; position tokens are ``POS0 + m``. A model scores point
and position tokens per axis (the distribution of the one token is factorised over its axes,
which keeps the output layer at 5×256 rows instead of 16.7 M).
"""
from __future__ import annotations

import math
import re

import numpy as np

from inference.runtime.errors import InputError

from . import seq as S

PAD, BOS, EOS, SOL, LINE, ARC, CIRCLE, EXT = range(8)
VAL0 = 8  # 256 value tokens
ANG0 = VAL0 + 256  # 512 angle tokens
A_BINS = 8
F0 = ANG0 + A_BINS ** 3  # 2 arc-direction flags
B0 = F0 + 2  # 4 boolean operations
U0 = B0 + 4  # 3 extent types
MAIN = U0 + 3
PT0 = MAIN
POS0 = PT0 + 256 * 256
GRID = 256
CMD_TOK = {S.LINE: LINE, S.ARC: ARC, S.CIRCLE: CIRCLE}
TOK_CMD = {v: k for k, v in CMD_TOK.items()}
SCHEMES = ("spatial", "plain")

# parameter kinds in the grammar
K_PT, K_POS, K_ANG, K_VAL, K_F, K_B, K_U = "pt", "pos", "ang", "val", "f", "b", "u"


# ----------------------------------------------------------------------------- angle bins
def angle_bin(q: int) -> int:
    """8-bit angle level → 45° bin index 0..7 (nearest)."""
    a = S.dq_angle(int(q))
    return int(round(a / (math.pi / 4))) % A_BINS


def bin_level(i: int) -> int:
    a = i * math.pi / 4
    if a > math.pi + 1e-9:
        a -= 2 * math.pi
    return S.q_angle(a)


def angles_between_bins(vec: np.ndarray) -> int:
    """How many angle parameters of a vector are not exactly on the 45° grid."""
    n = 0
    for row in vec:
        if int(row[0]) == S.EXT:
            for j in (6, 7, 8):
                if bin_level(angle_bin(row[j])) != int(row[j]):
                    n += 1
    return n


# ----------------------------------------------------------------------------- encode / decode
def encode(vec, scheme: str = "spatial") -> list[int]:
    """17-column vector → token ids (BOS … EOS)."""
    if scheme not in SCHEMES:
        raise InputError(f"unknown token scheme {scheme}", "use 'spatial' or 'plain'")
    v = S.validate_vec(vec)
    out = [BOS]
    for row in v:
        c = int(row[0])
        if c == S.SOL:
            out.append(SOL)
        elif c == S.EOS:
            out.append(EOS)
            break
        elif c in CMD_TOK:
            out.append(CMD_TOK[c])
            if scheme == "spatial":
                out.append(PT0 + int(row[1]) * GRID + int(row[2]))
            else:
                out += [VAL0 + int(row[1]), VAL0 + int(row[2])]
            if c == S.ARC:
                out += [VAL0 + int(row[3]), F0 + int(row[4])]
            elif c == S.CIRCLE:
                out.append(VAL0 + int(row[5]))
        elif c == S.EXT:
            out.append(EXT)
            if scheme == "spatial":
                out.append(ANG0 + angle_bin(row[6]) * A_BINS ** 2 + angle_bin(row[7]) * A_BINS + angle_bin(row[8]))
                out.append(POS0 + (int(row[9]) * GRID + int(row[10])) * GRID + int(row[11]))
            else:
                out += [VAL0 + int(row[j]) for j in (6, 7, 8, 9, 10, 11)]
            out += [VAL0 + int(row[12]), VAL0 + int(row[13]), VAL0 + int(row[14]), B0 + int(row[15]), U0 + int(row[16])]
    return out


def decode(tokens, scheme: str = "spatial") -> np.ndarray:
    """Token ids → 17-column vector. Raises InputError when the tokens break the grammar."""
    g = Grammar(scheme)
    rows: list = []
    cur: list | None = None
    toks = [int(t) for t in tokens]
    if toks and toks[0] == BOS:
        toks = toks[1:]
    for t in toks:
        if t == PAD:
            break
        kind, lo, hi = g.expect()
        if not g.accepts(t):
            raise InputError(f"token {t} breaks the sequence grammar (expected {kind})",
                             "the token sequence is malformed")
        g.push(t)
        if kind == "cmd":
            if t == EOS:
                rows.append([S.EOS] + [-1] * 16)
                break
            cmd = {SOL: S.SOL, LINE: S.LINE, ARC: S.ARC, CIRCLE: S.CIRCLE, EXT: S.EXT}[t]
            cur = [cmd] + [-1] * 16
            rows.append(cur)
            cur_cols = _cols(cmd, scheme)
            continue
        col = cur_cols.pop(0)
        if kind == K_PT:
            cur[1], cur[2] = divmod(t - PT0, GRID)
        elif kind == K_POS:
            m = t - POS0
            cur[9], rem = divmod(m, GRID * GRID)
            cur[10], cur[11] = divmod(rem, GRID)
        elif kind == K_ANG:
            k = t - ANG0
            it, r2 = divmod(k, A_BINS * A_BINS)
            ip, ig = divmod(r2, A_BINS)
            cur[6], cur[7], cur[8] = bin_level(it), bin_level(ip), bin_level(ig)
        elif kind == K_VAL:
            cur[col] = t - VAL0
        elif kind == K_F:
            cur[4] = t - F0
        elif kind == K_B:
            cur[15] = t - B0
        elif kind == K_U:
            cur[16] = t - U0
    if not rows or rows[-1][0] != S.EOS:
        raise InputError("the token sequence ends before EOS", "decode until the EOS token")
    return np.asarray(rows, dtype=np.int64)


def _cols(cmd: int, scheme: str) -> list:
    """Which column each parameter token of a command fills (K_PT fills 1 and 2, etc.)."""
    if cmd in (S.LINE, S.ARC, S.CIRCLE):
        c = ["pt"] if scheme == "spatial" else [1, 2]
        if cmd == S.ARC:
            c += [3, 4]
        elif cmd == S.CIRCLE:
            c += [5]
        return c
    if cmd == S.EXT:
        c = ["ang", "pos"] if scheme == "spatial" else [6, 7, 8, 9, 10, 11]
        return c + [12, 13, 14, 15, 16]
    return []


# ----------------------------------------------------------------------------- grammar
class Grammar:
    """What may come next. ``expect()`` gives (kind, lo, hi) for main-vocabulary kinds (an id range),
    or ("cmd", …) with ``cmd_allowed()`` listing the command tokens allowed now."""

    def __init__(self, scheme: str = "spatial", max_tokens: int = 256):
        self.scheme = scheme
        self.max_tokens = max_tokens
        self.pending: list = []
        self.n_ext = self.n_loops = 0
        self.loop_kinds: list = []
        self.rows = 0
        self.n_tokens = 1
        self.done = False
        self.in_loop = False
        self.loop_ends: list = []   # end points (x, y) of the open loop's lines and arcs so far
        self.curve: list | None = None   # [command, its parameter tokens so far] while a line or arc is read

    def forbidden_ends(self) -> list:
        """End points a line or arc read now may not have: the previous curve's end (the curve would have zero
        length) and, from the loop's second curve on, the first curve's end (closing the loop there would give
        the first curve zero length). Empty when no end point is being read."""
        if self.curve is None or len(self.loop_ends) < 1:
            return []
        return list(dict.fromkeys([self.loop_ends[-1], self.loop_ends[0]]))

    # parameter kinds for each command
    def _params(self, tok: int) -> list:
        sp = self.scheme == "spatial"
        if tok == LINE:
            return [(K_PT, 0, 0)] if sp else [(K_VAL, 0, 255)] * 2
        if tok == ARC:
            return ([(K_PT, 0, 0)] if sp else [(K_VAL, 0, 255)] * 2) + [(K_VAL, 1, 255), (K_F, 0, 1)]
        if tok == CIRCLE:
            return ([(K_PT, 0, 0)] if sp else [(K_VAL, 0, 255)] * 2) + [(K_VAL, 1, 255)]
        if tok == EXT:
            head = [(K_ANG, 0, A_BINS ** 3 - 1), (K_POS, 0, 0)] if sp else (
                [(K_VAL, 0, 255)] * 3 + [(K_VAL, 0, 255)] * 3)
            b_hi = 1 if self.n_ext == 0 else 3
            return head + [(K_VAL, 1, 255), (K_VAL, 129, 255), (K_VAL, 128, 255), (K_B, 0, b_hi), (K_U, 0, 2)]
        return []

    def loop_can_close(self) -> bool:
        k = self.loop_kinds
        if not k:
            return False
        if k[0] == CIRCLE:
            return True
        return len(k) >= 3 or (len(k) >= 2 and ARC in k)

    def cmd_allowed(self) -> list:
        room = self.max_tokens - self.n_tokens
        rows_left = S.MAX_ROWS - self.rows
        per_ext = 13 if self.scheme == "plain" else 8
        if not self.in_loop:  # start, or after an extrusion
            out = []
            if self.n_ext < S.MAX_EXT and rows_left >= 6 and room >= 4 * 4 + per_ext + 2:
                out.append(SOL)
            if self.n_ext >= 1:
                out.append(EOS)
            return out
        k = self.loop_kinds
        if not k:
            return [LINE, ARC, CIRCLE] if room > 20 else [CIRCLE]
        out = []
        if k[0] != CIRCLE and len(k) < S.MAX_CURVES and rows_left > 3 and room > per_ext + 8:
            out += [LINE, ARC]
        if self.loop_can_close():
            if self.n_loops < S.MAX_LOOPS and rows_left > 4 and room > per_ext + 8:
                out.append(SOL)
            out.append(EXT)
        if not out:  # cannot close yet but no room: still allow a curve
            out = [LINE, ARC]
        return out

    def expect(self) -> tuple:
        if self.pending:
            return self.pending[0]
        return ("cmd", 0, 0)

    def accepts(self, t: int) -> bool:
        kind, lo, hi = self.expect()
        if kind == "cmd":
            return t in self.cmd_allowed()
        if kind == K_PT:
            return PT0 <= t < POS0
        if kind == K_POS:
            return POS0 <= t < POS0 + GRID ** 3
        base = {K_VAL: VAL0, K_ANG: ANG0, K_F: F0, K_B: B0, K_U: U0}[kind]
        return base + lo <= t <= base + hi

    def push(self, t: int) -> None:
        self.n_tokens += 1
        if self.pending:
            self.pending.pop(0)
            if self.curve is not None:
                self.curve.append(t)
                done = self._curve_end()
                if done is not None:
                    self.loop_ends.append(done)
                    self.curve = None
            return
        if t == EOS:
            self.done = True
            self.rows += 1
            return
        self.rows += 1
        if t == SOL:
            if not self.in_loop:
                self.n_loops = 0
            self.in_loop = True
            self.n_loops += 1
            self.loop_kinds = []
            self.loop_ends = []
        elif t in (LINE, ARC, CIRCLE):
            self.loop_kinds.append(t)
            self.pending = list(self._params(t))
            self.curve = [t] if t in (LINE, ARC) else None
        elif t == EXT:
            self.pending = list(self._params(t))
            self.n_ext += 1
            self.in_loop = False
            self.loop_kinds = []

    def _curve_end(self):
        """The (x, y) end point of the curve being read once its point parameters are all in, else None."""
        vals = self.curve[1:]
        if self.scheme == "spatial":
            return divmod(vals[0] - PT0, GRID) if vals else None
        return (vals[0] - VAL0, vals[1] - VAL0) if len(vals) >= 2 else None

    def main_mask(self) -> np.ndarray:
        """Boolean mask over the MAIN vocabulary for the next token (not for pt/pos kinds)."""
        m = np.zeros(MAIN, bool)
        kind, lo, hi = self.expect()
        if kind == "cmd":
            m[self.cmd_allowed()] = True
        else:
            base = {K_VAL: VAL0, K_ANG: ANG0, K_F: F0, K_B: B0, K_U: U0}[kind]
            m[base + lo: base + hi + 1] = True
            if kind == K_VAL and self.curve is not None and len(self.curve) == 2:   # plain scheme: the end's y
                x = self.curve[1] - VAL0
                for fx, fy in self.forbidden_ends():
                    if fx == x:
                        m[VAL0 + fy] = False
        return m


# ----------------------------------------------------------------------------- text vocabulary
_WORD = re.compile(r"\d+(?:\.\d+)?|[a-z]+|[^\sa-z\d]")


def words(text: str) -> list[str]:
    return _WORD.findall(text.lower())


class TextVocab:
    """Word-level vocabulary: ids 0 pad, 1 unk; numbers 0..200 and halves are always present.

    `forms` maps words the model never saw to known words that are other forms of them ("pitched" → "pitch",
    "centered" → "centred"; made with the packaged MiniLM by training/cad/forms.py and shipped beside the
    vocabulary); a plural whose singular is known reads as the singular. Any other unseen word is <unk>."""

    def __init__(self, itos: list[str], forms: dict[str, str] | None = None):
        self.itos = list(itos)
        self.stoi = {w: i for i, w in enumerate(self.itos)}
        self.forms = {w: k for w, k in (forms or {}).items() if k in self.stoi}

    def word_id(self, w: str) -> int:
        i = self.stoi.get(w)
        if i is None:
            k = self.forms.get(w) or (w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else None)
            i = self.stoi.get(k, 1) if k else 1
        return i

    @classmethod
    def build(cls, texts) -> "TextVocab":
        base = ["<pad>", "<unk>"] + [str(i) for i in range(201)] + [f"{i}.5" for i in range(200)]
        seen = set(base)
        extra = []
        for t in texts:
            for w in words(t):
                if w not in seen:
                    seen.add(w)
                    extra.append(w)
        return cls(base + sorted(extra))

    def encode(self, text: str, max_len: int = 64) -> np.ndarray:
        ids = [self.word_id(w) for w in words(text)][:max_len]
        return np.asarray(ids, dtype=np.int64)

    def to_text(self) -> str:
        """One word a line (id = line number); not JSON, so the models folder holds no stray .json."""
        return "\n".join(self.itos) + "\n"

    @classmethod
    def from_text(cls, text: str) -> "TextVocab":
        itos = text.split("\n")
        if itos and itos[-1] == "":
            itos = itos[:-1]
        if len(itos) < 3 or itos[0] != "<pad>" or itos[1] != "<unk>":
            raise InputError("the text vocabulary file is malformed", "reinstall the model")
        return cls(itos)

    @staticmethod
    def forms_to_text(forms: dict[str, str]) -> str:
        """'unseen known' a line, sorted (the file training/cad/forms.py writes beside the vocabulary)."""
        return "".join(f"{w} {k}\n" for w, k in sorted(forms.items()))

    @staticmethod
    def forms_from_text(text: str) -> dict[str, str]:
        """'unseen known' a line (training/cad/forms.py)."""
        out = {}
        for line in text.splitlines():
            parts = line.split()
            if len(parts) != 2:
                raise InputError("the word-forms file is malformed", "reinstall the model")
            out[parts[0]] = parts[1]
        return out
