"""The front matter's personal-data scan, made faster (issue 31), finds exactly what it found.

`check_front_matter_pii` now normalises and searches all values of a record in one pass and
reads only the values that can hold a number. The implementation it replaced is kept below
(`_old_check_front_matter_pii`, as it stood); both run over generated front matter — the
realistic records of bench/realistic.py and small documents of every field kind — whose values
hold fictional personal numbers in every disguise of tests/fixtures/pii (identity numbers with
their check character, mobile numbers, bank cards with the Luhn digit, landlines) or none, in
every YAML style, and must give the same diagnostics (code, file, line, column, field, message)
in the same order. Both directions are required of the generated set: documents with findings
of every kind, and documents without any.
"""

from __future__ import annotations

import random
import re
import sys
from collections import Counter
from pathlib import Path

import pytest
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from site_builder.diagnostics.report import Reporter
from site_builder.load.settings import load_settings
from site_builder.validate import personal_data as pd
from site_builder.validate.personal_data import (
    _HINT,
    _MOBILE,
    _NO_PHONE_CHECK,
    _NUMBER_FIELDS,
    _PAREN_LANDLINE,
    _PHONE_FIELDS,
    _PII_TEXT,
    _digits_of,
    _scalar_position,
    _scalars,
    _texts_with_hints,
    check_front_matter_pii,
    find_pii,
    mask,
    might_hold_numbers,
    normalise,
    report_pii,
)

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "fixtures" / "pii"


# -- the implementation before issue 31's change, verbatim --------------------------------------

def _old_check_phone_field(rep: Reporter, where: str, node: ScalarNode) -> None:
    digits = _digits_of(node.value)
    for prefix in ("0086", "86", "0"):
        if digits.startswith(prefix) and _MOBILE.fullmatch(digits[len(prefix):]):
            digits = digits[len(prefix):]
            break
    if _MOBILE.fullmatch(digits) or find_pii(node.value):
        code, msg = _PII_TEXT["mobile"]
        rep.at_node(node, code, where, msg.format(m=mask(digits)))


def _old_check_front_matter_pii(root: MappingNode, rep: Reporter, phones: bool = True) -> None:
    if not might_hold_numbers(_scalars(root)):
        return

    def walk(node: Node, where: str) -> None:
        if isinstance(node, ScalarNode):
            if not node.value:
                return
            if _PHONE_FIELDS.fullmatch(where):
                _old_check_phone_field(rep, where, node)
                return
            public = _NO_PHONE_CHECK.fullmatch(where) or _NUMBER_FIELDS.fullmatch(where)
            report_pii(rep, where or "-", node.value, _scalar_position(node, rep.line_offset),
                       phones=phones and not public)
        elif isinstance(node, MappingNode):
            for k, v in node.value:
                key = k.value if isinstance(k, ScalarNode) else "?"
                walk(v, f"{where}.{key}" if where else key)
        elif isinstance(node, SequenceNode):
            for i, item in enumerate(node.value):
                walk(item, f"{where}[{i}]")

    walk(root, "")


# -- fictional values ---------------------------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _id18(rng: random.Random) -> str:
    """A fictional identity number with its right check character."""
    head = f"{rng.choice([11, 31, 44, 51, 65])}0106{rng.randint(1950, 2005)}" \
           f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    total = sum(int(c) * w for c, w in zip(head, _ID_WEIGHTS))
    return head + "10X98765432"[total % 11]


def _card(rng: random.Random) -> str:
    """A fictional UnionPay number with its Luhn digit."""
    body = "622202" + "".join(str(rng.randint(0, 9)) for _ in range(rng.choice([9, 12])))
    total = 0
    for i, c in enumerate(reversed(body + "0")):
        n = int(c) * (2 if i % 2 else 1)
        total += n - 9 if n > 9 else n
    return body + str((10 - total % 10) % 10)


def _mobile(rng: random.Random) -> str:
    return f"1{rng.choice('3456789')}{rng.randint(0, 999999999):09d}"


_CN = "〇一二三四五六七八九"
_FULL = "０１２３４５６７８９"


