"""Gathering a project before anything is written: load → validate → evaluate, every diagnostic collected."""

from __future__ import annotations

import datetime as dt
import hashlib
import multiprocessing
import os
import sys
import threading
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .diagnostics import Diagnostic, Severity, sort_key
from .evaluate.awards import check_levels
from .evaluate.rounds import evaluate_round
from .evaluate.schedule import on_schedule
from .load.brands import brand_files, load_brand
from .load.pages import load_page, page_files
from .load.rounds import load_round, round_files
from .load.settings import load_settings
from .model import BRANDS_DIR, SETTINGS_FILE, Brand, Page, Round, Settings
from .validate.brands import check_unique, validate_brand
from .validate.pages import check_docs_files, check_page_links, validate_page
from .validate.rounds import validate_round


@dataclass
class Project:
    root: Path
    settings: Settings | None
    brands: list[Brand] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    evaluations: list[Round] = field(default_factory=list)  # valid selection rounds, any status
    pages: list[Page] = field(default_factory=list)  # valid hand-written pages, any status
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
    if settings is None:
        return project
    brands, bdiags = gather_brands(root, settings)
    brands = project.brands = on_schedule(brands, project.build_date)
    project.diagnostics.extend(bdiags)
    pages, pdiags = gather_pages(root, settings)
    project.pages = pages
    project.diagnostics.extend(pdiags)
    rounds, rdiags = gather_rounds(root, settings, brands, project.build_date)
    rounds = project.evaluations = on_schedule(rounds, project.build_date)
    project.diagnostics.extend(rdiags)
    project.diagnostics.extend(check_levels(brands, rounds, settings))
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
    for relpath in files:
        data = (root / relpath).read_bytes()
        key = (str(root), relpath, hashlib.blake2b(data, digest_size=16).digest(),
               _folder_signature(root / BRANDS_DIR / Path(relpath).stem), vocab_key)
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


def _check_brands(root: Path, todo: list[tuple], vocab: dict[str, list[str]]) -> list[tuple]:
    """`check_brand` of each (key, relpath, data), in order."""
    mine = todo[0::2]
    if (len(todo) < PARALLEL_RECORDS or _cores() < 2 or threading.active_count() > 1
            or not sys.platform.startswith("linux")):  # macOS: fork is unsafe with its libraries
        return [check_brand(root, relpath, vocab, data) for _, relpath, data in todo]
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        theirs = pool.submit(_check_some, root, [(r, d) for _, r, d in todo[1::2]], vocab)
        ours = [check_brand(root, relpath, vocab, data) for _, relpath, data in mine]
        others = theirs.result()  # a failure there is raised here, with its traceback
    out = []
    for i in range(len(todo)):
        out.append(ours[i // 2] if i % 2 == 0 else others[i // 2])
    return out


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


def _folder_signature(folder: Path) -> tuple:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return ()
    return tuple((e.name, e.stat(follow_symlinks=False).st_size,
                  e.stat(follow_symlinks=False).st_mtime_ns) for e in entries)


def gather_pages(root: Path, settings: Settings) -> tuple[list[Page], list[Diagnostic]]:
    """Every hand-written page in docs/ through load → validate, then links between them."""
    pages: list[Page] = []
    diags = check_docs_files(root)
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
    rnd = validate_round(rec, known, brand_files) if rec is not None else None
    return (evaluate_round(rnd, today) if rnd is not None else None), rep.items


def gather_rounds(root: Path, settings: Settings, brands: list[Brand],
                  today: dt.date) -> tuple[list[Round], list[Diagnostic]]:
    """Every round in `evaluations/`; rounds with any error are reported and left out."""
    stems = {Path(p).stem for p in brand_files(root)}
    known = {b.slug: b for b in brands}
    rounds: list[Round] = []
    diags: list[Diagnostic] = []
    # what a round's checks read of the brands: which exist, and which are published
    brands_key = hashlib.blake2b(repr((sorted(stems), sorted(
        (b.slug, b.status, b.published) for b in brands))).encode(), digest_size=16).digest()
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
