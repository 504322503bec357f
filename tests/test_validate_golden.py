"""Golden tests: each broken record in tests/golden/records/ and the exact lines an editor reads.

A case is `<case>.md` (copied into a temporary project as `brands/<case>.md`), or a folder
`<case>/` laid over the temporary project (for cases that need several files or images), or a
recipe in GENERATED below (bytes that are awkward to commit: other encodings, huge files,
symlinks, CRLF). `<case>.expected` holds the diagnostics exactly as `site-builder validate` prints
them. Run with GOLDEN_UPDATE=1 to rewrite the .expected files, then review the diff by eye.
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import zlib
from pathlib import Path

import pytest
from golden import check_golden, codes_in, lines_of, validate_text
from sitecopy import FIXTURE_SETTINGS

from site_builder.diagnostics import CODES
from site_builder.load.frontmatter import MAX_FILE_BYTES
from site_builder.project import load_project

REPO = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden" / "records"
CODES_OWNED_ELSEWHERE = {"B016"}  # level vs. selection results: golden-tested with evaluations


def _record(slug: str, extra: str = "", story: str = "品牌故事。\n") -> str:
    return (f"---\nslug: {slug}\nname: 示例·{slug}\nsummary: 虚构的示例品牌。\nstatus: 草稿\n"
            f"category: 高品质服务型\ndistricts: [海珠区]\n{extra}updated: 2026-01-01\n---\n{story}")


def _write(root: Path, rel: str, data: bytes) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _png() -> bytes:
    """A valid 1×1 PNG: image checks read real image headers."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(b"\x00\xff\xff\xff")) + chunk(b"IEND", b""))


def _crlf_bom(text: str) -> bytes:
    return b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8")


def gen_not_utf8(root: Path) -> None:
    # Saved as GBK, as some Windows editors do; the first non-ASCII byte is on line 3.
    _write(root, "brands/not-utf8.md", _record("not-utf8").encode("gbk"))


