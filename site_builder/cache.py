"""The cache folder kept between builds, outside the repository: image variants and each site's
record of them (render/images.py `ImageFiles`), what the checks found in each file of a site
(verify/memo.py), the images validation decoded in full, the pages' conversions and the pages
made (render/site.py, render/kept.py) and the search index of the last pages indexed
(engines/pagefind.py). What
is kept is named by content and by this program's own version; deleting the folder at any time
only makes the next build slower.

The cache is derived data that whoever can write the folder controls, so nothing in it is
trusted as it lies (see `cache_dir` for where it may be, `read_entry` for how it is read):

- A folder inside a project (a folder holding settings.yml: a pull request can commit files
  there) or one holding files git tracks is never read nor written: the build uses a private
  folder under the system's temporary folder instead and says why (`cache_note`).
- Nothing is read through a link, nor from anything but a regular file; a folder of the cache
  that is a link is not used; an entry that is a link or a special file is a miss (and removed).
- Every entry is named and sealed with a secret key (HMAC-SHA256) kept outside the cache
  folder, in the user's state folder (`$XDG_STATE_HOME/site-builder/cache.key`, made once
  with O_EXCL and mode 0600; one key for every cache folder of the user, so that trying other
  cache folders leaves no trail of keys behind). A key inside the cache folder would be
  written by the same hand that writes the entries, and would prove nothing. A file planted
  under a name the build looks up, or an entry's bytes replaced (a photo swapped for another
  of the same size, a story's HTML, a check's "nothing found"), fails its seal and is made
  again; checking the seal costs one read and one hash, much less than making the entry again.
  Whoever keeps the cache between CI runs keeps the key folder too, and only from runs whose
  code and inputs are trusted (the default branch's).
"""

from __future__ import annotations

import atexit
import hashlib
import hmac
import importlib.metadata
import itertools
import json
import os
import posixpath
import shutil
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import PIL
from PIL import features

_PACKAGE = Path(__file__).resolve().parent

CHECKED_PAGES = "checked-pages"  # verify/memo.py
DECODED_IMAGES = "decoded-images"  # validate/images.py
STORY_HTML = "story-html"  # validate/story.py: a story as safe HTML
CONVERTED_PAGES = "converted-pages"  # render/site.py: a page's Markdown as HTML
SEARCH_INDEX = "search-index"  # engines/pagefind.py: the Pagefind bundle of identical pages
RENDERED_PAGES = "rendered-pages"  # render/kept.py: a page's Markdown as render_site made it
LAID_OUT_PAGES = "laid-out-pages"  # render/kept.py: a page's HTML as the native engine laid it out
IMAGE_FILES = "image-files"  # render/images.py: what each cached image file of a site holds
KEPT = (CHECKED_PAGES, DECODED_IMAGES, STORY_HTML, CONVERTED_PAGES, SEARCH_INDEX, RENDERED_PAGES,
        LAID_OUT_PAGES, IMAGE_FILES)  # what a build prunes
# The kinds whose entries are named by a project's folder or a site's address, with how many
# entries a project has of each (the checks' memo: the pages', the search index's and the links'
# of a site), each holding every page (20–50 MB at 1,000 brands): a cache shared by many
# checkouts (a runner that builds in a new temporary folder each time) would keep a set for
# each. A build deletes all but the newest entries of `KEPT_PROJECTS` projects of each kind,
# never one written or read in the last `KEPT_IDLE_S` seconds (`prune_entries`; a read marks an
# entry used: `mark_used`).
PER_PROJECT = {CHECKED_PAGES: 3, CONVERTED_PAGES: 1, RENDERED_PAGES: 1, LAID_OUT_PAGES: 1,
               IMAGE_FILES: 1}
KEPT_PROJECTS, KEPT_IDLE_S = 8, 24 * 3600

# The libraries whose output is kept: Markdown and the sanitiser write a story's HTML, MkDocs
# (and its Markdown extensions) a page's.
_LIBRARIES = ("Markdown", "nh3", "mkdocs", "mkdocs-material", "Jinja2", "pymdown-extensions")

CACHE_ENV = "SITE_BUILDER_CACHE"
PROJECT_MARKER = "settings.yml"  # what makes a folder a project (model.SETTINGS_FILE)
SEAL_SUFFIX = ".mac"  # beside a cached file: its seal (`write_sealed`)
_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
_NONBLOCK = getattr(os, "O_NONBLOCK", 0)  # a FIFO planted as an entry must not block the build
_BINARY = getattr(os, "O_BINARY", 0)


