"""After an edit, the live preview renders again only what the edit can change: the listing
pages (home, directory, statistics, taxonomies …) list every brand by its summary, so an edit of
a brand's story alone leaves them as they were; an edit of its name, category or status renders
them again. Whatever is kept, the preview's folder holds what a fresh rendering of the same
records writes, byte for byte."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from conftest import DEMO_DATE
from sitecopy import copy_demo

from site_builder.build import Preview, _label, at_page_sources, linking_pages, render
from site_builder.editor.cms import api_origins
from site_builder.engines import native
from site_builder.project import load_project
from site_builder.verify import check_and_scan

BRAND = "shili-bailu-dianshang"
LISTINGS = ("home.md.j2", "brands.md.j2", "stats.md.j2", "taxonomy.md.j2",
            "taxonomy_index.md.j2", "about.md.j2")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def fresh(root: Path) -> tuple[dict[str, bytes], dict[str, Path]]:
    """The files (bytes) and assets (their sources) a fresh rendering and layout of `root`
    writes."""
    site = render(load_project(root, DEMO_DATE))
    out = native.lay_out(site, root)
    site.finish()
    return out.files, dict(out.assets)


def assert_folder_is_fresh(root: Path, folder: Path) -> None:
    files, assets = fresh(root)
    held = {p.relative_to(folder).as_posix(): p for p in folder.rglob("*") if p.is_file()}
    assert [u for u, data in files.items() if u not in held or held[u].read_bytes() != data] == []
    assert sorted(set(assets) - set(held)) == []
    assert [u for u, src in assets.items() if held[u].read_bytes() != Path(src).read_bytes()] == []
    assert sorted(u for u in set(held) - set(files) - set(assets)
                  if not u.startswith("pagefind/")) == []


def fresh_findings(preview: Preview) -> list:
    """What the checks of the whole preview folder find, as a fresh check reports it: once
    the search index is written (a file of it looked at while it is being written again may be
    gone by the time it is read)."""
    assert preview.wait_for_search() is None
    project = preview.project
    label = _label(project, preview.out_dir.resolve())
    found = check_and_scan(preview.out_dir, project.settings.site_url, label, None,
                           api_origins(project.settings))
    return at_page_sources(project, label, found)


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


def test_settings_and_template_edits_leave_a_fresh_rendering(preview):
    """What every kept page shares (settings, templates) changes every page that reads it."""
    root = preview.root
    edit(root / "settings.yml", "title: ", "title: 改过的")
    assert preview.update(["settings.yml"]).ok
    assert_folder_is_fresh(root, preview.out_dir)
    own = root / "templates" / "pages" / "person.md.j2"
    own.write_text(own.read_text(encoding="utf-8") + "\n<p>人物页的新段落</p>\n", encoding="utf-8")
    run = preview.update(["templates/pages/person.md.j2"])
    assert run.ok and any(u.startswith("people/") for u in run.written), run.written
    assert_folder_is_fresh(root, preview.out_dir)


def test_an_image_replaced_by_another_of_the_same_name_is_planned_again(preview):
    """The kept plan of an image follows the file: a new picture under the old name (even
    with the old modification time) gives new variants, of the new size."""
    from PIL import Image

    cover = preview.root / "brands" / BRAND / "cover.jpg"
    old = cover.stat()
    with Image.open(cover) as im:
        size = im.size
    Image.new("RGB", (size[0] // 2 + 7, size[1] // 2 + 3), (12, 120, 80)).save(cover, "JPEG")
    os.utime(cover, ns=(old.st_atime_ns, old.st_mtime_ns))  # a copy keeping the old time
    run = preview.update([f"brands/{BRAND}/cover.jpg"])
    assert run.ok and any(u.startswith(f"brands/{BRAND}/cover-") for u in run.written), run.written
    assert preview.wait_for_search() is None
    assert_folder_is_fresh(preview.root, preview.out_dir)


def test_a_broken_link_an_edit_writes_is_reported_as_a_fresh_check_reports_it(preview):
    assert fresh_findings(preview) == []
    edit(preview.root / "brands" / f"{BRAND}.md", "把山货卖到全国。",
         "把山货卖到全国。见[示例·不存在的品牌](../shili-meiyou-zhege/)。")
    run = preview.update([f"brands/{BRAND}.md"])
    assert run.ok and run.findings, run.findings
    assert any("shili-meiyou-zhege" in d.field for d in run.findings), run.findings
    assert run.findings == fresh_findings(preview)


def test_a_link_broken_by_unpublishing_its_target_is_reported(preview):
    """A hand-written page the edit does not write again, linking to the brand the edit
    unpublished, is checked again: the preview tells what a fresh check finds."""
    root = preview.root
    (root / "docs" / "shili-lianjie.md").write_text(
        "# 示例链接页\n\n见[示例·白鹭电商达人](../brands/shili-bailu-dianshang/)。\n",
        encoding="utf-8")
    run = preview.update(["docs/shili-lianjie.md"])
    assert run.ok and run.findings == [] and "shili-lianjie/index.html" in run.written
    assert fresh_findings(preview) == []
    edit(root / "brands" / f"{BRAND}.md", "status: 已发布", "status: 已撤下")
    run = preview.update([f"brands/{BRAND}.md"])
    assert run.ok and "shili-lianjie/index.html" not in run.written
    assert [d.path for d in run.findings] == ["docs/shili-lianjie.md"], run.findings
    assert run.findings == fresh_findings(preview)


def test_the_pages_that_may_link_to_a_removed_file(tmp_path):
    """A page outside the removed file's folder names the folder; one inside may name only
    the file, or nothing for the folder's page ("../"); names as written, escaped or
    percent-encoded."""
    pages = {
        "a/index.html": '<a href="../brands/shili-x/">x</a>',  # names the folder
        "b/index.html": '<a href="../brands/shili-y/">y</a>',  # another brand: not read again
        "brands/shili-x/people/p/index.html": '<a href="../../">up</a>',  # inside: "../"
        "c/index.html": '<img src="../brands/shili-x/cover-640.jpg">',
        "d/index.html": '<img src="../brands/shili-z/cover-640.jpg">',  # same name, elsewhere
        "e/index.html": '<a href="../categories/%E6%B0%91%E7%94%9F/">民生</a>',
        "f/index.html": '<a href="../categories/民生/">民生</a>',
    }
    for rel, text in pages.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(f"<!doctype html><p>{text}</p>", encoding="utf-8")
    found = linking_pages(tmp_path, pages, ["brands/shili-x/index.html"])
    assert found == {"a/index.html", "brands/shili-x/people/p/index.html",
                     "c/index.html"}  # (names the folder: read, and the checks decide)
    found = linking_pages(tmp_path, pages, ["brands/shili-x/cover-640.jpg"])
    assert found == {"c/index.html"}
    assert linking_pages(tmp_path, pages, ["categories/民生/index.html"]) == {
        "e/index.html", "f/index.html"}
    assert linking_pages(tmp_path, pages, []) == set()


def test_the_checks_run_after_the_pages_are_written_and_what_they_raise_is_raised(
        preview, monkeypatch):
    """An edit's checks run beside the search index: the update returns with the page on
    disk, its findings are waited for when read, and a failure of the checks is not lost."""
    record = preview.root / "brands" / f"{BRAND}.md"
    edit(record, "把山货卖到全国。", "把山货卖到全国（一改）。")
    run = preview.update([f"brands/{BRAND}.md"])
    assert "一改" in (preview.out_dir / "brands" / BRAND / "index.html").read_text(encoding="utf-8")
    assert run.findings == []

    def broken(*args):
        raise RuntimeError("示例：检查出错")

    monkeypatch.setattr(Preview, "_check", broken)
    edit(record, "（一改）", "（二改）")
    run = preview.update([f"brands/{BRAND}.md"])
    assert run.ok and f"brands/{BRAND}/index.html" in run.written
    with pytest.raises(RuntimeError, match="示例：检查出错"):
        run.findings  # noqa: B018 -- reading it waits for the checks
    monkeypatch.undo()
    edit(record, "（二改）", "")
    assert preview.update([f"brands/{BRAND}.md"]).findings == []
    assert preview.wait_for_search() is None
    assert_folder_is_fresh(preview.root, preview.out_dir)


def test_the_cycle_collector_waits_during_an_edit_and_runs_again_after(preview, monkeypatch):
    """After the first run the collector of reference cycles is paused while an edit's pages
    are made (it walks the whole memo each time it comes round) and is running again after,
    also when the run failed."""
    import gc

    seen = []
    real = native.update

    def watched(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(native, "update", watched)
    record = preview.root / "brands" / f"{BRAND}.md"
    edit(record, "status: 已发布", "status: 已发布\nname_en: [")  # a YAML error: the run fails
    assert not preview.update([f"brands/{BRAND}.md"]).ok and gc.isenabled()
    edit(record, "name_en: [", "")
    assert preview.update([f"brands/{BRAND}.md"]).ok
    assert seen == [False] and gc.isenabled()
