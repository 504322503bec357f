"""What the checks found in each page, data file and image of a site, kept between builds in the
cache folder (`cache.versioned(CHECKED_PAGES)`): a file whose address and bytes are unchanged
(and the checking code: the folder's version) is not parsed again (it is still read, and its
bytes hashed, to be named); an image whose bytes were looked at before is not opened again.

What one part of a site's checks found (`verify_pages`: every file but the search index;
`verify_search`: the index) is ONE sealed entry (`PageMemo`), named by what else the checks are
given (the site's address) and the part: read once, in one piece (`cache.packed`), when the
checks start, and written again, holding the files and images of this build only, when anything
changed. It holds, for each file, the SHA-256 of its bytes, the leaks found in it and, for a
page, what the page holds (`links._Page`; what it refers to, most of it, on a line of its own,
read only when the page's addresses are resolved again: `_KeptPage`), exactly as reading the
file gave them; for each image, by the SHA-256 of its bytes alone (Pillow reads the bytes,
never the name), what `leaks.image_problems` found in it (reading and hashing an image costs a
fifth of opening it with Pillow). A file looked up under another digest, an image whose digest
is not kept, or an entry that cannot be read or holds anything but what `save` writes, is a
miss: the file is read again. The checks that read every page together (links, anchors, missing
files) keep what each page's lookups found in one entry for the whole site (`LinkMemo`, below).

An entry says "nothing was found in this file", so one planted in the cache folder could hide
a personal number. Entries are therefore named and sealed with the cache's secret, which is
kept outside the cache folder (`cache.entry`, `cache.seal`): without it no one can write an
entry this program takes for its own, and one whose seal fails is a miss for every file.
Checking the file again instead would cost what the memo saves (the parse is the work), so the
seal it is.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from ..cache import (
    entry,
    mark_used,
    packed,
    read_entry,
    seal,
    unpacked,
    unseal,
    unseal_view,
    write_atomic,
    write_sealed_parts,
)
from ..diagnostics import Code, Diagnostic, Severity
from .links import _Page, file_digest

_FILE, _IMAGE = "file", "image"  # the kinds of items of an entry
_FINDING = (int, int, str, str, str, str)  # line, column, severity, code, field, message


def _dumps(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


class PageMemo:
    """The entry of one part of a site's checks in `folder` (see the module's docstring);
    `get`/`put` speak in pages and diagnostics, `image`/`put_image` in an image's problems.
    `context` is what else the checks are given. Without a folder it only records what is put
    (a helper process's, handed back with `made` and taken in with `adopt`)."""

    def __init__(self, folder: Path | None, context: str = "", part: str = "") -> None:
        self.folder = None if folder is None else Path(folder)
        self.context = context.encode("utf-8", "surrogateescape")
        self.part = part
        # as read: {address: (digest, item)} and {digest: item}; None until read
        self._files: dict[str, tuple[str, bytes]] | None = None
        self._images: dict[str, bytes] = {}
        # what this build looked up and found kept, or made: written by `save`
        self._files_now: dict[str, tuple[str, bytes]] = {}
        self._images_now: dict[str, bytes] = {}
        self._looked: dict[str, tuple] = {}  # `look`: {address: (digest, what was kept)}

    def _file(self) -> Path:
        return entry(self.folder, b"checked", self.context, self.part.encode(), suffix=".checked")

    def _load(self) -> dict[str, tuple[str, bytes]]:
        if self._files is None:
            self._files, self._images = {}, {}
            items = None
            if self.folder is not None:
                try:
                    file = self._file()
                    items = unpacked(unseal_view(file.name, read_entry(file)), 3)
                except (OSError, UnicodeError):
                    items = None
                if items:
                    mark_used(file)
            for (kind, name, digest), data in items or ():
                if kind == _FILE:
                    self._files[name] = (digest, data)
                elif kind == _IMAGE:
                    self._images[name] = data
        return self._files

    def get(self, rel: str, digest: str, path: str):
        """(page or None, findings at `path`) as reading the file whose bytes have this digest
        at this address gave them, or None."""
        kept = self._load().get(rel)
        if kept is None or kept[0] != digest:
            return None
        found = _file_found(kept[1], path)
        if found is not None:
            self._files_now[rel] = kept
        return found

    def look(self, p: Path, rel: str) -> bool:
        """Whether the page at `p` is kept: read and looked up now, what was found handed to
        `take` (which then reads nothing)."""
        try:
            if p.is_symlink():
                return False  # never read (the checks report it)
            data = p.read_bytes()
        except OSError:
            return False  # the checks say why it cannot be read
        digest = file_digest(data)
        kept = self.get(rel, digest, "")
        if kept is not None:
            self._looked[rel] = (digest, *kept)
        return kept is not None

    def take(self, rel: str, path: str):
        """(digest, page, findings at `path`) of a page `look` found kept, or None."""
        looked = self._looked.pop(rel, None)
        if looked is None:
            return None
        digest, page, findings = looked
        return digest, page, [replace(d, path=path) for d in findings]

    def put(self, rel: str, digest: str, path: str, page, findings: list[Diagnostic]) -> None:
        """Keep what reading the file gave; findings elsewhere than `path` are never kept."""
        if any(d.path != path for d in findings):
            return
        head: list = [[(d.line, d.col, d.severity.value, d.code, d.field, d.message)
                       for d in findings]]
        try:
            if page is None:
                data = _dumps(head) if findings else b""
            else:  # what the page refers to on a line of its own, read only when asked for
                data = _dumps([*head, page.title, sorted(page.ids), page.meta]) + b"\n" + \
                    _dumps([page.refs, page.css, page.scripts])
        except (UnicodeError, TypeError, ValueError):
            return  # (a lone surrogate) read again next time
        self._files_now[rel] = (digest, data)

    def image(self, digest: str) -> list[tuple[Code, str]] | None:
        """The problems found in an image whose bytes have this digest, or None."""
        self._load()
        data = self._images_now.get(digest)  # (an image of these bytes at another address)
        if data is None:
            data = self._images.get(digest)
        if data is None:
            return None
        try:
            problems = [] if data == b"" else [(Code[code], message) for code, message in
                                                _rows(json.loads(data), (str, str))]
        except (ValueError, KeyError, TypeError, RecursionError):
            return None
        self._images_now[digest] = data
        return problems

    def put_image(self, digest: str, problems: list[tuple[Code, str]]) -> None:
        try:
            self._images_now[digest] = _dumps([[c.name, m] for c, m in problems]) \
                if problems else b""
        except UnicodeError:
            pass

    def made(self) -> dict[str, tuple[str, bytes]]:
        """The files this memo kept (a helper's, for `adopt`)."""
        return dict(self._files_now)

    def adopt(self, made) -> None:
        """Keep what a helper's memo `made`: the pages it read for this one."""
        for rel, (digest, data) in made.items():
            if type(rel) is str and type(digest) is str and type(data) is bytes:
                self._files_now[rel] = (digest, data)

    def save(self) -> None:
        """Write the entry again when this build looked up or made other files or images than
        it holds: what it made is added, what it did not look up (a file no longer in the
        site) dropped."""
        if self.folder is None:
            return
        if self._files_now == self._load() and self._images_now == self._images:
            return
        files, images = self._files_now, self._images_now

        def items():  # in one order, whichever process read which file
            for rel, (digest, data) in sorted(files.items()):
                yield [_FILE, rel, digest], data
            for digest, data in sorted(images.items()):
                yield [_IMAGE, digest, ""], data

        try:
            write_sealed_parts(self._file(), lambda: packed(items()))
        except (OSError, ValueError):  # (UnicodeError: an address no file holds)
            pass  # a cache that cannot be written only costs the next build a parse
        self._files, self._images = dict(files), dict(images)


class _KeptPage(_Page):
    """A page as an entry kept it: its title, ids and meta read with the entry; what it refers
    to (most of it, needed only when the page's addresses are resolved again: `LinkMemo`)
    read from the entry when first asked for."""

    def __init__(self, title: str | None, ids: set[str], meta: dict[str, str],
                 rest: bytes) -> None:  # (not the dataclass's own)
        self.title, self.ids, self.meta = title, ids, meta
        self._rest: bytes | tuple = rest

    def _read(self) -> tuple:
        if type(self._rest) is bytes:
            refs, css, scripts = json.loads(self._rest)
            self._rest = (_rows(refs, (int, int, str, str, str)), _rows(css, (int, int, str)),
                          _rows(scripts, (int, int, str)))
        return self._rest

    refs = property(lambda self: self._read()[0])
    css = property(lambda self: self._read()[1])
    scripts = property(lambda self: self._read()[2])

    def __eq__(self, other) -> bool:  # a page is what it holds, however it was read
        return isinstance(other, _Page) and (
            self.title, self.ids, self.refs, self.css, self.scripts, self.meta) == (
            other.title, other.ids, other.refs, other.css, other.scripts, other.meta)

    __hash__ = None


def _file_found(data: bytes, path: str):
    """(page or None, findings at `path`) from a kept file's item, or None when it is not what
    `PageMemo.put` writes."""
    if data == b"":
        return None, []
    head, _, rest = data.partition(b"\n")
    try:
        kept = json.loads(head)
        if not isinstance(kept, list) or len(kept) not in (1, 4) or (len(kept) == 4) != bool(rest):
            return None
        findings = []
        for line, col, sev, code, field, message in _rows(kept[0], _FINDING):
            if code not in Code.__members__:
                return None
            findings.append(Diagnostic(path, line, col, Severity(sev), code, field, message))
        if len(kept) == 1:
            return None, findings
        title, ids, meta = kept[1], _list(kept[2]), kept[3]
        if title is not None and not isinstance(title, str) or not all(
                isinstance(i, str) for i in ids) or not isinstance(meta, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in meta.items()):
            return None
    except (ValueError, KeyError, TypeError, RecursionError):
        return None  # not what `put` writes: read the file again
    return _KeptPage(title, set(ids), dict(meta), rest), findings


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
                    mark_used(file)
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
