"""With a fixed build date (SOURCE_DATE_EPOCH), two builds of the same project are byte-identical:
every page, the sitemap and its gzip copy, feeds, the search index, data files and images."""

from __future__ import annotations

import datetime as dt
import gzip
import os
import shutil
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from PIL import Image
from showcase import make_project
from sitecopy import REPO, first_difference, in_project_words, tree

EPOCH = 1717200000  # 2024-06-01 00:00:00 UTC

# An obviously fictional brand with images, so that the image pipeline is part of the build.
FICTIONAL = """\
---
slug: shili-moumou
name: 示例·某某品牌
summary: 虚构的示例品牌，只用于检验两次构建的结果是否逐字节相同。
status: 已发布
category: @CATEGORY@
districts: [@DISTRICT@]
media:
  logo: {path: logo.png, alt: 示例·某某品牌标志（虚构）}
  cover: {path: cover.jpg, alt: 示例·某某品牌封面（虚构）}
updated: 2024-05-20
---
这是一个**虚构**的示例品牌，只用于测试。
"""


def _project(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    root = make_project(dest, brands={})  # the fictional test settings; the one record below
    settings = (root / "settings.yml").read_text(encoding="utf-8")
    assert '  url: ""' in settings, "settings.yml no longer has an empty site.url to fill in"
    # With the site's address set, MkDocs writes canonical links and a full sitemap.
    (root / "settings.yml").write_text(
        settings.replace('  url: ""', "  url: https://example.gov.cn/laowu/", 1), encoding="utf-8")
    (root / "brands" / "shili-moumou.md").write_text(in_project_words(FICTIONAL, root),
                                                     encoding="utf-8")
    folder = root / "brands" / "shili-moumou"
    folder.mkdir()
    logo = Image.new("RGBA", (320, 320))
    logo.putdata([(x % 256, (x * 7) % 256, 90, 255) for x in range(320 * 320)])
    logo.save(folder / "logo.png")
    cover = Image.new("RGB", (1400, 700))
    cover.putdata([((x // 7) % 256, (x // 1400) % 256, 120) for x in range(1400 * 700)])
    cover.save(folder / "cover.jpg", quality=90)
    return root


def _build(root: Path, site_dir: Path, hash_seed: str) -> subprocess.CompletedProcess:
    """A build in its own process, so set and dict orders under different hash seeds are covered."""
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH), PYTHONHASHSEED=hash_seed)
    return subprocess.run(
        [sys.executable, "-m", "site_builder", "--root", str(root), "build", "--strict",
         "--site-dir", str(site_dir)],
        env=env, capture_output=True, text=True, timeout=600, check=False)


def test_two_builds_are_byte_identical(tmp_path):
    a = _project(tmp_path / "alpha")
    b = _project(tmp_path / "second-copy-in-a-longer-folder")
    runs = [(a, a / "site", "1"), (b, tmp_path / "elsewhere" / "public", "2"),
            (a, a / "site-again", "3")]  # the third reuses the first copy's image cache
    for root, site_dir, seed in runs:
        proc = _build(root, site_dir, seed)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    first, second, third = (tree(site_dir) for _, site_dir, _ in runs)

    assert any(name.endswith((".webp", ".jpg", ".png")) and "shili-moumou" in name
               for name in first), "the fictional brand's images were not part of the build"
    assert first_difference(first, second) is None, first_difference(first, second)
    assert first_difference(first, third) is None, first_difference(first, third)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = _project(tmp_path_factory.mktemp("reproducible") / "p")
    proc = _build(root, root / "site", "0")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return root


def test_build_date_comes_from_source_date_epoch(built):
    site = built / "site"
    day = dt.datetime.fromtimestamp(EPOCH, dt.UTC).date().isoformat()
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://example.gov.cn/laowu/brands/shili-moumou/</loc>" in sitemap
    assert f"<lastmod>{day}</lastmod>" in sitemap
    raw = (site / "sitemap.xml.gz").read_bytes()
    assert int.from_bytes(raw[4:8], "little") == EPOCH  # the gzip header's own timestamp
    assert gzip.decompress(raw).decode("utf-8") == sitemap


def test_demo_project_with_selection_rounds_builds_byte_identical(tmp_path):
    """The fictional demo project adds selection rounds: their pages and result data files too."""
    demo = REPO / "demo"
    sites = [tmp_path / "one", tmp_path / "two" / "site"]
    for site_dir, seed in zip(sites, ("11", "12"), strict=True):
        env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH), PYTHONHASHSEED=seed)
        proc = subprocess.run(
            [sys.executable, "-m", "site_builder", "--root", str(demo), "build",
             "--date", "2026-12-01", "--site-dir", str(site_dir)],
            env=env, capture_output=True, text=True, timeout=600, check=False)
        assert proc.returncode == 0, proc.stdout + proc.stderr
    first, second = (tree(s) for s in sites)
    assert any(name.startswith("evaluations/") for name in first), sorted(first)[:20]
    assert first_difference(first, second) is None, first_difference(first, second)


@pytest.mark.skipif(shutil.which("tar") is None or shutil.which("make") is None,
                    reason="make archive needs make and GNU tar")
def test_site_archive_is_reproducible_and_self_contained(built, tmp_path):
    """`make archive` (what CI attaches for other hosts): same bytes again after the files'
    modification times change; sorted entries, fixed owner and dates."""
    shutil.copy2(REPO / "Makefile", built / "Makefile")
    env = dict(os.environ, SOURCE_DATE_EPOCH=str(EPOCH))
    archives = [tmp_path / "first.tar.gz", tmp_path / "second.tar.gz"]
    # Two images of the same bytes are two names of one cached file in the site (hard links):
    # the archive holds each as a file of its own, whichever of them the build linked.
    variant = next((built / "site").rglob("*.webp"))
    twin = variant.with_name("twin-" + variant.name)
    os.link(variant, twin)
    try:
        for archive in archives:
            proc = subprocess.run(["make", "-s", "archive", f"ARCHIVE={archive}"], cwd=built,
                                  env=env, capture_output=True, text=True, timeout=300,
                                  check=False)
            assert proc.returncode == 0, proc.stdout + proc.stderr
            os.utime(built / "site" / "index.html", (EPOCH + 999, EPOCH + 999))
        with tarfile.open(archives[0]) as tar:
            members = tar.getmembers()
        assert not any(m.islnk() or m.issym() for m in members)
        assert sorted(m.name[2:] for m in members if m.isfile()) == sorted(tree(built / "site"))
    finally:
        twin.unlink()
    assert archives[0].read_bytes() == archives[1].read_bytes()
    names = [m.name for m in members]
    assert names == sorted(names) and "./index.html" in names and "./404.html" in names
    assert {m.mtime for m in members} == {EPOCH} and {(m.uid, m.gid) for m in members} == {(0, 0)}


# A story with what Markdown makes something of: headings, a list, a table, a link, emphasis.
_STORY = """\
## 示例·来历

示例·某某品牌始于**虚构**的一次培训：

- 第一期 30 人
- 第二期 < 50 人，学校 & 企业合办

| 年份 | 人数 |
|---|---|
| 2023 | 30 |

详见[示例说明](https://example.gov.cn/laowu/)。
"""


def _counted_build(root: Path, site_dir: Path, monkeypatch) -> tuple[dict[str, bytes], int]:
    """A build in this process, as a new process would start it (no story kept in memory):
    the site and the stories converted."""
    from site_builder.build import build_site
    from site_builder.validate import story

    counts = {"story": 0}
    convert = story.story_markdown

    def counted_story(body):
        counts["story"] += 1
        return convert(body)

    monkeypatch.setattr(story, "_SAFE_HTML", {})
    monkeypatch.setattr(story, "story_markdown", counted_story)
    result = build_site(root, site_dir, build_date=dt.date(2024, 6, 1))
    assert result.ok, (result.problems, [d.format() for d in result.diagnostics + result.findings])
    monkeypatch.undo()
    return tree(site_dir), counts["story"]


def test_stories_kept_by_an_earlier_build_give_the_same_site(tmp_path, monkeypatch):
    """The safe HTML of each story is kept between builds: a build with it is byte for byte the
    build without it, converts only the story that changed, and converts again whatever it
    cannot read back."""
    root = _project(tmp_path / "p")
    record = root / "brands" / "shili-moumou.md"
    record.write_text(record.read_text(encoding="utf-8") + _STORY, encoding="utf-8")
    cache = tmp_path / "cache"

    def build(name):
        monkeypatch.setenv("SITE_BUILDER_CACHE", str(cache))
        return _counted_build(root, tmp_path / name, monkeypatch)

    first, stories = build("first")
    assert stories >= 1
    assert any("story-html" in p.parts for p in cache.rglob("*") if p.is_file())
    second, stories_again = build("second")
    assert first_difference(first, second) is None, first_difference(first, second)
    assert stories_again == 0
    # the image variants are the cache's own files under a second name, where links can be made
    variant = next((tmp_path / "second").rglob("*.webp"))
    assert variant.stat().st_nlink >= 2
    assert any(p.stat().st_ino == variant.stat().st_ino for p in cache.rglob("*.webp"))

    # A kept story that is not UTF-8 (not what a build writes) is converted again.
    for path in cache.rglob("*"):
        if path.is_file() and "story-html" in path.parts:
            path.write_bytes(b"\xff\xfe")
    third, stories_third = build("third")
    assert first_difference(first, third) is None, first_difference(first, third)
    assert stories_third == stories

    # An edited story is converted alone; the page shows the edit.
    record.write_text(record.read_text(encoding="utf-8").replace("第一期 30 人", "第一期 31 人"),
                      encoding="utf-8")
    edited, stories_edited = build("edited")
    assert stories_edited == 1
    assert "第一期 31 人".encode() in edited["brands/shili-moumou/index.html"]


def test_images_are_copied_where_no_link_can_be_made(tmp_path, monkeypatch):
    """A cache folder on another file system (no hard link across): the same site, copied."""
    root = _project(tmp_path / "p")
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    linked, _ = _counted_build(root, tmp_path / "linked", monkeypatch)

    def cross_device(src, dst):
        raise OSError(18, "Invalid cross-device link")

    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setattr(os, "link", cross_device)
    from site_builder.build import build_site

    assert build_site(root, tmp_path / "copied", build_date=dt.date(2024, 6, 1)).ok
    assert first_difference(linked, tree(tmp_path / "copied")) is None
    assert {p.stat().st_nlink for p in (tmp_path / "copied").rglob("*.webp")} == {1}
