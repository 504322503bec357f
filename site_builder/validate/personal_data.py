"""Personal data in published text: resident identity numbers (GB 11643) and personal mobile numbers."""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics.codes import Code
from ..diagnostics.report import Reporter
from ..text import FORMAT_CHARS, is_calendar_date

# Invisible characters an editor (or a copy from a chat app) can leave between digits: every
# format character (Unicode category Cf: zero-width, direction marks and embeddings…).
_STRIP_INVISIBLE = FORMAT_CHARS


_HAS_INVISIBLE = FORMAT_CHARS


# What may separate groups of digits: anything but a letter, a digit, an ideograph or a line
# break: spaces of every kind, hyphens and dashes, dots, slashes, brackets, full-width
# punctuation, symbols, control characters ("138 1234 5678", "138.1234.5678", "(138)1234-5678").
_SEP = r"[^\w\n\r]"


# Dots and commas also write decimals and thousands ("1.38000012"): groups joined by them count
# only when the number's first group has three digits or more, as a phone number's does.
_DECIMAL_SEPS = re.compile(r"[.,\u00b7\u2024\u2027\u3002\u30fb\uff0c\uff0e\uff61\uff65\u066b\u066c]")


# A run of digit groups (any script's decimal digits, e.g. full-width) joined by 1-3 separators;
# an identity number may end in X.
_RUN = re.compile(rf"\d+(?:{_SEP}{{1,3}}\d+)*[XxＸｘ]?")


_GROUP = re.compile(r"\d+[XxＸｘ]?")


_WORD = re.compile(r"[A-Za-z_]")  # a run of digits touching a Latin letter may be part of a token


_TOKEN_CHAR = re.compile(r"[A-Za-z0-9_]")


# Cheap test first: eleven digits close together are needed for any finding.
_HINT = re.compile(rf"\d(?:{_SEP}{{0,3}}\d){{10}}")


_HINT_PHONE = re.compile(rf"\d(?:{_SEP}{{0,3}}\d){{9}}")  # 400/800 and some landlines: 10 digits


_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


_ID_CHECK = "10X98765432"


# Province-level codes that open a resident identity number (GB/T 2260), plus 83 for Taiwan
# residents' mainland permits, which use the same format.
_PROVINCES = {11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46,
              50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82, 83}


_MOBILE = re.compile(r"1[3-9]\d{9}")


# Public landlines and service numbers: area code + number, 400/800 numbers.
_LANDLINE = re.compile(r"0[1-9]\d{1,2}\d{7,8}")


_SERVICE = re.compile(r"[48]00\d{7}")


_PAREN_LANDLINE = re.compile(r"[(（]\s*0[1-9]\d{1,2}\s*[)）]\s*\d{3,4}" + _SEP + r"?\d{4}")


@dataclass(frozen=True)
class PiiMatch:
    """A personal (or misplaced public) number found in a text: what, where, shown masked."""

    kind: str  # "id", "mobile" or "phone"
    start: int  # offsets in the original text
    end: int
    masked: str


