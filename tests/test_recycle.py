"""A build is made in the site the last build replaced (the spare, engines/recycle.py): only
the files whose bytes differ are written, and whatever the spare holds, the site published is
the one a build into an empty folder makes."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from sitecopy import copy_demo, in_project_words

from site_builder.cli import main
from site_builder.engines.recycle import Recycled
from site_builder.publish import swap

FICTIONAL = """\
---
slug: shili-huanxin
name: 示例·换新品牌
summary: 虚构的示例品牌，只用于测试在上一次的站点中生成新站点。
status: 已发布
category: @CATEGORY@
districts: [@DISTRICT@]
updated: 2024-05-20
---
这是一个虚构的示例品牌。{extra}
"""


def shape(root: Path) -> dict[str, tuple]:
    """Every entry under `root`, never following a link: its kind, bytes (or where a link
    leads) and mode."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            p = Path(dirpath) / name
            st = p.lstat()
            rel = p.relative_to(root).as_posix()
            if stat.S_ISLNK(st.st_mode):
                out[rel] = ("link", os.readlink(p), 0)
            elif stat.S_ISREG(st.st_mode):
                out[rel] = ("file", p.read_bytes(), stat.S_IMODE(st.st_mode))
            else:
                out[rel] = ("dir" if stat.S_ISDIR(st.st_mode) else "other", b"",
                            stat.S_IMODE(st.st_mode))
    return out


def identity(path: Path) -> tuple[int, int]:
    """A file's inode and change time: a file written again may get the inode number just
    freed, never the same change time."""
    st = path.stat()
    return st.st_ino, st.st_ctime_ns


def build(root: Path, *args: str) -> None:
    assert main(["--root", str(root), "build", *args]) == 0
    swap.wait_for_removals(30)


def fresh(root: Path, tmp: Path) -> dict[str, tuple]:
    """The site a build into an empty folder makes of `root` now."""
    where = tmp / "fresh"
    shutil.rmtree(where, ignore_errors=True)
    build(root, "--site-dir", str(where))
    return shape(where)


@pytest.fixture(scope="module")
def twice(tmp_path_factory) -> Path:
    """The fictional demo project with one more fictional brand, built twice: the second build
    kept the first's site as the spare."""
    root = copy_demo(tmp_path_factory.mktemp("recycle") / "project")
    (root / "brands" / "shili-huanxin.md").write_text(
        in_project_words(FICTIONAL.format(extra=""), root), encoding="utf-8")
    build(root)
    build(root)
    assert (root / ".site.spare" / "index.html").is_file()
    return root


