"""The MkDocs live preview (`serve --engine mkdocs`) rebuilds only what an edit changed, and ends
up with the same site as `build --engine mkdocs`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from procs import children, ended
from showcase import make_project

from site_builder.build import build_site
from site_builder.engines import pagefind
from site_builder.engines.mkdocs import Preview


def tree(site: Path) -> dict[str, bytes]:
    """Every file of the site, the search bundle included (it is written by the same indexer,
    once as a service kept between rebuilds, once as a fresh run)."""
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and p.suffix != ".gz"}


LEFT_BEHIND = re.compile(r"pagefind/((fragment|index|filter)/[^/]+|pagefind\.[^/]+\.pf_meta)")


def assert_same_site(clean: dict[str, bytes], preview: dict[str, bytes]) -> None:
    """The preview holds the clean build's files, byte for byte; beyond them only files of the
    search bundle that an earlier index named (the preview writes its index in place)."""
    assert [k for k in clean if clean[k] != preview.get(k)] == []
    extra = sorted(set(preview) - set(clean))
    assert [k for k in extra if not LEFT_BEHIND.fullmatch(k)] == []


@pytest.fixture
def previews():
    """Opens previews as `serve` does, and stops their search services afterwards."""
    opened = []

    def open_preview(root: Path, site: Path) -> Preview:
        opened.append(Preview(root, site))
        return opened[-1]

    yield open_preview
    for preview in opened:
        preview.close()


@pytest.fixture
def root(tmp_path, monkeypatch) -> Path:
    """The tests' fictional project, built as of a fixed date."""
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    (tmp_path / "p").mkdir()
    return make_project(tmp_path / "p")


@pytest.fixture
def preview(root, tmp_path, previews) -> Preview:
    """A preview of that project, built once, its search index written."""
    opened = previews(root, tmp_path / "preview")
    opened.build()
    opened.wait_for_search()
    return opened


def test_preview_rebuild_after_one_edit_matches_a_clean_build(preview, root, tmp_path):
    page = tmp_path / "preview" / "brands" / "shili-jigong" / "index.html"
    untouched = tmp_path / "preview" / "brands" / "shili-jiazheng" / "index.html"
    before = untouched.stat().st_mtime_ns

    record = root / "brands" / "shili-jigong.md"
    record.write_text(record.read_text(encoding="utf-8").replace("虚构的技工品牌。", "编辑后的故事。"),
                      encoding="utf-8")
    preview.build()
    preview.wait_for_search()
    assert "编辑后的故事。" in page.read_text(encoding="utf-8")
    # only the edited page was written, and only it was indexed again
    assert preview.plugin.written_pages == ["brands/shili-jigong/index.html"]
    assert preview.plugin.search_job.whole is False and preview.plugin.search_job.error is None
    assert untouched.stat().st_mtime_ns == before, "an unchanged brand page is not rendered again"
    assert (tmp_path / "preview" / "pagefind" / "pagefind.js").is_file()

    entry = tmp_path / "preview" / "pagefind" / "pagefind-entry.json"
    written = entry.stat().st_mtime_ns
    preview.build()  # nothing changed: no page written, the index not written again
    preview.wait_for_search()
    assert preview.plugin.written_pages == [] and preview.plugin.search_job.error is None
    assert entry.stat().st_mtime_ns == written

    result = build_site(root, tmp_path / "clean", engine="mkdocs")
    assert result.ok
    assert_same_site(tree(tmp_path / "clean"), tree(tmp_path / "preview"))


def test_preview_renders_everything_again_when_settings_change(preview, root, tmp_path):
    settings = root / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "title: 示例市劳务品牌（测试）", "title: 改名后的站点"), encoding="utf-8")
    preview.build()
    preview.wait_for_search()
    html = (tmp_path / "preview" / "brands" / "shili-jiazheng" / "index.html").read_text(
        encoding="utf-8")
    assert "改名后的站点" in html
    # every page was written again: the whole site indexed again, not page by page
    assert len(preview.plugin.written_pages) == len(preview.plugin.tracker.pages)
    assert preview.plugin.search_job.whole is True and preview.plugin.search_job.error is None
    import shutil

    assert build_site(shutil.copytree(root, tmp_path / "state"), tmp_path / "clean", engine="mkdocs").ok
    assert_same_site(tree(tmp_path / "clean"), tree(tmp_path / "preview"))


