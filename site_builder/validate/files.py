"""Files under docs/ other than its pages (.md). MkDocs would publish any of them as it is, on the
site's own address: an XML or SVG file holding a script runs there, a PDF or a spreadsheet shows
whatever numbers it holds. So one table, FILE_TYPES, names the types a publicity office
publishes, each with the scanner it must pass; every other type, and every link, is refused.
`site-builder validate` reports against this table, `build` refuses while anything is reported,
and the engine publishes only the files that passed (`DocsFiles.accepted`)."""

from __future__ import annotations

import csv
import io
import logging
import os
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from xml.etree import ElementTree

from ..diagnostics import Code, Diagnostic, Reporter, has_errors
from ..load.pages import docs_files
from ..model import DOCS_DIR
from ..text import clip, line_col
from .images import _UNSAFE_NAME, image_file_problem
from .personal_data import find_pii
from .story import LINK_SCHEMES, url_scheme

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024  # a PDF or Office file
MAX_TEXT_BYTES = 5 * 1024 * 1024  # a text or CSV file, a style sheet or script
MAX_ZIP_MEMBERS = 5000  # an Office file is a zip archive: bounded before anything is unpacked
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024
MAX_PDF_PAGES = 2000
SITE_CODE_DIR = "assets"  # in docs/: the theme's style sheets and scripts (mkdocs.yml names them)
# Files an operating system writes into every folder; never published, not worth a message.
SYSTEM_FILES = frozenset({"thumbs.db", "desktop.ini"})


@dataclass(frozen=True)
class FileType:
    """A kind of file that may be published from docs/, and the scanner it must pass."""

    label: str  # how messages name it (the list of what docs/ may hold)
    suffixes: tuple[str, ...]
    scan: Callable[[Path, str, Reporter], None]  # (file, repository-relative path, reporter)
    folder: str | None = None  # only in this folder of docs/ (the theme's code)


@dataclass
class DocsFiles:
    """What the check of docs/ found: the files that may be published (paths inside the docs
    folder, as MkDocs names them) and every problem."""

    accepted: set[str] = field(default_factory=set)
    diagnostics: list[Diagnostic] = field(default_factory=list)


# -- personal numbers --------------------------------------------------------------------------

def _report_numbers(rep: Reporter, text: str, place: str = "", at=None) -> None:
    """Identity and mobile numbers in `text` (the project's own matcher). In a text file
    `at(offset)` gives each number's line and column; in a PDF or Office file, which has no
    lines an editor can see, it is reported at line 1 and `place` says where (a page, a sheet)."""
    where = f"{place}中" if place else ""
    for p in find_pii(text):
        line, col = at(p.start) if at else (1, 1)
        if p.kind == "id":
            rep.add(Code.P001, place or "-", f"{where}发现疑似居民身份证号“{p.masked}”；提示：公开的文件"
                    "中不能出现身份证号，请在原文件中删去后重新导出或保存。", line, col)
        elif p.kind == "card":
            rep.add(Code.P018, place or "-", f"{where}发现疑似银行卡号“{p.masked}”；提示：公开的文件中"
                    "不能出现个人银行卡号，请在原文件中删去后重新导出或保存。", line, col)
        else:
            rep.add(Code.P002, place or "-", f"{where}发现疑似个人手机号“{p.masked}”；提示：个人手机号不能"
                    "公开，请在原文件中删去（对外联系请写单位的公开电话）后重新导出或保存。", line, col)


def _read(path: Path, rel: str, rep: Reporter, limit: int) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > limit:
            rep.add(Code.P016, "-", f"{rel} 有 {size / 1048576:.1f} MB，超过上限 {limit // 1048576} MB，"
                    "无法检查；提示：压缩或拆分文件后再放入。", 1)
            return None
        return path.read_bytes()
    except OSError as e:
        rep.add(Code.P016, "-", f"无法读取 {rel}：{type(e).__name__}；提示：重新保存这个文件。", 1)
        return None


# -- images: decoded to the end here, encoded again without metadata when published -----------

def _scan_image(path: Path, rel: str, rep: Reporter) -> None:
    if _UNSAFE_NAME.search(rel):
        rep.add(Code.B032, "-", f"图片文件名“{clip(rel)}”含有空格或 # % ? 等在网址中有特殊含义的字符",
                1, hint="")
    bad = image_file_problem(path)
    if bad:
        rep.add(bad[0], "-", bad[1], 1)


