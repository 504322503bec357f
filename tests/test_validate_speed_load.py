"""Strict loading, made faster (issue 31), reads and reports as before.

- The full-width-colon check (Y005) is tried only at the start of lines holding "：": the same
  matches as the pattern over the whole text, on generated texts;
- the leading-tab check (Y006) is skipped for a text without a tab: nothing to find;
- the closing `---` and document markers are looked for only at lines beginning `---` or
  `...`: the same matches as the patterns over the whole text;
- the composer's resolver hooks are builtins that do nothing, as BaseResolver's do without path
  resolvers: the same node trees (kinds, tags, values, styles, positions) as with them;
and both checks still report what they reported (both directions).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

import yaml
from yaml.resolver import BaseResolver

from site_builder.diagnostics.report import Reporter
from site_builder.load import frontmatter as fm
from site_builder.load.settings import load_settings

REPO = Path(__file__).resolve().parent.parent


def test_fullwidth_colons_are_found_where_the_pattern_finds_them():
    rng = random.Random(5)
    pieces = ["name：", "  - key：v", "a: b：c", "\n", "\n", " ", "- ", "x_1 ：", "：", "示例：",
              "k:", "\t", "abc", "\n  ", "- - a：", "_z：", "url: https://example.org/a：b"]
    found = 0
    for _ in range(20000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 25)))
        old = [(m.span(), m.group(1)) for m in fm._FULLWIDTH_COLON.finditer(text)]
        assert [(m.span(), m.group(1)) for m in fm._fullwidth_colons(text)] == old, text
        found += bool(old)
    assert found > 1000


def test_colon_and_tab_slips_are_still_reported():
    rep = Reporter("brands/shili.md", 1)
    assert fm.parse_yaml("name: 示例\nsummary：虚构的简介\n", rep) is None
    assert [(d.code, d.line, d.field) for d in rep.items] == [("Y005", 3, "summary")]
    rep = Reporter("brands/shili.md", 1)
    assert fm.parse_yaml("name: 示例\ncontact:\n\tphone: 020-81234567\n", rep) is None
    assert [(d.code, d.line) for d in rep.items] == [("Y006", 4)]
    rep = Reporter("brands/shili.md", 1)  # a colon inside a value is no slip
    assert fm.parse_yaml("name: 示例\nsummary: 时间：09:00—17:30\nnote: \"a\tb\"\n", rep) is not None
    assert rep.items == []


class _WithResolverHooks(fm._StrictLoader):
    descend_resolver = BaseResolver.descend_resolver
    ascend_resolver = BaseResolver.ascend_resolver


def _tree(loader_class, text):
    loader = loader_class(text)
    try:
        return _shape(loader.get_single_node())
    finally:
        loader.dispose()


def _shape(node):
    if node is None:
        return None
    value = node.value if isinstance(node, yaml.ScalarNode) else \
        [(_shape(k), _shape(v)) for k, v in node.value] if isinstance(node, yaml.MappingNode) else \
        [_shape(item) for item in node.value]
    return (type(node).__name__, node.tag, value, getattr(node, "style", None),
            node.start_mark.line, node.start_mark.column, node.end_mark.line, node.end_mark.column)


def test_the_composer_builds_the_same_trees():
    texts = ["name: 示例\nlist: [a, {b: c}, [d]]\nblock: |\n  一\n  二\nempty:\nq: 'x'\n",
             "a:\n  - b: 1\n    c: [2, 3]\n  - \"d\"\n", "- 1\n- 2\n", "plain text", ""]
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import realistic
    finally:
        sys.path.remove(str(REPO / "bench"))
    settings, _ = load_settings(REPO / "tests" / "fixtures")
    rng = random.Random(31)
    for i in range(20):  # the benchmark's records
        _, record, _ = realistic.make_record(i, rng, settings.vocab, image=lambda *a: b"")
        texts.append(record.split("\n---\n", 1)[0][len("---\n"):])
    for text in texts:
        assert _tree(fm._StrictLoader, text) == _tree(_WithResolverHooks, text), text


def test_markers_are_found_where_the_patterns_find_them():
    """The closing `---` and a document marker inside the front matter are looked for only at
    the starts of lines beginning `---` or `...` (`search_at_line_starts`): the same match as
    the patterns' own search over the whole text, on generated texts, found and not found."""
    rng = random.Random(9)
    pieces = ["---", "...", "--", "..", "-", ".", " ", "\t", "\n", "a", "示例", "--- x", "...\n",
              "\n---\n", "\r", "name: 示例", "----"]
    found = 0
    for _ in range(30000):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(0, 14)))
        for pattern, heads in ((fm._CLOSING, ("---",)), (fm._DOCUMENT_MARKER, ("---", "..."))):
            old = pattern.search(text)
            new = fm.search_at_line_starts(pattern, text, heads)
            assert (new and (new.span(), new.groups())) == (old and (old.span(), old.groups())), \
                (repr(text), pattern.pattern)
            found += old is not None
    assert 10000 < found < 55000


def test_unclosed_and_early_markers_are_still_reported():
    rep = Reporter("brands/shili.md")
    assert fm.read_document("brands/shili.md", "---\nname: 示例\n".encode(), rep) is None
    assert [(d.code, d.line) for d in rep.items] == [("Y004", 1)]
    rep = Reporter("brands/shili.md")
    doc = fm.read_document("brands/shili.md", "---\nname: 示例\n...\nslug: x\n---\n正文\n".encode(), rep)
    assert doc.root is None and [(d.code, d.line) for d in rep.items] == [("Y014", 3)]
    rep = Reporter("brands/shili.md")
    doc = fm.read_document("brands/shili.md", "---\nname: 示例\n---  \n虚构的正文。\n".encode(), rep)
    assert doc.root is not None and rep.items == [] and doc.body == "虚构的正文。\n" and doc.body_line == 4