@dataclass(frozen=True)
class _Choice:
    folder: Path  # the cache folder this process reads and writes
    key: bytes  # the secret that names and seals its entries
    note: str | None = None  # why the configured folder is not used, for whoever builds
    # where the note points (a location and the setting that fixes it): the variable the user
    # set, else the default folder or key file itself
    where: tuple[str, str] = (CACHE_ENV, CACHE_ENV)


_CHOICES: dict[tuple[str, str], _Choice] = {}
_CHOOSING = threading.Lock()


def _configured() -> Path:
    explicit = os.environ.get(CACHE_ENV)
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "site-builder" / "images"


def _state_dir() -> Path:
    base = os.environ.get("XDG_STATE_HOME") or os.path.join(os.path.expanduser("~"), ".local",
                                                            "state")
    return Path(base) / "site-builder"


# The variables expanduser("~") reads (without them: the user's entry, which does not change).
_HOME = ("USERPROFILE", "HOMEDRIVE", "HOMEPATH") if os.name == "nt" else ("HOME",)


def _read_environment() -> tuple:
    """The variables `_configured` and `_state_dir` read, each as it is now (None: unset),
    and no other: those two are made of these alone."""
    environ = os.environ
    explicit = environ.get(CACHE_ENV)
    cache_home = None if explicit else environ.get("XDG_CACHE_HOME")
    state_home = environ.get("XDG_STATE_HOME")
    home = tuple(map(environ.get, _HOME)) if not (explicit or cache_home) or not state_home \
        else None
    return "environment", explicit, cache_home, state_home, home


def _choice() -> _Choice:
    # Asked for every entry: the choice is found again by the variables it was made from,
    # without building its paths again (kept in _CHOICES too, so that emptying it starts over).
    seen = _read_environment()
    chosen = _CHOICES.get(seen)
    if chosen is not None:
        return chosen
    configured, state = _configured(), _state_dir()
    key = (str(configured), str(state))
    chosen = _CHOICES.get(key)
    if chosen is None:
        with _CHOOSING:
            chosen = _CHOICES.get(key)
            if chosen is None:
                chosen = _CHOICES[key] = _choose(configured, state)
    _CHOICES[seen] = chosen
    return chosen


def cache_dir() -> Path:
    """The cache folder: SITE_BUILDER_CACHE, else the user's cache folder, as long as no pull
    request can put files into it (see the module's docstring); else a private folder of this
    run under the system's temporary folder, deleted when the program ends."""
    return _choice().folder


def cache_note() -> str | None:
    """Why the configured cache folder is not used (Chinese, with how to fix it), or None."""
    return _choice().note


def cache_setting() -> tuple[str, str]:
    """Where a note about the cache folder points: its location and the setting that fixes it
    (SITE_BUILDER_CACHE, or XDG_STATE_HOME for the key). The location is the variable when the
    user set it, else the default folder or key file itself (the user set nothing)."""
    return _choice().where


def _choose(configured: Path, state: Path) -> _Choice:
    real = Path(os.path.realpath(configured))  # where it is, whatever links lead to it
    key_file = state / "cache.key"
    folder_at = (CACHE_ENV if os.environ.get(CACHE_ENV) else str(configured), CACHE_ENV)
    key_at = ("XDG_STATE_HOME" if os.environ.get("XDG_STATE_HOME") else str(key_file),
              "XDG_STATE_HOME")
    problem = (_untrusted(real, "缓存文件夹")
               or _untrusted(Path(os.path.realpath(state)), "缓存密钥所在的文件夹"))
    if problem is None and not real.is_dir():
        try:  # a new user's first build: no ~/.cache/site-builder yet, perhaps no ~/.cache
            real.mkdir(parents=True, exist_ok=True)
        except OSError as e:
            return _private(f"缓存文件夹 {configured} 无法建立（{_why_unwritable(e)}）。本次构建改用临时缓存"
                            f"（构建会慢一些）；提示：确认当前用户可以建立这个文件夹、路径上没有同名的文件挡住它，"
                            f"或把环境变量 {CACHE_ENV} 设为当前用户可以写入的文件夹", folder_at)
        # asked again now that it exists: Git is asked about a folder only where there is one
        problem = _untrusted(real, "缓存文件夹")
    if problem is None:
        try:
            return _Choice(real, _load_key(key_file))
        except OSError as e:
            return _private(f"缓存文件夹 {configured} 本身没有问题，但缓存密钥无法保存到 {key_file}"
                            f"（{_why_unwritable(e)}）。本次构建没有使用它，改用临时缓存（构建会慢一些）；"
                            f"提示：给当前用户 {state} 的写入权限，或把环境变量 XDG_STATE_HOME 设为"
                            "当前用户可以写入的文件夹", key_at)
    return _private(
        f"缓存文件夹 {configured} 不可信：{problem}。本次构建没有读取它，改用临时缓存（构建会慢一些）；"
        f"提示：把环境变量 {CACHE_ENV} 设为项目和 Git 仓库以外的文件夹（例如 "
        "~/.cache/site-builder/images 或 CI 的 $RUNNER_TEMP/site-builder），并且只在主分支的运行中"
        "保存这个缓存", folder_at)


