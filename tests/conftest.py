"""Session fixtures that follow the pipeline: a project → its built site, each built once per run.

A test asks for the stage it needs (`plain_site`, `demo_site`, `showcase_site`); tests that
change a project work on a copy (`built_copy`). Browser tests carry the `browser` marker.
"""

from __future__ import annotations

import atexit
import datetime as dt
import os
import shutil
import tempfile
from collections import Counter
from pathlib import Path

import jinja2
import pytest
from sitecopy import FIXTURES, REPO, copy_demo

from site_builder.build import BuildResult, build_site


def _own_folder(variable: str, prefix: str) -> None:
    """A temporary folder for `variable` unless it is set; removed when the run ends (the
    workers inherit the variable from the process that starts them, so one run makes one)."""
    if not os.environ.get(variable):
        folder = tempfile.mkdtemp(prefix=prefix)
        atexit.register(shutil.rmtree, folder, True)
        os.environ[variable] = folder


# Encoded images are cached outside the repository; tests keep theirs apart from the user's,
_own_folder("SITE_BUILDER_CACHE", "site-builder-test-cache-")
# and the key that seals its entries (cache.py), apart from the user's
_own_folder("XDG_STATE_HOME", "site-builder-test-state-")

DEMO = REPO / "demo"
PROVINCE = REPO / "examples" / "province"
PLAIN = FIXTURES / "plain"  # a second fictional region, in place of the root project
DEMO_DATE = dt.date(2026, 12, 1)  # the Makefile's DEMO_DATE
SHIPPED_DATE = dt.date(2026, 12, 1)  # the plain site's progress is told against this date
SHOWCASE_URL = "https://showcase.example.org/"


def assert_built(result: BuildResult) -> None:
    assert result.ok, ([d.format() for d in result.diagnostics + result.findings]
                       + result.problems)


@pytest.fixture(scope="session")
def plain_project(tmp_path_factory) -> Path:
    """A copy of the fictional plain project (tests/fixtures/plain/: two brands, no people,
    venues or rounds, no contact or logo), built once into its site/ from the package's own
    templates. Tests use it, never the repository's root project, whose content `make validate`
    checks: the suite passes whatever region's settings.yml and brands/ the root holds."""
    root = tmp_path_factory.mktemp("plain") / "project"
    shutil.copytree(PLAIN, root)
    assert_built(build_site(root, root / "site", build_date=SHIPPED_DATE))
    return root


@pytest.fixture(scope="session")
def plain_site(plain_project) -> Path:
    return plain_project / "site"


@pytest.fixture(scope="session")
def demo_site(tmp_path_factory) -> Path:
    """The fictional demo project built as `make demo` builds it, on its demo date."""
    out = tmp_path_factory.mktemp("demo") / "demo-site"
    assert_built(build_site(DEMO, out, build_date=DEMO_DATE))
    return out


@pytest.fixture(scope="session")
def province_project(tmp_path_factory) -> Path:
    """The fictional province example (examples/province/: cities as areas, levels conferred
    outside, no programs, figures as reports state them), copied and built once, strictly."""
    root = tmp_path_factory.mktemp("province") / "project"
    shutil.copytree(PROVINCE, root)
    assert_built(build_site(root, root / "site", strict=True))
    return root


@pytest.fixture(scope="session")
def province_site(province_project) -> Path:
    return province_project / "site"


@pytest.fixture(scope="session")
def showcase_site(tmp_path_factory) -> Path:
    """The fictional showcase project (tests/showcase.py: every page type filled), built with a
    public address."""
    from showcase import make_project

    root = make_project(tmp_path_factory.mktemp("showcase"), site_url=SHOWCASE_URL)
    assert_built(build_site(root, root / "site"))
    return root / "site"


@pytest.fixture(scope="session")
def demo_project(tmp_path_factory) -> Path:
    """A copy of the fictional demo project (its own settings, records, rounds; the repository's
    templates and pages), built once into its site/."""
    root = copy_demo(tmp_path_factory.mktemp("demo-project") / "project")
    assert_built(build_site(root, root / "site", build_date=DEMO_DATE))
    return root


@pytest.fixture
def built_copy(demo_project, tmp_path) -> Path:
    """A private copy of the built demo project, for a test that edits and rebuilds it (never
    the repository's own settings and records)."""
    dest = tmp_path / "project"
    shutil.copytree(demo_project, dest, symlinks=True)
    return dest


def with_404(site: Path) -> Path:
    """http.server has no custom 404 page; serving 404.html at a missing path is what hosts do."""
    (site / "no-such-page").mkdir(exist_ok=True)
    (site / "no-such-page" / "index.html").write_bytes((site / "404.html").read_bytes())
    return site


# The longest tests start first, so that the other worker takes the rest meanwhile instead of
# one of them running alone at the end (pytest-xdist hands out tests in collection order).
SLOW_FIRST = ("test_workflow_steps.py", "test_bench_smoke.py", "test_deploy.py")


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: item.path.name not in SLOW_FIRST)  # stable: order kept within


@pytest.fixture
def counted(monkeypatch):
    """The templates rendered, by name, since the counter was last cleared."""
    seen: Counter = Counter()
    real = jinja2.Template.render

    def counting(self, *args, **kwargs):
        seen[self.name] += 1
        return real(self, *args, **kwargs)

    monkeypatch.setattr(jinja2.Template, "render", counting)
    return seen


@pytest.fixture
def laid(monkeypatch):
    """The pages the native engine laid out, by site path, since the list was last cleared."""
    from site_builder.engines import native

    seen: list[str] = []
    real = native._page

    def page(layout, site, p, order, nav_urls):
        seen.append(p.dest)
        return real(layout, site, p, order, nav_urls)

    monkeypatch.setattr(native, "_page", page)
    return seen
