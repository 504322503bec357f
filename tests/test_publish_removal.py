"""`site-builder build` swaps the new site in and leaves the old one's deletion to a process of
its own: the command does not wait for it, site/ is the new site whole whatever becomes of that
process, and what a killed one leaves behind the next build deletes."""

from __future__ import annotations

import os
import shutil
import signal
import sys
import time
from pathlib import Path

import pytest
from conftest import SHIPPED_DATE
from sitecopy import FIXTURES, tree

from site_builder.cli import main
from site_builder.publish import swap


def _site(folder: Path, n: int, files: int = 3) -> Path:
    (folder / "sub").mkdir(parents=True)
    (folder / "index.html").write_text(f"<title>示例 {n}</title>", encoding="utf-8")
    for i in range(files):
        (folder / "sub" / f"{i}.html").write_text(f"{n}-{i}", encoding="utf-8")
    return folder


def _left(folder: Path) -> list[str]:
    return sorted(n for n in os.listdir(folder) if n.startswith((".site.tmp", ".site.old")))


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two renames"])
def test_the_old_site_is_set_aside_whole_and_deleted_by_its_own_process(tmp_path, monkeypatch,
                                                                       exchange):
    if exchange and swap._RENAMEAT2 is None:
        pytest.skip("this system cannot exchange two names")
    if not exchange:
        monkeypatch.setattr(swap, "_RENAMEAT2", None)
    site = _site(tmp_path / "site", 1)
    before = tree(site)
    new = _site(tmp_path / ".site.tmp-abc", 2)
    after = tree(new)
    old = swap.swap_in(new, site, remove=False)
    assert tree(site) == after
    assert old is not None and tree(old) == before  # whole, under a build's name, not the site's
    assert old.name.startswith((".site.tmp-", ".site.old-"))
    swap.remove_later(old)
    swap.wait_for_removals(30)
    assert not old.exists() and tree(site) == after
    assert _left(tmp_path) == []


def test_a_killed_deletion_leaves_the_new_site_and_the_next_build_cleans_up(tmp_path):
    site = _site(tmp_path / "site", 1)
    new = _site(tmp_path / ".site.tmp-abc", 2, files=2000)
    after = tree(new)
    old = swap.swap_in(new, site, remove=False)
    swap.remove_later(old)
    proc = swap._REMOVING[-1]
    os.kill(proc.pid, signal.SIGKILL)
    swap.wait_for_removals(30)
    assert tree(site) == after
    if old.exists():  # what it left, deleted by the next build as a killed build's folders are
        past = time.time() - 60
        os.utime(old, (past, past))
        assert swap.remove_stale(site) == [old.name]
    assert _left(tmp_path) == [] and tree(site) == after


def test_a_link_set_aside_is_removed_alone(tmp_path):
    elsewhere = _site(tmp_path / "elsewhere", 1)
    aside = tmp_path / ".site.old-1"
    aside.symlink_to(elsewhere)
    swap.remove_later(aside)
    swap.wait_for_removals(30)
    assert not os.path.lexists(aside) and (elsewhere / "index.html").is_file()


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork is made on Linux only")
def test_the_command_publishes_the_new_site_and_leaves_nothing_behind(tmp_path, capsys,
                                                                     monkeypatch):
    root = tmp_path / "project"
    shutil.copytree(FIXTURES / "plain", root)
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    date = ["--date", SHIPPED_DATE.isoformat()]
    assert main(["--root", str(root), "build", *date]) == 0
    first = tree(root / "site")
    record = min((root / "brands").glob("*.md"))
    record.write_text(record.read_text(encoding="utf-8") + "\n示例补充：虚构的夜校。\n",
                      encoding="utf-8")
    assert main(["--root", str(root), "build", *date]) == 0
    second = tree(root / "site")
    assert second != first and any("虚构的夜校".encode() in data for data in second.values())
    swap.wait_for_removals(30)
    assert _left(root) == []


def test_what_killed_builds_left_is_deleted_off_the_build_s_way(tmp_path):
    site = _site(tmp_path / "site", 1)
    stale = [_site(tmp_path / ".site.tmp-k1ll3d", 2), _site(tmp_path / ".site.old-4242", 3)]
    recent = _site(tmp_path / ".site.tmp-newer", 4)
    past, future = time.time() - 60, time.time() + 60
    for p in stale:
        os.utime(p, (past, past))
    os.utime(recent, (future, future))  # made after this build started: not its to delete
    assert swap.remove_stale(site, later=True) == sorted(p.name for p in stale)
    swap.wait_for_removals(30)
    assert not any(p.exists() for p in stale) and (recent / "index.html").is_file()
    assert (site / "index.html").is_file()
