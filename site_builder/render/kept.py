"""Pages kept between builds in the cache folder (cache.py): a build with its cache kept from
the last one renders again only the pages whose key changed, and lays out again only the pages
whose values changed; every other page is read back, sealed, from the cache.

Two kinds of entries, one of each per project (named by the keyed hash of the project's folder
and of this program's version: `cache.entry`; `_PageStore`), holding for every page the key it
was made under and what was made:

- `rendered-pages`: a page's Markdown as `render_site` made it, under the key the live preview
  already keys it by in memory (`render_site(memo=…)`: the templates read, the page's values,
  the shared values and, for a page that reads more than its own values, every published
  record). `RenderMemo` is that memo, its pages looked up in the cache folder when first asked.
- `laid-out-pages`: a page's HTML as the native engine laid it out (`engines/native.lay_out`),
  under the digest of everything the layout reads: the page's values, its neighbours in the
  navigation, the site's values the layout templates name and the templates' sources
  (`LaidOut`).

What a key must hold to be the same in the next process: no address (a function by its name:
`pages._stable_repr`), no set in hash order; what it must hold so that two builds that would
write different pages never share it: the program (the entries' version: every module, Python,
Jinja2 …), MarkupSafe (which escapes what the templates print), the project's and the package's
templates (their sources are in both keys), settings and the build date (in the shared key).

A kept entry is trusted only through its seal (`cache.Kept`): one planted or altered is a
miss, and its pages are made again and kept anew.
"""

from __future__ import annotations

import base64
import importlib.metadata
import json
import os
from collections.abc import Callable

import jinja2
from jinja2 import nodes as jinja_nodes
from markupsafe import Markup

from ..cache import LAID_OUT_PAGES, RENDERED_PAGES, Kept, packed, unpacked
from .changes import content_hash
from .pages import template_trees


