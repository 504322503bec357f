"""The build pipeline: load → validate → evaluate → render → engine → verify → publish.

Everything is gathered and checked before anything is written; the new site is built in a
temporary folder and replaces the old one only when every check passed.

The live preview (`Preview`, `serve_site`) runs the same pipeline again whenever a watched file
changes, with what changed as its input: the records whose bytes are unchanged are not read
again (project.py), the pages that read only their own values are not rendered again
(render_site's memo), and only the files whose bytes changed are written (the engine's
`update`); the post-build checks read only what an edit wrote, and tell, never stop.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Collection
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace
from html import escape as html_escape
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from .cache import (
    CHECKED_PAGES,
    KEPT,
    KEPT_IDLE_S,
    KEPT_PROJECTS,
    PER_PROJECT,
    SEARCH_INDEX,
    prune_entries,
    prune_other_versions,
    versioned,
)
from .diagnostics import Diagnostic, has_errors, sort_key
from .editor.cms import api_origins
from .engines import EngineFailed
from .load.settings import publication_gaps, setting_names
from .project import Fork, Project, load_project
from .publish.swap import (
    BUSY,
    keep_spare,
    lock_site,
    new_staging,
    remove_later,
    remove_stale,
    site_dir_problem,
    swap_in,
    take_spare,
)
from .system import release_memory
from .verify import verify_pages, verify_search

if TYPE_CHECKING:
    from .engines.pagefind import SearchIndexJob


@dataclass
class BuildResult:
    project: Project | None  # None when a fork read the records (`build_site(apart=True)`)
    ok: bool
    problems: list[str] = field(default_factory=list)  # build failures that are not record diagnostics
    findings: list[Diagnostic] = field(default_factory=list)  # post-build checks of the new site
    notices: list[str] = field(default_factory=list)  # what the build left out and why (not failures)
    diagnostics: list[Diagnostic] = field(default_factory=list)  # the records'
    published: int = 0  # brands published


def _result(project: Project, ok: bool, **kw) -> BuildResult:
    return BuildResult(project, ok, diagnostics=project.diagnostics,
                       published=len(project.published), **kw)


ENGINES = ("mkdocs", "native")
DEFAULT_ENGINE = "native"


def build_site(root: Path, site_dir: Path, strict: bool = False,
               build_date: dt.date | None = None, site_url: str | None = None,
               engine: str = DEFAULT_ENGINE, apart: bool = False) -> BuildResult:
    """Build into a temporary folder beside `site_dir`; replace `site_dir` only if all passed.
    `site_url` (e.g. the GitHub Pages address) is the site's address when settings have none.
    `engine` writes the pages: "mkdocs" (MkDocs + Material) or "native" (the project's own
    layout, no MkDocs). Expected failures come back in the result; a bug raises with its
    traceback.

    With `apart` (`site-builder build`), the records are read and the pages made and checked by
    a fork of this process, which has ended when the search indexer starts: the indexer, the
    build's largest process, then runs beside this small one alone (bench/README.md, the peak
    of the build's processes). The result then holds no `project` (where no fork can be
    made, off Linux or with other threads running, it is built here and holds it)."""
    from .engines.pagefind import BUNDLE_DIR

    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")

    for kept in KEPT:  # what other versions of this program kept
        prune_other_versions(kept)
    for kind, each in PER_PROJECT.items():  # and what folders not built for a day kept, but
        prune_entries(versioned(kind), KEPT_PROJECTS * each, KEPT_IDLE_S)  # the newest
    place = _Place(root, site_dir, later=apart, recycle=engine == "native")
    search, unexpected = None, False
    try:
        args = (root, site_dir, build_date, site_url, strict, engine, BUNDLE_DIR)
        if apart and sys.platform.startswith("linux") and threading.active_count() == 1:
            fork = Fork(_pages_apart, *args, ask=place, what="生成站点的进程")
            try:
                pages = fork.result(None)
            finally:
                fork.stop()
        else:
            pages = _pages(place, *args)
        result, search = pages.result, pages.search
        if search is None:  # it ended before the search index
            return result
        search.keep_in(versioned(SEARCH_INDEX))  # the index of identical pages is kept
        try:
            findings = verify_search(place.staging, pages.site_url, pages.label, BUNDLE_DIR,
                                     search.raise_error, pages.admin_origins,
                                     versioned(CHECKED_PAGES))
        except EngineFailed as e:
            return replace(result, ok=False, problems=[str(e)], findings=[], notices=[])
        if result.findings or findings:  # a broken link, a foreign font, a personal number:
            findings = sorted(result.findings + findings, key=sort_key)  # never published
            return replace(result, ok=False, findings=findings, notices=[], problems=[
                f"生成的站点未通过发布前检查：{len(findings)} 个问题"])
        place.staging.chmod(0o755)  # mkdtemp makes it private; a web server must read it
        old = swap_in(place.staging, place.target, remove=not (apart or place.recycle))  # publish
        place.staging = None
        if old is not None and place.recycle:  # the next build is made in it
            keep_spare(old, place.target)
        elif old is not None:  # the command ends without waiting for the old site's deletion
            remove_later(old)
        return replace(result, ok=True)
    except BaseException:
        unexpected = True
        raise
    finally:
        if search is not None:
            search.stop()  # a check failed unexpectedly before the index was waited for
        place.close(give_back=not unexpected)


@dataclass
class _Pages:
    """The first part of a build (`_pages`), for the second: its result so far (`ok` is
    false), and when every page was written and checked, the search index still to make."""
    result: BuildResult
    search: SearchIndexJob | None = None
    site_url: str | None = None
    label: str = ""
    admin_origins: tuple = ()


def _pages(place: Callable[[], Path | str], root: Path, site_dir: Path,
           build_date: dt.date | None, site_url: str | None, strict: bool, engine: str,
           search_folder: str) -> _Pages:
    """load → validate → evaluate → render → engine → the checks of every page. `place()`
    is called once the records have passed: the folder to build in, or why there is none.

    The records are read once and kept to the end: Python's collector of reference cycles
    is told to leave them out of its walks from then on (`gc.freeze`; at 1,000 brands a
    third of its time, 0.2 s of a build whose pages are kept), and to take them back after."""
    project = load_project(root, build_date)  # load → validate → evaluate
    freeze = gc.get_freeze_count() == 0  # (none frozen by a program that calls this one)
    if freeze:
        gc.freeze()
    try:
        return _pages_of(project, place, site_dir, site_url, strict, engine, search_folder)
    finally:
        if freeze:
            gc.unfreeze()


def _pages_of(project: Project, place: Callable[[], Path | str], site_dir: Path,
              site_url: str | None, strict: bool, engine: str, search_folder: str) -> _Pages:
    if site_url and project.settings is not None:
        project.settings.default_site_url(site_url)
    if project.settings is None or has_errors(project.diagnostics, strict):
        return _Pages(_result(project, False))
    staging = place()
    if isinstance(staging, str):
        return _Pages(_result(project, False, problems=[staging]))
    label = _label(project, site_dir.resolve())
    origins = tuple(api_origins(project.settings))
    try:
        site = render(project)  # render
        search = _engine(engine)(project, site, staging, defer_search=True)  # engine
        notices = site.rendered.notices if site.rendered else []
        site = None
        release_memory()  # the pages' values are on disk now
        findings = verify_pages(staging, project.settings.site_url, label, search_folder,
                                origins, versioned(CHECKED_PAGES))  # verify
    except EngineFailed as e:
        return _Pages(_result(project, False, problems=[str(e)]))
    notices = list(notices)
    gaps = publication_gaps(project.settings.data)
    if gaps:  # a preview may lack them; `site.production: true` refuses (S020)
        notices.append("这是预览版本：正式发布前还须在 settings.yml 中写明"
                       + "、".join(f"{what}（{setting_names(key)}）" for key, what in gaps)
                       + "，并写上 site.production: true。")
    return _Pages(_result(project, False, findings=at_page_sources(project, label, findings),
                          notices=notices),
                  search, project.settings.site_url, label, origins)


def _pages_apart(question, *args) -> _Pages:
    """`_pages` in the fork: the folder is asked of the parent, which holds the lock, and the
    project stays here (the parent gets what it reports)."""
    pages = _pages(lambda: question("place"), *args)
    pages.result.project = None
    return pages


class _Place:
    """The folder a build is made in, beside `site_dir`, and the lock on `site_dir` held
    while it exists; `close()` deletes what was not swapped in and releases the lock."""

    def __init__(self, root: Path, site_dir: Path, later: bool = False, recycle: bool = False
                 ) -> None:
        self.root, self.site_dir = root, site_dir
        self.later = later  # what killed builds left is deleted by a process of its own
        # the site is made in the one the last build replaced (engines/recycle.py), which is
        # kept again when this build is not published
        self.recycle = recycle
        self.taken = False
        self.target: Path | None = None  # `site_dir` resolved once, under the lock
        self.staging: Path | None = None
        self.lock = None

    def __call__(self, _asked: str = "place") -> Path | str:
        """The folder to build in, or why the build must not replace `site_dir`."""
        problem = site_dir_problem(self.root, self.site_dir)  # a build replaces the whole folder
        if problem is not None:
            return problem
        site_dir = self.target = self.site_dir.resolve()
        site_dir.parent.mkdir(parents=True, exist_ok=True)
        self.lock = lock_site(site_dir)  # held until the site is swapped in or given up
        if self.lock is None:
            return BUSY.format(site_dir)
        remove_stale(site_dir, self.later)  # what builds killed before cleaning up left behind
        self.staging = take_spare(site_dir) if self.recycle else None
        self.taken = self.staging is not None
        if self.staging is None:
            self.staging = new_staging(site_dir)
        return self.staging

    def close(self, give_back: bool = False) -> None:
        """`give_back`: the build ended as expected (refused by a check, a record's error), so
        the spare it took is kept again (only what matches is used); after anything unexpected
        (a file in it that could not be deleted …) the next build starts from an empty folder."""
        if self.staging is not None and self.taken and give_back:
            keep_spare(self.staging, self.target)
            self.staging = None
        if self.staging is not None and self.taken:
            remove_later(self.staging)
            self.staging = None
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
            self.staging = None
        if self.lock is not None:
            self.lock.close()
            self.lock = None


def render(project: Project, memo: dict | None = None):
    """The render stage: the whole site as plain values (render/site.py), the core's expected
    failures (two pages at one address, a broken mkdocs.yml) as an EngineFailed message."""
    from .render.pages import PageClash
    from .render.site import SiteProblem, render_values

    try:
        return render_values(project, memo)
    except (PageClash, SiteProblem) as e:
        raise EngineFailed(str(e)) from e


def _engine(name: str):
    """The engine stage: `build(project, site, out_dir, defer_search)` of the engine named
    (each imported only when it builds: the native one needs no MkDocs)."""
    if name == "native":
        from .engines.native import build_with_native

        return build_with_native
    from .engines.mkdocs import build_with_mkdocs

    return build_with_mkdocs


def at_page_sources(project: Project, label: str, findings: list[Diagnostic]) -> list[Diagnostic]:
    """A finding in a page made from a hand-written page (a broken link, a missing image) is
    reported where the editor wrote it: the file in docs/ and the line of the address."""
    from .render.pages import page_dir_url, page_link
    from .validate.story import _Locator, page_images, page_links
    from .verify.html import site_path

    by_output = {site_path(label, f"{page_dir_url(p.uri)}index.html"): p
                 for p in project.pages if p.published}
    out = []
    for d in findings:
        page = by_output.get(d.path)
        if page is None:
            out.append(d)
            continue
        written = {page_link(page.uri, href): href
                   for href in page_links(page.body) + page_images(page.body)}
        source = written.get(d.field, d.field)
        line, col = _Locator(page.body, page.body_line).at("](" + source, source) \
            if source in page.body else (page.body_line, 1)
        out.append(replace(d, path=page.path, line=line, col=col, field=source))
    return sorted(out, key=sort_key)


def _label(project: Project, site_dir: Path) -> str:
    try:
        return site_dir.relative_to(project.root.resolve()).as_posix()
    except ValueError:
        return str(site_dir)


# -- the live preview ---------------------------------------------------------------------------

@dataclass
class PreviewResult:
    """One run of the preview's pipeline."""

    project: Project
    ok: bool  # the site in the preview's folder is this project's
    problems: list[str] = field(default_factory=list)  # failures that are not record diagnostics
    written: list[str] = field(default_factory=list)  # files written again
    removed: list[str] = field(default_factory=list)  # files no longer part of the site
    checked: list[Diagnostic] | Future = field(default_factory=list)  # see `findings`
    changed: list[str] = field(default_factory=list)  # the watched files that changed
    seconds: float = 0.0
    search_error: Exception | None = None  # the last run's search index failed

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.project.diagnostics

    @property
    def findings(self) -> list[Diagnostic]:
        """The checks of the files written: made while the page is already on disk (and the
        search index under way), waited for here; what they raised is raised here."""
        if isinstance(self.checked, Future):
            self.checked = self.checked.result()
        return self.checked


class Preview:
    """The build's pipeline, run again after every edit into the preview's folder (with the
    native engine): load → validate → evaluate → render → engine (only the files whose bytes
    changed written, the files no longer in the site removed) → search (only the pages written
    indexed again, by a service kept between runs) → the post-build checks of what was written.
    A run that fails (a record's error, a broken template) leaves the last good site as it was."""

    def __init__(self, root: Path, out_dir: Path, build_date: dt.date | None = None) -> None:
        from .engines.native import Written

        self.root, self.out_dir, self.build_date = Path(root).resolve(), Path(out_dir), build_date
        self.memo: dict = {}  # render_site's, kept between runs
        self.layouts: dict = {}  # the native engine's pages as last laid out (native.lay_out)
        self.written = Written()  # what the folder holds, as the engine wrote it
        self.search_service = None
        self.search_job = None
        self.built = False  # a run has written a whole site
        self._checker: ThreadPoolExecutor | None = None  # the checks' thread
        self._checks: Future | None = None  # the last run's checks

    def update(self, changed: Collection[str] | None = None) -> PreviewResult:
        """Run the pipeline for `changed` (the watched files that changed, from the project's
        root; None: everything, as at the start). Nothing changed: nothing is done.

        After the first run, Python's collector of reference cycles waits until the pages are
        on disk: it walks every object the preview keeps (the memo of a whole site), about a
        tenth of a second each time it comes round, on the editor's way to the page. It runs
        again once this returns (beside the checks and the search index), whatever was made
        meanwhile still collected then."""
        pause = self.built and gc.isenabled()
        if pause:
            gc.disable()
        try:
            return self._update(changed)
        finally:
            if pause:
                gc.enable()

    def _update(self, changed: Collection[str] | None) -> PreviewResult:
        from .engines import native
        from .engines.pagefind import SearchIndexService

        started = time.monotonic()
        said = sorted(changed or ())
        if changed is not None and not said and self.built:
            return PreviewResult(self.project, True, changed=said)
        project = load_project(self.root, self.build_date)  # load → validate → evaluate
        if project.settings is None or has_errors(project.diagnostics, False):
            return PreviewResult(project, False, changed=said,
                                 seconds=time.monotonic() - started)
        try:
            site = render(project, self.memo)  # render
            # the indexer and the last run's checks read the pages: not while they are written
            search_error = self._wait_for_search()
            self._wait_for_checks()
            before = self.written
            try:
                done, self.written = native.update(site, self.out_dir, project.root, before,
                                                   self.layouts)
            except BaseException:
                self.written = native.Written()  # not known what was written: all next time
                self.built = False
                raise
        except EngineFailed as e:
            return PreviewResult(project, False, [str(e)], changed=said,
                                 seconds=time.monotonic() - started)
        self.project = project
        pages = self.written.pages
        if self.search_service is None:
            self.search_service = SearchIndexService()
        whole = not self.built or pages != before.pages  # pages came or went: all indexed again
        self.search_job = self.search_service.update(
            self.out_dir, None if whole else [u for u in done.written if u in pages], len(pages))
        findings: list[Diagnostic] | Future = []
        if self.built and (done.written or done.removed):
            if self._checker is None:
                self._checker = ThreadPoolExecutor(1, thread_name_prefix="preview-checks")
            findings = self._checks = self._checker.submit(
                self._check, project, done.written, done.removed, pages)
        self.built = True
        return PreviewResult(project, True, [], done.written, done.removed, findings, said,
                             time.monotonic() - started, search_error)

    def _check(self, project: Project, written: list[str], removed: list[str] = (),
               pages: Collection[str] = ()) -> list[Diagnostic]:
        """The post-build checks of the files an edit wrote (links, resources, leaks), and of
        the pages that may link to a file it removed (`linking_pages`): what `site-builder
        build` would refuse to publish, told while the editor works. Not of the first run's
        whole site: that would double the time the preview takes to start (11 s of 20 at 300
        brands), and `site-builder build` checks it all anyway."""
        from .verify import check_and_scan

        chosen = set(written)
        if removed:
            chosen |= linking_pages(self.out_dir, set(pages) - chosen, removed)
        if not chosen:
            return []
        label = _label(project, self.out_dir.resolve())
        findings = check_and_scan(self.out_dir, project.settings.site_url, label,
                                  chosen.__contains__, api_origins(project.settings))
        return at_page_sources(project, label, findings)

    def _wait_for_search(self):
        job, self.search_job = self.search_job, None
        return None if job is None else job.wait()

    def _wait_for_checks(self) -> None:
        """The last run's checks finished (their result, or what they raised, is the result's)."""
        checks, self._checks = self._checks, None
        if checks is not None:
            wait([checks])

    def wait_for_search(self):
        """Wait for the search index of the last run: its error, or None."""
        job = self.search_job
        return None if job is None else job.wait()

    def close(self) -> None:
        """The search index and the checks under way finished, the search service stopped."""
        self._wait_for_search()
        self._wait_for_checks()
        if self._checker is not None:
            self._checker.shutdown()
            self._checker = None
        if self.search_service is not None:
            self.search_service.close()
            self.search_service = None


def linking_pages(folder: Path, pages: Collection[str], removed: Collection[str]) -> set[str]:
    """Those of `pages` (in `folder`) that may link to a file in `removed`: a page an edit did
    not write can still hold a link that the edit broke (a hand-written page or another
    brand's story naming a brand that is no longer published). A link to `d/name` from a page
    outside the folder `d` names the folder's last part (and `name`, unless it is a page's
    index.html); from a page inside `d` it may name nothing but `name` ("../"). Names count as
    written, escaped for HTML or percent-encoded. The pages found are checked whole, where
    the checks decide; the others are left out. Reads the pages only when an edit removed
    something."""
    inside: list[tuple[str, set[bytes]]] = []  # (folder/, names a page in it must hold)
    outside: list[tuple[set[bytes], set[bytes]]] = []  # (folder's names, file's names)
    for uri in removed:
        folder_of, _, name = uri.rpartition("/")
        within = folder_of + "/" if folder_of else ""
        last = _forms(folder_of.rpartition("/")[2]) if folder_of else set()
        if name == "index.html":  # a page: "d/", "../d/" … or from below, "../"
            inside.append((within, set()))
            if last:
                outside.append((last, set()))
        else:
            inside.append((within, _forms(name)))
            if last:
                outside.append((last, _forms(name)))
    top = os.path.join(folder, "")
    found = set()
    for rel in pages:
        try:
            with open(top + rel, "rb") as f:
                data = f.read()
        except OSError:
            continue  # gone: the checks of the written files list what the folder holds
        if any(rel.startswith(at) and (not names or any(n in data for n in names))
               for at, names in inside) or \
                any(any(n in data for n in where) and (not names or any(n in data for n in names))
                    for where, names in outside):
            found.add(rel)
    return found


def _forms(name: str) -> set[bytes]:
    """`name` as a link may write it: as is, escaped for HTML, percent-encoded (either case)."""
    return {form.encode("utf-8") for form in (
        name, html_escape(name), quote(name), quote(name).lower(), quote(name, safe=""),
        quote(name, safe="").lower())}


# What the preview watches, from the project's root (and the docs folder mkdocs.yml names).
WATCHED = ("brands", "evaluations", "docs", "templates", "assets", "settings.yml", "mkdocs.yml")
POLL_S = 0.5


def watched_files(root: Path, extra: Collection[Path] = ()) -> dict[str, tuple]:
    """Every watched file with its size, change time and inode: what the preview compares to
    tell that something changed. Hidden files and editors' backups (~) are left out."""
    root = Path(root)
    out: dict[str, tuple] = {}

    def visit(path: Path) -> None:
        try:
            st = path.stat()
        except OSError:
            return
        if path.is_dir():
            try:
                entries = sorted(os.scandir(path), key=lambda e: e.name)
            except OSError:
                return
            for e in entries:
                if not e.name.startswith(".") and not e.name.endswith("~"):
                    visit(Path(e.path))
            return
        try:
            name = path.relative_to(root).as_posix()
        except ValueError:
            name = str(path)
        out[name] = (st.st_size, st.st_mtime_ns, st.st_ino)

    for name in WATCHED:
        visit(root / name)
    for path in extra:
        visit(Path(path))
    return out


def what_changed(before: dict[str, tuple], after: dict[str, tuple]) -> list[str]:
    return sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))


