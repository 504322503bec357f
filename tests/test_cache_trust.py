"""The cache folder is derived data that whoever can write it controls: a link planted at the
name a build looks up is never followed, a forged entry (another picture, another story, a
check's "nothing found") is never taken for the build's own, and a cache folder a commit can
write into (inside the project, or tracked by git) is not read at all."""

from __future__ import annotations

import datetime as dt
import io
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image
from sitecopy import FIXTURES, copy_demo, tree

from site_builder import cache
from site_builder.build import build_site
from site_builder.cache import CHECKED_PAGES, DECODED_IMAGES, STORY_HTML, cache_note, versioned
from site_builder.render import images
from site_builder.render.share_image import find_cjk_font
from site_builder.validate import story

DATE = dt.date(2026, 12, 1)
SECRET = "SECRET-示例"
BRAND = "shili-bailu-dianshang"  # the demo's fictional brand: logo.png (320 px), cover.jpg
OWN_STORY = "把山货卖到全国"  # a phrase of that record's own story
RESIDENT_ID = "11010519491231002X"  # the standard's own example, not a person's
PLAIN = FIXTURES / "plain"  # two brands, no images


@pytest.fixture
def setup(tmp_path, monkeypatch):
    """A demo copy, a cache folder and a state folder (the key) of the test's own, outside
    the project, and a secret file a build can read."""
    root = copy_demo(tmp_path / "project")
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    secret = tmp_path / "deploy-key"
    secret.write_text(SECRET, encoding="utf-8")
    return root, tmp_path / "cache", secret


def _build(root: Path, out: Path, monkeypatch, strict: bool = False):
    monkeypatch.setattr(story, "_SAFE_HTML", {})  # what this process remembers: from the cache
    result = build_site(root, out, strict=strict, build_date=DATE)
    return result


def _variant(root: Path, name: str, width: int, ext: str) -> Path:
    """The cache's file for a variant of the brand's image: named by the source's hash, a name
    anyone can work out."""
    data = (root / "brands" / BRAND / name).read_bytes()
    digest = images.source_digest(data)
    return cache.cache_dir() / f"{digest}-{width}.{ext}"


def _secret_anywhere(site: Path) -> list[str]:
    needle = SECRET.encode()
    return [rel for rel, data in tree(site).items() if needle in data]


def _pixels(path: Path) -> bytes:
    with Image.open(path) as im:
        return im.convert("RGBA").tobytes()


def test_planted_links_and_forged_entries_are_never_published(setup, tmp_path, monkeypatch):
    root, folder, secret = setup
    first = _build(root, tmp_path / "first", monkeypatch)
    assert first.ok, first.problems
    assert cache.cache_dir() == Path(os.path.realpath(folder)) and cache_note() is None

    # A link to the secret at the exact name of the logo's variant; another picture of the
    # same format and size in place of the cover's largest variant (its seal left as it was).
    logo = _variant(root, "logo.png", 320, "webp")
    cover = _variant(root, "cover.jpg", 1280, "webp")
    assert logo.is_file() and cover.is_file()
    logo.unlink()
    logo.symlink_to(secret)
    buf = io.BytesIO()
    Image.new("RGB", (1280, 720), (200, 0, 0)).save(buf, "WEBP")
    cover.unlink()  # (the first site holds a hard link to the old file)
    cover.write_bytes(buf.getvalue())
    # The share images' folder a link to a folder of the attacker's, same names, the secret.
    if find_cjk_font() is not None:
        shares = folder / "share"
        theirs = tmp_path / "theirs"
        theirs.mkdir()
        for p in shares.iterdir():
            (theirs / p.name).write_text(SECRET, encoding="utf-8")
        os.rename(shares, tmp_path / "share-was")
        shares.symlink_to(theirs, target_is_directory=True)
    # Every kept story: one a link to the secret, the others other text (bare, and under a
    # line that looks like a seal); every decode mark a link.
    kept = sorted(p for p in versioned(STORY_HTML).rglob("*") if p.is_file())
    assert kept
    for i, p in enumerate(kept):
        p.unlink()
        if i == 0:
            p.symlink_to(secret)
        else:
            p.write_bytes(("0" * 64 + "\n" if i % 2 else "").encode()
                          + "<p>伪造的故事：示例</p>".encode())
    for p in [p for p in versioned(DECODED_IMAGES).rglob("*") if p.is_file()]:
        p.unlink()
        p.symlink_to(secret)

    second = _build(root, tmp_path / "second", monkeypatch)
    assert second.ok, second.problems
    site = tmp_path / "second"
    assert _secret_anywhere(site) == []
    assert secret.read_text(encoding="utf-8") == SECRET  # the link's target is left alone
    page = (site / "brands" / BRAND / "index.html").read_text(encoding="utf-8")
    assert OWN_STORY in page and "伪造" not in page
    fresh = tmp_path / "first"
    for name in ("cover-1280.webp", "logo-320.webp", "share.jpg"):
        if (fresh / "brands" / BRAND / name).exists():
            assert _pixels(site / "brands" / BRAND / name) == _pixels(fresh / "brands" / BRAND / name)
    assert tree(site) == tree(fresh)  # the build with nothing hostile, byte for byte
    # what stood at the cache's names is now the build's own again
    assert not logo.is_symlink() and not (folder / "share").is_symlink()


