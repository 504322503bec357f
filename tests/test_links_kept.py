"""What resolving each page's addresses found is kept between builds (`memo.LinkMemo`): an
unchanged page whose every lookup gets the same answer is not resolved again, and the findings
are exactly those of checking without the cache: a link broken by an edit, by a removed target
or by a lost anchor is still reported at its page and line; an entry planted or altered in the
cache fails its seal and every page is checked again."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import SHIPPED_DATE
from sitecopy import FIXTURES, write_site

from site_builder import cache, verify
from site_builder.build import build_site
from site_builder.verify import links

_PAGE = ('<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>第{n}页</title>'
         '</head><body><h1 id="top">第{n}页</h1>\n{body}</body></html>')


def _pages(last: int = 8) -> dict[str, str]:
    """p0 … p{last}: each links to the next one's #top and to the home page; the home page
    links to every page and loads a script."""
    files = {f"p{n}/index.html": _PAGE.format(
        n=n, body=f'<a href="../p{n + 1}/#top">下一页</a>\n<a href="../">首页</a>')
        for n in range(last)}
    files[f"p{last}/index.html"] = _PAGE.format(n=last, body='<p id="top">末页</p>')
    files["index.html"] = _PAGE.format(n="首", body="".join(
        f'<a href="p{n}/">第{n}页</a>\n' for n in range(last + 1))
        + '<script src="app.js"></script>')
    files["app.js"] = "console.log('示例');\n"
    return files


@pytest.fixture
def site(tmp_path, monkeypatch):
    """A hand-made site, its cache folder, and the checks as a function: (findings with the
    cache, findings without it, the pages whose addresses were resolved)."""
    root = write_site(tmp_path / "built", _pages())
    kept = tmp_path / "cache" / "checked-pages"
    resolved: list[str] = []
    real = links.SiteChecker._check_page

    def counted(self, rel, page):
        resolved.append(rel)
        return real(self, rel, page)

    monkeypatch.setattr(links.SiteChecker, "_check_page", counted)

    def check():
        with_cache = [d.as_dict() for d in verify.verify_pages(root, None, "site", "pagefind",
                                                               (), kept)]
        done = sorted(resolved)
        resolved.clear()
        without = [d.as_dict() for d in verify.verify_pages(root, None, "site", "pagefind", ())]
        resolved.clear()
        return with_cache, without, done

    return root, kept, check


def _where(findings) -> list[tuple]:
    return [(d["path"], d["line"], d["code"], d["field"]) for d in findings]


def test_an_unchanged_site_resolves_no_address_again(site):
    _, kept, check = site
    first, fresh, resolved = check()
    assert first == fresh == [] and len(resolved) == 10
    again, fresh, resolved = check()
    assert again == fresh == [] and resolved == []
    assert len(list(kept.rglob("*.links"))) == 1


def test_a_link_broken_by_an_edit_is_reported_at_its_line(site):
    root, _, check = site
    check()
    (root / "p2" / "index.html").write_text(_PAGE.format(
        n=2, body='<a href="../p3/#top">下一页</a>\n<a href="../gone/">旧页</a>'), "utf-8")
    found, fresh, resolved = check()
    assert found == fresh and resolved == ["p2/index.html"]
    assert _where(found) == [("site/p2/index.html", 3, "C001", "../gone/")]


def test_a_removed_target_is_reported_in_every_unchanged_page_linking_to_it(site):
    root, _, check = site
    check()
    shutil.rmtree(root / "p5")
    found, fresh, resolved = check()
    assert found == fresh
    assert _where(found) == [("site/index.html", 7, "C001", "p5/"),
                             ("site/p4/index.html", 2, "C001", "../p5/#top")]
    assert resolved == ["index.html", "p4/index.html"]  # the pages whose lookup changed
    # and the target back: the findings go, as without the cache
    (root / "p5").mkdir()
    (root / "p5" / "index.html").write_text(_pages()["p5/index.html"], "utf-8")
    found, fresh, _ = check()
    assert found == fresh == []


def test_a_lost_anchor_and_a_new_target_change_the_findings_as_without_the_cache(site):
    root, _, check = site
    (root / "p1" / "index.html").write_text(_PAGE.format(
        n=1, body='<a href="../p2/#top">下一页</a>\n<a href="../later/">以后</a>'), "utf-8")
    found, fresh, _ = check()
    assert found == fresh and _where(found) == [("site/p1/index.html", 3, "C001", "../later/")]
    # p3 loses its anchor: p2, unchanged, now points at nothing
    (root / "p3" / "index.html").write_text(
        _pages()["p3/index.html"].replace('id="top"', 'id="head"'), "utf-8")
    # the missing page appears: p1's link, unchanged, now resolves
    (root / "later").mkdir()
    (root / "later" / "index.html").write_text(_PAGE.format(n="后", body=""), "utf-8")
    found, fresh, resolved = check()
    assert found == fresh
    assert _where(found) == [("site/p2/index.html", 2, "C002", "../p3/#top")]
    assert "p1/index.html" in resolved and "p2/index.html" in resolved
    assert "p6/index.html" not in resolved


def test_a_personal_number_added_to_a_page_is_found(site):
    root, _, check = site
    check()
    (root / "p6" / "index.html").write_text(_PAGE.format(
        n=6, body='<a href="../p7/#top">下一页</a>\n<p>值班 13812345678</p>'), "utf-8")
    found, fresh, _ = check()
    assert found == fresh
    assert [(path, line, code) for path, line, code, _ in _where(found)] == [
        ("site/p6/index.html", 3, "P102")]


@pytest.mark.parametrize("how", ["altered", "planted"])
def test_an_altered_or_planted_entry_fails_its_seal_and_every_page_is_checked(site, how):
    root, kept, check = site
    (root / "p2" / "index.html").write_text(_PAGE.format(
        n=2, body='<a href="../p3/#top">下一页</a>\n<a href="../gone/">旧页</a>'), "utf-8")
    first, _, _ = check()
    assert _where(first) == [("site/p2/index.html", 3, "C001", "../gone/")]
    [entry] = kept.rglob("*.links")
    data = entry.read_bytes()
    if how == "altered":  # "nothing found" in p2, the seal line kept
        forged = data.replace(b'"C001"', b'"C004"')
        assert forged != data
        entry.write_bytes(forged)
    else:  # an entry written without the key: every page without findings
        entry.write_bytes(b"0" * 64 + b"\n{}")
    found, fresh, resolved = check()
    assert found == fresh == first and len(resolved) == 10


@pytest.fixture
def plain(tmp_path, monkeypatch) -> Path:
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "plain", root)
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return root


def _story(root: Path, slug: str, extra: str) -> None:
    record = root / "brands" / f"{slug}.md"
    record.write_text(record.read_text(encoding="utf-8").rstrip("\n") + f"\n\n{extra}\n",
                      encoding="utf-8")


def _outcome(result) -> list[tuple]:
    return sorted((d.path, d.line, d.col, d.code, d.field, d.message)
                  for d in result.diagnostics + result.findings)


def test_kept_builds_report_what_a_build_without_the_cache_reports(plain, tmp_path, monkeypatch):
    """The build's own checks: a broken link in a story, a link whose target is no longer
    published, and a personal number, each reported as a build with an empty cache does."""
    a, b = "xugou-jia-zhen-chushi", "xugou-yi-zhen-jiazheng"
    resolved: list[str] = []
    real = links.SiteChecker._check_page
    monkeypatch.setattr(links.SiteChecker, "_check_page",
                        lambda self, rel, page: (resolved.append(rel), real(self, rel, page))[1])

    def kept_and_fresh(n: int):
        resolved.clear()
        kept = build_site(plain, plain / "site", build_date=SHIPPED_DATE)
        done = list(resolved)
        monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / f"empty-{n}"))
        cache._CHOICES.clear()
        fresh = build_site(plain, plain / "site", build_date=SHIPPED_DATE)  # as uncached
        monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
        cache._CHOICES.clear()
        assert kept.ok == fresh.ok and _outcome(kept) == _outcome(fresh)
        return kept, done

    _story(plain, a, f"另见[乙镇的品牌](../{b}/)。")
    assert kept_and_fresh(0)[0].ok
    built, done = kept_and_fresh(1)  # nothing changed: nothing resolved again
    assert built.ok and done == []
    _story(plain, a, "详见[不存在的页面](../no-such-brand/)。")
    built, _ = kept_and_fresh(2)
    assert [(d.path, d.code, d.field) for d in built.findings] == [
        (f"site/brands/{a}/index.html", "C001", "../no-such-brand/")]
    record = plain / "brands" / f"{a}.md"
    record.write_text(record.read_text(encoding="utf-8").replace(
        "详见[不存在的页面](../no-such-brand/)。", ""), encoding="utf-8")
    assert kept_and_fresh(3)[0].ok
    # b no longer published: a's page links to nothing
    other = plain / "brands" / f"{b}.md"
    other.write_text(other.read_text(encoding="utf-8").replace("status: 已发布", "status: 草稿"),
                     encoding="utf-8")
    built, _ = kept_and_fresh(4)
    assert not built.ok
    assert (f"site/brands/{a}/index.html", "C001", f"../{b}/") in [
        (d.path, d.code, d.field) for d in built.findings]
    # a personal number in a story
    shutil.copy(FIXTURES / "plain" / "brands" / f"{b}.md", other)
    _story(plain, b, "联系电话 13812345678")
    built, _ = kept_and_fresh(5)
    assert not built.ok and any(d.path.endswith(f"{b}.md") and d.line > 1
                                for d in built.diagnostics + built.findings)