def _docs_dir(root: Path) -> list[Path]:
    """The docs folder mkdocs.yml names, when it is not the project's own (the demo's)."""
    from .render.site import SiteProblem, read_site_config

    try:
        docs = read_site_config(root).docs_dir
    except SiteProblem:
        return []
    return [] if docs == (root / "docs").resolve() else [docs]


def report_preview(result: PreviewResult, say: Callable[[str], None]) -> None:
    """What a run of the preview tells the editor, in Chinese."""
    from .diagnostics.output import format_diagnostics

    if result.diagnostics:
        say(format_diagnostics(result.diagnostics, "text"))
    for problem in result.problems:
        say(problem)
    if not result.ok:
        say("预览未更新：请改正上面列出的问题，浏览器中仍是上一次成功生成的站点。")
        return
    if result.search_error is not None:
        say(f"搜索索引未能更新：{result.search_error}")
    if result.findings:
        say(format_diagnostics(result.findings, "text"))
        say(f"提示：以上 {len(result.findings)} 个问题会让 site-builder build 拒绝发布。")
    if result.written or result.removed:
        said = f"已更新 {len(result.written)} 个文件"
        if result.removed:
            said += f"，删除 {len(result.removed)} 个"
        say(f"{said}（{result.seconds:.1f} 秒）。")