def _private(note: str, where: tuple[str, str]) -> _Choice:
    """A private cache of this run under the system's temporary folder, with why and where."""
    private = Path(os.path.realpath(tempfile.mkdtemp(prefix="site-builder-cache-")))  # 0700
    atexit.register(shutil.rmtree, private, True)
    return _Choice(private, os.urandom(32), note, where)


def _why_unwritable(e: OSError) -> str:
    """Why the cache folder could not be made or the key kept, in Chinese: the folder's
    permissions, a read-only or full disk, a file in the way, or a key file that is not the
    user's own."""
    import errno

    said = {errno.EACCES: "没有写入权限", errno.EPERM: "没有写入权限",
            errno.EROFS: "所在的文件系统是只读的", errno.ENOSPC: "磁盘空间不足",
            errno.ENOTDIR: "路径中有同名的文件挡住了文件夹", errno.EEXIST: "路径中有同名的文件挡住了文件夹"}
    if e.errno in said:
        return said[e.errno]
    if e.errno is None:  # _load_key gave up: the key file keeps being unusable
        return "已有的密钥文件无法使用：它可能属于其他用户，或其他用户可以读写它"
    return f"{type(e).__name__}：{e.strerror or e}"


def _untrusted(folder: Path, what: str) -> str | None:
    """Why files in `folder` may come from a commit, or None: it lies in a project (a folder
    holding settings.yml, as a checkout does) or git tracks files in it."""
    for above in (folder, *folder.parents):
        if (above / PROJECT_MARKER).is_file():
            return f"{what}在项目文件夹 {above} 之内，拉取请求可以提交其中的文件"
    if not folder.is_dir():
        return None
    repo = next((above for above in (folder, *folder.parents)
                 if os.path.lexists(above / ".git")), None)
    unsure = (f"{what}在 Git 仓库 {repo} 之内，但无法用 Git 确认其中没有跟踪的文件"
              if repo is not None else None)
    git = shutil.which("git")
    if git is None:
        return unsure
    try:
        listed = subprocess.run([git, "-C", str(folder), "ls-files", "-z", "--", "."],
                                capture_output=True, timeout=30, check=False,
                                env={**os.environ, "LC_ALL": "C"})
    except (OSError, subprocess.SubprocessError):
        return unsure
    if listed.returncode == 0:
        return f"{what}中有 Git 跟踪的文件，提交可以改动它们" if listed.stdout else None
    # git failed: only "not a git repository" (with no .git above) shows there is none; any other
    # failure (a repository owned by another user: "dubious ownership") must not let it pass
    error = listed.stderr.decode("utf-8", "replace").strip().splitlines()
    if repo is None and any("not a git repository" in line for line in error):
        return None
    reason = error[-1] if error else f"git 退出码 {listed.returncode}"
    return (unsure or f"{what}可能在 Git 仓库之内，但无法用 Git 确认其中没有跟踪的文件") + \
        f"（{reason}）"


