"""Responsive images: each source image resized at build time to a few widths, WebP plus a fallback;
every published image re-encoded without its metadata (EXIF, GPS, comments, text chunks).

The encoded files live in the cache folder, named by the source's hash, and are published from
there; a file found there is used only when it is one this program wrote (`cache.sealed_file`:
a regular file, no link, its seal made with the cache's secret holds) and, for a variant, when
its header says the expected format and exact size. Anything else is encoded again."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape
from PIL import Image, ImageOps

from ..cache import cache_dir, sealed_file, write_sealed

WIDTHS = (320, 640, 1280)
FALLBACK_WIDTH = 640
_VERSION = b"5"  # bump to invalidate cached variants when the encoding changes


@dataclass(frozen=True)
class Picture:
    """The variants of one image: (uri, width) for WebP and for the fallback format."""

    webp: tuple[tuple[str, int], ...]
    fallback: tuple[tuple[str, int], ...]
    width: int
    height: int

    def html(self, alt: str, sizes: str = "(max-width: 600px) 100vw, 600px",
             css_class: str = "", base: str = "", eager: bool = False,
             position: str = "") -> Markup:
        def srcset(items):
            return ", ".join(f"{base}{u} {w}w" for u, w in items)

        src = base + self.fallback[0][0]
        cls = f' class="{escape(css_class)}"' if css_class else ""
        loading = "eager" if eager else "lazy"
        if position:  # a cropped cover's focal point (schema/brand.py: focus_position)
            cls += f' style="object-position: {escape(position)}"'
        return Markup(
            f'<picture><source type="image/webp" srcset="{escape(srcset(self.webp))}" '
            f'sizes="{escape(sizes)}"><img{cls} src="{escape(src)}" '
            f'srcset="{escape(srcset(self.fallback))}" sizes="{escape(sizes)}" '
            f'width="{self.width}" height="{self.height}" alt="{escape(alt)}" '
            f'loading="{loading}" decoding="async"></picture>')


class Encoder:
    """Writes encoded images into the cache in worker threads while the pages are rendered:
    Pillow lets go of the interpreter while it decodes, resizes and encodes, so the other cores
    do the image work. `finish()` waits for every job and raises the first failure."""

    def __init__(self, workers: int | None = None) -> None:
        self.workers = workers or max(1, min(4, os.cpu_count() or 1))
        self._pool: ThreadPoolExecutor | None = None
        self._jobs: dict[Path, Future] = {}

    def write(self, targets: list[Path], make: Callable[[], list[bytes]]) -> None:
        """Have `make()` produce the files `targets` (in order), unless each is already there."""
        if all(t in self._jobs or sealed_file(t) for t in targets):
            return
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="lb-images")
        job = self._pool.submit(_write_all, targets, make)
        for t in targets:
            self._jobs.setdefault(t, job)

    def finish(self) -> None:
        try:
            for job in list(self._jobs.values()):
                job.result()
        finally:
            if self._pool is not None:
                self._pool.shutdown()
                self._pool = None
            self._jobs.clear()


def _write_all(targets: list[Path], make: Callable[[], list[bytes]]) -> None:
    for target, data in zip(targets, make(), strict=True):
        write_sealed(target, data)


# A live preview plans the same images after every edit: the plan of a file unchanged since
# (the same file, size, modification and change times: the change time cannot be set back by
# a copy that keeps the old modification time) whose variants are all in the cache is reused.
_PLANS: dict[tuple, tuple[Picture, dict[str, Path]]] = {}


def make_variants(src: Path, uri_stem: str, cache_root: Path, encoder: Encoder
                  ) -> tuple[Picture, dict[str, Path]]:
    """Plan `src` resized to each width not larger than itself: the picture, and the cached file
    of each variant by its address; `encoder` writes the variants the cache does not hold yet.
    Size, orientation and transparency come from the header: no pixels are decoded here."""
    st = src.stat()
    key = (str(src), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, uri_stem,
           str(cache_root))
    planned = _PLANS.get(key)
    if planned is not None and all(sealed_file(p) for p in planned[1].values()):
        return planned
    data = src.read_bytes()
    digest = hashlib.sha256(_VERSION + data).hexdigest()[:16]
    with Image.open(io.BytesIO(data)) as im:
        width, height = im.size
        turned = im.getexif().get(0x0112, 1) in (5, 6, 7, 8)  # EXIF rotation by 90° or 270°
        if turned:
            width, height = height, width
        has_alpha = im.mode in ("RGBA", "LA") or (im.mode == "P" and "transparency" in im.info)
    fmt, ext = ("PNG", "png") if has_alpha else ("JPEG", "jpg")
    widths = sorted({w for w in WIDTHS if w < width} | {min(width, WIDTHS[-1])})
    # Every browser a phone in use has shows WebP; the older format is kept for the few that
    # do not, at one middle width (which the page's src names).
    fallback_width = max((w for w in widths if w <= FALLBACK_WIDTH), default=widths[0])
    plan = [(w, round(height * w / width), "WEBP", "webp") for w in widths]
    plan.append((fallback_width, round(height * fallback_width / width), fmt, ext))
    files: dict[str, Path] = {}
    webp, fallback = [], []
    missing = []
    for w, h, kind, out_ext in plan:
        target = cache_root / f"{digest}-{w}.{out_ext}"
        files[f"{uri_stem}-{w}.{out_ext}"] = target
        _ORIGINS[str(target)] = f"{uri_stem.rpartition('/')[0]}/{src.name} 的 {w} 像素宽版本"
        (webp if out_ext == "webp" else fallback).append((f"{uri_stem}-{w}.{out_ext}", w))
        if not sealed_file(target, _shows(kind, w, h)):
            missing.append((target, w, h, kind))

    largest = widths[-1]
    # a JPEG is decoded at the smallest of 1/2, 1/4, 1/8 of its size still at least as large as
    # the largest variant (asked in the stored orientation, before the EXIF turn): the variants
    # of a phone's 4000 × 3000 photo in 0.38x the time of a full decode (bench/bench_images.py)
    draft = (largest, round(height * largest / width))
    if turned:
        draft = draft[::-1]

    def encode() -> list[bytes]:
        with Image.open(io.BytesIO(data)) as im:
            im.draft(None, draft)
            pixels = _bare(ImageOps.exif_transpose(im).convert("RGBA" if has_alpha else "RGB"))
        # the older format's one small width: baseline JPEG, a third of the time to encode
        return [_encode(pixels, w, h, kind, progressive=False) for _, w, h, kind in missing]

    if missing:
        encoder.write([t for t, *_ in missing], encode)
    planned = Picture(tuple(webp), tuple(fallback), largest, round(height * largest / width)), files
    if len(_PLANS) > 100_000:
        _PLANS.clear()
        _ORIGINS.clear()
    _PLANS[key] = planned
    return planned


def _encode(im: Image.Image, w: int, h: int, kind: str, progressive: bool = True) -> bytes:
    resized = im if (w, h) == im.size else _bare(im.resize((w, h), Image.Resampling.LANCZOS))
    buf = io.BytesIO()
    if kind == "WEBP":
        # method 2 of 0-6: a third less time than Pillow's default 4 for 2 % more bytes
        resized.save(buf, "WEBP", quality=80, method=2)
    elif kind == "JPEG":
        # progressive: a large story photo shows whole, then sharpens, on a slow connection
        resized.save(buf, "JPEG", quality=82, optimize=True, progressive=progressive)
    elif kind == "GIF":
        resized.save(buf, "GIF", optimize=True)
    else:
        resized.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def _bare(im: Image.Image) -> Image.Image:
    """The pixels alone: Pillow's encoders write a comment, an ICC profile or XMP they find in
    `info`; nothing of the source file's metadata may reach the published file."""
    im.info = {k: v for k, v in im.info.items() if k == "transparency"}
    return im