def serve_site(root: Path, host: str, port: int, engine: str = DEFAULT_ENGINE,
               out_dir: Path | None = None, stop: threading.Event | None = None,
               poll_s: float = POLL_S, build_date: dt.date | None = None,
               say: Callable[[str], None] | None = None,
               ready: Callable[[object], None] | None = None) -> None:
    """The live preview at http://host:port/ until `stop` is set (or Ctrl+C): the site built
    once, then again after every change to the watched files, the open pages reloaded. With the
    native engine into `out_dir` (else a temporary folder, removed at the end); `ready` is
    given the server once it listens. A first run that fails for the editor's reasons is an
    EngineFailed; the port is the caller's to check (an OSError when the server cannot listen
    there)."""
    if engine not in ENGINES:
        raise ValueError(f"unknown engine {engine!r}")
    if engine == "mkdocs":
        from .engines.mkdocs import serve_with_mkdocs

        if not (root / "mkdocs.yml").is_file():  # the plugin finds its project beside the file
            raise EngineFailed("用 MkDocs 预览需要项目自己的 mkdocs.yml；请用 site-builder serve 预览"
                               "（默认的版式，不需要这个文件）")
        serve_with_mkdocs(root, host=host, port=port)
        return
    from .engines.native import serve

    def print_out(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    say = say or print_out
    root = Path(root).resolve()
    own = out_dir is None
    folder = Path(tempfile.mkdtemp(prefix="site-builder-preview-")) if own else Path(out_dir)
    preview = Preview(root, folder, build_date)
    server = None
    stopped_by = _stop_on_terminate()
    try:
        extra = _docs_dir(root)
        seen = watched_files(root, extra)
        first = preview.update()
        report_preview(first, say)
        if not first.ok:
            raise EngineFailed("预览未启动：请先改正上面列出的问题，再运行 site-builder serve")
        server = serve(folder, host, port, root)
        say(f"预览地址：{server.url} —— 修改品牌档案、评选、页面、模板或 settings.yml 后，"
            "页面会自动刷新。按 Ctrl+C 退出。")
        if ready is not None:
            ready(server)
        stop = stop or threading.Event()
        while not stop.wait(poll_s):
            now = watched_files(root, extra)
            changed = what_changed(seen, now)
            if not changed:
                continue
            time.sleep(min(poll_s, 0.1))  # an editor saving several files at once
            now = watched_files(root, extra)
            changed = what_changed(seen, now)
            seen = now
            if "mkdocs.yml" in changed:
                extra = _docs_dir(root)
            try:
                result = preview.update(changed)
                if result.written or result.removed:
                    server.reload()  # the pages are on disk; their checks may still run
                report_preview(result, say)
            except Exception as e:  # noqa: BLE001 -- a bug or a broken template: the preview goes on
                say(f"预览更新失败：{type(e).__name__}: {e}。浏览器中仍是上一次成功生成的站点；"
                    "改正后保存，预览会再试。")
    except KeyboardInterrupt:
        pass
    finally:
        if server is not None:
            server.close()
        preview.close()
        if own:
            shutil.rmtree(folder, ignore_errors=True)
        for signum, handler in stopped_by.items():
            signal.signal(signum, handler)


def _stop_on_terminate() -> dict:
    """Make SIGTERM (`kill`, a service manager) and SIGHUP (the terminal window closed) end the
    preview as Ctrl+C does, so that its search service stops and its temporary folder is
    removed; by default either ends the process on the spot. The first one ends it; any more
    while it cleans up are ignored (closing a terminal can send SIGHUP twice). A signal the
    process was started ignoring (`nohup`) stays ignored. Returns the handlers to put back
    (none outside the main thread, where Python lets no handler be set)."""
    if threading.current_thread() is not threading.main_thread():
        return {}
    ours = [s for s in (signal.SIGTERM, getattr(signal, "SIGHUP", None))
            if s is not None and signal.getsignal(s) not in (signal.SIG_IGN, None)]

    def stop(signum, frame):
        for s in ours:
            signal.signal(s, signal.SIG_IGN)
        raise KeyboardInterrupt

    return {s: signal.signal(s, stop) for s in ours}
