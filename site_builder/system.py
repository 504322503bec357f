"""What the program asks of the operating system beyond Python's standard library: C library
functions that Linux has and Python does not wrap (renameat2, prctl)."""

from __future__ import annotations

import ctypes
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
