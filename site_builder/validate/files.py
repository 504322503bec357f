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
from ..text import clip, csv_formula_cells, line_col
from .images import _UNSAFE_NAME, image_file_problem
from .personal_data import find_pii, normalise
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

# Markup that a browser or another program might run if it ever read the file as a page: any
# tag, end tag, comment, declaration or processing instruction (`<` then a letter, `/`, `!` or
# `?`; `< ?xml` too). Plain text has no use for them; `a < b` and `<5%` stay text.
_MARKUP = re.compile(r"<(?:[A-Za-z/!?]|\s+[!?])[^<>\n]{0,20}")


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
    # The same rule as the post-build check of the site's CSV files (text.csv_formula): a cell
    # Excel would run, with any separator Excel may split the lines by.
    try:
        found = csv_formula_cells(text)
    except csv.Error:
        rep.add(Code.P016, "-", "CSV 格式损坏（引号不成对或含有空字符）；提示：用表格软件重新另存为"
                "“CSV UTF-8”。", 1)
        return
    for line, col, cell in found:
        where = f"第 {col} 列"
        rep.add(Code.P017, where, f"{where}的单元格“{clip(cell, 20, squeeze=True)}”是公式（以 "
                f"{cell.strip()[:1]!r} 开头），用 Excel 打开时会被执行", line, hint="")


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
    "/EF": "嵌入的附件", "/FileAttachment": "附件批注",
    "/XFA": "XFA 动态表单", "/RichMedia": "嵌入的多媒体", "/SubmitForm": "提交表单的动作",
    "/ImportData": "导入数据的动作", "/GoToR": "打开其他文件的动作", "/GoToE": "打开附件的动作",
}
# The actions a link or the opening view may take: go to a place, open a web address, turn a page.
_PDF_SAFE_ACTIONS = {"/GoTo", "/URI", "/Named"}
# Every action type of the PDF standard: a dictionary whose /S is one of these is an action
# wherever it is (an action chained by /Next, kept in an object stream, referenced by nothing).
_PDF_ACTION_TYPES = {
    "/GoTo", "/GoToR", "/GoToE", "/GoToDp", "/Launch", "/Thread", "/URI", "/Sound", "/Movie",
    "/Hide", "/Named", "/SubmitForm", "/ResetForm", "/ImportData", "/JavaScript", "/SetOCGState",
    "/Rendition", "/Trans", "/GoTo3DView", "/RichMediaExecute",
}
# The keys whose value is an action (or an array of actions: /Next).
_PDF_ACTION_KEYS = {"/A", "/OpenAction", "/Next", "/PA"}
_PDF_NAME = re.compile(rb"/(?:[A-Za-z0-9]|#[0-9A-Fa-f]{2})+")
# Names too short to mean anything outside a dictionary's key (a font may be called /AA): the
# parsed objects are looked at for them, not the raw bytes.
_PDF_SHORT_NAMES = {"/JS", "/AA", "/EF"}
# Bounds on the work one file may ask for: objects read, and bytes held once streams are
# decompressed (a small file can unpack to gigabytes). Beyond them the file cannot be checked.
MAX_PDF_OBJECTS = 100_000
MAX_PDF_DECODED_BYTES = 200 * 1024 * 1024
_PDF_MAX_DEPTH = 64  # nothing a viewer needs: a file made to hide something from the walk
_PDF_OBJ = re.compile(rb"(?<![0-9])([0-9]{1,10})[\x00\t\n\f\r ]+([0-9]{1,5})[\x00\t\n\f\r ]+obj"
                      rb"|trailer(?=[\x00\t\n\f\r ]*<<)")
# Strings a content stream shows: literal (one level of nested brackets, as writers produce) and
# hexadecimal, and TJ arrays of them, whose pieces are one run of text.
_PDF_LIT = rb"\((?:\\[\s\S]|[^\\()]|\((?:\\[\s\S]|[^\\()])*\))*\)"
_PDF_HEX = rb"<[0-9A-Fa-f\x00\t\n\f\r ]*>"
_PDF_SHOWN = re.compile(rb"\[(?:\s*+(?:%s|%s|[-+.0-9]++))*+\s*+\]|%s|%s"
                        % (_PDF_LIT, _PDF_HEX, _PDF_LIT, _PDF_HEX))
