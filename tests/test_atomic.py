"""A failed build leaves the previous site/ exactly as it was, byte for byte, says why, and
leaves no temporary folder behind; a good build replaces site/ whole."""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from procs import processes
from sitecopy import copy_demo, in_project_words, tree_state

import site_builder.engines.mkdocs as adapter
from site_builder.build import build_site
from site_builder.cli import main
from site_builder.publish.swap import swap_in

FICTIONAL = """\
---
slug: shili-moumou
name: 示例·某某品牌
summary: 虚构的示例品牌，只用于测试失败的构建不会改动已发布的站点。
status: 已发布
category: @CATEGORY@
districts: [@DISTRICT@]
updated: 2024-05-20
---
这是一个虚构的示例品牌。{extra}
"""


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    """The fictional demo project (its own settings) with one more fictional brand, built into
    site/ once."""
    root = copy_demo(tmp_path_factory.mktemp("atomic") / "project")
    (root / "brands" / "shili-moumou.md").write_text(
        in_project_words(FICTIONAL.format(extra=""), root), encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 0
    return root


@pytest.fixture
def project(built_once, tmp_path, capsys) -> Path:
    """A private copy of that built project: each test breaks its own."""
    root = tmp_path / "project"
    shutil.copytree(built_once, root, symlinks=True)
    capsys.readouterr()
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _break_record(root: Path) -> None:
    _edit(root / "brands" / "shili-moumou.md", in_project_words("category: @CATEGORY@", root),
          "category: 不存在的类型")


def _break_page_template(root: Path) -> None:
    path = next(p for p in sorted((root / "templates" / "pages").glob("*.j2"))
                if not p.name.startswith("_"))
    path.write_text(path.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")


def _break_theme(root: Path) -> None:
    """A theme override that fails while rendering (calls a function that does not exist)."""
    path = root / "templates" / "theme" / "main.html"
    text = path.read_text(encoding="utf-8")
    block = re.search(r"{%-?\s*block\s+\w+\s*-?%}", text)
    assert block, f"{path} overrides no block"
    path.write_text(text[:block.end()] + "{{ no_such_function() }}" + text[block.end():],
                    encoding="utf-8")


def _plant_broken_link(root: Path) -> None:
    """A record that validates, but whose story links to a page the site does not have."""
    (root / "brands" / "shili-moumou.md").write_text(
        in_project_words(FICTIONAL.format(extra="详见[不存在的页面](../no-such-brand/)。"), root),
        encoding="utf-8")


FAILURES = {
    # name: (how to break the project, what the command must say)
    "record error": (_break_record, ["brands/shili-moumou.md:", "error[B004]: category"]),
    "page template error": (_break_page_template, ["生成站点失败：TemplateSyntaxError"]),
    "theme template error": (_break_theme, ["生成站点失败：UndefinedError"]),
    "post-build check": (_plant_broken_link, ["error[C001]: ../no-such-brand/",
                                              "生成的站点未通过发布前检查：1 个问题"]),
}


@pytest.mark.parametrize("name", FAILURES)
def test_failed_build_leaves_site_untouched(project, capsys, name):
    breaker, says = FAILURES[name]
    site = project / "site"
    before, inode = tree_state(site), site.stat().st_ino
    listing = sorted(os.listdir(project))
    breaker(project)

    assert main(["--root", str(project), "build"]) == 1
    out = capsys.readouterr()
    said = out.out + out.err
    for text in says + [f"构建失败，{site} 保持原样。"]:
        assert text in said, said
    assert "Traceback" not in said
    assert site.stat().st_ino == inode, "site/ was replaced"
    assert tree_state(site) == before, "site/ changed"
    assert sorted(os.listdir(project)) == listing, "a temporary folder was left behind"


def test_an_image_failing_while_the_pages_are_written_fails_the_build_whole(project, capsys,
                                                                           monkeypatch, tmp_path):
    """The images are encoded in threads while the pages are rendered; one that fails (here, a
    full disk) fails the build like any other error: one message, site/ untouched, no temporary
    folder, and no search indexer started or left behind."""
    from site_builder.cache import CHECKED_PAGES, DECODED_IMAGES, versioned
    from site_builder.render import images

    cache = tmp_path / "empty-cache"
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(cache))  # encode them all
    # what another version of the program kept, and an entry of the day before's layout
    stale = [cache / CHECKED_PAGES / "0123456789abcdef" / "ab" / "ab12.json",
             cache / DECODED_IMAGES / "0123456789abcdef" / "cd" / "cd34", cache / CHECKED_PAGES / "ef" / "ef56.json"]
    for p in stale:
        p.parent.mkdir(parents=True)
        p.write_text("{}", "utf-8")
    real = images._write_all
    calls = []

    def fails_once(targets, make):
        calls.append(targets)
        if len(calls) == 3:
            raise OSError(28, "No space left on device")
        return real(targets, make)

    monkeypatch.setattr(images, "_write_all", fails_once)
    site = project / "site"
    before, listing = tree_state(site), sorted(os.listdir(project))
    assert main(["--root", str(project), "build"]) != 0
    said = "".join(capsys.readouterr())
    assert len(calls) >= 3 and f"构建失败，{site} 保持原样。" in said and "Traceback" not in said
    assert tree_state(site) == before
    assert sorted(os.listdir(project)) == listing
    assert [cmd for _, _, cmd in processes() if "pagefind" in cmd and str(project) in cmd] == []
    # the build deleted what other versions kept; this version's marks of decoded images stay
    assert not any(p.exists() or p.parent.exists() for p in stale)
    assert any(p.is_file() for p in versioned(DECODED_IMAGES).rglob("*"))


def test_post_build_findings_name_the_final_page(project):
    _plant_broken_link(project)
    result = build_site(project, project / "site")
    assert not result.ok
    assert [(d.path, d.code, d.field) for d in result.findings] == [
        ("site/brands/shili-moumou/index.html", "C001", "../no-such-brand/")]


def test_good_build_replaces_site_whole(project, capsys):
    site = project / "site"
    stale = site / "stale-page.html"
    stale.write_text("<title>旧页面</title>", encoding="utf-8")
    listing = sorted(os.listdir(project))
    _edit(project / "brands" / "shili-moumou.md", "示例·某某品牌", "示例·另一个品牌")

    assert main(["--root", str(project), "build"]) == 0, capsys.readouterr()
    assert not stale.exists()
    assert "示例·另一个品牌" in (site / "brands" / "shili-moumou" / "index.html").read_text("utf-8")
    assert sorted(os.listdir(project)) == listing


def test_interrupted_build_cleans_up(project, monkeypatch):
    site = project / "site"
    before, listing = tree_state(site), sorted(os.listdir(project))

    def half_written(project_, staging: Path, strict: bool = True, defer_search: bool = False):
        (staging / "index.html").write_text("<title>一半</title>", encoding="utf-8")
        raise KeyboardInterrupt

    monkeypatch.setattr(adapter, "build_with_mkdocs", half_written)
    with pytest.raises(KeyboardInterrupt):
        build_site(project, site)
    assert tree_state(site) == before
    assert sorted(os.listdir(project)) == listing


def test_swap_puts_the_old_site_back_when_the_new_one_cannot_move_in(tmp_path, monkeypatch):
    old, new = tmp_path / "site", tmp_path / "staging"
    old.mkdir()
    (old / "index.html").write_text("旧", encoding="utf-8")
    new.mkdir()
    real_replace, calls = os.replace, []

    def failing_second_rename(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_second_rename)
    with pytest.raises(OSError):
        swap_in(new, old)
    assert (old / "index.html").read_text(encoding="utf-8") == "旧"
