"""A failed build leaves the previous site/ exactly as it was, byte for byte, says why, and
leaves no temporary folder behind; a good build replaces site/ whole."""

from __future__ import annotations

import os
import random
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from procs import processes
from sitecopy import copy_demo, in_project_words, tree_state

import site_builder.engines.mkdocs as adapter
from site_builder.build import build_site
from site_builder.cli import main
from site_builder.engines import native
from site_builder.publish import swap
from site_builder.publish.swap import swap_in

FICTIONAL = """\
---
slug: shili-moumou
name: 示例·某某品牌
summary: 虚构的示例品牌，只用于测试失败的构建不会改动已发布的站点。
status: 已发布
category: @CATEGORY@
districts: [@DISTRICT@]
updated: 2024-05-20
---
这是一个虚构的示例品牌。{extra}
"""


@pytest.fixture(scope="module")
def built_once(tmp_path_factory) -> Path:
    """The fictional demo project (its own settings) with one more fictional brand, built into
    site/ once."""
    root = copy_demo(tmp_path_factory.mktemp("atomic") / "project")
    (root / "brands" / "shili-moumou.md").write_text(
        in_project_words(FICTIONAL.format(extra=""), root), encoding="utf-8")
    assert main(["--root", str(root), "build"]) == 0
    return root


@pytest.fixture
def project(built_once, tmp_path, capsys) -> Path:
    """A private copy of that built project: each test breaks its own."""
    root = tmp_path / "project"
    shutil.copytree(built_once, root, symlinks=True)
    capsys.readouterr()
    return root


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _break_record(root: Path) -> None:
    _edit(root / "brands" / "shili-moumou.md", in_project_words("category: @CATEGORY@", root),
          "category: 不存在的类型")


def _break_page_template(root: Path) -> None:
    path = next(p for p in sorted((root / "templates" / "pages").glob("*.j2"))
                if not p.name.startswith("_"))
    path.write_text(path.read_text(encoding="utf-8") + "\n{% if %}\n", encoding="utf-8")


def _break_layout(root: Path) -> None:
    """The native layout fails while rendering (calls a function that does not exist)."""
    path = root / "templates" / "native" / "base.html"
    text = path.read_text(encoding="utf-8")
    assert "<body" in text, f"{path} has no <body>"
    path.write_text(text.replace("<body", "{{ no_such_function() }}<body", 1), encoding="utf-8")


def _break_theme(root: Path) -> None:
    """A MkDocs theme override that fails while rendering (calls a function that does not exist)."""
    path = root / "templates" / "theme" / "main.html"
    text = path.read_text(encoding="utf-8")
    block = re.search(r"{%-?\s*block\s+\w+\s*-?%}", text)
    assert block, f"{path} overrides no block"
    path.write_text(text[:block.end()] + "{{ no_such_function() }}" + text[block.end():],
                    encoding="utf-8")


def _plant_broken_link(root: Path) -> None:
    """A record that validates, but whose story links to a page the site does not have."""
    (root / "brands" / "shili-moumou.md").write_text(
        in_project_words(FICTIONAL.format(extra="详见[不存在的页面](../no-such-brand/)。"), root),
        encoding="utf-8")


FAILURES = {
    # name: (how to break the project, what the command must say, the build's options)
    "record error": (_break_record, ["brands/shili-moumou.md:", "error[B004]: category"], []),
    "page template error": (_break_page_template, ["生成站点失败：TemplateSyntaxError"], []),
    "layout template error": (_break_layout, ["生成站点失败：UndefinedError"], []),
    "mkdocs theme template error": (_break_theme, ["生成站点失败：UndefinedError"],
                                    ["--engine", "mkdocs"]),
    "post-build check": (_plant_broken_link, ["error[C001]: ../no-such-brand/",
                                              "生成的站点未通过发布前检查：1 个问题"], []),
}


