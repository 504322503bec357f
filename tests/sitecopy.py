"""Helpers for the publishing tests: copy a fictional project, compare built trees. No test copies
the repository's root project (its content is checked by `make validate`)."""

from __future__ import annotations

import shutil
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# Fixture projects carry their own fictional settings, whatever the repository's settings.yml says.
FIXTURES = Path(__file__).resolve().parent / "fixtures"
FIXTURE_SETTINGS = FIXTURES / "settings.yml"
# The package's defaults (what a project without its own templates/, docs/ and mkdocs.yml uses).
PACKAGE = REPO / "site_builder"
ENGINE_FILES = ("mkdocs.yml", "templates", "docs")


def copy_engine_files(dest: Path) -> Path:
    """The package's mkdocs.yml, templates/ and docs/ as the project's own in `dest` (for tests
    that edit a template or the config of a project): the same files, overriding nothing."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy2(PACKAGE / "mkdocs.yml", dest / "mkdocs.yml")
    for name in ("templates", "docs"):
        shutil.copytree(PACKAGE / name, dest / name)
    return dest


DEMO = REPO / "demo"


def copy_demo(dest: Path, *, full: bool = True) -> Path:
    """A copy of the fictional demo project in `dest`: its own settings, records and rounds
    (and, if `full`, the package's mkdocs.yml, templates and docs as its own).
    Tests that need a project of their own start from it, never from the repository's settings."""
    dest.mkdir(parents=True, exist_ok=True)
    shutil.copy(DEMO / "settings.yml", dest / "settings.yml")
    shutil.copytree(DEMO / "brands", dest / "brands")
    shutil.copytree(DEMO / "assets", dest / "assets")  # the logo and icon its settings name
    shutil.copytree(DEMO / "evaluations", dest / "evaluations")  # the rounds its levels cite
    for extra in ("news", "geo"):  # its news and events, its fictional map outline
        if (DEMO / extra).is_dir():
            shutil.copytree(DEMO / extra, dest / extra)
    if full:
        copy_engine_files(dest)
    return dest


def in_project_words(text: str, root: Path) -> str:
    """A fictional record written with @CATEGORY@ and @DISTRICT@, in the words of the project at
    `root` (its first category and first area), so that it is valid whatever settings.yml says."""
    from site_builder.load.settings import load_settings

    settings, diags = load_settings(root)
    assert settings is not None, [d.format() for d in diags]
    return (text.replace("@CATEGORY@", settings.vocab["categories"][0])
            .replace("@DISTRICT@", settings.vocab["districts"][0]))


def tree(root: Path) -> dict[str, bytes]:
    """Every file under `root` (relative POSIX path → bytes)."""
    return {p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*")) if p.is_file()}


def tree_state(root: Path) -> dict[str, tuple[bytes, int, int]]:
    """Every file and folder under `root` with its bytes, modification time and mode."""
    out = {".": (b"", root.stat().st_mtime_ns, root.stat().st_mode)}
    for p in sorted(root.rglob("*")):
        st = p.stat()
        out[p.relative_to(root).as_posix()] = (
            p.read_bytes() if p.is_file() else b"", st.st_mtime_ns, st.st_mode)
    return out


def first_difference(a: dict[str, bytes], b: dict[str, bytes]) -> str | None:
    """A sentence naming the first file (in path order) that differs between two trees."""
    for name in sorted(set(a) | set(b)):
        if name not in a:
            return f"{name}: only in the second tree"
        if name not in b:
            return f"{name}: only in the first tree"
        if a[name] != b[name]:
            x, y = a[name], b[name]
            at = next((i for i in range(min(len(x), len(y))) if x[i] != y[i]), min(len(x), len(y)))
            return (f"{name}: differs at byte {at} ({len(x)} vs {len(y)} bytes): "
                    f"{x[max(0, at - 40):at + 40]!r} vs {y[max(0, at - 40):at + 40]!r}")
    return None


def write_site(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """A built site made by hand: `files` (site path → text or bytes) under tmp_path/site."""
    root = tmp_path / "site"
    for rel, content in files.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return root


def fictional_record(slug: str, name: str, extra: str = "",
                     body: str = "本品牌为虚构，仅用于测试。\n") -> str:
    """A fictional published record valid in the demo's vocabularies; `extra` adds fields."""
    return (f"---\nslug: {slug}\nname: {name}\nsummary: 虚构的示例品牌，只用于测试。\nstatus: 已发布\n"
            f"category: 民生保障型\ndistricts: [白鹭区]\n{extra}updated: 2026-11-20\n---\n{body}")


def demo_with_records(dest: Path, records: dict[str, str]) -> Path:
    """A copy of the demo's records and settings in `dest` with these records added (by slug)."""
    root = copy_demo(dest, full=False)
    for slug, text in records.items():
        (root / "brands" / f"{slug}.md").write_text(text, encoding="utf-8")
    return root


def without_editor(root: Path) -> Path:
    """The project's settings without the form editor (`editor:`), for tests about something
    else: its site then needs no npm packages (Decap) to build."""
    import re

    path = root / "settings.yml"
    text = path.read_text(encoding="utf-8")
    cut = re.sub(r"(?m)^editor:\n(?:[ #].*\n|\n)*", "", text)
    assert cut != text, "settings.yml has no editor section"
    path.write_text(cut, encoding="utf-8")
    return root
