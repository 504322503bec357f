"""Messages and checks found by an independent tester: a deploy path starting with `-` or
behind a known alias of a system folder, a file standing where the site's folder must be made,
a folder that cannot hold a site, why the cache is not used (an untrusted place, or a key that
cannot be written), a chosen font that is no file, and a cache folder inside a repository git
refuses to list (fail closed)."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from sitecopy import copy_demo

from site_builder import cache, cli
from site_builder.publish.deploy import UsageError, deploy_path
from site_builder.render import share_image as share

DATE = "2026-12-01"  # the demo's date


def ordinary(err: str) -> None:
    assert "内部错误" not in err and "Traceback" not in err and "Errno" not in err, err


@pytest.fixture
def project(tmp_path, monkeypatch) -> Path:
    """A copy of the fictional demo project, with a cache and key folder of its own."""
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    return copy_demo(tmp_path / "project")


# -- 7: deploy --path ------------------------------------------------------------------------------

def test_a_path_option_without_its_value_is_told_in_chinese(capsys):
    with pytest.raises(SystemExit) as done:
        cli.main(["deploy", "--host", "example.invalid", "--user", "shili", "--path", "-/x"])
    assert done.value.code == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "选项 --path 后面缺少值" in err and "--path=-/x" in err
    assert "expected one argument" not in err


def test_a_path_written_with_equals_reaches_the_path_check(monkeypatch, capsys):
    for name in ("DEPLOY_HOST", "DEPLOY_USER", "DEPLOY_PATH"):
        monkeypatch.delenv(name, raising=False)
    code = cli.main(["deploy", "--host", "example.invalid", "--user", "shili", "--path=-/x"])
    err = capsys.readouterr().err
    assert code == cli.EXIT_USAGE, err
    assert "部署目录“-/x”必须是服务器上的绝对路径" in err


@pytest.mark.parametrize("path", ["/var/run", "/var/run/", "/var/run/x", "/var//run/./x",
                                  "/var/lock", "/var/lock/shili"])
def test_known_aliases_of_system_folders_are_refused(path):
    with pytest.raises(UsageError, match="系统目录"):
        deploy_path(path)


@pytest.mark.parametrize("path", ["/var/www/shili-site", "/srv/var/run", "/var/running/x",
                                  "/var/lockers/shili"])
def test_ordinary_deploy_folders_are_accepted(path):
    assert deploy_path(path) == path


# -- 8: messages -----------------------------------------------------------------------------------

def test_a_file_in_the_way_of_the_site_folder_is_named(project, capsys):
    blocker = project / "示例文件"
    blocker.write_text("示例\n", encoding="utf-8")
    for site in (blocker / "site", blocker / "a" / "site"):
        assert cli.main(["--root", str(project), "build", "--engine", "native", "--date", DATE,
                         "--site-dir", str(site)]) == 1
        err = capsys.readouterr().err
        assert f"{blocker} 是一个文件，不是目录，挡住了要建立的 {site}" in err, err
        assert "请删除或改名这个文件" in err
        ordinary(err)


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc")
def test_a_folder_that_cannot_hold_a_site_is_told(project, capsys):
    assert cli.main(["--root", str(project), "build", "--engine", "native", "--date", DATE,
                     "--site-dir", "/proc/site"]) == 1
    err = capsys.readouterr().err
    assert "/proc 不能存放站点" in err and "找不到 /proc/.site.lock" not in err
    ordinary(err)


def test_a_missing_file_elsewhere_is_still_not_found(project, capsys):
    """ENOENT away from the site's folder keeps its own message."""
    said = cli._os_message(FileNotFoundError(errno.ENOENT, "x", "/tmp/示例/缺少.txt"),
                           None, project / "site")
    assert said.startswith("找不到 /tmp/示例/缺少.txt")


@pytest.fixture
def fresh_choice(monkeypatch):
    """The cache folder chosen again, as if the program had just started."""
    monkeypatch.setattr(cache, "_CHOICES", {})