_PDF_PIECE = re.compile(rb"%s|%s" % (_PDF_LIT, _PDF_HEX))
_PDF_ESCAPE = re.compile(rb"\\([0-7]{1,3}|\r\n|[\s\S])")
_PDF_ESCAPES = {b"n": b"\n", b"r": b"\r", b"t": b"\t", b"b": b"\b", b"f": b"\f", b"\n": b"",
                b"\r": b"", b"\r\n": b""}
_PDF_SPACE = re.compile(rb"[\x00\t\n\f\r ]*")
_PDF_CONTENT_OPS = re.compile(rb"(?:^|\s)BT\s[\s\S]*\sET(?:\s|$)")
# Streams with no text a person wrote: pictures (their raw bytes are read: a JPEG's EXIF), font
# programs, colour profiles, functions and shadings, and the file's own tables.
_PDF_FONT_SUBTYPES = {"/Type1C", "/CIDFontType0C", "/OpenType"}


class PdfTooLarge(Exception):
    """The file asks for more work than the bounds allow."""


def _pdf_raw_names(data: bytes) -> set[str]:
    """Every name written in `data` (the file's uncompressed text, an object stream unpacked),
    `#xx` escapes decoded: what a viewer could still find in a part the parser skips."""
    found = set()
    for m in _PDF_NAME.finditer(data):
        name = m.group()
        if b"#" in name:
            name = re.sub(rb"#([0-9A-Fa-f]{2})", lambda h: bytes([int(h.group(1), 16)]), name)
        name = name.decode("latin-1")
        if name in _PDF_ACTIVE_NAMES and name not in _PDF_SHORT_NAMES:
            found.add(name)
    return found


