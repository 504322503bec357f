"""Responsive images: each source image resized at build time to a few widths, WebP plus a fallback;
every published image re-encoded without its metadata (EXIF, GPS, comments, text chunks)."""

from __future__ import annotations

import hashlib
import io
import os
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape
from PIL import Image, ImageOps

WIDTHS = (320, 640, 1280)
_VERSION = b"2"  # bump to invalidate cached variants when the encoding changes


def cache_dir() -> Path:
    """Where encoded variants are kept between builds: outside the repository (SITE_BUILDER_CACHE,
    else the user's cache folder), so that no committed file is ever published in place of the
    image it claims to be derived from."""
    explicit = os.environ.get("SITE_BUILDER_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "site-builder" / "images"


@dataclass(frozen=True)
class Picture:
    """The variants of one image: (uri, width) for WebP and for the fallback format."""

    webp: tuple[tuple[str, int], ...]
    fallback: tuple[tuple[str, int], ...]
    width: int
    height: int

    def html(self, alt: str, sizes: str = "(max-width: 600px) 100vw, 600px",
             css_class: str = "", base: str = "", eager: bool = False) -> Markup:
        def srcset(items):
            return ", ".join(f"{base}{u} {w}w" for u, w in items)

        src = base + self.fallback[min(1, len(self.fallback) - 1)][0]
        cls = f' class="{escape(css_class)}"' if css_class else ""
        loading = "eager" if eager else "lazy"
        return Markup(
            f'<picture><source type="image/webp" srcset="{escape(srcset(self.webp))}" '
            f'sizes="{escape(sizes)}"><img{cls} src="{escape(src)}" '
            f'srcset="{escape(srcset(self.fallback))}" sizes="{escape(sizes)}" '
            f'width="{self.width}" height="{self.height}" alt="{escape(alt)}" '
            f'loading="{loading}" decoding="async"></picture>')


def make_variants(src: Path, uri_stem: str, cache_root: Path | None = None
                  ) -> tuple[Picture, dict[str, bytes]]:
    """Resize `src` to each width not larger than itself; returns the picture and the files.
    `cache_root` is the folder of cached variants (see `cache_dir`), None for no cache."""
    data = src.read_bytes()
    digest = hashlib.sha256(_VERSION + data).hexdigest()[:16]
    with Image.open(io.BytesIO(data)) as im:
        # Size, orientation and transparency come from the header: no pixels are decoded
        # unless a variant is missing from the cache.
        width, height = im.size
        if im.getexif().get(0x0112, 1) in (5, 6, 7, 8):  # EXIF rotation by 90° or 270°
            width, height = height, width
        has_alpha = im.mode in ("RGBA", "LA") or (im.mode == "P" and "transparency" in im.info)
        fmt, ext = ("PNG", "png") if has_alpha else ("JPEG", "jpg")
        widths = sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})
        plan = [(w, round(height * w / width), kind, out_ext)
                for w in widths for kind, out_ext in (("WEBP", "webp"), (fmt, ext))]
        cached = {}
        if cache_root is not None:
            for w, _, _, out_ext in plan:
                f = cache_root / f"{digest}-{w}.{out_ext}"
                if f.is_file():
                    cached[(w, out_ext)] = f.read_bytes()
        pixels = None
        files: dict[str, bytes] = {}
        webp, fallback = [], []
        for w, h, kind, out_ext in plan:
            uri = f"{uri_stem}-{w}.{out_ext}"
            if (w, out_ext) in cached:
                files[uri] = cached[(w, out_ext)]
            else:
                if pixels is None:
                    pixels = _bare(ImageOps.exif_transpose(im).convert("RGBA" if has_alpha else "RGB"))
                files[uri] = _encode_cached(pixels, w, h, kind, f"{digest}-{w}.{out_ext}",
                                            cache_root)
            (webp if out_ext == "webp" else fallback).append((uri, w))
        largest = widths[-1]
        picture = Picture(tuple(webp), tuple(fallback), largest, round(height * largest / width))
    return picture, files


def _encode_cached(im: Image.Image, w: int, h: int, kind: str, key: str,
                   cache_root: Path | None) -> bytes:
    cached = cache_root / key if cache_root else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    resized = im if (w, h) == im.size else _bare(im.resize((w, h), Image.Resampling.LANCZOS))
    buf = io.BytesIO()
    if kind == "WEBP":
        resized.save(buf, "WEBP", quality=80, method=4)
    elif kind == "JPEG":
        resized.save(buf, "JPEG", quality=82, optimize=True, progressive=True)
    elif kind == "GIF":
        resized.save(buf, "GIF", optimize=True)
    else:
        resized.save(buf, "PNG", optimize=True)
    out = buf.getvalue()
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(cached.suffix + ".tmp")
        tmp.write_bytes(out)
        tmp.replace(cached)
    return out


def _bare(im: Image.Image) -> Image.Image:
    """The pixels alone: Pillow's encoders write a comment, an ICC profile or XMP they find in
    `info`; nothing of the source file's metadata may reach the published file."""
    im.info = {k: v for k, v in im.info.items() if k == "transparency"}
    return im


# A story's image keeps its name (the story links to it) and its format.
_STORY_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}


def clean_copy(src: Path, cache_root: Path | None = None) -> bytes:
    """A story image as published: decoded and encoded again in the format its name says, at its
    own size and orientation, with no metadata at all."""
    data = src.read_bytes()
    kind = _STORY_FORMATS.get(src.suffix.lower().lstrip("."), "PNG")
    digest = hashlib.sha256(_VERSION + b"story" + data).hexdigest()[:16]
    with Image.open(io.BytesIO(data)) as im:
        upright = ImageOps.exif_transpose(im)
        if kind == "JPEG":
            pixels = upright.convert("RGB")
        elif kind == "GIF":
            pixels = upright.convert("P") if upright.mode not in ("P", "L") else upright.copy()
        else:
            alpha = upright.mode in ("RGBA", "LA") or "transparency" in upright.info
            pixels = upright.convert("RGBA" if alpha else "RGB")
        pixels = _bare(pixels)
        return _encode_cached(pixels, *pixels.size, kind, f"{digest}.{kind.lower()}", cache_root)
