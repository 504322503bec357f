"""Session fixtures: each project is built once per test session and shared by the tests that
read its pages or drive it in a browser."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
DEMO = REPO / "demo"
DEMO_DATE = dt.date(2026, 12, 1)  # Makefile's DEMO_DATE: each demo round in its written phase
SHIPPED_DATE = dt.date(2026, 12, 1)


def with_404(site: Path) -> Path:
    """http.server has no custom 404 page; serving 404.html at a missing path is what hosts do."""
    (site / "no-such-page").mkdir(exist_ok=True)
    (site / "no-such-page" / "index.html").write_bytes((site / "404.html").read_bytes())
    return site


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The demo project built as `make demo` builds it (the command line, the fixed date)."""
    from site_builder.cli import main

    out = tmp_path_factory.mktemp("demo-session") / "demo-site"
    assert main(["--root", str(DEMO), "build", "--site-dir", str(out), "--date",
                 DEMO_DATE.isoformat()]) == 0
    return out


@pytest.fixture(scope="session")
def shipped_site(tmp_path_factory) -> Path:
    """The repository's own project (Guangzhou's settings and real brands), built unchanged."""
    from site_builder.build import build_site

    root = tmp_path_factory.mktemp("shipped-session")
    for name in ("settings.yml", "mkdocs.yml"):
        shutil.copy2(REPO / name, root / name)
    for name in ("brands", "evaluations", "docs", "templates"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    result = build_site(root, root / "site", build_date=SHIPPED_DATE)
    assert result.ok, [d.format() for d in result.diagnostics] + result.problems
    return root / "site"
