"""The live preview renders again only the pages an edit can change: a page whose template
reads nothing but the values it is given (and the shared ones) is kept from the last rendering
while those values are the same (`render_site`'s memo). Every brand's, person's and news item's
page must stay so: after one edit, one brand page is rendered, not every one (at 1,000 brands
the difference between 0.5 s and 5 s)."""

from __future__ import annotations

from conftest import DEMO_DATE
from sitecopy import copy_demo

from site_builder.project import load_project
from site_builder.render.pages import render_site

PER_RECORD = ("brand.md.j2", "person.md.j2", "news_item.md.j2")


def test_after_one_edit_only_that_records_pages_are_rendered_again(tmp_path, counted):
    root = copy_demo(tmp_path / "project")
    memo: dict = {}
    first = render_site(load_project(root, DEMO_DATE), memo)
    assert all(counted[t] for t in PER_RECORD), counted  # the demo has each kind of page
    counted.clear()

    again = render_site(load_project(root, DEMO_DATE), memo)
    assert again.pages == first.pages
    assert not any(counted[t] for t in PER_RECORD), counted  # nothing changed: all kept

    record = min((root / "brands").glob("*.md"))
    text = record.read_text(encoding="utf-8")
    body = text.index("\n---\n", 4) + 5
    record.write_text(text[:body] + "\n编辑后加的一句话：预览只重新生成这一页。\n" + text[body:],
                      encoding="utf-8")
    counted.clear()
    edited = render_site(load_project(root, DEMO_DATE), memo)
    # its own page, and those that show it among their related brands; no other
    own = f"brands/{record.stem}/index.md"
    showing = [u for u, text in first.pages.items() if u.startswith("brands/") and u.count("/") == 2
               and u != own and f"brands/{record.stem}/" in text]
    assert 1 <= counted["brand.md.j2"] <= 1 + len(showing), (counted, showing)
    assert counted["brand.md.j2"] < sum(1 for u in first.pages
                                        if u.startswith("brands/") and u.count("/") == 2)
    assert counted["person.md.j2"] == 0 and counted["news_item.md.j2"] == 0, counted
    changed = [u for u in edited.pages if edited.pages[u] != first.pages.get(u)]
    assert f"brands/{record.stem}/index.md" in changed
    # and what was kept is what rendering gives
    assert edited.pages == render_site(load_project(root, DEMO_DATE)).pages


def test_the_layout_of_an_unchanged_page_is_kept_and_equals_laying_it_out(tmp_path, laid):
    from site_builder.build import render
    from site_builder.engines import native

    root = copy_demo(tmp_path / "project")
    memo: dict = {}
    site = render(load_project(root, DEMO_DATE))
    first = native.lay_out(site, root, memo)
    assert len(laid) == len(site.pages) and not first.kept
    laid.clear()
    again = native.lay_out(render(load_project(root, DEMO_DATE)), root, memo)
    assert laid == [] and set(again.kept) == set(first.pages)  # kept by digest, not by bytes
    assert all(again.files[u] is None and again.kept[u] == native._digest(first.files[u])
               for u in first.pages)
    assert {u: d for u, d in again.files.items() if d is not None} == \
        {u: d for u, d in first.files.items() if u not in first.pages}
    assert again.again(first.pages[0]) == first.files[first.pages[0]]  # laid out when needed

    record = min((root / "brands").glob("*.md"))
    text = record.read_text(encoding="utf-8")
    body = text.index("\n---\n", 4) + 5
    record.write_text(text[:body] + "\n编辑后加的一句话。\n" + text[body:], encoding="utf-8")
    edited_site = render(load_project(root, DEMO_DATE))
    edited = native.lay_out(edited_site, root, memo)
    assert f"brands/{record.stem}/index.html" in laid and len(laid) < len(site.pages) / 2, laid
    fresh = native.lay_out(edited_site, root).files
    assert {u: d if d is not None else edited.again(u) for u, d in edited.files.items()} == fresh


def test_a_kept_page_missing_from_the_folder_is_laid_out_and_written_again(tmp_path):
    from site_builder.build import render
    from site_builder.engines import native

    root = copy_demo(tmp_path / "project")
    out, memo = tmp_path / "preview", {}
    _, written = native.update(render(load_project(root, DEMO_DATE)), out, root, native.Written(),
                               memo)
    page = out / "brands" / min((root / "brands").glob("*.md")).stem / "index.html"
    held = page.read_bytes()
    page.unlink()  # removed by hand while the preview runs
    done, _ = native.update(render(load_project(root, DEMO_DATE)), out, root, written, memo)
    assert done.written == [page.relative_to(out).as_posix()] and page.read_bytes() == held