def _load_key(path: Path) -> bytes:
    """The secret of one cache folder, made once: written to a private file of its own, then
    given its name by a hard link, which fails when another process made the key first."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    for _ in range(3):
        key = _read_key(path)
        if key is not None:
            return key
        if os.path.lexists(path):  # a link, a special or foreign file, a wrong length
            os.unlink(path)
        tmp = path.with_name(f".{path.name}.{os.getpid()}-{threading.get_ident()}.tmp")
        if os.path.lexists(tmp):
            os.unlink(tmp)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o600)
        try:
            os.write(fd, os.urandom(32).hex().encode())
        finally:
            os.close(fd)
        try:
            os.link(tmp, path)
        except FileExistsError:
            pass  # another build made it first: theirs is read again
        finally:
            os.unlink(tmp)
    raise PermissionError("no usable key")


def _read_key(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_mode & 0o077 or (
                hasattr(os, "getuid") and st.st_uid != os.getuid()):
            return None  # a key others can read or write is no secret
        text = os.read(fd, 65)
    finally:
        os.close(fd)
    try:
        key = bytes.fromhex(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError):
        return None
    return key if len(key) == 32 else None


def _below_root(folder: Path) -> list[Path] | None:
    """The folders from the cache folder down to `folder` (itself included), or None when
    `folder` is not in the cache folder."""
    root = cache_dir()
    try:
        rel = Path(folder).relative_to(root)
    except ValueError:
        return None
    chain = [root]
    for part in rel.parts:
        chain.append(chain[-1] / part)
    return chain


# The chain of folders to look at for a path (`_below_root` of it, or of its parent), as
# strings, by the cache folder and the path: a build asks for the same few folders thousands of
# times. Only the names are kept; every folder is looked at (lstat) again on every call.
_CHAINS: dict[tuple[str, str, bool], tuple[str, ...]] = {}


def _chain(path, parent: bool) -> tuple[str, ...]:
    path = os.fspath(path)
    if parent and os.sep == "/" and path.startswith("/") and posixpath.normpath(path) == path:
        path, parent = posixpath.dirname(path), False  # its parent, as Path(path).parent is
    key = (str(cache_dir()), path, parent)
    chain = _CHAINS.get(key)
    if chain is None:
        folders = _below_root(Path(path).parent if parent else path)
        chain = tuple(map(str, folders or ()))
        if len(_CHAINS) > 100_000:
            _CHAINS.clear()
        _CHAINS[key] = chain
    return chain


def _all_folders(chain: tuple[str, ...]) -> bool:
    for p in chain:
        try:
            if not stat.S_ISDIR(os.lstat(p).st_mode):
                return False
        except OSError:
            return False
    return True


def _real_folders(folder: Path) -> bool:
    """Whether every folder from the cache folder down to `folder` is a real folder, none a
    link (a folder of the cache that is a link is not used)."""
    return _all_folders(_chain(folder, False))


def _make_folders(folder: Path) -> None:
    """Make `folder` in the cache folder; a link or file standing where a folder belongs is
    removed (the link alone, never what it leads to)."""
    chain = _below_root(folder)
    if chain is None:
        Path(folder).mkdir(parents=True, exist_ok=True)
        return
    for p in chain:
        try:
            mode = os.lstat(p).st_mode
        except FileNotFoundError:
            mode = None
        if mode is not None and not stat.S_ISDIR(mode):
            try:
                os.unlink(p)
            except FileNotFoundError:  # another thread removed it first
                pass
            mode = None
        if mode is None:
            try:
                if p is chain[0]:  # the cache folder itself, removed since `_choose` made it
                    os.makedirs(p, exist_ok=True)
                else:
                    os.mkdir(p)
            except FileExistsError:  # another build, at the same moment
                if not stat.S_ISDIR(os.lstat(p).st_mode):
                    raise


def _discard(path: Path) -> None:
    """Remove what stands at an entry's name and is not a regular file (a link: the link alone)."""
    try:
        if stat.S_ISDIR(os.lstat(path).st_mode):
            shutil.rmtree(path, ignore_errors=True)
        else:
            os.unlink(path)
    except OSError:
        pass


def is_entry(path: Path) -> bool:
    """Whether `path` is a regular file of the cache, reached through real folders only."""
    if not _all_folders(_chain(path, True)):
        return False
    try:
        mode = os.lstat(path).st_mode
    except OSError:
        return False
    if not stat.S_ISREG(mode):
        _discard(path)
        return False
    return True


def _open_entry(path, folders_checked: bool = False) -> tuple[int, os.stat_result] | None:
    """The cache file at `path` opened for reading, with what it is, or None: never through a
    link (the file's or a folder's), never a special file (a FIFO, a device); what stands
    there instead is removed."""
    if not folders_checked and not _all_folders(_chain(path, True)):
        return None
    try:
        fd = os.open(path, os.O_RDONLY | _NOFOLLOW | _NONBLOCK | _BINARY)
    except FileNotFoundError:
        return None
    except OSError:  # ELOOP: a link
        _discard(path)
        return None
    st = os.fstat(fd)
    if not stat.S_ISREG(st.st_mode):
        os.close(fd)
        _discard(path)
        return None
    return fd, st