# A story's image keeps its name (the story links to it) and its format.
_STORY_FORMATS = {"jpg": "JPEG", "jpeg": "JPEG", "png": "PNG", "webp": "WEBP", "gif": "GIF"}


def clean_copy(src: Path, cache_root: Path, encoder: Encoder | None = None) -> Path:
    """A story image as published: decoded and encoded again in the format its name says, at its
    own size and orientation, with no metadata at all; the cached file (written by `encoder`,
    or now when there is none)."""
    data = src.read_bytes()
    kind = _STORY_FORMATS.get(src.suffix.lower().lstrip("."), "PNG")
    digest = hashlib.sha256(_VERSION + b"story" + data).hexdigest()[:16]
    target = cache_root / f"{digest}.{kind.lower()}"

    def encode() -> list[bytes]:
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
            return [_encode(pixels, *pixels.size, kind)]

    _ORIGINS[str(target)] = "图片"
    if encoder is not None:
        encoder.write([target], encode)
    elif not sealed_file(target):
        write_sealed(target, encode()[0])
    return target


def _shows(kind: str, w: int, h: int) -> Callable[[bytes], bool]:
    """Whether a cached file's header says what a variant is: this format at exactly this
    size (the header alone is read)."""

    def check(data: bytes) -> bool:
        try:
            with Image.open(io.BytesIO(data)) as im:
                return im.format == kind and im.size == (w, h)
        except (OSError, ValueError, SyntaxError):
            return False

    return check


# What each cached file is, for a message naming the two files that claim one site path.
_ORIGINS: dict[str, str] = {}


class Outputs(dict):
    """Files to publish, by site path. Generated names (a variant's `-320.webp`, a brand's
    `share.jpg`, the logo's `assets/site-logo.png`) are made from editors' names, so an
    editor's file can be named like one: a second, different file for a path already taken
    is never a silent replacement but `clash(message)` naming both."""

    def __init__(self, clash: type[Exception] = ValueError) -> None:
        super().__init__()
        self.clash = clash

    def __setitem__(self, uri: str, src: Path) -> None:
        old = self.get(uri)
        if old is not None and Path(old) != Path(src):
            raise self.clash(
                f"{_origin(uri, old)}与{_origin(uri, src)}要发布为同一个文件 {uri}，后者会替换前者；"
                "提示：给编辑放入的那张图片改名（文件名不要以 -320、-640、-1280 这样的“-数字”结尾，"
                "也不要叫 share.jpg），并同步修改档案或页面中的文件名。")
        super().__setitem__(uri, src)

    def update(self, other=(), **more) -> None:  # dict.update would bypass __setitem__
        for uri, src in dict(other, **more).items():
            self[uri] = src


def _origin(uri: str, src: Path) -> str:
    said = _ORIGINS.get(str(src))
    if said == "图片":
        return f"图片 {uri}"
    if said is not None:
        return f"{said}（{uri}）"
    if Path(src).is_relative_to(cache_dir()):
        return f"自动生成的 {uri}"
    return f"文件 {src}"
