"""`mmwb` sub-commands, headless (no Qt is imported here).

Each panel of the registry (`inference/panels.py`) contributes its own command through
`inference/<panel>/cli.py: register(subparsers, info)`; only the module of the command being run is imported, so
`mmwb doctor` stays fast.
"""
from __future__ import annotations

import argparse
import importlib
import json
import logging
import platform
import sys
import time
from importlib import metadata

from .runtime.errors import WorkbenchError

from . import panels
from .console import end_active_progress, quiet_libraries

PACKAGES = ["numpy", "PySide6-Essentials", "pyqtgraph", "onnxruntime-gpu", "onnxruntime",
            "opencv-python-headless", "open3d-cpu", "open3d", "scipy", "cadquery-ocp-novtk", "rapidocr",
            "tokenizers", "usearch", "matplotlib", "torch"]


# in a frozen bundle there is no package metadata: read the modules' own versions instead
MODULE_VERSIONS = {"numpy": "numpy", "PySide6": "PySide6", "onnxruntime": "onnxruntime", "opencv": "cv2",
                   "open3d": "open3d"}


def _versions() -> dict[str, str]:
    out = {}
    if getattr(sys, "frozen", False):
        for label, mod in MODULE_VERSIONS.items():
            try:
                out[label] = str(importlib.import_module(mod).__version__)
            except Exception:  # noqa: BLE001 - report what is there
                continue
        return out
    for p in PACKAGES:
        try:
            out[p] = metadata.version(p)
        except metadata.PackageNotFoundError:
            continue
    return out


def _active_ort_package() -> str:
    """Which distribution the imported `onnxruntime` module comes from."""
    try:
        from onnxruntime.capi import build_and_package_info as info

        return str(getattr(info, "package_name", "?"))
    except Exception:  # noqa: BLE001
        return "?"


def _warnings(versions: dict) -> list[str]:
    w = []
    if getattr(sys, "frozen", False):
        return w
    if "onnxruntime" in versions and "onnxruntime-gpu" in versions and _active_ort_package() != "onnxruntime-gpu":
        w.append("plain 'onnxruntime' (CPU only) shadows 'onnxruntime-gpu': they share one module. "
                 "Fix: pip uninstall -y onnxruntime onnxruntime-gpu && pip install onnxruntime-gpu")
    if "onnxruntime" not in versions and "onnxruntime-gpu" not in versions:
        w.append("no onnxruntime package is installed: pip install onnxruntime-gpu")
    return w


def doctor_report() -> dict:
    from .runtime.providers import choose_providers, cuda_status, import_ort, short_name
    from .runtime.registry import get_registry

    versions = _versions()
    ort = import_ort()
    reg = get_registry()
    status = cuda_status()
    providers, reason = choose_providers(reg.settings.provider)
    t0 = time.perf_counter()
    models = reg.check_all()
    return {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "packages": versions,
        "onnxruntime_available_providers": ort.get_available_providers(),
        "provider_used": providers[0],
        "provider_short": short_name(providers[0]),
        "provider_reason": reason,
        "cuda_usable": status.usable,
        "cuda_reason": status.reason,
        "settings": {"provider": reg.settings.provider, "threads": reg.settings.threads},
        "models_dirs": [str(d) for d, _ in reg.dirs],
        "models": models,
        "models_check_s": round(time.perf_counter() - t0, 3),
        "warnings": _warnings(versions),
    }