@pytest.mark.parametrize("name", FAILURES)
def test_failed_build_leaves_site_untouched(project, capsys, name):
    breaker, says, options = FAILURES[name]
    site = project / "site"
    before, inode = tree_state(site), site.stat().st_ino
    listing = sorted(os.listdir(project))
    breaker(project)

    assert main(["--root", str(project), "build", *options]) == 1
    out = capsys.readouterr()
    said = out.out + out.err
    for text in says + [f"构建失败，{site} 保持原样。"]:
        assert text in said, said
    assert "Traceback" not in said
    assert site.stat().st_ino == inode, "site/ was replaced"
    assert tree_state(site) == before, "site/ changed"
    assert sorted(os.listdir(project)) == listing, "a temporary folder was left behind"


def test_an_image_failing_while_the_pages_are_written_fails_the_build_whole(project, capsys,
                                                                           monkeypatch, tmp_path):
    """The images are encoded in threads while the pages are rendered; one that fails (here, a
    full disk) fails the build like any other error: one message, site/ untouched, no temporary
    folder, and no search indexer started or left behind."""
    from site_builder.cache import CHECKED_PAGES, DECODED_IMAGES, versioned
    from site_builder.render import images

    cache = tmp_path / "empty-cache"
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(cache))  # encode them all
    # what another version of the program kept, and an entry of the day before's layout
    stale = [cache / CHECKED_PAGES / "0123456789abcdef" / "ab" / "ab12.json",
             cache / DECODED_IMAGES / "0123456789abcdef" / "cd" / "cd34", cache / CHECKED_PAGES / "ef" / "ef56.json"]
    for p in stale:
        p.parent.mkdir(parents=True)
        p.write_text("{}", "utf-8")
    real = images._write_all
    calls = tmp_path / "calls"  # a file: `site-builder build` makes the pages in a fork

    def fails_once(targets, make):
        with calls.open("a", encoding="utf-8") as f:
            f.write("x")
        if calls.read_text(encoding="utf-8") == "xxx":
            raise OSError(28, "No space left on device")
        return real(targets, make)

    monkeypatch.setattr(images, "_write_all", fails_once)
    site = project / "site"
    before, listing = tree_state(site), sorted(os.listdir(project))
    assert main(["--root", str(project), "build"]) != 0
    said = "".join(capsys.readouterr())
    assert len(calls.read_text(encoding="utf-8")) >= 3 and f"构建失败，{site} 保持原样。" in said and "Traceback" not in said
    assert tree_state(site) == before
    assert sorted(os.listdir(project)) == listing
    assert [cmd for _, _, cmd in processes() if "pagefind" in cmd and str(project) in cmd] == []
    # the build deleted what other versions kept; this version's marks of decoded images stay
    assert not any(p.exists() or p.parent.exists() for p in stale)
    assert any(p.is_file() for p in versioned(DECODED_IMAGES).rglob("*"))


def test_post_build_findings_name_the_final_page(project):
    _plant_broken_link(project)
    result = build_site(project, project / "site")
    assert not result.ok
    assert [(d.path, d.code, d.field) for d in result.findings] == [
        ("site/brands/shili-moumou/index.html", "C001", "../no-such-brand/")]


def test_good_build_replaces_site_whole(project, capsys):
    site = project / "site"
    stale = site / "stale-page.html"
    stale.write_text("<title>旧页面</title>", encoding="utf-8")
    listing = sorted(os.listdir(project))
    _edit(project / "brands" / "shili-moumou.md", "示例·某某品牌", "示例·另一个品牌")

    assert main(["--root", str(project), "build"]) == 0, capsys.readouterr()
    assert not stale.exists()
    assert "示例·另一个品牌" in (site / "brands" / "shili-moumou" / "index.html").read_text("utf-8")
    swap.wait_for_removals(30)
    # the old site is kept beside as the spare the next build is made in (engines/recycle.py)
    assert sorted(os.listdir(project)) == sorted(listing + [".site.spare"])
    assert stale.name in os.listdir(project / ".site.spare")


@pytest.mark.parametrize("engine", ["native", "mkdocs"])
def test_interrupted_build_cleans_up(project, monkeypatch, engine):
    site = project / "site"
    before, listing = tree_state(site), sorted(os.listdir(project))

    def half_written(project_, site_, staging: Path, *args, **kwargs):
        (staging / "index.html").write_text("<title>一半</title>", encoding="utf-8")
        raise KeyboardInterrupt

    if engine == "native":
        monkeypatch.setattr(native, "build_with_native", half_written)
    else:
        monkeypatch.setattr(adapter, "build_with_mkdocs", half_written)
    with pytest.raises(KeyboardInterrupt):
        build_site(project, site, engine=engine)
    assert tree_state(site) == before
    assert sorted(os.listdir(project)) == listing