def _disguise(rng: random.Random, digits: str) -> str:
    """The digits written as people write them: grouped, full-width, as Chinese numerals."""
    how = rng.randrange(6)
    if how == 0:
        return digits
    if how == 1:
        return " ".join(digits[i:i + 4] for i in range(0, len(digits), 4))
    if how == 2:
        return "-".join((digits[:3], digits[3:7], digits[7:]))
    if how == 3:
        return "".join(_FULL[int(c)] if c.isdigit() else c for c in digits)
    if how == 4:
        return "".join(_CN[int(c)] if c.isdigit() else c for c in digits)
    return "\u200b".join(digits)


_PROSE = ["示例·虚构县家政服务", "年培训 1668 人次，带动就业 1261 人", "2025-11-27", "09:00—17:30",
          "一是培训，二是就业", "第 3 期", "", "  ", "虚构街道 12 号", "人均月收入 6800 元",
          "https://example.org/shili/2025/1127", "2021 1581 102 2022", "13800138000元产值",
          "2023 年", "45.5", "113.2", "示例（虚构）", "ISBN 978-7-000-00000-0", "|2022|1668|1261|",
          "10 人", "（020）", "8123 4567", "A1B2", "示例\n第二行 12 345\n67 890 123"]


def _value(rng: random.Random, hostile: list[str], realistic: list[str], prose: float = 0.55) -> str:
    """One value: ordinary prose (most), a personal number in a disguise, a corpus text, or
    a fragment that reads as a number only next to its neighbour."""
    roll = rng.random()
    if roll < prose:
        return rng.choice(_PROSE)
    if roll < 0.65:
        return rng.choice(hostile)
    if roll < 0.72:
        lines = rng.choice(realistic).splitlines()
        k = rng.randrange(len(lines))
        return "\n".join(lines[k:k + rng.randint(1, 4)])
    if roll < 0.80:
        return rng.choice(["138 0013", "8000 示例", "12345 ", " 67890", "0086 ", "440106 "])
    number = rng.choice([_id18, _card, _mobile, _mobile,
                         lambda r: f"0{r.randint(10, 999)}-{r.randint(2000000, 89999999)}",
                         lambda r: f"（0{r.randint(10, 99)}）{r.randint(1000, 9999)}-{r.randint(1000, 9999)}",
                         lambda r: f"400 {r.randint(100, 999)} {r.randint(1000, 9999)}"])(rng)
    return rng.choice(["", "联系人：", "示例 ", "wx"]) + _disguise(rng, number) + \
        rng.choice(["", "。", " 示例", "号", "X"])


def _phone_value(rng: random.Random, clean: bool = False) -> str:
    if clean:
        return rng.choice([f"020-{rng.randint(20000000, 89999999)}", "400-000-0000", ""])
    return rng.choice([f"020-{rng.randint(20000000, 89999999)}", "400-000-0000",
                       f"(0755) {rng.randint(2000, 8999)} {rng.randint(1000, 9999)}",
                       _mobile(rng), "+86 " + _mobile(rng), "0" + _mobile(rng), "12345", "",
                       f"020-81234567 / {_mobile(rng)}", _id18(rng)])


def _document(rng: random.Random, hostile: list[str], realistic: list[str]) -> dict:
    """A front matter of every field kind the scan treats apart (phone fields, number fields,
    fields without phone checks, `phone` keys elsewhere, nesting, lists)."""
    clean = rng.random() < 0.2  # prose and office phones only: most records
    v = lambda: _value(rng, hostile, realistic, 1.0 if clean else 0.55)
    doc: dict = {"name": v(), "summary": v()}
    if rng.random() < 0.8:
        doc["contact"] = {"phone": _phone_value(rng, clean) if rng.random() < 0.9 else {"office": v()},
                          "url": v(), "email": v(), "address": v()}
    doc["venues"] = [{"name": v(), "phone": _phone_value(rng, clean), "lat": v(), "lng": v(),
                      "hours": [v(), v()]} for _ in range(rng.randint(0, 3))]
    doc["people"] = [{"name": v(), "bio": v(), "phone": _phone_value(rng, clean)}
                     for _ in range(rng.randint(0, 2))]
    doc["figures"] = [{"label": v(), "value": v()} for _ in range(rng.randint(0, 3))]
    doc["trademarks"] = [{"number": v()} for _ in range(rng.randint(0, 2))]
    doc["sources"] = [{"url": v(), "title": v()} for _ in range(rng.randint(0, 2))]
    if rng.random() < 0.3:
        doc["contact.phone"] = _phone_value(rng, clean)
    if rng.random() < 0.3:
        doc["notes"] = [[v(), {"phone": _phone_value(rng, clean)}], v()]
    for key in rng.sample(sorted(doc), k=len(doc)):  # the order of keys varies
        doc[key] = doc.pop(key)
    return doc