# -- text and CSV -------------------------------------------------------------------------------

# Markup that a browser or another program might run if it ever read the file as a page.
_MARKUP = re.compile(r"<\s*(?:script|html|body|svg|iframe|object|embed|meta|base|\?xml|!doctype)\b",
                     re.IGNORECASE)
_NEGATIVE_NUMBER = re.compile(r"-\d+(?:\.\d+)?")


def _text(path: Path, rel: str, rep: Reporter) -> str | None:
    data = _read(path, rel, rep, MAX_TEXT_BYTES)
    if data is None:
        return None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        rep.add(Code.P016, "-", f"第 {e.start + 1} 个字节不是有效的 UTF-8 编码（可能是 GBK）；提示：用"
                "记事本或 WPS 另存为“UTF-8”编码（CSV 选“CSV UTF-8”）。", data[: e.start].count(b"\n") + 1)
        return None
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    m = _MARKUP.search(text)
    if m:
        line, col = line_col(text, m.start())
        rep.add(Code.P015, "-", f"文本中有网页标记“{clip(m.group(), 12)}”，可能被当作网页运行；提示：纯文本"
                "和 CSV 中不要写 HTML 或 XML，网页请用 Markdown（.md）书写。", line, col)
    _report_numbers(rep, text, at=lambda o: line_col(text, o))
    return text


def _scan_text(path: Path, rel: str, rep: Reporter) -> None:
    text = _text(path, rel, rep)
    if text is None or not rel.lower().endswith(".csv"):
        return
    # The same rule as the post-build check of the site's CSV files: a cell Excel would run.
    lines = io.StringIO(text)
    reader = csv.reader(lines)
    start = 1
    try:
        for row in reader:
            for c, cell in enumerate(row):
                if cell[:1] in ("=", "+", "@", "\t") or (
                        cell[:1] == "-" and not _NEGATIVE_NUMBER.fullmatch(cell)):
                    where = f"第 {c + 1} 列"
                    rep.add(Code.P017, where, f"{where}的单元格“{clip(cell, 20, squeeze=True)}”以 "
                            f"{cell[:1]!r} 开头，用 Excel 打开时会被当作公式执行", start, hint="")
            start = reader.line_num + 1
    except csv.Error:
        rep.add(Code.P016, "-", "CSV 格式损坏（引号不成对或含有空字符）；提示：用表格软件重新另存为"
                "“CSV UTF-8”。", start)


# -- the site's own style sheets and scripts ----------------------------------------------------

def _scan_site_code(path: Path, rel: str, rep: Reporter) -> None:
    """Style sheets and scripts are the theme's code (mkdocs.yml and templates/theme/ load them),
    kept in docs/assets/ only; the post-build check looks at them again (other hosts' addresses)."""
    data = _read(path, rel, rep, MAX_TEXT_BYTES)
    if data is not None:
        text = data.decode("utf-8", "replace")
        _report_numbers(rep, text, at=lambda o: line_col(text, o))


# -- PDF ---------------------------------------------------------------------------------------

# What a PDF viewer may do by itself when a reader opens the file, and what can hide in it.
_PDF_ACTIVE_NAMES = {
    "/JavaScript": "JavaScript 脚本", "/JS": "JavaScript 脚本", "/AA": "自动执行的动作",
    "/Launch": "启动程序的动作", "/EmbeddedFile": "嵌入的附件", "/EmbeddedFiles": "嵌入的附件",
    "/XFA": "XFA 动态表单", "/RichMedia": "嵌入的多媒体", "/SubmitForm": "提交表单的动作",
    "/ImportData": "导入数据的动作", "/GoToR": "打开其他文件的动作", "/GoToE": "打开附件的动作",
}
# The actions a link or the opening view may take: go to a place, open a web address, turn a page.
_PDF_SAFE_ACTIONS = {"/GoTo", "/URI", "/Named"}
_PDF_NAME = re.compile(rb"/(?:[A-Za-z0-9]|#[0-9A-Fa-f]{2})+")
# Names too short to mean anything outside a dictionary's key (a font may be called /AA): the
# parsed objects are looked at for them, not the raw bytes.
_PDF_SHORT_NAMES = {"/JS", "/AA"}


