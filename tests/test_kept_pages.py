"""Pages kept between builds in the cache folder (render/kept.py): a build whose cache folder
was kept from the last one renders and lays out again only what changed, and its site is byte
for byte the site a build without kept pages makes of the same inputs, after every kind of edit;
a kept page planted or altered in the cache folder is made again; the keys are the same in
another process (another hash seed)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest
from conftest import DEMO_DATE, assert_built
from PIL import Image
from sitecopy import copy_demo, first_difference, tree

from site_builder.build import build_site, render
from site_builder.cache import LAID_OUT_PAGES, RENDERED_PAGES, versioned
from site_builder.diagnostics import has_errors
from site_builder.engines.native import lay_out
from site_builder.project import load_project
from site_builder.render.kept import _layout_reads_keyed
from site_builder.render.pages import _stable_repr, round_url

BRAND = "shili-minghu-chushi"
PAGE_KINDS = (RENDERED_PAGES, LAID_OUT_PAGES)


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """The fictional demo with the package's templates as its own, a cache folder and key
    folder of the test's own."""
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return copy_demo(tmp_path / "project")


def _built(root: Path) -> dict[str, bytes]:
    assert_built(build_site(root, root / "site", build_date=DEMO_DATE))
    return tree(root / "site")


def _laid_out(root: Path) -> dict[str, bytes]:
    """Every file the native engine writes for the project (a build without its search index
    and checks, which read what is written)."""
    project = load_project(root, DEMO_DATE)
    assert not has_errors(project.diagnostics), [d.format() for d in project.diagnostics]
    site = render(project)
    out = lay_out(site, root, keep=True)
    site.finish()
    return {**out.files, **{uri: Path(src).read_bytes() for uri, src in out.assets.items()}}


def _without_kept_pages(make, monkeypatch, tmp_path: Path, n: int):
    """`make()` with no kept pages: in a copy of the cache folder (the encoded images,
    conversions and checks, which are named by their content) without them."""
    kept = Path(os.environ["SITE_BUILDER_CACHE"])
    fresh = tmp_path / f"fresh-{n}"
    shutil.copytree(kept, fresh, ignore=shutil.ignore_patterns(*PAGE_KINDS))
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(fresh))
    try:
        return make()
    finally:
        monkeypatch.setenv("SITE_BUILDER_CACHE", str(kept))


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


NEW = "shili-xugou-xinpin"


def _new_brand(root: Path) -> None:
    """A second fictional brand made from the first: its own slug, name and folder."""
    shutil.copytree(root / f"brands/{BRAND}", root / f"brands/{NEW}")
    text = (root / f"brands/{BRAND}.md").read_text(encoding="utf-8")
    (root / f"brands/{NEW}.md").write_text(
        re.sub(r"^name: .*$", "name: 示例·虚构新品厨师", text.replace(BRAND, NEW), count=1,
               flags=re.MULTILINE), encoding="utf-8")


def _replace_image(path: Path) -> None:
    """Another picture at the same path, of another size (its variants' sizes change)."""
    with Image.open(path) as old:
        width, height = old.size
    Image.new("RGB", (width - 40, height - 30), (40, 120, 90)).save(path, quality=90)


EDITS = [
    ("a story", lambda r: _edit(r / f"brands/{BRAND}.md", "厨师们在全市", "厨师们（虚构）在全市")),
    ("a name", lambda r: _edit(r / f"brands/{BRAND}.md", "name: 示例·明湖厨师", "name: 示例·明湖名厨")),
    ("a category", lambda r: _edit(r / f"brands/{BRAND}.md", "category: 高端技能型",
                                   "category: " + _other_category(r))),
    ("a new brand", lambda r: _new_brand(r)),
    ("unpublish", lambda r: _edit(r / f"brands/{NEW}.md", "status: 已发布", "status: 草稿")),
    ("a page template", lambda r: _edit(r / "templates/pages/brand.md.j2", "品牌故事</h2>",
                                        "品牌故事（虚构）</h2>")),
    ("the layout", lambda r: _edit(r / "templates/native/base.html", "</body>",
                                   "<!-- 虚构的版式改动 --></body>")),
    ("a layout reading every page", lambda r: _edit(
        r / "templates/native/base.html", "</body>", "<!-- {{ site.pages|length }} --></body>")),
    ("publish again under it", lambda r: _edit(r / f"brands/{NEW}.md", "status: 草稿",
                                               "status: 已发布")),
    ("settings.yml", lambda r: _edit(r / "settings.yml", "description: ", "description: 虚构的")),
    ("an image replaced", lambda r: _replace_image(r / f"brands/{BRAND}/cover.jpg")),
]