def test_preview_after_edits_other_pages_show_matches_a_clean_build(
        preview, root, tmp_path, monkeypatch):
    """Renaming a brand changes the cards on other brands' pages, the listings, the data files;
    pages the preview keeps from last time (its memo) must still equal a clean build's, and so
    must the search index with the pages written again indexed one by one (on a site this small
    the preview would index the whole site again, as the next test has it do)."""
    import shutil

    monkeypatch.setattr(pagefind, "PAGES_PER_CHANGED_PAGE", 0)  # page by page, however many
    edits = [("shili-jiazheng.md", "name: 示例·家政姐妹", "name: 示例·家政姐妹（改名）"),
             ("shili-chayi.md", "summary: 虚构的示例品牌：从化山区的茶艺师队伍，用于测试。",
              "summary: 改写后的简介：虚构的茶艺师队伍。"),
             ("shili-jiazheng.md", "name: 示例·家政姐妹（改名）", "name: 示例·家政姐妹")]
    states = []
    for n, (name, old, new) in enumerate(edits):
        record = root / "brands" / name
        text = record.read_text(encoding="utf-8")
        assert old in text
        record.write_text(text.replace(old, new), encoding="utf-8")
        preview.build()
        preview.wait_for_search()
        assert len(preview.plugin.written_pages) > 1  # the brand's page and those showing it
        assert preview.plugin.search_job.whole is False
        states.append((shutil.copytree(root, tmp_path / f"state-{n}"), tree(tmp_path / "preview")))
    assert "改写后的简介" in (tmp_path / "preview" / "brands" / "index.html").read_text(encoding="utf-8")
    for n, (state, incremental) in enumerate(states):  # the same records, built from nothing
        assert build_site(state, tmp_path / f"clean-{n}", engine="mkdocs").ok
        assert_same_site(tree(tmp_path / f"clean-{n}"), incremental)


def test_preview_holds_off_garbage_collection_only_while_it_rebuilds(
        root, tmp_path, monkeypatch, previews):
    """A rebuild runs without Python's full collections (they visit everything the preview
    keeps); a finished or failed rebuild turns them on again."""
    import gc

    import jinja2

    import site_builder.engines.mkdocs as engine

    seen = []
    real = engine.render_site

    def probe(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "render_site", probe)
    preview = previews(root, tmp_path / "preview")
    preview.build()
    preview.build()
    assert seen == [True, False] and gc.isenabled()
    template = root / "templates" / "pages" / "brand.md.j2"
    original = template.read_text(encoding="utf-8")
    template.write_text("{% if %}", encoding="utf-8")
    with pytest.raises(jinja2.TemplateSyntaxError):
        preview.build()
    assert seen[-1] is False and gc.isenabled()
    preview.wait_for_search()
    # after a failed rebuild nothing is taken as already written: every page, the whole index
    template.write_text(original, encoding="utf-8")
    preview.build()
    preview.wait_for_search()
    assert len(preview.plugin.written_pages) == len(preview.plugin.tracker.pages) > 10
    assert preview.plugin.search_job.whole is True and preview.plugin.search_job.error is None


