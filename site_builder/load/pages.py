"""Loading hand-written pages (docs/**/*.md): the same strict front matter reader as records, an
optional front matter checked against the page schema. The files beside them are listed here
and judged in validate/files.py."""

from __future__ import annotations

import os
import re
from pathlib import Path

from yaml.nodes import MappingNode

from ..diagnostics import Code, Reporter
from ..model import DOCS_DIR
from ..schema.fields import Ctx
from ..schema.page import PAGE
from .brands import LoadedRecord
from .frontmatter import MAP_TAG, MAX_FILE_BYTES, Document, _Mark, read_document


def docs_files(root: Path, folder: str = DOCS_DIR) -> list[str]:
    """Every file under docs/ (or `folder`), relative to the project, sorted. A link, to a file
    or to a folder, is listed but never followed: MkDocs would follow it (out of the project),
    so validate/files.py refuses it."""
    top = root / folder
    if not top.is_dir():
        return []
    found = []
    for dirpath, dirnames, filenames in os.walk(top):  # links to folders: listed, not entered
        found.extend(os.path.join(dirpath, n) for n in filenames)
        found.extend(os.path.join(dirpath, n) for n in dirnames
                     if os.path.islink(os.path.join(dirpath, n)))
    return sorted(os.path.relpath(p, root).replace(os.sep, "/") for p in found)


def page_files(root: Path) -> list[str]:
    """The pages: every .md file under docs/ that is a file, not a link (refused elsewhere)."""
    return [p for p in docs_files(root) if p.endswith(".md") and not (root / p).is_symlink()]


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
