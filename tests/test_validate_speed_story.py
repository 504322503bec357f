"""The story's first test for deep nesting, made faster (issue 31), answers as before.

`maybe_deep` looks for what `_MAYBE_DEEP` needs (thirty list or quote markers before a blank, a
tab or 120 spaces) before running it: on generated stories of markers, blanks and text it must
say what `_MAYBE_DEEP.search` says, in both directions."""

from __future__ import annotations

import random

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