def _pdf_raw_names(data: bytes) -> set[str]:
    """Every name written in the file's uncompressed text, `#xx` escapes decoded: what a viewer
    could still find in a part the parser below skips (an old revision, a damaged object)."""
    found = set()
    for m in _PDF_NAME.finditer(data):
        name = m.group()
        if b"#" in name:
            name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda h: bytes([int(h.group(1), 16)]), name)
        name = name.decode("latin-1")
        if name in _PDF_ACTIVE_NAMES and name not in _PDF_SHORT_NAMES:
            found.add(name)
    return found


class _PdfWalk:
    """Every object of a PDF, once: active content found, and every text string collected."""

    def __init__(self) -> None:
        self.active: dict[str, None] = {}  # what was found, in order
        self.strings: list[str] = []
        self.metadata: list[str] = []

    def visit(self, obj, depth: int = 0) -> None:
        from pypdf.generic import (
            ArrayObject,
            DictionaryObject,
            IndirectObject,
            StreamObject,
            TextStringObject,
        )
        if depth > 64:  # nothing a viewer needs: a file made to hide something from this walk
            raise RecursionError("objects nested too deeply")
        if isinstance(obj, IndirectObject):
            return  # each indirect object is visited on its own
        if isinstance(obj, TextStringObject):
            self.strings.append(str(obj))
        elif isinstance(obj, ArrayObject):
            for item in obj:
                self.visit(item, depth + 1)
        elif isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in _PDF_ACTIVE_NAMES:
                    self.active[_PDF_ACTIVE_NAMES[key]] = None
                if key in ("/A", "/OpenAction", "/Next"):
                    self.action(value.get_object() if isinstance(value, IndirectObject) else value)
                self.visit(value, depth + 1)
            if obj.get("/Type") == "/Action":
                self.action(obj)
            if isinstance(obj, StreamObject) and obj.get("/Type") == "/Metadata":
                self.metadata.append(obj.get_data().decode("utf-8", "replace"))

    def action(self, value) -> None:
        from pypdf.generic import DictionaryObject
        if not isinstance(value, DictionaryObject):
            return  # the opening view as a destination: a page and a zoom
        kind = value.get("/S")
        if kind not in _PDF_SAFE_ACTIONS:
            self.active[_PDF_ACTIVE_NAMES.get(kind, f"“{kind}”动作")] = None
        elif kind == "/URI":
            uri = str(value.get("/URI", ""))
            scheme = url_scheme(uri)
            if scheme is not None and scheme not in LINK_SCHEMES:
                self.active[f"{scheme}: 链接"] = None


def _scan_pdf(path: Path, rel: str, rep: Reporter) -> None:
    data = _read(path, rel, rep, MAX_DOCUMENT_BYTES)
    if data is None:
        return
    if not data.startswith(b"%PDF-"):
        rep.add(Code.P016, "-", f"{rel} 不是 PDF 文件（开头不是 %PDF-）；提示：用 WPS 或 Word“另存为 PDF”"
                "重新导出。", 1)
        return
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    walk = _PdfWalk()
    pages: list[str] = []
    quiet = logging.getLogger("pypdf")
    level = quiet.level
    quiet.setLevel(logging.ERROR)  # its warnings about damaged files are said below, in Chinese
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            rep.add(Code.P016, "-", f"{rel} 设置了打开密码，无法检查；提示：导出时不要设置密码。", 1)
            return
        if len(reader.pages) > MAX_PDF_PAGES:
            rep.add(Code.P016, "-", f"{rel} 有 {len(reader.pages)} 页，超过上限 {MAX_PDF_PAGES} 页，"
                    "无法检查；提示：拆分文件后再放入。", 1)
            return
        numbers = sorted({n for gen in reader.xref.values() for n in gen} | set(reader.xref_objStm))
        walk.visit(reader.trailer)
        for n in numbers:
            walk.visit(reader.get_object(n))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, NotImplementedError) as e:
        rep.add(Code.P016, "-", f"{rel} 已损坏或加了权限保护，无法读取（{type(e).__name__}）；提示：用 "
                "WPS 或 Word“另存为 PDF”重新导出，不要加密。", 1)
        return
    finally:
        quiet.setLevel(level)
    active = list(walk.active) + sorted(_PDF_ACTIVE_NAMES[n] for n in _pdf_raw_names(data))
    if active:
        rep.add(Code.P015, "-", f"{rel} 含有：{'、'.join(dict.fromkeys(active))}，打开时可能自动运行"
                "或带出其他文件；提示：用 WPS 或 Word 从原文件重新“另存为 PDF”（不要加入附件、表单或"
                "脚本），或用“打印为 PDF”得到只有页面内容的文件。", 1)
    for i, text in enumerate(pages, start=1):
        _report_numbers(rep, text, f"第 {i} 页")
    _report_numbers(rep, "\n".join(walk.strings + walk.metadata), "文档属性、书签、批注或表单")


