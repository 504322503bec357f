"""Gathering a project before anything is written: load → validate → evaluate, every diagnostic collected."""

from __future__ import annotations

import ctypes
import datetime as dt
import hashlib
import multiprocessing
import os
import pickle
import posixpath
import signal
import sys
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path

from .cache import cache_note, cache_setting
from .diagnostics import Code, Diagnostic, Severity, make_diagnostic, sort_key
from .evaluate.awards import check_levels
from .evaluate.rounds import evaluate_round
from .evaluate.schedule import hold_early_consents, on_schedule
from .load.brands import brand_files, load_brand
from .load.news import load_news, news_files
from .load.pages import load_page, page_files
from .load.rounds import load_round, round_files
from .load.settings import load_settings
from .model import SETTINGS_FILE, Brand, NewsItem, Page, Round, Settings
from .system import libc_function
from .validate.brands import check_unique, validate_brand
from .validate.files import check_docs_files
from .validate.news import validate_news
from .validate.pages import check_page_links, validate_page
from .validate.rounds import validate_round


@dataclass
class Project:
    root: Path
    settings: Settings | None
    brands: list[Brand] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    evaluations: list[Round] = field(default_factory=list)  # valid selection rounds, any status
    pages: list[Page] = field(default_factory=list)  # valid hand-written pages, any status
    news: list[NewsItem] = field(default_factory=list)  # valid news and events, any status
    files: set[str] = field(default_factory=set)  # docs/ files beside the pages that passed
    build_date: dt.date = field(default_factory=lambda: resolve_build_date())

    @property
    def ok(self) -> bool:
        return self.settings is not None and not any(
            d.severity is Severity.ERROR for d in self.diagnostics)

    @property
    def published(self) -> list[Brand]:
        return [b for b in self.brands if b.published]


def find_root(start: Path | None = None) -> Path:
    """The project root: the nearest folder upwards holding settings.yml (else the start)."""
    start = (start or Path.cwd()).resolve()
    for p in (start, *start.parents):
        if (p / SETTINGS_FILE).is_file():
            return p
    return start


# The build date is a calendar date in China Standard Time (UTC+8, no daylight saving).
BUILD_TZ = dt.timezone(dt.timedelta(hours=8))


def resolve_build_date(explicit: dt.date | None = None) -> dt.date:
    """The date a build is for: `explicit` (from --date), else SOURCE_DATE_EPOCH, else today.
    Selection rounds move from phase to phase by this date, so fixing it makes builds repeatable."""
    if explicit is not None:
        return explicit
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), BUILD_TZ).date()
    return dt.datetime.now(BUILD_TZ).date()


def load_project(root: Path, build_date: dt.date | None = None) -> Project:
    """The project as the pipeline's first stages see it: settings, then every brand record,
    then every selection round (after the brands they name), then levels against results."""
    settings, diags = load_settings(root)
    project = Project(root, settings, [], list(diags), build_date=resolve_build_date(build_date))
    note = cache_note()  # a cache folder a commit can write into is never read (cache.py)
    if note:
        where, setting = cache_setting()
        project.diagnostics.append(make_diagnostic(where, 1, 1, Code.S013, setting, note))
    if settings is None:
        return project
    brands, bdiags = gather_brands(root, settings)
    unheld = on_schedule(brands, project.build_date)
    brands, cdiags = hold_early_consents(unheld, project.build_date)
    project.brands = brands
    project.diagnostics.extend(bdiags + cdiags)
    pages, pdiags = gather_pages(root, settings)
    project.pages = pages
    checked = check_docs_files(root)  # the files beside the pages: FILE_TYPES or refused
    project.files = checked.accepted
    project.diagnostics.extend(checked.diagnostics)
    project.diagnostics.extend(pdiags)
    rounds, rdiags = gather_rounds(root, settings, brands, project.build_date)
    rounds = project.evaluations = on_schedule(rounds, project.build_date)
    project.diagnostics.extend(rdiags)
    project.diagnostics.extend(check_levels(brands, rounds, settings, project.build_date))
    news, ndiags = gather_news(root, settings, brands, unheld)
    project.news = on_schedule(news, project.build_date)
    project.diagnostics.extend(ndiags)
    project.diagnostics.sort(key=sort_key)
    return project