def test_preview_indexes_the_whole_site_when_pages_come_or_go(preview, root, tmp_path, monkeypatch):
    """A new brand adds a page and a deleted one takes its page away (and every page's
    navigation changes): the page of the deleted brand leaves the preview's folder, and the
    index is made again from the whole site, as a clean build makes it."""
    import shutil

    monkeypatch.setattr(pagefind, "PAGES_PER_CHANGED_PAGE", 0)  # page by page when it can be
    source = root / "brands" / "shili-jigong.md"
    text = source.read_text(encoding="utf-8")
    (root / "brands" / "shili-jigong-er.md").write_text(
        text.replace("slug: shili-jigong", "slug: shili-jigong-er").replace(
            "name: 示例·数控技工", "name: 示例·新增技工"), encoding="utf-8")
    gone = tmp_path / "preview" / "brands" / "shili-chayi" / "index.html"
    assert gone.is_file()
    (root / "brands" / "shili-chayi.md").unlink()
    preview.build()
    preview.wait_for_search()
    assert preview.plugin.search_job.whole is True and preview.plugin.search_job.error is None
    assert (tmp_path / "preview" / "brands" / "shili-jigong-er" / "index.html").is_file()
    assert not gone.exists()
    assert build_site(shutil.copytree(root, tmp_path / "state"), tmp_path / "clean", engine="mkdocs").ok
    clean = tree(tmp_path / "clean")
    # beyond the clean build only the images of the deleted brand stay (nothing links them)
    kept = {k: v for k, v in tree(tmp_path / "preview").items()
            if not k.startswith("brands/shili-chayi/")}
    assert_same_site(clean, kept)


def _service_pid(preview) -> int:
    process = pagefind._Service(preview.plugin.search_service._index).process
    assert process is not None and process.returncode is None
    return process.pid


def test_a_failed_search_update_is_reported_and_the_next_one_starts_afresh(
        preview, root, tmp_path, monkeypatch):
    """The indexer failing is a warning in the preview (one Chinese sentence), not a stopped
    preview; its service is ended, and the next rebuild indexes the whole site again into the
    bundle a clean build writes."""
    import shutil

    from pagefind.index import PagefindIndex

    real = PagefindIndex.add_html_file

    async def broken(self, **kwargs):
        raise RuntimeError("indexer gone")

    monkeypatch.setattr(PagefindIndex, "add_html_file", broken)
    first = _service_pid(preview)
    record = root / "brands" / "shili-jigong.md"
    record.write_text(record.read_text(encoding="utf-8").replace("虚构的技工品牌。", "第一次编辑。"),
                      encoding="utf-8")
    preview.build()
    error = preview.plugin.search_job.wait()
    assert str(error) == "生成搜索索引失败，下次修改后会重新生成整个索引。"
    assert ended(first), "the failed service is still running"
    monkeypatch.setattr(PagefindIndex, "add_html_file", real)
    record.write_text(record.read_text(encoding="utf-8").replace("第一次编辑。", "第二次编辑。"),
                      encoding="utf-8")
    preview.build()
    preview.wait_for_search()
    assert preview.plugin.search_job.whole is True and preview.plugin.search_job.error is None
    assert build_site(shutil.copytree(root, tmp_path / "state"), tmp_path / "clean", engine="mkdocs").ok
    assert_same_site(tree(tmp_path / "clean"), tree(tmp_path / "preview"))


@pytest.mark.parametrize("how", ["process killed", "answers unreadable"])
def test_a_search_service_that_dies_is_reported_at_once_and_started_again(preview, root, how):
    """The indexer's process ending (killed, crashed), or its answers no longer being read
    (the library's reader stopped), fails that update at once with a message, rather than
    leaving the preview waiting for an answer; the old service is ended and the next rebuild
    starts a new one."""
    import os
    import signal
    import time

    services = children(os.getpid(), "--service")
    assert services == [_service_pid(preview)], services
    if how == "process killed":
        os.kill(services[0], signal.SIGKILL)
    else:
        service = preview.plugin.search_service
        reader = pagefind._Service(service._index).reader
        service._loop.call_soon_threadsafe(reader.cancel)
    record = root / "brands" / "shili-jigong.md"
    record.write_text(record.read_text(encoding="utf-8").replace("虚构的技工品牌。", "停掉之后。"),
                      encoding="utf-8")
    started = time.monotonic()
    preview.build()
    error = preview.plugin.search_job.wait()
    said = "搜索索引程序意外退出" if how == "process killed" else "搜索索引程序的回答无法读取"
    assert error is not None and said in str(error), error
    assert time.monotonic() - started < 30  # not the 600 s an unanswered request may take
    assert ended(services[0])
    preview.build()
    preview.wait_for_search()
    job = preview.plugin.search_job
    assert job.whole is True and job.error is None
