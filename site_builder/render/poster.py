"""Share posters drawn at build time: a phone-sized portrait image of a page (its name, one line,
the cover, the organiser and a QR code of the page's absolute address), to save and post in
WeChat, where the Open Graph image is not shown."""

from __future__ import annotations

import functools
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import segno
from PIL import Image, ImageDraw, ImageOps

from ..cache import sealed_file
from .images import _ORIGINS, Encoder
from .share_image import _font, find_cjk_font

SIZE = (750, 1334)  # a phone's screen in CSS pixels × 2 (iPhone 6–8): saved and shared whole
CACHE_DIR = "poster"  # inside the image cache (cache.cache_dir)
FILE_NAME = "share-poster.jpg"  # beside the page's other images: brands/<slug>/share-poster.jpg
_VERSION = b"1"  # bump when the drawing changes
QR_SIDE = 232  # pixels the QR code takes, its quiet zone included
# Told once per build when the site's address is unknown: the QR code needs it.
NO_SITE_URL = ("没有生成分享海报：settings.yml 没有填写网站地址（site.url），海报上的二维码需要页面的完整网址。"
               "要生成海报，请在 settings.yml 的 site: 下写 url: https://（本站的正式网址）/，或构建时加 --site-url；"
               "其他页面照常生成。")

_CLOSING = "，。、；：！？）」』”’》〉】…·,.;:!?)"
_RED, _INK, _MUTED, _PAPER = (179, 38, 30), (28, 32, 40), (96, 104, 116), (255, 255, 255)


@dataclass(frozen=True)
class PosterText:
    """What a poster says: the page's name and one line, a tag (the category), the brand's own
    organiser, the site's name and its organiser, and the page's absolute address."""

    name: str
    line: str
    tag: str
    organiser: str
    site_title: str
    site_organiser: str
    url: str


def share_poster(text: PosterText, cover: Path | None, cache_root: Path,
                 encoder: Encoder, centering: tuple[float, float] = (0.5, 0.5)) -> Path | None:
    """The cached JPEG poster (drawn by `encoder`'s threads); None without a Chinese font (the
    build says so once, cli.py)."""
    font = find_cjk_font()
    if font is None:
        return None
    data = cover.read_bytes() if cover is not None else b""
    key = hashlib.sha256(b"\0".join([_VERSION, repr(text).encode(), data, font[0].encode(),
                                     str(font[1]).encode(), repr(centering).encode()])).hexdigest()[:20]
    target = cache_root / CACHE_DIR / f"{key}.jpg"
    _ORIGINS[str(target)] = "自动生成的分享海报"
    if not sealed_file(target):
        encoder.write([target], lambda: [draw_poster(text, data, font, centering)])
    return target


def qr_image(url: str, side: int) -> Image.Image:
    """The QR code of `url` (error correction M, its four-module quiet zone), `side` pixels
    square at a whole number of pixels a module, so that every module stays sharp."""
    qr = segno.make(url, error="m", micro=False, boost_error=False)
    modules = qr.symbol_size(scale=1, border=4)[0]
    scale = max(1, side // modules)
    buf = io.BytesIO()
    qr.save(buf, kind="png", scale=scale, border=4, dark="black", light="white")
    buf.seek(0)
    with Image.open(buf) as im:
        return im.convert("RGB")


def wrap(text: str, draw: ImageDraw.ImageDraw, font, width: int, lines: int) -> list[str]:
    """`text` broken into at most `lines` lines of at most `width` pixels (Chinese breaks
    between any two characters); the last one ends in "…" when the text goes on."""
    out: list[str] = []
    current = ""
    for ch in " ".join(text.split()):
        # a closing mark never starts a line (GB/T 15834 line breaking): it hangs in the margin
        if draw.textlength(current + ch, font=font) > width and ch not in _CLOSING:
            out.append(current)
            current = ch.lstrip()
            if len(out) == lines:
                break
        else:
            current += ch
    else:
        if current:
            out.append(current)
        return out
    last = out[-1]
    while last and draw.textlength(last + "…", font=font) > width:
        last = last[:-1]
    out[-1] = last + "…"
    return out


@functools.lru_cache(maxsize=1)
def _plain_top() -> Image.Image:
    """The picture area of a page without a cover: the site's blue to red, as the share image."""
    w, h = SIZE[0], 560
    grad = Image.linear_gradient("L").rotate(-60, expand=True).resize((w, h))
    return Image.composite(Image.new("RGB", (w, h), (90, 26, 36)), Image.new("RGB", (w, h), (11, 74, 139)),
                           grad.point(lambda v: v // 2))


def draw_poster(text: PosterText, cover: bytes, font: tuple[str, int],
                centering: tuple[float, float] = (0.5, 0.5)) -> bytes:
    w, h = SIZE
    poster = Image.new("RGB", SIZE, _PAPER)
    top_h = 560
    if cover:
        with Image.open(io.BytesIO(cover)) as im:
            im.draft("RGB", (w, top_h))
            top = ImageOps.fit(ImageOps.exif_transpose(im).convert("RGB"), (w, top_h),
                               Image.Resampling.BICUBIC, centering=centering)
    else:
        top = _plain_top()
    poster.paste(top, (0, 0))
    draw = ImageDraw.Draw(poster)
    path, index = font
    pad = 56
    y = top_h + 44
    small = _font(path, index, 26)
    tag_w = draw.textlength(text.tag, font=small)
    draw.rounded_rectangle((pad, y, pad + tag_w + 32, y + 46), radius=10, fill=_RED)
    draw.text((pad + 16, y + 7), text.tag, font=small, fill="white")
    y += 70
    size = 64
    title = _font(path, index, size)
    while draw.textlength(text.name, font=title) > w - 2 * pad and size > 36:
        size -= 4
        title = _font(path, index, size)
    for line in wrap(text.name, draw, title, w - 2 * pad, 2):
        draw.text((pad, y), line, font=title, fill=_INK)
        y += size + 12
    y += 8
    body = _font(path, index, 30)
    for line in wrap(text.line, draw, body, w - 2 * pad, 3):
        draw.text((pad, y), line, font=body, fill=_MUTED)
        y += 44
    # The foot: the QR code at the right, what it is and who made the site at the left.
    foot = h - QR_SIDE - 48
    draw.line((pad, foot - 28, w - pad, foot - 28), fill=(226, 230, 236), width=2)
    qr = qr_image(text.url, QR_SIDE)
    poster.paste(qr, (w - pad - qr.width + 16, foot))  # the quiet zone's white into the margin
    left = w - 2 * pad - qr.width
    fy = foot + 12
    for line in wrap("长按识别二维码", draw, _font(path, index, 30), left, 1):
        draw.text((pad, fy), line, font=_font(path, index, 30), fill=_INK)
    fy += 46
    for line in wrap("查看完整介绍", draw, small, left, 1):
        draw.text((pad, fy), line, font=small, fill=_MUTED)
    fy += 56
    for said in (text.organiser and f"联系单位：{text.organiser}", text.site_title,
                 text.site_organiser and f"主办：{text.site_organiser}"):
        if said:
            for line in wrap(said, draw, _font(path, index, 22), left, 2):
                draw.text((pad, fy), line, font=_font(path, index, 22), fill=_MUTED)
                fy += 32
    poster.info = {}
    buf = io.BytesIO()
    # 4:4:4 and a high quality: the QR code's edges stay sharp enough for any phone's reader
    poster.save(buf, "JPEG", quality=88, subsampling=0, optimize=True)
    return buf.getvalue()