def _pdf_bytes_text(raw: bytes) -> str:
    """A string's bytes as text: UTF-16 or UTF-8 after a byte order mark, else one byte a
    character (PDFDocEncoding agrees with Latin-1 on digits and letters), and also as UTF-16
    without a mark, as two-byte Chinese fonts write text."""
    for bom, codec in ((b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
                       (b"\xef\xbb\xbf", "utf-8")):
        if raw.startswith(bom):
            return raw[len(bom):].decode(codec, "replace")
    if len(raw) < 4 or len(raw) % 2:
        return raw.decode("latin-1")
    if raw[0::2].count(0) * 4 >= len(raw):  # Latin letters and digits in two bytes each
        return raw.decode("utf-16-be", "replace")
    return raw.decode("latin-1") + "\n" + raw.decode("utf-16-be", "replace")


def _pdf_string(obj) -> str:
    from pypdf.generic import ByteStringObject
    return _pdf_bytes_text(bytes(obj)) if isinstance(obj, ByteStringObject) else str(obj)


def _pdf_piece(token: bytes) -> bytes:
    """The bytes of one literal `( … )` or hexadecimal `< … >` string of a content stream."""
    if token[:1] == b"<":
        digits = re.sub(rb"[^0-9A-Fa-f]", b"", token)
        return bytes.fromhex((digits + b"0" * (len(digits) % 2)).decode())

    def unescape(m: re.Match) -> bytes:
        c = m.group(1)
        if c[:1].isdigit():
            return bytes([int(c, 8) & 0xFF])
        return _PDF_ESCAPES.get(c, c)
    return _PDF_ESCAPE.sub(unescape, token[1:-1])


def _pdf_shown_text(data: bytes) -> str:
    """The strings a content stream shows, one a line (the pieces of a TJ array together)."""
    out = []
    for m in _PDF_SHOWN.finditer(data):
        token = m.group()
        pieces = [p.group() for p in _PDF_PIECE.finditer(token)] if token[:1] == b"[" else [token]
        if pieces:
            out.append(_pdf_bytes_text(b"".join(_pdf_piece(p) for p in pieces)))
    return "\n".join(out)


class _PdfBudget:
    """What reading one file may still cost: objects, and bytes of stream data held."""

    def __init__(self) -> None:
        self.objects = MAX_PDF_OBJECTS
        self.bytes = MAX_PDF_DECODED_BYTES

    def count(self, objects: int = 0, size: int = 0) -> None:
        self.objects -= objects
        self.bytes -= size
        if self.objects < 0 or self.bytes < 0:
            raise PdfTooLarge

    def decode(self, stream) -> bytes | None:
        """The stream's data with its filters undone, or None when they cannot be (a filter
        pypdf does not know, damaged data): the caller reads the raw bytes then."""
        from pypdf.errors import LimitReachedError
        try:
            data = stream.get_data()
        except LimitReachedError:
            raise PdfTooLarge from None
        except Exception:  # noqa: BLE001 - any damage in one stream: its raw bytes are read
            return None
        if isinstance(data, str):
            data = data.encode("latin-1", "replace")
        self.count(size=len(data))
        return data


def _pdf_objects(data: bytes, reader, budget: _PdfBudget):
    """Every object written in the file, whichever revision or cross-reference table names it
    or none: each `N G obj` of the raw bytes, each trailer, and each object packed in an object
    stream. Yields (number, object); an object that cannot be parsed is yielded as its raw
    bytes (the number scan still reads them), and an object stream's unpacked data as
    (-1, bytes) for the raw-name scan."""
    from pypdf.errors import LimitReachedError
    from pypdf.generic import IndirectObject, StreamObject, read_object
    encryption = reader._encryption if reader.is_encrypted else None
    encrypt_ref = reader.trailer.get("/Encrypt")
    encrypt_num = encrypt_ref.idnum if isinstance(encrypt_ref, IndirectObject) else None
    source = io.BytesIO(data)
    packed = []
    for m in _PDF_OBJ.finditer(data):
        budget.count(objects=1)
        num, gen = (int(m.group(1)), int(m.group(2))) if m.group(1) else (-1, 0)
        try:
            obj = read_object(_at(source, m.end()), reader)
        except LimitReachedError:
            raise PdfTooLarge from None
        except Exception:  # noqa: BLE001 - damaged: its bytes are read as they are
            end = data.find(b"endobj", m.end(), m.end() + MAX_TEXT_BYTES)
            yield num, data[m.end(): end if end > 0 else m.end() + 4096]
            continue
        is_stream = isinstance(obj, StreamObject)
        if is_stream:
            budget.count(size=len(obj._data))
        if encryption is not None and num not in (-1, encrypt_num) \
                and not (is_stream and obj.get("/Type") == "/XRef"):  # tables are not encrypted
            obj = encryption.decrypt_object(obj, num, gen, strict=False)
        if isinstance(obj, StreamObject) and obj.get("/Type") == "/ObjStm":
            packed.append(obj)
        yield num, obj
    for stream in packed:
        unpacked = budget.decode(stream)
        if unpacked is None:
            continue
        yield -1, unpacked
        yield from _pdf_packed(unpacked, stream, reader, budget)


def _at(source: io.BytesIO, offset: int) -> io.BytesIO:
    """`source` at the first byte after `offset` that is not white space."""
    m = _PDF_SPACE.match(source.getbuffer(), offset)
    source.seek(m.end())
    return source


def _pdf_packed(unpacked: bytes, stream, reader, budget: _PdfBudget):
    """The objects of one object stream: a header of number-offset pairs, then the objects."""
    from pypdf.errors import LimitReachedError
    from pypdf.generic import read_object
    first, count = stream.get("/First"), stream.get("/N")
    if not isinstance(first, int) or not isinstance(count, int) or not 0 <= first <= len(unpacked):
        yield -1, unpacked
        return
    header = unpacked[:first].split()
    budget.count(objects=len(header) // 2)
    source = io.BytesIO(unpacked)
    for i in range(0, len(header) - 1, 2):
        try:
            num, offset = int(header[i]), int(header[i + 1])
            obj = read_object(_at(source, first + offset), reader)
        except LimitReachedError:
            raise PdfTooLarge from None
        except Exception:  # noqa: BLE001 - damaged: the raw-name scan of the unpacked data
            obj = None  # still finds what it names
        if obj is not None:
            yield num, obj


class _PdfWalk:
    """Every object of a PDF, once: active content found, every string collected, and the
    streams sorted by what they hold (a page's drawing, a picture, other data)."""

    def __init__(self) -> None:
        self.active: dict[str, None] = {}  # what was found, in order
        self.strings: list[str] = []
        self.streams: list[tuple[int, object]] = []
        self.content_refs: set[int] = set()  # numbers of objects drawn as page content
        self.action_refs: set[int] = set()  # numbers of objects used as actions
        self.raw: list[bytes] = []  # objects that could not be parsed

    def visit(self, obj, num: int = -1) -> None:
        from pypdf.generic import (
            ArrayObject,
            ByteStringObject,
            DictionaryObject,
            IndirectObject,
            NameObject,
            StreamObject,
            TextStringObject,
        )
        if isinstance(obj, StreamObject):
            self.streams.append((num, obj))
        stack = [(obj, 0, "")]
        while stack:
            obj, depth, key = stack.pop()
            if depth > _PDF_MAX_DEPTH:
                raise RecursionError("objects nested too deeply")
            if isinstance(obj, (TextStringObject, ByteStringObject)):
                self.strings.append(_pdf_string(obj))
            elif isinstance(obj, NameObject):
                if obj in _PDF_ACTIVE_NAMES and obj not in _PDF_SHORT_NAMES:
                    self.active[_PDF_ACTIVE_NAMES[obj]] = None
            elif isinstance(obj, IndirectObject):
                if key in _PDF_ACTION_KEYS:
                    self.action_refs.add(obj.idnum)
                elif key in ("/Contents", "/CharProcs"):
                    self.content_refs.add(obj.idnum)
            elif isinstance(obj, ArrayObject):
                stack.extend((item, depth + 1, key) for item in obj)
            elif isinstance(obj, DictionaryObject):
                for k, value in obj.items():
                    if k in _PDF_ACTIVE_NAMES:
                        self.active[_PDF_ACTIVE_NAMES[k]] = None
                    # a Type 3 font's glyphs are drawings: each is content, whatever its name
                    stack.append((value, depth + 1, "/CharProcs" if key == "/CharProcs" else k))
                if key in _PDF_ACTION_KEYS or obj.get("/Type") == "/Action" \
                        or str(obj.get("/S")) in _PDF_ACTION_TYPES:
                    self.action(obj)
                for k in ("/URI", "/Base"):  # a URI action's address, a document's base address
                    if isinstance(obj.get(k), (TextStringObject, ByteStringObject)):
                        self.address(_pdf_string(obj[k]))
            elif isinstance(obj, bytes) and num != -1:  # an object that could not be parsed
                self.raw.append(obj)

    def action(self, value) -> None:
        from pypdf.generic import DictionaryObject
        if not isinstance(value, DictionaryObject) or "/S" not in value:
            return  # the opening view as a destination: a page and a zoom
        kind = str(value["/S"])
        if kind not in _PDF_SAFE_ACTIONS:
            self.active[_PDF_ACTIVE_NAMES.get(kind, f"“{kind}”动作")] = None

    def address(self, uri: str) -> None:
        for text in uri.split("\n"):
            scheme = url_scheme(text)
            if scheme is not None and scheme not in LINK_SCHEMES:
                self.active[f"{scheme}: 链接"] = None

    def stream_text(self, num: int, stream, budget: _PdfBudget) -> str:
        """The text a person could have put in a stream: the strings a drawing shows, and all
        of any other data (XMP metadata is XML, a private part may be anything)."""
        kind = stream.get("/Subtype")
        if stream.get("/Type") in ("/XRef", "/ObjStm") or kind in _PDF_FONT_SUBTYPES or any(
                k in stream for k in ("/Length1", "/Length2", "/Length3", "/FunctionType",
                                      "/ShadingType")):
            return ""  # the file's own tables (objects are read apart), fonts, functions
        if kind == "/Image" or "/Alternate" in stream:
            return stream._data.decode("latin-1")  # a picture's EXIF and XMP, not its pixels
        data = budget.decode(stream)
        if data is None:
            return stream._data.decode("latin-1")
        if num in self.content_refs or kind == "/Form" or "/PatternType" in stream \
                or _PDF_CONTENT_OPS.search(data):
            return _pdf_shown_text(data)
        return data.decode("latin-1") + "\n" + _pdf_shown_text(data)


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
    names = _pdf_raw_names(data)
    pages: list[str] = []
    inside: list[str] = []
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
        budget = _PdfBudget()
        objects = {}
        walk.visit(reader.trailer)
        for num, obj in _pdf_objects(data, reader, budget):
            if num == -1 and isinstance(obj, bytes):
                names |= _pdf_raw_names(obj)  # an object stream, unpacked
                continue
            walk.visit(obj, num)
            objects.setdefault(num, []).append(obj)
        for num in walk.action_refs:  # actions named by reference (a /Next array of them)
            for obj in objects.get(num, ()):
                walk.action(obj)
        inside = [walk.stream_text(num, s, budget) for num, s in walk.streams]
        inside += [raw.decode("latin-1") for raw in walk.raw]
        pages = [page.extract_text() or "" for page in reader.pages]
    except PdfTooLarge:
        rep.add(Code.P016, "-", f"{rel} 的内容解压后超过上限（{MAX_PDF_OBJECTS} 个对象或 "
                f"{MAX_PDF_DECODED_BYTES // 1048576} MB），无法检查；提示：用 WPS 或 Word“另存为 PDF”"
                "重新导出，或拆分文件后再放入。", 1)
        return
    except (PyPdfError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, NotImplementedError) as e:
        rep.add(Code.P016, "-", f"{rel} 已损坏或加了权限保护，无法读取（{type(e).__name__}）；提示：用 "
                "WPS 或 Word“另存为 PDF”重新导出，不要加密。", 1)
        return
    finally:
        quiet.setLevel(level)
    active = list(walk.active) + sorted(_PDF_ACTIVE_NAMES[n] for n in names)
    if active:
        rep.add(Code.P015, "-", f"{rel} 含有：{'、'.join(dict.fromkeys(active))}，打开时可能自动运行"
                "或带出其他文件；提示：用 WPS 或 Word 从原文件重新“另存为 PDF”（不要加入附件、表单或"
                "脚本），或用“打印为 PDF”得到只有页面内容的文件。", 1)
    seen: set[str] = set()
    for i, text in enumerate(pages, start=1):
        _pdf_numbers(rep, text, f"第 {i} 页", seen)
    _pdf_numbers(rep, "\n".join(walk.strings), "文档属性、书签、批注或表单", seen)
    _pdf_numbers(rep, "\n".join(inside), "文件内部的数据（保存前的旧版本、批注的外观或不显示的内容）",
                 seen)


def _pdf_numbers(rep: Reporter, text: str, place: str, seen: set[str]) -> None:
    """The numbers in `text` not yet reported for this file: a number on a page is also in the
    page's drawing and maybe in an older revision of it, and is said once."""
    fresh = []
    for p in find_pii(text):
        key = re.sub(r"[^0-9X]", "", normalise(text[p.start:p.end]).upper())
        if key not in seen:
            seen.add(key)
            fresh.append(text[p.start:p.end])
    if fresh:
        _report_numbers(rep, "\n".join(fresh), place)


# -- Word, Excel, PowerPoint (Office Open XML: a zip of XML parts) -------------------------------

_OFFICE_MAIN = {".docx": "word/document.xml", ".xlsx": "xl/workbook.xml",
                ".pptx": "ppt/presentation.xml"}
_OFFICE_NAMES = {".docx": "Word", ".xlsx": "Excel", ".pptx": "PowerPoint"}
# Parts that hold code or other programs: macros, ActiveX controls, embedded objects and files.
_OFFICE_ACTIVE_PARTS = re.compile(
    r"(?:^|/)(?:vbaProject\.bin|vbaData\.xml)$|(?:^|/)(?:activeX|embeddings|macrosheets|"
    r"dialogsheets)/", re.IGNORECASE)
# Pictures: their metadata (PNG text chunks, JPEG comments, EXIF, XMP) is read for numbers.
_OFFICE_PICTURES = re.compile(r"\.(?:png|jpe?g|jfif|gif|bmp|tiff?|webp)$", re.IGNORECASE)
# Other parts that are not XML yet belong in an Office file: vector pictures, HD Photo, fonts,
# the printer settings Office keeps. Their bytes are read as text (latin-1 and UTF-16) for
# numbers. Anything else (an HTML or RTF chunk, a program) is refused.
_OFFICE_BINARY_PARTS = re.compile(
    r"\.(?:emf|wmf|wdp|odttf|fntdata|ttf)$|(?:^|/)printerSettings/[^/]+\.bin$", re.IGNORECASE)
# XML parts Office writes without an .xml name: legacy drawings (VML, often not well-formed XML,
# so read as text) and SVG pictures.
_OFFICE_VML = re.compile(r"\.vml$", re.IGNORECASE)
# Parts that fetch data from elsewhere when the file opens or refreshes: data connections (a web
# query, a database), query tables, links to other workbooks or programs (DDE, OLE).
_OFFICE_FETCH_PARTS = re.compile(r"(?:^|/)(?:connections\.xml|queryTables/[^/]+)$", re.IGNORECASE)
_OFFICE_FETCH_ELEMENTS = {"ddeLink", "oleLink", "webPr", "dbPr", "olapPr", "textPr"}
_OFFICE_ACTIVE_TYPES = re.compile(r"macroEnabled|vbaProject|activeX|oleObject", re.IGNORECASE)
_W_INSTR = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}instr"
_HYPERLINK_REL = "/relationships/hyperlink"
# Elements whose end closes a run of text (a paragraph, a cell, a shared string, a row).
_TEXT_BLOCKS = {"p", "tc", "tr", "si", "c", "row", "comment", "is"}
# Run text: pieces of one paragraph, to be read together (a number split over two runs).
_RUN_TEXT = {"t", "delText", "instrText"}
_DDE = re.compile(r"\bDDE(?:AUTO)?\b", re.IGNORECASE)
# Word fields that read another file, a web address or a database, or run a macro, when the
# document opens or its fields update. TOC, PAGE, HYPERLINK, REF… are ordinary.
_ACTIVE_FIELD = re.compile(r"\s*(?:DDE|DDEAUTO|INCLUDETEXT|INCLUDEPICTURE|INCLUDE|LINK|IMPORT|"
                           r"DATABASE|MACROBUTTON|AUTOTEXTLIST)\b", re.IGNORECASE)
# Excel functions that fetch from the network or call a program.
_ACTIVE_FUNCTION = re.compile(r"\b(?:WEBSERVICE|FILTERXML|IMAGE|RTD|CALL|REGISTER(?:\.ID)?|EXEC|"
                              r"IMPORTDATA|IMPORTXML|IMPORTHTML|IMPORTRANGE)\s*\(", re.IGNORECASE)
# PowerPoint click or hover actions that run a program, a macro or an embedded object.
_ACTIVE_ACTION = re.compile(r"ppaction://(?:program|macro|ole)", re.IGNORECASE)
# Relationships to an embedded program, object or document (even under a picture's name).
_EMBEDDING_RELS = {"oleObject", "aFChunk", "package", "control", "activeXControlBinary"}
_FLD_CHAR_TYPE = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}fldCharType"


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
    """Everything a part holds: the text in reading order (the runs of a paragraph joined, as a
    number split over runs is read), then each attribute value (alt text, a sheet's name, a
    comment's author, a data-validation prompt, a number format) and each formula on a line of
    its own, so that no two of them join into one number. Text between elements (tail text)
    counts unless it is only the whitespace of indented XML, which Office does not show."""
    out: list[str] = []
    apart: list[str] = []

    def walk(el: ElementTree.Element) -> None:
        name = _local(el.tag)
        apart.extend(v for v in el.attrib.values() if v.strip())
        if el.text and name == "f":  # a formula is code: its text apart
            apart.append(el.text)
        elif el.text:
            out.append(el.text)
        for child in el:
            walk(child)
            if child.tail and child.tail.strip():
                out.append(child.tail)
        if name in _TEXT_BLOCKS or (len(el) == 0 and el.text and name not in _RUN_TEXT):
            out.append("\n")

    walk(root)
    return "".join(out) + "\n" + "\n".join(apart)


