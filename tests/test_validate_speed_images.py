"""A record's image checks, made faster (issue 31), judge every path as before.

`image_problem` now looks the brand folder's real path up once per record and resolves an
image's path only when it is not a plain file name of that folder or is a link. The function it
replaced is kept below (`_old_image_problem`, as it stood); both judge the same paths in folders
of every kind — real, a link, behind a linked parent — holding files, links to files inside and
outside, links to folders, folders named like images and missing names, and must give the same
code and message. Both directions are required: accepted images and refused ones.

`image_file_problem` no longer opens an image whose decoded mark is there (those bytes passed
every check before): `_old_image_file_problem` keeps the function as it stood, and both judge
files of every verdict on fresh and kept caches alike.
"""

from __future__ import annotations

import io
import os
import random
import struct
import warnings
import zlib
from pathlib import Path

import pytest
from PIL import Image, UnidentifiedImageError

from site_builder.diagnostics.codes import Code
from site_builder.model import BRANDS_DIR
from site_builder.text import clip
from site_builder.validate import images
from site_builder.validate.images import (
    _UNSAFE_NAME,
    image_file_problem,
    image_path_problem,
    image_problem,
)


def _old_image_problem(folder: Path, path: str, example: str = "") -> tuple[Code, str] | None:
    """image_problem before issue 31's change, verbatim."""
    stem = folder.name
    problem = image_path_problem(path)
    if problem:
        return Code.B011, (f"图片路径“{clip(path)}”{problem}；提示：把图片放进 {BRANDS_DIR}/{stem}/，"
                           f"这里只写文件名{example}。")
    if _UNSAFE_NAME.search(path):
        return Code.B032, (f"图片文件名“{clip(path)}”含有空格或 # % ? 等在网址中有特殊含义的字符；"
                           "提示：把文件改名为只含字母、数字、连字符和下划线的名称，例如 `team-photo-1.jpg`，"
                           "并同步修改档案。")
    if folder.is_symlink() or os.path.realpath(folder) != os.path.join(
            os.path.realpath(folder.parent), folder.name):
        return Code.B011, (f"品牌文件夹 {BRANDS_DIR}/{stem}/ 是指向别处的链接；提示：把图片本身复制到"
                           f" {BRANDS_DIR}/{stem}/（一个真正的文件夹）中。")
    target = folder / path
    if not target.is_file():
        return Code.B010, (f"找不到图片 {BRANDS_DIR}/{stem}/{path}；提示：把图片放进 {BRANDS_DIR}/{stem}/，"
                           "并核对文件名（包括大小写和扩展名）。")
    real_folder = os.path.realpath(folder)
    if os.path.commonpath([os.path.realpath(target), real_folder]) != real_folder:
        return Code.B011, (f"图片“{clip(path)}”是指向品牌文件夹以外的链接；"
                           f"提示：把图片本身复制到 {BRANDS_DIR}/{stem}/。")
    return image_file_problem(target)


def _png(size=(4, 3)) -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", size, (20, 120, 60)).save(buf, "PNG")
    return buf.getvalue()


PATHS = ["logo.png", "cover.png", "missing.png", "dir.png", "sub/photo.png", "sub/missing.png",
         "out.png", "inner-link.png", "dangling.png", "linked-sub/photo.png", "loop.png",
         "broken.png", "./logo.png", "sub/../logo.png", "../shili-b/logo.png", "/etc/passwd",
         "a b.png", "logo.PNG", "logo", "...", "sub", "x%20.png", "photo.png"]


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """brands/ with a real folder (files, links inside and out, a folder named as an image,
    a dangling link, a link loop, a broken image), a folder that is a link, and a brands/
    reached through a linked parent."""
    root = tmp_path_factory.mktemp("shili-images")
    brands = root / "proj" / BRANDS_DIR
    real = brands / "shili-a"
    (real / "sub").mkdir(parents=True)
    (real / "dir.png").mkdir()
    for name in ("logo.png", "cover.png", "sub/photo.png"):
        (real / name).write_bytes(_png())
    (real / "broken.png").write_bytes(_png()[:40])
    outside = root / "outside"
    (outside / "sub").mkdir(parents=True)
    (outside / "out.png").write_bytes(_png())
    (outside / "sub" / "photo.png").write_bytes(_png())
    (real / "out.png").symlink_to(outside / "out.png")
    (real / "inner-link.png").symlink_to(real / "logo.png")
    (real / "dangling.png").symlink_to(real / "nothing.png")
    (real / "linked-sub").symlink_to(outside / "sub")
    (real / "loop.png").symlink_to(real / "loop.png")
    (brands / "shili-b").mkdir()
    (brands / "shili-b" / "logo.png").write_bytes(_png())
    (brands / "shili-link").symlink_to(real)  # a brand folder that is a link
    (root / "via").symlink_to(root / "proj")  # the same project reached through a link
    return root


