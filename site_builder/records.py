"""Loading brand records: read, parse, validate each file, then check across records."""

from __future__ import annotations

import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode

from .diagnostics import Diagnostic, Reporter
from .editorial import editorial_warnings
from .frontmatter import read_document
from .safety import check_record_content, image_file_problem
from .schema import BRAND, PUBLISHED, SLUG_PATTERN
from .settings import Settings
from .spec import INVALID, Ctx, clip

BRANDS_DIR = "brands"


@dataclass
class Brand:
    """A validated brand record."""

    slug: str
    path: str  # repository-relative, POSIX separators
    data: dict[str, Any]
    body: str
    body_line: int
    lines: dict[str, int]  # top-level key -> line in the file, for later diagnostics

    @property
    def name(self) -> str:
        return self.data["name"]

    @property
    def published(self) -> bool:
        return self.data["status"] == PUBLISHED

    def get(self, key: str, default: Any = None) -> Any:
        return self.data.get(key, default)


def load_brand(root: Path, relpath: str, vocab: dict[str, list[str]],
               data: bytes | None = None) -> tuple[Brand | None, list[Diagnostic]]:
    """Read one record; return the Brand (None when anything is wrong) and its diagnostics."""
    rep = Reporter(relpath)
    if data is None:
        data = (root / relpath).read_bytes()
    doc = read_document(relpath, data, rep)
    if doc is None or doc.root is None:
        return None, rep.items
    brand = validate_record(root, relpath, doc.root, vocab, rep)
    check_record_content(doc.root, doc.body, doc.body_line,
                         root / BRANDS_DIR / PurePosixPath(relpath).stem, rep)
    if brand is INVALID or rep.items:
        return None, rep.items
    lines = {k.value: k.start_mark.line + 1 + rep.line_offset for k, _ in doc.root.value
             if isinstance(k, ScalarNode)}
    warnings = editorial_warnings(relpath, brand, doc.body, doc.body_line, lines)
    return Brand(brand["slug"], relpath, brand, doc.body, doc.body_line, lines), warnings


def validate_record(root: Path, relpath: str, node: MappingNode, vocab: dict[str, list[str]],
                    rep: Reporter) -> dict[str, Any] | object:
    """Check a record's fields against the schema and its own references."""
    ctx = Ctx(rep, vocab)
    value = BRAND.check(node, ctx, "")
    top = {k.value: (k, v) for k, v in node.value if isinstance(k, ScalarNode)}
    stem = PurePosixPath(relpath).stem
    slug_node = top.get("slug", (None, None))[1]
    if isinstance(slug_node, ScalarNode) and re.fullmatch(SLUG_PATTERN, slug_node.value):
        slug = slug_node.value
        if slug != stem:
            rep.at_node(slug_node, "B008", "slug", f"网址名“{slug}”与文件名“{stem}.md”不一致；"
                        f"提示：把文件改名为 {slug}.md，或把 slug 改为 {stem}。")
    _check_sources(node, ctx, top)
    _check_images(root, stem, ctx)
    return value


def _check_sources(node: MappingNode, ctx: Ctx, top: dict[str, tuple[Node, Node]]) -> None:
    ids: dict[str, Node] = {}
    src = top.get("sources")
    if src is not None and hasattr(src[1], "value") and isinstance(src[1].value, list):
        for i, item in enumerate(src[1].value):
            if not isinstance(item, MappingNode):
                continue
            for k, v in item.value:
                if k.value == "id" and isinstance(v.value, str):
                    if v.value in ids:
                        first = ids[v.value].start_mark.line + 1 + ctx.rep.line_offset
                        ctx.rep.at_node(v, "B013", f"sources[{i}].id", f"资料来源编号“{clip(v.value)}”"
                                        f"重复（第 {first} 行已用过）；提示：给每条资料一个不同的 id。")
                    else:
                        ids[v.value] = v
    for where, ref, ref_node in ctx.refs:
        if ref not in ids:
            known = "、".join(ids) if ids else "（sources 为空）"
            ctx.rep.at_node(ref_node, "B012", where, f"来源编号“{clip(ref)}”在 sources 中找不到"
                            f"（已有：{known}）；提示：在 sources 中补上这条资料，或改正编号。")