def _binary_text(data: bytes) -> str:
    """The text a binary part may hold, as single-byte and as UTF-16 characters."""
    return "\n".join((data.decode("latin-1"), data.decode("utf-16-le", "replace"),
                      data[1:].decode("utf-16-le", "replace")))


def _vml_text(data: bytes) -> str:
    """A legacy drawing (VML, XML that is often not well formed): its text and attribute
    values, each on a line of its own."""
    import html
    text = data.decode("utf-8", "replace")
    values = re.findall(r"=\s*(?:\"([^\"]*)\"|'([^']*)')", text)
    return "\n".join([html.unescape(re.sub(r"<[^>]*>", "\n", text))]
                     + [html.unescape(a or b) for a, b in values])


def _picture_text(data: bytes) -> str:
    """What a picture's metadata says: PNG text chunks, comments, EXIF and XMP."""
    from PIL import Image, UnidentifiedImageError
    try:
        with Image.open(io.BytesIO(data)) as im:
            im.verify()  # the whole file read, so every text chunk is in `info`
            values = list(im.info.values())
        with Image.open(io.BytesIO(data)) as im:
            values += list(im.getexif().values())
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError, RuntimeError) as e:
        raise zipfile.BadZipFile(f"picture: {type(e).__name__}") from None
    return "\n".join(v.decode("latin-1") if isinstance(v, bytes) else v
                     for v in values if isinstance(v, (bytes, str)))


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
        if _OFFICE_FETCH_PARTS.search(part):
            active[f"数据连接（{part}）"] = None
            continue
        if _OFFICE_PICTURES.search(part):
            texts.append((part, _picture_text(unzipped.read(info))))
            continue
        if _OFFICE_BINARY_PARTS.search(part):
            texts.append((part, _binary_text(unzipped.read(info))))
            continue
        if _OFFICE_VML.search(part):
            texts.append((part, _vml_text(unzipped.read(info))))
            continue
        if not part.lower().endswith((".xml", ".rels", ".svg")):
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
            texts.append((part, _relation_text(root)))
        else:
            for code in _field_codes(root):
                active[f"调用其他程序或读取其他文件的公式、域代码或动作（{clip(code, 30)}）"] = None
            if any(_local(el.tag) in _OFFICE_FETCH_ELEMENTS for el in root.iter()):
                active[f"指向其他程序或文件的链接（{part}）"] = None
            texts.append((part, _part_text(root)))
    if active:
        rep.add(Code.P015, "-", f"{rel} 含有：{'、'.join(active)}，打开时可能运行程序或读取其他文件",
                1, hint="")
    for part, text in texts:
        _report_numbers(rep, text, _part_place(part))


