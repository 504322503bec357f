"""Share images (Open Graph) drawn at build time: a brand's name and category over its cover."""

from __future__ import annotations

import functools
import hashlib
import io
import os
import shutil
import subprocess
import threading
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont, ImageOps

from ..cache import known_sealed, write_atomic
from .images import Encoder

SIZE = (1200, 630)
CACHE_DIR = "share"  # inside the image cache (cache.cache_dir)
_VERSION = b"4"  # bump when the drawing changes (4: no metadata of the cover kept)
FONT_ENV = "SITE_BUILDER_CJK_FONT"  # a font file chosen by hand, when none is found
# Where systems keep a font with Simplified Chinese glyphs, best first (Debian's fonts-noto-cjk,
# other Linux packages, macOS, Windows). fc-match is asked first when fontconfig is installed.
_FONT_GLOBS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-*.ttc",
    "/usr/share/fonts/**/NotoSansCJK*.tt[cf]",
    "/usr/share/fonts/**/NotoSansSC*.[ot]tf",
    "/usr/share/fonts/**/SourceHanSans*.tt[cf]",
    "/usr/share/fonts/**/wqy-*.tt[cf]",
    "/System/Library/Fonts/PingFang.ttc",
    "/System/Library/Fonts/STHeiti Medium.ttc",
    "C:/Windows/Fonts/msyhbd.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
_SC_FACE = "Noto Sans CJK SC"
# What whoever builds the site reads when no font is found: the site is still complete (a brand
# page shares its cover), so this is a notice, not a failure.
MISSING_FONT = ("没有找到中文字体，品牌页的分享图片（在微信等处分享时显示）改用封面图片。"
                "要绘制带品牌名称的分享图片，请安装字体 fonts-noto-cjk（Debian/Ubuntu："
                f"sudo apt-get install fonts-noto-cjk），或用环境变量 {FONT_ENV} 指定一个中文字体文件。")


def chosen_font_problem() -> str | None:
    """Why the font file named by SITE_BUILDER_CJK_FONT cannot draw the share images, or None
    (not set, or usable). Someone chose that file on purpose: a typo must not pass unnoticed
    while another font is used, nor a file that is no font fail the drawing later."""
    chosen = os.environ.get(FONT_ENV, "").strip()
    if not chosen:
        return None
    path = Path(chosen)
    if path.exists() and not path.is_file():  # a folder, a device such as /dev/null
        what = "一个文件夹" if path.is_dir() else "特殊文件（不是普通文件）"
        return (f"环境变量 {FONT_ENV} 指定的 {chosen} 是{what}，不是字体文件；请指定一个中文字体"
                "文件（.ttf、.otf 或 .ttc，如 NotoSansCJK-Bold.ttc），或删去这个环境变量以使用系统中的"
                "中文字体（如 fonts-noto-cjk）")
    if not path.is_file():
        return (f"环境变量 {FONT_ENV} 指定的字体文件 {chosen} 不存在；请改正路径，"
                f"或删去这个环境变量以使用系统中的中文字体（如 fonts-noto-cjk）")
    if not _draws_chinese(chosen, _sc_index(path)):
        return (f"环境变量 {FONT_ENV} 指定的文件 {chosen} 不是能显示简体中文的字体；"
                "请指定一个中文字体文件（.ttf、.otf 或 .ttc，如 NotoSansCJK-Bold.ttc）")
    return None


@functools.lru_cache(maxsize=1)
def find_cjk_font() -> tuple[str, int] | None:
    """A font file (and face index) that draws Simplified Chinese, or None."""
    chosen = os.environ.get(FONT_ENV, "").strip()
    if chosen and Path(chosen).is_file():
        index = _sc_index(Path(chosen))
        if _draws_chinese(chosen, index):  # else what the system has (chosen_font_problem says why)
            return chosen, index
    if shutil.which("fc-match"):
        try:
            out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", f"{_SC_FACE}:style=Bold"],
                                 capture_output=True, text=True, timeout=10, check=False).stdout
            path, _, index = out.partition("|")
            if path and Path(path).is_file() and _draws_chinese(path, int(index or 0)):
                return path, int(index or 0)
            out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", ":lang=zh-cn"],
                                 capture_output=True, text=True, timeout=10, check=False).stdout
            path, _, index = out.partition("|")
            if path and Path(path).is_file() and _draws_chinese(path, int(index or 0)):
                return path, int(index or 0)
        except (OSError, subprocess.SubprocessError, ValueError):
            pass
    for pattern in _FONT_GLOBS:
        base = Path(pattern).anchor or "/"
        for p in sorted(Path(base).glob(pattern[len(base):])) if "*" in pattern else [Path(pattern)]:
            if p.is_file():
                index = _sc_index(p)
                if _draws_chinese(str(p), index):
                    return str(p), index
    return None


def _sc_index(path: Path) -> int:
    """In a font collection, the face for Simplified Chinese (Noto's .ttc hold JP, KR, SC, TC…)."""
    if path.suffix.lower() != ".ttc":
        return 0
    for i in range(8):
        try:
            name = ImageFont.truetype(str(path), 20, index=i).getname()[0]
        except OSError:
            break
        if "SC" in name or "PingFang SC" in name or "YaHei" in name:
            return i
    return 0


