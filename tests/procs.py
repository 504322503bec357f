"""The processes a test started, as Linux lists them in /proc: who runs what, and whether a
process has ended."""

from __future__ import annotations

import time
from pathlib import Path


def processes() -> list[tuple[int, int, str]]:
    """(pid, parent pid, command line) of every process that can be read now."""
    out = []
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            parent = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            cmdline = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except (OSError, IndexError, ValueError):
            continue  # ended meanwhile
        out.append((int(d.name), parent, cmdline))
    return out


def children(pid: int, holding: str = "") -> list[int]:
    """The direct children of `pid` whose command line holds `holding`."""
    return [p for p, parent, cmd in processes() if parent == pid and holding in cmd]


def ended(pid: int, seconds: float = 10) -> bool:
    """Whether `pid` is gone (or ended, waiting to be collected by whoever adopted it) within
    `seconds`."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (OSError, IndexError):
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False
