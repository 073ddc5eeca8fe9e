"""Reading user pictures: the one image reader of the workbench (numpy + Pillow + OpenCV, no Qt).

``read_image`` checks the file (missing, a folder, empty), reads only the header first and refuses a
picture over the size limit before any pixel is decoded, then decodes it to the form the caller asks
for. Every failure is an ``InputError`` that says what is wrong and what to do.
``fit_thumbnail`` scales a decoded picture to fit a square box (for the panels' previews).
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import numpy as np

from inference.runtime.errors import InputError

MAX_SIDE = 12000  # px a side
MAX_PIXELS = 40_000_000  # 40 MP
IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp", ".tif", ".tiff")
MODES = ("gray", "rgb", "any")


def check_limits(w: int, h: int, max_side: int = MAX_SIDE, max_pixels: int = MAX_PIXELS) -> None:
    if w > max_side or h > max_side or w * h > max_pixels:
        raise InputError(f"image too large ({w}×{h} px; the limit is {max_side} px a side and "
                         f"{max_pixels / 1_000_000:g} MP)", "crop the picture or scale it down")
    if w < 1 or h < 1:
        raise InputError(f"the image is empty ({w}×{h} px)", "use a picture with some pixels in it")


def _to_uint8(im) -> np.ndarray:
    """A single-channel high-bit-depth Pillow image (I;16*, I, F) → HxW uint8 (16-bit scaled down by 256)."""
    a = np.asarray(im)
    if im.mode.startswith("I;16") or im.mode == "I":
        return (np.clip(a.astype(np.int64), 0, 65535) >> 8).astype(np.uint8)
    return np.clip(a.astype(np.float64), 0, 255).astype(np.uint8)  # "F"


def _decode(im, mode: str) -> np.ndarray:
    from PIL import Image

    if im.mode.startswith("I;16") or im.mode in ("I", "F"):
        g = _to_uint8(im)
        return np.repeat(g[:, :, None], 3, axis=2) if mode == "rgb" else g
    if mode == "gray":
        return np.asarray(im.convert("L"), dtype=np.uint8)
    has_alpha = im.mode in ("RGBA", "LA", "PA", "RGBa", "La") or (im.mode == "P" and "transparency" in im.info)
    if mode == "rgb":
        if has_alpha:  # transparent pixels are composed over white
            im = im.convert("RGBA")
            im = Image.alpha_composite(Image.new("RGBA", im.size, (255, 255, 255, 255)), im)
        return np.asarray(im.convert("RGB"), dtype=np.uint8)
    # "any": as stored (gray stays HxW, alpha is kept), in RGB(A) order
    if im.mode in ("1", "L"):
        return np.asarray(im.convert("L"), dtype=np.uint8)
    return np.asarray(im.convert("RGBA" if has_alpha else "RGB"), dtype=np.uint8)


def read_image(path, mode: str = "rgb", *, max_side: int = MAX_SIDE, max_pixels: int = MAX_PIXELS,
               check: Callable[[int, int], None] | None = None, hint: str = "use a PNG or JPEG picture",
               bgr: bool = False) -> np.ndarray:
    """A picture file → C-contiguous uint8 array.

    mode "gray": HxW; "rgb": HxWx3 with transparent pixels composed over white; "any": as stored, HxW for a
    grayscale file, HxWx3 for colour, HxWx4 when it has transparency. ``bgr`` puts colour channels in
    OpenCV's order. 16-bit pictures are scaled to 8 bits; the EXIF orientation is applied.
    ``check(w, h)`` (the caller's own limits) and the size limit run on the header, before decoding.
    Raises InputError for a missing, empty, unreadable, corrupt or too-large file; ``hint`` says what to use.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    p = Path(os.fsdecode(path))
    if not p.exists():
        raise InputError(f"no such file: {p}", "check the path")
    if p.is_dir():
        raise InputError(f"{p} is a folder, not an image", hint)
    try:
        size = p.stat().st_size
    except OSError as e:
        raise InputError(f"cannot read {p.name} ({e.strerror or e})", "check the file's permissions") from None
    if size == 0:
        raise InputError(f"{p.name} is empty (0 bytes)", "the file was not saved completely; " + hint)
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(p) as im:  # reads the header only
            w, h = im.size
            if check is not None:
                check(w, h)
            check_limits(w, h, max_side, max_pixels)
            im.load()
            if im.getexif().get(0x0112, 1) != 1:  # EXIF orientation (a phone picture taken sideways)
                im = ImageOps.exif_transpose(im)
            a = _decode(im, mode)
    except InputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):  # Pillow's guard (far above ours) in open()
        raise InputError(f"image too large ({p.name} is more than {max_pixels / 1_000_000:g} MP; the limit is "
                         f"{max_side} px a side and {max_pixels / 1_000_000:g} MP)",
                         "crop the picture or scale it down") from None
    except UnidentifiedImageError:
        raise InputError(f"{p.name} is not a readable image (not a picture format this program can read)",
                         f"{hint} ({', '.join(IMAGE_SUFFIXES)})") from None
    except PermissionError as e:
        raise InputError(f"cannot read {p.name} ({e.strerror or e})", "check the file's permissions") from None
    except MemoryError:
        raise InputError(f"{p.name} is too large to decode in the available memory",
                         "scale the picture down") from None
    except Exception as e:  # noqa: BLE001 - a corrupt file makes Pillow raise OSError, SyntaxError, ValueError…
        raise InputError(f"{p.name} is not a readable image (it cannot be decoded: {e})",
                         "the file may be truncated or corrupt; save or export it again") from None
    if bgr and a.ndim == 3:
        a = a[:, :, [2, 1, 0, 3][:a.shape[2]]]
    return np.ascontiguousarray(a)


def fit_thumbnail(im: np.ndarray, size: int = 128, height: int | None = None) -> np.ndarray:
    """An image (HxW or HxWxC uint8) scaled, aspect kept, to fit a size × size box (size × height when
    height is given); C-contiguous uint8."""
    import cv2
    h, w = im.shape[:2]
    s = min(size / max(w, 1), (size if height is None else height) / max(h, 1))
    tw, th = max(1, round(w * s)), max(1, round(h * s))
    interp = cv2.INTER_AREA if s < 1 else cv2.INTER_LINEAR
    out = cv2.resize(np.ascontiguousarray(im), (tw, th), interpolation=interp)
    if im.ndim == 3 and out.ndim == 2:  # cv2 drops a single channel
        out = out[:, :, None]
    return np.ascontiguousarray(out)