_STYLES = [None, "'", '"', "|", ">"]


def _compose(doc: dict, rng: random.Random) -> MappingNode:
    text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=rng.choice([40, 80, 1000]),
                          default_style=rng.choice(_STYLES))
    return yaml.compose(text, Loader=yaml.SafeLoader)


def _both(root: MappingNode, phones: bool, offset: int) -> tuple[list, list]:
    old, new = Reporter("brands/shili.md", offset), Reporter("brands/shili.md", offset)
    _old_check_front_matter_pii(root, old, phones=phones)
    check_front_matter_pii(root, new, phones=phones)
    return old.items, new.items


@pytest.fixture(scope="module")
def corpus() -> tuple[list[str], list[str]]:
    hostile = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "hostile").glob("*.txt"))]
    realistic = [p.read_text(encoding="utf-8") for p in sorted((CORPUS / "realistic").glob("*.md"))]
    assert len(hostile) >= 30 and len(realistic) >= 5
    return hostile, realistic


def test_generated_documents_give_the_same_findings(corpus):
    rng = random.Random(31)
    codes: Counter = Counter()
    clean = 0
    for n in range(1500):
        root = _compose(_document(rng, *corpus), rng)
        phones = n % 4 != 3
        old, new = _both(root, phones, offset=n % 3)
        assert new == old, (n, yaml.serialize(root))
        codes.update(d.code for d in old)
        clean += not old
    # both directions, every kind of finding
    assert {"P001", "P002", "P003", "P018"} <= set(codes), codes
    assert clean >= 50, clean
    assert sum(codes.values()) >= 500, codes


def test_values_that_read_as_a_number_only_together(corpus):
    """Values that hold no number alone but do when joined (as `might_hold_numbers` joins
    them): whether the phone fields are read follows the old rule exactly."""
    rng = random.Random(7)
    seen_joined = 0
    for n in range(400):
        doc = {"a": rng.choice(["138 0013", "12 345", "示例"]), "b": rng.choice(["8000", "67 890", "1"]),
               "contact": {"phone": rng.choice(["020-81234567", _mobile(rng), "(020)8123-4567 转 8"])},
               "people": [{"phone": "020-81234567 / " + _mobile(rng)}]}
        root = _compose(doc, rng)
        seen_joined += might_hold_numbers(_scalars(root)) and not any(
            _HINT.search(normalise(t)) for t in _scalars(root))
        old, new = _both(root, True, 0)
        assert new == old, yaml.serialize(root)
    assert seen_joined >= 20


def _realistic_records(count: int) -> list[str]:
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import realistic
    finally:
        sys.path.remove(str(REPO / "bench"))
    settings, _ = load_settings(REPO / "tests" / "fixtures")
    rng = random.Random(20261207)
    blank = lambda rng, size, fmt: b""  # only the text is read here
    out = []
    for i in range(count):
        _, text, _ = realistic.make_record(i, rng, settings.vocab, published=i % 5 != 0,
                                           image=blank)
        out.append(text.split("\n---\n", 1)[0][len("---\n"):])
    return out


def test_realistic_records_with_personal_numbers_planted(corpus):
    """The benchmark's records as they are (no finding), and with personal numbers put into
    random values of theirs (findings at those values)."""
    rng = random.Random(2026)
    found = clean = 0
    for n, front in enumerate(_realistic_records(40)):
        root = yaml.compose(front, Loader=yaml.SafeLoader)
        old, new = _both(root, True, 1)
        assert new == old == [], old
        clean += 1
        scalars = [node for node in _walk(root) if isinstance(node, ScalarNode)]
        for _ in range(4):
            for node in rng.sample(scalars, k=3):
                node.value = _value(rng, *corpus) if rng.random() < 0.7 else \
                    _disguise(rng, rng.choice([_id18, _card, _mobile])(rng))
            old, new = _both(root, n % 2 == 0, 1)
            assert new == old, n
            found += bool(old)
    assert found >= 40 and clean == 40