# -- Word, Excel, PowerPoint (Office Open XML: a zip of XML parts) -------------------------------

_OFFICE_MAIN = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml",
                ".pptx": "ppt/presentation.xml"}
_OFFICE_NAMES = {".docx": "Word", ".xlsx": "Excel", ".pptx": "PowerPoint"}
# Parts that hold code or other programs: macros, ActiveX controls, embedded objects and files.
_OFFICE_ACTIVE_PARTS = re.compile(
    r"(?:^|/)(?:vbaProject\.bin|vbaData\.xml)$|(?:^|/)(?:activeX|embeddings|macrosheets|"
    r"dialogsheets)/", re.IGNORECASE)
# Parts that are not XML yet need no reading: pictures, fonts, legacy drawings (VML) and the
# printer settings Office keeps. Anything else (an HTML or RTF chunk, a program) is refused.
_OFFICE_PLAIN_PARTS = re.compile(
    r"\.(?:png|jpe?g|jfif|gif|bmp|tiff?|emf|wmf|wdp|webp|svg|odttf|fntdata|ttf|vml)$|"
    r"(?:^|/)printerSettings/[^/]+\.bin$", re.IGNORECASE)
_OFFICE_ACTIVE_TYPES = re.compile(r"macroEnabled|vbaProject|activeX|oleObject", re.IGNORECASE)
_W_INSTR = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instr"
_HYPERLINK_REL = "/relationships/hyperlink"
# Elements whose end closes a run of text (a paragraph, a cell, a shared string, a row).
_TEXT_BLOCKS = {"p", "tc", "tr", "si", "c", "row", "comment", "is"}
# Run text: pieces of one paragraph, to be read together (a number split over two runs).
_RUN_TEXT = {"t", "delText", "instrText"}
_DDE = re.compile(r"\bDDE(?:AUTO)?\b", re.IGNORECASE)


def _local(tag) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _part_place(part: str) -> str:
    """Where in the document a part is, as an editor sees it."""
    m = re.search(r"(sheet|slide)(\d+)\.xml$", part)
    if m and "worksheets/" in part:
        return f"第 {m.group(2)} 个工作表"
    if m and "slides/" in part:
        return f"第 {m.group(2)} 张幻灯片"
    for key, place in (("docProps/", "文档属性"), ("comments", "批注"), ("header", "页眉"),
                       ("footer", "页脚"), ("sharedStrings", "单元格"), ("footnotes", "脚注"),
                       ("endnotes", "尾注"), ("word/document.xml", "正文")):
        if key in part:
            return place
    return part


def _part_text(root: ElementTree.Element) -> str:
    out: list[str] = []

    def walk(el: ElementTree.Element) -> None:
        name = _local(el.tag)
        if el.text and name != "f":  # a formula is code, read apart
            out.append(el.text)
        for child in el:
            walk(child)
        if name in _TEXT_BLOCKS or (len(el) == 0 and el.text and name not in _RUN_TEXT):
            out.append("\n")

    walk(root)
    return "".join(out)


class _Unzipped:
    """An Office file's parts, read within the size bounds."""

    def __init__(self, zf: zipfile.ZipFile) -> None:
        self.zf = zf
        self.budget = MAX_UNZIPPED_BYTES

    def read(self, info: zipfile.ZipInfo) -> bytes:
        with self.zf.open(info) as f:
            data = f.read(self.budget + 1)
        self.budget -= len(data)
        if self.budget < 0:
            raise zipfile.BadZipFile("unpacked size over the limit")
        return data


