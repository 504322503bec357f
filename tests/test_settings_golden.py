"""Golden tests of settings.yml: each case in tests/golden/settings/ is a whole settings file, and
its `.expected` file the lines `site-builder validate` prints for it (GOLDEN_UPDATE=1 rewrites them).
Settings problems carry their own S codes, whose fixes speak of settings."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from golden import check_golden, codes_in, lines_of, validate_text

from site_builder.diagnostics import CODES
from site_builder.load.settings import load_settings

GOLDEN = Path(__file__).resolve().parent / "golden" / "settings"
# no settings file at all: tests/test_cli.py; a cache folder inside the project (an environment
# variable, not a settings field): tests/test_cache_trust.py
# S030-S033 (the map outline file) are held line by line in test_venue_map.py
CODES_OWNED_ELSEWHERE = {"S001", "S013", "S030", "S031", "S032", "S033"}


def case_names() -> list[str]:
    return sorted(p.stem for p in GOLDEN.glob("*.yml"))


@pytest.mark.parametrize("case", case_names())
def test_golden(case: str, tmp_path: Path) -> None:
    shutil.copy(GOLDEN / f"{case}.yml", tmp_path / "settings.yml")
    _, diags = load_settings(tmp_path)
    check_golden(GOLDEN / f"{case}.expected", validate_text(diags))


def test_empty_vocabularies_are_allowed(tmp_path: Path) -> None:
    shutil.copy(GOLDEN / "empty-vocabularies.yml", tmp_path / "settings.yml")
    settings, diags = load_settings(tmp_path)
    assert diags == [] and settings is not None
    assert settings.vocab["programs"] == [] and settings.vocab["stages"] == []
    assert settings.targets == []


def test_every_settings_code_has_a_golden() -> None:
    seen = codes_in(GOLDEN)
    wanted = {c for c in CODES if c.startswith("S")} - CODES_OWNED_ELSEWHERE
    assert sorted(wanted - seen) == []
    assert {c for c in seen if not c.startswith("S")} == set(), "设置的提示只用 S 代码"


def test_each_line_names_settings_yml() -> None:
    form = re.compile(r"^settings\.yml:\d+:\d+: (error|warning)\[S\d{3}\]: \S+: .+；提示：.+$")
    for name, line in lines_of(GOLDEN):
        assert form.match(line), f"{name}: {line}"
