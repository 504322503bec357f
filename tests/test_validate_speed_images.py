"""A record's image checks, made faster (issue 31), judge every path as before.

`image_problem` now looks the brand folder's real path up once per record and resolves an
image's path only when it is not a plain file name of that folder or is a link. The function it
replaced is kept below (`_old_image_problem`, as it stood); both judge the same paths in folders
of every kind — real, a link, behind a linked parent — holding files, links to files inside and
outside, links to folders, folders named like images and missing names, and must give the same
code and message. Both directions are required: accepted images and refused ones.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image

from site_builder.diagnostics.codes import Code
from site_builder.model import BRANDS_DIR
from site_builder.text import clip
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