def _scan_office(path: Path, rel: str, rep: Reporter) -> None:
    data = _read(path, rel, rep, MAX_DOCUMENT_BYTES)
    if data is None:
        return
    suffix = PurePosixPath(rel).suffix.lower()
    kind = _OFFICE_NAMES[suffix]
    resave = (f"提示：用 {kind} 或 WPS 打开，另存为不带宏的 {suffix} 文件（或另存为 PDF），"
              "不要加密。")
    try:
        if not data.startswith(b"PK\x03\x04"):
            raise zipfile.BadZipFile("not a zip archive")
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
            if len(infos) > MAX_ZIP_MEMBERS or "[Content_Types].xml" not in names \
                    or _OFFICE_MAIN[suffix] not in names:
                raise zipfile.BadZipFile("not an Office Open XML file of this kind")
            if any(i.flag_bits & 0x1 for i in infos):
                raise zipfile.BadZipFile("encrypted member")
            _scan_office_parts(_Unzipped(zf), infos, rel, rep)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError,
            RuntimeError, ValueError) as e:  # RecursionError too: XML nested beyond reading
        rep.add(Code.P016, "-", f"{rel} 不是有效的 {kind} 文件，或已加密、已损坏（{type(e).__name__}）；"
                + resave, 1)


def _scan_office_parts(unzipped: _Unzipped, infos: list[zipfile.ZipInfo], rel: str,
                       rep: Reporter) -> None:
    active: dict[str, None] = {}
    texts: list[tuple[str, str]] = []
    for info in infos:
        part = info.filename
        if info.is_dir():
            continue
        if _OFFICE_ACTIVE_PARTS.search(part):
            active[f"宏、控件或嵌入的对象（{part}）"] = None
            continue
        if _OFFICE_PLAIN_PARTS.search(part):
            continue
        if not part.endswith((".xml", ".rels")):
            active[f"嵌入的其他文件（{part}）"] = None
            continue
        raw = unzipped.read(info)
        if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
            active[f"XML 实体声明（{part}）"] = None
            continue
        try:
            root = ElementTree.fromstring(raw)
        except ElementTree.ParseError as e:
            raise zipfile.BadZipFile(f"{part}: {e}") from None
        if part == "[Content_Types].xml":
            for el in root.iter():
                if _OFFICE_ACTIVE_TYPES.search(el.get("ContentType", "")):
                    active[f"宏或控件（{el.get('ContentType')}）"] = None
        elif part.endswith(".rels"):
            _office_relations(root, part, active)
        else:
            for code in _field_codes(root):
                active[f"调用其他程序的公式或域代码（{clip(code, 30)}）"] = None
            texts.append((part, _part_text(root)))
    if active:
        rep.add(Code.P015, "-", f"{rel} 含有：{'、'.join(active)}，打开时可能运行程序或读取其他文件",
                1, hint="")
    for part, text in texts:
        _report_numbers(rep, text, _part_place(part))


def _field_codes(root: ElementTree.Element) -> list[str]:
    """Formulas and Word field codes that start another program (DDE, `=cmd|' /c …'!A1`)."""
    found = []
    for el in root.iter():
        name = _local(el.tag)
        code = el.text if name in ("f", "instrText") else el.get(_W_INSTR) if name == "fldSimple" \
            else None
        if code and (_DDE.search(code) or (name == "f" and "|" in code)):
            found.append(code)
    return found


def _office_relations(root: ElementTree.Element, part: str, active: dict[str, None]) -> None:
    """Links to anything outside the file: a web address a reader clicks is fine; a template,
    picture, object or workbook fetched from elsewhere when the file opens is not."""
    for el in root.iter():
        if _local(el.tag) != "Relationship" or el.get("TargetMode") != "External":
            continue
        target, rel_type = el.get("Target", ""), el.get("Type", "")
        scheme = url_scheme(target)
        if rel_type.endswith(_HYPERLINK_REL) and scheme in LINK_SCHEMES:
            continue
        what = "链接" if rel_type.endswith(_HYPERLINK_REL) else "外部引用"
        active[f"指向文件之外的{what}“{clip(target, 40)}”（{part}）"] = None


# -- the table ----------------------------------------------------------------------------------

FILE_TYPES: tuple[FileType, ...] = (
    FileType("图片（.jpg、.jpeg、.png、.webp、.gif，发布时去掉元数据）",
             (".jpg", ".jpeg", ".png", ".webp", ".gif"), _scan_image),
    FileType("PDF（.pdf，不含脚本和附件）", (".pdf",), _scan_pdf),
    FileType("Office 文件（.docx、.xlsx、.pptx，不带宏）", (".docx", ".xlsx", ".pptx"), _scan_office),
    FileType("UTF-8 编码的纯文本和表格（.txt、.csv）", (".txt", ".csv"), _scan_text),
    FileType(f"网站自身的样式表和脚本（只在 {DOCS_DIR}/{SITE_CODE_DIR}/ 中：.css、.js）", (".css", ".js"),
             _scan_site_code, folder=SITE_CODE_DIR),
)
_BY_SUFFIX = {s: t for t in FILE_TYPES for s in t.suffixes}
ALLOWED_TYPES = "、".join(t.label for t in FILE_TYPES)

