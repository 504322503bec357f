"""The one code registry: every code the package names exists, is named through the registry,
has its guide entry, and no message repeats its code's fix by hand."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from site_builder.diagnostics import Code, Reporter, make_diagnostic
from site_builder.schema.reference import code_reference

PACKAGE = Path(__file__).resolve().parent.parent / "site_builder"
_BARE = re.compile(r"^[YBEPCSN]\d{3}$")


def _modules():
    for path in sorted(PACKAGE.rglob("*.py")):
        yield path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def test_every_code_the_package_names_is_registered():
    used = set()
    for path, tree in _modules():
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                    and node.value.id == "Code" and _BARE.match(node.attr)):
                assert node.attr in Code.__members__, f"{path.name}:{node.lineno}: Code.{node.attr}"
                used.add(node.attr)
    assert len(used) > 60
    unused = sorted(set(Code.__members__) - used)
    assert unused == [], f"登记了却从不使用的代码：{unused}"


def test_no_code_is_written_as_a_bare_string():
    found = []
    for path, tree in _modules():
        if path.name == "codes.py":
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                    _BARE.match(node.value):
                found.append(f"{path.relative_to(PACKAGE)}:{node.lineno}: {node.value!r}")
    assert found == [], "代码要写成 Code.X：\n" + "\n".join(found)


def test_the_factory_refuses_an_unregistered_code():
    with pytest.raises(TypeError):
        make_diagnostic("brands/x.md", 1, 1, "B999", "-", "说明")  # type: ignore[arg-type]


def test_a_diagnostic_takes_its_severity_and_default_fix_from_the_registry():
    rep = Reporter("brands/x.md")
    rep.add(Code.B016, "level", "说明", 3, hint="")
    (d,) = rep.items
    assert d.severity is Code.B016.severity and d.code == "B016"
    assert d.message == f"说明；提示：{Code.B016.fix}"


def test_no_inline_hint_repeats_the_codes_fix():
    """Where the registry's fix is the right hint, the message says so through `hint=""`."""
    for path, tree in _modules():
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            codes = [a.attr for a in node.args if isinstance(a, ast.Attribute)
                     and getattr(a.value, "id", None) == "Code"]
            if not codes:
                continue
            text = "".join(c.value for a in node.args for c in ast.walk(a)
                           if isinstance(c, ast.Constant) and isinstance(c.value, str))
            fix = Code[codes[0]].fix
            assert f"提示：{fix}" not in text, f"{path.name}:{node.lineno}: {codes[0]}"


def test_the_guide_lists_every_code():
    text = code_reference()
    for c in Code:
        assert f"### {c.name} {c.title}" in text
