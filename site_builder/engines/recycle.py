"""A site written over an earlier one: only the files whose bytes differ are written.

On this kind of disk, making a file or a folder costs far more than reading one (at 1,000
brands, 4,565 pages, 4,406 search-index files and 5,400 folders took about 4 s to make, and
reading them back 0.15 s). So the site a build replaced is kept beside the new one (the
"spare", `swap.SPARE`), and the next build is made in it: what that folder holds is walked once,
without following any link; what the new site does not have is deleted; each file the new site
has is kept only when it is a plain file of this program's making holding exactly the new
bytes, and written again otherwise.

Whatever the spare holds, the site made in it is the one a build into an empty folder makes:
a link, a special file or a folder where a file goes is deleted (never followed); a file is
compared byte for byte, and kept only when nothing else can change it and it is what a new
file would be (one name only; this user's, in a new file's group; the mode a new file gets,
as a probe measures it; no attributes of its own); a folder gets the mode a new folder gets,
and another user's, or one with attributes of its own, is made again. Only the build holding
the lock on the site (`swap.lock_site`) writes in it."""

from __future__ import annotations

import os
import secrets
import shutil
import stat
from collections.abc import Collection
from pathlib import Path

_OWN_XATTRS = ("user.", "system.posix_acl")  # what a user or a default ACL may set; not the
# security labels the system gives every file (SELinux), which a new file gets as well


def _marked(path_or_fd) -> bool:
    """Whether a file or folder carries attributes of its own (a web server may read
    user.mime_type; an access list may let someone else write it): never kept."""
    try:
        names = os.listxattr(path_or_fd) if isinstance(path_or_fd, int) else \
            os.listxattr(path_or_fd, follow_symlinks=False)
    except OSError:
        return False  # (a file system without them)
    return any(n.startswith(_OWN_XATTRS) for n in names)


def set_mode(path: str, mode: int) -> None:
    """chmod a folder of the spare found by lstat, never through a link (where the C library
    cannot do that without following, through the folder opened with O_NOFOLLOW), or raise
    `SpareNotEmptied` naming it (a folder made immutable)."""
    try:
        try:
            os.chmod(path, mode, follow_symlinks=False)
            return
        except NotImplementedError:
            pass
        fd = os.open(path, os.O_RDONLY | os.O_DIRECTORY | os.O_NOFOLLOW | os.O_CLOEXEC)
        try:
            os.fchmod(fd, mode)
        finally:
            os.close(fd)
    except OSError as e:
        raise SpareNotEmptied(e.errno, e.strerror, path) from e


