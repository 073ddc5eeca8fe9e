"""Where the program finds its shipped resources and keeps the user's files. No Qt here."""
from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "mm-workbench"


def resources_dir() -> Path:
    """The shipped `resources/` folder: $MMWB_RESOURCES, a PyInstaller bundle, or the source tree."""
    env = os.environ.get("MMWB_RESOURCES")
    if env:
        return Path(env)
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:
        return Path(bundle) / "resources"
    return Path(__file__).resolve().parents[2] / "resources"


def shipped_models_dir() -> Path:
    return resources_dir() / "models"


def _xdg(var: str, default: str) -> Path:
    base = os.environ.get(var) or str(Path.home() / default)
    return Path(base) / APP_NAME


def config_dir() -> Path:
    env = os.environ.get("MMWB_CONFIG_DIR")
    return Path(env) if env else _xdg("XDG_CONFIG_HOME", ".config")


def data_dir() -> Path:
    env = os.environ.get("MMWB_DATA_DIR")
    return Path(env) if env else _xdg("XDG_DATA_HOME", ".local/share")


def user_models_dir() -> Path:
    """Drop a manifest (.json) and its .onnx here to add a model of your own."""
    env = os.environ.get("MMWB_USER_MODELS")
    return Path(env) if env else data_dir() / "models"


def log_dir() -> Path:
    return data_dir() / "logs"
