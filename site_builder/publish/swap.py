"""Publishing a checked site: swap the new folder in at once, so readers never see a half site
and a build killed at any instant leaves a whole one (the old or the new) in place."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import re
import secrets
import shutil
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ..model import BRANDS_DIR, DOCS_DIR, EVALUATIONS_DIR
from ..system import libc_function

# The project's own folders: a site is never built into them.
SOURCE_DIRS = (BRANDS_DIR, EVALUATIONS_DIR, DOCS_DIR, "templates", ".git")

AT_FDCWD = -100
RENAME_EXCHANGE = 2  # <linux/fs.h>: swap the two names in one step, both must exist
# The system cannot exchange two names (another kernel, an old C library, a file system
# without it): the two-rename method is used instead.
_NO_EXCHANGE = {errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP}


# renameat2(2) (glibc 2.28 and later), or None where the C library has none
_RENAMEAT2 = libc_function("renameat2", [ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
                                         ctypes.c_char_p, ctypes.c_uint])


def _exchange(a: Path, b: Path) -> bool:
    """Swap the names `a` and `b` in one step (Linux renameat2 with RENAME_EXCHANGE): True when
    done, False when this system cannot; any other failure raises and leaves both as they were."""
    if _RENAMEAT2 is None:
        return False
    if _RENAMEAT2(AT_FDCWD, os.fsencode(a), AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    err = ctypes.get_errno()
    if err in _NO_EXCHANGE:
        return False
    raise OSError(err, os.strerror(err), str(a), None, str(b))


def site_dir_problem(root: Path, site_dir: Path) -> str | None:
    """Why a build must not replace `site_dir` (Chinese, with what to do), or None. A build
    replaces the whole folder: it must not be the project or a folder holding it, a file, or a
    folder of something else (records, pages, any folder with files but no site in it), nor lie
    in a folder a build of another site works in (its spare, `.site.spare`, which that build
    takes and empties). A folder holding a site built before (its home page, index.html) may be
    replaced."""
    root = Path(os.path.realpath(root))
    where = Path(os.path.realpath(site_dir))
    how = "请用 --site-dir 指定一个不存在的文件夹，或以前生成站点的文件夹（例如项目中的 site）"
    if where == root or root.is_relative_to(where):
        return f"站点目录 {site_dir} 是项目文件夹{'本身' if where == root else '或包含项目的文件夹'}，生成时会被整个替换；{how}。"
    if os.path.lexists(where) and not os.path.isdir(where):
        return f"站点目录 {site_dir} 是一个文件，不是文件夹；{how}。"
    if where.is_dir():
        try:
            entries = [e.name for e in os.scandir(where)]
        except OSError as e:
            return f"无法读取站点目录 {site_dir}（{e.strerror}）；{how}。"
        if entries and "index.html" not in entries:
            return (f"站点目录 {site_dir} 已有其他文件（{'、'.join(sorted(entries)[:3])}"
                    f"{' 等' if len(entries) > 3 else ''}），不是以前生成的站点，生成时会被整个替换；"
                    f"{how}。")
    for at in (where, *where.parents):  # another site's spare, or a build's folder under way
        working = _WORKING.fullmatch(at.name)
        if working and os.path.lexists(at.parent / working.group(1)):  # beside that site
            return (f"站点目录 {site_dir} 在 {at} 中：那是生成另一个站点时所用的工作文件夹，"
                    f"下次生成时会被删除或替换；{how}。")
    if where.is_relative_to(root):
        top = where.relative_to(root).parts[0]
        if top in SOURCE_DIRS:
            return (f"站点目录 {site_dir} 在项目的 {top}/ 文件夹中，生成的网页会和档案、页面或模板混在一起；"
                    f"{how}。")
    return None


def swap_in(new: Path, target: Path, remove: bool = True) -> Path | None:
    """Replace `target` with `new` so that at every instant `target` is one whole site.

    The first publish (no `target` yet) is a plain rename. Otherwise the two names are
    exchanged in one step, and the old site, now under `new`'s name, is deleted (a build killed
    before that leaves it behind: the next build deletes it, see `build.remove_stale`). Where
    the system cannot exchange names, `target` is renamed aside to `.<name>.old-<pid>` and `new`
    renamed in its place: between those two renames `target` does not exist for a moment, and
    a build killed just then leaves the old site under that name (the next build, finding no
    site, still publishes a whole new one).

    With `remove=False` the old site is left where the swap put it (under one of those two
    names, which `remove_stale` deletes) and its folder is returned, for `remove_later`."""
    if not os.path.lexists(target):
        os.replace(new, target)
        return None
    if _exchange(new, target):
        if not remove:
            return new
        _remove(new)
        return None
    old = target.with_name(f"{ASIDE.format(target.name)}{os.getpid()}")
    if os.path.lexists(old):
        _remove(old)
    os.replace(target, old)
    try:
        os.replace(new, target)
    except OSError:
        os.replace(old, target)  # put the previous site back rather than leave none
        raise
    if not remove:
        return old
    _remove(old)
    return None


# The deleting process's whole program: nothing imported but the standard library's, from
# neither the project nor the working folder (-I, and the root folder as its working folder).
_REMOVE = "import shutil, sys\nshutil.rmtree(sys.argv[1], ignore_errors=True)\n"
_REMOVING: list[subprocess.Popen] = []  # this process's deleting processes, for `wait_for_removals`


def remove_later(path: Path) -> None:
    """Delete the old site a swap set aside (`swap_in(remove=False)`) in a process of its own
    that may outlive this one: the command ends once the new site is in place, not 2 s later
    (125 MB at 1,000 brands). The folder bears a name only a build gives (`STAGING`, `ASIDE`),
    never the site's: whatever happens to the deleting process, site/ is the new site whole,
    and what a killed one leaves is deleted by the next build (`remove_stale`). A link is
    removed here (never what it leads to); where no process can be started, the folder too."""
    if os.path.islink(path) or not os.path.isdir(path):
        _remove(path)
        return
    try:
        proc = subprocess.Popen([sys.executable, "-I", "-c", _REMOVE, os.fspath(path)],
                                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, cwd="/", start_new_session=True)
    except OSError:
        _remove(path)
        return
    _REMOVING[:] = [p for p in _REMOVING if p.poll() is None]
    _REMOVING.append(proc)


def wait_for_removals(timeout: float | None = None) -> None:
    """Wait for the deleting processes this process started (`remove_later`)."""
    while _REMOVING:
        _REMOVING.pop().wait(timeout)


def _remove(path: Path) -> None:
    """Delete a published site's folder (or the link that stood for it), never what a link
    points to."""
    if os.path.islink(path):
        os.unlink(path)
    else:
        shutil.rmtree(path, ignore_errors=True)


# The folders a build makes beside `site/`: its staging folder, the old site set aside by the
# two-rename method, the lock held while it builds, and the site the last build replaced, kept
# for the next build to be made in (`.gitignore` lists all four).
STAGING, ASIDE, LOCK, SPARE = ".{}.tmp-", ".{}.old-", ".{}.lock", ".{}.spare"
# The folders builds make beside a site (`.site.tmp-…`, `.site.old-…`, `.site.spare`): no site
# is built inside one beside its site (they are renamed, taken and deleted by that site's
# builds). Any case: a file system may not tell `.Site.SPARE` from `.site.spare`.
_WORKING = re.compile(r"\.(.+)\.(?:spare|tmp-[A-Za-z0-9_]+|old-[A-Za-z0-9_]+)",
                      re.IGNORECASE | re.DOTALL)
BUSY = "另一个构建正在进行（正在生成 {}）：请等它结束后再运行。"


def new_staging(target: Path) -> Path:
    """A fresh private folder beside `target` to build the next site in."""
    return Path(tempfile.mkdtemp(prefix=STAGING.format(target.name), dir=target.parent))


def take_spare(target: Path) -> Path | None:
    """The spare beside `target` (the site the last build replaced, `keep_spare`) under a
    staging folder's name, for the next site to be made in with only the files that differ
    written (engines/recycle.py); None when there is none."""
    spare = target.with_name(SPARE.format(target.name))
    staging = target.with_name(f"{STAGING.format(target.name)}{secrets.token_hex(6)}")
    try:
        os.rename(spare, staging)
        st = os.stat(staging, follow_symlinks=False)  # (what was renamed, not what was there)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode):  # never a build's (a link, a file)
        try:
            os.unlink(staging)
        except OSError:
            pass
        return None
    if st.st_uid != os.geteuid():  # another user's (a build run as root once): some of it
        remove_later(staging)  # might not be written over
        return None
    try:  # as private as a new one until it is published, set-group-ID as a new one gets
        parent = os.stat(staging.parent).st_mode & stat.S_ISGID
        os.chmod(staging, 0o700 | parent, follow_symlinks=False)
    except (OSError, NotImplementedError):
        remove_later(staging)
        return None
    return staging


def keep_spare(old: Path, target: Path) -> None:
    """Keep `old` (a site just replaced, or a staging folder not published) as the spare
    beside `target` for the next build to be made in (`take_spare`); when one is there
    already, `old` is deleted instead, by a process of its own (`remove_later`)."""
    spare = target.with_name(SPARE.format(target.name))
    if not os.path.lexists(spare):
        try:
            os.rename(old, spare)
        except OSError:
            pass
        else:
            try:  # never offered for a commit, whatever the project's .gitignore says
                with open(spare / ".gitignore", "x", encoding="utf-8") as f:
                    f.write("# 上一版站点，下一次构建在其中生成（可以删除）\n*\n")
            except OSError:
                pass  # (one there already: the site's own, or written by the last keep)
            return
    remove_later(old)


def lock_site(target: Path) -> SiteLock | None:
    """The lock on publishing into `target`, or None when another build holds it: two builds
    into one folder would delete each other's staging folders and swap in turn. The lock is a
    file beside `target` (never a link followed), deleted when released; a killed build's is
    released by the system and used again."""
    path = target.with_name(LOCK.format(target.name))
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            held = os.fstat(fd)
            try:
                now = os.stat(path, follow_symlinks=False)
            except FileNotFoundError:
                now = None
        except BlockingIOError:
            os.close(fd)
            return None
        except BaseException:
            os.close(fd)
            raise
        if now is not None and (now.st_dev, now.st_ino) == (held.st_dev, held.st_ino):
            return SiteLock(path, fd)
        os.close(fd)  # its holder deleted that file as it let go: lock the one there now


class SiteLock:
    """A held `lock_site`; `close()` releases it."""

    def __init__(self, path: Path, fd: int) -> None:
        self.path, self.fd = path, fd

    def close(self) -> None:
        if self.fd < 0:
            return
        try:
            os.unlink(self.path)  # while still held: whoever opened it meanwhile tries again
        except OSError:
            pass
        os.close(self.fd)
        self.fd = -1


def remove_stale(target: Path, later: bool = False) -> list[str]:
    """Delete the staging and set-aside folders that builds into `target` killed before they
    could clean up left behind; call it holding `lock_site`, before making this build's own.
    Only folders named as a build names them and older than this call; a link is never followed
    (nor deleted: a build makes none). The names deleted. With `later`, each is deleted by
    `remove_later` (an old site the last build's deleting process has not finished with yet is
    not deleted on this build's way)."""
    pattern = re.compile("(?:" + "|".join(re.escape(p.format(target.name)) for p in (STAGING, ASIDE))
                         + r")[A-Za-z0-9_]+")
    now = time.time()
    gone = []
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return gone
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            if not entry.is_dir(follow_symlinks=False) or \
                    entry.stat(follow_symlinks=False).st_mtime >= now:
                continue
        except OSError:
            continue
        if later:
            remove_later(Path(entry.path))
        else:
            shutil.rmtree(entry.path, ignore_errors=True)  # it deletes links inside, never follows
        gone.append(entry.name)
    return sorted(gone)