def cmd_doctor(args) -> int:
    rep = doctor_report()
    bad = [m for m in rep["models"] if not m["ok"]]
    if args.json:
        keep = ("provider_used", "cuda_usable", "cuda_reason", "models")
        out = {k: rep[k] for k in keep}
        out["models"] = [{k: m[k] for k in ("name", "task", "ok", "error", "load_s")} for m in rep["models"]]
        out.update({k: v for k, v in rep.items() if k not in keep})
        print(json.dumps(out, indent=2))
        return 1 if bad or rep["warnings"] else 0
    print(f"Python {rep['python']} on {rep['platform']}")
    for k, v in rep["packages"].items():
        print(f"  {k:24s} {v}")
    print(f"onnxruntime lists providers: {', '.join(rep['onnxruntime_available_providers'])}")
    where = "GPU (CUDA)" if rep["cuda_usable"] else "CPU"
    print(f"Models run on: {where} — {rep['provider_reason']}")
    print(f"CUDA usable: {'yes' if rep['cuda_usable'] else 'no'} — {rep['cuda_reason']}")
    print(f"Models ({len(rep['models'])}) from {', '.join(rep['models_dirs'])}:")
    if not rep["models"]:
        print("  (none installed)")
    for m in rep["models"]:
        if m["ok"]:
            print(f"  OK    {m['name']:22s} {m['task']:26s} loaded in {m['load_s']:.3f}s")
            for part, info in m["parts"].items():
                sig_in = ", ".join(f"{s['name']}{s['shape']}:{s['dtype']}" for s in info["inputs"])
                sig_out = ", ".join(f"{s['name']}{s['shape']}:{s['dtype']}" for s in info["outputs"])
                label = "" if part == "main" else f"[{part}] "
                print(f"        {label}in: {sig_in}")
                print(f"        {' ' * len(label)}out: {sig_out}")
        else:
            print(f"  FAIL  {m['name']:22s} {m['error']}")
    for w in rep["warnings"]:
        print(f"warning: {w}")
    if bad or rep["warnings"]:
        print(f"doctor: {len(bad)} model(s) failed, {len(rep['warnings'])} warning(s)")
        return 1
    print("doctor: all is well")
    return 0


def cmd_models_list(args) -> int:
    from .runtime.registry import get_registry

    reg = get_registry()
    rows = [m.summary() for m in reg.manifests()]
    broken = [{"name": b.name, "manifest": str(b.path), "error": b.error} for b in reg.broken()]
    if args.json:
        print(json.dumps({"models": rows, "broken": broken}, indent=2))
        return 0
    if not rows and not broken:
        print("no models installed")
    for m in rows:
        star = "*" if m["default"] else " "
        metrics = ", ".join(f"{k}={v}" for k, v in list(m["metrics"].items())[:4]) if isinstance(m["metrics"], dict) else ""
        print(f"{star} {m['name']:22s} {m['task']:26s} {m['source']:7s} {metrics}")
    for b in broken:
        print(f"! {b['name']:22s} UNUSABLE: {b['error']}")
    return 0


# `mmwb models import-clip`: the flags are defined here once; training/video/clip_import.py (run in a subprocess,
# as torch and transformers may not be installed and inference/ never imports them) parses the same ones
IMPORT_CLIP_FLAGS = [  # (flag, type, default, help)
    ("--tokenizer", str, None, "tokenizer.json or a Hugging Face tokenizer folder (needed for an OpenCLIP state dict)"),
    ("--name", str, None, "model name (default: clip-<checkpoint name>)"),
    ("--out", str, None, "where the .onnx files, tokenizer and manifest go (default: the user models folder)"),
    ("--data", str, None, "where RTime-synth is rendered (default: DATA/video in the user data folder)"),
    ("--frames", int, 8, "frames per clip the video tower reads"),
    ("--steps", int, 1500, "training steps of the temporal head"),
    ("--batch", int, 64, "clips per batch (+ as many reversed copies)"),
    ("--lr", float, 1e-3, "learning rate of the head and adapter"),
    ("--width", int, 256, "width of the temporal head"),
    ("--event-weight", float, 1.0, "weight of the event loss (a prototype per RTime-synth event and direction) "
                                   "beside InfoNCE; 0: InfoNCE only"),
    ("--n-train", int, 1400, "RTime-synth training clips"),
    ("--n-test", int, 280, "held-out clips for the evaluation (and the calibration)"),
    ("--time-budget", float, 0.0, "seconds for the training loop (0: steps only)"),
    ("--seed", int, 0, "seed of the training split and the training"),
    ("--test-seed", int, 777, "seed of the held-out evaluation split"),
    ("--calib-seed", int, 4242, "seed of the held-out calibration split"),
    ("--no-calibrate", bool, False, "do not fit the score calibration"),
    ("--device", str, "auto", "auto, cpu or cuda: where CLIP and the head run during the import"),
    ("--threads", int, 0, "torch CPU threads (0: torch's default)"),
    ("--workers", int, 1, "processes rendering RTime-synth"),
    ("--vision-heads", int, 0, "OpenCLIP only: attention heads of the image tower (default: width/64)"),
    ("--text-heads", int, 0, "OpenCLIP only: attention heads of the text tower (default: width/64)"),
    ("--activation", str, "auto", "OpenCLIP only: gelu or quick_gelu (default: open_clip_config.json, else "
                                  "quick_gelu for OpenAI weights)"),
    ("--smoke", bool, False, "tiny data and few steps (a test run)"),
]


