"""Cheap first tests for single-character-class patterns over long texts.

A character class that reaches beyond the Basic Multilingual Plane is matched by a list of
ranges, tried one after the other at each character; a class within the plane is one table
look-up. `first_test(pattern)` is such a table: the negated class of the plane's characters
`pattern` does not match, so it matches every character `pattern` can match and every character
beyond the plane. A text it finds nothing in holds nothing `pattern` can find; where it finds
something, `pattern` is searched from there (`search_from_first_test`)."""

from __future__ import annotations

import re

from ..text import FORMAT_CHARS


def first_test(pattern: re.Pattern) -> re.Pattern:
    """The plane-table first test for `pattern`, a pattern of one character class, worked out
    from the running Python's Unicode data."""
    plane = "".join(map(chr, range(0xD800))) + "".join(map(chr, range(0xE000, 0x10000)))
    chars = sorted({ord(m.group()) for m in pattern.finditer(plane)})
    ranges, start = [], 0
    for c in chars:
        if c > start:
            ranges.append((start, c - 1))
        start = c + 1
    ranges.append((start, 0xFFFF))
    return re.compile("[^" + "".join(f"\\U{a:08x}-\\U{b:08x}" for a, b in ranges) + "]")


def search_from_first_test(pattern: re.Pattern, first: re.Pattern, text: str) -> re.Match | None:
    """`pattern.search(text)`, the same match, tried only from where `first` finds a character."""
    m = first.search(text)
    return None if m is None else pattern.search(text, m.start())


MAYBE_FORMAT_CHARS = first_test(FORMAT_CHARS)


def format_char(text: str) -> re.Match | None:
    """`FORMAT_CHARS.search(text)` (an invisible format character), by its first test."""
    return search_from_first_test(FORMAT_CHARS, MAYBE_FORMAT_CHARS, text)
