"""Procedural mechanical parts with sequences, descriptions and rendered views.

Every part is built from integer millimetre dimensions (halves where a feature is centred), so
its sequence is exact on the 0.5 mm grid of :mod:`inference.cad.seq` (scale 64 mm).
Descriptions come from the template pools in templates/ (see POOLS): only "train" is used for
training; "held_out" makes the test split's wording and "fresh" a second, never-tuned-on test.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Callable, Mapping

import numpy as np

from inference.runtime.cancel import check
from inference.runtime.errors import InputError

from .io import write_deepcad_json
from .seq import Arc, CADSequence, Circle, Extrude, Line, plane_angles, to_vec

FAMILIES = ["plate", "plate_hole", "hole_pattern", "hole_row", "boss", "slot", "pocket", "l_bracket",
            "t_bracket", "flange", "stepped_shaft", "rib", "tilted_pin", "side_boss"]


def rect(cx: float, cy: float, w: float, h: float) -> list:
    """Counter-clockwise rectangle centred at (cx, cy); starts at the lower-left corner."""
    x0, x1, y0, y1 = cx - w / 2, cx + w / 2, cy - h / 2, cy + h / 2
    return [Line(x1, y0), Line(x1, y1), Line(x0, y1), Line(x0, y0)]


def stadium(cx: float, cy: float, length: float, width: float) -> list:
    """A slot: two lines and two half-circle arcs (length over the round ends), along x."""
    r = width / 2
    a = length / 2 - r
    return [Line(cx + a, cy - r), Arc(cx + a, cy + r, math.pi, True), Line(cx - a, cy + r),
            Arc(cx - a, cy - r, math.pi, True)]


def _plane(normal, xaxis):
    return plane_angles(normal, xaxis)


XY = _plane((0, 0, 1), (1, 0, 0))
XZ = _plane((0, -1, 0), (1, 0, 0))  # sketch x → X, sketch y → Z, normal −Y
YZ = _plane((1, 0, 0), (0, 1, 0))  # sketch x → Y, sketch y → Z, normal +X


def ext(loops, plane=XY, origin=(0, 0, 0), e1=10.0, e2=0.0, op=0, etype=0) -> Extrude:
    t, p, g = plane
    return Extrude(loops=loops, theta=t, phi=p, gamma=g, origin=tuple(float(v) for v in origin),
                   e1=float(e1), e2=float(e2), op=op, etype=etype)


@dataclass
class Part:
    family: str
    seq: CADSequence
    facts: dict


def _even(rng, lo, hi):
    return int(rng.integers(lo // 2, hi // 2 + 1)) * 2


def make_part(family: str, rng: np.random.Generator) -> Part:
    f = family
    if f in ("plate", "plate_hole", "hole_pattern", "hole_row", "boss", "slot", "pocket", "rib"):
        L = _even(rng, 30, 110)
        W = _even(rng, 16, min(L, 80))
        T = int(rng.integers(2, 13))
        facts = {"L": L, "W": W, "T": T}
        loops = [rect(0, 0, L, W)]
        seq = CADSequence()
        if f == "plate_hole":
            D = _even(rng, 4, max(4, W // 2))
            loops.append([Circle(0, 0, D / 2)])
            facts["D"] = D
        elif f == "hole_pattern":
            D = _even(rng, 4, max(4, min(W, L) // 5))
            m = int(rng.integers(max(D // 2 + 3, 4), max(D // 2 + 4, min(W, L) // 4) + 1))
            if W - 2 * m < D + 2 or L - 2 * m < D + 2:
                raise InputError("corner holes overlap", "resample")
            for sx in (-1, 1):
                for sy in (-1, 1):
                    loops.append([Circle(sx * (L / 2 - m), sy * (W / 2 - m), D / 2)])
            facts.update(D=D, M=m, N=4)
        elif f == "hole_row":
            n = int(rng.integers(2, 6))
            D = _even(rng, 4, max(4, min(W // 2, L // (2 * n))))
            pitch = _even(rng, D + 2, max(D + 2, (L - D - 4) // max(n - 1, 1)))
            while (n - 1) * pitch + D + 4 > L:
                pitch -= 2
            if pitch < D + 2:
                raise InputError("holes overlap", "resample")
            for k in range(n):
                loops.append([Circle(-(n - 1) * pitch / 2 + k * pitch, 0, D / 2)])
            facts.update(D=D, N=n, P=pitch)
        seq.extrudes.append(ext(loops, e1=T))
        if f == "boss":
            D = _even(rng, 4, min(W, 40))
            H = int(rng.integers(3, 31))
            seq.extrudes.append(ext([[Circle(0, 0, D / 2)]], origin=(0, 0, T), e1=H, op=1))
            facts.update(D=D, H=H)
        elif f == "slot":
            S = _even(rng, 6, max(6, L // 2))
            SW = _even(rng, 2, max(2, min(S - 2, W // 2)))
            seq.extrudes.append(ext([stadium(0, 0, S, SW)], e1=T, op=2))
            facts.update(S=S, SW=SW)
        elif f == "pocket":
            PL = _even(rng, 4, L - 8)
            PW = _even(rng, 4, max(4, W - 8))
            P = int(rng.integers(1, T)) if T > 2 else 1
            seq.extrudes.append(ext([rect(0, 0, PL, PW)], origin=(0, 0, T - P), e1=P, op=2))
            facts.update(PL=PL, PW=PW, P=P)
        elif f == "rib":
            RT = int(rng.integers(1, 4)) * 2
            H = int(rng.integers(4, 31))
            seq.extrudes.append(ext([rect(0, 0, L, RT)], origin=(0, 0, T), e1=H, op=1))
            facts.update(RT=RT, H=H)
        return Part(f, seq, facts)
    if f in ("l_bracket", "t_bracket"):
        A = _even(rng, 20, 100)  # base length
        B = int(rng.integers(10, 61))  # height
        t = int(rng.integers(2, 11))
        W = _even(rng, 10, 80)
        if f == "l_bracket":
            x0 = -A / 2
            prof = [Line(A / 2, 0), Line(A / 2, t), Line(x0 + t, t), Line(x0 + t, B), Line(x0, B), Line(x0, 0)]
        else:
            h = t / 2
            prof = [Line(A / 2, 0), Line(A / 2, t), Line(h, t), Line(h, B), Line(-h, B), Line(-h, t),
                    Line(-A / 2, t), Line(-A / 2, 0)]
        seq = CADSequence([ext([prof], plane=XZ, e1=W / 2, etype=1)])
        return Part(f, seq, {"A": A, "B": B, "T": t, "W": W})
    if f == "flange":
        D = _even(rng, 40, 110)
        T = int(rng.integers(3, 13))
        d = _even(rng, 6, D // 3)
        n = int(rng.integers(3, 5))
        bd = _even(rng, 4, 8)
        R = int(rng.integers(math.ceil(d / 2 + bd / 2 + 2), math.floor(D / 2 - bd / 2 - 2) + 1))
        loops = [[Circle(0, 0, D / 2)], [Circle(0, 0, d / 2)]]
        for k in range(n):
            a = 2 * math.pi * k / n
            loops.append([Circle(round(2 * R * math.cos(a)) / 2, round(2 * R * math.sin(a)) / 2, bd / 2)])
        seq = CADSequence([ext(loops, e1=T)])
        facts = {"D": D, "T": T, "d": d, "N": n, "bd": bd, "R": R}
        if rng.random() < 0.5:
            hd = _even(rng, d + 4, max(d + 4, min(D - 8, 2 * R - bd - 2)))
            hh = int(rng.integers(3, 21))
            seq.extrudes.append(ext([[Circle(0, 0, hd / 2)], [Circle(0, 0, d / 2)]], origin=(0, 0, T), e1=hh, op=1))
            facts.update(hd=hd, hh=hh)
        return Part(f, seq, facts)
    if f == "stepped_shaft":
        n = int(rng.integers(2, 4))
        ds = sorted({_even(rng, 6, 60) for _ in range(6)}, reverse=True)[:n]
        while len(ds) < n:
            ds.append(max(2, ds[-1] - 4))
        hs = [int(rng.integers(5, 36)) for _ in range(n)]
        seq, z = CADSequence(), 0
        for k in range(n):
            seq.extrudes.append(ext([[Circle(0, 0, ds[k] / 2)]], origin=(0, 0, z), e1=hs[k], op=0 if k == 0 else 1))
            z += hs[k]
        return Part(f, seq, {"N": n, "ds": ds, "hs": hs})
    if f == "tilted_pin":
        L = _even(rng, 30, 90)
        W = _even(rng, 20, min(L, 70))
        T = int(rng.integers(6, 21))
        D = _even(rng, 4, min(20, W // 2))
        H = int(rng.integers(8, 36))
        tilt = 45
        plane = _plane((math.sin(math.radians(tilt)), 0, math.cos(math.radians(tilt))), (math.cos(math.radians(tilt)), 0, -math.sin(math.radians(tilt))))
        seq = CADSequence([ext([rect(0, 0, L, W)], e1=T),
                           ext([[Circle(0, 0, D / 2)]], plane=plane, origin=(0, 0, T / 2), e1=H, op=1)])
        return Part(f, seq, {"L": L, "W": W, "T": T, "D": D, "H": H, "tilt": tilt})
    if f == "side_boss":
        L = _even(rng, 30, 90)
        W = _even(rng, 20, 70)
        T = _even(rng, 10, 40)
        D = _even(rng, 4, max(4, min(W, T) - 4))
        H = int(rng.integers(4, 26))
        seq = CADSequence([ext([rect(0, 0, L, W)], e1=T),
                           ext([[Circle(0, T / 2, D / 2)]], plane=YZ, origin=(L / 2, 0, 0), e1=H, op=1)])
        return Part(f, seq, {"L": L, "W": W, "T": T, "D": D, "H": H})
    raise InputError(f"unknown part family {family}", f"use one of {', '.join(FAMILIES)}")


# ----------------------------------------------------------------------------- descriptions
TEMPLATES_DIR = Path(__file__).with_name("templates")
# The description pools, one JSON file each in templates/ (family → list of templates; {…} fields are the
# part's facts):
# - "train": the only pool training (and augment.py's wording) draws on;
# - "held_out": never trained on; it makes the test split's wording (`mmwb cad synth --held-out`);
# - "fresh": written after the held-out pool had guided development (so that one is no longer an unseen
#   test): never used for training, augmentation or tuning (`mmwb cad synth --fresh`).
POOLS = ("train", "held_out", "fresh")
# what index.json's "held_out_templates" says for each pool (the values it has always had)
_INDEX_FLAG = {"train": False, "held_out": True, "fresh": "fresh"}


@lru_cache(maxsize=1)
def template_pools() -> Mapping[str, Mapping[str, tuple[str, ...]]]:
    """pool → family → templates, for every pool in POOLS and every family in FAMILIES, in the files' order.
    Read once from templates/; the result is read-only and never changed."""
    out = {}
    for pool in POOLS:
        raw = json.loads((TEMPLATES_DIR / f"{pool}.json").read_text(encoding="utf-8"))
        if set(raw) != set(FAMILIES):
            raise ValueError(f"templates/{pool}.json: families {sorted(raw)} are not {sorted(FAMILIES)}")
        out[pool] = MappingProxyType({fam: tuple(raw[fam]) for fam in raw})
    return MappingProxyType(out)


def templates(family: str, pool: str) -> tuple[str, ...]:
    """The templates of one family in one pool: "train", "held_out" or "fresh"."""
    if pool not in POOLS:
        raise InputError(f"unknown template pool '{pool}'", "use " + ", ".join(POOLS))
    return template_pools()[pool][family]


def fmt_mm(v) -> str:
    """A dimension as a description writes it: 12 not 12.0, 2.5 as is."""
    return str(int(v)) if float(v).is_integer() else f"{v:g}"


def describe_part(part: Part, rng: np.random.Generator, pool: str = "train") -> str:
    """A description from one template pool: "train", "held_out" or "fresh" (see POOLS)."""
    temps = templates(part.family, pool)
    t = temps[int(rng.integers(len(temps)))]
    facts = {k: fmt_mm(v) for k, v in part.facts.items() if not isinstance(v, list)}
    if part.family == "stepped_shaft":
        ds, hs = part.facts["ds"], part.facts["hs"]
        if pool == "train":
            facts["segs"] = " , then ".join(f"diameter {fmt_mm(d)} mm and length {fmt_mm(h)} mm" for d, h in zip(ds, hs))
        elif pool == "held_out":
            facts["segs"] = " ; ".join(f"{fmt_mm(h)} mm long at {fmt_mm(d)} mm diameter" for d, h in zip(ds, hs))
        else:
            facts["segs"] = " , ".join(f"{fmt_mm(d)} mm diameter over {fmt_mm(h)} mm" for d, h in zip(ds, hs))
    text = t.format(**facts)
    if part.family == "flange" and "hd" in part.facts:
        hd, hh = fmt_mm(part.facts['hd']), fmt_mm(part.facts['hh'])
        text += {"train": f" , with a {hd} mm hub {hh} mm high",
                 "held_out": f" ; hub {hd} mm diameter , {hh} mm tall",
                 "fresh": f" , plus a hub of {hd} mm diameter standing {hh} mm"}[pool]
    return text


# ----------------------------------------------------------------------------- rendering
VIEWS = {  # (azimuth°, elevation°)
    "iso": (-45.0, 30.0), "iso2": (45.0, 30.0), "iso3": (-135.0, 35.0), "low": (-30.0, 15.0),
}
RENDER_HALF_MM = 90.0  # the field of view: ±100 mm around the origin, at every view


def view_matrix(az: float, el: float) -> np.ndarray:
    a, e = math.radians(az), math.radians(el)
    # camera looks from direction d toward the origin; rows = screen x, screen y, depth
    d = np.array([math.cos(e) * math.cos(a), math.cos(e) * math.sin(a), math.sin(e)])
    right = np.cross([0, 0, 1.0], d)
    right /= np.linalg.norm(right)
    up = np.cross(d, right)
    return np.stack([right, up, d])


def render(vertices: np.ndarray, faces: np.ndarray, size: int = 64, view: str = "iso",
           half_mm: float = RENDER_HALF_MM) -> np.ndarray:
    """Flat-shaded orthographic rendering (uint8 gray, background 0) with a z-buffer, in numpy."""
    az, el = VIEWS[view]
    R = view_matrix(az, el)
    v = vertices.astype(np.float64) @ R.T
    img = np.zeros((size, size), np.float32)
    zb = np.full((size, size), -np.inf)
    px = (v[:, 0] / half_mm * 0.5 + 0.5) * size
    py = (0.5 - v[:, 1] / half_mm * 0.5) * size
    tri = v[faces]
    n = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
    nn = np.linalg.norm(n, axis=1)
    ok = nn > 1e-12
    n[ok] /= nn[ok, None]
    light = np.array([0.3, 0.5, 0.81])
    light /= np.linalg.norm(light)
    shade = 0.25 + 0.75 * np.abs(n @ light)
    for k in np.where(ok & (n[:, 2] > 0))[0]:
        i0, i1, i2 = faces[k]
        xs, ys = np.array([px[i0], px[i1], px[i2]]), np.array([py[i0], py[i1], py[i2]])
        x0, x1 = max(int(np.floor(xs.min())), 0), min(int(np.ceil(xs.max())), size - 1)
        y0, y1 = max(int(np.floor(ys.min())), 0), min(int(np.ceil(ys.max())), size - 1)
        if x1 < x0 or y1 < y0:
            continue
        gx, gy = np.meshgrid(np.arange(x0, x1 + 1) + 0.5, np.arange(y0, y1 + 1) + 0.5)
        den = (ys[1] - ys[2]) * (xs[0] - xs[2]) + (xs[2] - xs[1]) * (ys[0] - ys[2])
        if abs(den) < 1e-12:
            continue
        w0 = ((ys[1] - ys[2]) * (gx - xs[2]) + (xs[2] - xs[1]) * (gy - ys[2])) / den
        w1 = ((ys[2] - ys[0]) * (gx - xs[2]) + (xs[0] - xs[2]) * (gy - ys[2])) / den
        w2 = 1 - w0 - w1
        inside = (w0 >= -1e-6) & (w1 >= -1e-6) & (w2 >= -1e-6)
        if not inside.any():
            continue
        z = w0 * v[i0, 2] + w1 * v[i1, 2] + w2 * v[i2, 2]
        sub = zb[y0:y1 + 1, x0:x1 + 1]
        upd = inside & (z > sub)
        sub[upd] = z[upd]
        img[y0:y1 + 1, x0:x1 + 1][upd] = shade[k]
    return (img * 255).clip(0, 255).astype(np.uint8)


# ----------------------------------------------------------------------------- dataset
def sample_parts(n: int, seed: int, families=None) -> list:
    rng = np.random.default_rng(seed)
    fams = list(families or FAMILIES)
    out = []
    for i in range(n):
        fam = fams[i % len(fams)] if n >= len(fams) else fams[int(rng.integers(len(fams)))]
        for _ in range(50):
            try:
                p = make_part(fam, rng)
                to_vec(p.seq)
                from .seq import validate_seq
                validate_seq(p.seq)
            except InputError:
                continue
            out.append(p)
            break
    return out


def synth_dataset(out_dir, n: int = 100, seed: int = 0, n_desc: int = 3, pool: str = "train",
                  views=("iso", "iso2", "iso3"), image_size: int = 128, build: bool = True,
                  progress: Callable | None = None, is_cancelled: Callable | None = None) -> dict:
    """Write a dataset folder: ``index.json`` + ``parts/NNNNN.json`` (DeepCAD JSON) + ``images/NNNNN_view.png``.

    ``pool``: the description templates, "train", "held_out" or "fresh" (see POOLS).
    ``index.json``: {"scale_mm", "seed", "held_out_templates", "inputs": ["text", "image"],
    "samples": [{"id", "family", "json", "texts": [...], "images": [...]}]}; "held_out_templates" is
    false (train), true (held_out) or "fresh".
    """
    from . import kernel
    import cv2
    if n < 1:
        raise InputError(f"--n must be at least 1 (got {n})", "ask for one or more parts")
    if pool not in POOLS:
        raise InputError(f"unknown template pool '{pool}'", "use " + ", ".join(POOLS))
    out = Path(out_dir)
    (out / "parts").mkdir(parents=True, exist_ok=True)
    if views:
        (out / "images").mkdir(exist_ok=True)
    rng = np.random.default_rng(seed + 7919)
    parts = sample_parts(n, seed)
    samples = []
    for i, p in enumerate(parts):
        check(is_cancelled)
        sid = f"{i:05d}"
        write_deepcad_json(p.seq, out / "parts" / f"{sid}.json")
        texts = [describe_part(p, rng, pool) for _ in range(n_desc)]
        imgs = []
        if views and build:
            solid = kernel.build(p.seq)
            v, f = kernel.mesh(solid)
            for view in views:
                img = render(v, f, image_size, view)
                name = f"images/{sid}_{view}.png"
                cv2.imwrite(str(out / name), img)
                imgs.append(name)
        samples.append({"id": sid, "family": p.family, "json": f"parts/{sid}.json", "texts": texts,
                        "images": imgs})
        if progress:
            progress((i + 1) / len(parts), f"part {i + 1}/{len(parts)}")
    index = {"format": "mmwb-cad-dataset/1", "scale_mm": 64.0, "seed": seed,
             "held_out_templates": _INDEX_FLAG[pool], "inputs": ["text"] + (["image"] if views else []),
             "views": list(views), "samples": samples}
    (out / "index.json").write_text(json.dumps(index, indent=1), encoding="utf-8")
    return index
