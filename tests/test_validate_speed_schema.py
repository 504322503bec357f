"""The schema pass, made faster (issue 31, second round), checks every record as before.

`Obj.check` tests a pair's key and value for aliases and for a key that is not text only when
the key is not plain text or the value is an alias, and works its required fields out once;
`ListOf.check` calls its item's spec and tests for an empty item inline. The functions they
replaced are kept below, verbatim; both check the same front matter — the realistic records of
bench/realistic.py and the same records with problems planted (aliases, keys that are lists,
unknown, misspelt, missing and empty fields, empty list items, wrong kinds, bad numbers and
dates) — with and without remembering each node's value, and must give the same diagnostics
(code, file, line, column, field, message), value, images, source references and remembered
values. Both directions are required: records accepted and records refused.
"""

from __future__ import annotations

import random
from collections import Counter
from typing import Any

import pytest
from validate_records import (
    fixture_vocab,
    mutated_front_matter,
    planted_values,
    realistic_records,
)
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from site_builder.diagnostics.codes import Code
from site_builder.diagnostics.report import Reporter
from site_builder.load.frontmatter import parse_yaml
from site_builder.schema.brand import BRAND
from site_builder.schema.fields import (
    INVALID,
    Ctx,
    ListOf,
    Obj,
    Rejected,
    _reported_under,
    clip,
    is_empty,
    suggest,
)

# -- the functions before the change, verbatim --------------------------------------------------

def _old_list_check(self, node, ctx, where):
    """ListOf.check before issue 31's second round, verbatim."""
    if not isinstance(node, SequenceNode):
        return self._wrong_kind(node, ctx, where)
    out, ok, seen = [], True, {}
    for i, item in enumerate(node.value):
        if isinstance(item, Rejected):  # an alias, already reported
            ok = False
            continue
        if is_empty(item):
            ctx.rep.at_node(item, ctx.code(Code.B015), f"{where}[{i}]", f"{ctx.words(self.label)}的第 {i + 1} 项是空的；"
                            "提示：删去这一项或填上内容。")
            ok = False
            continue
        v = ctx.check(self.item, item, f"{where}[{i}]")
        if v is INVALID:
            ok = False
            continue
        if self.unique and isinstance(v, str):
            if v in seen:
                ctx.rep.at_node(item, ctx.code(Code.B015), f"{where}[{i}]", f"{ctx.words(self.label)}中“{clip(v)}”重复"
                                f"（第 {seen[v] + 1} 项已有）；提示：删去重复项。")
                ok = False
                continue
            seen[v] = i
        out.append(v)
    if ok and len(out) < self.min_items:
        ctx.rep.at_node(node, ctx.code(Code.B015), where, f"{ctx.words(self.label)}至少要有 {self.min_items} 项，"
                        f"实际 {len(out)} 项；提示：补上内容。")
        ok = False
    return out if ok else INVALID


def _old_obj_check(self, node, ctx, where):
    """Obj.check before issue 31's second round, verbatim."""
    if not isinstance(node, MappingNode):
        return self._wrong_kind(node, ctx, where)
    out: dict[str, Any] = {}
    ok = True
    rejected: set[str] = set()
    prefix = f"{where}." if where else ""
    for k, v in node.value:
        if isinstance(k, Rejected) or isinstance(v, Rejected):  # an alias, already reported
            ok = False
            if isinstance(k, ScalarNode):
                rejected.add(k.value)
            continue
        if not isinstance(k, ScalarNode):
            ctx.rep.at_node(k, ctx.code(Code.B002), where or "-", "字段名必须是文字；提示：检查缩进和冒号。")
            ok = False
            continue
        key = k.value
        spec = self.fields.get(key)
        if spec is None:
            hint = suggest(key, list(self.fields), labels={n: s.label for n, s in self.fields.items()})
            known = "、".join(self.fields)
            ctx.rep.at_node(k, ctx.code(Code.B002), prefix + key, f"未知字段“{clip(key)}”；提示："
                            + (f"是否要写“{hint}”（{ctx.words(self.fields[hint].label)}）？" if hint
                               else f"可用字段：{known}。"))
            ok = False
            if hint and not any(isinstance(k2, ScalarNode) and k2.value == hint
                                for k2, _ in node.value):
                rejected.add(hint)  # the misspelt key is the missing field: one report
            continue
        if v.value == "" if isinstance(v, ScalarNode) else not v.value:  # is_empty(v), inline
            continue
        val = spec.check(v, ctx, prefix + key)  # ctx.check, inline: every field passes here
        if ctx.values is not None:
            ctx.values[id(v)] = val
        if val is INVALID:
            ok = False
        else:
            out[key] = val
    for key, spec in self.fields.items():
        if (spec.required and key not in out and key not in rejected
                and not _reported_under(ctx, prefix + key)):
            self.report_missing(node, ctx, prefix + key, spec, where)
            ok = False
    return out if ok else INVALID


# -- the comparison -----------------------------------------------------------------------------

def _check(root, vocab, keep: bool) -> tuple:
    rep = Reporter("brands/shili.md", 1)
    ctx = Ctx(rep, vocab, values={} if keep else None)
    value = BRAND.check(root, ctx, "")
    values = None if ctx.values is None else {k: (v is INVALID, v) for k, v in ctx.values.items()}
    return ([(d.code, d.path, d.line, d.col, d.field, d.message, d.severity) for d in rep.items],
            value is INVALID, value, ctx.images, ctx.refs, ctx.videos, values)


def _old(monkeypatch_context, root, vocab, keep):
    with monkeypatch_context() as m:
        m.setattr(Obj, "check", _old_obj_check)
        m.setattr(ListOf, "check", _old_list_check)
        return _check(root, vocab, keep)


@pytest.fixture(scope="module")
def vocab():
    return fixture_vocab()


@pytest.fixture(scope="module")
def records(vocab):
    return realistic_records(60, vocab, seed=41)


def test_realistic_and_planted_records_are_checked_as_before(records, vocab):
    rng = random.Random(43)
    codes: Counter = Counter()
    accepted = refused = 0
    for n in range(1200):
        text = records[n % len(records)]
        fm = (text, mutated_front_matter(text, rng), planted_values(text, rng))[n % 3]
        root = parse_yaml(fm, Reporter("brands/shili.md", 1))
        if root is None:
            continue
        for keep in (False, True):
            new = _check(root, vocab, keep)
            old = _old(pytest.MonkeyPatch.context, root, vocab, keep)
            assert new == old, (n, fm)
        codes.update(d[0] for d in new[0])
        accepted += not new[1]
        refused += new[1]
    assert accepted >= 150 and refused >= 150, (accepted, refused)
    assert {"B001", "B002", "B003", "B004", "B005", "B006", "B007", "B015"} <= set(codes), codes


def test_aliases_and_keys_that_are_lists_are_still_refused(vocab):
    fm = ("name: &n 示例·虚构家政\nsummary: *n\n[甲, 乙]: 示例\nprograms:\n  - \n")
    root = parse_yaml(fm, Reporter("brands/shili.md", 1))
    assert isinstance(root.value[1][1], Rejected)
    new = _check(root, vocab, False)
    assert new == _old(pytest.MonkeyPatch.context, root, vocab, False)
    assert new[1]  # refused
    assert {"B002", "B015"} <= {d[0] for d in new[0]}
