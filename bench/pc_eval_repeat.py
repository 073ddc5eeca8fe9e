"""Run `mmwb pc eval` on the same dataset N times in a row and count the runs that crash (issue #15/#17:
`mmwb pc eval` died by SIGSEGV, nothing printed, in 2 of 7 identical runs on a 2-core machine).

    python bench/pc_eval_repeat.py --runs 5                      # 40 shapes (seed 90211), every method
    python bench/pc_eval_repeat.py --runs 20 --methods poisson --load 1   # only Poisson, beside a busy core

A run counts as a crash when it ends by a signal (SIGSEGV: exit -11 / 139) or with any non-zero exit; every
run's exit status, time and last stderr line are printed. `--load K` keeps K busy-looping processes beside
the evaluator (the crash showed up under load from the other engineers' jobs). The runs' JSON outputs are
compared too: identical runs must print identical figures.
"""
from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUSY = "while True: pass"


def figures(stdout: str) -> str:
    """The scores of one run (timings left out): identical runs must give identical figures."""
    rows = json.loads(stdout)["rows"]
    return json.dumps([{k: v for k, v in r.items() if k != "seconds"} for r in rows], sort_keys=True)


def mmwb(*args: str) -> list[str]:
    return [sys.executable, "-m", "inference.cli", "pc", *args]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--n", type=int, default=40, help="shapes in the dataset (default 40)")
    ap.add_argument("--seed", type=int, default=90211)
    ap.add_argument("--dataset", help="an existing dataset (default: made with `mmwb pc synth` in a temp folder)")
    ap.add_argument("--methods", help="passed to `mmwb pc eval --methods` (default: every method)")
    ap.add_argument("--levels", help="passed to `mmwb pc eval --levels`")
    ap.add_argument("--load", type=int, default=0, help="busy-looping processes beside the evaluator")
    a = ap.parse_args(argv)

    env = dict(os.environ, PYTHONFAULTHANDLER="1")
    with tempfile.TemporaryDirectory() as tmp:
        data = a.dataset or str(Path(tmp) / "ds")
        if not a.dataset:
            subprocess.run(mmwb("synth", data, "--n", str(a.n), "--seed", str(a.seed), "--quiet"), cwd=REPO,
                           check=True, env=env, stdout=subprocess.DEVNULL)
        cmd = mmwb("eval", data, "--json")
        if a.methods:
            cmd += ["--methods", a.methods]
        if a.levels:
            cmd += ["--levels", a.levels]
        hogs = [subprocess.Popen([sys.executable, "-c", BUSY]) for _ in range(a.load)]
        crashes, outputs = 0, set()
        try:
            for i in range(a.runs):
                t0 = time.perf_counter()
                p = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
                dt = time.perf_counter() - t0
                rc = p.returncode
                how = f"signal {signal.Signals(-rc).name}" if rc < 0 else f"exit {rc}"
                last = (p.stderr.strip().splitlines() or [""])[-1][:120]
                if rc != 0:
                    crashes += 1
                    fault = [ln for ln in p.stderr.splitlines() if "File " in ln][:6]
                    print(f"run {i + 1}: {how} after {dt:.1f} s; {last}")
                    for ln in fault:
                        print(f"    {ln.strip()}")
                else:
                    outputs.add(figures(p.stdout))
                    print(f"run {i + 1}: ok in {dt:.1f} s")
                sys.stdout.flush()
        finally:
            for h in hogs:
                h.kill()
                h.wait()
    print(f"{crashes} crash(es) in {a.runs} runs of: {' '.join(cmd[2:])}"
          + (f" (beside {a.load} busy process(es))" if a.load else ""))
    if len(outputs) > 1:
        print(f"warning: the successful runs gave {len(outputs)} different sets of figures")
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