def import_clip_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("path", help="a Hugging Face CLIP folder (config.json + weights + tokenizer) or an OpenCLIP "
                                "state dict (.pt/.bin/.safetensors)")
    for flag, typ, default, text in IMPORT_CLIP_FLAGS:
        if typ is bool:
            p.add_argument(flag, action="store_true", help=text)
        elif flag == "--activation":
            p.add_argument(flag, choices=["auto", "gelu", "quick_gelu"], default=default, help=text)
        elif flag == "--device":
            p.add_argument(flag, choices=["auto", "cpu", "cuda"], default=default, help=text)
        else:
            p.add_argument(flag, type=typ, default=default, help=text)


def import_clip_argv(args) -> list[str]:
    """The parsed flags written back as a command line (the ones that differ from their defaults)."""
    out = [str(args.path)]
    for flag, typ, default, _ in IMPORT_CLIP_FLAGS:
        v = getattr(args, flag[2:].replace("-", "_"))
        if typ is bool:
            out += [flag] if v else []
        elif v != default:
            out += [flag, str(v)]
    return out


def cmd_models_import_clip(args) -> int:
    import importlib.util
    import os
    import subprocess
    from pathlib import Path

    if not Path(args.path).expanduser().exists():
        print(f"error: {args.path} does not exist", file=sys.stderr)
        return 2
    missing = ["torch", "transformers"] if getattr(sys, "frozen", False) else \
        [m for m in ("torch", "transformers") if importlib.util.find_spec(m) is None]
    if missing:
        print(f"error: importing a CLIP checkpoint needs {' and '.join(missing)}, not installed here: install the "
              "training extra (pip install -e '.[train]')", file=sys.stderr)
        return 2
    root = str(Path(__file__).resolve().parents[1])  # where the `training` package sits beside `inference`
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [root, os.environ.get("PYTHONPATH")])))
    return subprocess.call([sys.executable, "-m", "training.video.clip_import", *import_clip_argv(args)], env=env)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mmwb", description="Multimodal Workbench. With no command, opens the window.")
    p.add_argument("--debug", action="store_true", help="verbose logging")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")
    d = sub.add_parser("doctor", help="check the installation, the execution provider and every model")
    d.add_argument("--json", action="store_true", help="print one JSON object")
    d.set_defaults(func=cmd_doctor)
    m = sub.add_parser("models", help="list installed models")
    msub = m.add_subparsers(dest="models_command", metavar="ACTION", required=True)
    ml = msub.add_parser("list", help="list models (shipped and the user's)")
    ml.add_argument("--json", action="store_true")
    ml.set_defaults(func=cmd_models_list)
    mi = msub.add_parser("import-clip", help="import a CLIP checkpoint (Hugging Face or OpenCLIP) as a video model",
                         description="Export a CLIP checkpoint you have on disk to ONNX with a temporal head trained "
                                     "on RTime-synth (reversed clips as hard negatives), into the user models folder. "
                                     "Needs the training extra: pip install -e '.[train]'.")
    import_clip_arguments(mi)
    mi.set_defaults(func=cmd_models_import_clip)
    for info in panels.PANELS:
        if only is not None and only not in (info.cli, *info.aliases):
            continue
        module = f"{info.package}.cli"
        try:
            mod = importlib.import_module(module)
        except ModuleNotFoundError as e:
            if e.name and module.startswith(e.name):
                continue  # that panel is not installed
            raise
        mod.register(sub, info)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    first = next((a for a in argv if not a.startswith("-")), None)
    # a panel command imports only that panel's CLI; `doctor`/`models` import none; anything else (a typo)
    # builds every command so that argparse can list them all
    only = first if first in panels.cli_names() else "" if first in ("doctor", "models") else None
    parser = build_parser(only=only)
    args = parser.parse_args(argv)
    quiet_libraries(args.debug)
    logging.basicConfig(level=logging.DEBUG if args.debug else logging.WARNING,
                        format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    try:
        return int(args.func(args) or 0)
    except WorkbenchError as e:
        end_active_progress()
        print(f"error: {e.message}", file=sys.stderr)
        if e.hint:
            print(f"hint: {e.hint}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        end_active_progress()
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