def check_brand(root: Path, relpath: str, vocab: dict[str, list[str]],
                data: bytes | None = None) -> tuple[Brand | None, list[Diagnostic]]:
    """One record through load → validate: the Brand (None when anything is wrong) and its
    diagnostics."""
    if data is None:
        data = (root / relpath).read_bytes()
    rec, rep = load_brand(relpath, data, vocab)
    brand = validate_brand(root, rec) if rec is not None else None
    return brand, rep.items


def gather_brands(root: Path, settings: Settings) -> tuple[list[Brand], list[Diagnostic]]:
    """Every record in `brands/`, then slugs and names checked across records."""
    brands: list[Brand] = []
    diags: list[Diagnostic] = []
    files = brand_files(root)
    vocab_key = repr(sorted(settings.vocab.items()))
    if len(_RECORD_CACHE) > 2 * len(files) + 200:  # bounded across many edits and projects
        _RECORD_CACHE.clear()
    keys, todo = [], []
    top = os.path.join(root, "")  # paths as text: pathlib's parsing was 0.1 s at 5,000 brands
    for relpath in files:
        with open(top + relpath, "rb") as f:
            data = f.read()
        key = (str(root), relpath, hashlib.blake2b(data, digest_size=16).digest(),
               _folder_signature(top + relpath.removesuffix(".md")), vocab_key)
        keys.append(key)
        if key not in _RECORD_CACHE:
            todo.append((key, relpath, data))
    for (key, _, _), result in zip(todo, _check_brands(root, todo, settings.vocab), strict=True):
        _RECORD_CACHE[key] = result
    for key in keys:
        brand, d = _RECORD_CACHE[key]
        diags.extend(d)
        if brand is not None:
            brands.append(brand)
    diags.extend(check_unique(brands))
    return brands, diags


# Records are checked each on its own (their slugs and names are compared afterwards): from
# this many on, a fork of this process, made while it holds little, checks every other one
# beside it. Not when other threads run (a live preview): a fork copies their locks as held.
PARALLEL_RECORDS = 200
# The fork's half takes about as long as this process's own, which it runs beside: once this
# half is done, the fork gets this much longer (ten minutes; validating 5,000 brands with 11,738
# images took 22.5 s in all, bench/README.md) before it is taken to be stuck, killed, and the
# load given up.
FORK_TIMEOUT_S = 600


class RecordCheckTimeout(RuntimeError):
    """The records' second process did not finish in time: it was killed and nothing was
    gathered (the message is for editors)."""


