"""What the checks found in each page and data file of a site, kept between builds in the cache
folder (`cache.versioned(CHECKED_PAGES)`): a file whose bytes, address and checking code are
all unchanged is not parsed again (it is still read, to be named).

An entry is named by the SHA-256 of this program's own version (`cache.code_fingerprint`: every
module of the package, Python, Pillow and its decoders), what else the checks are given (the
site's address), the file's address in the site and its bytes. It holds the leaks found in the
file and, for a page, what the page refers to (`links._Page`), exactly as reading the file gave
them. The checks that read every page together (links, anchors, missing files) keep what
each page's lookups found in one entry for the whole site (`LinkMemo`, below). Images are not kept: their header is read sooner than an entry would be. An entry that
cannot be read, or holds anything but what `put` writes, is a miss: the file is read again
and the entry written again.

An entry says "nothing was found in this file", so one planted in the cache folder could hide
a personal number. Entries are therefore named and sealed with the cache's secret, which is
kept outside the cache folder (`cache.entry`, `cache.seal`): without it no one can write an
entry this program takes for its own, and one whose seal fails is a miss. Checking the file
again instead would cost what the memo saves (the parse is the work), so the seal it is.
"""

from __future__ import annotations

import json
from pathlib import Path

from ..cache import entry, is_entry, read_entry, seal, unseal, write_atomic
from ..diagnostics import Code, Diagnostic, Severity
from .links import _Page


class PageMemo:
    """Entries in `folder`, one file each; `get` and `put` speak in pages and diagnostics.
    `data` is a file's bytes (a page's text encoded again, as the checks read it); `context`
    is what else the checks are given."""

    def __init__(self, folder: Path, context: str = "") -> None:
        self.folder = Path(folder)
        self.context = context.encode("utf-8", "surrogateescape")

    def _file(self, rel: str, data: bytes) -> Path:
        return entry(self.folder, self.context, rel.encode("utf-8", "surrogateescape"), data,
                     suffix=".json")

    def holds(self, rel: str, data: bytes) -> bool:
        return is_entry(self._file(rel, data))

    def get(self, rel: str, data: bytes, path: str):
        """(page or None, findings at `path`) as reading the file gave them, or None."""
        try:
            file = self._file(rel, data)
            sealed = unseal(file.name, read_entry(file))
            if sealed is None:
                return None  # not kept, or not kept by this program
            kept = json.loads(sealed)
            if not isinstance(kept, dict):
                return None
            page = kept["page"]
            if page is not None:
                meta = page["meta"]
                if not isinstance(meta, dict) or not all(
                        isinstance(k, str) and isinstance(v, str) for k, v in meta.items()):
                    return None
                title, ids = page["title"], _list(page["ids"])
                if title is not None and not isinstance(title, str) or not all(
                        isinstance(i, str) for i in ids):
                    return None
                page = _Page(title, set(ids), _rows(page["refs"], (int, int, str, str, str)),
                             _rows(page["css"], (int, int, str)),
                             _rows(page["scripts"], (int, int, str)), dict(meta))
            findings = []
            for line, col, sev, code, field, message in _rows(
                    kept["findings"], (int, int, str, str, str, str)):
                if code not in Code.__members__:
                    return None
                findings.append(Diagnostic(path, line, col, Severity(sev), code, field, message))
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            return None  # not kept, or not what `put` writes: read the file again
        return page, findings

    def put(self, rel: str, data: bytes, path: str, page, findings: list[Diagnostic]) -> None:
        """Keep what reading the file gave; findings elsewhere than `path` are never kept."""
        if any(d.path != path for d in findings):
            return
        kept = {"page": None if page is None else {
                    "title": page.title, "ids": sorted(page.ids), "refs": page.refs,
                    "css": page.css, "scripts": page.scripts, "meta": page.meta},
                "findings": [(d.line, d.col, d.severity.value, d.code, d.field, d.message)
                             for d in findings]}
        try:
            file = self._file(rel, data)
            write_atomic(file, seal(file.name, json.dumps(kept, ensure_ascii=False).encode()))
        except (OSError, UnicodeError):
            pass  # a cache that cannot be written only costs the next build a parse