@pytest.fixture
def project(twice, tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(twice, root, symlinks=True)
    return root


def _outside(tmp: Path) -> tuple[Path, dict]:
    """A folder outside the project that a planted link leads to, and what it holds."""
    out = tmp / "outside"
    (out / "deep").mkdir(parents=True)
    (out / "secret.txt").write_text("不属于站点的文件", encoding="utf-8")
    (out / "deep" / "index.html").write_text("<p>不属于站点</p>", encoding="utf-8")
    return out, shape(out)


def test_a_site_made_in_a_tampered_spare_is_the_clean_build(project, tmp_path, capsys):
    spare, site = project / ".site.spare", project / "site"
    outside, before = _outside(tmp_path)
    brand = "brands/shili-huanxin/index.html"
    other = next(p.relative_to(spare).as_posix() for p in sorted(spare.glob("brands/*/index.html"))
                 if "shili-huanxin" not in str(p))
    marked_page = next(p.relative_to(spare).as_posix() for p in sorted(spare.glob(
        "brands/*/index.html")) if "shili-huanxin" not in str(p) and
        p.relative_to(spare).as_posix() != other)
    kept_inode = identity(spare / other)
    # every kind of thing the spare might hold where a page, an asset or a folder goes
    (spare / "index.html").unlink()
    (spare / "index.html").symlink_to(outside / "secret.txt")  # a link where a page goes
    shutil.rmtree(spare / "news", ignore_errors=True)
    (spare / "news").symlink_to(outside / "deep", target_is_directory=True)  # ... a folder
    (spare / "404.html").unlink()
    (spare / "404.html").mkdir()  # a folder where a file goes
    (spare / "404.html" / "x.html").write_text("x", encoding="utf-8")
    (spare / "sitemap.xml").chmod(0o600)  # the right bytes, a mode the web server cannot read
    linked = tmp_path / "linked.html"  # the right bytes, a second name elsewhere
    os.link(spare / brand, linked)
    os.mkfifo(spare / "brands" / "pipe")
    (spare / "planted.html").write_text("<p>不应发布</p>", encoding="utf-8")
    (spare / "brands" / "shili-gone").mkdir()
    (spare / "brands" / "shili-gone" / "index.html").write_text("旧", encoding="utf-8")
    (spare / "assets").chmod(0o700)
    os.setxattr(spare / marked_page, "user.mime_type", b"text/plain")  # the right bytes, a mark
    os.setxattr(spare / "assets", "user.note", b"x")  # a folder with a mark: made again
    (spare / "pagefind").chmod(0o777)  # the search index's folder, kept, with a new mode
    os.setxattr(spare / "pagefind" / "index", "user.note", b"x")  # ... one of its folders
    bundle = spare / "pagefind"
    fragment, untouched = sorted(bundle.glob("fragment/*"))[:2]
    fragment.write_bytes(fragment.read_bytes()[:-1])
    untouched_inode = identity(untouched)
    (bundle / "extra.pf_fragment").write_bytes(b"planted")
    (bundle / "link.js").symlink_to(outside / "secret.txt")

    build(project)  # nothing changed: the kept search index is written over the spare's

    assert shape(site) == fresh(project, tmp_path)
    assert shape(outside) == before, "a link in the spare was followed"
    marked = [p for p in [site, *site.rglob("*")] if any(
        n.startswith("user.") for n in os.listxattr(p, follow_symlinks=False))]
    assert marked == []
    assert linked.read_text(encoding="utf-8") == (site / brand).read_text(encoding="utf-8")
    assert identity(site / other) == kept_inode, "an unchanged page was written again"
    assert identity(site / "pagefind" / "fragment" / untouched.name) == untouched_inode
    assert (site / brand).stat().st_ino != linked.stat().st_ino
    assert not [n for n in os.listdir(project) if n.startswith(".site.tmp-")]


def test_edits_unpublishing_and_a_failed_build_in_between(project, tmp_path, capsys):
    site, spare = project / "site", project / ".site.spare"
    record = project / "brands" / "shili-huanxin.md"
    record.write_text(in_project_words(FICTIONAL.format(extra="新增的一段：换新。"), project),
                      encoding="utf-8")
    build(project)  # a changed page: the indexer runs, the spare's index is deleted
    assert "新增的一段：换新。" in (site / "brands" / "shili-huanxin" / "index.html").read_text("utf-8")
    assert shape(site) == fresh(project, tmp_path)
    assert not [n for n in os.listdir(project) if n.endswith("_search")]

    # a build that fails its checks, made in the spare: site/ as it was, the spare kept
    before, listing = shape(site), sorted(os.listdir(project))
    record.write_text(in_project_words(FICTIONAL.format(extra="详见[不存在](../no-such/)。"),
                                       project), encoding="utf-8")
    assert main(["--root", str(project), "build"]) == 1
    assert "error[C001]" in "".join(capsys.readouterr())
    assert shape(site) == before and sorted(os.listdir(project)) == listing

    record.unlink()  # unpublished: its folder goes from the site made in the spare
    build(project)
    assert not (site / "brands" / "shili-huanxin").exists()
    assert shape(site) == fresh(project, tmp_path)
    assert (spare / "brands" / "shili-huanxin").is_dir()  # the replaced site, kept


def test_the_mkdocs_engine_neither_takes_nor_changes_the_spare(project, tmp_path):
    spare = project / ".site.spare"
    before = shape(spare)
    build(project, "--engine", "mkdocs")
    assert shape(spare) == before
    assert not [n for n in os.listdir(project) if n.startswith(".site.") and n != ".site.spare"]


@pytest.mark.parametrize("kind", ["link", "file"])
def test_a_search_index_folder_that_is_a_link_or_a_file_is_never_followed(project, tmp_path,
                                                                          kind):
    outside, before = _outside(tmp_path)
    bundle = project / ".site.spare" / "pagefind"
    shutil.rmtree(bundle)
    if kind == "link":
        bundle.symlink_to(outside, target_is_directory=True)
    else:
        bundle.write_bytes(b"planted")
    build(project)
    assert shape(outside) == before
    assert shape(project / "site") == fresh(project, tmp_path)


@pytest.mark.parametrize("kind", ["link", "file", "another user's"])
def test_a_spare_that_is_a_link_a_file_or_another_users_is_never_used(project, tmp_path, kind):
    outside, before = _outside(tmp_path)
    spare = project / ".site.spare"
    if kind == "link":
        shutil.rmtree(spare)
        spare.symlink_to(outside, target_is_directory=True)
    elif kind == "file":
        shutil.rmtree(spare)
        spare.write_text("不是站点", encoding="utf-8")
    else:
        if os.geteuid() != 0:
            pytest.skip("giving a folder to another user needs root (CI runs as root)")
        os.chown(spare, 65534, 65534)
        inode = identity(spare / "index.html")
    build(project)
    assert shape(outside) == before and spare.is_dir() and not spare.is_symlink()
    assert shape(project / "site") == fresh(project, tmp_path)
    if kind == "another user's":
        assert identity(project / "site" / "index.html") != inode
    assert not [n for n in os.listdir(project) if n.startswith(".site.tmp-")]


def test_recycled_keeps_only_a_plain_file_of_one_name_with_the_bytes(tmp_path):
    folder = tmp_path / "site"
    (folder / "a").mkdir(parents=True)
    (folder / "a" / "same.html").write_bytes(b"<p>same</p>")
    (folder / "a" / "other.html").write_bytes(b"<p>old</p>")
    (folder / "a" / "longer.html").write_bytes(b"<p>same</p>!")
    (folder / "gone").mkdir()
    (folder / "gone" / "deep").mkdir()
    (folder / "gone" / "deep" / "f.txt").write_bytes(b"x")
    (folder / "b").write_bytes(b"a file where a folder goes")
    old = Recycled(folder)
    made = old.keep_only(["a/same.html", "a/other.html", "a/longer.html", "b/c.html"])
    assert made == {"a"} and sorted(os.listdir(folder)) == ["a"]
    inode = identity(folder / "a" / "same.html")
    assert old.holds("a/same.html", b"<p>same</p>")
    assert identity(folder / "a" / "same.html") == inode
    assert not old.holds("a/other.html", b"<p>new</p>")
    assert not old.holds("a/longer.html", b"<p>same</p>")
    assert sorted(os.listdir(folder / "a")) == ["same.html"]  # the others, deleted for new ones
    assert not old.holds("b/c.html", b"x")  # never there


def test_git_never_offers_the_spare_whatever_the_projects_gitignore(project):
    """A project made before the spare existed ignores only site/: the spare says so itself."""
    (project / ".gitignore").write_text("site/\n", encoding="utf-8")
    subprocess.run(["git", "init", "-q", str(project)], check=True)
    out = subprocess.run(["git", "status", "--porcelain", "--untracked-files=all"], cwd=project,
                         capture_output=True, text=True, check=True).stdout
    assert ".site.spare" not in out and "brands/" in out, out


def test_another_users_files_and_folders_in_the_spare_are_never_kept(project, tmp_path):
    if os.geteuid() != 0:
        pytest.skip("giving files to another user needs root (CI runs as root)")
    spare, site = project / ".site.spare", project / "site"
    page = next(spare.glob("brands/*/index.html"))
    os.chown(page, 65534, 65534)  # the right bytes and mode, another owner
    os.chown(page.parent, 65534, 65534)  # a folder the site needs
    gone = spare / "brands" / "shili-gone"
    gone.mkdir()
    (gone / "index.html").write_text("旧", encoding="utf-8")
    os.chown(gone, 65534, 65534)  # a folder it does not
    build(project)
    assert shape(site) == fresh(project, tmp_path)
    assert {p.stat().st_uid for p in [site, *site.rglob("*")]} == {os.geteuid()}


def test_a_set_group_id_folder_gives_the_modes_a_build_into_an_empty_folder_gives(project):
    project.chmod(0o2775)
    build(project)  # in the spare, whose folders were made without the bit
    build(project, "--site-dir", str(project / "fresh"))
    assert (project / "fresh").stat().st_mode & stat.S_ISGID == 0  # (published 0755, as before)
    assert shape(project / "site") == shape(project / "fresh")


def test_a_folder_in_the_spare_that_cannot_be_deleted_fails_once_then_a_fresh_build(
        project, tmp_path, capsys):
    """A folder this user may not delete (here made immutable, as root may not delete either;
    on a shared machine, another user's): the build fails naming it, with what to do, and the
    next build is made in an empty folder."""
    spare, site = project / ".site.spare", project / "site"
    gone = spare / "brands" / "shili-gone"
    gone.mkdir()
    (gone / "index.html").write_text("旧", encoding="utf-8")
    if os.geteuid() != 0 or shutil.which("chattr") is None or \
            subprocess.run(["chattr", "+i", str(gone)], capture_output=True, check=False).returncode != 0:
        pytest.skip("making a folder undeletable needs root and chattr on ext4 (CI has both)")
    before = shape(site)
    try:
        assert main(["--root", str(project), "build"]) == 1
        said = "".join(capsys.readouterr())
        assert "Traceback" not in said and "保持原样" in said and "shili-gone" in said, said
        # what it is and what to do, not the project folder's write permission
        assert "不能删除或更改的" in said and "下次生成会从空文件夹开始" in said, said
        assert "没有权限：它可能在其他用户的文件夹中，或被设为不可更改" in said, said
        assert "写入权限" not in said and "not permitted" not in said, said  # (Chinese only)
        swap.wait_for_removals(30)
        assert shape(site) == before
        left = [n for n in os.listdir(project) if n.startswith(".site.") and n != ".site.lock"]
        assert not (project / ".site.spare").exists() and len(left) == 1, left  # only what it could not delete
        build(project)  # into an empty folder
        assert shape(site) == fresh(project, tmp_path)
    finally:
        for undeletable in project.glob(".site.*/brands/shili-gone"):
            subprocess.run(["chattr", "-i", str(undeletable)], check=True)

@contextlib.contextmanager
def immutable(path: Path, *moved_to: Path):
    """`path` made immutable (not even root may delete, rename or change it) for the block,
    then changeable again wherever it is (`moved_to`: where the block may have moved it); a
    skip where that cannot be done."""
    if os.geteuid() != 0 or shutil.which("chattr") is None:
        pytest.skip("making a folder immutable needs root and chattr (CI has both)")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True,
                      check=False).returncode != 0:
        pytest.skip("this file system cannot make a folder immutable (CI's ext4 can)")
    try:
        yield
    finally:
        for p in (path, *moved_to):
            if p.exists():
                subprocess.run(["chattr", "-i", str(p)], check=True)