# Why a type is refused, and what to do instead, for the types people do try.
_REFUSED = (
    ((".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".php", ".asp", ".jsp"),
     "网页文件会原样发布，其中的脚本会在本站运行", "网页请用 Markdown（.md）书写"),
    ((".svg", ".svgz", ".xml", ".xsl", ".xslt", ".rss", ".atom"),
     "SVG 和 XML 文件在浏览器中可以运行脚本", "图标、图表请另存为 PNG；数据请另存为 CSV"),
    ((".doc", ".xls", ".ppt", ".docm", ".xlsm", ".pptm", ".dotm", ".xltm", ".potm", ".ppsm",
      ".rtf", ".wps", ".et", ".dps", ".ofd"),
     "旧格式、带宏或其他格式的文档无法检查其中的宏和身份证号",
     "另存为 PDF，或不带宏的 .docx、.xlsx、.pptx"),
    ((".md", ".markdown", ".mdown", ".mkd", ".mkdn"), "页面只认小写的 .md 扩展名", "把扩展名改为 .md"),
    ((".zip", ".rar", ".7z", ".gz", ".tar", ".tgz", ".bz2", ".xz"),
     "压缩包中的文件无法检查", "把需要公开的文件解压后逐个放入（PDF 或图片）"),
)


def _refusal(rel: str) -> tuple[str, str]:
    suffix = PurePosixPath(rel).suffix.lower()
    for suffixes, why, hint in _REFUSED:
        if suffix in suffixes:
            return why, hint
    return "这类文件无法检查", "删去这个文件；需要公开的内容请写成页面（.md）或另存为 PDF"


def check_docs_files(root: Path, folder: str = DOCS_DIR) -> DocsFiles:
    """Every file under `folder` (docs/, or the folder another mkdocs.yml names) that is not a
    page: refused when it is a link or not of a type in FILE_TYPES, else scanned by its type."""
    result = DocsFiles()
    top = root / folder
    if top.is_symlink():
        rep = Reporter(folder)
        rep.add(Code.P014, "-", f"{folder}/ 是指向别处的链接，不会被跟随；提示：把文件夹本身放在项目中。", 1)
        result.diagnostics.extend(rep.items)
        return result
    for rel in docs_files(root, folder):
        rep = Reporter(rel)
        _check_file(root / rel, rel, PurePosixPath(os.path.relpath(root / rel, top).replace(os.sep, "/")),
                    rep, result)
        result.diagnostics.extend(rep.items)
    return result


def _check_file(path: Path, rel: str, inside: PurePosixPath, rep: Reporter,
                result: DocsFiles) -> None:
    """One file: `inside` is its path in the docs folder, as MkDocs names it."""
    if path.is_symlink():
        rep.add(Code.P014, "-", f"{rel} 是链接（快捷方式），不是文件本身；{DOCS_DIR}/ 中的链接不会被跟随，"
                f"也不会发布；提示：删去链接，把文件本身复制到 {DOCS_DIR}/ 中。", 1)
        return
    if inside.suffix == ".md" or inside.name.startswith(".") or inside.name.lower() in SYSTEM_FILES:
        return  # a page (load/pages.py); hidden and system files, which nothing publishes
    ftype = _BY_SUFFIX.get(inside.suffix.lower())
    if ftype is None or (ftype.folder is not None and inside.parent.as_posix() != ftype.folder):
        why, hint = _refusal(rel) if ftype is None else (
            f"样式表和脚本只能是网站自身的代码，放在 {DOCS_DIR}/{ftype.folder}/ 中",
            "删去这个文件；页面请用 Markdown（.md）书写")
        rep.add(Code.P014, "-", f"{rel}：{DOCS_DIR}/ 中不能放这个 {inside.suffix or '无扩展名的'} 文件，"
                f"{why}，它不会发布。除页面（.md）外只能放：{ALLOWED_TYPES}；提示：{hint}。", 1)
        return
    ftype.scan(path, rel, rep)
    if not has_errors(rep.items):
        result.accepted.add(inside.as_posix())
