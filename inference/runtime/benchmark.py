"""Time every shipped model on a given execution provider with synthetic inputs (for bench/ and the GPU check)."""
from __future__ import annotations

import statistics
import time

import numpy as np

from .manifest import ModelManifest, TensorSpec
from .registry import Registry
from .settings import RuntimeSettings


def example_feeds(man: ModelManifest, part: str) -> dict:
    """Inputs that fit a model's signature. A manifest may give `example_shapes: {input: [dims]}`;
    otherwise the first dynamic dim is 1 and the others 16. Integer inputs are zeros (valid ids)."""
    shapes = (man.raw.get("example_shapes") or {})
    comp = man.components[part]
    rng = np.random.default_rng(0)
    feeds = {}
    for s in comp.inputs:
        shape = shapes.get(s.name) or [d if isinstance(d, int) else (1 if i == 0 else 16)
                                       for i, d in enumerate(s.shape)]
        feeds[s.name] = _fill(s, shape, rng)
    return feeds


def _fill(spec: TensorSpec, shape, rng) -> np.ndarray:
    if spec.dtype.startswith("float"):
        return rng.standard_normal(shape).astype(spec.dtype) * 0.1
    if spec.dtype == "bool":
        return np.ones(shape, bool)
    return np.zeros(shape, spec.dtype)


def time_models(provider: str, repeats: int = 20, warmup: int = 3) -> list[dict]:
    """One row per model part: load time, median and p90 latency in ms, and the provider really used."""
    reg = Registry(settings=RuntimeSettings(provider=provider, threads=RuntimeSettings.load().threads))
    rows = []
    for man in reg.manifests():
        for part in man.components:
            row = {"model": man.name, "part": part, "requested": provider}
            try:
                lm = reg.session(man.name, part)
                feeds = example_feeds(man, part)
                for _ in range(warmup):
                    lm.run(feeds)
                ts = []
                for _ in range(repeats):
                    t0 = time.perf_counter()
                    lm.run(feeds)
                    ts.append((time.perf_counter() - t0) * 1000)
                ts.sort()
                row.update(provider=lm.provider, load_s=round(lm.load_s, 3),
                           median_ms=round(statistics.median(ts), 3),
                           p90_ms=round(ts[int(0.9 * (len(ts) - 1))], 3),
                           shapes={k: list(v.shape) for k, v in feeds.items()})
            except Exception as e:  # report, keep going
                row.update(error=str(e).splitlines()[0][:300])
            rows.append(row)
    return rows