def _field_codes(root: ElementTree.Element) -> list[str]:
    """Formulas, Word field codes and PowerPoint actions that start another program or read
    another file (DDE, `=cmd|' /c …'!A1`, INCLUDETEXT, WEBSERVICE(), ppaction://program). Word
    reads a field's code from all its instrText runs between fldChar begin and end together
    (`DD` + `EAUTO …` is DDEAUTO), so they are joined per field, fields nested inside kept apart."""
    codes: list[tuple[str, str]] = []  # (element name, code)
    open_fields: list[list[str]] = []
    for el in root.iter():
        name = _local(el.tag)
        if name == "fldChar":
            kind = el.get(_FLD_CHAR_TYPE)
            if kind == "begin":
                open_fields.append([])
            elif kind == "end" and open_fields:
                codes.append(("instrText", "".join(open_fields.pop())))
        elif name == "instrText" and el.text:
            if open_fields:
                open_fields[-1].append(el.text)
            else:
                codes.append((name, el.text))
        elif name == "f" and el.text:
            codes.append((name, el.text))
        elif name == "fldSimple":
            codes.append(("instrText", el.get(_W_INSTR, "")))
        action = el.get("action", "")
        if _ACTIVE_ACTION.match(action):
            codes.append(("action", action))
    codes.extend(("instrText", "".join(f)) for f in open_fields)  # a field never closed
    return [code for name, code in codes if name == "action" or _DDE.search(code) or (
        name == "f" and ("|" in code or _ACTIVE_FUNCTION.search(code)))
        or (name == "instrText" and _ACTIVE_FIELD.match(code))]


