"""Site search: a Pagefind index built from the finished HTML, served from the site's own origin
and loaded in fragments, so a first search downloads a small part of the index."""

from __future__ import annotations

import asyncio
import errno
import hashlib
import importlib.metadata
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Collection
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING

from ..project import CHILD_GUARD
from ..render.theme import prune_search_files
from . import EngineFailed
from .foreign import _TEXT_SUFFIXES, neutralise_file, neutralise_folder

if TYPE_CHECKING:  # the preview's service alone uses the library (8 MB a build need not hold)
    from pagefind.index import PagefindIndex

log = logging.getLogger(__name__)

BUNDLE_DIR = "pagefind"
LANGUAGE = "zh"  # one index, segmented as Chinese, whatever a page declares
TIMEOUT_S = 600
TIMED_OUT = f"生成搜索索引超过 {TIMEOUT_S} 秒，已停止。"
# The preview indexes the pages an edit wrote again one by one, about 0.1 s each (the service's
# answers are read one per tenth of a second), against about 5 ms a page for indexing the whole
# site (5 s for 1,000 brand pages, measured): beyond one page in 20, indexing everything is quicker.
PAGES_PER_CHANGED_PAGE = 20


class SearchIndexError(EngineFailed):
    """Pagefind failed or took too long."""


# `python -m pagefind` as the build runs it: the process ends with the build (CHILD_GUARD), and
# neither imports a module nor reads a Pagefind configuration file (pagefind.yml…) from the
# project or the working folder (-P, and this package's folder as its working folder).
_RUN = CHILD_GUARD + "import runpy\nrunpy.run_module('pagefind', run_name='__main__', alter_sys=True)\n"
_WORKING_FOLDER = Path(__file__).resolve().parent
# What the indexer is told besides the site's folder: part of a kept bundle's key.
_ARGUMENTS = ("--output-subdir", BUNDLE_DIR, "--force-language", LANGUAGE, "--silent")
# Bundles kept in the cache folder (`SearchIndexJob.keep_in`): the newest few, each a site's
# whole index (20 MB at 1,000 brands), so that a build that goes back to the pages of the one
# before (a change undone) still finds its index.
KEPT_BUNDLES = 2