def _list(value) -> list:
    if not isinstance(value, list):
        raise TypeError("not a list")
    return value


def _rows(value, kinds: tuple[type, ...]) -> list[tuple]:
    """`value` as a list of tuples of exactly these kinds (a bool is no number here)."""
    rows = []
    for row in _list(value):
        # a row of exactly these types (what json.loads makes) passes at once; any other is
        # looked at closely
        exact = type(row) is list and tuple(map(type, row)) == kinds
        if not exact and (not isinstance(row, list) or len(row) != len(kinds) or not all(
                isinstance(v, k) and not isinstance(v, bool) for v, k in zip(row, kinds))):
            raise TypeError("not a row of the expected kinds")
        rows.append(tuple(row))
    return rows


class LinkMemo:
    """What resolving each page's addresses found in the last build of a site, kept as one
    sealed entry in `folder` (named by `context`: the site's address, the editor's API origins,
    the layout's generator): for every page, the digest of its bytes, its findings, and each
    lookup its addresses made in the site's listing with the answer it got (a file found, or
    none; an anchor missing or not; a script loaded). A page whose bytes are unchanged and whose
    every lookup gets the same answer in the new site has the same findings: its addresses are
    not resolved again. A page whose target appeared or disappeared (a removed page, a new one)
    or lost an anchor gets another answer to that lookup and is checked again; so is every
    changed page. The entry says "nothing was found", hence the seal (as `PageMemo`'s)."""

    def __init__(self, folder: Path, context: str) -> None:
        self.folder = Path(folder)
        self.context = context.encode("utf-8", "surrogateescape")
        self.pages: dict = {}
        # every page's lookups and anchors, each kept once: [address, trailing "/", file found]
        # and [file, anchor, missing]; a page names them by their place in these lists
        self.lookups: list = []
        self.anchors: list = []

    def _file(self) -> Path:
        return entry(self.folder, b"links", self.context, suffix=".links")

    def load(self) -> dict:
        """{page: [digest, findings, lookups, anchors, scripts]} as `save` wrote it, or {}."""
        self.pages, self.lookups, self.anchors = {}, [], []
        try:
            file = self._file()
            sealed = unseal(file.name, read_entry(file))
            if sealed is not None:
                kept = json.loads(sealed)
                pages, lookups, anchors = kept["pages"], kept["lookups"], kept["anchors"]
                if isinstance(pages, dict) and isinstance(lookups, list) and \
                        isinstance(anchors, list):
                    self.pages, self.lookups, self.anchors = pages, lookups, anchors
        except (OSError, ValueError, KeyError, TypeError, RecursionError):
            pass
        return self.pages

    def save(self, checked: dict) -> None:
        """Keep `checked`: {page: (entry, whether checked again)}, an entry kept from `load`
        naming its lookups by their places, one checked again listing them."""
        if not any(again for _, again in checked.values()) and checked.keys() == self.pages.keys():
            return  # what was loaded
        tables: tuple[list, list] = ([], [])
        places: tuple[dict, dict] = ({}, {})
        olds = (self.lookups, self.anchors)

        def place(which: int, item) -> int:
            key = tuple(item)
            at = places[which].get(key)
            if at is None:
                at = places[which][key] = len(tables[which])
                tables[which].append(item)
            return at

        pages = {}
        try:
            for rel, (kept, again) in checked.items():
                if kept is None:
                    continue
                digest, findings, lookups, anchors, scripts = kept
                if not again:  # places in the loaded lists
                    lookups = [olds[0][i] for i in lookups]
                    anchors = [olds[1][i] for i in anchors]
                pages[rel] = [digest, findings, [place(0, item) for item in lookups],
                              [place(1, item) for item in anchors], scripts]
            file = self._file()
            write_atomic(file, seal(file.name, json.dumps(
                {"pages": pages, "lookups": tables[0], "anchors": tables[1]},
                ensure_ascii=False, separators=(",", ":")).encode()))
        except (OSError, UnicodeError, TypeError, ValueError, IndexError):
            pass  # a cache that cannot be written only costs the next build the resolving
