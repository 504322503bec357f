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
compared byte for byte, and kept only when nothing else can change it (one name only, the mode
a new file gets); a folder gets the mode a new folder gets. Only the build holding the lock on
the site (`swap.lock_site`) writes in it."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Collection
from pathlib import Path


def _umask() -> int:
    """This process's umask, read without changing it (other threads may be making files)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # (where /proc has no such line)
    os.umask(mask)
    return mask


class Recycled:
    """What `folder` holds (an earlier site, or nothing), walked once without following links.
    Names in `aside` (at the top) are left to their owner: the search index's folder, which the
    search stage takes over (`engines.pagefind.restore_bundle`)."""

    def __init__(self, folder: Path, aside: Collection[str] = ()) -> None:
        self.folder = os.fspath(folder)
        mask = _umask()
        self.file_mode, self.dir_mode = 0o666 & ~mask, 0o777 & ~mask
        self.files: dict[str, os.stat_result] = {}  # plain files, by their path in the folder
        self.dirs: set[str] = set()
        todo = [("", self.folder)]
        while todo:
            rel, path = todo.pop()
            try:
                with os.scandir(path) as it:
                    entries = list(it)
            except FileNotFoundError:
                continue
            for e in entries:
                name = rel + e.name
                if not rel and e.name in aside:
                    continue
                st = e.stat(follow_symlinks=False)
                if stat.S_ISDIR(st.st_mode):
                    if stat.S_IMODE(st.st_mode) != self.dir_mode:
                        os.chmod(e.path, self.dir_mode, follow_symlinks=False)
                    self.dirs.add(name)
                    todo.append((name + "/", e.path))
                elif stat.S_ISREG(st.st_mode):
                    self.files[name] = st
                else:  # a link (never followed), a pipe, a device: never part of a site
                    os.unlink(e.path)

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
            os.unlink(os.path.join(self.folder, rel))
            del self.files[rel]
        for rel in self.dirs - folders:  # (a folder's own folders are not wanted either)
            if rel.rpartition("/")[0] in folders or "/" not in rel:
                shutil.rmtree(os.path.join(self.folder, rel))
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
                st.st_size == len(data) and _read(path, st) == data:
            return True
        os.unlink(path)
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
            os.unlink(os.path.join(self.folder, rel))
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
        if (now.st_dev, now.st_ino) != (st.st_dev, st.st_ino):
            return None
        with os.fdopen(fd, "rb", closefd=False) as f:
            return f.read(st.st_size + 1)
    finally:
        os.close(fd)