class SearchIndexJob:
    """Pagefind in its own process; `wait()` for the result. Started at once, or (`start=False`)
    when the caller calls `start()` or first waits: `site-builder build` checks the pages first
    and gives their memory back, so that the indexer, the largest process of a build, runs with
    nothing big beside it (the peak of the build's processes, bench/README.md).

    A plain child process rather than a thread: Python's own work never waits for the indexer.
    """

    def __init__(self, site_dir: Path, start: bool = True, previous: Path | None = None) -> None:
        self.site_dir = site_dir
        # an earlier site's bundle set aside (native.build): a kept bundle is written over it,
        # only its files that differ; it is deleted when the indexer runs
        self.previous = previous
        self.error: SearchIndexError | None = None
        self._done = False
        self.proc: subprocess.Popen | None = None
        self._started = False
        self.kept: Path | None = None  # the cache folder of bundles (`keep_in`)
        self._key: bytes | None = None  # what the indexer reads, when its bundle is to be kept
        self.reused = False  # the bundle was a kept one: no indexer ran
        if start:
            self.start()

    def keep_in(self, folder: Path) -> None:
        """Before `start`: take the bundle from `folder` (the cache's, `cache.versioned`) when it
        keeps one made from the very files the indexer would read, and keep this one there
        otherwise. Pagefind writes the same bundle, byte for byte, from the same pages (checked
        at 1,000 brands), so the site is the one a run would publish."""
        self.kept = folder

    def start(self) -> None:
        """Start the indexer (once), unless the bundle of identical pages is kept."""
        if self._started:
            return
        self._started = True
        if self.kept is not None:
            self._key = index_key(self.site_dir)
            if self._key is not None and restore_bundle(self.kept, self._key,
                                                        self.site_dir / BUNDLE_DIR, self.previous):
                self.reused = self._done = True
                return
        self._drop_previous()
        cmd = [sys.executable, "-P", "-c", _RUN, str(os.getpid()),
               "--site", os.path.abspath(self.site_dir), *_ARGUMENTS]
        try:
            self.proc = subprocess.Popen(
                cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                cwd=_WORKING_FOLDER)
        except OSError as e:
            self.proc = None
            self.error = SearchIndexError(f"生成搜索索引失败：{e}")

    def wait(self) -> SearchIndexError | None:
        if not self._done:
            self.start()
        if self._done or self.proc is None:
            return self.error
        self._done = True
        try:
            _, err = self.proc.communicate(timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.communicate()
            self.error = SearchIndexError(TIMED_OUT)
            return self.error
        if self.proc.returncode != 0 or not (self.site_dir / BUNDLE_DIR / "pagefind.js").is_file():
            detail = (err or "").strip()[-500:]
            self.error = SearchIndexError(
                f"生成搜索索引失败（pagefind 退出码 {self.proc.returncode}）：{detail}")
        else:
            _finish_bundle(self.site_dir / BUNDLE_DIR)
            if self.kept is not None and self._key is not None:
                keep_bundle(self.kept, self._key, self.site_dir / BUNDLE_DIR)
        return self.error

    def _drop_previous(self) -> None:
        if self.previous is not None:
            shutil.rmtree(self.previous, ignore_errors=True)
            self.previous = None

    def stop(self) -> None:
        """Kill the indexer if it still runs (the build gave up before waiting for it); one not
        started is not started any more."""
        self._drop_previous()
        self._started = True
        if self._done:
            return
        self._done = True
        if self.proc is not None:
            self.proc.kill()
            self.proc.communicate()
        self.error = self.error or SearchIndexError("生成搜索索引已停止：构建没有完成。")

    def raise_error(self) -> None:
        """Wait for the index; raise its error, if any."""
        error = self.wait()
        if error is not None:
            raise error


def index_site(site_dir: Path) -> None:
    """Write the Pagefind bundle into `site_dir/pagefind/` (the extended build segments Chinese)."""
    error = SearchIndexJob(site_dir).wait()
    if error is not None:
        raise error


# -- bundles kept between builds ---------------------------------------------------------------

def _pagefind_versions() -> bytes:
    out = []
    for name in ("pagefind", "pagefind_bin_extended", "pagefind_bin"):
        try:
            out.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return "\0".join(out).encode()


def index_key(site_dir: Path) -> bytes | None:
    """The digest of everything the indexer reads and is told: its version, arguments and
    settings in the environment (PAGEFIND_…), and
    the path and bytes of every page of the site (every file whose name ends in .html or .htm,
    whatever the case: more than Pagefind reads, never less), in path order. None when no kept
    bundle may stand for a run: the site holds a link or a special file (the indexer might
    follow it; the checks refuse such a site anyway), or its bundle's folder exists already."""
    site_dir = Path(site_dir)
    if os.path.lexists(site_dir / BUNDLE_DIR):
        return None
    # Pagefind also takes settings from the environment (PAGEFIND_EXCLUDE_SELECTORS …)
    settings = sorted((k, v) for k, v in os.environ.items() if k.upper().startswith("PAGEFIND"))
    h = hashlib.sha256(b"pagefind\0" + _pagefind_versions() + b"\0"
                       + "\0".join(_ARGUMENTS).encode() + b"\0" + _RUN.encode() + b"\0"
                       + repr(settings).encode("utf-8", "surrogateescape") + b"\0")
    todo = [("", os.fspath(site_dir))]
    pages: list[tuple[str, str]] = []
    while todo:
        rel, folder = todo.pop()
        try:
            with os.scandir(folder) as entries:
                listed = list(entries)
        except OSError:
            return None
        for e in listed:
            name = rel + e.name
            if e.is_symlink():
                return None
            if e.is_dir(follow_symlinks=False):
                todo.append((name + "/", e.path))
            elif not e.is_file(follow_symlinks=False):
                return None
            elif e.name.lower().endswith((".html", ".htm")):
                pages.append((name, e.path))
    for name, path in sorted(pages):
        try:
            with open(path, "rb") as f:
                data = f.read()
        except OSError:
            return None
        h.update(name.encode("utf-8", "surrogateescape") + b"\0"
                 + len(data).to_bytes(8, "big") + data)
    return h.digest()


def _bundle_entry(folder: Path, key: bytes) -> Path:
    from ..cache import entry

    return entry(folder, b"bundle", key, suffix=".bundle")


def keep_bundle(folder: Path, key: bytes, bundle_dir: Path) -> None:
    """Keep the finished bundle in `folder` as one sealed entry (a list of its files and their
    sizes, then their bytes); only the newest `KEPT_BUNDLES` stay. A cache that cannot be
    written only costs the next build a run of the indexer."""
    from ..cache import packed, write_sealed_parts

    files: list[tuple[list[str], bytes]] = []
    try:
        for p in sorted(Path(bundle_dir).rglob("*")):
            if p.is_symlink() or not (p.is_file() or p.is_dir()):
                return  # never a bundle the indexer writes
            if p.is_file():
                files.append(([p.relative_to(bundle_dir).as_posix()], p.read_bytes()))
        target = _bundle_entry(folder, key)
        write_sealed_parts(target, lambda: packed(files))
    except (OSError, UnicodeError):
        return
    _prune_bundles(folder, target)


def _prune_bundles(folder: Path, newest: Path) -> None:
    """Delete all but the newest `KEPT_BUNDLES` bundles (by when they were written or used)."""
    from ..cache import prune_entries

    prune_entries(folder, KEPT_BUNDLES - 1, suffix=".bundle", besides=newest)


def restore_bundle(folder: Path, key: bytes, bundle_dir: Path, previous: Path | None = None
                   ) -> bool:
    """Write the bundle kept for `key` into `bundle_dir` (which must not exist): True when done;
    False (and nothing left behind) when none is kept, or its seal fails (planted or altered),
    or it is not what `keep_bundle` writes. `previous`, an earlier site's bundle set aside,
    becomes `bundle_dir`, with only the files that differ written (engines/recycle.py)."""
    from ..cache import read_entry, unpacked, unseal_view
    from .recycle import Recycled, SpareNotEmptied, set_mode

    target = _bundle_entry(folder, key)
    try:
        files = unpacked(unseal_view(target.name, read_entry(target)), 1)
    except OSError:
        return False
    if files is None or not all(_safe_name(rel) for (rel,), _ in files):
        return False
    if os.path.lexists(bundle_dir):
        return False  # never written over what stands there
    try:
        if previous is not None and previous.is_dir() and not previous.is_symlink():
            os.rename(previous, bundle_dir)
        else:
            Path(bundle_dir).mkdir()
    except OSError:
        return False  # never written over what stands there
    try:
        earlier = Recycled(bundle_dir)
        set_mode(os.fspath(bundle_dir), earlier.dir_mode)  # (an earlier bundle's: as if new)
        made = earlier.keep_only([rel for (rel,), _ in files]) | {""}
        for (rel,), data in files:
            parent = rel.rpartition("/")[0]
            if parent not in made:
                (Path(bundle_dir) / parent).mkdir(parents=True, exist_ok=True)
                made.add(parent)
            if not earlier.holds(rel, data):
                with open(Path(bundle_dir) / rel, "xb") as f:
                    f.write(data)
    except SpareNotEmptied:
        raise  # an earlier bundle that cannot be emptied: the build fails, the next starts afresh
    except (OSError, ValueError, TypeError):
        shutil.rmtree(bundle_dir, ignore_errors=True)
        if os.path.lexists(bundle_dir):  # the indexer must never write into what is left
            raise SpareNotEmptied(errno.ENOTEMPTY, os.strerror(errno.ENOTEMPTY),
                                  os.fspath(bundle_dir)) from None
        return False
    try:
        os.utime(target, follow_symlinks=False)  # used: among the newest, kept when pruning
    except OSError:
        pass
    return True


def _safe_name(rel) -> bool:
    return (isinstance(rel, str) and rel != "" and not rel.startswith("/") and "\\" not in rel
            and "\0" not in rel and all(part not in ("", ".", "..") for part in rel.split("/")))


def _finish_bundle(bundle_dir: Path, top_only: bool = False) -> None:
    """The bundle as published: no other host's address in its scripts and styles, and none
    of the interfaces no page loads. `top_only` (the preview's service, after an update): only
    the files at the bundle's top are looked at, where Pagefind writes its scripts and styles
    again each time; below lie only its hashed index files (.pf_*), which hold neither, and
    which a walk of thousands took a tenth of a second to pass over."""
    if top_only:
        prune_search_files(bundle_dir)  # (first: they need not be read)
        for p in sorted(bundle_dir.iterdir()):
            _neutralise_again(p)
        return
    neutralise_folder(bundle_dir, None)  # translators' credit links
    prune_search_files(bundle_dir)  # the interfaces no page loads


# The preview's service writes the same scripts after every update: what neutralising each text
# made of it, by its name and text (a few files, each as Pagefind wrote it).
_NEUTRAL: dict[tuple[str, str], str] = {}


def _neutralise_again(path: Path) -> None:
    """`neutralise_file(path, None)`, the result taken from `_NEUTRAL` for a text seen before."""
    if path.suffix.lower() not in _TEXT_SUFFIXES:
        return  # (neutralise_file leaves it as it is)
    try:
        text = path.read_text(encoding="utf-8") if path.is_file() else None
    except (OSError, UnicodeDecodeError):
        text = None
    known = _NEUTRAL.get((path.name, text)) if text is not None else None
    if known is None:
        neutralise_file(path, None)
        if text is not None and len(_NEUTRAL) < 64:
            try:
                _NEUTRAL[(path.name, text)] = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                pass
    elif known != text:
        path.write_text(known, encoding="utf-8")


def page_url(dest_uri: str) -> str:
    """The address Pagefind gives the page written at `dest_uri` (as it does for a file it finds)."""
    if dest_uri == "index.html":
        return "/"
    return "/" + (dest_uri[:-len("index.html")] if dest_uri.endswith("/index.html") else dest_uri)


class _Service:
    """What the `pagefind` library keeps to itself about a running index's service: its process
    and the task reading its answers (the library would wait for an answer for ever once either
    has ended, and its own close waits on every answer ever sent)."""

    def __init__(self, index: PagefindIndex) -> None:
        service = getattr(index, "_service", None)
        self.process = getattr(service, "_backend", None)
        self.reader = getattr(service, "_poll_task", None)
        self.waiting = getattr(service, "_responses", {})

    def ended(self) -> str | None:
        """Why the service can no longer answer, or None while it can."""
        if self.process is not None and self.process.returncode is not None:
            return f"搜索索引程序意外退出（退出码 {self.process.returncode}）。"
        if self.reader is not None and self.reader.done():
            return "搜索索引程序的回答无法读取，已停止它。"
        return None

    async def stop(self) -> None:
        """End the service now: its reader, the answers still awaited, its process."""
        if self.reader is not None:
            if self.reader.done():
                if not self.reader.cancelled():
                    self.reader.exception()  # taken here, not logged when the task is collected
            else:
                self.reader.cancel()
        for answer in list(self.waiting.values()):
            if not answer.done():
                answer.cancel()
        if self.process is not None and self.process.returncode is None:
            self.process.terminate()
            try:
                await asyncio.wait_for(self.process.wait(), 5)
            except TimeoutError:
                self.process.kill()
                await self.process.wait()


class SearchIndexService:
    """The preview's search index: one Pagefind service kept between rebuilds, so that after an
    edit only the pages written again are indexed again, not the whole site (Pagefind has no
    incremental mode of its own; at 1,000 brands search is ready about 2 s after the page rather
    than 5 s). The files its entry names are those a fresh run over the same pages writes, byte
    for byte.

    The service runs on its own event loop in a background thread; `update` returns at once and
    its job is waited for like a `SearchIndexJob`. Every failure ends the service (the next
    update starts a new one over the whole site) and is told in one Chinese sentence.
    """

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="pagefind",
                                        daemon=True)
        self._thread.start()
        self._index: PagefindIndex | None = None

    def update(self, site_dir: Path, written: Collection[str] | None,
               total: int) -> ServiceJob:
        """Index the pages written at `written` (their paths in the site) again, or the whole
        site when `written` is None or when that would be quicker; `total`: pages in the site.
        Pages indexed one by one are read now, before the next rebuild can write them again
        (the whole site is read by the service itself). Call it once the last update is waited
        for."""
        whole = written is None or self._index is None or \
            len(written) * PAGES_PER_CHANGED_PAGE > total
        pages = None if whole else [
            (page_url(uri), (site_dir / uri).read_text(encoding="utf-8"))
            for uri in sorted(written) if uri.endswith(".html")]
        if pages == []:  # no page was written again: the bundle on disk is still the index
            future: Future = Future()
            future.set_result(None)
        else:
            future = asyncio.run_coroutine_threadsafe(  # one deadline for the whole update
                asyncio.wait_for(self._update(site_dir, pages), TIMEOUT_S), self._loop)
        return ServiceJob(future, whole)

    async def _update(self, site_dir: Path, pages: list[tuple[str, str]] | None) -> None:
        try:
            if pages is None:
                await self._close()
                from pagefind.index import PagefindIndex

                self._index = PagefindIndex(config={"force_language": LANGUAGE})
                await self._ask(self._index.__aenter__())  # starts the service
                await self._ask(self._index.add_directory(str(site_dir)))
            else:
                assert self._index is not None
                for url, html in pages:
                    await self._ask(self._index.add_html_file(content=html, url=url))
            # into the bundle in place, where Pagefind keeps the files it would write again
            # (their names are hashes of their content): a second faster than a fresh folder
            # at 1,000 pages. Files only an earlier index named may stay behind in the
            # preview's folder, a few per edit; the entry file names the current ones.
            await self._ask(self._index.write_files(str(site_dir / BUNDLE_DIR)))
        except BaseException as e:
            why = _Service(self._index).ended() if self._index is not None else None
            await self._close()  # the next update starts from the whole site again
            if why is not None and isinstance(e, Exception) and not isinstance(e, SearchIndexError):
                raise SearchIndexError(why) from e  # (writing to a service that has ended)
            raise
        _finish_bundle(site_dir / BUNDLE_DIR, top_only=pages is not None)

    async def _ask(self, request) -> None:
        """Await one request to the service; fail at once if the service's process ends or its
        answers can no longer be read meanwhile."""
        task = asyncio.ensure_future(request)
        while True:
            done, _ = await asyncio.wait({task}, timeout=0.2)
            if task in done:
                task.result()
                return
            why = _Service(self._index).ended() if self._index is not None else None
            if why is not None:
                task.cancel()
                raise SearchIndexError(why)

    async def _close(self) -> None:
        index, self._index = self._index, None
        if index is not None:
            await _Service(index).stop()

    def close(self) -> None:
        """Stop the service and its thread (waits for an update under way)."""
        if not self._thread.is_alive():
            return
        try:
            asyncio.run_coroutine_threadsafe(self._close(), self._loop).result(30)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(30)
            if not self._thread.is_alive():
                self._loop.close()


class ServiceJob:
    """One update of a `SearchIndexService`, waited for like a `SearchIndexJob`."""

    def __init__(self, future: Future, whole: bool) -> None:
        self.future, self.whole = future, whole
        self.error: SearchIndexError | None = None
        self._done = False

    def wait(self) -> SearchIndexError | None:
        if self._done:
            return self.error
        self._done = True
        try:
            self.future.result(TIMEOUT_S + 30)
        except SearchIndexError as e:
            self.error = e
        except TimeoutError:
            self.future.cancel()
            self.error = SearchIndexError(TIMED_OUT)
        except BaseException as e:  # noqa: BLE001 -- the library's own failures, told in Chinese
            log.debug("the search service failed: %r", e)
            self.error = SearchIndexError("生成搜索索引失败，下次修改后会重新生成整个索引。")
        return self.error