def test_an_earlier_search_index_that_cannot_be_emptied_is_never_indexed_into(tmp_path,
                                                                              monkeypatch):
    """The kept bundle written over an earlier one that holds a folder no one may delete: the
    build fails (the indexer must not write into what is left, which would be published)."""
    from site_builder.engines.pagefind import keep_bundle, restore_bundle
    from site_builder.engines.recycle import SpareNotEmptied

    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    made = tmp_path / "made"
    (made / "fragment").mkdir(parents=True)
    (made / "pagefind-entry.json").write_text('{"version":"示例"}', encoding="utf-8")
    (made / "fragment" / "zh_0001.pf_fragment").write_bytes(b"\x1f\x8b fictional")
    kept = tmp_path / "cache" / "bundles"
    keep_bundle(kept, b"key", made)
    previous = tmp_path / "site_search"
    (previous / "old").mkdir(parents=True)
    (previous / "old" / "zh_old.pf_fragment").write_bytes(b"stale")
    bundle = tmp_path / "site" / "pagefind"
    bundle.parent.mkdir()
    with immutable(previous / "old", bundle / "old"), pytest.raises(SpareNotEmptied) as raised:
        restore_bundle(kept, b"key", bundle, previous)
    assert "old" in Path(raised.value.filename).parts  # (a file of it, deleted first)
    # and where it can be: the kept bundle, exactly
    shutil.rmtree(bundle, ignore_errors=True)
    shutil.rmtree(previous, ignore_errors=True)
    assert restore_bundle(kept, b"key", bundle, None)
    assert shape(bundle) == shape(made)