def _folders(root: Path) -> list[Path]:
    return [root / "proj" / BRANDS_DIR / "shili-a", root / "proj" / BRANDS_DIR / "shili-b",
            root / "proj" / BRANDS_DIR / "shili-link", root / "via" / BRANDS_DIR / "shili-a",
            root / "proj" / BRANDS_DIR / "shili-none"]


def test_every_path_is_judged_as_before(project):
    verdicts = set()
    for folder in _folders(project):
        real: list = []  # shared across one folder's images, as check_images shares it
        for path in PATHS:
            old = _old_image_problem(folder, path, "，例如 `logo.png`")
            assert image_problem(folder, path, "，例如 `logo.png`", real) == old, (folder, path)
            assert image_problem(folder, path) == _old_image_problem(folder, path), (folder, path)
            verdicts.add(old[0] if old else None)
    # both directions, and every kind of refusal
    assert {None, Code.B010, Code.B011, Code.B032, Code.P012} <= verdicts, verdicts


def test_links_out_are_still_refused_and_plain_files_accepted(project):
    folder = project / "proj" / BRANDS_DIR / "shili-a"
    assert image_problem(folder, "logo.png") is None
    assert image_problem(folder, "inner-link.png") is None  # a link to a file of the folder
    assert image_problem(folder, "out.png")[0] is Code.B011
    assert image_problem(folder, "linked-sub/photo.png")[0] is Code.B011
    assert image_problem(project / "proj" / BRANDS_DIR / "shili-link", "logo.png")[0] is Code.B011


# -- an image file's own checks: a marked image is not opened again ----------------------------

def _old_image_file_problem(path: Path) -> tuple[str, str] | None:
    """image_file_problem before the decoded mark spared the header too, verbatim (its helpers
    are the module's own, unchanged)."""
    try:
        size = path.stat().st_size
    except OSError as e:
        return Code.P012, f"无法读取图片 {path.name}：{type(e).__name__}；提示：重新保存图片文件。"
    if size > images.MAX_IMAGE_BYTES:
        return Code.P010, (f"图片 {path.name} 有 {size / 1048576:.1f} MB，超过上限 "
                           f"{images.MAX_IMAGE_BYTES // 1048576} MB；提示：缩小图片（长边 2000 像素左右足够）"
                           "后再放入。")
    try:
        data = path.read_bytes()
    except OSError as e:
        return Code.P012, f"无法读取图片 {path.name}：{type(e).__name__}；提示：重新保存图片文件。"
    decoded = images._decoded_mark(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as im:
                fmt, (w, h) = im.format, im.size
                if fmt in images.IMAGE_FORMATS and images._within_bounds(w, h) \
                        and not images.is_entry(decoded):
                    im.load()
                    images._remember(decoded)
    except Image.DecompressionBombError:
        return Code.P011, (f"图片 {path.name} 的像素数超过上限 {images.MAX_IMAGE_PIXELS:,}；提示：缩小图片"
                           "（长边 2000 像素左右足够）。")
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError) as e:
        if "truncated" in str(e).lower() or isinstance(e, EOFError):
            return Code.P012, (f"图片 {path.name} 不完整（文件在复制或下载时被截断）；提示：重新导出或"
                               "重新复制这张图片。")
        return Code.P012, (f"{path.name} 不是可以读取的图片（{type(e).__name__}）；提示：用 JPEG、PNG、"
                           "WebP 或 GIF 格式重新保存。")
    if fmt not in images.IMAGE_FORMATS:
        return Code.P012, (f"{path.name} 是 {fmt} 格式，不支持；提示：另存为 JPEG、PNG、WebP 或 GIF。")
    if not images._within_bounds(w, h):
        return Code.P011, (f"图片 {path.name} 为 {w}×{h} 像素，超过上限（每边不超过 {images.MAX_IMAGE_SIDE}，"
                           f"总像素不超过 {images.MAX_IMAGE_PIXELS:,}）；提示：缩小图片（长边 2000 像素左右足够）。")
    return None