def gen_too_large(root: Path) -> None:
    story = "这是一段很长的品牌故事。\n" * (MAX_FILE_BYTES // 36 + 10)
    _write(root, "brands/too-large.md", _record("too-large", story=story).encode("utf-8"))


def gen_bom_crlf(root: Path) -> None:
    # The complete valid case, saved with a byte-order mark and Windows line endings: no problem.
    text = (GOLDEN / "valid.md").read_text(encoding="utf-8").replace("slug: valid", "slug: bom-crlf")
    _write(root, "brands/bom-crlf.md", _crlf_bom(text))


def gen_bom_crlf_errors(root: Path) -> None:
    # The unknown-keys case with BOM and CRLF: the same lines and columns as without them.
    text = (GOLDEN / "unknown-keys.md").read_text(encoding="utf-8")
    _write(root, "brands/bom-crlf-errors.md",
           _crlf_bom(text.replace("slug: unknown-keys", "slug: bom-crlf-errors")))


def gen_control_char(root: Path) -> None:
    # A BEL character pasted from a web page into the summary (line 4, after 9 characters).
    text = _record("control-char").replace("summary: 虚构", "summary: 虚构\x07")
    _write(root, "brands/control-char.md", text.encode("utf-8"))


def gen_image_symlink(root: Path) -> None:
    # The image exists, but only as a link to a file outside the brand's folder.
    _write(root, "private/secret.png", _png())
    (root / "brands/image-symlink").mkdir(parents=True)
    os.symlink("../../private/secret.png", root / "brands/image-symlink/logo.png")
    os.symlink("../../private", root / "brands/image-symlink/shared")
    _write(root, "brands/image-symlink/own.png", _png())
    os.symlink("own.png", root / "brands/image-symlink/alias.png")  # inside: allowed
    media = ("media:\n  logo: {path: logo.png, alt: 标志}\n  cover: {path: shared/secret.png, alt: 封面}\n"
             "  gallery:\n    - {path: alias.png, alt: 指向本文件夹内的链接}\n")
    _write(root, "brands/image-symlink.md", _record("image-symlink", media).encode("utf-8"))


def _pillow(kind: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    """A small image drawn by the test (Pillow), in the given format."""
    import io

    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", size, (200, 120, 40)).save(buf, kind)
    return buf.getvalue()


def gen_image_names(root: Path) -> None:
    # File names an address cannot hold as written, two images that differ only in their
    # extension (their variants would share names), a truncated file, and alt text that is a
    # file name or blank.
    folder = "brands/image-names"
    for name in ("my logo.png", "cover#1.png", "a%20b.png", "what?.png", "logo.png"):
        _write(root, f"{folder}/{name}", _pillow())
    _write(root, f"{folder}/logo.jpg", _pillow("JPEG"))
    _write(root, f"{folder}/cut.jpg", _pillow("JPEG", (400, 300))[:600])  # truncated
    media = ("media:\n  logo: {path: logo.png, alt: 示例品牌的标志}\n"
             "  cover: {path: cut.jpg, alt: 示例服务站外景}\n"
             "  gallery:\n    - {path: my logo.png, alt: 一张示例图}\n"
             "    - {path: cover#1.png, alt: 一张示例图}\n"
             "    - {path: a%20b.png, alt: 一张示例图}\n"
             "    - {path: what?.png, alt: 一张示例图}\n"
             "    - {path: logo.jpg, alt: IMG_0001.JPG}\n"
             "    - {path: logo.png, alt: \"  \"}\n")
    story = "品牌故事。\n\n![DSC_1234](logo.png)\n"
    _write(root, f"{folder}.md", _record("image-names", media, story).encode("utf-8"))


def gen_folder_symlink(root: Path) -> None:
    # The brand's image folder is itself a link to a folder outside the repository's brands/.
    _write(root, "private/logo.png", _pillow())
    os.symlink("../private", root / "brands/folder-symlink")
    media = "media:\n  logo: {path: logo.png, alt: 示例品牌的标志}\n"
    _write(root, "brands/folder-symlink.md", _record("folder-symlink", media).encode("utf-8"))


def gen_videos(root: Path) -> None:
    # One bad video per rule, each made by the project's own encoder (tools/make_demo_video.py):
    # a missing file, a QuickTime file named .mp4, H.265 pictures, a file cut short, a file over
    # the size limit (sparse: no disk used), no captions (a draft: a warning), captions with a
    # cue that ends before it starts.
    import importlib.util
    spec = importlib.util.spec_from_file_location("make_demo_video", REPO / "tools" / "make_demo_video.py")
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    folder = root / "brands" / "videos"
    folder.mkdir(parents=True)
    tool.encode_clip(folder / "mov.mp4", seconds=1, container="mov")
    tool.encode_clip(folder / "hevc.mp4", seconds=1, vcodec="libx265")
    good = tool.encode_clip(folder / "good.mp4", seconds=4).read_bytes()
    (folder / "cut.mp4").write_bytes(good[:len(good) // 2])
    with (folder / "big.mp4").open("wb") as f:
        f.truncate(60 * 1024 * 1024)
    (folder / "good.zh.vtt").write_text(tool.CAPTIONS, encoding="utf-8")
    (folder / "bad.zh.vtt").write_text("WEBVTT\n\n00:00:03.000 --> 00:00:01.000\n示例字幕\n",
                                       encoding="utf-8")
    entries = [("missing.mp4", "good.zh.vtt"), ("mov.mp4", "good.zh.vtt"),
               ("hevc.mp4", "good.zh.vtt"), ("cut.mp4", "good.zh.vtt"), ("big.mp4", "good.zh.vtt"),
               ("good.mp4", None), ("good.mp4", "bad.zh.vtt")]
    extra = "videos:\n" + "".join(
        f"  - path: {path}\n    title: 示例视频（虚构）\n" + (f"    captions: {vtt}\n" if vtt else "")
        for path, vtt in entries)
    _write(root, "brands/videos.md", _record("videos", extra).encode("utf-8"))


GENERATED = {
    "videos": gen_videos,
    "image-names": gen_image_names,
    "folder-symlink": gen_folder_symlink,
    "not-utf8": gen_not_utf8,
    "too-large": gen_too_large,
    "bom-crlf": gen_bom_crlf,
    "bom-crlf-errors": gen_bom_crlf_errors,
    "control-char": gen_control_char,
    "image-symlink": gen_image_symlink,
}


def case_names() -> list[str]:
    names = {p.stem for p in GOLDEN.glob("*.md")}
    names |= {p.name for p in GOLDEN.iterdir() if p.is_dir()}
    names |= set(GENERATED)
    return sorted(names)


def make_project(root: Path, case: str) -> Path:
    """A temporary project: the fictional test settings plus the case's files (a case folder may
    bring its own settings.yml)."""
    shutil.copy(FIXTURE_SETTINGS, root / "settings.yml")
    (root / "brands").mkdir()
    if case in GENERATED:
        GENERATED[case](root)
    elif (GOLDEN / case).is_dir():
        shutil.copytree(GOLDEN / case, root, symlinks=True, dirs_exist_ok=True)
    else:
        shutil.copy(GOLDEN / f"{case}.md", root / "brands" / f"{case}.md")
    return root


@pytest.mark.parametrize("case", case_names())
def test_golden(case: str, tmp_path: Path) -> None:
    project = load_project(make_project(tmp_path, case))
    check_golden(GOLDEN / f"{case}.expected", validate_text(project.diagnostics))


def test_every_expected_file_has_a_case() -> None:
    orphans = {p.stem for p in GOLDEN.glob("*.expected")} - set(case_names())
    assert not orphans


def test_clean_cases_are_clean() -> None:
    """The valid record, and the same record with BOM + CRLF, give no diagnostics at all."""
    for case in ("valid", "bom-crlf", "yaml11-text-kept"):
        assert (GOLDEN / f"{case}.expected").read_text(encoding="utf-8") == ""


def test_every_code_has_a_golden() -> None:
    """Each Y and B code appears in at least one golden, so each rule has its exact lines."""
    seen = codes_in(GOLDEN)
    wanted = {c for c in CODES if c[0] in "YB"} - CODES_OWNED_ELSEWHERE
    missing = sorted(wanted - seen)
    assert not missing, f"这些代码没有黄金用例：{missing}；在 tests/golden/records/ 中加一个用例"
    assert seen <= set(CODES), f"黄金文件中出现了未登记的代码：{sorted(seen - set(CODES))}"


def test_each_line_has_the_documented_form() -> None:
    form = re.compile(r"^brands/[a-z0-9-]+\.md:\d+:\d+: (error|warning)\[[A-Z]\d{3}\]: \S+: .+；提示：.+$")
    for name, line in lines_of(GOLDEN):
        assert form.match(line), f"{name}: {line}"
