"""The plane-table first tests (load/firsttest.py, issue 31) miss nothing their patterns find.

`format_char(text)` stands for `FORMAT_CHARS.search(text)` in the strict loader (which then
looks for hidden characters value by value) and in `normalise` (which rewrites them): it must
give the same match on every text, whatever characters it holds, and its first test must catch
every code point `FORMAT_CHARS` matches, of the running Python's Unicode data."""

from __future__ import annotations

import random

from site_builder.load.firsttest import MAYBE_FORMAT_CHARS, first_test, format_char
from site_builder.text import CONTROL_CHARS, FORMAT_CHARS

EVERY = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x110000)))


def test_the_first_test_catches_every_format_character():
    found = {m.start() for m in FORMAT_CHARS.finditer(EVERY)}
    caught = {m.start() for m in MAYBE_FORMAT_CHARS.finditer(EVERY)}
    assert len(found) > 150 and found <= caught
    assert all(ord(EVERY[i]) > 0xFFFF for i in caught - found)  # nothing else of the plane
    assert not MAYBE_FORMAT_CHARS.search("示例·虚构县（2025 年）：培训 1,668 人次，“家政”《服务》…、；！？")


def test_format_char_gives_the_match_of_the_pattern():
    rng = random.Random(7)
    hidden = [m.group() for m in FORMAT_CHARS.finditer(EVERY)]
    pieces = ["示例", "虚构县家政", "name: 示例\n", " ", "\n", "：", "2025", "𠀀", "😀", "\U0001d173",
              "\u200d", "\ufeff", "\u00ad", "a", "\t"]
    found = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) if rng.random() > 0.05 else rng.choice(hidden)
                       for _ in range(rng.randint(0, 40)))
        old = FORMAT_CHARS.search(text)
        new = format_char(text)
        assert (new and (new.span(), new.group())) == (old and (old.span(), old.group())), repr(text)
        found += old is not None
    assert 2000 < found < 19000


def test_first_test_of_another_class():
    pattern = CONTROL_CHARS
    first = first_test(pattern)
    assert {m.start() for m in pattern.finditer(EVERY)} <= {m.start() for m in first.finditer(EVERY)}
    assert not first.search("示例\t虚构\n")
