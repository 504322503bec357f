"""Loading hand-written pages (docs/**/*.md): the same strict front matter reader as records, an
optional front matter checked against the page schema, and every other page file refused."""

from __future__ import annotations

import re
from pathlib import Path

from yaml.nodes import MappingNode

from ..diagnostics import Code, Reporter
from ..model import DOCS_DIR
from ..schema.fields import Ctx
from ..schema.page import PAGE
from .brands import LoadedRecord
from .frontmatter import MAP_TAG, MAX_FILE_BYTES, Document, _Mark, read_document

# Files MkDocs would publish byte for byte although they are pages: raw HTML (and SVG, which is
# markup too) bypasses every rule a page's Markdown is held to.
REFUSED_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml", ".svg")


def docs_files(root: Path) -> list[str]:
    """Every file under docs/, repository-relative, sorted; links are listed as well."""
    folder = root / DOCS_DIR
    if not folder.is_dir():
        return []
    return sorted(p.relative_to(root).as_posix() for p in folder.rglob("*")
                  if p.is_file() or p.is_symlink())


def page_files(root: Path) -> list[str]:
    return [p for p in docs_files(root) if p.endswith(".md")]


_FRONT_MATTER_LATE = re.compile(r"(?:[ \t]*\n)+---[ \t]*\n")


def load_page(relpath: str, data: bytes, vocab: dict[str, list[str]]
              ) -> tuple[LoadedRecord | None, Reporter]:
    """Read one page: with front matter (first line `---`) exactly as a record is read; without,
    the whole file is its body."""
    rep = Reporter(relpath)
    if data.startswith((b"---\n", b"---\r", b"\xef\xbb\xbf---")) or data.rstrip() == b"---":
        doc = read_document(relpath, data, rep)
        if doc is None or doc.root is None:
            return None, rep
    else:
        if len(data) > MAX_FILE_BYTES:
            rep.add(Code.Y002, "-", f"文件大小为 {len(data)} 字节，超过上限 {MAX_FILE_BYTES} 字节", 1,
                    hint="")
            return None, rep
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as e:
            rep.add(Code.Y001, "-", f"第 {e.start + 1} 个字节不是有效的 UTF-8 编码（可能是 GBK）",
                    data[: e.start].count(b"\n") + 1, hint="")
            return None, rep
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        m = _FRONT_MATTER_LATE.match(text)
        if m:  # MkDocs reads front matter only from the first line: this would be published
            rep.add(Code.P014, "-", "front matter 的 `---` 必须是文件的第一行，前面不能有空行，"
                    "否则这些字段会作为正文公开", text.count("\n", 0, m.end()), hint="")
            return None, rep
        doc = Document(relpath, MappingNode(MAP_TAG, [], _Mark(0, 0), _Mark(0, 0)), text, 1)
    ctx = Ctx(rep, vocab)
    return LoadedRecord(relpath, doc, PAGE.check(doc.root, ctx, ""), ctx), rep