def _draws_chinese(path: str, index: int) -> bool:
    try:
        font = ImageFont.truetype(path, 40, index=index)
    except OSError:
        return False
    # A font without the glyph draws the same empty box for both characters.
    a, b = font.getbbox("劳"), font.getbbox("品")
    img_a, img_b = (Image.new("L", (48, 48)), Image.new("L", (48, 48)))
    ImageDraw.Draw(img_a).text((0, 0), "劳", font=font, fill=255)
    ImageDraw.Draw(img_b).text((0, 0), "品", font=font, fill=255)
    return a[2] > a[0] and b[2] > b[0] and img_a.tobytes() != img_b.tobytes()


def share_image(name: str, category: str, site_title: str, cover: Path | str | None,
                cache_root: Path, encoder: Encoder | None = None,
                centering: tuple[float, float] = (0.5, 0.5)) -> Path | None:
    """A 1200×630 JPEG: the cover darkened at the bottom, the brand's name, category and site;
    the cached file (drawn by `encoder`'s threads, or now). None when no Chinese font is
    installed (the page then shares its cover, if any)."""
    font = find_cjk_font()
    if font is None:
        return None
    # a live preview draws the same pictures after every edit: the file named last time for
    # the same words and the same cover file (its size, modification and change times), while
    # the cache still holds it as written, without reading the cover again
    if cover is not None:
        st = os.stat(cover)
        seen = (os.fspath(cover), st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
    else:
        seen = None
    said = (name, category, site_title, seen, font[0], centering, os.fspath(cache_root))
    last = _DRAWN.get(said)
    if last is not None and known_sealed(last):
        return Path(last)
    data = Path(cover).read_bytes() if cover is not None else b""
    key = hashlib.sha256(b"\0".join([_VERSION, name.encode(), category.encode(),
                                     site_title.encode(), data, font[0].encode(),
                                     repr(centering).encode()])).hexdigest()[:20]
    target = cache_root / CACHE_DIR / f"{key}.jpg"

    def draw() -> list[bytes]:
        return [_draw(name, category, site_title, data, font, centering)]

    if encoder is not None:
        encoder.write([target], draw)
    elif not target.is_file():
        write_atomic(target, draw()[0])
    if len(_DRAWN) > 100_000:
        _DRAWN.clear()
    _DRAWN[said] = os.fspath(target)
    return target


_DRAWN: dict[tuple, str] = {}  # `share_image`'s files, by what they were drawn from


@functools.lru_cache(maxsize=1)
def _plain() -> Image.Image:
    """The background of a brand without a cover: the site's blue, darkened at the bottom."""
    grad = Image.linear_gradient("L").rotate(-60, expand=True).resize(SIZE)
    base = Image.composite(Image.new("RGB", SIZE, (90, 26, 36)), Image.new("RGB", SIZE, (11, 74, 139)),
                           grad.point(lambda v: v // 2))
    return Image.composite(Image.new("RGB", SIZE, (5, 20, 40)), base, _shade())


@functools.lru_cache(maxsize=1)
def _shade() -> Image.Image:
    """A dark band under the text so that white letters read on any photograph."""
    return Image.linear_gradient("L").resize(SIZE).point(lambda v: int(v * 0.85))


_fonts = threading.local()  # a FreeType face is not shared between threads


def _font(path: str, index: int, size: int) -> ImageFont.FreeTypeFont:
    cache = _fonts.__dict__.setdefault("faces", {})
    if (path, index, size) not in cache:
        cache[(path, index, size)] = ImageFont.truetype(path, size, index=index)
    return cache[(path, index, size)]


def _draw(name: str, category: str, site_title: str, cover: bytes, font: tuple[str, int],
          centering: tuple[float, float] = (0.5, 0.5)) -> bytes:
    w, h = SIZE
    if cover:
        with Image.open(io.BytesIO(cover)) as im:
            im.draft("RGB", (w, h))  # JPEG: decode at a reduced size when it is large
            base = ImageOps.fit(ImageOps.exif_transpose(im).convert("RGB"), SIZE,
                                Image.Resampling.BICUBIC, centering=centering)
        base = Image.composite(Image.new("RGB", SIZE, (5, 20, 40)), base, _shade())
    else:
        base = _plain().copy()
    draw = ImageDraw.Draw(base)
    path, index = font
    size = 96
    title = _font(path, index, size)
    while draw.textlength(name, font=title) > w - 140 and size > 44:
        size -= 6
        title = _font(path, index, size)
    small = _font(path, index, 40)
    tag_w = draw.textlength(category, font=small)
    y = h - 120 - size - 80
    draw.rounded_rectangle((70, y, 70 + tag_w + 40, y + 60), radius=12, fill=(179, 38, 30))
    draw.text((90, y + 8), category, font=small, fill="white")
    draw.text((70, y + 78), name, font=title, fill="white")
    draw.text((70, h - 70), site_title, font=small, fill=(255, 224, 138))
    # The pixels alone, like every published image: Pillow's JPEG encoder writes a comment it
    # finds in `info`, and the drawing kept the cover's (a camera's comment, EXIF, XMP, ICC).
    base.info = {}
    buf = io.BytesIO()
    base.save(buf, "JPEG", quality=80, optimize=True)  # baseline: a quarter of the time, smaller
    return buf.getvalue()