def test_a_special_file_at_an_entry_is_a_miss_and_never_blocks(setup, tmp_path, monkeypatch):
    root, _, _ = setup
    assert _build(root, tmp_path / "first", monkeypatch).ok
    logo = _variant(root, "logo.png", 320, "webp")
    logo.unlink()
    os.mkfifo(logo)  # a reader that opened it plainly would wait for ever
    assert not images.sealed_file(logo)
    assert not logo.exists()  # removed: not a regular file
    assert _build(root, tmp_path / "second", monkeypatch).ok
    assert tree(tmp_path / "second") == tree(tmp_path / "first")


def test_a_kept_check_cannot_hide_a_personal_number(setup, tmp_path):
    """The checks' memo says "nothing found in this file": one planted under the name a build
    looks up (bare, under a false seal, or a link) never hides the resident ID number."""
    from site_builder.verify import verify_site

    _, _, secret = setup
    site = tmp_path / "site"
    site.mkdir()
    (site / "index.html").write_text(
        f"<!doctype html><html lang=\"zh\"><head><title>示例</title></head><body><p>联系人证件"
        f"{RESIDENT_ID}</p></body></html>", encoding="utf-8")
    memo = versioned(CHECKED_PAGES)

    def findings():
        return [d.code for d in verify_site(site, None, "site", "pagefind", lambda: None, (), memo)]

    assert "P101" in findings()
    entries = sorted(p for p in memo.rglob("*") if p.is_file())
    assert entries
    assert "P101" in findings()  # kept, and read back: still found
    clean = b'{"page": {"title": "x", "ids": [], "refs": [], "css": [], "scripts": [], "meta": {}}, ' \
            b'"findings": []}'
    for forged in (clean, b"0" * 64 + b"\n" + clean, None):
        for p in entries:
            p.unlink(missing_ok=True)
            if forged is None:
                p.symlink_to(secret)
            else:
                p.write_bytes(forged)
        assert "P101" in findings(), forged
    assert secret.read_text(encoding="utf-8") == SECRET


def test_the_key_is_private_and_outside_the_cache(setup, tmp_path):
    _, folder, _ = setup
    cache.cache_dir()
    key = tmp_path / "state" / "site-builder" / "cache.key"
    assert key.is_file() and key.stat().st_mode & 0o777 == 0o600
    assert not key.resolve().is_relative_to(folder.resolve())


def test_a_cache_folder_inside_the_project_is_never_read(tmp_path, monkeypatch):
    """SITE_BUILDER_CACHE inside the checkout (where a pull request commits files): the build
    warns in Chinese, says how to fix it, uses a private cache, and reads nothing there."""
    root = copy_demo(tmp_path / "project")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    secret = tmp_path / "deploy-key"
    secret.write_text(SECRET, encoding="utf-8")
    inside = root / ".cache" / "site-builder"
    data = (root / "brands" / BRAND / "logo.png").read_bytes()
    digest = images.source_digest(data)
    inside.mkdir(parents=True)
    (inside / f"{digest}-320.webp").symlink_to(secret)  # what a pull request would commit
    (inside / f"{digest}-320.png").write_bytes(b"forged")
    listing = sorted(p.name for p in inside.iterdir())
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(inside))

    result = _build(root, tmp_path / "site", monkeypatch)
    assert result.ok, result.problems
    notes = [d for d in result.diagnostics if d.code == "S013"]
    assert len(notes) == 1 and notes[0].severity.value == "warning"
    assert "不可信" in notes[0].message and "SITE_BUILDER_CACHE" in notes[0].message
    assert "项目和 Git 仓库以外" in notes[0].message  # how to fix it
    assert _secret_anywhere(tmp_path / "site") == []
    assert sorted(p.name for p in inside.iterdir()) == listing  # neither read nor written
    private = cache.cache_dir()
    assert not private.is_relative_to(root) and private.stat().st_mode & 0o777 == 0o700
    assert not _build(root, tmp_path / "strict", monkeypatch, strict=True).ok  # strict: refused

    # the realistic set-up: a folder outside the project, no note, the same site
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "outside"))
    assert cache_note() is None
    assert _build(root, tmp_path / "again", monkeypatch).ok
    assert tree(tmp_path / "again") == tree(tmp_path / "site")