def read_entry(path: Path) -> bytes | None:
    """The bytes of a cache file, or None (`_open_entry`)."""
    opened = _open_entry(path)
    if opened is None:
        return None
    with os.fdopen(opened[0], "rb") as f:
        return f.read()


def real_folders(folder) -> bool:
    """Whether every folder from the cache folder down to `folder` is a real folder, none a
    link: what `entry_identity` and `read_identified` check unless told it was checked."""
    return _real_folders(Path(folder))


def entry_identity(path, folders_checked: bool = False) -> tuple | None:
    """The identity (`_identity`) of the regular file at `path` in the cache, reached through
    real folders only (`real_folders`), or None: one look, nothing read."""
    if not folders_checked and not _all_folders(_chain(path, True)):
        return None
    try:
        st = os.lstat(path)
    except OSError:
        return None
    return _identity(st) if stat.S_ISREG(st.st_mode) else None


def read_identified(path, folders_checked: bool = False) -> tuple[bytes, tuple | None] | None:
    """`read_entry`, with the identity of the file its bytes were read from: None when the
    file changed while it was read (its identity before and after differ)."""
    opened = _open_entry(path, folders_checked)
    if opened is None:
        return None
    fd, before = opened
    try:
        chunks = [os.read(fd, before.st_size + 1)]  # all of it, then the end
        while chunks[-1]:
            chunks.append(os.read(fd, 1 << 20))
        same = _identity(before) == _identity(os.fstat(fd))
    finally:
        os.close(fd)
    return b"".join(chunks), _identity(before) if same else None


def write_atomic(target: Path, data: bytes | Iterable[bytes]) -> None:
    """Write a cache file so that no reader (another build, another thread) sees half of it;
    never through a link: the folders are real ones, the file is new and then renamed. `data`:
    its bytes, or the parts of them, written one after the other (never joined in memory)."""
    target = Path(target)
    _make_folders(target.parent)
    tmp = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    for attempt in range(2):
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _NOFOLLOW | _BINARY, 0o666)
            break
        except FileExistsError:  # left by a crash, or planted: the name alone is removed
            if attempt:
                raise
            _discard(tmp)
    try:
        with os.fdopen(fd, "wb") as f:
            if isinstance(data, bytes | bytearray | memoryview):
                f.write(data)
            else:
                f.writelines(data)
        os.replace(tmp, target)  # a link at `target` is replaced, not followed
    except BaseException:
        _discard(tmp)
        raise


# What a cached file was when its seal was last checked or written: a file that is still the
# same one (device, inode, size, modification and change times: the change time cannot be set
# back) is not read again in this process. A link made to it changes its change time.
_SEALED: dict[str, tuple] = {}


def _identity(st: os.stat_result) -> tuple:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns


def _mac(kind: bytes, name: str, data: bytes) -> str:
    return hmac.new(_choice().key, kind + b"\0" + name.encode("utf-8", "surrogateescape")
                    + b"\0" + data, hashlib.sha256).hexdigest()


def seal(name: str, value: bytes) -> bytes:
    """An entry's value as kept: its seal (keyed by the secret, bound to the entry's name) on
    a first line of its own, then the value."""
    return _mac(b"entry", name, value).encode() + b"\n" + value


def unseal(name: str, kept: bytes | None) -> bytes | None:
    """The value of a kept entry whose seal holds, else None (not written by this program)."""
    if kept is None:
        return None
    mac, sep, value = kept.partition(b"\n")
    if not sep or not hmac.compare_digest(mac, _mac(b"entry", name, value).encode()):
        return None
    return value


def unseal_view(name: str, kept: bytes | None) -> memoryview | None:
    """`unseal`, the value as a view of `kept` (the end of `.obj`): a large value is checked
    without a copy."""
    if kept is None:
        return None
    end = kept.find(b"\n")
    value = memoryview(kept)[end + 1:]
    mac = hmac.new(_choice().key, b"entry\0" + name.encode("utf-8", "surrogateescape") + b"\0",
                   hashlib.sha256)
    mac.update(value)
    if end < 0 or not hmac.compare_digest(kept[:end], mac.hexdigest().encode()):
        return None
    return value


