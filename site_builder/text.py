"""Small text helpers every stage shares: clipping, positions in a text, numbers and CSV as published,
invisible characters, names as a reader compares them, addresses named in code."""

from __future__ import annotations

import bisect
import csv
import datetime as _dt
import io
import re
import unicodedata
from decimal import Decimal


def one_line(text: str, limit: int | None = None) -> str:
    """Keep a diagnostic on one line, whatever odd key or value an editor's file holds."""
    if "\n" in text or "\r" in text:
        text = text.replace("\r\n", " ").replace("\n", " ").replace("\r", " ")
    if limit is not None and len(text) > limit:
        text = text[: limit - 1] + "…"
    return text


def clip(s: str, n: int = 30, squeeze: bool = False) -> str:
    """A value quoted in a message, cut to `n` characters; `squeeze` also collapses whitespace."""
    s = " ".join(str(s).split()) if squeeze else s.replace("\n", " ")
    return s if len(s) <= n else s[: n - 1] + "…"


def line_col(text: str, offset: int, line0: int = 1, col0: int = 1) -> tuple[int, int]:
    """An offset in `text` as (line, column), `text` starting at line `line0`, column `col0`."""
    nl = text.count("\n", 0, offset)
    if nl == 0:
        return line0, col0 + offset
    return line0 + nl, offset - text.rfind("\n", 0, offset)


def line_at(text: str, offset: int) -> int:
    """The 1-based line of an offset in `text`."""
    return text.count("\n", 0, offset) + 1


def fmt_decimal(value) -> str:
    """A number as published: exact decimals without trailing zeros, anything else as text."""
    if isinstance(value, Decimal):
        if value == 0:
            return "0"  # never "-0"
        s = format(value, "f")
        return s.rstrip("0").rstrip(".") if "." in s else s
    return str(value)


def is_calendar_date(year: int, month: int, day: int) -> bool:
    """Whether the day exists in the Gregorian calendar (2024-02-29 does, 2023-02-29 does not)."""
    try:
        _dt.date(year, month, day)
    except ValueError:
        return False
    return True


def csv_cell(value) -> str:
    """A cell that a spreadsheet shows as text, never runs as a formula."""
    s = "" if value is None else str(value)
    return "'" + s if s[:1] in ("=", "+", "-", "@", "\t", "\r") else s


# A cell that is data, not a formula: a number (sign, thousands separators, decimals, percent,
# exponent) or a placeholder for "no data".
_CSV_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][+-]?\d+)?[%‰]?")
_CSV_PLACEHOLDER = re.compile(r"[-—–－]+")
# After + - @, what makes a formula do something: a call, a reference to another sheet or
# program (`cmd|' /c calc'!A1`).
_CSV_FORMULA_SIGNS = re.compile(r"[(!|]")


def csv_formula(cell: str) -> bool:
    """Whether a spreadsheet opening the CSV may run `cell` as a formula. Leading whitespace
    (space, tab, CR, LF) is skipped and full-width signs count as signs (＝ is =), as some
    programs do. `=` always starts a formula. `+`, `-` and `@` (the OWASP CSV-injection
    prefixes) start one only when the rest calls something: it holds `(`, `!` or `|` (a
    function, a reference to another sheet, a DDE call). A number (`-12.5%`, `-1,234`, `+12`,
    `-1.5e3`), a dash for "no data" and text such as `@示例局官方微博` are data."""
    s = cell.lstrip(" \t\r\n\u3000")
    if not s:
        return False
    first = unicodedata.normalize("NFKC", s[0])
    if first == "=":
        return True
    if first not in ("+", "-", "@"):
        return False
    if _CSV_PLACEHOLDER.fullmatch(s) or (any(c.isdigit() for c in s) and _CSV_NUMBER.fullmatch(s)):
        return False
    return bool(_CSV_FORMULA_SIGNS.search(unicodedata.normalize("NFKC", s[1:])))


_CSV_SEP_LINE = re.compile(r"\ufeff?sep=(.)\r?(?:\n|$)", re.IGNORECASE)


def csv_formula_cells(text: str) -> list[tuple[int, int, str]]:
    """(line, column, cell) of every cell `csv_formula` finds, however a spreadsheet splits the
    lines into cells: Excel obeys a first line `sep=;` (and then reads no other separator);
    without one it uses the reader's list separator, a comma or (in many locales) a semicolon,
    and a tab when pasting. So the cells are read with each, and a cell found in any counts.
    Raises csv.Error when the file is broken (an unclosed quote, a NUL) read as Excel would."""
    m = _CSV_SEP_LINE.match(text)
    body, line0 = (text[m.end():], 2) if m else (text, 1)
    delimiters = (m.group(1),) if m and m.group(1) not in "\"\r\n" else (",", ";", "\t")
    found: dict[tuple[int, str], int] = {}
    lines: set[int] = set()  # lines found with the first separator: reported once
    for n, delimiter in enumerate(delimiters):
        try:
            reader = csv.reader(io.StringIO(body, newline=""), delimiter=delimiter)
            start = line0
            for row in reader:
                for c, cell in enumerate(row):
                    if csv_formula(cell) and not (n and start in lines):
                        found.setdefault((start, cell), c + 1)
                start = line0 + reader.line_num
        except csv.Error:
            if n == 0:
                raise
        lines = {line for line, _ in found}
    return [(line, col, cell) for (line, cell), col in found.items()]


