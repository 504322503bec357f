"""Responsive variants of a large photograph: decoded at a reduced size when that is enough,
with the right sizes and the right way up, and the same picture as a full decode gives."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageDraw, ImageStat, JpegImagePlugin

from site_builder.render import images


def _photo(width: int, height: int, orientation: int = 1) -> bytes:
    """A made-up photograph: a gradient with a red block in the corner that is top left once
    the EXIF orientation is applied (orientation 6: stored turned a quarter anticlockwise)."""
    shown = (height, width) if orientation in (5, 6, 7, 8) else (width, height)
    im = Image.linear_gradient("L").resize(shown).convert("RGB")
    ImageDraw.Draw(im).rectangle((0, 0, shown[0] // 5, shown[1] // 5), fill=(220, 20, 20))
    if orientation == 6:
        im = im.transpose(Image.Transpose.ROTATE_90)  # what the camera stored
    exif = Image.Exif()
    exif[0x0112] = orientation
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90, exif=exif.tobytes())
    return buf.getvalue()


def _variants(tmp_path: Path, data: bytes) -> tuple[images.Picture, dict[str, Path]]:
    tmp_path.mkdir(parents=True, exist_ok=True)
    src = tmp_path / "photo.jpg"
    src.write_bytes(data)
    encoder = images.Encoder(workers=1)
    planned = images.make_variants(src, "brands/x/photo", tmp_path / "cache", encoder)
    encoder.finish()
    return planned


@pytest.mark.parametrize("orientation", [1, 6])
def test_a_large_photo_is_decoded_small_enough_and_comes_out_the_right_way_up(
        tmp_path, monkeypatch, orientation):
    data = _photo(3000, 2000, orientation)  # stored 3000 × 2000 (or 2000 × 3000 turned)
    drafts = []
    real = JpegImagePlugin.JpegImageFile.draft

    def seen(self, mode, size):
        drafts.append(size)
        return real(self, mode, size)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", seen)
    picture, files = _variants(tmp_path, data)
    wide = orientation == 1
    assert (picture.width, picture.height) == ((1280, 853) if wide else (1280, 1920))
    # asked for the largest variant's size in the stored orientation: decoded at half size
    assert drafts == [(1280, 853) if wide else (1920, 1280)]
    for uri, path in files.items():
        w = int(uri.rsplit("-", 1)[1].split(".")[0])
        with Image.open(path) as im:
            assert im.width == w and abs(im.height - w * (2 / 3 if wide else 3 / 2)) <= 1, uri
            corner = im.convert("RGB").getpixel((im.width // 20, im.height // 20))
            assert corner[0] > 150 and corner[1] < 90, (uri, corner)  # the red block, top left


def test_the_reduced_decode_gives_the_same_picture_as_a_full_one(tmp_path, monkeypatch):
    data = _photo(4000, 3000)
    _, reduced = _variants(tmp_path / "reduced", data)
    decoded = []
    real = JpegImagePlugin.JpegImageFile.load

    def full_size(self):  # no reduced decode: the picture as before
        decoded.append(self.size)
        return real(self)

    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "draft", lambda self, mode, size: None)
    monkeypatch.setattr(JpegImagePlugin.JpegImageFile, "load", full_size)
    _, full = _variants(tmp_path / "full", data)
    assert (4000, 3000) in decoded
    for uri in reduced:
        with Image.open(reduced[uri]) as a, Image.open(full[uri]) as b:
            assert a.size == b.size
            diff = ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB")))
            assert max(diff.mean) < 2.0, (uri, diff.mean)  # of 255: the same picture
