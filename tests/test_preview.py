"""The live preview rebuilds only what an edit changed, and ends up with the same site."""

from __future__ import annotations

from pathlib import Path

from showcase import make_project

from site_builder.build import build_site
from site_builder.engines.mkdocs import Preview


def tree(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*"))
            if p.is_file() and "pagefind" not in p.parts and p.suffix != ".gz"}


def test_preview_rebuild_after_one_edit_matches_a_clean_build(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    (tmp_path / "p").mkdir()
    root = make_project(tmp_path / "p")
    preview = Preview(root, tmp_path / "preview")
    preview.build()
    preview.wait_for_search()
    page = tmp_path / "preview" / "brands" / "shili-jigong" / "index.html"
    untouched = tmp_path / "preview" / "brands" / "shili-jiazheng" / "index.html"
    before = untouched.stat().st_mtime_ns

    record = root / "brands" / "shili-jigong.md"
    record.write_text(record.read_text(encoding="utf-8").replace("虚构的技工品牌。", "编辑后的故事。"),
                      encoding="utf-8")
    preview.build()
    preview.wait_for_search()
    assert "编辑后的故事。" in page.read_text(encoding="utf-8")
    assert untouched.stat().st_mtime_ns == before, "an unchanged brand page is not rendered again"
    assert (tmp_path / "preview" / "pagefind" / "pagefind.js").is_file()

    result = build_site(root, tmp_path / "clean")
    assert result.ok
    clean, incremental = tree(tmp_path / "clean"), tree(tmp_path / "preview")
    assert sorted(clean) == sorted(incremental)
    differing = [k for k in clean if clean[k] != incremental[k]]
    assert differing == []


def test_preview_renders_everything_again_when_settings_change(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    (tmp_path / "p").mkdir()
    root = make_project(tmp_path / "p")
    preview = Preview(root, tmp_path / "preview")
    preview.build()
    settings = root / "settings.yml"
    settings.write_text(settings.read_text(encoding="utf-8").replace(
        "title: 示例市劳务品牌（测试）", "title: 改名后的站点"), encoding="utf-8")
    preview.build()
    preview.wait_for_search()
    html = (tmp_path / "preview" / "brands" / "shili-jiazheng" / "index.html").read_text(
        encoding="utf-8")
    assert "改名后的站点" in html


def test_preview_after_edits_other_pages_show_matches_a_clean_build(tmp_path, monkeypatch):
    """Renaming a brand changes the cards on other brands' pages, the listings, the data files;
    pages the preview keeps from last time (its memo) must still equal a clean build's."""
    import shutil

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    (tmp_path / "p").mkdir()
    root = make_project(tmp_path / "p")
    preview = Preview(root, tmp_path / "preview")
    preview.build()
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
        states.append((shutil.copytree(root, tmp_path / f"state-{n}"), tree(tmp_path / "preview")))
    assert "改写后的简介" in (tmp_path / "preview" / "brands" / "index.html").read_text(encoding="utf-8")
    for n, (state, incremental) in enumerate(states):  # the same records, built from nothing
        assert build_site(state, tmp_path / f"clean-{n}").ok
        clean = tree(tmp_path / f"clean-{n}")
        assert sorted(clean) == sorted(incremental)
        assert [k for k in clean if clean[k] != incremental[k]] == [], edits[n]


def test_preview_holds_off_garbage_collection_only_while_it_rebuilds(tmp_path, monkeypatch):
    """A rebuild runs without Python's full collections (they visit everything the preview
    keeps); a finished or failed rebuild turns them on again."""
    import gc

    import jinja2
    import pytest

    import site_builder.engines.mkdocs as engine

    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1764201600")
    (tmp_path / "p").mkdir()
    root = make_project(tmp_path / "p")
    seen = []
    real = engine.render_site

    def probe(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "render_site", probe)
    preview = Preview(root, tmp_path / "preview")
    preview.build()
    preview.build()
    assert seen == [True, False] and gc.isenabled()
    template = root / "templates" / "pages" / "brand.md.j2"
    template.write_text("{% if %}", encoding="utf-8")
    with pytest.raises(jinja2.TemplateSyntaxError):
        preview.build()
    assert seen[-1] is False and gc.isenabled()
    preview.wait_for_search()
