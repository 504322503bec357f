"""The story's first tests, made faster (issue 31), answer as before.

`maybe_deep` looks for what `_MAYBE_DEEP` needs (thirty list or quote markers before a blank, a
tab or 120 spaces) before running it: on generated stories of markers, blanks and text it must
say what `_MAYBE_DEEP.search` says, in both directions. `_PLAIN_LINK` and `_UUID` test what
stands before their first character after it: the old patterns are kept below, and both find
the same matches."""

from __future__ import annotations

import random
import re

from site_builder.validate import personal_data as pd
from site_builder.validate import story as st


def test_maybe_deep_answers_as_the_pattern():
    rng = random.Random(3)
    pieces = ["- ", "* ", "+ ", "> ", "1. ", "12) ", " ", "\t", "\n", "示例", "a", "-", "1.", "    ",
              " " * 40, "\t" * 30, "- - - - - ", "> > > ", "3.\t", " " * 119, "\n" + " " * 120]
    deep = 0
    for _ in range(20000):
        body = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 80)))
        expected = st._MAYBE_DEEP.search(body) is not None
        assert st.maybe_deep(body) == expected, repr(body)
        deep += expected
    assert 500 < deep < 19500


def test_deep_stories_are_still_converted_and_plain_ones_not():
    assert st.maybe_deep("- " * 30 + "示例") and not st.plainly_safe("- " * 30 + "示例")
    assert st.maybe_deep("示例\n" + " " * 120 + "虚构")
    assert not st.maybe_deep("## 示例\n\n- 一\n- 二\n\n虚构的正文。")
    assert st.plainly_safe("## 示例\n\n- 一\n- 二\n\n虚构的正文。")


# Patterns before their first character was put first (issue 31, second round), verbatim.
_OLD_PLAIN_LINK = re.compile(r"(?<!!)\[[^\[\]\\`<>&{}\n]*\]\((?:https?://)?[A-Za-z0-9._~/?#=%+,;@-]*\)")
_OLD_UUID = re.compile(r"(?<![0-9A-Za-z])[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}"
                       r"-[0-9A-Fa-f]{12}(?![0-9A-Za-z])")


def test_plain_links_and_uuids_are_found_where_they_were():
    """`_PLAIN_LINK` (what `plainly_safe` strips) and `_UUID` (groups of digits that are no
    number) now test what stands before their first character after it: the same matches, and
    the same stripped story, on generated texts with links, images, UUIDs and near misses."""
    rng = random.Random(13)
    link_pieces = ["[示例](https://example.org/a)", "![图](logo.png)", "!", "[", "]", "(", ")", "示例",
                   "[虚构](a b)", "[a]", "(https://x.org)", "\n", " ", "<b>", "&amp;", "[[x]](y)"]
    hex_pieces = ["a77c1390", "-", "5551", "8191", "c29a00001111", "g", "Z", "0", "示例", " ",
                  "1234abcd-1234-5678-9abc-def012345678", "x1234abcd-1234-5678-9abc-def012345678",
                  "1234abcd-1234-5678-9abc-def0123456789"]
    seen = {"link": 0, "uuid": 0}
    for _ in range(20000):
        for name, pieces, old, new in (("link", link_pieces, _OLD_PLAIN_LINK, st._PLAIN_LINK),
                                       ("uuid", hex_pieces, _OLD_UUID, pd._UUID)):
            text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 12)))
            spans = [m.span() for m in old.finditer(text)]
            assert [m.span() for m in new.finditer(text)] == spans, (name, text)
            seen[name] += bool(spans)
        assert st.plainly_safe(text) == _old_plainly_safe(text)
    assert 2000 < seen["link"] < 19000 and 500 < seen["uuid"] < 19000, seen


def _old_plainly_safe(body: str) -> bool:
    if st.maybe_deep(body):
        return False
    return not st._MARKUP.search(_OLD_PLAIN_LINK.sub("", body) if "[" in body else body)
