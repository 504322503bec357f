"""The engine stays at the edge: only site_builder/mkdocs_adapter.py imports MkDocs or Material."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "site_builder"
ENGINE_PACKAGES = {"mkdocs", "material"}
ADAPTER = "mkdocs_adapter.py"


def engine_imports(path: Path) -> list[str]:
    """Every `import mkdocs…` / `from material… import` in a module, at any depth (also inside
    functions), and `importlib.import_module("mkdocs…")` / `__import__` with a literal name."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            fname = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if fname in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                names = [node.args[0].value]
        found += [f"{path.name}:{node.lineno}: {n}" for n in names
                  if n.split(".")[0] in ENGINE_PACKAGES]
    return found


def test_only_the_adapter_imports_the_engine() -> None:
    modules = sorted(PACKAGE.glob("*.py"))
    assert len(modules) > 5
    offenders = [hit for m in modules if m.name != ADAPTER for hit in engine_imports(m)]
    assert offenders == [], "只有 mkdocs_adapter.py 可以导入 mkdocs/material：\n" + "\n".join(offenders)


def test_the_adapter_does_import_the_engine() -> None:
    # Guards the test above against a scanner that finds nothing at all.
    assert engine_imports(PACKAGE / ADAPTER)


def test_the_scanner_sees_every_form(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os, mkdocs.config\n"
        "from material.plugins import search\n"
        "def f():\n    import mkdocs\n"
        "import importlib\nimportlib.import_module('material')\n"
        "from . import mkdocs_like\nimport mkdocstrings\n",
        encoding="utf-8")
    hits = [h.split(": ", 1)[1] for h in engine_imports(sample)]
    assert hits == ["mkdocs.config", "material.plugins", "mkdocs", "material"]
