"""Responsive images: each source image resized at build time to a few widths, WebP plus a fallback."""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape
from PIL import Image, ImageOps

WIDTHS = (320, 640, 1280)
CACHE_DIR = ".cache/images"
_VERSION = b"1"  # bump to invalidate cached variants when the encoding changes


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
    """Resize `src` to each width not larger than itself; returns the picture and the files."""
    data = src.read_bytes()
    digest = hashlib.sha256(_VERSION + data).hexdigest()[:16]
    with Image.open(io.BytesIO(data)) as im:
        im = ImageOps.exif_transpose(im)
        has_alpha = im.mode in ("RGBA", "LA") or (im.mode == "P" and "transparency" in im.info)
        im = im.convert("RGBA" if has_alpha else "RGB")
        fmt, ext = ("PNG", "png") if has_alpha else ("JPEG", "jpg")
        widths = [w for w in WIDTHS if w < im.width] + [min(im.width, WIDTHS[-1])]
        widths = sorted(set(widths))
        files: dict[str, bytes] = {}
        webp, fallback = [], []
        for w in widths:
            h = round(im.height * w / im.width)
            for kind, out_ext, lst in (("WEBP", "webp", webp), (fmt, ext, fallback)):
                uri = f"{uri_stem}-{w}.{out_ext}"
                files[uri] = _encode_cached(im, w, h, kind, f"{digest}-{w}.{out_ext}", cache_root)
                lst.append((uri, w))
        largest = widths[-1]
        picture = Picture(tuple(webp), tuple(fallback), largest,
                          round(im.height * largest / im.width))
    return picture, files


def _encode_cached(im: Image.Image, w: int, h: int, kind: str, key: str,
                   cache_root: Path | None) -> bytes:
    cached = cache_root / CACHE_DIR / key if cache_root else None
    if cached is not None and cached.is_file():
        return cached.read_bytes()
    resized = im if (w, h) == im.size else im.resize((w, h), Image.Resampling.LANCZOS)
    buf = io.BytesIO()
    if kind == "WEBP":
        resized.save(buf, "WEBP", quality=80, method=4)
    elif kind == "JPEG":
        resized.save(buf, "JPEG", quality=82, optimize=True, progressive=True)
    else:
        resized.save(buf, "PNG", optimize=True)
    out = buf.getvalue()
    if cached is not None:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(cached.suffix + ".tmp")
        tmp.write_bytes(out)
        tmp.replace(cached)
    return out