def _check_images(root: Path, stem: str, ctx: Ctx) -> None:
    folder = (root / BRANDS_DIR / stem)
    for where, path, node in ctx.images:
        problem = image_path_problem(path)
        if problem:
            ctx.rep.at_node(node, "B011", where, f"图片路径“{clip(path)}”{problem}；提示：把图片放进 "
                            f"{BRANDS_DIR}/{stem}/，这里只写文件名，例如 `logo.png`。")
            continue
        target = folder / path
        if not target.is_file():
            ctx.rep.at_node(node, "B010", where, f"找不到图片 {BRANDS_DIR}/{stem}/{path}；提示：把图片放进"
                            f" {BRANDS_DIR}/{stem}/，并核对文件名（包括大小写和扩展名）。")
            continue
        real_folder = os.path.realpath(folder)
        if os.path.commonpath([os.path.realpath(target), real_folder]) != real_folder:
            ctx.rep.at_node(node, "B011", where, f"图片“{clip(path)}”是指向品牌文件夹以外的链接；"
                            f"提示：把图片本身复制到 {BRANDS_DIR}/{stem}/。")
            continue
        bad = image_file_problem(target)  # size and pixel bounds, read from the header only
        if bad:
            ctx.rep.at_node(node, bad[0], where, bad[1])


def image_path_problem(path: str) -> str | None:
    """Why an image path may not be used, or None: it must stay inside the brand's folder."""
    if "\\" in path:
        return "含有反斜杠 \\"
    if path.startswith("/") or (len(path) > 1 and path[1] == ":"):
        return "是绝对路径"
    if "://" in path or path.lower().startswith(("data:", "javascript:")):
        return "是网址，不是品牌文件夹中的文件"
    if any(part in ("..", "") for part in path.split("/")):
        return "含有 `..` 或空的目录名，指向了品牌文件夹以外"
    return None


def load_brands(root: Path, settings: Settings) -> tuple[list[Brand], list[Diagnostic]]:
    """Load every record in `brands/`, then check slugs and names across records."""
    brands: list[Brand] = []
    diags: list[Diagnostic] = []
    folder = root / BRANDS_DIR
    files = sorted(p.name for p in folder.glob("*.md")) if folder.is_dir() else []
    vocab_key = repr(sorted(settings.vocab.items()))
    if len(_RECORD_CACHE) > 2 * len(files) + 200:  # bounded across many edits and projects
        _RECORD_CACHE.clear()
    for name in files:
        relpath = f"{BRANDS_DIR}/{name}"
        data = (root / relpath).read_bytes()
        key = (str(root), relpath, hashlib.blake2b(data, digest_size=16).digest(),
               _folder_signature(folder / name[:-3]), vocab_key)
        cached = _RECORD_CACHE.get(key)
        if cached is None:
            cached = load_brand(root, relpath, settings.vocab, data)
            _RECORD_CACHE[key] = cached
        brand, d = cached
        diags.extend(d)
        if brand is not None:
            brands.append(brand)
    diags.extend(check_unique(brands))
    return brands, diags


# A live preview loads the project again after every edit: a record whose bytes, image folder
# and vocabularies are unchanged gives the same result, so it is not parsed again.
_RECORD_CACHE: dict[tuple, tuple[Brand | None, list[Diagnostic]]] = {}


def _folder_signature(folder: Path) -> tuple:
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return ()
    return tuple((e.name, e.stat(follow_symlinks=False).st_size,
                  e.stat(follow_symlinks=False).st_mtime_ns) for e in entries)


def check_unique(brands: list[Brand]) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for key, label in (("name", "品牌名称"), ("slug", "网址名")):
        seen: dict[str, Brand] = {}
        for b in brands:
            value = b.data[key]
            if value in seen:
                rep = Reporter(b.path)
                rep.add("B009", key, f"{label}“{clip(value)}”与 {seen[value].path} 重复；"
                        "提示：同一品牌只保留一个档案，不同品牌请用不同名称。", b.lines.get(key, 1))
                out.extend(rep.items)
            else:
                seen[value] = b
    return out
