"""The cache's entries named by a project's folder or a site's address (pages, conversions,
image records, the checks' memo) do not pile up when one cache serves many checkouts (a runner
that builds in a new temporary folder each time): a build keeps the newest few of each kind and
any written or read in the last day, and never follows a link."""

from __future__ import annotations

import os
import time
from pathlib import Path

from sitecopy import copy_demo

from site_builder.cache import KEPT_IDLE_S, KEPT_PROJECTS, PER_PROJECT, prune_entries, versioned
from site_builder.cli import main
from site_builder.publish import swap

DAY = 24 * 3600


FIRST_KIND = next(iter(PER_PROJECT))  # the kind the tests of links plant into


def entries(folder: Path) -> dict[str, float]:
    """Every entry of a kind's folder (in its two-digit folders), with when it was last used."""
    return {p.relative_to(folder).as_posix(): p.lstat().st_mtime
            for p in folder.glob("*/*")
            if p.is_file() and not p.is_symlink() and not p.parent.is_symlink()}


def plant(folder: Path, name: str, when: float) -> None:
    """An entry another checkout's builds left, last used at `when`."""
    path = folder / name[:2] / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"\0" * 64)
    os.utime(path, (when, when))


def build(root: Path) -> None:
    assert main(["--root", str(root), "build"]) == 0
    swap.wait_for_removals(30)


def test_a_build_keeps_the_newest_entries_of_each_kind_and_those_used_lately(tmp_path,
                                                                            monkeypatch):
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    root = copy_demo(tmp_path / "项目")
    build(root)
    now = time.time()
    ours = {}
    for kind in PER_PROJECT:
        folder = versioned(kind)
        ours[kind] = entries(folder)
        assert ours[kind], kind  # the project's own entries of each kind
        for name in ours[kind]:  # last used two hours ago
            os.utime(folder / name, (now - 7200, now - 7200))
        for i in range(12):  # twelve checkouts not built for two days or more
            plant(folder, f"{i:02d}stale", now - 2 * DAY - i * 60)
        # as many built an hour ago: used lately, all kept
        for i in range(KEPT_PROJECTS * PER_PROJECT[kind]):
            plant(folder, f"{i:02d}recent", now - 3600)
    outside = tmp_path / "elsewhere.bin"  # a link to a file outside: neither it nor its target
    outside.write_bytes(b"x")
    os.utime(outside, (now - 9 * DAY, now - 9 * DAY))
    (versioned(FIRST_KIND) / "zz").mkdir(exist_ok=True)
    (versioned(FIRST_KIND) / "zz" / "zzlink").symlink_to(outside)

    build(root)  # unchanged: its entries are read, not written again

    for kind in PER_PROJECT:
        folder = versioned(kind)
        left = entries(folder)
        recent = {n for n in left if n.endswith("recent")}
        # beyond the count, but used lately
        assert len(recent) == KEPT_PROJECTS * PER_PROJECT[kind], kind
        assert set(ours[kind]) <= set(left), kind  # read by this build: marked used now
        assert all(left[n] > now - 600 for n in ours[kind]), kind
        assert not [n for n in left if n.endswith("stale")], (kind, sorted(left))
    assert (versioned(FIRST_KIND) / "zz" / "zzlink").is_symlink() and outside.is_file()
    build(root)  # and its entries still serve it


def test_the_rule_itself(tmp_path, monkeypatch):
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    folder = versioned(FIRST_KIND)
    now = time.time()
    for i in range(6):  # newest first: 00 is a day and a minute old, 05 six minutes older
        plant(folder, f"{i:02d}entry", now - KEPT_IDLE_S - 60 - i * 60)
    plant(folder, "99other.bundle", now - 9 * DAY)  # another suffix: not counted, not deleted
    prune_entries(folder, 3, KEPT_IDLE_S, suffix="entry", besides=folder / "00" / "00entry")
    assert sorted(entries(folder)) == ["00/00entry", "01/01entry", "02/02entry", "03/03entry",
                                       "99/99other.bundle"]
    prune_entries(folder, 1, 10 * DAY)  # all used within ten days: none deleted
    assert len(entries(folder)) == 5
    outside = tmp_path / "outside"  # a two-digit folder that is a link: never followed
    outside.mkdir()
    plant(outside, "ab-old", now - 9 * DAY)
    (folder / "ab").symlink_to(outside / "ab")
    prune_entries(folder, 1)
    assert sorted(entries(folder)) == ["00/00entry"]
    assert (outside / "ab" / "ab-old").is_file() and (folder / "ab").is_symlink()
    # a folder above it swapped for a link to a look-alike outside: nothing there is deleted
    elsewhere = tmp_path / "look-alike"
    plant(elsewhere / folder.name, "cdold", now - 9 * DAY)
    kind = folder.parent
    kind.rename(tmp_path / "moved-kind")
    kind.symlink_to(elsewhere)
    prune_entries(folder, 0)
    assert (elsewhere / folder.name / "cd" / "cdold").is_file()