def _check_brands(root: Path, todo: list[tuple], vocab: dict[str, list[str]]) -> list[tuple]:
    """`check_brand` of each (key, relpath, data), in order."""
    mine = todo[0::2]
    if (len(todo) < PARALLEL_RECORDS or _cores() < 2 or threading.active_count() > 1
            or not sys.platform.startswith("linux")):  # macOS: fork is unsafe with its libraries
        return [check_brand(root, relpath, vocab, data) for _, relpath, data in todo]
    fork = Fork(_check_some, root, [(r, d) for _, r, d in todo[1::2]], vocab)
    try:
        ours = [check_brand(root, relpath, vocab, data) for _, relpath, data in mine]
        others = fork.result(FORK_TIMEOUT_S)  # a failure there is raised here, with its traceback
    finally:
        fork.stop()
    out = []
    for i in range(len(todo)):
        out.append(ours[i // 2] if i % 2 == 0 else others[i // 2])
    return out


class Fork:
    """`fn(*args)` in a fork of this process, beside it. The fork dies with this process (a
    build killed mid-way leaves nothing running) and is killed when it takes too long. With
    `ask`, `fn` is called as `fn(question, *args)`: `question(value)` waits in the fork for
    `ask(value)`, answered here while `result` waits. `what` names the fork in messages."""

    def __init__(self, fn, *args, ask=None, what: str = "第二个校验进程") -> None:
        ctx = multiprocessing.get_context("fork")
        self._answer, send = ctx.Pipe(duplex=ask is not None)
        self._ask, self._what = ask, what
        # not a daemon: a daemon may not fork again (the build's fork forks for the records);
        # `stop` collects it, and it dies with this process (`die_with_parent`)
        self._proc = ctx.Process(target=_forked, args=(os.getpid(), send, fn, args, ask is not None))
        self._proc.start()
        self._answered = False
        send.close()  # the fork holds the only writing end: its end reads as end of file here

    def result(self, timeout: float | None):
        """Its return value, or what it raised raised here; `RecordCheckTimeout` when it has
        neither given one within `timeout` seconds (None: no limit) of waiting for it."""
        while True:
            self._answered = self._answer.poll(timeout)
            if not self._answered:
                raise RecordCheckTimeout(
                    f"{self._what}超过 {timeout:.0f} 秒仍未完成品牌档案的校验，已停止它，"
                    "本次没有生成任何内容。请再运行一次；仍然超时的话，请加 --debug 运行并把输出交给维护人员。")
            try:
                ok, value, trace = self._answer.recv()
            except (EOFError, OSError):  # it ended (or was killed) without an answer
                raise self._ended() from None
            if ok is None:  # a question; what answering it raises is raised here
                self._answered = False
                answer = self._ask(value)
                try:
                    self._answer.send(answer)
                except OSError:  # it ended meanwhile
                    raise self._ended() from None
                continue
            if not ok:
                error, causes = value
                for cause in causes:  # the chain as it was raised there (pickling drops it)
                    error.__cause__, error = cause, cause
                error.__cause__ = _Remote(trace)
                raise value[0]
            return value

    def _ended(self) -> RuntimeError:
        self._proc.join(5)
        code = self._proc.exitcode
        memory = "，可能是内存不足" if code == -signal.SIGKILL else ""
        return RuntimeError(f"{self._what}意外退出（退出码 {code}{memory}）。")

    def stop(self) -> None:
        """Collect it: a fork that answered is given a moment to end, any other is killed."""
        self._proc.join(5 if self._answered else 0)
        if self._proc.is_alive():
            self._proc.kill()
        self._proc.join()
        self._answer.close()


class _Remote(Exception):
    """The traceback of an exception raised in a fork, shown as its cause."""

    def __str__(self) -> str:
        return "\n" + self.args[0]


def _forked(parent: int, send, fn, args, asks: bool = False) -> None:
    die_with_parent(parent)

    def question(value):
        send.send((None, value, None))
        return send.recv()

    try:
        answer = (True, fn(question, *args) if asks else fn(*args), None)
    except BaseException as e:  # noqa: BLE001 -- handed to the parent, raised there
        chain, seen = [], {id(e)}
        cause = e.__cause__ or e.__context__
        while cause is not None and id(cause) not in seen and len(chain) < 8:
            seen.add(id(cause))
            chain.append(_portable(cause))
            cause = cause.__cause__ or cause.__context__
        answer = (False, (_portable(e), chain), traceback.format_exc())
    try:
        send.send(answer)
    except Exception as e:  # noqa: BLE001 -- what it returned cannot be pickled
        send.send((False, (RuntimeError(f"进程的结果无法传回：{e!r}"), []), answer[2] or ""))


def _portable(error: BaseException) -> BaseException:
    """`error` if it comes back whole through pickle (its type, arguments and errno), else a
    RuntimeError saying what it was."""
    try:
        back = pickle.loads(pickle.dumps(error))
    except Exception:  # noqa: BLE001 -- an exception class whose arguments do not round-trip
        back = None
    if type(back) is type(error) and back.args == error.args:
        return error
    return RuntimeError(f"{type(error).__name__}: {error}")


_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


# prctl(2), found once in this process (see system.libc_function)
_PRCTL = libc_function("prctl", [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong,
                                 ctypes.c_ulong])


def die_with_parent(parent: int) -> None:
    """In a child just forked: be killed when the parent `parent` ends (Linux; kept across
    exec), and end now when it already has (it died before this call). The signal comes when
    the *thread* that started the child ends: start children from the thread that waits for
    them."""
    if _PRCTL is not None:
        _PRCTL(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != parent:
        os._exit(1)


# `die_with_parent` as the first lines of a child interpreter (`python -c CHILD_GUARD + …
# PARENT_PID …`), which takes the parent's pid out of its arguments: the child sets it up
# itself, so the parent starts it without a `preexec_fn` (unsafe while threads run).
CHILD_GUARD = (
    "import ctypes, os, signal, sys\n"
    "if sys.platform.startswith('linux'):\n"
    "    ctypes.CDLL(None).prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG\n"
    "if os.getppid() != int(sys.argv.pop(1)):\n"
    "    os._exit(1)\n")


def _cores() -> int:
    """The cores this process may run on (a container's or a CI runner's limit)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def _check_some(root: Path, records: list[tuple[str, bytes]], vocab) -> list[tuple]:
    return [check_brand(root, relpath, vocab, data) for relpath, data in records]


# A live preview loads the project again after every edit: a record whose bytes, image folder
# and vocabularies are unchanged gives the same result, so it is not parsed again.
_RECORD_CACHE: dict[tuple, tuple[Brand | None, list[Diagnostic]]] = {}
# The same for a round, whose checks also read which brands exist and which are published.
_ROUND_CACHE: dict[tuple, tuple[Round | None, list[Diagnostic]]] = {}


def _stems(relpaths: list[str]) -> set[str]:
    """The records' names without their suffix (as `Path.stem`, without parsing each path)."""
    return {posixpath.splitext(posixpath.basename(p))[0] for p in relpaths}


def _folder_signature(folder: str) -> tuple:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return ()
    return tuple((e.name, e.stat(follow_symlinks=False).st_size,
                  e.stat(follow_symlinks=False).st_mtime_ns) for e in entries)


def gather_pages(root: Path, settings: Settings) -> tuple[list[Page], list[Diagnostic]]:
    """Every hand-written page in docs/ through load → validate, then links between them."""
    pages: list[Page] = []
    diags: list[Diagnostic] = []
    files = page_files(root)
    for relpath in files:
        rec, rep = load_page(relpath, (root / relpath).read_bytes(), settings.vocab)
        page = validate_page(rec) if rec is not None else None
        diags.extend(rep.items)
        if page is not None:
            pages.append(page)
    all_pages = {p.removeprefix("docs/") for p in files}
    diags.extend(check_page_links(pages, all_pages))
    return pages, diags


def check_round(relpath: str, data: bytes, settings: Settings, known: dict[str, Brand],
                brand_files: set[str], today: dt.date) -> tuple[Round | None, list[Diagnostic]]:
    """One round file through load → validate → evaluate."""
    rec, rep = load_round(relpath, data, settings.vocab)
    rnd = validate_round(rec, known, brand_files, today) if rec is not None else None
    return (evaluate_round(rnd, today) if rnd is not None else None), rep.items


def gather_rounds(root: Path, settings: Settings, brands: list[Brand],
                  today: dt.date) -> tuple[list[Round], list[Diagnostic]]:
    """Every round in `evaluations/`; rounds with any error are reported and left out."""
    stems = _stems(brand_files(root))
    known = {b.slug: b for b in brands}
    rounds: list[Round] = []
    diags: list[Diagnostic] = []
    # what a round's checks read of the brands: which exist, which are published, and when
    brands_key = hashlib.blake2b(repr((sorted(stems), sorted(
        (b.slug, b.status, b.published, b.get("publish_from")) for b in brands))).encode(),
        digest_size=16).digest()
    vocab_key = repr(sorted(settings.vocab.items()))
    files = round_files(root)
    if len(_ROUND_CACHE) > 2 * len(files) + 50:
        _ROUND_CACHE.clear()
    for relpath in files:
        data = (root / relpath).read_bytes()
        key = (str(root), relpath, hashlib.blake2b(data, digest_size=16).digest(), brands_key,
               vocab_key, today)
        cached = _ROUND_CACHE.get(key)
        if cached is None:
            cached = _ROUND_CACHE[key] = check_round(relpath, data, settings, known, stems, today)
        rnd, d = cached
        diags.extend(d)
        if rnd is not None:
            rounds.append(rnd)
    return rounds, diags


def gather_news(root: Path, settings: Settings, brands: list[Brand],
                unheld: list[Brand] | None = None) -> tuple[list[NewsItem], list[Diagnostic]]:
    """Every record in `news/` through load → validate, its links checked against `brands`
    (as of the build date; `unheld`: the same with people whose consent is not yet in effect)."""
    stems = _stems(brand_files(root))
    known = {b.slug: b for b in brands}
    items: list[NewsItem] = []
    diags: list[Diagnostic] = []
    for relpath in news_files(root):
        rec, rep = load_news(relpath, (root / relpath).read_bytes(), settings.vocab)
        item = (validate_news(root, rec, known, stems, {b.slug: b for b in unheld or brands})
                if rec is not None else None)
        diags.extend(rep.items)
        if item is not None:
            items.append(item)
    return items, diags
