"""The cache folder kept between builds, outside the repository: image variants, and what was
found in files that nothing but their bytes and this program decide (verify/memo.py, the full
decode of a record's images). Deleting it at any time only makes the next build slower."""

from __future__ import annotations

import functools
import hashlib
import os
import sys
import threading
from pathlib import Path

import PIL

_PACKAGE = Path(__file__).resolve().parent


def cache_dir() -> Path:
    """Where encoded variants are kept between builds: outside the repository (SITE_BUILDER_CACHE,
    else the user's cache folder), so that no committed file is ever published in place of the
    image it claims to be derived from."""
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


@functools.cache
def code_fingerprint() -> bytes:
    """This program as it decides what a file holds: every module of the package, Python (whose
    `html.parser` reads the pages) and Pillow (whose decoders read the images). A change to any
    of them makes every entry named with it new."""
    h = hashlib.sha256(f"{sys.version}\0{PIL.__version__}\0".encode())
    for p in sorted(_PACKAGE.rglob("*.py")):
        h.update(p.relative_to(_PACKAGE).as_posix().encode() + b"\0" + p.read_bytes() + b"\0")
    return h.digest()