def new_modes(folder: str) -> tuple[os.stat_result, os.stat_result]:
    """The (folder, file) that a folder and a file made in `folder` now get: their mode, owner
    and group, whatever sets them (the umask, a set-group-ID folder, a default access list)."""
    probe = os.path.join(folder, f".probe-{secrets.token_hex(6)}")
    os.mkdir(probe)
    try:
        fd = os.open(os.path.join(probe, "f"), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            return os.stat(probe, follow_symlinks=False), os.fstat(fd)
        finally:
            os.close(fd)
            os.unlink(os.path.join(probe, "f"))
    finally:
        os.rmdir(probe)


class Recycled:
    """What `folder` holds (an earlier site, or nothing), walked once without following links.
    Names in `aside` (at the top) are left to their owner: the search index's folder, which the
    search stage takes over (`engines.pagefind.restore_bundle`).

    Kept are only what a build into an empty folder would make alike: a folder owned by this
    user, in its group and without attributes of its own (its mode set to a new folder's), a
    file as `holds` says. Any other folder is deleted whole and made again."""

    def __init__(self, folder: Path, aside: Collection[str] = ()) -> None:
        self.folder = os.fspath(folder)
        new_dir, new_file = new_modes(self.folder)
        self.dir_mode = stat.S_IMODE(new_dir.st_mode)
        self.file_mode = stat.S_IMODE(new_file.st_mode)
        self.owner = (new_file.st_uid, new_file.st_gid)
        self.dir_owner = (new_dir.st_uid, new_dir.st_gid)
        self.files: dict[str, os.stat_result] = {}  # plain files, by their path in the folder
        self.dirs: set[str] = set()
        self.foreign: set[str] = set()  # folders deleted whole by `keep_only`
        todo = [("", self.folder)]
        while todo:
            rel, path = todo.pop()
            with os.scandir(path) as it:
                entries = list(it)
            for e in entries:
                name = rel + e.name
                if not rel and e.name in aside:
                    continue
                st = e.stat(follow_symlinks=False)
                if stat.S_ISDIR(st.st_mode):
                    if not self.like_new(e.path, st):
                        self.foreign.add(name)
                        continue
                    if stat.S_IMODE(st.st_mode) != self.dir_mode:
                        set_mode(e.path, self.dir_mode)
                    self.dirs.add(name)
                    todo.append((name + "/", e.path))
                elif stat.S_ISREG(st.st_mode):
                    self.files[name] = st
                else:  # a link (never followed), a pipe, a device: never part of a site
                    delete_file(e.path)

    def like_new(self, path: str, st: os.stat_result) -> bool:
        """Whether the folder at `path` (`st`, by lstat) is this user's, in a new folder's
        group, with no attributes of its own: its mode set, it is as a new one would be."""
        return (st.st_uid, st.st_gid) == self.dir_owner and not _marked(path)

    def keep_only(self, wanted: Collection[str]) -> set[str]:
        """Delete every file and folder that is not one of the `wanted` files or a folder
        holding one; a file where a folder is wanted, or a folder where a file is, goes too.
        The folders that stay, for `native._make_folders`."""
        folders: set[str] = set()
        for rel in wanted:
            at = rel.rfind("/")
            while at > 0 and rel[:at] not in folders:
                folders.add(rel[:at])
                at = rel.rfind("/", 0, at)
        wanted = set(wanted)
        for rel in [r for r in self.files if r not in wanted]:
            delete_file(os.path.join(self.folder, rel))
            del self.files[rel]
        for rel in (self.dirs - folders) | self.foreign:  # (nor are a folder's own folders)
            parent = rel.rpartition("/")[0]
            if parent in folders or parent == "":
                remove_folder(os.path.join(self.folder, rel))
        self.dirs &= folders
        return self.dirs

    def holds(self, rel: str, data: bytes) -> bool:
        """Whether the file at `rel` is a plain file of one name, with a new file's mode, holding
        exactly `data`. When not, the file (if any) is deleted, for a new one to be written."""
        st = self.files.pop(rel, None)
        if st is None:
            return False
        path = os.path.join(self.folder, rel)
        if st.st_nlink == 1 and stat.S_IMODE(st.st_mode) == self.file_mode and \
                (st.st_uid, st.st_gid) == self.owner and st.st_size == len(data) and \
                _read(path, st) == data:
            return True
        delete_file(path)
        return False

    def holds_copy(self, rel: str, src: Path, linked: bool) -> bool:
        """Whether the file at `rel` already stands for `src`: the very file when it is to be
        hard-linked (`linked`), else a plain file as `holds` with `src`'s bytes. When not, the
        file (if any) is deleted."""
        st = self.files.get(rel)
        if st is None:
            return False
        if linked:
            try:
                source = os.stat(src)
            except OSError:
                source = None
            if source is not None and (source.st_dev, source.st_ino) == (st.st_dev, st.st_ino):
                del self.files[rel]
                return True
        try:
            data = Path(src).read_bytes() if st.st_size == os.stat(src).st_size else None
        except OSError:
            data = None
        if data is None:
            del self.files[rel]
            delete_file(os.path.join(self.folder, rel))
            return False
        return self.holds(rel, data)


def _read(path: str, st: os.stat_result) -> bytes | None:
    """The bytes of the plain file at `path`, when it is still the file `st` describes."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    except OSError:
        return None
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino) or _marked(fd):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(st.st_size + 1)
    finally:
        os.close(fd)


class SpareNotEmptied(OSError):
    """A file or folder of the spare this user may not delete, move or change (in another
    user's folder, or made immutable): the build fails, the next is made in an empty folder
    (`build._Place.close`), and the message says so."""


def delete_file(path: str) -> None:
    """Delete a file (or link) of the spare, or raise `SpareNotEmptied` naming it."""
    try:
        os.unlink(path)
    except OSError as e:
        raise SpareNotEmptied(e.errno, e.strerror, path) from e


def remove_folder(path: str) -> None:
    """Delete a folder of the spare whole, or raise `SpareNotEmptied` naming it."""
    try:
        shutil.rmtree(path)
    except OSError as e:  # (its own message names a file by its name alone)
        raise SpareNotEmptied(e.errno, e.strerror, path) from e
