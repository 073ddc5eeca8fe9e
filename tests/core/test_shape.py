"""The house has one shape: every panel has the same named modules in each layer, one registry names them,
and no module imports another that imports it back (not even lazily, inside a function)."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import pytest

from inference import panels

REPO = Path(__file__).resolve().parents[2]
PACKAGES = ("app", "inference", "training")


@pytest.mark.parametrize("info", panels.PANELS, ids=lambda p: p.name)
def test_every_panel_has_the_shared_modules(info):
    inf = REPO / "inference" / info.name
    missing = [m for m in panels.INFERENCE_MODULES if not (inf / f"{m}.py").is_file()]
    assert not missing, f"inference/{info.name}/ lacks {missing}"
    tr = REPO / "training" / info.name
    missing = [m for m in panels.TRAINING_MODULES if not (tr / f"{m}.py").is_file()]
    assert not missing, f"training/{info.name}/ lacks {missing}"
    assert (REPO / "app" / "panels" / info.name / "__init__.py").is_file()
    assert (REPO / "tests" / info.name).is_dir()


@pytest.mark.parametrize("info", panels.PANELS, ids=lambda p: p.name)
def test_registry_entries_are_real(info):
    kinds = info.file_kinds()
    assert kinds and all(isinstance(v, tuple) for v in kinds.values())
    assert all(s.startswith(".") and s == s.lower() for v in kinds.values() for s in v)
    cli = info.module("cli")
    assert callable(cli.register) and callable(info.module("selftest").run)
    assert info.sample_path().exists(), f"the sample {info.sample_path()} is missing"
    assert info.about.strip()


@pytest.mark.parametrize("info", panels.PANELS, ids=lambda p: p.name)
def test_panel_class_is_named_for_what_it_is(qtbot, info):
    mod = importlib.import_module(info.app_module)
    cls = getattr(mod, info.app_class)
    assert cls.panel_id == info.name
    assert not hasattr(mod, "Panel"), "the old generic name `Panel` is gone"


def test_registry_names_are_unique_and_resolve():
    commands = [n for p in panels.PANELS for n in (p.cli, *p.aliases)]  # what `mmwb <command>` accepts
    assert len(commands) == len(set(commands)), commands
    assert len({p.name for p in panels.PANELS}) == len(panels.PANELS)
    assert len({p.app_class for p in panels.PANELS}) == len(panels.PANELS)
    for p in panels.PANELS:
        assert panels.get(p.cli) is p and panels.get(p.name) is p
    with pytest.raises(KeyError):
        panels.get("nope")


def _module_name(path: Path) -> str:
    rel = path.relative_to(REPO).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    out = {}
    for pkg in PACKAGES:
        for f in (REPO / pkg).rglob("*.py"):
            out[_module_name(f)] = f
    return out


def _imports(name: str, path: Path, known: set[str]) -> set[str]:
    """Every project module this module imports, at any depth of its code (lazy imports count)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    is_pkg = path.name == "__init__.py"
    base_parts = name.split(".") if is_pkg else name.split(".")[:-1]
    found = set()
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = base_parts[: len(base_parts) - (node.level - 1)]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [f"{mod}.{a.name}" for a in node.names] + [mod]
        for t in targets:
            # the longest known module that the name denotes (a submodule, else the module it comes from)
            while t and t not in known:
                t = t.rpartition(".")[0]
            if t and t != name:
                found.add(t)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in list(graph):
        if v not in index:
            visit(v)
    return out


def test_no_import_loops_anywhere():
    mods = _modules()
    known = set(mods)
    # a package's __init__ is not a module of its own here: importing `pkg.sub` runs `pkg/__init__` first,
    # which is how Python works, not a loop in the design
    packages = {n for n, p in mods.items() if p.name == "__init__.py"}
    graph = {n: {m for m in _imports(n, p, known) if m not in packages}
             for n, p in mods.items() if n not in packages}
    loops = _cycles(graph)
    assert not loops, "import loops: " + "; ".join(" <-> ".join(c) for c in loops)


def test_the_loop_finder_finds_a_loop():
    assert _cycles({"a": {"b"}, "b": {"a"}, "c": {"a"}}) == [["a", "b"]]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def _panel_package(module: str) -> list[str]:
    return module.split(".")[:2]  # e.g. ["inference", "video"]: one panel's package in one layer


def test_no_private_names_cross_packages():
    """`from inference.x.y import _helper`, or `y._helper` on a module imported from another package, reaches into
    someone else's privates."""
    mods = _modules()
    bad = []
    for name, path in mods.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        foreign_aliases = {}  # local name -> module of another package
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                if _panel_package(node.module) == _panel_package(name):
                    continue  # same panel package
                bad += [f"{name}: from {node.module} import {a.name}" for a in node.names
                        if a.name.startswith("_") and not a.name.startswith("__")]
                for a in node.names:
                    if f"{node.module}.{a.name}" in mods:
                        foreign_aliases[a.asname or a.name] = f"{node.module}.{a.name}"
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name in mods and a.asname and _panel_package(a.name) != _panel_package(name):
                        foreign_aliases[a.asname] = a.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id in foreign_aliases and node.attr.startswith("_")
                    and not node.attr.startswith("__")):
                bad.append(f"{name}: {foreign_aliases[node.value.id]}.{node.attr}")
    assert not bad, "\n".join(bad)
