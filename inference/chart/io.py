"""Reading chart images with firm size limits (the header is checked before any pixels are decoded)."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from inference.runtime.errors import InputError

MIN_SIDE = 32
MAX_SIDE = 12000
MAX_PIXELS = 40_000_000
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")


def check_size(w: int, h: int, what: str = "image") -> None:
    if w < MIN_SIDE or h < MIN_SIDE:
        raise InputError(f"{what} too small ({w}×{h} px): a chart needs at least {MIN_SIDE}×{MIN_SIDE} px",
                         "use a larger picture of the chart (about 400×300 px or more)")
    if w > MAX_SIDE or h > MAX_SIDE or w * h > MAX_PIXELS:
        raise InputError(f"image too large ({w}×{h} px; the limit is {MAX_SIDE} px a side and "
                         f"{MAX_PIXELS // 1_000_000} MP)", "crop the chart or scale the picture down")


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
    p = Path(src)
    if not p.exists():
        raise InputError(f"no such file: {p}", "check the path")
    if p.is_dir():
        raise InputError(f"{p} is a folder, not an image", "give a PNG or JPEG file")
    from PIL import Image, UnidentifiedImageError

    Image.MAX_IMAGE_PIXELS = None  # we apply our own limit below, before decoding
    try:
        with Image.open(p) as im:
            w, h = im.size
            check_size(w, h)
            im.load()
            if im.mode in ("RGBA", "LA", "P", "PA"):
                im = im.convert("RGBA")
                bg = Image.new("RGBA", im.size, (255, 255, 255, 255))
                im = Image.alpha_composite(bg, im)
            rgb = np.asarray(im.convert("RGB"), dtype=np.uint8)
    except UnidentifiedImageError:
        raise InputError(f"{p.name} is not an image this program can read",
                         f"use one of {', '.join(IMAGE_SUFFIXES)}") from None
    except OSError as e:
        raise InputError(f"{p.name} cannot be decoded ({e})", "the file may be truncated; export it again") from None
    return np.ascontiguousarray(rgb)
