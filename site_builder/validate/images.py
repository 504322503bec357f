"""Images a record shows: inside the brand's own folder, with a plain file name, bounded in size and pixels, fully decodable."""

from __future__ import annotations

import io
import os
import re
import warnings
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from ..cache import DECODED_IMAGES, entry, is_entry, versioned, write_atomic
from ..diagnostics.codes import Code
from ..model import BRANDS_DIR
from ..schema.fields import Ctx
from ..text import clip

MAX_IMAGE_BYTES = 10 * 1024 * 1024


MAX_IMAGE_PIXELS = 40_000_000


MAX_IMAGE_SIDE = 12_000


# MPO is how Pillow names the JPEG files many phone cameras write.
IMAGE_FORMATS = {"JPEG", "MPO", "PNG", "WEBP", "GIF"}


# Pillow refuses (DecompressionBombError) above twice this; we report above it ourselves.
Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS


def image_file_problem(path: Path) -> tuple[str, str] | None:
    """(code, Chinese message) when an image file is too big, too large in pixels or not a
    JPEG/PNG/WebP/GIF image or cannot be decoded to the end (truncated); None when it is fine."""
    try:
        size = path.stat().st_size
    except OSError as e:
        return Code.P012, f"无法读取图片 {path.name}：{type(e).__name__}；提示：重新保存图片文件。"
    if size > MAX_IMAGE_BYTES:
        return Code.P010, (f"图片 {path.name} 有 {size / 1048576:.1f} MB，超过上限 "
                        f"{MAX_IMAGE_BYTES // 1048576} MB；提示：缩小图片（长边 2000 像素左右足够）"
                        "后再放入。")
    try:
        data = path.read_bytes()
    except OSError as e:
        return Code.P012, f"无法读取图片 {path.name}：{type(e).__name__}；提示：重新保存图片文件。"
    decoded = _decoded_mark(data)
    if is_entry(decoded):  # these very bytes passed every check below before: nothing to open
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                fmt, (w, h) = im.format, im.size
                if fmt in IMAGE_FORMATS and _within_bounds(w, h):
                    im.load()  # every pixel: a truncated or corrupt file fails here, not in the build
                    _remember(decoded)
    except Image.DecompressionBombError:
        return Code.P011, (f"图片 {path.name} 的像素数超过上限 {MAX_IMAGE_PIXELS:,}；提示：缩小图片"
                        "（长边 2000 像素左右足够）。")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as e:
        if "truncated" in str(e).lower() or isinstance(e, EOFError):
            return Code.P012, (f"图片 {path.name} 不完整（文件在复制或下载时被截断）；提示：重新导出或"
                               "重新复制这张图片。")
        return Code.P012, (f"{path.name} 不是可以读取的图片（{type(e).__name__}）；提示：用 JPEG、PNG、"
                        "WebP 或 GIF 格式重新保存。")
    if fmt not in IMAGE_FORMATS:
        return Code.P012, (f"{path.name} 是 {fmt} 格式，不支持；提示：另存为 JPEG、PNG、WebP 或 GIF。")
    if not _within_bounds(w, h):
        return Code.P011, (f"图片 {path.name} 为 {w}×{h} 像素，超过上限（每边不超过 {MAX_IMAGE_SIDE}，"
                        f"总像素不超过 {MAX_IMAGE_PIXELS:,}）；提示：缩小图片（长边 2000 像素左右足够）。")
    return None


# Images whose every pixel this version of the program decoded before (the same bytes): an empty
# file each in the cache folder, so that an unchanged image is decoded in full once, not at every
# build and validation (1.6 s for 2,265 images at 1,000 brands). One cut short is never marked.
# A mark is written only once the bytes passed every check of `image_file_problem` (format,
# pixel bounds, every pixel), which depend on nothing but the bytes and what names the mark's
# folder (Python, Pillow and its decoders, this module): a marked image is not opened again,
# not even for its header (its answer can only be None).
# A mark is named by the cache's secret (`cache.entry`): no one without it can name the mark of
# a file, so a planted mark never spares a broken image its decode; a link is no mark.
def _decoded_mark(data: bytes) -> Path:
    return entry(versioned(DECODED_IMAGES), data)


def _remember(mark: Path) -> None:
    try:
        write_atomic(mark, b"")
    except OSError:
        pass  # a cache that cannot be written only costs the next run a decode