def _office_relations(root: ElementTree.Element, part: str, active: dict[str, None]) -> None:
    """Links to anything outside the file: a web address a reader clicks is fine; a template,
    picture, object or workbook fetched from elsewhere when the file opens is not."""
    for el in root.iter():
        if _local(el.tag) != "Relationship":
            continue
        target, rel_type = el.get("Target", ""), el.get("Type", "")
        scheme = url_scheme(target)
        if rel_type.rsplit("/", 1)[-1] in _EMBEDDING_RELS:
            active[f"嵌入的对象或文档（{part}）"] = None
        if el.get("TargetMode", "").strip().lower() != "external" and scheme is None:
            continue  # a part of this file
        if rel_type.endswith(_HYPERLINK_REL) and scheme in LINK_SCHEMES:
            continue
        what = "链接" if rel_type.endswith(_HYPERLINK_REL) else "外部引用"
        active[f"指向文件之外的{what}“{clip(target, 40)}”（{part}）"] = None


def _relation_text(root: ElementTree.Element) -> str:
    """Every relationship's target, as written and with %xx decoded: a web address the
    document links to can carry numbers in its query (`?tel=…`)."""
    from urllib.parse import unquote
    targets = [el.get("Target", "") for el in root.iter() if _local(el.tag) == "Relationship"]
    return "\n".join(targets + [unquote(t) for t in targets if "%" in t])


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