def test_swap_puts_the_old_site_back_when_the_new_one_cannot_move_in(tmp_path, monkeypatch):
    """Where the system cannot exchange two names, the two-rename method puts the old site
    back when the new one cannot be renamed in."""
    monkeypatch.setattr(swap, "_RENAMEAT2", None)
    old, new = tmp_path / "site", tmp_path / "staging"
    old.mkdir()
    (old / "index.html").write_text("旧", encoding="utf-8")
    new.mkdir()
    real_replace, calls = os.replace, []

    def failing_second_rename(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing_second_rename)
    with pytest.raises(OSError):
        swap_in(new, old)
    assert (old / "index.html").read_text(encoding="utf-8") == "旧"


# -- the swap: one step, whatever instant a build is killed at --------------------------------

def _site(folder: Path, n: int) -> Path:
    """A fictional whole site, generation `n`: three files, each naming it."""
    folder.mkdir()
    for name in ("index.html", "brands.html", "complete.txt"):
        (folder / name).write_text(f"示例站点第{n}版", encoding="utf-8")
    return folder


def _whole(site: Path) -> int | None:
    """The generation of the whole site at `site`, read in the folder `site` names when the
    look starts; fails on a missing or a half site. None when `site` named another folder by
    the end of the look (the folder read may then be an old site being deleted)."""
    fd = os.open(site, os.O_RDONLY | os.O_DIRECTORY)  # FileNotFoundError: no site at all
    try:
        names = sorted(os.listdir(fd))
        texts = set()
        for name in names:
            try:
                with open(os.open(name, os.O_RDONLY, dir_fd=fd), encoding="utf-8") as f:
                    texts.add(f.read())
            except FileNotFoundError:
                texts.add(None)
        if os.stat(site).st_ino != os.fstat(fd).st_ino:
            return None
    finally:
        os.close(fd)
    assert names == ["brands.html", "complete.txt", "index.html"], names
    assert len(texts) == 1, texts
    return int(texts.pop().removeprefix("示例站点第").removesuffix("版"))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_the_swap_exchanges_the_two_names_in_one_step_on_linux(tmp_path, monkeypatch):
    """On Linux the new site and the old change names in one system call: no rename that
    would leave site/ missing for a moment is made, and the old site is deleted afterwards."""
    assert swap._RENAMEAT2 is not None
    site, new = _site(tmp_path / "site", 1), _site(tmp_path / ".site.tmp-abc", 2)
    inode = new.stat().st_ino

    def no_rename(src, dst):
        raise AssertionError(f"renamed {src} → {dst}: site/ would be missing meanwhile")

    monkeypatch.setattr(os, "replace", no_rename)
    monkeypatch.setattr(os, "rename", no_rename)
    swap_in(new, site)
    assert _whole(site) == 2 and site.stat().st_ino == inode
    assert sorted(os.listdir(tmp_path)) == ["site"]


def test_the_first_publish_is_a_plain_rename_and_a_failed_exchange_changes_nothing(tmp_path):
    site = tmp_path / "site"
    swap_in(_site(tmp_path / ".site.tmp-1", 1), site)
    assert _whole(site) == 1 and sorted(os.listdir(tmp_path)) == ["site"]
    with pytest.raises(FileNotFoundError):  # a staging folder that is not there
        swap_in(tmp_path / ".site.tmp-gone", site)
    assert _whole(site) == 1


def test_a_build_killed_after_the_swap_leaves_the_new_site_and_the_next_build_cleans_up(
        tmp_path, monkeypatch):
    """Killed between the exchange and deleting the old site: site/ is the new site whole; the
    old one, left under the staging folder's name, goes at the next build."""
    site = _site(tmp_path / "site", 1)
    new = _site(tmp_path / ".site.tmp-abc", 2)

    def killed(path):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(swap, "_remove", killed)
        with pytest.raises(KeyboardInterrupt):
            swap_in(new, site)
    assert _whole(site) == 2
    if swap._RENAMEAT2 is not None:
        assert _whole(new) == 1  # the old site, under the staging folder's name
    past = time.time() - 60
    for p in tmp_path.iterdir():
        os.utime(p, (past, past))
    left = [p.name for p in sorted(tmp_path.iterdir()) if p != site]
    assert left and swap.remove_stale(site) == left
    assert sorted(os.listdir(tmp_path)) == ["site"]


