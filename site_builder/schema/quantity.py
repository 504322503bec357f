"""Figures as reports state them: exact, approximate or bounded, a range, a change; kept as written."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

# Words that make a figure approximate or a bound; they are kept and shown as written.
PREFIXES = ("大约", "约", "将近", "接近", "近", "超过", "超", "逾", "不到", "不足", "少于", "多于")
SUFFIXES = ("余", "多", "以上", "左右", "+", "＋")
MULTIPLIERS = {"万": Decimal(10_000), "亿": Decimal(100_000_000), "千": Decimal(1_000)}
_NUM = r"(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?"
_MUL = "[万亿千]"
_DASH = r"(?:–|—|-|~|～|至|到)"
_RX = re.compile(
    rf"(?P<pre>{'|'.join(PREFIXES)})?(?P<sign>[+＋-])?(?P<a>{_NUM})(?P<ma>{_MUL})?"
    rf"(?:{_DASH}(?P<b>{_NUM})(?P<mb>{_MUL})?)?"
    rf"(?P<post>余|多|以上|左右|\+|＋)?(?P<pct>%|％)?")
EXAMPLES = "`1200`、`227.7`，或照报道写 `约3万`、`3万+`、`近20万`、`超过16亿`、`1–2万`、`+40`"

EXACT, APPROX, RANGE, CHANGE = "exact", "approx", "range", "change"

# The largest figure in its unit, checked on the value after its 万/千/亿 (99999999亿 is
# 9999999900000000, refused like the plain number): larger counts are written in a larger unit
# (万人, 亿元), and no published number has digits enough for a phone or identity number.
MAX_FIGURE = 9_999_999_999


@dataclass(frozen=True)
class Quantity:
    """A figure's value: `text` as written; `low`/`high` its bounds in the unit (None if open)."""

    text: str
    kind: str
    low: Decimal | None
    high: Decimal | None
    percent: bool = False

    @property
    def exact(self) -> bool:
        return self.kind == EXACT

    @property
    def negative(self) -> bool:
        """Below zero, or a zero written with a minus: refused for a figure, as a plain `-5` is.
        Only `+` marks a change (`+40`); a fall is written with its words (减少40) in the label."""
        return any(b is not None and b.is_signed() for b in (self.low, self.high))

    @property
    def amount(self) -> Decimal | None:
        """The exact amount, for sums; None for anything approximate, bounded or a change."""
        return self.low if self.exact else None


def parse_quantity(value) -> Quantity | None:
    """A figure value (a Decimal, or the text an editor wrote) as a Quantity; None if unreadable
    or beyond MAX_FIGURE once its multipliers are applied (every reader gets the same answer)."""
    q = _read(value)
    return None if q is None or over_cap(q) is not None else q


def over_cap(q: Quantity) -> Decimal | None:
    """The largest of the quantity's bounds (as a magnitude) when it exceeds MAX_FIGURE."""
    big = max((abs(b) for b in (q.low, q.high) if b is not None), default=Decimal(0))
    return big if big > MAX_FIGURE else None


def quantity_over_cap(text: str) -> Decimal | None:
    """For a value written as a quantity but too large: its size after the multipliers."""
    q = _read(text)
    return over_cap(q) if q is not None else None


def _read(value) -> Quantity | None:
    if isinstance(value, Decimal):
        return Quantity(_plain(value), EXACT, value, value)
    text = str(value).strip()
    m = _RX.fullmatch(text.replace(" ", ""))
    if m is None:
        return None
    a = Decimal(m["a"]) * MULTIPLIERS.get(m["ma"] or m["mb"] or "", Decimal(1))
    pct = m["pct"] is not None
    if m["sign"]:
        if m["b"] or m["pre"] or m["post"]:
            return None
        return Quantity(text, CHANGE, a.copy_negate() if m["sign"] == "-" else a, None, pct)
    if m["b"]:
        b = Decimal(m["b"]) * MULTIPLIERS.get(m["mb"] or "", Decimal(1))
        if m["pre"] or m["post"]:
            return None
        return Quantity(text, RANGE, a, b, pct)
    pre, post = m["pre"] or "", m["post"] or ""
    if pre and post:
        return None
    if pre in ("不到", "不足", "少于", "近", "将近", "接近"):
        return Quantity(text, APPROX, None, a, pct)
    if pre in ("超过", "超", "逾", "多于") or post in ("余", "多", "以上", "+", "＋"):
        return Quantity(text, APPROX, a, None, pct)
    if pre or post:  # 约, 大约, 左右
        return Quantity(text, APPROX, a, a, pct)
    return Quantity(text, EXACT, a, a, pct)


def _plain(d: Decimal) -> str:
    s = format(d, "f")
    return s.rstrip("0").rstrip(".") if "." in s else s


def quantity_mistake(text: str) -> str:
    """What is wrong with a value that is not a quantity, as the start of a hint ("" if unclear)."""
    if re.search("[零〇一二两三四五六七八九十百]", text):
        return "数字要用阿拉伯数字写，"
    t = text.replace(" ", "")
    if t.startswith(PREFIXES) and t.endswith(SUFFIXES):
        return "限定词只写一个（前面的“约”“近”“超过”或后面的“余”“多”“以上”“+”），"
    rest = re.sub(rf"{_NUM}|[万亿千%％+＋\-–—~～至到.]|" + "|".join(map(re.escape, PREFIXES + SUFFIXES)), "", t)
    return "单位写在 unit 字段，" if rest else ""