def _other_category(root: Path) -> str:
    from site_builder.load.settings import load_settings

    settings, _ = load_settings(root)
    return next(c for c in settings.vocab["categories"] if c != "高端技能型")


def test_a_kept_build_is_the_clean_build_after_every_kind_of_edit(project, monkeypatch,
                                                                  tmp_path, counted, laid):
    first = _built(project)
    counted.clear()
    laid.clear()
    assert _built(project) == first  # nothing changed: every page kept, none made
    assert not [t for t in counted if t.endswith(".md.j2")], counted
    assert laid == []
    before = _laid_out(project)
    for n, (what, edit) in enumerate(EDITS):
        edit(project)
        counted.clear()
        laid.clear()
        kept = _laid_out(project)
        made = {t: v for t, v in counted.items() if t.endswith(".md.j2")}
        laid_out = list(laid)
        clean = _without_kept_pages(lambda: _laid_out(project), monkeypatch, tmp_path, n)
        assert kept == clean, f"{what}: {first_difference(kept, clean)}"
        assert kept != before, what  # the edit shows
        before = kept
        if what == "a story":  # its own page alone, rendered and laid out again
            assert made == {"brand.md.j2": 1}, made
            assert laid_out == [f"brands/{BRAND}/index.html"], laid_out
        if what == "a layout reading every page":  # laid out again, every page
            assert laid_out == laid[len(laid_out):], what
    kept = _built(project)
    assert kept == _without_kept_pages(lambda: _built(project), monkeypatch, tmp_path, -1)
    assert kept != first


def test_a_kept_page_altered_or_planted_is_made_again(project, counted):
    first = _built(project)
    entries = [p for kind in PAGE_KINDS for p in versioned(kind).rglob("*") if p.is_file()]
    assert len(entries) == len(PAGE_KINDS)  # one of each for the project
    assert len({p.name for p in entries}) == len(entries)  # each named by its kind too
    rendered, laid_out = sorted(entries, key=lambda p: RENDERED_PAGES not in str(p))
    sealed = rendered.read_bytes()
    mac, _, value = sealed.partition(b"\n")
    assert "示例".encode() in value
    # the same pages with another word under their own seal; a valid entry of the other kind
    rendered.write_bytes(mac + b"\n" + value.replace("示例".encode(), "篡改".encode()))
    laid_out.write_bytes(sealed)
    counted.clear()
    assert _built(project) == first
    assert counted["brand.md.j2"] == len(list((project / "brands").glob("*.md")))  # all again
    for p in entries:  # made again, sealed again: nothing altered is left
        assert "篡改".encode() not in p.read_bytes()
        assert p.read_bytes() != sealed or p == rendered


def test_keys_are_the_same_in_another_process(project, tmp_path):
    """The first build fills the cache under one hash seed, the second (another) makes none
    of the pages again."""
    script = tmp_path / "count.py"
    script.write_text(f"""
import json, sys
from collections import Counter
from pathlib import Path
import jinja2
from site_builder.build import build_site, render
from site_builder.diagnostics import has_errors
from site_builder.engines.native import lay_out
from site_builder.project import load_project
from site_builder.engines import native
import datetime as dt
made, laid = Counter(), []
real, page = jinja2.Template.render, native._page
def render(self, *a, **k):
    made[self.name] += 1
    return real(self, *a, **k)
def lay(layout, site, p, *a):
    laid.append(p.dest)
    return page(layout, site, p, *a)
jinja2.Template.render, native._page = render, lay
result = build_site(Path(sys.argv[1]), Path(sys.argv[1]) / "site", build_date=dt.date.fromisoformat("{DEMO_DATE.isoformat()}"))
print(json.dumps([result.ok, {{n: c for n, c in made.items() if n.endswith(".md.j2")}}, laid]))
""", encoding="utf-8")
    runs = []
    for seed in ("1", "2"):
        done = subprocess.run([sys.executable, str(script), str(project)], capture_output=True,
                              text=True, env={**os.environ, "PYTHONHASHSEED": seed}, check=True)
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    assert runs[0][0] and runs[0][1] and runs[0][2]  # the first made every page
    assert runs[1] == [True, {}, []]