def test_a_cache_folder_git_tracks_files_in_is_not_used(tmp_path, monkeypatch):
    repo = tmp_path / "repo"
    (repo / "cache").mkdir(parents=True)
    (repo / "cache" / "planted.webp").write_bytes(b"x")
    git = ["git", "-C", str(repo), "-c", "user.name=示例", "-c", "user.email=a@example.org"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "-f", "cache/planted.webp"], check=True)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(repo / "cache"))
    assert "Git 跟踪" in (cache_note() or "")
    assert not cache.cache_dir().is_relative_to(repo)
    # an untracked folder outside any project is used as it is
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(tmp_path / "plain"))
    assert cache_note() is None and cache.cache_dir() == Path(os.path.realpath(tmp_path / "plain"))


def test_a_new_users_cache_folder_is_made_with_the_folders_above_it(tmp_path, monkeypatch):
    """A new machine: no ~/.cache/site-builder, not even ~/.cache. The first build makes the
    whole path and keeps its images there; the second finds them."""
    home = tmp_path / "home"
    home.mkdir()
    for name in ("SITE_BUILDER_CACHE", "XDG_CACHE_HOME", "XDG_STATE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    root = copy_demo(tmp_path / "project")
    result = _build(root, tmp_path / "site", monkeypatch)
    assert result.ok, result.problems
    assert not [d for d in result.diagnostics if d.code == "S013"] and cache_note() is None
    folder = home / ".cache" / "site-builder" / "images"
    assert cache.cache_dir() == Path(os.path.realpath(folder))
    kept = _variant(root, "cover.jpg", 1280, "webp")
    assert kept.is_relative_to(folder.resolve()) and kept.is_file()
    assert (home / ".local" / "state" / "site-builder" / "cache.key").is_file()
    stamp = kept.stat().st_mtime_ns
    assert _build(root, tmp_path / "again", monkeypatch).ok
    assert kept.stat().st_mtime_ns == stamp  # found, not made again
    assert tree(tmp_path / "again") == tree(tmp_path / "site")


def test_a_file_where_the_cache_folder_belongs_is_kept_and_a_private_cache_used(tmp_path,
                                                                               monkeypatch):
    """SITE_BUILDER_CACHE names a file of the user's (or a file stands on its path): the file
    is neither removed nor written; the build says why in Chinese and uses a private cache."""
    root = tmp_path / "project"
    shutil.copytree(PLAIN, root)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    own = tmp_path / "notes.txt"
    own.write_text("用户自己的文件", encoding="utf-8")
    for n, configured in enumerate((own, own / "site-builder")):
        cache._CHOICES.clear()
        monkeypatch.setenv("SITE_BUILDER_CACHE", str(configured))
        result = _build(root, tmp_path / f"site{n}", monkeypatch)
        assert result.ok, result.problems
        notes = [d for d in result.diagnostics if d.code == "S013"]
        assert len(notes) == 1 and notes[0].severity.value == "warning"
        assert str(configured) in notes[0].message and "无法建立" in notes[0].message
        assert "同名的文件" in notes[0].message and "SITE_BUILDER_CACHE" in notes[0].message
        assert notes[0].path == "SITE_BUILDER_CACHE"  # the variable the user set
        assert own.read_text(encoding="utf-8") == "用户自己的文件"
        assert not cache.cache_dir().is_relative_to(tmp_path)
    # nothing set: the default folder under the home folder, where a file named .cache stands
    home = tmp_path / "home"
    home.mkdir()
    (home / ".cache").write_text("用户自己的文件", encoding="utf-8")
    for name in ("SITE_BUILDER_CACHE", "XDG_CACHE_HOME"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("HOME", str(home))
    cache._CHOICES.clear()
    result = _build(root, tmp_path / "site-home", monkeypatch)
    assert result.ok, result.problems
    notes = [d for d in result.diagnostics if d.code == "S013"]
    assert len(notes) == 1 and "同名的文件" in notes[0].message
    assert notes[0].path == str(home / ".cache" / "site-builder" / "images")  # not the variable
    assert notes[0].field == "SITE_BUILDER_CACHE"  # what the message says to set
    assert (home / ".cache").read_text(encoding="utf-8") == "用户自己的文件"


def test_a_new_cache_folder_is_judged_as_the_next_build_will_judge_it(tmp_path, monkeypatch):
    """A cache folder that does not exist yet, several folders deep in a repository Git cannot
    vouch for (here a broken .git): the first build made it and trusted it before Git was ever
    asked; now it is asked once the folder exists, and every build refuses it alike."""
    repo = tmp_path / "repo"
    repo.mkdir()
    (repo / ".git").write_text("gitdir: /no/such/place\n", encoding="utf-8")
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setenv("SITE_BUILDER_CACHE", str(repo / "deep" / "er" / "cache"))
    notes = []
    for _ in range(2):
        cache._CHOICES.clear()
        notes.append(cache_note() or "")
        assert not cache.cache_dir().is_relative_to(repo)
    assert all("Git 仓库" in note for note in notes), notes
