"""What the cache's image entries are named by: an image's bytes and the encoder's (or the
decoder's) settings and libraries, never the rest of the program. After an upgrade that changes
other files, a new CI runner with the kept cache encodes and decodes no image again; a change to
an encoder setting makes every variant again."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from site_builder import cache
from site_builder.render import images
from site_builder.validate import images as checked_images


def _picture(seed: int) -> bytes:
    """A made-up 800 × 450 picture (a gradient and a block placed by `seed`)."""
    im = Image.linear_gradient("L").resize((800, 450)).convert("RGB")
    ImageDraw.Draw(im).rectangle((seed * 40, 20, seed * 40 + 120, 200), fill=(200, 30, 40))
    buf = io.BytesIO()
    im.save(buf, "JPEG", quality=90)
    return buf.getvalue()


@pytest.fixture()
def counted(monkeypatch):
    """The number of variants encoded, by counting `images._encode`."""
    made: list[tuple] = []
    real = images._encode

    def encode(im, w, h, kind, progressive=True):
        made.append((w, kind))
        return real(im, w, h, kind, progressive)

    monkeypatch.setattr(images, "_encode", encode)
    images._PLANS.clear()  # no plan of this process reused: every file looked up in the cache
    return made


def _plan(src: Path, root: Path) -> dict[str, Path]:
    encoder = images.Encoder(workers=1)
    _, files = images.make_variants(src, "brands/shi-li/cover", root, encoder)
    encoder.finish()
    images._PLANS.clear()
    return files


def test_variants_survive_a_change_to_the_rest_of_the_program(tmp_path, monkeypatch, counted):
    src = tmp_path / "cover.jpg"
    src.write_bytes(_picture(1))
    root = cache.cache_dir() / "keys-test" / tmp_path.name
    first = _plan(src, root)
    assert len(counted) == len(first) == 4  # 320, 640, 800 WebP and the 640 JPEG
    # another version of every other module (a template's code, a check): the same files, kept
    monkeypatch.setattr(cache, "code_fingerprint", lambda: b"an upgraded program")
    counted.clear()
    assert _plan(src, root) == first and counted == []
    # another source: its own variants
    src.write_bytes(_picture(2))
    other = _plan(src, root)
    assert set(other.values()).isdisjoint(first.values()) and len(counted) == 4


def test_a_changed_encoder_setting_makes_every_variant_again(tmp_path, monkeypatch, counted):
    src = tmp_path / "cover.jpg"
    src.write_bytes(_picture(3))
    root = cache.cache_dir() / "keys-test" / tmp_path.name
    first = _plan(src, root)
    webp = next(p for u, p in first.items() if u.endswith("-320.webp")).read_bytes()
    counted.clear()
    monkeypatch.setattr(images, "WEBP", {"quality": 60, "method": 2})
    monkeypatch.setattr(images, "_ENCODER", images._ENCODER + b"quality 60")  # as at import
    again = _plan(src, root)
    assert set(again.values()).isdisjoint(first.values()) and len(counted) == 4
    smaller = next(p for u, p in again.items() if u.endswith("-320.webp")).read_bytes()
    assert smaller != webp and len(smaller) < len(webp)


def test_the_encoder_key_names_each_setting_and_library():
    key = images._ENCODER.decode()
    for part in ("'quality', 80", "'method', 2", "'quality', 82", "LANCZOS", "1280"):
        assert part in key, part
    from PIL import features
    assert features.version("webp") in key and features.version("jpg") in key


def test_decoded_marks_survive_a_change_to_the_rest_of_the_program(monkeypatch):
    data = _picture(4)
    mark = checked_images._decoded_mark(data)
    assert mark.is_relative_to(cache.versioned(cache.DECODED_IMAGES))
    monkeypatch.setattr(cache, "code_fingerprint", lambda: b"an upgraded program")
    assert checked_images._decoded_mark(data) == mark
    # the pages' checks are not narrowed: their entries follow the whole program
    memo_folder = cache.versioned(cache.CHECKED_PAGES)
    monkeypatch.undo()
    assert cache.versioned(cache.CHECKED_PAGES) != memo_folder
    # another decoder (a Pillow upgrade): every image decoded again
    monkeypatch.setattr(cache, "_DECODER_FINGERPRINT", b"another libjpeg")
    assert checked_images._decoded_mark(data) != mark
    assert cache.entry(cache.versioned(cache.DECODED_IMAGES), data) != mark


def test_a_planted_mark_is_still_no_mark(tmp_path):
    """Narrowing the key keeps the secret: a mark named without the cache's key is never found."""
    data = _picture(5)
    import hashlib

    folder = cache.versioned(cache.DECODED_IMAGES)
    guess = hashlib.sha256(cache.decoder_fingerprint() + data).hexdigest()
    planted = folder / guess[:2] / guess
    planted.parent.mkdir(parents=True, exist_ok=True)
    planted.write_bytes(b"")
    assert checked_images._decoded_mark(data) != planted
