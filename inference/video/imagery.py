"""Real imagery for RTime-synth's camera families (pan, tilt, zoom, fade, focus, enter).

The pictures are real photographs that ship inside installed Python packages (scikit-image's `data`
folder, matplotlib's sample data) and, for testing only, frames of real videos. They are split by
picture: the *train* pool is what training clips are drawn over; the *test* pool holds other
photographs, never used in training, for the test split and `bench/video_real_direction.py` (which
adds frames of real footage, also never trained on).

Nothing here imports scikit-image: the files are read with OpenCV from the package folders. A picture
that is not installed is skipped; matplotlib (a core dependency) guarantees at least one per pool.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy as np

from inference.runtime.errors import InputError

# file name → package; chosen by content (real photographs and micrographs, no drawings or test patterns)
TRAIN_PHOTOS = (
    ("skimage", "astronaut.png"), ("skimage", "camera.png"), ("skimage", "coffee.png"),
    ("skimage", "coins.png"), ("skimage", "grass.png"), ("skimage", "brick.png"),
    ("skimage", "hubble_deep_field.jpg"), ("skimage", "moon.png"), ("skimage", "motorcycle_left.png"),
    ("skimage", "motorcycle_right.png"), ("skimage", "page.png"), ("skimage", "retina.jpg"),
    ("skimage", "text.png"), ("skimage", "cell.png"), ("matplotlib", "grace_hopper.jpg"),
)
TEST_PHOTOS = (
    ("skimage", "chelsea.png"), ("skimage", "rocket.jpg"), ("skimage", "gravel.png"),
    ("skimage", "ihc.png"), ("skimage", "clock_motion.png"), ("skimage", "microaneurysms.png"),
    ("matplotlib", "Minduka_Present_Blue_Pack.png"),
)
POOLS = {"train": TRAIN_PHOTOS, "test": TEST_PHOTOS}
SHORT_SIDE = 240  # pictures are kept at this short side (enough for a 96-pixel frame zoomed 2x)


def _package_dir(package: str) -> Path | None:
    if package == "matplotlib":
        try:
            import matplotlib
            return Path(matplotlib.get_data_path()) / "sample_data"
        except ImportError:  # pragma: no cover - matplotlib is a core dependency
            return None
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]) / "data"


def _read(path: Path) -> np.ndarray | None:
    """One picture as float32 RGB at short side SHORT_SIDE (Pillow: libpng's colour-profile warnings that
    OpenCV prints for some of these files stay silent)."""
    import cv2
    from PIL import Image
    try:
        with Image.open(path) as im:
            img = np.asarray(im.convert("RGB"))  # grey pictures become three equal channels
    except (OSError, ValueError):
        return None
    h, w = img.shape[:2]
    k = SHORT_SIDE / min(h, w)
    img = cv2.resize(img, (max(SHORT_SIDE, round(w * k)), max(SHORT_SIDE, round(h * k))), interpolation=cv2.INTER_AREA)
    return np.ascontiguousarray(img).astype(np.float32)


@lru_cache(maxsize=2)
def photos(pool: str) -> tuple[np.ndarray, ...]:
    """The pictures of one pool ("train" or "test") as float32 RGB arrays (short side SHORT_SIDE)."""
    if pool not in POOLS:
        raise InputError(f"unknown imagery pool '{pool}'", "use train or test")
    out = []
    for package, name in POOLS[pool]:
        d = _package_dir(package)
        if d is not None and (d / name).is_file():
            img = _read(d / name)
            if img is not None:
                img.setflags(write=False)
                out.append(img)
    if not out:
        raise InputError(f"no photographs found for the '{pool}' pool",
                         "install matplotlib and scikit-image (pip install scikit-image)")
    return tuple(out)


def photo_names(pool: str) -> list[str]:
    """The file names of one pool that are installed here."""
    return [name for package, name in POOLS[pool] if (d := _package_dir(package)) is not None and (d / name).is_file()]


def video_frames(path, every_s: float = 1.0, limit: int = 60) -> list[np.ndarray]:
    """Frames of a real video, one per `every_s` seconds (float32 RGB, short side SHORT_SIDE): stills of
    real footage for the camera families (used for testing only)."""
    import cv2
    cap = cv2.VideoCapture(str(path))
    if not cap.isOpened():
        raise InputError(f"cannot open {path}", "check that it is a readable video file")
    fps = cap.get(cv2.CAP_PROP_FPS) or 25.0
    step = max(1, int(round(fps * every_s)))
    out, k = [], 0
    try:
        while len(out) < limit:
            ok, frame = cap.read()
            if not ok:
                break
            if k % step == 0:
                h, w = frame.shape[:2]
                s = SHORT_SIDE / min(h, w)
                frame = cv2.resize(frame, (max(SHORT_SIDE, round(w * s)), max(SHORT_SIDE, round(h * s))),
                                   interpolation=cv2.INTER_AREA)
                out.append(np.ascontiguousarray(frame[..., ::-1]).astype(np.float32))
            k += 1
    finally:
        cap.release()
    return out
