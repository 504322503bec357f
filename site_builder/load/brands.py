"""Loading brand records: each file read strictly and checked against the brand schema."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, ScalarNode

from ..diagnostics import Reporter
from ..model import BRANDS_DIR
from ..schema.brand import BRAND
from ..schema.fields import INVALID, Ctx, Obj
from .frontmatter import Document, read_document


@dataclass
class LoadedRecord:
    """A record file as read: its document, its schema value (INVALID when a field failed), the
    schema pass's context (images and source references to check next) and its reporter."""

    relpath: str
    doc: Document
    value: dict[str, Any] | object
    ctx: Ctx

    @property
    def rep(self) -> Reporter:
        return self.ctx.rep

    @property
    def root(self) -> MappingNode:
        return self.doc.root

    def lines(self) -> dict[str, int]:
        """Top-level key -> its line in the file, for diagnostics made later."""
        return {k.value: self.rep.line_of(k) for k, _ in self.doc.root.value
                if isinstance(k, ScalarNode)}


def brand_files(root: Path) -> list[str]:
    """The record files in `brands/`, as repository-relative paths, sorted."""
    try:  # names as text: pathlib's parsing of each was a tenth of a second at 5,000 brands
        with os.scandir(root / BRANDS_DIR) as entries:
            names = sorted(e.name for e in entries if e.name.endswith(".md"))
    except OSError:  # no such folder, or one that cannot be listed: as pathlib's glob
        names = []
    return [f"{BRANDS_DIR}/{n}" for n in names]


def load_record(relpath: str, data: bytes, spec: Obj, vocab: dict[str, list[str]],
                keep_values: bool = False) -> tuple[LoadedRecord | None, Reporter]:
    """Read one record file and check its fields against `spec`; None when it cannot be read.
    With `keep_values` the context remembers each node's value for the rules that follow."""
    rep = Reporter(relpath)
    doc = read_document(relpath, data, rep)
    if doc is None or doc.root is None:
        return None, rep
    ctx = Ctx(rep, vocab, values={} if keep_values else None)
    return LoadedRecord(relpath, doc, spec.check(doc.root, ctx, ""), ctx), rep


def load_brand(relpath: str, data: bytes, vocab: dict[str, list[str]]
               ) -> tuple[LoadedRecord | None, Reporter]:
    """Read one brand record and check it against the brand schema."""
    return load_record(relpath, data, BRAND, vocab)


def is_valid(value: Any) -> bool:
    return value is not INVALID