def _module_function():
    return "示例"


def test_a_function_is_keyed_by_its_name_only_when_its_code_is_all_it_reads():
    assert _stable_repr(round_url) == "<function site_builder.render.rounds.round_url>"
    word = "虚构"

    def closure():
        return word

    assert " at 0x" in _stable_repr(closure)  # reads a value of its own: never kept
    assert " at 0x" in _stable_repr(json.dumps)  # a library's: not in the cache's version
    assert " at 0x" in _stable_repr(lambda: None)


def test_a_layout_that_reads_more_of_the_site_is_never_kept(tmp_path):
    import jinja2

    def env(**templates):
        return jinja2.Environment(loader=jinja2.DictLoader(templates))

    assert _layout_reads_keyed(env(**{"base.html": "{{ site.name }}{% include 'p.html' %}",
                                      "p.html": "{{ site.nav|length }}"}), "base.html")
    assert not _layout_reads_keyed(env(**{"base.html": "{% include 'p.html' %}",
                                          "p.html": "{{ site.pages|length }}"}), "base.html")
    assert not _layout_reads_keyed(env(**{"base.html": "{% set s = site %}{{ s.files }}"}),
                                   "base.html")
    assert not _layout_reads_keyed(env(**{"base.html": "{{ site['pages'] }}"}), "base.html")
    assert not _layout_reads_keyed(env(**{"base.html": "{% include name %}"}), "base.html")


def test_a_template_renamed_is_a_change_even_when_every_text_is_the_same(project):
    """The kept pages' key holds each template by its name and text: a partial renamed (the
    texts, in name order, the same list) fails the kept build as it fails a clean one, where
    keying by the texts alone published the pages made with the old name."""
    partial = project / "templates/pages/_extra.j2"
    partial.write_text("<p>虚构的附加段落</p>\n", encoding="utf-8")
    _edit(project / "templates/pages/brand.md.j2", '{% include "_poster.j2" %}',
          '{% include "_poster.j2" %}{% include "_extra.j2" %}')
    assert "虚构的附加段落" in _built(project)[f"brands/{BRAND}/index.html"].decode("utf-8")
    partial.rename(partial.with_name("_extra_old.j2"))
    with pytest.raises(jinja2.TemplateNotFound, match="_extra.j2"):
        build_site(project, project / "site", build_date=DEMO_DATE)


def test_a_page_name_no_file_can_hold_only_goes_unkept(project):
    """A name with a lone surrogate (a double-quoted "\\ud800" in settings can make one) cannot
    be written into the kept entry: the build loses only the keeping, never fails on it."""
    from site_builder.render.kept import _PageStore

    store = _PageStore(RENDERED_PAGES, project)
    store.put("people/\ud800/index.md", "k", "虚构".encode())
    store.put("index.md", "k", "虚构".encode())
    store.flush()  # nothing raised
    assert _PageStore(RENDERED_PAGES, project).get("index.md") is None
    store.put("index.md", "k", "虚构".encode())
    store.flush()
    assert _PageStore(RENDERED_PAGES, project).get("index.md") == ("k", "虚构".encode())


def test_a_page_template_that_includes_by_a_value_is_keyed_by_every_record():
    """A page template that includes a template named by a value may read anything through
    it: it is never taken to read only its own values, nor only the brands' summaries (a
    listing it makes would otherwise be kept while another record changed)."""
    from site_builder.render.pages import _reads_only_given, _reads_story, template_trees

    env = jinja2.Environment(loader=jinja2.DictLoader({
        "fixed.md.j2": '{% include "part.j2" %}{{ brand.name }}',
        "part.j2": "{{ brand.slug }}",
        "named.md.j2": "{% include part_name %}{{ brand.name }}",
    }))
    assert len(template_trees(env, "fixed.md.j2")) == 2
    assert _reads_only_given(env, "fixed.md.j2", {"brand"})
    assert _reads_story(env, "fixed.md.j2") is False
    assert template_trees(env, "named.md.j2") is None
    assert not _reads_only_given(env, "named.md.j2", {"brand", "part_name"})
    assert _reads_story(env, "named.md.j2") is True
    assert not _layout_reads_keyed(env, "named.md.j2")
