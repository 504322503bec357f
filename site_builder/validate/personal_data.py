"""Personal data in published text: resident identity numbers (GB 11643, 18 and old 15 digits),
personal mobile numbers and bank-card numbers, however their digits are written.

Two steps. `normalise` rewrites every way of writing a digit as an ASCII digit (digits of any
script, circled, superscript and subscript digits, Chinese numerals written digit by digit) and
every invisible character as one zero-width space, one character for one character, so an offset
in the normalised text is the same offset in the original (messages keep their line and column).
`find_pii` then reads the digit groups and the gaps between them: a gap either joins two groups
into one number or separates two quantities (table cells, list items, lines, words between).
"""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..diagnostics.codes import Code
from ..diagnostics.report import Reporter
from ..load.firsttest import first_test, format_char
from ..text import FORMAT_CHARS, is_calendar_date

# -- normalisation ------------------------------------------------------------------------------

# Every invisible (Cf) character becomes this one, which the matcher reads as nothing at all.
_INVISIBLE = "\u200b"

# Digits that are not ASCII: every script's decimal digits (\d: full-width, Arabic-Indic,
# Devanagari, mathematical…) and the other characters with a digit value (category No):
# superscripts ¹²³, subscripts, circled ①⓪❶➀, parenthesised ⑴ and with a full stop ⒈, and a few
# historic scripts. tests/test_pii_corpus.py checks this list against the running Python.
OTHER_DIGITS = ("\u00b2\u00b3\u00b9\u1369-\u1371\u19da\u2070\u2074-\u2079\u2080-\u2089"
                "\u2460-\u2468\u2474-\u247c\u2488-\u2490\u24ea\u24f5-\u24fd\u24ff\u2776-\u277e"
                "\u2780-\u2788\u278a-\u2792\U00010a40-\U00010a43\U00010e60-\U00010e68"
                "\U00011052-\U0001105a\U0001f100-\U0001f10a")

# Chinese numerals as said and written digit by digit in phone and identity numbers ("幺三八",
# "一三八〇〇一三八〇〇〇", "壹叁捌"); as said over the phone: 幺 for 1, 两 for 2, 拐 for 7 and
# 洞 for 0 ("幺三八洞洞拐…"). 拐 and 洞 are ordinary words too ("拐弯", "山洞"): like every numeral
# they count only in a long run of numerals (below).
_CHINESE_DIGITS = {
    "〇": "0", "零": "0", "洞": "0", "一": "1", "幺": "1", "壹": "1", "二": "2", "两": "2", "兩": "2",
    "贰": "2", "貳": "2", "三": "3", "叁": "3", "參": "3", "四": "4", "肆": "4", "五": "5", "伍": "5",
    "六": "6", "陆": "6", "陸": "6", "七": "7", "拐": "7", "柒": "7", "八": "8", "捌": "8", "九": "9",
    "玖": "9",
}
_CN = "[" + "".join(_CHINESE_DIGITS) + "]"
# Chinese numerals are read as digits only in a run of seven or more numerals (Chinese or not) a
# few separators apart, where two or more of them stand, or one touches a digit ("138〇0138000"):
# ordinary prose never strings numerals so ("一是…二是…", "二〇二二年", "968。一是").
_CN_CLUSTER = re.compile(rf"{_CN}(?:[^\w\n\r]{{0,3}}(?:{_CN}|[0-9]))*")
_NUMERAL = re.compile(rf"{_CN}|[0-9]")
_CN_ANY = re.compile(_CN)
_SEP_CHAR = re.compile(r"[^\w\n\r]")
_MIN_NUMERALS = 7
_LOOK_BACK = 40  # how far back a run of digits before Chinese numerals is read
# A quantity in words ("一千三百八十万零一") puts a place value (十百千万亿) after nearly every
# numeral, so it never makes such a run: place values split it into clusters of one or two
# numerals. A place value next to a run of seven numerals is a word ("…洞洞洞万分感谢", "万一")
# or a unit, and does not make the run a quantity (it once did: a leak).
# Every non-ASCII digit: a negated class is one test per character, where \d with a lookahead
# would be two.
_FOREIGN_DIGIT = re.compile(rf"[^\D0-9]|[{OTHER_DIGITS}]")


# A cheaper first test for `_FOREIGN_DIGIT` (load/firsttest.py): every character it can match,
# and every character beyond the Basic Multilingual Plane, by one table look-up.
_MAYBE_FOREIGN_DIGIT = first_test(_FOREIGN_DIGIT)


def _digit(m: re.Match) -> str:
    c = m.group()
    d = unicodedata.digit(c, None)
    return c if d is None else str(d)


