"""inference.runtime.media: the one image reader (clear InputErrors, bounded size, the callers' layouts)."""
from __future__ import annotations


import numpy as np
import pytest
from PIL import Image

from inference.runtime.errors import InputError
from inference.runtime.media import fit_thumbnail, read_image
from tests.conftest import write_png_header


def test_bad_files_are_clear_input_errors(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        read_image(tmp_path / "missing.png")
    with pytest.raises(InputError, match="is a folder"):
        read_image(tmp_path)
    (tmp_path / "empty.png").write_bytes(b"")
    with pytest.raises(InputError, match=r"empty \(0 bytes\)"):
        read_image(tmp_path / "empty.png")
    (tmp_path / "junk.png").write_bytes(b"not an image at all")
    with pytest.raises(InputError, match="junk.png is not a readable image") as e:
        read_image(tmp_path / "junk.png", hint="use a PNG of the part")
    assert "use a PNG of the part" in e.value.hint
    Image.new("RGB", (64, 64), "red").save(tmp_path / "ok.png")
    data = (tmp_path / "ok.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError, match="cut.png is not a readable image"):
        read_image(tmp_path / "cut.png", "gray")


def test_too_large_is_refused_from_the_header(tmp_path):
    write_png_header(tmp_path / "wide.png", 13000, 100)  # over the side limit; no pixel data at all
    with pytest.raises(InputError, match="image too large"):
        read_image(tmp_path / "wide.png")
    write_png_header(tmp_path / "huge.png", 20000, 20000)  # past Pillow's own guard too
    with pytest.raises(InputError, match="image too large"):
        read_image(tmp_path / "huge.png")
    Image.new("L", (100, 100)).save(tmp_path / "small.png")
    with pytest.raises(InputError, match="image too large"):  # a caller's own, stricter limit
        read_image(tmp_path / "small.png", max_side=50)
    seen = []
    read_image(tmp_path / "small.png", check=lambda w, h: seen.append((w, h)))
    assert seen == [(100, 100)]


def test_layouts(tmp_path):
    rgba = np.zeros((20, 30, 4), np.uint8)
    rgba[..., 0] = 200  # red
    rgba[..., 3] = 255
    rgba[:, :10, 3] = 0  # transparent left third
    Image.fromarray(rgba, "RGBA").save(tmp_path / "a.png")
    rgb = read_image(tmp_path / "a.png", "rgb")
    assert rgb.shape == (20, 30, 3) and rgb.dtype == np.uint8 and rgb.flags.c_contiguous
    assert rgb[0, 0].tolist() == [255, 255, 255] and rgb[0, 20].tolist() == [200, 0, 0]  # over white
    anyl = read_image(tmp_path / "a.png", "any")
    assert anyl.shape == (20, 30, 4) and anyl[0, 20].tolist() == [200, 0, 0, 255] and anyl[0, 0, 3] == 0
    bgra = read_image(tmp_path / "a.png", "any", bgr=True)
    assert bgra[0, 20].tolist() == [0, 0, 200, 255]
    gray = read_image(tmp_path / "a.png", "gray")
    assert gray.shape == (20, 30) and gray[0, 20] == round(200 * 0.299)
    Image.fromarray(np.full((10, 12), 77, np.uint8), "L").save(tmp_path / "g.png")
    assert read_image(tmp_path / "g.png", "any").shape == (10, 12)
    assert read_image(tmp_path / "g.png", "rgb").shape == (10, 12, 3)
    Image.fromarray(np.full((10, 12), 40000, np.uint16)).save(tmp_path / "g16.png")  # 16-bit gray
    g16 = read_image(tmp_path / "g16.png", "gray")
    assert g16.dtype == np.uint8 and g16[0, 0] == 40000 >> 8
    with pytest.raises(ValueError):
        read_image(tmp_path / "g.png", "cmyk")


def test_same_pixels_as_opencv(tmp_path):
    """The callers used to decode with OpenCV: gray and BGR(A) results stay the same."""
    import cv2
    rng = np.random.default_rng(0)
    im = rng.integers(0, 256, (37, 53, 3), np.uint8)
    cv2.imwrite(str(tmp_path / "c.png"), im)
    assert np.array_equal(read_image(tmp_path / "c.png", "any", bgr=True),
                          cv2.imread(str(tmp_path / "c.png"), cv2.IMREAD_UNCHANGED))
    g_cv = cv2.imread(str(tmp_path / "c.png"), cv2.IMREAD_GRAYSCALE).astype(int)
    assert np.abs(read_image(tmp_path / "c.png", "gray").astype(int) - g_cv).max() <= 1


def test_exif_orientation_is_applied(tmp_path):
    im = Image.new("RGB", (40, 20), "white")
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    im.save(tmp_path / "r.jpg", exif=exif)
    assert read_image(tmp_path / "r.jpg", "gray").shape == (40, 20)


@pytest.mark.parametrize("shape,box,want", [
    ((300, 600), (128, None), (64, 128)),
    ((300, 600, 3), (200, 150), (100, 200, 3)),
    ((600, 300, 4), (200, 150), (150, 75, 4)),
    ((10, 20), (128, None), (64, 128)),  # small pictures grow to the box
    ((30, 40, 1), (20, None), (15, 20, 1)),
])
def test_fit_thumbnail(shape, box, want):
    t = fit_thumbnail(np.zeros(shape, np.uint8), *box)
    assert t.shape == want and t.dtype == np.uint8 and t.flags.c_contiguous
