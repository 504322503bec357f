"""What the checks found in each file of a site, kept between builds beside the image cache: a
page, image or data file whose bytes, address and checking code are all unchanged is not read
again.

An entry is named by the SHA-256 of this program's own source (`cache.code_fingerprint`: every
module of the package, Python and Pillow), the site's address, the file's address in the site
and its bytes. It holds the leaks found in the file and, for a page, what
the page refers to (`links._Page`), exactly as reading the file would give them. The checks
that read every page together (links, anchors, missing files) run on every build. An entry
that cannot be read is a miss: the file is read again and the entry written again.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from ..cache import code_fingerprint, write_atomic
from ..diagnostics import Diagnostic, Severity
from .links import _Page


class PageMemo:
    """Entries in `folder`, one file each; `get` and `put` speak in pages and diagnostics.
    `data` is a file's bytes (a page's text encoded again, as the checks read it)."""

    def __init__(self, folder: Path, context: str = "") -> None:
        self.folder = Path(folder)
        # what else the checks are given (the site's address): another one, other entries
        self.context = context.encode("utf-8", "surrogateescape")

    def _file(self, rel: str, data: bytes) -> Path:
        h = hashlib.sha256(code_fingerprint())
        h.update(self.context + b"\0" + rel.encode("utf-8", "surrogateescape") + b"\0")
        h.update(data)
        key = h.hexdigest()
        return self.folder / key[:2] / f"{key}.json"

    def holds(self, rel: str, data: bytes) -> bool:
        return self._file(rel, data).is_file()

    def get(self, rel: str, data: bytes, path: str):
        """(page or None, findings at `path`) as parsing gave them, or None when not kept."""
        try:
            kept = json.loads(self._file(rel, data).read_bytes())
            page = kept["page"]
            if page is not None:
                page = _Page(page["title"], set(page["ids"]), [tuple(r) for r in page["refs"]],
                             [tuple(c) for c in page["css"]], [tuple(s) for s in page["scripts"]],
                             dict(page["meta"]))
            findings = [Diagnostic(path, line, col, Severity(sev), code, field, message)
                        for line, col, sev, code, field, message in kept["findings"]]
        except (OSError, ValueError, KeyError, TypeError):
            return None  # not kept, or not readable: parse the page again
        return page, findings

    def put(self, rel: str, data: bytes, path: str, page, findings: list[Diagnostic]) -> None:
        """Keep what reading the file gave; findings elsewhere than `path` are never kept."""
        if any(d.path != path for d in findings):
            return
        kept = {"page": None if page is None else {
                    "title": page.title, "ids": sorted(page.ids), "refs": page.refs,
                    "css": page.css, "scripts": page.scripts, "meta": page.meta},
                "findings": [(d.line, d.col, d.severity.value, d.code, d.field, d.message)
                             for d in findings]}
        try:
            write_atomic(self._file(rel, data),
                         json.dumps(kept, ensure_ascii=False).encode())
        except (OSError, UnicodeError):
            pass  # a cache that cannot be written only costs the next build a parse
