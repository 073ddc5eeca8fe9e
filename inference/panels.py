"""The one list of panels: the window, the CLI, the self-test and drop routing all read it.

Each panel has the same inner shape (`inference/<name>/`: io, model, api, metrics, evaluate, synth, cli,
selftest; `app/panels/<name>/`: the Qt panel class). Its file types come from its own `io.py`
(`FILE_KINDS`: kind → suffixes); an io.py keeps its heavy imports (OpenCascade, Open3D, onnxruntime, cv2)
inside functions, so reading the kinds costs no more than numpy.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .runtime.paths import resources_dir

# every inference/<panel>/ has these modules (tests/core/test_shape.py checks it)
INFERENCE_MODULES = ("io", "model", "api", "metrics", "evaluate", "synth", "cli", "selftest")
# every training/<panel>/ has these
TRAINING_MODULES = ("data", "model", "train", "export")


@dataclass(frozen=True)
class PanelInfo:
    name: str          # package name under inference/, training/, app/panels/, tests/
    title: str         # the tab's title
    cli: str           # `mmwb <cli> …`
    app_class: str     # the Qt class in app/panels/<name>/
    about: str         # one line on what the panel does (its empty state says it)
    sample: str        # under resources/samples/: what "Try a sample" opens
    aliases: tuple[str, ...] = ()

    @property
    def package(self) -> str:
        return f"inference.{self.name}"

    def module(self, part: str):
        """Import inference/<name>/<part>.py (io, cli, selftest, …)."""
        return importlib.import_module(f"{self.package}.{part}")

    @property
    def app_module(self) -> str:
        return f"app.panels.{self.name}"

    def file_kinds(self) -> dict[str, tuple[str, ...]]:
        """kind → suffixes this panel opens (from its io.py); the kind "folder" has no suffixes."""
        return dict(self.module("io").FILE_KINDS)

    def sample_path(self) -> Path:
        return resources_dir() / "samples" / self.sample


PANELS: tuple[PanelInfo, ...] = (
    PanelInfo("video", "Video retrieval", "video", "VideoPanel",
              "Index folders of videos, search them by text, and tell an event from its time-reversed copy "
              "(after the RTime benchmark).",
              "video"),
    PanelInfo("cad", "CAD synthesis", "cad", "CadPanel",
              "Text or an image → a sketch-and-extrude sequence → a valid solid, editable, exported to STEP/STL "
              "(after CAD-GPT).",
              "cad/flange.json"),
    PanelInfo("pointcloud", "Point clouds", "pc", "PointCloudPanel",
              "An image plus a sparse or noisy point cloud → a dense point cloud, compared and exported "
              "(after ObitoNet).",
              "pointcloud/bunny.ply", aliases=("pointcloud",)),
    PanelInfo("chart", "Chart reading", "chart", "ChartPanel",
              "A chart image → its data table, answers to questions and a summary, using the chart's own text "
              "(after AskChart).",
              "chart/bars.png"),
)


def get(name: str) -> PanelInfo:
    """A panel by its package name, CLI name or alias."""
    for p in PANELS:
        if name in (p.name, p.cli, *p.aliases):
            return p
    raise KeyError(name)


def cli_names() -> dict[str, PanelInfo]:
    """Every name `mmwb` accepts for a panel command (CLI name and aliases) → its panel."""
    out = {}
    for p in PANELS:
        for n in (p.cli, *p.aliases):
            out[n] = p
    return out


@lru_cache(maxsize=1)
def all_file_kinds() -> dict[str, tuple[str, ...]]:
    """kind → suffixes, merged over every panel's io.FILE_KINDS (several panels may open one kind)."""
    kinds: dict[str, tuple[str, ...]] = {}
    for p in PANELS:
        for kind, suffixes in p.file_kinds().items():
            merged = list(kinds.get(kind, ()))
            merged += [s for s in suffixes if s not in merged]
            kinds[kind] = tuple(merged)
    return kinds


def kind_of(path: str | Path) -> str | None:
    """The file kind of a path: "folder" for a directory, else the kind whose suffixes hold its suffix."""
    p = Path(path)
    if p.is_dir():
        return "folder"
    suffix = p.suffix.lower()
    for kind, suffixes in all_file_kinds().items():
        if suffix in suffixes:
            return kind
    return None


def panels_for(path: str | Path) -> list[PanelInfo]:
    """The panels that open this path, in tab order."""
    kind = kind_of(path)
    if kind is None:
        return []
    return [p for p in PANELS if kind in p.file_kinds()]