def normalise(text: str) -> str:
    """`text` with every digit as an ASCII digit and every invisible character as U+200B, of the
    same length: offsets into the result are offsets into `text`."""
    out = _FOREIGN_DIGIT.sub(_digit, text) if _MAYBE_FOREIGN_DIGIT.search(text) else text
    if format_char(out):
        out = FORMAT_CHARS.sub(_INVISIBLE, out)
    if _CN_ANY.search(out):
        out = _chinese_numerals(out)
    return out


def _chinese_numerals(text: str) -> str:
    """Chinese numerals as digits where they stand in a run of numerals written digit by digit
    (each cluster of them read once, with at most _LOOK_BACK characters before it: linear)."""
    chars: list[str] | None = None
    for m in _CN_CLUSTER.finditer(text):
        s, e = m.span()
        cluster = m.group()
        touches = (s and text[s - 1] in _ASCII_DIGITS) or text[e:e + 1] in _ASCII_DIGITS
        if len(_CN_ANY.findall(cluster)) < 2 and not touches:
            continue
        start = _run_start(text, s, max(0, s - _LOOK_BACK))
        end = e + len(_DIGITS_AFTER.match(text, e).group())
        numerals = len(_NUMERAL.findall(cluster)) + (s - start) + (end - e)
        numerals -= len(_SEP_CHAR.findall(text, start, s))
        if numerals < _MIN_NUMERALS:
            continue
        chars = chars if chars is not None else list(text)
        for i in range(s, e):
            chars[i] = _CHINESE_DIGITS.get(chars[i], chars[i])
    return text if chars is None else "".join(chars)


_ASCII_DIGITS = frozenset("0123456789")
_DIGITS_AFTER = re.compile(r"[0-9]*")


def _run_start(text: str, pos: int, floor: int) -> int:
    """Where the run of numerals holding the numeral at `pos` starts (not before `floor`)."""
    while True:
        j = pos
        while j > floor and pos - j < 3 and _SEP_CHAR.match(text, j - 1):
            j -= 1
        if j > floor and _NUMERAL.match(text, j - 1):
            pos = j - 1
        else:
            return pos


# -- what a number is ---------------------------------------------------------------------------

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


_PAREN_LANDLINE = re.compile(r"[(（]\s*0[1-9]\d{1,2}\s*[)）]\s*\d{3,4}[^\w\n\r]?\d{4}")


@dataclass(frozen=True)
class PiiMatch:
    """A personal (or misplaced public) number found in a text: what, where, shown masked."""

    kind: str  # "id", "mobile", "card" or "phone"
    start: int  # offsets in the original text
    end: int
    masked: str