def test_a_key_that_cannot_be_written_says_so_not_untrusted(tmp_path, monkeypatch, fresh_choice):
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))

    def refused(path):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(path))

    monkeypatch.setattr(cache, "_load_key", refused)
    note = cache.cache_note() or ""
    assert "不可信" not in note
    assert "缓存密钥无法保存到" in note and "没有写入权限" in note
    assert "XDG_STATE_HOME" in note
    assert cache.cache_setting() == ("XDG_STATE_HOME", "XDG_STATE_HOME")  # where it points


def test_a_state_folder_blocked_by_a_file_is_told(tmp_path, monkeypatch, fresh_choice):
    (tmp_path / "state").write_text("示例\n", encoding="utf-8")
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    note = cache.cache_note() or ""
    assert "缓存密钥无法保存到" in note and "挡住了文件夹" in note and "不可信" not in note
    # with XDG_STATE_HOME unset, at the key file under the home folder
    monkeypatch.delenv("XDG_STATE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / ".local").write_text("示例\n", encoding="utf-8")
    note = cache.cache_note() or ""
    assert "缓存密钥无法保存到" in note and "挡住了文件夹" in note
    key_file = str(tmp_path / "home" / ".local" / "state" / "site-builder" / "cache.key")
    assert cache.cache_setting() == (key_file, "XDG_STATE_HOME")


def test_a_usable_state_folder_gives_no_note(tmp_path, monkeypatch, fresh_choice):
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    assert cache.cache_note() is None
    assert cache.cache_dir() == Path(os.path.realpath(tmp_path / "cache"))


@pytest.mark.parametrize("kind", ["folder", "device"])
def test_a_chosen_font_that_is_no_file_is_not_said_missing(tmp_path, monkeypatch, kind):
    chosen = tmp_path if kind == "folder" else Path(os.devnull)
    monkeypatch.setenv(share.FONT_ENV, str(chosen))
    said = share.chosen_font_problem() or ""
    assert "不是字体文件" in said and "不存在" not in said, said
    assert ("一个文件夹" if kind == "folder" else "特殊文件") in said


def test_a_chosen_font_that_is_missing_is_still_said_missing(tmp_path, monkeypatch):
    monkeypatch.setenv(share.FONT_ENV, str(tmp_path / "示例字体.ttc"))
    assert "不存在" in (share.chosen_font_problem() or "")


# -- 9: the cache's git check fails closed -----------------------------------------------------------

needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="needs git")


@needs_git
def test_a_cache_in_a_repository_git_cannot_list_is_not_used(tmp_path, monkeypatch,
                                                                fresh_choice):
    """A `.git` above the folder that git refuses (here a broken gitdir link; on a runner, a
    repository owned by another user: "dubious ownership") makes the folder untrusted."""
    repo = tmp_path / "repo"
    (repo / "cache").mkdir(parents=True)
    (repo / ".git").write_text("gitdir: /nonexistent/示例\n", encoding="utf-8")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(repo / "cache"))
    note = cache.cache_note() or ""
    assert "不可信" in note and f"Git 仓库 {repo} 之内" in note and "无法用 Git 确认" in note
    assert not cache.cache_dir().is_relative_to(repo)


@needs_git
@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0,
                    reason="making a repository of another user needs root")
def test_a_cache_in_another_users_repository_is_not_used(tmp_path, monkeypatch, fresh_choice):
    repo = tmp_path / "theirs"
    (repo / "cache").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    for place in (repo, repo / ".git", repo / "cache"):
        os.chown(place, 54321, 54321)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(repo / "cache"))
    monkeypatch.delenv("GIT_CONFIG_GLOBAL", raising=False)
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))  # no safe.directory of the tester's
    listed = subprocess.run(["git", "-C", str(repo / "cache"), "ls-files"], capture_output=True,
                            check=False)
    if listed.returncode == 0:
        pytest.skip("this git does not check a repository's owner")
    assert "不可信" in (cache.cache_note() or "")
    assert not cache.cache_dir().is_relative_to(repo)


@needs_git
def test_a_cache_in_a_repository_that_tracks_nothing_there_is_used(tmp_path, monkeypatch,
                                                                    fresh_choice):
    repo = tmp_path / "repo"
    (repo / "cache").mkdir(parents=True)
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(repo / "cache"))
    assert cache.cache_note() is None
    assert cache.cache_dir() == Path(os.path.realpath(repo / "cache"))
