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
from collections import Counter
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.resolver import BaseResolver

from site_builder.diagnostics.codes import Code
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



# -- the tree walk (duplicate keys, aliases, depth) ---------------------------------------------

def _old_check_tree(node, rep, depth, seen_nodes):
    """check_tree before issue 31's second round, verbatim."""
    if depth > fm.MAX_DEPTH:
        fm._too_deep(node, rep)
        return False
    inner = depth + 1
    if isinstance(node, MappingNode):
        seen: dict[str, Node] = {}
        pairs = node.value
        for i, (k, v) in enumerate(pairs):
            if seen_nodes is not None:
                k2, v2 = fm._unalias(k, seen_nodes), fm._unalias(v, seen_nodes)
                if k2 is not k or v2 is not v:
                    pairs[i] = (k2, v2)
                    k, v = k2, v2
            if k.__class__ is ScalarNode:  # not a Rejected alias
                if k.value in seen:
                    first = seen[k.value].start_mark.line + 1 + rep.line_offset
                    rep.at_node(k, Code.Y008, k.value, f"字段“{k.value}”重复出现（第 {first} 行已写过）；"
                                "提示：删去其中一处。")
                else:
                    seen[k.value] = k
            for child in (k, v):
                if isinstance(child, ScalarNode):
                    if inner > fm.MAX_DEPTH:
                        fm._too_deep(child, rep)
                        return False
                elif not _old_check_tree(child, rep, inner, seen_nodes):
                    return False
    elif isinstance(node, SequenceNode):
        items = node.value
        for i, item in enumerate(items):
            if seen_nodes is not None:
                item = items[i] = fm._unalias(item, seen_nodes)
            if isinstance(item, ScalarNode):
                if inner > fm.MAX_DEPTH:
                    fm._too_deep(item, rep)
                    return False
            elif not _old_check_tree(item, rep, inner, seen_nodes):
                return False
    return True



def _nested(rng: random.Random, depth: int) -> str:
    """A YAML value nested `depth` deep in block or flow style, with repeated keys, anchors
    and aliases now and then."""
    if depth == 0:
        return rng.choice(["示例", "*a", "''", "1"])
    inner = _nested(rng, depth - 1)
    style = rng.random()
    if style < 0.4:
        keys = rng.sample(["a", "b", "a", "c", "b"], k=rng.randint(1, 3))
        return "{" + ", ".join(f"{k}: {inner if i == 0 else rng.choice(['x', '*a', '[y]'])}"
                               for i, k in enumerate(keys)) + "}"
    if style < 0.7:
        return "[" + ", ".join([inner] + rng.sample(["x", "*a", "{k: v}", "[]"], k=rng.randint(0, 2))) + "]"
    if style < 0.8:
        return "{[" + inner + "]: 示例}"  # a key that is a list
    return "[" + inner + ", *a]"


def _walked_shape(node, on_path: set[int]):
    """`_shape`, safe on a tree that still holds an alias of a node inside itself (a walk that
    stopped at the depth limit replaced none)."""
    if id(node) in on_path:
        return "cycle"
    on_path = on_path | {id(node)}
    if isinstance(node, MappingNode):
        value = [(_walked_shape(k, on_path), _walked_shape(v, on_path)) for k, v in node.value]
    elif isinstance(node, SequenceNode):
        value = [_walked_shape(item, on_path) for item in node.value]
    else:
        value = node.value
    return (type(node).__name__, node.tag, value, node.start_mark.line, node.start_mark.column)


def test_the_tree_walk_reports_and_replaces_as_before():
    """check_tree takes the common case (no alias possible, not at the depth limit) by a shorter
    walk: on generated documents nested up to past the limit, with duplicate keys at every level,
    anchors, aliases and keys that are lists, the same reports, answer and tree as before."""
    rng = random.Random(23)
    outcomes: Counter = Counter()
    for n in range(3000):
        depth = rng.choice([0, 1, 2, 3, 5, 17, 18, 19, 20, 21, 22])
        lines = [rng.choice(["anchored: &a [示例, {b: 虚构}]", "anchored: &a 示例"])]
        lines += [f"k{i}: {_nested(rng, depth if i == 0 else rng.randint(0, 3))}"
                  for i in range(rng.randint(1, 4))]
        if rng.random() < 0.5:  # no alias at all: the walk's common case
            lines = [line.replace("*a", "示例") for line in lines[1:]]
        if rng.random() < 0.3:
            lines.append(lines[-1])  # a repeated top-level key
        text = "\n".join(lines) + "\n"
        trees = []
        for walk in (_old_check_tree, fm.check_tree):
            try:
                root = yaml.compose(text, Loader=fm._StrictLoader)
            except yaml.YAMLError:
                break
            rep = Reporter("brands/shili.md", 1)
            ok = walk(root, rep, 1, set() if "*" in text else None)
            trees.append((ok, [(d.code, d.line, d.col, d.field, d.message) for d in rep.items],
                          _walked_shape(root, set())))
        if len(trees) == 2:
            assert trees[1] == trees[0], text
            outcomes[(trees[0][0], bool(trees[0][1]))] += 1
    # both directions: accepted trees, reports that go on (duplicates, aliases), too deep
    assert all(outcomes[k] > 200 for k in [(True, False), (True, True), (False, True)]), outcomes
