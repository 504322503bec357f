"""What a build with a kept cache folder does faster gives exactly what the slower path gives:
page meta read by libyaml, Markdown conversions kept between builds (sealed: a forged one is a
miss), relative addresses, the kept check rows, and the cache's own bookkeeping (the folder
chosen again when the environment changes, a folder made a link refused every time)."""

from __future__ import annotations

import dataclasses
import os
import posixpath
import random
import shutil
from pathlib import Path
from types import SimpleNamespace

import pytest
import yaml

from site_builder import cache
from site_builder.cache import CONVERTED_PAGES, versioned
from site_builder.engines.native import relative_url
from site_builder.render import site as site_mod
from site_builder.render.pages import page_source
from site_builder.render.site import (
    Converter,
    _kept_conversions,
    read_site_config,
    site_pages,
    split_front_matter,
)
from site_builder.verify.memo import _rows


@pytest.fixture
def own_cache(tmp_path, monkeypatch):
    """A cache folder and key folder of the test's own, outside any project."""
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return tmp_path


METAS = [
    {"title": "示例劳务品牌", "description": "虚构的 &lt;描述&gt; &amp; 说明"},
    {"title": "示例😀品牌", "search": {"exclude": True}},  # escaped as a surrogate pair
    {"og_image": "brands/shili/share.jpg", "og_image_width": 1200, "ratio": 0.75,
     "small": 1e-05, "big": 10 ** 20, "none": None},
    {"jsonld": {"@context": "https://schema.org", "@type": "Organization",
                "name": "虚构合作社", "sameAs": ["https://example.invalid/a"]}},
    {"title": "line\u2028sep\u0085\ufeff", "hide": ["navigation", "toc"]},
]


@pytest.mark.parametrize("meta", METAS)
def test_page_meta_is_what_the_pure_loader_reads(meta):
    source = page_source(meta, "# 标题\n\n正文")
    front = source.split("---\n")[1]
    got, body = split_front_matter(source)
    assert got == yaml.safe_load(front)
    assert got and body == "# 标题\n\n正文"


def _pages() -> dict[str, str]:
    body = "# 示例品牌\n\n<div class=\"lb\">\n<p>虚构</p>\n</div>\n\n见 [关于](../about/index.md)。\n"
    return {"index.md": page_source({"description": "首页"}, "<div>首页</div>\n"),
            "brands/shili/index.md": page_source({"title": "示例"}, body),
            "about/index.md": page_source({"title": "关于"}, "# 关于本站\n\n## 要点\n\n- 一\n- 二\n")}


def _counting(monkeypatch) -> list[str]:
    """The pages converted from now on, by address."""
    converted: list[str] = []

    class Counting(Converter):
        def convert(self, uri, text):
            converted.append(uri)
            return super().convert(uri, text)

    monkeypatch.setattr(site_mod, "Converter", Counting)
    return converted


def _entries() -> list[Path]:
    return sorted(p for p in versioned(CONVERTED_PAGES).rglob("*") if p.is_file())


def test_kept_conversions_give_what_converting_gives_and_a_forged_one_is_a_miss(
        own_cache, monkeypatch):
    config = read_site_config(own_cache / "no-project")  # the package's mkdocs.yml
    assert _kept_conversions(config) is not None
    rendered = SimpleNamespace(pages=_pages())
    first = site_pages(rendered, config)  # converts, and keeps every conversion
    converter = Converter(config)
    for page in first:
        assert page.body_html == converter.convert(page.uri, split_front_matter(
            rendered.pages[page.uri])[1])[0]
    [entry] = _entries()  # one entry for the site's pages, not one per page
    written = os.stat(entry)

    converted = _counting(monkeypatch)
    assert site_pages(rendered, config) == first  # every page from the cache folder
    assert converted == []
    again = os.stat(entry)  # nothing changed: not written again
    assert (again.st_ino, again.st_size) == (written.st_ino, written.st_size)  # (its time: marked used)

    # a page edited: that page alone is converted; a page no longer made is dropped
    edited = dict(rendered.pages, **{"about/index.md": page_source({"title": "关于"}, "# 改过\n")})
    del edited["index.md"]
    site_pages(SimpleNamespace(pages=edited), config)
    assert converted == ["about/index.md"]
    assert _entries() == [entry]
    converted.clear()
    assert site_pages(rendered, config) == first
    assert converted == ["index.md", "about/index.md"]

    # an entry's value replaced (its seal kept): not taken, every page is converted again
    converted.clear()
    seal, _, value = entry.read_bytes().partition(b"\n")
    entry.write_bytes(seal + b"\n" + value.replace("虚构".encode(), "伪造".encode()))
    again = site_pages(rendered, config)
    assert again == first and sorted(converted) == sorted(rendered.pages)
    assert not any("伪造" in p.body_html for p in again)

    # another project folder's entry, put where this one's lies: its seal names the other
    converted.clear()
    other = dataclasses.replace(config, root=own_cache / "another-project")
    site_pages(rendered, other)
    assert sorted(converted) == sorted(rendered.pages)
    [theirs] = [p for p in _entries() if p != entry]
    shutil.copyfile(theirs, entry)
    converted.clear()
    assert site_pages(rendered, config) == first
    assert sorted(converted) == sorted(rendered.pages)

    # other Markdown settings: every page converted again, under the same entry
    converted.clear()
    config.extension_configs = {**config.extension_configs, "toc": {"permalink": True}}
    assert site_pages(rendered, config) != first
    assert sorted(converted) == sorted(rendered.pages)
    assert len(_entries()) == 2


