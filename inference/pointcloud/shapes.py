"""Synthetic shapes with exact surfaces: area-uniform surface samples + inside tests (no Qt, no torch).

Each solid has ``sample(n, rng) -> (points, normals)`` (area-uniform on its surface) and
``inside(x) -> bool array``.  CSG unions / differences keep the samples of each part that lie
on the boolean result's boundary, so the result stays area-uniform.  Families are grouped so that
training and the held-out evaluation set can use disjoint ones.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from matplotlib.path import Path as MplPath
from scipy.spatial import cKDTree


# --------------------------------------------------------------------------------------------
# solids
class Solid:
    def area(self) -> float:
        raise NotImplementedError

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        raise NotImplementedError

    def inside(self, x: np.ndarray) -> np.ndarray:
        raise NotImplementedError


def _unit(v: np.ndarray) -> np.ndarray:
    return v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-12)


class Sphere(Solid):
    def __init__(self, r=1.0, c=(0, 0, 0)):
        self.r, self.c = float(r), np.asarray(c, float)

    def area(self):
        return 4 * math.pi * self.r ** 2

    def sample(self, n, rng):
        d = _unit(rng.normal(size=(n, 3)))
        return self.c + self.r * d, d

    def inside(self, x):
        return np.linalg.norm(x - self.c, axis=1) < self.r


class Box(Solid):
    def __init__(self, h=(1, 1, 1), c=(0, 0, 0)):
        self.h, self.c = np.asarray(h, float), np.asarray(c, float)

    def _faces(self):
        hx, hy, hz = self.h
        return np.array([hy * hz, hy * hz, hx * hz, hx * hz, hx * hy, hx * hy]) * 4

    def area(self):
        return float(self._faces().sum())

    def sample(self, n, rng):
        a = self._faces()
        f = rng.choice(6, size=n, p=a / a.sum())
        p = rng.uniform(-1, 1, size=(n, 3)) * self.h
        axis, sign = f // 2, np.where(f % 2 == 0, 1.0, -1.0)
        p[np.arange(n), axis] = sign * self.h[axis]
        nrm = np.zeros((n, 3))
        nrm[np.arange(n), axis] = sign
        return p + self.c, nrm

    def inside(self, x):
        return np.all(np.abs(x - self.c) < self.h, axis=1)


class Frustum(Solid):
    """Cylinder (r0 == r1) or truncated cone around z, from z=-h to z=+h."""

    def __init__(self, r0=1.0, r1=1.0, h=1.0, c=(0, 0, 0), caps=True):
        self.r0, self.r1, self.h, self.c, self.caps = float(r0), float(r1), float(h), np.asarray(c, float), caps

    def _parts(self):
        s = math.hypot(self.r1 - self.r0, 2 * self.h)
        side = math.pi * (self.r0 + self.r1) * s
        b = math.pi * self.r0 ** 2 if self.caps else 0.0
        t = math.pi * self.r1 ** 2 if self.caps else 0.0
        return np.array([side, b, t])

    def area(self):
        return float(self._parts().sum())

    def sample(self, n, rng):
        a = self._parts()
        part = rng.choice(3, size=n, p=a / a.sum())
        th = rng.uniform(0, 2 * math.pi, n)
        p = np.zeros((n, 3))
        nrm = np.zeros((n, 3))
        # side: radius linear in t, area density ∝ radius
        m = part == 0
        k = int(m.sum())
        if k:
            r0, r1 = self.r0, self.r1
            u = rng.uniform(size=k)
            if abs(r1 - r0) < 1e-9:
                t = u
            else:  # inverse CDF of density ∝ r0 + (r1-r0) t
                t = (-r0 + np.sqrt(r0 ** 2 + u * (r1 ** 2 - r0 ** 2))) / (r1 - r0)
            r = r0 + (r1 - r0) * t
            p[m, 0], p[m, 1], p[m, 2] = r * np.cos(th[m]), r * np.sin(th[m]), -self.h + 2 * self.h * t
            slope = (r0 - r1) / (2 * self.h)
            nn = np.stack([np.cos(th[m]), np.sin(th[m]), np.full(k, slope)], 1)
            nrm[m] = _unit(nn)
        for idx, (rad, z, nz) in ((1, (self.r0, -self.h, -1.0)), (2, (self.r1, self.h, 1.0))):
            m = part == idx
            k = int(m.sum())
            if k:
                rr = rad * np.sqrt(rng.uniform(size=k))
                p[m, 0], p[m, 1], p[m, 2] = rr * np.cos(th[m]), rr * np.sin(th[m]), z
                nrm[m, 2] = nz
        return p + self.c, nrm

    def inside(self, x):
        q = x - self.c
        t = (q[:, 2] + self.h) / (2 * self.h)
        r = self.r0 + (self.r1 - self.r0) * np.clip(t, 0, 1)
        return (np.abs(q[:, 2]) < self.h) & (np.hypot(q[:, 0], q[:, 1]) < r)


class Torus(Solid):
    def __init__(self, R=1.0, r=0.3, c=(0, 0, 0)):
        self.R, self.r, self.c = float(R), float(r), np.asarray(c, float)

    def area(self):
        return 4 * math.pi ** 2 * self.R * self.r

    def sample(self, n, rng):
        out_p, out_n = [], []
        got = 0
        while got < n:
            m = 2 * (n - got) + 16
            u = rng.uniform(0, 2 * math.pi, m)
            v = rng.uniform(0, 2 * math.pi, m)
            keep = rng.uniform(size=m) < (self.R + self.r * np.cos(v)) / (self.R + self.r)
            u, v = u[keep], v[keep]
            nn = np.stack([np.cos(v) * np.cos(u), np.cos(v) * np.sin(u), np.sin(v)], 1)
            pp = np.stack([(self.R + self.r * np.cos(v)) * np.cos(u), (self.R + self.r * np.cos(v)) * np.sin(u),
                           self.r * np.sin(v)], 1)
            out_p.append(pp), out_n.append(nn)
            got += len(pp)
        return np.concatenate(out_p)[:n] + self.c, np.concatenate(out_n)[:n]

    def inside(self, x):
        q = x - self.c
        return (np.hypot(q[:, 0], q[:, 1]) - self.R) ** 2 + q[:, 2] ** 2 < self.r ** 2


class Prism(Solid):
    """A polygon (2D, counter-clockwise) extruded along z from -h to +h."""

    def __init__(self, poly: np.ndarray, h=0.3, c=(0, 0, 0)):
        self.poly = np.asarray(poly, float)
        self.h, self.c = float(h), np.asarray(c, float)
        self.path = MplPath(self.poly)
        x, y = self.poly[:, 0], self.poly[:, 1]
        self.poly_area = 0.5 * abs(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))
        e = np.roll(self.poly, -1, axis=0) - self.poly
        self.edge_len = np.linalg.norm(e, axis=1)

    def _parts(self):
        return np.array([self.edge_len.sum() * 2 * self.h, self.poly_area, self.poly_area])

    def area(self):
        return float(self._parts().sum())

    def sample(self, n, rng):
        a = self._parts()
        part = rng.choice(3, size=n, p=a / a.sum())
        p = np.zeros((n, 3))
        nrm = np.zeros((n, 3))
        m = part == 0
        k = int(m.sum())
        if k:
            e = rng.choice(len(self.poly), size=k, p=self.edge_len / self.edge_len.sum())
            a0, a1 = self.poly[e], np.roll(self.poly, -1, axis=0)[e]
            t = rng.uniform(size=(k, 1))
            xy = a0 + t * (a1 - a0)
            d = a1 - a0
            nn = _unit(np.stack([d[:, 1], -d[:, 0], np.zeros(k)], 1))
            if self._signed_area() < 0:
                nn = -nn
            p[m, :2], p[m, 2] = xy, rng.uniform(-self.h, self.h, k)
            nrm[m] = nn
        lo, hi = self.poly.min(0), self.poly.max(0)
        for idx, z in ((1, -self.h), (2, self.h)):
            m = part == idx
            k = int(m.sum())
            if not k:
                continue
            pts = []
            got = 0
            while got < k:
                c = rng.uniform(lo, hi, size=(2 * (k - got) + 16, 2))
                c = c[self.path.contains_points(c)]
                pts.append(c)
                got += len(c)
            p[m, :2] = np.concatenate(pts)[:k]
            p[m, 2] = z
            nrm[m, 2] = np.sign(z)
        return p + self.c, nrm

    def _signed_area(self):
        x, y = self.poly[:, 0], self.poly[:, 1]
        return 0.5 * (np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))

    def inside(self, x):
        q = x - self.c
        return (np.abs(q[:, 2]) < self.h) & self.path.contains_points(q[:, :2])


class Tube(Solid):
    """A tube of radius r around a closed or open 3D curve given as a dense polyline."""

    def __init__(self, curve: np.ndarray, r=0.08, closed=True):
        self.curve, self.r, self.closed = np.asarray(curve, float), float(r), closed
        seg = np.diff(self.curve, axis=0)
        self.len = float(np.linalg.norm(seg, axis=1).sum())
        self.tree = cKDTree(self.curve)

    def area(self):
        return 2 * math.pi * self.r * self.len

    def sample(self, n, rng):
        c = self.curve
        seg = np.diff(c, axis=0)
        sl = np.linalg.norm(seg, axis=1)
        i = rng.choice(len(seg), size=n, p=sl / sl.sum())
        t = rng.uniform(size=(n, 1))
        p0 = c[i] + t * seg[i]
        tan = _unit(seg[i])
        a = np.where(np.abs(tan[:, :1]) < 0.9, np.array([[1.0, 0, 0]]), np.array([[0, 1.0, 0]]))
        b1 = _unit(np.cross(tan, a))
        b2 = np.cross(tan, b1)
        th = rng.uniform(0, 2 * math.pi, (n, 1))
        nn = np.cos(th) * b1 + np.sin(th) * b2
        return p0 + self.r * nn, nn

    def inside(self, x):
        d, _ = self.tree.query(x)
        return d < self.r


class Blob(Solid):
    """A star-shaped organic surface r(d) = r0 * (1 + sum of smooth bumps)."""

    def __init__(self, rng: np.random.Generator, bumps=6, amp=0.25, r0=1.0):
        self.r0 = r0
        self.dirs = _unit(rng.normal(size=(bumps, 3)))
        self.amps = rng.uniform(-amp, amp, bumps)
        self.width = rng.uniform(0.3, 0.7, bumps)

    def radius(self, d):
        cosang = d @ self.dirs.T
        return self.r0 * (1 + (self.amps * np.exp((cosang - 1) / self.width ** 2)).sum(1))

    def area(self):
        p, _ = self._raw(np.random.default_rng(0), 4000)
        return 4 * math.pi * float(np.mean(np.linalg.norm(p, axis=1))) ** 2

    def _raw(self, rng, m):
        d = _unit(rng.normal(size=(m, 3)))
        return d * self.radius(d)[:, None], d

    def sample(self, n, rng):
        # oversample, then resample by local area (kNN spacing²) for area-uniformity
        p, d = self._raw(rng, 4 * n)
        dist, _ = cKDTree(p).query(p, k=9)
        w = dist[:, -1] ** 2
        i = rng.choice(len(p), size=n, replace=False, p=w / w.sum())
        p = p[i]
        # normals by finite differences of the radial function
        nrm = _numeric_normals(lambda q: np.linalg.norm(q, axis=1) - self.radius(_unit(q)), p)
        return p, nrm

    def inside(self, x):
        r = np.linalg.norm(x, axis=1)
        return r < self.radius(_unit(x))


def _numeric_normals(f: Callable[[np.ndarray], np.ndarray], p: np.ndarray, eps=1e-4) -> np.ndarray:
    g = np.zeros_like(p)
    for k in range(3):
        e = np.zeros(3)
        e[k] = eps
        g[:, k] = (f(p + e) - f(p - e)) / (2 * eps)
    return _unit(g)


class Transformed(Solid):
    def __init__(self, s: Solid, R: np.ndarray, t=(0, 0, 0)):
        self.s, self.R, self.t = s, np.asarray(R, float), np.asarray(t, float)

    def area(self):
        return self.s.area()

    def sample(self, n, rng):
        p, nn = self.s.sample(n, rng)
        return p @ self.R.T + self.t, nn @ self.R.T

    def inside(self, x):
        return self.s.inside((x - self.t) @ self.R)


class CSG(Solid):
    """Boolean of solids: ``ops`` is a list of ('+'|'-', solid) applied left to right."""

    def __init__(self, ops: list[tuple[str, Solid]]):
        self.ops = ops

    def area(self):
        return sum(s.area() for _, s in self.ops)  # upper bound; only used for proportions

    def inside(self, x):
        res = np.zeros(len(x), bool)
        for op, s in self.ops:
            res = (res | s.inside(x)) if op == "+" else (res & ~s.inside(x))
        return res

    def _on_boundary(self, k: int, p: np.ndarray) -> np.ndarray:
        """Which samples of part k lie on the final boundary."""
        op_k = self.ops[k][0]
        keep = np.ones(len(p), bool)
        # state before part k
        before = np.zeros(len(p), bool)
        for op, s in self.ops[:k]:
            before = (before | s.inside(p)) if op == "+" else (before & ~s.inside(p))
        keep &= ~before if op_k == "+" else before
        for op, s in self.ops[k + 1:]:
            ins = s.inside(p)
            if op == "+":
                keep &= ~ins
            else:
                keep &= ~ins
        return keep

    def sample(self, n, rng):
        areas = np.array([s.area() for _, s in self.ops])
        pts, nrs = [], []
        total = 0
        factor = 2.0
        for _ in range(8):
            m = int(n * factor) + 64
            counts = rng.multinomial(m, areas / areas.sum())
            pts, nrs = [], []
            for k, ((op, s), c) in enumerate(zip(self.ops, counts)):
                if c == 0:
                    continue
                p, nn = s.sample(int(c), rng)
                keep = self._on_boundary(k, p)
                pts.append(p[keep])
                nrs.append(nn[keep] if op == "+" else -nn[keep])
            total = sum(len(p) for p in pts)
            if total >= n:
                break
            factor *= max(1.5, 1.2 * n / max(total, 1))
        p, nn = np.concatenate(pts), np.concatenate(nrs)
        i = rng.choice(len(p), size=n, replace=False)
        return p[i], nn[i]


# --------------------------------------------------------------------------------------------
# families
def random_rotation(rng: np.random.Generator) -> np.ndarray:
    q = rng.normal(size=4)
    q /= np.linalg.norm(q)
    a, b, c, d = q
    return np.array([[a * a + b * b - c * c - d * d, 2 * (b * c - a * d), 2 * (b * d + a * c)],
                     [2 * (b * c + a * d), a * a - b * b + c * c - d * d, 2 * (c * d - a * b)],
                     [2 * (b * d - a * c), 2 * (c * d + a * b), a * a - b * b - c * c + d * d]])


def _u(rng, lo, hi):
    return float(rng.uniform(lo, hi))


def _star(k: int, r_out: float, r_in: float, phase=0.0) -> np.ndarray:
    a = phase + np.arange(2 * k) * math.pi / k
    r = np.where(np.arange(2 * k) % 2 == 0, r_out, r_in)
    return np.stack([r * np.cos(a), r * np.sin(a)], 1)


def _gear_poly(teeth: int, r: float, depth: float) -> np.ndarray:
    a = np.linspace(0, 2 * math.pi, teeth * 16, endpoint=False)
    prof = np.clip(np.sin(teeth * a) * 2.0, -1, 1)
    rr = r + depth * prof
    return np.stack([rr * np.cos(a), rr * np.sin(a)], 1)


def f_sphere_like(rng):
    if rng.uniform() < 0.5:
        return Sphere(1.0)
    return CSG([("+", Sphere(1.0)), ("+", Sphere(_u(rng, .4, .8), c=(_u(rng, .5, 1.), 0, 0)))])


def f_box(rng):
    return Box((_u(rng, .3, 1), _u(rng, .3, 1), _u(rng, .1, 1)))


def f_cylinder(rng):
    r = _u(rng, .3, 1)
    return Frustum(r, r, _u(rng, .2, 1))


def f_cone(rng):
    return Frustum(_u(rng, .5, 1), _u(rng, 0.02, .4), _u(rng, .4, 1))


def f_torus(rng):
    return Torus(1.0, _u(rng, .15, .45))


def f_union(rng):
    a = Box((_u(rng, .4, .8), _u(rng, .4, .8), _u(rng, .2, .5)))
    b = Transformed(Frustum(r := _u(rng, .2, .5), r, _u(rng, .5, .9)), random_rotation(rng),
                    (_u(rng, -.4, .4), _u(rng, -.4, .4), 0))
    c = Sphere(_u(rng, .3, .5), c=(_u(rng, -.5, .5), _u(rng, -.5, .5), _u(rng, -.3, .3)))
    return CSG([("+", a), ("+", b), ("+", c)])


def f_cut(rng):
    base = Box((_u(rng, .6, 1), _u(rng, .6, 1), _u(rng, .4, .8))) if rng.uniform() < .5 else Sphere(1.0)
    ops = [("+", base)]
    for _ in range(int(rng.integers(1, 3))):
        ops.append(("-", Sphere(_u(rng, .3, .6), c=_unit(rng.normal(size=3)) * _u(rng, .7, 1.0))))
    return CSG(ops)


def f_plate_holes(rng):
    hx, hy, hz = _u(rng, .7, 1), _u(rng, .4, .8), _u(rng, .06, .15)
    ops = [("+", Box((hx, hy, hz)))]
    k = int(rng.integers(1, 5))
    for i in range(k):
        r = _u(rng, .08, .2)
        c = (_u(rng, -hx + r + .05, hx - r - .05), _u(rng, -hy + r + .05, hy - r - .05), 0)
        ops.append(("-", Frustum(r, r, hz * 2, c=c)))
    return CSG(ops)


def f_bracket(rng):
    t = _u(rng, .08, .18)
    L = _u(rng, .6, 1)
    W = _u(rng, .3, .6)
    a = Box((L, W, t), c=(0, 0, -L + t))
    b = Box((t, W, L), c=(-L + t, 0, 0))
    ops = [("+", a), ("+", b)]
    if rng.uniform() < 0.7:
        r = _u(rng, .08, .15)
        ops.append(("-", Frustum(r, r, .5, c=(.3, 0, -L + t))))
    return CSG(ops)


def f_flange(rng):
    R, h = 1.0, _u(rng, .1, .3)
    ops = [("+", Frustum(R, R, h)), ("-", Frustum(r := _u(rng, .25, .45), r, h * 2))]
    k = int(rng.integers(3, 7))
    for i in range(k):
        a = 2 * math.pi * i / k
        ops.append(("-", Frustum(.08, .08, h * 2, c=(.72 * math.cos(a), .72 * math.sin(a), 0))))
    if rng.uniform() < 0.5:
        ops.insert(1, ("+", Frustum(r + .15, r + .15, _u(rng, .3, .6), c=(0, 0, .2))))
    return CSG(ops)


def f_helix(rng):
    turns = _u(rng, 2, 5)
    t = np.linspace(0, 2 * math.pi * turns, 2000)
    R, pitch = _u(rng, .5, 1), _u(rng, .25, .5)
    curve = np.stack([R * np.cos(t), R * np.sin(t), pitch * t / (2 * math.pi) - pitch * turns / 2], 1)
    return Tube(curve, _u(rng, .06, .15), closed=False)


def f_ring_tube(rng):
    t = np.linspace(0, 2 * math.pi, 2000)
    a, b = _u(rng, .6, 1), _u(rng, .3, 1)
    curve = np.stack([a * np.cos(t), b * np.sin(t), _u(rng, .0, .3) * np.sin(2 * t)], 1)
    return Tube(curve, _u(rng, .05, .15))


def f_blob(rng):
    return Blob(rng, bumps=int(rng.integers(3, 8)), amp=_u(rng, .15, .35))


def f_capsule_chain(rng):
    ops = []
    c = np.zeros(3)
    for i in range(int(rng.integers(2, 5))):
        ops.append(("+", Sphere(_u(rng, .3, .5), c=c.copy())))
        c = c + _unit(rng.normal(size=3)) * _u(rng, .3, .5)
    return CSG(ops)


# held-out families (never used in training)
def f_torus_knot(rng):
    p, q = [(2, 3), (3, 2), (2, 5), (3, 4)][int(rng.integers(4))]
    t = np.linspace(0, 2 * math.pi, 3000)
    r = np.cos(q * t) + 2
    curve = np.stack([r * np.cos(p * t), r * np.sin(p * t), -np.sin(q * t)], 1) / 3
    return Tube(curve, _u(rng, .06, .12))


def f_star_prism(rng):
    k = int(rng.integers(4, 8))
    return Prism(_star(k, 1.0, _u(rng, .35, .6)), h=_u(rng, .15, .5))


def f_gear(rng):
    teeth = int(rng.integers(8, 16))
    ops = [("+", Prism(_gear_poly(teeth, .85, .1), h=_u(rng, .1, .25)))]
    r = _u(rng, .15, .3)
    ops.append(("-", Frustum(r, r, 1.0)))
    return CSG(ops)


def f_annulus(rng):
    R = 1.0
    h = _u(rng, .1, .5)
    return CSG([("+", Frustum(R, R, h)), ("-", Frustum(r := _u(rng, .5, .85), r, h * 2))])


def f_bumpy_blob(rng):
    return Blob(rng, bumps=int(rng.integers(10, 16)), amp=_u(rng, .1, .2))


TRAIN_FAMILIES: dict[str, Callable] = {
    "sphere": f_sphere_like, "box": f_box, "cylinder": f_cylinder, "cone": f_cone, "torus": f_torus,
    "union": f_union, "cut": f_cut, "plate_holes": f_plate_holes, "bracket": f_bracket, "flange": f_flange,
    "helix": f_helix, "ring_tube": f_ring_tube, "blob": f_blob, "capsules": f_capsule_chain,
}
HELDOUT_FAMILIES: dict[str, Callable] = {
    "torus_knot": f_torus_knot, "star_prism": f_star_prism, "gear": f_gear, "annulus": f_annulus,
    "bumpy_blob": f_bumpy_blob,
}
ALL_FAMILIES = {**TRAIN_FAMILIES, **HELDOUT_FAMILIES}


@dataclass
class Shape:
    family: str
    solid: Solid
    rotation: np.ndarray
    center: np.ndarray
    scale: float

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """Area-uniform surface samples in the normalised frame (unit sphere)."""
        p, nn = self.solid.sample(n, rng)
        p = (p @ self.rotation.T - self.center) / self.scale
        return p.astype(np.float64), (nn @ self.rotation.T)


def make_shape(family: str, rng: np.random.Generator) -> Shape:
    if family not in ALL_FAMILIES:
        raise KeyError(family)
    solid = ALL_FAMILIES[family](rng)
    R = random_rotation(rng)
    p, _ = solid.sample(8192, rng)
    p = p @ R.T
    c = p.mean(0)
    s = float(np.linalg.norm(p - c, axis=1).max())
    return Shape(family, solid, R, c, s)