def _walk(node: Node):
    yield node
    if isinstance(node, MappingNode):
        for k, v in node.value:
            yield k
            yield from _walk(v)
    elif isinstance(node, SequenceNode):
        for item in node.value:
            yield from _walk(item)


def test_hints_over_the_join_are_each_values_own(corpus):
    """`_texts_with_hints` says of each text what its own normalised form says."""
    rng = random.Random(11)
    for _ in range(300):
        texts = [_value(rng, *corpus) for _ in range(rng.randint(0, 30))]
        hint, paren = _texts_with_hints(texts)
        assert hint == [bool(_HINT.search(normalise(t))) for t in texts]
        assert paren == [bool(_PAREN_LANDLINE.search(normalise(t))) for t in texts]
    # the join's letter next to Chinese numerals and digits changes no text's reading
    texts = ["三八〇〇一三八", "〇〇〇", "138", "0013八〇〇〇", "a"]
    assert normalise(pd._JOINER.join(texts)) == pd._JOINER.join(normalise(t) for t in texts)


def test_the_first_test_for_foreign_digits_misses_none():
    """`normalise` skips its digit rewriting when `_MAYBE_FOREIGN_DIGIT` finds nothing: it must
    match every character `_FOREIGN_DIGIT` matches (every code point of the running Python),
    and none of the ordinary text of a record (ASCII, Chinese, full-width punctuation)."""
    every = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))
    digits = {m.start() for m in pd._FOREIGN_DIGIT.finditer(every)}
    caught = {m.start() for m in pd._MAYBE_FOREIGN_DIGIT.finditer(every)}
    assert len(digits) > 600 and digits <= caught
    assert all(ord(every[i]) > 0xFFFF for i in caught - digits)
    assert not pd._MAYBE_FOREIGN_DIGIT.search("示例·虚构县（2025 年）：培训 1,668 人次，“家政”《服务》…、；！？")
    assert normalise("电话１３８⓪⓪１３８０００") == "电话13800138000"


# The first tests before their steps were made atomic (issue 31, second round), verbatim.
_OLD_HINT = re.compile(r"[0-9](?:(?:\s++|[^\w\s]){0,8}[0-9]|_{1,3}[0-9]){9}")
_OLD_HINT_AT_GROUP = re.compile(r"(?<![0-9])" + _OLD_HINT.pattern)


def test_the_atomic_first_tests_match_where_the_old_ones_did(corpus):
    """Every match (start and end) of `_HINT` and `_HINT_AT_GROUP`, searched from every offset,
    is the old patterns' on generated texts of digits, separators of every kind and lengths
    around the limits (eight separators, three underscores, ten digits), and on the corpus."""
    rng = random.Random(17)
    pieces = ["1", "23", "4567", "0", " ", "   ", "\n", " \n\t", "-", "—", ".", "_", "__", "___",
              "____", "a", "示例", "（", "）", "\u200b", "-- -- -- --", "........", ".........", "Ｘ"]
    texts = [normalise(t) for t in corpus[0] + corpus[1]]
    for _ in range(6000):
        texts.append("".join(rng.choice(pieces) for _ in range(rng.randint(0, 40))))
    found = missed = 0
    for text in texts:
        for old, new in ((_OLD_HINT, pd._HINT), (_OLD_HINT_AT_GROUP, pd._HINT_AT_GROUP)):
            assert [m.span() for m in new.finditer(text)] == [m.span() for m in old.finditer(text)], text
            for at in range(0, len(text), 7):
                a, b = old.search(text, at), new.search(text, at)
                assert (b and b.span()) == (a and a.span()), (text, at)
                found += a is not None
                missed += a is None
    assert found > 2000 and missed > 3000, (found, missed)