def write_sealed_parts(target: Path, parts_of: Callable[[], Iterable[bytes]]) -> None:
    """`write_atomic(target, seal(target.name, b"".join(parts_of())))` without the join: the
    parts are sealed in a first pass and written in a second (a value holding every page of a
    site is a hundred megabytes, which a joined copy and its sealed copy held twice)."""
    target = Path(target)
    mac = hmac.new(_choice().key, b"entry\0" + target.name.encode("utf-8", "surrogateescape")
                   + b"\0", hashlib.sha256)
    for data in parts_of():
        mac.update(data)
    write_atomic(target, itertools.chain((mac.hexdigest().encode() + b"\n",), parts_of()))


def packed(items: Iterable[tuple[list, bytes]]) -> Iterator[bytes]:
    """Items (their fields, their bytes) as one value's parts: a line of JSON listing each
    item's fields and the length of its bytes, then the bytes one after the other."""
    items = list(items)
    yield json.dumps([[*fields, len(data)] for fields, data in items],
                     ensure_ascii=False).encode("utf-8") + b"\n"
    for _, data in items:
        yield data


def unpacked(value: memoryview | None, fields: int) -> list[tuple[list[str], bytes]] | None:
    """The items `packed` wrote into `value`, each with `fields` text fields; None when it is
    not such a value."""
    if value is None:
        return None
    start = len(value.obj) - len(value)  # a view of the end of what was read (`unseal_view`)
    end = value.obj.find(b"\n", start) - start
    if end < 0:
        return None
    try:
        head = json.loads(bytes(value[:end]))
    except ValueError:
        return None
    if not isinstance(head, list):
        return None
    out, at = [], end + 1
    for row in head:
        if not (isinstance(row, list) and len(row) == fields + 1
                and all(isinstance(f, str) for f in row[:fields])
                and type(row[fields]) is int and row[fields] >= 0):
            return None
        out.append((row[:fields], bytes(value[at:at + row[fields]])))
        at += row[fields]
    return out if at == len(value) else None


def write_sealed(target: Path, data: bytes) -> None:
    """A cached file published as it is (an image): its bytes, and its seal beside it."""
    target = Path(target)
    write_atomic(target, data)
    write_atomic(target.with_name(target.name + SEAL_SUFFIX),
                 _mac(b"file", target.name, data).encode())
    try:
        _SEALED[str(target)] = _identity(os.lstat(target))
    except OSError:
        pass


def known_sealed(name: str) -> bool:
    """Whether the file at `name` (a path as text) is the very file `sealed_file` last found
    sealed: one look at its identity, nothing read (False: ask `sealed_file`)."""
    try:
        st = os.lstat(name)
    except OSError:
        return False
    return _SEALED.get(name) == _identity(st) and stat.S_ISREG(st.st_mode)


def sealed_file(target: Path, check=None) -> bool:
    """Whether `target` is a file this program wrote into the cache (its seal holds) and, when
    `check` is given, `check(bytes)` holds too; anything else is a miss."""
    target = Path(target)
    try:
        st = os.lstat(target)
    except OSError:
        return False
    if _SEALED.get(str(target)) == _identity(st) and stat.S_ISREG(st.st_mode):
        return True
    data = read_entry(target)
    mac = read_entry(target.with_name(target.name + SEAL_SUFFIX))
    if data is None or mac is None or not hmac.compare_digest(
            mac, _mac(b"file", target.name, data).encode()):
        return False
    if check is not None and not check(data):
        return False
    try:
        st = os.lstat(target)
    except OSError:
        return False
    if len(_SEALED) > 200_000:
        _SEALED.clear()
    _SEALED[str(target)] = _identity(st)
    return True