class _Killed(BaseException):
    """The process ending at that instant: nothing after it runs (no `except`, no cleanup)."""


def _kill_after(monkeypatch, step: int) -> list[str]:
    """Make the swap's `step`-th change to the file system (0 first) its last: it is done,
    then the process is "killed". The names of the changes made."""
    made: list[str] = []

    def counted(name, real):
        def change(*args):
            result = real(*args)
            made.append(name)
            if len(made) == step + 1:
                raise _Killed
            return result
        return change

    if swap._RENAMEAT2 is not None:
        monkeypatch.setattr(swap, "_RENAMEAT2", counted("exchange", swap._RENAMEAT2))
    monkeypatch.setattr(os, "replace", counted("rename", os.replace))
    monkeypatch.setattr(swap, "_remove", counted("remove", swap._remove))
    return made


@pytest.mark.parametrize("exchange", [True, False], ids=["exchange", "two renames"])
def test_a_swap_killed_after_any_step_leaves_a_whole_site(tmp_path, monkeypatch, exchange):
    """Killed after each of the swap's steps in turn: with the exchange, site/ is always a
    whole site, the old or the new. The two-rename method (where the system cannot exchange)
    has the documented window: killed between its renames, it leaves no site/."""
    if exchange and swap._RENAMEAT2 is None:
        pytest.skip("this system cannot exchange two names")
    if not exchange:
        monkeypatch.setattr(swap, "_RENAMEAT2", None)
    seen, step = [], 0
    while True:
        case = tmp_path / str(step)
        case.mkdir()
        site, new = _site(case / "site", 1), _site(case / ".site.tmp-abc", 2)
        with monkeypatch.context() as m:
            made = _kill_after(m, step)
            try:
                swap_in(new, site)
                break  # every step done without being killed
            except _Killed:
                pass
        if not exchange and made == ["rename"]:
            assert not site.exists() and _whole(case / f".site.old-{os.getpid()}") == 1
        else:
            seen.append((made[-1], _whole(site)))
        step += 1
    assert seen == ([("exchange", 2), ("remove", 2)] if exchange else
                    [("rename", 2), ("remove", 2)])


