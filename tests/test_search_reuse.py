"""A kept-cache build takes the search index from the cache when the pages it indexes are the
very ones a kept index was made from, runs Pagefind otherwise, and publishes the same site as a
build that ran it; an entry planted or altered in the cache fails its seal and is made again."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import SHIPPED_DATE, assert_built
from sitecopy import FIXTURES, first_difference, tree

from site_builder import cache
from site_builder.build import build_site
from site_builder.engines import pagefind


@pytest.fixture
def plain(tmp_path, monkeypatch) -> Path:
    """A private copy of the fictional plain project, with a cache and a key of its own."""
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "plain", root)
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return root


@pytest.fixture
def runs(monkeypatch) -> list:
    """The indexer's runs, counted as they start."""
    started = []
    real = subprocess.Popen

    def popen(cmd, *args, **kwargs):
        if "--output-subdir" in cmd:
            started.append(cmd)
        return real(cmd, *args, **kwargs)

    monkeypatch.setattr(pagefind.subprocess, "Popen", popen)
    return started


def _build(root: Path, out: Path) -> dict[str, bytes]:
    assert_built(build_site(root, out, build_date=SHIPPED_DATE))
    return tree(out)


def _bundles() -> list[Path]:
    folder = cache.versioned(cache.SEARCH_INDEX)
    return sorted(folder.rglob("*.bundle")) if folder.is_dir() else []


def _edit_story(root: Path) -> None:
    record = min((root / "brands").glob("*.md"))
    text = record.read_text(encoding="utf-8")
    record.write_text(text.rstrip("\n") + "\n\n示例补充：虚构的培训班每月开课一次。\n", encoding="utf-8")


def _other_cache(monkeypatch, folder: Path) -> None:
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(folder))
    cache._CHOICES.clear()


def test_identical_pages_reuse_the_kept_index_and_publish_the_same_site(plain, runs, tmp_path,
                                                                       monkeypatch):
    first = _build(plain, plain / "site")
    assert len(runs) == 1 and len(_bundles()) == 1
    assert any(rel.startswith("pagefind/pagefind-entry.json") for rel in first)
    again = _build(plain, plain / "site")
    assert len(runs) == 1, "the index of identical pages was made again"
    assert first_difference(first, again) is None
    # and the same as a build with an empty cache, which runs Pagefind
    _other_cache(monkeypatch, tmp_path / "other-cache")
    fresh = _build(plain, tmp_path / "fresh-site")
    assert len(runs) == 2
    assert first_difference(fresh, again) is None


def test_a_changed_page_runs_the_indexer_again(plain, runs, tmp_path, monkeypatch):
    _build(plain, plain / "site")
    _edit_story(plain)
    edited = _build(plain, plain / "site")
    assert len(runs) == 2, "a changed page must be indexed again"
    assert len(_bundles()) == 2  # both kept (KEPT_BUNDLES), the newest used first
    # the edited site equals one built from nothing
    _other_cache(monkeypatch, tmp_path / "other-cache")
    assert first_difference(_build(plain, tmp_path / "fresh-site"), edited) is None


def test_only_the_newest_bundles_are_kept(plain, runs):
    _build(plain, plain / "site")
    for _ in range(3):
        _edit_story(plain)
        _build(plain, plain / "site")
    assert len(runs) == 4
    assert len(_bundles()) == pagefind.KEPT_BUNDLES


@pytest.mark.parametrize("how", ["altered", "planted"])
def test_an_altered_or_planted_bundle_fails_its_seal_and_is_made_again(plain, runs, how):
    clean = _build(plain, plain / "site")
    [entry] = _bundles()
    data = entry.read_bytes()
    if how == "altered":  # one byte of the index changed, the seal line kept
        at = len(data) - 10
        entry.write_bytes(data[:at] + bytes([data[at] ^ 1]) + data[at + 1:])
    else:  # a bundle written without the key, under the name a build looks up
        listing = b'[["pagefind-entry.json", 2]]'
        entry.write_bytes(b"0" * 64 + b"\n" + listing + b"\n{}")
    again = _build(plain, plain / "site")
    assert len(runs) == 2, "a bundle whose seal fails must not be used"
    assert first_difference(clean, again) is None
    # the entry was written again, sealed: the next build uses it
    _build(plain, plain / "site")
    assert len(runs) == 2


def test_a_kept_bundle_is_restored_only_whole_and_only_into_a_new_folder(plain, tmp_path):
    site = tmp_path / "site"
    (site / "a").mkdir(parents=True)
    (site / "index.html").write_text("<title>示例</title>", encoding="utf-8")
    key = pagefind.index_key(site)
    assert key is not None
    bundle = tmp_path / "bundle"
    (bundle / "sub").mkdir(parents=True)
    (bundle / "pagefind-entry.json").write_bytes(b"{}")
    (bundle / "sub" / "f.pf_fragment").write_bytes(b"\x00\x01")
    folder = cache.versioned(cache.SEARCH_INDEX)
    pagefind.keep_bundle(folder, key, bundle)
    assert pagefind.restore_bundle(folder, key, site / "pagefind")
    assert tree(site / "pagefind") == tree(bundle)
    assert not pagefind.restore_bundle(folder, key, site / "pagefind")  # never over a folder
    # a page's bytes, or a new page, change the key
    (site / "a" / "index.html").write_text("<title>虚构</title>", encoding="utf-8")
    shutil.rmtree(site / "pagefind")
    assert pagefind.index_key(site) not in (None, key)
    # a link in the site: no key, the indexer runs
    (site / "b.html").symlink_to(site / "index.html")
    assert pagefind.index_key(site) is None


def test_the_indexers_settings_in_the_environment_are_in_the_key(tmp_path, monkeypatch):
    """Pagefind reads settings from PAGEFIND_… variables: a bundle made under one is never
    the index of a build without it (or with another value)."""
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text("<title>示例</title><p class='x'>虚构</p>", encoding="utf-8")
    monkeypatch.delenv("PAGEFIND_EXCLUDE_SELECTORS", raising=False)
    plain_key = pagefind.index_key(site)
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", ".x")
    excluding = pagefind.index_key(site)
    monkeypatch.setenv("PAGEFIND_EXCLUDE_SELECTORS", ".y")
    assert len({plain_key, excluding, pagefind.index_key(site)}) == 3
    monkeypatch.delenv("PAGEFIND_EXCLUDE_SELECTORS")
    assert pagefind.index_key(site) == plain_key