def _image_files(folder: Path) -> list[Path]:
    """Images of every verdict: fine (each format), cut short, corrupt inside, too many pixels
    (by the header alone and past Pillow's own bomb limit), too tall, an unsupported format,
    not an image, empty, too big, missing, a folder."""
    rng = random.Random(11)
    out = []

    def save(name, im, fmt, **kw):
        buf = io.BytesIO()
        im.save(buf, fmt, **kw)
        (folder / name).write_bytes(buf.getvalue())
        out.append(folder / name)
        return buf.getvalue()

    for i in range(6):
        size = (rng.randint(1, 90), rng.randint(1, 90))
        noise = Image.effect_noise(size, 40 + i).convert("RGB")
        save(f"photo-{i}.jpg", noise, "JPEG", quality=80)
        save(f"photo-{i}.png", noise, "PNG")
        save(f"photo-{i}.webp", noise, "WEBP")
        save(f"photo-{i}.gif", noise.convert("P"), "GIF")
    jpeg = save("whole.jpg", Image.effect_noise((120, 90), 50).convert("RGB"), "JPEG")
    (folder / "cut.jpg").write_bytes(jpeg[: len(jpeg) // 2])
    (folder / "corrupt.jpg").write_bytes(jpeg[:400] + bytes(rng.randrange(256) for _ in range(300))
                                         + jpeg[700:])
    png = (folder / "photo-0.png").read_bytes()
    (folder / "cut.png").write_bytes(png[: len(png) - 20])
    (folder / "bomb.png").write_bytes(_png_header(100_000, 100_000))
    (folder / "over.png").write_bytes(_png_header(7_000, 7_000))
    (folder / "tall.png").write_bytes(_png_header(10, 20_000))
    save("a.bmp", Image.new("RGB", (4, 4)), "BMP")
    (folder / "logo.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>')
    (folder / "empty.png").write_bytes(b"")
    (folder / "dir.png").mkdir()
    out += [folder / n for n in ("whole.jpg", "cut.jpg", "corrupt.jpg", "cut.png", "bomb.png",
                                 "over.png", "tall.png", "logo.svg", "empty.png", "dir.png",
                                 "missing.png")]
    return out


def _png_header(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


@pytest.mark.parametrize("limit", [None, 2000])
def test_every_image_file_is_judged_as_before_with_and_without_marks(tmp_path, monkeypatch, limit):
    """The old and the new function on the same files: on a fresh cache (the new one first, then
    the old one first, so that each meets the other's marks), and again with every mark there;
    with the byte limit low enough to refuse some of them too (both directions)."""
    folder = tmp_path / "shili-images"
    folder.mkdir()
    files = _image_files(folder)
    if limit:
        monkeypatch.setattr(images, "MAX_IMAGE_BYTES", limit)
    verdicts = set()
    for order, cache in ((0, "first"), (1, "second"), (0, "second")):
        monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / cache))
        for path in files:
            if order == 0:
                new, old = image_file_problem(path), _old_image_file_problem(path)
            else:
                old, new = _old_image_file_problem(path), image_file_problem(path)
            assert new == old, path.name
            assert image_file_problem(path) == old, path.name  # marked by now, when it passed
            verdicts.add(old[0] if old else None)
    assert {None, Code.P011, Code.P012} <= verdicts, verdicts
    if limit:
        assert Code.P010 in verdicts


def test_a_marked_image_is_not_opened_and_a_changed_one_is(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    opened = []
    real_open = Image.open
    monkeypatch.setattr(images.Image, "open", lambda *a, **k: (opened.append(1), real_open(*a, **k))[1])
    photo = tmp_path / "photo.png"
    buf = io.BytesIO()
    Image.effect_noise((64, 48), 50).save(buf, "PNG")
    photo.write_bytes(buf.getvalue())
    assert image_file_problem(photo) is None and len(opened) == 1
    assert image_file_problem(photo) is None and len(opened) == 1  # its mark: not opened
    photo.write_bytes(buf.getvalue()[:len(buf.getvalue()) // 2])  # changed: opened, refused, every time
    for n in (2, 3):
        assert image_file_problem(photo)[0] is Code.P012 and len(opened) == n