def _library_versions() -> bytes:
    """The libraries that make a kept page besides those the cache's version names."""
    out = []
    for name in ("MarkupSafe",):
        try:
            out.append(f"{name}={importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            out.append(f"{name}=-")
    return "\0".join(out).encode()


_LIBRARIES = _library_versions()


def _encoded(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


class _PageStore:
    """Every (key, bytes) a build kept under one cache kind for one project, in one sealed entry
    (named by the project's folder): read once, in one piece (one file and one seal, where an
    entry per page was nine thousand files to open at 1,000 brands), and written again, with
    what this build used and made only (a page no longer made is dropped), when that changed.
    An entry whose seal fails is a miss for every page: all are made again."""

    def __init__(self, kind: str, root) -> None:
        self._kept = Kept(kind)
        # the kind too: an entry's seal binds its name, and an entry of the other kind for the
        # same project must not pass under this one's
        self._name = (kind.encode(), _LIBRARIES, _encoded(os.path.realpath(os.fspath(root))))
        self._before: dict[str, tuple[str, bytes]] | None = None
        self._now: dict[str, tuple[str, bytes]] = {}

    def _load(self) -> dict[str, tuple[str, bytes]]:
        if self._before is None:
            items = unpacked(self._kept.get_bytes(*self._name), 2)
            self._before = {name: (key, data) for (name, key), data in items or ()}
        return self._before

    def get(self, address: str) -> tuple[str, bytes] | None:
        kept = self._load().get(address)
        if kept is not None:
            self._now[address] = kept
        return kept

    def put(self, address: str, key: str, data: bytes) -> None:
        self._now[address] = (key, data)

    def flush(self) -> None:
        """Keep what this build used and made, when it is not what was kept already."""
        if self._now != self._load():
            entries = self._now
            self._kept.put_parts(
                lambda: packed(([name, key], data) for name, (key, data) in entries.items()),
                *self._name)
        self._before, self._now = dict(self._now), {}


def _disk_name(name: object) -> str | None:
    """The name under which an entry of `render_site`'s memo is kept in the cache folder, or
    None for one kept in memory only. Kept: a page (a name ending in .md: its key and
    Markdown), a data file made of every record (("kept", uri): its key and bytes), the venue
    map ("venue map": its key and drawing) and what a template reads (("reads", template,
    names, shared key): found by parsing every template it imports, a tenth of a second each)."""
    if type(name) is str:
        return name if name.endswith(".md") else "\0venue map" if name == "venue map" else None
    if type(name) is tuple and len(name) == 2 and name[0] == "kept" and name[1] != "admin":
        return f"\0kept\0{name[1]}"
    if type(name) is tuple and len(name) == 4 and name[0] == "reads":
        _, template, names, shared = name
        return "\0".join(("", "reads", template, *sorted(names), "", shared))
    return None


def _encode(disk: str, value) -> tuple[str, str] | None:
    """(key, text) of a memo entry as kept, or None when it is not of the kind its name says.
    A page's entry may carry more than its key and text (what `render_site`'s quick test of a
    record's page compares within one process): only those two are kept, so that another
    process finds the page by its key alone."""
    if not isinstance(value, tuple) or len(value) < 2:
        return None
    if len(value) > 2:
        if not disk.endswith(".md"):
            return None
        value = value[:2]
    if disk.startswith("\0reads\0"):
        only, story = value
        story = sorted(story) if isinstance(story, frozenset) else story
        return "reads", json.dumps([only, story])
    key, made = value
    if not isinstance(key, str):
        return None
    if disk.startswith("\0kept\0"):
        return (key, base64.b64encode(made).decode("ascii")) if isinstance(made, bytes) else None
    if disk == "\0venue map":  # a drawing is safe HTML (Markup): it must come back as one
        return (key, json.dumps([isinstance(made, Markup), made])) if isinstance(made, str) \
            else None
    return (key, made) if type(made) is str else None


def _decode(disk: str, key: str, text: str):
    if disk.startswith("\0reads\0"):
        only, story = json.loads(text)
        if not isinstance(only, bool) or not isinstance(story, bool | list):
            return None
        return only, frozenset(story) if isinstance(story, list) else story
    if disk.startswith("\0kept\0"):
        return key, base64.b64decode(text, validate=True)
    if disk == "\0venue map":
        safe, made = json.loads(text)
        return (key, Markup(made) if safe is True else made) if isinstance(made, str) else None
    return key, text


class RenderMemo(dict):
    """`render_site`'s memo for a build: as a live preview's (in memory, empty at first), but
    what `_disk_name` names is looked up in the cache folder the first time it is asked for,
    and kept there when made anew, for the next build."""

    def __init__(self, root) -> None:
        super().__init__()
        self._store = _PageStore(RENDERED_PAGES, root)
        self._looked: set[str] = set()

    def _look(self, name: object) -> None:
        disk = _disk_name(name)
        if disk is not None and disk not in self._looked:
            self._looked.add(disk)
            kept = self._store.get(disk)
            if kept is not None:
                try:
                    value = _decode(disk, kept[0], kept[1].decode("utf-8"))
                except (ValueError, TypeError):  # (UnicodeDecodeError too)
                    value = None
                if value is not None:
                    dict.__setitem__(self, name, value)

    def get(self, name, default=None):
        self._look(name)
        return super().get(name, default)

    def __getitem__(self, name):
        self._look(name)
        return super().__getitem__(name)

    def __contains__(self, name) -> bool:
        self._look(name)
        return super().__contains__(name)

    def flush(self) -> None:
        """Keep this build's entries for the next (when they changed)."""
        self._store.flush()

    def __setitem__(self, name, value) -> None:
        super().__setitem__(name, value)
        disk = _disk_name(name)
        if disk is not None:
            self._looked.add(disk)
            kept = _encode(disk, value)
            if kept is not None:
                try:
                    self._store.put(disk, kept[0], kept[1].encode("utf-8"))
                except UnicodeError:  # a text no file can hold as it is: made again next time
                    pass


# What the layout may read of the site's values and still be kept by the page's own values:
# every one of these is in the shared key (`LaidOut`). A layout that names any other (`site.pages`
# …) or the site itself whole is laid out every time.
_SITE_KEYED = frozenset({"name", "description", "url", "nav", "theme", "css", "scripts"})


def _layout_reads_keyed(env: jinja2.Environment, template: str) -> bool:
    """Whether `template` and those it includes read of `site` only `_SITE_KEYED`."""
    trees = template_trees(env, template)
    if trees is None:  # a template named by a value: anything may be read
        return False
    for tree in trees:
        named = [n for n in tree.find_all(jinja_nodes.Name) if n.name == "site"]
        keyed = [n for n in tree.find_all(jinja_nodes.Getattr)
                 if isinstance(n.node, jinja_nodes.Name) and n.node.name == "site"
                 and n.attr in _SITE_KEYED]
        if len(named) != len(keyed):
            return False
    return True


class LaidOut:
    """The native engine's pages kept between builds: `page(p, neighbours, make)` is the page's
    HTML, made by `make()` only when the page's values, its neighbours, the site's values the
    layout reads or the layout's templates changed since the page was kept."""

    def __init__(self, root, env: jinja2.Environment, site, layout: str = "base.html") -> None:
        self._store = _PageStore(LAID_OUT_PAGES, root)
        self.shared: str | None = None
        if _layout_reads_keyed(env, layout):
            sources = [(t, env.loader.get_source(env, t)[0]) for t in sorted(env.list_templates())]
            self.shared = content_hash(repr((site.name, site.description, site.url, site.nav,
                                             site.theme, site.css, site.scripts, sources)))

    def page(self, p, neighbours: tuple, make: Callable[[], bytes]) -> bytes:
        if self.shared is None:
            return make()
        key = content_hash(repr((self.shared, p, neighbours)))
        kept = self._store.get(p.dest)
        if kept is not None and kept[0] == key:
            return kept[1]
        data = make()
        self._store.put(p.dest, key, data)
        return data

    def flush(self) -> None:
        """Keep this build's pages for the next (when they changed)."""
        self._store.flush()
