"""The golden harness shared by the record and the round cases: a case's diagnostics exactly as
`site-builder validate` prints them, compared with (or, with GOLDEN_UPDATE=1, written to) its
`.expected` file, and the codes the golden files cover."""

from __future__ import annotations

import os
import re
from pathlib import Path

from site_builder.diagnostics.output import format_diagnostics

UPDATE = os.environ.get("GOLDEN_UPDATE") == "1"
_CODE_IN_LINE = re.compile(r"\[([A-Z]\d{3})\]:")


def validate_text(diagnostics) -> str:
    """Diagnostics as the command line prints them, with a final newline when there are any."""
    out = format_diagnostics(diagnostics)
    return out + "\n" if out else ""


def check_golden(path: Path, actual: str) -> None:
    """`actual` must equal the golden file; GOLDEN_UPDATE=1 rewrites it (review the diff)."""
    if UPDATE:
        path.write_text(actual, encoding="utf-8")
    assert path.is_file(), f"缺少 {path.name}：用 GOLDEN_UPDATE=1 生成后逐行核对"
    assert actual == path.read_text(encoding="utf-8")


def codes_in(folder: Path) -> set[str]:
    """Every code that appears in the `.expected` files of a folder."""
    seen: set[str] = set()
    for p in folder.glob("*.expected"):
        seen |= set(_CODE_IN_LINE.findall(p.read_text(encoding="utf-8")))
    return seen


def lines_of(folder: Path):
    """(file name, line) for every line of every `.expected` file of a folder."""
    for p in sorted(folder.glob("*.expected")):
        for line in p.read_text(encoding="utf-8").splitlines():
            yield p.name, line
