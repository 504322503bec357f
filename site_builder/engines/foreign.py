"""Third-party files the engines copy into the site (the theme's scripts and styles, the search
bundle) as published: unused ones left out, and no address of another host left in the rest.

The site loads nothing from another host, on any path: Material's bundle would fetch Mermaid and a
polyfill from unpkg.com, or repository facts from api.github.com, when a page or a setting asks;
Pagefind's interface credits its translators with links. Each such address is emptied (a script
with an empty address loads nothing), so that the post-build scan, which flags every foreign host
any script or style names, finds none in files the project does not own.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..text import foreign_addresses

# Theme files nothing on the site uses: Material's own search (the site uses Pagefind) and source
# maps, which hold the original sources and every address in them.
UNUSED_THEME_FILES = ("assets/javascripts/lunr/", "assets/javascripts/workers/")
UNUSED_SUFFIXES = (".map",)

_TEXT_SUFFIXES = (".js", ".mjs", ".css", ".svg")
_SOURCE_MAP = re.compile(r"\n?(?://# sourceMappingURL=[^\n]*|/\*# sourceMappingURL=[^*]*\*/)")


def is_unused(uri: str) -> bool:
    return uri.startswith(UNUSED_THEME_FILES) or uri.endswith(UNUSED_SUFFIXES)


def neutralise_file(path: Path, own_host: str | None) -> bool:
    """Empty every address on another host that `path` names; True when it changed."""
    if path.suffix.lower() not in _TEXT_SUFFIXES or not path.is_file():
        return False
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False  # the post-build checks report an unreadable file
    before = text
    for offset, url, _host in reversed(foreign_addresses(text, own_host)):
        text = text[:offset] + text[offset + len(url):]
    text = _SOURCE_MAP.sub("", text)  # the maps are left out (UNUSED_SUFFIXES)
    if text == before:
        return False
    path.write_text(text, encoding="utf-8")
    return True


def neutralise_folder(folder: Path, own_host: str | None) -> None:
    for p in sorted(folder.rglob("*")):
        neutralise_file(p, own_host)