def test_settings_that_read_more_than_the_page_keep_nothing(own_cache):
    config = read_site_config(own_cache / "no-project")
    config.extensions = [*config.extensions, "markdown.extensions.codehilite"]
    assert _kept_conversions(config) is None
    site_pages(SimpleNamespace(pages=_pages()), config)
    assert not versioned(CONVERTED_PAGES).exists()


def _relative_url_as_before(target: str, page_url: str) -> str:
    from urllib.parse import urlsplit
    if urlsplit(target).scheme or urlsplit(target).netloc or target.startswith(("/", "#")):
        return target
    head, tail = posixpath.split(page_url)
    other = head if "." in tail else page_url
    rel = posixpath.relpath("/" + (target or "."), "/" + other)
    return rel + "/" if target.endswith("/") else rel


def test_relative_urls_are_what_relpath_gives():
    parts = ["brands", "示例", "%E7%A4%BA", "2", "..", ".", "", "site.js", "a.b", "index.html"]
    rng = random.Random(20251127)
    for _ in range(20_000):
        target = "/".join(rng.choice(parts) for _ in range(rng.randint(0, 4)))
        page = "/".join(rng.choice(parts) for _ in range(rng.randint(0, 4)))
        for t in (target, target + "/", "#top", "https://example.invalid/x"):
            assert relative_url(t, page) == _relative_url_as_before(t, page), (t, page)


def test_kept_rows_are_checked_as_before():
    kinds = (int, int, str)
    assert _rows([[1, 2, "a"], [3, 4, "示例"]], kinds) == [(1, 2, "a"), (3, 4, "示例")]

    class Text(str):
        pass

    assert _rows([[1, 2, Text("b")]], kinds) == [(1, 2, "b")]  # an instance, as before
    for bad in ([[True, 2, "a"]], [[1, 2]], [[1, 2, "a", "b"]], [[1.0, 2, "a"]], [(1, 2, "a")],
                [[1, 2, None]], "not rows"):
        with pytest.raises(TypeError):
            _rows(bad, kinds)


def test_the_cache_folder_follows_the_environment(own_cache, monkeypatch):
    first = cache.cache_dir()
    assert first == Path(os.path.realpath(own_cache / "cache"))
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(own_cache / "other"))
    assert cache.cache_dir() == Path(os.path.realpath(own_cache / "other"))
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(own_cache / "cache"))
    assert cache.cache_dir() == first


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="no symbolic links here")
def test_a_folder_made_a_link_after_a_read_is_refused_at_the_next(own_cache, tmp_path):
    folder = cache.cache_dir() / "story-html" / "ab"
    entry = folder / "entry"
    cache.write_atomic(entry, b"kept")
    assert cache.read_entry(entry) == b"kept" and cache.is_entry(entry)
    elsewhere = tmp_path / "elsewhere"
    shutil.move(folder, elsewhere)
    os.symlink(elsewhere, folder)  # the same file, now behind a link
    assert cache.read_entry(entry) is None
    assert not cache.is_entry(entry)