def _within_bounds(w: int, h: int) -> bool:
    return 1 <= w <= MAX_IMAGE_SIDE and 1 <= h <= MAX_IMAGE_SIDE and w * h <= MAX_IMAGE_PIXELS


def check_images(folder: Path, ctx: Ctx) -> None:
    """The images a record's fields name (collected by the schema pass), each at its field; two
    images whose names differ only in the extension would share their published variants."""
    stems: dict[str, str] = {}
    real: list[str | None] = []  # the folder's own verdict, looked up once for the record
    for where, path, node in ctx.images:
        bad = image_problem(folder, path, "，例如 `logo.png`", real)
        if bad:
            ctx.rep.at_node(node, bad[0], where, bad[1])
            continue
        stem = path.rsplit(".", 1)[0]
        other = stems.setdefault(stem, path)
        if other != path:
            ctx.rep.at_node(node, Code.B032, where, f"图片 {path} 与 {other} 只差扩展名，生成的图片会重名",
                            hint="")


def image_problem(folder: Path, path: str, example: str = "",
                  real: list[str | None] | None = None) -> tuple[Code, str] | None:
    """(code, Chinese message) when `path` is not a usable image in the brand's own `folder`:
    outside it, missing, a link leading out of it, or too big; None when it is fine.
    `real` keeps the folder's verdict (`_real_folder`) between calls for one record's images."""
    stem = folder.name
    problem = image_path_problem(path)
    if problem:
        return Code.B011, (f"图片路径“{clip(path)}”{problem}；提示：把图片放进 {BRANDS_DIR}/{stem}/，"
                           f"这里只写文件名{example}。")
    if _UNSAFE_NAME.search(path):
        return Code.B032, (f"图片文件名“{clip(path)}”含有空格或 # % ? 等在网址中有特殊含义的字符；"
                           "提示：把文件改名为只含字母、数字、连字符和下划线的名称，例如 `team-photo-1.jpg`，"
                           "并同步修改档案。")
    if real is None:
        real = []
    if not real:
        real.append(_real_folder(folder))
    real_folder = real[0]
    if real_folder is None:
        return Code.B011, (f"品牌文件夹 {BRANDS_DIR}/{stem}/ 是指向别处的链接；提示：把图片本身复制到"
                           f" {BRANDS_DIR}/{stem}/（一个真正的文件夹）中。")
    target = folder / path
    if not target.is_file():
        return Code.B010, (f"找不到图片 {BRANDS_DIR}/{stem}/{path}；提示：把图片放进 {BRANDS_DIR}/{stem}/，"
                           "并核对文件名（包括大小写和扩展名）。")
    # A plain file name that is no link names a file of the (real) folder itself: realpath would
    # give real_folder/path. Anything else is resolved.
    if ("/" in path or os.path.islink(target)) and \
            os.path.commonpath([os.path.realpath(target), real_folder]) != real_folder:
        return Code.B011, (f"图片“{clip(path)}”是指向品牌文件夹以外的链接；"
                           f"提示：把图片本身复制到 {BRANDS_DIR}/{stem}/。")
    return image_file_problem(target)  # size, format and pixel bounds; every pixel decoded


def _real_folder(folder: Path) -> str | None:
    """The brand folder's real path, or None when it is a link or lies behind one that its
    parent folder does not (it would lead elsewhere)."""
    if folder.is_symlink():
        return None
    real = os.path.realpath(folder)
    if real != os.path.join(os.path.realpath(folder.parent), folder.name):
        return None
    return real


def image_path_problem(path: str) -> str | None:
    """Why an image path may not be used, or None: it must stay inside the brand's folder."""
    if "\\" in path:
        return "含有反斜杠 \\"
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return "是绝对路径"
    if "://" in path or path.lower().startswith(("data:", "javascript:")):
        return "是网址，不是品牌文件夹中的文件"
    if any(part in ("..", "") for part in path.split("/")):
        return "含有 `..` 或空的目录名，指向了品牌文件夹以外"
    return None


# Characters that change what an address means (# starts a fragment, ? a query, % an escape) or
# that an address cannot hold as written (spaces, quotes, angle brackets, control characters).
_UNSAFE_NAME = re.compile(r"[\s#%?&'\"<>`^{}|\[\]\x00-\x1f\x7f]")
