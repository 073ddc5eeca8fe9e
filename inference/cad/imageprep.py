"""Image preprocessing for the image → sequence model (numpy + OpenCV, no Qt).

Renders and user pictures are brought to the same form: gray, part bright on a black background
(a light background is inverted), cropped to the part and scaled so its larger side fills
``fill`` of a ``size``×``size`` square. The absolute size is lost on purpose: the user sets it.
"""
from __future__ import annotations

import numpy as np

from inference.runtime.errors import InputError
from inference.runtime.media import read_image


PICTURE_HINT = "use a PNG or JPEG picture of the part"


def read_picture(path) -> np.ndarray:
    """A user's picture of a part → uint8 array in OpenCV's layout, the form ``prepare_image`` takes: HxW gray,
    HxWx3 BGR or HxWx4 BGRA (read by inference.runtime.media: size-limited, clear InputErrors)."""
    return read_image(path, "any", bgr=True, hint=PICTURE_HINT)


def prepare_image(img: np.ndarray, size: int = 96, fill: float = 0.75) -> np.ndarray:
    import cv2
    a = np.asarray(img)
    if a.ndim == 3 and a.shape[2] == 4:  # transparent background → black
        alpha = a[:, :, 3:4].astype(np.float32) / 255.0
        a = (a[:, :, :3].astype(np.float32) * alpha).astype(np.uint8)
    if a.ndim == 3:
        a = cv2.cvtColor(a[:, :, :3], cv2.COLOR_BGR2GRAY)
    if a.ndim != 2 or min(a.shape) < 8:
        raise InputError(f"the image has shape {a.shape}", "use a picture at least 8×8 pixels")
    a = a.astype(np.float32)
    if a.max() <= 1.0 and a.dtype != np.uint8 and a.max() > 0:
        a = a * 255.0
    border = np.concatenate([a[0], a[-1], a[:, 0], a[:, -1]])
    bg = float(np.median(border))
    if bg > 127:
        a = 255.0 - a
        bg = 255.0 - bg
    fg = np.abs(a - bg) > 12
    if fg.sum() < 10:
        raise InputError("no part is visible in the image (it is one flat colour)",
                         "use a picture of one part on a plain background")
    ys, xs = np.where(fg)
    y0, y1, x0, x1 = ys.min(), ys.max() + 1, xs.min(), xs.max() + 1
    crop = np.clip(a[y0:y1, x0:x1] - bg, 0, 255)
    h, w = crop.shape
    side = max(h, w)
    target = max(1, int(round(size * fill)))
    nh, nw = max(1, round(h * target / side)), max(1, round(w * target / side))
    crop = cv2.resize(crop, (nw, nh), interpolation=cv2.INTER_AREA)
    out = np.zeros((size, size), np.float32)
    oy, ox = (size - nh) // 2, (size - nw) // 2
    out[oy:oy + nh, ox:ox + nw] = crop
    return out.clip(0, 255).astype(np.uint8)