def is_resident_id(digits: str) -> bool:
    """An 18-character resident identity number: region, a real birth date and the check digit.

    The check character (ISO 7064 MOD 11-2) decides: an 18-digit number with a wrong one is taken
    for another number (an order, a case or a serial number, often built from an area code and a
    date too). Every system that issues or records an identity number verifies it, so a real one
    copied into a record carries its right check character; without the checksum one 18-digit
    serial number in a hundred of that shape would be refused."""
    if len(digits) != 18 or not digits[:17].isdigit() or digits[17] not in "0123456789X":
        return False
    if int(digits[:2]) not in _PROVINCES:
        return False
    y, m, d = int(digits[6:10]), int(digits[10:12]), int(digits[12:14])
    if not (1900 <= y <= 2099 and is_calendar_date(y, m, d)):
        return False
    total = sum(int(c) * w for c, w in zip(digits[:17], _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == digits[17]


def is_old_resident_id(digits: str) -> bool:
    """A 15-digit identity number (issued until 1999): region, a real birth date 19YYMMDD in
    positions 7–12 and a sequence number; it has no check digit."""
    if len(digits) != 15 or not digits.isdigit() or int(digits[:2]) not in _PROVINCES:
        return False
    if _ROUND.search(digits):
        return False  # "111111111111111": a placeholder
    return is_calendar_date(1900 + int(digits[6:8]), int(digits[8:10]), int(digits[10:12]))


# Issuer prefixes of the cards people in China carry: UnionPay (62, and 60 of older debit
# cards), Visa (4), Mastercard (51–55, 2221–2720), JCB (35). Lengths by issuer (see
# _CARD_LENGTHS): UnionPay and JCB issue 16 to 19 digits (UnionPay debit cards are mostly 19),
# and so did the 60 debit cards; Visa and Mastercard cards in China are 16 digits (Visa's 13 and
# 19-digit numbers are not issued here). A 17–19-digit number starting with 4 is an account of
# another kind: Chinese banks' corporate accounts (对公账户) run 17 to 23 digits and are public
# by design ("4400 1612 3456 7890 122": Luhn-valid by chance one time in ten).
_CARD_IIN = re.compile(r"62|60|4|5[1-5]|35|2(?:22[1-9]|2[3-9]\d|[3-6]\d\d|7[01]\d|720)")
_ROUND = re.compile(r"(\d)\1{7}")  # eight equal digits in a row: a round amount, not a card


def luhn_ok(digits: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(digits)):
        n = int(c) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return total % 10 == 0


_CREDIT_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def is_credit_code(code: str) -> bool:
    """A unified social credit code (GB 32100): 18 characters with its MOD 31 check character.
    It names an organisation, not a person."""
    code = code.upper()
    if len(code) != 18 or any(c not in _CREDIT_CHARS for c in code):
        return False
    total = sum(_CREDIT_CHARS.index(c) * w for c, w in zip(code[:17], _CREDIT_WEIGHTS))
    return _CREDIT_CHARS[(31 - total % 31) % 31] == code[17]


def is_bank_card(digits: str) -> bool:
    """16–19 digits with a card issuer's prefix and the Luhn check digit (one number in ten of
    that length passes by chance: only numbers written as one are taken, never numbers joined
    from separate quantities)."""
    if not (16 <= len(digits) <= 19 and digits.isdigit()):
        return False
    if _CARD_IIN.match(digits) is None or (digits[0] in "245" and len(digits) != 16):
        return False
    return not _ROUND.search(digits) and luhn_ok(digits) and not is_credit_code(digits)


def mask(digits: str) -> str:
    """Show only the first three and last two characters of a number in messages."""
    return digits[:3] + "*" * (len(digits) - 5) + digits[-2:]


# -- reading groups and gaps --------------------------------------------------------------------

# A group of digits; an identity number may end in X, unless a digit follows ("1920x1080").
# An invisible character alone between two groups joins them as written on purpose.
_GROUP = re.compile(r"[0-9]+(?:\u200b*[XxＸｘ](?![0-9]))?")

# Cheap test first: ten digits close together are needed for any finding. A run of whitespace
# is one separator (a browser shows it as one space); possessive, so it is read once: linear.
# Each step is atomic and its runs possessive: a step (a run of separators, whose items never
# hold a digit, then a digit; or one to three underscores, then a digit) can end at one place
# only, so nothing tried again after a failure could match: the same matches as without, found
# without going back over the steps that a near miss (a date, a figure) made.
_HINT = re.compile(r"[0-9](?>(?:\s++|[^\w\s]){0,8}+[0-9]|_{1,3}+[0-9]){9}")
# The same test, tried only where a group of digits starts: a match starting inside a group also
# starts at the group's first digit (adjacent digits are joined), so both find a match in the
# same texts; this one makes far fewer attempts in text full of short figures and dates. Its
# first digit comes first (then: no digit before it), so the search skips to digits by table.
_HINT_AT_GROUP = re.compile(r"[0-9](?<![0-9]{2})" + _HINT.pattern[len("[0-9]"):])

# How two groups stand to each other, by what lies between them:
_HARD, _SPACE, _LIST, _JOIN, _RANGE = range(5)
# - never joined: a letter or an ideograph ("2022年 1668 人"), a line break that Markdown shows
#   as one (_line_break_kind), more than three characters (a run of spaces and tabs counting as
#   one: a browser shows it as one space), the end of a cell or sentence before a space ("182. 1814": Pagefind
#   joins a table's cells so), list punctuation with a space ("1668, 1261"), a table cell;
_HARD_GAP = re.compile(r"[^\W_]|[\n\r\u2028\u2029]")
# - list punctuation without a space ("1668、1261、968", "138|1234|5678"): two values side by side
#   unless the whole run is exactly a number in one of its written groupings;
# A percent or currency sign also ends or opens a quantity ("13%|1380", "¥1380 ¥0013").
_LIST_CHARS = re.compile(r"[|｜¦、，,；;：:。！!？?/／%％‰‱°℃¥￥$＄€£]")
_PIPES = re.compile(r"[|｜¦]")
# - spaces only: a number when its groups are one of its written groupings ("138 0013 8000"),
#   else numbers side by side ("2021 1581 102 2022");
# - anything else (hyphens, dashes, dots, underscores, brackets, control characters, symbols):
#   written on purpose, any grouping ("1351-2023-101", "138_0013_8000", "(138)1234【5678】").
# - a dash or tilde between two groups alone also writes a range of two quantities ("13000-150000
#   元", "8000～12000"): two groups so joined are a number only in one of its written groupings.
_RANGE_CHARS = re.compile(r"[-~～〜‐‑‒–—―−﹣－]")
_CELL_END = re.compile(r"[.。．][^\S\n]")

# Dots and commas also write decimals and thousands ("1.38000012"): groups joined by them count
# only when the number's first group has three digits or more, as a phone number's does.
_DECIMAL_SEPS = re.compile(r"[.,\u00b7\u2024\u2027\u3002\u30fb\uff0c\uff0e\uff61\uff65\u066b\u066c]")

# A run of Latin letters, digits and underscores touching a number: a label of letters ("wx",
# "ID", "ＱＱ", "…0005abc") or part of a token (a file name, a hash: "post_138…", "a5f9d56c").
_TOKEN_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_＿"
                         + "".join(chr(c) for c in range(0xFF21, 0xFF3B))
                         + "".join(chr(c) for c in range(0xFF41, 0xFF5B)))

# A UUID: its groups may hold digits alone ("…a77c-1390-5551-8191-c29a…").
# Its first character comes first, then the test that no letter or digit stands before it: the
# search skips by table to the characters that can start one.
_UUID = re.compile(r"[0-9A-Fa-f](?<![0-9A-Za-z][0-9A-Fa-f])[0-9A-Fa-f]{7}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}"
                   r"-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}(?![0-9A-Za-z])")


# What a browser shows as one space: a run of spaces, tabs and (within a paragraph) one line break.
_HTML_SPACES = re.compile(r"[ \t\f]{2,}")
_LINE_BREAK = re.compile(r"[\n\r\u2028\u2029]")
# One line break inside a paragraph (a "soft" break, shown as a space), also inside a quote
# ("> 138\n> 0013"); at most one space before it, as two spaces or a backslash make a visible
# line break. A blank line, a list item ("\n- ", "\n1. "), a heading or a table row separate.
_SOFT_BREAK = re.compile(r"[ \t\f]?(?:\r\n|\n|\r)[ \t\f]*(?:>[ \t\f]*)*")
_LIST_MARKER = re.compile(r"[0-9]{1,9}[.)](?:\s|$)")
_HEADING = re.compile(r"[ \t]{0,3}#{1,6}(?:[ \t]|$)")


def _gap_kind(norm: str, a: int, b: int, line: list[int]) -> int:
    if b - a == 1 and norm[a] not in "\n\r":  # one character, as most gaps are: "2022 1668"
        kind = _ONE_CHAR_GAPS.get(norm[a])
        if kind is None:
            kind = _ONE_CHAR_GAPS[norm[a]] = _gap_text_kind(norm[a])
    else:
        gap = norm[a:b].replace(_INVISIBLE, "")
        if _LINE_BREAK.search(gap):
            return _line_break_kind(norm, a, b) if _SOFT_BREAK.fullmatch(gap) else _HARD
        kind = _gap_text_kind(_HTML_SPACES.sub(" ", gap))
    if kind == _PIPE:  # a table's cell ("|2022|1668|1261|968|"), else a list's separator
        return _HARD if _table_row(norm, a, line) else _LIST
    return kind


def _line_break_kind(norm: str, a: int, b: int) -> int:
    """One line break between two groups: a space where Markdown joins the two lines into one
    paragraph ("138\n0013\n8000" is shown "138 0013 8000"), else a separation: after a heading,
    around a table's row (with or without its outer pipes), before an ordered list's item or a
    quote that starts. Each line is read once per break at its end: linear."""
    start = max(norm.rfind("\n", 0, a), norm.rfind("\r", 0, a)) + 1
    before = norm[start:a]
    end = len(norm) if (e := norm.find("\n", b)) < 0 else e
    if _HEADING.match(before) or _PIPES.search(before) or _PIPES.search(norm, b, end):
        return _HARD
    if ">" in norm[a:b] and not before.lstrip().startswith(">"):
        return _HARD  # a quote begins
    if _LIST_MARKER.match(norm, b):
        return _HARD
    return _SPACE


_PIPE = -1
_ONE_CHAR_GAPS: dict[str, int] = {}  # each one-character gap's kind, once worked out


def _gap_text_kind(gap: str) -> int:
    if not gap:
        return _JOIN  # invisible characters alone
    if len(gap) > 3 or _HARD_GAP.search(gap) or _CELL_END.search(gap):
        return _HARD
    spaced = any(c.isspace() for c in gap)
    if _LIST_CHARS.search(gap):
        if spaced:
            return _HARD
        return _PIPE if _PIPES.search(gap) else _LIST
    if gap.isspace():
        return _SPACE
    return _RANGE if _RANGE_CHARS.search(gap) else _JOIN


def _table_row(norm: str, pos: int, line: list[int]) -> bool:
    """Whether the line at `pos` is a Markdown table's row. `line` keeps the last line looked at
    ([start, end, is a row]) for one text, so that each line is read once: linear."""
    if not line[0] <= pos < line[1]:
        start = norm.rfind("\n", 0, pos) + 1
        end = norm.find("\n", pos)
        line[:] = [start, len(norm) if end < 0 else end,
                   norm[start:pos].lstrip().startswith(("|", "｜"))]
    return bool(line[2])


# How people group the digits of a number when they write it with spaces or list punctuation.
_MOBILE_FORMS = {(3, 4, 4), (3, 8), (4, 7), (7, 4), (8, 3), (3, 3, 5), (3, 4, 2, 2)}


def _mobile_form(lengths: tuple[int, ...]) -> bool:
    if all(n == 1 for n in lengths) or lengths in _MOBILE_FORMS:
        return True
    # a leading country code (86, 0086, +86) or trunk 0, then a written form or one group
    head, rest = lengths[0], lengths[1:]
    return head in (1, 2, 4) and (len(rest) == 1 or rest in _MOBILE_FORMS or
                                  all(n == 1 for n in rest))


def _card_form(lengths: tuple[int, ...]) -> bool:
    """4-4-4-4(-3), or the six-digit issuer number and the rest."""
    return all(n == 4 for n in lengths[:-1]) and 1 <= lengths[-1] <= 4 or \
        len(lengths) == 2 and lengths[0] == 6


def _old_id_form(lengths: tuple[int, ...]) -> bool:
    return lengths in ((6, 6, 3), (6, 9), (6, 2, 4, 3)) or all(n == 1 for n in lengths)


def _landline_form(lengths: tuple[int, ...]) -> bool:
    return lengths[0] in (3, 4) or lengths in ((3, 3, 4), (3, 4, 3))


_FORMS = {"mobile": _mobile_form, "card": _card_form, "id15": _old_id_form,
          "phone": _landline_form}


def _shaped(kind: str, lengths: tuple[int, ...], gaps: set[int], whole: bool) -> bool:
    """Whether groups joined by `gaps` are written as one number of `kind`."""
    if gaps == {_RANGE} and len(lengths) == 2:
        return _FORMS[kind](lengths)  # "138-00138000", not "13000-150000"
    gaps = {_JOIN if g == _RANGE else g for g in gaps}
    if not gaps or gaps == {_JOIN}:
        return True  # one group, or groups joined on purpose
    if _LIST in gaps and not whole:
        return False  # part of a list of values
    if _JOIN in gaps and _LIST not in gaps:
        return True  # "138 - 0013 8000"
    return _FORMS[kind](lengths)


def _number_kind(digits: str, phones: bool) -> tuple[str, str, str] | None:
    """(kind, digits to show, grouping rule) for a string of digits, by its digits alone."""
    if len(digits) == 18 and is_resident_id(digits):
        return "id", digits, ""  # checksummed: any grouping
    digits = digits.removesuffix("X")  # after another number an X is a label
    if "X" in digits:
        return None
    n = len(digits)
    if n == 15 and is_old_resident_id(digits):
        return "id", digits, "id15"
    if n == 11 and _MOBILE.fullmatch(digits):
        return "mobile", digits, "mobile"
    if n == 12 and digits[0] == "0" and _MOBILE.fullmatch(digits[1:]):
        return "mobile", digits[1:], "mobile"  # dialled with the trunk 0: "0138…"
    if n in (13, 15) and digits.startswith(("86", "0086")) and _MOBILE.fullmatch(digits[-11:]):
        return "mobile", digits[-11:], "mobile"
    if n >= 16 and is_bank_card(digits):
        return "card", digits, "card"
    if phones and (_LANDLINE.fullmatch(digits) or _SERVICE.fullmatch(digits)):
        return "phone", digits, "phone"
    return None


def _written_as(rule: str, lengths: tuple[int, ...], gaps: set[int], whole: bool) -> bool:
    """Whether a window's groups and gaps write one number under `rule`."""
    if not rule:
        return True
    if rule == "phone" and (len(lengths) < 2 or lengths[0] not in (3, 4)):
        # Only numbers written as phone numbers ("020-12345678", "400 123 4567"): a bare digit
        # string starting with 0 is as often a code or a serial number.
        return False
    return _shaped(rule, lengths, gaps, whole)


def _token_side(run: str) -> str:
    """'' when nothing touches the number, 'label' for letters only, 'token' otherwise."""
    if not run:
        return ""
    return "label" if all(c.isalpha() for c in run) else "token"


def find_pii(text: str, phones: bool = False) -> list[PiiMatch]:
    """Identity, mobile and bank-card numbers in `text`, however their digits are written (any
    script, circled or superscript, Chinese numerals) and split (spaces, hyphens, dots,
    underscores, brackets, invisible or control characters), also after or before a label of
    letters; never numbers joined from table cells, list items, lines or separate quantities.
    With `phones`, public landline and 400/800 numbers as well."""
    norm = normalise(text)
    if not _HINT.search(norm) and not (phones and _PAREN_LANDLINE.search(norm)):
        return []
    found: list[PiiMatch] = []

    def add(kind: str, s: int, e: int, digits: str) -> None:
        # Windows come in order of their start: only the last one kept can overlap (linear).
        if found and s < found[-1].end:
            return
        found.append(PiiMatch(kind, s, e, mask(digits)))

    uuids: list[tuple[int, int]] | None = None  # the UUIDs' spans, once a run of groups needs them
    chain: list[tuple[int, int, str]] = []
    gaps: list[int] = []
    size = 0  # digits in the chain
    line = [0, -1, 0]  # the line last looked at, for table rows
    for m in _GROUP.finditer(norm):
        s, e = m.span()
        if chain:
            kind = _gap_kind(norm, chain[-1][1], s, line)
            if kind == _HARD:
                if size >= 10:
                    if uuids is None:
                        uuids = _uuid_spans(norm)
                    _chain(norm, chain, gaps, uuids, phones, add)
                chain, gaps, size = [], [], 0
            else:
                gaps.append(kind)
        digits = m.group()
        if not digits.isdigit():
            digits = digits.replace(_INVISIBLE, "").translate(_X)
        chain.append((s, e, digits))
        size += len(digits)
    if size >= 10:
        _chain(norm, chain, gaps, _uuid_spans(norm) if uuids is None else uuids, phones, add)
    if phones:
        numbers = [(p.start, p.end) for p in found]
        for m in _PAREN_LANDLINE.finditer(norm):
            s, e = m.span()
            i = bisect.bisect_left(numbers, (e, e))
            if not (i and numbers[i - 1][1] > s):  # not already read as a number
                found.append(PiiMatch("phone", s, e, mask(re.sub(r"\D", "", m.group()))))
    found.sort(key=lambda p: p.start)
    return found


_X = str.maketrans("xＸｘ", "XXX")

# Eleven digits right before 元 are an amount (13.8 billion yuan: a region's output, a fund),
# not a mobile number. Only 元: no count of people or things in a report reaches ten billion
# ("13800138000人次" stays refused), and no amount has 15 or 18 digits, so an identity number
# before 元 ("110101199003071233元": region, birth date and check character all right) is one.
_YUAN_AFTER = re.compile(r"[ \t]?元")


def _uuid_spans(norm: str) -> list[tuple[int, int]]:
    return [m.span() for m in _UUID.finditer(norm)] if "-" in norm else []


def _chain(norm: str, groups, gaps: list[int], uuids, phones: bool, add) -> None:
    """Every window of whole groups in a run of groups no hard gap separates."""
    if any(s <= groups[0][0] and groups[-1][1] <= e for s, e in uuids):
        return  # the groups of a UUID: "…a77c-c190-5551-8191-c29a…"
    a = groups[0][0]
    while a > 0 and norm[a - 1] in _TOKEN_CHARS:
        a -= 1
    b = groups[-1][1]
    while b < len(norm) and norm[b] in _TOKEN_CHARS:
        b += 1
    before, after = _token_side(norm[a:groups[0][0]]), _token_side(norm[groups[-1][1]:b])
    last = len(groups) - 1
    parts = [g[2] for g in groups]
    digits = "".join(parts)
    ends = [0]  # where each group ends in `digits`
    for part in parts:
        ends.append(ends[-1] + len(part))
    group_at = {end: k for k, end in enumerate(ends)}
    sizes_by_head = _SIZES_PHONE if phones else _SIZES
    for i in range(len(groups)):
        start = ends[i]
        sizes = sizes_by_head.get(digits[start:start + 2])
        if not sizes:
            continue  # no number of interest starts so: most groups of a run of figures
        best = None
        for size in sizes:
            end = start + size
            if digits[end:end + 1] == "X" and end + 1 in group_at:
                end += 1  # an identity number's check character, or a label after the number
            k = group_at.get(end)
            if k is None:
                continue  # the window would cut a group
            j = k - 1
            found = _number_kind(digits[start:end], phones)
            if found is None:
                continue
            lengths = tuple(len(part) for part in parts[i:k])
            if lengths[-1] > 1 and parts[j][-1] == "X" and found[0] != "id":
                lengths = lengths[:-1] + (lengths[-1] - 1,)
            if j > i and lengths[0] < 3 and _DECIMAL_SEPS.search(norm, groups[i][1], groups[j][0]):
                continue  # a decimal such as "1.38000012 34", not a grouped number
            if not _written_as(found[2], lengths, set(gaps[i:j]), i == 0 and j == last):
                continue
            if found[0] == "mobile" and _YUAN_AFTER.match(norm, groups[j][1]):
                continue  # an amount: "带动就业13800138000元产值"
            edge_before = before if i == 0 else ""
            edge_after = after if j == last else ""
            if found[0] != "id" and ("token" in (edge_before, edge_after) or
                                     edge_before == edge_after == "label"):
                continue  # part of a token: a file name, a hash ("post_138…", "ab1380…cd")
            if found[0] == "id" and "token" in (edge_before, edge_after) and len(found[1]) == 15:
                continue
            best = (found[:2], groups[i][0], groups[j][1])
        if best:
            (kind, shown), s, e = best
            add(kind, s, e, shown)


def _sizes_by_head(phones: bool) -> dict[str, tuple[int, ...]]:
    """How long a number of interest starting with two given digits can be: the windows of a
    long run of figures are mostly dismissed by one look-up. Mobile numbers (1[3-9]; 0 for the
    trunk or 0086; 86), identity numbers (a province), cards (their issuers); with `phones`,
    landlines (0) and 400/800 numbers."""
    sizes: dict[str, set[int]] = {}
    for d in "3456789":
        sizes.setdefault(f"1{d}", set()).add(11)
    for d in "0123456789":
        sizes.setdefault(f"0{d}", set()).update({12, 15} | ({10, 11, 12} if phones else set()))
    sizes.setdefault("86", set()).add(13)
    for p in _PROVINCES:
        sizes.setdefault(f"{p:02d}", set()).update({15, 18})
    for head in [f"2{d}" for d in "234567"] + ["35", "51", "52", "53", "54", "55", "60", "62"] + \
            [f"4{d}" for d in "0123456789"]:
        sizes.setdefault(head, set()).update({16, 17, 18, 19})
    if phones:
        for head in ("40", "80"):
            sizes.setdefault(head, set()).add(10)
    return {head: tuple(sorted(n)) for head, n in sizes.items()}


_SIZES = _sizes_by_head(False)
_SIZES_PHONE = _sizes_by_head(True)


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
    "card": (Code.P018, ("发现疑似银行卡号“{m}”（发卡行号和校验位都对得上）；提示：银行卡号不能公开，"
                      "请删去。")),
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
    joined = normalise("\n".join(texts))  # a newline never joins two values into one number
    return bool(_HINT.search(joined) or _PAREN_LANDLINE.search(joined))


_MAYBE_MOBILE = re.compile(r"(0086|86|0)?1[3-9]")


def _digits_of(value: str) -> str:
    """The digits of a value however written, one after the other."""
    return re.sub(r"[^0-9]", "", normalise(value))


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
                if k.value != "phone" or _MAYBE_MOBILE.match(_digits_of(str(v.value))):
                    stack.append(v)
        elif isinstance(node, SequenceNode):
            stack.extend(node.value)
    return out


def _check_phone_field(rep: Reporter, where: str, node: ScalarNode) -> None:
    """A public phone field may hold a landline or a service number, never a mobile number,
    also not one dialled with the trunk 0 or the country code ("013812345678", "+86 138…")."""
    digits = _phone_field_mobile(node.value)
    if digits is not None:
        code, msg = _PII_TEXT["mobile"]
        rep.at_node(node, code, where, msg.format(m=mask(digits)))


def _phone_field_mobile(value: str) -> str | None:
    """The digits to show when a phone field's `value` holds a mobile number, else None."""
    digits = _digits_of(value)
    for prefix in ("0086", "86", "0"):
        if digits.startswith(prefix) and _MOBILE.fullmatch(digits[len(prefix):]):
            digits = digits[len(prefix):]
            break
    if _MOBILE.fullmatch(digits) or find_pii(value):
        return digits
    return None


def check_front_matter_pii(root: MappingNode, rep: Reporter, phones: bool = True) -> None:
    """Personal data in every text value of the front matter, reported at its line; with
    `phones`, office phone numbers outside the phone fields as well.

    Reported only when the values `_scalars` counts may hold a number (`might_hold_numbers`);
    then every value is read on its own. For speed, the values other than the phone fields are
    normalised and searched in one pass over their join (`_texts_with_hints`), `find_pii` reads
    only those that pass its own first test, and the join as `might_hold_numbers` reads it is
    made only when there is something to report and no counted value passes on its own. The
    findings and their order are those of reading each value (tests/test_validate_speed_pii.py
    compares the two)."""
    values: list[tuple[ScalarNode, str, str | int | None, bool, bool]] = []
    _collect_scalars(root, "", True, values)
    hint, paren = _texts_with_hints(["" if phone else node.value
                                     for node, _, _, _, phone in values])
    found = []  # (value's index, what to report) in document order
    counted_hit = False
    for i, (node, parent, key, counted, phone) in enumerate(values):
        if phone:
            if node.value:
                digits = _phone_field_mobile(node.value)
                if digits is not None:
                    found.append((i, digits))
        elif hint[i] or paren[i]:  # else `find_pii` finds nothing in it
            counted_hit = counted_hit or counted
            # A number field holds quantities or coordinates, never a phone number by design;
            # a personal number written there is published all the same (as a JSON number).
            where = _where(parent, key)
            public = _NO_PHONE_CHECK.fullmatch(where) or _NUMBER_FIELDS.fullmatch(where)
            matches = find_pii(node.value, phones=phones and not public)
            if matches:
                found.append((i, matches))
    if not found:
        return
    if not counted_hit:  # the phone fields' own hints, left out of the join
        counted_hit = any(counted and _may_hold_number(node.value)
                          for node, _, _, counted, phone in values if phone)
    if not counted_hit and not might_hold_numbers(_scalars(root)):
        return
    for i, what in found:
        node, parent, key, _, _ = values[i]
        where = _where(parent, key)
        if isinstance(what, str):
            code, msg = _PII_TEXT["mobile"]
            rep.at_node(node, code, where, msg.format(m=mask(what)))
            continue
        line_col = _scalar_position(node, rep.line_offset)
        for p in what:
            code, msg = _PII_TEXT[p.kind]
            line, col = line_col(p.start)
            rep.add(code, where or "-", msg.format(m=p.masked), line, col)


def _may_hold_number(text: str) -> bool:
    """`find_pii`'s first test (with `phones`): false when it can find nothing in `text`."""
    norm = normalise(text)
    return bool(_HINT_AT_GROUP.search(norm) or _PAREN_LANDLINE.search(norm))


def _collect_scalars(node: Node, where: str, counted: bool,
                     out: list[tuple[ScalarNode, str, str | int | None, bool, bool]]) -> None:
    """Every text value under `node`, in document order, as (node, the field of its parent, its
    key or index, counted, phone): its field is `_where(parent, key)`, made only when needed;
    whether `_scalars` counts it (not under a `phone` key whose digits cannot be a mobile
    number); whether it is a phone field (`_PHONE_FIELDS`; a field ends in its key, so only a
    key ending in "phone" can make one). A scalar child is taken here, without a call of its own:
    this walk meets every value of every record."""
    if isinstance(node, MappingNode):
        prefix = f"{where}." if where else ""
        for k, v in node.value:
            key = k.value if isinstance(k, ScalarNode) else "?"
            inner = counted and (k.value != "phone" or
                                 _MAYBE_MOBILE.match(_digits_of(str(v.value))) is not None)
            if isinstance(v, ScalarNode):
                out.append((v, where, key, inner, key.endswith("phone") and
                            _PHONE_FIELDS.fullmatch(prefix + key) is not None))
            else:
                _collect_scalars(v, prefix + key, inner, out)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            if isinstance(item, ScalarNode):
                out.append((item, where, i, counted, False))
            else:
                _collect_scalars(item, f"{where}[{i}]", counted, out)
    elif isinstance(node, ScalarNode):
        out.append((node, where, None, counted, False))


def _where(parent: str, key: str | int | None) -> str:
    """The field of a value `_collect_scalars` found: its parent's field and its key or index."""
    if key is None:
        return parent
    if isinstance(key, int):
        return f"{parent}[{key}]"
    return f"{parent}.{key}" if parent else key


# Joins the values for `_texts_with_hints`: a letter, which neither `_HINT` nor
# `_PAREN_LANDLINE` can match or cross, and which `normalise` leaves as it is and which ends
# every run of numerals it reads (as the start and end of a text do).
_JOINER = "a"


def _texts_with_hints(texts: list[str]) -> tuple[list[bool], list[bool]]:
    """For each text, whether `_HINT` and whether `_PAREN_LANDLINE` match its normalised form:
    one `normalise` and one search per pattern and text that matches, over the texts' join."""
    n = len(texts)
    hint, paren = [False] * n, [False] * n
    if not n:
        return hint, paren
    joined = normalise(_JOINER.join(texts))
    starts = None  # where each text starts in the join, once a match needs it
    for pattern, flags in ((_HINT_AT_GROUP, hint), (_PAREN_LANDLINE, paren)):
        at = 0
        while (m := pattern.search(joined, at)) is not None:
            if starts is None:
                starts = [0, *itertools.accumulate(len(text) + 1 for text in texts[:-1])]
            i = bisect.bisect_right(starts, m.start()) - 1
            flags[i] = True
            if i + 1 == n:
                break
            at = starts[i + 1]  # a match never crosses a joiner: on to the next text
    return hint, paren