def csv_bytes(header: list[str], rows) -> bytes:
    """A CSV table with a UTF-8 byte-order mark, so Excel shows the Chinese text correctly."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    for row in rows:
        w.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


# Every character of Unicode's general category Cf (format: zero-width, direction marks and
# embeddings, soft hyphen, tags…), as of Unicode 15; tests/test_leaks.py checks the list against
# the running Python's unicodedata. None of them shows, so any of them can split a number or
# make two names look alike.
FORMAT_CLASS = ("\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e\u200b-\u200f"
                "\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd"
                "\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
                "\U000e0001\U000e0020-\U000e007f")
FORMAT_CHARS = re.compile(f"[{FORMAT_CLASS}]")
# Control characters (category Cc) other than the line breaks and tab a text may hold.
CONTROL_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def name_key(text: str) -> str:
    """What two names are compared by: compatibility forms folded (full-width letters), case
    folded, invisible characters and spaces dropped."""
    folded = unicodedata.normalize("NFKC", FORMAT_CHARS.sub("", str(text))).casefold()
    return "".join(CONTROL_CHARS.sub("", folded).split())


# Any absolute address (scheme://host or a quoted //host) in script or style text.
_ABSOLUTE = re.compile(
    r"""(?:(?<![\w.+-])(?:https?|wss?|ftp):|(?<=["'`(]))//"""
    r"""([A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+)"""
    r"""(?::[0-9]+)?[^\s"'`)<>\\]*""", re.IGNORECASE)
# Comments say where code came from (licences); they load nothing. `//` starts a line comment
# only where an expression cannot continue (a URL's `://` is not one).
# (`\3c !--` is how a style sheet escapes the `<!--` of an SVG inside a data: address.)
_CODE_COMMENTS = re.compile(r"/\*.*?\*/|(?:<|\\3c ?)!--.*?--(?:>|\\3e ?)|(?:^|(?<=[\s;{}(),]))//[^\n]*",
                            re.DOTALL | re.IGNORECASE)
# XML namespace names are identifiers, never fetched.
_NAMESPACES = re.compile(r"https?://www\.w3\.org/(?:2000/svg|1999/xlink|1999/xhtml|1998/Math/MathML"
                         r"|XML/1998/namespace|2000/xmlns/?)(?=$|[^\w/])", re.IGNORECASE)


# Names reserved for examples and tests (RFC 2606, RFC 6761): code uses them as a dummy base
# for parsing addresses (`new URL("https://example.com" + path)`); nothing is served from them.
_RESERVED_HOST = re.compile(r"(?:[\w-]+\.)*(?:example\.(?:com|org|net)|example|invalid|test|localhost)",
                            re.IGNORECASE)


def foreign_addresses(code: str, own_host: str | None = None) -> list[tuple[int, str, str]]:
    """(offset, address, host) for each address `named_addresses` finds on another host."""
    out = []
    for offset, url in named_addresses(code):
        host = _ABSOLUTE.match(url).group(1).lower()
        if host != (own_host or "").lower():
            out.append((offset, url, host))
    return out


def named_addresses(code: str) -> list[tuple[int, str]]:
    """(offset, address) for every absolute address a script, style sheet or SVG names outside
    comments, whether or not (or only sometimes) it is loaded; namespace names left out."""
    if "//" not in code:
        return []
    # Two readings of where comments are: a pattern (which a `/*` inside a string fools) and a
    # scan that skips strings (which a quote inside a regular expression literal fools). An
    # address counts as commented out only when both agree.
    readings = [[m.span() for m in _CODE_COMMENTS.finditer(code)], _comment_spans(code)]
    out = []
    for m in _ABSOLUTE.finditer(code):
        if all(_inside(spans, m.start()) for spans in readings):
            continue
        if _NAMESPACES.match(m.group()) or _RESERVED_HOST.fullmatch(m.group(1)):
            continue
        out.append((m.start(), m.group()))
    return out


def _inside(spans: list[tuple[int, int]], pos: int) -> bool:
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i >= 0 and spans[i][0] <= pos < spans[i][1]


def _comment_spans(code: str) -> list[tuple[int, int]]:
    """Comment spans of script or style text, reading strings ('…', "…", `…`) as strings."""
    spans, i, n = [], 0, len(code)
    while i < n:
        c = code[i]
        if c in "'\"`":
            i += 1
            while i < n and code[i] != c and (c == "`" or code[i] != "\n"):
                i += 2 if code[i] == "\\" else 1
            i += 1
        elif c == "/" and code.startswith("/*", i):
            end = code.find("*/", i + 2)
            end = n if end < 0 else end + 2
            spans.append((i, end))
            i = end
        elif c == "/" and code.startswith("//", i) and (i == 0 or code[i - 1] != ":"):
            end = code.find("\n", i)
            end = n if end < 0 else end
            spans.append((i, end))
            i = end
        else:
            i += 1
    return spans