def is_resident_id(digits: str) -> bool:
    """An 18-character resident identity number: region, a real birth date and the check digit."""
    if len(digits) != 18 or not digits[:17].isdigit() or digits[17] not in "0123456789X":
        return False
    if int(digits[:2]) not in _PROVINCES:
        return False
    y, m, d = int(digits[6:10]), int(digits[10:12]), int(digits[12:14])
    if not (1900 <= y <= 2099 and is_calendar_date(y, m, d)):
        return False
    total = sum(int(c) * w for c, w in zip(digits[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == digits[17]


def mask(digits: str) -> str:
    """Show only the first three and last two characters of a number in messages."""
    return digits[:3] + "*" * (len(digits) - 5) + digits[-2:]


def _ascii_digits(group: str) -> str:
    return "".join("X" if c in "XxＸｘ" else str(unicodedata.decimal(c)) for c in group)


# A UUID (its groups may hold digits alone) or a long hexadecimal string with letters in it.
_HEX_ID = re.compile(r"(?<![0-9A-Za-z])(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}"
                     r"-[0-9A-Fa-f]{12}|(?=[0-9]*[A-Fa-f])[0-9A-Fa-f]{16,})(?![0-9A-Za-z])")


def _label_only(text: str, run: re.Match, before: bool) -> bool:
    """Whether the letters touching a digit run form a label: letters only, up to the text's
    next non-word character (no digit or underscore among them)."""
    if before:
        i = run.start()
        while i > 0 and _TOKEN_CHAR.match(text, i - 1):
            i -= 1
        label = text[i:run.start()]
    else:
        j = run.end()
        while j < len(text) and _TOKEN_CHAR.match(text, j):
            j += 1
        label = text[run.end():j]
    return label.isascii() and label.isalpha()


# How people write a mobile number in groups split by spaces (a country code or trunk 0 may come
# first): 3-4-4, 3-8, 4-7, 3-3-5, or one digit at a time. Other space-split groupings are numbers
# that merely stand side by side, as a table's cells do in search text; any other separator
# (hyphens, dots, hidden characters) is taken as written on purpose. An identity number carries a
# check digit, so any grouping of one is taken as one.
# Spaces, or the end of a sentence or cell and a space (Pagefind joins a table's cells with ". ").
_SIDE_BY_SIDE = re.compile(r"[.。．]?\s+")
# The end of a sentence or cell between two groups: what stands on either side are two values
# (cells "182", "1814", "2023" read "182. 1814. 2023"), whatever their lengths.
_CELL_END = re.compile(r"[.。．]\s+")
_WRITTEN_FORMS = {(3, 4, 4), (3, 8), (4, 7), (7, 4), (8, 3), (3, 3, 5), (3, 4, 2, 2)}


def _written_form(lengths: tuple[int, ...]) -> bool:
    if all(n == 1 for n in lengths) or lengths in _WRITTEN_FORMS:
        return True
    # a leading country code (86, 0086, +86) or trunk 0, then a written form or one group
    head, rest = lengths[0], lengths[1:]
    return head in (1, 2, 4) and (len(rest) == 1 or rest in _WRITTEN_FORMS or
                                  all(n == 1 for n in rest))


def find_pii(text: str, phones: bool = False) -> list[PiiMatch]:
    """Identity and mobile numbers in `text`, also written with spaces, hyphens, dots, brackets,
    full-width digits, invisible or control characters, or after a label of letters; with
    `phones`, public landline and 400/800 numbers as well."""
    clean = _STRIP_INVISIBLE.sub("", text) if _HAS_INVISIBLE.search(text) else text
    hint = _HINT_PHONE if phones else _HINT
    if not hint.search(clean) and not (phones and _PAREN_LANDLINE.search(clean)):
        return []
    removed_clean: list[int] | None = None

    def orig(pos: int) -> int:
        """An offset in `clean` as an offset in `text` (invisible characters put back)."""
        nonlocal removed_clean
        if clean is text:
            return pos
        if removed_clean is None:
            removed = [m.start() for m in _HAS_INVISIBLE.finditer(text)]
            removed_clean = [i - k for k, i in enumerate(removed)]
        return pos + bisect.bisect_right(removed_clean, pos)

    found: list[PiiMatch] = []
    taken: list[tuple[int, int]] = []

    def add(kind: str, s: int, e: int, digits: str) -> None:
        if any(s < te and ts < e for ts, te in taken):
            return
        taken.append((s, e))
        found.append(PiiMatch(kind, orig(s), orig(e - 1) + 1, mask(digits)))

    hex_ids = [m.span() for m in _HEX_ID.finditer(clean)]
    for run in _RUN.finditer(clean):
        if any(s <= run.start() and run.end() <= e for s, e in hex_ids):
            continue  # inside a UUID or a hash: "…a77c-c190-5551-8191-c29a…"
        before = bool(run.start()) and _WORD.match(clean, run.start() - 1) is not None
        after = _WORD.match(clean, run.end()) is not None
        if before and after or (before or after) and not _label_only(clean, run, before):
            # Part of a token such as a hexadecimal id ("…4b19-3215-5384-9cb0", "ab1380…cd");
            # a label of letters on one side is not ("wx13812345678", "ID4401…").
            continue
        groups = [(g.start() + run.start(), g.end() + run.start(), _ascii_digits(g.group()))
                  for g in _GROUP.finditer(run.group())]
        if sum(len(g[2]) for g in groups) < 10:
            continue
        # Every window of whole groups is a candidate: "138 1234 5678" and "2024 13812345678".
        for i in range(len(groups)):
            digits = ""
            for j in range(i, len(groups)):
                digits += groups[j][2]
                if len(digits) > 18:
                    break
                s, e = groups[i][0], groups[j][1]
                if j > i and len(groups[i][2]) < 3 and _DECIMAL_SEPS.search(clean, groups[i][1], e):
                    continue  # a decimal such as "1.38000012 34", not a grouped number
                # a mobile number is written in one of its usual groupings, not as numbers
                # that merely stand side by side ("1351 2023 101" in a table's search text)
                # and never across the end of a cell or sentence ("01837. 9.36. 9.36": a name's
                # number beside the scores of a results table in search text)
                seps = [clean[a[1]:b[0]] for a, b in zip(groups[i:j], groups[i + 1:j + 1])]
                formed = j == i or not any(_CELL_END.fullmatch(sep) for sep in seps) and (
                    not all(_SIDE_BY_SIDE.fullmatch(sep) for sep in seps)
                    or _written_form(tuple(len(g[2]) for g in groups[i:j + 1])))
                if len(digits) == 18 and is_resident_id(digits):  # checksummed: any grouping
                    add("id", s, e, digits)
                elif "X" in digits:
                    continue
                elif formed and _MOBILE.fullmatch(digits):
                    add("mobile", s, e, digits)
                elif formed and len(digits) == 12 and digits[0] == "0" and _MOBILE.fullmatch(digits[1:]):
                    add("mobile", s, e, digits[1:])  # dialled with the trunk 0: "0138…"
                elif formed and len(digits) in (13, 15) and digits.startswith(("86", "0086")) and \
                        _MOBILE.fullmatch(digits[-11:]):
                    add("mobile", s, e, digits[-11:])
                elif phones and j > i and (_LANDLINE.fullmatch(digits) and
                                           len(groups[i][2]) in (3, 4) or _SERVICE.fullmatch(digits)):
                    # Only numbers written as phone numbers ("020-12345678", "400 123 4567"):
                    # a bare digit string starting with 0 is as often a code or a serial number.
                    add("phone", s, e, digits)
    if phones:
        for m in _PAREN_LANDLINE.finditer(clean):
            add("phone", m.start(), m.end(), re.sub(r"\D", "", m.group()))
    found.sort(key=lambda p: p.start)
    return found


# Fields meant for an organisation's public phone number; the schema's pattern admits only
# landlines, 400/800 and short service numbers there.
_PHONE_FIELDS = re.compile(r"contact\.phone|venues\[\d+\]\.phone")


# Registration numbers and addresses hold long digit strings that are not phone numbers.
_NO_PHONE_CHECK = re.compile(r"trademarks\[\d+\]\.number|sources\[\d+\]\.url|contact\.(url|email)")


_PII_TEXT = {
    "id": (Code.P001, ("发现疑似居民身份证号“{m}”（地区码、出生日期和校验位都对得上）；提示：公开内容中"
                    "不能出现身份证号，请删去。")),
    "mobile": (Code.P002, ("发现疑似个人手机号“{m}”；提示：个人手机号不能公开，请删去；对外联系请在 "
                        "contact.phone 或 venues[].phone 填写单位的公开电话。")),
    "phone": (Code.P003, ("发现电话号码“{m}”；提示：单位的公开电话只能写在 contact.phone（联系方式）"
                       "或 venues[].phone（场所电话）中，请移到那里，正文和其他字段中不要写电话。")),
}


def report_pii(rep: Reporter, field: str, text: str, line_col, phones: bool = True) -> int:
    """Report every number `find_pii` finds; `line_col(offset)` places it in the file."""
    n = 0
    for p in find_pii(text, phones=phones):
        code, msg = _PII_TEXT[p.kind]
        line, col = line_col(p.start)
        rep.add(code, field, msg.format(m=p.masked), line, col)
        n += 1
    return n


def _scalar_position(node: ScalarNode, line_offset: int):
    """offset in a scalar's value → (line, col) in the file, exact for plain and literal text."""
    line0 = node.start_mark.line + 1 + line_offset
    col0 = node.start_mark.column + 1
    style = node.style

    def at(offset: int) -> tuple[int, int]:
        before = node.value[:offset]
        if style == "|":  # literal block: content starts on the next line
            return line0 + 1 + before.count("\n"), 1
        if style in ("'", '"'):
            return line0, col0 + 1 + offset
        if style == ">":
            return line0 + 1, 1
        return line0, col0 + offset

    return at


# Number fields: their digits are quantities or coordinates, never a phone or identity number.
_NUMBER_FIELDS = re.compile(r"figures\[\d+\]\.value|venues\[\d+\]\.(lat|lng)")


def might_hold_numbers(texts: list[str]) -> bool:
    """False when no text holds ten digits close together (nor a bracketed area code): then
    `find_pii` finds nothing in any of them. One regex over all texts, for speed."""
    joined = "\n".join(texts)  # a newline never joins two values into one number
    if _HAS_INVISIBLE.search(joined):
        joined = _STRIP_INVISIBLE.sub("", joined)
    return bool(_HINT_PHONE.search(joined) or _PAREN_LANDLINE.search(joined))


_MAYBE_MOBILE = re.compile(r"(0086|86|0)?1[3-9]")


def _scalars(root: Node) -> list[str]:
    """Every text value, leaving out phone fields (which hold public numbers by design) unless
    their digits might be a mobile number."""
    out, stack = [], [root]
    while stack:
        node = stack.pop()
        if isinstance(node, ScalarNode):
            out.append(node.value)
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                if k.value != "phone" or _MAYBE_MOBILE.match(re.sub(r"\D", "", str(v.value))):
                    stack.append(v)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return out


def _check_phone_field(rep: Reporter, where: str, node: ScalarNode) -> None:
    """A public phone field may hold a landline or a service number, never a mobile number,
    also not one dialled with the trunk 0 or the country code ("013812345678", "+86 138…")."""
    digits = "".join(_ascii_digits(c) for c in node.value if c.isdecimal())
    for prefix in ("0086", "86", "0"):
        if digits.startswith(prefix) and _MOBILE.fullmatch(digits[len(prefix):]):
            digits = digits[len(prefix):]
            break
    if _MOBILE.fullmatch(digits) or find_pii(node.value):
        code, msg = _PII_TEXT["mobile"]
        rep.at_node(node, code, where, msg.format(m=mask(digits)))


def check_front_matter_pii(root: MappingNode, rep: Reporter) -> None:
    """Personal data in every text value of the front matter, reported at its line."""
    if not might_hold_numbers(_scalars(root)):
        return

    def walk(node: Node, where: str) -> None:
        if isinstance(node, ScalarNode):
            if not node.value:
                return
            if _PHONE_FIELDS.fullmatch(where):
                _check_phone_field(rep, where, node)
                return
            # A number field holds quantities or coordinates, never a phone number by design;
            # a personal number written there is published all the same (as a JSON number).
            public = _NO_PHONE_CHECK.fullmatch(where) or _NUMBER_FIELDS.fullmatch(where)
            report_pii(rep, where or "-", node.value, _scalar_position(node, rep.line_offset),
                       phones=not public)
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                key = k.value if isinstance(k, ScalarNode) else "?"
                walk(v, f"{where}.{key}" if where else key)
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{where}[{i}]")

    walk(root, "")
