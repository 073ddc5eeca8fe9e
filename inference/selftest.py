"""`mmwb --self-test`: load every shipped model and run one real inference per panel on data made here.

Each panel provides `inference/<panel>/selftest.py` with `run(workdir: Path) -> str` that makes its own small
input, runs the panel's real pipeline through its shipped default model, checks the output and returns a
one-line summary (or raises). Exit status 0 only when every step works.
"""
from __future__ import annotations

import tempfile
import time
import traceback
from pathlib import Path

from . import panels


def run_all(verbose: bool = False, print_fn=print) -> bool:
    from .runtime.providers import choose_providers
    from .runtime.registry import get_registry

    ok = True
    providers, reason = choose_providers(get_registry().settings.provider)
    print_fn(f"self-test: execution provider {providers[0]} ({reason})")
    rows = get_registry().check_all()
    if not rows:
        print_fn("FAIL models: no shipped models found")
        ok = False
    for r in rows:
        if r["ok"]:
            print_fn(f"ok   model {r['name']} loaded in {r['load_s']:.3f}s")
        else:
            ok = False
            print_fn(f"FAIL model {r['name']}: {r['error']}")
    with tempfile.TemporaryDirectory(prefix="mmwb-selftest-") as tmp:
        for info in panels.PANELS:
            panel = info.name
            t0 = time.perf_counter()
            try:
                mod = info.module("selftest")
                work = Path(tmp) / panel
                work.mkdir()
                summary = mod.run(work)
                print_fn(f"ok   {panel}: {summary} ({time.perf_counter() - t0:.2f}s)")
            except Exception as e:  # noqa: BLE001 - report every failure, keep testing
                ok = False
                print_fn(f"FAIL {panel}: {type(e).__name__}: {e}")
                if verbose:
                    print_fn(traceback.format_exc())
    return ok
