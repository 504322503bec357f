"""What the program asks of the operating system beyond Python's standard library: C library
functions that Linux has and Python does not wrap (renameat2, prctl)."""

from __future__ import annotations

import ctypes
import gc
import sys


def libc_function(name: str, argtypes: list, restype=ctypes.c_int):
    """The C library's function `name` with its C signature, found once by the caller (a child
    just forked calls it without loading anything: loading a library there can wait for ever on
    a lock another thread held at the fork); None off Linux or where the C library lacks it."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        fn = getattr(ctypes.CDLL(None, use_errno=True), name)
    except (OSError, AttributeError):
        return None
    fn.argtypes = argtypes
    fn.restype = restype
    return fn


def release_memory() -> None:
    """Give the memory of what is no longer referenced back to the system. The C library keeps
    what Python frees for its own later use, so the rendered pages' tens of megabytes would stay
    counted in this process while the search indexer runs beside it (the peak of the build's
    process tree): at 300 brands 104 → 70 MB (bench/README.md)."""
    gc.collect()
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


_MALLOC_TRIM = libc_function("malloc_trim", [ctypes.c_size_t])
