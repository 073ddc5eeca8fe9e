"""The layers are enforced: inference/ has no Qt and no torch; app/ has no torch and no training/."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

QT = {"PySide6", "PyQt5", "PyQt6", "pyqtgraph", "shiboken6", "qtpy", "superqt"}
TORCH = {"torch", "torchvision", "torchaudio"}
RULES = {
    "inference": QT | TORCH | {"app", "training"},
    "app": TORCH | {"training"},
}


def imported_roots(source: str) -> set[str]:
    """Top-level names of every import in a module, including imports inside functions."""
    roots = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            roots |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "__import__" and node.args:
            arg = node.args[0]
            if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                roots.add(arg.value.split(".")[0])
    return roots


def violations(folder: Path, forbidden: set[str]) -> list[str]:
    bad = []
    for f in sorted(folder.rglob("*.py")):
        hits = imported_roots(f.read_text(encoding="utf-8")) & forbidden
        if hits:
            bad.append(f"{f.relative_to(folder.parent)} imports {sorted(hits)}")
    return bad


def test_checker_catches_forbidden_imports(tmp_path):
    pkg = tmp_path / "inference"
    pkg.mkdir()
    (pkg / "ok.py").write_text("import numpy\nfrom .x import y\n")
    (pkg / "bad_qt.py").write_text("def f():\n    from PySide6 import QtCore\n")
    (pkg / "bad_torch.py").write_text("import torch.nn as nn\n")
    bad = violations(pkg, RULES["inference"])
    assert len(bad) == 2
    assert any("bad_qt.py" in b and "PySide6" in b for b in bad)
    assert any("bad_torch.py" in b and "torch" in b for b in bad)


def test_inference_has_no_qt_or_torch():
    assert violations(REPO / "inference", RULES["inference"]) == []


def test_app_has_no_torch():
    assert violations(REPO / "app", RULES["app"]) == []


def test_cli_does_not_load_qt_or_torch_at_run_time():
    code = ("import sys, io, contextlib\nfrom inference import cli\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n    cli.main(['models', 'list'])\n"
            "bad = sorted(m for m in sys.modules if m.split('.')[0] in {'PySide6', 'torch', 'pyqtgraph'})\n"
            "print(bad)\nassert not bad, bad\n")
    r = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stdout + r.stderr