def test_a_spare_folder_that_cannot_be_changed_or_moved_is_told_as_the_spares(tmp_path):
    from site_builder.engines.native import _set_aside
    from site_builder.engines.recycle import SpareNotEmptied

    spare = tmp_path / "spare"
    (spare / "brands" / "shili").mkdir(parents=True)
    (spare / "pagefind").mkdir()
    os.chmod(spare / "brands" / "shili", 0o700)  # not a new folder's mode: changed, if it can be
    with immutable(spare / "brands" / "shili"), pytest.raises(SpareNotEmptied) as raised:
        Recycled(spare)
    assert raised.value.filename.endswith("shili")
    earlier = Recycled(spare)
    with immutable(spare / "pagefind"), pytest.raises(SpareNotEmptied) as raised:
        _set_aside(spare / "pagefind", earlier)
    assert raised.value.filename.endswith("pagefind")


@pytest.mark.parametrize(("number", "words"), [
    (errno.EACCES, "没有权限"), (errno.EROFS, "只读"), (errno.EBUSY, "正被使用"),
    (errno.ENOTEMPTY, "还有不能删除的文件"), (errno.EXDEV, "系统错误代码 EXDEV")])
def test_why_the_spare_cannot_be_emptied_is_said_in_chinese(number, words):
    """The message gives the reason in its own words (the system's is English), or the error's
    code when it is an unusual one; the path and what to do either way."""
    from site_builder import cli
    from site_builder.engines.recycle import SpareNotEmptied

    path = "/srv/示例项目/.site.spare/brands/shili-gone"
    said = cli._os_message(SpareNotEmptied(number, os.strerror(number), path), None, None)
    assert words in said and path in said and "下次生成会从空文件夹开始" in said, said
    assert os.strerror(number) not in said, said
