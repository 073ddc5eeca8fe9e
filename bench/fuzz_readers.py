"""Fuzz every file reader with thousands of cases (issues #14 and #15): the properties of tests/cad/test_fuzz.py
and tests/pointcloud/test_fuzz.py, run with many more cases and counted instead of stopping at the first failure.

    python bench/fuzz_readers.py                         # 5000 cases per property and reader, both panels
    python bench/fuzz_readers.py --cases 2000 --seed 7 --only pointcloud
    python bench/fuzz_readers.py --only cad --out /tmp/fuzz-failures

Rows (one per reader and property):

* ``cad-json valid``: random valid sequences written by write_deepcad_json, read back and compared;
* ``cad-json mutated``: real DeepCAD files (../shared/data/deepcad, else sequences the test writes) mutated —
  keys deleted, types swapped, NaN/inf/1e300/huge ints, deep nesting, truncation, random bytes;
* ``cad kernel``: every sequence of the two rows above that was read, built by OpenCascade in a worker process
  (a native crash is counted as a failure and the worker restarts after the crashing file);
* ``<format> valid`` / ``<format> mutated`` for PLY ascii/LE/BE, PCD ascii/binary/binary_compressed,
  .xyz/.txt/.pts/.asc and KITTI .bin: clouds written and read back; headers and bodies mutated.

Columns: cases; clean errors (InputError with a one-line message); valid reads (read back equal, or read with
finite in-range coordinates and consistent fields; for the kernel: a solid); failures (any other exception,
an unclear message, a wrong or inconsistent result, a crash). The first few failures of each row are saved
to ``--out`` (the file and a .txt saying what happened). Exit status 1 when any row has a failure.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

from tests.cad import test_fuzz as cadfz  # noqa: E402
from tests.pointcloud import test_fuzz as pcfz  # noqa: E402


class Row:
    def __init__(self, name: str, out: Path, keep: int):
        self.name, self.out, self.keep = name, out, keep
        self.cases = self.errors = self.valid = self.failures = 0
        self.t0 = time.time()
        self.first: list[str] = []

    def add(self, outcome: str, detail: str = "", data: bytes | None = None, suffix: str = ".bin") -> None:
        self.cases += 1
        if outcome in ("refused",):
            self.errors += 1
        elif outcome in ("valid", "read", "ok"):
            self.valid += 1
        else:
            self.failures += 1
            if self.failures <= self.keep:
                folder = self.out / self.name.replace(" ", "_")
                folder.mkdir(parents=True, exist_ok=True)
                if data is not None:
                    (folder / f"failure{self.failures}{suffix}").write_bytes(data)
                (folder / f"failure{self.failures}.txt").write_text(f"{outcome}\n{detail}\n", encoding="utf-8")
                self.first.append(detail.strip().splitlines()[-1][:200] if detail.strip() else outcome)

    def line(self) -> str:
        return (f"{self.name:32s} {self.cases:7d} {self.errors:13d} {self.valid:11d} {self.failures:9d} "
                f"{time.time() - self.t0:7.1f}s")


def run(strategy, handle, cases: int, seed_value: int) -> None:
    """Call ``handle`` on ``cases`` examples of ``strategy`` (no shrinking: each case is counted, none stops it)."""
    @settings(max_examples=cases, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @seed(seed_value)
    @given(strategy)
    def prop(x):
        handle(x)

    prop()


def fuzz_cad(args, out: Path) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        build_dir = tmp / "build"
        build_dir.mkdir()
        to_build: list[bytes] = []

        valid = Row("cad-json valid", out, args.keep)

        def on_valid(seq):
            outcome, detail = cadfz.roundtrip_outcome(seq, build=False)
            data = json.dumps(cadfz.write_deepcad_json(seq)).encode()
            valid.add(outcome, detail, data, ".json")
            if outcome == "valid":
                to_build.append(data)

        run(cadfz.sequences(), on_valid, args.cases, args.seed)
        print(valid.line(), flush=True)
        rows.append(valid)

        mutated = Row("cad-json mutated", out, args.keep)

        def on_mutated(text):
            outcome, detail = cadfz.read_outcome(text, tmp)
            mutated.add(outcome, detail if isinstance(detail, str) else "", text, ".json")
            if outcome == "read":
                to_build.append(text)

        run(cadfz.mutated_json(cadfz.bases()), on_mutated, args.cases, args.seed)
        print(mutated.line(), flush=True)
        rows.append(mutated)

        kernel = Row("cad kernel (workers)", out, args.keep)
        files = list(dict.fromkeys(to_build))
        for i, data in enumerate(files):
            (build_dir / f"{i:06d}.json").write_bytes(data)
        results = cadfz.build_batch(build_dir, timeout=3600)
        for i, data in enumerate(files):
            outcome, detail = results.get(i, ("failure", "no result from the worker"))
            kernel.add(outcome, detail, data, ".json")
        print(kernel.line(), flush=True)
        rows.append(kernel)
    return rows


def fuzz_pointcloud(args, out: Path) -> list[Row]:
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for k, fmt in enumerate(pcfz.FORMATS):  # a seed per format: .xyz/.txt/.pts/.asc share one reader
            suffix = pcfz.FORMATS[fmt][0]
            valid = Row(f"{fmt} valid", out, args.keep)

            def on_valid(pc, fmt=fmt, valid=valid):
                outcome, detail = pcfz.roundtrip_outcome(fmt, pc, tmp)
                valid.add(outcome, detail, (tmp / f"cloud{suffix}").read_bytes() if outcome != "valid" else None,
                          suffix)

            run(pcfz.clouds(fmt), on_valid, args.cases, args.seed + k)
            print(valid.line(), flush=True)
            mutated = Row(f"{fmt} mutated", out, args.keep)

            def on_mutated(data, fmt=fmt, mutated=mutated):
                outcome, detail = pcfz.mutated_outcome(fmt, data, tmp)
                mutated.add(outcome, detail, data, suffix)

            run(pcfz.mutated_cloud(fmt), on_mutated, args.cases, args.seed + k)
            print(mutated.line(), flush=True)
            rows += [valid, mutated]
    return rows


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cases", type=int, default=5000, help="cases per property and reader (default 5000)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--only", choices=["cad", "pointcloud"])
    ap.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "mmwb-fuzz-failures",
                    help="where the first failures of each row are saved")
    ap.add_argument("--keep", type=int, default=5, help="failures saved per row")
    args = ap.parse_args(argv)
    import warnings
    warnings.simplefilter("ignore", RuntimeWarning)  # numpy overflow warnings on absurd values: counted by outcome
    print(f"{'reader':32s} {'cases':>7s} {'clean errors':>13s} {'valid reads':>11s} {'failures':>9s} {'time':>8s}")
    rows: list[Row] = []
    if args.only in (None, "cad"):
        rows += fuzz_cad(args, args.out)
    if args.only in (None, "pointcloud"):
        rows += fuzz_pointcloud(args, args.out)
    total = sum(r.failures for r in rows)
    print(f"{'total':32s} {sum(r.cases for r in rows):7d} {sum(r.errors for r in rows):13d} "
          f"{sum(r.valid for r in rows):11d} {total:9d}")
    for r in rows:
        for k, what in enumerate(r.first, 1):
            print(f"  {r.name} failure {k}: {what}")
    if total:
        print(f"reproducers: {args.out}")
    return 1 if total else 0


if __name__ == "__main__":
    sys.exit(main())
