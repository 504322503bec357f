"""After an edit, the live preview renders again only what the edit can change: the listing
pages (home, directory, statistics, taxonomies …) list every brand by its summary, so an edit of
a brand's story alone leaves them as they were; an edit of its name, category or status renders
them again. Whatever is kept, the preview's folder holds what a fresh rendering of the same
records writes, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import DEMO_DATE
from sitecopy import copy_demo

from site_builder.build import Preview, render
from site_builder.engines import native
from site_builder.project import load_project

BRAND = "shili-bailu-dianshang"
LISTINGS = ("home.md.j2", "brands.md.j2", "stats.md.j2", "taxonomy.md.j2",
            "taxonomy_index.md.j2", "about.md.j2")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def fresh(root: Path) -> tuple[dict[str, bytes], set[str]]:
    """The files (bytes) and assets (names) a fresh rendering and layout of `root` writes."""
    site = render(load_project(root, DEMO_DATE))
    out = native.lay_out(site, root)
    site.finish()
    return out.files, set(out.assets)


def assert_folder_is_fresh(root: Path, folder: Path) -> None:
    files, assets = fresh(root)
    held = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    assert [u for u, data in files.items() if u not in held or held[u].read_bytes() != data] == []
    assert sorted(assets - set(held)) == []
    assert sorted(u for u in set(held) - set(files) - assets
                  if not u.startswith("pagefind/")) == []


@pytest.fixture
def preview(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    root = copy_demo(tmp_path / "project")
    opened = Preview(root, tmp_path / "preview", DEMO_DATE)
    assert opened.update().ok
    yield opened
    opened.close()


# (what the edit changes, the old text, the new, whether the listing pages change)
EDITS = [
    ("story", "示例·白鹭电商达人培训农户直播带货，把山货卖到全国。",
     "示例·白鹭电商达人培训农户直播带货，把山货卖到全国。编辑后加的一句：预览只写这一页。", False),
    ("name", "name: 示例·白鹭电商达人", "name: 示例·白鹭电商达人（改名）", True),
    ("category", "category: 民生保障型", "category: 文化旅游类", True),
    ("unpublish", "status: 已发布", "status: 已撤下", True),
    ("publish", "status: 已撤下", "status: 已发布", True),
    ("story again", "编辑后加的一句：预览只写这一页。", "", False),
]


def test_after_each_kind_of_edit_the_preview_holds_a_fresh_rendering(preview, counted):
    root, folder = preview.root, preview.out_dir
    record = root / "brands" / f"{BRAND}.md"
    for what, old, new, listings in EDITS:
        edit(record, old, new)
        counted.clear()
        run = preview.update([f"brands/{BRAND}.md"])
        assert run.ok and run.findings == [], (what, run.problems, run.findings)
        listed = {t for t in LISTINGS if counted[t]}
        if listings:
            assert listed == set(LISTINGS), (what, counted)
        else:  # the story alone: its own page, none of the listings
            assert counted["brand.md.j2"] == 1 and listed == set(), (what, counted)
            assert counted["round.md.j2"] == 0, counted  # it reads its round's text, not a brand's
            assert f"brands/{BRAND}/index.html" in run.written
        assert preview.wait_for_search() is None
        assert_folder_is_fresh(root, folder)
    page = (folder / "brands" / BRAND / "index.html").read_text(encoding="utf-8")
    assert "示例·白鹭电商达人（改名）" in page and "预览只写这一页" not in page
    assert "示例·白鹭电商达人（改名）" in (folder / "brands" / "index.html").read_text(encoding="utf-8")


def test_a_listing_that_reads_a_story_is_rendered_again_when_a_story_changes(preview, counted):
    """A project's own template that names a brand's story (`body`) is not kept by summaries:
    the directory showing the length of every story follows a story edit."""
    root = preview.root
    own = root / "templates" / "pages" / "brands.md.j2"
    own.write_text(own.read_text(encoding="utf-8")
                   + "\n{% for b in brands %}<p>{{ b.body | length }}</p>\n{% endfor %}\n",
                   encoding="utf-8")
    assert preview.update(["templates/pages/brands.md.j2"]).ok
    edit(root / "brands" / f"{BRAND}.md", "把山货卖到全国。", "把山货卖到全国各地（编辑后）。")
    counted.clear()
    run = preview.update([f"brands/{BRAND}.md"])
    assert run.ok and counted["brands.md.j2"] == 1 and counted["home.md.j2"] == 0, counted
    assert "brands/index.html" in run.written
    assert_folder_is_fresh(root, preview.out_dir)


def test_a_story_edit_lays_out_only_its_own_page(tmp_path, laid):
    """The engine keeps the layout of every page whose values it was given again unchanged."""
    root = copy_demo(tmp_path / "project")
    memo: dict = {"render": {}, "convert": {}}
    from site_builder.render.site import render_values

    native.lay_out(render_values(load_project(root, DEMO_DATE), memo), root, layouts := {})
    edit(root / "brands" / f"{BRAND}.md", "把山货卖到全国。", "把山货卖到全国（编辑后）。")
    laid.clear()
    out = native.lay_out(render_values(load_project(root, DEMO_DATE), memo), root, layouts)
    assert laid == [f"brands/{BRAND}/index.html"]
    assert b"\xe7\xbc\x96\xe8\xbe\x91\xe5\x90\x8e" in out.files[laid[0]]  # 编辑后