_SWAPPER = """
import sys
from pathlib import Path
from site_builder.publish.swap import swap_in

root, n = Path(sys.argv[1]), int(sys.argv[2])
while True:
    n += 1
    new = root / f".site.tmp-{n}"
    new.mkdir()
    for name in ("index.html", "brands.html", "complete.txt"):
        (new / name).write_text(f"示例站点第{n}版", encoding="utf-8")
    swap_in(new, root / "site")
    print(n, flush=True)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="renameat2 is Linux's")
def test_site_is_whole_at_every_instant_while_builds_swap_and_are_killed(tmp_path):
    """A process swapping new sites in as fast as it can, watched from here and killed at
    chance moments: every look at site/ finds one whole site, also just after each kill, and
    the folders the killed processes left behind are cleaned by the next build."""
    site = _site(tmp_path / "site", 0)
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    rng = random.Random(20240520)
    looks, last = 0, 0
    for round_ in range(4):
        proc = subprocess.Popen([sys.executable, "-c", _SWAPPER, str(tmp_path), str(1000 * (round_ + 1))],
                                stdout=subprocess.PIPE, env=env, text=True)
        try:
            assert proc.stdout.readline().strip()  # it has swapped at least once
            end = time.monotonic() + rng.uniform(0.3, 0.8)
            while time.monotonic() < end:
                looks += _whole(site) is not None
        finally:
            proc.kill()
            proc.wait()
            proc.stdout.close()
        last = _whole(site)
    assert looks > 100 and last > 1000
    past = time.time() - 60
    for p in tmp_path.iterdir():
        if p != site:
            os.utime(p, (past, past))
    swap.remove_stale(site)
    assert sorted(os.listdir(tmp_path)) == ["site"] and _whole(site) == last


# -- what killed builds leave behind, and two builds at once ----------------------------------

def test_a_build_deletes_only_the_stale_folders_of_killed_builds(project, capsys, tmp_path):
    """Folders named as a build names its staging and set-aside folders, older than the
    build, are deleted; a link of that name is left alone and what it points to untouched;
    other names, other sites' folders and a folder newer than the build stay."""
    past, future = time.time() - 3600, time.time() + 3600
    stale = [project / ".site.tmp-k1ll3d_x", project / ".site.old-4242"]
    for p in stale:
        _site(p, 7)
        os.utime(p, (past, past))
    outside = _site(tmp_path / "outside", 9)
    link = project / ".site.tmp-link"
    link.symlink_to(outside, target_is_directory=True)
    kept = [project / ".site.tmpfoo", project / ".demo-site.tmp-abc", project / ".site.tmp-newer"]
    for p in kept:
        _site(p, 8)
    for p in kept[:2]:
        os.utime(p, (past, past))
    os.utime(kept[2], (future, future))  # made after this build started: not this build's to delete

    assert main(["--root", str(project), "build"]) == 0, capsys.readouterr()
    swap.wait_for_removals(30)  # stale folders and the old site: deleted by processes of their own
    assert not any(os.path.lexists(p) for p in stale)
    assert link.is_symlink() and _whole(outside) == 9
    assert all(_whole(p) == 8 for p in kept)
    assert not [n for n in os.listdir(project) if n.startswith(".site.tmp-") and
                n not in (link.name, kept[2].name)]


def test_a_second_build_into_the_same_site_says_so_and_changes_nothing(project, capsys):
    site = project / "site"
    before = tree_state(site)
    holder = swap.lock_site(site)
    try:
        assert holder is not None and swap.lock_site(site) is None  # a second lock is refused
        assert main(["--root", str(project), "build"]) == 1
        said = "".join(capsys.readouterr())
        assert f"另一个构建正在进行（正在生成 {site.resolve()}）：请等它结束后再运行。" in said
        assert "Traceback" not in said
        assert tree_state(site) == before
        assert not [n for n in os.listdir(project) if n.startswith(".site.tmp-")]
    finally:
        holder.close()
    lock = project / ".site.lock"
    assert not lock.exists()
    lock.write_bytes(b"")  # what a killed build leaves: the system released its lock
    assert main(["--root", str(project), "build"]) == 0, capsys.readouterr()
    swap.wait_for_removals(30)
    assert [n for n in os.listdir(project) if n.startswith(".site")] == [".site.spare"]


def test_the_lock_is_never_taken_through_a_link(tmp_path):
    target = tmp_path / "elsewhere.txt"
    target.write_text("示例", encoding="utf-8")
    (tmp_path / ".site.lock").symlink_to(target)
    with pytest.raises(OSError):
        swap.lock_site(tmp_path / "site")
    assert target.read_text(encoding="utf-8") == "示例"


@pytest.mark.parametrize("ignore", [".gitignore", "site_builder/starter/gitignore"])
def test_git_ignores_what_builds_leave_beside_the_site(tmp_path, ignore):
    """A killed build's folders, the lock and the spare are never offered for a commit, in this
    repository and in a project `site-builder init` makes."""
    shutil.copy(Path(__file__).resolve().parent.parent / ignore, tmp_path / ".gitignore")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    others = (".demo-site.tmp-x_y", ".province-site.old-7", ".demo-site.spare") \
        if ignore == ".gitignore" else ()
    for name in (".site.tmp-abc123", ".site.old-4242", ".site.spare", ".site.tmp-abc123_search",
                 *others):
        _site(tmp_path / name, 1)
    (tmp_path / ".site.lock").write_bytes(b"")
    (tmp_path / "brands").mkdir()
    (tmp_path / "brands" / "shili.md").write_text("示例", encoding="utf-8")
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=tmp_path,
                         capture_output=True, text=True, check=True).stdout
    assert sorted(out.split()[1::2]) == [".gitignore", "brands/shili.md"], out
