"""The package reads as its pipeline: each stage a folder, no stage importing a later one, no
import cycle (also through imports inside functions), and only the engine adapter importing
MkDocs or Material."""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "site_builder"
ENGINE_PACKAGES = {"mkdocs", "material"}
ADAPTER = "engines/mkdocs.py"

# The layers, lowest first: a module may import its own layer (without a cycle) and lower ones.
LAYERS = [
    ["text", "cache", "system"],
    ["diagnostics"],
    ["schema"],
    ["model"],
    ["load"],
    ["validate"],
    ["evaluate"],
    ["project"],
    ["editor"],  # references, skeletons and the form editor's configuration, which render ships
    ["render"],
    ["verify"],
    ["engines"],
    ["publish"],
    ["build"],
    ["cli", "__main__", "__init__"],
]
STAGE_FOLDERS = ["diagnostics", "schema", "load", "validate", "evaluate", "render", "verify",
                 "engines", "publish", "editor"]


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def layer_of(module: str) -> int:
    top = module.split(".")[1] if "." in module else "__init__"
    for i, names in enumerate(LAYERS):
        if top in names:
            return i
    raise AssertionError(f"{module} 不属于任何一层：请在 LAYERS 中登记")


def imports_of(path: Path) -> list[tuple[int, str, str]]:
    """(line, imported module, how) for every import in a module, at any depth; `from . import x`
    names the submodule when there is one. Imports under `if TYPE_CHECKING:` are types only."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    me = module_name(path)
    package = me if path.name == "__init__.py" else me.rsplit(".", 1)[0]
    typing_only = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and getattr(node.test, "id", None) == "TYPE_CHECKING":
            typing_only |= {id(n) for n in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name, "import") for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for a in node.names:
                sub = f"{target}.{a.name}"
                found.append((node.lineno, sub if _is_module(sub) else target, "from"))
        elif isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            fname = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if fname in ("import_module", "__import__") and isinstance(node.args[0].value, str):
                found.append((node.lineno, node.args[0].value, "call"))
    return found


def _is_module(name: str) -> bool:
    rel = Path(*name.split("."))
    return (PACKAGE.parent / rel).with_suffix(".py").is_file() or \
        (PACKAGE.parent / rel / "__init__.py").is_file()


def modules() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def internal_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {}
    for path in modules():
        me = module_name(path)
        graph[me] = {t for _, t, _ in imports_of(path)
                     if t.startswith("site_builder") and t != me and _is_module(t)}
    return graph


def test_every_stage_is_a_folder() -> None:
    for name in STAGE_FOLDERS:
        assert (PACKAGE / name / "__init__.py").is_file(), name
    flat = sorted(p.stem for p in PACKAGE.glob("*.py"))
    assert flat == ["__init__", "__main__", "build", "cache", "cli", "model", "project", "system",
                    "text"], flat


def test_no_layer_imports_a_later_one() -> None:
    offenders = []
    for path in modules():
        me = module_name(path)
        for line, target, _ in imports_of(path):
            if not target.startswith("site_builder.") or not _is_module(target):
                continue
            if layer_of(target) > layer_of(me):
                offenders.append(f"{path.relative_to(PACKAGE)}:{line}: {me} → {target}")
    assert offenders == [], "下层模块导入了上层模块：\n" + "\n".join(offenders)


def test_no_import_cycle() -> None:
    graph = internal_graph()
    cycles = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt.startswith(node + "."):  # a package importing its own submodules
                continue
            if state.get(nxt) == 1:
                cycles.append(" → ".join(stack[stack.index(nxt):] + [nxt]))
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    assert cycles == [], "导入成环：\n" + "\n".join(cycles)


def engine_imports(path: Path) -> list[str]:
    return [f"{path.name}:{line}: {t}" for line, t, _ in imports_of(path)
            if t.split(".")[0] in ENGINE_PACKAGES]


def test_only_the_adapter_imports_the_engine() -> None:
    offenders = [hit for m in modules() if m.relative_to(PACKAGE).as_posix() != ADAPTER
                 for hit in engine_imports(m)]
    assert offenders == [], f"只有 {ADAPTER} 可以导入 mkdocs/material：\n" + "\n".join(offenders)


def test_the_adapter_does_import_the_engine() -> None:
    # Guards the test above against a scanner that finds nothing at all.
    assert engine_imports(PACKAGE / ADAPTER)


def test_the_scanner_sees_every_form(tmp_path: Path) -> None:
    sample = PACKAGE / "_architecture_sample.py"
    sample.write_text(
        "import os, mkdocs.config\n"
        "from material.plugins import search\n"
        "def f():\n    import mkdocs\n"
        "import importlib\nimportlib.import_module('material')\n"
        "from .render import pages\nimport mkdocstrings\n"
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from .build import x\n",
        encoding="utf-8")
    try:
        found = [t for _, t, _ in imports_of(sample)]
        hits = [h.split(": ", 1)[1] for h in engine_imports(sample)]
    finally:
        sample.unlink()
    assert hits == ["mkdocs.config", "material.plugins", "mkdocs", "material"]
    assert "site_builder.render.pages" in found and "site_builder.build" not in found
