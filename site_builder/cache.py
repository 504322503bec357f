"""The cache folder kept between builds, outside the repository: image variants, what the checks
found in each file of a site (verify/memo.py) and the images validation decoded in full. What
is kept is named by content and by this program's own version; deleting the folder at any time
only makes the next build slower."""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import sys
import threading
from pathlib import Path

import PIL
from PIL import features

_PACKAGE = Path(__file__).resolve().parent

CHECKED_PAGES = "checked-pages"  # verify/memo.py
DECODED_IMAGES = "decoded-images"  # validate/images.py
STORY_HTML = "story-html"  # validate/story.py: a story as safe HTML
PAGE_HTML = "page-html"  # engines/mkdocs.py: a generated page's headings through Markdown
KEPT = (CHECKED_PAGES, DECODED_IMAGES, STORY_HTML, PAGE_HTML)  # what a build prunes

# The libraries whose output is kept: Markdown and the sanitiser write a story's HTML, MkDocs
# (and its Markdown extensions) a page's.
_LIBRARIES = ("Markdown", "nh3", "mkdocs", "mkdocs-material", "Jinja2", "pymdown-extensions")


def cache_dir() -> Path:
    """The cache folder: outside the repository (SITE_BUILDER_CACHE, else the user's cache
    folder), so that no committed file is ever published in place of the image it claims to be
    derived from, nor taken for a check that was made."""
    explicit = os.environ.get("SITE_BUILDER_CACHE")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "site-builder" / "images"


def write_atomic(target: Path, data: bytes) -> None:
    """Write a cache file so that no reader (another build, another thread) sees half of it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f"{target.name}.{os.getpid()}-{threading.get_ident()}.tmp")
    tmp.write_bytes(data)
    tmp.replace(target)


def _fingerprint() -> bytes:
    h = hashlib.sha256(f"{sys.version}\0{PIL.__version__}\0".encode())
    for codec in ("jpg", "zlib", "webp"):  # the libraries Pillow decodes with
        h.update(f"{codec}={features.version(codec)}\0".encode())
    for name in _LIBRARIES:
        try:
            h.update(f"{name}={importlib.metadata.version(name)}\0".encode())
        except importlib.metadata.PackageNotFoundError:
            h.update(f"{name}=-\0".encode())
    for p in sorted(_PACKAGE.rglob("*.py")):
        h.update(p.relative_to(_PACKAGE).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.digest()


# Read once, when the program starts: the code that runs, not whatever is on disk later.
_FINGERPRINT = _fingerprint()


def code_fingerprint() -> bytes:
    """This program as it decides what a file holds: every module of the package, Python (whose
    `html.parser` reads the pages), Pillow and its decoders (which read the images), and the
    versions of the libraries that write what is kept (Markdown, the sanitiser, MkDocs)."""
    return _FINGERPRINT


def versioned(name: str) -> Path:
    """`name` in the cache folder, for this version of the program only."""
    return cache_dir() / name / code_fingerprint().hex()[:16]


def prune_other_versions(name: str) -> None:
    """Delete what other versions of the program kept under `name`: never read again."""
    here = versioned(name)
    try:
        others = [p for p in here.parent.iterdir() if p.name != here.name]
    except OSError:
        return
    for p in others:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            try:
                p.unlink(missing_ok=True)
            except OSError:
                pass


def entry(folder: Path, *parts: bytes, suffix: str = "") -> Path:
    """The file in `folder` named by the SHA-256 of this program's version and every part of a
    key (each part's length first: no two keys run together alike), under a folder named by
    its first two digits."""
    h = hashlib.sha256(code_fingerprint())
    for part in parts:
        h.update(len(part).to_bytes(8, "big") + part)
    key = h.hexdigest()
    return Path(folder) / key[:2] / f"{key}{suffix}"


class Kept:
    """Text computed from content alone, kept under `versioned(name)`: a value is named by the
    SHA-256 of this program's version and every part of its key, so a changed input or program
    is a miss, never a stale value. A value that cannot be read is a miss too."""

    def __init__(self, name: str) -> None:
        self.name = name

    def _file(self, parts: tuple[bytes, ...]) -> Path:
        return entry(versioned(self.name), *parts)

    def get(self, *parts: bytes) -> str | None:
        try:
            return self._file(parts).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None

    def put(self, value: str, *parts: bytes) -> None:
        try:
            write_atomic(self._file(parts), value.encode("utf-8"))
        except (OSError, UnicodeError):
            pass  # a cache that cannot be written only costs the next build the work