def _fingerprint() -> bytes:
    h = hashlib.sha256(f"{sys.version}\0{PIL.__version__}\0".encode())
    for codec in ("jpg", "zlib", "webp"):  # the libraries Pillow decodes with
        h.update(f"{codec}={features.version(codec)}\0".encode())
    for name in _LIBRARIES:
        try:
            h.update(f"{name}={importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{name}=-\0".encode())
    for p in sorted(_PACKAGE.rglob("*.py")):
        h.update(p.relative_to(_PACKAGE).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.digest()


# Read once, when the program starts: the code that runs, not whatever is on disk later.
_FINGERPRINT = _fingerprint()


def code_fingerprint() -> bytes:
    """This program as it decides what a file holds: every module of the package, Python (whose
    `html.parser` reads the pages), Pillow and its decoders (which read the images), and the
    versions of the libraries that write what is kept (Markdown, the sanitiser, MkDocs)."""
    return _FINGERPRINT


def decoder_fingerprint() -> bytes:
    """What tells whether an image's every pixel decodes, and nothing else: Python, Pillow and
    its decoders, and the checks of validate/images.py. A change to any other file of the
    program (a template's code, a check of the pages) keeps what was decoded before: after an
    upgrade, a new CI runner does not decode every image again."""
    return _DECODER_FINGERPRINT


def _decoder_fingerprint() -> bytes:
    h = hashlib.sha256(f"{sys.version}\0{PIL.__version__}\0".encode())
    for codec in ("jpg", "zlib", "webp"):
        h.update(f"{codec}={features.version(codec)}\0".encode())
    for name in ("validate/images.py", "cache.py"):
        h.update(name.encode() + b"\0" + (_PACKAGE / name).read_bytes() + b"\0")
    return h.digest()


_DECODER_FINGERPRINT = _decoder_fingerprint()
# What each kept folder's entries depend on, when it is less than the whole program.
_NARROW_VERSIONS = {DECODED_IMAGES: decoder_fingerprint}


def _version(name: str) -> bytes:
    narrow = _NARROW_VERSIONS.get(name)
    return code_fingerprint() if narrow is None else narrow()


def versioned(name: str) -> Path:
    """`name` in the cache folder, for this version of what its entries depend on only (the
    whole program, or less: `_NARROW_VERSIONS`)."""
    return cache_dir() / name / _version(name).hex()[:16]


def prune_other_versions(name: str) -> None:
    """Delete what other versions of the program kept under `name`: never read again."""
    here = versioned(name)
    if not _real_folders(here.parent):
        return  # a link: never followed to delete what it leads to (the next write replaces it)
    try:
        others = [p for p in here.parent.iterdir() if p.name != here.name]
    except OSError:
        return
    for p in others:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            try:
                p.unlink(missing_ok=True)
            except OSError:
                pass


def prune_entries(folder: Path, keep: int, idle_s: float = 0, suffix: str = "",
                  besides: Path | None = None) -> None:
    """Delete the entries (files named `*suffix`, in `entry`'s two-digit folders) of `folder`
    but the newest `keep` by when they were written or last used, and any used in the last
    `idle_s` seconds; `besides` (the one just written) is neither counted nor deleted. Every
    folder from the cache folder down is opened without following a link, and the files are
    deleted through the folders opened: a folder swapped for a link meanwhile leads nowhere
    else. Nothing outside the cache folder is ever looked at."""
    spared = (besides.parent.name, besides.name) if besides is not None and \
        besides.parent.parent == Path(folder) else None
    top = _open_below_root(Path(folder))
    if top is None:
        return
    try:
        found = []
        for sub in os.scandir(top):
            for name, st in _files_in(top, sub.name):
                if name.endswith(suffix) and (sub.name, name) != spared:
                    found.append((st.st_mtime_ns, sub.name, name))
        now = time.time_ns()
        doomed: dict[str, list[str]] = {}
        for mtime, sub, name in sorted(found, reverse=True)[keep:]:
            if now - mtime >= idle_s * 1e9:
                doomed.setdefault(sub, []).append(name)
        for sub, names in doomed.items():
            fd = _open_folder(sub, top)
            if fd is None:
                continue
            try:
                for name in names:
                    try:
                        os.unlink(name, dir_fd=fd)
                    except OSError:
                        pass
            finally:
                os.close(fd)
    except OSError:
        pass
    finally:
        os.close(top)


def _open_folder(name: str, dir_fd: int) -> int | None:
    """The folder `name` of the open folder `dir_fd`, opened unless it is a link (or a file,
    or gone): None then."""
    try:
        return os.open(name, os.O_RDONLY | os.O_DIRECTORY | _NOFOLLOW | os.O_CLOEXEC,
                       dir_fd=dir_fd)
    except OSError:
        return None


def _open_below_root(folder: Path) -> int | None:
    """`folder`, in the cache folder, opened one folder at a time from the cache folder down,
    none followed if it is a link (a folder swapped for one meanwhile leads nowhere else); None
    when it is not in the cache folder or cannot be opened so."""
    chain = _below_root(folder)
    if chain is None:
        return None
    try:  # the cache folder, as chosen (`_choose`: a real path)
        fd = os.open(chain[0], os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
    except OSError:
        return None
    for part in chain[1:]:
        below = _open_folder(part.name, fd)
        os.close(fd)
        if below is None:
            return None
        fd = below
    return fd


def _files_in(top: int, sub: str) -> list[tuple[str, os.stat_result]]:
    """The regular files of the folder `sub` of the open folder `top` (none if it is a link)."""
    fd = _open_folder(sub, top)
    if fd is None:
        return []
    out = []
    try:
        for e in os.scandir(fd):
            try:
                st = os.stat(e.name, dir_fd=fd, follow_symlinks=False)
            except OSError:
                continue
            if stat.S_ISREG(st.st_mode):
                out.append((e.name, st))
    except OSError:
        pass
    finally:
        os.close(fd)
    return out


def mark_used(path: Path) -> None:
    """Mark the entry at `path` used now (read, not written again: `prune_entries`)."""
    try:
        os.utime(path, follow_symlinks=False)
    except (OSError, NotImplementedError):
        pass


def entry(folder: Path, *parts: bytes, suffix: str = "") -> Path:
    """The file in `folder` named by the keyed hash (HMAC-SHA256, the cache's secret) of this
    program's version (or of the narrower one `versioned` named the folder by) and every part of a key (each part's length first: no two keys run
    together alike), under a folder named by its first two digits. Without the secret no one
    can tell which name a build will look up."""
    chosen = _choice()
    known = (chosen.key, chosen.folder, os.fspath(folder))
    start = _ENTRY_STARTS.get(known)
    if start is None:
        folder = Path(folder)
        named = folder.parent.name if folder.parent.parent == chosen.folder else None
        start = (folder, named if named in _NARROW_VERSIONS else None, b"", None)
    version = _version(start[1]) if start[1] is not None else code_fingerprint()
    if start[2] != version:  # first asked, or another version since
        start = (start[0], start[1], version, hmac.new(chosen.key, version, hashlib.sha256))
        if len(_ENTRY_STARTS) > 10_000:
            _ENTRY_STARTS.clear()
        _ENTRY_STARTS[known] = start
    h = start[3].copy()
    for part in parts:
        h.update(len(part).to_bytes(8, "big") + part)
    key = h.hexdigest()
    return start[0].joinpath(key[:2], f"{key}{suffix}")


# For `entry`, by the cache's secret and folder and the folder asked for (the same few every
# time): the folder, the kept folder whose narrower version names its entries (or None), that
# version, and the keyed hash of it, before the parts of a key.
_ENTRY_STARTS: dict[tuple[bytes, Path, str], tuple] = {}


class Kept:
    """Text computed from content alone, kept under `versioned(name)`: a value is named by the
    keyed hash of this program's version and every part of its key, so a changed input or
    program is a miss, never a stale value, and sealed (`seal`): a value that cannot be read,
    or whose seal fails (planted, or replaced by other text), is a miss too.

    Why a seal and not the sanitiser again: the sanitiser would make a planted value harmless
    but not the record's own (another story, safely escaped, is still not this brand's)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _file(self, parts: tuple[bytes, ...]) -> Path:
        return entry(versioned(self.name), *parts)

    def get(self, *parts: bytes) -> str | None:
        value = self.get_bytes(*parts)
        try:
            return None if value is None else str(value, "utf-8")
        except UnicodeDecodeError:
            return None

    def get_bytes(self, *parts: bytes) -> memoryview | None:
        """The kept value's bytes, as a view of the entry read (`unseal_view`); an entry of a
        project (`PER_PROJECT`) found is marked used."""
        try:
            path = self._file(parts)
            value = unseal_view(path.name, read_entry(path))
        except OSError:
            return None
        if value is not None and self.name in PER_PROJECT:
            mark_used(path)
        return value

    def put_parts(self, parts_of: Callable[[], Iterable[bytes]], *parts: bytes) -> None:
        """`put` of the bytes `parts_of()` gives, never joined (`write_sealed_parts`)."""
        try:
            write_sealed_parts(self._file(parts), parts_of)
        except (OSError, ValueError):  # (a name no file can hold: UnicodeError)
            pass  # a cache that cannot be written only costs the next build the work

    def put(self, value: str, *parts: bytes) -> None:
        try:
            path = self._file(parts)
            write_atomic(path, seal(path.name, value.encode("utf-8")))
        except (OSError, UnicodeError):
            pass  # a cache that cannot be written only costs the next build the work
