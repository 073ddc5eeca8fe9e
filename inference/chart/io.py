"""Chart images: a path (read by inference.runtime.media with the chart's size limits, checked on the header
before any pixel is decoded) or an array -> HxWx3 uint8 RGB."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from inference.runtime.errors import InputError
from inference.runtime.media import IMAGE_SUFFIXES, MAX_PIXELS, MAX_SIDE, check_limits, read_image

__all__ = ["IMAGE_SUFFIXES", "MAX_PIXELS", "MAX_SIDE", "MIN_SIDE", "check_size", "load_image", "write_text", "FILE_KINDS"]

MIN_SIDE = 32
# what this panel opens (inference.panels reads it for drop routing and file dialogs)
FILE_KINDS = {"image": IMAGE_SUFFIXES}


def check_size(w: int, h: int, what: str = "image") -> None:
    if w < MIN_SIDE or h < MIN_SIDE:
        raise InputError(f"{what} too small ({w}×{h} px): a chart needs at least {MIN_SIDE}×{MIN_SIDE} px",
                         "use a larger picture of the chart (about 400×300 px or more)")
    check_limits(w, h)  # the workbench's limit: MAX_SIDE px a side, MAX_PIXELS in all


def load_image(src) -> np.ndarray:
    """A path or an array -> HxWx3 uint8 RGB. Transparent pixels are composed over white."""
    if isinstance(src, np.ndarray):
        arr = src
        if arr.ndim == 2:
            arr = np.repeat(arr[:, :, None], 3, axis=2)
        if arr.ndim != 3 or arr.shape[2] not in (3, 4):
            raise InputError(f"an image array must be HxW, HxWx3 or HxWx4 (got shape {arr.shape})",
                             "pass an RGB image")
        check_size(arr.shape[1], arr.shape[0])
        if arr.dtype != np.uint8:
            a = arr.astype(np.float64)
            if a.max() <= 1.0:
                a = a * 255
            arr = np.clip(a, 0, 255).astype(np.uint8)
        if arr.shape[2] == 4:
            alpha = arr[:, :, 3:4].astype(np.float32) / 255
            arr = (arr[:, :, :3] * alpha + 255 * (1 - alpha)).astype(np.uint8)
        return np.ascontiguousarray(arr)
    return read_image(src, "rgb", check=check_size, hint="give a PNG or JPEG picture of the chart")


def write_text(path: str | Path, text: str) -> None:
    """Write an export (a table's CSV, a reading's JSON); a place that cannot be written is an InputError."""
    p = Path(path)
    try:
        p.write_text(text, encoding="utf-8")
    except OSError as e:
        raise InputError(f"cannot write {p.name} ({e.strerror or e})", "pick a folder you can write to") from None
